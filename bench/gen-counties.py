#!/usr/bin/env python3
"""Write an N-county copy of examples/county-matrix, for benchmarks.

    python3 bench/gen-counties.py N DIR

DIR gets the example's wengao.toml, templates/ and shared data, and
data/counties/ with N synthetic counties (fictional names, realistic
records: meetings, proposals, funding, appointments for 2023). County i is
the same for every N (each has its own seeded generator), so the copy for
N=100 is the copy for N=1000 cut short, and the example's own five counties
are counties 0-4 (`python3 bench/gen-counties.py 5 examples/county-matrix`
rewrites them unchanged). Only the standard library is used.
"""

import random
import shutil
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "county-matrix"

# Syllables for fictional county names: (character, pinyin).
FIRST = [("青", "qing"), ("松", "song"), ("白", "bai"), ("临", "lin"), ("桐", "tong"), ("云", "yun"),
         ("石", "shi"), ("柳", "liu"), ("安", "an"), ("平", "ping"), ("丰", "feng"), ("长", "chang"),
         ("泰", "tai"), ("兴", "xing"), ("永", "yong"), ("宁", "ning"), ("梅", "mei"), ("竹", "zhu"),
         ("湘", "xiang"), ("沅", "yuan"), ("凌", "ling"), ("龙", "long"), ("鹤", "he"), ("金", "jin")]
SECOND = [("溪", "xi"), ("岭", "ling"), ("川", "chuan"), ("源", "yuan"), ("阳", "yang"), ("山", "shan"),
          ("江", "jiang"), ("河", "he"), ("林", "lin"), ("泉", "quan"), ("台", "tai"), ("乡", "xiang"),
          ("口", "kou"), ("湖", "hu"), ("州", "zhou"), ("坪", "ping"), ("桥", "qiao"), ("城", "cheng")]
SURNAMES = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "建国明华平立新志强文军红玉梅兰芳丽静雪云峰海涛波鹏飞宇浩然晓东晨光书林春秋长青启明德清守成学勤"
CATEGORIES = ["经济", "农业农村", "教育", "医疗卫生", "生态环境", "城乡建设", "社会保障", "文化旅游"]
TOPICS = {
    "经济": ["关于培育县域特色产业集群的建议", "关于降低小微企业融资成本的建议", "关于盘活闲置工业用地的建议"],
    "农业农村": ["关于推进高标准农田建设的建议", "关于发展村级集体经济的建议", "关于完善农产品冷链物流的建议"],
    "教育": ["关于加强乡村教师队伍建设的建议", "关于推进县域义务教育优质均衡的建议", "关于规范校外培训的建议"],
    "医疗卫生": ["关于推进县域医共体建设的建议", "关于加强基层卫生院人才培养的建议", "关于完善家庭医生签约服务的建议"],
    "生态环境": ["关于加强河道综合治理的建议", "关于推进农村生活污水治理的建议", "关于建设森林防火通道的建议"],
    "城乡建设": ["关于推进老旧小区改造的建议", "关于完善城区停车设施的建议", "关于加快农村公路提质改造的建议"],
    "社会保障": ["关于完善农村养老服务体系的建议", "关于加强困难群众救助帮扶的建议", "关于稳定重点群体就业的建议"],
    "文化旅游": ["关于保护传统村落的建议", "关于发展全域旅游的建议", "关于建设县级文化馆分馆的建议"],
}
HANDLERS = {"经济": "县发改局", "农业农村": "县农业农村局", "教育": "县教育局", "医疗卫生": "县卫生健康局",
            "生态环境": "县生态环境分局", "城乡建设": "县住房城乡建设局", "社会保障": "县人力资源社会保障局",
            "文化旅游": "县文化旅游广电局"}
SUBMITTERS = ["民革支部", "民盟支部", "民建支部", "九三学社支社", "县工商联", "经济界", "农业界", "教育界", "医药卫生界"]
CONSULT = ["优化营商环境", "乡村振兴", "县域医共体建设", "农村饮水安全", "义务教育优质均衡", "文旅融合发展", "河长制落实"]


def person(rng):
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")


def date(rng, month=None):
    m = month or rng.randint(1, 12)
    return f"2023-{m:02d}-{rng.randint(1, 28):02d}"


