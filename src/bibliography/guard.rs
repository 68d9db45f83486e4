//! Guards run on bibliography files before any reader sees them.
//!
//! The BibLaTeX reader under Typst and Hayagriva (the `biblatex` crate)
//! expands `@string` abbreviations and follows `crossref` and `xdata` links
//! recursively, with no memo and no bound: `@string{a = a}` overflows the
//! stack and aborts the process, and a 1 KB file of 24 nested `@string`
//! doublings takes gigabytes. The YAML reader takes minutes on 100,000
//! nested `[`. The guards read the file first — BibLaTeX with the crate's
//! own raw parser, which is iterative — and refuse cycles and blow-ups with
//! the place in the file, so that the reader never sees them.

use std::collections::HashMap;
use std::ops::{Add, Range};

use biblatex::{RawBibliography, RawChunk};

mod links;

use links::*;

/// Why a file is refused, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// Byte range in the file.
    pub range: Range<usize>,
    pub message: String,
}

/// The longest text one field may expand to through `@string`s.
pub const MAX_FIELD_BYTES: u64 = 1 << 20;
/// The chunks the reader may create expanding `@string`s, in all.
pub const MAX_EXPANSION: u64 = 2_000_000;
/// The longest chain of `@string`s defined in terms of each other.
pub const MAX_STRING_DEPTH: usize = 100;
/// The longest chain of `crossref`/`xdata` links.
pub const MAX_LINK_DEPTH: usize = 32;
/// The entries the reader may copy following `crossref`/`xdata`, in all.
pub const MAX_LINK_COPIES: u64 = 1_000_000;
/// The deepest nesting of braces in a BibLaTeX field.
pub const MAX_BRACE_DEPTH: usize = 100;
/// The deepest nesting of YAML flow collections (`[`, `{`).
pub const MAX_YAML_DEPTH: usize = 100;

/// Checks a BibLaTeX file. A file the raw parser cannot read is let
/// through: the reader fails on it the same way, with its own located error.
pub fn biblatex(text: &str) -> Result<(), Refusal> {
    let Ok(raw) = RawBibliography::parse(text) else {
        return Ok(());
    };
    for entry in &raw.entries {
        if entry.v.key.v.trim().is_empty() {
            return Err(Refusal {
                range: entry.span.start..entry.v.key.span.end.max(entry.span.start + 1),
                message: format!(
                    "the @{} entry here has an empty key, so nothing can cite it",
                    entry.v.kind.v
                ),
            });
        }
    }
    braces(&raw)?;
    let strings = Strings::new(&raw)?;
    strings.check_fields(&raw)?;
    Links::new(&raw, &strings).check()
}

/// Refuses braces nested deeper than any field needs: the reader takes
/// time quadratic in the depth (100,000 levels: minutes).
fn braces(raw: &RawBibliography<'_>) -> Result<(), Refusal> {
    let fields = raw
        .entries
        .iter()
        .flat_map(|e| &e.v.fields)
        .chain(&raw.abbreviations);
    for field in fields {
        for chunk in &field.value.v {
            let RawChunk::Normal(text) = chunk.v else {
                continue;
            };
            let mut depth = 0usize;
            for (at, c) in text.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth = depth.saturating_sub(1),
                    _ => continue,
                }
                if depth > MAX_BRACE_DEPTH {
                    let start = chunk.span.start + at;
                    return Err(Refusal {
                        range: start..start + 1,
                        message: format!(
                            "braces are nested more than {MAX_BRACE_DEPTH} deep in field `{}`",
                            field.key.v
                        ),
                    });
                }
            }
        }
    }
    Ok(())
}

/// What expanding a field costs: the bytes of text and the chunks created.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Cost {
    bytes: u64,
    chunks: u64,
    /// How many @strings deep the expansion goes (the reader's recursion).
    depth: usize,
}

impl Cost {
    const MONTH: Cost = Cost {
        bytes: 9,
        chunks: 1,
        depth: 0,
    };

    fn text(text: &str) -> Cost {
        Cost {
            bytes: text.len() as u64,
            chunks: 1,
            depth: 0,
        }
    }
}

impl Add for Cost {
    type Output = Cost;
    fn add(self, other: Cost) -> Cost {
        Cost {
            bytes: self.bytes.saturating_add(other.bytes),
            chunks: self.chunks.saturating_add(other.chunks),
            depth: self.depth.max(other.depth),
        }
    }
}

