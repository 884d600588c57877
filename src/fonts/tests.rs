//! Tests of font resolution and glyph lookup against the fonts of this
//! machine; each test that needs a particular font skips (with a note) when
//! it is not installed.

use std::path::{Path, PathBuf};

use super::resolve::{path_entry, resolve_with};
use super::system::SystemFonts;
use super::*;
use crate::diag::{Code, Diags, Severity};
use crate::style::{FontOverrides, Style, StyleOverrides};

const NOTO_DIR: &str = "/usr/share/fonts/opentype/noto";
const NOTO_SERIF: &str = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc";
const NOTO_SANS: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
const DEJAVU: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

fn have(path: &str) -> bool {
    let ok = Path::new(path).exists();
    if !ok {
        crate::test_support::skip(&format!("a font test: {path} is not installed here"));
    }
    ok
}

/// A folder holding the Fandol fonts, if this machine has one.
fn fandol_dir() -> Option<PathBuf> {
    let found = [
        "/usr/local/share/fonts/fandol",
        "/tmp/fandol/x/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol",
        "/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|d| d.join("FandolFang-Regular.otf").is_file());
    if found.is_none() {
        crate::test_support::skip(
            "a Fandol font test: the Fandol fonts are not on this machine (scripts/install-fandol.sh)",
        );
    }
    found
}

/// A style naming these fonts; 宋体 (page numbers) takes the 标宋 list, so a
/// test that names every face names it too.
fn style_with(song: &[&str], fang: &[&str], hei: &[&str], kai: &[&str]) -> Style {
    let list = |l: &[&str]| (!l.is_empty()).then(|| l.iter().map(|s| s.to_string()).collect());
    let o = StyleOverrides {
        fonts: Some(FontOverrides {
            song: list(song),
            fang: list(fang),
            hei: list(hei),
            kai: list(kai),
            songti: list(song),
        }),
        ..Default::default()
    };
    Style::gbt9704().with_overrides(&o)
}

/// Resolve on a machine whose installed fonts are exactly those in `dirs`.
fn resolve_in(style: &Style, root: &Path, dirs: &[&Path]) -> (FontSet, Diags) {
    let dirs: Vec<PathBuf> = dirs.iter().map(|d| d.to_path_buf()).collect();
    resolve_with(
        style,
        root,
        Box::new(move || SystemFonts::from_dirs(&dirs.iter().map(PathBuf::as_path).collect::<Vec<_>>())),
        false,
    )
}

/// Resolve where scanning installed fonts would be a bug.
fn resolve_no_scan(style: &Style, root: &Path) -> (FontSet, Diags) {
    resolve_with(style, root, Box::new(|| panic!("installed fonts were scanned")), false)
}

fn codes(d: &Diags) -> Vec<(Severity, Code)> {
    d.iter().map(|d| (d.severity, d.code)).collect()
}

fn family_of(set: &FontSet, face: Face) -> String {
    set.font(set.primary(face)).map(|f| f.family.clone()).unwrap_or_default()
}

#[test]
fn path_entries_are_told_from_family_names() {
    assert_eq!(path_entry("fonts/FandolFang-Regular.otf"), Some(("fonts/FandolFang-Regular.otf".into(), 0)));
    assert_eq!(path_entry("simfang.TTF"), Some(("simfang.TTF".into(), 0)));
    assert_eq!(path_entry("/x/NotoSerifCJK-Regular.ttc#2"), Some(("/x/NotoSerifCJK-Regular.ttc".into(), 2)));
    assert_eq!(path_entry("C:\\Windows\\Fonts\\simhei.ttf"), Some(("C:\\Windows\\Fonts\\simhei.ttf".into(), 0)));
    assert_eq!(path_entry("仿宋_GB2312"), None);
    assert_eq!(path_entry("Noto Serif CJK SC"), None);
    assert_eq!(path_entry("C#"), None);
}

#[test]
fn named_font_file_serves_without_scanning_installed_fonts() {
    if !have(NOTO_SERIF) || !have(NOTO_SANS) {
        return;
    }
    let serif = format!("{NOTO_SERIF}#2");
    let sans = format!("{NOTO_SANS}#2");
    let style = style_with(&[&serif], &[&serif], &[&sans], &[&serif]);
    let (set, diags) = resolve_no_scan(&style, Path::new("/nonexistent"));
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(set.choices.len(), Face::ALL.len());
    for c in &set.choices {
        assert_eq!(c.origin, FontOrigin::Config);
    }
    // One .ttc face serves three faces: loaded once, one id.
    assert_eq!(set.fonts.len(), 2);
    assert_eq!(set.primary(Face::Song), set.primary(Face::Fang));
    let f = set.font(set.primary(Face::Fang)).unwrap();
    assert_eq!(f.family, "Noto Serif CJK SC");
    assert_eq!(f.postscript_name, "NotoSerifCJKsc-Regular");
    assert_eq!(f.index, 2);
    assert_eq!(f.units_per_em, 1000);
    assert!(f.ascender > 0 && f.descender < 0);
    assert!(!f.bold);
    assert_eq!(family_of(&set, Face::Hei), "Noto Sans CJK SC");
    // No installed fonts consulted, so no bold cuts or fallbacks either.
    assert_eq!(set.fallbacks().count(), 0);
}

#[test]
fn relative_font_paths_are_relative_to_the_project() {
    let Some(dir) = fandol_dir() else { return };
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir(root.path().join("fonts")).unwrap();
    std::fs::copy(dir.join("FandolFang-Regular.otf"), root.path().join("fonts/FandolFang-Regular.otf")).unwrap();
    let p = "fonts/FandolFang-Regular.otf";
    let (set, diags) = resolve_no_scan(&style_with(&[p], &[p], &[p], &[p]), root.path());
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(family_of(&set, Face::Fang), "FandolFang");
    assert_eq!(set.font(set.primary(Face::Fang)).unwrap().path.as_deref(), Some(root.path().join(p).as_path()));
}

#[test]
fn missing_font_file_is_f003_naming_the_path() {
    let root = tempfile::tempdir().unwrap();
    let style = style_with(&[], &["fonts/nope.ttf"], &[], &[]);
    let (_, diags) = resolve_in(&style, root.path(), &[]);
    let d = diags.iter().find(|d| d.code == Code::FontUnreadable).expect("F003");
    assert!(d.is_error());
    assert!(d.message.contains("fonts/nope.ttf"), "{}", d.message);
    assert!(d.message.contains("no such file"), "{}", d.message);
    assert!(d.hints.iter().any(|h| h.contains("relative to the project folder")));
}

#[test]
fn garbage_font_file_is_f003() {
    let root = tempfile::tempdir().unwrap();
    // Pseudo-random bytes (a fixed LCG: the test is the same every run).
    let mut x: u32 = 12345;
    let bytes: Vec<u8> = (0..4096)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (x >> 16) as u8
        })
        .collect();
    std::fs::write(root.path().join("bad.ttf"), bytes).unwrap();
    // A real font header cut short is unparsable too.
    if Path::new(DEJAVU).exists() {
        let head = std::fs::read(DEJAVU).unwrap();
        std::fs::write(root.path().join("cut.ttf"), &head[..200]).unwrap();
    }
    let style = style_with(&[], &["bad.ttf"], &["cut.ttf"], &[]);
    let (_, diags) = resolve_in(&style, root.path(), &[]);
    let f003: Vec<_> = diags.iter().filter(|d| d.code == Code::FontUnreadable).collect();
    assert!(f003.iter().all(|d| d.is_error()));
    assert!(f003.iter().any(|d| d.message.contains("bad.ttf") && d.message.contains("not a TrueType")), "{f003:?}");
    if Path::new(DEJAVU).exists() {
        assert!(f003.iter().any(|d| d.message.contains("cut.ttf")), "{f003:?}");
    }
}

