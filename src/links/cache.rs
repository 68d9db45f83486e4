//! The link cache (`.ibid/links.json` under the project): results of earlier
//! checks, so that a second run within the maximum age makes no request.
//! Only successful and definitive results are kept (alive, moved for good,
//! 404/410); anything that may change on its own (timeouts, 5xx, 429, no
//! network) is checked again. Written atomically; a corrupt file is ignored
//! with a warning and rebuilt. The cache lives inside the project: a
//! `.ibid` folder or cache file that leads out of it (a symbolic link), or
//! is not a regular file, is neither read nor written.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::Outcome;
use crate::sandbox::Sandbox;

const VERSION: u32 = 1;

/// The largest cache file read (a thesis's is a few kilobytes).
pub const MAX_CACHE_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Debug, Default, Serialize, Deserialize)]
struct File {
    version: u32,
    /// URL as checked → result.
    entries: BTreeMap<String, Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    /// Seconds since the epoch.
    checked_at: i64,
    outcome: Outcome,
}

/// Reads a cache file's bytes: its entries, or why they cannot be used.
fn decode(bytes: &[u8]) -> Result<File, String> {
    let file: File = serde_json::from_slice(bytes).map_err(|err| err.to_string())?;
    if file.version != VERSION {
        return Err(format!("version {} (expected {VERSION})", file.version));
    }
    Ok(file)
}

/// Reads a cache file's bytes and answers for `url` as a run at `now`
/// would; for the fuzzer, which must find no input that panics.
pub fn lookup(bytes: &[u8], url: &str, max_age: Duration, now: i64) -> Option<Outcome> {
    let cache = Cache {
        path: PathBuf::new(),
        file: decode(bytes).ok()?,
        max_age: i64::try_from(max_age.as_secs()).unwrap_or(i64::MAX),
        now,
        sandbox: None,
    };
    cache.get(url).cloned()
}

/// The cache, loaded.
#[derive(Debug)]
pub struct Cache {
    path: PathBuf,
    file: File,
    max_age: i64,
    now: i64,
    /// The project the cache belongs to; `None` when it may not be used.
    sandbox: Option<Sandbox>,
}

/// Why the cache could not be used.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("the link cache {} is unreadable and will be rebuilt: {reason}", .path.display())]
    Corrupt { path: PathBuf, reason: String },
    #[error("the link cache {} is not used: {reason}", .path.display())]
    Refused { path: PathBuf, reason: String },
    #[error("failed to write the link cache {}: {reason}", .path.display())]
    Write { path: PathBuf, reason: String },
}

impl Cache {
    /// Loads the cache at `path` (`<project>/.ibid/links.json`). A missing
    /// file is an empty cache; a corrupt one is an empty cache and a warning;
    /// one outside the project, or not a regular file, is not used at all.
    pub fn load(path: &Path, max_age: Duration, now: i64) -> (Self, Option<CacheError>) {
        let mut cache = Self {
            path: path.to_path_buf(),
            file: File {
                version: VERSION,
                ..File::default()
            },
            max_age: i64::try_from(max_age.as_secs()).unwrap_or(i64::MAX),
            now,
            sandbox: None,
        };
        let refused = |reason: String| CacheError::Refused {
            path: path.into(),
            reason,
        };
        let folder = path.parent().unwrap_or(Path::new("."));
        let project = folder.parent().unwrap_or(Path::new("."));
        let sandbox = match Sandbox::new(if project.as_os_str().is_empty() {
            Path::new(".")
        } else {
            project
        }) {
            Ok(sandbox) => sandbox,
            Err(err) => return (cache, Some(refused(err.to_string()))),
        };
        if folder.exists()
            && let Err(err) = sandbox.resolve(folder)
        {
            return (cache, Some(refused(err.to_string())));
        }
        cache.sandbox = Some(sandbox);
        let bytes = match cache
            .sandbox
            .as_ref()
            .map(|s| s.read(path, MAX_CACHE_BYTES))
        {
            Some(Ok(bytes)) => bytes,
            Some(Err(crate::sandbox::SandboxError::NotFound(_))) | None => return (cache, None),
            Some(Err(err @ crate::sandbox::SandboxError::Io { .. })) => {
                return (
                    cache,
                    Some(CacheError::Corrupt {
                        path: path.into(),
                        reason: err.to_string(),
                    }),
                );
            }
            Some(Err(err)) => {
                cache.sandbox = None;
                return (cache, Some(refused(err.to_string())));
            }
        };
        match decode(&bytes) {
            Ok(file) => {
                cache.file = file;
                (cache, None)
            }
            Err(reason) => (
                cache,
                Some(CacheError::Corrupt {
                    path: path.into(),
                    reason,
                }),
            ),
        }
    }

    /// A fresh result for this URL, if there is one.
    pub fn get(&self, url: &str) -> Option<&Outcome> {
        let entry = self.file.entries.get(url)?;
        self.fresh(entry.checked_at).then_some(&entry.outcome)
    }

