"""gunicorn reads this file from the folder it starts in (the README's deploy command): the
start-up checks only the server can make, before any worker starts."""
import os


def on_starting(server):
    from backend.config import check_server
    check_server(os.environ.get("DATABASE_URL"), server.cfg.workers)
