"""gunicorn reads this file from the folder it starts in (the README's deploy command): where the
application listens, and the start-up checks only the server can make, before any worker starts.

The application's port is bound to loopback (a `--bind` on the command line replaces this; a
unix socket, `unix:/run/banban/gunicorn.sock`, serves as well): only the reverse proxy on this
host reaches it. Behind a proxy (PROXY_FIX_HOPS) the app trusts X-Forwarded-For, so a client that
reached the port directly could name any address and escape every limit per address; with
PROXY_FIX_HOPS set, a bind anyone else could reach is refused."""
import os

bind = ["127.0.0.1:8000"]


def on_starting(server):
    from backend.config import check_server, read_env
    check_server(os.environ.get("DATABASE_URL"), server.cfg.workers, server.cfg.bind,
                 read_env("PROXY_FIX_HOPS"))
