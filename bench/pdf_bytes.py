#!/usr/bin/env python3
"""Where the bytes of a PDF go, and what the font programs would weigh
with other choices. Used by bench/pdf.sh; needs qpdf and fontTools.

usage: pdf_bytes.py [--font-dir DIR]... [--label TEXT] FILE.pdf...

For each PDF: bytes by kind (font programs per font, ToUnicode CMaps, page
content streams, everything else), then for each embedded font program:
glyphs, uncompressed size, and what the same glyphs weigh
  - as embedded, recompressed with zlib level 9 (wengao uses 6);
  - subset again from the original font file with fontTools, CFF with its
    subroutines kept (as the original font has them) vs. desubroutinized
    (what `subsetter` 0.2.6 produces), each as the CFF table alone
    (bare CFF, FontFile3/CIDFontType0C) and zlib-compressed at level 6.
The original font is found by PostScript name in --font-dir folders
(default: /usr/local/share/fonts/fandol); its glyphs are chosen by the
Unicode text in the embedded font's ToUnicode CMap.
"""

import io
import json
import os
import re
import subprocess
import sys
import zlib

from fontTools import subset
from fontTools.cffLib import CFFFontSet
from fontTools.ttLib import TTCollection, TTFont


def qpdf_objects(path):
    out = subprocess.run(
        ["qpdf", "--json=2", "--json-key=qpdf", "--json-stream-data=none", path],
        check=True,
        capture_output=True,
    ).stdout
    return json.loads(out)["qpdf"][1]


def stream_data(path, num):
    return subprocess.run(
        ["qpdf", f"--show-object={num}", "--filtered-stream-data", path], check=True, capture_output=True
    ).stdout


def ref_num(ref):
    return int(ref.split()[0])


def parse_tounicode(cmap: bytes):
    text = set()
    s = cmap.decode("latin-1")
    for block in re.findall(r"beginbfchar(.*?)endbfchar", s, re.S):
        for _, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            text.update(bytes.fromhex(dst).decode("utf-16-be"))
    for block in re.findall(r"beginbfrange(.*?)endbfrange", s, re.S):
        for a, b, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            start = int(dst, 16)
            for i in range(int(b, 16) - int(a, 16) + 1):
                text.add(chr(start + i))
    return text


_font_index = None


def find_font(ps_name, dirs):
    global _font_index
    if _font_index is None:
        _font_index = {}
        for d in dirs:
            for root, _, files in os.walk(d):
                for f in files:
                    p = os.path.join(root, f)
                    if f.lower().endswith((".otf", ".ttf")):
                        faces = [0]
                    elif f.lower().endswith((".ttc", ".otc")):
                        faces = range(len(TTCollection(p, lazy=True).fonts))
                    else:
                        continue
                    for i in faces:
                        try:
                            name = TTFont(p, fontNumber=i, lazy=True)["name"].getDebugName(6)
                        except Exception:
                            continue
                        _font_index.setdefault(name, (p, i))
    return _font_index.get(ps_name)


def cff_subset(font, chars, desubroutinize):
    font_path, number = font
    opts = subset.Options()
    opts.desubroutinize = desubroutinize
    opts.layout_features = []
    opts.notdef_outline = True
    opts.name_IDs = []
    opts.hinting = True
    font = TTFont(font_path, fontNumber=number)
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=[ord(c) for c in chars])
    sub.subset(font)
    key = "CFF " if "CFF " in font else "glyf"
    if key == "CFF ":
        buf = io.BytesIO()
        font["CFF "].cff.compile(buf, font)
        raw = buf.getvalue()
    else:
        buf = io.BytesIO()
        font.save(buf)
        raw = buf.getvalue()
    return len(font.getGlyphOrder()), raw


def kib(n):
    return f"{n / 1024:.1f}"