def county(i):
    rng = random.Random(9704 + i)
    a, b = FIRST[i % len(FIRST)], SECOND[(i // len(FIRST) + i) % len(SECOND)]
    # Past the 24 × 18 names, a number keeps keys and names unique.
    suffix = "" if i < len(FIRST) * len(SECOND) else str(i // (len(FIRST) * len(SECOND)) + 1)
    name = f"{a[0]}{b[0]}{suffix}县"
    key = f"{a[1]}{b[1]}{suffix}"
    short = f"中共{name}委"
    members = rng.randint(150, 230)
    lines = [
        f"# {name}（虚构）：县委支持政协工作的基本情况和2023年的记录。",
        "# 由 bench/gen-counties.py 生成；县名、人名、数字均为虚构。",
        f"name: {name}",
        f"party_committee_short: {short}",
        f"cppcc_committee_short: 政协{name}委员会",
        f'report_date: "2023-12-{rng.randint(20, 29)}"',
        f"population: {rng.randint(180, 760) * 1000 + rng.randint(0, 999)}",
        "leaders:",
        f"  party_secretary: {person(rng)}",
        f"  liaison_deputy_secretary: {person(rng)}",
        f"  cppcc_chair: {person(rng)}",
        "cppcc:",
        f"  members: {members}",
        f"  sectors: {rng.randint(15, 22)}",
        "work:",
        f"  consultation_topics: {rng.randint(6, 12)}",
        f"  inspections: {rng.randint(8, 20)}",
        f"  leaders_contacting: {rng.randint(18, 32)}",
        f"  members_contacted: {rng.randint(40, 90)}",
        "",
        "meetings:",
    ]
    kinds = [("常委会", "县委")] * rng.randint(2, 4) + [("常委会", "县政协")] * rng.randint(4, 7) \
        + [("专题协商会", "县政协")] * rng.randint(3, 6) + [("座谈会", "县委")] * rng.randint(1, 3) \
        + [("通报会", "县委")] * rng.randint(1, 2) + [("全委会", "县政协")]
    months = sorted(rng.randint(1, 12) for _ in kinds)
    topics = rng.sample(CONSULT, k=min(len(CONSULT), 6))
    for n, ((kind, host), m) in enumerate(zip(kinds, months)):
        if kind == "专题协商会":
            title = f"{topics[n % len(topics)]}专题协商会"
        elif kind == "常委会" and host == "县委":
            title = "县委常委会会议专题研究政协工作"
        elif kind == "常委会":
            title = f"县政协常委会第{n + 1}次会议"
        elif kind == "全委会":
            title = "县政协全体委员会议"
        else:
            title = f"县委{kind}"
        lines += [
            f"  - date: {date(rng, m)}",
            f"    kind: {kind}",
            f"    host: {host}",
            f"    title: {title}",
            f"    attendees: {rng.randint(20, 60) if kind != '全委会' else members - rng.randint(3, 12)}",
            f"    suggestions: {rng.randint(0, 15) if kind in ('专题协商会', '座谈会', '通报会') else 0}",
        ]
    lines += ["", "proposals:"]
    total = rng.randint(18, 40)
    for n in range(total):
        cat = rng.choice(CATEGORIES)
        status = rng.choices(["办结", "办理中", "不予立案"], weights=[88, 8, 4])[0]
        sat = rng.choices(["满意", "基本满意", "不满意"], weights=[80, 17, 3])[0] if status == "办结" else "未评价"
        collective = rng.random() < 0.4
        lines += [
            f'  - id: "2023-{n + 1:03d}"',
            f"    title: {rng.choice(TOPICS[cat])}",
            f"    category: {cat}",
            f"    submitted_by: {rng.choice(SUBMITTERS) if collective else person(rng) + '委员'}",
            f"    collective: {'true' if collective else 'false'}",
            f"    handled_by: {HANDLERS[cat]}",
            f"    status: {status}",
            f"    satisfaction: {sat}",
            f"    date: {date(rng, rng.randint(1, 3))}",
            f"    priority: {'true' if rng.random() < 0.15 else 'false'}",
        ]
    per_head_prev = rng.choice([150, 200, 240])
    lines += [
        "",
        "funding:",
        "  - item: 政协委员履职活动经费",
        "    year: 2023",
        f"    amount: {per_head_prev + rng.choice([50, 60, 100])}",
        "    unit: 元/人",
        f"    previous: {per_head_prev}",
        "    source: 县财政预算",
    ]
    for item in ["政协全体委员会议经费", "专题协商和视察调研经费", "政协文史资料编纂经费"]:
        prev = rng.randint(8, 40) * 10000
        lines += [
            f"  - item: {item}",
            "    year: 2023",
            f"    amount: {prev + rng.randint(0, 12) * 10000}",
            "    unit: 元",
            f"    previous: {prev}",
            "    source: 县财政预算",
        ]
    lines += ["", "appointments:"]
    for _ in range(rng.randint(4, 12)):
        action = rng.choices(["提拔", "交流", "推荐"], weights=[6, 3, 1])[0]
        rank = rng.choice(["正科级", "副科级"]) if action != "推荐" else "副县级"
        lines += [
            f"  - name: {person(rng)}",
            f"    date: {date(rng)}",
            f"    action: {action}",
            f"    rank: {rank}",
            f"    party: {rng.choices(['中共党员', '民主党派', '无党派'], weights=[7, 2, 1])[0]}",
            f"    group: {rng.choice(['机关干部', '政协委员'])}",
        ]
    return key, "\n".join(lines) + "\n"


def main():
    if len(sys.argv) != 3 or not sys.argv[1].isdigit():
        sys.exit("usage: gen-counties.py N DIR")
    n, dest = int(sys.argv[1]), Path(sys.argv[2])
    if dest.resolve() != EXAMPLE:
        for part in ["wengao.toml", "templates", "data"]:
            src = EXAMPLE / part
            if src.is_dir():
                shutil.copytree(src, dest / part, dirs_exist_ok=True,
                                ignore=shutil.ignore_patterns("counties"))
            else:
                dest.mkdir(parents=True, exist_ok=True)
                shutil.copy(src, dest / part)
    counties = dest / "data" / "counties"
    if counties.exists():
        shutil.rmtree(counties)
    counties.mkdir(parents=True)
    for i in range(n):
        key, text = county(i)
        (counties / f"{key}.yaml").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
