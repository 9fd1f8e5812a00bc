"""The hall's queue (取号叫号, docs/domain.md "The queue"): tickets (`tickets`), calling and a
window's actions (`calling`, its transition table in the docstring), the calling order
(`order`), the waiting time (`waiting`) and the windows (`windows`)."""
from . import calling, order, tickets, waiting, windows

__all__ = ["calling", "order", "tickets", "waiting", "windows"]
