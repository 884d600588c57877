#!/usr/bin/env bash
# For every DOCX under DIR that has a PDF beside it (wengao's own): validate
# it with openxml-audit, render it with LibreOffice using the same faces as
# the PDF (../shared/tools/lo-fonts.conf) and compare the two layouts line by
# line (../shared/tools/compare-layout.py). Prints one summary line per
# document and the checkers' FAIL lines; exit 1 if any check fails.
#
# usage: scripts/docx-agreement.sh DIR [--report-only]
#   --report-only   print the findings but exit 0 (to measure, not to gate)
set -euo pipefail
dir=$(realpath "${1:?usage: scripts/docx-agreement.sh DIR [--report-only]}")
report_only=${2:-}
here=$(cd "$(dirname "$0")/.." && pwd)
tools=$(realpath "$here/../shared/tools")
for t in compare-layout.py lo-fonts.conf; do
  [ -f "$tools/$t" ] || { echo "docx-agreement: $tools/$t not found" >&2; exit 1; }
done
command -v soffice >/dev/null || { echo "docx-agreement: soffice not installed" >&2; exit 1; }
command -v openxml-audit >/dev/null || { echo "docx-agreement: openxml-audit not installed (pip install openxml-audit)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mapfile -t docs < <(find "$dir" -name '*.docx' -not -path '*/again/*' | sort)
failed=0
n=0
for docx in "${docs[@]}"; do
  pdf="${docx%.docx}.pdf"
  rel=${docx#"$dir"/}
  n=$((n + 1))
  if audit=$(python3 "$here/scripts/audit-docx.py" "$docx" 2>&1); then
    audit_msg="audit ok"
  else
    audit_msg="audit FAIL"
    failed=1
    grep -v '^audit-docx:' <<<"$audit" | sed 's/^/    /'
  fi
  if [ ! -f "$pdf" ]; then
    echo "$rel: $audit_msg; no PDF beside it, layout not compared"
    continue
  fi
  out="$work/$n"
  mkdir -p "$out"
  FONTCONFIG_FILE="$tools/lo-fonts.conf" soffice --headless "-env:UserInstallation=file://$work/profile" \
    --convert-to pdf --outdir "$out" "$docx" >/dev/null 2>&1 || true
  lo="$out/$(basename "${docx%.docx}").pdf"
  if [ ! -f "$lo" ]; then
    echo "FAIL $rel: LibreOffice could not convert it"
    failed=1
    continue
  fi
  cmp_out=$(python3 "$tools/compare-layout.py" "$pdf" "$lo" 2>&1) || failed=1
  summary=$(grep -E '^(PASS|FAIL) (pages|identical-lines)' <<<"$cmp_out" | sed -E 's/^(PASS|FAIL) //' | tr '\n' ' ')
  echo "$rel: $audit_msg; $summary"
  grep '^FAIL' <<<"$cmp_out" | sed 's/^/    /' || true
  if [ -n "${KEEP_LO:-}" ]; then
    mkdir -p "$KEEP_LO"
    cp "$lo" "$KEEP_LO/$(tr '/' '_' <<<"${rel%.docx}").lo.pdf"
  fi
done
echo "docx-agreement: $n DOCX file(s)"
if [ "$failed" -ne 0 ] && [ "$report_only" != "--report-only" ]; then
  exit 1
fi
exit 0
