//! The run API as a library user (the editor server, another front end)
//! calls it: open a project once, audit it, change one file, audit again
//! with the same world. The world keeps Typst's caches and the file store
//! between runs; what changed is read again and nothing else is lost.

use std::path::Path;
use std::sync::Arc;

use ibid::audit::{AuditConfig, Finding, Rule, Selection};
use ibid::pipeline::{self, Request};
use ibid::timings::Timings;
use ibid::world::{IbidWorld, WorldConfig};

fn project(dir: &Path) {
    let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).expect("a file");
    write(
        "main.typ",
        "#include \"one.typ\"\n#include \"two.typ\"\n#bibliography(\"refs.yaml\")\n",
    );
    write(
        "one.typ",
        "= One\nFamine#footnote[@teiwes1999[p. 40].]\nAgain#footnote[Teiwes, _China's Road to Disaster_, p. 41.]\n",
    );
    write(
        "two.typ",
        "= Two\nProcurement#footnote[@yang2008[p. 88].]\n",
    );
    write(
        "refs.yaml",
        "teiwes1999:\n  type: book\n  title: China's Road to Disaster\n  author: Teiwes, Frederick C.\n  date: 1999\nyang2008:\n  type: book\n  title: Tombstone\n  author: Yang, Jisheng\n  date: 2008\n",
    );
}

struct Run {
    compiles: usize,
    unknown: Vec<String>,
    findings: Vec<Finding>,
}

fn run(world: &mut IbidWorld) -> Run {
    world.reset();
    let selection = Selection::default();
    let request = Request {
        config: AuditConfig::default(),
        links: None,
        registries: None,
        started: None,
        sources: None,
        selection: &selection,
    };
    let run = pipeline::run(world, false, request, |_| true, &mut Timings::new(false))
        .expect("the audit runs");
    let analysis = run.analysis.expect("it compiles");
    Run {
        compiles: run.compiled.compiles,
        unknown: run
            .compiled
            .unknown_keys
            .iter()
            .map(|k| k.key.clone())
            .collect(),
        findings: analysis.findings,
    }
}

/// `rule file:line` of the findings in `file`.
fn located(findings: &[Finding], file: &str) -> Vec<String> {
    let mut out: Vec<String> = findings
        .iter()
        .filter_map(|f| {
            let span = f.span.as_ref()?;
            (span.file == file).then(|| format!("{} {}:{}", f.rule.code(), span.file, span.line))
        })
        .collect();
    out.sort();
    out
}

#[test]
fn one_world_audits_again_after_a_change_with_one_compile_per_run() {
    let dir = tempfile::tempdir().expect("a folder");
    project(dir.path());
    let fonts = ibid::fonts::discover(&ibid::fonts::FontConfig {
        font_paths: vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts")],
        ignore_system_fonts: true,
    });
    let config = WorldConfig {
        root: dir.path().to_path_buf(),
        input: dir.path().join("main.typ"),
        inputs: Vec::new(),
        creation_timestamp: Some(1_780_000_000),
        packages: ibid::packages::PackageConfig {
            offline: true,
            ..Default::default()
        },
    };
    let mut world = IbidWorld::new(&config, Arc::new(fonts)).expect("a world");

    let first = run(&mut world);
    assert_eq!(
        first.compiles, 1,
        "a document without unknown keys compiles once"
    );
    assert!(first.unknown.is_empty());
    let one = located(&first.findings, "one.typ");
    assert!(
        one.iter()
            .any(|f| f.starts_with(Rule::HandTypedCitation.code())),
        "{one:?}"
    );
    assert!(located(&first.findings, "two.typ").is_empty());

    // An unknown key in the second chapter: one more compile, against a
    // placeholder; the first chapter's findings are unchanged.
    std::fs::write(
        dir.path().join("two.typ"),
        "= Two\nProcurement#footnote[@yang2008[p. 88].]\nGrain#footnote[@dikotter2010[p. 5].]\n",
    )
    .expect("an edit");
    let second = run(&mut world);
    assert_eq!(second.compiles, 2);
    assert_eq!(second.unknown, ["dikotter2010"]);
    assert_eq!(located(&second.findings, "one.typ"), one);
    assert_eq!(
        located(&second.findings, "two.typ"),
        [format!("{} two.typ:3", Rule::UnknownKey.code())]
    );

    // Undone: the same world audits as the first time, with one compile
    // (the placeholders of the run before are gone).
    project(dir.path());
    let third = run(&mut world);
    assert_eq!(third.compiles, 1);
    assert_eq!(located(&third.findings, "one.typ"), one);
    assert!(located(&third.findings, "two.typ").is_empty());
    assert_eq!(third.findings.len(), first.findings.len());
}
