//! The parts of the package around the body: content types, relationships,
//! document properties, settings, styles, the font table and the footers,
//! each written in the element order of its schema (ECMA-376 Part 1 §17,
//! Part 2 for the package, the core and extended properties).

use super::model::{Para, ParaProps, RunProps};
use super::xml::{Xml, part};

pub(super) const NS_W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
pub(super) const NS_R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const NS_WP: &str = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing";
const NS_A: &str = "http://schemas.openxmlformats.org/drawingml/2006/main";
const NS_PIC: &str = "http://schemas.openxmlformats.org/drawingml/2006/picture";
const NS_PKG_RELS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const REL_BASE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
const WML: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.";

/// The part names, in one place for the content types, the relationships and the ZIP entries.
pub(super) const DOCUMENT: &str = "word/document.xml";
pub(super) const STYLES: &str = "word/styles.xml";
pub(super) const SETTINGS: &str = "word/settings.xml";
pub(super) const FONT_TABLE: &str = "word/fontTable.xml";
pub(super) const FOOTER_ODD: &str = "word/footer1.xml";
pub(super) const FOOTER_EVEN: &str = "word/footer2.xml";
pub(super) const THEME: &str = "word/theme/theme1.xml";
pub(super) const CORE: &str = "docProps/core.xml";
pub(super) const APP: &str = "docProps/app.xml";
/// Relationship ids of the footers, as `sectPr` refers to them.
pub(super) const FOOTER_ODD_ID: &str = "rIdFooterOdd";
pub(super) const FOOTER_EVEN_ID: &str = "rIdFooterEven";
/// An empty footer: the section of a 版记 on a page of its own, which
/// carries no page number (GB/T 9704 §7.5), uses it for odd and even pages.
pub(super) const FOOTER_BLANK: &str = "word/footer3.xml";
pub(super) const FOOTER_BLANK_ID: &str = "rIdFooterBlank";

/// Image types a DOCX may hold: (extension, MIME type).
pub(super) const IMAGE_TYPES: [(&str, &str); 4] =
    [("png", "image/png"), ("jpeg", "image/jpeg"), ("gif", "image/gif"), ("bmp", "image/bmp")];

/// `<w:document>` and `<w:body>` opened, with every namespace the body uses.
pub(super) fn open_document<W: std::io::Write>(x: &mut Xml<W>) {
    x.open(
        "w:document",
        &[("xmlns:w", NS_W), ("xmlns:r", NS_R), ("xmlns:wp", NS_WP), ("xmlns:a", NS_A), ("xmlns:pic", NS_PIC)],
    );
    x.open("w:body", &[]);
}

pub(super) fn content_types(blank_footer: bool) -> Vec<u8> {
    part(|x| {
        x.open("Types", &[("xmlns", "http://schemas.openxmlformats.org/package/2006/content-types")]);
        x.empty(
            "Default",
            &[("Extension", "rels"), ("ContentType", "application/vnd.openxmlformats-package.relationships+xml")],
        );
        x.empty("Default", &[("Extension", "xml"), ("ContentType", "application/xml")]);
        for (ext, mime) in IMAGE_TYPES {
            x.empty("Default", &[("Extension", ext), ("ContentType", mime)]);
        }
        let over = |x: &mut Xml<Vec<u8>>, name: &str, kind: &str| {
            x.empty("Override", &[("PartName", &format!("/{name}")), ("ContentType", kind)]);
        };
        over(x, DOCUMENT, &format!("{WML}document.main+xml"));
        over(x, STYLES, &format!("{WML}styles+xml"));
        over(x, SETTINGS, &format!("{WML}settings+xml"));
        over(x, FONT_TABLE, &format!("{WML}fontTable+xml"));
        over(x, FOOTER_ODD, &format!("{WML}footer+xml"));
        over(x, FOOTER_EVEN, &format!("{WML}footer+xml"));
        if blank_footer {
            over(x, FOOTER_BLANK, &format!("{WML}footer+xml"));
        }
        over(x, THEME, "application/vnd.openxmlformats-officedocument.theme+xml");
        over(x, CORE, "application/vnd.openxmlformats-package.core-properties+xml");
        over(x, APP, "application/vnd.openxmlformats-officedocument.extended-properties+xml");
        x.close("Types");
    })
}

