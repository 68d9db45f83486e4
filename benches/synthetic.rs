//! Writes a synthetic thesis of N notes over E entries, for the side-by-side
//! benchmarks (`benches/scale.sh`): chapters of prose (some of it Chinese),
//! figures, and notes in the mix a real thesis has — citations with page
//! locators and ranges that the note style turns into footnotes, notes typed
//! by hand in full and short forms, "Ibid." chains, Chinese notes and
//! explanatory notes — over a Hayagriva bibliography of books, articles and
//! web pages. The same seed gives the same project.
//!
//!   cargo bench --bench synthetic -- DIR [--notes 1000] [--entries 200]
//!       [--figures 20] [--words-per-note 60] [--seed 1]
//!
//! Run with no folder (as `cargo bench` does), it writes nothing.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

struct Options {
    dir: PathBuf,
    notes: usize,
    entries: usize,
    figures: usize,
    words_per_note: usize,
    seed: u64,
}

fn main() {
    let Some(options) = options() else {
        eprintln!(
            "usage: cargo bench --bench synthetic -- DIR [--notes N] [--entries E] \
             [--figures F] [--words-per-note W] [--seed S]"
        );
        return;
    };
    let project = Project::generate(&options);
    if let Err(err) = project.write(&options.dir) {
        eprintln!("synthetic: cannot write {}: {err}", options.dir.display());
        std::process::exit(2);
    }
    eprintln!(
        "synthetic: {} notes, {} entries, {} figures, {} chapters in {}",
        options.notes,
        options.entries,
        options.figures,
        project.chapters.len(),
        options.dir.display()
    );
}

fn options() -> Option<Options> {
    let mut args = std::env::args().skip(1);
    let mut options = Options {
        dir: PathBuf::new(),
        notes: 1000,
        entries: 200,
        figures: 20,
        words_per_note: 60,
        seed: 1,
    };
    let mut dir = None;
    while let Some(arg) = args.next() {
        let mut number = |name: &str| -> usize {
            args.next()
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("{name} takes a number"))
        };
        match arg.as_str() {
            "--notes" => options.notes = number("--notes"),
            "--entries" => options.entries = number("--entries").max(1),
            "--figures" => options.figures = number("--figures"),
            "--words-per-note" => options.words_per_note = number("--words-per-note"),
            "--seed" => options.seed = number("--seed") as u64,
            // What `cargo bench` passes to every bench target.
            "--bench" => {}
            other if !other.starts_with('-') => dir = Some(PathBuf::from(other)),
            other => panic!("unknown option {other}"),
        }
    }
    options.dir = dir?;
    Some(options)
}

