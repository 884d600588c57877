#!/bin/sh
# Lay the DOCX writer's sample out in LibreOffice and measure it with
# ../shared/tools/check-docx.py --render (margins, 28 characters a line,
# 22 lines a page, 避头尾, page numbers). Needs soffice, python-docx and
# pdfplumber:
#   apt-get install -y libreoffice-writer fonts-noto-cjk
#   pip install python-docx pdfplumber
# The sample is kept at $WENGAO_DOCX_SAMPLE (default: $TMPDIR/sample.docx).
set -eu
cd "$(dirname "$0")/.."
command -v soffice >/dev/null || { echo "check_docx.sh: soffice not found" >&2; exit 2; }
python3 -c 'import docx, pdfplumber' || { echo "check_docx.sh: pip install python-docx pdfplumber" >&2; exit 2; }
exec cargo test --test docx_writer -- --ignored --nocapture libreoffice_render_passes_check_docx
