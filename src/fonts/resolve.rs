//! Resolution: which font file serves each face (SPEC §7), once per build.
//!
//! For every face, in order: font files named in wengao.toml, installed
//! fonts by the names in `Style.fonts`, installed open fonts standing in,
//! fonts bundled with wengao, any installed Chinese font, and at last another
//! face's font. Each step that changes the look of a face says so (F001).
//! The result feeds layout (metrics) and the PDF writer (bytes); nothing here
//! lays out or writes PDF.

use std::collections::BTreeMap;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::load::{self, Shared};
use super::system::{Installed, SystemFonts, describe};
use super::{Choice, FontId, FontOrigin, FontSet};
use crate::diag::{Code, Diagnostic, Diags};
use crate::project::CONFIG_FILE;
use crate::style::{Face, Style};

/// An open font that may stand in for a face.
struct Open {
    family: &'static str,
    /// The style it really is (a Song font standing in for 仿宋 is a change of look).
    style: Face,
    /// Preferred weight: 小标宋 titles are heavy, so Song prefers a bold cut.
    weight: u16,
}

const fn open(family: &'static str, style: Face, weight: u16) -> Open {
    Open { family, style, weight }
}

/// Open fonts per face, best first: same-style fonts before a serif that
/// merely has the characters.
fn open_fonts(face: Face) -> &'static [Open] {
    use Face::*;
    const SONG: &[Open] = &[
        open("FandolSong", Song, 700),
        open("Noto Serif CJK SC", Song, 700),
        open("Source Han Serif SC", Song, 700),
        open("AR PL UMing CN", Song, 400),
    ];
    const FANG: &[Open] =
        &[open("FandolFang", Fang, 400), open("Noto Serif CJK SC", Song, 400), open("AR PL UMing CN", Song, 400)];
    const HEI: &[Open] = &[
        open("FandolHei", Hei, 400),
        open("Noto Sans CJK SC", Hei, 400),
        open("Source Han Sans SC", Hei, 400),
        open("WenQuanYi Zen Hei", Hei, 400),
    ];
    const KAI: &[Open] = &[
        open("FandolKai", Kai, 400),
        open("LXGW WenKai", Kai, 400),
        open("AR PL UKai CN", Kai, 400),
        open("AR PL KaitiM GB", Kai, 400),
        open("Noto Serif CJK SC", Song, 400),
    ];
    const SONGTI: &[Open] = &[
        open("FandolSong", Songti, 400),
        open("Noto Serif CJK SC", Songti, 400),
        open("Source Han Serif SC", Songti, 400),
        open("AR PL UMing CN", Songti, 400),
    ];
    match face {
        Song => SONG,
        Fang => FANG,
        Hei => HEI,
        Kai => KAI,
        Songti => SONGTI,
    }
}

/// Large-coverage fonts loaded as a last resort for rare characters (镕, 堃,
/// 𬱖) that the faces' own fonts lack. One is enough; being mapped, its pages
/// are read only when a lookup falls through to it.
const FALLBACK_FAMILIES: &[&str] = &[
    "Noto Serif CJK SC",
    "Noto Sans CJK SC",
    "Source Han Serif SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "AR PL UMing CN",
];

/// Which face's font to borrow when a face has none, nearest look first.
fn borrow_order(face: Face) -> [Face; 4] {
    use Face::*;
    match face {
        // A regular 宋体 is the nearest design to 标宋.
        Song => [Songti, Fang, Kai, Hei],
        Fang => [Song, Kai, Hei, Songti],
        Hei => [Song, Fang, Kai, Songti],
        Kai => [Fang, Song, Hei, Songti],
        // Page numbers: a regular weight first, not the heavy 标宋.
        Songti => [Fang, Song, Kai, Hei],
    }
}

/// How to get a proper font for a face.
fn install_hint(face: Face) -> String {
    let (office, open, package) = match face {
        Face::Song => ("方正小标宋简体", "FandolSong", "texlive-lang-chinese"),
        Face::Fang => ("仿宋_GB2312", "FandolFang", "texlive-lang-chinese"),
        Face::Hei => ("黑体 (SimHei)", "Noto Sans CJK SC", "fonts-noto-cjk"),
        Face::Kai => ("楷体_GB2312", "LXGW WenKai", "fonts-lxgw-wenkai"),
        Face::Songti => ("宋体 (SimSun)", "FandolSong", "texlive-lang-chinese"),
    };
    format!(
        "install {office}, or {open} (Debian/Ubuntu: `apt-get install {package}`), or name a font file for `{}` in wengao.toml [style.fonts]",
        face_key(face)
    )
}

