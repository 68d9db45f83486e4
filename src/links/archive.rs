//! Archived copies of dead pages, from the Wayback Machine's availability API
//! (`GET {base}/wayback/available?url=…`); the base is configurable so tests
//! can answer from 127.0.0.1. The answer is bounded in time and size, and
//! what it names is used only if it is a web address.

use std::time::Duration;

use super::LinkConfig;

/// The most of an availability answer that is read (a real one is a few
/// hundred bytes).
pub const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// The availability API, with its own client.
pub struct Archive {
    client: reqwest::Client,
    base: String,
    timeout: Duration,
}

impl Archive {
    pub fn new(base: &str, config: &LinkConfig) -> Result<Self, reqwest::Error> {
        crate::tls::provider();
        let client = reqwest::Client::builder()
            .user_agent(config.user_agent.clone())
            .connect_timeout(config.timeout)
            .build()?;
        Ok(Self {
            client,
            base: base.trim_end_matches('/').to_string(),
            timeout: config.timeout,
        })
    }

    /// The URL of the closest archived copy of `url`, if the archive has one.
    pub async fn snapshot(&self, url: &str) -> Option<String> {
        tokio::time::timeout(self.timeout, self.ask(url))
            .await
            .ok()
            .flatten()
    }

    async fn ask(&self, url: &str) -> Option<String> {
        let endpoint = format!("{}/wayback/available", self.base);
        let endpoint = url::Url::parse_with_params(&endpoint, &[("url", url)]).ok()?;
        let mut response = self.client.get(endpoint).send().await.ok()?;
        if !response.status().is_success() {
            return None;
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.ok()? {
            body.extend_from_slice(&chunk);
            if body.len() > MAX_ANSWER_BYTES {
                return None;
            }
        }
        copy_in(&body)
    }
}

/// The copy an availability answer names, if it is an http(s) address.
fn copy_in(body: &[u8]) -> Option<String> {
    let body: serde_json::Value = serde_json::from_slice(body).ok()?;
    let closest = &body["archived_snapshots"]["closest"];
    if closest["available"].as_bool() != Some(true) {
        return None;
    }
    let copy = url::Url::parse(closest["url"].as_str()?).ok()?;
    matches!(copy.scheme(), "http" | "https").then(|| copy.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(url: &str) -> Vec<u8> {
        format!(r#"{{"archived_snapshots":{{"closest":{{"available":true,"url":"{url}"}}}}}}"#)
            .into_bytes()
    }

    #[test]
    fn a_web_address_is_taken() {
        assert_eq!(
            copy_in(&answer(
                "http://web.archive.org/web/2009/http://example.org/"
            ))
            .as_deref(),
            Some("http://web.archive.org/web/2009/http://example.org/")
        );
    }

    #[test]
    fn a_javascript_or_file_answer_is_not_taken() {
        assert_eq!(copy_in(&answer("javascript:alert(1)")), None);
        assert_eq!(copy_in(&answer("file:///etc/passwd")), None);
        assert_eq!(copy_in(&answer("not a url")), None);
        assert_eq!(copy_in(br#"{"archived_snapshots":{}}"#), None);
    }
}
