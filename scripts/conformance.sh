#!/usr/bin/env bash
# Build the project `wengao init` writes for every kind, and every example
# under examples/, then measure each DOCX with ../shared/tools/check-docx.py
# --render (LibreOffice layout checked by check-pdf.py) and each PDF with
# ../shared/tools/check-pdf.py, qpdf --check and pdffonts, comparing the text
# with wengao's own txt output; a second build must give the same bytes.
# Exit 1 if any check fails.
#
# usage: scripts/conformance.sh [PATH-TO-WENGAO]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-target/release/wengao}")
tools=$(realpath ../shared/tools 2>/dev/null || true)
if [ ! -f "$tools/check-docx.py" ]; then
  echo "conformance: ../shared/tools/check-docx.py not found" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
projects=()
while read -r kind _; do
  "$bin" init "$work/init-$kind" --kind "$kind" >/dev/null
  projects+=("$work/init-$kind")
done < <("$bin" init --list)
for ex in examples/*/; do
  cp -r "$ex" "$work/example-$(basename "$ex")"
  rm -rf "$work/example-$(basename "$ex")/out"   # a local build's outputs and cache
  projects+=("$work/example-$(basename "$ex")")
done
failed=0
for p in "${projects[@]}"; do
  name=$(basename "$p")
  "$bin" build "$p" -f docx,pdf,txt --deny-warnings >/dev/null
  "$bin" build "$p" -f docx,pdf,txt -o "$p/again" >/dev/null
  # Matrix projects write into sub-folders of out/ (out/<key>/<doc>.pdf).
  mapfile -t docs < <(cd "$p/out" && find . -name '*.docx' -o -name '*.pdf' | sed 's|^\./||' | sort)
  for rel in "${docs[@]}"; do
    cmp -s "$p/out/$rel" "$p/again/$rel" || { echo "FAIL reproducible: $name/$rel differs between two builds"; failed=1; }
  done
  for rel in "${docs[@]}"; do
    f="$p/out/$rel"
    txt="${f%.*}.txt"
    echo "== $name/$rel"
    case "$f" in
      *.docx)
        python3 "$tools/check-docx.py" "$f" --render --expect-text "$txt" --min-similarity 0.99 || failed=1
        ;;
      *.pdf)
        python3 "$tools/check-pdf.py" "$f" --expect-text "$txt" --min-similarity 0.99 || failed=1
        if ! qpdf --check "$f" >/dev/null; then
          echo "FAIL qpdf: $(qpdf --check "$f" 2>&1 | tail -1)"
          failed=1
        fi
        if pdffonts "$f" | tail -n +3 | awk '$(NF-4) != "yes" || $(NF-3) != "yes" || $(NF-2) != "yes"' | grep . >/dev/null; then
          echo "FAIL pdffonts: a font is not embedded, subset and mapped to Unicode"
          pdffonts "$f"
          failed=1
        fi
        ;;
    esac
  done
done
if [ "$failed" -ne 0 ]; then
  echo "conformance: some documents failed GB/T 9704 checks" >&2
  exit 1
fi
echo "conformance: all documents pass"
