"""The inspection report as an XLSX workbook (openpyxl): the same dataclasses the page renders,
one sheet per kind of unit, a summary sheet and the figures' definitions, Chinese headers, the
period in the file name. Every row goes through `append_row`: a name typed by a person is
written as text, never as a formula (backend/infrastructure/spreadsheets.py)."""
from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ..infrastructure.spreadsheets import append_row
from .projects import ProjectReport
from .queue.report import QUEUE_COLUMNS, QUEUE_UNITS
from .reports import (
    DECIMAL_COLUMNS, INSUFFICIENT_SAMPLE, PERCENT_COLUMNS, REPORT_COLUMNS, InspectionReport,
    UnitFigures,
)

SUMMARY_SHEET = "汇总"
QUEUE_SHEET = "取号叫号"
DEFINITIONS_SHEET = "指标说明"
UNIT_HEADERS = ["排名", "编码", "名称"] + [header for header, _ in REPORT_COLUMNS]
BOLD = Font(bold=True)
CONSULTATION_SHEET, FLOOR_SHEET, TRAINING_SHEET, SUGGESTION_SHEET = (
    "咨询答复", "现场咨询", "培训覆盖", "意见建议")
CONSULTATION_HEADERS = ["场所", "事项", "咨询量", "已答复", "1个工作日内答复", "1个工作日内答复率"]
TRAINING_HEADERS = ["场所", "帮办代办员和引导员", "有有效培训记录", "培训覆盖率"]
# Shares in the service sheets, written as percentages.
SERVICE_PERCENT_COLUMNS = frozenset({"1个工作日内答复率", "培训覆盖率"})


def report_file_name(report: InspectionReport) -> str:
    return f"帮办代办定期检查报告_{report.start.isoformat()}_{report.end.isoformat()}.xlsx"


def unit_row(unit: UnitFigures, rank_label: object) -> list:
    """One unit's cells, as the page shows them: rank (or 样本不足), code, name, figures."""
    return [rank_label, unit.code, unit.name] + [value(unit) for _, value in REPORT_COLUMNS]


PROJECTS_SHEET = "重点项目"
PROJECT_HEADERS = ["项目编号", "项目", "企业", "办件量", "办结量", "按时办结", "超期未办结",
                   "按时办结率"]


def report_xlsx(report: InspectionReport, projects: ProjectReport | None = None
                ) -> tuple[bytes, str]:
    """The workbook's bytes and its file name; with `projects`, a sheet of the key projects."""
    workbook = Workbook()
    summary = workbook.active
    summary.title = SUMMARY_SHEET
    append_row(summary, ["帮办代办定期检查报告"])
    summary["A1"].font = Font(bold=True, size=14)
    for label, value in (("报告期", report.period_label), ("统计截至", report.as_of.isoformat()),
                         ("范围", report.scope_label),
                         ("参与排名的最低办件量", report.min_cases)):
        append_row(summary, [label, value])
    append_row(summary, [""])
    _table(summary, ["范围"] + [header for header, _ in REPORT_COLUMNS],
           [[report.total.name] + [value(report.total) for _, value in REPORT_COLUMNS]])

    for section in report.sections:
        sheet = workbook.create_sheet(section.label)
        rows = [unit_row(u, u.rank) for u in section.ranked]
        rows += [unit_row(u, INSUFFICIENT_SAMPLE) for u in section.insufficient]
        _table(sheet, UNIT_HEADERS, rows)
        sheet.freeze_panes = "D2"

    queue = workbook.create_sheet(QUEUE_SHEET)
    for kind, label in QUEUE_UNITS.items():
        append_row(queue, [f"按{label}"])
        queue.cell(queue.max_row, 1).font = BOLD
        _table(queue, [label] + [header for header, _ in QUEUE_COLUMNS],
               [[q.name] + [value(q) for _, value in QUEUE_COLUMNS]
                for q in report.queue.get(kind, [])])
        append_row(queue, [""])
    if report.service is not None:
        _service_sheets(workbook, report)
    if projects is not None:
        sheet = workbook.create_sheet(PROJECTS_SHEET)
        append_row(sheet, ["重点项目数", projects.count, "按时办结率", projects.on_time_rate])
        sheet["D1"].number_format = "0.0%"
        _table(sheet, PROJECT_HEADERS, [
            [p.code, p.name, p.enterprise_name, p.cases, p.completed, p.completed_on_time,
             p.open_overdue, p.on_time_rate] for p in projects.projects])
        for (cell,) in sheet.iter_rows(min_row=3, min_col=8, max_col=8):
            cell.number_format = "0.0%"

    definitions = workbook.create_sheet(DEFINITIONS_SHEET)
    _table(definitions, ["指标", "口径"], [[d.label, d.definition] for d in report.definitions])
    definitions.column_dimensions["B"].width = 100
    for row in definitions.iter_rows(min_row=2, min_col=2, max_col=2):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")

    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), report_file_name(report)


def _service_sheets(workbook, report: InspectionReport) -> None:
    """Consultation, the floor's questions, training coverage and suggestions: one sheet each."""
    service = report.service
    rows = [[c.place, "合计", c.asked, c.answered, c.answered_in_time, c.in_time_share]
            for c in service.consultations_by_place]
    rows += [[c.place, c.item, c.asked, c.answered, c.answered_in_time, c.in_time_share]
             for c in service.consultations]
    _table(workbook.create_sheet(CONSULTATION_SHEET), CONSULTATION_HEADERS, rows)
    _table(workbook.create_sheet(FLOOR_SHEET), ["场所", "问题类型", "当场解答", "引导至窗口"],
           [[f.place, f.kind, f.resolved, f.referred] for f in service.floor])
    _table(workbook.create_sheet(TRAINING_SHEET), TRAINING_HEADERS,
           [[t.place, t.staff, t.trained, t.coverage] for t in service.training])
    _table(workbook.create_sheet(SUGGESTION_SHEET), ["提出", "已答复"],
           [[service.suggestions_submitted, service.suggestions_answered]])


def _table(sheet, headers: list[str], rows: list[list]) -> None:
    append_row(sheet, headers)
    first = sheet.max_row
    for cell in sheet[first]:
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in rows:
        append_row(sheet, row)
    for index, header in enumerate(headers, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(10, min(24, len(header) * 2 + 2))
        number_format = ("0.0%" if header in PERCENT_COLUMNS | SERVICE_PERCENT_COLUMNS
                         else "0.00" if header in DECIMAL_COLUMNS else None)
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=first + 1, min_col=index, max_col=index):
                cell.number_format = number_format
