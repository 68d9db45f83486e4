//! The bad-input corpus: every file in `tests/bad-inputs/` is a small
//! project that once broke ibid or could (a symbolic link out of the root, a
//! FIFO, a `@string` that names itself, an output onto the input). Each is
//! run through the commands it names, and every run must
//!
//! - end with exit code 0, 1 or 2, never a panic or a signal;
//! - end within its bound;
//! - never print a byte of the files outside the project root;
//! - leave every file of the project and outside it as it was, but for the
//!   outputs the case declares.
//!
//! What each run said (its exit code and the first line of its message) is
//! one snapshot, so that a change in any message shows in review.
//!
//! A case file: `#` lines describe it; `!` lines set it up (`! run: ARGS`,
//! `! env: K=V`, `! symlink: LINK -> TARGET`, `! hardlink: LINK -> TARGET`,
//! `! fifo: PATH`, `! mkdir: PATH`, `! output: PATH`, `! readonly: PATH`,
//! `! registry: ROUTE REPLY` — a package registry on 127.0.0.1 whose ROUTE
//! answers `stall`, `drip`, `endless`, `bomb-file`, `bomb-tree` or
//! `ok-NAME-VERSION`, named by `$REGISTRY`); `== PATH` starts a file, whose
//! text may hold `⟪repeat N TEXT⟫`, `⟪for A..=B TEMPLATE⟫` (with `{i}`,
//! `{i-1}`, `{i+1}`), `⟪bytes HEX⟫` and `⟪utf16 TEXT⟫`. `$OUTSIDE` names a
//! folder beside the project holding `secret.*` files.
//!
//! What a run must do, beyond the above, follows its `! run:` line: `!
//! expect: exit N`, `! expect: says TEXT` (in what it printed),
//! `! expect: file PATH contains TEXT` or `lacks TEXT`.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::support::bomb::tar_gz_of_zeros;
use crate::support::server::{Reply, Server};

/// What every file outside the project holds; it must never be printed.
const CANARY: &str = "CANARY-7f3a-outside-the-root";
/// The bound on one run (a debug build on a shared machine; a normal run
/// takes well under a second).
const BOUND: Duration = Duration::from_secs(90);

/// What one run must do.
#[derive(Debug, Clone)]
enum Expect {
    Exit(i32),
    Says(String),
    FileHas(String, String),
    FileLacks(String, String),
}

#[derive(Debug, Default)]
struct Case {
    name: String,
    runs: Vec<Vec<String>>,
    /// Each run's expectations, by the run's index.
    expects: Vec<(usize, Expect)>,
    readonly: Vec<String>,
    registry: Vec<(String, String)>,
    env: Vec<(String, String)>,
    symlinks: Vec<(String, String)>,
    hardlinks: Vec<(String, String)>,
    fifos: Vec<String>,
    dirs: Vec<String>,
    outputs: Vec<String>,
    files: Vec<(String, Vec<u8>)>,
}

fn cases() -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad-inputs");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "case"))
        .collect();
    paths.sort();
    paths.iter().map(|p| parse(p)).collect()
}

fn parse(path: &Path) -> Case {
    let text = std::fs::read_to_string(path).unwrap();
    let mut case = Case {
        name: path.file_stem().unwrap().to_string_lossy().into_owned(),
        ..Case::default()
    };
    let mut current: Option<(String, String)> = None;
    for line in text.split_inclusive('\n') {
        if let Some(name) = line.strip_prefix("== ") {
            if let Some((name, body)) = current.take() {
                case.files.push((name, expand(&body)));
            }
            current = Some((name.trim().to_string(), String::new()));
            continue;
        }
        if let Some((_, body)) = current.as_mut() {
            body.push_str(line);
            continue;
        }
        let Some(directive) = line.strip_prefix("! ") else {
            continue;
        };
        let (key, value) = directive.split_once(':').expect("`! key: value`");
        let value = value.trim().to_string();
        let pair = |v: &str| {
            let (a, b) = v.split_once(" -> ").expect("`a -> b`");
            (a.to_string(), b.to_string())
        };
        match key {
            "run" => case
                .runs
                .push(value.split_whitespace().map(String::from).collect()),
            "env" => {
                let (k, v) = value.split_once('=').expect("K=V");
                case.env.push((k.into(), v.into()));
            }
            "symlink" => case.symlinks.push(pair(&value)),
            "hardlink" => case.hardlinks.push(pair(&value)),
            "fifo" => case.fifos.push(value),
            "mkdir" => case.dirs.push(value),
            "output" => case.outputs.push(value),
            "readonly" => case.readonly.push(value),
            "registry" => {
                let (route, reply) = value.split_once(' ').expect("ROUTE REPLY");
                case.registry.push((route.into(), reply.into()));
            }
            "expect" => {
                let run = case
                    .runs
                    .len()
                    .checked_sub(1)
                    .unwrap_or_else(|| panic!("{}: `! expect` before a `! run`", case.name));
                let expect = if let Some(code) = value.strip_prefix("exit ") {
                    Expect::Exit(code.parse().expect("an exit code"))
                } else if let Some(text) = value.strip_prefix("says ") {
                    Expect::Says(text.into())
                } else if let Some(rest) = value.strip_prefix("file ") {
                    let (path, rest) = rest.split_once(' ').expect("file PATH contains|lacks TEXT");
                    match rest.split_once(' ') {
                        Some(("contains", text)) => Expect::FileHas(path.into(), text.into()),
                        Some(("lacks", text)) => Expect::FileLacks(path.into(), text.into()),
                        _ => panic!("{}: file PATH contains|lacks TEXT", case.name),
                    }
                } else {
                    panic!("{}: unknown expectation `{value}`", case.name)
                };
                case.expects.push((run, expect));
            }
            other => panic!("{}: unknown directive `{other}`", case.name),
        }
    }
    if let Some((name, body)) = current {
        case.files.push((name, expand(&body)));
    }
    if case.runs.is_empty() {
        for command in ["build", "audit", "snapshot"] {
            case.runs.push(vec![command.into(), "main.typ".into()]);
        }
    }
    case
}

