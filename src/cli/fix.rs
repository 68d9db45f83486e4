//! `ibid fix`: apply the rules' fixes to the sources, in rounds as ruff
//! does (a fix that overlaps another waits for the next round, and a fix
//! can make another possible: a hand-typed citation becomes `@key[pp. 124]`,
//! then `locator-plural` writes `p. 124`). Every round compiles the fixed
//! sources in memory and keeps only the fixes after which each footnote
//! still cites the same entries and pages and says the same words; nothing
//! is written until the last round, and then only files unchanged on disk
//! since they were read, atomically.

use std::collections::BTreeMap;
use std::io::Write;

use crate::audit::{AuditInput, Finding, Rule};
use crate::fix::{self, Located, Meaning, Skipped, Sources};
use crate::registries::verify::RegistryConfig;
use crate::timings::Timings;
use crate::typeset::Compiled;
use crate::world::IbidWorld;

use super::args::FixArgs;
use super::{CliError, Exit, config, print_diagnostics};
use crate::pipeline::{self, Analysis, Request};

/// Rounds before giving up on reaching a fixed point.
const MAX_ROUNDS: usize = 6;

/// Times a round's fixes are narrowed down after the fixed document said
/// something else, before the round's fixes are all left out.
const MAX_RETRIES: usize = 3;

pub fn fix(args: &FixArgs) -> Result<Exit, CliError> {
    let mut timings = Timings::new(args.diagnostics.timings);
    let mut world = config::world(args.input.as_deref(), &args.world)?;
    let format = args.diagnostics.diagnostic_format;
    // The registries' answers the last audit cached (an identifier a search
    // found, for `missing-identifier`'s fix); `ibid fix` itself asks no one.
    let registries = config::registries(world.root(), &args.registries, &args.world)
        .map(|c| RegistryConfig { offline: true, ..c });
    let mut fixing = Fixing {
        args,
        registries: registries.as_ref(),
        timings: &mut timings,
        on_disk: BTreeMap::new(),
        current: BTreeMap::new(),
        renames: Vec::new(),
        applied: Vec::new(),
        left: Vec::new(),
    };
    let mut analysis = match fixing.audit(&mut world)? {
        Ok(analysis) => analysis,
        Err(compiled) => {
            print_diagnostics(&world, &compiled.errors, &compiled.warnings, format)?;
            eprintln!(
                "error: the document does not compile; `ibid fix` fixes only a document that does"
            );
            return Ok(Exit::Failure);
        }
    };
    let original = meaning(&analysis);
    for _ in 0..MAX_ROUNDS {
        match fixing.round(&mut world, &analysis, &original)? {
            Some(fixed) => analysis = fixed,
            None => break,
        }
    }
    let Fixing {
        on_disk,
        current,
        applied,
        left,
        ..
    } = fixing;
    let changed: Vec<(&String, &String)> = current
        .iter()
        .filter(|(path, text)| on_disk.get(*path) != Some(*text))
        .collect();
    let mut err = std::io::stderr().lock();
    if args.diff {
        let mut out = std::io::stdout().lock();
        for (path, text) in &changed {
            let before = on_disk.get(*path).map_or("", String::as_str);
            write_diff(path, before, text, &mut out).map_err(CliError::Stdout)?;
        }
    } else {
        timings.time("write", || write_all(world.root(), &on_disk, &changed))?;
    }
    report(&applied, &left, &changed, args, &mut err).map_err(CliError::Stdout)?;
    timings.print(&mut err).map_err(CliError::Stdout)?;
    Ok(if args.diff && !changed.is_empty() {
        Exit::Failure
    } else {
        Exit::Success
    })
}

/// The renames a set of fixes makes (a key written by hand → the entry's).
type Renames = Vec<(Option<String>, String)>;

/// A round's fixes that kept the document's meaning.
struct Accepted {
    /// The audit of the fixed document.
    analysis: Analysis,
    taken: Vec<Located>,
    /// The fixed texts, by path.
    texts: BTreeMap<String, String>,
    renames: Renames,
}

/// What the rounds of one `ibid fix` keep.
struct Fixing<'a> {
    args: &'a FixArgs,
    registries: Option<&'a RegistryConfig>,
    timings: &'a mut Timings,
    /// The texts as read from disk, and as fixed so far.
    on_disk: BTreeMap<String, String>,
    current: BTreeMap<String, String>,
    renames: Renames,
    /// The rule of each fix applied.
    applied: Vec<Rule>,
    /// The fixes not applied in the last round, and why.
    left: Vec<(Finding, Skipped)>,
}

