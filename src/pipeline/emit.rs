//! A rendered document through the writers, under one rule: every format
//! is made in memory first, and the files are stored only if all of them
//! were made, all together (`output::write_all_atomic`). A document whose
//! writer fails leaves nothing, and its files of an earlier build stay.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Diags};
use crate::doc::Document;
use crate::fonts::FontSet;
use crate::limits::Limits;
use crate::output;
use crate::project::PdfStandard;
use crate::style::Style;
use crate::write::{self, WriteContext, Writer};

/// The writers of a build and what they share for every document.
pub(crate) struct Emitter<'a> {
    pub writers: &'a [Box<dyn Writer>],
    pub style: &'a Style,
    /// Images are read from under this folder.
    pub root: &'a Path,
    /// Needed by the writers that lay out pages (`Writer::needs_fonts`).
    pub fonts: Option<&'a FontSet>,
    pub limits: Limits,
    /// The standard PDFs are written to.
    pub pdf_standard: PdfStandard,
}

/// Every format of one document, made in memory: only made when every
/// writer succeeded.
pub(crate) struct DocFiles<'w>(Vec<DocFile<'w>>);

/// One format's bytes.
pub(crate) struct DocFile<'w> {
    pub writer: &'w dyn Writer,
    pub bytes: Vec<u8>,
}

impl<'a> Emitter<'a> {
    /// Run every writer on `doc` (the Markdown it came from is the Markdown
    /// writer's output). Warnings and errors go to `diags`; None if any
    /// writer failed (they all run, so every failure is reported).
    pub fn make(&self, doc: &Document, markdown: &str, diags: &mut Diags) -> Option<DocFiles<'a>> {
        let mut cx = WriteContext::new(doc, self.style, self.root, markdown).with_limits(self.limits);
        cx.pdf_standard = self.pdf_standard;
        if let Some(f) = self.fonts {
            cx = cx.with_fonts(f);
        }
        let mut files = Vec::with_capacity(self.writers.len());
        let mut failed = false;
        for w in self.writers {
            let mut bytes = Vec::new();
            match crate::limits::with_draw_time(self.limits.render_time(), || w.write(&cx, &mut bytes)) {
                Ok(warnings) => diags.extend(warnings),
                Err(d) => {
                    diags.extend(d);
                    failed = true;
                }
            }
            files.push(DocFile { writer: w.as_ref(), bytes });
        }
        (!failed).then_some(DocFiles(files))
    }
}

impl<'w> DocFiles<'w> {
    /// Store every file at the path `path_of` gives for its writer, all or
    /// none; flushed to disk when `sync` (a batch flushes all its files at
    /// once at the end). Returns the paths, in the writers' order.
    pub fn store(&self, path_of: impl Fn(&dyn Writer) -> PathBuf, sync: bool) -> Result<Vec<PathBuf>, Diagnostic> {
        let files: Vec<(PathBuf, &[u8])> = self.0.iter().map(|f| (path_of(f.writer), f.bytes.as_slice())).collect();
        output::write_all_atomic(&files, sync)?;
        Ok(files.into_iter().map(|(p, _)| p).collect())
    }

    /// The files, in the writers' order.
    pub fn iter(&self) -> impl Iterator<Item = &DocFile<'w>> {
        self.0.iter()
    }

    /// The files, in the writers' order.
    pub fn into_vec(self) -> Vec<DocFile<'w>> {
        self.0
    }
}

/// Fonts are found once per build, and only when a writer lays out pages.
pub(crate) fn resolve_fonts(
    writers: &[Box<dyn Writer>],
    style: &Style,
    root: &Path,
    diags: &mut Diags,
) -> Option<FontSet> {
    if !writers.iter().any(|w| w.needs_fonts()) {
        return None;
    }
    let (fonts, d) = FontSet::resolve(style, root);
    diags.extend(d);
    Some(fonts)
}

/// The writers of `formats` (names as on the command line), each once;
/// None, with a diagnostic per unknown name, if any is unknown.
pub(crate) fn writers_for(formats: &[String], diags: &mut Diags) -> Option<Vec<Box<dyn Writer>>> {
    let mut writers: Vec<Box<dyn Writer>> = Vec::new();
    for f in formats {
        let f = f.trim().to_lowercase();
        if writers.iter().any(|w| w.name() == f) {
            continue;
        }
        match write::writer_for(&f) {
            Ok(w) => writers.push(w),
            Err(d) => diags.push(d),
        }
    }
    if diags.has_errors() { None } else { Some(writers) }
}