fn relationships(rels: &[(&str, String, &str)]) -> Vec<u8> {
    part(|x| {
        x.open("Relationships", &[("xmlns", NS_PKG_RELS)]);
        for (id, kind, target) in rels {
            x.empty("Relationship", &[("Id", id), ("Type", kind), ("Target", target)]);
        }
        x.close("Relationships");
    })
}

/// `_rels/.rels`: the main part and the two property parts.
pub(super) fn package_rels() -> Vec<u8> {
    relationships(&[
        ("rId1", format!("{REL_BASE}officeDocument"), DOCUMENT),
        ("rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties".into(), CORE),
        ("rId3", format!("{REL_BASE}extended-properties"), APP),
    ])
}

/// `word/_rels/document.xml.rels`: every part the body refers to, and
/// nothing else (a part no relationship reaches is an error for Word).
pub(super) fn document_rels(media: &[(&str, &str)], blank_footer: bool) -> Vec<u8> {
    let local = |name: &'static str| name.strip_prefix("word/").unwrap_or(name);
    let mut rels = vec![
        ("rIdStyles", format!("{REL_BASE}styles"), local(STYLES)),
        ("rIdSettings", format!("{REL_BASE}settings"), local(SETTINGS)),
        ("rIdFontTable", format!("{REL_BASE}fontTable"), local(FONT_TABLE)),
        ("rIdTheme", format!("{REL_BASE}theme"), local(THEME)),
        (FOOTER_ODD_ID, format!("{REL_BASE}footer"), local(FOOTER_ODD)),
        (FOOTER_EVEN_ID, format!("{REL_BASE}footer"), local(FOOTER_EVEN)),
    ];
    if blank_footer {
        rels.push((FOOTER_BLANK_ID, format!("{REL_BASE}footer"), local(FOOTER_BLANK)));
    }
    for &(id, name) in media {
        // Media parts are named from the package root, targets from `word/`.
        rels.push((id, format!("{REL_BASE}image"), name.strip_prefix("word/").unwrap_or(name)));
    }
    relationships(&rels)
}

/// What `docProps/core.xml` says of the document.
pub(super) struct CoreProps<'a> {
    pub title: &'a str,
    pub creator: Option<&'a str>,
    /// W3CDTF, e.g. `2023-04-23T00:00:00Z`.
    pub stamp: &'a str,
    /// BCP 47 tag of the text, e.g. "zh-CN".
    pub language: &'a str,
}

pub(super) fn core(p: &CoreProps<'_>) -> Vec<u8> {
    part(|x| {
        x.open(
            "cp:coreProperties",
            &[
                ("xmlns:cp", "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"),
                ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
                ("xmlns:dcterms", "http://purl.org/dc/terms/"),
                ("xmlns:dcmitype", "http://purl.org/dc/dcmitype/"),
                ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ],
        );
        if !p.title.is_empty() {
            x.leaf("dc:title", &[], p.title);
        }
        if let Some(creator) = p.creator {
            x.leaf("dc:creator", &[], creator);
            x.leaf("cp:lastModifiedBy", &[], creator);
        }
        x.leaf("dc:language", &[], p.language);
        x.leaf("cp:revision", &[], "1");
        x.leaf("dcterms:created", &[("xsi:type", "dcterms:W3CDTF")], p.stamp);
        x.leaf("dcterms:modified", &[("xsi:type", "dcterms:W3CDTF")], p.stamp);
        x.close("cp:coreProperties");
    })
}

pub(super) fn app() -> Vec<u8> {
    part(|x| {
        x.open(
            "Properties",
            &[
                ("xmlns", "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"),
                ("xmlns:vt", "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"),
            ],
        );
        x.leaf("Application", &[], "wengao");
        x.leaf("DocSecurity", &[], "0");
        x.leaf("ScaleCrop", &[], "false");
        x.leaf("LinksUpToDate", &[], "false");
        x.leaf("SharedDoc", &[], "false");
        x.leaf("HyperlinksChanged", &[], "false");
        x.close("Properties");
    })
}

