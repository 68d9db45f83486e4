//! What README.md claims, checked against the tool: the rule table against
//! the rule registry, the locator kinds it lists against the parser, the
//! link-check defaults against the command line's.

use std::collections::BTreeMap;
use std::path::Path;

use ibid::audit::Rule;
use ibid::locator::{self, Kind};
use regex::Regex;

use super::env::{TestEnv, stdout};

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md")
}

#[test]
fn the_readme_lists_every_rule_with_its_default_severity_and_no_other() {
    let row = Regex::new(r"(?m)^\| `([a-z-]+)` \| (error|warning|info) \|").unwrap();
    let listed: BTreeMap<String, String> = row
        .captures_iter(&readme())
        .map(|c| (c[1].to_string(), c[2].to_string()))
        .collect();
    let registry: BTreeMap<String, String> = Rule::ALL
        .iter()
        .map(|rule| {
            let definition = rule.definition();
            (
                definition.code.to_string(),
                definition.severity.as_str().to_string(),
            )
        })
        .collect();
    assert_eq!(listed, registry);
}

#[test]
fn every_locator_label_the_readme_names_is_read_as_the_kind_it_says() {
    let text = readme();
    let start = text
        .find("Locators (a citation's supplement")
        .expect("the paragraph");
    let paragraph = &text[start..start + text[start..].find("\n\n").unwrap()];
    let paragraph = paragraph.replace('\n', " ");
    let group = Regex::new(r"([a-z ]+?) \(((?:`[^`]+`,? ?)+)\)").unwrap();
    let kinds = [
        ("pages", Kind::Page),
        ("sections", Kind::Section),
        ("paragraphs", Kind::Paragraph),
        ("margin numbers", Kind::MarginNumber),
        ("articles", Kind::Article),
        ("notes", Kind::Note),
        ("folios", Kind::Folio),
    ];
    let mut checked = 0;
    for captures in group.captures_iter(&paragraph) {
        let name = captures[1].trim().trim_start_matches("and ");
        let Some(&(_, kind)) = kinds.iter().find(|(k, _)| *k == name) else {
            continue;
        };
        for example in captures[2]
            .split('`')
            .filter(|s| !s.trim_matches([',', ' ']).is_empty())
        {
            // A label alone is tried before a number, and is the only kind;
            // a whole locator (`87n12`: page 87, note 12) holds the kind.
            let whole = example.chars().any(|c| c.is_ascii_digit());
            let locator = if whole {
                example.to_string()
            } else {
                format!("{example} 12")
            };
            let parsed = locator::parse(&locator)
                .unwrap_or_else(|err| panic!("{locator:?} is not read: {err:?}"));
            if whole {
                assert!(
                    parsed.kinds().contains(&kind),
                    "{locator:?}: {:?}",
                    parsed.kinds()
                );
            } else {
                assert_eq!(parsed.kinds(), [kind], "{locator:?}");
            }
            checked += 1;
        }
    }
    assert!(
        checked >= 20,
        "only {checked} labels found in the paragraph"
    );
}

#[test]
fn the_link_check_defaults_the_readme_gives_are_the_command_lines() {
    let help = stdout(&TestEnv::new().ibid(&["audit", "--help"]));
    let claim = Regex::new(r"`--([a-z-]+) [A-Z]+` \((\d+)\)").unwrap();
    let text = readme();
    let claims: Vec<_> = claim.captures_iter(&text).collect();
    assert!(claims.len() >= 4, "the README gives the defaults");
    for captures in claims {
        let (option, value) = (&captures[1], &captures[2]);
        let at = help
            .find(&format!("--{option} "))
            .unwrap_or_else(|| panic!("--{option} is an option"));
        let rest = &help[at..];
        let entry = &rest[..rest[2..].find("\n      --").map_or(rest.len(), |i| i + 2)];
        assert!(
            entry.contains(&format!("[default: {value}]")),
            "README says --{option} defaults to {value}; the help says:\n{entry}"
        );
    }
}