/// SplitMix64: small, fast, and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const FAMILIES: &[&str] = &[
    "Yang",
    "MacFarquhar",
    "Samarani",
    "Xie",
    "Teiwes",
    "Bernstein",
    "Dikötter",
    "Chan",
    "Becker",
    "Thaxton",
    "Manning",
    "Wemheuer",
    "Bramall",
    "Walder",
    "Lardy",
    "Domenach",
    "Müller",
    "García",
];
const GIVEN: &[&str] = &[
    "Jisheng",
    "Roderick",
    "Guido",
    "Chuntao",
    "Frederick",
    "Thomas",
    "Frank",
    "Alfred",
    "Jasper",
    "Ralph",
    "Kimberley",
    "Felix",
    "Chris",
    "Andrew",
    "Nicholas",
    "Jean-Luc",
    "Anna",
    "Lucía",
];
const TITLE_WORDS: &[&str] = &[
    "Famine",
    "Politics",
    "Revolution",
    "Leap",
    "Commune",
    "Harvest",
    "Party",
    "Province",
    "Village",
    "Memory",
    "Campaign",
    "State",
    "Grain",
    "Steel",
    "Plenum",
    "Cadres",
    "Reform",
    "History",
    "Origins",
    "Crisis",
];
const PROSE: &[&str] = &[
    "the",
    "provincial",
    "leadership",
    "reported",
    "grain",
    "output",
    "that",
    "no",
    "county",
    "could",
    "have",
    "produced",
    "while",
    "procurement",
    "quotas",
    "rose",
    "each",
    "season",
    "and",
    "the",
    "communes",
    "were",
    "asked",
    "to",
    "deliver",
    "more",
    "than",
    "they",
    "kept",
    "for",
    "themselves",
    "in",
    "the",
    "spring",
    "of",
    "1959",
    "cadres",
    "who",
    "doubted",
    "the",
    "figures",
    "were",
    "criticised",
    "as",
    "right",
    "opportunists",
    "at",
    "meetings",
    "held",
    "across",
    "Henan",
    "Anhui",
    "and",
    "Sichuan",
];
// Chinese from the thesis itself, so that the shipped CJK subset covers it.
const CHINESE: &[&str] = &[
    "大跃进是中华人民共和国的第二个五年计划。",
    "这场经济建设运动给中国的经济带来了很大的损失。",
    "但是庐山会议后这种纠正的工作就结束了。",
    "当时的中国的经济情况面临严重困难，包括严重的财政赤字和粮食的极度缺乏。",
];
/// Chinese books: author, title, and the key's romanised prefix.
const CHINESE_NAMES: &[(&str, &str, &str)] = &[
    ("杨继绳", "墓碑：中国六十年代大饥荒纪实", "yang"),
    ("谢春涛", "大跃进", "xie"),
    ("中共中央", "关于人民公社管理体制的若干规定", "zhonggong"),
    ("中共中央", "工作方法六十条", "gongzuo"),
];

#[derive(Clone)]
struct Entry {
    key: String,
    family: String,
    given: String,
    title: String,
    short: String,
    year: usize,
    kind: Kind,
    pages: usize,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Book,
    Article,
    Web,
    Chinese(usize),
}

struct Project {
    entries: Vec<Entry>,
    chapters: Vec<String>,
    figures: usize,
}

impl Project {
    fn generate(options: &Options) -> Self {
        let mut rng = Rng(options.seed);
        let entries = entries(&mut rng, options.entries);
        let chapter_count = (options.notes / 40).clamp(1, 12);
        let mut chapters = vec![String::new(); chapter_count];
        // The last work a note cited, for "Ibid." and short forms.
        let mut last: Option<usize> = None;
        let mut cited = vec![false; entries.len()];
        for note in 0..options.notes {
            let chapter = note * chapter_count / options.notes.max(1);
            let out = &mut chapters[chapter];
            if out.is_empty() {
                let _ = writeln!(
                    out,
                    "= Chapter {}: {} and {}\n",
                    chapter + 1,
                    rng.pick(TITLE_WORDS),
                    rng.pick(TITLE_WORDS)
                );
            }
            if note % 40 == 0 {
                let _ = writeln!(out, "== {} in {}\n", rng.pick(TITLE_WORDS), 1958 + note % 4);
            }
            let figure = options.figures * note / options.notes.max(1);
            if options.figures > 0 && (options.figures * (note + 1) / options.notes.max(1)) > figure
            {
                let _ = writeln!(
                    out,
                    "#figure(image(\"../figures/fig{figure}.svg\", width: 70%), caption: [{} of {}, {}])\n",
                    rng.pick(TITLE_WORDS),
                    rng.pick(TITLE_WORDS),
                    1958 + figure % 4
                );
            }
            prose(&mut rng, out, options.words_per_note);
            // An entry not yet cited first, so that every entry is used.
            let work = cited
                .iter()
                .position(|c| !c)
                .filter(|_| rng.below(3) > 0)
                .unwrap_or_else(|| rng.below(entries.len()));
            let entry = &entries[work];
            let page = 1 + rng.below(entry.pages.saturating_sub(12).max(1));
            let roll = rng.below(100);
            let mut cites = Some(work);
            match roll {
                0..=54 => {
                    let _ = write!(out, "@{}[p. {page}]", entry.key);
                }
                55..=64 => {
                    let _ = write!(
                        out,
                        "@{}[pp. {page}–{}]",
                        entry.key,
                        page + 1 + rng.below(9)
                    );
                }
                65..=74 => {
                    // Typed by hand, in full or short form.
                    let text = if cited[work] {
                        format!("{}, _{}_, {page}.", entry.family, entry.short)
                    } else {
                        full(entry, page)
                    };
                    let _ = write!(out, "#footnote[{text}]");
                }
                75..=81 => match last {
                    Some(previous) => {
                        let pages = entries[previous].pages.saturating_sub(12).max(1);
                        let _ = write!(out, "#footnote[Ibid., {}.]", 1 + rng.below(pages));
                        cites = last;
                    }
                    None => {
                        let _ = write!(out, "@{}[p. {page}]", entry.key);
                    }
                },
                82..=86 => {
                    // GB/T 7714, as Chinese theses write it.
                    let (author, title, _) = *rng.pick(CHINESE_NAMES);
                    let _ = write!(
                        out,
                        "#footnote[{author}. {title}\\[M\\]. Hong Kong: Tiandi Tushu, {}: {page}.]",
                        1990 + rng.below(20)
                    );
                    cites = None;
                }
                _ => {
                    let _ = write!(out, "#footnote[");
                    prose(&mut rng, out, 18);
                    let _ = write!(out, "]");
                    cites = None;
                }
            }
            if let Some(work) = cites {
                cited[work] = true;
            }
            last = cites;
            out.push_str(".\n\n");
        }
        Self {
            entries,
            chapters,
            figures: options.figures,
        }
    }