/// The `@string` abbreviations, each with what expanding it costs.
struct Strings<'a> {
    /// Name → (definition, span of the name); the last definition wins, as
    /// in the reader.
    defs: HashMap<&'a str, (&'a [biblatex::Spanned<RawChunk<'a>>], Range<usize>)>,
    costs: HashMap<&'a str, Cost>,
}

impl<'a> Strings<'a> {
    /// Reads the definitions and costs every one, refusing a cycle.
    fn new(raw: &'a RawBibliography<'a>) -> Result<Self, Refusal> {
        let defs = raw
            .abbreviations
            .iter()
            .map(|pair| (pair.key.v, (pair.value.v.as_slice(), pair.key.span.clone())))
            .collect();
        let mut strings = Self {
            defs,
            costs: HashMap::new(),
        };
        let mut names: Vec<&str> = strings.defs.keys().copied().collect();
        names.sort_by_key(|name| strings.defs[name].1.start);
        for name in names {
            strings.cost(name)?;
        }
        Ok(strings)
    }

    /// The cost of expanding `name`, depth first with an explicit stack (a
    /// recursive walk would overflow on the inputs it guards against).
    fn cost(&mut self, name: &'a str) -> Result<Cost, Refusal> {
        if let Some(&cost) = self.costs.get(name) {
            return Ok(cost);
        }
        // (name, next chunk, cost so far)
        let mut stack: Vec<(&'a str, usize, Cost)> = vec![(name, 0, Cost::default())];
        loop {
            let (current, next, acc) = *stack.last().expect("not empty");
            let chunks = self.defs[current].0;
            if next == chunks.len() {
                stack.pop();
                let acc = Cost {
                    depth: acc.depth + 1,
                    ..acc
                };
                if acc.depth > MAX_STRING_DEPTH {
                    return Err(self.too_deep(current));
                }
                self.costs.insert(current, acc);
                match stack.last_mut() {
                    Some(parent) => parent.2 = parent.2 + acc,
                    None => return Ok(acc),
                }
                continue;
            }
            stack.last_mut().expect("not empty").1 += 1;
            let add = match chunks[next].v {
                RawChunk::Normal(text) => Cost::text(text),
                // A month (`jan`) or an undefined name the reader reports.
                RawChunk::Abbreviation(other) if !self.defs.contains_key(other) => Cost::MONTH,
                RawChunk::Abbreviation(other) => match self.costs.get(other) {
                    Some(&cost) => cost,
                    None if stack.iter().any(|(n, ..)| *n == other) => {
                        return Err(self.cycle(&stack, other));
                    }
                    None if stack.len() >= MAX_STRING_DEPTH => {
                        return Err(self.too_deep(current));
                    }
                    None => {
                        stack.push((other, 0, Cost::default()));
                        continue;
                    }
                },
            };
            let top = stack.last_mut().expect("not empty");
            top.2 = top.2 + add;
        }
    }

    fn too_deep(&self, name: &str) -> Refusal {
        Refusal {
            range: self.defs[name].1.clone(),
            message: format!(
                "@string `{name}` is defined through more than {MAX_STRING_DEPTH} other \
                 @strings, one inside the next"
            ),
        }
    }

    fn cycle(&self, stack: &[(&'a str, usize, Cost)], back_to: &str) -> Refusal {
        let from = stack.iter().position(|(n, ..)| *n == back_to).unwrap_or(0);
        let mut path: Vec<&str> = stack[from..].iter().map(|(n, ..)| *n).collect();
        path.push(back_to);
        let message = if path.len() == 2 {
            format!("@string `{back_to}` is defined in terms of itself")
        } else {
            format!(
                "@string `{back_to}` is defined in terms of itself through {}",
                path.join(" → ")
            )
        };
        Refusal {
            range: self.defs[back_to].1.clone(),
            message,
        }
    }

    /// The cost of one field's value.
    fn field_cost(&self, chunks: &[biblatex::Spanned<RawChunk<'_>>]) -> Cost {
        chunks.iter().fold(Cost::default(), |acc, chunk| {
            acc + match chunk.v {
                RawChunk::Normal(text) => Cost::text(text),
                RawChunk::Abbreviation(name) => {
                    self.costs.get(name).copied().unwrap_or(Cost::MONTH)
                }
            }
        })
    }

    /// Refuses a field that would expand too far, and a file whose fields
    /// together would.
    fn check_fields(&self, raw: &RawBibliography<'_>) -> Result<(), Refusal> {
        let mut total = 0u64;
        for entry in &raw.entries {
            for field in &entry.v.fields {
                let cost = self.field_cost(&field.value.v);
                total = total.saturating_add(cost.chunks);
                let problem = if cost.bytes > MAX_FIELD_BYTES {
                    format!(
                        "field `{}` of `{}` expands to {} through @string abbreviations \
                         (at most {} is read)",
                        field.key.v,
                        entry.v.key.v,
                        bytes(cost.bytes),
                        bytes(MAX_FIELD_BYTES)
                    )
                } else if total > MAX_EXPANSION {
                    format!(
                        "expanding the @string abbreviations up to field `{}` of `{}` takes \
                         more than {MAX_EXPANSION} steps",
                        field.key.v, entry.v.key.v
                    )
                } else {
                    continue;
                };
                return Err(Refusal {
                    range: field.value.span.clone(),
                    message: problem,
                });
            }
        }
        Ok(())
    }

    /// The text of a short field (a key in `crossref` or `xdata`), with its
    /// abbreviations expanded; `None` when it would be long.
    fn text(&self, chunks: &[biblatex::Spanned<RawChunk<'_>>]) -> Option<String> {
        if self.field_cost(chunks).bytes > 4096 {
            return None;
        }
        let mut out = String::new();
        // Expanded with a stack: no cycle is left, and the text is short.
        let mut stack: Vec<&[biblatex::Spanned<RawChunk<'_>>]> = vec![chunks];
        let mut positions = vec![0usize];
        while let (Some(chunks), Some(at)) = (stack.last().copied(), positions.last_mut()) {
            let Some(chunk) = chunks.get(*at) else {
                stack.pop();
                positions.pop();
                continue;
            };
            *at += 1;
            match chunk.v {
                RawChunk::Normal(text) => out.push_str(text),
                RawChunk::Abbreviation(name) => {
                    if let Some((def, _)) = self.defs.get(name) {
                        stack.push(def);
                        positions.push(0);
                    }
                }
            }
        }
        Some(out)
    }
}

/// Checks a Hayagriva YAML file for flow collections nested deeper than
/// any bibliography needs.
pub fn yaml(text: &str) -> Result<(), Refusal> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    // The last character that was not a space: a flow collection opens
    // only where a value can start.
    let mut before = '\n';
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if let Some(q) = quote {
            match c {
                '\\' if q == '"' => {
                    chars.next();
                }
                '\'' if q == '\'' && chars.peek().is_some_and(|(_, n)| *n == '\'') => {
                    chars.next();
                }
                _ if c == q => {
                    quote = None;
                    before = c;
                }
                _ => {}
            }
            continue;
        }
        match c {
            '#' if before == '\n' || text[..at].ends_with([' ', '\t']) => {
                // A comment runs to the end of the line.
                while chars.peek().is_some_and(|(_, n)| *n != '\n') {
                    chars.next();
                }
                continue;
            }
            '"' | '\'' if matches!(before, '\n' | ':' | '-' | '[' | '{' | ',' | '?') => {
                quote = Some(c);
            }
            '[' | '{' if matches!(before, '\n' | ':' | '-' | '[' | '{' | ',' | '?') => {
                depth += 1;
                if depth > MAX_YAML_DEPTH {
                    return Err(Refusal {
                        range: at..at + 1,
                        message: format!(
                            "lists and maps are nested more than {MAX_YAML_DEPTH} deep here"
                        ),
                    });
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if !c.is_whitespace() || c == '\n' {
            before = c;
        }
    }
    Ok(())
}

fn bytes(n: u64) -> String {
    if n >= 1 << 20 {
        format!("{} MB", n >> 20)
    } else {
        format!("{} KB", n.div_ceil(1024))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(text: &str) -> Refusal {
        biblatex(text).expect_err("refused")
    }

    #[test]
    fn a_string_defined_by_itself_is_refused_at_its_name() {
        let text = "@string{a = a}\n@book{x, title = a}\n";
        let refusal = refused(text);
        assert_eq!(&text[refusal.range.clone()], "a");
        assert_eq!(refusal.range.start, 8);
        assert!(
            refusal
                .message
                .contains("`a` is defined in terms of itself")
        );
    }

    #[test]
    fn mutual_strings_are_refused_with_the_circle() {
        let refusal = refused("@string{a = b}\n@string{b = \"x\" # a}\n");
        assert!(refusal.message.contains("a → b → a"), "{}", refusal.message);
    }

    #[test]
    fn doubling_strings_are_refused_before_they_expand() {
        let mut text = String::from("@string{s0 = \"xxxxxxxxxxxxxxxx\"}\n");
        for i in 1..=24 {
            text.push_str(&format!("@string{{s{i} = s{} # s{}}}\n", i - 1, i - 1));
        }
        text.push_str("@book{big, title = s24}\n");
        let refusal = refused(&text);
        assert!(
            refusal.message.contains("field `title` of `big`"),
            "{}",
            refusal.message
        );
        assert_eq!(&text[refusal.range.clone()], "s24");
    }

    #[test]
    fn ordinary_strings_pass() {
        let text = "@string{pub = \"Columbia University Press\"}\n\
                    @book{m, title = {Origins}, publisher = pub # \", New York\", month = jan}\n";
        assert_eq!(biblatex(text), Ok(()));
    }

    #[test]
    fn a_long_chain_of_strings_is_refused() {
        let mut text = String::from("@string{s0 = \"x\"}\n");
        for i in 1..=5_000 {
            text.push_str(&format!("@string{{s{i} = s{}}}\n", i - 1));
        }
        assert!(
            refused(&text)
                .message
                .contains("more than 100 other @strings")
        );
    }

    #[test]
    fn crossref_to_itself_and_in_a_loop() {
        let refusal = refused("@book{a, crossref = {a}}\n");
        assert!(
            refusal.message.contains("names itself"),
            "{}",
            refusal.message
        );
        let refusal =
            refused("@book{a, crossref = {b}}\n@book{b, xdata = {c}}\n@book{c, crossref = {a}}\n");
        assert!(
            refusal.message.contains("a → b → c → a"),
            "{}",
            refusal.message
        );
    }

    #[test]
    fn a_deep_crossref_chain_is_refused_and_a_short_one_passes() {
        let chain = |n: usize| {
            (0..n)
                .map(|i| format!("@book{{e{i}, crossref = {{e{}}}}}\n", i + 1))
                .chain([format!("@book{{e{n}, title = {{End}}}}\n")])
                .collect::<String>()
        };
        assert_eq!(biblatex(&chain(3)), Ok(()));
        assert!(
            refused(&chain(200))
                .message
                .contains("more than 32 entries deep")
        );
    }

    #[test]
    fn xdata_fan_out_is_bounded() {
        // Each level names the next four times: 4^12 copies.
        let mut text = String::new();
        for i in 0..12 {
            let next = format!("d{}", i + 1);
            text.push_str(&format!(
                "@xdata{{d{i}, xdata = {{{next},{next},{next},{next}}}}}\n"
            ));
        }
        text.push_str("@xdata{d12, title = {x}}\n");
        assert!(refused(&text).message.contains("copies more than"));
    }

    #[test]
    fn deeply_nested_braces_are_refused() {
        let text = format!(
            "@book{{x, title = {{{}a{}}}}}\n",
            "{".repeat(500),
            "}".repeat(500)
        );
        assert!(refused(&text).message.contains("nested more than 100 deep"));
        assert_eq!(biblatex("@book{x, title = {A {B {C}} D}}\n"), Ok(()));
    }

    #[test]
    fn an_empty_key_is_refused_at_its_entry() {
        let text = "@book{x, title = {A}}\n@book{, title = {B}}\n";
        let refusal = refused(text);
        assert!(refusal.message.contains("empty key"));
        assert_eq!(refusal.range.start, text.find("@book{,").unwrap());
    }

    #[test]
    fn what_the_raw_parser_cannot_read_is_left_to_the_reader() {
        assert_eq!(biblatex("@book{x, title = {unclosed"), Ok(()));
    }

    #[test]
    fn deeply_nested_yaml_is_refused_and_brackets_in_text_are_not_counted() {
        let deep = format!("a: {}", "[".repeat(100_000));
        let refusal = yaml(&deep).unwrap_err();
        assert_eq!(refusal.range.start, 3 + MAX_YAML_DEPTH);
        let titles: String = (0..500)
            .map(|i| format!("e{i}:\n  title: \"A [draft\"\n  note: see [the notes\n"))
            .collect();
        assert_eq!(yaml(&titles), Ok(()));
        assert_eq!(yaml("a: [[1, 2], {b: [3]}]  # [[[[\n"), Ok(()));
    }

    proptest::proptest! {
        /// No input makes a guard panic or take long.
        #[test]
        fn never_panics(text in "(@string\\{[a-c] = [a-c\"# ]{0,8}\\}\n|@book\\{[a-c]?, (crossref|xdata|title) = \\{[a-c,]{0,5}\\}\\}\n|[\\[\\]{}:\"'#\n -]){0,30}") {
            let _ = biblatex(&text);
            let _ = yaml(&text);
        }
    }
}
