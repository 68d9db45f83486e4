//! `mixed-locator-style`: a document that writes its locators several ways.

use std::collections::BTreeMap;

use super::{Definition, Family, RuleDoc};
use crate::audit::Severity;
use crate::audit::fix::Fix;
use crate::audit::locators::Site;
use crate::audit::{AuditInput, Finding, Rule};

pub const MIXED_LOCATOR_STYLE: Definition = Definition {
    code: "mixed-locator-style",
    severity: Severity::Warning,
    family: Family::Locators,
    doc: RuleDoc {
        summary: "the document mixes locator styles",
        what: "Counts how the document writes its page locators: the label (`p./pp.` beside Italian \
               `pag./pagg.`, `page/pages`, German `S.`, and their capitalisation), the dash in ranges \
               (`-`, `--`, `–`, `—`) and the space after the label (`p. 5` or `p.5`). When one of these \
               varies, it reports once for the document, with the count of each style and every site \
               that departs from the most common one.",
        why: "A consistent style is part of what a reader and an examiner expect of a thesis; mixing \
              `pag. 387` and `p. 475` in one work looks careless and hides real errors among the noise.",
        example: "@yang2007[pag. 387] … @yang2007[p. 475]   // pick one: p./pp.",
    },
};

/// Reads one aspect of a locator's style.
type StyleOf = fn(&Site) -> Option<String>;

pub fn check(input: &AuditInput) -> Vec<Finding> {
    let sites = input.locator_sites();
    // Where the style has a rule for page labels, `locator-label-style`
    // holds the labels to it; the majority does not decide them.
    let labels: StyleOf = if super::label_style::rule_of(input).is_some() {
        |_| None
    } else {
        label
    };
    let aspects: [(&str, StyleOf); 3] =
        [("labels", labels), ("dashes", dash), ("spacing", spacing)];
    // The space the document puts after its labels: `p.~45` (a
    // non-breaking space) where most are written so.
    let unbreakable = sites.iter().filter(|s| s.text.contains('\u{a0}')).count();
    let breakable = sites
        .iter()
        .filter(|s| s.text.contains(' ') && !s.text.contains('\u{a0}'))
        .count();
    let space = if unbreakable > breakable {
        '\u{a0}'
    } else {
        ' '
    };
    let mut parts = Vec::new();
    let mut departing: Vec<(&Site, String)> = Vec::new();
    let mut majorities: [Option<String>; 3] = [None, None, None];
    for (n, (aspect, style_of)) in aspects.into_iter().enumerate() {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for style in sites.iter().filter_map(style_of) {
            *counts.entry(style).or_default() += 1;
        }
        if counts.len() < 2 {
            continue;
        }
        // The most common style; on a tie, the more conventional one, so
        // that the advice never asks well-written sites to change.
        let majority = counts
            .iter()
            .max_by_key(|(style, n)| (**n, std::cmp::Reverse(convention(style))))
            .map(|(s, _)| s.clone());
        let Some(majority) = majority else { continue };
        majorities[n] = Some(majority.clone());
        let list: Vec<String> = counts
            .iter()
            .map(|(style, n)| format!("{style} ×{n}"))
            .collect();
        parts.push(format!("{aspect}: {} (most: {majority})", list.join(", ")));
        for site in sites {
            if let Some(style) = style_of(site).filter(|s| *s != majority) {
                departing.push((site, format!("{style} instead of {majority}")));
            }
        }
    }
    let Some((first, _)) = departing.first() else {
        return Vec::new();
    };
    let list: Vec<String> = departing
        .iter()
        .map(|(site, why)| {
            let place = site.span.as_ref().map_or("?".to_string(), |s| {
                format!("{}:{}:{}", s.file, s.line, s.column)
            });
            format!("{place} `{}` ({why})", site.text)
        })
        .collect();
    let mut finding = Finding::new(
        Rule::MixedLocatorStyle,
        format!(
            "the document writes its locators in mixed styles: {}",
            parts.join("; ")
        ),
    )
    .at(first.span.as_ref())
    .hint(format!(
        "make them uniform; {} from the most common style:\n{}",
        match departing.len() {
            1 => "1 site departs".to_string(),
            n => format!("{n} sites depart"),
        },
        list.join("\n")
    ));
    if let Some(number) = &first.footnote {
        finding = finding.footnote(number);
    }
    let [labels, dashes, spaces] = &majorities;
    let mut edits = Vec::new();
    let mut seen = Vec::new();
    for (site, _) in &departing {
        if seen.contains(&site.span) {
            continue;
        }
        seen.push(site.span.clone());
        let fixed = restyle(
            site,
            labels.as_deref(),
            dashes.as_deref(),
            spaces.as_deref(),
            space,
        )
        // Typst markup writes the non-breaking space as `~`.
        .map(|fixed| fixed.replace('\u{a0}', "~"));
        if let Some(fix) = fixed.and_then(|fixed| site.rewrite(&fixed)) {
            edits.extend(fix.edits);
        }
    }
    if !edits.is_empty() {
        finding = finding.fix(Some(Fix::safe(
            "write every locator in the most common style",
            edits,
        )));
    }
    vec![finding]
}

