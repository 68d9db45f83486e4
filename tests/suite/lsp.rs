//! `ibid lsp` driven as an editor drives it: real JSON-RPC over the
//! binary's standard input and output, Content-Length framing and all.
//! Waits are for a message, with a generous deadline; nothing is timed.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::env::{TestEnv, fixture};

const DEADLINE: Duration = Duration::from_secs(60);

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: mpsc::Receiver<Value>,
    next_id: i64,
    root: String,
}

impl Client {
    fn start(env: &TestEnv, args: &[&str]) -> Self {
        Self::start_with(env, args, &[])
    }

    /// Starts `ibid lsp ARGS` with `vars` set over the tests' defaults.
    fn start_with(env: &TestEnv, args: &[&str], vars: &[(&str, &str)]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ibid"))
            .arg("lsp")
            .args(args)
            .current_dir(env.path())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", env.path())
            .env("TYPST_IGNORE_SYSTEM_FONTS", "true")
            .env("IBID_OFFLINE", "true")
            .env("SOURCE_DATE_EPOCH", "1780000000")
            .envs(vars.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("ibid lsp starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = Some(n.parse::<usize>().expect("a length"));
                    }
                }
                let mut body = vec![0; length.expect("Content-Length header")];
                reader.read_exact(&mut body).unwrap();
                let value: Value = serde_json::from_slice(&body).expect("JSON on stdout");
                if sender.send(value).is_err() {
                    return;
                }
            }
        });
        let root = std::fs::canonicalize(env.path()).unwrap();
        Self {
            child,
            stdin,
            messages,
            next_id: 1,
            root: format!("file://{}", root.display()),
        }
    }

    fn uri(&self, file: &str) -> String {
        format!("{}/{file}", self.root)
    }

    fn write_raw(&mut self, body: &str) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        let body = json!({"jsonrpc": "2.0", "method": method, "params": params});
        self.write_raw(&body.to_string());
    }

    fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        let body = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        self.write_raw(&body.to_string());
        id
    }

    /// The response to a request (notifications received meanwhile are
    /// dropped).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.wait_for(|m| m["id"] == id && m.get("method").is_none())
    }

    /// The first message that matches, within the deadline.
    fn wait_for(&mut self, matches: impl Fn(&Value) -> bool) -> Value {
        let until = Instant::now() + DEADLINE;
        loop {
            let left = until.saturating_duration_since(Instant::now());
            let message = self
                .messages
                .recv_timeout(left)
                .expect("the expected message within the deadline");
            if matches(&message) {
                return message;
            }
        }
    }

    /// The next diagnostics published for `file` that satisfy `matches`.
    fn diagnostics(&mut self, file: &str, matches: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let uri = self.uri(file);
        let message = self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri.as_str()
                && matches(m["params"]["diagnostics"].as_array().unwrap())
        });
        message["params"]["diagnostics"].as_array().unwrap().clone()
    }

    fn initialize(&mut self) -> Value {
        let root = self.root.clone();
        let response = self.request(
            "initialize",
            json!({"processId": null, "rootUri": root, "capabilities": {}}),
        );
        self.notify("initialized", json!({}));
        response
    }

    /// `shutdown`, `exit`, and the exit code.
    fn finish(mut self) -> Option<i32> {
        let response = self.request("shutdown", Value::Null);
        assert_eq!(response["result"], Value::Null, "{response}");
        assert!(response.get("error").is_none(), "{response}");
        self.notify("exit", Value::Null);
        let until = Instant::now() + DEADLINE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            assert!(Instant::now() < until, "ibid lsp did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const MAIN: &str = "#set page(height: auto)\n\
大跃进 🎉 began.#footnote[MacFARQUHAR, “The Origins…”, cit., pp.7-9.] Both agree @nosuchkey.\n\
Yang @yang2007[1].\n\
\n\
#bibliography(\"refs.yaml\", style: \"chicago-notes\", full: true)\n";

fn project() -> TestEnv {
    let env = TestEnv::new();
    env.write("main.typ", MAIN);
    env.write(
        "refs.yaml",
        std::fs::read(fixture("audit-hand-typed").join("refs.yaml")).unwrap(),
    );
    env
}

fn code(diagnostic: &Value) -> &str {
    diagnostic["code"].as_str().unwrap_or_default()
}

fn find<'a>(diagnostics: &'a [Value], rule: &str) -> &'a Value {
    diagnostics
        .iter()
        .find(|d| code(d) == rule)
        .unwrap_or_else(|| panic!("no {rule} in {diagnostics:?}"))
}

