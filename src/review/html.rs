//! The HTML report: one self-contained file (no network, no external
//! script or style) — the summary with charts of findings by chapter and
//! by rule, filters by severity and rule, then every footnote that has
//! findings as the reader sees it, with its place in the sources, the
//! findings and their remedies, and a link to its page in `review.pdf`.
//! Usable with the keyboard (native checkboxes and links, a skip link) and
//! readable when printed.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

use super::{Placed, Tally};
use crate::audit::{Finding, Severity};
use crate::document::{Document, Footnote};
use crate::report::groups;

/// What the report shows.
pub struct Report<'a> {
    /// The input, as the user named it.
    pub title: &'a str,
    pub document: &'a Document,
    pub placed: &'a [Placed<'a>],
    pub chapters: &'a [(String, Tally)],
    pub rules: &'a [(&'a str, Tally)],
    /// The PDF the notes' pages link to (the annotated one, or a PDF
    /// manuscript itself), relative to the HTML file; none for a Word file.
    pub pdf: Option<&'a str>,
    /// Pages the annotated PDF puts before the thesis's first page.
    pub pages_before: usize,
    /// The quotations looked up in their sources, shown with the evidence.
    pub quotations: &'a [crate::audit::rules::QuotationCheck],
    /// What the registries said of the entries, when they were asked.
    pub registries: Option<&'a crate::registries::verify::RegistryReport>,
}

