//! The link checks of an editor session, as `ibid watch` does them: each
//! audit reports the links from the results already known (the cache's, or
//! this session's), and on open and save the URLs not yet known are
//! checked on a thread of their own, which says when it is done so that
//! the findings are merged in and published again. Typing never waits for
//! the network, and never starts a check.

use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, PoisonError};

use super::project::Snapshot;
use crate::audit::suppress;
use crate::audit::{AuditConfig, Finding, Selection};
use crate::links::check::check_all;
use crate::links::resolve::SystemResolver;
use crate::links::session::Session;
use crate::links::{LinkConfig, Network, collect};
use crate::pipeline::link_findings;

pub struct Links {
    config: LinkConfig,
    state: Arc<Mutex<Session>>,
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

    fn lock(&self) -> std::sync::MutexGuard<'_, Session> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether a check is running.
    pub fn busy(&self) -> bool {
        self.lock().busy()
    }

    /// The link findings from the results known, suppressions applied;
    /// with `check`, the URLs not yet known are sent to be checked.
    pub fn findings(
        &self,
        last: &Snapshot,
        config: AuditConfig,
        selection: &Selection,
        check: bool,
    ) -> Vec<Finding> {
        let (model, bibliography, suppressions) =
            (&last.model, &last.bibliography, &last.suppressions);
        let (report, fresh) = self
            .lock()
            .round(collect::targets(model, bibliography), check);
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
                state
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .settle(report, &sent);
                let _ = done.send(());
            });
        }
        let findings = link_findings(model, bibliography, &report, config, selection);
        suppress::apply(findings, suppressions, |rule| {
            rule.about_links() && selection.enabled(rule)
        })
    }
}
