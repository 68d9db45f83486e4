//! Authors compared by family name: particles, suffixes and initials
//! aside; organisations whole.

use super::*;

const PARTICLES: [&str; 26] = [
    "van", "von", "der", "den", "de", "del", "della", "degli", "di", "da", "dos", "das", "do",
    "du", "la", "le", "ten", "ter", "zu", "af", "al", "el", "bin", "ibn", "y", "st",
];

pub(super) const NAME_SUFFIXES: [&str; 5] = ["jr", "sr", "ii", "iii", "iv"];

/// The comparable words of a family name: before a comma, folded, without
/// particles, initials and `Jr.`; `None` for `et al.`/`others`.
pub(super) fn name_words(name: &str) -> Option<(Vec<String>, String)> {
    let family = name.split(',').next().unwrap_or(name);
    let folded = fold(family).replace(['\'', '’'], "");
    let all: Vec<String> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect();
    if all.is_empty()
        || matches!(
            all.join(" ").as_str(),
            "et al" | "others" | "and others" | "et al."
        )
    {
        return None;
    }
    let joined = all.concat();
    let kept: Vec<String> = all
        .iter()
        .filter(|w| w.chars().count() > 1)
        .filter(|w| !PARTICLES.contains(&w.as_str()) && !NAME_SUFFIXES.contains(&w.as_str()))
        .cloned()
        .collect();
    Some((if kept.is_empty() { all } else { kept }, joined))
}

/// Two family names are the same: equal words, one's words within the
/// other's (double surnames, a full name against a family name), or the
/// same letters run together (`Vanderberg` = `van der Berg`).
pub(super) fn same_name(a: &str, b: &str) -> bool {
    let (Some((wa, ja)), Some((wb, jb))) = (name_words(a), name_words(b)) else {
        return false;
    };
    ja == jb || wa == wb || wa.iter().all(|w| wb.contains(w)) || wb.iter().all(|w| wa.contains(w))
}

pub(super) fn names_for_display(names: &[String]) -> String {
    let mut out = names
        .iter()
        .take(AUTHORS_COMPARED)
        .cloned()
        .collect::<Vec<_>>()
        .join("; ");
    if names.len() > AUTHORS_COMPARED {
        out.push_str(" et al.");
    }
    out
}

/// `Some(true)` when the authors agree, `Some(false)` when not, `None` when
/// they cannot be compared (a side without names, or a name among the first
/// three of either side not in Latin script).
pub(super) fn compare_authors(entry: &[String], registry: &[String]) -> Option<bool> {
    let entry: Vec<&String> = entry.iter().filter(|n| name_words(n).is_some()).collect();
    let registry: Vec<&String> = registry
        .iter()
        .filter(|n| name_words(n).is_some())
        .collect();
    if entry.is_empty() || registry.is_empty() {
        return None;
    }
    let first_e = entry.iter().take(AUTHORS_COMPARED);
    let first_r = registry.iter().take(AUTHORS_COMPARED);
    if first_e.chain(first_r).any(|n| !is_latin(n)) {
        return None;
    }
    let entry_found = entry
        .iter()
        .take(AUTHORS_COMPARED)
        .all(|e| registry.iter().any(|r| same_name(e, r)));
    let first_registry_cited = entry.iter().any(|e| same_name(e, registry[0]));
    Some(entry_found && first_registry_cited)
}