/// A file's text with its generators expanded.
fn expand(body: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(start) = rest.find('⟪') {
        out.extend_from_slice(&rest.as_bytes()[..start]);
        let end = start + rest[start..].find('⟫').expect("closing ⟫");
        let inner = &rest[start + '⟪'.len_utf8()..end];
        let (verb, arg) = inner.split_once(' ').unwrap_or((inner, ""));
        let unescape = |s: &str| s.replace("\\n", "\n").replace("\\t", "\t");
        match verb {
            "repeat" => {
                let (n, text) = arg.split_once(' ').unwrap();
                out.extend(unescape(text).repeat(n.parse().unwrap()).bytes());
            }
            "for" => {
                let (range, template) = arg.split_once(' ').unwrap();
                let (a, b) = range.split_once("..=").unwrap();
                for i in a.parse::<i64>().unwrap()..=b.parse().unwrap() {
                    let text = unescape(template)
                        .replace("{i-1}", &(i - 1).to_string())
                        .replace("{i+1}", &(i + 1).to_string())
                        .replace("{i}", &i.to_string());
                    out.extend(text.bytes());
                }
            }
            "bytes" => out.extend(
                arg.split_whitespace()
                    .map(|h| u8::from_str_radix(h, 16).unwrap()),
            ),
            "utf16" => {
                out.extend([0xff, 0xfe]);
                for unit in unescape(arg).encode_utf16() {
                    out.extend(unit.to_le_bytes());
                }
            }
            other => panic!("unknown generator {other}"),
        }
        rest = &rest[end + '⟫'.len_utf8()..];
    }
    out.extend_from_slice(rest.as_bytes());
    out
}

/// Every file below `dir` (symbolic links as links), with its bytes.
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(at) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&at) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = path
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let kind = entry.file_type().unwrap();
            if kind.is_symlink() {
                let target = std::fs::read_link(&path).unwrap();
                out.insert(name, format!("-> {}", target.display()).into_bytes());
            } else if kind.is_dir() {
                out.insert(name, b"<folder>".to_vec());
                stack.push(path);
            } else if kind.is_file() {
                out.insert(name, std::fs::read(&path).unwrap());
            } else {
                out.insert(name, b"<special file>".to_vec());
            }
        }
    }
    out
}

struct Run {
    line: String,
    problems: Vec<String>,
}

