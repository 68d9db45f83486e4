//! A document builder for unit tests of the rules: footnotes typed as their
//! author would (`_italic_` marks italics), citations made with `@`, and a
//! bibliography in Hayagriva YAML — no Typst, no disk.

use crate::audit::{AuditInput, Finding, UnknownKey, run};
use crate::bibliography::{Bibliography, parse};
use crate::document::{Citation, Document, Footnote, FootnoteKind, SourceSpan};

/// A document under construction.
#[derive(Default)]
pub struct Doc {
    document: Document,
    yaml: String,
    unknown: Vec<UnknownKey>,
}

impl Doc {
    pub fn new(yaml: &str) -> Self {
        Self {
            yaml: yaml.to_string(),
            ..Self::default()
        }
    }

    fn span(&self, line: usize) -> SourceSpan {
        SourceSpan {
            file: "main.typ".into(),
            line,
            column: 1,
            range: line * 1000..line * 1000 + 500,
        }
    }

    /// A footnote typed by hand.
    pub fn note(mut self, text: &str) -> Self {
        let mut prose = String::new();
        let mut italic = Vec::new();
        let mut open = None;
        for c in text.chars() {
            if c == '_' {
                match open.take() {
                    Some(start) => italic.push(start..prose.len()),
                    None => open = Some(prose.len()),
                }
            } else {
                prose.push(c);
            }
        }
        let n = self.document.footnotes.len() + 1;
        self.document.footnotes.push(Footnote {
            number: n.to_string(),
            page: 1,
            kind: FootnoteKind::Explanatory,
            span: Some(self.span(n)),
            marker: None,
            position: None,
            quote: None,
            text: prose.clone(),
            prose,
            italic,
            citations: Vec::new(),
            links: Vec::new(),
        });
        self
    }

    /// A footnote marked as missing its source.
    pub fn missing(mut self) -> Self {
        self = self.note("[Source missing.]");
        self.document.footnotes.last_mut().expect("a note").kind = FootnoteKind::MissingSource;
        self
    }

    /// A footnote that cites `key` with `@`.
    pub fn cite(self, key: &str, locator: Option<&str>) -> Self {
        let mut doc = self.note("").also_cite(key, locator);
        doc.document.footnotes.last_mut().expect("a note").kind = FootnoteKind::Citing;
        doc
    }

    /// Another `@` citation of `key` in the last footnote.
    pub fn also_cite(mut self, key: &str, locator: Option<&str>) -> Self {
        let n = self.document.footnotes.len() - 1;
        let index = self.document.citations.len();
        let span = self.span(n + 1);
        self.document.citations.push(Citation {
            key: key.to_string(),
            locator: locator.map(String::from),
            footnote: Some(n),
            quote: None,
            group: index,
            page: 1,
            span: Some(span),
            after: None,
            sentence: None,
        });
        self.document.footnotes[n].citations.push(index);
        self
    }

    /// A `#bibliography` in the style with this CSL id.
    pub fn style(mut self, style: &str) -> Self {
        self.document
            .bibliographies
            .push(crate::document::BibliographyPlace {
                files: vec!["refs.yaml".into()],
                style: style.to_string(),
                ..Default::default()
            });
        self
    }

    /// Writes `text` right after the last citation in the source, as the
    /// model reads it (`, S. 12.` after `@key`).
    pub fn after(mut self, text: &str) -> Self {
        if let Some(citation) = self.document.citations.last_mut() {
            citation.after = Some(text.to_string());
        }
        self
    }

    /// The sentence the last citation ends.
    pub fn sentence(mut self, text: &str) -> Self {
        if let Some(citation) = self.document.citations.last_mut() {
            citation.sentence = Some(text.to_string());
        }
        self
    }

    /// The quotation the last citation is given for.
    pub fn quote(mut self, text: &str) -> Self {
        if let Some(citation) = self.document.citations.last_mut() {
            citation.quote = Some(text.to_string());
        }
        self
    }

    /// Runs every offline rule.
    pub fn audit(&self) -> Vec<Finding> {
        let bibliography = self.bibliography();
        let input = AuditInput::new(&self.document, &bibliography, &self.unknown);
        run(&input)
    }

    /// Runs every offline rule, with the cited works' files read as
    /// `sources`.
    pub fn audit_with_sources(&self, sources: &crate::sources::SourceReport) -> Vec<Finding> {
        let bibliography = self.bibliography();
        let input =
            AuditInput::new(&self.document, &bibliography, &self.unknown).with_sources(sources);
        run(&input)
    }
}

impl Doc {
    fn bibliography(&self) -> Bibliography {
        Bibliography::new(
            vec!["refs.yaml".into()],
            parse("refs.yaml", &self.yaml).unwrap(),
        )
    }

    /// Runs every offline rule and the registry rules, with what the
    /// registries said as `report`.
    pub fn audit_with_registries(
        &self,
        report: &crate::registries::verify::RegistryReport,
    ) -> Vec<Finding> {
        let bibliography = self.bibliography();
        let input =
            AuditInput::new(&self.document, &bibliography, &self.unknown).with_registries(report);
        run(&input)
    }
}

/// The findings of one rule, as `footnote: message`.
pub fn of(findings: &[Finding], rule: crate::audit::Rule) -> Vec<String> {
    findings
        .iter()
        .filter(|f| f.rule == rule)
        .map(|f| format!("{}: {}", f.footnote.as_deref().unwrap_or("-"), f.message))
        .collect()
}

/// A finding of `rule` at the first place `marked` is written in `text`.
pub fn finding_at(rule: crate::audit::Rule, file: &str, text: &str, marked: &str) -> Finding {
    let start = text.find(marked).expect("the marked text is in the text");
    let span = crate::document::SourceSpan::in_text(file, text, start..start + marked.len());
    Finding::new(rule, format!("{} here", rule.code())).at(Some(&span))
}
