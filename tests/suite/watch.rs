//! `ibid watch` driven in a temporary project: each edit is answered with
//! what changed in the audit.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use super::env::TestEnv;
use crate::support::server::{Reply, Server};

/// A running `ibid watch` and the lines it prints on standard error.
struct Watching {
    child: Child,
    lines: Receiver<String>,
}

impl Watching {
    fn start(env: &TestEnv) -> Self {
        Self::start_with(env, &[], &[("IBID_OFFLINE", "true")])
    }

    fn start_with(env: &TestEnv, args: &[&str], vars: &[(&str, &str)]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ibid"))
            .args(["watch", "main.typ"])
            .args(args)
            .current_dir(env.path())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", env.path())
            .env("TYPST_IGNORE_SYSTEM_FONTS", "true")
            .env("SOURCE_DATE_EPOCH", "1780000000")
            .envs(vars.iter().copied())
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("ibid watch starts");
        let stderr = child.stderr.take().unwrap();
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Self { child, lines }
    }

    /// What it printed until a line containing each of `needles` came, in
    /// any order (a check on another thread may finish before or after the
    /// compile's own lines).
    fn until_all(&self, needles: &[&str]) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut text = String::new();
        let mut missing: Vec<&str> = needles.to_vec();
        while !missing.is_empty() {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    missing.retain(|n| !line.contains(n));
                    text.push_str(&line);
                    text.push('\n');
                }
                Err(_) => panic!("no {missing:?} within a minute:\n{text}"),
            }
        }
        text
    }

    /// What it printed until it waits for changes again; fails after a
    /// minute (the machines are shared and slow).
    fn next_round(&self) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut text = String::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if line == "watching for changes" => return text,
                Ok(line) => {
                    text.push_str(&line);
                    text.push('\n');
                }
                Err(RecvTimeoutError::Timeout) => panic!("no new round within a minute:\n{text}"),
                Err(RecvTimeoutError::Disconnected) => panic!("ibid watch ended:\n{text}"),
            }
        }
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const MAIN: &str = "#set page(height: auto)\n= The Leap\n#include \"chapter.typ\"\n\n#bibliography(\"refs.yaml\", style: \"chicago-author-date\")\n";
const CHAPTER: &str = "It began in 1958.#footnote[@teiwes1999[p. 40].]\n";
const REFS: &str = "teiwes1999:\n  type: book\n  title: China's Road to Disaster\n  author: Teiwes, Frederick C.\n  date: 1999\n  publisher: M. E. Sharpe\n";

#[test]
fn watch_answers_each_edit_with_what_changed_in_the_audit() {
    let env = TestEnv::new();
    env.write("main.typ", MAIN);
    env.write("chapter.typ", CHAPTER);
    env.write("refs.yaml", REFS);
    let watch = Watching::start(&env);

    let first = watch.next_round();
    assert!(first.contains("compiled in"), "{first}");
    assert!(
        first.contains("audit: 0 errors, 0 warnings, 0 infos"),
        "{first}"
    );
    assert!(first.contains("wrote main.pdf"), "{first}");
    let good_pdf = std::fs::read(env.path().join("main.pdf")).unwrap();

    // A citation of a key the bibliography lacks: the new finding in full.
    env.write("chapter.typ", CHAPTER.replace("@teiwes1999", "@teiwes1998"));
    let round = watch.next_round();
    assert!(
        round.contains("error[unknown-key]: key `teiwes1998` does not exist"),
        "{round}"
    );
    assert!(round.contains("did you mean `teiwes1999`?"), "{round}");
    assert!(
        round.contains("audit: 1 error (+1), 1 warning (+1), 0 infos"),
        "{round}"
    );

    // Fixed, saved as editors do: a new file renamed over the old one.
    env.write("chapter.typ.tmp", CHAPTER);
    std::fs::rename(
        env.path().join("chapter.typ.tmp"),
        env.path().join("chapter.typ"),
    )
    .unwrap();
    let round = watch.next_round();
    assert!(
        round.contains("fixed: unknown-key: key `teiwes1998` does not exist"),
        "{round}"
    );
    assert!(
        round.contains("fixed: unused-entry: entry `teiwes1999` is never cited"),
        "{round}"
    );
    assert!(
        round.contains("audit: 0 errors (−1), 0 warnings (−1), 0 infos"),
        "{round}"
    );
    let fixed_pdf = std::fs::read(env.path().join("main.pdf")).unwrap();

    // Broken syntax: Typst's error, and the last good PDF stays.
    env.write("chapter.typ", format!("{CHAPTER}#let\n"));
    let round = watch.next_round();
    assert!(round.contains("error: expected pattern"), "{round}");
    assert!(round.contains("main.pdf is the last good PDF"), "{round}");
    assert_eq!(
        std::fs::read(env.path().join("main.pdf")).unwrap(),
        fixed_pdf
    );
    assert!(good_pdf.starts_with(b"%PDF"));

    // The bibliography edited: the audit follows it.
    env.write("chapter.typ", CHAPTER);
    watch.next_round();
    env.write(
        "refs.yaml",
        format!("{REFS}yang2012:\n  type: book\n  title: Tombstone\n  author: Yang, Jisheng\n  date: 2012\n  publisher: FSG\n"),
    );
    let round = watch.next_round();
    assert!(
        round.contains("warning[unused-entry]: entry `yang2012` is never cited"),
        "{round}"
    );
    assert!(
        round.contains("audit: 0 errors, 1 warning (+1), 0 infos"),
        "{round}"
    );
}

