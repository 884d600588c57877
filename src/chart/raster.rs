//! SVG to PNG with resvg. Fonts come only from the document's `FontSet`
//! (or the fonts compiled into wengao), loaded from their bytes: no system
//! font lookup, so the pixels depend on nothing but the spec and the fonts.

use std::sync::Arc;

use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg;

use super::ChartSpec;
use super::svg::chart_svg;
use crate::fonts::FontSet;
use crate::style::{CHART_DPI, CHART_HEIGHT_MM, CHART_WIDTH_MM, Face};

const MM_PER_INCH: f64 = 25.4;

pub(super) fn pixel_size() -> (u32, u32) {
    let px = |mm: f64| (mm / MM_PER_INCH * CHART_DPI).round() as u32;
    (px(CHART_WIDTH_MM), px(CHART_HEIGHT_MM))
}

pub(super) fn render(spec: &ChartSpec, fonts: Option<&FontSet>) -> Result<Vec<u8>, String> {
    let (db, family) = font_db(fonts)?;
    let svg = chart_svg(spec, &family);
    let Some(limit) = crate::limits::draw_time() else { return draw(&svg, db, family) };
    // Drawing cannot be interrupted: it runs on a thread of its own, left
    // to finish alone if it overruns (it writes nothing anywhere).
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("chart".into())
        .spawn(move || {
            // The receiver is gone only if the drawing overran: nothing to tell.
            let _ = tx.send(draw(&svg, db, family));
        })
        .map_err(|e| format!("chart: cannot start drawing: {e}"))?;
    rx.recv_timeout(limit).unwrap_or_else(|_| {
        Err(format!(
            "drawing the chart takes more than {} s (`render_seconds` under [limits] covers drawing too); give \
             it fewer or shorter labels",
            limit.as_secs_f64()
        ))
    })
}

/// The SVG of a chart drawn as a PNG with the fonts of `db`.
fn draw(svg: &str, db: usvg::fontdb::Database, family: String) -> Result<Vec<u8>, String> {
    let options = usvg::Options { fontdb: Arc::new(db), font_family: family, ..usvg::Options::default() };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| format!("chart: internal SVG error: {e}"))?;
    let (w, h) = pixel_size();
    let mut pixmap = Pixmap::new(w, h).ok_or("chart: cannot allocate the picture")?;
    let scale = w as f32 / tree.size().width();
    resvg::render(&tree, Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    encode_grey(&pixmap)
}

/// The fonts text may use, and the family the SVG names: 黑体 (sans) reads
/// best at label sizes. Every font of the set is loaded, in id order, so
/// characters the 黑体 font lacks fall back the same way each time.
fn font_db(fonts: Option<&FontSet>) -> Result<(usvg::fontdb::Database, String), String> {
    let mut db = usvg::fontdb::Database::new();
    match fonts {
        Some(set) if !set.fonts.is_empty() => {
            let primary = set.choice(Face::Hei).map_or(crate::fonts::FontId(0), |c| c.font);
            let mut family = None;
            for f in &set.fonts {
                let ids = db.load_font_source(usvg::fontdb::Source::Binary(f.data.clone()));
                if f.id == primary {
                    family = ids
                        .iter()
                        .filter_map(|id| db.face(*id))
                        .find(|face| face.index == f.index)
                        .and_then(|face| face.families.first().map(|(name, _)| name.clone()));
                }
            }
            let family = family.ok_or("chart: the 黑体 font cannot be read for the chart's text")?;
            Ok((db, family))
        }
        _ => bundled(db),
    }
}

#[cfg(feature = "bundled-fonts")]
fn bundled(mut db: usvg::fontdb::Database) -> Result<(usvg::fontdb::Database, String), String> {
    let data = crate::fonts::bundled_data(Face::Hei).ok_or("chart: no bundled font")?;
    let ids = db.load_font_source(usvg::fontdb::Source::Binary(Arc::new(data)));
    let family = ids
        .first()
        .and_then(|id| db.face(*id))
        .and_then(|f| f.families.first().map(|(n, _)| n.clone()))
        .ok_or("chart: the bundled font cannot be read")?;
    Ok((db, family))
}

#[cfg(not(feature = "bundled-fonts"))]
fn bundled(_: usvg::fontdb::Database) -> Result<(usvg::fontdb::Database, String), String> {
    Err("chart: no fonts were resolved for the chart's text (build a PDF too, or enable bundled-fonts)".into())
}

/// 8-bit grey PNG (the chart has no colour) with its 300 dpi in pHYs.
fn encode_grey(pixmap: &Pixmap) -> Result<Vec<u8>, String> {
    // Opaque white background: premultiplied RGBA is plain RGB here.
    let grey: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .map(|p| ((u32::from(p[0]) * 299 + u32::from(p[1]) * 587 + u32::from(p[2]) * 114 + 500) / 1000) as u8)
        .collect();
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    enc.set_color(png::ColorType::Grayscale);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::High);
    let ppm = (CHART_DPI / 0.0254).round() as u32;
    enc.set_pixel_dims(Some(png::PixelDimensions { xppu: ppm, yppu: ppm, unit: png::Unit::Meter }));
    let mut w = enc.write_header().map_err(|e| format!("chart: PNG: {e}"))?;
    w.write_image_data(&grey).map_err(|e| format!("chart: PNG: {e}"))?;
    w.finish().map_err(|e| format!("chart: PNG: {e}"))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pixel_size_is_the_text_block_at_300_dpi() {
        assert_eq!(pixel_size(), (1843, 1134));
    }

    /// Drawing needs fonts: without the bundled ones there are none here.
    #[cfg(feature = "bundled-fonts")]
    mod drawn {
        use crate::chart::raster::pixel_size;
        use crate::chart::{ChartKind, ChartSpec, render};

        fn spec() -> ChartSpec {
            ChartSpec {
                kind: ChartKind::Bar,
                title: None,
                labels: vec!["经济建设".into(), "社会事业".into(), "农业农村".into()],
                values: vec![12.0, 9.0, 4.0],
                unit: Some("件".into()),
            }
        }

        #[test]
        fn same_spec_same_png_bytes() {
            let a = render(&spec(), None).expect("render");
            let b = render(&spec(), None).expect("render");
            assert_eq!(a, b);
            assert!(a.starts_with(b"\x89PNG\r\n\x1a\n"));
            let size = imagesize::blob_size(&a).expect("size");
            assert_eq!((size.width as u32, size.height as u32), pixel_size());
            let mut other = spec();
            other.values[0] = 13.0;
            assert_ne!(render(&other, None).expect("render"), a);
        }

        #[test]
        fn labels_are_drawn_with_the_fonts() {
            // Text makes dark pixels in the label band under the plot.
            let png = render(&spec(), None).expect("render");
            let mut dec = png::Decoder::new(std::io::Cursor::new(png)).read_info().expect("png");
            let mut buf = vec![0; dec.output_buffer_size().expect("size")];
            dec.next_frame(&mut buf).expect("frame");
            let (w, h) = pixel_size();
            let band = &buf[(h as usize - 60) * w as usize..(h as usize - 20) * w as usize];
            assert!(band.iter().filter(|p| **p < 128).count() > 200);
        }
    }
}
