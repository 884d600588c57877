//! Images: natural size from the file header, fitted to the block width.
//!
//! `blocks` calls this for each `Block::Image`; `paginate` may shrink the
//! image further to the room left on a page. Only the header is read (the
//! PDF writer embeds the file); an unreadable file is an M004 error, never
//! a panic.

use std::path::Path;

use crate::diag::{Code, Diagnostic};
use crate::style::Style;

use super::paginate::ImageElement;

/// Read the pixel size of `root/src` and fit it to `width` points.
pub(crate) fn load_image(root: &Path, src: &str, style: &Style, width: f64) -> Result<ImageElement, Diagnostic> {
    let path = crate::image_source::path_of(root, src);
    let shown = crate::image_source::shown(src);
    let unreadable = |why: String| {
        Diagnostic::error(Code::MarkupImage, format!("cannot read image `{shown}`: {why}"))
            .with_path(&path)
            .with_hint("check the path (relative to the project folder) and that the file is a PNG, JPEG, GIF or BMP")
    };
    let (px_w, px_h) = crate::image_source::pixel_size(&path).map_err(unreadable)?;
    if px_w == 0 || px_h == 0 {
        return Err(unreadable("the image has no pixels".into()));
    }
    let (w, h) = style.image_natural_size(px_w, px_h);
    // Never wider than the block; never enlarged.
    let scale = (width / w.0).min(1.0);
    Ok(ImageElement { path, width: w.0 * scale, height: h.0 * scale, alt: String::new() })
}
