//! Bibliography loading at scale: Hayagriva YAML and BibLaTeX files of 1 to
//! 50 MB (about 4,800 entries a megabyte, every one with a URL), read by
//! `bibliography::parse` — the guard, Hayagriva's reader and the location of
//! every entry — three times each; prints the median time, the throughput
//! and the peak memory against the file's size. Growing sizes show whether
//! the time grows with the size or with its square.
//!
//!   cargo bench --bench bibliography            # YAML 1, 5, 10 MB; BibLaTeX 5, 50 MB
//!   cargo bench --bench bibliography -- 50      # both formats at 50 MB

use std::time::{Duration, Instant};

use ibid::bibliography::parse;

const MB: usize = 1024 * 1024;

fn yaml(bytes: usize) -> String {
    let mut text = String::with_capacity(bytes + 1024);
    let mut i = 0;
    while text.len() < bytes {
        text.push_str(&format!(
            "entry{i}:\n  type: book\n  title: \"Title number {i} of the library\"\n  author: Author{i}, Given\n  date: {}\n  publisher: Press\n  url: {{ value: http://example.org/works/{i}, date: 2024-01-10 }}\n",
            1900 + i % 120
        ));
        i += 1;
    }
    text
}

fn biblatex(bytes: usize) -> String {
    let mut text = String::with_capacity(bytes + 1024);
    text.push_str("@string{press = \"University Press\"}\n");
    let mut i = 0;
    while text.len() < bytes {
        text.push_str(&format!(
            "@book{{entry{i},\n  title = {{Title number {i} of the library}},\n  author = {{Author{i}, Given}},\n  year = {},\n  publisher = press,\n  url = {{http://example.org/works/{i}}},\n}}\n",
            1900 + i % 120
        ));
        i += 1;
    }
    text
}

/// The peak resident memory of the process so far, in MiB (Linux).
fn peak_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

fn measure(name: &str, path: &str, text: &str) {
    let mut times: Vec<Duration> = Vec::new();
    let mut entries = 0;
    for _ in 0..3 {
        let start = Instant::now();
        entries = parse(path, text).expect("parses").len();
        times.push(start.elapsed());
    }
    times.sort();
    let median = times[1];
    let mb = text.len() as f64 / (1024.0 * 1024.0);
    println!(
        "{name}: {mb:.1} MB, {entries} entries: median {:.2} s (runs {}), {:.1} MB/s, peak memory so far {} MiB",
        median.as_secs_f64(),
        times
            .iter()
            .map(|t| format!("{:.2}", t.as_secs_f64()))
            .collect::<Vec<_>>()
            .join(", "),
        mb / median.as_secs_f64(),
        peak_mib().map_or("?".into(), |m| m.to_string()),
    );
}

fn main() {
    let start = peak_mib();
    println!(
        "peak memory before: {} MiB",
        start.map_or("?".into(), |m| m.to_string())
    );
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let (yaml_sizes, bib_sizes) = if sizes.is_empty() {
        (vec![1, 5, 10], vec![5, 50])
    } else {
        (sizes.clone(), sizes)
    };
    for mb in yaml_sizes {
        measure("YAML", "refs.yaml", &yaml(mb * MB));
    }
    for mb in bib_sizes {
        measure("BibLaTeX", "refs.bib", &biblatex(mb * MB));
    }
}
