//! Host name resolution, the one network seam before the HTTP checks: it
//! tells a host that does not exist from one that does, finds hosts that
//! resolve to private addresses (which are not probed unless allowed), and
//! notices when nothing resolves at all (no network). Tests replace it.

use std::collections::HashMap;
use std::net::{IpAddr, ToSocketAddrs};

/// What resolving a host gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    Addresses(Vec<IpAddr>),
    /// The name does not exist (or the resolver could not answer).
    NotFound(String),
}

/// Resolves host names.
pub trait Resolver: Send + Sync {
    fn resolve(&self, host: &str) -> Resolution;
}

/// The operating system's resolver.
pub struct SystemResolver;

impl Resolver for SystemResolver {
    fn resolve(&self, host: &str) -> Resolution {
        if let Some(ip) = ip_literal(host) {
            return Resolution::Addresses(vec![ip]);
        }
        match (host, 0).to_socket_addrs() {
            Ok(addrs) => {
                let ips: Vec<IpAddr> = addrs.map(|a| a.ip()).collect();
                if ips.is_empty() {
                    Resolution::NotFound("no address".into())
                } else {
                    Resolution::Addresses(ips)
                }
            }
            Err(err) => Resolution::NotFound(err.to_string()),
        }
    }
}

/// A fixed table, for tests: names not in it do not exist; IP literals
/// resolve to themselves.
#[derive(Debug, Default, Clone)]
pub struct StaticResolver(pub HashMap<String, Vec<IpAddr>>);

impl Resolver for StaticResolver {
    fn resolve(&self, host: &str) -> Resolution {
        if let Some(ip) = ip_literal(host) {
            return Resolution::Addresses(vec![ip]);
        }
        match self.0.get(host) {
            Some(ips) => Resolution::Addresses(ips.clone()),
            None => Resolution::NotFound(format!("{host}: name does not resolve")),
        }
    }
}

/// The address a host written as an IP literal (`127.0.0.1`, `[::1]`) stands for.
fn ip_literal(host: &str) -> Option<IpAddr> {
    host.trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .ok()
}

/// Loopback, private (RFC 1918, unique local), link-local, unspecified and
/// shared addresses: the internal network an audit must not probe.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || (v4.octets()[0] == 100 && (v4.octets()[1] & 0xc0) == 64)
        }
        IpAddr::V6(v6) => {
            v6.is_loopback()
                || v6.is_unspecified()
                || (v6.segments()[0] & 0xfe00) == 0xfc00
                || (v6.segments()[0] & 0xffc0) == 0xfe80
                || v6
                    .to_ipv4_mapped()
                    .is_some_and(|v4| is_private(IpAddr::V4(v4)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_ranges() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.1.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "100.64.0.1",
        ] {
            assert!(is_private(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["8.8.8.8", "151.101.1.1", "2001:4860::8888"] {
            assert!(!is_private(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn static_resolver() {
        let resolver = StaticResolver::default();
        assert_eq!(
            resolver.resolve("127.0.0.2"),
            Resolution::Addresses(vec!["127.0.0.2".parse().unwrap()])
        );
        assert!(matches!(
            resolver.resolve("no-such-host.invalid"),
            Resolution::NotFound(_)
        ));
    }
}
