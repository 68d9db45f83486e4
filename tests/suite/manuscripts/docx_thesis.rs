//! The thesis as a Word document, with footnotes and with Zotero fields
//! (`tests/fixtures/manuscripts/docx/thesis.py` builds them from the text of
//! its PDF).

use ibid::manuscript::docx::{Limits, read_docx};
use ibid::manuscript::model::{Manager, Manuscript, Marker};

fn read(name: &str) -> Manuscript {
    let p = format!(
        "{}/tests/fixtures/manuscripts/docx/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    read_docx(&std::fs::read(p).unwrap(), &Limits::default()).unwrap()
}

/// All markers in body order, with their paragraph.
fn markers(m: &Manuscript) -> Vec<(usize, &Marker)> {
    m.paragraphs
        .iter()
        .enumerate()
        .flat_map(|(i, p)| p.markers.iter().map(move |k| (i, k)))
        .collect()
}

const NOTE1: &str = "http://www.scribd.com/doc/6404050/墓碑：中国六十年代大饥荒纪实, 20/09/2009: \
YANG Jisheng 杨继绳, “Mubei: Zhongguo liushi niandai dajihuang jishi”, “墓碑:中国六十年代大饥荒纪实” \
(The tombstone: a record of China’s great famine of the Sixties), August 2007, pag.387.";

#[test]
fn thesis_footnotes() {
    let m = read("thesis-footnotes.docx");
    assert!(m.warnings.is_empty(), "{:?}", m.warnings);
    assert_eq!(m.notes.len(), 56);
    assert_eq!(m.notes[0].text, NOTE1);
    assert_eq!(m.notes[1].text, "Ibid. p.475.");
    assert_eq!(
        m.notes[5].text,
        "YANG 杨, “Mubei: Zhongguo liushi niandai…”, “墓碑:中国六十年代⋯” pag.326-328."
    );
    assert_eq!(
        m.notes[11].text,
        "http://zh.wikipedia.org/wiki/中苏国防新技术协定, 20/11/2009."
    );
    // Note 3 italicises the book title.
    let n3 = &m.notes[2];
    assert_eq!(
        &n3.text[n3.italic[0].clone()],
        "La Cina del Novecento: dalla Fine dell’Impero ad Oggi"
    );

    let ks = markers(&m);
    let numbers: Vec<String> = ks.iter().map(|(_, k)| k.number.clone()).collect();
    let expected: Vec<String> = (1..=65).map(|n| n.to_string()).collect();
    assert_eq!(numbers, expected);
    for (i, (_, k)) in ks.iter().enumerate() {
        if i < 56 {
            assert_eq!(k.note, Some(i));
            assert_eq!(m.notes[i].number, (i + 1).to_string());
        } else {
            // 57–65: markers in the body, no note text in the manuscript.
            assert_eq!(k.note, None, "marker {}", k.number);
        }
    }
    // Markers stand right after the word or mark they follow.
    let before = |n: usize| {
        let (pi, k) = ks[n - 1];
        let t = &m.paragraphs[pi].text[..k.at];
        t.chars()
            .rev()
            .take(6)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect::<String>()
    };
    assert_eq!(before(1), "1959.”");
    assert_eq!(before(3), "ountry");
    assert_eq!(before(60), " by 9%");
    assert_eq!(before(65), "rence.");
    // The marker's place in the note.
    let (pi, k1) = ks[0];
    let place = m.notes[0].marker.unwrap();
    assert_eq!(place.paragraph, pi + 1);
    assert_eq!(place.offset, m.paragraphs[pi].text[..k1.at].chars().count());

    // Headings and block quotations.
    let h: Vec<&str> = m
        .paragraphs
        .iter()
        .filter(|p| p.heading == Some(1))
        .map(|p| p.text.as_str())
        .collect();
    assert_eq!(
        h,
        vec![
            "Abstract",
            "提要",
            "Introduction",
            "CHAPTER 1",
            "CHAPTER 2",
            "CHAPTER 3",
            "CHAPTER 4",
            "Conclusions"
        ]
    );
    assert!(
        m.paragraphs
            .iter()
            .any(|p| p.block_quote && p.text.starts_with("“[…] A new high tide of production"))
    );
}

#[test]
fn thesis_zotero() {
    let m = read("thesis-zotero.docx");
    assert_eq!(m.notes.len(), 56);
    let with_fields = m.notes.iter().filter(|n| !n.fields.is_empty()).count();
    assert_eq!(with_fields, 51);
    // Texts are unchanged by the fields.
    assert_eq!(m.notes[0].text, NOTE1);
    let n2 = &m.notes[1];
    assert_eq!(n2.text, "Ibid. p.475.");
    let f = &n2.fields[0];
    assert_eq!(f.manager, Manager::Zotero);
    assert_eq!(f.range, 0..n2.text.len());
    assert_eq!(f.items.len(), 1);
    assert_eq!(
        f.items[0].csl["title"],
        "Mubei: Zhongguo liushi niandai dajihuang jishi"
    );
    assert_eq!(f.items[0].locator.as_deref(), Some("475"));
    assert_eq!(f.items[0].label.as_deref(), Some("page"));
    // Note 5 cites two works.
    let n5 = &m.notes[4].fields[0];
    let titles: Vec<&str> = n5
        .items
        .iter()
        .map(|i| i.csl["title"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        titles,
        vec![
            "La Cina del Novecento: dalla Fine dell’Impero ad Oggi",
            "Mubei: Zhongguo liushi niandai dajihuang jishi"
        ]
    );
    let locs: Vec<Option<&str>> = n5.items.iter().map(|i| i.locator.as_deref()).collect();
    assert_eq!(locs, vec![Some("214"), Some("326-328")]);
    // An explanatory note is not a citation.
    assert!(m.notes[14].fields.is_empty());
    assert!(m.notes[14].text.starts_with("Liu Shaoqi was the Chairman"));
}