#[test]
fn watch_checks_a_url_once_in_the_background_and_says_what_came_back() {
    let server = Server::start("127.0.0.1", vec![("/gone", Reply::status(410))]);
    let env = TestEnv::new();
    env.write("main.typ", MAIN);
    env.write("chapter.typ", CHAPTER);
    env.write(
        "refs.yaml",
        format!(
            "{REFS}  url: {{ value: \"{}\", date: 2026-01-05 }}\n",
            server.url("/gone")
        ),
    );
    let watch = Watching::start_with(
        &env,
        &[
            "--allow-private",
            "--no-archive",
            "--timeout",
            "5",
            "--max-retries",
            "0",
        ],
        &[("IBID_OFFLINE", "false")],
    );
    // The compile does not wait for the check; its findings come after.
    let first = watch.until_all(&["links: checked 1 new URL", "watching for changes"]);
    assert!(first.contains("audit: 0 errors"), "{first}");
    assert!(first.contains("error[dead-link]"), "{first}");
    assert_eq!(server.requests(), 1);

    // The next compile uses the result: not checked again, not said again,
    // but counted.
    env.write("chapter.typ", format!("{CHAPTER}More text.\n"));
    let round = watch.next_round();
    assert!(round.contains("audit: 1 error (+1)"), "{round}");
    assert!(!round.contains("error[dead-link]"), "said once: {round}");
    assert_eq!(server.requests(), 1, "checked once");
}

#[test]
fn watch_sees_the_main_file_come_back_after_it_was_deleted() {
    let env = TestEnv::new();
    env.write("main.typ", "#set page(height: auto)\nFirst.\n");
    let watch = Watching::start(&env);
    let first = watch.next_round();
    assert!(first.contains("wrote main.pdf"), "{first}");

    // Deleted: the compile reads nothing, and says so.
    std::fs::remove_file(env.path().join("main.typ")).unwrap();
    let gone = watch.next_round();
    assert!(gone.contains("compile failed"), "{gone}");

    // Written again: seen, compiled, written (a compile that read nothing
    // still watches the main file).
    env.write("main.typ", "#set page(height: auto)\nSecond.\n");
    let back = watch.next_round();
    assert!(back.contains("wrote main.pdf"), "{back}");
}

#[test]
fn watch_goes_on_after_the_pdf_could_not_be_written() {
    let env = TestEnv::new();
    env.write("main.typ", "#set page(height: auto)\nFirst.\n");
    let watch = Watching::start(&env);
    let first = watch.next_round();
    assert!(first.contains("wrote main.pdf (1 page)"), "{first}");

    // The output became a folder: said, and the session goes on.
    std::fs::remove_file(env.path().join("main.pdf")).unwrap();
    std::fs::create_dir(env.path().join("main.pdf")).unwrap();
    env.write("main.typ", "#set page(height: auto)\nSecond.\n");
    let refused = watch.next_round();
    assert!(
        refused.contains("error: refusing to write main.pdf"),
        "{refused}"
    );

    // Once it can be written again, the next save writes it.
    std::fs::remove_dir(env.path().join("main.pdf")).unwrap();
    env.write("main.typ", "#set page(height: auto)\nThird.\n");
    let written = watch.next_round();
    assert!(written.contains("wrote main.pdf"), "{written}");
    assert!(env.path().join("main.pdf").is_file());
}

/// `ibid watch -o FILE`: the PDF goes to FILE (in its folder), rewritten on
/// each save, and nothing is written next to the input; "1 page", "2 pages".
#[test]
fn watch_writes_the_pdf_where_o_says() {
    let env = TestEnv::new();
    env.write("main.typ", "#set page(height: auto)\nFirst.\n");
    std::fs::create_dir(env.path().join("out")).unwrap();
    let watch = Watching::start_with(&env, &["-o", "out/thesis.pdf"], &[("IBID_OFFLINE", "true")]);
    let first = watch.next_round();
    assert!(first.contains("wrote out/thesis.pdf (1 page)"), "{first}");
    let before = std::fs::read(env.path().join("out/thesis.pdf")).unwrap();
    env.write(
        "main.typ",
        "#set page(height: 5cm)\nFirst.\n#pagebreak()\nSecond.\n",
    );
    let second = watch.next_round();
    assert!(
        second.contains("wrote out/thesis.pdf (2 pages)"),
        "{second}"
    );
    assert_ne!(
        std::fs::read(env.path().join("out/thesis.pdf")).unwrap(),
        before
    );
    assert!(!env.path().join("main.pdf").exists());
}