/// `word/settings.xml` (CT_Settings, in schema order).
/// `language`: the East Asian language of the text, which Word's theme
/// fonts follow.
pub(super) fn settings(language: &str) -> Vec<u8> {
    part(|x| {
        x.open("w:settings", &[("xmlns:w", NS_W)]);
        x.empty("w:zoom", &[("w:percent", "100")]);
        // Two characters of body text: Word's own default for Chinese.
        x.val("w:defaultTabStop", 420);
        // Odd pages number right, even pages left (GB/T 9704 §7.5).
        x.empty("w:evenAndOddHeaders", &[]);
        // Chinese Word compresses every full-width mark by default (只压缩
        // 标点符号), which puts 29–30 characters on a line; the 28-character
        // grid of §5.2.3 needs them full width, as the PDF sets them.
        x.val("w:characterSpacingControl", "doNotCompress");
        x.open("w:compat", &[]);
        // Lay out as Word 2013 and later do, not in a compatibility mode.
        x.empty(
            "w:compatSetting",
            &[("w:name", "compatibilityMode"), ("w:uri", "http://schemas.microsoft.com/office/word"), ("w:val", "15")],
        );
        x.close("w:compat");
        x.empty("w:themeFontLang", &[("w:val", "en-US"), ("w:eastAsia", language)]);
        x.val("w:decimalSymbol", ".");
        x.val("w:listSeparator", ",");
        x.close("w:settings");
    })
}

/// A style's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum StyleKind {
    Paragraph,
    Character,
    Table,
}

/// One `w:style`.
#[derive(Debug, Clone)]
pub(super) struct StyleDef<'a> {
    pub id: String,
    /// The name Word knows it by ("heading 1", "toc 1", "Title", …).
    pub name: String,
    pub kind: StyleKind,
    /// The default style of its kind.
    pub default: bool,
    pub based_on: Option<&'a str>,
    pub next: Option<&'a str>,
    /// Shown in Word's style gallery.
    pub quick: bool,
    pub ppr: ParaProps<'a>,
    pub rpr: RunProps<'a>,
}

impl<'a> StyleDef<'a> {
    pub(super) fn paragraph(id: impl Into<String>, name: impl Into<String>) -> StyleDef<'a> {
        StyleDef {
            id: id.into(),
            name: name.into(),
            kind: StyleKind::Paragraph,
            default: false,
            based_on: Some("Normal"),
            next: None,
            quick: true,
            ppr: ParaProps::default(),
            rpr: RunProps::default(),
        }
    }
}

