//! What a long-running session (`ibid watch`, the editor server) knows of
//! its URLs: each round reports the links from the results already known
//! (the cache's, or this session's) and hands back the URLs not yet known,
//! which a background check settles once. Typing and compiling never wait
//! for the network.

use std::collections::{HashMap, HashSet};

use super::collect::Target;
use super::{LinkReport, LinkResult};

#[derive(Debug, Default)]
pub struct Session {
    known: HashMap<String, LinkResult>,
    pending: HashSet<String>,
}

impl Session {
    /// The report of the URLs already known, and those not yet known nor
    /// being checked (marked as being checked when `check`; otherwise they
    /// are left for a later round).
    pub fn round(&mut self, targets: Vec<Target>, check: bool) -> (LinkReport, Vec<Target>) {
        let mut report = LinkReport::default();
        let mut fresh = Vec::new();
        for target in targets {
            if let Some(known) = self.known.get(&target.written) {
                report.results.push(LinkResult {
                    target,
                    ..known.clone()
                });
            } else if check && self.pending.insert(target.written.clone()) {
                fresh.push(target);
            }
        }
        (report, fresh)
    }

    /// A background check's results, known from now on; `sent` are no
    /// longer pending, answered or not.
    pub fn settle(&mut self, report: LinkReport, sent: &[String]) {
        for result in report.results {
            self.known.insert(result.target.written.clone(), result);
        }
        for written in sent {
            self.pending.remove(written);
        }
    }

    /// Whether a check is running.
    pub fn busy(&self) -> bool {
        !self.pending.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::links::Outcome;

    fn target(url: &str) -> Target {
        Target {
            written: url.into(),
            sites: Vec::new(),
        }
    }

    #[test]
    fn a_url_is_checked_once_and_then_known() {
        let mut session = Session::default();
        let (report, fresh) = session.round(vec![target("https://a.org")], true);
        assert!(report.results.is_empty());
        assert_eq!(fresh.len(), 1);
        assert!(session.busy());
        // Asked again while pending: not sent twice.
        let (_, again) = session.round(vec![target("https://a.org")], true);
        assert!(again.is_empty());
        let result = LinkResult {
            target: target("https://a.org"),
            outcome: Outcome::Alive,
            cached: false,
        };
        session.settle(
            LinkReport {
                results: vec![result],
                ..Default::default()
            },
            &["https://a.org".into()],
        );
        assert!(!session.busy());
        let (report, fresh) = session.round(vec![target("https://a.org")], true);
        assert_eq!(report.results.len(), 1);
        assert!(fresh.is_empty());
        // Without `check`, an unknown URL is neither reported nor sent.
        let (report, fresh) = session.round(vec![target("https://b.org")], false);
        assert!(report.results.is_empty() && fresh.is_empty() && !session.busy());
    }
}