#[test]
fn collection_face_out_of_range_is_f003() {
    if !have(NOTO_SERIF) {
        return;
    }
    let entry = format!("{NOTO_SERIF}#9");
    let (_, diags) = resolve_in(&style_with(&[], &[&entry], &[], &[]), Path::new("."), &[]);
    let d = diags.iter().find(|d| d.code == Code::FontUnreadable).expect("F003");
    assert!(d.message.contains("holds 5 faces"), "{}", d.message);
}

#[test]
fn family_names_match_case_insensitively_and_count_as_config() {
    if !have(NOTO_SERIF) {
        return;
    }
    let style = style_with(&[], &["noto serif cjk sc"], &["NOTOSANSCJKSC"], &[]);
    let (set, diags) = resolve_in(&style, Path::new("."), &[Path::new(NOTO_DIR)]);
    assert_eq!(family_of(&set, Face::Fang), "Noto Serif CJK SC");
    assert_eq!(set.choice(Face::Fang).unwrap().origin, FontOrigin::Config);
    assert_eq!(family_of(&set, Face::Hei), "Noto Sans CJK SC");
    assert_eq!(set.choice(Face::Hei).unwrap().origin, FontOrigin::Config);
    // The user chose a serif for 仿宋: no warning about it.
    assert!(!diags.iter().any(|d| d.message.contains("仿宋")), "{diags:?}");
}