    fn write(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir.join("chapters"))?;
        std::fs::create_dir_all(dir.join("figures"))?;
        let mut main = String::from(
            "// A synthetic thesis (benches/synthetic.rs).\n\
             #set page(paper: \"a4\", margin: 2.5cm, numbering: \"1\")\n\
             #set text(font: (\"Libertinus Serif\", \"Noto Serif CJK SC\"), size: 11pt, lang: \"en\")\n\
             #set par(justify: true)\n\
             #set heading(numbering: \"1.1\")\n\
             #show heading.where(level: 1): it => { pagebreak(weak: true); it }\n\n\
             #outline()\n\n",
        );
        for (i, chapter) in self.chapters.iter().enumerate() {
            std::fs::write(dir.join(format!("chapters/ch{i}.typ")), chapter)?;
            let _ = writeln!(main, "#include \"chapters/ch{i}.typ\"");
        }
        main.push_str(
            "\n#bibliography(\"refs.yaml\", title: \"Bibliography\", style: \"chicago-notes\")\n",
        );
        std::fs::write(dir.join("main.typ"), main)?;
        std::fs::write(dir.join("refs.yaml"), self.yaml())?;
        for figure in 0..self.figures {
            std::fs::write(dir.join(format!("figures/fig{figure}.svg")), svg(figure))?;
        }
        Ok(())
    }

    fn yaml(&self) -> String {
        let mut yaml = String::new();
        for e in &self.entries {
            let _ = writeln!(yaml, "{}:", e.key);
            match e.kind {
                Kind::Book => {
                    let _ = writeln!(
                        yaml,
                        "  type: book\n  title: \"{}\"\n  author: \"{}, {}\"\n  date: {}\n  publisher: University Press\n  location: New York\n  page-total: {}",
                        e.title, e.family, e.given, e.year, e.pages
                    );
                }
                Kind::Article => {
                    let _ = writeln!(
                        yaml,
                        "  type: article\n  title: \"{}\"\n  author: \"{}, {}\"\n  date: {}\n  page-range: 1-{}\n  parent:\n    type: periodical\n    title: The China Quarterly\n    volume: {}",
                        e.title,
                        e.family,
                        e.given,
                        e.year,
                        e.pages,
                        e.year - 1950
                    );
                }
                Kind::Web => {
                    let _ = writeln!(
                        yaml,
                        "  type: web\n  title: \"{}\"\n  author: \"{}, {}\"\n  date: {}\n  url:\n    value: https://archive.example.org/{}\n    date: 2024-03-01",
                        e.title, e.family, e.given, e.year, e.key
                    );
                }
                Kind::Chinese(i) => {
                    let (author, title, _) = CHINESE_NAMES[i];
                    let _ = writeln!(
                        yaml,
                        "  type: book\n  title: {title}\n  author: {author}\n  date: {}\n  publisher: Tiandi Tushu\n  location: Hong Kong\n  page-total: {}",
                        e.year, e.pages
                    );
                }
            }
        }
        yaml
    }
}

