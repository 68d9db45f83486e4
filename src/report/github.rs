//! Findings as GitHub Actions workflow commands, one a line:
//! `::error file=…,line=…,col=…,title=rule::message`, which GitHub shows as
//! annotations on the lines of the pull request. Infos are `::notice`.
//! Columns count from 1, as GitHub counts them.

use std::io::{self, Write};

use super::{Emitter, Report};
use crate::audit::Severity;

pub struct Github;

impl Emitter for Github {
    fn emit(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let findings = report.findings;
        for finding in findings {
            let command = match finding.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let mut properties = Vec::new();
            if let Some(span) = &finding.span {
                properties.push(format!("file={}", property(&span.file)));
                properties.push(format!("line={}", span.line));
                properties.push(format!("col={}", span.column));
            }
            properties.push(format!("title={}", property(finding.rule.code())));
            let mut message = finding.message.clone();
            if let Some(hint) = &finding.hint {
                message.push_str("\nhint: ");
                message.push_str(hint);
            }
            writeln!(
                out,
                "::{command} {}::{}",
                properties.join(","),
                data(&message)
            )?;
        }
        Ok(())
    }
}

/// A command's message, escaped as the runner expects (`%`, CR, LF).
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value, escaped further (`:` and `,` end it otherwise).
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::Finding;
    use crate::audit::Rule;
    use crate::document::SourceSpan;

    #[test]
    fn a_finding_is_one_escaped_workflow_command() {
        let text = "a\nb, c: 100% #footnote[Ibid.]\n";
        let at = text.find("#footnote").unwrap();
        let finding = Finding::new(Rule::AmbiguousIbid, "footnote 2 begins with “Ibid.”: 50%")
            .at(Some(&SourceSpan::in_text("ch, 1.typ", text, at..at + 16)))
            .hint("cite it\nin full");
        let mut out = Vec::new();
        Github.emit(&Report::of(&[finding]), &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "::error file=ch%2C 1.typ,line=2,col=12,title=ambiguous-ibid::footnote 2 begins with \
             “Ibid.”: 50%25%0Ahint: cite it%0Ain full\n"
        );
    }
}