impl Fixing<'_> {
    fn audit(&mut self, world: &mut IbidWorld) -> Result<Result<Analysis, Compiled>, CliError> {
        let (rules, timestamp) = (&self.args.rules, self.args.world.creation_timestamp);
        let registries = self.registries;
        self.timings.time("compile and audit", || {
            compile_and_audit(world, rules, timestamp, registries)
        })
    }

    /// One round: every fix that can be located and overlaps none, applied
    /// in memory; the analysis of the fixed document, or `None` when no fix
    /// kept the document's meaning (the rounds are over).
    fn round(
        &mut self,
        world: &mut IbidWorld,
        analysis: &Analysis,
        original: &Meaning,
    ) -> Result<Option<Analysis>, CliError> {
        let sources = sources(world, &analysis.model, &mut self.on_disk, &self.current);
        let located = fix::locate_all(&analysis.findings, &sources, self.args.unsafe_fixes);
        self.left.clear();
        let mut ready = Vec::new();
        for (i, result) in located {
            match result {
                Ok(fix) => ready.push(fix),
                Err(why) => self.left.push((analysis.findings[i].clone(), why)),
            }
        }
        let (mut taken, waiting) = fix::choose(ready);
        for fix in &waiting {
            self.left
                .push((analysis.findings[fix.finding].clone(), Skipped::Overlaps));
        }
        for _ in 0..MAX_RETRIES {
            if taken.is_empty() {
                break;
            }
            match self.attempt(world, analysis, original, &sources, taken)? {
                Ok(accepted) => {
                    self.applied.extend(
                        accepted
                            .taken
                            .iter()
                            .map(|fix| analysis.findings[fix.finding].rule),
                    );
                    self.current.extend(accepted.texts);
                    self.renames.extend(accepted.renames);
                    return Ok(Some(accepted.analysis));
                }
                Err(good) => taken = good,
            }
        }
        serve_fixed(world, &self.on_disk, &self.current, &BTreeMap::new());
        Ok(None)
    }

    /// Applies `taken` and audits the result: the fixed analysis when every
    /// footnote means what it meant, else the fixes not blamed for the
    /// differences (the blamed ones are left, with the difference).
    fn attempt(
        &mut self,
        world: &mut IbidWorld,
        analysis: &Analysis,
        original: &Meaning,
        sources: &Sources,
        taken: Vec<Located>,
    ) -> Result<Result<Accepted, Vec<Located>>, CliError> {
        let texts = fix::apply(sources, &taken);
        let round_renames: Renames = taken
            .iter()
            .filter_map(|f| analysis.findings[f.finding].fix.as_ref())
            .flat_map(|f| f.renames.iter().cloned())
            .collect();
        let all_renames: Renames = self.renames.iter().chain(&round_renames).cloned().collect();
        serve_fixed(world, &self.on_disk, &self.current, &texts);
        let result = self.audit(world)?;
        let differences = match &result {
            Ok(fixed) => original.differences(&meaning(fixed), &all_renames),
            Err(compiled) => vec![fix::Difference {
                note: None,
                what: format!(
                    "the fixed document would not compile: {}",
                    compiled
                        .errors
                        .first()
                        .map_or("an error", |e| e.message.as_str())
                ),
            }],
        };
        if differences.is_empty()
            && let Ok(fixed) = result
        {
            return Ok(Ok(Accepted {
                analysis: fixed,
                taken,
                texts,
                renames: round_renames,
            }));
        }
        let blamed = blame(&taken, &differences, &analysis.model);
        let (bad, good): (Vec<Located>, Vec<Located>) = taken.into_iter().partition(|f| {
            blamed
                .as_ref()
                .is_none_or(|b| b.iter().any(|(i, _)| *i == f.finding))
        });
        for fix in bad {
            // The difference in the note this fix touched, else the
            // document's.
            let why = blamed
                .as_ref()
                .and_then(|b| b.iter().find(|(i, _)| *i == fix.finding))
                .map(|(_, d)| d.what.clone())
                .or_else(|| differences.first().map(|d| d.what.clone()))
                .unwrap_or_default();
            self.left.push((
                analysis.findings[fix.finding].clone(),
                Skipped::Changes(why),
            ));
        }
        Ok(Err(good))
    }
}

