//! The real thesis: its transcription pinned footnote by footnote against the
//! manuscript, and its document snapshot.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use super::env::{fixture, ibid_in, stderr, stdout};

/// One row of `tests/fixtures/transcription.txt`.
#[derive(Debug, Clone, PartialEq)]
struct Expected {
    number: u32,
    kind: String,
    /// (key, locator) in order.
    citations: Vec<(String, Option<String>)>,
}

fn table() -> Vec<Expected> {
    let text = std::fs::read_to_string(fixture("transcription.txt")).unwrap();
    let cite = regex::Regex::new(r"([a-z0-9-]+)(?:\[([^\]]*)\])?").unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|line| {
            let mut parts = line.splitn(3, ' ');
            let number = parts.next().unwrap().parse().unwrap();
            let kind = parts.next().unwrap().to_string();
            let citations = cite
                .captures_iter(parts.next().unwrap_or(""))
                .map(|c| (c[1].to_string(), c.get(2).map(|m| m.as_str().to_string())))
                .collect();
            Expected {
                number,
                kind,
                citations,
            }
        })
        .collect()
}

/// The footnote texts of the manuscript, by number. Footnotes sit in blocks
/// after a separator line of spaces and end where the next page's text begins
/// (a line starting with one space); a footnote starts with its number, and
/// numbers run in order, which tells a footnote from a line starting with a
/// figure.
fn manuscript_footnotes() -> BTreeMap<u32, String> {
    let text = std::fs::read_to_string(fixture("manuscript.txt")).unwrap();
    let separator = regex::Regex::new(r"^\s{20,}$").unwrap();
    let start = regex::Regex::new(r"^(\d{1,2})\s*(\S.*)$").unwrap();
    let mut notes = BTreeMap::new();
    let mut in_block = false;
    let mut current: Option<u32> = None;
    for line in text.lines() {
        if separator.is_match(line) {
            in_block = true;
            continue;
        }
        if !in_block {
            continue;
        }
        if line.starts_with(' ') && line.chars().nth(1).is_some_and(|c| !c.is_whitespace()) {
            in_block = false;
            current = None;
            continue;
        }
        let next = notes.keys().next_back().map_or(1, |n| n + 1);
        if let Some(c) = start
            .captures(line)
            .filter(|c| c[1].parse::<u32>() == Ok(next))
        {
            // Footnote 13 ends on the line where chapter 2 begins, and so
            // does the block.
            let (body, chapter) = match c[2].split_once("CHAPTER") {
                Some((body, _)) => (body.to_string(), true),
                None => (c[2].to_string(), false),
            };
            notes.insert(next, body);
            current = (!chapter).then_some(next);
            in_block = !chapter;
        } else if let Some(n) = current {
            let note = notes.get_mut(&n).unwrap();
            note.push(' ');
            note.push_str(line.trim());
        }
    }
    notes
}

fn squeeze(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase()
}

/// How a bibliography entry can be recognised in a hand-written footnote:
/// its authors' family names and its URL.
fn entry_marks() -> BTreeMap<String, Vec<String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let yaml = std::fs::read_to_string(root.join("bibliography/thesis.yaml")).unwrap();
    let library = hayagriva::io::from_yaml_str(&yaml).unwrap();
    library
        .iter()
        .map(|entry| {
            let mut marks: Vec<String> = entry
                .authors()
                .unwrap_or_default()
                .iter()
                .map(|p| squeeze(&p.name))
                .collect();
            if let Some(url) = entry.url() {
                // Chinese characters in a URL are written as such in the
                // manuscript but percent-encoded by the URL parser.
                let raw = yaml.lines().find(|l| {
                    l.contains("value: http") && {
                        let written = l.trim().trim_start_matches("value: ");
                        url::Url::parse(written).is_ok_and(|u| u.as_str() == url.value.as_str())
                    }
                });
                let written = raw.map_or(url.value.to_string(), |l| {
                    l.trim().trim_start_matches("value: ").into()
                });
                marks.push(squeeze(&written));
            }
            (entry.key().to_string(), marks)
        })
        .collect()
}

