//! The PDF front end on PDFs compiled from the `.typ` files beside them
//! (Typst 0.15.1, through ibid), hand-built ones and bad inputs.

use ibid::manuscript::model::{Manuscript, Note, Paragraph};
use ibid::manuscript::pdf::{Limits, PdfError, read_pdf};

fn bytes(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/manuscripts/pdf/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn read(name: &str, layout: bool) -> Manuscript {
    let limits = Limits {
        force_layout: layout,
        ..Limits::default()
    };
    match read_pdf(&bytes(name), &limits) {
        Ok(m) => m,
        Err(e) => panic!("{name}: {e}"),
    }
}

/// Both paths: the structure tree (Typst PDFs are tagged) and layout only.
fn both(name: &str) -> [Manuscript; 2] {
    [read(name, false), read(name, true)]
}

fn italic_texts(text: &str, ranges: &[std::ops::Range<usize>]) -> Vec<String> {
    ranges.iter().map(|r| text[r.clone()].to_string()).collect()
}

fn para<'a>(m: &'a Manuscript, start: &str) -> &'a Paragraph {
    m.paragraphs
        .iter()
        .find(|p| p.text.starts_with(start))
        .unwrap_or_else(|| panic!("no paragraph starting {start:?} in {:#?}", m.paragraphs))
}

fn note_texts(m: &Manuscript) -> Vec<&str> {
    m.notes.iter().map(|n| n.text.as_str()).collect()
}

#[test]
fn three_footnotes_on_a_page() {
    for m in both("three_notes.pdf") {
        assert_eq!(m.pages, 1);
        assert_eq!(m.page_labels, vec!["1"]);
        assert_eq!(
            note_texts(&m),
            vec![
                "Roderick MacFarquhar, The Origins of the Cultural Revolution, p. 12.",
                "Yang Jisheng, Tombstone, p. 387.",
                "Ibid., p. 390.",
            ]
        );
        let numbers: Vec<&str> = m.notes.iter().map(|n| n.number.as_str()).collect();
        assert_eq!(numbers, vec!["1", "2", "3"]);
        assert_eq!(
            italic_texts(&m.notes[0].text, &m.notes[0].italic),
            vec!["The Origins of the Cultural Revolution"]
        );
        assert_eq!(
            italic_texts(&m.notes[1].text, &m.notes[1].italic),
            vec!["Tombstone"]
        );

        let h = &m.paragraphs[0];
        assert_eq!((h.text.as_str(), h.heading), ("Introduction", Some(1)));

        let p = para(&m, "The Great Leap Forward began in 1958.");
        assert_eq!(p.place.paragraph, 2);
        assert_eq!(
            p.text,
            "The Great Leap Forward began in 1958. It was an attempt to industrialise the country \
             rapidly, and its policies caused a famine. The communes were established in the summer."
        );
        let markers: Vec<(&str, usize, Option<usize>)> = p
            .markers
            .iter()
            .map(|mk| (mk.number.as_str(), mk.at, mk.note))
            .collect();
        let at1 = "The Great Leap Forward began in 1958.".len();
        assert_eq!(markers[0], ("1", at1, Some(0)));
        assert_eq!(
            &p.text[..markers[1].1],
            "The Great Leap Forward began in 1958. It was an attempt to industrialise the country rapidly, and its policies caused a famine."
        );
        assert_eq!(markers[1].2, Some(1));
        assert_eq!((markers[2].1, markers[2].2), (p.text.len(), Some(2)));
        let mk = m.notes[0].marker.expect("note 1 has its marker");
        assert_eq!((mk.page, mk.paragraph, mk.offset), (1, 2, 37));

        // Hyphenation at a line end and a real hyphen inside a line.
        let p3 = para(&m, "A second paragraph follows");
        assert!(
            p3.text
                .contains("a well-known example of text that is long enough"),
            "{}",
            p3.text
        );
        assert!(
            p3.text
                .contains(" hyphenation and line joining matter here."),
            "{}",
            p3.text
        );
        assert!(!p3.text.contains('\u{AD}'));
        assert!(p3.markers.is_empty());
        assert!(m.warnings.is_empty(), "{:?}", m.warnings);
    }
}