/// Compiles (tolerating unknown keys) and audits offline; the compile, with
/// its errors, when the document does not compile.
fn compile_and_audit(
    world: &mut IbidWorld,
    rules: &super::args::RuleArgs,
    timestamp: Option<i64>,
    registries: Option<&RegistryConfig>,
) -> Result<Result<Analysis, Compiled>, CliError> {
    let selection = config::selection(rules);
    // Typst's caches from the compile before are dropped: a round changes
    // notes all over the document, so they save little time (medians of 3
    // at 5,000 notes: 36 s without them, 34 s with), and kept they double
    // the memory (2.2 GB without, 4.0 GB with).
    comemo::evict(0);
    let request = Request {
        config: config::audit(rules, timestamp),
        links: None,
        registries,
        started: None,
        sources: None,
        selection: &selection,
    };
    let mut timings = Timings::new(false);
    let run = pipeline::run(
        world,
        false,
        request,
        |rule| !rule.about_links(),
        &mut timings,
    )?;
    Ok(run.analysis.ok_or(run.compiled.compiled))
}

fn meaning(analysis: &Analysis) -> Meaning {
    let input = AuditInput::new(&analysis.model, &analysis.bibliography, &[]);
    Meaning::of(&analysis.model, input.hand_typed())
}

/// The sources a fix may change: the Typst files and the bibliographies the
/// document read, as fixed so far (else as on disk; the first read of each
/// is kept in `on_disk`).
fn sources(
    world: &mut IbidWorld,
    model: &crate::document::Document,
    on_disk: &mut BTreeMap<String, String>,
    current: &BTreeMap<String, String>,
) -> Sources {
    let bibliographies: Vec<String> = model
        .bibliographies
        .iter()
        .flat_map(|b| b.files.iter().cloned())
        .collect();
    let mut paths: Vec<String> = world
        .dependencies()
        .into_iter()
        .filter(|id| *id.root() == typst::syntax::VirtualRoot::Project)
        .map(|id| world.relative_name(id))
        .filter(|path| path.ends_with(".typ"))
        .collect();
    paths.extend(bibliographies);
    paths.sort();
    paths.dedup();
    let texts = paths.into_iter().filter_map(|path| {
        if !on_disk.contains_key(&path) {
            let text = world.read_disk_text(&path).ok()?;
            on_disk.insert(path.clone(), text);
        }
        let text = current.get(&path).or_else(|| on_disk.get(&path))?.clone();
        Some((path, text))
    });
    Sources::new(texts.collect::<Vec<_>>())
}

/// Serves the fixed texts from memory, and every other file the fixes have
/// touched as it is on disk.
fn serve_fixed(
    world: &mut IbidWorld,
    on_disk: &BTreeMap<String, String>,
    current: &BTreeMap<String, String>,
    texts: &BTreeMap<String, String>,
) {
    for (path, text) in on_disk {
        let text = texts
            .get(path)
            .or_else(|| current.get(path))
            .unwrap_or(text);
        if let Some(id) = world.file_id(path) {
            world.edit(id, typst::foundations::Bytes::from_string(text.clone()));
        }
    }
}

/// The fixes to blame for `differences`, each with the difference it made:
/// those with an edit inside a footnote that differs, as the footnote
/// stands in `model` (the document the round's fixes were located in).
/// `None` (all of them) when a difference is not in one footnote, or no fix
/// touches it.
fn blame<'d>(
    taken: &[Located],
    differences: &'d [fix::Difference],
    model: &crate::document::Document,
) -> Option<Vec<(usize, &'d fix::Difference)>> {
    let mut blamed = Vec::new();
    for difference in differences {
        let span = model.footnotes.get(difference.note?)?.span.as_ref()?;
        let touching: Vec<(usize, &fix::Difference)> = taken
            .iter()
            .filter(|f| {
                f.edits.iter().any(|e| {
                    e.file == span.file
                        && e.range.start < span.range.end.max(span.range.start + 1)
                        && span.range.start < e.range.end.max(e.range.start + 1)
                })
            })
            .map(|f| (f.finding, difference))
            .collect();
        if touching.is_empty() {
            return None;
        }
        blamed.extend(touching);
    }
    Some(blamed)
}

