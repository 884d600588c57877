#!/usr/bin/env python3
"""Turn a `wengao init --kind experience` project into a `[matrix]` of N counties.

    wengao init DIR --kind experience
    python3 bench/gen-experience-matrix.py N DIR

The 5-page 经验材料 of issue 20, once per county: data/county.yaml becomes
data/counties/kNNN.yaml (the `county:` mapping, one file per county) with
the county's own name (and every name made from it: 县委, 政协, 文件名 …), its
own leaders and a few of its own figures; the records (meetings, proposals,
funding, appointments) stay shared. So each document is the same 5 pages
with a few dozen different characters, as a real county set is: the title,
heading and signature fonts use almost the same glyphs in every document,
the body font a slightly different set each time. County i is the same for
every N. wengao.toml gets `[matrix]` and `outputs = ["docx", "pdf"]`.
Standard library only.
"""

import random
import re
import sys
from pathlib import Path

FIRST = "青松白临桐云石柳安平丰长泰兴永宁梅竹湘沅凌龙鹤金"
SECOND = "溪岭川源阳山江河林泉台乡口湖州坪桥城"
SURNAMES = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡"
GIVEN = "建国明华平立新志强文军红玉梅兰芳丽静雪云峰海涛波鹏飞宇浩然晓东晨光书林春秋长青启明德清守成学勤"
# Leaders' names in county.yaml, replaced by each county's own.
LEADERS = ["周启明", "韩立新", "陆长青", "沈书华", "曾立平"]
# Figures varied per county (key: relative spread).
FIGURES = ["population", "villages", "members", "non_cpc_members", "staff", "inspections", "review_suggestions",
           "opinion_items", "members_trained", "villages_paired"]


def county_text(template: str, i: int) -> str:
    rng = random.Random(20 + i)
    name = FIRST[i % len(FIRST)] + SECOND[(i // len(FIRST) + i) % len(SECOND)]
    text = template.replace("青溪", name)
    for old in LEADERS:
        new = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        text = text.replace(old, new)
    for key in FIGURES:
        def vary(m):
            v = int(m.group(2))
            return f"{m.group(1)}{max(1, round(v * rng.uniform(0.85, 1.15)))}"
        text = re.sub(rf"(\n\s+{key}: )(\d+)(?=\n)", vary, text)
    return text


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    n, root = int(sys.argv[1]), Path(sys.argv[2])
    source = root / "data" / "county.yaml"
    lines = source.read_text(encoding="utf-8").splitlines()
    start = lines.index("county:")
    # The item file is the mapping under `county:`, dedented.
    body = "\n".join(line[2:] if line.startswith("  ") else line for line in lines[start + 1:]) + "\n"
    counties = root / "data" / "counties"
    counties.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (counties / f"k{i:04d}.yaml").write_text(county_text(body, i), encoding="utf-8")
    source.unlink()
    toml = root / "wengao.toml"
    text = re.sub(r"(?m)^outputs = .*$", 'outputs = ["docx", "pdf"]', toml.read_text(encoding="utf-8"))
    text += '\n[matrix]\neach = "counties"\nas = "county"\ntemplates = ["experience"]\noutput = "{key}/{stem}"\n'
    toml.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