fn position(line: u64, character: u64) -> Value {
    json!({"line": line, "character": character})
}

/// The text after applying LSP text edits (UTF-16 positions) to `text`.
fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |p: &Value| -> usize {
        let line = p["line"].as_u64().unwrap() as usize;
        let character = p["character"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        for (i, c) in text[start..].char_indices() {
            if units >= character {
                return start + i;
            }
            units += c.len_utf16();
        }
        text.len()
    };
    let mut edits: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (start, end, with) in edits {
        out.replace_range(start..end, with);
    }
    out
}

#[test]
fn an_editor_sees_the_findings_fixes_them_and_follows_a_citation() {
    let env = project();
    let mut client = Client::start(&env, &["main.typ"]);
    let init = client.initialize();
    let capabilities = &init["result"]["capabilities"];
    assert_eq!(capabilities["definitionProvider"], true);
    assert_eq!(capabilities["referencesProvider"], true);
    assert_eq!(capabilities["textDocumentSync"]["change"], 2);

    let main = client.uri("main.typ");
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": main, "languageId": "typst", "version": 1, "text": MAIN}}),
    );
    let diagnostics = client.diagnostics("main.typ", |d| !d.is_empty());
    let codes: Vec<&str> = diagnostics.iter().map(code).collect();
    assert_eq!(
        codes,
        ["hand-typed-citation", "unknown-key"],
        "{diagnostics:?}"
    );

    // Line 1 (from 0): 大跃进 🎉 began.#footnote[… — the emoji is two
    // UTF-16 units, so the note's text starts at character 23, not 22.
    let hand = find(&diagnostics, "hand-typed-citation");
    assert_eq!(hand["range"]["start"], position(1, 23), "{hand}");
    assert_eq!(hand["severity"], 2);
    assert_eq!(hand["source"], "ibid");
    assert!(
        hand["message"]
            .as_str()
            .unwrap()
            .contains("hint: cite it from the bibliography instead: `@macfarquhar1983[pp. 7-9]`"),
        "{hand}"
    );
    assert_eq!(
        hand["relatedInformation"][0]["location"]["uri"],
        client.uri("refs.yaml")
    );
    let unknown = find(&diagnostics, "unknown-key");
    let line = MAIN.lines().nth(1).unwrap();
    let at = line.find("@nosuchkey").unwrap();
    let character = line[..at].encode_utf16().count() as u64;
    assert_eq!(character, 78);
    assert_eq!(unknown["range"]["start"], position(1, character));
    assert_eq!(
        unknown["range"]["end"],
        position(1, character + "@nosuchkey".len() as u64)
    );
    assert_eq!(unknown["severity"], 1);
    assert!(
        unknown["data"]["explain"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );

    // The hand-typed note's quick fix turns it into the citation.
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": main},
            "range": {"start": position(1, 30), "end": position(1, 30)},
            "context": {"diagnostics": []},
        }),
    );
    let actions = actions["result"].as_array().unwrap().clone();
    let quickfix = actions
        .iter()
        .find(|a| a["kind"] == "quickfix" && a["isPreferred"] == true)
        .unwrap_or_else(|| panic!("a preferred quick fix in {actions:?}"));
    let edits = quickfix["edit"]["changes"][&main].as_array().unwrap();
    let fixed = apply(MAIN, edits);
    assert!(
        fixed.contains("began.@macfarquhar1983[pp. 7-9] Both agree"),
        "{fixed}"
    );
    let suppress = actions
        .iter()
        .find(|a| a["title"] == "suppress `hand-typed-citation` on this line")
        .unwrap_or_else(|| panic!("a suppression in {actions:?}"));
    let suppressed = apply(MAIN, suppress["edit"]["changes"][&main].as_array().unwrap());
    assert!(
        suppressed.contains("\n// ibid-ignore: hand-typed-citation\n大跃进"),
        "{suppressed}"
    );
    assert!(
        actions.iter().any(|a| a["kind"] == "source.fixAll.ibid"),
        "{actions:?}"
    );

    // The fix typed into the buffer, not saved: its diagnostic goes.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": main, "version": 2},
            "contentChanges": [{"text": fixed}],
        }),
    );
    let diagnostics = client.diagnostics("main.typ", |d| {
        !d.iter().any(|d| code(d) == "hand-typed-citation")
    });
    // As in `ibid fix`'s next round: the citation's label, now read from
    // `@key[…]`, is the style's business (at character 13, after the emoji).
    let codes: Vec<&str> = diagnostics.iter().map(code).collect();
    assert_eq!(
        codes,
        ["locator-label-style", "unknown-key"],
        "{diagnostics:?}"
    );
    let label = find(&diagnostics, "locator-label-style");
    assert_eq!(label["range"]["start"], position(1, 13), "{label}");
    assert_eq!(
        find(&diagnostics, "unknown-key")["range"]["start"],
        position(1, 50)
    );
    assert_eq!(
        std::fs::read_to_string(env.path().join("main.typ")).unwrap(),
        MAIN,
        "nothing is written"
    );

    // Go to definition on @yang2007: its key in refs.yaml.
    let line = fixed.lines().nth(2).unwrap();
    assert!(line.starts_with("Yang @yang2007"));
    let definition = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": main}, "position": position(2, 8)}),
    );
    let refs = std::fs::read_to_string(env.path().join("refs.yaml")).unwrap();
    let entry_line = refs
        .lines()
        .position(|l| l.starts_with("yang2007:"))
        .unwrap() as u64;
    assert_eq!(definition["result"]["uri"], client.uri("refs.yaml"));
    assert_eq!(
        definition["result"]["range"]["start"],
        position(entry_line, 0),
        "{definition}"
    );

    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": main}, "position": position(2, 8)}),
    );
    let markdown = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        markdown.contains("Mubei: Zhongguo liushi niandai dajihuang jishi"),
        "{markdown}"
    );
    assert!(markdown.contains("Tiandi Tushu"), "{markdown}");

    // Find references from the entry: the entry itself, then every note
    // that cites it (here `@yang2007` on line 2).
    let references = client.request(
        "textDocument/references",
        json!({
            "textDocument": {"uri": client.uri("refs.yaml")},
            "position": position(entry_line, 2),
            "context": {"includeDeclaration": true}
        }),
    );
    let found = references["result"].as_array().expect("locations");
    assert_eq!(found[0]["uri"], client.uri("refs.yaml"), "{references}");
    assert!(
        found[1..]
            .iter()
            .any(|l| l["uri"] == main && l["range"]["start"]["line"] == 2),
        "{references}"
    );
    // From the citation, without the declaration: the same notes.
    let from_citation = client.request(
        "textDocument/references",
        json!({
            "textDocument": {"uri": main},
            "position": position(2, 8),
            "context": {"includeDeclaration": false}
        }),
    );
    assert_eq!(
        from_citation["result"].as_array().expect("locations").len(),
        found.len() - 1,
        "{from_citation}"
    );

    assert_eq!(client.finish(), Some(0));
}

