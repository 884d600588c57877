//! Installed fonts: one scan of the system font folders per build.
//!
//! Part of font resolution (for layout and the PDF writer). fontdb parses
//! each font's name table through a memory map; wengao keeps the face list
//! sorted by path and face index so the same machine always gives the same
//! answer, whatever order the file system lists folders in. No layout, no PDF.

use std::path::{Path, PathBuf};

use super::load;

/// One face of an installed font file.
#[derive(Debug, Clone)]
pub(crate) struct Installed {
    /// fontdb's handle, to reach the file's bytes through a memory map.
    pub id: fontdb::ID,
    pub path: PathBuf,
    pub index: u32,
    /// Every family name the font gives (all languages) and its PostScript
    /// name, normalised for matching.
    keys: Vec<String>,
    pub weight: u16,
    pub italic: bool,
    /// The font names itself in Simplified Chinese (zh-CN/zh-SG), a sign it
    /// is made for mainland text rather than a Japanese or Traditional cut.
    simplified: bool,
}

/// The installed fonts of this machine.
pub(crate) struct SystemFonts {
    db: fontdb::Database,
    faces: Vec<Installed>,
}

/// Names are matched case-insensitively and without spaces, so "fangsong",
/// "FangSong" and "Fang Song" are one name, as in Word's font box.
pub(crate) fn normalize(name: &str) -> String {
    name.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect()
}

/// Where TeX Live keeps the Fandol fonts: they are open, cover GB 2312 in
/// all four faces, and many Chinese users have them without fontconfig
/// knowing (TeX Live does not register its fonts with the system).
fn tex_fandol_dirs() -> Vec<PathBuf> {
    const SUB: &str = "texmf-dist/fonts/opentype/public/fandol";
    let mut dirs = vec![
        PathBuf::from("/usr/share/texlive").join(SUB),
        PathBuf::from("/usr/share/texmf/fonts/opentype/public/fandol"),
        PathBuf::from("/Library/TeX/Root").join(SUB),
    ];
    // Versioned installs (/usr/local/texlive/2025, C:\texlive\2025): newest year first.
    for base in ["/usr/local/texlive", "C:\\texlive"] {
        let Ok(entries) = std::fs::read_dir(base) else { continue };
        let mut years: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        years.sort();
        years.reverse();
        dirs.extend(years.into_iter().map(|y| y.join(SUB)));
    }
    dirs.retain(|d| d.is_dir());
    dirs
}

impl SystemFonts {
    /// Scan the system folders (fontconfig's on Linux) and TeX Live's Fandol folder.
    pub(crate) fn scan() -> SystemFonts {
        let mut db = fontdb::Database::new();
        db.load_system_fonts();
        for dir in tex_fandol_dirs() {
            db.load_fonts_dir(dir);
        }
        SystemFonts::from_db(db)
    }

    /// Only the fonts in these folders (tests: a machine with exactly these fonts).
    #[cfg(test)]
    pub(crate) fn from_dirs(dirs: &[&Path]) -> SystemFonts {
        let mut db = fontdb::Database::new();
        for d in dirs {
            db.load_fonts_dir(d);
        }
        SystemFonts::from_db(db)
    }

    /// No installed fonts at all (a fresh machine).
    pub(crate) fn empty() -> SystemFonts {
        SystemFonts::from_db(fontdb::Database::new())
    }

    fn from_db(db: fontdb::Database) -> SystemFonts {
        let mut faces: Vec<Installed> = db
            .faces()
            .filter_map(|f| {
                let path = match &f.source {
                    fontdb::Source::File(p) | fontdb::Source::SharedFile(p, _) => p.clone(),
                    fontdb::Source::Binary(_) => return None,
                };
                let mut keys: Vec<String> = f.families.iter().map(|(n, _)| normalize(n)).collect();
                keys.push(normalize(&f.post_script_name));
                let simplified = f.families.iter().any(|(_, lang)| {
                    matches!(
                        lang,
                        fontdb::Language::Chinese_PeoplesRepublicOfChina | fontdb::Language::Chinese_Singapore
                    )
                });
                Some(Installed {
                    id: f.id,
                    path,
                    index: f.index,
                    keys,
                    weight: f.weight.0,
                    italic: f.style != fontdb::Style::Normal,
                    simplified,
                })
            })
            .collect();
        // Directory order is whatever the file system says; sorting makes
        // every later "first match" the same on every run.
        faces.sort_by(|a, b| (&a.path, a.index).cmp(&(&b.path, b.index)));
        faces.dedup_by(|a, b| a.path == b.path && a.index == b.index);
        SystemFonts { db, faces }
    }

    /// The face of family `name` whose weight is nearest `weight` (upright
    /// before italic, then the lighter of two equally near, then path order).
    pub(crate) fn find(&self, name: &str, weight: u16) -> Option<&Installed> {
        self.find_in(name, weight, 0)
    }

    /// Like `find`, but only faces of at least `min_weight`.
    pub(crate) fn find_in(&self, name: &str, weight: u16, min_weight: u16) -> Option<&Installed> {
        let key = normalize(name);
        self.faces
            .iter()
            .filter(|f| f.keys.contains(&key))
            .map(|f| (f, self.weight(f)))
            .filter(|(_, w)| *w >= min_weight)
            .min_by_key(|(f, w)| (f.italic, w.abs_diff(weight), *w))
            .map(|(f, _)| f)
    }

    /// fontdb reads only usWeightClass, which some bold cuts leave at 400;
    /// the candidates of a family (a handful) are re-read for the bold flag.
    fn weight(&self, f: &Installed) -> u16 {
        self.db.with_face_data(f.id, load::weight_of).flatten().unwrap_or(f.weight)
    }

    /// Read facts through a memory map, without keeping the bytes.
    pub(crate) fn facts(&self, f: &Installed) -> Result<load::Facts, String> {
        self.db.with_face_data(f.id, load::facts).unwrap_or_else(|| Err(format!("cannot open {}", f.path.display())))
    }

    /// Any installed upright face that has common Chinese characters,
    /// Simplified Chinese ones first, then the one nearest regular weight:
    /// the last resort before giving up.
    pub(crate) fn any_chinese(&self) -> Option<&Installed> {
        self.faces
            .iter()
            .filter(|f| !f.italic)
            .filter(|f| {
                self.db
                    .with_face_data(f.id, |data, index| "中国文一永，".chars().all(|c| load::covers(data, index, c)))
                    .unwrap_or(false)
            })
            .min_by_key(|f| (!f.simplified, f.weight.abs_diff(400)))
    }
}

/// The path of a face, for messages.
pub(crate) fn describe(path: &Path, index: u32) -> String {
    if index == 0 { path.display().to_string() } else { format!("{}#{index}", path.display()) }
}
