#!/usr/bin/env python3
"""Check wengao's OFD files with two independent readers.

For each FILE.ofd (built together with FILE.pdf and FILE.txt):

- structure: OFD.xml names a DocRoot; every page, font and image the
  document names is in the package; every font is embedded (FontFile);
- easyofd (PyPI) parses it: its pages are the PDF's pages, its text is the
  PDF's text (similarity >= --min-similarity) and wengao's txt (>= --min-txt),
  and it converts it back to PDF, whose characters (PyMuPDF) stand where
  wengao's PDF has them (within --max-distance pt, for --min-placed of them);
- ofd.js (npm; scripts/ofd/ofdjs-text.js under jsdom) renders it: the same
  page count, text and placement checks on what it draws.

The PDF's own text holds the page numbers and the header rows a long table
repeats on each page, which the txt does not, so the txt bound is the one
scripts/conformance.sh sets for wengao's PDF (0.98); against the PDF, whose
glyphs the OFD carries one for one, the bound is 0.99.

easyofd draws every character of its PDF in one face, which it registers
from a file `simsun.ttc` it looks for in the working folder (a Windows
font), and reportlab cannot read CFF (PostScript-outline) fonts such as the
embedded Fandol and Noto subsets at all. --easyofd-font names a TrueType
CJK font to offer it under that name (CI: WenQuanYi Zen Hei out of Debian's
package, unpacked, not installed, so wengao's own font choice is unchanged).

usage: check-ofd.py [--node-path DIR] [--easyofd-font FILE.ttc] FILE.ofd ...
Prints PASS/FAIL lines; exit 1 if any check fails.
"""

import argparse
import difflib
import json
import logging
import os
import re
import subprocess
import sys
import tempfile
import warnings
import zipfile
import xml.etree.ElementTree as ET
from pathlib import Path

NS = {"ofd": "http://www.ofdspec.org/2016"}
HERE = Path(__file__).resolve().parent


def text_of(s):
    return re.sub(r"\s+", "", s)


def similarity(a, b):
    a, b = text_of(a), text_of(b)
    if not a and not b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def structure(path):
    """Problems with the package's structure (an empty list if none)."""
    problems = []
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        if "OFD.xml" not in names:
            return ["no OFD.xml"]
        entry = ET.fromstring(z.read("OFD.xml"))
        root = entry.findtext("ofd:DocBody/ofd:DocRoot", namespaces=NS)
        if not root or root not in names:
            return [f"DocRoot {root!r} is not in the package"]
        base = root.rsplit("/", 1)[0] + "/"
        doc = ET.fromstring(z.read(root))
        for page in doc.findall("ofd:Pages/ofd:Page", NS):
            if base + page.get("BaseLoc", "") not in names:
                problems.append(f"page {page.get('ID')}: {page.get('BaseLoc')} missing")
        for res_name in [e.text for e in doc.findall("ofd:CommonData/ofd:PublicRes", NS)] + [
            e.text for e in doc.findall("ofd:CommonData/ofd:DocumentRes", NS)
        ]:
            if base + res_name not in names:
                problems.append(f"{res_name} missing")
                continue
            res = ET.fromstring(z.read(base + res_name))
            res_base = base + (res.get("BaseLoc") + "/" if res.get("BaseLoc") else "")
            for font in res.findall("ofd:Fonts/ofd:Font", NS):
                file = font.findtext("ofd:FontFile", namespaces=NS)
                if not file:
                    problems.append(f"font {font.get('FontName')} is not embedded")
                elif res_base + file not in names:
                    problems.append(f"font file {file} missing")
            for media in res.findall("ofd:MultiMedias/ofd:MultiMedia", NS):
                file = media.findtext("ofd:MediaFile", namespaces=NS)
                if res_base + (file or "") not in names:
                    problems.append(f"image file {file} missing")
    return problems


def pdf_chars(pdf_path):
    """Per page: (width in pt, [(char, x, baseline y)]) in pt from the top-left."""
    warnings.simplefilter("ignore")
    import fitz  # PyMuPDF, installed with easyofd

    pages = []
    with fitz.open(pdf_path) as doc:
        for page in doc:
            chars = []
            for block in page.get_text("rawdict")["blocks"]:
                for line in block.get("lines", []):
                    for span in line["spans"]:
                        for ch in span["chars"]:
                            if ch["c"].strip():
                                chars.append((ch["c"], ch["origin"][0], ch["origin"][1]))
            pages.append((page.rect.width, chars))
    return pages


def pdf_text(pdf_path):
    """The PDF's text in drawing order (pdftotext -raw)."""
    out = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf_path), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def placement(reader_pages, wengao_pages, max_distance):
    """Share of the reader's characters that wengao's PDF has, same character,
    within max_distance pt on the same page; and the worst distance found."""
    total = near = 0
    worst = 0.0
    for (_, got), (_, want) in zip(reader_pages, wengao_pages):
        by_char = {}
        for c, x, y in want:
            by_char.setdefault(c, []).append((x, y))
        for c, x, y in got:
            total += 1
            spots = by_char.get(c)
            if not spots:
                worst = max(worst, float("inf"))
                continue
            d = min(((x - sx) ** 2 + (y - sy) ** 2) ** 0.5 for sx, sy in spots)
            worst = max(worst, d)
            near += d <= max_distance
    return (near / total if total else 1.0), worst


