//! The link rules: `dead-link`, `moved-link`, `blocked-link`,
//! `unreachable-link`, `unverified-link`, one finding for each place that
//! holds a checked URL (an entry, a `#link`, a URL pasted in a footnote).

use super::{Definition, Family, RuleDoc};
use crate::audit::Severity;
use crate::audit::{AuditInput, Finding, Rule};
use crate::links::{Holder, Outcome, Site};

pub const DEAD_LINK: Definition = Definition {
    code: "dead-link",
    severity: Severity::Error,
    family: Family::Links,
    doc: RuleDoc {
        summary: "a URL leads nowhere: 404, 410, or a host that does not exist",
        what: "Checks every URL of the bibliography, of `#link`s and of URLs pasted in footnotes \
               as lychee does. Reports those whose server answers 404 or 410 (or another 4xx that is not \
               about permission), or whose host does not exist, with an archived copy from the Wayback \
               Machine when there is one.",
        why: "A dead URL is a source the reader cannot consult; an examiner following it finds nothing.",
        example: "url: { value: http://example.org/gone.htm, date: 2009-10-13 }   // 404",
    },
};
pub const MOVED_LINK: Definition = Definition {
    code: "moved-link",
    severity: Severity::Warning,
    family: Family::Links,
    doc: RuleDoc {
        summary: "a URL moved permanently (301, 308)",
        what: "Reports a URL whose server redirects permanently, with the new address in the hint.",
        why: "The old address works today through the redirect, but redirects are dropped when sites \
              change again; the thesis should cite where the page is.",
        example: "http://zh.wikipedia.org/wiki/… → https://zh.wikipedia.org/wiki/…",
    },
};
pub const BLOCKED_LINK: Definition = Definition {
    code: "blocked-link",
    severity: Severity::Info,
    family: Family::Links,
    doc: RuleDoc {
        summary: "the server refuses to say whether a page exists (401, 403, 429, …)",
        what: "Reports URLs answered with 401, 403, 405, 406, 429 or 451: the server keeps automated \
               checkers out, which says nothing about the page.",
        why: "Not a finding against the thesis, but a URL no tool can vouch for: check it by hand.",
        example: "https://example.org/paywalled   // 403",
    },
};
pub const UNREACHABLE_LINK: Definition = Definition {
    code: "unreachable-link",
    severity: Severity::Warning,
    family: Family::Links,
    doc: RuleDoc {
        summary: "a URL could not be reached: timeout, refused connection, TLS failure",
        what: "Reports URLs that gave no answer after the retries (`--max-retries`) within the \
               timeout (`--timeout`), whose connection was refused, whose TLS failed, that redirect in a \
               loop, or whose server keeps failing (5xx).",
        why: "The page may be gone or only down today; it needs a second look.",
        example: "http://news.xinhuanet.com/…   // connection timed out",
    },
};
pub const UNVERIFIED_LINK: Definition = Definition {
    code: "unverified-link",
    severity: Severity::Info,
    family: Family::Links,
    doc: RuleDoc {
        summary: "a URL was not checked",
        what: "Reports URLs not checked: `--offline`, excluded by `--exclude`, a private, loopback or \
               link-local address (not probed unless `--allow-private`), or no network at all (no host \
               could be resolved or reached: then every URL is unverified, never dead).",
        why: "So that an audit says what it did not check, instead of passing it as fine.",
        example: "ibid audit --offline",
    },
};

pub fn check(input: &AuditInput) -> Vec<Finding> {
    let Some(report) = input.links else {
        return Vec::new();
    };
    let mut findings = Vec::new();
    for result in &report.results {
        for site in &result.target.sites {
            let what = describe(site, &result.target.written);
            let finding = match &result.outcome {
                Outcome::Alive => continue,
                Outcome::Dead {
                    reason, archived, ..
                } => {
                    let hint = match archived {
                        Some(copy) => format!("an archived copy exists: {copy}"),
                        None => "find where the page went, or cite an archived copy (https://web.archive.org)".into(),
                    };
                    Finding::new(Rule::DeadLink, format!("{what} is dead: {reason}")).hint(hint)
                }
                Outcome::Moved { to, code } => Finding::new(
                    Rule::MovedLink,
                    format!("{what} moved permanently ({code})"),
                )
                .hint(format!("update it to {to}")),
                Outcome::Blocked {
                    code,
                    retry_after: Some(wait),
                } => Finding::new(
                    Rule::BlockedLink,
                    format!(
                        "{what} could not be checked: the server answers {code} and asks to \
                         wait {wait} s (Retry-After), longer than the check may wait"
                    ),
                )
                .hint("check it later, or raise --timeout and --max-retries"),
                Outcome::Blocked { code, .. } => Finding::new(
                    Rule::BlockedLink,
                    format!("{what} could not be checked: the server answers {code}"),
                )
                .hint("the server keeps checkers out; open the page in a browser"),
                Outcome::Unreachable { reason } => Finding::new(
                    Rule::UnreachableLink,
                    format!("{what} could not be reached: {reason}"),
                )
                .hint("try again later, or raise --timeout and --max-retries"),
                Outcome::Unverified { reason } => Finding::new(
                    Rule::UnverifiedLink,
                    format!("{what} was not checked: {reason}"),
                ),
            };
            let mut finding = finding.at(site.span.as_ref());
            match &site.holder {
                Holder::Entry { key } => finding = finding.key(key),
                Holder::Link { footnote: Some(n) } | Holder::Prose { footnote: n } => {
                    finding = finding.footnote(n)
                }
                Holder::Link { footnote: None } => {}
            }
            findings.push(finding);
        }
    }
    findings
}

fn describe(site: &Site, url: &str) -> String {
    match &site.holder {
        Holder::Entry { key } => format!("the URL of `{key}`, {url},"),
        Holder::Link { footnote: Some(n) } => format!("the link {url} in footnote {n}"),
        Holder::Link { footnote: None } => format!("the link {url}"),
        Holder::Prose { footnote } => format!("the URL {url} typed in footnote {footnote}"),
    }
}
