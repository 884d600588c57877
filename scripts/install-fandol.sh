#!/usr/bin/env bash
# Install the Fandol fonts (Song, Fang, Hei, Kai) from Debian's
# texlive-lang-chinese package without installing TeX: download the .deb,
# extract the four OpenType families into /usr/local/share/fonts/fandol.
set -euo pipefail
if fc-list 2>/dev/null | grep "FandolFang" >/dev/null; then
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
apt-get download texlive-lang-chinese >/dev/null 2>&1 || { apt-get update -qq && apt-get download texlive-lang-chinese >/dev/null; }
dpkg-deb -x texlive-lang-chinese_*.deb x
dest=/usr/local/share/fonts/fandol
mkdir -p "$dest"
cp x/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/Fandol{Song,Fang,Hei,Kai}-*.otf "$dest"/
fc-cache -f "$dest" >/dev/null
echo "installed Fandol fonts into $dest"
