#!/usr/bin/env bash
# `wengao serve` end to end in headless Chromium: serve a `wengao init`
# project, load the page, save a data file, see the new figure on the page
# (scripts/serve-browser.py drives the browser), then stop the server with
# SIGTERM and check that it went cleanly.
#
# usage: scripts/check-serve.sh [WENGAO] [SHOTS_DIR]
#   WENGAO     the binary (default target/release/wengao)
#   SHOTS_DIR  where the screenshots go (default: a temporary folder)
# Needs Debian's `chromium` and PyPI's `websocket-client` and `Pillow`
# (.ci/run installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-target/release/wengao}")
work=$(mktemp -d)
shots=${2:-$work/shots}
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

command -v chromium >/dev/null || { echo "check-serve: chromium is not installed (apt-get install chromium)" >&2; exit 1; }
"$bin" init "$work/proj" >/dev/null
"$bin" serve "$work/proj" >"$work/serve.out" 2>"$work/serve.err" &
pid=$!
url=
for _ in $(seq 1 300); do
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$work/serve.out" || true)
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/serve.err" >&2; echo "check-serve: serve exited" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "check-serve: serve printed no address" >&2; exit 1; }
echo "serving at $url"
python3 scripts/serve-browser.py "$url" "$work/proj" "$shots"

kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=
if [ "$status" -ne 130 ]; then
  echo "check-serve: serve exited with $status after SIGTERM, not 130" >&2
  exit 1
fi
port=${url##*:}
port=${port%/}
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "check-serve: the port still answers after the server stopped" >&2
  exit 1
fi
if find "$work/proj/out" -name '*wengao-tmp*' | grep -q .; then
  echo "check-serve: temporary files left in out/" >&2
  exit 1
fi
echo "check-serve: stopped cleanly (exit 130, port closed, no temporary file)"
