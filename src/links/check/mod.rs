//! Checking the URLs: what needs no request (offline, excluded, cached, not
//! a web address), then host resolution (a host that does not exist, a
//! private address, no network at all), then the requests themselves
//! ([`request`]), each answer classified ([`classify`]); dead pages get an
//! archive lookup, and definitive results go to the cache.

pub mod classify;
pub mod request;

use std::collections::BTreeMap;
use std::sync::Arc;

use futures::StreamExt;

use super::cache::Cache;
use super::resolve::{Dns, Resolution, Resolver, is_literal, normalize};
use super::{LinkConfig, LinkReport, LinkResult, Network, Outcome, Target, archive};
use request::Requester;

/// Checks every target. Blocking: it runs its own async runtime.
pub fn check_all(
    targets: Vec<Target>,
    config: &LinkConfig,
    resolver: Arc<dyn Resolver>,
) -> LinkReport {
    let mut report = LinkReport::default();
    if config.offline {
        report.network = Network::Offline;
        report.results = targets
            .into_iter()
            .map(|target| result(target, unverified("offline (--offline)"), false))
            .collect();
        return report;
    }
    let (cache, warning) = match &config.cache_path {
        Some(path) => {
            let (cache, warning) = Cache::load(path, config.max_cache_age, config.now);
            (Some(cache), warning)
        }
        None => (None, None),
    };
    report.cache_warnings.extend(warning.map(|w| w.to_string()));
    let mut checking = Checking {
        decided: Vec::with_capacity(targets.len()),
        targets,
        config,
        cache,
        report,
    };
    let pending = checking.without_request();
    let dns = Arc::new(Dns::new(resolver, config.allow_private, config.timeout));
    let to_request = checking.resolve(pending, &dns);
    checking.ask(to_request, dns);
    let Checking {
        decided,
        cache,
        mut report,
        ..
    } = checking;
    if let Some(cache) = cache
        && let Err(err) = cache.save()
    {
        report.cache_warnings.push(err.to_string());
    }
    report.results = decided.into_iter().flatten().collect();
    report
}

/// One check of every target: each decided in turn without a request (the
/// cache, the URL itself), by its host's resolution, or by its server.
struct Checking<'a> {
    targets: Vec<Target>,
    config: &'a LinkConfig,
    cache: Option<Cache>,
    /// Each target's result, once decided.
    decided: Vec<Option<LinkResult>>,
    report: LinkReport,
}

impl Checking<'_> {
    fn decide(&mut self, i: usize, outcome: Outcome, cached: bool) {
        self.decided[i] = Some(result(self.targets[i].clone(), outcome, cached));
    }

    /// Decides what needs no request; returns the rest with their URLs.
    fn without_request(&mut self) -> Vec<(usize, url::Url)> {
        let mut pending = Vec::new();
        for (i, target) in self.targets.iter().enumerate() {
            match decide(target, self.config, self.cache.as_ref()) {
                Decision::Done(outcome, cached) => {
                    self.decided
                        .push(Some(result(target.clone(), outcome, cached)))
                }
                Decision::Request(url) => {
                    self.decided.push(None);
                    pending.push((i, url));
                }
            }
        }
        pending
    }

    /// Resolves the hosts: a name that does not exist is a dead link, a
    /// private address is not probed. When no name resolves, the network is
    /// missing: addresses written as such (127.0.0.1, localhost) say nothing
    /// about it. Returns the URLs to request.
    fn resolve(&mut self, pending: Vec<(usize, url::Url)>, dns: &Dns) -> Vec<(usize, url::Url)> {
        let mut hosts: Vec<String> = pending
            .iter()
            .filter_map(|(_, u)| u.host_str().map(normalize))
            .collect();
        hosts.sort();
        hosts.dedup();
        let resolved = dns.resolve_all(&hosts);
        let names: Vec<&String> = hosts.iter().filter(|h| !is_literal(h)).collect();
        let names_resolve = names
            .iter()
            .any(|h| matches!(resolved.get(*h), Some(Resolution::Addresses(_))));
        if !names.is_empty() && !names_resolve {
            self.report.network = Network::Unavailable(format!(
                "none of the {} host names could be resolved",
                names.len()
            ));
        }
        let mut to_request = Vec::new();
        for (i, url) in pending {
            let host = normalize(url.host_str().unwrap_or_default());
            let outcome = match resolved.get(&host) {
                _ if !names_resolve && !is_literal(&host) => Some(unverified(
                    "network unavailable: no host name could be resolved",
                )),
                Some(Resolution::NotFound(why)) => Some(Outcome::dead(
                    format!("the host {host} does not exist ({why})"),
                    None,
                )),
                Some(Resolution::TimedOut) => Some(unverified(&format!(
                    "the resolver gave no answer for {host} within {} s",
                    self.config.timeout.as_secs()
                ))),
                Some(Resolution::Addresses(ips)) if !dns.allows(ips) => Some(unverified(&format!(
                    "{host} is a private address, not probed (--allow-private checks it)"
                ))),
                _ => None,
            };
            match outcome {
                Some(outcome) => self.decide(i, outcome, false),
                None => to_request.push((i, url)),
            }
        }
        to_request
    }

    /// Asks the servers. When none of several hosts answered, the network
    /// is missing and each is unverified, not dead.
    fn ask(&mut self, to_request: Vec<(usize, url::Url)>, dns: Arc<Dns>) {
        self.report.requests = to_request.len();
        if to_request.is_empty() {
            return;
        }
        let outcomes = run(&to_request, self.config, dns);
        let reached_any = outcomes
            .iter()
            .any(|o| !matches!(o, Outcome::Unreachable { .. }));
        let mut request_hosts: Vec<&str> = to_request
            .iter()
            .filter_map(|(_, u)| u.host_str())
            .collect();
        request_hosts.sort();
        request_hosts.dedup();
        let network_missing = !reached_any && request_hosts.len() > 1;
        if network_missing {
            self.report.network = Network::Unavailable(format!(
                "none of the {} hosts could be reached",
                request_hosts.len()
            ));
        }
        for ((i, url), outcome) in to_request.iter().zip(outcomes) {
            let outcome = if network_missing {
                unverified("network unavailable: no host could be reached")
            } else {
                outcome
            };
            if let Some(cache) = self.cache.as_mut() {
                cache.put(url.as_str(), &outcome);
            }
            self.decide(*i, outcome, false);
        }
    }
}