/// A locator written in the given styles (a label family as `label` names
/// it, a dash, a spacing), each where the locator departs from it.
fn restyle(
    site: &Site,
    labels: Option<&str>,
    dashes: Option<&str>,
    spaces: Option<&str>,
    space: char,
) -> Option<String> {
    let locator = site.parsed.as_ref().ok()?;
    let mut text = site.text.clone();
    let mut cursor = 0;
    for part in locator.page_parts() {
        let Some(label) = part.label.as_deref() else {
            continue;
        };
        let at = cursor + text.get(cursor..)?.find(label)?;
        let mut new_label = label.to_string();
        // A label is rewritten only into a family of its own language's
        // (`pag.` → `p.` in Italian; never `S.` → `p.` or `p.` → `S.`: a
        // note in another language keeps that language's labels).
        if let Some(style) = labels
            && let Some(family) = crate::locator::labels::family_named(&style.to_lowercase())
            && part.family.is_none_or(|own| own.shares_language(family))
        {
            let form = if part.plural_label {
                family.plural
            } else {
                family.singular
            };
            new_label = if style.starts_with(char::is_uppercase) {
                capitalise(form)
            } else {
                form.to_string()
            };
        }
        text.replace_range(at..at + label.len(), &new_label);
        let mut end = at + new_label.len();
        let spaced = text[end..].starts_with(char::is_whitespace);
        match spaces {
            Some("space after the label") if !spaced => text.insert(end, space),
            Some("no space after the label") if spaced => {
                let width = text[end..].len() - text[end..].trim_start().len();
                text.replace_range(end..end + width, "");
            }
            _ => {}
        }
        end = text[end..]
            .find(|c: char| !c.is_whitespace())
            .map_or(end, |n| end + n);
        if let Some(dash) = dashes.map(|d| d.trim_matches('`')) {
            let mut written: Vec<&str> = part.dashes.iter().map(String::as_str).collect();
            written.sort_by_key(|d| std::cmp::Reverse(d.len()));
            written.dedup();
            let mut tail = text[end..].to_string();
            for old in written.iter().filter(|d| **d != dash) {
                tail = tail.replace(old, "\u{0}");
            }
            text = format!("{}{}", &text[..end], tail.replace('\u{0}', dash));
        }
        cursor = end;
    }
    Some(text)
}

/// How conventional a style is (lower is more): a space after the label,
/// the en dash in ranges, `p./pp.` labels, lower case.
fn convention(style: &str) -> (u8, String) {
    let rank = match style {
        "space after the label" => 0,
        "no space after the label" => 1,
        "`–`" => 0,
        "`-`" => 1,
        "`--`" => 2,
        "`—`" => 3,
        "p./pp." => 0,
        _ if style.starts_with(char::is_uppercase) => 2,
        _ => 1,
    };
    (rank, style.to_string())
}