#[test]
fn bad_messages_are_answered_and_never_end_the_session() {
    let env = project();
    let mut client = Client::start(&env, &["main.typ"]);
    // Before initialize: refused, not ignored.
    let early = client.request("textDocument/hover", json!({}));
    assert_eq!(early["error"]["code"], -32002);
    client.initialize();
    client.write_raw("{not json");
    let parse_error = client.wait_for(|m| m["error"]["code"] == -32700);
    assert_eq!(parse_error["id"], Value::Null);
    let unknown = client.request("textDocument/rename", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    let malformed = client.request("textDocument/definition", json!({"position": "here"}));
    assert_eq!(malformed["error"]["code"], -32602);
    // A notification with bad parameters is dropped; the session goes on.
    client.notify("textDocument/didOpen", json!({"textDocument": 3}));
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": client.uri("main.typ")}, "position": position(0, 0)}),
    );
    assert_eq!(hover["result"], Value::Null);
    assert_eq!(client.finish(), Some(0));
}

#[test]
fn diagnostics_in_the_bibliography_and_cleared_when_fixed() {
    let env = TestEnv::new();
    env.write(
        "main.typ",
        "#set page(height: auto)\nA claim @yang2007[1].\n\n#bibliography(\"refs.yaml\", style: \"chicago-notes\")\n",
    );
    let refs = "yang2007:\n  type: book\n  title: Mubei\n  author: Yang, Jisheng\n  date: 2007\n  publisher: Tiandi Tushu\nunused2001:\n  type: book\n  title: 未用之书 🎉\n  author: Nobody, A.\n  date: 2001\n  publisher: P\n";
    env.write("refs.yaml", refs);
    let mut client = Client::start(&env, &["main.typ"]);
    client.initialize();
    let main = std::fs::read_to_string(env.path().join("main.typ")).unwrap();
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": client.uri("main.typ"), "languageId": "typst", "version": 1, "text": main}}),
    );
    let diagnostics = client.diagnostics("refs.yaml", |d| !d.is_empty());
    let unused = find(&diagnostics, "unused-entry");
    assert_eq!(unused["range"]["start"], position(6, 0), "{unused}");
    // The entry is cited in the buffer: the bibliography's list is cleared.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": client.uri("main.typ"), "version": 2},
            "contentChanges": [{
                "range": {"start": position(1, 21), "end": position(1, 21)},
                "text": " And @unused2001[2].",
            }],
        }),
    );
    let diagnostics = client.diagnostics("refs.yaml", |d| d.is_empty());
    assert!(diagnostics.is_empty());
    // The bibliography edited and not saved: the audit reads the buffer
    // (an ISBN with a wrong check digit typed under the first entry).
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": client.uri("refs.yaml"), "languageId": "yaml", "version": 1, "text": refs}}),
    );
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": client.uri("refs.yaml"), "version": 2},
            "contentChanges": [{
                "range": {"start": position(1, 0), "end": position(1, 0)},
                "text": "  serial-number:\n    isbn: 978-0-306-40615-6\n",
            }],
        }),
    );
    let diagnostics = client.diagnostics("refs.yaml", |d| !d.is_empty());
    let invalid = find(&diagnostics, "invalid-identifier");
    assert_eq!(invalid["range"]["start"], position(0, 0), "{invalid}");
    assert!(
        invalid["message"]
            .as_str()
            .unwrap_or("")
            .contains("978-0-306-40615-6"),
        "{invalid}"
    );
    assert_eq!(
        std::fs::read_to_string(env.path().join("refs.yaml")).unwrap(),
        refs,
        "the file on disk is untouched"
    );
    assert_eq!(client.finish(), Some(0));
}