#[test]
fn preset_names_that_are_installed_are_origin_installed() {
    if !have(NOTO_SERIF) {
        return;
    }
    // A hand-made style whose preset list names an open font: as if an office
    // name were installed.
    let mut style = Style::gbt9704();
    style.fonts.hei = vec!["黑体".into(), "Noto Sans CJK SC".into()];
    let preset_like = Style { fonts: style.fonts.clone(), ..Style::gbt9704() };
    let (set, _) = resolve_in(&preset_like, Path::new("."), &[Path::new(NOTO_DIR)]);
    let c = set.choice(Face::Hei).unwrap();
    // Not the preset list, so every name counts as the user's.
    assert_eq!(c.origin, FontOrigin::Config);
}

#[test]
fn user_named_font_that_is_missing_warns() {
    if !have(NOTO_SERIF) {
        return;
    }
    let style = style_with(&[], &["My Fang"], &[], &[]);
    let (set, diags) = resolve_in(&style, Path::new("."), &[Path::new(NOTO_DIR)]);
    assert_eq!(family_of(&set, Face::Fang), "Noto Serif CJK SC");
    let d = diags.iter().find(|d| d.message.contains("`My Fang`")).expect("warning about My Fang");
    assert_eq!((d.severity, d.code), (Severity::Warning, Code::FontSubstituted));
    assert!(d.message.contains("a 宋体 font"), "{}", d.message);
    assert!(set.choice(Face::Fang).unwrap().reason.contains("My Fang not installed"));
}

#[test]
fn office_names_moved_first_for_the_docx_do_not_warn_when_missing() {
    if !have(NOTO_SERIF) {
        return;
    }
    // A Traditional-script project: the DOCX names 仿宋 (Windows' GBK cut has
    // the characters), the PDF uses the open font named after it.
    let style = style_with(&[], &["仿宋", "Noto Serif CJK TC"], &[], &[]);
    let (set, diags) = resolve_in(&style, Path::new("."), &[Path::new(NOTO_DIR)]);
    assert_eq!(family_of(&set, Face::Fang), "Noto Serif CJK TC");
    assert!(!diags.iter().any(|d| d.message.contains("named for 仿宋")), "{diags:?}");
    // A name the preset does not know is still reported.
    let style = style_with(&[], &["仿宋体", "Noto Serif CJK TC"], &[], &[]);
    let (_, diags) = resolve_in(&style, Path::new("."), &[Path::new(NOTO_DIR)]);
    assert!(diags.iter().any(|d| d.message.contains("`仿宋体`, named for 仿宋")), "{diags:?}");
}

