//! The `md` writer: the Markdown the templates rendered, as parsed.
//!
//! Useful to see exactly what the templates produced; it writes the source of
//! the Document, not a re-serialisation of it.

use std::io;

use super::{WriteContext, Writer, io_diag};
use crate::diag::Diags;

/// Writes the rendered Markdown.
pub struct MarkdownWriter;

impl Writer for MarkdownWriter {
    fn name(&self) -> &'static str {
        "md"
    }
    fn write(&self, cx: &WriteContext<'_>, out: &mut dyn io::Write) -> Result<Diags, Diags> {
        out.write_all(cx.markdown.as_bytes()).map_err(|e| io_diag("md", e))?;
        Ok(Diags::new())
    }
}
