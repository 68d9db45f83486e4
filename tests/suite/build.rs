//! `ibid build` end to end.

use super::env::{TestEnv, ibid_with, stderr};

#[test]
fn builds_the_fixture_to_a_pdf() {
    let env = TestEnv::with_fixture("basic");
    let output = env.ibid(&["build", "main.typ", "-o", "out.pdf", "--no-audit"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let pdf = std::fs::read(env.path().join("out.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert_eq!(
        stderr(&output),
        "wrote out.pdf (1 page)\n",
        "no warning, in particular no missing glyph; one summary line"
    );
}

#[test]
fn default_output_is_next_to_the_input() {
    let env = TestEnv::with_fixture("basic");
    let output = env.ibid(&["build", "main.typ"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(env.path().join("main.pdf").is_file());
}

#[test]
fn without_arguments_builds_thesis_main_typ() {
    let env = TestEnv::new();
    env.write("thesis/main.typ", "= Hello\nA thesis.");
    std::fs::create_dir(env.path().join("bibliography")).unwrap();
    let output = env.ibid(&["build"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(env.path().join("thesis/main.pdf").is_file());
}

#[test]
fn same_sources_and_source_date_epoch_give_identical_bytes() {
    let env = TestEnv::with_fixture("basic");
    let build = |out: &str| {
        let output = ibid_with(
            env.path(),
            &["build", "main.typ", "-o", out],
            &[("SOURCE_DATE_EPOCH", "1700000000")],
        );
        assert!(output.status.success(), "{}", stderr(&output));
        std::fs::read(env.path().join(out)).unwrap()
    };
    let first = build("a.pdf");
    let second = build("b.pdf");
    assert!(first == second, "two builds differ");
    // The fixed time is the one recorded.
    let text = String::from_utf8_lossy(&first);
    assert!(
        text.contains("2023-11-14") || text.contains("D:20231114"),
        "creation date not from SOURCE_DATE_EPOCH"
    );
}

#[test]
fn a_failed_build_leaves_the_previous_pdf_intact() {
    let env = TestEnv::with_fixture("basic");
    let first = env.ibid(&["build", "main.typ", "-o", "out.pdf"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let before = std::fs::read(env.path().join("out.pdf")).unwrap();

    env.write("main.typ", "= Broken\n#let x = (\n");
    let second = env.ibid(&["build", "main.typ", "-o", "out.pdf"]);
    assert_eq!(second.status.code(), Some(1), "document errors exit with 1");
    assert!(stderr(&second).contains("error:"), "{}", stderr(&second));
    assert_eq!(std::fs::read(env.path().join("out.pdf")).unwrap(), before);
    let leftovers: Vec<_> = std::fs::read_dir(env.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary file left behind");
}

#[test]
fn diagnostics_look_like_typst_cli() {
    let env = TestEnv::new();
    env.write("main.typ", "Hello\n#undefined-thing\n");
    let output = env.ibid(&["build", "main.typ"]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains("error: unknown variable: undefined-thing"),
        "{err}"
    );
    assert!(err.contains("┌─ main.typ:2:1"), "{err}");

    let short = env.ibid(&["build", "main.typ", "--diagnostic-format", "short"]);
    assert_eq!(
        stderr(&short).trim(),
        "main.typ:2:1: error: unknown variable: undefined-thing"
    );
}

#[test]
fn warnings_are_printed_and_the_build_succeeds() {
    let env = TestEnv::new();
    env.write("main.typ", "#set text(font: \"No Such Font\")\nHello");
    let output = env.ibid(&["build", "main.typ"]);
    assert!(output.status.success());
    assert!(
        stderr(&output).contains("warning: unknown font family: no such font"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_character_no_font_covers_is_a_missing_glyph_warning() {
    let env = TestEnv::new();
    // U+13000 EGYPTIAN HIEROGLYPH A001: in no shipped font.
    env.write("main.typ", "Before \u{13000} after.\n");
    let output = env.ibid(&["build", "main.typ"]);
    assert!(output.status.success());
    let err = stderr(&output);
    assert!(
        err.contains("warning: missing glyph: `\u{13000}` (U+13000) has no glyph in font"),
        "{err}"
    );
    assert!(
        err.contains("main.typ:1:7"),
        "the warning points at the character: {err}"
    );
}

#[test]
fn a_missing_glyph_is_reported_once_per_character_with_its_other_places() {
    let env = TestEnv::new();
    let text = "A \u{13000} and \u{13000} again.\n\n#pagebreak()\n\u{13000} and \u{13001}.\n";
    env.write("main.typ", text);
    let output = env.ibid(&["build", "main.typ"]);
    assert!(output.status.success());
    let err = stderr(&output);
    assert_eq!(
        err.matches("missing glyph: `\u{13000}`").count(),
        1,
        "{err}"
    );
    assert_eq!(
        err.matches("missing glyph: `\u{13001}`").count(),
        1,
        "{err}"
    );
    assert!(err.contains("it occurs 2 more times (pages 1, 2)"), "{err}");
}

#[test]
fn a_typst_error_on_a_long_line_prints_within_100_columns() {
    let env = TestEnv::new();
    let prose = "The commune kitchens served free meals until the grain ran out. ".repeat(8);
    env.write(
        "main.typ",
        format!("= Title\n\n{prose}#undefined-function(){prose}\n"),
    );
    let output = env.ibid(&["build", "main.typ"]);
    assert!(!output.status.success());
    let err = stderr(&output);
    assert!(
        err.contains("error: unknown variable: undefined-function"),
        "{err}"
    );
    assert!(
        err.contains("main.typ:3:513"),
        "the place as written: {err}"
    );
    assert!(err.contains("...") && err.contains("^^^"), "{err}");
    let widest = err.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(widest <= 100, "a line of {widest} columns: {err}");
}

#[test]
fn strict_turns_missing_glyphs_into_errors_and_writes_nothing() {
    let env = TestEnv::new();
    env.write("main.typ", "Before \u{13000} after.\n");
    let output = env.ibid(&["build", "main.typ", "--strict"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("error: missing glyph"),
        "{}",
        stderr(&output)
    );
    assert!(!env.path().join("main.pdf").exists());
}

#[test]
fn chinese_renders_with_the_shipped_font_only() {
    let env = TestEnv::with_fixture("basic");
    let output = env.ibid(&["build", "main.typ", "--strict"]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn pdf_a_2b_is_supported() {
    let env = TestEnv::with_fixture("basic");
    let output = env.ibid(&["build", "main.typ", "--pdf-standard", "a-2b", "-o", "a.pdf"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let pdf =
        String::from_utf8_lossy(&std::fs::read(env.path().join("a.pdf")).unwrap()).into_owned();
    assert!(pdf.starts_with("%PDF-1.7"), "PDF/A-2 is based on PDF 1.7");
    assert!(
        pdf.contains("<pdfaid:part>2</pdfaid:part>")
            && pdf.contains("<pdfaid:conformance>B</pdfaid:conformance>"),
        "the XMP metadata declares PDF/A-2b, not another level"
    );
}

#[test]
fn inputs_reach_the_document() {
    let env = TestEnv::new();
    env.write(
        "main.typ",
        "#assert.eq(sys.inputs.author, \"Ada\")\nBy #sys.inputs.author",
    );
    let output = env.ibid(&["build", "main.typ", "--input", "author=Ada"]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn a_bad_argument_is_a_one_line_error_with_exit_2() {
    let env = TestEnv::new();
    let output = env.ibid(&["build", "--no-such-flag"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("error: unexpected argument '--no-such-flag'"),
        "{err}"
    );

    let output = env.ibid(&["build", "--input", "novalue"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stderr(&output).lines().count(), 1, "{}", stderr(&output));
}

#[test]
fn a_missing_input_is_a_tool_error() {
    let env = TestEnv::new();
    let output = env.ibid(&["build", "nowhere.typ"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output).trim(),
        "error: input file not found (searched at nowhere.typ)"
    );
}

#[test]
fn an_unwritable_output_is_a_tool_error() {
    let env = TestEnv::with_fixture("basic");
    let output = env.ibid(&["build", "main.typ", "-o", "no/such/folder/out.pdf"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with(
            "error: cannot write no/such/folder/out.pdf: the folder no/such/folder does not exist"
        ),
        "{}",
        stderr(&output)
    );
}

#[test]
fn help_names_the_default_input() {
    let env = TestEnv::new();
    let output = env.ibid(&["build", "--help"]);
    assert!(output.status.success());
    assert!(super::env::stdout(&output).contains("thesis/main.typ"));
}