/// The key of a face in `[style.fonts]`.
fn face_key(face: Face) -> &'static str {
    match face {
        Face::Song => "song",
        Face::Fang => "fang",
        Face::Hei => "hei",
        Face::Kai => "kai",
        Face::Songti => "songti",
    }
}

/// A `[style.fonts]` entry that names a file: `(path, face index)`.
/// `fonts/x.ttc#2` picks face 2 of a collection.
pub(crate) fn path_entry(entry: &str) -> Option<(String, u32)> {
    let (file, index) = match entry.rsplit_once('#') {
        Some((f, i)) if !i.is_empty() && i.bytes().all(|b| b.is_ascii_digit()) => (f, i.parse().ok()?),
        _ => (entry, 0),
    };
    let lower = file.to_ascii_lowercase();
    let is_path = file.contains('/')
        || file.contains('\\')
        || [".ttf", ".otf", ".ttc", ".otc"].iter().any(|ext| lower.ends_with(ext));
    is_path.then(|| (file.to_string(), index))
}

/// How many of `names` come first from wengao.toml: `with_overrides` puts
/// the user's names in front of the preset's and drops preset names the user
/// repeated, so the user's part is the shortest prefix after which exactly
/// the rest of the preset follows.
fn user_prefix(names: &[String], preset: &[String]) -> usize {
    (0..=names.len())
        .find(|&k| {
            let (user, rest) = names.split_at(k);
            rest.iter().eq(preset.iter().filter(|p| !user.contains(p)))
        })
        .unwrap_or(names.len())
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        ErrorKind::NotFound => "no such file".into(),
        ErrorKind::PermissionDenied => "permission denied".into(),
        ErrorKind::IsADirectory => "it is a folder".into(),
        _ => e.to_string(),
    }
}

struct Resolver<'a> {
    root: &'a Path,
    set: FontSet,
    diags: Diags,
    /// Files mapped so far, so a collection is opened once for all its faces.
    files: BTreeMap<PathBuf, Arc<load::FileBytes>>,
    ids: BTreeMap<(PathBuf, u32), FontId>,
    system: Option<SystemFonts>,
    scan: Option<Box<dyn FnOnce() -> SystemFonts + 'a>>,
    bundled: bool,
}

impl FontSet {
    /// Choose a font for every face of `style` (SPEC §7). `root` is the
    /// project folder that font paths in wengao.toml are relative to.
    ///
    /// Installed fonts are scanned only when a face is not served by a font
    /// file named in wengao.toml, so a project that names files for all four
    /// faces builds the same on every machine. Errors: F003 for a named file
    /// that cannot be read, F004 when no face has a font; F001 warnings when a
    /// face is served by a font of another style.
    pub fn resolve(style: &Style, root: &Path) -> (FontSet, Diags) {
        resolve_with(style, root, Box::new(SystemFonts::scan), true)
    }
}

