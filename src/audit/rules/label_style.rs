//! `locator-label-style`: a page label the citation style in use would not
//! print (Chicago notes and MLA print none), or one it needs (APA's `p.`).

use super::{Definition, Family, RuleDoc};
use crate::audit::Severity;
use crate::audit::locators::Site;
use crate::audit::{AuditInput, Finding, Rule};
use crate::locator::Item;

pub const LOCATOR_LABEL_STYLE: Definition = Definition {
    code: "locator-label-style",
    severity: Severity::Warning,
    family: Family::Locators,
    doc: RuleDoc {
        summary: "a page label departs from the citation style in use",
        what: "Reads the style of the document's `#bibliography` and checks the labels of English \
               page locators against its rule: Chicago's notes styles and MLA print page numbers \
               with no label (`@key[45]`, not `@key[p. 45]`); APA prints `p.` and `pp.` \
               (`@key[p. 45]`). Typst prints a citation's supplement as written, so the label is \
               the author's to get right. Styles with no such rule, labels of other languages and \
               locators that are not pages (chapters, sections) are left alone; \
               `mixed-locator-style` then leaves labels to this rule.",
        why: "Each style states how a page is cited; `p. 45` in a Chicago note or `45` in APA is \
              the first thing an examiner who knows the style sees.",
        example: "#bibliography(\"refs.yaml\", style: \"chicago-notes\")\n… @mao1977[p. 45] …   // Chicago notes: @mao1977[45]",
    },
};

/// What a style asks of page labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageLabels {
    /// No label: `45`.
    None,
    /// `p.` and `pp.`.
    Abbreviated,
}

/// The page-label rule of the style with this CSL id, if it has one.
pub fn page_labels(style: &str) -> Option<(PageLabels, &'static str)> {
    let name = style.rsplit('/').next().unwrap_or(style);
    if name.starts_with("chicago") && name.contains("note") {
        Some((PageLabels::None, "Chicago notes"))
    } else if name.starts_with("modern-language-association") || name == "mla" {
        Some((PageLabels::None, "MLA"))
    } else if name.starts_with("apa") || name.starts_with("american-psychological-association") {
        Some((PageLabels::Abbreviated, "APA"))
    } else {
        None
    }
}

/// The rule of the document's style, if it has one.
pub fn rule_of(input: &AuditInput) -> Option<(PageLabels, &'static str)> {
    input
        .document
        .bibliographies
        .first()
        .and_then(|b| page_labels(&b.style))
}

pub fn check(input: &AuditInput) -> Vec<Finding> {
    let Some((rule, style)) = rule_of(input) else {
        return Vec::new();
    };
    input
        .locator_sites()
        .iter()
        // Supplements only: a hand-typed citation is fixed whole, and a
        // locator after the key by `locator-outside-citation`.
        .filter(|site| !site.hand_typed)
        .filter_map(|site| {
            let fixed = restyled(site, rule)?;
            let message = match rule {
                PageLabels::None => format!(
                    "{style} prints pages with no label: `{}` should read `{fixed}`",
                    site.text
                ),
                PageLabels::Abbreviated => format!(
                    "{style} prints a page with `p.` (pages with `pp.`): `{}` should read `{fixed}`",
                    site.text
                ),
            };
            Some(
                site.finding(Rule::LocatorLabelStyle, message)
                    .hint(format!("write `{fixed}`, as the style does"))
                    .fix(site.rewrite(&fixed)),
            )
        })
        .collect()
}

/// The locator as the style writes it, when it departs: only a locator of
/// one page part, in English labels or none.
fn restyled(site: &Site, rule: PageLabels) -> Option<String> {
    let locator = site.parsed.as_ref().ok()?;
    let [part] = locator.parts.as_slice() else {
        return None;
    };
    if !part.kind.is_page() || part.items.iter().any(|i| !matches!(i, Item::Pages { .. })) {
        return None;
    }
    let english = |label: &str| matches!(label.to_lowercase().as_str(), "p." | "pp." | "p" | "pp");
    match (rule, part.label.as_deref()) {
        (PageLabels::None, Some(label)) if english(label) => {
            let at = site.text.find(label)?;
            let rest = site.text[at + label.len()..].trim_start_matches([' ', '\u{a0}', '~']);
            Some(format!("{}{rest}", &site.text[..at]))
        }
        (PageLabels::Abbreviated, None) => {
            let several = part.items.len() > 1
                || part.items.iter().any(|i| {
                    matches!(
                        i,
                        Item::Pages { end: Some(_), .. }
                            | Item::Pages {
                                following: Some(_),
                                ..
                            }
                    )
                });
            let label = if several { "pp." } else { "p." };
            let space = if site.text.contains('\u{a0}') {
                '\u{a0}'
            } else {
                ' '
            };
            Some(format!("{label}{space}{}", site.text.trim_start()))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::testing::{Doc, of};

    const BOOK: &str = "a:\n  type: book\n  title: A Book\n  author: Doe, Jane\n  date: 2001\n";

    fn findings(style: &str, locators: &[&str]) -> Vec<String> {
        let mut doc = Doc::new(BOOK).style(style);
        for locator in locators {
            doc = doc.cite("a", Some(locator));
        }
        of(&doc.audit(), Rule::LocatorLabelStyle)
    }

    #[test]
    fn styles_are_known_by_their_csl_ids() {
        let chicago = "http://www.zotero.org/styles/chicago-notes-bibliography";
        assert_eq!(page_labels(chicago).map(|r| r.0), Some(PageLabels::None));
        assert_eq!(
            page_labels("http://www.zotero.org/styles/chicago-shortened-notes-bibliography")
                .map(|r| r.0),
            Some(PageLabels::None)
        );
        assert_eq!(
            page_labels("http://www.zotero.org/styles/apa").map(|r| r.0),
            Some(PageLabels::Abbreviated)
        );
        assert_eq!(
            page_labels("http://www.zotero.org/styles/chicago-author-date"),
            None
        );
        assert_eq!(page_labels("http://www.zotero.org/styles/ieee"), None);
    }

    #[test]
    fn chicago_notes_print_no_page_label() {
        let chicago = "http://www.zotero.org/styles/chicago-notes-bibliography";
        assert_eq!(
            findings(chicago, &["p. 45", "45", "pp. 12–14", "chap. 3", "S. 12"]),
            [
                "1: Chicago notes prints pages with no label: `p. 45` should read `45`",
                "3: Chicago notes prints pages with no label: `pp. 12–14` should read `12–14`",
            ]
        );
    }

    #[test]
    fn apa_prints_p_and_pp() {
        assert_eq!(
            findings(
                "http://www.zotero.org/styles/apa",
                &["45", "12–14", "p. 7", "chap. 3"]
            ),
            [
                "1: APA prints a page with `p.` (pages with `pp.`): `45` should read `p. 45`",
                "2: APA prints a page with `p.` (pages with `pp.`): `12–14` should read `pp. 12–14`",
            ]
        );
    }

    #[test]
    fn a_style_without_a_rule_is_left_alone() {
        assert!(findings("http://www.zotero.org/styles/ieee", &["p. 45", "45"]).is_empty());
    }
}
