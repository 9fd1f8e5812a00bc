"""Charts drawn on the server as SVG (pygal), shown as `<img src="data:image/svg+xml;base64,…">`.

Why this way: the pages work offline (no CDN, no JavaScript bundle to serve) and the admin's
Content-Security-Policy stays as strict as it is: pygal's SVG carries an inline <style> and a
small inline script, which an SVG loaded as an image never runs and which the page's CSP does
not govern (`img-src 'self' data:` allows it)."""
from __future__ import annotations

import base64
import sys
import unicodedata
from collections.abc import Sequence

import pygal
from pygal.style import Style
from pygal.util import get_texts_box

# pygal appends a legacy import hook for its map plugins (which we do not use) to sys.meta_path;
# every import that no other finder resolves then raises an ImportWarning. Take it out again.
sys.meta_path[:] = [finder for finder in sys.meta_path
                    if type(finder).__name__ != "PluginImportFixer"]

# Debian's CJK font first (the browser tests install it), then whatever the viewer has.
FONT = "'WenQuanYi Micro Hei', 'Microsoft YaHei', 'PingFang SC', 'Noto Sans CJK SC', sans-serif"
STYLE = Style(font_family=FONT, label_font_family=FONT, major_label_font_family=FONT,
              value_font_family=FONT, value_label_font_family=FONT, title_font_family=FONT,
              legend_font_family=FONT, tooltip_font_family=FONT, background="white",
              plot_background="white",
              colors=("#2f6fb0", "#e39b2d", "#3a9e5b", "#c94c4c", "#7a5bb5", "#5a5a5a"))


MARGIN = 20  # pygal's own margin around the chart


def _options(title: str, height: int) -> dict:
    return dict(title=title, style=STYLE, height=height, width=800, js=[],
                disable_xml_declaration=True, legend_at_bottom=True, print_values=True,
                print_zeroes=False, truncate_label=-1, explicit_size=True, margin=MARGIN)


def drawn_width(text: str, font_size: float) -> float:
    """About how wide a browser draws a label: a Chinese character takes a full em."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in text) * font_size


def label_margin(labels: Sequence[str]) -> float:
    """The left margin that keeps a horizontal chart's labels inside it. pygal makes room for
    them counting 0.6 em a character (pygal.util.text_len), a Latin letter's width; Chinese
    labels are drawn nearly twice as wide and ran past the chart's left edge, cut off. The
    room pygal leaves is topped up to what they take."""
    size = max(STYLE.label_font_size, STYLE.major_label_font_size)
    counted = get_texts_box(list(labels), size)[1]
    return MARGIN + max(0.0, max(drawn_width(label, size) for label in labels) - counted)


def _data_uri(chart) -> str:
    svg = chart.render(is_unicode=True)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def bar_chart(title: str, labels: Sequence[str], series: dict[str, Sequence[float | None]],
              *, horizontal: bool = False, stacked: bool = False, height: int = 360,
              percent: bool = False) -> str | None:
    """A bar chart as a data URI, or None when there is nothing to draw (the page says so)."""
    if not labels or not any(v for values in series.values() for v in values if v):
        return None
    kind = {(False, False): pygal.Bar, (True, False): pygal.HorizontalBar,
            (False, True): pygal.StackedBar, (True, True): pygal.HorizontalStackedBar}
    options = _options(title, height)
    if horizontal:
        options["margin_left"] = round(label_margin(labels))
    chart = kind[horizontal, stacked](**options)
    if percent:
        chart.value_formatter = lambda v: f"{v:.0%}" if v is not None else ""
        chart.range = (0, 1)
    chart.x_labels = list(labels)
    for name, values in series.items():
        chart.add(name, list(values))
    return _data_uri(chart)
