//! A chart as SVG text, in millimetres (the viewBox is the chart's printed
//! size). Black and greys only: official documents are printed in black.
//! Every number is written with fixed precision, so equal specs give equal
//! text on every machine.

use std::fmt::Write;

use super::{ChartKind, ChartSpec};
use crate::style::{CHART_HEIGHT_MM, CHART_LABEL_PT, CHART_MIN_LABEL_PT, CHART_TITLE_PT, CHART_WIDTH_MM};

/// Millimetres per point.
const MM_PER_PT: f64 = 25.4 / 72.0;
/// Bars and pie wedges, darkest first; neighbours differ enough to tell apart in print.
const GREYS: [&str; 6] = ["#404040", "#8c8c8c", "#d0d0d0", "#1a1a1a", "#b0b0b0", "#6a6a6a"];
/// Grid lines behind a plot.
const GRID: &str = "#c8c8c8";
/// Bar fill (one series).
const BAR: &str = "#5a5a5a";

/// The SVG for `spec`, with text in font `family`.
pub fn chart_svg(spec: &ChartSpec, family: &str) -> String {
    let mut s = Svg::new(family);
    let label = CHART_LABEL_PT * MM_PER_PT;
    let mut top = 4.0;
    if let Some(t) = spec.title.as_deref().filter(|t| !t.trim().is_empty()) {
        let size = CHART_TITLE_PT * MM_PER_PT;
        s.text(CHART_WIDTH_MM / 2.0, top + size, size, "middle", t);
        top += size + 4.0;
    }
    match spec.kind {
        ChartKind::Bar | ChartKind::Line => axes_chart(&mut s, spec, top, label),
        ChartKind::Pie => pie_chart(&mut s, spec, top, label),
    }
    s.finish()
}

struct Svg {
    out: String,
}

impl Svg {
    fn new(family: &str) -> Svg {
        let mut out = String::new();
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}mm\" height=\"{h}mm\" viewBox=\"0 0 {w} {h}\" \
             font-family=\"{f}\" fill=\"#000000\">\n<rect width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n",
            w = CHART_WIDTH_MM,
            h = CHART_HEIGHT_MM,
            f = crate::xml::escape(family),
        );
        Svg { out }
    }

    fn text(&mut self, x: f64, y: f64, size: f64, anchor: &str, text: &str) {
        let _ = writeln!(
            self.out,
            "<text x=\"{x:.2}\" y=\"{y:.2}\" font-size=\"{size:.2}\" text-anchor=\"{anchor}\">{}</text>",
            crate::xml::escape(text)
        );
    }

    fn line(&mut self, (x1, y1): (f64, f64), (x2, y2): (f64, f64), width: f64, colour: &str) {
        let _ = writeln!(
            self.out,
            "<line x1=\"{x1:.2}\" y1=\"{y1:.2}\" x2=\"{x2:.2}\" y2=\"{y2:.2}\" stroke=\"{colour}\" stroke-width=\"{width:.2}\"/>"
        );
    }

    fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &str) {
        let _ =
            writeln!(self.out, "<rect x=\"{x:.2}\" y=\"{y:.2}\" width=\"{w:.2}\" height=\"{h:.2}\" fill=\"{fill}\"/>");
    }

    fn finish(mut self) -> String {
        self.out.push_str("</svg>\n");
        self.out
    }
}

/// Approximate advance of `text` in ems: CJK and full-width characters are
/// one em, others a little over half. Only used to choose sizes and room.
fn text_ems(text: &str) -> f64 {
    text.chars().map(|c| if u32::from(c) >= 0x2E80 { 1.0 } else { 0.56 }).sum()
}

