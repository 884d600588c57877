//! 简↔繁: converting text between Simplified and Traditional script.
//!
//! Used by the `to_traditional` / `to_simplified` filters and by `script` in
//! wengao.toml, which converts a document's whole rendered Markdown (prose
//! and the data printed into it) before it is parsed. Conversion is by
//! OpenCC's phrase dictionaries first and characters second, so one-to-many
//! characters come out right in context: 干部 → 幹部 but 干净 → 乾淨, 头发 →
//! 頭髮 but 发展 → 發展, 以后 → 以後 but 皇后 stays 皇后, 云南 → 雲南.
//! The converters are built once per process; conversion is deterministic.

use std::sync::OnceLock;

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;
use serde::Deserialize;

/// The script a project's documents are printed in (`script` in wengao.toml).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Script {
    /// Print the text as the templates and data write it (the default).
    #[default]
    Keep,
    /// Convert to Simplified characters (简体).
    Simplified,
    /// Convert to Traditional characters (繁體, OpenCC's standard forms:
    /// 爲, 衆, 羣 …).
    Traditional,
    /// Traditional characters in the forms used in Taiwan (為, 眾, 群 …).
    #[serde(rename = "traditional-tw")]
    TraditionalTw,
    /// Traditional characters in the forms used in Hong Kong (為, 眾, 羣 …).
    #[serde(rename = "traditional-hk")]
    TraditionalHk,
}

impl Script {
    /// The language tag (BCP 47) of a document printed in this script, for
    /// the PDF's `/Lang`, the HTML `lang` and the DOCX's East Asian language:
    /// readers choose fonts, voices and line breaking by it. Text kept as
    /// written is Traditional (`zh-Hant`) when it is written that way.
    pub fn language(self, text: &str) -> &'static str {
        match self {
            Script::Simplified => SIMPLIFIED,
            Script::Traditional => "zh-Hant",
            Script::TraditionalTw => "zh-TW",
            Script::TraditionalHk => "zh-HK",
            Script::Keep if looks_traditional(text) => "zh-Hant",
            Script::Keep => SIMPLIFIED,
        }
    }

    /// Convert `text` to this script; `Keep` returns it unchanged.
    pub fn apply(self, text: &str) -> Result<String, String> {
        match self {
            Script::Keep => Ok(text.to_string()),
            Script::Simplified => to_simplified(text),
            Script::Traditional => to_traditional(text),
            Script::TraditionalTw => to_traditional_in(text, Region::Taiwan),
            Script::TraditionalHk => to_traditional_in(text, Region::HongKong),
        }
    }
}

/// The language tag of Simplified Chinese as mainland offices write it.
pub const SIMPLIFIED: &str = "zh-CN";

/// Characters written only in Traditional script and common in official
/// prose (們 個 這 國 會 為 縣 員 …).
pub fn is_traditional_marker(c: char) -> bool {
    const MARKERS: &str = "們個這來國會說為與從對時發經過還進關體點黨區縣員幹開實現應當長億萬總數額費項辦議導級設計劃資產業農鄉鎮幣們佔較準備歲";
    !c.is_ascii() && MARKERS.contains(c)
}

/// Whether `text` is written in Traditional script: more of its characters
/// are Traditional-only markers than Simplified forms of those markers. A
/// quoted Traditional name in Simplified text (a book title, 臺灣) does
/// not make the document Traditional.
fn looks_traditional(text: &str) -> bool {
    const SIMPLIFIED_FORMS: &str = "们个这来国会说为与从对时发经过还进关体点党区县员干开实现应当长亿万总数额费项办议导级设计划资产业农乡镇币们占较准备岁";
    let traditional = text.chars().filter(|&c| is_traditional_marker(c)).count();
    let simplified = text.chars().filter(|&c| !c.is_ascii() && SIMPLIFIED_FORMS.contains(c)).count();
    traditional > simplified
}

type Converter = Result<OpenCC, String>;

fn converter(cell: &'static OnceLock<Converter>, config: BuiltinConfig) -> Result<&'static OpenCC, String> {
    cell.get_or_init(|| OpenCC::from_config(config).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| format!("the script converter could not be loaded: {e}"))
}

/// Simplified → Traditional. Fails only if the built-in dictionaries cannot
/// be loaded, which would be a bug in the build.
pub fn to_traditional(text: &str) -> Result<String, String> {
    static S2T: OnceLock<Converter> = OnceLock::new();
    Ok(converter(&S2T, BuiltinConfig::S2t)?.convert(text))
}

/// Where Traditional text is read: the forms of some characters differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    /// OpenCC's standard forms (爲, 衆, 羣).
    Standard,
    /// Taiwan (為, 眾, 群).
    Taiwan,
    /// Hong Kong (為, 眾, 羣).
    HongKong,
}

impl Region {
    /// `tw`, `hk` or `standard` (also the empty string), as the filters take it.
    pub fn parse(name: &str) -> Option<Region> {
        match name.to_ascii_lowercase().as_str() {
            "" | "standard" => Some(Region::Standard),
            "tw" | "taiwan" => Some(Region::Taiwan),
            "hk" | "hongkong" | "hong-kong" => Some(Region::HongKong),
            _ => None,
        }
    }
}

