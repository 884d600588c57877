#!/usr/bin/env python3
"""The comparison rows of bench/run.sh: the same documents (one county's
经验材料 each, as wengao renders it to Markdown) made by other tools, in
batches, each batch in one process where the tool allows it.

    python3 bench/compare.py MD_DIR WORK FANDOL_DIR

MD_DIR holds `<key>/experience.md` (`wengao build DIR -f md`). Prints one
Markdown table row per tool: | tool | what | documents | wall s | CPU s |
CPU ms per document | documents per wall second |. CPU is user + system:
of this Python process for the tools run in it (Typst, docxtpl), of the
child processes for the others (LibreOffice, pandoc); on a machine busy
with other jobs it is the steadier figure.

- Typst (PyPI `typst`): each Markdown → .typ by bench/md2typ.py (GB/T 9704
  page set-up, the same Fandol fonts), then one `typst.Compiler` (fonts
  loaded once) compiles every file to PDF in this process.
- docxtpl: a .docx template (made here with python-docx: A4, GB/T 9704
  margins, 仿宋 16 pt body, 黑体 headings, 标宋 title) filled with each
  county's title, headings and paragraphs, rendered and saved in this
  process; then LibreOffice converts all of them to PDF in one
  `soffice --headless --convert-to pdf` invocation.
- pandoc: Markdown → DOCX, one process per file (pandoc has no batch mode).
"""

import os
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
MD_DIR, WORK, FANDOL = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
mds = sorted(MD_DIR.glob("*/experience.md"))
n = len(mds)


def cpu_now():
    """CPU seconds (user + system) so far of this process and of its waited-for children."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, kids.ru_utime + kids.ru_stime


def row(tool, what, seconds, cpu, unit):
    print(f"| {tool} | {what} | {n} | {seconds:.2f} | {cpu:.2f} | {cpu / n * 1000:.1f} | {n / seconds:.1f} {unit}/s |",
          flush=True)


def blocks(md):
    """(title, [(is_heading, text)]) of a rendered Markdown file."""
    text = md.read_text(encoding="utf-8")
    title = ""
    if text.startswith("---"):
        front, _, text = text[3:].partition("\n---")
        m = re.search(r"^title:\s*(.+)$", front, re.M)
        title = m.group(1).strip().strip("\"'") if m else ""
    out = []
    for para in re.split(r"\n\s*\n", text):
        para = " ".join(l.strip() for l in para.strip().splitlines())
        if not para or para.startswith("|") or para.startswith("<!--"):
            continue
        h = para.startswith("#")
        out.append((h, re.sub(r"\*\*(.+?)\*\*", r"\1", para.lstrip("# ").strip())))
    return title, out


# Typst.
try:
    import typst

    tdir = WORK / "typst"
    tdir.mkdir(parents=True, exist_ok=True)
    typs = []
    for md in mds:
        t = tdir / f"{md.parent.name}.typ"
        subprocess.run([sys.executable, str(HERE / "md2typ.py"), str(md), str(t)], check=True)
        typs.append(t)
    t0, (c0, _) = time.perf_counter(), cpu_now()
    c = typst.Compiler(str(typs[0]), font_paths=[FANDOL], ignore_system_fonts=True)
    for t in typs:
        c.compile(input=str(t), output=str(t.with_suffix(".pdf")))
    row(f"Typst {typst.__version__ if hasattr(typst, '__version__') else ''} (PyPI)".replace("  ", " "),
        "PDF, one `typst.Compiler` in one Python process", time.perf_counter() - t0, cpu_now()[0] - c0, "PDFs")
except ImportError:
    print("| Typst | `pip install typst` to measure | – | – | – | – | – |")

# docxtpl, then LibreOffice.
try:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt
    from docxtpl import DocxTemplate

    ddir = WORK / "docxtpl"
    ddir.mkdir(parents=True, exist_ok=True)
    tpl = docx.Document()
    sec = tpl.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)

    def font(style, name, size, bold=False):
        style.font.name, style.font.size, style.font.bold = name, Pt(size), bold
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)

    font(tpl.styles["Normal"], "FandolFang R", 16)
    font(tpl.styles["Heading 1"], "FandolHei", 16)
    font(tpl.styles["Title"], "FandolSong", 22, bold=True)
    tpl.add_paragraph("{{ title }}", style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
    tpl.add_paragraph("{%p for b in blocks %}")
    tpl.add_paragraph("{%p if b.h %}")
    tpl.add_paragraph("{{ b.t }}", style="Heading 1")
    tpl.add_paragraph("{%p else %}")
    p = tpl.add_paragraph("{{ b.t }}")
    p.paragraph_format.first_line_indent = Pt(32)
    tpl.add_paragraph("{%p endif %}")
    tpl.add_paragraph("{%p endfor %}")
    tpl_path = WORK / "county-template.docx"
    tpl.save(tpl_path)
    data = [(md.parent.name, blocks(md)) for md in mds]
    t0, (c0, _) = time.perf_counter(), cpu_now()
    for key, (title, bl) in data:
        d = DocxTemplate(str(tpl_path))
        d.render({"title": title, "blocks": [{"h": h, "t": t} for h, t in bl]})
        d.save(str(ddir / f"{key}.docx"))
    row("docxtpl " + __import__("importlib.metadata").metadata.version("docxtpl"),
        "DOCX, one Python process", time.perf_counter() - t0, cpu_now()[0] - c0, "DOCX")
    if shutil.which("soffice"):
        pdir = WORK / "lo-pdf"
        profile = WORK / "lo-profile"
        docs = sorted(str(p) for p in ddir.glob("*.docx"))
        t0, (_, k0) = time.perf_counter(), cpu_now()
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(pdir)] + docs, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        lo = time.perf_counter() - t0
        row("LibreOffice (soffice --headless --convert-to pdf)", "the docxtpl DOCX → PDF, one invocation", lo,
            cpu_now()[1] - k0, "PDFs")
    else:
        print("| LibreOffice | not installed | – | – | – | – | – |")
except ImportError:
    print("| docxtpl | `pip install docxtpl` to measure | – | – | – | – | – |")

# pandoc.
if shutil.which("pandoc"):
    pdir = WORK / "pandoc"
    pdir.mkdir(parents=True, exist_ok=True)
    t0, (_, k0) = time.perf_counter(), cpu_now()
    for md in mds:
        subprocess.run(["pandoc", "-f", "markdown", "-o", str(pdir / f"{md.parent.name}.docx"), str(md)], check=True)
    wall, cpu = time.perf_counter() - t0, cpu_now()[1] - k0
    ver = subprocess.run(["pandoc", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    row(ver, "Markdown → DOCX, one process per file", wall, cpu, "DOCX")
else:
    print("| pandoc | `apt-get install -y pandoc` to measure | – | – | – | – | – |")