const STYLE: &str = r#"
:root { --error: #c62828; --warning: #b26a00; --info: #1565c0; --muted: #555; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem 1.5rem 4rem; color: #111; background: #fff; }
a { color: #0b57d0; }
a:focus-visible, input:focus-visible { outline: 3px solid #f9a825; outline-offset: 2px; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; }
h1 { margin-bottom: .2rem; }
.subtitle { color: var(--muted); margin-top: 0; }
.error { color: var(--error); } .warning { color: var(--warning); } .info { color: var(--info); }
.totals span { font-weight: 600; }
figure { margin: 1rem 0; }
figcaption { font-weight: 600; margin-bottom: .3rem; }
svg text { font: 12px system-ui, sans-serif; fill: #111; }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
th, td { padding: .15rem .6rem; text-align: right; border-bottom: 1px solid #ddd; }
th:first-child, td:first-child { text-align: left; }
#filters { display: flex; flex-wrap: wrap; gap: 1rem; border: 1px solid #ccc; padding: .5rem 1rem; border-radius: 6px; position: sticky; top: 0; background: #fff; z-index: 1; }
#filters fieldset { border: none; margin: 0; padding: 0; }
#filters legend { font-weight: 600; }
#filters label { margin-right: .8rem; white-space: nowrap; }
article.note { border-left: 4px solid #ccc; padding: .2rem 0 .2rem 1rem; margin: 1.5rem 0; break-inside: avoid; }
article.note h3 { margin: 0; font-size: 1.05rem; }
article.note h3 .page { color: var(--muted); font-weight: normal; }
blockquote.text { margin: .4rem 0; padding: .4rem .8rem; background: #f6f6f6; border-radius: 4px; }
.source, .where { color: var(--muted); font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .85rem; }
ul.findings { list-style: none; padding: 0; margin: .3rem 0; }
li.finding { margin: .4rem 0; }
.badge { display: inline-block; min-width: 4.5rem; font-weight: 700; text-transform: uppercase; font-size: .75rem; }
.hint { margin-left: 4.8rem; color: #222; white-space: pre-line; }
.hint::before { content: "remedy: "; color: var(--muted); }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .9em; background: #f0f0f0; padding: 0 .2rem; border-radius: 3px; }
[hidden] { display: none !important; }
@media print {
  #filters, .skip { display: none; }
  body { max-width: none; font-size: 11pt; }
  a { color: inherit; text-decoration: none; }
  article.note { border-left-color: #999; }
}
"#;

const SCRIPT: &str = r#"
(function () {
  var form = document.getElementById('filters');
  function checked(name) {
    var set = {};
    form.querySelectorAll('input[name="' + name + '"]:checked').forEach(function (b) { set[b.value] = true; });
    return set;
  }
  function apply() {
    var severities = checked('severity'), rules = checked('rule');
    var shown = 0;
    document.querySelectorAll('li.finding').forEach(function (li) {
      var show = severities[li.dataset.severity] && rules[li.dataset.rule];
      li.hidden = !show;
      if (show) shown++;
    });
    document.querySelectorAll('article.note, section.group').forEach(function (a) {
      a.hidden = !a.querySelector('li.finding:not([hidden])');
    });
    document.getElementById('shown').textContent = shown;
  }
  form.addEventListener('change', apply);
  apply();
})();
"#;

/// Writes the report.
pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let total = report.placed.iter().fold(Tally::default(), |mut t, p| {
        t.add(p.finding.severity);
        t
    });
    head(out, report, &total)?;
    summary(out, report)?;
    filters(out, report, &total)?;
    writeln!(out, "<main id=\"notes\" tabindex=\"-1\">")?;
    writeln!(out, "<h2>Footnotes with findings</h2>")?;
    let (by_note, other) = grouped(report);
    for (index, findings) in &by_note {
        note(out, report, &report.document.footnotes[*index], findings)?;
    }
    if !other.is_empty() {
        writeln!(out, "<h2>Other findings</h2>")?;
        for (group, findings) in &other {
            writeln!(out, "<section class=\"group\">\n<h3>{}</h3>", escape(group))?;
            findings_list(out, findings)?;
            writeln!(out, "</section>")?;
        }
    }
    super::evidence::write(out, report.quotations)?;
    super::works::write(out, report.registries)?;
    writeln!(out, "</main>\n<script>{SCRIPT}</script>\n</body>\n</html>")?;
    Ok(())
}

/// The document's head, and the page's header: the title, the document's
/// size, the totals.
fn head(out: &mut dyn Write, report: &Report, total: &Tally) -> io::Result<()> {
    writeln!(
        out,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">"
    )?;
    writeln!(
        out,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    )?;
    writeln!(
        out,
        "<title>Citation audit — {}</title>",
        escape(report.title)
    )?;
    writeln!(
        out,
        "<style>{STYLE}{}</style>\n</head>\n<body>",
        super::evidence::STYLE
    )?;
    writeln!(
        out,
        "<a class=\"skip\" href=\"#notes\">Skip to the footnotes</a>"
    )?;
    writeln!(out, "<header>\n<h1>Citation audit</h1>")?;
    let pdf = report.pdf.map_or(String::new(), |pdf| {
        format!(
            " · the PDF: <a href=\"{}\">{}</a>",
            escape(pdf),
            escape(pdf)
        )
    });
    writeln!(
        out,
        "<p class=\"subtitle\">{} · {} pages · {} footnotes{pdf}</p>",
        escape(report.title),
        report.document.pages,
        report.document.footnotes.len(),
    )?;
    writeln!(
        out,
        "<p class=\"totals\" id=\"totals\"><span>{} findings</span>: <span class=\"error\">{} errors</span>, <span class=\"warning\">{} warnings</span>, <span class=\"info\">{} infos</span></p>\n</header>",
        total.total(),
        total.errors,
        total.warnings,
        total.infos
    )
}

/// The summary: findings by chapter and by rule, as charts and tables.
fn summary(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    writeln!(
        out,
        "<section id=\"summary\" aria-labelledby=\"summary-title\">"
    )?;
    writeln!(out, "<h2 id=\"summary-title\">Summary</h2>")?;
    chart(
        out,
        "chart-chapters",
        "Findings by chapter",
        report.chapters.iter().map(|(c, t)| (c.as_str(), t)),
    )?;
    chart(
        out,
        "chart-rules",
        "Findings by rule",
        report.rules.iter().map(|(r, t)| (*r, t)),
    )?;
    table(
        out,
        "By chapter",
        "chapter",
        report.chapters.iter().map(|(c, t)| (c.as_str(), t)),
    )?;
    table(
        out,
        "By rule",
        "rule",
        report.rules.iter().map(|(r, t)| (*r, t)),
    )?;
    writeln!(out, "</section>")
}

/// Findings by footnote index in document order, and the others by
/// where they belong (their source file).
type Grouped<'r, 'a> = (
    BTreeMap<usize, Vec<&'r Placed<'a>>>,
    BTreeMap<&'r str, Vec<&'r Placed<'a>>>,
);

fn grouped<'r, 'a>(report: &'r Report<'a>) -> Grouped<'r, 'a> {
    let index_of: HashMap<&str, usize> = report
        .document
        .footnotes
        .iter()
        .enumerate()
        .rev()
        .map(|(i, f)| (f.number.as_str(), i))
        .collect();
    let mut by_note: BTreeMap<usize, Vec<&Placed>> = BTreeMap::new();
    let mut other: BTreeMap<&str, Vec<&Placed>> = BTreeMap::new();
    for placed in report.placed {
        let index = placed
            .finding
            .footnote
            .as_ref()
            .and_then(|n| index_of.get(n.as_str()).copied());
        match index {
            Some(i) => by_note.entry(i).or_default().push(placed),
            None => other
                .entry(group_of(placed.finding))
                .or_default()
                .push(placed),
        }
    }
    (by_note, other)
}

/// One footnote's article: its text, where it is, and its findings.
fn note(
    out: &mut dyn Write,
    report: &Report,
    note: &Footnote,
    findings: &[&Placed],
) -> io::Result<()> {
    writeln!(
        out,
        "<article class=\"note\" id=\"note-{}\" aria-labelledby=\"note-{}-title\">",
        escape(&note.number),
        escape(&note.number)
    )?;
    let link = report.pdf.map_or(String::new(), |pdf| {
        format!(
            " · <a href=\"{pdf}#page={target}\">see it in {pdf}</a>",
            pdf = escape(pdf),
            target = note.page + report.pages_before
        )
    });
    writeln!(
        out,
        "<h3 id=\"note-{n}-title\">Footnote {n} <span class=\"page\">· page {p}</span>{link}</h3>",
        n = escape(&note.number),
        p = note.page,
    )?;
    writeln!(
        out,
        "<blockquote class=\"text\">{}</blockquote>",
        escape(&note.text)
    )?;
    if let Some(span) = &note.span {
        writeln!(
            out,
            "<p class=\"source\">{}:{}:{}</p>",
            escape(&span.file),
            span.line,
            span.column
        )?;
    }
    findings_list(out, findings)?;
    writeln!(out, "</article>")
}

/// Where a finding without a footnote belongs: its source file.
fn group_of(finding: &Finding) -> &str {
    finding
        .span
        .as_ref()
        .map_or("The document", |span| span.file.as_str())
}

fn findings_list(out: &mut dyn Write, findings: &[&Placed]) -> io::Result<()> {
    writeln!(out, "<ul class=\"findings\">")?;
    // Many findings that say the same of different entries fold into one
    // item that opens to them all.
    for group in groups::group(findings.iter().map(|p| p.finding)) {
        if group.collapsed() {
            writeln!(
                out,
                "<li class=\"alike\"><details><summary>{} × <code>{}</code> {}</summary><ul class=\"findings\">",
                group.members.len(),
                group.rule.code(),
                escape(&group.pattern)
            )?;
        }
        for finding in &group.members {
            finding_item(out, finding)?;
        }
        if group.collapsed() {
            writeln!(out, "</ul></details></li>")?;
        }
    }
    writeln!(out, "</ul>")
}

fn finding_item(out: &mut dyn Write, finding: &Finding) -> io::Result<()> {
    let severity = finding.severity.as_str();
    write!(
        out,
        "<li class=\"finding\" data-severity=\"{severity}\" data-rule=\"{rule}\"><span class=\"badge {severity}\">{severity}</span> <code>{rule}</code> {}",
        escape(&finding.message),
        rule = finding.rule.code()
    )?;
    if let Some(hint) = &finding.hint {
        write!(out, "<div class=\"hint\">{}</div>", escape(hint))?;
    }
    if let Some(span) = &finding.span {
        write!(
            out,
            "<div class=\"where\">{}:{}:{}</div>",
            escape(&span.file),
            span.line,
            span.column
        )?;
    }
    writeln!(out, "</li>")
}

fn filters(out: &mut dyn Write, report: &Report, total: &Tally) -> io::Result<()> {
    writeln!(
        out,
        "<form id=\"filters\" aria-label=\"Filter the findings\">"
    )?;
    writeln!(out, "<fieldset><legend>Severity</legend>")?;
    for (severity, n) in [
        (Severity::Error, total.errors),
        (Severity::Warning, total.warnings),
        (Severity::Info, total.infos),
    ] {
        let name = severity.as_str();
        writeln!(
            out,
            "<label><input type=\"checkbox\" name=\"severity\" value=\"{name}\" checked> <span class=\"{name}\">{name}</span> ({n})</label>"
        )?;
    }
    writeln!(out, "</fieldset>\n<fieldset><legend>Rule</legend>")?;
    for (rule, tally) in report.rules {
        writeln!(
            out,
            "<label><input type=\"checkbox\" name=\"rule\" value=\"{rule}\" checked> <code>{rule}</code> ({})</label>",
            tally.total()
        )?;
    }
    writeln!(
        out,
        "</fieldset>\n<p aria-live=\"polite\"><span id=\"shown\">{}</span> findings shown</p>\n</form>",
        total.total()
    )
}

/// A horizontal stacked bar chart (errors, warnings, infos) as inline SVG.
fn chart<'a>(
    out: &mut dyn Write,
    id: &str,
    caption: &str,
    rows: impl Iterator<Item = (&'a str, &'a Tally)>,
) -> io::Result<()> {
    let rows: Vec<(&str, &Tally)> = rows.collect();
    let max = rows
        .iter()
        .map(|(_, t)| t.total())
        .max()
        .unwrap_or(0)
        .max(1);
    let (label_width, bar_width, row_height) = (260.0, 380.0, 22.0);
    let height = row_height * rows.len() as f64 + 8.0;
    writeln!(
        out,
        "<figure id=\"{id}\">\n<figcaption>{}</figcaption>",
        escape(caption)
    )?;
    let summary: Vec<String> = rows
        .iter()
        .map(|(name, t)| format!("{name}: {}", t.total()))
        .collect();
    writeln!(
        out,
        "<svg role=\"img\" aria-label=\"{}\" width=\"{}\" height=\"{height}\" viewBox=\"0 0 {} {height}\">",
        escape(&format!("{caption}. {}", summary.join("; "))),
        label_width + bar_width + 50.0,
        label_width + bar_width + 50.0
    )?;
    for (i, (name, tally)) in rows.iter().enumerate() {
        let y = i as f64 * row_height + 4.0;
        let label: String = if name.chars().count() > 38 {
            format!("{}…", name.chars().take(37).collect::<String>())
        } else {
            name.to_string()
        };
        writeln!(
            out,
            "<text x=\"0\" y=\"{:.1}\">{}</text>",
            y + 14.0,
            escape(&label)
        )?;
        let mut x = label_width;
        for (n, color) in [
            (tally.errors, "#c62828"),
            (tally.warnings, "#f9a825"),
            (tally.infos, "#1e88e5"),
        ] {
            if n == 0 {
                continue;
            }
            let w = bar_width * n as f64 / max as f64;
            writeln!(
                out,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"16\" fill=\"{color}\"/>"
            )?;
            x += w;
        }
        writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            x + 6.0,
            y + 14.0,
            tally.total()
        )?;
    }
    writeln!(out, "</svg>\n</figure>")
}

fn table<'a>(
    out: &mut dyn Write,
    caption: &str,
    header: &str,
    rows: impl Iterator<Item = (&'a str, &'a Tally)>,
) -> io::Result<()> {
    writeln!(
        out,
        "<table>\n<caption>{}</caption>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">errors</th><th scope=\"col\">warnings</th><th scope=\"col\">infos</th></tr></thead>\n<tbody>",
        escape(caption),
        escape(header)
    )?;
    for (name, t) in rows {
        writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(name),
            t.errors,
            t.warnings,
            t.infos
        )?;
    }
    writeln!(out, "</tbody>\n</table>")
}

/// Text for HTML content and attribute values.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn text_is_escaped_for_html() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