def main():
    args = sys.argv[1:]
    dirs, files, label = [], [], None
    while args:
        a = args.pop(0)
        if a == "--font-dir":
            dirs.append(args.pop(0))
        elif a == "--label":
            label = args.pop(0)
        else:
            files.append((label or os.path.basename(a), a))
            label = None
    dirs = dirs or ["/usr/local/share/fonts/fandol"]

    for label, path in files:
        objs = qpdf_objects(path)
        total = os.path.getsize(path)
        kinds = {"font programs": 0, "ToUnicode CMaps": 0, "page contents": 0}
        fonts = []
        contents = set()
        for k, v in objs.items():
            val = v.get("value")
            if isinstance(val, dict) and val.get("/Type") == "/Page":
                c = val.get("/Contents")
                for r in c if isinstance(c, list) else [c]:
                    contents.add(ref_num(r))
        for k, v in objs.items():
            val = v.get("value")
            if isinstance(val, dict) and val.get("/Subtype") == "/Type0":
                desc = objs[f"obj:{val['/DescendantFonts'][0]}"]["value"]
                fd = objs[f"obj:{desc['/FontDescriptor']}"]["value"]
                ff = fd.get("/FontFile3") or fd.get("/FontFile2") or fd.get("/FontFile")
                tu = val.get("/ToUnicode")
                fonts.append((val["/BaseFont"].lstrip("/"), ref_num(ff), ref_num(tu) if tu else None))
        length = lambda n: objs[f"obj:{n} 0 R"]["stream"]["dict"]["/Length"]
        for _, ff, tu in fonts:
            kinds["font programs"] += length(ff)
            if tu:
                kinds["ToUnicode CMaps"] += length(tu)
        for n in contents:
            kinds["page contents"] += length(n)
        kinds["everything else (objects, /W, outline, xref)"] = total - sum(kinds.values())

        print(f"\n#### {label}: {os.path.basename(path)}, {kib(total)} KiB\n")
        print("| part | KiB | share |\n|---|---:|---:|")
        for k, n in kinds.items():
            print(f"| {k} | {kib(n)} | {100 * n / total:.0f}% |")

        print(
            "\n| font | glyphs | program raw KiB | embedded (zlib 6) KiB | zlib 9 KiB"
            " | fontTools CFF, subrs kept: raw / zlib 6 KiB | fontTools CFF, desubroutinized: raw / zlib 6 KiB |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|")
        sums = [0, 0, 0, 0]
        for name, ff, tu in fonts:
            prog = stream_data(path, ff)
            try:
                glyphs = len(TTFont(io.BytesIO(prog)).getGlyphOrder())
            except Exception:
                try:  # a bare CFF program (FontFile3 /CIDFontType0C)
                    cff = CFFFontSet()
                    cff.decompile(io.BytesIO(prog), None)
                    glyphs = len(cff[cff.fontNames[0]].CharStrings)
                except Exception:
                    glyphs = "?"
            z9 = len(zlib.compress(prog, 9))
            emb = length(ff)
            sums[0] += emb
            sums[1] += z9
            kept = desub = "n/a"
            ps = name.split("+", 1)[-1].removesuffix("-Identity-H")
            orig = find_font(ps, dirs)
            if orig and tu:
                chars = parse_tounicode(stream_data(path, tu))
                _, k_raw = cff_subset(orig, chars, False)
                _, d_raw = cff_subset(orig, chars, True)
                kz, dz = len(zlib.compress(k_raw, 6)), len(zlib.compress(d_raw, 6))
                sums[2] += kz
                sums[3] += dz
                kept = f"{kib(len(k_raw))} / {kib(kz)}"
                desub = f"{kib(len(d_raw))} / {kib(dz)}"
            print(f"| {name} | {glyphs} | {kib(len(prog))} | {kib(emb)} | {kib(z9)} | {kept} | {desub} |")
        ft = lambda n: f"**{kib(n)}**" if n else "n/a"
        print(f"| **all fonts** | | | **{kib(sums[0])}** | **{kib(sums[1])}** | {ft(sums[2])} | {ft(sums[3])} |")


if __name__ == "__main__":
    main()
