//! BibLaTeX's `crossref` and `xdata` links between entries: cycles and
//! chains too long refused with their place.

use super::*;

/// The `crossref` and `xdata` links between entries.
pub(super) struct Links<'a> {
    /// Entry key → (target keys, span of the field holding them).
    pub(super) edges: HashMap<&'a str, Vec<(String, Range<usize>)>>,
    /// Entry keys in file order.
    pub(super) keys: Vec<&'a str>,
    pub(super) known: std::collections::HashSet<&'a str>,
}

impl<'a> Links<'a> {
    pub(super) fn new(raw: &'a RawBibliography<'a>, strings: &Strings<'_>) -> Self {
        let mut edges: HashMap<&str, Vec<(String, Range<usize>)>> = HashMap::new();
        let mut keys = Vec::new();
        for entry in &raw.entries {
            let key = entry.v.key.v;
            keys.push(key);
            let targets = edges.entry(key).or_default();
            for field in &entry.v.fields {
                let name = field.key.v.to_ascii_lowercase();
                if name != "crossref" && name != "xdata" {
                    continue;
                }
                let Some(text) = strings.text(&field.value.v) else {
                    continue;
                };
                for target in text.split(',').map(str::trim).filter(|t| !t.is_empty()) {
                    targets.push((target.to_string(), field.value.span.clone()));
                }
            }
        }
        // Links to entries the file lacks are not followed by the reader.
        let known: std::collections::HashSet<&str> = keys.iter().copied().collect();
        for targets in edges.values_mut() {
            targets.retain(|(target, _)| known.contains(target.as_str()));
        }
        Self { edges, keys, known }
    }

    /// Refuses a cycle, a chain deeper than the reader's stack allows, and
    /// a fan-out that copies too many entries.
    pub(super) fn check(&self) -> Result<(), Refusal> {
        // Key → (depth of its chain, entries copied resolving it).
        let mut done: HashMap<&str, (usize, u64)> = HashMap::new();
        let mut total = 0u64;
        for &start in &self.keys {
            if done.contains_key(start) {
                continue;
            }
            // (key, next edge, depth so far, copies so far)
            let mut stack: Vec<(&str, usize, usize, u64)> = vec![(start, 0, 0, 0)];
            while let Some(&(key, next, depth, copies)) = stack.last() {
                let targets = &self.edges[key];
                if next == targets.len() {
                    stack.pop();
                    let result = (depth + 1, copies.saturating_add(1));
                    done.insert(key, result);
                    if let Some(parent) = stack.last_mut() {
                        parent.2 = parent.2.max(result.0);
                        parent.3 = parent.3.saturating_add(result.1);
                    }
                    continue;
                }
                stack.last_mut().expect("not empty").1 += 1;
                let (target, span) = &targets[next];
                let target = *self.known.get(target.as_str()).expect("known target");
                if let Some(at) = stack.iter().position(|(k, ..)| *k == target) {
                    let mut path: Vec<&str> = stack[at..].iter().map(|(k, ..)| *k).collect();
                    path.push(target);
                    return Err(Refusal {
                        range: span.clone(),
                        message: if path.len() == 2 {
                            format!("entry `{key}` names itself in `crossref` or `xdata`")
                        } else {
                            format!(
                                "the `crossref`/`xdata` links of `{key}` go round in a circle: {}",
                                path.join(" → ")
                            )
                        },
                    });
                }
                if stack.len() > MAX_LINK_DEPTH {
                    return Err(Refusal {
                        range: span.clone(),
                        message: format!(
                            "the `crossref`/`xdata` chain from `{start}` is more than \
                             {MAX_LINK_DEPTH} entries deep"
                        ),
                    });
                }
                match done.get(target) {
                    Some(&(depth, copies)) => {
                        if stack.len() + depth > MAX_LINK_DEPTH + 1 {
                            return Err(Refusal {
                                range: span.clone(),
                                message: format!(
                                    "the `crossref`/`xdata` chain from `{start}` is more than \
                                     {MAX_LINK_DEPTH} entries deep"
                                ),
                            });
                        }
                        let top = stack.last_mut().expect("not empty");
                        top.2 = top.2.max(depth);
                        top.3 = top.3.saturating_add(copies);
                    }
                    None => stack.push((target, 0, 0, 0)),
                }
            }
            total = total.saturating_add(done[start].1);
            if total > MAX_LINK_COPIES {
                let span = self.edges[start]
                    .first()
                    .map_or(0..0, |(_, span)| span.clone());
                return Err(Refusal {
                    range: span,
                    message: format!(
                        "following the `crossref`/`xdata` links up to `{start}` copies more than \
                         {MAX_LINK_COPIES} entries"
                    ),
                });
            }
        }
        Ok(())
    }
}