/// Writes every changed file or none: each is checked first (unchanged on
/// disk since it was read, inside the root, writable), then all are written
/// together, and if one write fails the files already written are restored.
fn write_all(
    root: &std::path::Path,
    on_disk: &BTreeMap<String, String>,
    changed: &[(&String, &String)],
) -> Result<(), CliError> {
    let sandbox = crate::sandbox::Sandbox::new(root).map_err(|e| CliError::Fix(e.to_string()))?;
    let mut writes = Vec::new();
    for (path, text) in changed {
        let real = sandbox
            .resolve(&root.join(path.as_str()))
            .map_err(|e| CliError::Fix(e.to_string()))?;
        let bytes = sandbox
            .read(&real, crate::sandbox::MAX_FILE_BYTES)
            .map_err(|e| CliError::Fix(e.to_string()))?;
        let (bom, body) = match bytes.strip_prefix("\u{feff}".as_bytes()) {
            Some(body) => ("\u{feff}", body),
            None => ("", bytes.as_slice()),
        };
        if Some(body) != on_disk.get(*path).map(String::as_bytes) {
            return Err(CliError::Fix(format!(
                "{path} changed on disk while ibid read it; nothing was written\n  = hint: run `ibid fix` again"
            )));
        }
        let target = crate::output::target(&real, sandbox.root(), &[]).map_err(|e| {
            CliError::Fix(format!("{e}; nothing was written\n  = hint: {}", e.hint()))
        })?;
        writes.push((target, format!("{bom}{text}").into_bytes()));
    }
    crate::output::write_all(&writes).map_err(|e| {
        CliError::Fix(format!(
            "{e}; {}",
            if e.restored {
                "every file is as it was"
            } else {
                "nothing was written"
            }
        ))
    })
}

fn write_diff(path: &str, before: &str, after: &str, out: &mut dyn Write) -> std::io::Result<()> {
    let diff = similar::TextDiff::from_lines(before, after);
    write!(
        out,
        "{}",
        diff.unified_diff()
            .context_radius(1)
            .header(&format!("a/{path}"), &format!("b/{path}"))
    )
}

