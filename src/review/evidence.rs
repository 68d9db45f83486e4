//! The review's evidence for quotations: each quotation looked up in its
//! source, shown beside the source's passage, the differences marked (the
//! quotation's words the source lacks struck through, the source's words
//! the quotation left out underlined), with the verdict and the page.

use std::io::{self, Write};

use super::html::escape;
use crate::audit::rules::{QuotationCheck, Verdict};

pub const STYLE: &str = r#"
section#quotations article { border-left: 4px solid #ccc; padding: .2rem 0 .2rem 1rem; margin: 1.2rem 0; break-inside: avoid; }
section#quotations article.found { border-color: #2e7d32; }
section#quotations article.other-page, section#quotations article.not-found { border-color: var(--error); }
section#quotations article.altered, section#quotations article.unverifiable { border-color: var(--info); }
section#quotations h3 { margin: 0; font-size: 1rem; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: .8rem; }
.pair blockquote { margin: .3rem 0; padding: .4rem .8rem; background: #f6f6f6; border-radius: 4px; }
.pair .label { display: block; color: var(--muted); font-size: .8rem; }
del { background: #fdecea; color: #8e0000; } ins { background: #e8f5e9; color: #1b5e20; text-decoration: underline; }
@media (max-width: 40rem) { .pair { grid-template-columns: 1fr; } }
"#;

/// The section, when any quotation was looked up.
pub fn write(out: &mut dyn Write, checks: &[QuotationCheck]) -> io::Result<()> {
    if checks.is_empty() {
        return Ok(());
    }
    let count = |v: Verdict| checks.iter().filter(|c| c.verdict == v).count();
    writeln!(
        out,
        "<section id=\"quotations\" aria-labelledby=\"quotations-title\">\n<h2 id=\"quotations-title\">Quotations checked against their sources</h2>"
    )?;
    writeln!(
        out,
        "<p>{} quotations looked up in the cited works' files: {} found as cited, {} on another page, {} altered, {} not found, {} not compared (another script).</p>",
        checks.len(),
        count(Verdict::Found),
        count(Verdict::OtherPage),
        count(Verdict::Altered),
        count(Verdict::NotFound),
        count(Verdict::Unverifiable)
    )?;
    for check in checks {
        let class = match check.verdict {
            Verdict::Found => "found",
            Verdict::OtherPage => "other-page",
            Verdict::Altered => "altered",
            Verdict::NotFound => "not-found",
            Verdict::Unverifiable => "unverifiable",
        };
        let note = check
            .footnote
            .as_ref()
            .map_or(String::new(), |n| format!("Note {} · ", escape(n)));
        let cited = if check.cited.is_empty() {
            String::new()
        } else {
            format!(" {}", escape(&check.cited))
        };
        writeln!(
            out,
            "<article class=\"{class}\">\n<h3>{note}<code>{}</code>{cited} · {}</h3>",
            escape(&check.key),
            escape(check.verdict.as_str())
        )?;
        let place = check.found_on.as_deref().map_or(String::new(), |p| {
            let closest = if check.verdict == Verdict::NotFound {
                "closest passage, "
            } else {
                ""
            };
            format!(" ({closest}{})", escape(p))
        });
        let passage = check
            .passage
            .as_deref()
            .map_or_else(|| "<em>no passage comes near it</em>".to_string(), marked);
        writeln!(
            out,
            "<div class=\"pair\"><blockquote><span class=\"label\">quoted</span>{}</blockquote><blockquote><span class=\"label\">{}{place}</span>{passage}</blockquote></div>\n</article>",
            escape(&check.quote),
            escape(&check.source)
        )?;
    }
    writeln!(out, "</section>")
}

/// A passage with `[-…-]` and `{+…+}` as struck and underlined text.
fn marked(passage: &str) -> String {
    let mut out = String::new();
    let mut rest = passage;
    while !rest.is_empty() {
        let del = rest.find("[-");
        let ins = rest.find("{+");
        let (at, open, close, tag) = match (del, ins) {
            (Some(d), Some(i)) if i < d => (i, "{+", "+}", "ins"),
            (Some(d), _) => (d, "[-", "-]", "del"),
            (None, Some(i)) => (i, "{+", "+}", "ins"),
            (None, None) => break,
        };
        out.push_str(&escape(&rest[..at]));
        let inner = &rest[at + open.len()..];
        let end = inner.find(close).unwrap_or(inner.len());
        out.push_str(&format!("<{tag}>{}</{tag}>", escape(&inner[..end])));
        rest = inner.get(end + close.len()..).unwrap_or("");
    }
    out.push_str(&escape(rest));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_are_struck_and_underlined_and_text_escaped() {
        assert_eq!(
            marked("the [-told-] {+ordered+} <grain>"),
            "the <del>told</del> <ins>ordered</ins> &lt;grain&gt;"
        );
    }

    #[test]
    fn each_check_is_shown_with_its_verdict_and_passage() {
        let check = QuotationCheck {
            footnote: Some("4".into()),
            key: "teiwes".into(),
            quote: "were told to report".into(),
            cited: "p. 3".into(),
            source: "books/teiwes.pdf".into(),
            verdict: Verdict::Altered,
            found_on: Some("p. 3".into()),
            passage: Some("were [-told-] {+ordered+} to report".into()),
            finding: None,
        };
        let mut out = Vec::new();
        write(&mut out, &[check]).expect("written");
        let html = String::from_utf8(out).expect("UTF-8");
        assert!(html.contains("1 quotations looked up"), "{html}");
        assert!(html.contains("class=\"altered\""), "{html}");
        assert!(
            html.contains("<del>told</del> <ins>ordered</ins>"),
            "{html}"
        );
        assert!(html.contains("books/teiwes.pdf (p. 3)"), "{html}");
        let mut none = Vec::new();
        write(&mut none, &[]).expect("written");
        assert!(none.is_empty());
    }
}
