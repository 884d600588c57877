//! Fonts compiled into wengao (cargo feature `bundled-fonts`), so a PDF
//! builds on a machine with no Chinese font at all.
//!
//! Noto Serif SC (Regular, Bold) and Noto Sans SC (Regular), SIL OFL 1.1,
//! subset to GB 2312, ASCII and common punctuation by `fonts/regenerate.sh`.
//! They are the last choice of font resolution (for layout and the PDF
//! writer); nothing here lays out or writes PDF.

use crate::style::Face;

/// One bundled font.
pub(crate) struct Bundled {
    /// File name under `fonts/`, also its key among loaded fonts.
    pub name: &'static str,
    /// The style it is (a serif standing in for 仿宋 or 楷体 is a change of look).
    pub style: Face,
    /// The whole TrueType file.
    pub data: &'static [u8],
}

static SERIF: Bundled = Bundled {
    name: "NotoSerifSC-Regular-GB2312.ttf",
    style: Face::Songti,
    data: include_bytes!("../../fonts/NotoSerifSC-Regular-GB2312.ttf"),
};

/// 小标宋 titles are heavy: the bold serif serves them (and bold 仿宋).
static SERIF_BOLD: Bundled = Bundled {
    name: "NotoSerifSC-Bold-GB2312.ttf",
    style: Face::Song,
    data: include_bytes!("../../fonts/NotoSerifSC-Bold-GB2312.ttf"),
};

static SANS: Bundled = Bundled {
    name: "NotoSansSC-Regular-GB2312.ttf",
    style: Face::Hei,
    data: include_bytes!("../../fonts/NotoSansSC-Regular-GB2312.ttf"),
};

/// The bundled font for a face.
pub(crate) fn for_face(face: Face) -> Option<&'static Bundled> {
    Some(match face {
        Face::Song => &SERIF_BOLD,
        Face::Fang | Face::Kai | Face::Songti => &SERIF,
        Face::Hei => &SANS,
    })
}

/// The bold cut of a bundled font, if there is one.
pub(crate) fn bold_of(name: &str) -> Option<&'static Bundled> {
    (name == SERIF.name).then_some(&SERIF_BOLD)
}
