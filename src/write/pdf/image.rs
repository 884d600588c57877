//! Images: JPEG passed through (DCTDecode), PNG decoded to samples plus an
//! alpha soft mask (PDF has no PNG filter). PDF/A-1 forbids transparency,
//! so there the alpha is flattened onto the white page instead.

use std::path::Path;

use pdf_writer::{Filter, Finish, Pdf, Ref};

use super::RefAlloc;
use super::deflate::deflate;
use crate::diag::{Code, Diagnostic};
use crate::fonts::FontSet;
use crate::project::PdfStandard;

/// An image ready to be written as an XObject.
pub(super) enum ImageData {
    /// A JPEG file, embedded unchanged with DCTDecode.
    Jpeg { data: Vec<u8>, width: u32, height: u32, components: u8, adobe_inverted: bool },
    /// Decoded 8-bit samples, Flate-compressed; alpha as a separate mask.
    Raw { width: u32, height: u32, rgb: bool, samples: Vec<u8>, alpha: Option<Vec<u8>> },
}

/// Read the image at `path` as `standard` allows it: under PDF/A-1b a PNG's
/// transparency is composited onto white (the page it is drawn on) and a
/// CMYK JPEG, which an sRGB output intent cannot describe, is refused.
pub(super) fn load_image(path: &Path, fonts: &FontSet, standard: PdfStandard) -> Result<ImageData, Diagnostic> {
    let shown = crate::image_source::shown(&path.to_string_lossy());
    let bad = |why: String| {
        Diagnostic::error(Code::MarkupImage, format!("image `{shown}` {why}"))
            .with_path(path)
            .with_hint("use a PNG or JPEG file (8-bit JPEG in grey, RGB or CMYK)")
    };
    let data = crate::image_source::load_with(path, fonts).map_err(|e| {
        Diagnostic::error(Code::MarkupImage, format!("image `{shown}` cannot be read: {e}"))
            .with_path(path)
            .with_hint("check that the file exists and is readable")
    })?;
    if data.starts_with(&[0xFF, 0xD8, 0xFF]) {
        let (width, height, components, adobe_inverted) =
            jpeg_header(&data).ok_or_else(|| bad("is not a JPEG file PDF can carry".into()))?;
        if components == 4 && standard == PdfStandard::A1b {
            return Err(Diagnostic::error(
                Code::MarkupImage,
                format!(
                    "image `{shown}` is a CMYK JPEG, which a PDF/A-1b file with an sRGB colour profile cannot hold"
                ),
            )
            .with_path(path)
            .with_hint("save the image as an RGB JPEG or a PNG, or build this PDF without pdf_standard = \"a-1b\""));
        }
        Ok(ImageData::Jpeg { data, width, height, components, adobe_inverted })
    } else if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        decode_png(&data, standard == PdfStandard::A1b).map_err(|e| bad(format!("cannot be decoded: {e}")))
    } else {
        Err(bad("is neither PNG nor JPEG".into()))
    }
}

/// Size and colour components of a JPEG from its SOF marker, and whether an
/// Adobe APP14 marker says CMYK samples are stored inverted (Photoshop does).
fn jpeg_header(data: &[u8]) -> Option<(u32, u32, u8, bool)> {
    let mut i = 2;
    let mut adobe = false;
    loop {
        // Markers may be preceded by any number of 0xFF fill bytes.
        while *data.get(i)? == 0xFF && *data.get(i + 1)? == 0xFF {
            i += 1;
        }
        if *data.get(i)? != 0xFF {
            return None;
        }
        let marker = *data.get(i + 1)?;
        if marker == 0x01 || (0xD0..=0xD7).contains(&marker) {
            i += 2;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([*data.get(i + 2)?, *data.get(i + 3)?]));
        let seg = data.get(i + 4..i + 2 + len)?;
        match marker {
            0xEE if seg.starts_with(b"Adobe") => adobe = true,
            // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC).
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                let precision = *seg.first()?;
                let height = u32::from(u16::from_be_bytes([*seg.get(1)?, *seg.get(2)?]));
                let width = u32::from(u16::from_be_bytes([*seg.get(3)?, *seg.get(4)?]));
                let components = *seg.get(5)?;
                let ok = precision == 8 && width > 0 && height > 0 && matches!(components, 1 | 3 | 4);
                return ok.then_some((width, height, components, adobe && components == 4));
            }
            0xDA | 0xD9 => return None, // scan data before any frame header
            _ => {}
        }
        i += 2 + len;
    }
}

