"""The slot listing (`GET /places/<code>/slots`) answered from its short cache
(backend/infrastructure/slot_listings.py) at the cost of a lookup: the page every citizen opens
when a day opens.

An answer the cache holds is served by `CachedListings`, a WSGI layer in front of Flask: no
request context, routing, hooks, session, query parsing or database, only the lookup. Such an
answer is the one the view gave (its JSON body, `Content-Type`, `Content-Length`), with the
headers every answer carries (`app.extensions["banban.every_answer_headers"]`):
tests/test_slot_listing_cache.py checks that it is Flask's, headers and body.
Anything else (another method or path, a listing not cached or too old, the cache off or not
answering) goes on to Flask, where `cached_listing` keeps what the view answers, under the
versions the lookup read before the view's query ran.

A listing counts the reserved seats as its reader's when the reader's token says they signed in
as one of a special group (`reads_as_special`); such listings are kept apart from the others."""
from __future__ import annotations

import re
from functools import wraps

from flask import Flask, current_app, request

from backend.infrastructure.slot_listings import EXTENSION, Lookup
from backend.infrastructure.tokens import SPECIAL_GROUP, token_version

LOOKUP = "banban.slot_listing.lookup"  # the environ key of a lookup that found nothing
SPECIAL_LISTING = b"#special"  # appended to the cache's query: the special groups' listing


def reads_as_special(app: Flask, environ) -> bool:
    """Whether the request carries a citizen token of one of a special group."""
    scheme, _, token = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return False
    return token_version(app, "citizen", token.strip()) == SPECIAL_GROUP


class CachedListings:
    def __init__(self, app: Flask, wsgi_app, prefix: str):
        self.app, self.wsgi_app = app, wsgi_app
        self.path = re.compile(rf"{re.escape(prefix)}/places/([^/]+)/slots")

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") == "GET":
            match = self.path.fullmatch(environ.get("PATH_INFO", ""))
            if match:
                found = self.lookup(environ, match[1])
                if found is not None and found.body is not None:
                    start_response("200 OK", [
                        ("Content-Type", "application/json"),
                        ("Content-Length", str(len(found.body))),
                        *self.app.extensions["banban.every_answer_headers"]])
                    return [found.body]
                environ[LOOKUP] = found
        return self.wsgi_app(environ, start_response)

    def lookup(self, environ, raw_code: str) -> Lookup | None:
        seconds = self.app.config["SLOT_LIST_CACHE_SECONDS"]
        if seconds <= 0:
            return None
        # The place code as Flask's routing reads the path (WSGI gives it as latin-1).
        code = raw_code.encode("latin-1").decode("utf-8", "replace")
        query = environ.get("QUERY_STRING", "").encode("latin-1")
        if reads_as_special(self.app, environ):
            query += SPECIAL_LISTING
        now = self.app.extensions["banban.clock"].now().timestamp()
        return self.app.extensions[EXTENSION].find(code, query, now, seconds)


def cached_listing(view):
    """Keep the view's answer in the cache, under the lookup `CachedListings` made before the
    view's query ran (none: the cache is off or this is not a GET; nothing is kept)."""
    @wraps(view)
    def wrapper(code):
        found = request.environ.get(LOOKUP)
        response = view(code=code)
        if found is not None and response.status_code == 200:  # refusals raise
            current_app.extensions[EXTENSION].keep(found, response.get_data(),
                                                   current_app.config["SLOT_LIST_CACHE_SECONDS"])
        return response
    return wrapper


def init_app(app: Flask, prefix: str) -> None:
    app.wsgi_app = CachedListings(app, app.wsgi_app, prefix)