def easyofd_read(path, font, work):
    """easyofd's pages (text) and the PDF it converts the OFD to."""
    logging.disable(logging.WARNING)
    warnings.simplefilter("ignore")
    from loguru import logger

    logger.remove()
    cwd = os.getcwd()
    os.chdir(work)  # easyofd writes its temporary font files into the working folder
    try:
        if font and not os.path.exists("simsun.ttc"):
            os.symlink(font, "simsun.ttc")
        from easyofd.ofd import OFD

        reader = OFD()
        # easyofd prints as it goes; keep stdout for the results.
        with open(os.devnull, "w") as null:
            saved = os.dup(1)
            os.dup2(null.fileno(), 1)
            try:
                reader.read(str(path), fmt="path")
                pdf = reader.to_pdf()
            finally:
                os.dup2(saved, 1)
                os.close(saved)
    finally:
        os.chdir(cwd)
    doc = reader.data[0]
    pages = doc["page_info"]
    texts = ["".join(t["text"] for t in pages[n].get("text_list", [])) for n in sorted(pages)]
    return texts, pdf


def ofdjs_read(path, node_path):
    env = dict(os.environ, NODE_PATH=node_path) if node_path else None
    out = subprocess.run(
        ["node", str(HERE / "ofdjs-text.js"), str(path)], capture_output=True, env=env, timeout=600
    )
    if out.returncode != 0:
        raise RuntimeError(out.stderr.decode("utf-8", "replace").strip()[-2000:])
    return json.loads(out.stdout)["pages"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--node-path", help="folder holding ofd.js and jsdom (node_modules)")
    ap.add_argument("--easyofd-font", help="TrueType CJK font easyofd draws its PDF with")
    ap.add_argument("--min-similarity", type=float, default=0.99)
    ap.add_argument("--min-txt", type=float, default=0.98)
    ap.add_argument("--max-distance", type=float, default=1.0, help="pt")
    ap.add_argument("--min-placed", type=float, default=0.99)
    a = ap.parse_args()
    failed = False
    font = str(Path(a.easyofd_font).resolve()) if a.easyofd_font else None

    def check(name, ok, detail):
        nonlocal failed
        print(f"{'PASS' if ok else 'FAIL'} {name}: {detail}")
        failed |= not ok

    for path in a.files:
        print(f"== {path}")
        pdf, txt = path.with_suffix(".pdf"), path.with_suffix(".txt")
        problems = structure(path)
        check("structure", not problems, "; ".join(problems) or "OFD.xml → Document.xml → pages, fonts, images")
        want_pages = pdf_chars(pdf)
        want_text = pdf_text(pdf)
        txt_text = txt.read_text(encoding="utf-8") if txt.exists() else None

        with tempfile.TemporaryDirectory() as work:
            try:
                texts, back = easyofd_read(path.resolve(), font, work)
            except Exception as e:  # a reader that fails on the file fails the check
                check("easyofd", False, f"cannot read: {e!r}")
                texts = back = None
            if texts is not None:
                got = "".join(texts)
                check("easyofd-pages", len(texts) == len(want_pages), f"{len(texts)} pages, PDF {len(want_pages)}")
                r = similarity(want_text, got)
                check("easyofd-text", r >= a.min_similarity, f"similarity to the PDF {r:.4f}")
                if txt_text is not None:
                    r = similarity(txt_text, got)
                    check("easyofd-text-txt", r >= a.min_txt, f"similarity to the txt {r:.4f}")
                back_pdf = Path(work) / "easyofd.pdf"
                back_pdf.write_bytes(back)
                # easyofd's pages are larger than A4 (it draws at its own scale): compare in proportion.
                got_pages = [
                    (w, [(c, x * want_w / w, y * want_w / w) for c, x, y in chars])
                    for (w, chars), (want_w, _) in zip(pdf_chars(back_pdf), want_pages)
                ]
                check("easyofd-pdf-pages", len(got_pages) == len(want_pages), f"{len(got_pages)} pages")
                r = similarity(want_text, pdf_text(back_pdf))
                check("easyofd-pdf-text", r >= a.min_similarity, f"pdftotext similarity to the PDF {r:.4f}")
                share, worst = placement(got_pages, want_pages, a.max_distance)
                check(
                    "easyofd-pdf-placement",
                    share >= a.min_placed,
                    f"{share:.2%} of characters within {a.max_distance} pt of the PDF's (worst {worst:.2f} pt)",
                )

        try:
            pages = ofdjs_read(path, a.node_path)
        except Exception as e:
            check("ofd.js", False, f"cannot read: {e}")
            continue
        check("ofdjs-pages", len(pages) == len(want_pages), f"{len(pages)} pages, PDF {len(want_pages)}")
        got = "".join(c for p in pages for c, _, _ in p["chars"])
        r = similarity(want_text, got)
        check("ofdjs-text", r >= a.min_similarity, f"similarity to the PDF {r:.4f}")
        if txt_text is not None:
            r = similarity(txt_text, got)
            check("ofdjs-text-txt", r >= a.min_txt, f"similarity to the txt {r:.4f}")
        scaled = []
        for p, (width, _) in zip(pages, want_pages):
            k = width / p["width"] if p["width"] else 1.0
            scaled.append((width, [(c, x * k, y * k) for c, x, y in p["chars"]]))
        share, worst = placement(scaled, want_pages, a.max_distance)
        check(
            "ofdjs-placement",
            share >= a.min_placed,
            f"{share:.2%} of characters within {a.max_distance} pt of the PDF's (worst {worst:.2f} pt)",
        )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
