//! `ibid review`: the annotated PDF read back with a PDF library, and the
//! HTML report loaded in a real browser (headless Chromium).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::env::{TestEnv, ibid_in, stderr};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `ibid review --offline` of the thesis, written to a temporary folder.
fn review_thesis() -> (TestEnv, PathBuf) {
    let out = TestEnv::new();
    let dir = out.path().join("review");
    let output = ibid_in(
        repo(),
        &["review", "--offline", "-o", dir.to_str().unwrap()],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("31 of 31 findings as comments on their pages"),
        "{}",
        stderr(&output)
    );
    (out, dir)
}

/// The audit's findings of the thesis, as JSON.
fn audit_findings() -> Vec<serde_json::Value> {
    let output = ibid_in(repo(), &["audit", "--offline", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    report["findings"].as_array().unwrap().clone()
}

/// Each footnote's page, by its number.
fn footnote_pages() -> HashMap<String, u64> {
    let output = ibid_in(repo(), &["snapshot", "--format", "json"]);
    let model: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    model["footnotes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["number"].as_str().unwrap().to_string(),
                n["page"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// A PDF text string as Rust text (UTF-16BE with a byte-order mark, or
/// PDFDocEncoding read as Latin-1).
fn text(object: &lopdf::Object) -> String {
    let bytes = object.as_str().unwrap();
    match bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some(utf16) => {
            let units: Vec<u16> = utf16
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        None => bytes.iter().map(|&b| b as char).collect(),
    }
}

#[test]
fn the_review_pdf_has_a_comment_per_finding_on_the_page_of_its_footnote() {
    let (_keep, dir) = review_thesis();
    let pdf = lopdf::Document::load(dir.join("review.pdf")).unwrap();
    let pages = pdf.get_pages();
    // The summary page first, then the thesis's 26 pages.
    assert_eq!(pages.len(), 27);
    let mut highlights: Vec<(u32, String, String)> = Vec::new();
    for (&number, &id) in &pages {
        for annotation in pdf.get_page_annotations(id).unwrap_or_default() {
            if annotation.get(b"Subtype").unwrap().as_name().unwrap() == b"Highlight" {
                let rule = text(annotation.get(b"Subj").unwrap());
                let contents = text(annotation.get(b"Contents").unwrap());
                assert!(contents.starts_with(&format!("{rule}: ")), "{contents}");
                assert!(annotation.get(b"Popup").is_ok(), "a pop-up note");
                highlights.push((number, rule, contents));
            }
        }
    }
    let findings = audit_findings();
    assert_eq!(highlights.len(), findings.len(), "one comment per finding");
    let pages_of = footnote_pages();
    let mut pool = highlights;
    for finding in &findings {
        let rule = finding["rule"].as_str().unwrap();
        let message = finding["message"].as_str().unwrap();
        // Page 1 is the summary: the thesis's page N is review.pdf's N + 1.
        let page = finding["footnote"]
            .as_str()
            .map(|number| pages_of[number] + 1);
        let at = pool.iter().position(|(p, r, c)| {
            r == rule && c.contains(message) && page.is_none_or(|page| u64::from(*p) == page)
        });
        let Some(at) = at else {
            panic!("no comment for {rule}: {message} on page {page:?}");
        };
        pool.remove(at);
    }
    assert!(pool.is_empty(), "comments without findings: {pool:?}");
}

#[test]
fn review_writes_both_files_next_to_the_input_and_never_changes_the_sources() {
    let env = TestEnv::with_fixture("audit-locator-plural");
    let before = std::fs::read_to_string(env.path().join("main.typ")).unwrap();
    let output = env.ibid(&["review", "main.typ", "--offline"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        std::fs::read(env.path().join("review.pdf"))
            .unwrap()
            .starts_with(b"%PDF")
    );
    let html = std::fs::read_to_string(env.path().join("review.html")).unwrap();
    assert!(html.contains("<code>locator-plural</code>"), "{html}");
    assert_eq!(
        std::fs::read_to_string(env.path().join("main.typ")).unwrap(),
        before
    );
}

#[test]
fn review_refuses_to_overwrite_a_file_the_document_reads() {
    let env = TestEnv::new();
    env.write("review.html", "notes the document reads\n");
    env.write("main.typ", "#read(\"review.html\")\n");
    let output = env.ibid(&["review", "main.typ", "--offline"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(
        std::fs::read_to_string(env.path().join("review.html")).unwrap(),
        "notes the document reads\n"
    );
    assert!(!env.path().join("review.pdf").exists(), "nothing written");
}

/// Chromium: `IBID_CHROMIUM`, else Debian's `/usr/bin/chromium`.
fn chromium() -> PathBuf {
    let path = std::env::var_os("IBID_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    assert!(
        path.is_file(),
        "the HTML report's browser test needs Chromium at {} (Debian: apt-get install chromium; .ci/run installs it), or IBID_CHROMIUM",
        path.display()
    );
    path
}

/// Runs headless Chromium on `page` with `args`, offline and with a profile
/// of its own.
fn headless(page: &Path, profile: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=2000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs")
}

#[test]
fn the_review_html_renders_in_a_browser_with_the_summary_and_the_findings() {
    let (keep, dir) = review_thesis();
    let page = dir.join("review.html");
    let html = std::fs::read_to_string(&page).unwrap();
    // Self-contained: nothing is loaded from elsewhere (a URL may appear as
    // text in a finding, never as something the page fetches).
    for fetches in [
        "<script src",
        "<link ",
        "<img src=\"http",
        "@import",
        "url(http",
        "<iframe",
    ] {
        assert!(
            !html.contains(fetches),
            "the page fetches something: {fetches}"
        );
    }
    assert!(
        html.contains("<style>") && html.contains("<script>"),
        "style and script inline"
    );

    let dom = headless(&page, &keep.path().join("profile-dom"), &["--dump-dom"]);
    assert!(
        dom.status.success(),
        "{}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let dom = String::from_utf8_lossy(&dom.stdout);
    // The summary, as the browser built it.
    assert!(dom.contains("<span>31 findings</span>"), "{dom}");
    assert!(dom.contains("9 errors") && dom.contains("6 warnings") && dom.contains("16 infos"));
    assert!(dom.contains("id=\"chart-chapters\"") && dom.contains("CHAPTER 4: 9"));
    // The script ran: every finding is shown at first.
    assert!(dom.contains("<span id=\"shown\">31</span>"), "{dom}");
    // One footnote's findings, with its link to its page in review.pdf.
    let note = dom
        .split("id=\"note-57\"")
        .nth(1)
        .expect("footnote 57")
        .split("</article>")
        .next()
        .unwrap();
    assert!(
        note.contains("missing-source") && note.contains("footnote 57 has no source"),
        "{note}"
    );
    assert!(note.contains("review.pdf#page="), "{note}");

    let shot = keep.path().join("review.png");
    let screenshot = headless(
        &page,
        &keep.path().join("profile-shot"),
        &[
            "--window-size=1100,1400",
            &format!("--screenshot={}", shot.display()),
        ],
    );
    assert!(
        screenshot.status.success(),
        "{}",
        String::from_utf8_lossy(&screenshot.stderr)
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    let bytes = &pixels[..info.buffer_size()];
    let channels = info.color_type.samples();
    let mut colours: Vec<&[u8]> = bytes.chunks(channels).collect();
    colours.sort();
    colours.dedup();
    let summary = format!(
        "{}x{}, blank: {}, many colours: {}",
        info.width,
        info.height,
        colours.len() <= 1,
        colours.len() > 50
    );
    insta::with_settings!({ snapshot_path => "../snapshots" }, {
        insta::assert_snapshot!(summary);
    });
}
