//! Typst packages as typst-cli finds them: from the package cache, from
//! the local package directory, downloaded from a registry (a loopback
//! server here) into the cache; offline, a missing package is named with
//! where it was looked for; a package's files stay inside its folder.

use std::path::Path;

use super::env::{TestEnv, ibid_with, stderr};
use crate::support::server::{Reply, Server};

const MANIFEST: &str = "[package]\nname = \"NAME\"\nversion = \"VERSION\"\nentrypoint = \"lib.typ\"\nauthors = [\"Test\"]\nlicense = \"MIT\"\ndescription = \"A test package\"\n";

/// Writes a package `name:version` with a `greet` function into `dir`.
fn package(dir: &Path, name: &str, version: &str, greeting: &str) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join("typst.toml"),
        MANIFEST.replace("NAME", name).replace("VERSION", version),
    )
    .unwrap();
    std::fs::write(
        dir.join("lib.typ"),
        format!("#let greet(who) = [{greeting}, #who!]\n"),
    )
    .unwrap();
}

fn document(env: &TestEnv, import: &str) {
    env.write(
        "main.typ",
        format!("#import \"{import}\": greet\n#greet(\"reader\")\n"),
    );
}

#[test]
fn a_preview_package_is_read_from_the_cache_offline() {
    let env = TestEnv::new();
    // HOME is the project in the tests: the cache is ~/.cache/typst/packages.
    package(
        &env.path().join(".cache/typst/packages/preview/hello/0.1.0"),
        "hello",
        "0.1.0",
        "Hello",
    );
    document(&env, "@preview/hello:0.1.0");
    let output = env.ibid(&["build", "main.typ"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(env.path().join("main.pdf").is_file());
}

#[test]
fn a_local_package_is_read_from_the_data_directory() {
    let env = TestEnv::new();
    package(
        &env.path()
            .join(".local/share/typst/packages/mynamespace/pkg/0.2.0"),
        "pkg",
        "0.2.0",
        "Hi",
    );
    document(&env, "@mynamespace/pkg:0.2.0");
    let output = env.ibid(&["build", "main.typ"]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn package_directories_can_be_given() {
    let env = TestEnv::new();
    package(
        &env.path().join("vendor/local/tool/1.0.0"),
        "tool",
        "1.0.0",
        "Ho",
    );
    package(
        &env.path().join("cache/preview/hello/0.1.0"),
        "hello",
        "0.1.0",
        "Hello",
    );
    env.write(
        "main.typ",
        "#import \"@local/tool:1.0.0\"\n#import \"@preview/hello:0.1.0\"\n#tool.greet(\"a\") #hello.greet(\"b\")\n",
    );
    let output = env.ibid(&[
        "build",
        "main.typ",
        "--package-path",
        "vendor",
        "--package-cache-path",
        "cache",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn offline_a_missing_package_is_named_with_where_it_was_looked_for() {
    let env = TestEnv::new();
    document(&env, "@preview/glossarium:0.5.1");
    let output = env.ibid(&["build", "main.typ"]);
    assert_eq!(output.status.code(), Some(1));
    // The message is wrapped to 100 columns.
    let err = stderr(&output).replace("\n  ", " ");
    assert!(
        err.contains(
            "package @preview/glossarium:0.5.1 is not installed, and ibid is offline (--offline)"
        ),
        "{err}"
    );
    assert!(
        err.contains(".cache/typst/packages (the package cache)"),
        "{err}"
    );
}

/// A `.tar.gz` of a package, as the registry serves it.
fn archive(name: &str, version: &str, greeting: &str) -> Vec<u8> {
    let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::default(),
    ));
    for (path, text) in [
        (
            "typst.toml",
            MANIFEST.replace("NAME", name).replace("VERSION", version),
        ),
        (
            "lib.typ",
            format!("#let greet(who) = [{greeting}, #who!]\n"),
        ),
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

#[test]
fn a_missing_preview_package_is_downloaded_into_the_cache_then_read_offline() {
    let registry = Server::start(
        "127.0.0.1",
        vec![(
            "/preview/fresh-0.3.0.tar.gz",
            Reply::Bytes(archive("fresh", "0.3.0", "Fresh")),
        )],
    );
    let env = TestEnv::new();
    document(&env, "@preview/fresh:0.3.0");
    let base = registry.url("");
    let online = ibid_with(
        env.path(),
        &["build", "main.typ"],
        &[
            ("IBID_OFFLINE", "false"),
            ("IBID_PACKAGE_REGISTRY", base.trim_end_matches('/')),
        ],
    );
    assert!(online.status.success(), "{}", stderr(&online));
    assert_eq!(registry.hits("/preview/fresh-0.3.0.tar.gz"), 1);
    assert!(
        env.path()
            .join(".cache/typst/packages/preview/fresh/0.3.0/lib.typ")
            .is_file(),
        "stored in the cache"
    );
    // From the cache now, without the network.
    let offline = env.ibid(&["build", "main.typ"]);
    assert!(offline.status.success(), "{}", stderr(&offline));
    assert_eq!(
        registry.hits("/preview/fresh-0.3.0.tar.gz"),
        1,
        "not fetched again"
    );
}

#[cfg(unix)]
#[test]
fn a_package_reads_only_inside_its_own_folder() {
    let env = TestEnv::new();
    let dir = env.path().join(".cache/typst/packages/preview/leaky/0.1.0");
    package(&dir, "leaky", "0.1.0", "Hello");
    env.write("secret.txt", "CANARY-package-escape");
    std::os::unix::fs::symlink(env.path().join("secret.txt"), dir.join("data.txt")).unwrap();
    std::fs::write(
        dir.join("lib.typ"),
        "#let greet(who) = read(\"data.txt\")\n",
    )
    .unwrap();
    document(&env, "@preview/leaky:0.1.0");
    let output = env.ibid(&["build", "main.typ"]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("outside the package folder"), "{err}");
    assert!(!err.contains("CANARY-package-escape"));
}

/// `TYPST_PACKAGE_PATH` and `TYPST_PACKAGE_CACHE_PATH`, as README names
/// them, do what the flags do (and without them the build fails).
#[test]
fn package_directories_can_be_given_in_the_environment() {
    let env = TestEnv::new();
    package(
        &env.path().join("vendor/local/tool/1.0.0"),
        "tool",
        "1.0.0",
        "Ho",
    );
    package(
        &env.path().join("cache/preview/hello/0.1.0"),
        "hello",
        "0.1.0",
        "Hello",
    );
    env.write(
        "main.typ",
        "#import \"@local/tool:1.0.0\"\n#import \"@preview/hello:0.1.0\"\n#tool.greet(\"a\") #hello.greet(\"b\")\n",
    );
    let without = env.ibid(&["build", "main.typ"]);
    assert_eq!(without.status.code(), Some(1), "{}", stderr(&without));
    let vendor = env.path().join("vendor");
    let cache = env.path().join("cache");
    let output = super::env::ibid_with(
        env.path(),
        &["build", "main.typ"],
        &[
            ("TYPST_PACKAGE_PATH", vendor.to_str().expect("UTF-8")),
            ("TYPST_PACKAGE_CACHE_PATH", cache.to_str().expect("UTF-8")),
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
}