#[test]
fn footnote_continued_on_next_page() {
    for m in both("continued.pdf") {
        assert_eq!(m.pages, 2);
        assert_eq!(m.notes.len(), 2);
        let n = &m.notes[0];
        assert_eq!(n.number, "1");
        assert!(n.text.starts_with(
            "This note is deliberately long so that it cannot fit at the bottom of the first page"
        ));
        assert!(
            n.text.ends_with(
                "augeri amplificarique non possit. At. The note ends here with a final sentence."
            ),
            "{}",
            n.text
        );
        assert_eq!(n.place.page, 1);
        assert_eq!(
            (m.notes[1].number.as_str(), m.notes[1].text.as_str()),
            ("2", "A short second note.")
        );
        assert_eq!(m.notes[1].place.page, 2);
        for p in &m.paragraphs {
            assert!(
                !p.text.contains("The note ends here"),
                "note text leaked into the body: {}",
                p.text
            );
        }
        let markers: Vec<(&str, Option<usize>)> = m
            .paragraphs
            .iter()
            .flat_map(|p| p.markers.iter().map(|k| (k.number.as_str(), k.note)))
            .collect();
        assert_eq!(markers, vec![("1", Some(0)), ("2", Some(1))]);
        let last = m.paragraphs.last().map(|p| p.text.as_str()).unwrap_or("");
        assert!(last.ends_with("A second claim."), "{last}");
    }
}

#[test]
fn two_columns_with_footnotes() {
    for m in both("two_column.pdf") {
        assert_eq!(m.paragraphs.len(), 2, "{:#?}", m.paragraphs);
        let left = &m.paragraphs[0];
        let right = &m.paragraphs[1];
        assert!(
            left.text
                .starts_with("Left column text begins here. Lorem ipsum")
        );
        assert!(left.text.contains("The left claim. Lorem"));
        assert!(
            right
                .text
                .starts_with("Right column text begins here after the break.")
        );
        assert!(
            right.text.ends_with("End of the right column."),
            "{}",
            right.text
        );
        assert_eq!(note_texts(&m), vec!["Left note text.", "Right note text."]);
        assert_eq!(left.markers.len(), 1);
        assert_eq!(
            (left.markers[0].number.as_str(), left.markers[0].note),
            ("1", Some(0))
        );
        assert_eq!(
            (right.markers[0].number.as_str(), right.markers[0].note),
            ("2", Some(1))
        );
        assert!(left.text[..left.markers[0].at].ends_with("The left claim."));
    }
}

#[test]
fn word_processor_like_layout() {
    // No Note elements in the structure tree: the layout path runs in both.
    for m in both("word_like.pdf") {
        assert_eq!(m.page_labels, vec!["1", "2"]);
        assert_eq!(m.paragraphs.len(), 2, "{:#?}", m.paragraphs);
        let p1 = &m.paragraphs[0];
        assert!(
            p1.text
                .starts_with("The communes spread quickly in the summer of 1958. Local cadres")
        );
        let mk: Vec<(&str, usize, Option<usize>)> = p1
            .markers
            .iter()
            .map(|k| (k.number.as_str(), k.at, k.note))
            .collect();
        assert_eq!(
            mk[0],
            (
                "1",
                "The communes spread quickly in the summer of 1958.".len(),
                Some(0)
            )
        );
        assert_eq!(mk[1].2, Some(1));
        assert!(
            m.paragraphs[1]
                .text
                .starts_with("The famine was worst in Anhui and Sichuan. Lorem")
        );
        assert_eq!(
            note_texts(&m),
            vec![
                "Yang Jisheng, Tombstone, p. 160.",
                "MacFarquhar, The Origins, pp. 82–84, a note that is long enough to continue onto the following page without a number.",
                "Dikötter, Mao’s Great Famine, p. 333.",
            ]
        );
        assert_eq!(m.notes[2].place.page, 2);
        assert_eq!(
            italic_texts(&m.notes[2].text, &m.notes[2].italic),
            vec!["Mao’s Great Famine"]
        );
        for p in &m.paragraphs {
            assert!(!p.text.contains("A Study of the Great Leap Forward"));
            assert!(!p.text.contains("Page"));
        }
    }
}

#[test]
fn roman_then_arabic_page_labels() {
    let m = read("labels.pdf", false);
    assert_eq!(m.page_labels, vec!["i", "ii", "1", "2"]);
    // The folios printed in the footers are dropped from the body.
    for p in &m.paragraphs {
        assert!(!p.text.contains("ii"), "{}", p.text);
    }
    assert_eq!(m.paragraphs[0].text, "Preface page one.");
}

#[test]
fn page_labels_from_folios_when_the_pdf_has_none() {
    // Rename /PageLabels (same length, so offsets stay valid).
    let mut b = bytes("labels.pdf");
    let at = b
        .windows(11)
        .position(|w| w == b"/PageLabels")
        .expect("Typst writes /PageLabels");
    b[at..at + 11].copy_from_slice(b"/PageLabelX");
    let m = read_pdf(&b, &Limits::default()).expect("readable");
    assert_eq!(m.page_labels, vec!["i", "ii", "1", "2"]);
}

