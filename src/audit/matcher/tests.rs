use super::*;
use crate::bibliography::{Bibliography, parse};

fn index() -> SourceIndex {
    let yaml = r#"
yang2007:
  type: book
  title: { value: "Mubei: Zhongguo liushi niandai dajihuang jishi", short: "Mubei: Zhongguo liushi niandai…" }
  author: { name: Yang, given-name: Jisheng }
  url: { value: http://www.scribd.com/doc/6404050/墓碑：中国六十年代大饥荒纪实, date: 2009-09-20 }
  parent:
    type: original
    title: "墓碑:中国六十年代大饥荒纪实"
    author: { name: 杨, given-name: 继绳 }
macfarquhar1983:
  type: book
  title: { value: "The Origins of the Cultural Revolution 2", short: "The Origins…" }
  author: MacFarquhar, Roderick
xinhua:
  type: web
  url: { value: http://news.xinhuanet.com/ziliao/2005-01/06/content_2423605.htm, date: 2009-10-13 }
"#;
    let bibliography = Bibliography::new(vec![], parse("refs.yaml", yaml).unwrap());
    SourceIndex::new(&bibliography)
}

fn keys(found: &[HandTyped]) -> Vec<(Option<&str>, Option<&str>)> {
    found
        .iter()
        .map(|h| (h.key.as_deref(), h.locator.as_deref()))
        .collect()
}

#[test]
fn a_name_and_a_short_title() {
    let found = match_prose("MacFARQUHAR, “The Origins…”, cit., pp.7-9.", &[], &index());
    assert_eq!(keys(&found), [(Some("macfarquhar1983"), Some("pp. 7-9"))]);
    assert_eq!(found[0].suggestion().unwrap(), "@macfarquhar1983[pp. 7-9]");
}

#[test]
fn a_url_and_a_name_are_one_citation() {
    let text = "http://www.scribd.com/doc/6404050/墓碑：中国六十年代大饥荒纪实, 20/09/2009: YANG Jisheng 杨继绳, “Mubei: Zhongguo liushi niandai dajihuang jishi”, August 2007, pag.387.";
    assert_eq!(
        keys(&match_prose(text, &[], &index())),
        [(Some("yang2007"), Some("pag. 387"))]
    );
}

#[test]
fn chinese_script_names_alone() {
    let found = match_prose("杨继绳, “墓碑:中国六十年代…” p.5", &[], &index());
    assert_eq!(keys(&found), [(Some("yang2007"), Some("p. 5"))]);
}

#[test]
fn ibid_refers_to_the_previous_note() {
    let previous = vec!["macfarquhar1983".to_string()];
    let found = match_prose("Ibid. p.265.", &previous, &index());
    assert_eq!(keys(&found), [(Some("macfarquhar1983"), Some("p. 265"))]);
    assert!(found[0].ibid);
    let both = vec!["yang2007".to_string(), "xinhua".to_string()];
    assert_eq!(
        keys(&match_prose("Ibidem.", &both, &index())),
        [(Some("yang2007"), None), (Some("xinhua"), None)]
    );
}

#[test]
fn two_locators_for_one_source() {
    let found = match_prose(
        "MacFARQUHAR, “The Origins…”, pp.289-290; pp.115-121.",
        &[],
        &index(),
    );
    assert_eq!(
        keys(&found),
        [(Some("macfarquhar1983"), Some("pp. 289-290; pp. 115-121"))]
    );
}

#[test]
fn an_unknown_url_is_an_unknown_source() {
    let found = match_prose(
        "See http://example.org/page.htm, 13/10/2009.",
        &[],
        &index(),
    );
    assert_eq!(keys(&found), [(None, None)]);
}

#[test]
fn a_name_in_plain_prose_is_not_a_citation() {
    assert!(match_prose("Yang was a journalist at Xinhua.", &[], &index()).is_empty());
}

#[test]
fn fragments_of_citations_are_no_citation() {
    // Half a label, an empty URL, an unterminated range, a lone name: none
    // says which work or where in it, so none may be reported as a
    // hand-typed citation or an unknown source.
    for text in [
        "",
        ";;;",
        "p.",
        "“",
        "http://",
        "杨",
        "pp. 1-",
        "MacFarquhar;",
    ] {
        let found = match_prose(text, &[], &index());
        assert!(found.is_empty(), "{text:?} gave {found:?}");
    }
}

/// Found by the `hand_typed` fuzz target: a comma and "and" with no name
/// between them made a person of no words, and reading the first name
/// indexed into it.
#[test]
fn issue9_a_list_of_names_with_an_empty_place_does_not_panic() {
    for text in [",A,Au, and ,'/", "Teiwes, , and Yang, 30.", ", and , 12"] {
        for found in match_prose(text, &[], &index()) {
            assert!(text.contains(found.excerpt.as_str()), "{text:?} {found:?}");
        }
    }
}

#[test]
fn a_title_set_apart_names_its_work_whatever_the_names_around_it() {
    let yaml = "selden2010:\n  type: book\n  title: Chinese Society\n  author: [\"Perry, Elizabeth J.\", \"Selden, Mark\"]\n  date: 2010\n";
    let bibliography = Bibliography::new(vec![], parse("refs.yaml", yaml).unwrap());
    let index = SourceIndex::new(&bibliography);
    // Co-authors joined by "with", written as neither entry writes them:
    // the whole title decides.
    let found = match_prose(
        "Mark Selden with Elizabeth J. Perry, “Chinese Society,” (London: Routledge, 2010), 55.",
        &[],
        &index,
    );
    assert_eq!(keys(&found), [(Some("selden2010"), Some("55"))]);
    // A name misspelt, or read wrong: the whole title still names the
    // work, and the finding says the names differ.
    let found = match_prose("Mark Seldon, “Chinese Society,” 55.", &[], &index);
    assert_eq!(keys(&found), [(Some("selden2010"), Some("55"))]);
    assert!(found[0].read.names_differ);
    // A title that only begins with the entry's, by someone else: another
    // work, not this one.
    let found = match_prose(
        "John Smith, “Chinese Society and Politics,” (Boston: Beacon, 2010), 12.",
        &[],
        &index,
    );
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].key, None);
}
