//! The link checks of a watch session. A URL is checked once per session:
//! each compile reports the links from the results already known (the
//! cache's, or this session's), and the URLs not yet known are checked on
//! a thread of their own, whose findings print when they come back. No
//! network is said once.

use std::collections::HashSet;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use crate::audit::{self, AuditConfig, Finding, Selection};
use crate::bibliography::Bibliography;
use crate::document::Document;
use crate::links::check::check_all;
use crate::links::resolve::SystemResolver;
use crate::links::session::Session;
use crate::links::{LinkConfig, Network, collect};
use crate::pipeline::link_findings;
use crate::report::excerpt;
use crate::report::human::{Human, SourceFiles, Style};

/// What the session knows of its URLs, and the link findings printed when
/// their check came back (by rule and message).
#[derive(Default)]
struct State {
    session: Session,
    announced: HashSet<String>,
}

pub struct Links {
    config: LinkConfig,
    state: Arc<Mutex<State>>,
    said_unavailable: Arc<AtomicBool>,
}

/// A link finding's identity across compiles.
fn identity(finding: &Finding) -> String {
    format!("{}|{}", finding.rule.code(), finding.message)
}

impl Links {
    pub fn new(config: LinkConfig) -> Self {
        Self {
            config: LinkConfig {
                progress: false,
                ..config
            },
            state: Arc::default(),
            said_unavailable: Arc::default(),
        }
    }

    /// Whether a link finding was already printed when its check came back.
    pub fn announced(&self, finding: &Finding) -> bool {
        self.lock().announced.contains(&identity(finding))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The link findings of this compile from the results known, and the
    /// URLs not yet known sent to be checked. `texts` gives the project's
    /// files, for printing the findings that come back later (read only
    /// when a URL is new).
    pub fn round(
        &self,
        model: &Document,
        bibliography: &Bibliography,
        config: AuditConfig,
        selection: &Selection,
        texts: impl FnOnce() -> Vec<(String, String)>,
        style: Style,
    ) -> Vec<Finding> {
        let (report, fresh) = self
            .lock()
            .session
            .round(collect::targets(model, bibliography), true);
        let findings = link_findings(model, bibliography, &report, config, selection);
        if !fresh.is_empty() {
            let texts = texts();
            let (model, bibliography) = (model.clone(), bibliography.clone());
            let (link_config, selection) = (self.config.clone(), selection.clone());
            let state = Arc::clone(&self.state);
            let said = Arc::clone(&self.said_unavailable);
            std::thread::spawn(move || {
                let n = fresh.len();
                let sent: Vec<String> = fresh.iter().map(|t| t.written.clone()).collect();
                let report = check_all(fresh, &link_config, Arc::new(SystemResolver));
                if let Network::Unavailable(why) = &report.network
                    && !said.swap(true, Ordering::SeqCst)
                {
                    eprintln!(
                        "note: the network is unavailable ({why}): URLs are reported as unverified, not dead (said once)"
                    );
                }
                let findings = link_findings(&model, &bibliography, &report, config, &selection);
                let mut state = state.lock().unwrap_or_else(PoisonError::into_inner);
                state.session.settle(report, &sent);
                state.announced.extend(findings.iter().map(identity));
                drop(state);
                print_checked(n, &findings, &texts, style);
            });
        }
        findings
    }
}

/// Files as they were when the check started, for the excerpts.
struct Texts(Vec<(String, String)>);

impl SourceFiles for Texts {
    fn load(&self, path: &str) -> Option<(String, String)> {
        self.0
            .iter()
            .find(|(name, _)| name == path)
            .map(|(name, text)| (name.clone(), text.clone()))
    }
}

fn print_checked(n: usize, findings: &[Finding], texts: &[(String, String)], style: Style) {
    let files = Texts(texts.to_vec());
    let human = Human {
        files: &files,
        style,
        color: std::io::stderr().is_terminal(),
        width: excerpt::width_of(&std::io::stderr()),
        verbose: false,
    };
    let shown: Vec<Finding> = findings
        .iter()
        .filter(|f| f.severity != audit::Severity::Info)
        .cloned()
        .collect();
    let mut err = std::io::stderr().lock();
    let _ = human.findings(&shown, &mut err);
    let _ = std::io::Write::write_all(
        &mut err,
        format!(
            "links: checked {n} new URL{}; {} finding{}\n",
            if n == 1 { "" } else { "s" },
            findings.len(),
            if findings.len() == 1 { "" } else { "s" }
        )
        .as_bytes(),
    );
}
