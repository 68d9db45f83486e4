//! Link checking: every URL of the thesis and its bibliography, checked as
//! lychee checks them (its defaults, its `--accept` syntax, its classes of
//! answer), each outcome a value (`Outcome`) that the link rules turn into
//! findings tied to the entries and footnotes that hold the URL.
//!
//! `collect` finds the URLs, `resolve` (the network seam tests replace)
//! resolves their hosts, `check` asks the servers hop by hop under one
//! deadline, `cache` remembers definitive results, `archive` looks up
//! Wayback copies of dead pages.

pub mod accept;
pub mod archive;
pub mod cache;
pub mod check;
pub mod collect;
pub mod early;
pub mod resolve;
pub mod session;

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

pub use collect::{Holder, Site, Target};

/// What checking a URL found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "class", rename_all = "kebab-case")]
pub enum Outcome {
    /// The page answers.
    Alive,
    /// The page moved for good (301, 308) to `to`.
    Moved { to: String, code: u16 },
    /// The page is gone (404, 410) or its host does not exist.
    Dead {
        reason: String,
        #[serde(default)]
        code: Option<u16>,
        /// A Wayback Machine copy, if one was found.
        #[serde(default)]
        archived: Option<String>,
    },
    /// The server refused to say (401, 403, 429, …): nothing is known.
    Blocked {
        code: u16,
        /// The wait the server asked for (`Retry-After`, seconds), when it
        /// was longer than the check could wait.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after: Option<u64>,
    },
    /// No answer: timeout, refused connection, TLS failure, redirect loop.
    Unreachable { reason: String },
    /// Not checked: offline, excluded, a private address, no network.
    Unverified { reason: String },
}

impl Outcome {
    /// A dead link, before any archive lookup.
    pub fn dead(reason: String, code: Option<u16>) -> Self {
        Outcome::Dead {
            reason,
            code,
            archived: None,
        }
    }

    /// Only successful and definitive results are cached.
    pub fn is_cacheable(&self) -> bool {
        match self {
            Outcome::Alive | Outcome::Moved { .. } => true,
            Outcome::Dead { code, .. } => matches!(code, Some(404 | 410)),
            _ => false,
        }
    }
}

/// How to check, resolved from the command line.
#[derive(Debug, Clone)]
pub struct LinkConfig {
    /// Check nothing; every URL is unverified.
    pub offline: bool,
    pub timeout: Duration,
    pub max_retries: u64,
    /// Requests at once, in all.
    pub max_concurrency: usize,
    /// Requests at once to one host.
    pub max_per_host: usize,
    /// Status codes that count as success.
    pub accept: accept::Accept,
    pub exclude: Vec<regex::Regex>,
    pub user_agent: String,
    /// Check loopback, private and link-local addresses too.
    pub allow_private: bool,
    pub cache_path: Option<PathBuf>,
    pub max_cache_age: Duration,
    /// Base of the Wayback Machine availability API (`https://archive.org`).
    pub archive_url: Option<String>,
    /// The time of the run, seconds since the epoch.
    pub now: i64,
    /// Show a progress bar.
    pub progress: bool,
}

impl Default for LinkConfig {
    fn default() -> Self {
        Self {
            offline: false,
            timeout: Duration::from_secs(20),
            max_retries: 3,
            max_concurrency: 128,
            max_per_host: 10,
            accept: accept::Accept::default(),
            exclude: Vec::new(),
            user_agent: concat!("ibid/", env!("CARGO_PKG_VERSION"), " (citation audit)").into(),
            allow_private: false,
            cache_path: None,
            max_cache_age: Duration::from_secs(24 * 3600),
            archive_url: Some("https://archive.org".into()),
            now: 0,
            progress: false,
        }
    }
}

/// The outcome for one URL.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkResult {
    pub target: Target,
    pub outcome: Outcome,
    /// Whether it came from the cache.
    pub cached: bool,
}

/// Whether the network could be used.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Network {
    #[default]
    Available,
    /// `--offline`.
    Offline,
    /// Nothing could be resolved or reached; why.
    Unavailable(String),
}

/// Everything a link check found.
#[derive(Debug, Clone, Default)]
pub struct LinkReport {
    pub results: Vec<LinkResult>,
    pub network: Network,
    /// A corrupt or unwritable cache, said as a warning.
    pub cache_warnings: Vec<String>,
    /// HTTP checks made (not from the cache).
    pub requests: usize,
}