#[test]
fn heading_block_quote_and_italic_title() {
    for m in both("quote.pdf") {
        let heads: Vec<(&str, Option<u8>)> = m
            .paragraphs
            .iter()
            .filter(|p| p.heading.is_some())
            .map(|p| (p.text.as_str(), p.heading))
            .collect();
        assert_eq!(
            heads,
            vec![("1 Background", Some(1)), ("1.1 The sources", Some(2))]
        );
        let p = para(&m, "The main source is Tolstoy’s War and Peace");
        assert_eq!(italic_texts(&p.text, &p.italic), vec!["War and Peace"]);
        assert!(!p.block_quote);
        let q = para(&m, "Man lives consciously for himself");
        assert!(q.block_quote);
        assert!(q.text.ends_with("aims of humanity."));
        let after = para(&m, "After the quotation");
        assert!(!after.block_quote);
        assert_eq!(after.heading, None);
    }
}

#[test]
fn link_in_a_footnote() {
    for m in both("link_note.pdf") {
        assert_eq!(m.notes.len(), 1);
        let n: &Note = &m.notes[0];
        assert_eq!(n.text, "See the online archive, accessed 2024.");
        assert_eq!(n.links.len(), 1);
        assert_eq!(n.links[0].url, "https://example.org/archive/letters");
        assert_eq!(&n.text[n.links[0].range.clone()], "the online archive");
        assert!(m.paragraphs.iter().all(|p| p.links.is_empty()));
    }
}

#[test]
fn right_to_left_runs_in_logical_order() {
    let m = read("rtl.pdf", false);
    assert_eq!(
        m.paragraphs[0].text,
        "The Hebrew greeting שלום עולם means hello world."
    );
    assert_eq!(m.paragraphs[1].text, "Arabic: كتاب جديد is a new book.");
}

// ------------------------------------------------------------------ thesis

