//! The DOCX front end on one fixture per feature and per bad input
//! (`tests/fixtures/manuscripts/docx/make.py` writes them).

use ibid::manuscript::docx::{DocxError, Limits, read_docx};
use ibid::manuscript::model::{Manager, Manuscript, NoteKind, Place};

fn path(name: &str) -> String {
    format!(
        "{}/tests/fixtures/manuscripts/docx/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn read(name: &str) -> Manuscript {
    let bytes = std::fs::read(path(name)).expect("fixture exists");
    read_docx(&bytes, &Limits::default()).expect("fixture reads")
}

fn fail(name: &str, limits: &Limits) -> DocxError {
    let bytes = std::fs::read(path(name)).expect("fixture exists");
    read_docx(&bytes, limits).expect_err("fixture must be refused")
}

fn slice(text: &str, r: &std::ops::Range<usize>) -> String {
    text[r.clone()].to_string()
}

#[test]
fn split_runs_proofing_bookmarks_smart_tags_sdt() {
    let m = read("runs.docx");
    assert_eq!(m.paragraphs.len(), 3);
    assert_eq!(
        m.paragraphs[0].text,
        "The Great Leap Forward (1958-1961)\tend\nnextα"
    );
    // The italic rPr inside sdtPr is not a run's formatting.
    assert!(m.paragraphs[0].italic.is_empty());
    // Right-to-left text stays in logical (stored) order.
    assert_eq!(m.paragraphs[1].text, "שלום עולם / مرحبا");
    assert_eq!(m.paragraphs[2].text, "大跃进 Dayuejin");
    assert_eq!(
        m.paragraphs[2].place,
        Place {
            page: 0,
            paragraph: 3,
            offset: 0
        }
    );
    assert_eq!(m.pages, 0);
    assert!(m.notes.is_empty() && m.warnings.is_empty());
}

#[test]
fn italic_direct_and_by_style() {
    let m = read("italic.docx");
    let p = &m.paragraphs;
    assert_eq!(p[0].text, "See The Origins of it.");
    assert_eq!(p[0].italic, vec![4..15]);
    assert_eq!(slice(&p[0].text, &p[0].italic[0]), "The Origins");
    // Character style BookTitle is italic through basedOn Emph; w:i="0" wins.
    assert_eq!(p[1].text, "Read Mubei and not this.");
    assert_eq!(p[1].italic, vec![5..10]);
    // Paragraph style Epigraph is italic; a run turns it off.
    assert_eq!(p[2].text, "All italic but roman");
    assert_eq!(p[2].italic, vec![0..11]);
}

#[test]
fn tracked_changes_resolve_to_final_text() {
    let m = read("tracked.docx");
    assert_eq!(m.paragraphs.len(), 1);
    assert_eq!(m.paragraphs[0].text, "Mao clearly stated it again.");
    // The old formatting in w:rPrChange (italic) is not applied.
    assert!(m.paragraphs[0].italic.is_empty());
}

#[test]
fn footnotes_numbers_offsets_and_multi_paragraph_text() {
    let m = read("footnotes.docx");
    let p0 = &m.paragraphs[0];
    assert_eq!(p0.text, "First claim. Second claim.");
    let nums: Vec<(&str, usize, Option<usize>)> = p0
        .markers
        .iter()
        .map(|k| (k.number.as_str(), k.at, k.note))
        .collect();
    assert_eq!(nums, vec![("1", 12, Some(0)), ("2", 25, Some(1))]);
    let p1 = &m.paragraphs[1];
    assert_eq!(p1.text, "Starred then third");
    let nums: Vec<(&str, usize)> = p1
        .markers
        .iter()
        .map(|k| (k.number.as_str(), k.at))
        .collect();
    // A custom mark takes no number: the next note is 3.
    assert_eq!(nums, vec![("*", 7), ("3", 18)]);

    assert_eq!(m.notes.len(), 4);
    assert_eq!(m.notes[0].text, "Ibid., p. 3.");
    assert_eq!(m.notes[0].number, "1");
    assert_eq!(m.notes[0].kind, NoteKind::Footnote);
    assert_eq!(
        m.notes[0].marker,
        Some(Place {
            page: 0,
            paragraph: 1,
            offset: 12
        })
    );
    assert_eq!(m.notes[1].text, "See Mubei, p. 387.\nA second paragraph.");
    assert_eq!(m.notes[1].italic, vec![4..9]);
    assert_eq!(m.notes[2].number, "*");
    assert_eq!(m.notes[2].text, "A starred note.");
    assert_eq!(m.notes[3].number, "3");
    assert_eq!(m.notes[3].text, "Third note.");
}

#[test]
fn endnotes_default_roman_and_decimal_from_settings() {
    let m = read("endnotes.docx");
    assert_eq!(m.paragraphs[0].text, "Alpha beta");
    let nums: Vec<&str> = m.notes.iter().map(|n| n.number.as_str()).collect();
    assert_eq!(nums, vec!["i", "ii"]);
    assert_eq!(m.notes[0].kind, NoteKind::Endnote);
    assert_eq!(m.notes[1].text, "Endnote two.");
    assert_eq!(m.paragraphs[0].markers[1].at, 10);

    let m = read("endnotes-decimal.docx");
    let nums: Vec<&str> = m.notes.iter().map(|n| n.number.as_str()).collect();
    assert_eq!(nums, vec!["1", "2"]);
}

#[test]
fn hyperlinks_by_relationship_and_by_field() {
    let m = read("hyperlinks.docx");
    let p = &m.paragraphs[0];
    assert_eq!(p.text, "Source: the Peking Review.");
    assert_eq!(p.links.len(), 1);
    assert_eq!(
        p.links[0].url,
        "http://www.marxists.org/subject/china/peking-review/1959/PR1959-36b.htm"
    );
    assert_eq!(slice(&p.text, &p.links[0].range), "the Peking Review");
    let p = &m.paragraphs[1];
    // The field's instruction is not text; an internal anchor is no web link.
    assert_eq!(p.text, "Also Xinhua and a bookmark");
    assert_eq!(p.links.len(), 1);
    assert_eq!(p.links[0].url, "http://news.xinhuanet.com/ziliao/a.htm");
    assert_eq!(slice(&p.text, &p.links[0].range), "Xinhua");
}

#[test]
fn complex_and_simple_fields_keep_their_result() {
    let m = read("fields.docx");
    assert_eq!(m.paragraphs.len(), 1);
    assert_eq!(m.paragraphs[0].text, "See page 127 and 2009.");
    assert!(m.paragraphs[0].fields.is_empty());
}

#[test]
fn zotero_citation_in_a_footnote() {
    let m = read("zotero.docx");
    assert_eq!(m.paragraphs[0].text, "Peaceful transition.");
    // The bibliography field is text, not a citation.
    assert_eq!(
        m.paragraphs[1].text,
        "MacFarquhar, Roderick. The Origins. 1983."
    );
    assert!(m.paragraphs[1].fields.is_empty());
    let n = &m.notes[0];
    assert_eq!(n.text, "MacFarquhar, The Origins, 7. Cf. Yang.");
    assert_eq!(n.italic, vec![13..24]);
    assert_eq!(n.fields.len(), 1);
    let f = &n.fields[0];
    assert_eq!(f.manager, Manager::Zotero);
    assert_eq!(slice(&n.text, &f.range), "MacFarquhar, The Origins, 7.");
    let it = &f.items[0];
    assert_eq!(it.id, "http://zotero.org/users/1/items/ABCD1234");
    assert_eq!(it.locator.as_deref(), Some("7"));
    assert_eq!(it.label.as_deref(), Some("page"));
    assert_eq!(it.prefix.as_deref(), Some("see"));
    assert_eq!(it.suffix.as_deref(), Some("and passim"));
    assert_eq!(it.csl["title"], "The Origins of the Cultural Revolution 2");
    assert_eq!(it.csl["author"][0]["family"], "MacFarquhar");
    assert_eq!(it.csl["issued"]["date-parts"][0][0], 1983);
}

#[test]
fn mendeley_citation_in_the_body() {
    let m = read("mendeley.docx");
    let p = &m.paragraphs[0];
    assert_eq!(p.text, "The famine was severe (Yang 2010, 12–14).");
    assert_eq!(p.fields.len(), 1);
    let f = &p.fields[0];
    assert_eq!(f.manager, Manager::Mendeley);
    assert_eq!(slice(&p.text, &f.range), "(Yang 2010, 12–14)");
    assert_eq!(
        f.items[0].id,
        "http://www.mendeley.com/documents/?uuid=1234-abcd"
    );
    assert_eq!(f.items[0].locator.as_deref(), Some("12-14"));
    assert_eq!(f.items[0].csl["container-title"], "China Quarterly");
    assert_eq!(m.paragraphs[1].text, "Yang, J. (2010).");
    assert!(m.paragraphs[1].fields.is_empty());
}

#[test]
fn endnote_citations_inline_and_in_fld_data() {
    let m = read("endnote.docx");
    let p = &m.paragraphs[0];
    assert_eq!(
        p.text,
        "Slavish copying (MacFarquhar, 1983) and work points (Samarani, 2004)."
    );
    assert_eq!(p.fields.len(), 2);
    let a = &p.fields[0];
    assert_eq!(a.manager, Manager::EndNote);
    assert_eq!(slice(&p.text, &a.range), "(MacFarquhar, 1983)");
    let it = &a.items[0];
    assert_eq!(it.id, "17");
    assert_eq!(it.locator.as_deref(), Some("36-37"));
    assert_eq!(it.csl["type"], "book");
    assert_eq!(it.csl["title"], "The Origins of the Cultural Revolution");
    assert_eq!(it.csl["author"][0]["family"], "MacFarquhar");
    assert_eq!(it.csl["author"][0]["given"], "Roderick");
    assert_eq!(it.csl["publisher"], "Columbia University Press");
    assert_eq!(it.csl["publisher-place"], "New York");
    assert_eq!(it.csl["ISBN"], "0231057172");
    assert_eq!(it.csl["issued"]["date-parts"][0][0], 1983);
    let b = &p.fields[1];
    assert_eq!(slice(&p.text, &b.range), "(Samarani, 2004)");
    let it = &b.items[0];
    assert_eq!(it.id, "23");
    assert_eq!(it.locator.as_deref(), Some("214"));
    assert_eq!(it.csl["title"], "La Cina del Novecento");
    assert_eq!(it.csl["DOI"], "10.1000/xyz");
    assert_eq!(it.csl["URL"], "http://example.org/cina");
}

#[test]
fn headings_and_block_quotes() {
    let m = read("headings.docx");
    let got: Vec<(&str, Option<u8>, bool)> = m
        .paragraphs
        .iter()
        .map(|p| (p.text.as_str(), p.heading, p.block_quote))
        .collect();
    assert_eq!(
        got,
        vec![
            ("CHAPTER 2", Some(1), false),
            ("1. THE SIXTY ARTICLES", Some(2), false),
            ("3.1 How were the People’s Communes born?", Some(3), false),
            ("Body text.", None, false),
            ("“A new high tide of production has risen.”", None, true),
            ("Eine Zitat-Absatz.", None, true),
            ("“There are three production plans.”", None, true),
            ("Both sides indented.", None, true),
            ("Hanging bibliography entry.", None, false),
            ("Indented, normal size.", None, false),
        ]
    );
}

#[test]
fn legacy_doc_and_encrypted() {
    let l = Limits::default();
    assert_eq!(fail("legacy.doc.docx", &l), DocxError::LegacyDoc);
    assert!(
        DocxError::LegacyDoc
            .to_string()
            .contains("save it as .docx")
    );
    assert_eq!(fail("encrypted.docx", &l), DocxError::Encrypted);
    assert!(DocxError::Encrypted.to_string().contains("encrypted"));
}

#[test]
fn not_a_zip_and_missing_document() {
    let l = Limits::default();
    assert!(matches!(
        fail("not-a-zip.docx", &l),
        DocxError::NotZip { .. }
    ));
    assert!(matches!(read_docx(b"", &l), Err(DocxError::NotZip { .. })));
    assert_eq!(
        fail("missing-document.docx", &l),
        DocxError::MissingPart {
            part: "word/document.xml".into()
        }
    );
}

#[test]
fn zip_bomb_is_capped() {
    let e = fail("bomb.docx", &Limits::default());
    assert_eq!(
        e,
        DocxError::PartTooLarge {
            part: "word/document.xml".into(),
            limit: 64 << 20
        }
    );
    let small = Limits {
        max_total_bytes: 1 << 20,
        ..Limits::default()
    };
    assert_eq!(
        fail("bomb.docx", &small),
        DocxError::TooLarge { limit: 1 << 20 }
    );
    let few = Limits {
        max_entries: 1,
        ..Limits::default()
    };
    assert_eq!(
        fail("bomb.docx", &few),
        DocxError::TooManyEntries { count: 2, limit: 1 }
    );
}

#[test]
fn xml_bombs_and_malformed_xml() {
    let l = Limits::default();
    assert_eq!(
        fail("doctype.docx", &l),
        DocxError::DocType {
            part: "word/document.xml".into()
        }
    );
    match fail("deep.docx", &l) {
        DocxError::TooDeep { part, limit, .. } => {
            assert_eq!(part, "word/document.xml");
            assert_eq!(limit, 256);
        }
        e => panic!("wrong error {e:?}"),
    }
    match fail("malformed.docx", &l) {
        DocxError::Malformed {
            part,
            position,
            detail,
        } => {
            assert_eq!(part, "word/document.xml");
            assert!(position > 300, "{position}");
            assert!(detail.contains("</w:t>"), "{detail}");
        }
        e => panic!("wrong error {e:?}"),
    }
}

#[test]
fn paragraph_limit() {
    let l = Limits {
        max_paragraphs: 2,
        ..Limits::default()
    };
    assert_eq!(
        fail("runs.docx", &l),
        DocxError::TooMany {
            what: "paragraphs",
            limit: 2
        }
    );
}

#[test]
fn every_prefix_and_some_corruptions_never_panic() {
    let bytes = std::fs::read(path("zotero.docx")).unwrap();
    let l = Limits::default();
    for cut in (0..bytes.len()).step_by(97) {
        let _ = read_docx(&bytes[..cut], &l);
    }
    for i in (0..bytes.len()).step_by(53) {
        let mut b = bytes.clone();
        b[i] ^= 0x5A;
        let _ = read_docx(&b, &l);
    }
}