#[test]
fn serif_standing_in_for_fang_and_kai_is_a_warning_sans_for_hei_is_not() {
    if !have(NOTO_SERIF) || !have(NOTO_SANS) {
        return;
    }
    let (set, diags) = resolve_in(&Style::gbt9704(), Path::new("."), &[Path::new(NOTO_DIR)]);
    for face in Face::ALL {
        assert_eq!(set.choice(face).unwrap().origin, FontOrigin::OpenSubstitute);
    }
    assert_eq!(family_of(&set, Face::Song), "Noto Serif CJK SC");
    assert!(set.font(set.primary(Face::Song)).unwrap().bold, "小标宋 prefers the bold cut");
    assert_eq!(family_of(&set, Face::Fang), "Noto Serif CJK SC");
    assert!(!set.font(set.primary(Face::Fang)).unwrap().bold);
    assert_eq!(family_of(&set, Face::Hei), "Noto Sans CJK SC");
    assert_eq!(family_of(&set, Face::Kai), "Noto Serif CJK SC");
    assert_eq!(codes(&diags), vec![(Severity::Warning, Code::FontSubstituted); 2], "{diags:?}");
    assert!(diags.0[0].message.starts_with("no 仿宋 font is installed: Noto Serif CJK SC, a 宋体 font"));
    assert!(diags.0[0].hints[0].contains("仿宋_GB2312") && diags.0[0].hints[0].contains("FandolFang"));
    assert!(diags.0[1].message.starts_with("no 楷体 font is installed"));
    assert_eq!(
        set.choice(Face::Fang).unwrap().reason,
        "installed open font standing in, a 宋体 font: 仿宋_GB2312 not installed"
    );
    assert_eq!(set.choice(Face::Hei).unwrap().reason, "installed open font standing in: 黑体 not installed");
    // Kai and Fang share one loaded font.
    assert_eq!(set.primary(Face::Kai), set.primary(Face::Fang));
}

#[test]
fn fandol_serves_every_face_in_its_own_style() {
    let Some(dir) = fandol_dir() else { return };
    let (set, diags) = resolve_in(&Style::gbt9704(), Path::new("."), &[&dir]);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(family_of(&set, Face::Song), "FandolSong");
    // FandolSong-Bold says weight 400 but sets the bold flag.
    assert!(set.font(set.primary(Face::Song)).unwrap().bold);
    assert_eq!(family_of(&set, Face::Fang), "FandolFang");
    assert_eq!(family_of(&set, Face::Hei), "FandolHei");
    assert!(!set.font(set.primary(Face::Hei)).unwrap().bold);
    assert_eq!(family_of(&set, Face::Kai), "FandolKai");
    // FandolHei-Bold is the bold cut of 黑体; 仿宋 has none.
    let hb = set.bold_font(Face::Hei).expect("FandolHei Bold");
    assert_ne!(hb, set.primary(Face::Hei));
    assert_eq!(set.bold_font(Face::Fang), None);
    assert_eq!(set.glyph(Face::Hei, true, '中').unwrap().font, hb);
}

#[test]
fn one_font_family_borrowed_by_the_other_faces() {
    if !have(NOTO_SANS) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(NOTO_SANS, dir.path().join("NotoSansCJK-Regular.ttc")).unwrap();
    let (set, diags) = resolve_in(&Style::gbt9704(), Path::new("."), &[dir.path()]);
    assert_eq!(set.choices.len(), Face::ALL.len());
    for face in Face::ALL {
        assert_eq!(family_of(&set, face), "Noto Sans CJK SC");
    }
    let f001: Vec<_> = diags.iter().filter(|d| d.code == Code::FontSubstituted).collect();
    // Every face but 黑体 changes its look.
    assert_eq!(f001.len(), Face::ALL.len() - 1, "{diags:?}");
    assert!(f001.iter().any(|d| d.message == "no 仿宋 font is installed: the 黑体 font (Noto Sans CJK SC) stands in"));
    assert!(!diags.has_errors());
}