#[test]
fn thesis_notes_markers_and_chinese() {
    let source = std::fs::read_to_string(format!(
        "{}/tests/fixtures/manuscripts/pdf/thesis.typ",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("thesis.typ");
    let footnotes = source.matches("#footnote[").count();
    assert_eq!(footnotes, 56);
    let [tagged, layout] = both("thesis.pdf");
    for m in [&tagged, &layout] {
        assert_eq!(m.notes.len(), footnotes);
        assert_eq!(m.pages, 16);
        for (i, n) in m.notes.iter().enumerate() {
            assert_eq!(n.number, (i + 1).to_string());
        }
        assert_eq!(
            m.notes[0].text,
            "http://www.scribd.com/doc/6404050/墓碑：中国六十年代大饥荒纪实, 20/09/2009: YANG Jisheng 杨继绳, \
             “Mubei: Zhongguo liushi niandai dajihuang jishi”, “墓碑:中国六十年代大饥荒纪实” (The tombstone: \
             a record of China’s great famine of the Sixties), August 2007, pag.387."
        );
        assert_eq!(m.notes[1].text, "Ibid. p.475.");
        assert_eq!(
            m.notes[11].text,
            "http://zh.wikipedia.org/wiki/中苏国防新技术协定, 20/11/2009."
        );
        assert_eq!(
            m.notes[20].text,
            "MacFARQUHAR, “The Origins…”, cit., pp.29-30 and http://news.xinhuanet.com/ziliao/2005-01/06/content_2423605.htm, \
             13/10/2009; http://www.marxists.org/reference/archive/mao/selected-works/volume-8/mswv8_05.htm, 13/10/2009."
        );
        assert_eq!(m.notes[55].text, "Ibid.");

        let markers: Vec<_> = m.paragraphs.iter().flat_map(|p| p.markers.iter()).collect();
        assert_eq!(markers.len(), 65);
        for (i, mk) in markers.iter().enumerate() {
            assert_eq!(mk.number, (i + 1).to_string());
            if i < 56 {
                assert_eq!(mk.note, Some(i), "marker {}", i + 1);
            } else {
                assert_eq!(mk.note, None, "marker {} has no note text", i + 1);
            }
        }
        for n in &m.notes {
            assert!(n.marker.is_some(), "note {} has its marker", n.number);
        }
        // No note text in the body, no marker digits in the text.
        let p1 = para(
            m,
            "The aim of this work is to analyze the Chinese Great Leap Forward (大跃进 Dayuejin)",
        );
        assert_eq!(p1.place.page, 1);
        let p = m
            .paragraphs
            .iter()
            .find(|p| p.markers.iter().any(|k| k.number == "1"))
            .expect("marker 1");
        let at = p.markers[0].at;
        assert!(
            p.text[..at].ends_with("could have ended within the year 1959.”"),
            "{}",
            &p.text[..at]
        );
        let heads: Vec<&str> = m
            .paragraphs
            .iter()
            .filter(|p| p.heading == Some(1))
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(
            heads,
            vec![
                "Abstract",
                "Introduction",
                "CHAPTER 1",
                "CHAPTER 2",
                "CHAPTER 3",
                "CHAPTER 4",
                "Conclusions"
            ]
        );
        assert!(m.warnings.is_empty(), "{:?}", m.warnings);
    }
    assert_eq!(tagged.notes, layout.notes);
    assert_eq!(tagged.paragraphs, layout.paragraphs);
}

// ------------------------------------------------------------ bad inputs

#[test]
fn not_a_pdf() {
    for b in [
        &b""[..],
        b"PK\x03\x04 this is a zip",
        b"Hello, I am a text file.\n",
    ] {
        assert_eq!(read_pdf(b, &Limits::default()), Err(PdfError::NotPdf));
    }
    let e = PdfError::NotPdf.to_string();
    assert!(e.starts_with("this file is not a PDF (hint:"), "{e}");
}

#[test]
fn garbage_after_the_header_is_damaged() {
    let b = b"%PDF-1.7\n\x00\x01\x02 nothing here at all\n%%EOF\n";
    assert_eq!(read_pdf(b, &Limits::default()), Err(PdfError::Damaged));
}

#[test]
fn encrypted_pdf() {
    let b = bytes("encrypted.pdf");
    let e = read_pdf(&b, &Limits::default()).unwrap_err();
    assert_eq!(e, PdfError::Encrypted);
    assert!(e.to_string().contains("needs a password"));
    // The fixture is genuinely encrypted: it opens with its password.
    let pdf = hayro_syntax::Pdf::new(b.clone()).err();
    assert!(pdf.is_some());
    let opened =
        hayro_syntax::Pdf::new_with_password(b, "secret").expect("opens with the password");
    assert_eq!(opened.pages().len(), 1);
}

#[test]
fn truncated_pdf_is_damaged() {
    assert_eq!(
        read_pdf(&bytes("truncated.pdf"), &Limits::default()),
        Err(PdfError::Damaged)
    );
}

#[test]
fn broken_xref_is_repaired() {
    let m = read("broken_xref.pdf", false);
    assert_eq!(note_texts(&m), note_texts(&read("three_notes.pdf", false)));
}

#[test]
fn image_only_pdf_has_no_text() {
    assert_eq!(
        read_pdf(&bytes("image_only.pdf"), &Limits::default()),
        Err(PdfError::NoText { pages: 1 })
    );
}

#[test]
fn scanned_pages_are_named_in_warnings() {
    let m = read("scanned_page.pdf", false);
    assert_eq!(m.pages, 3);
    assert_eq!(m.paragraphs.len(), 1);
    assert_eq!(m.paragraphs[0].text, "The first page has a text layer.");
    assert_eq!(m.warnings, vec!["pages 2–3 have no text layer (scanned?)"]);
}

#[test]
fn limits_are_enforced() {
    let b = bytes("labels.pdf");
    let small = Limits {
        max_bytes: 1000,
        ..Limits::default()
    };
    assert_eq!(
        read_pdf(&b, &small),
        Err(PdfError::TooLarge {
            bytes: b.len(),
            max: 1000
        })
    );
    let few = Limits {
        max_pages: 3,
        ..Limits::default()
    };
    assert_eq!(
        read_pdf(&b, &few),
        Err(PdfError::TooManyPages { pages: 4, max: 3 })
    );
    let capped = Limits {
        max_glyphs_per_page: 10,
        ..Limits::default()
    };
    let m = read_pdf(&bytes("three_notes.pdf"), &capped).expect("readable");
    assert_eq!(
        m.warnings,
        vec!["page 1: more than 10 glyphs; the rest was skipped"]
    );
}

#[test]
fn hostile_bytes_never_panic() {
    let good = bytes("thesis.pdf");
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for i in 0..24 {
        let mut b = good.clone();
        if i % 2 == 0 {
            let cut = (next() as usize) % b.len();
            b.truncate(cut.max(10));
        } else {
            for _ in 0..200 {
                let at = (next() as usize) % b.len();
                b[at] = next() as u8;
            }
        }
        // Any outcome but a panic is fine; an Ok must be coherent.
        if let Ok(m) = read_pdf(&b, &Limits::default()) {
            assert_eq!(m.page_labels.len(), m.pages);
            for p in &m.paragraphs {
                for mk in &p.markers {
                    assert!(p.text.is_char_boundary(mk.at));
                }
                for r in &p.italic {
                    assert!(p.text.get(r.clone()).is_some());
                }
            }
        }
    }
}