fn entries(rng: &mut Rng, count: usize) -> Vec<Entry> {
    (0..count)
        .map(|i| {
            let kind = match i % 10 {
                0..=5 => Kind::Book,
                6..=7 => Kind::Article,
                8 => Kind::Web,
                _ => Kind::Chinese(i / 10 % CHINESE_NAMES.len()),
            };
            let family = match kind {
                Kind::Chinese(c) => CHINESE_NAMES[c].2.to_string(),
                _ => rng.pick(FAMILIES).to_string(),
            };
            let given = rng.pick(GIVEN).to_string();
            let a = rng.pick(TITLE_WORDS);
            let b = rng.pick(TITLE_WORDS);
            let title = format!("{a} and {b} in China, volume {i}");
            let year = match kind {
                // Distinct years keep the Chinese books, four titles, apart.
                Kind::Chinese(_) => 1950 + i % 70,
                _ => 1960 + rng.below(60),
            };
            Entry {
                key: format!("{}{year}{i}", ascii_lowercase(&family)),
                short: format!("{a} and {b} {i}"),
                family,
                given,
                title,
                year,
                kind,
                pages: 120 + rng.below(600),
            }
        })
        .collect()
}

fn ascii_lowercase(name: &str) -> String {
    name.to_lowercase()
        .replace('ö', "o")
        .replace('ü', "u")
        .replace('í', "i")
}

/// A first citation typed by hand in Chicago's full form.
fn full(entry: &Entry, page: usize) -> String {
    match entry.kind {
        Kind::Chinese(i) => {
            let (author, title, _) = CHINESE_NAMES[i];
            format!(
                "{author}. {title}\\[M\\]. Hong Kong: Tiandi Tushu, {}: {page}.",
                entry.year
            )
        }
        Kind::Article => format!(
            "{} {}, “{},” _The China Quarterly_ {} ({}): {page}.",
            entry.given,
            entry.family,
            entry.title,
            entry.year - 1950,
            entry.year
        ),
        _ => format!(
            "{} {}, _{}_ (New York: University Press, {}), {page}.",
            entry.given, entry.family, entry.title, entry.year
        ),
    }
}

fn prose(rng: &mut Rng, out: &mut String, words: usize) {
    for i in 0..words {
        if i > 0 && i % 25 == 0 {
            out.push_str(". ");
            if rng.below(6) == 0 {
                let sentence = rng.pick::<&str>(CHINESE);
                out.push_str(sentence);
                out.push(' ');
            }
        } else if i > 0 {
            out.push(' ');
        }
        let word = rng.pick::<&str>(PROSE);
        out.push_str(word);
    }
}

/// A small chart, different for each figure.
fn svg(seed: usize) -> String {
    let mut bars = String::new();
    for i in 0..12 {
        let height = 20 + (seed * 37 + i * 53) % 160;
        let _ = write!(
            bars,
            "<rect x=\"{}\" y=\"{}\" width=\"20\" height=\"{height}\" fill=\"#4a6fa5\"/>",
            20 + i * 30,
            190 - height
        );
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"400\" height=\"200\" viewBox=\"0 0 400 200\">\
         <rect width=\"400\" height=\"200\" fill=\"white\"/>{bars}\
         <line x1=\"10\" y1=\"190\" x2=\"390\" y2=\"190\" stroke=\"black\"/></svg>\n"
    )
}