#[test]
fn the_last_resort_prefers_a_simplified_chinese_face() {
    if !have(NOTO_SANS) {
        return;
    }
    let sys = SystemFonts::from_dirs(&[Path::new(NOTO_DIR)]);
    let f = sys.any_chinese().expect("a Chinese face");
    // Index 0 of the Noto CJK collections is the Japanese face; 2 and 7 are SC.
    assert!(f.index == 2 || f.index == 7, "{f:?}");
    assert_eq!(f.weight, 400);
}

#[test]
fn no_chinese_font_at_all_is_f004() {
    let (set, diags) = resolve_in(&Style::gbt9704(), Path::new("."), &[]);
    assert_eq!(codes(&diags), vec![(Severity::Error, Code::FontNone)]);
    assert!(diags.0[0].hints.iter().any(|h| h.contains("fonts-noto-cjk")));
    assert!(set.choices.is_empty());
    assert_eq!(set.glyph(Face::Fang, false, '中'), None);
    assert_eq!(set.units_per_em(set.primary(Face::Fang)), 1000);
}

#[test]
fn a_latin_only_font_is_not_chinese() {
    if !have(DEJAVU) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(DEJAVU, dir.path().join("DejaVuSans.ttf")).unwrap();
    let (_, diags) = resolve_in(&Style::gbt9704(), Path::new("."), &[dir.path()]);
    assert_eq!(codes(&diags), vec![(Severity::Error, Code::FontNone)]);
}

#[test]
fn glyphs_of_common_and_rare_characters() {
    if !have(NOTO_SERIF) {
        return;
    }
    let (set, _) = resolve_in(&Style::gbt9704(), Path::new("."), &[Path::new(NOTO_DIR)]);
    let fang = set.primary(Face::Fang);
    for ch in ['中', 'A', '，', '镕', '堃', '1', '（', '—'] {
        let g = set.glyph(Face::Fang, false, ch).unwrap_or_else(|| panic!("no glyph for {ch}"));
        assert_eq!(g.font, fang, "{ch}");
        assert!(g.glyph != 0 && g.advance > 0, "{ch}: {g:?}");
    }
    assert_eq!(set.glyph(Face::Fang, false, '中').unwrap().advance, 1000);
    assert_eq!(set.glyph(Face::Fang, false, '，').unwrap().advance, 1000);
    assert!(set.glyph(Face::Fang, false, 'A').unwrap().advance < 1000);
    // A private-use character no font has.
    assert_eq!(set.glyph(Face::Fang, false, '\u{F8FF}'), None);
    // Bold 仿宋 uses the real bold cut (the same font as 标宋 here).
    assert_eq!(set.bold_font(Face::Fang), Some(set.primary(Face::Song)));
    assert_eq!(set.glyph(Face::Fang, true, '中').unwrap().font, set.primary(Face::Song));
    // Bold 黑体: Noto Sans CJK SC Bold.
    let hb = set.bold_font(Face::Hei).expect("Noto Sans CJK SC Bold");
    assert!(set.font(hb).unwrap().bold);
    assert_eq!(set.glyph(Face::Hei, true, '国').unwrap().font, hb);
    assert_eq!(set.units_per_em(fang), 1000);
    assert!(set.ascender(fang) > 800);
}

#[test]
fn a_character_the_primary_lacks_comes_from_another_font() {
    if !have(DEJAVU) || !have(NOTO_SERIF) {
        return;
    }
    let serif = format!("{NOTO_SERIF}#2");
    let style = style_with(&[&serif], &[DEJAVU], &[&serif], &[&serif]);
    let (set, diags) = resolve_no_scan(&style, Path::new("."));
    assert!(diags.is_empty(), "{diags:?}");
    let latin = set.primary(Face::Fang);
    assert_eq!(family_of(&set, Face::Fang), "DejaVu Sans");
    assert_eq!(set.glyph(Face::Fang, false, 'A').unwrap().font, latin);
    let g = set.glyph(Face::Fang, false, '中').unwrap();
    assert_eq!(g.font, set.primary(Face::Song));
    assert_eq!(set.glyph_in(latin, '中'), None);
    // ∮ is in DejaVu, so 标宋 text borrows it from there if Noto lacks it.
    if set.glyph_in(set.primary(Face::Song), '⚠').is_none() {
        assert_eq!(set.glyph(Face::Song, false, '⚠').unwrap().font, latin);
    }
}