fn run_case(case: &Case) -> Vec<Run> {
    let temp = tempfile::tempdir().unwrap();
    let project = temp.path().join("proj");
    let outside = temp.path().join("outside");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    for name in [
        "secret.txt",
        "secret.yml",
        "secret.bib",
        "secret.typ",
        "victim.pdf",
    ] {
        std::fs::write(outside.join(name), format!("{CANARY}\n")).unwrap();
    }
    let place = |s: &str| s.replace("$OUTSIDE", &outside.to_string_lossy());
    for dir in &case.dirs {
        std::fs::create_dir_all(project.join(dir)).unwrap();
    }
    for (name, bytes) in &case.files {
        let path = project.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    for (link, target) in &case.symlinks {
        std::os::unix::fs::symlink(place(target), project.join(link)).unwrap();
    }
    for (link, target) in &case.hardlinks {
        std::fs::hard_link(project.join(target), project.join(link)).unwrap();
    }
    for fifo in &case.fifos {
        let status = Command::new("mkfifo")
            .arg(project.join(fifo))
            .status()
            .unwrap();
        assert!(status.success());
    }
    for path in &case.readonly {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(project.join(path), std::fs::Permissions::from_mode(0o444))
            .unwrap();
    }
    let registry = (!case.registry.is_empty()).then(|| registry(&case.registry));
    let mut env = case.env.clone();
    if let Some(server) = &registry {
        env.push(("IBID_OFFLINE".into(), "false".into()));
        env.push((
            "IBID_PACKAGE_REGISTRY".into(),
            server.url("").trim_end_matches('/').to_string(),
        ));
    }
    let before_project = contents(&project);
    let before_outside = contents(&outside);

    let mut runs = Vec::new();
    for (index, args) in case.runs.iter().enumerate() {
        let args: Vec<String> = args.iter().map(|a| place(a)).collect();
        let (code, stdout, stderr, elapsed) = execute(&project, &args, &env);
        let mut problems = Vec::new();
        let registry_url = registry.as_ref().map(|r| r.url(""));
        let shown = |s: &str| {
            let s = s
                .replace(&*project.to_string_lossy(), "<proj>")
                .replace(&*outside.to_string_lossy(), "<outside>");
            match &registry_url {
                Some(url) => s.replace(url.trim_end_matches('/'), "<registry>"),
                None => s,
            }
        };
        match code {
            Some(0..=2) => {}
            Some(other) => problems.push(format!("exit code {other}")),
            None => problems.push(format!("killed after {elapsed:?} (bound {BOUND:?})")),
        }
        if stderr.contains("internal error") || stderr.contains("' panicked at") {
            problems.push(format!("panic: {}", shown(&stderr)));
        }
        if stdout.contains(CANARY) || stderr.contains(CANARY) {
            problems.push("printed the contents of a file outside the root".into());
        }
        // A report asked for on standard output is always a valid one;
        // what it holds is summed up by rule.
        let report = args
            .windows(2)
            .any(|w| w[0] == "--format" && (w[1] == "json" || w[1] == "sarif"));
        let first = if report {
            match serde_json::from_str::<serde_json::Value>(&stdout) {
                Ok(value) => rules_in(&value),
                Err(err) => {
                    problems.push(format!("standard output is not a valid report: {err}"));
                    String::new()
                }
            }
        } else {
            // The first message, with the lines it was wrapped to joined.
            let mut lines = stderr
                .lines()
                .chain(stdout.lines())
                .skip_while(|l| l.trim().is_empty());
            let mut line = lines.next().unwrap_or("").trim_end().to_string();
            for more in lines
                .take_while(|l| l.starts_with("  ") && !l.trim_start().starts_with(['┌', '│', '=']))
            {
                line.push(' ');
                line.push_str(more.trim());
            }
            shown(&line).chars().take(200).collect()
        };
        let printed = shown(&format!("{stdout}\n{stderr}"));
        for (_, expect) in case.expects.iter().filter(|(run, _)| *run == index) {
            let file = |path: &str| std::fs::read_to_string(project.join(path)).unwrap_or_default();
            let failed = match expect {
                Expect::Exit(want) => code != Some(*want),
                Expect::Says(text) => !printed.contains(text.as_str()),
                Expect::FileHas(path, text) => !file(path).contains(text.as_str()),
                Expect::FileLacks(path, text) => file(path).contains(text.as_str()),
            };
            if failed {
                problems.push(format!(
                    "expected {expect:?}; exit {code:?}, printed: {}",
                    printed.trim().chars().take(600).collect::<String>()
                ));
            }
        }
        let code = code.map_or("killed".to_string(), |c| c.to_string());
        runs.push(Run {
            line: format!(
                "{}: ibid {} → {code}: {first}",
                case.name,
                shown(&args.join(" "))
            ),
            problems,
        });
    }

    // Nothing lost: every file as it was, but for the declared outputs.
    let after_project = contents(&project);
    let declared = |name: &str| {
        name == "main.pdf"
            || name == ".ibid"
            || name.starts_with(".ibid/")
            || case
                .outputs
                .iter()
                .any(|o| name == o || name.starts_with(&format!("{o}/")))
    };
    let mut lost = Vec::new();
    for (name, bytes) in &before_project {
        if !declared(name) && after_project.get(name) != Some(bytes) {
            lost.push(format!("{name} was changed or removed"));
        }
    }
    for name in after_project.keys() {
        if !before_project.contains_key(name) && !declared(name) {
            lost.push(format!("{name} was created"));
        }
    }
    if contents(&outside) != before_outside {
        lost.push("a file outside the root was changed".into());
    }
    if let Some(last) = runs.last_mut() {
        last.problems.extend(lost);
    }
    runs
}

/// A package registry on 127.0.0.1 answering as the case says.
fn registry(routes: &[(String, String)]) -> Server {
    let routes: Vec<(&str, Reply)> = routes
        .iter()
        .map(|(route, reply)| {
            let reply = match reply.as_str() {
                "stall" => Reply::Hang,
                "drip" => Reply::Drip,
                "endless" => Reply::Huge,
                // One file past the cap on a file.
                "bomb-file" => Reply::Bytes(tar_gz_of_zeros(&[("lib.typ", 100 << 20)])),
                // Files under that cap, past the cap on a package.
                "bomb-tree" => Reply::Bytes(tar_gz_of_zeros(&[
                    ("a.typ", 60 << 20),
                    ("b.typ", 60 << 20),
                    ("c.typ", 60 << 20),
                    ("d.typ", 60 << 20),
                    ("e.typ", 60 << 20),
                ])),
                other => match other.strip_prefix("ok-").and_then(|r| r.rsplit_once('-')) {
                    Some((name, version)) => Reply::Bytes(package_archive(name, version)),
                    None => panic!("unknown registry reply `{other}`"),
                },
            };
            (route.as_str(), reply)
        })
        .collect();
    Server::start("127.0.0.1", routes)
}

/// A small valid package, `greet(who)`.
fn package_archive(name: &str, version: &str) -> Vec<u8> {
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"{version}\"\nentrypoint = \"lib.typ\"\n"
    );
    let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::default(),
    ));
    for (path, text) in [
        ("typst.toml", manifest),
        ("lib.typ", "#let greet(who) = [Hello, #who!]\n".to_string()),
    ] {
        let mut header = tar::Header::new_gnu();
        header.set_size(text.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        builder
            .append_data(&mut header, path, text.as_bytes())
            .unwrap();
    }
    builder.into_inner().unwrap().finish().unwrap()
}

