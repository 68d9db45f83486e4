//! Archived copies of dead pages, from the Wayback Machine's availability API
//! (`GET {base}/wayback/available?url=…`); the base is configurable so tests
//! can answer from 127.0.0.1.

use std::time::Duration;

/// The URL of the closest archived copy of `url`, if the archive has one.
pub async fn snapshot(
    client: &reqwest::Client,
    base: &str,
    url: &str,
    timeout: Duration,
) -> Option<String> {
    let endpoint = format!("{}/wayback/available", base.trim_end_matches('/'));
    let endpoint = url::Url::parse_with_params(&endpoint, &[("url", url)]).ok()?;
    let response = client.get(endpoint).timeout(timeout).send().await.ok()?;
    if !response.status().is_success() {
        return None;
    }
    let body: serde_json::Value = serde_json::from_slice(&response.bytes().await.ok()?).ok()?;
    let closest = &body["archived_snapshots"]["closest"];
    (closest["available"].as_bool() == Some(true))
        .then(|| closest["url"].as_str().map(String::from))
        .flatten()
}
