//! The link checks of an editor session, as `ibid watch` does them: each
//! audit reports the links from the results already known (the cache's, or
//! this session's), and on open and save the URLs not yet known are
//! checked on a thread of their own, which says when it is done so that
//! the findings are merged in and published again. Typing never waits for
//! the network, and never starts a check.

use std::collections::{HashMap, HashSet};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, PoisonError};

use crate::audit::suppress::{self, Suppression};
use crate::audit::{self, AuditConfig, AuditInput, Finding, Selection};
use crate::bibliography::Bibliography;
use crate::cli::args::{LinkArgs, WorldArgs};
use crate::document::Document;
use crate::links::check::check_all;
use crate::links::resolve::SystemResolver;
use crate::links::{LinkConfig, LinkReport, LinkResult, Network, collect};

#[derive(Default)]
struct State {
    known: HashMap<String, LinkResult>,
    pending: HashSet<String>,
}

pub struct Links {
    config: LinkConfig,
    state: Arc<Mutex<State>>,
    /// Told when a background check has finished.
    done: Sender<()>,
}

impl Links {
    pub fn new(config: LinkConfig, done: Sender<()>) -> Self {
        Self {
            config: LinkConfig {
                progress: false,
                ..config
            },
            state: Arc::default(),
            done,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether a check is running.
    pub fn busy(&self) -> bool {
        !self.lock().pending.is_empty()
    }

    /// The link findings from the results known, suppressions applied;
    /// with `check`, the URLs not yet known are sent to be checked.
    pub fn findings(
        &self,
        model: &Document,
        bibliography: &Bibliography,
        config: AuditConfig,
        selection: &Selection,
        suppressions: &[Suppression],
        check: bool,
    ) -> Vec<Finding> {
        let mut report = LinkReport::default();
        let mut fresh = Vec::new();
        {
            let mut state = self.lock();
            for target in collect::targets(model, bibliography) {
                if let Some(known) = state.known.get(&target.written) {
                    report.results.push(LinkResult {
                        target,
                        ..known.clone()
                    });
                } else if check && state.pending.insert(target.written.clone()) {
                    fresh.push(target);
                }
            }
        }
        if !fresh.is_empty() {
            let config = self.config.clone();
            let state = Arc::clone(&self.state);
            let done = self.done.clone();
            let sent: Vec<String> = fresh.iter().map(|t| t.written.clone()).collect();
            std::thread::spawn(move || {
                let report = check_all(fresh, &config, Arc::new(SystemResolver));
                if let Network::Unavailable(why) = &report.network {
                    eprintln!(
                        "ibid lsp: the network is unavailable ({why}): URLs are reported as unverified, not dead"
                    );
                }
                let mut state = state.lock().unwrap_or_else(PoisonError::into_inner);
                for result in report.results {
                    state.known.insert(result.target.written.clone(), result);
                }
                // Answered or not, these are not pending any more.
                for written in &sent {
                    state.pending.remove(written);
                }
                drop(state);
                let _ = done.send(());
            });
        }
        let input = AuditInput::new(model, bibliography, &[])
            .with_config(config)
            .with_links(&report);
        let findings = audit::run_rules_timed(
            &input,
            |rule| rule.about_links() && selection.enabled(rule),
            &mut |_, _| {},
        );
        let mut findings = suppress::apply(findings, suppressions, |rule| {
            rule.about_links() && selection.enabled(rule)
        });
        selection.apply(&mut findings);
        findings
    }
}

/// How to check URLs, resolved from the link options as `ibid audit` does:
/// the cache lives under the project root.
pub fn config(root: &std::path::Path, options: &LinkArgs, world: &WorldArgs) -> LinkConfig {
    LinkConfig {
        offline: world.offline,
        timeout: std::time::Duration::from_secs(world.network.timeout),
        max_retries: world.network.max_retries,
        max_concurrency: options.max_concurrency.max(1),
        max_per_host: options.max_concurrency_per_host.max(1),
        accept: options.accept.clone(),
        exclude: options.exclude.clone(),
        user_agent: options
            .user_agent
            .clone()
            .unwrap_or_else(|| LinkConfig::default().user_agent),
        allow_private: options.allow_private,
        cache_path: (!options.no_cache).then(|| root.join(".ibid").join("links.json")),
        max_cache_age: options.max_cache_age,
        archive_url: (!options.no_archive).then(|| options.archive_url.clone()),
        now: world
            .creation_timestamp
            .unwrap_or_else(|| chrono::Utc::now().timestamp()),
        progress: false,
    }
}
