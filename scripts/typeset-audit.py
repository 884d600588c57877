#!/usr/bin/env python3
"""What a 文秘 would still fix by hand on a GB/T 9704 PDF, measured.

For each PDF given:
  line-width   no line of body text (16 pt) holds glyphs wider in all than
               28.5 characters: punctuation is never squeezed to pull a
               character up (28 a line, the 29th goes down).
  title-room   every title line (the black text on page 1 of 20 pt and up;
               a 公文's red 发文机关标志 is as wide as it is drawn)
               leaves at least 0.9 of its own character size free at each
               side of the 156 mm block, and none holds one character alone.
  short-pages  a page of running text that ends a row early (21 lines, the
               last at the foot of the block) does so for a reason: the
               next page opens with a paragraph, heading, caption or table
               that would not fit (kept together), or with the two last
               lines of a paragraph whose last line would have stood alone.
  page-number  the page numbers ("— N —" under the block) are set in a
               regular face, not bold (GB/T 9704 §7.5: 4号半角宋体); they
               count from the first page, or from 1 after unnumbered front
               pages (a collection's cover and 目录), and run on from page
               to page, odd right and even left.

Prints PASS/FAIL per check and file; exit status 1 if any check failed.
Needs pdfplumber.

usage: scripts/typeset-audit.py FILE.pdf...
"""
import re
import sys

import pdfplumber

MM = 72 / 25.4
LEFT, RIGHT = 28 * MM, 184 * MM
BLOCK_TOP, BLOCK_BOTTOM = 37 * MM, 262 * MM
MAX_CHARS = 28.5


def is_red(char):
    """A character painted in colour (the 公文's red mark), not black."""
    colour = char.get("non_stroking_color")
    if isinstance(colour, (list, tuple)) and len(colour) == 3:
        r, g, b = colour
        return r > 0.5 and g < 0.5 and b < 0.5
    return False


def rows(chars):
    """Characters grouped into lines by their top, left to right."""
    out = {}
    for c in chars:
        out.setdefault(round(c["top"], 1), []).append(c)
    return [sorted(cs, key=lambda c: c["x0"]) for _, cs in sorted(out.items())]


def audit(path):
    failures = []
    with pdfplumber.open(path) as pdf:
        widest = 0.0
        pages_lines = []  # per page: (lines of 16 pt body text, every line in the block)
        numbers = set()
        numbered = []  # (page, number printed, left, right)
        for n, page in enumerate(pdf.pages, 1):
            body = [c for c in page.chars if abs(c["size"] - 16) < 0.2 and c["bottom"] <= BLOCK_BOTTOM + 2]
            inside = [c for c in page.chars if c["bottom"] <= BLOCK_BOTTOM + 2 and c["text"].strip()]
            pages_lines.append((rows([c for c in body if c["text"].strip()]), rows(inside)))
            for line in rows(body):
                glyphs = sum(c["x1"] - c["x0"] for c in line if c["text"].strip())
                chars = glyphs / 16
                widest = max(widest, chars)
                if chars > MAX_CHARS + 1e-6:
                    text = "".join(c["text"] for c in line)
                    failures.append(f"line-width: p{n} holds {chars:.2f} characters of glyphs: {text[:20]}…")
            below = [c for c in page.chars if c["top"] > BLOCK_BOTTOM - 2]
            for line in rows(below):
                text = "".join(c["text"] for c in line).replace(" ", "")
                found = re.fullmatch(r"[—\-－–](\d+)[—\-－–]", text)
                if found:
                    numbers.update(c["fontname"].split("+")[-1] for c in line)
                    numbered.append((n, int(found.group(1)), line[0]["x0"], line[-1]["x1"]))
        # A line that opens a paragraph or heading is indented (or centred,
        # or not body text at all); a paragraph's other lines start at the
        # margin.
        def opens(line):
            return line[0]["x0"] > LEFT + 16 or abs(line[0]["size"] - 16) >= 0.2
        pitch = (BLOCK_BOTTOM - BLOCK_TOP) / 22
        short_pages = 0
        for n, (body, every) in enumerate(pages_lines, 1):
            full = body and len(body) == len(every) and body[-1][0]["bottom"] >= BLOCK_BOTTOM - 1.5 * pitch
            if not full or len(body) != 21:
                continue
            short_pages += 1
            following = pages_lines[n][1] if n < len(pages_lines) else []
            orphan = not following or opens(following[0])
            widow = len(following) < 3 or opens(following[2])
            if not (orphan or widow):
                text = "".join(c["text"] for c in following[0])
                failures.append(f"short-pages: p{n} ends a row early and p{n + 1} opens inside a paragraph: {text[:20]}…")
        if pdf.pages:
            # The title, not a 公文's red 发文机关标志 (set as wide as the block).
            big = [c for c in pdf.pages[0].chars if c["size"] >= 20 and not is_red(c)]
            for line in rows(big):
                size = line[0]["size"]
                text = "".join(c["text"] for c in line)
                room = min(line[0]["x0"] - LEFT, RIGHT - line[-1]["x1"]) / size
                if room < 0.9:
                    failures.append(f"title-room: `{text}` leaves {room:.2f} of a character at a side")
                if len(text.strip()) == 1:
                    failures.append(f"title-room: `{text}` is one character alone on a title line")
        bold = sorted(f for f in numbers if "bold" in f.lower())
        if bold:
            failures.append(f"page-number: set in a bold face ({', '.join(bold)})")
        # Numbers run on from page to page (pages before the first may have
        # none: a collection's cover and 目录), odd right, even left.
        offsets = {page - number for page, number, _, _ in numbered}
        if len(offsets) > 1:
            failures.append(f"page-number: the numbers do not run on: {[(p, n) for p, n, _, _ in numbered][:6]}")
        for page, number, x0, x1 in numbered:
            if number % 2 == 1 and x1 < RIGHT - 2 * 14 - 3:
                failures.append(f"page-number: p{page} ({number}) is not at the right")
            if number % 2 == 0 and x0 > LEFT + 2 * 14 + 3:
                failures.append(f"page-number: p{page} ({number}) is not at the left")
        # Counted from the first page (a 信函's page 1 carries none), or from
        # 1 after unnumbered front pages (a collection's cover and 目录).
        if numbered and numbered[0][0] - numbered[0][1] not in (0, numbered[0][0] - 1):
            failures.append(f"page-number: page {numbered[0][0]} prints {numbered[0][1]}")
    checks = {
        "line-width": f"widest body line {widest:.2f} characters",
        "title-room": "",
        "short-pages": f"{short_pages} page(s) of running text end a row early, each for a reason",
        "page-number": f"{len(numbered)} numbered pages, regular weight"
        + (f", page {numbered[0][0]} printing {numbered[0][1]}" if numbered else ""),
    }
    for name, detail in checks.items():
        found = [f for f in failures if f.startswith(name)]
        print(("FAIL " + found[0]) if found else f"PASS {name}{': ' + detail if detail else ''}")
    return not failures


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    ok = True
    for path in sys.argv[1:]:
        print(f"== {path}")
        ok &= audit(path)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
