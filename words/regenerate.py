#!/usr/bin/env python3
"""Rebuild words/dict.txt, the word list wengao segments table cells with.

From jieba's dictionary as jieba-rs ships it (MIT, `src/data/dict.txt` of the
crate pinned in Cargo.toml, read from the cargo registry): every entry used
at least MIN_FREQ times in jieba's corpus, and the rarer names of offices and
measures ("建设局", "零售总额") that county tables are full of. The whole list
(349,045 entries, 4.5 MB) would take 80 ms to load; this one (41,545
entries, 0.5 MB) is read in place, and cuts table text the same way on the
words a county table holds.

Usage: python3 words/regenerate.py   (writes words/dict.txt; same bytes every run)
"""
import glob
import os
import sys

VERSION = "0.8.1"
MIN_FREQ = 100
# Endings of office names and statistical measures: such entries are kept
# whatever their frequency (a word of three or more characters).
SUFFIXES = ("局", "委", "办", "部", "院", "所", "站", "厅", "处", "科", "室", "会",
            "中心", "公司", "银行", "总额", "总值", "收入", "支出")

home = os.path.expanduser("~/.cargo/registry/src")
found = glob.glob(f"{home}/*/jieba-rs-{VERSION}/src/data/dict.txt")
if not found:
    sys.exit(f"jieba-rs {VERSION} is not in {home}: run `cargo fetch` first")
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dict.txt")
kept = []
with open(found[0], encoding="utf-8") as f:
    for line in f:
        parts = line.split()
        if len(parts) < 2:
            continue
        word, freq = parts[0], int(parts[1])
        if freq >= MIN_FREQ or (len(word) >= 3 and word.endswith(SUFFIXES)):
            kept.append(f"{word} {freq}\n")
# Sorted by code point (the order of their UTF-8 bytes): src/words.rs
# looks words up by binary search with no sorting at start-up.
kept.sort(key=lambda line: line.split(" ", 1)[0])
with open(out, "w", encoding="utf-8", newline="\n") as f:
    f.writelines(kept)
print(f"{len(kept)} words -> {out}")