    /// Checked less long ago than the maximum age, and not in the future
    /// (so with a maximum age of 0 nothing is fresh). A time so far back that
    /// the age overflows is not fresh.
    fn fresh(&self, checked_at: i64) -> bool {
        self.now
            .checked_sub(checked_at)
            .is_some_and(|age| (0..self.max_age).contains(&age))
    }

    /// Worth writing back: fresh, or checked by this run.
    fn kept(&self, checked_at: i64) -> bool {
        checked_at == self.now || self.fresh(checked_at)
    }

    /// Records a result, if it is one worth keeping.
    pub fn put(&mut self, url: &str, outcome: &Outcome) {
        if outcome.is_cacheable() {
            self.file.entries.insert(
                url.to_string(),
                Entry {
                    checked_at: self.now,
                    outcome: outcome.clone(),
                },
            );
        }
    }

    /// Writes the cache atomically, dropping entries past the maximum age;
    /// never through a link out of the project.
    pub fn save(mut self) -> Result<(), CacheError> {
        let Some(sandbox) = self.sandbox.take() else {
            return Ok(());
        };
        let entries = std::mem::take(&mut self.file.entries);
        self.file.entries = entries
            .into_iter()
            .filter(|(_, e)| self.kept(e.checked_at))
            .collect();
        let error = |reason: String| CacheError::Write {
            path: self.path.clone(),
            reason,
        };
        if let Some(folder) = self.path.parent() {
            // Checked before it is created (`.ibid` may be a link out).
            crate::output::folder(folder, sandbox.root()).map_err(|e| error(e.to_string()))?;
            sandbox.resolve(folder).map_err(|e| error(e.to_string()))?;
        }
        let target = crate::output::target(&self.path, sandbox.root(), &[])
            .map_err(|e| error(e.to_string()))?;
        let json = serde_json::to_vec_pretty(&self.file).map_err(|e| error(e.to_string()))?;
        crate::output::write_atomically(&target, &json).map_err(|e| error(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_results_come_back_and_old_ones_do_not() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".ibid/links.json");
        let (mut cache, warning) = Cache::load(&path, Duration::from_secs(100), 1_000);
        assert!(warning.is_none());
        cache.put("http://a/", &Outcome::Alive);
        cache.put(
            "http://b/",
            &Outcome::Unreachable {
                reason: "timeout".into(),
            },
        );
        cache.save().unwrap();

        let (cache, _) = Cache::load(&path, Duration::from_secs(100), 1_050);
        assert_eq!(cache.get("http://a/"), Some(&Outcome::Alive));
        assert_eq!(cache.get("http://b/"), None, "not a definitive result");
        let (cache, _) = Cache::load(&path, Duration::from_secs(100), 1_200);
        assert_eq!(cache.get("http://a/"), None, "too old");
    }

    #[test]
    fn a_time_far_in_the_past_is_not_fresh() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".ibid/links.json");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(
            &path,
            format!(
                r#"{{"version":1,"entries":{{"http://a/":{{"checked_at":{},"outcome":{{"class":"alive"}}}}}}}}"#,
                i64::MIN
            ),
        )
        .unwrap();
        let (cache, warning) = Cache::load(&path, Duration::from_secs(86_400), 1_780_000_000);
        assert!(warning.is_none(), "{warning:?}");
        assert_eq!(cache.get("http://a/"), None, "the age overflows: not fresh");
    }

    #[cfg(unix)]
    #[test]
    fn a_cache_folder_linked_out_of_the_project_is_neither_read_nor_written() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("project");
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(&project).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("links.json"), "secret").unwrap();
        std::os::unix::fs::symlink(&outside, project.join(".ibid")).unwrap();
        let path = project.join(".ibid/links.json");
        let (mut cache, warning) = Cache::load(&path, Duration::from_secs(100), 1_000);
        let warning = warning.expect("refused").to_string();
        assert!(warning.contains("outside the project root"), "{warning}");
        cache.put("http://a/", &Outcome::Alive);
        cache.save().unwrap();
        assert_eq!(
            std::fs::read_to_string(outside.join("links.json")).unwrap(),
            "secret"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_cache_file_that_is_a_fifo_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".ibid/links.json");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&path)
                .status()
                .unwrap()
                .success()
        );
        let (_, warning) = Cache::load(&path, Duration::from_secs(100), 1_000);
        assert!(warning.expect("refused").to_string().contains("FIFO"));
    }

    #[test]
    fn a_corrupt_cache_is_reported_and_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("links.json");
        std::fs::write(&path, "{ not json").unwrap();
        let (mut cache, warning) = Cache::load(&path, Duration::from_secs(100), 1_000);
        assert!(matches!(warning, Some(CacheError::Corrupt { .. })));
        cache.put("http://a/", &Outcome::Alive);
        cache.save().unwrap();
        let (cache, warning) = Cache::load(&path, Duration::from_secs(100), 1_000);
        assert!(warning.is_none());
        assert!(cache.get("http://a/").is_some());
    }
}
