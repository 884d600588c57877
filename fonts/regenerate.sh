#!/usr/bin/env bash
# Rebuild the fonts bundled with wengao (cargo feature `bundled-fonts`):
# Noto Serif SC and Noto Sans SC (SIL OFL 1.1) from the npm packages of
# Expo's Google Fonts, subset with fontTools to GB 2312, the GBK characters
# common in names (name-chars.txt), ASCII and the punctuation 公文 use.
#
# Needs: npm, python3, and `pip install fonttools==4.60.1` (pyftsubset).
# Usage: fonts/regenerate.sh   (from anywhere; writes into this folder)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
version=0.4.3
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
npm pack --silent "@expo-google-fonts/noto-serif-sc@$version" "@expo-google-fonts/noto-sans-sc@$version" >/dev/null
for pkg in noto-serif-sc noto-sans-sc; do
    mkdir -p "$pkg"
    tar xzf "expo-google-fonts-$pkg-$version.tgz" -C "$pkg"
done

# The characters: every GB 2312 code point (symbol rows 0xA1–0xA9, hanzi rows
# 0xB0–0xF7), printable ASCII, and punctuation GB 2312 spells differently
# from what text uses (U+2014/2015 dashes, U+00B7 middle dot, U+2026 …).
python3 - "$here/name-chars.txt" > chars.txt <<'PY'
chars = set(chr(c) for c in range(0x20, 0x7F))
for hi in list(range(0xA1, 0xAA)) + list(range(0xB0, 0xF8)):
    for lo in range(0xA1, 0xFF):
        try:
            chars.add(bytes([hi, lo]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
chars.update("\u00a0\u00b7\u2014\u2015\u2018\u2019\u201c\u201d\u2026\u2030\u3000\u3007\u00d7\u00f7\u2116\u2122\u20ac")
chars.update(chr(c) for c in range(0x3001, 0x3020))   # CJK punctuation 、。〈〉《》「」『』【】〔〕…
chars.update(chr(c) for c in range(0xFF01, 0xFF5F))   # full-width forms
chars.update(chr(c) for c in range(0x2460, 0x2474))   # ①–⑳
# GBK characters common in names (镕, 堃, 喆 …): listed in name-chars.txt.
import sys
with open(sys.argv[1], encoding="utf-8") as f:
    chars.update(c for line in f if not line.startswith("#") for c in line.strip())
print("".join(sorted(chars)))
PY

subset() { # source output
    pyftsubset "$1" --text-file=chars.txt --output-file="$here/$2" \
        --no-hinting --name-IDs='*' --name-languages='*' --layout-features='*' --drop-tables+=DSIG
}
subset noto-serif-sc/package/400Regular/NotoSerifSC_400Regular.ttf NotoSerifSC-Regular-GB2312.ttf
subset noto-serif-sc/package/700Bold/NotoSerifSC_700Bold.ttf NotoSerifSC-Bold-GB2312.ttf
subset noto-sans-sc/package/400Regular/NotoSansSC_400Regular.ttf NotoSansSC-Regular-GB2312.ttf
cp noto-serif-sc/package/LICENSE_FONT "$here/OFL.txt"
wc -m < chars.txt | xargs printf '%s characters\n'
ls -l "$here"/*.ttf
