//! The review's table of the works checked against the scholarly
//! registries: for each entry asked about, what the registries said, which
//! registry, by which identifier, and when.

use std::io::{self, Write};

use super::html::escape;
use crate::registries::verify::{RegistryReport, Verification};

/// The section, when any entry was asked about.
pub fn write(out: &mut dyn Write, report: Option<&RegistryReport>) -> io::Result<()> {
    let Some(report) = report.filter(|r| !r.results.is_empty()) else {
        return Ok(());
    };
    writeln!(
        out,
        "<section id=\"registries\" aria-labelledby=\"registries-title\">\n<h2 id=\"registries-title\">Works checked against the registries</h2>"
    )?;
    if !report.online {
        writeln!(
            out,
            "<p>Offline: only answers already in the cache are shown; the others are unverified.</p>"
        )?;
    }
    writeln!(
        out,
        "<table>\n<thead><tr><th scope=\"col\">Entry</th><th scope=\"col\">Outcome</th><th scope=\"col\">Verified against</th><th scope=\"col\">Identifier</th><th scope=\"col\">Checked</th></tr></thead>\n<tbody>"
    )?;
    for (key, verifications) in &report.results {
        for verification in verifications {
            let row = Row::of(verification);
            writeln!(
                out,
                "<tr class=\"{}\"><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                row.class,
                escape(key),
                escape(&row.outcome),
                escape(row.registry),
                escape(&row.id),
                row.checked,
            )?;
        }
    }
    writeln!(out, "</tbody>\n</table>\n</section>")
}

/// One verification as a row of the table.
struct Row<'a> {
    class: &'static str,
    outcome: String,
    registry: &'a str,
    id: String,
    checked: String,
}

impl<'a> Row<'a> {
    fn of(verification: &'a Verification) -> Row<'a> {
        let row = |class, outcome: &str, registry, id: &str| Row {
            class,
            outcome: outcome.to_string(),
            registry,
            id: id.to_string(),
            checked: "—".into(),
        };
        match verification {
            Verification::Verified {
                registry,
                id,
                checked,
                extent,
            } => {
                let mut outcome = String::from(if id.is_empty() {
                    "verified (found by a search)"
                } else {
                    "verified"
                });
                if let Some(extent) = extent {
                    outcome.push_str(&format!(", pages {}–{}", extent.first, extent.last));
                }
                Row {
                    class: "found",
                    outcome,
                    registry,
                    id: if id.is_empty() {
                        "—".into()
                    } else {
                        id.clone()
                    },
                    checked: date(*checked),
                }
            }
            Verification::Mismatch { registry, id, .. } => {
                row("warning", "differs from the entry", registry, id)
            }
            Verification::DoiNotFound { doi } => row("error", "DOI not registered", "doi.org", doi),
            Verification::Retracted { id, .. } => {
                row("error", "retracted", "Crossref/OpenAlex", id)
            }
            Verification::Updated { id, .. } => row("info", "updated", "Crossref", id),
            Verification::NotFound { asked } => Row {
                class: "warning",
                outcome: "not found".into(),
                registry: "",
                id: format!("asked: {}", asked.join(", ")),
                checked: "—".into(),
            },
            Verification::MissingIdentifier { kind, id } => Row {
                class: "info",
                outcome: format!("found; the entry lacks its {kind}"),
                registry: "",
                id: id.clone(),
                checked: "—".into(),
            },
            Verification::Unverified { why } => Row {
                class: "muted",
                outcome: format!("unverified: {why}"),
                registry: "",
                id: "—".into(),
                checked: "—".into(),
            },
        }
    }
}

/// A date of checking, `YYYY-MM-DD` (UTC).
fn date(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0)
        .map_or_else(|| "—".into(), |d| d.format("%Y-%m-%d").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registries::verify::Extent;

    #[test]
    fn each_entry_with_its_registry_identifier_and_date() {
        let report = RegistryReport {
            results: vec![
                (
                    "marsh2014".into(),
                    vec![Verification::Verified {
                        registry: "Open Library",
                        id: "9781555501235".into(),
                        checked: 1_780_000_000,
                        extent: Some(Extent {
                            first: 1,
                            last: 412,
                        }),
                    }],
                ),
                (
                    "ghost<2019>".into(),
                    vec![Verification::DoiNotFound {
                        doi: "10.5555/x".into(),
                    }],
                ),
            ],
            online: true,
            warnings: Vec::new(),
        };
        let mut out = Vec::new();
        write(&mut out, Some(&report)).unwrap();
        let html = String::from_utf8(out).unwrap();
        assert!(
            html.contains("<td><code>marsh2014</code></td><td>verified, pages 1–412</td><td>Open Library</td><td>9781555501235</td><td>2026-05-28</td>"),
            "{html}"
        );
        assert!(
            html.contains("<code>ghost&lt;2019&gt;</code></td><td>DOI not registered"),
            "{html}"
        );
        // Nothing asked, nothing shown.
        let mut out = Vec::new();
        write(&mut out, Some(&RegistryReport::default())).unwrap();
        write(&mut out, None).unwrap();
        assert!(out.is_empty());
    }
}
