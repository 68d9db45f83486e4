//! The link cache (`.ibid/links.json` under the project): results of earlier
//! checks, so that a second run within the maximum age makes no request.
//! Only successful and definitive results are kept (alive, moved for good,
//! 404/410); anything that may change on its own (timeouts, 5xx, 429, no
//! network) is checked again. Written atomically; a corrupt file is ignored
//! with a warning and rebuilt.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::Outcome;

const VERSION: u32 = 1;

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

/// The cache, loaded.
#[derive(Debug)]
pub struct Cache {
    path: PathBuf,
    file: File,
    max_age: i64,
    now: i64,
}

/// Why the cache could not be used.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("the link cache {} is unreadable and will be rebuilt: {reason}", .path.display())]
    Corrupt { path: PathBuf, reason: String },
    #[error("failed to write the link cache {}: {source}", .path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Cache {
    /// Loads the cache at `path`. A missing file is an empty cache; a corrupt
    /// one is an empty cache and a warning.
    pub fn load(path: &Path, max_age_secs: i64, now: i64) -> (Self, Option<CacheError>) {
        let mut cache = Self {
            path: path.to_path_buf(),
            file: File {
                version: VERSION,
                ..File::default()
            },
            max_age: max_age_secs,
            now,
        };
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return (cache, None),
            Err(err) => {
                return (
                    cache,
                    Some(CacheError::Corrupt {
                        path: path.into(),
                        reason: err.to_string(),
                    }),
                );
            }
        };
        match serde_json::from_str::<File>(&text) {
            Ok(file) if file.version == VERSION => {
                cache.file = file;
                (cache, None)
            }
            Ok(file) => {
                let reason = format!("version {} (expected {VERSION})", file.version);
                (
                    cache,
                    Some(CacheError::Corrupt {
                        path: path.into(),
                        reason,
                    }),
                )
            }
            Err(err) => (
                cache,
                Some(CacheError::Corrupt {
                    path: path.into(),
                    reason: err.to_string(),
                }),
            ),
        }
    }

    /// A fresh result for this URL, if there is one.
    pub fn get(&self, url: &str) -> Option<&Outcome> {
        let entry = self.file.entries.get(url)?;
        (self.now - entry.checked_at <= self.max_age && entry.checked_at <= self.now)
            .then_some(&entry.outcome)
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

    /// Writes the cache atomically, dropping entries past the maximum age.
    pub fn save(mut self) -> Result<(), CacheError> {
        let (now, max_age) = (self.now, self.max_age);
        self.file
            .entries
            .retain(|_, e| now - e.checked_at <= max_age);
        let write = |path: &Path, file: &File| -> std::io::Result<()> {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            let json = serde_json::to_vec_pretty(file).map_err(std::io::Error::other)?;
            crate::typeset::write_atomically(path, &json)
        };
        write(&self.path, &self.file).map_err(|source| CacheError::Write {
            path: self.path.clone(),
            source,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_results_come_back_and_old_ones_do_not() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".ibid/links.json");
        let (mut cache, warning) = Cache::load(&path, 100, 1_000);
        assert!(warning.is_none());
        cache.put("http://a/", &Outcome::Alive);
        cache.put(
            "http://b/",
            &Outcome::Unreachable {
                reason: "timeout".into(),
            },
        );
        cache.save().unwrap();

        let (cache, _) = Cache::load(&path, 100, 1_050);
        assert_eq!(cache.get("http://a/"), Some(&Outcome::Alive));
        assert_eq!(cache.get("http://b/"), None, "not a definitive result");
        let (cache, _) = Cache::load(&path, 100, 1_200);
        assert_eq!(cache.get("http://a/"), None, "too old");
    }

    #[test]
    fn a_corrupt_cache_is_reported_and_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("links.json");
        std::fs::write(&path, "{ not json").unwrap();
        let (mut cache, warning) = Cache::load(&path, 100, 1_000);
        assert!(matches!(warning, Some(CacheError::Corrupt { .. })));
        cache.put("http://a/", &Outcome::Alive);
        cache.save().unwrap();
        let (cache, warning) = Cache::load(&path, 100, 1_000);
        assert!(warning.is_none());
        assert!(cache.get("http://a/").is_some());
    }
}
