//! Link checking time: 300 URLs spread over 30 local hosts (127.0.0.1 to
//! 127.0.0.30), each answering after 100 ms, cold and then from the cache.
//! Then side by side with lychee (when `lychee` is on PATH; `cargo install
//! lychee --version 0.24.2 --locked`): the checks alone, ibid's against
//! lychee's on the same URL list, and a whole run, `ibid audit --links-only`
//! on a document holding the 300 URLs against `typst compile` of it
//! followed by lychee (when `typst` is on PATH). Five runs each, medians.
//!
//!   cargo build --release && cargo bench --bench links

#[path = "../tests/support/server.rs"]
mod server;

use std::time::{Duration, Instant};

use ibid::links::check::check_all;
use ibid::links::resolve::StaticResolver;
use ibid::links::{Holder, LinkConfig, Outcome, Site, Target};
use server::{Reply, Server};

const HOSTS: usize = 30;
const PER_HOST: usize = 10;
const LATENCY: Duration = Duration::from_millis(100);

fn main() {
    let servers: Vec<Server> = (1..=HOSTS)
        .map(|i| {
            let routes = (0..PER_HOST)
                .map(|p| {
                    (
                        format!("/page{p}"),
                        Reply::Delayed(LATENCY, Box::new(Reply::ok())),
                    )
                })
                .collect::<Vec<_>>();
            let routes = routes
                .iter()
                .map(|(p, r)| (p.as_str(), r.clone()))
                .collect();
            Server::start(&format!("127.0.0.{i}"), routes)
        })
        .collect();
    let targets: Vec<Target> = servers
        .iter()
        .flat_map(|s| (0..PER_HOST).map(move |p| s.url(&format!("/page{p}"))))
        .map(|url| Target {
            written: url,
            sites: vec![Site {
                holder: Holder::Entry { key: "k".into() },
                span: None,
            }],
        })
        .collect();
    let dir = std::env::temp_dir().join(format!("ibid-bench-links-{}", std::process::id()));
    let config = LinkConfig {
        allow_private: true,
        archive_url: None,
        cache_path: Some(dir.join("links.json")),
        now: 1_780_000_000,
        ..LinkConfig::default()
    };
    let resolver: std::sync::Arc<dyn ibid::links::resolve::Resolver> =
        std::sync::Arc::new(StaticResolver::default());
    let run = |label: &str| {
        let start = Instant::now();
        let report = check_all(targets.clone(), &config, resolver.clone());
        let elapsed = start.elapsed();
        let alive = report
            .results
            .iter()
            .filter(|r| r.outcome == Outcome::Alive)
            .count();
        let requests: usize = servers.iter().map(Server::requests).sum();
        println!(
            "{label}: {} URLs on {HOSTS} hosts ({} ms latency): {:.3} s, {alive} alive, {} checked now, {requests} requests so far (concurrency {}, per host {})",
            targets.len(),
            LATENCY.as_millis(),
            elapsed.as_secs_f64(),
            report.requests,
            config.max_concurrency,
            config.max_per_host,
        );
    };
    run("cold cache");
    run("warm cache");
    let _ = std::fs::remove_dir_all(&dir);

    let urls: Vec<String> = targets.iter().map(|t| t.written.clone()).collect();
    side_by_side(&urls, &config, &resolver);
}

const RUNS: usize = 5;

fn median(mut times: Vec<f64>) -> (f64, f64, f64) {
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], times[0], times[times.len() - 1])
}

/// Times `run` RUNS times: median, fastest, slowest, in seconds.
fn timed(mut run: impl FnMut()) -> (f64, f64, f64) {
    median(
        (0..RUNS)
            .map(|_| {
                let start = Instant::now();
                run();
                start.elapsed().as_secs_f64()
            })
            .collect(),
    )
}

fn on_path(program: &str) -> bool {
    std::process::Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn side_by_side(
    urls: &[String],
    config: &LinkConfig,
    resolver: &std::sync::Arc<dyn ibid::links::resolve::Resolver>,
) {
    if !on_path("lychee") {
        println!(
            "lychee is not on PATH: no side-by-side (cargo install lychee --version 0.24.2 --locked)"
        );
        return;
    }
    let dir = std::env::temp_dir().join(format!("ibid-bench-lychee-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let list = dir.join("urls.txt");
    std::fs::write(&list, urls.join("\n")).unwrap();
    let no_cache = LinkConfig {
        cache_path: None,
        ..config.clone()
    };
    let targets: Vec<Target> = urls
        .iter()
        .map(|url| Target {
            written: url.clone(),
            sites: vec![Site {
                holder: Holder::Entry { key: "k".into() },
                span: None,
            }],
        })
        .collect();
    let report = |label: &str, (median, low, high): (f64, f64, f64)| {
        println!("{label:<58} median {median:.3} s (range {low:.3}-{high:.3}, {RUNS} runs)");
    };
    let ibid_checks = timed(|| {
        check_all(targets.clone(), &no_cache, resolver.clone());
    });
    report(
        &format!("ibid checks, concurrency {}", no_cache.max_concurrency),
        ibid_checks,
    );
    let lychee = |concurrency: Option<usize>| {
        let mut command = std::process::Command::new("lychee");
        command
            .args(["--no-progress", "--timeout", "20", "--max-retries", "3"])
            .arg(&list);
        if let Some(n) = concurrency {
            command.args(["--max-concurrency", &n.to_string()]);
        }
        let out = command.output().expect("lychee runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
    };
    let lychee_default = timed(|| lychee(None));
    report("lychee, its default concurrency (128)", lychee_default);
    report("lychee --max-concurrency 32", timed(|| lychee(Some(32))));

    if !on_path("typst") {
        println!("typst is not on PATH: no whole-run comparison");
        return;
    }
    let ibid = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/ibid");
    if !ibid.is_file() {
        println!("no target/release/ibid: run cargo build --release first");
        return;
    }
    let links: String = urls
        .iter()
        .enumerate()
        .map(|(i, url)| format!("Source {i}: #link(\"{url}\").\n\n"))
        .collect();
    std::fs::write(dir.join("main.typ"), links).unwrap();
    let ibid_run = timed(|| {
        let out = std::process::Command::new(&ibid)
            .args([
                "audit",
                "main.typ",
                "--links-only",
                "--allow-private",
                "--no-archive",
                "--no-cache",
                "--quiet",
            ])
            .arg("--format=json")
            .current_dir(&dir)
            .env("TYPST_IGNORE_SYSTEM_FONTS", "true")
            .output()
            .expect("ibid runs");
        assert!(
            out.status.code().is_some(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    });
    report("ibid audit --links-only (compile + checks)", ibid_run);
    let typst_then_lychee = timed(|| {
        let out = std::process::Command::new("typst")
            .args(["compile", "--ignore-system-fonts", "main.typ"])
            .current_dir(&dir)
            .output()
            .expect("typst runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        lychee(None);
    });
    report(
        "typst compile, then lychee (default concurrency)",
        typst_then_lychee,
    );
    let _ = std::fs::remove_dir_all(&dir);
}
