#!/usr/bin/env python3
"""Turn wengao's rendered Markdown (`wengao build -f md`) into an equivalent
Typst file for the side-by-side timing in bench/pdf.sh.

Only what the benchmark documents use: front matter (title, subtitle,
signature, date), `##`/`###` headings numbered 一、/（一） as wengao's
`numbering: auto` does, paragraphs, `**bold**` runs and pipe tables. The page
set-up follows GB/T 9704-2012 as wengao lays it out: A4, text block
156 × 225 mm from 37 mm top / 28 mm left, 22 lines of 28 characters, 仿宋 16 pt
body (family "FandolFang R" in Typst), 标宋 22 pt title, 黑体/楷体 headings, page numbers "— N —" in Song 14 pt,
with the Fandol fonts. It is a comparison document, not a replica: Typst's
line breaking and spacing rules are its own.

usage: md2typ.py IN.md OUT.typ
"""

import re
import sys

CN = "零一二三四五六七八九十"


def cn_num(n: int) -> str:
    if n <= 10:
        return CN[n]
    if n < 20:
        return "十" + CN[n - 10]
    return CN[n // 10] + "十" + (CN[n % 10] if n % 10 else "")


def esc(s: str) -> str:
    return re.sub(r'([\\#*_$@<>\[\]~`=/+-])', r"\\\1", s)


def inline(s: str) -> str:
    out, pos = [], 0
    for m in re.finditer(r"\*\*(.+?)\*\*", s):
        out.append(esc(s[pos : m.start()]))
        out.append("#strong[" + esc(m.group(1)) + "]")
        pos = m.end()
    out.append(esc(s[pos:]))
    return "".join(out)


def main() -> None:
    src, dst = sys.argv[1], sys.argv[2]
    text = open(src, encoding="utf-8").read()
    meta = {}
    m = re.match(r"---\n(.*?)\n---\n", text, re.S)
    if m:
        for line in m.group(1).splitlines():
            k, _, v = line.partition(":")
            meta[k.strip()] = v.strip().strip('"')
        text = text[m.end() :]

    out = [
        '#set page(paper: "a4", margin: (top: 37mm, left: 28mm, right: 26mm, bottom: 35mm),',
        "  footer-descent: 7mm,",
        '  footer: context text(font: "FandolSong", weight: "bold", size: 14pt,',
        "    align(if calc.odd(here().page()) { right } else { left })[— #counter(page).display() —]))",
        '#set text(font: "FandolFang R", size: 16pt, lang: "zh", region: "cn", top-edge: 1em, bottom-edge: 0pt)',
        "#set par(justify: true, first-line-indent: (amount: 2em, all: true), leading: 28.95pt - 1em, spacing: 28.95pt - 1em)",
        '#show heading: set text(size: 16pt, weight: "regular")',
        "// no bold cut of FandolFang/FandolKai: a stroked regular, like wengao's synthetic bold (1/30 em)",
        '#show strong: set text(weight: "regular", stroke: 0.53pt)',
        '#show heading.where(level: 1): set text(font: "FandolHei")',
        '#show heading.where(level: 2): set text(font: "FandolKai")',
        "#show heading: set block(above: 28.95pt - 1em, below: 28.95pt - 1em)",
        "#show heading: it => par(first-line-indent: (amount: 2em, all: true), it.body)",
        "",
    ]
    if meta.get("title"):
        out.append(
            '#align(center, text(font: "FandolSong", size: 22pt, weight: "bold")['
            + esc(meta["title"])
            + "])"
        )
        out.append("#v(28.95pt - 1em)")
    if meta.get("subtitle"):
        out.append('#align(center, text(font: "FandolKai")[' + esc(meta["subtitle"]) + "])")
        out.append("")

    h1 = h2 = 0
    para: list[str] = []
    lines = text.splitlines()

    def flush() -> None:
        if para:
            out.append(inline("".join(para)))
            out.append("")
            para.clear()

    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if not line:
            flush()
        elif line.startswith("### "):
            flush()
            h2 += 1
            out.append("== （" + cn_num(h2) + "）" + inline(line[4:]))
            out.append("")
        elif line.startswith("## "):
            flush()
            h1 += 1
            h2 = 0
            out.append("= " + cn_num(h1) + "、" + inline(line[3:]))
            out.append("")
        elif line.startswith("|"):
            flush()
            rows = []
            while i < len(lines) and lines[i].strip().startswith("|"):
                rows.append([c.strip() for c in lines[i].strip().strip("|").split("|")])
                i += 1
            header, rule, body = rows[0], rows[1], rows[2:]
            aligns = ["right" if r.endswith(":") and not r.startswith(":") else "left" for r in rule]
            cells = ", ".join("[" + inline(c) + "]" for row in [header] + body for c in row)
            out.append(
                "#align(center, text(size: 14pt, table(columns: "
                + str(len(header))
                + ", align: ("
                + ", ".join(aligns)
                + "), inset: (x: 6pt, y: 4pt), "
                + cells
                + ")))"
            )
            out.append("")
            continue
        else:
            para.append(line)
        i += 1
    flush()

    if meta.get("signature"):
        out.append("#v(2 * (28.95pt - 1em) + 16pt)")
        out.append("#align(right)[" + esc(meta["signature"]) + "#h(4em)]")
    if meta.get("date"):
        y, mo, d = (int(x) for x in meta["date"].split("-"))
        out.append("#align(right)[" + f"{y}年{mo}月{d}日" + "#h(4em)]")

    with open(dst, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