/// What to do with a URL before any request.
enum Decision {
    /// Known without asking (the flag: from the cache).
    Done(Outcome, bool),
    Request(url::Url),
}

fn decide(target: &Target, config: &LinkConfig, cache: Option<&Cache>) -> Decision {
    let url = match url::Url::parse(&target.written) {
        Ok(url) => url,
        Err(err) => {
            return Decision::Done(
                Outcome::dead(format!("not a valid URL ({err})"), None),
                false,
            );
        }
    };
    if !matches!(url.scheme(), "http" | "https") {
        return Decision::Done(
            unverified(&format!("not a web address ({}:)", url.scheme())),
            false,
        );
    }
    if config
        .exclude
        .iter()
        .any(|re| re.is_match(&target.written) || re.is_match(url.as_str()))
    {
        return Decision::Done(unverified("excluded by --exclude"), false);
    }
    match cache.and_then(|c| c.get(url.as_str())) {
        Some(outcome) => Decision::Done(outcome.clone(), true),
        None => Decision::Request(url),
    }
}

fn result(target: Target, outcome: Outcome, cached: bool) -> LinkResult {
    LinkResult {
        target,
        outcome,
        cached,
    }
}

fn unverified(reason: &str) -> Outcome {
    Outcome::Unverified {
        reason: reason.into(),
    }
}

/// Runs the requests on a runtime of its own, many at once; dead pages get
/// an archive lookup.
fn run(requests: &[(usize, url::Url)], config: &LinkConfig, dns: Arc<Dns>) -> Vec<Outcome> {
    let failed =
        |reason: String| -> Vec<Outcome> { requests.iter().map(|_| unverified(&reason)).collect() };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => return failed(format!("no async runtime: {err}")),
    };
    let outcomes = runtime.block_on(async {
        let requester = match Requester::new(config, dns) {
            Ok(requester) => requester,
            Err(reason) => return failed(reason),
        };
        let archive = config
            .archive_url
            .as_deref()
            .and_then(|base| archive::Archive::new(base, config).ok());
        let progress = progress_bar(config, requests.len());
        let mut outcomes: BTreeMap<usize, Outcome> = BTreeMap::new();
        let mut stream = futures::stream::iter(requests.iter().enumerate())
            .map(|(n, (_, url))| {
                let (requester, archive, progress) = (&requester, archive.as_ref(), &progress);
                async move {
                    let mut outcome = requester.check(url).await;
                    if let (Outcome::Dead { archived, .. }, Some(archive)) = (&mut outcome, archive)
                    {
                        *archived = archive.snapshot(url.as_str()).await;
                    }
                    if let Some(bar) = progress {
                        bar.inc(1);
                    }
                    (n, outcome)
                }
            })
            .buffer_unordered(config.max_concurrency.max(1));
        while let Some((n, outcome)) = stream.next().await {
            outcomes.insert(n, outcome);
        }
        drop(stream);
        if let Some(bar) = progress {
            bar.finish_and_clear();
        }
        outcomes.into_values().collect()
    });
    // Resolver threads still stuck are not waited for.
    runtime.shutdown_background();
    outcomes
}

fn progress_bar(config: &LinkConfig, len: usize) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if !config.progress || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    let style =
        indicatif::ProgressStyle::with_template("checking links {bar:30} {pos}/{len} {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    Some(bar)
}