/// Decode a PNG to 8-bit samples; with `opaque`, any alpha is composited
/// onto white rather than kept as a mask.
fn decode_png(data: &[u8], opaque: bool) -> Result<ImageData, String> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(data));
    // Palette and low-bit-depth images become 8-bit gray/RGB(A); 16-bit is
    // reduced to 8 bits, which is all print needs.
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(|e| e.to_string())?;
    let size = reader.output_buffer_size().ok_or("image too large")?;
    let mut buf = vec![0; size];
    let frame = reader.next_frame(&mut buf).map_err(|e| e.to_string())?;
    buf.truncate(frame.buffer_size());
    if frame.bit_depth != png::BitDepth::Eight {
        return Err(format!("unsupported bit depth {:?}", frame.bit_depth));
    }
    let (channels, rgb, has_alpha) = match frame.color_type {
        png::ColorType::Grayscale => (1, false, false),
        png::ColorType::GrayscaleAlpha => (2, false, true),
        png::ColorType::Rgb => (3, true, false),
        png::ColorType::Rgba => (4, true, true),
        png::ColorType::Indexed => return Err("palette not expanded".into()),
    };
    let (samples, alpha) = if has_alpha {
        let colour = channels - 1;
        let mut samples = Vec::with_capacity(buf.len() / channels * colour);
        let mut alpha = Vec::with_capacity(buf.len() / channels);
        for px in buf.chunks_exact(channels) {
            let a = px[colour];
            if opaque {
                // c·a + white·(1 − a), rounded: what a viewer shows on the page.
                let over_white = |c: u8| ((u32::from(c) * u32::from(a) + 255 * (255 - u32::from(a)) + 127) / 255) as u8;
                samples.extend(px[..colour].iter().map(|&c| over_white(c)));
                alpha.push(255);
            } else {
                samples.extend_from_slice(&px[..colour]);
                alpha.push(a);
            }
        }
        // A fully opaque alpha channel needs no mask.
        let alpha = if alpha.iter().all(|&a| a == 255) { None } else { Some(alpha) };
        (samples, alpha)
    } else {
        (buf, None)
    };
    let samples = deflate(&samples).map_err(|d| d.message)?;
    let alpha = alpha.map(|a| deflate(&a)).transpose().map_err(|d| d.message)?;
    Ok(ImageData::Raw { width: frame.width, height: frame.height, rgb, samples, alpha })
}

pub(super) fn write_image(pdf: &mut Pdf, alloc: &mut RefAlloc, id: Ref, image: &ImageData) {
    match image {
        ImageData::Jpeg { data, width, height, components, adobe_inverted } => {
            let mut x = pdf.image_xobject(id, data);
            x.width(*width as i32).height(*height as i32).bits_per_component(8);
            x.filter(Filter::DctDecode);
            match components {
                1 => x.color_space().device_gray(),
                3 => x.color_space().device_rgb(),
                _ => {
                    x.color_space().device_cmyk();
                    if *adobe_inverted {
                        x.decode([1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0]);
                    }
                }
            }
        }
        ImageData::Raw { width, height, rgb, samples, alpha } => {
            let mask_id = alpha.as_ref().map(|_| alloc.next());
            let mut x = pdf.image_xobject(id, samples);
            x.width(*width as i32).height(*height as i32).bits_per_component(8);
            x.filter(Filter::FlateDecode);
            if *rgb {
                x.color_space().device_rgb();
            } else {
                x.color_space().device_gray();
            }
            if let Some(mask_id) = mask_id {
                x.s_mask(mask_id);
            }
            x.finish();
            if let (Some(mask_id), Some(alpha)) = (mask_id, alpha) {
                let mut m = pdf.image_xobject(mask_id, alpha);
                m.width(*width as i32).height(*height as i32).bits_per_component(8);
                m.filter(Filter::FlateDecode);
                m.color_space().device_gray();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 2×1 RGBA PNG: half-transparent black, then opaque red.
    fn rgba_png() -> Vec<u8> {
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, 2, 1);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().unwrap();
        w.write_image_data(&[0, 0, 0, 128, 255, 0, 0, 255]).unwrap();
        w.finish().unwrap();
        out
    }

    fn inflate(data: &[u8]) -> Vec<u8> {
        use std::io::Read;
        let mut v = Vec::new();
        flate2::read::ZlibDecoder::new(data).read_to_end(&mut v).unwrap();
        v
    }

    #[test]
    fn pdf_a_flattens_alpha_onto_white() {
        let Ok(ImageData::Raw { samples, alpha, rgb: true, .. }) = decode_png(&rgba_png(), true) else { panic!() };
        assert!(alpha.is_none(), "no soft mask in PDF/A-1");
        // Black at alpha 128/255 over white: 255 · 127/255 = 127.
        assert_eq!(inflate(&samples), [127, 127, 127, 255, 0, 0]);
        let Ok(ImageData::Raw { samples, alpha, .. }) = decode_png(&rgba_png(), false) else { panic!() };
        assert_eq!(inflate(&samples), [0, 0, 0, 255, 0, 0]);
        assert_eq!(inflate(&alpha.unwrap()), [128, 255], "plain PDF keeps the mask");
    }

    #[test]
    fn pdf_a_refuses_cmyk_jpegs() {
        // SOI, a baseline frame header of 1×1 pixels in four components, EOI.
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xC0, 0, 20, 8, 0, 1, 0, 1, 4];
        for c in 1..=4 {
            jpeg.extend_from_slice(&[c, 0x11, 0]);
        }
        jpeg.extend_from_slice(&[0xFF, 0xD9]);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cmyk.jpg");
        std::fs::write(&path, &jpeg).unwrap();
        let fonts = FontSet::default();
        assert!(matches!(load_image(&path, &fonts, PdfStandard::Plain), Ok(ImageData::Jpeg { components: 4, .. })));
        let err = load_image(&path, &fonts, PdfStandard::A1b).err().unwrap();
        assert_eq!(err.code, Code::MarkupImage);
        assert_eq!(err.path.as_deref(), Some(path.as_path()));
        assert!(err.message.contains("CMYK"), "{}", err.message);
    }
}
