//! Bounds on what one build may read, render and lay out (`[limits]` in
//! wengao.toml).
//!
//! Every bound turns a hostile or mistaken input (a 100 MB export, an alias
//! bomb, a template loop that never ends, a document of thousands of pages)
//! into a diagnostic within seconds and bounded memory, instead of a machine
//! that swaps or a CI job that times out. The defaults are far above what a
//! county's documents need; a project that really needs more raises them.

use serde::Deserialize;

/// The limits; `Limits::default()` is what a project without `[limits]` gets.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Largest data, template or config file read, in MiB.
    pub file_mib: u64,
    /// Most values (mappings, lists and scalars, aliases expanded) one YAML
    /// file may hold.
    pub yaml_values: usize,
    /// Deepest nesting of lists and mappings in a YAML file.
    pub yaml_depth: usize,
    /// Longest time one template may take to render, in seconds.
    pub render_seconds: f64,
    /// Most text one template may render, in MiB (a 100-page report is
    /// about 0.3 MiB of Markdown).
    pub render_mib: u64,
    /// Most pages one PDF may have.
    pub pages: usize,
    /// Most pixels (width × height) of one image, read from its header
    /// before anything decodes it: a 20000 × 20000 PNG of 1.5 MB would
    /// take 1.6 GB to decode.
    pub image_pixels: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            file_mib: 32,
            yaml_values: 250_000,
            yaml_depth: 64,
            render_seconds: 10.0,
            render_mib: 16,
            pages: 1000,
            image_pixels: 50_000_000,
        }
    }
}

impl Limits {
    /// `file_mib` in bytes.
    pub fn file_bytes(&self) -> u64 {
        self.file_mib.saturating_mul(1024 * 1024)
    }

    /// `render_mib` in bytes.
    pub fn render_bytes(&self) -> usize {
        usize::try_from(self.render_mib.saturating_mul(1024 * 1024)).unwrap_or(usize::MAX)
    }

    /// `render_seconds` as a duration (a bad value falls back to the default).
    pub fn render_time(&self) -> std::time::Duration {
        std::time::Duration::try_from_secs_f64(self.render_seconds)
            .unwrap_or_else(|_| std::time::Duration::from_secs_f64(Limits::default().render_seconds))
    }

    /// What is wrong with these limits, if anything (checked when wengao.toml is read).
    pub fn problem(&self) -> Option<String> {
        let positive = [
            ("file_mib", self.file_mib > 0),
            ("yaml_values", self.yaml_values > 0),
            ("yaml_depth", self.yaml_depth > 0),
            ("render_seconds", self.render_seconds.is_finite() && self.render_seconds > 0.0),
            ("render_mib", self.render_mib > 0),
            ("pages", self.pages > 0),
            ("image_pixels", self.image_pixels > 0),
        ];
        positive.iter().find(|(_, ok)| !ok).map(|(name, _)| format!("`{name}` must be a positive number"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_apply_to_missing_keys_and_unknown_keys_are_refused() {
        let l: Limits = toml::from_str("pages = 3000").unwrap();
        assert_eq!(l.pages, 3000);
        assert_eq!(l.file_mib, Limits::default().file_mib);
        assert!(toml::from_str::<Limits>("page = 3000").is_err());
    }

    #[test]
    fn impossible_values_are_named() {
        let l = Limits { render_seconds: -1.0, ..Limits::default() };
        assert_eq!(l.problem().as_deref(), Some("`render_seconds` must be a positive number"));
        assert_eq!(Limits::default().problem(), None);
        assert_eq!(Limits::default().render_time().as_secs(), 10);
    }
}
