"""Printable papers as PDF, drawn with fpdf2 in a CJK font (README "The paper").

A `Paper` says what is printed — the hall, the title, the case number, labelled fields, a
table, paragraphs and the signature lines — and `render` draws it on A4. The same paper gives
the same bytes every time: the creation date is the paper's issue time, fpdf2's document ID is
derived from the content, and nothing else varies (no clock, no random, the font subset made
from the same characters)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

# Debian's fonts-wqy-microhei (the Makefile's browser-deps installs it, as for the browser's
# screenshots); PDF_FONT_PATH may name another TrueType font with the CJK glyphs.
DEFAULT_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
FONT = "cjk"


class FontMissing(RuntimeError):
    """The CJK font is not installed where PDF_FONT_PATH says."""


@dataclass(frozen=True)
class Paper:
    hall: str
    title: str
    number: str  # the case number
    issued_at: datetime  # local time
    fields: list[tuple[str, str]] = field(default_factory=list)
    table: tuple[list[str], list[list[str]]] | None = None
    table_title: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    signatures: list[str] = field(default_factory=list)
    number_label: str = "办件编号"  # what `number` is (a 通报's is its 文号)


@lru_cache(maxsize=4)
def _font_bytes(path: str) -> bytes:
    """Read once per process (the TTC is 5 MB); fpdf2 subsets what each paper uses."""
    font = Path(path)
    if not font.is_file():
        raise FontMissing(f"找不到中文字体 {path}（apt-get install fonts-wqy-microhei，"
                          f"或设置 PDF_FONT_PATH）")
    return font.read_bytes()


def render(paper: Paper, font_path: str = DEFAULT_FONT) -> bytes:
    _font_bytes(font_path)  # fail early, in Chinese, when the font is missing
    pdf = FPDF(format="A4")
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_creation_date(paper.issued_at.astimezone(timezone.utc))
    pdf.set_title(f"{paper.title} {paper.number}")
    pdf.set_author(paper.hall)
    pdf.set_subject(paper.title)
    pdf.set_creator("帮办代办")
    pdf.set_lang("zh-CN")
    pdf.add_font(FONT, fname=font_path)
    pdf.add_page()
    width = pdf.epw

    pdf.set_font(FONT, size=12)
    pdf.cell(width, 7, paper.hall, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, size=20)
    pdf.cell(width, 13, paper.title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, size=10)
    pdf.cell(width, 7, f"{paper.number_label}：{paper.number}", align="R", new_x=XPos.LMARGIN,
             new_y=YPos.NEXT)
    pdf.ln(2)

    pdf.set_font(FONT, size=11)
    label_width = 38
    for label, value in paper.fields:
        top = pdf.get_y()
        pdf.multi_cell(label_width, 8, label, border=1, new_x=XPos.RIGHT, new_y=YPos.TOP)
        pdf.multi_cell(width - label_width, 8, value or "—", border=1, new_x=XPos.LMARGIN,
                       new_y=YPos.NEXT)
        pdf.set_y(max(pdf.get_y(), top + 8))

    if paper.table is not None:
        headers, rows = paper.table
        pdf.ln(3)
        if paper.table_title:
            pdf.cell(width, 8, paper.table_title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        with pdf.table(col_widths=_widths(headers), text_align="LEFT", line_height=7,
                       first_row_as_headings=True,
                       headings_style=FontFace(emphasis="", fill_color=(235, 235, 235))
                       ) as table:
            for cells in [headers, *rows]:
                row = table.row()
                for cell in cells:
                    row.cell(cell or "—")

    if paper.paragraphs:
        pdf.ln(3)
        pdf.set_font(FONT, size=10.5)
        for paragraph in paper.paragraphs:
            pdf.multi_cell(width, 6.5, paragraph, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1)

    if paper.signatures:
        pdf.ln(6)
        pdf.set_font(FONT, size=11)
        column = width / len(paper.signatures)
        for label in paper.signatures:
            pdf.cell(column, 9, f"{label}：__________", new_x=XPos.RIGHT, new_y=YPos.TOP)
        pdf.ln(10)
        for _ in paper.signatures:
            pdf.cell(column, 9, "日期：____年__月__日", new_x=XPos.RIGHT, new_y=YPos.TOP)
        pdf.ln(12)

    issued = paper.issued_at
    pdf.set_font(FONT, size=10)
    pdf.cell(width, 7, f"{paper.hall}（盖章）", align="R", new_x=XPos.LMARGIN,
             new_y=YPos.NEXT)
    pdf.cell(width, 7, f"出具时间：{issued.year}年{issued.month}月{issued.day}日 "
                       f"{issued:%H:%M}", align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())


def _widths(headers: list[str]) -> tuple[int, ...]:
    """The first column (a name) wider than the others."""
    return (3, *([2] * (len(headers) - 1))) if len(headers) > 1 else (1,)
