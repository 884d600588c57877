#!/usr/bin/env python3
"""Diagnostic: how far LibreOffice's layout of a DOCX agrees with wengao's PDF
once LibreOffice's own extra space between ideographs and ASCII letters or
digits is taken out of the picture.

LibreOffice 7.4 ignores w:autoSpaceDE/DN and always adds 1/5 em where an
ideograph meets an ASCII letter or digit; Word honours the setting (wengao
writes it off). To measure everything else, this copies the DOCX with a
ZERO WIDTH SPACE (U+200B: it also allows the line break) at each such boundary (LibreOffice adds no space next
to it), renders the copy with the PDF's faces (../shared/tools/lo-fonts.conf)
and compares it line by line with the PDF, ignoring those. The copy is
for measuring only; wengao never writes them.

usage: scripts/agreement-without-lo-autospace.py DOC.docx DOC.pdf [WORKDIR] [--diff]
Prints "pages A vs B; identical N/M = P%"; --diff also prints the lines
that differ (- the PDF's, + LibreOffice's).
"""
import difflib, importlib.util, os, re, subprocess, sys, tempfile, zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOOLS = os.path.realpath(os.path.join(HERE, "..", "..", "shared", "tools"))
CJK = "\u3400-\u9fff\uf900-\ufaff"


def main():
    show_diff = "--diff" in sys.argv
    args = [a for a in sys.argv[1:] if a != "--diff"]
    docx, pdf = args[0], args[1]
    work = args[2] if len(args) > 2 else tempfile.mkdtemp()
    os.makedirs(work, exist_ok=True)
    copy = os.path.join(work, os.path.splitext(os.path.basename(docx))[0] + ".joined.docx")
    with zipfile.ZipFile(docx) as zin, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                def join(m):
                    t = re.sub(f"([{CJK}])([A-Za-z0-9])", "\\1\u200b\\2", m.group(2))
                    t = re.sub(f"([A-Za-z0-9])([{CJK}])", "\\1\u200b\\2", t)
                    return m.group(1) + t + m.group(3)
                data = re.sub(r"(<w:t(?: [^>]*)?>)([^<]*)(</w:t>)", join, data.decode()).encode()
            zout.writestr(item, data)
    env = dict(os.environ, FONTCONFIG_FILE=os.path.join(TOOLS, "lo-fonts.conf"))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{work}/profile", "--convert-to", "pdf",
                    "--outdir", work, copy], capture_output=True, env=env, check=False)
    rendered = copy[:-len(".docx")] + ".pdf"
    spec = importlib.util.spec_from_file_location("compare_layout", os.path.join(TOOLS, "compare-layout.py"))
    cl = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cl)
    pa = cl.lines(pdf)
    pb = [[t.replace("\u200b", "") for t in page] for page in cl.lines(rendered)]
    la = [t for p in pa for t in p]
    lb = [t for p in pb for t in p]
    same = sum(b.size for b in difflib.SequenceMatcher(None, la, lb, autojunk=False).get_matching_blocks())
    print(f"pages {len(pa)} vs {len(pb)}; identical {same}/{len(la)} = {same / max(1, len(la)):.1%}")
    if show_diff:
        for line in difflib.unified_diff(la, lb, "wengao PDF", "LibreOffice", n=0, lineterm=""):
            print(line)


if __name__ == "__main__":
    main()