#[test]
fn rare_characters_fall_back_to_a_wide_coverage_font() {
    let Some(dir) = fandol_dir() else { return };
    if !have(NOTO_SERIF) {
        return;
    }
    let (set, _) = resolve_in(&Style::gbt9704(), Path::new("."), &[&dir, Path::new(NOTO_DIR)]);
    assert_eq!(family_of(&set, Face::Fang), "FandolFang");
    let fallback: Vec<_> = set.fallbacks().filter(|f| !f.bold).map(|f| f.family.clone()).collect();
    assert_eq!(fallback, vec!["Noto Serif CJK SC".to_string()]);
    // 𬱖 (U+2CC56, in 通用规范汉字表) is beyond GB 2312: Fandol lacks it, Noto has it.
    for ch in ['𬱖', '镕'] {
        if let Some(g) = set.glyph(Face::Fang, false, ch) {
            let f = set.font(g.font).unwrap();
            if set.glyph_in(set.primary(Face::Fang), ch).is_none() {
                assert_eq!(f.family, "Noto Serif CJK SC", "{ch}");
            }
        }
    }
    assert!(set.glyph(Face::Fang, false, '𬱖').is_some());
}

#[test]
fn resolution_is_deterministic() {
    let summary = |(set, diags): (FontSet, Diags)| {
        let fonts: Vec<_> = set.fonts.iter().map(|f| (f.path.clone(), f.index, f.family.clone(), f.bold)).collect();
        let choices: Vec<_> =
            set.choices.iter().map(|c| (c.face, c.font, c.origin.clone(), c.reason.clone())).collect();
        (fonts, choices, diags)
    };
    let style = Style::gbt9704();
    let a = summary(FontSet::resolve(&style, Path::new(".")));
    let b = summary(FontSet::resolve(&style, Path::new(".")));
    assert_eq!(a, b);
}

#[test]
fn from_file_serves_all_faces() {
    if !have(NOTO_SANS) {
        return;
    }
    let set = FontSet::from_file(Path::new(NOTO_SANS), 2).unwrap();
    assert_eq!(set.choices.len(), Face::ALL.len());
    assert!(set.glyph(Face::Kai, false, '楷').is_some());
    assert_eq!(FontSet::from_file(Path::new("/nonexistent.ttf"), 0).unwrap_err().code, Code::FontUnreadable);
}

#[test]
fn missing_glyph_diagnostic_names_the_character() {
    let d = missing_glyph_diag('𬱖');
    assert_eq!((d.severity, d.code), (Severity::Warning, Code::FontMissingGlyph));
    assert!(d.message.contains("𬱖") && d.message.contains("U+2CC56"), "{}", d.message);
}