/// The label style of the first labelled page part: its family, and its
/// capital when it has one.
fn label(site: &Site) -> Option<String> {
    let locator = site.parsed.as_ref().ok()?;
    let part = locator.page_parts().find(|p| p.label.is_some())?;
    let label = part.label.as_deref()?;
    let family = part.family?.name;
    let capital = label.starts_with(char::is_uppercase) && family != "S.";
    Some(if capital {
        capitalise(family)
    } else {
        family.to_string()
    })
}

fn capitalise(family: &str) -> String {
    family
        .split('/')
        .map(|l| {
            let mut chars = l.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        })
        .collect::<Vec<String>>()
        .join("/")
}

fn dash(site: &Site) -> Option<String> {
    let locator = site.parsed.as_ref().ok()?;
    locator
        .page_parts()
        .find_map(|p| p.dashes.first())
        .map(|d| format!("`{d}`"))
}

fn spacing(site: &Site) -> Option<String> {
    let locator = site.parsed.as_ref().ok()?;
    let spaced = locator.page_parts().find_map(|p| p.spaced)?;
    Some(if spaced {
        "space after the label".into()
    } else {
        "no space after the label".into()
    })
}

#[cfg(test)]
mod tests {
    use crate::audit::Rule;
    use crate::audit::fix::Edit;
    use crate::audit::testing::Doc;

    const BOOK: &str = "a:\n  type: book\n  title: A Book\n  author: Doe, Jane\n  date: 2001\n";

    /// What the rule's fix writes at each site it changes.
    fn rewritten(locators: &[&str]) -> Vec<String> {
        let mut doc = Doc::new(BOOK);
        for locator in locators {
            doc = doc.cite("a", Some(locator));
        }
        let findings = doc.audit();
        let Some(finding) = findings.iter().find(|f| f.rule == Rule::MixedLocatorStyle) else {
            return Vec::new();
        };
        finding
            .fix
            .iter()
            .flat_map(|fix| &fix.edits)
            .filter_map(|edit| match edit {
                Edit::Replace { find, with, .. } => Some(format!("{find} → {with}")),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn labels_become_the_majority_s_within_one_language() {
        assert_eq!(
            rewritten(&["p. 5", "pp. 7-9", "pag. 12"]),
            ["pag. 12 → p. 12"]
        );
    }

    #[test]
    fn an_inserted_space_is_the_document_s_own() {
        // Most locators are written `p.~45`: the fix writes `~` too, and
        // keeps the `~` of a site it rewrites for another reason.
        assert_eq!(
            rewritten(&["p.\u{a0}45", "pp.\u{a0}3–4", "p.167", "pp.\u{a0}7-9"]),
            ["pp.\u{a0}7-9 → pp.~7–9", "p.167 → p.~167"]
        );
    }

    #[test]
    fn labels_follow_the_style_not_the_majority() {
        // Chicago notes print no `p.`: the majority of `p.` is not imposed
        // on the bare page (`locator-label-style` reports the labels).
        let mut doc =
            Doc::new(BOOK).style("http://www.zotero.org/styles/chicago-notes-bibliography");
        for locator in ["p. 5", "p. 7", "9"] {
            doc = doc.cite("a", Some(locator));
        }
        let findings = doc.audit();
        assert!(!findings.iter().any(|f| f.rule == Rule::MixedLocatorStyle));
        assert_eq!(
            findings
                .iter()
                .filter(|f| f.rule == Rule::LocatorLabelStyle)
                .count(),
            2
        );
    }

    #[test]
    fn a_label_of_another_language_keeps_its_label() {
        // German `S.` is the majority; the English `p.` is not rewritten to
        // `S.`, nor the other way round.
        assert!(rewritten(&["S. 5", "S. 7", "p. 21"]).is_empty());
        assert!(rewritten(&["p. 5", "p. 7", "S. 61 f."]).is_empty());
        // Dashes still agree across languages.
        assert_eq!(
            rewritten(&["S. 5–6", "S. 7–9", "p. 21-22"]),
            ["p. 21-22 → p. 21–22"]
        );
    }
}
