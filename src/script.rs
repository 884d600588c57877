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