#[test]
fn the_table_matches_the_manuscript() {
    let table = table();
    let notes = manuscript_footnotes();
    let marks = entry_marks();
    assert_eq!(table.len(), 65);
    assert_eq!(
        notes.keys().copied().collect::<Vec<_>>(),
        (1..=56).collect::<Vec<_>>(),
        "footnotes 1-56 have text"
    );

    let locator = regex::Regex::new(r"(?i)\b(p|pp|pag)\.\s*\d").unwrap();
    let mut previous: Vec<String> = Vec::new();
    for row in &table {
        let text = notes.get(&row.number).map(String::as_str);
        match row.kind.as_str() {
            "missing" => assert!(
                text.is_none(),
                "note {} has text in the manuscript",
                row.number
            ),
            "explanatory" => {
                let text = text.unwrap();
                assert!(
                    !text.contains("http") && !locator.is_match(text),
                    "note {} cites: {text}",
                    row.number
                );
            }
            "citing" => {
                let text = text.unwrap();
                let squeezed = squeeze(text);
                let ibid = text.trim_start().starts_with("Ibid");
                let mut last_position = 0;
                for (i, (key, loc)) in row.citations.iter().enumerate() {
                    if let Some(loc) = loc {
                        assert!(
                            squeezed.contains(&squeeze(loc)),
                            "note {}: locator {loc} not in {text}",
                            row.number
                        );
                    }
                    if ibid && i == 0 {
                        assert!(
                            previous.contains(key),
                            "note {}: Ibid. does not refer to {key}",
                            row.number
                        );
                        continue;
                    }
                    if ibid && row.citations.len() == previous.len() && previous.contains(key) {
                        continue; // "Ibidem." for all the sources of the previous note
                    }
                    let position = marks[key]
                        .iter()
                        .filter_map(|m| {
                            squeezed[last_position..]
                                .find(m.as_str())
                                .map(|p| p + last_position)
                        })
                        .min()
                        .unwrap_or_else(|| {
                            panic!("note {}: {key} is not named in {text}", row.number)
                        });
                    last_position = position;
                }
                previous = row.citations.iter().map(|(k, _)| k.clone()).collect();
            }
            other => panic!("unknown kind {other}"),
        }
    }
}

/// The thesis's document model as JSON, built once for all tests here.
fn thesis_json() -> &'static serde_json::Value {
    static JSON: OnceLock<serde_json::Value> = OnceLock::new();
    JSON.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let output = ibid_in(root, &["snapshot", "--format", "json"]);
        assert!(output.status.success(), "{}", stderr(&output));
        assert_eq!(
            stderr(&output),
            "",
            "the thesis builds without warnings or missing glyphs"
        );
        serde_json::from_str(&stdout(&output)).unwrap()
    })
}

#[test]
fn the_built_thesis_matches_the_table() {
    let doc = thesis_json();
    let footnotes = doc["footnotes"].as_array().unwrap();
    let citations = doc["citations"].as_array().unwrap();
    let table = table();
    assert_eq!(footnotes.len(), table.len(), "65 footnotes");
    for (note, row) in footnotes.iter().zip(&table) {
        assert_eq!(note["number"], row.number.to_string());
        let kind = match note["kind"].as_str().unwrap() {
            "citing" => "citing",
            "explanatory" => "explanatory",
            "missing-source" => "missing",
            other => panic!("unknown kind {other}"),
        };
        assert_eq!(kind, row.kind, "note {}", row.number);
        let cites: Vec<(String, Option<String>)> = note["citations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| &citations[i.as_u64().unwrap() as usize])
            .map(|c| {
                (
                    c["key"].as_str().unwrap().to_string(),
                    c["locator"].as_str().map(String::from),
                )
            })
            .collect();
        assert_eq!(cites, row.citations, "note {}", row.number);
        if kind == "missing" {
            assert!(
                note["text"].as_str().unwrap().contains("Source missing"),
                "note {}",
                row.number
            );
        }
    }
}

#[test]
fn the_thesis_has_every_chapter_and_section() {
    let doc = thesis_json();
    let titles: Vec<String> = doc["headings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            let number = h["number"]
                .as_str()
                .map(|n| format!("{n} "))
                .unwrap_or_default();
            format!(
                "{}{}{}",
                "  ".repeat(h["level"].as_u64().unwrap() as usize - 1),
                number,
                h["title"].as_str().unwrap()
            )
        })
        .collect();
    insta::with_settings!({ snapshot_path => "../snapshots" }, {
        insta::assert_snapshot!(titles.join("\n"));
    });
}

#[test]
fn thesis_snapshot() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = ibid_in(root, &["snapshot"]);
    assert!(output.status.success(), "{}", stderr(&output));
    insta::with_settings!({ snapshot_path => "../snapshots" }, {
        insta::assert_snapshot!(stdout(&output));
    });
}

