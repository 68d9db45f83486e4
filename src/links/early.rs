//! Checks started before the document is compiled. A bibliography's URLs do
//! not depend on layout, so the audit starts checking them while Typst lays
//! the document out ([`Early::start`]); once the compiled document says
//! which URLs it really holds, [`finish`] reuses what the early check found
//! and checks the rest (links in the text, a bibliography the sources did
//! not name plainly).

use std::collections::HashMap;
use std::sync::Arc;
use std::thread::JoinHandle;

use super::collect::Target;
use super::resolve::Resolver;
use super::{LinkConfig, LinkReport, LinkResult, Network, check};

/// A check running on its own thread.
pub struct Early(JoinHandle<LinkReport>);

impl Early {
    pub fn start(targets: Vec<Target>, config: &LinkConfig, resolver: Arc<dyn Resolver>) -> Self {
        let config = LinkConfig {
            // One progress bar: the final check's.
            progress: false,
            ..config.clone()
        };
        Self(std::thread::spawn(move || {
            check::check_all(targets, &config, resolver)
        }))
    }
}

/// The report on `targets`, taking from `early` what it checked. Results
/// come in the order of `targets`, each with the places `targets` gives.
pub fn finish(
    early: Option<Early>,
    targets: Vec<Target>,
    config: &LinkConfig,
    resolver: Arc<dyn Resolver>,
) -> LinkReport {
    let Some(early) = early.and_then(|Early(handle)| handle.join().ok()) else {
        return check::check_all(targets, config, resolver);
    };
    let mut known: HashMap<String, LinkResult> = early
        .results
        .into_iter()
        .map(|result| (result.target.written.clone(), result))
        .collect();
    let rest: Vec<Target> = targets
        .iter()
        .filter(|t| !known.contains_key(&t.written))
        .cloned()
        .collect();
    let mut report = LinkReport {
        results: Vec::with_capacity(targets.len()),
        network: early.network,
        cache_warnings: early.cache_warnings,
        requests: early.requests,
    };
    if !rest.is_empty() {
        let late = check::check_all(rest, config, resolver);
        if report.network == Network::Available {
            report.network = late.network;
        }
        report.cache_warnings.extend(late.cache_warnings);
        report.requests += late.requests;
        known.extend(
            late.results
                .into_iter()
                .map(|result| (result.target.written.clone(), result)),
        );
    }
    for target in targets {
        if let Some(result) = known.remove(&target.written) {
            report.results.push(LinkResult { target, ..result });
        }
    }
    report
}