/// What was fixed, by rule, and what was not, and why.
fn report(
    applied: &[Rule],
    left: &[(Finding, Skipped)],
    changed: &[(&String, &String)],
    args: &FixArgs,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for rule in applied {
        *by_rule.entry(rule.code()).or_default() += 1;
    }
    let rules: Vec<String> = by_rule.iter().map(|(r, n)| format!("{r} {n}")).collect();
    let files: Vec<&str> = changed.iter().map(|(p, _)| p.as_str()).collect();
    let verb = if args.diff { "would fix" } else { "fixed" };
    match applied.len() {
        0 => writeln!(out, "nothing to fix")?,
        n => writeln!(
            out,
            "{verb} {n} finding{} in {} ({})",
            if n == 1 { "" } else { "s" },
            files.join(", "),
            rules.join(", ")
        )?,
    }
    let unsafe_count = left
        .iter()
        .filter(|(_, why)| *why == Skipped::Unsafe)
        .count();
    for (finding, why) in left {
        let place = finding
            .footnote
            .as_ref()
            .map_or_else(String::new, |n| format!("footnote {n}: "));
        let why = match why {
            Skipped::NotFound(what) => format!("not fixed: {what}"),
            Skipped::NotACall => {
                "not fixed: the note is not a `#footnote[…]` in markup, so it cannot become the citation".into()
            }
            Skipped::Blocked(why) => format!("left to the author: {why}"),
            Skipped::Overlaps => "not fixed: another fix changes the same text".into(),
            Skipped::Changes(what) => format!("not fixed: {what}"),
            Skipped::Unsafe => continue,
        };
        writeln!(out, "  {place}{}: {why}", finding.rule.code())?;
    }
    if unsafe_count > 0 {
        writeln!(
            out,
            "{unsafe_count} more fix{} available with `--unsafe` (new bibliography entries, corrected keys: check them)",
            if unsafe_count == 1 { "" } else { "es" }
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_difference_in_a_note_is_blamed_on_the_fix_that_edited_that_note() {
        use crate::document::{Document, Footnote, FootnoteKind, SourceSpan};
        let note = |range: std::ops::Range<usize>| Footnote {
            number: String::new(),
            page: 1,
            kind: FootnoteKind::Explanatory,
            span: Some(SourceSpan {
                file: "main.typ".into(),
                line: 1,
                column: 1,
                range,
            }),
            marker: None,
            position: None,
            quote: None,
            text: String::new(),
            prose: String::new(),
            italic: Vec::new(),
            citations: Vec::new(),
            links: Vec::new(),
        };
        let model = Document {
            footnotes: vec![note(0..20), note(30..50)],
            ..Document::default()
        };
        let edit = |range| crate::fix::TextEdit {
            file: "main.typ".into(),
            range,
            with: "@a".into(),
        };
        let taken = vec![
            Located {
                finding: 7,
                edits: vec![edit(2..8)],
            },
            Located {
                finding: 9,
                edits: vec![edit(33..40)],
            },
        ];
        let in_note_2 = [fix::Difference {
            note: Some(1),
            what: "footnote 2 would cite b".into(),
        }];
        let blamed = blame(&taken, &in_note_2, &model).unwrap();
        assert_eq!(blamed.len(), 1);
        assert_eq!(blamed[0].0, 9);
        assert_eq!(blamed[0].1.what, "footnote 2 would cite b");
        let everywhere = [fix::Difference {
            note: None,
            what: "the fixed document would not compile".into(),
        }];
        assert!(blame(&taken, &everywhere, &model).is_none());
    }

    fn files(root: &std::path::Path, name: &str, text: &[u8]) -> BTreeMap<String, String> {
        std::fs::write(root.join(name), text).unwrap();
        BTreeMap::from([(
            name.to_string(),
            String::from_utf8_lossy(text.strip_prefix("\u{feff}".as_bytes()).unwrap_or(text))
                .into_owned(),
        )])
    }

    #[test]
    fn a_file_changed_on_disk_since_it_was_read_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let on_disk = files(dir.path(), "main.typ", b"Text.#footnote[Ibid.]\n");
        std::fs::write(dir.path().join("main.typ"), "Edited meanwhile.\n").unwrap();
        let (name, fixed) = ("main.typ".to_string(), "Text.@a\n".to_string());
        let err = write_all(dir.path(), &on_disk, &[(&name, &fixed)]).unwrap_err();
        assert!(err.to_string().contains("changed on disk"), "{err}");
        let now = std::fs::read_to_string(dir.path().join("main.typ")).unwrap();
        assert_eq!(now, "Edited meanwhile.\n");
    }

    #[test]
    #[cfg(unix)]
    fn a_file_that_cannot_be_written_leaves_every_file_as_it_was() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mut on_disk = files(dir.path(), "main.typ", b"Text.#footnote[Smith, Book, 4.]\n");
        std::fs::create_dir(dir.path().join("bib")).unwrap();
        on_disk.extend(files(dir.path(), "bib/refs.yml", b"a:\n  type: book\n"));
        std::fs::set_permissions(
            dir.path().join("bib/refs.yml"),
            std::fs::Permissions::from_mode(0o444),
        )
        .unwrap();
        let (main, bib) = ("main.typ".to_string(), "bib/refs.yml".to_string());
        let (fixed_main, fixed_bib) = (
            "Text.#footnote[@smith[4]]\n".to_string(),
            "a:\n  type: book\nsmith:\n  type: book\n".to_string(),
        );
        let err = write_all(
            dir.path(),
            &on_disk,
            &[(&bib, &fixed_bib), (&main, &fixed_main)],
        )
        .unwrap_err();
        assert!(err.to_string().contains("permission denied"), "{err}");
        let main_now = std::fs::read_to_string(dir.path().join("main.typ")).unwrap();
        assert_eq!(main_now, "Text.#footnote[Smith, Book, 4.]\n");
    }

    #[test]
    fn a_byte_order_mark_and_crlf_line_endings_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let on_disk = files(
            dir.path(),
            "main.typ",
            "\u{feff}A.#footnote[Ibid.]\r\nB.\r\n".as_bytes(),
        );
        let (name, fixed) = ("main.typ".to_string(), "A.@a\r\nB.\r\n".to_string());
        write_all(dir.path(), &on_disk, &[(&name, &fixed)]).unwrap();
        let now = std::fs::read(dir.path().join("main.typ")).unwrap();
        assert_eq!(now, "\u{feff}A.@a\r\nB.\r\n".as_bytes());
    }
}
