//! `local-file-link`: a link to a file on the author's own computer.

use super::{Definition, Family, RuleDoc};
use crate::audit::Severity;
use crate::audit::{AuditInput, Finding, Rule};

pub const LOCAL_FILE_LINK: Definition = Definition {
    code: "local-file-link",
    severity: Severity::Warning,
    family: Family::Links,
    doc: RuleDoc {
        summary: "a link points at a file on the author's computer",
        what: "Reports links and bibliography URLs with the `file:` scheme (`file:///C:/Users/…`) \
               and links with no scheme at all (`sources/report.pdf`, `www.example.org`), which a \
               PDF viewer opens as a file beside the PDF. Other schemes that are not the web's \
               (`mailto:`, `tel:`) are left alone: they are not checked, and not reported.",
        why: "A reader's computer has no such file: the link leads nowhere, and it may show a \
              path the author did not mean to publish.",
        example: "#link(\"file:///home/me/thesis/sources/report.pdf\")[the report]   // cite the report's entry",
    },
};

pub fn check(input: &AuditInput) -> Vec<Finding> {
    let mut findings = Vec::new();
    for link in &input.document.links {
        if let Some(local) = local(&link.url) {
            let (message, hint) = match local {
                Local::File => (
                    format!("the link {} points at a file on this computer", link.url),
                    "link to where readers can find the document (a URL, or an entry of the bibliography)"
                        .to_string(),
                ),
                Local::Relative if link.url.to_ascii_lowercase().starts_with("www.") => (
                    format!("the link {} has no scheme: a PDF viewer opens it as a file", link.url),
                    format!("write https://{}", link.url),
                ),
                Local::Relative => (
                    format!(
                        "the link {} is a path: it points at a file beside the PDF, which readers do not have",
                        link.url
                    ),
                    "link to where readers can find the document (a URL, or an entry of the bibliography)"
                        .to_string(),
                ),
            };
            let mut finding = Finding::new(Rule::LocalFileLink, message)
                .at(link.span.as_ref())
                .hint(hint);
            if let Some(note) = link.footnote.and_then(|i| input.document.footnotes.get(i)) {
                finding = finding.footnote(&note.number);
            }
            findings.push(finding);
        }
    }
    for entry in &input.bibliography.entries {
        if let Some(url) = entry
            .url_as_written
            .as_deref()
            .filter(|u| local(u) == Some(Local::File))
        {
            findings.push(
                Finding::new(
                    Rule::LocalFileLink,
                    format!(
                        "entry `{}` has the URL {url}, a file on this computer",
                        entry.key
                    ),
                )
                .at(Some(entry.url_place()))
                .key(&entry.key)
                .hint("give the address where readers find the work, or no URL"),
            );
        }
    }
    findings
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Local {
    /// `file:` URLs.
    File,
    /// No scheme: a path relative to wherever the PDF is.
    Relative,
}

fn local(url: &str) -> Option<Local> {
    let url = url.trim();
    match scheme(url) {
        Some(scheme) if scheme.eq_ignore_ascii_case("file") => Some(Local::File),
        Some(_) => None,
        // `#label` destinations never reach here; an empty URL says nothing.
        None if url.is_empty() || url.starts_with('#') => None,
        None => Some(Local::Relative),
    }
}

/// The scheme of a URL (RFC 3986: a letter, then letters, digits, `+-.`,
/// before the first `:`), if it has one.
fn scheme(url: &str) -> Option<&str> {
    let (scheme, _) = url.split_once(':')?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(scheme)
}

#[cfg(test)]
mod tests {
    use super::{Local, local};

    #[test]
    fn file_urls_and_paths_are_local_web_and_mail_are_not() {
        assert_eq!(local("file:///home/me/report.pdf"), Some(Local::File));
        assert_eq!(local("FILE:C:/Users/me/a.pdf"), Some(Local::File));
        assert_eq!(local("sources/report.pdf"), Some(Local::Relative));
        assert_eq!(local("../report.pdf"), Some(Local::Relative));
        assert_eq!(local("www.example.org/page"), Some(Local::Relative));
        assert_eq!(local("https://example.org/a:b"), None);
        assert_eq!(local("mailto:someone@example.org"), None);
        assert_eq!(local("tel:+39-06-1234"), None);
        assert_eq!(local("doi:10.1000/182"), None);
        assert_eq!(local(""), None);
    }
}