/// `FontSet::resolve` with the installed fonts given and bundled fonts
/// allowed or not (they exist only with the `bundled-fonts` feature).
pub(crate) fn resolve_with<'a>(
    style: &Style,
    root: &'a Path,
    scan: Box<dyn FnOnce() -> SystemFonts + 'a>,
    bundled: bool,
) -> (FontSet, Diags) {
    let mut r = Resolver {
        root,
        set: FontSet::default(),
        diags: Diags::new(),
        files: BTreeMap::new(),
        ids: BTreeMap::new(),
        system: None,
        scan: Some(scan),
        bundled,
    };
    let preset = Style::gbt9704();
    let mut chosen: Vec<(Face, Option<Choice>)> = Vec::new();
    for face in Face::ALL {
        let names = style.fonts.get(face);
        let user = user_prefix(names, preset.fonts.get(face));
        chosen.push((face, r.resolve_face(face, names, user)));
    }
    let mut found: Vec<(Face, Choice)> = chosen.iter().filter_map(|(f, c)| c.clone().map(|c| (*f, c))).collect();
    if found.is_empty() {
        // Last resort: any installed font with Chinese characters (a machine
        // with only, say, Microsoft YaHei), for every face.
        let any = r.system().any_chinese().cloned();
        if let Some(id) = any.and_then(|inst| r.load_installed(&inst)) {
            for (face, choice) in &mut chosen {
                let wanted = style.fonts.get(*face).iter().find(|n| path_entry(n).is_none()).cloned();
                let wanted = wanted.unwrap_or_else(|| face.chinese().to_string());
                r.warn_standin(*face, &[], id, None);
                let reason = format!("installed Chinese font standing in: {wanted} not installed");
                *choice = Some(Choice { face: *face, font: id, origin: FontOrigin::OpenSubstitute, reason });
            }
            found = chosen.iter().filter_map(|(f, c)| c.clone().map(|c| (*f, c))).collect();
        }
    }
    if found.is_empty() {
        r.diags.push(
            Diagnostic::error(Code::FontNone, "no Chinese font is installed or named: a PDF cannot be made")
                .with_hint("install one, e.g. `apt-get install fonts-noto-cjk` on Debian/Ubuntu")
                .with_hint(
                    "or name a font file in wengao.toml [style.fonts], e.g. fang = [\"fonts/FandolFang-Regular.otf\"]",
                ),
        );
        return (r.set, r.diags);
    }
    for (face, choice) in chosen {
        let choice = match choice {
            Some(c) => c,
            None => {
                // Some face has a font (checked above), so one of the others serves.
                let Some((other, c)) =
                    borrow_order(face).into_iter().find_map(|o| found.iter().find(|(f, _)| *f == o).cloned())
                else {
                    continue;
                };
                let family = r.family(c.font);
                r.diags.push(
                    Diagnostic::warning(
                        Code::FontSubstituted,
                        format!(
                            "no {} font is installed: the {} font ({family}) stands in",
                            face.chinese(),
                            other.chinese()
                        ),
                    )
                    .with_hint(install_hint(face)),
                );
                Choice {
                    face,
                    font: c.font,
                    origin: c.origin,
                    reason: format!("no {} font found: the {} font stands in", face.chinese(), other.chinese()),
                }
            }
        };
        r.set.choices.push(choice);
    }
    r.add_bold_variants();
    r.add_fallback();
    (r.set, r.diags)
}

impl<'a> Resolver<'a> {
    fn system(&mut self) -> &SystemFonts {
        let scan = &mut self.scan;
        self.system.get_or_insert_with(|| scan.take().map_or_else(SystemFonts::empty, |s| s()))
    }

    fn family(&self, id: FontId) -> String {
        self.set.fonts.get(id.0 as usize).map(|f| f.family.clone()).unwrap_or_default()
    }

    fn resolve_face(&mut self, face: Face, names: &[String], user: usize) -> Option<Choice> {
        let wanted = names.iter().find(|n| path_entry(n).is_none()).map_or(face.chinese(), String::as_str).to_string();
        let mut missing_user: Vec<&str> = Vec::new();
        // The office names of the preset (仿宋, 楷体, 方正小标宋_GBK …), moved to
        // the front in wengao.toml so that the DOCX names them, are missing on
        // most machines that build PDFs, as they are when the preset lists
        // them: not a mistake worth a warning (a misspelt name still is).
        let office = Style::gbt9704();
        let office = office.fonts.get(face);
        let mut first_family = true;
        // a, b: what the style names, files and families in order.
        for (i, entry) in names.iter().enumerate() {
            let config = i < user;
            if let Some((file, index)) = path_entry(entry) {
                if let Some(id) = self.load_path(face, entry, &file, index) {
                    return Some(Choice {
                        face,
                        font: id,
                        origin: FontOrigin::Config,
                        reason: "font file named in wengao.toml".into(),
                    });
                }
                continue;
            }
            let found = self.system().find(entry, 400).cloned();
            match found.and_then(|inst| self.load_installed(&inst)) {
                Some(id) => {
                    let (origin, reason) = if config {
                        (FontOrigin::Config, "named in wengao.toml [style.fonts]".to_string())
                    } else if first_family {
                        (FontOrigin::Installed, "installed".to_string())
                    } else {
                        (FontOrigin::Installed, format!("installed; {wanted} not installed"))
                    };
                    self.warn_standin(face, &missing_user, id, Some(face));
                    return Some(Choice { face, font: id, origin, reason });
                }
                None if config && !office.contains(entry) => missing_user.push(entry),
                None => {}
            }
            first_family = false;
        }
        // c: installed open fonts.
        for o in open_fonts(face) {
            let found = self.system().find(o.family, o.weight).cloned();
            if let Some(id) = found.and_then(|inst| self.load_installed(&inst)) {
                self.warn_standin(face, &missing_user, id, Some(o.style));
                return Some(Choice {
                    face,
                    font: id,
                    origin: FontOrigin::OpenSubstitute,
                    reason: standin_reason("installed open font standing in", face, o.style, &wanted),
                });
            }
        }
        // d: compiled into wengao.
        if self.bundled
            && let Some((id, style)) = self.load_bundled(face)
        {
            self.warn_standin(face, &missing_user, id, Some(style));
            return Some(Choice {
                face,
                font: id,
                origin: FontOrigin::Bundled,
                reason: standin_reason("bundled with wengao", face, style, &wanted),
            });
        }
        None
    }

