#!/usr/bin/env bash
# Build the project `wengao init` writes for every kind, and every example,
# into DIR (DIR/<name>/out/...), so two versions of wengao can be compared
# file by file: a refactoring must leave every manifest and output the same.
#
# usage: scripts/build-all.sh PATH-TO-WENGAO DIR
#        diff -r BEFORE AFTER      (or: scripts/build-all.sh … && diff -r …)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "$1")
dir=$2
mkdir -p "$dir"
while read -r kind _; do
  rm -rf "$dir/init-$kind"
  "$bin" init "$dir/init-$kind" --kind "$kind" >/dev/null
  "$bin" build "$dir/init-$kind" -f docx,pdf,html,txt >/dev/null
done < <("$bin" init --list)
for ex in examples/*/; do
  name=example-$(basename "$ex")
  rm -rf "${dir:?}/$name"
  cp -r "$ex" "$dir/$name"
  rm -rf "$dir/$name/out"
  "$bin" build "$dir/$name" -f docx,pdf,html,txt >/dev/null
done
# The build cache holds absolute paths and timings; the outputs and the
# manifest are what must not change.
find "$dir" -name .wengao-cache -prune -exec rm -rf {} + 2>/dev/null || true
