//! What the repository ships for editors and commit hooks, tested as their
//! hosts would use it: the pre-commit hook's entry run the way pre-commit
//! runs it, the editor configurations read by the parsers of their formats,
//! and the VS Code extension's code run under Node with the editor's API
//! stubbed.

use std::path::Path;
use std::process::Command;

use super::env::{TestEnv, fixture};

fn repository(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|err| panic!("{path}: {err}"))
}

/// A thesis laid out as `ibid audit` expects by default.
fn thesis(main: &str) -> TestEnv {
    let env = TestEnv::new();
    env.write("thesis/main.typ", main);
    env.write(
        "thesis/refs.yaml",
        std::fs::read(fixture("basic").join("refs.yaml")).unwrap(),
    );
    env
}

/// pre-commit runs `entry` (split as a shell would, with the filenames
/// unless `pass_filenames: false`) in the repository root, for commits that
/// change a file `files` matches; a non-zero exit fails the commit.
#[test]
fn the_pre_commit_hook_fails_a_commit_with_an_error_and_passes_a_clean_one() {
    let hooks: serde_yaml::Value = serde_yaml::from_str(&repository(".pre-commit-hooks.yaml"))
        .expect(".pre-commit-hooks.yaml is YAML");
    let hook = &hooks[0];
    assert_eq!(hook["id"], "ibid-audit");
    assert_eq!(hook["language"], "rust", "pre-commit builds it with cargo");
    assert_eq!(hook["pass_filenames"], false);
    let files = regex::Regex::new(hook["files"].as_str().unwrap()).unwrap();
    for changed in [
        "thesis/main.typ",
        "bibliography/thesis.yaml",
        "refs.yml",
        "refs.bib",
    ] {
        assert!(files.is_match(changed), "{changed}");
    }
    for unrelated in ["README.md", "src/main.rs", "thesis.pdf"] {
        assert!(!files.is_match(unrelated), "{unrelated}");
    }
    let entry: Vec<&str> = hook["entry"].as_str().unwrap().split_whitespace().collect();
    assert_eq!(entry[0], "ibid");
    let run = |env: &TestEnv| {
        Command::new(env!("CARGO_BIN_EXE_ibid"))
            .args(&entry[1..])
            .current_dir(env.path())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", env.path())
            .env("TYPST_IGNORE_SYSTEM_FONTS", "true")
            .output()
            .expect("the hook runs")
    };
    let main = std::fs::read_to_string(fixture("basic").join("main.typ")).unwrap();
    let clean = thesis(&main);
    let output = run(&clean);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    // Warnings pass; an error (a key the bibliography lacks) fails.
    let broken = thesis(&main.replace("@yang2007[p. 475]", "@yang2008[p. 475]"));
    let output = run(&broken);
    let report = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{report}");
    assert!(report.contains("unknown-key"), "{report}");
}

#[test]
fn helix_runs_ibid_beside_tinymist() {
    let config: toml_edit::DocumentMut = repository("editors/helix/languages.toml")
        .parse()
        .expect("languages.toml is TOML");
    assert_eq!(
        config["language-server"]["ibid"]["command"].as_str(),
        Some("ibid")
    );
    let args = config["language-server"]["ibid"]["args"]
        .as_array()
        .unwrap();
    assert_eq!(args.get(0).and_then(|a| a.as_str()), Some("lsp"));
    let languages = config["language"].as_array_of_tables().unwrap();
    let typst = languages
        .iter()
        .find(|l| l["name"].as_str() == Some("typst"))
        .expect("typst");
    let servers: Vec<&str> = typst["language-servers"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s.as_str())
        .collect();
    assert_eq!(servers, ["tinymist", "ibid"]);
}

#[test]
fn zed_registers_ibid_for_typst() {
    let extension: toml_edit::DocumentMut = repository("editors/zed/extension.toml")
        .parse()
        .expect("extension.toml is TOML");
    assert_eq!(extension["id"].as_str(), Some("ibid"));
    let languages: Vec<&str> = extension["language_servers"]["ibid"]["languages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l.as_str())
        .collect();
    assert!(languages.contains(&"Typst"), "{languages:?}");
    // The extension starts `ibid lsp` unless the user's settings say otherwise.
    let code = repository("editors/zed/src/lib.rs");
    assert!(code.contains("vec![\"lsp\".into()]"), "{code}");
    assert!(code.contains("register_extension!"), "{code}");
}

/// The extension's `options` under Node, with `vscode` and the language
/// client stubbed: the server it starts and the documents it sends.
#[test]
fn the_vscode_extension_starts_ibid_lsp_for_typst_and_bibliographies() {
    let package: serde_json::Value =
        serde_json::from_str(&repository("editors/vscode/package.json")).expect("JSON");
    assert_eq!(package["main"], "./extension.js");
    assert!(package["dependencies"]["vscode-languageclient"].is_string());
    assert!(
        package["activationEvents"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e == "onLanguage:typst")
    );
    let Ok(node) = which("node") else {
        eprintln!("skipped: the extension's code was not run (no `node` on PATH)");
        return;
    };
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("editors/vscode");
    let script = r#"
        const Module = require("module");
        const load = Module._load;
        Module._load = function (name, ...rest) {
          if (name === "vscode") return { workspace: {} };
          if (name === "vscode-languageclient/node") return { LanguageClient: function () {} };
          return load.call(this, name, ...rest);
        };
        const { options } = require(process.argv[1]);
        const settings = { path: "/opt/ibid", args: ["--offline"] };
        const config = { get: (key, fallback) => (key in settings ? settings[key] : fallback) };
        const { server, documents } = options(config, { uri: { fsPath: "/thesis" } });
        console.log(JSON.stringify({ server, documents }));
    "#;
    let output = Command::new(node)
        .arg("-e")
        .arg(script)
        .arg(folder.join("extension.js"))
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let got: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(got["server"]["command"], "/opt/ibid");
    assert_eq!(
        got["server"]["args"],
        serde_json::json!(["lsp", "--offline"])
    );
    assert_eq!(got["server"]["options"]["cwd"], "/thesis");
    let selectors = got["documents"]["documentSelector"].to_string();
    for wanted in ["typst", "yml,yaml,bib", "ibid.toml"] {
        assert!(selectors.contains(wanted), "{selectors}");
    }
}

fn which(program: &str) -> Result<std::path::PathBuf, ()> {
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|dir| dir.join(program))
        .find(|path| path.is_file())
        .ok_or(())
}
