//! Checking the URLs: cache first, then host resolution, then lychee-lib's
//! client, many at once and a few per host, each answer classified.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use futures::StreamExt;
use http::StatusCode;
use lychee_lib::ratelimit::RateLimitConfig;
use lychee_lib::{ClientBuilder, ErrorKind, Status};

use super::cache::Cache;
use super::resolve::{Resolution, Resolver, is_private};
use super::{LinkConfig, LinkReport, LinkResult, Network, Outcome, Target, archive};

/// Checks every target. Blocking: it runs its own async runtime.
pub fn check_all(targets: Vec<Target>, config: &LinkConfig, resolver: &dyn Resolver) -> LinkReport {
    let mut report = LinkReport::default();
    if config.offline {
        report.network = Network::Offline;
        report.results = targets
            .into_iter()
            .map(|target| unverified(target, "offline (--offline)"))
            .collect();
        return report;
    }

    let (mut cache, warning) = match &config.cache_path {
        Some(path) => {
            let (cache, warning) =
                Cache::load(path, config.max_cache_age.as_secs() as i64, config.now);
            (Some(cache), warning)
        }
        None => (None, None),
    };
    report.cache_warnings.extend(warning.map(|w| w.to_string()));

    // Decide what needs a request.
    let mut decided: Vec<Option<LinkResult>> = Vec::new();
    let mut pending: Vec<(usize, url::Url)> = Vec::new();
    for (i, target) in targets.iter().enumerate() {
        let result = |outcome| {
            Some(LinkResult {
                target: target.clone(),
                outcome,
                cached: false,
            })
        };
        let url = match url::Url::parse(&target.written) {
            Ok(url) => url,
            Err(err) => {
                decided.push(result(Outcome::dead(
                    format!("not a valid URL ({err})"),
                    None,
                )));
                continue;
            }
        };
        if !matches!(url.scheme(), "http" | "https") {
            decided.push(result(Outcome::Unverified {
                reason: format!("not a web address ({}:)", url.scheme()),
            }));
        } else if config
            .exclude
            .iter()
            .any(|re| re.is_match(&target.written) || re.is_match(url.as_str()))
        {
            decided.push(result(Outcome::Unverified {
                reason: "excluded by --exclude".into(),
            }));
        } else if let Some(outcome) = cache.as_ref().and_then(|c| c.get(url.as_str())) {
            decided.push(Some(LinkResult {
                target: target.clone(),
                outcome: outcome.clone(),
                cached: true,
            }));
        } else {
            decided.push(None);
            pending.push((i, url));
        }
    }

    // Resolve the hosts: a name that does not exist is a dead link, a private
    // address is not probed, and nothing resolving at all means no network.
    let hosts: Vec<String> = {
        let mut hosts: Vec<String> = pending
            .iter()
            .filter_map(|(_, u)| u.host_str().map(String::from))
            .collect();
        hosts.sort();
        hosts.dedup();
        hosts
    };
    let resolved: HashMap<String, Resolution> = std::thread::scope(|scope| {
        let handles: Vec<_> = hosts
            .iter()
            .map(|host| scope.spawn(move || (host.clone(), resolver.resolve(host))))
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    let any_resolved = resolved
        .values()
        .any(|r| matches!(r, Resolution::Addresses(_)));
    if !hosts.is_empty() && !any_resolved {
        report.network = Network::Unavailable(format!(
            "none of the {} hosts could be resolved",
            hosts.len()
        ));
    }

    let mut to_request: Vec<(usize, url::Url)> = Vec::new();
    for (i, url) in pending {
        let host = url.host_str().unwrap_or_default();
        let outcome = match resolved.get(host) {
            _ if report.network != Network::Available => Some(Outcome::Unverified {
                reason: "network unavailable: no host could be resolved".into(),
            }),
            Some(Resolution::NotFound(why)) => Some(Outcome::dead(
                format!("the host {host} does not exist ({why})"),
                None,
            )),
            Some(Resolution::Addresses(ips))
                if !config.allow_private && ips.iter().any(|ip| is_private(*ip)) =>
            {
                Some(Outcome::Unverified {
                    reason: format!(
                        "{host} is a private address, not probed (--allow-private checks it)"
                    ),
                })
            }
            _ => None,
        };
        match outcome {
            Some(outcome) => {
                decided[i] = Some(LinkResult {
                    target: targets[i].clone(),
                    outcome,
                    cached: false,
                })
            }
            None => to_request.push((i, url)),
        }
    }

    // Ask lychee-lib.
    report.requests = to_request.len();
    if !to_request.is_empty() {
        let outcomes = run(&to_request, config);
        let reached_any = outcomes
            .iter()
            .any(|o| !matches!(o, Outcome::Unreachable { .. }));
        if !reached_any && hosts.len() > 1 {
            report.network = Network::Unavailable(format!(
                "none of the {} hosts could be reached",
                hosts.len()
            ));
        }
        for ((i, url), outcome) in to_request.iter().zip(outcomes) {
            let outcome = if report.network == Network::Available {
                outcome
            } else {
                Outcome::Unverified {
                    reason: "network unavailable: no host could be reached".into(),
                }
            };
            if let Some(cache) = cache.as_mut() {
                cache.put(url.as_str(), &outcome);
            }
            decided[*i] = Some(LinkResult {
                target: targets[*i].clone(),
                outcome,
                cached: false,
            });
        }
    }

    if let Some(cache) = cache
        && let Err(err) = cache.save()
    {
        report.cache_warnings.push(err.to_string());
    }
    report.results = decided.into_iter().flatten().collect();
    report
}

fn unverified(target: Target, reason: &str) -> LinkResult {
    LinkResult {
        target,
        outcome: Outcome::Unverified {
            reason: reason.into(),
        },
        cached: false,
    }
}

/// Runs the requests on a runtime of its own and classifies the answers;
/// dead pages get an archive lookup.
fn run(requests: &[(usize, url::Url)], config: &LinkConfig) -> Vec<Outcome> {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            return requests
                .iter()
                .map(|_| Outcome::Unverified {
                    reason: format!("no async runtime: {err}"),
                })
                .collect();
        }
    };
    runtime.block_on(async {
        let client = match client(config) {
            Ok(client) => client,
            Err(reason) => {
                return requests
                    .iter()
                    .map(|_| Outcome::Unverified {
                        reason: reason.clone(),
                    })
                    .collect();
            }
        };
        let progress = progress_bar(config, requests.len());
        let archive_client = reqwest::Client::builder()
            .user_agent(config.user_agent.clone())
            .build()
            .ok();
        let mut outcomes: BTreeMap<usize, Outcome> = BTreeMap::new();
        let mut stream = futures::stream::iter(requests.iter().enumerate())
            .map(|(n, (_, url))| {
                let client = &client;
                let archive_client = archive_client.as_ref();
                let progress = progress.as_ref();
                async move {
                    // lychee retries timeouts and 429; a server error (5xx)
                    // may pass too, so it is retried here.
                    let mut attempt = 0;
                    let mut outcome = loop {
                        let (outcome, server_error) = match client.check(url.as_str()).await {
                            Ok(response) => {
                                let body = response.body();
                                let server_error =
                                    body.status.code().is_some_and(|c| c.is_server_error());
                                (
                                    classify(&body.status, body.redirects.as_ref(), config.timeout),
                                    server_error,
                                )
                            }
                            Err(err) => (classify_error(&err), false),
                        };
                        if !server_error || attempt >= config.max_retries {
                            break outcome;
                        }
                        attempt += 1;
                        tokio::time::sleep(Duration::from_millis(200 << attempt.min(5))).await;
                    };
                    if let (Outcome::Dead { archived, .. }, Some(base), Some(http)) =
                        (&mut outcome, config.archive_url.as_deref(), archive_client)
                    {
                        *archived =
                            archive::snapshot(http, base, url.as_str(), config.timeout).await;
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
    })
}

fn client(config: &LinkConfig) -> Result<lychee_lib::Client, String> {
    let accepted: std::collections::HashSet<StatusCode> = config.accept.clone().into();
    ClientBuilder::builder()
        .max_retries(config.max_retries)
        .retry_wait_time(Duration::from_millis(200))
        .timeout(config.timeout)
        .user_agent(config.user_agent.clone())
        .accepted(accepted)
        .exclude_all_private(!config.allow_private)
        .rate_limit_config(RateLimitConfig {
            concurrency: config.max_per_host.max(1),
            request_interval: Duration::ZERO,
        })
        .build()
        .client()
        .map_err(|err| format!("could not set up the HTTP client: {err}"))
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

/// What a lychee status means for the reader of the thesis.
pub fn classify(
    status: &Status,
    redirects: Option<&lychee_lib::Redirects>,
    timeout: Duration,
) -> Outcome {
    match status {
        Status::Ok(_) => match permanent_redirect(redirects) {
            Some((to, code)) => Outcome::Moved { to, code },
            None => Outcome::Alive,
        },
        Status::Timeout(_) => Outcome::Unreachable {
            reason: format!("no answer within {} s", timeout.as_secs()),
        },
        Status::Excluded => Outcome::Unverified {
            reason: "excluded".into(),
        },
        Status::Unsupported(kind) => Outcome::Unverified {
            reason: format!("not supported: {kind}"),
        },
        Status::RequestError(err) => {
            Outcome::dead(format!("the request could not be made: {err}"), None)
        }
        Status::UnknownMailStatus(reason) => Outcome::Unverified {
            reason: reason.clone(),
        },
        Status::Cached(_) => Outcome::Unverified {
            reason: "cached by lychee".into(),
        },
        Status::UnknownStatusCode(code) => by_code(code.as_u16()),
        Status::Error(kind) => match status.code() {
            Some(code) => by_code(code.as_u16()),
            None => classify_error(kind),
        },
    }
}

fn by_code(code: u16) -> Outcome {
    match code {
        // Permission and rate limits say nothing about the page itself.
        401 | 403 | 405 | 406 | 429 | 451 | 999 => Outcome::Blocked { code },
        // 404 and 410 above all; any other 4xx is the page's fault too.
        400..=499 => Outcome::dead(format!("the server answers {code}"), Some(code)),
        // A redirect as the last answer: the chain was cut at its limit.
        300..=399 => Outcome::Unreachable {
            reason: format!(
                "the server redirects in a loop or too many times (last answer {code})"
            ),
        },
        _ => Outcome::Unreachable {
            reason: format!("the server answers {code}"),
        },
    }
}

/// A failure without an HTTP answer.
fn classify_error(kind: &ErrorKind) -> Outcome {
    let chain = error_chain(kind);
    let lower = chain.to_lowercase();
    let reqwest = std::error::Error::source(kind).and_then(|e| e.downcast_ref::<reqwest::Error>());
    let reason = if reqwest.is_some_and(reqwest::Error::is_redirect) || lower.contains("redirect") {
        "the server redirects in a loop (or too many times)".to_string()
    } else if reqwest.is_some_and(reqwest::Error::is_timeout) || lower.contains("timed out") {
        "no answer in time".to_string()
    } else if lower.contains("dns error")
        || lower.contains("failed to lookup")
        || lower.contains("name or service not known")
    {
        return Outcome::dead(format!("the host does not exist ({chain})"), None);
    } else if lower.contains("connection refused") {
        "the connection was refused".to_string()
    } else if lower.contains("certificate") || lower.contains("tls") || lower.contains("ssl") {
        format!("the secure connection failed ({chain})")
    } else {
        chain
    };
    Outcome::Unreachable { reason }
}

/// The error and its causes, as one line.
fn error_chain(kind: &ErrorKind) -> String {
    let mut parts = vec![kind.to_string()];
    let mut source = std::error::Error::source(kind);
    while let Some(err) = source {
        let text = err.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = err.source();
    }
    parts.join(": ")
}

/// The final address when the first redirect was permanent (301, 308).
fn permanent_redirect(redirects: Option<&lychee_lib::Redirects>) -> Option<(String, u16)> {
    // lychee keeps the chain private but serialises it: {origin, redirects:
    // [{url, code}]}.
    let value = serde_json::to_value(redirects?).ok()?;
    let hops = value.get("redirects")?.as_array()?;
    let first = hops.first()?;
    let code = first.get("code").and_then(serde_json::Value::as_u64)? as u16;
    let last = hops.last()?.get("url")?.as_str()?.to_string();
    matches!(code, 301 | 308).then_some((last, code))
}
