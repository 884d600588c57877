//! Charts: a bar, line or pie chart drawn from a few labelled numbers.
//!
//! The template function `chart()` writes the spec into the image URL
//! (`wengao-chart:<base64url JSON>`), so a chart needs no file and no shared
//! state; writers turn it into a PNG with `render`. The SVG is our own small,
//! deterministic code (`svg`); `raster` draws it with resvg using only the
//! document's fonts, so the same spec and fonts give the same bytes anywhere.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use crate::fonts::FontSet;

mod raster;
pub mod svg;

/// The URL scheme of a chart image in Markdown.
pub const SCHEME: &str = "wengao-chart:";

/// A chart has at least one value and at most this many (more bars than
/// this would leave labels too small to read on a 156 mm block).
pub const MAX_VALUES: usize = 40;

/// The longest label, title and unit, in characters. A label is a category
/// (乡镇, 提案类别); a longer text cannot be read under a bar or in a legend,
/// and drawing it costs time in proportion to its length (minutes for a
/// page of text), so it is refused before anything is drawn.
pub const MAX_LABEL_CHARS: usize = 40;
/// The longest chart title, in characters (one line over the chart).
pub const MAX_TITLE_CHARS: usize = 60;
/// The longest unit, in characters (件, 万元, 个百分点).
pub const MAX_UNIT_CHARS: usize = 10;

/// What kind of chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChartKind {
    /// Vertical bars, one per label.
    Bar,
    /// A line through one point per label.
    Line,
    /// Wedges sharing a whole, with a legend.
    Pie,
}

impl ChartKind {
    /// The kind for a name as templates write it.
    pub fn parse(name: &str) -> Option<ChartKind> {
        match name {
            "bar" => Some(ChartKind::Bar),
            "line" => Some(ChartKind::Line),
            "pie" => Some(ChartKind::Pie),
            _ => None,
        }
    }
}

/// Everything a chart shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChartSpec {
    /// Bar, line or pie.
    pub kind: ChartKind,
    /// A title drawn above the plot (the caption is separate document text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// One label per value.
    pub labels: Vec<String>,
    /// The values.
    pub values: Vec<f64>,
    /// Unit of the values (件, 次), shown at the value axis or in the legend.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

impl ChartSpec {
    /// A one-bar chart's URL, for tests that need some chart image.
    #[cfg(test)]
    pub(crate) fn sample_url() -> String {
        ChartSpec { kind: ChartKind::Bar, title: None, labels: vec!["甲".into()], values: vec![1.0], unit: None }
            .to_url()
    }

    /// Why the spec cannot be drawn, if it cannot.
    pub fn validate(&self) -> Result<(), String> {
        if self.values.is_empty() {
            return Err("needs at least one value".into());
        }
        if self.values.len() > MAX_VALUES {
            return Err(format!("has {} values; at most {MAX_VALUES} fit on a page", self.values.len()));
        }
        if self.labels.len() != self.values.len() {
            return Err(format!(
                "has {} labels but {} values; give one label per value",
                self.labels.len(),
                self.values.len()
            ));
        }
        if let Some((i, l)) = self.labels.iter().enumerate().find(|(_, l)| l.chars().count() > MAX_LABEL_CHARS) {
            return Err(format!(
                "label {} is {} characters long (`{}…`); a chart label can have at most {MAX_LABEL_CHARS}",
                i + 1,
                l.chars().count(),
                l.chars().take(12).collect::<String>()
            ));
        }
        for (what, text, max) in [("title", &self.title, MAX_TITLE_CHARS), ("unit", &self.unit, MAX_UNIT_CHARS)] {
            if let Some(t) = text.as_ref().filter(|t| t.chars().count() > max) {
                return Err(format!("{what} is {} characters long; it can have at most {max}", t.chars().count()));
            }
        }
        if let Some(v) = self.values.iter().find(|v| !v.is_finite() || v.abs() > 1e15) {
            return Err(format!("value {v} is not a number a chart can show"));
        }
        if self.kind == ChartKind::Pie {
            if let Some(v) = self.values.iter().find(|v| **v < 0.0) {
                return Err(format!("a pie chart cannot show the negative value {v}"));
            }
            if self.values.iter().all(|v| *v == 0.0) {
                return Err("a pie chart needs a value above 0".into());
            }
        }
        Ok(())
    }

    /// The Markdown image URL carrying this spec.
    pub fn to_url(&self) -> String {
        // Serializing plain strings and finite floats cannot fail; an empty
        // payload would be refused by `from_url` anyway.
        let json = serde_json::to_vec(self).unwrap_or_default();
        format!("{SCHEME}{}", URL_SAFE_NO_PAD.encode(json))
    }

    /// The spec in a `wengao-chart:` URL; `None` when `url` is no chart URL.
    pub fn from_url(url: &str) -> Option<Result<ChartSpec, String>> {
        let payload = url.strip_prefix(SCHEME)?;
        Some(
            URL_SAFE_NO_PAD
                .decode(payload.trim())
                .map_err(|e| format!("the chart data is not base64url: {e}"))
                .and_then(|json| {
                    serde_json::from_slice::<ChartSpec>(&json)
                        .map_err(|e| format!("the chart data is not a chart: {e}"))
                })
                .and_then(|spec| spec.validate().map(|()| spec)),
        )
    }
}

/// Whether an image source is a chart rather than a file.
pub fn is_chart(src: &str) -> bool {
    src.starts_with(SCHEME)
}

/// Pixel size of every chart's PNG (the layout fits it to the text block).
pub fn pixel_size() -> (u32, u32) {
    raster::pixel_size()
}

/// Draw the chart as a PNG with the document's fonts (黑体 for its text), or
/// with the fonts compiled into wengao when the build resolved none.
pub fn render(spec: &ChartSpec, fonts: Option<&FontSet>) -> Result<Vec<u8>, String> {
    spec.validate()?;
    raster::render(spec, fonts)
}