    /// F001 when the stand-in changes the look (`style` ≠ `face`; `None`:
    /// unknown style) or when fonts the user named were not found.
    fn warn_standin(&mut self, face: Face, missing_user: &[&str], id: FontId, style: Option<Face>) {
        let family = self.family(id);
        let other_look = style != Some(face);
        let look = match style {
            Some(s) if s != face => format!(", a {} font,", s.style_name()),
            Some(_) => String::new(),
            None => ", a Chinese font of unknown style,".into(),
        };
        let d = if !missing_user.is_empty() {
            let list = missing_user.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
            let verb = if missing_user.len() == 1 { "is" } else { "are" };
            Diagnostic::warning(
                Code::FontSubstituted,
                format!(
                    "{list}, named for {} in wengao.toml, {verb} not installed: {family}{look} stands in",
                    face.chinese()
                ),
            )
            .with_path(CONFIG_FILE)
            .with_hint("give the family name as `wengao fonts` or the font itself spells it, or the path of the font file (relative to the project folder)")
        } else if other_look {
            Diagnostic::warning(
                Code::FontSubstituted,
                format!("no {} font is installed: {family}{look} stands in", face.chinese()),
            )
            .with_hint(install_hint(face))
        } else {
            return;
        };
        self.diags.push(d);
    }

    /// Load a font file named in wengao.toml; F003 (error) if it is not a usable font.
    fn load_path(&mut self, face: Face, entry: &str, file: &str, index: u32) -> Option<FontId> {
        let path = expand(self.root, file);
        if let Some(&id) = self.ids.get(&(path.clone(), index)) {
            return Some(id);
        }
        let unreadable = |why: String| {
            Diagnostic::error(
                Code::FontUnreadable,
                format!("font file `{entry}` named for {} cannot be used: {why}", face.chinese()),
            )
            .with_path(CONFIG_FILE)
        };
        let data = match self.file(&path) {
            Ok(d) => d,
            Err(e) => {
                let hint = if e.kind() == std::io::ErrorKind::InvalidInput {
                    "name a .ttf, .otf or .ttc font file here (not a pipe, a device or a link to one)".to_string()
                } else {
                    format!("paths in [style.fonts] are relative to the project folder; this one is {}", path.display())
                };
                let d = unreadable(io_reason(&e)).with_hint(hint);
                self.diags.push(d);
                return None;
            }
        };
        match load::facts((*data).as_ref(), index) {
            Ok(facts) => Some(self.push(data, index, Some(path), facts)),
            Err(why) => {
                let d = unreadable(why).with_hint(
                    "name a TrueType/OpenType file (.ttf, .otf, or .ttc with `#N` for face N); WOFF and Type 1 fonts are not supported",
                );
                self.diags.push(d);
                None
            }
        }
    }

    /// The bytes of a font file, mapped on first use (see `load::FileBytes`).
    fn file(&mut self, path: &Path) -> std::io::Result<Shared> {
        if let Some(d) = self.files.get(path) {
            return Ok(d.clone());
        }
        let d = load::read(path)?;
        self.files.insert(path.to_path_buf(), d.clone());
        self.set.files.push(d.clone());
        Ok(d)
    }

    /// Load an installed face. Mapping costs no more than the fontdb lookup
    /// that would otherwise read its facts, so bold cuts and fallbacks that
    /// may never be used are loaded like primaries: only the pages a lookup
    /// touches are ever read. A file that cannot be used is a warning (F003),
    /// and the next candidate is tried.
    fn load_installed(&mut self, inst: &Installed) -> Option<FontId> {
        if let Some(&id) = self.ids.get(&(inst.path.clone(), inst.index)) {
            return Some(id);
        }
        let loaded = self
            .file(&inst.path)
            .map_err(|e| io_reason(&e))
            .and_then(|d| load::facts((*d).as_ref(), inst.index).map(|f| (d, f)));
        match loaded {
            Ok((data, facts)) => Some(self.push(data, inst.index, Some(inst.path.clone()), facts)),
            Err(why) => {
                self.diags.push(
                    Diagnostic::warning(
                        Code::FontUnreadable,
                        format!("installed font {} cannot be used: {why}", describe(&inst.path, inst.index)),
                    )
                    .with_hint("another font is used instead; reinstall or remove the broken font file"),
                );
                None
            }
        }
    }