/// A value as a label: whole numbers without a point, others to two places.
pub fn format_value(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Axis ticks from at most `lo` to at least `hi` at a "nice" step (1, 2, 2.5
/// or 5 times a power of ten), about five intervals; whole steps for whole data.
pub fn nice_ticks(lo: f64, hi: f64, whole: bool) -> Vec<f64> {
    let (lo, hi) = (lo.min(0.0), hi.max(0.0));
    let span = if hi - lo > 0.0 { hi - lo } else { 1.0 };
    let raw = span / 5.0;
    // The power of ten at or below `raw`, by exact steps (no libm: bytes must not
    // depend on the platform).
    let mut power = 1.0;
    while power * 10.0 <= raw {
        power *= 10.0;
    }
    while power > raw {
        power /= 10.0;
    }
    // Whole data never gets a fractional step (2.5 items): the next nice one.
    let fits = |s: &f64| *s >= raw && (!whole || (*s >= 1.0 && s.fract() == 0.0));
    let step = [1.0, 2.0, 2.5, 5.0, 10.0, 20.0].iter().map(|m| m * power).find(fits).unwrap_or(1.0);
    let first = (lo / step).floor() as i64;
    let last = (hi / step).ceil().max(1.0) as i64;
    (first..=last).map(|i| i as f64 * step).collect()
}

/// Bar and line charts: a value axis on the left with grid lines, labels under the plot.
fn axes_chart(s: &mut Svg, spec: &ChartSpec, top: f64, label: f64) {
    let n = spec.values.len();
    let whole = spec.values.iter().all(|v| v.fract() == 0.0);
    let lo = spec.values.iter().copied().fold(0.0, f64::min);
    let hi = spec.values.iter().copied().fold(0.0, f64::max);
    let ticks = nice_ticks(lo, hi, whole);
    let (t0, t1) = (ticks.first().copied().unwrap_or(0.0), ticks.last().copied().unwrap_or(1.0));
    let tick_w = ticks.iter().map(|t| text_ems(&format_value(*t))).fold(0.0, f64::max) * label;
    let unit_h = if spec.unit.is_some() { label + 3.0 } else { 0.0 };
    let left = 6.0 + tick_w + 2.0;
    let right = CHART_WIDTH_MM - 4.0;
    let plot_top = top + unit_h + label + 1.0;
    let slot = (right - left) / n as f64;
    // Category labels shrink (down to a floor) until the longest fits its slot.
    let longest = spec.labels.iter().map(|l| text_ems(l)).fold(1.0, f64::max);
    let cat = (slot * 0.95 / longest).clamp(CHART_MIN_LABEL_PT * MM_PER_PT, label);
    let plot_bottom = CHART_HEIGHT_MM - 4.0 - cat * 1.4;
    let y_of = |v: f64| plot_bottom - (v - t0) / (t1 - t0) * (plot_bottom - plot_top);

    if let Some(u) = &spec.unit {
        s.text(2.0, top + label, label, "start", &format!("单位：{u}"));
    }
    for t in &ticks {
        let y = y_of(*t);
        s.line((left, y), (right, y), 0.2, GRID);
        s.text(left - 2.0, y + label * 0.35, label, "end", &format_value(*t));
    }
    let zero = y_of(0.0);
    let mut points = Vec::with_capacity(n);
    for (i, (v, l)) in spec.values.iter().zip(&spec.labels).enumerate() {
        let cx = left + slot * (i as f64 + 0.5);
        let y = y_of(*v);
        s.text(cx, plot_bottom + 2.0 + cat, cat, "middle", l);
        let above = *v >= 0.0;
        let value_y = if above { y - 1.5 } else { y + 1.5 + cat };
        if spec.kind == ChartKind::Bar {
            let w = slot * 0.6;
            s.rect(cx - w / 2.0, y.min(zero), w, (zero - y).abs(), BAR);
        }
        let value_y = if spec.kind == ChartKind::Line {
            // Over the point, except in a valley, where the line would run through it.
            let at = |j: Option<usize>| j.and_then(|j| spec.values.get(j)).copied();
            let valley = n > 1 && [at(i.checked_sub(1)), at(Some(i + 1))].iter().flatten().all(|w| w > v);
            if valley { y + 2.5 + cat } else { y - 2.5 }
        } else {
            value_y
        };
        s.text(cx, value_y, cat, "middle", &format_value(*v));
        points.push((cx, y));
    }
    if spec.kind == ChartKind::Line {
        let path: Vec<String> = points.iter().map(|(x, y)| format!("{x:.2},{y:.2}")).collect();
        let _ = writeln!(
            s.out,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"#000000\" stroke-width=\"0.6\"/>",
            path.join(" ")
        );
        for (x, y) in &points {
            let _ = writeln!(
                s.out,
                "<circle cx=\"{x:.2}\" cy=\"{y:.2}\" r=\"1.0\" fill=\"#ffffff\" stroke=\"#000000\" stroke-width=\"0.5\"/>"
            );
        }
    }
    // Axes last, over the grid and bars.
    s.line((left, plot_top), (left, plot_bottom), 0.3, "#000000");
    s.line((left, zero), (right, zero), 0.3, "#000000");
}

/// Pie: the circle on the left, a legend with values and shares on the right.
fn pie_chart(s: &mut Svg, spec: &ChartSpec, top: f64, label: f64) {
    let total: f64 = spec.values.iter().sum();
    let r = ((CHART_HEIGHT_MM - top - 8.0) / 2.0).min(CHART_WIDTH_MM * 0.22);
    let (cx, cy) = (CHART_WIDTH_MM * 0.3, top + 4.0 + r);
    let mut angle = -std::f64::consts::FRAC_PI_2;
    let unit = spec.unit.as_deref().unwrap_or("");
    let rows = spec.values.len() as f64;
    let row = ((CHART_HEIGHT_MM - top - 8.0) / rows).min(label * 1.8);
    let size = (row / 1.8).min(label);
    let legend_x = CHART_WIDTH_MM * 0.58;
    let legend_top = cy - row * rows / 2.0;
    for (i, (v, l)) in spec.values.iter().zip(&spec.labels).enumerate() {
        let fill = GREYS[i % GREYS.len()];
        let sweep = v / total * std::f64::consts::TAU;
        if *v > 0.0 {
            if sweep >= std::f64::consts::TAU - 1e-9 {
                let _ = writeln!(s.out, "<circle cx=\"{cx:.2}\" cy=\"{cy:.2}\" r=\"{r:.2}\" fill=\"{fill}\"/>");
            } else {
                let _ = writeln!(
                    s.out,
                    "<path d=\"{}\" fill=\"{fill}\" stroke=\"#ffffff\" stroke-width=\"0.4\"/>",
                    wedge((cx, cy), r, angle, sweep)
                );
            }
        }
        angle += sweep;
        let y = legend_top + row * i as f64;
        s.rect(legend_x, y + (row - size) / 2.0, size, size, fill);
        let share = format_value((v / total * 1000.0).round() / 10.0);
        let text = format!("{l}　{}{unit}（{share}%）", format_value(*v));
        s.text(legend_x + size * 1.6, y + (row + size) / 2.0 - size * 0.12, size, "start", &text);
    }
    let _ = writeln!(
        s.out,
        "<circle cx=\"{cx:.2}\" cy=\"{cy:.2}\" r=\"{r:.2}\" fill=\"none\" stroke=\"#000000\" stroke-width=\"0.3\"/>"
    );
}

/// A pie wedge as lines and cubic Béziers (at most a quarter turn each), so
/// that no SVG arc, and no platform trigonometry, decides where its edges go.
fn wedge((cx, cy): (f64, f64), r: f64, start: f64, sweep: f64) -> String {
    let pieces = (sweep / std::f64::consts::FRAC_PI_2).ceil().max(1.0) as usize;
    let step = sweep / pieces as f64;
    let (s4, c4) = sin_cos(step / 4.0);
    let k = 4.0 / 3.0 * s4 / c4; // control-point distance for an arc of `step`
    let at = sin_cos;
    let (s0, c0) = at(start);
    let mut d = format!("M{cx:.2},{cy:.2} L{:.2},{:.2}", cx + r * c0, cy + r * s0);
    for i in 0..pieces {
        let a0 = start + step * i as f64;
        let a1 = a0 + step;
        let ((s0, c0), (s1, c1)) = (at(a0), at(a1));
        let _ = write!(
            d,
            " C{:.2},{:.2} {:.2},{:.2} {:.2},{:.2}",
            cx + r * (c0 - k * s0),
            cy + r * (s0 + k * c0),
            cx + r * (c1 + k * s1),
            cy + r * (s1 - k * c1),
            cx + r * c1,
            cy + r * s1
        );
    }
    d.push_str(" Z");
    d
}

/// Sine and cosine by their Taylor series after reduction to [-π, π]: only
/// IEEE basic operations, so every platform gets the same bits (the system
/// libm's `sin` may differ in the last place).
pub fn sin_cos(a: f64) -> (f64, f64) {
    use std::f64::consts::{PI, TAU};
    let mut x = a % TAU;
    if x > PI {
        x -= TAU;
    } else if x < -PI {
        x += TAU;
    }
    let (mut sin, mut cos) = (0.0, 0.0);
    let (mut s_term, mut c_term) = (x, 1.0);
    for n in 0..24 {
        sin += s_term;
        cos += c_term;
        let n = f64::from(n);
        s_term *= -x * x / ((2.0 * n + 2.0) * (2.0 * n + 3.0));
        c_term *= -x * x / ((2.0 * n + 1.0) * (2.0 * n + 2.0));
    }
    (sin, cos)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(kind: ChartKind, values: &[f64]) -> ChartSpec {
        ChartSpec {
            kind,
            title: Some("提案分类".into()),
            labels: (0..values.len()).map(|i| format!("类别{i}")).collect(),
            values: values.to_vec(),
            unit: Some("件".into()),
        }
    }

    #[test]
    fn ticks_are_nice_and_cover_the_data() {
        assert_eq!(nice_ticks(0.0, 12.0, true), vec![0.0, 5.0, 10.0, 15.0]);
        assert_eq!(nice_ticks(0.0, 9.0, true), vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(nice_ticks(0.0, 3.0, true), vec![0.0, 1.0, 2.0, 3.0]);
        assert_eq!(nice_ticks(0.0, 0.8, false), vec![0.0, 0.2, 0.4, 0.6000000000000001, 0.8]);
        assert_eq!(nice_ticks(0.0, 0.0, true), vec![0.0, 1.0]);
        assert_eq!(nice_ticks(-3.0, 7.0, true), vec![-4.0, -2.0, 0.0, 2.0, 4.0, 6.0, 8.0]);
        assert_eq!(nice_ticks(0.0, 230.0, true), vec![0.0, 50.0, 100.0, 150.0, 200.0, 250.0]);
    }

    #[test]
    #[allow(clippy::disallowed_methods)]
    fn sin_cos_matches_libm_closely() {
        for i in -40..=40 {
            let a = f64::from(i) * 0.37;
            let (s, c) = sin_cos(a);
            assert!((s - a.sin()).abs() < 1e-12 && (c - a.cos()).abs() < 1e-12, "{a}");
        }
    }

    #[test]
    fn values_print_without_noise() {
        assert_eq!(format_value(12.0), "12");
        assert_eq!(format_value(2.5), "2.5");
        assert_eq!(format_value(0.6000000000000001), "0.6");
        assert_eq!(format_value(-4.0), "-4");
    }

    #[test]
    fn bar_chart_has_one_bar_and_label_per_value() {
        let svg = chart_svg(&spec(ChartKind::Bar, &[12.0, 7.0, 3.0]), "Noto Sans SC");
        // The background plus three bars.
        assert_eq!(svg.matches("<rect").count(), 4);
        for l in ["类别0", "类别1", "类别2", "提案分类", "单位：件", ">15<", ">12<"] {
            assert!(svg.contains(l), "{l} missing from {svg}");
        }
        assert!(svg.contains("font-family=\"Noto Sans SC\""));
        assert_eq!(svg, chart_svg(&spec(ChartKind::Bar, &[12.0, 7.0, 3.0]), "Noto Sans SC"));
    }

    #[test]
    fn line_and_pie_charts_draw_their_marks() {
        let line = chart_svg(&spec(ChartKind::Line, &[1.0, 4.0, 2.0, 5.0]), "F");
        assert_eq!(line.matches("<polyline").count(), 1);
        assert_eq!(line.matches("<circle").count(), 4);
        let pie = chart_svg(&spec(ChartKind::Pie, &[1.0, 1.0, 2.0]), "F");
        assert_eq!(pie.matches("<path").count(), 3);
        assert!(!pie.contains(" A"), "no SVG arcs: {pie}");
        assert!(pie.contains("类别2　2件（50%）"), "{pie}");
        let whole = chart_svg(&spec(ChartKind::Pie, &[0.0, 3.0]), "F");
        assert_eq!(whole.matches("<path").count(), 0);
        assert!(whole.contains("类别0　0件（0%）"));
    }

    #[test]
    fn text_is_escaped() {
        let mut s = spec(ChartKind::Bar, &[1.0]);
        s.labels = vec!["<a&b>".into()];
        assert!(chart_svg(&s, "F").contains("&lt;a&amp;b&gt;"));
    }
}
