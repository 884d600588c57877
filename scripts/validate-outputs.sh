#!/usr/bin/env bash
# Check every PDF and DOCX in DIR: `qpdf --check` for PDFs, python-docx must
# open every DOCX and openxml-audit find nothing in it (scripts/audit-docx.py).
# `.ci/run` points WENGAO_KEEP_OUTPUTS at DIR while the test suite runs, so
# this covers every file the tests produced.
#
# usage: scripts/validate-outputs.sh DIR
set -euo pipefail
dir=${1:?usage: scripts/validate-outputs.sh DIR}
failed=0
pdfs=0
docxs=0
for f in "$dir"/*.pdf; do
  [ -e "$f" ] || continue
  pdfs=$((pdfs + 1))
  if ! qpdf --check "$f" >/dev/null 2>&1; then
    echo "FAIL qpdf --check: $f"; qpdf --check "$f" 2>&1 | tail -3; failed=1
  fi
done
docx_list=$(find "$dir" -maxdepth 1 -name '*.docx' | sort)
docxs=$(printf '%s\n' "$docx_list" | grep -c . || true)
if [ "$docxs" -gt 0 ]; then
  printf '%s\n' "$docx_list" | python3 -c '
import sys, docx
bad = 0
for path in sys.stdin.read().split("\n"):
    if not path:
        continue
    try:
        d = docx.Document(path)
        _ = [p.text for p in d.paragraphs]
    except Exception as e:
        print(f"FAIL python-docx: {path}: {e}")
        bad = 1
sys.exit(bad)
' || failed=1
  python3 "$(dirname "$0")/audit-docx.py" "$dir" | grep -v '^ok ' || failed=1
fi
echo "validate-outputs: $pdfs PDF(s) through qpdf --check, $docxs DOCX file(s) through python-docx and openxml-audit"
if [ "$pdfs" -eq 0 ] || [ "$docxs" -eq 0 ]; then
  echo "validate-outputs: expected both PDFs and DOCX files in $dir" >&2
  exit 1
fi
exit "$failed"
