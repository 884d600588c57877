//! Every lint over the four real documents in tests/seeds (copied from
//! /work/shared/seeds): the findings must be exactly the real errors they
//! contain, and nothing in their correct sentences. Each finding is shown as
//! `CODE before[fragment]after` with a little context so the list reads.

use super::lint_text;

fn findings(name: &str) -> Vec<String> {
    let path = format!("{}/tests/seeds/{name}.txt", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).expect("seed");
    let mut out = Vec::new();
    for line in text.lines() {
        for f in lint_text(line) {
            let before: String =
                line[..f.range.start].chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
            let after: String = line[f.range.end..].chars().take(2).collect();
            out.push(format!("{} {before}[{}]{after}", f.code, &line[f.range.clone()]));
        }
    }
    out
}

fn check(name: &str, want: &[&str]) {
    let got = findings(name);
    assert_eq!(
        got,
        want,
        "{name}:\n{}",
        got.iter().map(|g| format!("        \"{g}\",")).collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn county_supports_cppcc_experience_material() {
    // Nine xx/XX placeholders, the seven empty head counts of one sentence,
    // the allowance that "rose" from 20230 to 300 yuan, and eleven opening
    // quotation marks whose closing marks were lost in copying.
    check(
        "county-supports-cppcc-experience-material",
        &[
            "Q001 近年来，[xx]县委",
            "Q001 见和中共[XX]省委",
            "Q007 县确定的[“]xx",
            "Q001 确定的“[xx]模式",
            "Q007 台，成为[“]一县",
            "Q007 协形成的[“]关于",
            "Q007 改造问题[“]关于",
            "Q007 整修问题[“]关于",
            "Q007 间、质量[“]五落",
            "Q007 发挥政协[“]人才",
            "Q007 人才库、[“]智囊",
            "Q007 。县委就[“]开展",
            "Q001 构建和谐[xx]，给",
            "Q001 ，形成了[xx]经济",
            "Q001 策、关于[xx]旅游",
            "Q001 关于加快[xx]民营",
            "Q001 关于加快[xx]农副",
            "Q001 4家，在[xx]经济",
            "Q007 中发挥了[“]领头",
            "Q007 量。坚持[“]精干",
            "Q002 提拔任用[人]（其",
            "Q002 其中正科[人]，副",
            "Q002 人，副科[人]）、",
            "Q002 交流任职[人]；在",
            "Q002 员中提拔[人]为县",
            "Q002 级领导、[人]为正",
            "Q002 级领导、[人]为副",
            "Q007 入，做到[“]三个",
            "Q004 元提高到[300元]。据",
        ],
    );
}

#[test]
fn cppcc_party_group_article_is_clean() {
    check("cppcc-party-group-article", &[]);
}

#[test]
fn lixian_experience_material() {
    // Words the web page masked with asterisks, a character lost in
    // "12·31", and the two shares that do not match their figures.
    check(
        "lixian-experience-material",
        &[
            "Q001 政能力和[****]建设",
            "Q001 务，加强[**]、深",
            "Q001 和形式，[*]大限",
            "Q001 积极性、[**]性，",
            "Q001 予我们的[**]任务",
            "Q001 合作共事[**]良好",
            "Q001 *良好的[**]生态",
            "Q001 邀请省市[**]学者",
            "Q001 *学者和[**]来澧",
            "Q001 全体县级[**]、乡",
            "Q001 国共产党[**]的多",
            "Q001 党合作和[**]协商",
            "Q001 记“12[?]31",
            "Q001 关于加强[**]协商",
            "Q001 党委统一[**]、统",
            "Q001 供坚强的[**]保证",
            "Q001 行《政协[**]参加",
            "Q001 县委主要[**]都亲",
            "Q001 了《党外[**]班子",
            "Q001 明确党外[**]班子",
            "Q001 了“党外[**]班子",
            "Q001 做到党外[**]干部",
            "Q001 *干部在[**]班子",
            "Q001 完善党员[**]干部",
            "Q001 党员县级[**]率先",
            "Q001 障机制。[**]上高",
            "Q001 为县政协[**]班子",
            "Q001 党外人士[**]安排",
            "Q001 安排一批[**]可靠",
            "Q001 士广泛的[**]参与",
            "Q003 9人，占[35%]，并",
            "Q003 8人，占[65%]，配",
            "Q001 在先”的[**]协商",
            "Q001 基础上，[**]性开",
            "Q001 员，推进[**]监督",
            "Q001 动，增进[**]共识",
        ],
    );
}

#[test]
fn party_building_collection() {
    // Titles listed with a 顿号 between their 书名号 (《…》、《…》), which
    // GB/T 15834 writes without one.
    check(
        "party-building-collection-traditional",
        &[
            "Q006 方之行》[、]《南",
            "Q006 華烽火》[、]《廣",
            "Q006 衡發展》[、]《應",
            "Q006 育投入》[、]《迅",
            "Q006 的建議》[、]《推",
            "Q006 業發展》[、]《建",
            "Q006 作規則》[、]《政",
            "Q006 作規則》[、]《政",
            "Q006 作規則》[、]《政",
            "Q006 作規則》[、]《政",
            "Q006 會通則》[、]《政",
            "Q006 作條例》[、]《政",
            "Q006 作條例》[、]《政",
            "Q006 政協報》[、]《中",
        ],
    );
}
