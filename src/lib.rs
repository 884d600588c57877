//! wengao (文稿): Chinese official documents laid out to GB/T 9704-2012,
//! built from YAML facts and Tera templates.
//!
//! The pipeline runs one way: `project` finds the inputs, `data` loads the
//! YAML into a template context, `template` renders Markdown, `markup` parses
//! it into a `doc::Document`, and the writers in `write` turn that into DOCX,
//! HTML, Markdown or plain text, all reading their numbers from `style`;
//! `lint` checks the Document's text for what real materials get wrong.
//! `pipeline` takes one document through those steps, and `batch` runs it
//! for every document of a project (`wengao build` and `check`).
//! Library code never prints or exits: it returns `diag::Diags`.

/// Counts what a render thread allocates, so a template's memory is bounded
/// (`limits::CountingAllocator`).
#[global_allocator]
static ALLOCATOR: limits::CountingAllocator = limits::CountingAllocator;

pub mod batch;
pub mod chart;
pub mod data;
pub mod diag;
pub mod doc;
pub mod epoch;
pub mod fonts;
pub mod image_source;
pub mod init;
pub mod layout;
pub mod limits;
pub mod lint;
pub mod markup;
pub mod memory;
pub mod output;
pub mod pipeline;
pub mod project;
pub mod script;
pub mod serve;
pub mod style;
pub mod template;
#[doc(hidden)]
pub mod test_support;
pub mod textfile;
pub mod unicode;
pub mod watch;
pub mod words;
pub mod write;
pub mod xml;
pub mod zh;
