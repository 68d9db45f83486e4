//! Asking a server about one URL: hop by hop through its redirects (each
//! hop's scheme and host checked before it is followed), a few requests at
//! once per host, retries of what may pass (timeouts, 5xx, 429), and every
//! wait — requests, backoff, `Retry-After` — under one deadline derived
//! from `--timeout` and `--max-retries`. Bodies are never read.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::header::{LOCATION, RETRY_AFTER};
use tokio::sync::Semaphore;
use tokio::time::Instant;
use url::Url;

use super::super::resolve::{ClientDns, Dns, Resolution, fixed_address};
use super::super::{LinkConfig, Outcome};
use super::classify;

/// Redirects followed before giving up, as lychee.
pub const MAX_REDIRECTS: usize = 10;

/// Asks servers, shared by all the checks of one run.
pub struct Requester<'a> {
    client: reqwest::Client,
    config: &'a LinkConfig,
    dns: Arc<Dns>,
    hosts: Mutex<HashMap<String, Arc<Semaphore>>>,
}

impl<'a> Requester<'a> {
    pub fn new(config: &'a LinkConfig, dns: Arc<Dns>) -> Result<Self, String> {
        crate::tls::provider();
        let client = reqwest::Client::builder()
            .user_agent(config.user_agent.clone())
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(config.timeout)
            .dns_resolver(Arc::new(ClientDns(dns.clone())))
            .build()
            .map_err(|err| format!("could not set up the HTTP client: {err}"))?;
        Ok(Self {
            client,
            config,
            dns,
            hosts: Mutex::new(HashMap::new()),
        })
    }

    /// How long one URL may take in all: a full timeout for the first try
    /// and for each retry.
    pub fn budget(&self) -> Duration {
        self.config
            .timeout
            .saturating_mul(u32::try_from(self.config.max_retries + 1).unwrap_or(u32::MAX))
    }

    /// Checks one URL. The deadline starts when the URL's host lets it in
    /// (at most `--max-concurrency-per-host` at once).
    pub async fn check(&self, url: &Url) -> Outcome {
        let slot = self.host_slot(url.host_str().unwrap_or_default());
        let Ok(_permit) = slot.acquire_owned().await else {
            return Outcome::Unverified {
                reason: "the check was cancelled".into(),
            };
        };
        let deadline = later(self.budget());
        let mut at = url.clone();
        let mut visited = HashSet::from([url.to_string()]);
        let mut first_redirect: Option<u16> = None;
        for hop in 0..=MAX_REDIRECTS {
            let (code, location, retry_after) = match self.ask(&at, deadline).await {
                Ok(answer) => answer,
                Err(outcome) => return outcome,
            };
            let redirect = (300..400).contains(&code) && code != 304;
            if !redirect {
                let outcome = match classify::by_code(code, self.config.accept.contains(code)) {
                    Outcome::Blocked { code, .. } => Outcome::Blocked { code, retry_after },
                    other => other,
                };
                return match (outcome, first_redirect) {
                    (Outcome::Alive, Some(code @ (301 | 308))) => Outcome::Moved {
                        to: at.to_string(),
                        code,
                    },
                    (outcome, _) => outcome,
                };
            }
            let Some(next) = location.and_then(|l| at.join(&l).ok()) else {
                return Outcome::Unreachable {
                    reason: format!("the server redirects ({code}) without saying where"),
                };
            };
            if hop == 0 {
                first_redirect = Some(code);
            }
            if let Some(refused) = self.refuse_hop(&next).await {
                return refused;
            }
            if !visited.insert(next.to_string()) {
                return Outcome::Unreachable {
                    reason: format!("the server redirects in a loop (back to {next})"),
                };
            }
            at = next;
        }
        Outcome::Unreachable {
            reason: format!(
                "the server redirects in a loop or too many times (more than {MAX_REDIRECTS})"
            ),
        }
    }

