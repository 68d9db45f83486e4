//! `mixed-locator-style`: a document that writes its locators several ways.

use std::collections::BTreeMap;

use super::{Definition, Family, RuleDoc};
use crate::audit::Severity;
use crate::audit::locators::Site;
use crate::audit::{AuditInput, Finding, Rule};
use crate::locator::Kind;

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
    let aspects: [(&str, StyleOf); 3] = [("labels", label), ("dashes", dash), ("spacing", spacing)];
    let mut parts = Vec::new();
    let mut departing: Vec<(&Site, String)> = Vec::new();
    for (aspect, style_of) in aspects {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for style in sites.iter().filter_map(style_of) {
            *counts.entry(style).or_default() += 1;
        }
        if counts.len() < 2 {
            continue;
        }
        let majority = counts
            .iter()
            .max_by_key(|(style, n)| (**n, std::cmp::Reverse((*style).clone())))
            .map(|(s, _)| s.clone());
        let Some(majority) = majority else { continue };
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
        "make them uniform; {} sites depart from the most common style: {}",
        departing.len(),
        list.join("; ")
    ));
    if let Some(number) = &first.footnote {
        finding = finding.footnote(number);
    }
    vec![finding]
}

/// The label style: its family, and its capital when it has one.
fn label(site: &Site) -> Option<String> {
    let locator = site.parsed.as_ref().ok()?;
    if locator.kind != Kind::Page {
        return None;
    }
    let label = locator.label.as_deref()?;
    let family = match label.to_lowercase().as_str() {
        "p." | "pp." => "p./pp.",
        "pag." | "pagg." => "pag./pagg.",
        "page" | "pages" => "page/pages",
        "s." => "S.",
        _ => return None,
    };
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
        .map(|l| l[..1].to_uppercase() + &l[1..])
        .collect::<Vec<_>>()
        .join("/")
}

fn dash(site: &Site) -> Option<String> {
    site.parsed
        .as_ref()
        .ok()?
        .dashes
        .first()
        .map(|d| format!("`{d}`"))
}

fn spacing(site: &Site) -> Option<String> {
    let spaced = site.parsed.as_ref().ok()?.spaced?;
    Some(if spaced {
        "space after the label".into()
    } else {
        "no space after the label".into()
    })
}
