//! `ibid snapshot` on the fixtures, pinned by insta.

use super::env::{TestEnv, stderr, stdout};

fn snapshot(fixture: &str, format: &str) -> String {
    let env = TestEnv::with_fixture(fixture);
    let output = env.ibid(&["snapshot", "main.typ", "--format", format]);
    assert!(output.status.success(), "{}", stderr(&output));
    stdout(&output)
}

#[test]
fn basic_text() {
    insta::with_settings!({ snapshot_path => "../snapshots" }, {
        insta::assert_snapshot!(snapshot("basic", "text"));
    });
}

#[test]
fn basic_json() {
    let json = snapshot("basic", "json");
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["schema"], "ibid-snapshot/1");
    insta::with_settings!({ snapshot_path => "../snapshots" }, {
        insta::assert_snapshot!(json);
    });
}

#[test]
fn a_document_with_errors_gives_no_snapshot() {
    let env = TestEnv::new();
    env.write("main.typ", "#panic(\"no\")");
    let output = env.ibid(&["snapshot", "main.typ"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "");
}

#[test]
fn a_footnote_continued_on_later_pages_is_read_whole() {
    let json = snapshot("split-footnote", "json");
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let notes = value["footnotes"].as_array().unwrap();
    assert_eq!(notes.len(), 2);
    let text = notes[0]["text"].as_str().unwrap();
    assert!(text.starts_with("START-OF-NOTE Lorem ipsum"), "{text}");
    assert!(text.ends_with("END-OF-NOTE."), "{text}");
    assert!(
        !text.contains("BODY-AFTER-MARKER"),
        "body text of the next page leaked in: {text}"
    );
    assert_eq!(notes[1]["text"], "Second note.");
    assert_eq!(notes[1]["number"], "2");
}
