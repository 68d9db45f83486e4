//! The link checks of a watch session. A URL is checked once per session:
//! each compile reports the links from the results already known (the
//! cache's, or this session's), and the URLs not yet known are checked on
//! a thread of their own, whose findings print when they come back. No
//! network is said once.

use std::collections::{HashMap, HashSet};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use crate::audit::{self, AuditConfig, AuditInput, Finding, Selection};
use crate::bibliography::Bibliography;
use crate::document::Document;
use crate::links::check::check_all;
use crate::links::resolve::SystemResolver;
use crate::links::{LinkConfig, LinkReport, LinkResult, Network, collect};
use crate::report::excerpt;
use crate::report::human::{Human, SourceFiles, Style};

/// What the session knows of its URLs.
#[derive(Default)]
struct State {
    known: HashMap<String, LinkResult>,
    pending: HashSet<String>,
    /// Link findings printed when their check came back, by rule and message.
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
                } else if state.pending.insert(target.written.clone()) {
                    fresh.push(target);
                }
            }
        }
        let findings = link_findings(model, bibliography, &report, config, selection);
        if !fresh.is_empty() {
            let texts = texts();
            let (model, bibliography) = (model.clone(), bibliography.clone());
            let (link_config, selection) = (self.config.clone(), selection.clone());
            let state = Arc::clone(&self.state);
            let said = Arc::clone(&self.said_unavailable);
            std::thread::spawn(move || {
                let n = fresh.len();
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
                for result in report.results {
                    state.pending.remove(&result.target.written);
                    state.known.insert(result.target.written.clone(), result);
                }
                state.announced.extend(findings.iter().map(identity));
                drop(state);
                print_checked(n, &findings, &texts, style);
            });
        }
        findings
    }
}

/// The findings of the link rules on `report`.
fn link_findings(
    model: &Document,
    bibliography: &Bibliography,
    report: &LinkReport,
    config: AuditConfig,
    selection: &Selection,
) -> Vec<Finding> {
    let input = AuditInput::new(model, bibliography, &[])
        .with_config(config)
        .with_links(report);
    let mut findings = audit::run_rules_timed(
        &input,
        |rule| rule.about_links() && selection.enabled(rule),
        &mut |_, _| {},
    );
    selection.apply(&mut findings);
    findings
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
