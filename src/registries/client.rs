//! Asking a registry: one blocking GET with the run's deadline, retries of
//! what may pass (timeouts, 5xx, 429 within `Retry-After`), bodies capped,
//! and only a definitive 404 taken as "not found". Answers are cached under
//! `.ibid/registries.json` by URL: found ones for a month, not-found ones
//! for a day, written atomically; a corrupt cache is rebuilt with a warning.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::pace::{Pace, Pool};

/// A response body larger than this is no registry's answer.
pub const MAX_BODY: u64 = 4 * 1024 * 1024;
/// A cache larger than this is not read (it is rebuilt).
const MAX_CACHE: u64 = 64 * 1024 * 1024;
const FOUND_KEPT: i64 = 30 * 86_400;
const NOT_FOUND_KEPT: i64 = 86_400;

/// What a registry said of one URL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Answer {
    /// 200, with the body.
    Found(String),
    /// 404: the registry does not know it.
    NotFound,
    /// No answer that says either (a timeout, 5xx, a body too large, the
    /// network down): why.
    Unverified(String),
}

/// The registries' HTTP client, shared by the run's checks.
pub struct Client {
    http: Option<reqwest::blocking::Client>,
    timeout: Duration,
    max_retries: u64,
    cache: Mutex<Cache>,
    cache_path: Option<PathBuf>,
    now: i64,
    /// The registries' limits on requests at once and per second.
    pace: Pace,
    /// Whether the cache holds an answer it did not hold when read (or was
    /// unreadable): only then is it written back.
    changed: std::sync::atomic::AtomicBool,
    /// Why the cache could not be used, for the user.
    pub warnings: Mutex<Vec<String>>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Cache {
    answers: BTreeMap<String, Cached>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Cached {
    checked: i64,
    answer: Answer,
}

impl Client {
    /// A client; `offline` asks nothing (every answer comes from the cache
    /// or is unverified). `polite`: the user agent gives a contact address,
    /// which earns Crossref's larger budget.
    pub fn new(
        offline: bool,
        polite: bool,
        user_agent: &str,
        timeout: Duration,
        max_retries: u64,
        cache_path: Option<PathBuf>,
        now: i64,
    ) -> Self {
        crate::tls::provider();
        let http = (!offline)
            .then(|| {
                reqwest::blocking::Client::builder()
                    .user_agent(user_agent)
                    .timeout(timeout)
                    .connect_timeout(timeout)
                    .redirect(reqwest::redirect::Policy::limited(5))
                    .build()
                    .ok()
            })
            .flatten();
        let mut warnings = Vec::new();
        let cache = cache_path
            .as_ref()
            .and_then(|path| {
                // Read through the sandbox of the project the cache is in:
                // `.ibid` may be a link out, and the file may be huge.
                let bytes = sandbox_of(path).ok()?.read(path, MAX_CACHE).ok()?;
                match serde_json::from_slice::<Cache>(&bytes) {
                    Ok(cache) => Some(cache),
                    Err(err) => {
                        warnings.push(format!(
                            "the registry cache {} is unreadable ({err}); it is rebuilt",
                            path.display()
                        ));
                        None
                    }
                }
            })
            .unwrap_or_default();
        Self {
            http,
            timeout,
            max_retries,
            cache: Mutex::new(cache),
            cache_path,
            now,
            pace: Pace::new(polite),
            changed: std::sync::atomic::AtomicBool::new(!warnings.is_empty()),
            warnings: Mutex::new(warnings),
        }
    }

    /// Whether the client asks the network at all.
    pub fn online(&self) -> bool {
        self.http.is_some()
    }

    /// The answer for `url`, from the cache while it is fresh, else asked
    /// within `pool`'s limits.
    pub fn get(&self, pool: Pool, url: &str, accept: &str) -> Answer {
        self.get_dated(pool, url, accept).0
    }

    /// The answer for `url` and when it was given (seconds since the
    /// epoch: the cache's date, or the run's).
    pub fn get_dated(&self, pool: Pool, url: &str, accept: &str) -> (Answer, i64) {
        self.get_keyed(pool, url, accept, None)
    }

    /// As [`Client::get_dated`], with `secret` (`api_key=…`) added to the
    /// query when the network is asked: it is never cached or shown.
    pub fn get_keyed(
        &self,
        pool: Pool,
        url: &str,
        accept: &str,
        secret: Option<&str>,
    ) -> (Answer, i64) {
        let key = format!("{accept} {url}");
        if let Some(cached) = self.lock().answers.get(&key) {
            let kept = match cached.answer {
                Answer::Found(_) => FOUND_KEPT,
                _ => NOT_FOUND_KEPT,
            };
            if self.now - cached.checked < kept && !matches!(cached.answer, Answer::Unverified(_)) {
                return (cached.answer.clone(), cached.checked);
            }
        }
        let Some(http) = &self.http else {
            return (Answer::Unverified("offline (--offline)".into()), self.now);
        };
        let asked = match secret {
            Some(secret) if url.contains('?') => format!("{url}&{secret}"),
            Some(secret) => format!("{url}?{secret}"),
            None => url.to_string(),
        };
        let answer = self.ask(http, pool, &asked, accept);
        if !matches!(answer, Answer::Unverified(_)) {
            self.changed
                .store(true, std::sync::atomic::Ordering::Relaxed);
            self.lock().answers.insert(
                key,
                Cached {
                    checked: self.now,
                    answer: answer.clone(),
                },
            );
        }
        (answer, self.now)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Cache> {
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// One URL, retried within the deadline: `--timeout` × (retries + 1).
    fn ask(&self, http: &reqwest::blocking::Client, pool: Pool, url: &str, accept: &str) -> Answer {
        let deadline = Instant::now()
            + self
                .timeout
                .saturating_mul(u32::try_from(self.max_retries + 1).unwrap_or(u32::MAX));
        let mut last = String::from("no answer");
        for attempt in 0..=self.max_retries {
            if attempt > 0 && Instant::now() >= deadline {
                break;
            }
            // Each attempt waits for its turn in the pool, and holds its
            // slot until its answer is read.
            let slot = self.pace.enter(pool);
            let response = match http.get(url).header("Accept", accept).send() {
                Ok(response) => response,
                Err(err) => {
                    last = if err.is_timeout() {
                        "timed out".into()
                    } else {
                        format!("no answer ({})", root_cause(&err))
                    };
                    continue;
                }
            };
            let status = response.status().as_u16();
            match status {
                200 => return read_body(response, deadline),
                404 | 410 => return Answer::NotFound,
                429 | 500..=599 => {
                    last = format!("HTTP {status}");
                    let wait = retry_after(&response)
                        .unwrap_or(Duration::from_millis(500 << attempt.min(4)));
                    if Instant::now() + wait >= deadline {
                        break;
                    }
                    drop(slot);
                    std::thread::sleep(wait);
                }
                _ => return Answer::Unverified(format!("HTTP {status}")),
            }
        }
        Answer::Unverified(last)
    }

    /// Writes the cache (atomically, through the output guard), when it has
    /// one and it changed: a run answered from the cache alone (an editor's
    /// every keystroke, `ibid fix`'s rounds) writes nothing.
    pub fn save(&self) {
        let Some(path) = &self.cache_path else { return };
        if !self.changed.load(std::sync::atomic::Ordering::Relaxed) {
            return;
        }
        let written = (|| -> Result<(), String> {
            let sandbox = sandbox_of(path).map_err(|e| e.to_string())?;
            if let Some(folder) = path.parent() {
                // Checked before it is created (`.ibid` may be a link out).
                crate::output::folder(folder, sandbox.root()).map_err(|e| e.to_string())?;
            }
            let target =
                crate::output::target(path, sandbox.root(), &[]).map_err(|e| e.to_string())?;
            let bytes = serde_json::to_vec(&*self.lock()).map_err(|e| e.to_string())?;
            crate::output::write_atomically(&target, &bytes).map_err(|e| e.to_string())
        })();
        if let Err(err) = written {
            self.warnings
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(format!(
                    "the registry cache {} was not written: {err}",
                    path.display()
                ));
        }
    }
}

/// The sandbox of the project whose `.ibid/` folder holds `cache`.
fn sandbox_of(
    cache: &std::path::Path,
) -> Result<crate::sandbox::Sandbox, crate::sandbox::SandboxError> {
    let project = cache
        .parent()
        .and_then(std::path::Path::parent)
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    crate::sandbox::Sandbox::new(project)
}

/// The body, within the run's deadline (a server that sends a byte at a
/// time never trips a per-read timeout) and the size cap.
fn read_body(mut response: reqwest::blocking::Response, deadline: Instant) -> Answer {
    let mut body = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        if Instant::now() >= deadline {
            return Answer::Unverified("the answer came too slowly (past the deadline)".into());
        }
        match response.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => {
                body.extend_from_slice(&chunk[..n]);
                if body.len() as u64 > MAX_BODY {
                    return Answer::Unverified(format!(
                        "an answer over {} MiB",
                        MAX_BODY / 1024 / 1024
                    ));
                }
            }
            Err(err) => return Answer::Unverified(format!("the answer broke off ({err})")),
        }
    }
    match String::from_utf8(body) {
        Ok(text) => Answer::Found(text),
        Err(_) => Answer::Unverified("an answer that is not UTF-8".into()),
    }
}

fn retry_after(response: &reqwest::blocking::Response) -> Option<Duration> {
    let value = response.headers().get("retry-after")?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

fn root_cause(err: &dyn std::error::Error) -> String {
    let mut cause = err;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}
