//! The works a manuscript's notes cite in full.

use super::*;

/// The works the notes cite in full, each once (by its first author's
/// family name and title), in the order first cited.
pub fn from_notes(manuscript: &Manuscript) -> Vec<Work> {
    let mut found = Found::default();
    for note in &manuscript.notes {
        for reading in read::references(&note.text, &note.italic) {
            if reading.back.is_some() {
                continue;
            }
            let Some(url) = reading.url.clone() else {
                found.full(&reading, None);
                continue;
            };
            // A pasted URL, then the work it is a copy of (`http://…,
            // 20/09/2009: YANG Jisheng, “Mubei”, 2007`): that work, with the
            // URL; else the citation of a web page.
            let after = note.text.find(&url).map_or(0, |at| at + url.len());
            let rest = note.text.get(after..).unwrap_or("");
            let rest = ACCESS_DATE.replace(rest, "");
            let work = read::references(&rest, &[])
                .into_iter()
                .find(|r| r.url.is_none() && is_full(r));
            match work {
                Some(work) => found.full(&work, Some(url)),
                None => found.web(url),
            }
        }
    }
    found.works
}

/// A date of access before the work a URL is a copy of: `, 20/09/2009:`.
pub(super) static ACCESS_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[\s,;:]*(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2})[\s,;:]*")
        .expect("valid regex")
});

/// A full citation gives the year; a short form (`Yang, “Mubei…”`) does
/// not, and often cuts its title short.
pub(super) fn is_full(reading: &read::Reading) -> bool {
    matches!(reading.shape, Shape::Strong | Shape::Inferred)
        && reading.back.is_none()
        && !reading.names.is_empty()
        && reading.year.is_some()
        && reading
            .title
            .as_deref()
            .is_some_and(|t| !(t.ends_with('…') || t.ends_with("...") || t.contains("… ")))
}

/// The works found so far, each once.
#[derive(Default)]
pub(super) struct Found {
    works: Vec<Work>,
    seen: HashSet<(String, String)>,
    keys: HashSet<String>,
}

impl Found {
    fn full(&mut self, reading: &read::Reading, url: Option<String>) {
        let Some(title) = reading.title.clone().filter(|_| is_full(reading)) else {
            return;
        };
        let id = (
            crate::script::fold(&reading.names[0]),
            crate::script::fold(&title),
        );
        if !self.seen.insert(id) {
            return;
        }
        let authors = reading
            .names
            .iter()
            .enumerate()
            .map(|(i, family)| {
                let given = reading
                    .people
                    .get(i)
                    .map(|full| full.replace(family.as_str(), "").trim().to_string())
                    .unwrap_or_default();
                (capitalised(family), given)
            })
            .collect();
        let url = url.or_else(|| reading.url.clone());
        self.works.push(work(
            authors,
            title,
            reading.year.clone(),
            url,
            &mut self.keys,
        ));
    }

    fn web(&mut self, url: String) {
        if !self.seen.insert((url.clone(), String::new())) {
            return;
        }
        let host = url::Url::parse(&url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_default();
        let site = host.trim_start_matches("www.");
        let name = site.split('.').next().unwrap_or(site).to_string();
        // Keyed by its site; a web page has no author the URL tells.
        let mut page = work(
            vec![(name, String::new())],
            url.clone(),
            None,
            Some(url),
            &mut self.keys,
        );
        page.authors.clear();
        self.works.push(page);
    }
}
