//! placeholder
use super::{WriteContext, Writer};
use crate::diag::Diags;
use std::io;
/// placeholder
pub struct DocxWriter;
impl Writer for DocxWriter {
    fn name(&self) -> &'static str {
        "docx"
    }
    fn write(&self, _cx: &WriteContext<'_>, _out: &mut dyn io::Write) -> Result<(), Diags> {
        Ok(())
    }
}