/// A quotation checked against its attached source shows in the editor,
/// and is checked again as the author types (the source read once, then
/// from memory).
#[test]
fn a_quotation_is_checked_against_its_source_as_the_author_types() {
    let env = TestEnv::new();
    let main = "#set page(height: auto)\nThe communes “were ordered to report the grain”@teiwes[p. 1].\n\n#bibliography(\"refs.yaml\", style: \"chicago-notes\")\n";
    env.write("main.typ", main);
    env.write(
        "refs.yaml",
        "teiwes:\n  type: book\n  title: China's Road to Disaster\n  author: Teiwes, Frederick C.\n  date: 1999\n  publisher: Sharpe\n",
    );
    env.write(
        "sources/teiwes.txt",
        "Mao spoke of the communes.\u{c}The communes were ordered to report the grain that the state would procure.\n",
    );
    let mut client = Client::start(&env, &["main.typ"]);
    client.initialize();
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": client.uri("main.typ"), "languageId": "typst", "version": 1, "text": main}}),
    );
    let diagnostics = client.diagnostics("main.typ", |d| {
        d.iter().any(|d| code(d) == "quotation-page-differs")
    });
    let differs = find(&diagnostics, "quotation-page-differs");
    assert!(
        differs["message"]
            .as_str()
            .unwrap_or_default()
            .contains("on p. 2"),
        "{differs}"
    );
    // The page corrected in the buffer: the finding goes.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": client.uri("main.typ"), "version": 2},
            "contentChanges": [{"text": main.replace("[p. 1]", "[p. 2]")}]
        }),
    );
    client.diagnostics("main.typ", |d| {
        !d.iter().any(|d| code(d) == "quotation-page-differs")
    });
    assert_eq!(client.finish(), Some(0));
}

