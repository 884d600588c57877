#!/usr/bin/env python3
"""Validate DOCX files with openxml-audit (the Open XML SDK schemas plus
Word's app-compat rules): every file must be valid with no finding at all.

usage: scripts/audit-docx.py FILE.docx|DIR ... [--report-only]
Prints one line per file ("ok" or the number of findings and the first few);
exit 1 if any file has a finding, unless --report-only.
"""
import json, os, subprocess, sys, tempfile


def files(args):
    for a in args:
        if os.path.isdir(a):
            for root, _, names in os.walk(a):
                yield from (os.path.join(root, n) for n in sorted(names) if n.endswith(".docx"))
        else:
            yield a


def main():
    report_only = "--report-only" in sys.argv
    paths = sorted(files([a for a in sys.argv[1:] if a != "--report-only"]))
    if not paths:
        sys.exit("audit-docx: no DOCX files given")
    bad = 0
    # openxml-audit takes one path: a folder of links to every file, read recursively.
    with tempfile.TemporaryDirectory() as d:
        names = {}
        for i, p in enumerate(paths):
            link = os.path.join(d, f"{i:05}.docx")
            os.symlink(os.path.abspath(p), link)
            names[link] = p
        out = subprocess.run(["openxml-audit", "-o", "json", "-m", "0", "-r", d], capture_output=True, text=True)
        try:
            reports = json.loads(out.stdout)
        except json.JSONDecodeError:
            sys.exit(f"audit-docx: openxml-audit gave no JSON: {out.stderr.strip()[:300]}")
        if len(reports) != len(paths):
            sys.exit(f"audit-docx: {len(paths)} files given, {len(reports)} reports")
        for r in reports:
            r["file"] = names.get(os.path.join(d, os.path.basename(r["file"])), r["file"])
            errs = r.get("errors", [])
            if r.get("valid") and not errs and r.get("warning_count", 0) == 0:
                print(f"ok   {r['file']}")
                continue
            bad += 1
            seen = {}
            for e in errs:
                key = f"{e.get('part_uri')}: {e.get('description')}"
                seen[key] = seen.get(key, 0) + 1
            print(f"FAIL {r['file']}: {len(errs)} finding(s), {r.get('verdict', {}).get('prediction')}")
            for key, n in sorted(seen.items(), key=lambda kv: -kv[1])[:12]:
                print(f"       {n:4} × {key}")
    print(f"audit-docx: {len(paths) - bad} of {len(paths)} DOCX file(s) clean")
    sys.exit(1 if bad and not report_only else 0)


if __name__ == "__main__":
    main()
