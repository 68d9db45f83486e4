//! Link checking time: 300 URLs spread over 30 local hosts (127.0.0.1 to
//! 127.0.0.30), each answering after 100 ms, cold and then from the cache.
//!
//!   cargo bench --bench links

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
}