/// The registries in the editor: the offline findings at once, the
/// registries' answers merged in when the background check has written
/// them, and the next session served from the cache without a request.
#[test]
fn the_registries_answer_in_the_editor_without_holding_it_up() {
    let server = super::registries::registries();
    let env = TestEnv::with_fixture("registries-project");
    let endpoints = super::registries::endpoints(&server);
    let mut args = vec!["main.typ"];
    args.extend(endpoints.iter().map(String::as_str));
    let session = |env: &TestEnv| {
        let mut client = Client::start_with(env, &args, &[("IBID_OFFLINE", "false")]);
        client.initialize();
        let main = std::fs::read_to_string(env.path().join("main.typ")).unwrap();
        client.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": client.uri("main.typ"), "languageId": "typst", "version": 1, "text": main}}),
        );
        client
    };
    let mut client = session(&env);
    let answered = |d: &[Value]| d.iter().any(|x| code(x) == "retracted-work");
    let diagnostics = client.diagnostics("refs.yaml", answered);
    for rule in [
        "invalid-identifier",
        "doi-not-found",
        "metadata-mismatch",
        "work-updated",
    ] {
        find(&diagnostics, rule);
    }
    assert!(
        find(&diagnostics, "retracted-work")["message"]
            .as_str()
            .unwrap_or("")
            .contains("whitcombe2016"),
        "{diagnostics:#?}"
    );
    assert_eq!(client.finish(), Some(0));
    // A new session: the cache answers, and nobody is asked again.
    let before = server.requests();
    assert!(before > 0);
    let mut client = session(&env);
    let diagnostics = client.diagnostics("refs.yaml", answered);
    find(&diagnostics, "doi-not-found");
    assert_eq!(client.finish(), Some(0));
    assert_eq!(
        server.requests(),
        before,
        "every answer came from the cache"
    );
}

