//! A test environment: a temporary project tree and a way to run the binary
//! in it with a clean environment.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A temporary project folder, removed when dropped.
pub struct TestEnv {
    dir: tempfile::TempDir,
}

impl TestEnv {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("temporary directory"),
        }
    }

    /// A project holding a copy of `tests/fixtures/<name>/`.
    pub fn with_fixture(name: &str) -> Self {
        let env = Self::new();
        copy_dir(&fixture(name), env.path());
        env
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file, creating folders as needed.
    pub fn write(&self, relative: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// Runs `ibid ARGS` in the project folder, without system fonts and with
    /// none of the caller's TYPST_* or SOURCE_DATE_EPOCH variables.
    pub fn ibid(&self, args: &[&str]) -> Output {
        ibid_in(self.path(), args)
    }
}

/// Runs the binary in `dir` with a cleared environment.
pub fn ibid_in(dir: &Path, args: &[&str]) -> Output {
    ibid_with(dir, args, &[])
}

/// Runs the binary in `dir` with a cleared environment, setting `vars` over
/// the tests' defaults.
pub fn ibid_with(dir: &Path, args: &[&str], vars: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ibid"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir)
        .env("TYPST_IGNORE_SYSTEM_FONTS", "true")
        // Tests never touch the internet; the link tests opt in, on 127.0.0.1.
        .env("IBID_OFFLINE", "true")
        // A fixed "today" keeps reports about access dates reproducible.
        .env("SOURCE_DATE_EPOCH", "1780000000")
        .envs(vars.iter().copied())
        .output()
        .expect("the ibid binary runs")
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
