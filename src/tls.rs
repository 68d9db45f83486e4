//! TLS for every HTTP client of ibid (link checks, the Wayback Machine,
//! package downloads): rustls with ring as the process's crypto provider,
//! installed once before the first client is built.

use std::sync::Once;

/// Installs ring as rustls's provider for the process (once; a provider
/// installed before, by whoever, is kept).
pub fn provider() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_https_client_can_be_built_once_the_provider_is_installed() {
        super::provider();
        super::provider();
        assert!(reqwest::Client::builder().build().is_ok());
        assert!(rustls::crypto::CryptoProvider::get_default().is_some());
    }
}