#[cfg(feature = "bundled-fonts")]
#[test]
fn bundled_fonts_serve_a_machine_without_chinese_fonts() {
    let (set, diags) = resolve_with(&Style::gbt9704(), Path::new("."), Box::new(SystemFonts::empty), true);
    assert!(!diags.has_errors(), "{diags:?}");
    for face in Face::ALL {
        assert_eq!(set.choice(face).unwrap().origin, FontOrigin::Bundled);
        assert_eq!(set.font(set.primary(face)).unwrap().path, None);
    }
    assert_eq!(family_of(&set, Face::Song), "Noto Serif SC");
    assert!(set.font(set.primary(Face::Song)).unwrap().bold);
    assert_eq!(family_of(&set, Face::Hei), "Noto Sans SC");
    // A serif for 仿宋 and 楷体 changes their look: two warnings; 黑体 is a sans.
    let f001: Vec<_> = diags.iter().filter(|d| d.code == Code::FontSubstituted).map(|d| d.message.clone()).collect();
    assert_eq!(f001.len(), 2, "{f001:?}");
    assert!(f001[0].starts_with("no 仿宋 font is installed: Noto Serif SC, a 宋体 font, stands in"), "{f001:?}");
    assert_eq!(set.choice(Face::Fang).unwrap().reason, "bundled with wengao, a 宋体 font: 仿宋_GB2312 not installed");
    // GB 2312, ASCII, punctuation and the GBK name characters of
    // fonts/name-chars.txt (镕, 堃 …) are there; rarer characters are not.
    for ch in "中华人民共和国〇—―·…，。、；：？！“”‘’（）《》【】〔〕ABCxyz0129①％镕堃喆玥昇".chars()
    {
        assert!(set.glyph(Face::Fang, false, ch).is_some(), "{ch}");
        assert!(set.glyph(Face::Hei, false, ch).is_some(), "{ch}");
    }
    assert_eq!(set.glyph(Face::Fang, false, '𬱖'), None);
    assert_eq!(set.glyph(Face::Fang, false, '龘'), None);
    // Bold 仿宋 is the bundled bold serif, the same font as 标宋.
    assert_eq!(set.bold_font(Face::Fang), Some(set.primary(Face::Song)));
    assert_eq!(set.bold_font(Face::Hei), None);
}

#[cfg(feature = "bundled-fonts")]
#[test]
fn installed_fonts_come_before_bundled_ones() {
    if !have(NOTO_SANS) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(NOTO_SANS, dir.path().join("NotoSansCJK-Regular.ttc")).unwrap();
    let d = dir.path().to_path_buf();
    let (set, _) =
        resolve_with(&Style::gbt9704(), Path::new("."), Box::new(move || SystemFonts::from_dirs(&[d.as_path()])), true);
    assert_eq!(family_of(&set, Face::Hei), "Noto Sans CJK SC");
    assert_eq!(set.choice(Face::Fang).unwrap().origin, FontOrigin::Bundled);
}

#[test]
fn a_mapped_font_has_the_bytes_a_read_gives() {
    let Some(dir) = fandol_dir() else { return };
    let path = dir.join("FandolFang-Regular.otf");
    let mapped = load::FileBytes::open(&path).unwrap();
    assert!(matches!(mapped, load::FileBytes::Mapped(_)));
    assert_eq!(mapped.as_ref(), std::fs::read(&path).unwrap().as_slice());
    // And the fonts built on them: from_file maps.
    let set = FontSet::from_file(&path, 0).unwrap();
    let read = load::loaded(
        FontId(0),
        Arc::new(std::fs::read(&path).unwrap()),
        0,
        None,
        load::facts(&std::fs::read(&path).unwrap(), 0).unwrap(),
    );
    let font = set.font(FontId(0)).unwrap();
    assert_eq!((*font.data).as_ref(), (*read.data).as_ref());
    assert_eq!(
        (font.family.as_str(), font.units_per_em, font.ascender),
        (read.family.as_str(), read.units_per_em, read.ascender)
    );
    for ch in "仿宋中国，A1".chars() {
        assert_eq!(load::lookup(font, ch), load::lookup(&read, ch), "{ch}");
    }
}

