#!/usr/bin/env bash
# Build every built-in kind (`wengao init --kind`) and every example as OFD,
# PDF and txt, check that a second build gives the same OFD bytes, and read
# every OFD with two independent readers (scripts/ofd/check-ofd.py): easyofd
# from PyPI (text, positions, and its conversion back to PDF) and ofd.js from
# npm (rendered under jsdom). docs/ofd.md says what each check means.
#
# The readers are installed here, into .ci/ofd-readers/ (git-ignored): a
# Python venv with easyofd, node_modules with ofd.js and jsdom, and the
# WenQuanYi Zen Hei font unpacked from Debian's package (easyofd draws its
# PDF with one TrueType face; unpacked, not installed, so it never becomes a
# font wengao itself could choose). Versions are pinned: the readers decide
# what passes.
#
# usage: scripts/check-ofd.sh [PATH-TO-WENGAO]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-target/release/wengao}")
readers=$PWD/.ci/ofd-readers
EASYOFD_VERSION=20260427
OFDJS_VERSION=0.2.6
JSDOM_VERSION=29.1.1

mkdir -p "$readers"
if ! command -v npm >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
if ! "$readers/venv/bin/python" -c "import easyofd" 2>/dev/null; then
  echo "installing easyofd $EASYOFD_VERSION"
  python3 -m venv "$readers/venv"
  "$readers/venv/bin/pip" install -q "easyofd==$EASYOFD_VERSION"
fi
if [ ! -f "$readers/node_modules/ofd.js/lib/ofd.common.js" ] || [ ! -d "$readers/node_modules/jsdom" ]; then
  echo "installing ofd.js $OFDJS_VERSION and jsdom $JSDOM_VERSION"
  # A package.json of its own, so npm installs here and not into a parent folder.
  [ -f "$readers/package.json" ] || echo '{"private": true}' >"$readers/package.json"
  (cd "$readers" && npm install --silent --no-audit --no-fund "ofd.js@$OFDJS_VERSION" "jsdom@$JSDOM_VERSION" >/dev/null)
fi
font=$(find "$readers/wqy" -name 'wqy-zenhei.ttc' 2>/dev/null | head -1 || true)
if [ -z "$font" ]; then
  echo "unpacking fonts-wqy-zenhei"
  command -v pdftotext >/dev/null 2>&1 || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; }
  deb=$(mktemp -d)
  (cd "$deb" && { apt-get download fonts-wqy-zenhei >/dev/null 2>&1 || { apt-get update -qq && apt-get download fonts-wqy-zenhei >/dev/null 2>&1; }; })
  dpkg-deb -x "$deb"/fonts-wqy-zenhei_*.deb "$readers/wqy"
  rm -rf "$deb"
  font=$(find "$readers/wqy" -name 'wqy-zenhei.ttc' | head -1)
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=scripts/every-project.sh
source scripts/every-project.sh
every_project "$bin" "$work"

failed=0
files=()
for p in "${projects[@]}"; do
  name=$(basename "$p")
  "$bin" build "$p" -f ofd,pdf,txt >/dev/null
  "$bin" build "$p" -f ofd -o "$p/again" >/dev/null
  # Matrix projects write into sub-folders of out/.
  mapfile -t docs < <(cd "$p/out" && find . -name '*.ofd' | sed 's|^\./||' | sort)
  if [ "${#docs[@]}" -eq 0 ]; then
    echo "FAIL $name: no OFD built"
    failed=1
  fi
  for rel in "${docs[@]}"; do
    cmp -s "$p/out/$rel" "$p/again/$rel" || { echo "FAIL reproducible: $name/$rel differs between two builds"; failed=1; }
    files+=("$p/out/$rel")
  done
done
"$readers/venv/bin/python" scripts/ofd/check-ofd.py --node-path "$readers/node_modules" --easyofd-font "$font" \
  "${files[@]}" || failed=1
if [ "$failed" -ne 0 ]; then
  echo "check-ofd: some OFD files failed" >&2
  exit 1
fi
echo "check-ofd: all ${#files[@]} OFD files pass (easyofd, ofd.js)"
