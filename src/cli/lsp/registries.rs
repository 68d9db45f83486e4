//! The registry checks of an editor session: each audit reports what the
//! registry cache already knows of the entries (no request: typing never
//! waits for the network), and on open and save the entries are checked
//! online on a thread of their own, which writes the cache and says when it
//! is done, so that the findings are merged in and published again.

use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, PoisonError};

use super::project::Snapshot;
use crate::audit::suppress;
use crate::audit::{AuditConfig, Finding, Selection};
use crate::bibliography::Bibliography;
use crate::pipeline::registry_findings;
use crate::registries::verify::{RegistryConfig, verify_all};

pub struct Registries {
    /// How to ask them (online unless `--offline`).
    config: RegistryConfig,
    /// Whether a check is running.
    busy: Arc<Mutex<bool>>,
    /// Told when a background check has finished.
    done: Sender<()>,
}

impl Registries {
    pub fn new(config: RegistryConfig, done: Sender<()>) -> Self {
        Self {
            config,
            busy: Arc::default(),
            done,
        }
    }

    pub fn busy(&self) -> bool {
        *self.busy.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The registry findings from the cache, suppressions applied; with
    /// `check` (open, save), the entries are sent to be checked online.
    pub fn findings(
        &self,
        last: &Snapshot,
        config: AuditConfig,
        selection: &Selection,
        check: bool,
    ) -> Vec<Finding> {
        let (model, bibliography, suppressions) =
            (&last.model, &last.bibliography, &last.suppressions);
        let cached = RegistryConfig {
            offline: true,
            ..self.config.clone()
        };
        let report = verify_all(bibliography, &cached);
        if check && !self.config.offline && !report.results.is_empty() {
            self.start(bibliography.clone());
        }
        let findings = registry_findings(model, bibliography, &report, config, selection);
        suppress::apply(findings, suppressions, |rule| {
            rule.asks_registries() && selection.enabled(rule)
        })
    }

    /// Checks the entries online on a thread (one at a time: a check asked
    /// for while one runs is left to the next save).
    fn start(&self, bibliography: Bibliography) {
        {
            let mut busy = self.busy.lock().unwrap_or_else(PoisonError::into_inner);
            if *busy {
                return;
            }
            *busy = true;
        }
        let (config, busy, done) = (
            self.config.clone(),
            Arc::clone(&self.busy),
            self.done.clone(),
        );
        std::thread::spawn(move || {
            let report = verify_all(&bibliography, &config);
            for warning in &report.warnings {
                eprintln!("ibid lsp: warning: {warning}");
            }
            *busy.lock().unwrap_or_else(PoisonError::into_inner) = false;
            let _ = done.send(());
        });
    }
}