    fn push(&mut self, data: Shared, index: u32, path: Option<PathBuf>, facts: load::Facts) -> FontId {
        let id = FontId(self.set.fonts.len() as u32);
        if let Some(p) = &path {
            self.ids.insert((p.clone(), index), id);
        }
        self.set.fonts.push(load::loaded(id, data, index, path, facts));
        id
    }

    #[cfg(feature = "bundled-fonts")]
    fn load_bundled(&mut self, face: Face) -> Option<(FontId, Face)> {
        let b = super::bundled::for_face(face)?;
        Some((self.push_bundled(b)?, b.style))
    }

    #[cfg(not(feature = "bundled-fonts"))]
    fn load_bundled(&mut self, _face: Face) -> Option<(FontId, Face)> {
        None
    }

    #[cfg(feature = "bundled-fonts")]
    fn push_bundled(&mut self, b: &'static super::bundled::Bundled) -> Option<FontId> {
        let key = (Path::new(BUNDLED).join(b.name), 0);
        if let Some(&id) = self.ids.get(&key) {
            return Some(id);
        }
        // Checked by the tests; a broken build of the fonts is skipped, not fatal.
        let facts = load::facts(b.data, 0).ok()?;
        let id = self.push(std::sync::Arc::new(b.data), 0, None, facts);
        self.ids.insert(key, id);
        Some(id)
    }

    /// The bold serif for a bundled regular serif primary.
    #[cfg(feature = "bundled-fonts")]
    fn bundled_bold(&mut self, id: FontId) {
        let name = self
            .ids
            .iter()
            .find(|(_, v)| **v == id)
            .and_then(|((p, _), _)| p.strip_prefix(BUNDLED).ok().and_then(|n| n.to_str()).map(str::to_string));
        if let Some(b) = name.and_then(|n| super::bundled::bold_of(&n)) {
            self.push_bundled(b);
        }
    }

    #[cfg(not(feature = "bundled-fonts"))]
    fn bundled_bold(&mut self, _id: FontId) {}

    /// A real bold cut of each primary's family, if installed (Noto Serif CJK
    /// SC Bold for a regular Noto 仿宋 stand-in) or bundled, so bold text
    /// needs no synthetic bold. Installed cuts only when installed fonts were
    /// consulted at all.
    fn add_bold_variants(&mut self) {
        let primaries: Vec<FontId> = self.set.choices.iter().map(|c| c.font).collect();
        for id in primaries {
            let Some(f) = self.set.fonts.get(id.0 as usize) else { continue };
            let family = f.family.clone();
            if f.bold || self.set.fonts.iter().any(|g| g.bold && g.family == family) {
                continue;
            }
            if f.path.is_none() {
                self.bundled_bold(id);
                continue;
            }
            if self.system.is_none() {
                continue;
            }
            let found = self.system().find_in(&family, 700, 600).cloned();
            // The variant must name itself like the primary, or `bold_font` will not find it.
            if let Some(inst) = found
                && self.system().facts(&inst).is_ok_and(|f| f.family == family)
            {
                self.load_installed(&inst);
            }
        }
    }

    /// One large-coverage font for rare characters, unless one is loaded already.
    fn add_fallback(&mut self) {
        if self.system.is_none() {
            return;
        }
        for fam in FALLBACK_FAMILIES {
            let key = super::system::normalize(fam);
            if self.set.fonts.iter().any(|f| super::system::normalize(&f.family) == key) {
                return;
            }
            let found = self.system().find(fam, 400).cloned();
            if found.and_then(|inst| self.load_installed(&inst)).is_some() {
                return;
            }
        }
    }
}

/// Key prefix of bundled fonts among loaded files (never a real path).
#[cfg(feature = "bundled-fonts")]
const BUNDLED: &str = "<bundled>";

fn standin_reason(what: &str, face: Face, style: Face, wanted: &str) -> String {
    if style == face {
        format!("{what}: {wanted} not installed")
    } else {
        format!("{what}, a {} font: {wanted} not installed", style.style_name())
    }
}

/// A path from wengao.toml: `~/` is the home folder, relative paths are
/// relative to the project folder.
fn expand(root: &Path, file: &str) -> PathBuf {
    if let Some(rest) = file.strip_prefix("~/")
        && let Some(home) = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE"))
    {
        return PathBuf::from(home).join(rest);
    }
    let p = Path::new(file);
    if p.is_absolute() { p.to_path_buf() } else { root.join(p) }
}