/// Simplified → Traditional in the forms of `region` (characters only: no
/// regional vocabulary such as 软件 → 軟體).
pub fn to_traditional_in(text: &str, region: Region) -> Result<String, String> {
    static S2TW: OnceLock<Converter> = OnceLock::new();
    static S2HK: OnceLock<Converter> = OnceLock::new();
    match region {
        Region::Standard => to_traditional(text),
        Region::Taiwan => Ok(converter(&S2TW, BuiltinConfig::S2tw)?.convert(text)),
        Region::HongKong => Ok(converter(&S2HK, BuiltinConfig::S2hk)?.convert(text)),
    }
}

/// Traditional → Simplified (any regional forms).
pub fn to_simplified(text: &str) -> Result<String, String> {
    static T2S: OnceLock<Converter> = OnceLock::new();
    Ok(converter(&T2S, BuiltinConfig::T2s)?.convert(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_follows_the_script_or_the_text_as_written() {
        assert_eq!(Script::Keep.language("政协常委为45人，县委书记出席。"), "zh-CN");
        assert_eq!(Script::Keep.language("政協常委為45人，縣委書記出席。"), "zh-Hant");
        // A Traditional book title quoted in Simplified text stays zh-CN.
        assert_eq!(Script::Keep.language("县政协组织委员学习《國會議事規則》，发言为10人。"), "zh-CN");
        assert_eq!(Script::Simplified.language("政協"), "zh-CN");
        assert_eq!(Script::Traditional.language("政协"), "zh-Hant");
        assert_eq!(Script::TraditionalTw.language(""), "zh-TW");
        assert_eq!(Script::TraditionalHk.language(""), "zh-HK");
    }

    fn t(s: &str) -> String {
        to_traditional(s).expect("converter")
    }

    fn s(s: &str) -> String {
        to_simplified(s).expect("converter")
    }

    #[test]
    fn one_simplified_character_many_traditional() {
        // 干 → 幹 (do, cadre), 乾 (dry, clean), 干 (shield, interfere).
        assert_eq!(t("党员干部"), "黨員幹部");
        assert_eq!(t("干净"), "乾淨");
        assert_eq!(t("干涉"), "干涉");
        // 后 → 後 (after) but 后 (empress).
        assert_eq!(t("以后"), "以後");
        assert_eq!(t("皇后"), "皇后");
        // 发 → 發 (develop, issue), 髮 (hair).
        assert_eq!(t("发展"), "發展");
        assert_eq!(t("头发"), "頭髮");
        // 云 → 雲 (cloud) but 云 (to say).
        assert_eq!(t("云南"), "雲南");
        assert_eq!(t("人云亦云"), "人云亦云");
    }

    #[test]
    fn the_table_in_docs_script_md() {
        let pairs = [
            ("干部、干活", "幹部、幹活"),
            ("干净、饼干", "乾淨、餅乾"),
            ("干涉、若干", "干涉、若干"),
            ("以后、后来", "以後、後來"),
            ("皇后、太后", "皇后、太后"),
            ("发展、发言", "發展、發言"),
            ("头发、理发", "頭髮、理髮"),
            ("云南、白云", "雲南、白雲"),
        ];
        for (simplified, traditional) in pairs {
            assert_eq!(t(simplified), traditional);
            assert_eq!(s(traditional), simplified);
        }
    }

    #[test]
    fn regional_forms() {
        let text = "为群众办实事，干部下基层";
        assert_eq!(t(text), "爲羣衆辦實事，幹部下基層");
        assert_eq!(to_traditional_in(text, Region::Taiwan).as_deref(), Ok("為群眾辦實事，幹部下基層"));
        assert_eq!(to_traditional_in(text, Region::HongKong).as_deref(), Ok("為羣眾辦實事，幹部下基層"));
        assert_eq!(Script::TraditionalTw.apply(text).as_deref(), Ok("為群眾辦實事，幹部下基層"));
        // Characters only, no regional vocabulary.
        assert_eq!(to_traditional_in("软件", Region::Taiwan).as_deref(), Ok("軟件"));
        // Back from any of them.
        assert_eq!(s("為群眾辦實事"), "为群众办实事");
        assert_eq!(Region::parse("TW"), Some(Region::Taiwan));
        assert_eq!(Region::parse("mo"), None);
    }

    #[test]
    fn traditional_to_simplified() {
        assert_eq!(s("黨員幹部"), "党员干部");
        assert_eq!(s("乾淨"), "干净");
        assert_eq!(s("頭髮和發展"), "头发和发展");
        assert_eq!(s("範文彙編"), "范文汇编");
    }

    #[test]
    fn numbers_markup_and_latin_pass_through() {
        let md = "---\ntitle: 报告\n---\n## 工作\n\n2023年共**12**件，占97.5%。\\newpage\n";
        // OpenCC writes 占 (occupy) as 佔.
        assert_eq!(t(md), "---\ntitle: 報告\n---\n## 工作\n\n2023年共**12**件，佔97.5%。\\newpage\n");
    }

    #[test]
    fn keep_is_identity_and_conversion_is_deterministic() {
        let text = "县委支持政协工作经验材料";
        assert_eq!(Script::Keep.apply(text).as_deref(), Ok(text));
        let once = Script::Traditional.apply(text).expect("converter");
        assert_eq!(once, "縣委支持政協工作經驗材料");
        for _ in 0..3 {
            assert_eq!(Script::Traditional.apply(text).as_deref(), Ok(once.as_str()));
        }
        assert_eq!(Script::Simplified.apply(&once).as_deref(), Ok(text));
    }
}
