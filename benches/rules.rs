//! How long the offline audit rules take on a large synthetic document:
//! 5,000 citations in 5,000 footnotes (a tenth of them hand-typed), against a
//! 200-entry bibliography. No Typst: the rules read the document model.
//!
//!   cargo bench --bench rules

use std::time::{Duration, Instant};

use ibid::audit::{self, AuditInput};
use ibid::bibliography::{Bibliography, parse};
use ibid::document::{Citation, Document, Footnote, FootnoteKind, SourceSpan};

const CITATIONS: usize = 5_000;
const ENTRIES: usize = 200;

fn bibliography() -> Bibliography {
    let mut yaml = String::new();
    for i in 0..ENTRIES {
        yaml.push_str(&format!(
            "work{i}:\n  type: book\n  title: \"Title number {i} of the library\"\n  author: Author{i}, Given\n  date: {}\n  publisher: Press\n  page-total: 400\n",
            1900 + i % 100
        ));
    }
    Bibliography::new(vec!["refs.yaml".into()], parse("refs.yaml", &yaml).unwrap())
}

fn document() -> Document {
    let labels = ["p.", "pp.", "pag.", "Pag.", "pagg."];
    let mut doc = Document {
        pages: CITATIONS / 10,
        ..Default::default()
    };
    for i in 0..CITATIONS {
        let span = SourceSpan {
            file: "main.typ".into(),
            line: i + 1,
            column: 1,
            range: 0..0,
        };
        let key = format!("work{}", i % ENTRIES);
        let page = 1 + (i * 7) % 450;
        let locator = match i % 5 {
            1 | 4 => format!("{} {page}-{}", labels[i % 5], page + 3),
            _ => format!("{} {page}", labels[i % 5]),
        };
        let hand_typed = i % 10 == 9;
        let quote = (i % 20 == 0).then(|| {
            format!(
                "a quotation of more than eight words taken from work {} here",
                i % 40
            )
        });
        if hand_typed {
            doc.footnotes.push(Footnote {
                number: (i + 1).to_string(),
                page: 1 + i / 10,
                kind: FootnoteKind::Explanatory,
                span: Some(span.clone()),
                marker: None,
                position: None,
                quote,
                text: format!("AUTHOR{}, “Title number…”, cit., p.{page}.", i % ENTRIES),
                italic: Vec::new(),
                prose: format!("AUTHOR{}, “Title number…”, cit., p.{page}.", i % ENTRIES),
                citations: vec![],
                links: vec![],
            });
        } else {
            doc.citations.push(Citation {
                key,
                locator: Some(locator),
                footnote: Some(doc.footnotes.len()),
                quote: quote.clone(),
                group: i,
                page: 1 + i / 10,
                span: Some(span.clone()),
                after: None,
                sentence: None,
            });
            doc.footnotes.push(Footnote {
                number: (i + 1).to_string(),
                page: 1 + i / 10,
                kind: FootnoteKind::Citing,
                span: Some(span),
                marker: None,
                position: None,
                quote,
                text: "Author, Title, p. 1.".into(),
                italic: Vec::new(),
                prose: String::new(),
                citations: vec![doc.citations.len() - 1],
                links: vec![],
            });
        }
    }
    doc
}

fn main() {
    let bibliography = bibliography();
    let document = document();
    let mut times: Vec<Duration> = Vec::new();
    let mut findings = 0;
    for _ in 0..11 {
        let start = Instant::now();
        findings = audit::run(&AuditInput::new(&document, &bibliography, &[])).len();
        times.push(start.elapsed());
    }
    times.sort();
    println!(
        "audit rules, {CITATIONS} citations, {ENTRIES} entries: median {:.1} ms (min {:.1}, max {:.1}), {findings} findings",
        times[times.len() / 2].as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
    );
}
