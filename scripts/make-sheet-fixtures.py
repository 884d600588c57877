#!/usr/bin/env python3
"""Write the committed spreadsheet fixtures (.xlsx, .csv) wengao reads.

The files are committed, so neither the tests nor `wengao init` need Python:
run this only to change them (`pip install openpyxl pyyaml`, then
`python3 scripts/make-sheet-fixtures.py` from the repository root) and
commit the result. The workbook's creation time is fixed here, but the
zip entries carry the time of writing, so a regenerated file differs in
bytes: commit it only when its content changed. (`wengao init` copies the
committed bytes, so its output is the same on every run.)

- templates/summary/data/proposals.xlsx: data/proposals.yaml as a county
  office keeps it — a title row merged across the table, a 序号 column,
  Chinese headers, dates as Excel date cells, 是/否 for yes/no. `wengao init
  --kind summary` installs it instead of proposals.yaml, and
  tests/sheets.rs checks that it builds the very bytes the YAML does.
- tests/sheets/proposals.csv: the same records as CSV (field names as
  headers, dates as text).
- tests/sheets/counties.xlsx: a `[matrix]` collection as a workbook.
- tests/bad-inputs/sheet-*/data/*.xlsx: workbooks with the mistakes those
  cases are about.
"""

import csv
import datetime
import io
import sys
from pathlib import Path

import openpyxl
import yaml

ROOT = Path(__file__).resolve().parent.parent
FIXED = datetime.datetime(2024, 1, 1)

HEADERS = [
    ("id", "提案号"),
    ("title", "案由"),
    ("category", "类别"),
    ("submitted_by", "提案人"),
    ("collective", "集体提案"),
    ("handled_by", "办理单位"),
    ("status", "办理状态"),
    ("satisfaction", "满意度"),
    ("date", "提交日期"),
    ("priority", "重点提案"),
]


def workbook():
    wb = openpyxl.Workbook()
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    wb.properties.creator = "wengao"
    return wb


def save(wb, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    print(path.relative_to(ROOT))


def cell_value(field, value):
    if isinstance(value, bool):
        return "是" if value else "否"
    if field == "date" and isinstance(value, str):
        return value  # typed as text: a day that does not exist stays as typed
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day)
    return value


def proposals_sheet(ws, proposals, title=True):
    row = 1
    width = len(HEADERS) + 1
    if title:
        ws.cell(row=1, column=1, value="青溪县政协2023年提案办理情况统计表")
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        row = 2
    ws.cell(row=row, column=1, value="序号")
    for c, (_, zh) in enumerate(HEADERS, start=2):
        ws.cell(row=row, column=c, value=zh)
    for i, p in enumerate(proposals, start=1):
        ws.cell(row=row + i, column=1, value=i)
        for c, (field, _) in enumerate(HEADERS, start=2):
            if field in p:
                cell = ws.cell(row=row + i, column=c, value=cell_value(field, p[field]))
                if field == "date":
                    cell.number_format = "yyyy-mm-dd"


def main():
    data = yaml.safe_load((ROOT / "data/proposals.yaml").read_text(encoding="utf-8"))["proposals"]

    wb = workbook()
    ws = wb.active
    ws.title = "办理情况"
    proposals_sheet(ws, data)
    save(wb, ROOT / "templates/summary/data/proposals.xlsx")

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([f for f, _ in HEADERS])
    for p in data:
        writer.writerow([str(p[f]).lower() if isinstance(p[f], bool) else str(p[f]) for f, _ in HEADERS])
    path = ROOT / "tests/sheets/proposals.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(out.getvalue(), encoding="utf-8")
    print(path.relative_to(ROOT))

    few = [dict(p) for p in data[:6]]

    # Bad cells: a day that does not exist typed as text, a status that is
    # no status, a share over 100, an unknown header, an Excel error.
    bad = [dict(p) for p in few]
    bad[1]["date"] = "2023-02-30"
    bad[3]["status"] = "已办"
    bad[4]["satisfaction"] = 120
    wb = workbook()
    ws = wb.active
    ws.title = "办理情况"
    proposals_sheet(ws, bad)
    ws.cell(row=2, column=len(HEADERS) + 2, value="联系电话")
    ws.cell(row=3, column=len(HEADERS) + 2, value="13800000000")
    ws.cell(row=8, column=9, value="#DIV/0!")
    save(wb, ROOT / "tests/bad-inputs/sheet-bad-cells/data/proposals.xlsx")

    # No 办理状态 column.
    wb = workbook()
    ws = wb.active
    ws.title = "办理情况"
    proposals_sheet(ws, few, title=False)
    ws.delete_cols(8)
    save(wb, ROOT / "tests/bad-inputs/sheet-missing-column/data/proposals.xlsx")

    # Two sheets with records, neither named after the data.
    wb = workbook()
    ws = wb.active
    ws.title = "一季度"
    proposals_sheet(ws, few[:3], title=False)
    proposals_sheet(wb.create_sheet("二季度"), few[3:], title=False)
    wb.create_sheet("Sheet3")
    save(wb, ROOT / "tests/bad-inputs/sheet-two-sheets/data/proposals.xlsx")

    # Header cells merged over two columns that both hold values.
    wb = workbook()
    ws = wb.active
    ws.title = "办理情况"
    proposals_sheet(ws, few, title=False)
    ws.cell(row=1, column=5, value="提案人")
    ws.cell(row=1, column=6, value=None)
    ws.merge_cells(start_row=1, start_column=5, end_row=1, end_column=6)
    save(wb, ROOT / "tests/bad-inputs/sheet-merged-header/data/proposals.xlsx")

    # A [matrix] collection kept as a workbook: one row an item, `key` naming it.
    wb = workbook()
    ws = wb.active
    ws.title = "各县"
    ws.append(["key", "名称", "委员人数"])
    ws.append(["qingxi", "青溪县", 210])
    ws.append(["lixian", "澧县", 180])
    save(wb, ROOT / "tests/sheets/counties.xlsx")

    # The same records as YAML and as a workbook.
    wb = workbook()
    ws = wb.active
    ws.title = "办理情况"
    proposals_sheet(ws, few, title=False)
    save(wb, ROOT / "tests/bad-inputs/sheet-and-yaml/data/proposals.xlsx")
    return 0


if __name__ == "__main__":
    sys.exit(main())