    /// One answer for `url`, retrying what may pass while the deadline
    /// allows: the status, the `Location` and the `Retry-After` (seconds).
    async fn ask(
        &self,
        url: &Url,
        deadline: Instant,
    ) -> Result<(u16, Option<String>, Option<u64>), Outcome> {
        let mut attempt = 0u64;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(self.out_of_time());
            }
            let sent = self
                .client
                .get(url.clone())
                .timeout(left.min(self.config.timeout))
                .send()
                .await;
            let retries_left = attempt < self.config.max_retries;
            let (code, headers) = match sent {
                Ok(response) => (response.status().as_u16(), response.headers().clone()),
                Err(err) if err.is_timeout() && retries_left => {
                    attempt += 1;
                    continue;
                }
                Err(err) => return Err(classify::error(&err, self.config.timeout)),
            };
            let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
            let retry_after = header(RETRY_AFTER).and_then(parse_retry_after);
            let may_pass = code == 429 || (500..=599).contains(&code);
            // The wait the server asked for, when it is more than the check
            // has left (and only then: after the last retry, a `Retry-After:
            // 0` is no reason).
            let mut too_long = None;
            if may_pass && retries_left && !self.config.accept.contains(code) {
                let wait = retry_after
                    .map(Duration::from_secs)
                    .unwrap_or_else(|| backoff(attempt));
                if Instant::now()
                    .checked_add(wait)
                    .is_some_and(|t| t < deadline)
                {
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                    continue;
                }
                too_long = retry_after;
            }
            return Ok((code, header(LOCATION).map(str::to_string), too_long));
        }
    }

    /// Refuses to follow a redirect to what the checks must not touch: a
    /// scheme that is not the web's, a host that does not exist, a private
    /// address.
    async fn refuse_hop(&self, next: &Url) -> Option<Outcome> {
        if !matches!(next.scheme(), "http" | "https") {
            return Some(Outcome::dead(
                format!("the server redirects to {next}, which is not a web address"),
                None,
            ));
        }
        let host = next.host_str().unwrap_or_default();
        let resolution = match fixed_address(host) {
            Some(ip) => Resolution::Addresses(vec![ip]),
            None => self.dns.resolve(host).await,
        };
        match resolution {
            Resolution::Addresses(ips) if !self.dns.allows(&ips) => Some(Outcome::Unverified {
                reason: format!(
                    "the server redirects to {next}, a private address, not probed \
                     (--allow-private checks it)"
                ),
            }),
            Resolution::Addresses(_) => None,
            Resolution::NotFound(why) => Some(Outcome::dead(
                format!("the server redirects to {host}, which does not exist ({why})"),
                None,
            )),
            Resolution::TimedOut => Some(Outcome::Unverified {
                reason: format!(
                    "the server redirects to {host}, which could not be resolved in time"
                ),
            }),
        }
    }

    fn out_of_time(&self) -> Outcome {
        Outcome::Unreachable {
            reason: format!(
                "no answer within {} s ({} s timeout, {} retries)",
                self.budget().as_secs(),
                self.config.timeout.as_secs(),
                self.config.max_retries
            ),
        }
    }

    fn host_slot(&self, host: &str) -> Arc<Semaphore> {
        let mut hosts = self.hosts.lock().expect("not poisoned");
        hosts
            .entry(host.to_ascii_lowercase())
            .or_insert_with(|| Arc::new(Semaphore::new(self.config.max_per_host.max(1))))
            .clone()
    }
}

/// The instant `wait` from now, or a day from now when that is beyond what
/// the clock can count (options are range-checked; this keeps a wait from a
/// server's header from overflowing).
fn later(wait: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(wait)
        .unwrap_or_else(|| now + Duration::from_secs(24 * 3600))
}

/// The wait before retry `attempt` (0-based): 200 ms, doubling.
fn backoff(attempt: u64) -> Duration {
    Duration::from_millis(200 << attempt.min(8))
}

/// `Retry-After` in seconds: a number, or an HTTP date from now.
fn parse_retry_after(value: &str) -> Option<u64> {
    if let Ok(seconds) = value.trim().parse::<u64>() {
        return Some(seconds);
    }
    let date = chrono::DateTime::parse_from_rfc2822(value.trim()).ok()?;
    let seconds = date.timestamp() - chrono::Utc::now().timestamp();
    Some(u64::try_from(seconds).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        assert_eq!(parse_retry_after("120"), Some(120));
        assert_eq!(parse_retry_after("Fri, 15 May 2015 15:34:21 GMT"), Some(0));
        let later = chrono::Utc::now() + chrono::Duration::seconds(3600);
        let seconds = parse_retry_after(&later.to_rfc2822()).unwrap();
        assert!((3590..=3600).contains(&seconds), "{seconds}");
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn backoff_doubles_and_stops_growing() {
        assert_eq!(backoff(0), Duration::from_millis(200));
        assert_eq!(backoff(2), Duration::from_millis(800));
        assert_eq!(backoff(100), backoff(8));
    }
}