/// The rules of a JSON or SARIF report and how often each fired.
fn rules_in(report: &serde_json::Value) -> String {
    let ids: Vec<&str> = match report["findings"].as_array() {
        Some(findings) => findings.iter().filter_map(|f| f["rule"].as_str()).collect(),
        None => report["runs"][0]["results"]
            .as_array()
            .map(|r| r.iter().filter_map(|r| r["ruleId"].as_str()).collect())
            .unwrap_or_default(),
    };
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for id in ids {
        *counts.entry(id).or_default() += 1;
    }
    let parts: Vec<String> = counts.iter().map(|(id, n)| format!("{id} ×{n}")).collect();
    format!("report: [{}]", parts.join(", "))
}

/// Runs the binary with the tests' environment, killing it at the bound.
fn execute(
    dir: &Path,
    args: &[String],
    env: &[(String, String)],
) -> (Option<i32>, String, String, Duration) {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ibid"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir)
        .env("TYPST_IGNORE_SYSTEM_FONTS", "true")
        .env("IBID_OFFLINE", "true")
        .env("SOURCE_DATE_EPOCH", "1780000000")
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the ibid binary runs");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stdout.read_to_end(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stderr.read_to_end(&mut s);
        s
    });
    let code = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code();
        }
        if start.elapsed() > BOUND {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let text = |v: Vec<u8>| String::from_utf8_lossy(&v).into_owned();
    (
        code,
        text(out.join().unwrap()),
        text(err.join().unwrap()),
        start.elapsed(),
    )
}

#[test]
fn every_bad_input_is_handled_cleanly() {
    let cases = cases();
    assert!(cases.len() >= 60, "the corpus has {} cases", cases.len());
    let next = Mutex::new(0usize);
    let results: Mutex<Vec<(usize, Vec<Run>)>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..3 {
            scope.spawn(|| {
                loop {
                    let i = {
                        let mut next = next.lock().unwrap();
                        *next += 1;
                        *next - 1
                    };
                    let Some(case) = cases.get(i) else { break };
                    let runs = run_case(case);
                    results.lock().unwrap().push((i, runs));
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by_key(|(i, _)| *i);
    let runs: Vec<Run> = results.into_iter().flat_map(|(_, r)| r).collect();
    let problems: Vec<String> = runs
        .iter()
        .flat_map(|r| {
            r.problems
                .iter()
                .map(move |p| format!("{}\n    {p}", r.line))
        })
        .collect();
    assert!(
        problems.is_empty(),
        "{} of {} runs misbehaved:\n{}",
        problems.len(),
        runs.len(),
        problems.join("\n")
    );
    let lines: Vec<&str> = runs.iter().map(|r| r.line.as_str()).collect();
    insta::with_settings!({ snapshot_path => "../snapshots" }, {
        insta::assert_snapshot!(lines.join("\n"));
    });
}
