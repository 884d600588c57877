#!/usr/bin/env python3
"""Turn the check-pdf / check-docx failures that a form of 公文 requires, or
that LibreOffice's own pagination of a DOCX causes, into notes: read a checker's output on stdin, print it with each FAIL whose check
(or, for check-docx's render-libreoffice line, each of whose sub-checks) is
named in ALLOWED rewritten as "NOTE … (WHY)", and exit 1 if a FAIL is left.

usage: checker ... | gongwen-notes.py WHY CHECK [CHECK ...]

scripts/conformance.sh uses it for the 公文 kinds (docs/gongwen.md): a 公文
opens with its 版头, not its title (check-docx's title check); a 信函 has its
mark 30 mm from the page top, above the text block (check-pdf's top-margin),
no number on page 1 (page-numbers), and LibreOffice writes the text of the
frame that holds the mark after the page's body (render text-matches).
check-gongwen.py measures all of these instead.
"""
import re
import sys


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    why, allowed = sys.argv[1], set(sys.argv[2:])
    left = noted = 0
    for line in sys.stdin.read().splitlines():
        total = re.match(r"^(\d+) passed, (\d+) failed$", line)
        if total:
            line = f"{total.group(1)} passed, {int(total.group(2)) - noted} failed, {noted} noted"
        m = re.match(r"^FAIL ([\w-]+): (.*)$", line)
        if m:
            name, detail = m.groups()
            # check-docx joins the rendering's failures with "; ", and a
            # failure's own text may hold "; " too: a part that starts with
            # "name:" starts a failure, the others continue one.
            parts = detail.split("; ") if name == "render-libreoffice" else []
            # Check names are words joined by hyphens ("page-numbers"); "p2:"
            # in a detail is not one.
            subs = [m.group(1) for m in (re.match(r"\s*([a-z]+(?:-[a-z]+)*): ", part) for part in parts) if m]
            if name in allowed or (subs and all(f"render:{s}" in allowed for s in subs)):
                line = f"NOTE {name} ({why}): {detail}"
                noted += 1
            else:
                left += 1
        print(line)
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main())
