//! OFD writer unit tests: numbers, DeltaX, the outline's nesting.
//! (tests/ofd.rs reads whole packages back.)

use super::*;
use crate::style::Pt;

#[test]
fn numbers_are_millimetres_to_the_thousandth() {
    assert_eq!(mm(72.0), 25400);
    assert_eq!(num(25400), "25.4");
    assert_eq!(num(210_000), "210");
    assert_eq!(num(-7), "-0.007");
    assert_eq!(num(0), "0");
    assert_eq!(boxed([28_000, 37_000, 156_000, 225_000]), "28 37 156 225");
}

#[test]
fn delta_x_abbreviates_runs_of_three_or_more() {
    assert_eq!(delta_x(&[0]), "");
    assert_eq!(delta_x(&[0, 5571]), "5.571");
    assert_eq!(delta_x(&[0, 5571, 11142, 16713, 19535, 22357]), "g 3 5.571 2.822 2.822");
    // Each step is taken between rounded positions, so they add up exactly.
    let xs = [28_000, 33_571, 39_143, 44_714];
    let steps: f64 = delta_x(&xs).split(' ').filter(|s| *s != "g").map(|s| s.parse::<f64>().unwrap()).sum();
    assert!((steps - 16.714).abs() < 1e-9);
}

#[test]
fn outline_nests_by_level_and_survives_a_bad_page() {
    let mark = |title: &str, level: u8, page: usize| Bookmark { title: title.into(), level, page, top: Pt(100.0) };
    let bookmarks = [mark("一", 1, 0), mark("（一）", 2, 0), mark("1.", 4, 9), mark("二", 1, 1)];
    let xml = String::from_utf8(part(|x| {
        x.open("ofd:Document", &[("xmlns:ofd", NS)]);
        outline(x, &bookmarks, &[5, 6]);
        x.close("ofd:Document");
    }))
    .unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let elems: Vec<_> = doc.descendants().filter(|n| n.has_tag_name((NS, "OutlineElem"))).collect();
    let depth = |n: roxmltree::Node| n.ancestors().filter(|a| a.has_tag_name((NS, "OutlineElem"))).count() - 1;
    let shape: Vec<(&str, usize)> = elems.iter().map(|e| (e.attribute("Title").unwrap(), depth(*e))).collect();
    assert_eq!(shape, [("一", 0), ("（一）", 1), ("1.", 2), ("二", 0)]);
    let dests: Vec<&str> =
        doc.descendants().filter(|n| n.has_tag_name((NS, "Dest"))).map(|d| d.attribute("PageID").unwrap()).collect();
    assert_eq!(dests, ["5", "5", "6", "6"], "a bookmark past the last page goes to the last page");
    assert!(String::from_utf8(part(|x| outline(x, &[], &[5]))).unwrap().ends_with("?>"), "no bookmarks, no Outlines");
}

#[test]
fn impossible_pages_are_refused_before_anything_is_written() {
    let fonts = FontSet::default();
    let empty = Pages { width: Pt(595.0), height: Pt(842.0), ..Pages::default() };
    let err = serialize(&empty, &fonts, &OfdInfo::default()).unwrap_err();
    assert!(err.iter().any(|d| d.message.contains("no pages")), "{err:?}");
    let mut nan = empty.clone();
    nan.pages.push(crate::layout::Page {
        items: vec![Item::Rule {
            from: (Pt(f64::NAN), Pt(0.0)),
            to: (Pt(1.0), Pt(0.0)),
            width: Pt(1.0),
            colour: Rgb::BLACK,
        }],
        marks: Vec::new(),
    });
    let err = serialize(&nan, &fonts, &OfdInfo::default()).unwrap_err();
    assert!(err.iter().any(|d| d.message.contains("page 1")), "{err:?}");
}