/// Resident kB of the mapping that starts at `addr` (Linux).
#[cfg(target_os = "linux")]
fn resident_kb(addr: usize) -> Option<u64> {
    let smaps = std::fs::read_to_string("/proc/self/smaps").ok()?;
    let start = format!("{addr:x}-");
    let mut lines = smaps.lines().skip_while(|l| !l.starts_with(&start)).skip(1);
    lines.find_map(|l| l.strip_prefix("Rss:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

#[test]
#[cfg(target_os = "linux")]
fn released_pages_leave_memory_and_read_back_the_same() {
    let root = tempfile::tempdir().unwrap();
    let path = root.path().join("big.otf");
    let bytes: Vec<u8> = (0..4_000_000u32).map(|i| (i % 253) as u8).collect();
    std::fs::write(&path, &bytes).unwrap();
    let mapped = load::FileBytes::open(&path).unwrap();
    assert!(matches!(mapped, load::FileBytes::Mapped(_)));
    let addr = mapped.as_ref().as_ptr() as usize;
    let sum = |b: &[u8]| b.iter().step_by(4096).map(|&x| u64::from(x)).sum::<u64>();
    assert_eq!(sum(mapped.as_ref()), sum(&bytes), "every page read");
    let before = resident_kb(addr).unwrap();
    assert!(before >= 3_000, "resident once read: {before} kB");
    mapped.release_pages();
    let after = resident_kb(addr).unwrap();
    assert!(after < before / 4, "released: {before} → {after} kB");
    assert_eq!(mapped.as_ref(), bytes.as_slice(), "the same bytes, read again");
    // Bytes that were read into memory are left alone.
    let read = load::open_with(&path, |_| Err(std::io::Error::other("no map"))).unwrap();
    read.release_pages();
    assert_eq!(read.as_ref(), bytes.as_slice());
}

#[test]
fn a_file_that_cannot_be_mapped_is_read() {
    let root = tempfile::tempdir().unwrap();
    let path = root.path().join("x.otf");
    let bytes: Vec<u8> = (0..70_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&path, &bytes).unwrap();
    let read = load::open_with(&path, |_| Err(std::io::Error::other("this file system cannot map"))).unwrap();
    assert!(matches!(read, load::FileBytes::Read(_)));
    assert_eq!(read.as_ref(), bytes.as_slice());
    // An empty file is read (there is nothing to map), as are files that
    // report no length but have content (procfs).
    std::fs::write(root.path().join("empty.ttf"), b"").unwrap();
    let empty = load::FileBytes::open(&root.path().join("empty.ttf")).unwrap();
    assert!(matches!(&empty, load::FileBytes::Read(v) if v.is_empty()));
    #[cfg(target_os = "linux")]
    {
        let status = load::FileBytes::open(Path::new("/proc/self/status")).unwrap();
        assert!(status.as_ref().starts_with(b"Name:"));
    }
}

#[test]
fn empty_folder_and_unmappable_font_files_are_f003_not_a_panic() {
    let root = tempfile::tempdir().unwrap();
    std::fs::write(root.path().join("empty.ttf"), b"").unwrap();
    std::fs::create_dir(root.path().join("folder.ttf")).unwrap();
    let style = style_with(&["empty.ttf"], &["folder.ttf"], &["nope.ttf"], &[]);
    let (_, diags) = resolve_in(&style, root.path(), &[]);
    let f003 = |name: &str| {
        diags
            .iter()
            .find(|d| d.code == Code::FontUnreadable && d.message.contains(name))
            .unwrap_or_else(|| panic!("no F003 for {name}: {diags:?}"))
    };
    assert!(f003("empty.ttf").is_error());
    assert!(f003("empty.ttf").message.contains("not a TrueType"), "{}", f003("empty.ttf").message);
    assert!(f003("folder.ttf").message.contains("it is a folder"), "{}", f003("folder.ttf").message);
    assert!(f003("nope.ttf").message.contains("no such file"), "{}", f003("nope.ttf").message);
    for p in ["empty.ttf", "folder.ttf", "nope.ttf"] {
        assert_eq!(FontSet::from_file(&root.path().join(p), 0).unwrap_err().code, Code::FontUnreadable);
    }
    #[cfg(target_os = "linux")]
    {
        // Not mappable (it reports no length), read, and not a font.
        let d = FontSet::from_file(Path::new("/proc/self/status"), 0).unwrap_err();
        assert_eq!(d.code, Code::FontUnreadable);
        assert!(d.message.contains("not a TrueType"), "{}", d.message);
    }
}