/// Hostile editing: a burst of 100 edits, a document that does not compile,
/// a bibliography that does not parse, a 10 MB paste, a file deleted while
/// open. Every one ends in diagnostics (the compile error located), never in
/// the end of the session.
#[test]
fn hostile_edits_never_end_the_session() {
    let env = project();
    let mut client = Client::start(&env, &["main.typ"]);
    client.initialize();
    let main_uri = client.uri("main.typ");
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": main_uri, "languageId": "typst", "version": 1, "text": MAIN}}),
    );
    let line = MAIN.lines().nth(1).unwrap();
    let column = line[..line.find("@nosuchkey").unwrap()]
        .encode_utf16()
        .count() as u64;
    let unknown_at = |column: u64| {
        move |d: &[Value]| {
            d.iter()
                .any(|x| code(x) == "unknown-key" && x["range"]["start"] == position(1, column))
        }
    };
    client.diagnostics("main.typ", unknown_at(column));
    // 100 edits as fast as the pipe takes them: one run at the end, on the
    // text with all of them.
    for version in 0..100 {
        client.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": main_uri, "version": version + 2},
                "contentChanges": [{"range": {"start": position(1, 0), "end": position(1, 0)}, "text": "x"}],
            }),
        );
    }
    client.diagnostics("main.typ", unknown_at(column + 100));
    let replace = |client: &mut Client, uri: &str, version: i64, text: &str| {
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    };
    // A document that does not compile: its error, located.
    replace(&mut client, &main_uri, 200, "= Title\n\n#let x = (\n");
    let diagnostics =
        client.diagnostics("main.typ", |d| d.iter().any(|x| code(x) == "compile-error"));
    assert_eq!(
        find(&diagnostics, "compile-error")["range"]["start"]["line"],
        2
    );
    // A bibliography that does not parse, unsaved.
    replace(&mut client, &main_uri, 201, MAIN);
    let refs_uri = client.uri("refs.yaml");
    let refs = std::fs::read_to_string(env.path().join("refs.yaml")).unwrap();
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": refs_uri, "languageId": "yaml", "version": 1, "text": refs}}),
    );
    replace(&mut client, &refs_uri, 2, "yang2007: [unclosed\n  - {\n");
    let broken = client.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["diagnostics"]
                .as_array()
                .is_some_and(|d| d.iter().any(|x| code(x) == "compile-error"))
    });
    assert!(broken.to_string().contains("refs.yaml"), "{broken}");
    // A 10 MB paste (a comment), then a request still answered.
    replace(&mut client, &refs_uri, 3, &refs);
    let paste = format!("{MAIN}// {}\n", "x".repeat(10 * 1024 * 1024));
    replace(&mut client, &main_uri, 202, &paste);
    client.diagnostics("main.typ", unknown_at(column));
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": main_uri}, "position": position(2, 7)}),
    );
    assert!(hover.get("error").is_none(), "{hover}");
    // The bibliography deleted while open and then closed: the compile
    // error says which file is missing.
    std::fs::remove_file(env.path().join("refs.yaml")).unwrap();
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": refs_uri}}),
    );
    replace(&mut client, &main_uri, 203, MAIN);
    let missing = client.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["diagnostics"]
                .as_array()
                .is_some_and(|d| d.iter().any(|x| code(x) == "compile-error"))
    });
    assert!(missing.to_string().contains("refs.yaml"), "{missing}");
    assert_eq!(client.finish(), Some(0));
}

/// A client that sends and does not read: the server's answers wait in the
/// pipe, it goes on reading, and when the client reads at last every answer
/// is there and the session ends cleanly.
#[test]
fn a_client_that_does_not_read_loses_nothing() {
    let env = project();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ibid"))
        .args(["lsp", "main.typ"])
        .current_dir(env.path())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env.path())
        .env("TYPST_IGNORE_SYSTEM_FONTS", "true")
        .env("IBID_OFFLINE", "true")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("ibid lsp starts");
    let mut stdin = child.stdin.take().unwrap();
    let root = std::fs::canonicalize(env.path()).unwrap();
    let uri = format!("file://{}/main.typ", root.display());
    let mut send = |body: Value| {
        let body = body.to_string();
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    };
    send(json!({"jsonrpc": "2.0", "id": 0, "method": "initialize",
        "params": {"processId": null, "rootUri": format!("file://{}", root.display()), "capabilities": {}}}));
    send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    // Far more answers than a pipe holds (64 KiB) before anyone reads.
    const REQUESTS: i64 = 3000;
    for id in 1..=REQUESTS {
        send(
            json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/hover",
            "params": {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}}),
        );
    }
    send(json!({"jsonrpc": "2.0", "id": REQUESTS + 1, "method": "shutdown", "params": null}));
    send(json!({"jsonrpc": "2.0", "method": "exit", "params": null}));
    drop(stdin);
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    let answered = (0..=REQUESTS + 1)
        .filter(|id| {
            out.contains(&format!("\"id\":{id},")) || out.contains(&format!("\"id\":{id}}}"))
        })
        .count() as i64;
    assert_eq!(answered, REQUESTS + 2, "every request answered");
    assert!(
        out.starts_with("Content-Length: "),
        "only protocol on stdout"
    );
    assert_eq!(child.wait().unwrap().code(), Some(0));
}