/// `word/styles.xml`: document defaults, then the styles (CT_Style children
/// in schema order: name, basedOn, next, uiPriority, semiHidden,
/// unhideWhenUsed, qFormat, pPr, rPr, tblPr).
pub(super) fn styles(default_ppr: &ParaProps<'_>, default_rpr: &RunProps<'_>, defs: &[StyleDef<'_>]) -> Vec<u8> {
    part(|x| {
        x.open("w:styles", &[("xmlns:w", NS_W)]);
        x.open("w:docDefaults", &[]);
        x.open("w:rPrDefault", &[]);
        default_rpr.write(x);
        x.close("w:rPrDefault");
        x.open("w:pPrDefault", &[]);
        default_ppr.write(x);
        x.close("w:pPrDefault");
        x.close("w:docDefaults");
        for s in defs {
            let kind = match s.kind {
                StyleKind::Paragraph => "paragraph",
                StyleKind::Character => "character",
                StyleKind::Table => "table",
            };
            let mut attrs = vec![("w:type", kind)];
            if s.default {
                attrs.push(("w:default", "1"));
            }
            attrs.push(("w:styleId", &s.id));
            x.open("w:style", &attrs);
            x.val("w:name", &s.name);
            if let Some(b) = s.based_on {
                x.val("w:basedOn", b);
            }
            if let Some(n) = s.next {
                x.val("w:next", n);
            }
            if s.quick {
                x.empty("w:qFormat", &[]);
            } else {
                x.empty("w:semiHidden", &[]);
                x.empty("w:unhideWhenUsed", &[]);
            }
            s.ppr.write(x);
            s.rpr.write(x);
            if s.kind == StyleKind::Table {
                // Word's "Normal Table": no indent, the usual cell margins.
                x.open("w:tblPr", &[]);
                x.empty("w:tblInd", &[("w:w", "0"), ("w:type", "dxa")]);
                x.open("w:tblCellMar", &[]);
                x.empty("w:top", &[("w:w", "0"), ("w:type", "dxa")]);
                x.empty("w:left", &[("w:w", "108"), ("w:type", "dxa")]);
                x.empty("w:bottom", &[("w:w", "0"), ("w:type", "dxa")]);
                x.empty("w:right", &[("w:w", "108"), ("w:type", "dxa")]);
                x.close("w:tblCellMar");
                x.close("w:tblPr");
            }
            x.close("w:style");
        }
        x.close("w:styles");
    })
}

/// What Word needs to find a face or a stand-in for it.
struct FaceInfo {
    /// The other names the same face goes by (Windows' Chinese and English names).
    alt: &'static str,
    panose: &'static str,
    family: &'static str,
    pitch: &'static str,
    /// Unicode ranges and code pages (usb0–usb3, csb0–csb1) the face covers.
    sig: [&'static str; 6],
}

/// The GB 2312-era faces offices install (仿宋_GB2312, 楷体_GB2312, 方正 fonts):
/// Basic Latin and CJK, code page 936.
const SIG_GB2312: [&str; 6] = ["00000001", "080E0000", "00000010", "00000000", "00040000", "00000000"];
/// The faces Windows ships (宋体, 仿宋, 楷体, 黑体): Latin-1 and CJK, code pages 1252 and 936.
const SIG_WINDOWS: [&str; 6] = ["00000003", "288F0000", "00000016", "00000000", "00040001", "00000000"];

/// The font table entry of the faces a GB/T 9704 document names. The
/// `altName` of a GB 2312 face is the Windows face of the same design, which
/// every office PC has, so a PC without 仿宋_GB2312 shows 仿宋, not whatever
/// Word would guess; the Windows faces list their English names.
fn face_info(name: &str) -> Option<FaceInfo> {
    let fixed = |alt, panose, sig| FaceInfo { alt, panose, family: "modern", pitch: "fixed", sig };
    let song = |alt, panose, sig| FaceInfo { alt, panose, family: "auto", pitch: "variable", sig };
    Some(match name {
        "仿宋_GB2312" => fixed("仿宋", "02010609030101010101", SIG_GB2312),
        "楷体_GB2312" => fixed("楷体", "02010609030101010101", SIG_GB2312),
        "方正小标宋简体" | "方正小标宋_GBK" => song("宋体", "02000000000000000000", SIG_GB2312),
        "华文中宋" | "STZhongsong" => song("宋体", "02010600040101010101", SIG_GB2312),
        "仿宋" | "FangSong" => {
            fixed(if name == "仿宋" { "FangSong" } else { "仿宋" }, "02010609060101010101", SIG_WINDOWS)
        }
        "楷体" | "KaiTi" => fixed(if name == "楷体" { "KaiTi" } else { "楷体" }, "02010609060101010101", SIG_WINDOWS),
        "黑体" | "SimHei" => {
            fixed(if name == "黑体" { "SimHei" } else { "黑体" }, "02010609060101010101", SIG_WINDOWS)
        }
        "宋体" | "SimSun" => {
            song(if name == "宋体" { "SimSun" } else { "宋体" }, "02010600030101010101", SIG_WINDOWS)
        }
        _ => return None,
    })
}

/// `word/fontTable.xml`: one entry for each face the document names, in the
/// order given (CT_Font children: altName, panose1, charset, family, pitch, sig).
pub(super) fn font_table(names: &[&str]) -> Vec<u8> {
    part(|x| {
        x.open("w:fonts", &[("xmlns:w", NS_W)]);
        for &name in names {
            x.open("w:font", &[("w:name", name)]);
            let cjk = !name.is_ascii();
            match face_info(name) {
                Some(f) => {
                    x.val("w:altName", f.alt);
                    x.val("w:panose1", f.panose);
                    x.val("w:charset", "86");
                    x.val("w:family", f.family);
                    x.val("w:pitch", f.pitch);
                    let [u0, u1, u2, u3, c0, c1] = f.sig;
                    x.empty(
                        "w:sig",
                        &[
                            ("w:usb0", u0),
                            ("w:usb1", u1),
                            ("w:usb2", u2),
                            ("w:usb3", u3),
                            ("w:csb0", c0),
                            ("w:csb1", c1),
                        ],
                    );
                }
                // A face named in wengao.toml: its charset from its name, the rest left to Word.
                None => {
                    x.val("w:charset", if cjk { "86" } else { "00" });
                    x.val("w:family", "auto");
                    x.val("w:pitch", "variable");
                }
            }
            x.close("w:font");
        }
        x.close("w:fonts");
    })
}

/// A footer holding one paragraph.
pub(super) fn footer(p: &Para<'_>) -> Vec<u8> {
    part(|x| {
        x.open("w:ftr", &[("xmlns:w", NS_W), ("xmlns:r", NS_R)]);
        p.write(x);
        x.close("w:ftr");
    })
}

/// `word/theme/theme1.xml`: Word requires a theme part. Nothing in the
/// document refers to theme colours or fonts (every style names its faces),
/// so this is the smallest complete theme: Office's colours, its fonts with
/// the Chinese faces of the body (仿宋) and the headings (黑体) for Simplified
/// Chinese, and three of each format style, as the schema (CT_BaseStyles) asks.
pub(super) fn theme(body_face: &str, heading_face: &str) -> Vec<u8> {
    part(|x| {
        x.open("a:theme", &[("xmlns:a", NS_A), ("name", "wengao")]);
        x.open("a:themeElements", &[]);
        x.open("a:clrScheme", &[("name", "Office")]);
        let colours = [
            ("a:dk1", "000000"),
            ("a:lt1", "FFFFFF"),
            ("a:dk2", "44546A"),
            ("a:lt2", "E7E6E6"),
            ("a:accent1", "4472C4"),
            ("a:accent2", "ED7D31"),
            ("a:accent3", "A5A5A5"),
            ("a:accent4", "FFC000"),
            ("a:accent5", "5B9BD5"),
            ("a:accent6", "70AD47"),
            ("a:hlink", "0563C1"),
            ("a:folHlink", "954F72"),
        ];
        for (name, rgb) in colours {
            x.open(name, &[]);
            x.empty("a:srgbClr", &[("val", rgb)]);
            x.close(name);
        }
        x.close("a:clrScheme");
        x.open("a:fontScheme", &[("name", "wengao")]);
        for (name, ea) in [("a:majorFont", heading_face), ("a:minorFont", body_face)] {
            x.open(name, &[]);
            x.empty("a:latin", &[("typeface", "Times New Roman")]);
            x.empty("a:ea", &[("typeface", "")]);
            x.empty("a:cs", &[("typeface", "")]);
            x.empty("a:font", &[("script", "Hans"), ("typeface", ea)]);
            x.close(name);
        }
        x.close("a:fontScheme");
        x.open("a:fmtScheme", &[("name", "Office")]);
        let solid = |x: &mut Xml<Vec<u8>>| {
            x.open("a:solidFill", &[]);
            x.empty("a:schemeClr", &[("val", "phClr")]);
            x.close("a:solidFill");
        };
        x.open("a:fillStyleLst", &[]);
        for _ in 0..3 {
            solid(x);
        }
        x.close("a:fillStyleLst");
        x.open("a:lnStyleLst", &[]);
        for w in ["6350", "12700", "19050"] {
            x.open("a:ln", &[("w", w), ("cap", "flat"), ("cmpd", "sng"), ("algn", "ctr")]);
            solid(x);
            x.empty("a:prstDash", &[("val", "solid")]);
            x.close("a:ln");
        }
        x.close("a:lnStyleLst");
        x.open("a:effectStyleLst", &[]);
        for _ in 0..3 {
            x.open("a:effectStyle", &[]);
            x.empty("a:effectLst", &[]);
            x.close("a:effectStyle");
        }
        x.close("a:effectStyleLst");
        x.open("a:bgFillStyleLst", &[]);
        for _ in 0..3 {
            solid(x);
        }
        x.close("a:bgFillStyleLst");
        x.close("a:fmtScheme");
        x.close("a:themeElements");
        x.close("a:theme");
    })
}