/// A note's text reduced to what the comparison of notes looks at: words,
/// numbers, labels, dashes and URLs, in order; case, spaces, commas, periods,
/// colons, semicolons and the shape of quotation marks are set aside (the
/// style sets those, and the manuscript is not consistent in them).
fn comparable(text: &str) -> String {
    let mut out = String::new();
    for c in text.replace("...", "…").chars() {
        match c {
            '–' | '—' => out.push('-'),
            '⋯' => out.push('…'),
            c if c.is_whitespace() => {}
            ',' | '.' | ';' | ':' | '：' | '，' | '。' | '"' | '\'' | '“' | '”' | '‘' | '’'
            | '″' | '„' | '«' | '»' => {}
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Why a note of the PDF differs from the manuscript's, on purpose; each
/// reason says how to undo it, so that what remains must be the same.
#[derive(Debug)]
enum Reason {
    /// The style writes "cit." after every short form.
    Cit,
    /// The style joins a note's sources with ";" where the author wrote "and".
    And,
    /// The manuscript gives a web source's URL and date before the work.
    UrlFirst,
    /// CSL decides where "Ibid." goes, not the author.
    CslIbid,
    /// The manuscript repeats a full reference where the style prints the
    /// short form of a work cited before.
    FullForm,
    /// Words of the manuscript that the style does not print.
    Drop(String),
}

fn reasons() -> BTreeMap<u32, Vec<Reason>> {
    let text = std::fs::read_to_string(fixture("note-differences.txt")).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|line| {
            let (number, rest) = line.split_once(' ').unwrap();
            let reasons = rest
                .split("; ")
                .map(|r| match r.trim() {
                    "cit" => Reason::Cit,
                    "and" => Reason::And,
                    "url-first" => Reason::UrlFirst,
                    "csl-ibid" => Reason::CslIbid,
                    "full-form" => Reason::FullForm,
                    other => Reason::Drop(
                        other
                            .strip_prefix("drop \"")
                            .and_then(|s| s.strip_suffix('"'))
                            .unwrap_or_else(|| panic!("unknown reason {other}"))
                            .to_string(),
                    ),
                })
                .collect();
            (number.parse().unwrap(), reasons)
        })
        .collect()
}

#[test]
fn every_note_of_the_pdf_reads_as_in_the_manuscript_but_for_the_listed_reasons() {
    let notes = manuscript_footnotes();
    let reasons = reasons();
    let url_first = regex::Regex::new(r"^\s*(https?://\S+?),?\s+(\d\d/\d\d/\d{4})[:\s]*").unwrap();
    let locator = regex::Regex::new(r"\b(pp?|[Pp]agg?)\.\s*(\d+(?:\s*-\s*\d+)?)").unwrap();
    let locators = |text: &str| -> Vec<String> {
        locator
            .captures_iter(text)
            .map(|c| format!("{} {}", &c[1], c[2].replace(' ', "")))
            .collect()
    };
    let doc = thesis_json();
    let mut differing = Vec::new();
    let mut report = String::new();
    for note in doc["footnotes"].as_array().unwrap() {
        let number: u32 = note["number"].as_str().unwrap().parse().unwrap();
        let Some(manuscript) = notes.get(&number) else {
            continue;
        };
        let pdf = note["text"].as_str().unwrap();
        // The labels and pages are the author's, always.
        assert_eq!(locators(pdf), locators(manuscript), "note {number}: {pdf}");
        if comparable(pdf) == comparable(manuscript) {
            continue;
        }
        differing.push(number);
        report.push_str(&format!(
            "{number}\n  manuscript: {}\n  pdf:        {pdf}\n",
            manuscript.split_whitespace().collect::<Vec<_>>().join(" ")
        ));
        let Some(why) = reasons.get(&number) else {
            continue; // reported below, with the others
        };
        let (mut written, mut printed) = (manuscript.clone(), pdf.to_string());
        for reason in why {
            match reason {
                Reason::Cit => {
                    printed = printed.replace("cit.", "");
                    written = written.replace("cit.", "");
                }
                Reason::And => written = written.replace(" and ", "; "),
                Reason::UrlFirst => {
                    let c = url_first
                        .captures(&written)
                        .unwrap_or_else(|| panic!("note {number} does not begin with a URL"));
                    written = format!(
                        "{}, {}, {}",
                        &written[c.get(0).unwrap().end()..],
                        &c[1],
                        &c[2]
                    );
                }
                Reason::CslIbid => {
                    let ibid = |t: &str| t.trim_start().starts_with("Ibid");
                    assert_ne!(
                        ibid(&written),
                        ibid(&printed),
                        "note {number}: one of the two is an Ibid.: {written} / {printed}"
                    );
                }
                Reason::FullForm => {}
                Reason::Drop(words) => {
                    assert!(
                        written.contains(words.as_str()),
                        "note {number}: no {words:?}"
                    );
                    written = written.replacen(words.as_str(), "", 1);
                }
            }
        }
        if !why
            .iter()
            .any(|r| matches!(r, Reason::CslIbid | Reason::FullForm))
        {
            assert_eq!(
                comparable(&written),
                comparable(&printed),
                "note {number}: the listed reasons do not account for the difference"
            );
        }
    }
    let listed: Vec<u32> = reasons.keys().copied().collect();
    assert_eq!(
        differing, listed,
        "the notes that differ from the manuscript, and those tests/fixtures/note-differences.txt explains:\n{report}"
    );
    insta::with_settings!({ snapshot_path => "../snapshots" }, {
        insta::assert_snapshot!(report);
    });
}

/// Every piece of text the thesis prints, page after page, as the PDF holds
/// it (the laid-out text the PDF export writes).
fn printed_text() -> String {
    printed_pages(&[]).concat()
}

/// The text of each page of the thesis built with these `--input`s.
fn printed_pages(inputs: &[(&str, &str)]) -> Vec<String> {
    use ibid::fonts::{FontConfig, discover};
    use ibid::world::{IbidWorld, WorldConfig};
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = WorldConfig {
        root: root.to_path_buf(),
        input: root.join("thesis/main.typ"),
        inputs: inputs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..Default::default()
    };
    let fonts = discover(&FontConfig {
        font_paths: Vec::new(),
        ignore_system_fonts: true,
    });
    let world = IbidWorld::new(&config, std::sync::Arc::new(fonts)).unwrap();
    let compiled = ibid::typeset::compile(&world, false);
    let document = compiled.document.expect("the thesis compiles");
    let mut pages = vec![String::new(); document.pages().len()];
    ibid::frames::walk(&document, |page, event| {
        if let ibid::frames::Event::Text { item, .. } = event {
            pages[page].push_str(&item.text);
            pages[page].push('\n');
        }
    });
    pages
}

#[test]
fn the_title_page_shows_a_placeholder_for_each_of_the_five_inputs_until_given() {
    let title_page = printed_pages(&[]).swap_remove(0).replace('\n', "");
    for what in ["institution", "title", "author", "supervisor", "year"] {
        assert!(
            title_page.contains(&format!("[{what}: ibid build --input {what}=…]")),
            "{what}: {title_page}"
        );
    }
    let given = [
        ("institution", "Università di Bologna"),
        ("title", "The Great Leap Forward"),
        ("author", "Jane Doe"),
        ("supervisor", "Guido Samarani"),
        ("year", "2011"),
    ];
    let title_page = printed_pages(&given).swap_remove(0).replace('\n', "");
    assert!(!title_page.contains("ibid build --input"), "{title_page}");
    for (_, value) in given {
        assert!(title_page.contains(value), "{value}: {title_page}");
    }
}

#[test]
fn issue12_urls_print_as_written_with_no_percent_escape_in_the_pdf() {
    let text = printed_text();
    let escape = regex::Regex::new(r"%[0-9A-Fa-f]{2}").unwrap();
    assert!(
        !escape.is_match(&text),
        "percent escapes: {:?}",
        escape
            .find_iter(&text)
            .map(|m| m.as_str())
            .collect::<Vec<_>>()
    );
    // Both Chinese URLs, in the notes and the bibliography, as written in
    // bibliography/thesis.yaml (runs may break at line ends).
    let joined: String = text.split('\n').collect();
    for written in [
        "http://www.scribd.com/doc/6404050/墓碑：中国六十年代大饥荒纪实",
        "http://zh.wikipedia.org/wiki/中苏国防新技术协定",
    ] {
        assert!(
            joined.matches(written).count() >= 2,
            "{written} is printed in a note and in the bibliography"
        );
    }
}

#[test]
fn building_the_thesis_prints_errors_and_warnings_within_100_columns_then_one_summary_line() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("main.pdf");
    let output = ibid_in(root, &["build", "-o", pdf.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let err = stderr(&output);
    // The summary line's width is the output path's, given here.
    let (diagnostics, last) = err.trim_end().rsplit_once('\n').unwrap();
    for line in diagnostics.lines() {
        let width: usize = line
            .chars()
            .map(|c| {
                if ('\u{2e80}'..='\u{ffef}').contains(&c) {
                    2
                } else {
                    1
                }
            })
            .sum();
        assert!(width <= 100, "a line of {width} columns: {line}");
    }
    assert!(
        !err.contains("info["),
        "infos are counted, not printed: {err}"
    );
    assert!(err.contains("error[missing-source]"), "{err}");
    let summary = regex::Regex::new(
        r"^wrote \S+main\.pdf \(26 pages\) · audit: \d+ errors, \d+ warnings, \d+ infos — ibid audit for details$",
    )
    .unwrap();
    assert!(summary.is_match(last), "{last}");
    let verbose = ibid_in(root, &["build", "-o", pdf.to_str().unwrap(), "--verbose"]);
    assert!(stderr(&verbose).contains("info["), "{}", stderr(&verbose));
}
