"""What a person reads on a rendered page, for tests that hold the admin's text to Chinese."""
from __future__ import annotations

import re
from html.parser import HTMLParser


class _Text(HTMLParser):
    """What a reader sees of a page: its text and the text of the attributes browsers show or
    read out (title, placeholder, alt, aria-label); scripts, styles and elements not displayed
    (the filters' data) left out."""
    SHOWN_ATTRIBUTES = ("title", "placeholder", "alt", "aria-label", "data-confirm")

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.hidden: list[str] = []  # the tags open inside an element not shown, outermost first

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if self.hidden:
            if tag == self.hidden[0]:
                self.hidden.append(tag)
            return
        if (tag in ("script", "style") or "d-none" in (attributes.get("class") or "").split()
                or "display:none" in (attributes.get("style") or "").replace(" ", "")):
            self.hidden.append(tag)
            return
        self.parts += [value for name, value in attrs if name in self.SHOWN_ATTRIBUTES and value]

    def handle_endtag(self, tag):
        if self.hidden and tag == self.hidden[0]:
            self.hidden.pop()

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def english_words(text: str, identifiers: set[str]) -> list[str]:
    """Words of Latin letters left once the records' own identifiers (codes, numbers,
    usernames: what people know them by) are taken out. `Staff`, `slot`, `place_id` or a JSON
    key are caught; `5+X` is not a word."""
    for identifier in sorted(identifiers, key=len, reverse=True):
        text = text.replace(identifier, " ")
    return re.findall(r"[A-Za-z_]{2,}", text)
