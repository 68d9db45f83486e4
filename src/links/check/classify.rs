//! What an answer, or a failure to get one, means for the reader of the
//! thesis.

use std::time::Duration;

use super::super::Outcome;

/// The outcome of a final answer (not a redirect), by its status code.
pub fn by_code(code: u16, accepted: bool) -> Outcome {
    if !(100..=599).contains(&code) {
        // 999 and the like are no HTTP status: nothing is known.
        return Outcome::Unreachable {
            reason: format!("the server answers {code}, which is not an HTTP status"),
        };
    }
    if accepted {
        return Outcome::Alive;
    }
    match code {
        // Permission and rate limits say nothing about the page itself.
        401 | 403 | 405 | 406 | 429 | 451 => Outcome::Blocked {
            code,
            retry_after: None,
        },
        // 404 and 410 above all; any other 4xx is the page's fault too.
        400..=499 => Outcome::dead(format!("the server answers {code}"), Some(code)),
        _ => Outcome::Unreachable {
            reason: format!("the server answers {code}"),
        },
    }
}

/// A request that got no answer.
pub fn error(err: &reqwest::Error, timeout: Duration) -> Outcome {
    let chain = chain(err);
    let lower = chain.to_lowercase();
    let reason = if err.is_timeout() || lower.contains("timed out") {
        format!("no answer within {} s", timeout.as_secs())
    } else if lower.contains("private address") {
        return Outcome::Unverified {
            reason: format!("{chain} (not probed; --allow-private checks it)"),
        };
    } else if lower.contains("failed to lookup")
        || lower.contains("dns error")
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
fn chain(err: &dyn std::error::Error) -> String {
    let mut parts = vec![err.to_string()];
    let mut source = err.source();
    while let Some(err) = source {
        let text = err.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = err.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        assert_eq!(by_code(200, true), Outcome::Alive);
        assert!(matches!(
            by_code(404, false),
            Outcome::Dead {
                code: Some(404),
                ..
            }
        ));
        assert!(matches!(
            by_code(403, false),
            Outcome::Blocked { code: 403, .. }
        ));
        assert!(matches!(by_code(503, false), Outcome::Unreachable { .. }));
    }

    #[test]
    fn status_999_is_not_an_http_status_and_not_blocked() {
        let Outcome::Unreachable { reason } = by_code(999, false) else {
            panic!()
        };
        assert!(reason.contains("not an HTTP status"), "{reason}");
    }
}
