//! Where an image's bytes come from: a file in the project, or a chart
//! (`wengao-chart:` URL) drawn on demand. Every writer and the layout go
//! through here, so the rule lives in one place.

use std::path::{Path, PathBuf};

use crate::chart::{self, ChartSpec};
use crate::fonts::FontSet;
use crate::style::Style;

/// The path a writer keeps for image `src` of a document in `root`: the file
/// under `root`, or, for a chart, the URL itself (never joined to a folder,
/// so it cannot be mistaken for a file).
pub fn path_of(root: &Path, src: &str) -> PathBuf {
    if chart::is_chart(src) { PathBuf::from(src) } else { root.join(src) }
}

/// The chart a path from `path_of` stands for, if it is one.
fn chart_at(path: &Path) -> Option<Result<ChartSpec, String>> {
    path.to_str().and_then(ChartSpec::from_url)
}

/// Whether a path from `path_of` is a chart.
pub fn is_chart(path: &Path) -> bool {
    path.to_str().is_some_and(chart::is_chart)
}

/// Pixel width and height, reading only a file's header (charts have a fixed size).
pub fn pixel_size(path: &Path) -> Result<(usize, usize), String> {
    match chart_at(path) {
        Some(spec) => spec.map(|_| {
            let (w, h) = chart::pixel_size();
            (w as usize, h as usize)
        }),
        None => imagesize::size(path).map(|s| (s.width, s.height)).map_err(|e| e.to_string()),
    }
}

/// The image's bytes: the file's, or the chart drawn as PNG with `fonts`.
///
/// A writer that lays out no pages (DOCX, HTML) gets no fonts from the build;
/// for a chart the fonts are then resolved here from `style` and `root`, so
/// the chart is the same whether or not a PDF is built alongside. Resolution
/// warnings (a substituted face) concern the PDF's look and are not repeated
/// for a chart; with no usable font at all the bundled fonts draw it.
pub fn load(path: &Path, fonts: Option<&FontSet>, style: &Style, root: &Path) -> Result<Vec<u8>, String> {
    match (fonts, is_chart(path)) {
        (Some(f), _) => load_with(path, f),
        (None, true) => load_with(path, &FontSet::resolve(style, root).0),
        (None, false) => read_image(path),
    }
}

/// `load` with the build's resolved fonts (the PDF writer always has them).
pub fn load_with(path: &Path, fonts: &FontSet) -> Result<Vec<u8>, String> {
    match chart_at(path) {
        Some(spec) => spec.and_then(|s| chart::render(&s, Some(fonts))),
        None => read_image(path),
    }
}

/// The largest image file read: far above any photo a document prints, and
/// a bound on a file that grows while it is read.
const MAX_IMAGE_BYTES: u64 = 512 << 20;

/// An image file's bytes (regular files only, bounded).
pub fn read_image(path: &Path) -> Result<Vec<u8>, String> {
    crate::textfile::read_regular(path, MAX_IMAGE_BYTES).map_err(|e| e.to_string())
}

/// How an image is named in messages: a chart's long URL is cut short.
pub fn shown(src: &str) -> String {
    if chart::is_chart(src) { "chart".to_string() } else { src.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::ChartKind;

    #[test]
    fn charts_are_not_files() {
        let spec =
            ChartSpec { kind: ChartKind::Pie, title: None, labels: vec!["甲".into()], values: vec![1.0], unit: None };
        let url = spec.to_url();
        let p = path_of(Path::new("/project"), &url);
        assert!(is_chart(&p));
        assert_eq!(pixel_size(&p), Ok((1843, 1134)));
        let file = path_of(Path::new("/project"), "a.png");
        assert!(!is_chart(&file));
        assert!(pixel_size(&file).is_err());
        assert!(pixel_size(Path::new("wengao-chart:!!")).is_err());
    }
}
