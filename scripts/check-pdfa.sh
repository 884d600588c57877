#!/usr/bin/env bash
# PDF/A-1b: build the project `wengao init` writes for every kind, and every
# example under examples/, with `--pdf-standard a-1b`, and have Apache PDFBox
# Preflight (Debian's libpdfbox2-java, org.apache.pdfbox.preflight.Validator_A1b)
# validate every PDF; a second build must give the same bytes. Also checks
# that pdfinfo reports every PDF as tagged (docs/pdf-a.md).
# Installs Preflight and the Java libraries it needs when CI=true; otherwise
# says what to install and exits 1.
# Exit 1 if any file is not valid PDF/A-1b.
#
# usage: scripts/check-pdfa.sh [PATH-TO-WENGAO]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-target/release/wengao}")

# Preflight 2.0 needs javax.activation and JAXB, which Java 11+ no longer
# ships: Debian packages them separately.
jars=(preflight pdfbox2 fontbox2 xmpbox commons-logging javax.activation jaxb-api)
packages=(default-jre-headless libpdfbox2-java libactivation-java libjaxb-api-java poppler-utils)
missing() {
  command -v java >/dev/null 2>&1 || return 0
  command -v pdfinfo >/dev/null 2>&1 || return 0
  for j in "${jars[@]}"; do [ -f "/usr/share/java/$j.jar" ] || return 0; done
  return 1
}
if missing; then
  if [ "${CI:-}" = true ]; then
    echo "check-pdfa: installing ${packages[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
  else
    echo "check-pdfa: Preflight not found; install it with" >&2
    echo "  apt-get install ${packages[*]}" >&2
    exit 1
  fi
fi
classpath=$(printf '/usr/share/java/%s.jar:' "${jars[@]}")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=scripts/every-project.sh
source scripts/every-project.sh
every_project "$bin" "$work"

failed=0
checked=0
for p in "${projects[@]}"; do
  name=$(basename "$p")
  if ! "$bin" build "$p" -f pdf --pdf-standard a-1b -o "$p/out" >/dev/null; then
    echo "FAIL $name: build --pdf-standard a-1b failed"
    failed=$((failed + 1))
    continue
  fi
  "$bin" build "$p" -f pdf --pdf-standard a-1b -o "$p/again" --force >/dev/null
  while IFS= read -r -d '' pdf; do
    rel=${pdf#"$p/out/"}
    checked=$((checked + 1))
    report=$(java -cp "$classpath" org.apache.pdfbox.preflight.Validator_A1b "$pdf" 2>&1 || true)
    if grep -q "is a valid PDF/A-1b file" <<<"$report"; then
      echo "ok   $name/$rel: valid PDF/A-1b"
    else
      echo "FAIL $name/$rel: not valid PDF/A-1b"
      sed 's/^/     /' <<<"$report" | head -20
      failed=$((failed + 1))
    fi
    if ! cmp -s "$pdf" "$p/again/$rel"; then
      echo "FAIL $name/$rel: a second build gave other bytes"
      failed=$((failed + 1))
    fi
    if ! pdfinfo "$pdf" | grep -q '^Tagged: *yes'; then
      echo "FAIL $name/$rel: pdfinfo does not report it tagged"
      failed=$((failed + 1))
    fi
  done < <(find "$p/out" -name '*.pdf' -print0 | sort -z)
done
echo "check-pdfa: $checked PDF(s), $failed problem(s)"
[ "$checked" -gt 0 ] && [ "$failed" -eq 0 ]
