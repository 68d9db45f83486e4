//! Host name resolution, the one network seam of the link checks: it tells
//! a host that does not exist from one that does, keeps the checks away
//! from private addresses (the HTTP client resolves through it too, so a
//! redirect or a DNS answer that changes cannot lead a request inside), and
//! notices when nothing resolves at all (no network). Tests replace it.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What resolving a host gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    Addresses(Vec<IpAddr>),
    /// The name does not exist (or the resolver could not answer).
    NotFound(String),
    /// The resolver gave no answer in time.
    TimedOut,
}

/// Resolves host names, and says which addresses are inside the network
/// the checks must keep out of.
pub trait Resolver: Send + Sync {
    fn resolve(&self, host: &str) -> Resolution;

    /// Whether an address is internal (never probed without
    /// `--allow-private`). Tests that stand a loopback server in for a
    /// public one say so here.
    fn is_internal(&self, ip: IpAddr) -> bool {
        is_private(ip)
    }
}

/// The operating system's resolver.
pub struct SystemResolver;

impl Resolver for SystemResolver {
    fn resolve(&self, host: &str) -> Resolution {
        if let Some(ip) = fixed_address(host) {
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

/// A fixed table, for tests: names not in it do not exist; IP literals and
/// `localhost` resolve as everywhere.
#[derive(Debug, Default, Clone)]
pub struct StaticResolver(pub HashMap<String, Vec<IpAddr>>);

impl Resolver for StaticResolver {
    fn resolve(&self, host: &str) -> Resolution {
        if let Some(ip) = fixed_address(host) {
            return Resolution::Addresses(vec![ip]);
        }
        match self.0.get(&normalize(host)) {
            Some(ips) => Resolution::Addresses(ips.clone()),
            None => Resolution::NotFound(format!("{host}: name does not resolve")),
        }
    }
}

/// A host name as compared: lower case, without the trailing dot of a fully
/// qualified name (`LOCALHOST.` is `localhost`).
pub fn normalize(host: &str) -> String {
    host.trim_end_matches('.').to_ascii_lowercase()
}

/// The address a host stands for without asking any resolver: an IP literal
/// (`127.0.0.1`, `[::1]`), or `localhost` and its subdomains, which RFC 6761
/// reserves for the loopback address.
pub fn fixed_address(host: &str) -> Option<IpAddr> {
    let host = normalize(host);
    if host == "localhost" || host.ends_with(".localhost") {
        return Some(IpAddr::V4(Ipv4Addr::LOCALHOST));
    }
    host.trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .ok()
}

/// Whether a host is named by its address (or is `localhost`): such URLs
/// are checked without DNS, so they say nothing about the network.
pub fn is_literal(host: &str) -> bool {
    fixed_address(host).is_some()
}

/// Addresses an audit must not probe: loopback, private (RFC 1918, unique
/// local), link-local, shared (CGNAT), unspecified, broadcast, multicast,
/// reserved and documentation ranges, the deprecated IPv6 site-local range,
/// and IPv6 addresses that carry an IPv4 address (mapped, compatible,
/// NAT64, 6to4) judged by the IPv4 address they carry.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => private_v4(v4),
        IpAddr::V6(v6) => private_v6(v6),
    }
}

fn private_v4(v4: Ipv4Addr) -> bool {
    let [a, b, c, _] = v4.octets();
    v4.is_loopback()
        || v4.is_private()
        || v4.is_link_local()
        || v4.is_unspecified()
        || v4.is_broadcast()
        || v4.is_multicast()
        || v4.is_documentation()
        || a == 0 // "this network"
        || (a == 100 && (b & 0xc0) == 64) // shared address space
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (b & 0xfe) == 18) // benchmarking
        || a >= 240 // reserved
}

fn private_v6(v6: Ipv6Addr) -> bool {
    let s = v6.segments();
    let embedded = |high: u16, low: u16| {
        private_v4(Ipv4Addr::new(
            (high >> 8) as u8,
            high as u8,
            (low >> 8) as u8,
            low as u8,
        ))
    };
    v6.is_loopback()
        || v6.is_unspecified()
        || v6.is_multicast()
        || (s[0] & 0xfe00) == 0xfc00 // unique local
        || (s[0] & 0xffc0) == 0xfe80 // link-local
        || (s[0] & 0xffc0) == 0xfec0 // site-local (deprecated, still routed inside)
        || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
        || (s[0] == 0x0100 && s[1..4] == [0, 0, 0]) // discard
        || v6.to_ipv4_mapped().is_some_and(private_v4)
        || (s[..6] == [0; 6] && embedded(s[6], s[7])) // IPv4-compatible (::a.b.c.d)
        || (s[0] == 0x64 && s[1] == 0xff9b && embedded(s[6], s[7])) // NAT64
        || (s[0] == 0x2002 && embedded(s[1], s[2])) // 6to4
}

/// Resolutions shared by the checks of one run and by the HTTP client:
/// each host is asked once, and the client can only connect to addresses
/// the private-address rule allows.
pub struct Dns {
    resolver: Arc<dyn Resolver>,
    allow_private: bool,
    timeout: Duration,
    known: Mutex<HashMap<String, Resolution>>,
}

impl Dns {
    pub fn new(resolver: Arc<dyn Resolver>, allow_private: bool, timeout: Duration) -> Self {
        Self {
            resolver,
            allow_private,
            timeout,
            known: Mutex::new(HashMap::new()),
        }
    }

    /// Resolves many hosts at once (a few threads at a time), each within
    /// the timeout: a resolver that does not answer is not waited for.
    pub fn resolve_all(&self, hosts: &[String]) -> HashMap<String, Resolution> {
        const AT_ONCE: usize = 16;
        let mut out = HashMap::new();
        for batch in hosts.chunks(AT_ONCE) {
            let (send, receive) = std::sync::mpsc::channel();
            for host in batch {
                let (send, resolver, host) = (send.clone(), self.resolver.clone(), host.clone());
                // Detached: a resolver stuck past the timeout is left behind.
                std::thread::spawn(move || {
                    let resolution = resolver.resolve(&host);
                    let _ = send.send((host, resolution));
                });
            }
            drop(send);
            let now = std::time::Instant::now();
            let deadline = now
                .checked_add(self.timeout)
                .unwrap_or_else(|| now + std::time::Duration::from_secs(24 * 3600));
            for _ in batch {
                let left = deadline.saturating_duration_since(std::time::Instant::now());
                match receive.recv_timeout(left) {
                    Ok((host, resolution)) => {
                        out.insert(host, resolution);
                    }
                    Err(_) => break,
                }
            }
            for host in batch {
                out.entry(host.clone()).or_insert(Resolution::TimedOut);
            }
        }
        self.known
            .lock()
            .expect("not poisoned")
            .extend(out.iter().map(|(h, r)| (normalize(h), r.clone())));
        out
    }

    /// One host, from what is known or by asking (off the async threads).
    pub async fn resolve(&self, host: &str) -> Resolution {
        let key = normalize(host);
        if let Some(known) = self.known.lock().expect("not poisoned").get(&key) {
            return known.clone();
        }
        let resolver = self.resolver.clone();
        let asked = key.clone();
        let resolution = match tokio::time::timeout(
            self.timeout,
            tokio::task::spawn_blocking(move || resolver.resolve(&asked)),
        )
        .await
        {
            Ok(Ok(resolution)) => resolution,
            _ => Resolution::TimedOut,
        };
        self.known
            .lock()
            .expect("not poisoned")
            .insert(key, resolution.clone());
        resolution
    }

    /// Whether these addresses may be probed.
    pub fn allows(&self, ips: &[IpAddr]) -> bool {
        self.allow_private || !ips.iter().any(|&ip| self.resolver.is_internal(ip))
    }
}

/// The HTTP client's resolver: the same answers, and no connection to a
/// private address unless allowed.
pub struct ClientDns(pub Arc<Dns>);

impl reqwest::dns::Resolve for ClientDns {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let dns = self.0.clone();
        let host = name.as_str().to_string();
        Box::pin(async move {
            match dns.resolve(&host).await {
                Resolution::Addresses(ips) if dns.allows(&ips) => {
                    let addrs: Vec<SocketAddr> =
                        ips.into_iter().map(|ip| SocketAddr::new(ip, 0)).collect();
                    Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
                }
                Resolution::Addresses(_) => {
                    Err(format!("{host} resolves to a private address").into())
                }
                Resolution::NotFound(why) => Err(format!("failed to lookup {host}: {why}").into()),
                Resolution::TimedOut => Err(format!("lookup of {host} timed out").into()),
            }
        })
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
            "0.1.2.3",
            "100.64.0.1",
            "224.0.0.1",
            "240.0.0.1",
            "255.255.255.255",
            "198.18.0.1",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "fec0::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::127.0.0.1",
            "64:ff9b::7f00:1",
            "2002:7f00:1::",
            "2002:c0a8:101::1",
        ] {
            assert!(is_private(ip.parse().unwrap()), "{ip}");
        }
        for ip in [
            "8.8.8.8",
            "151.101.1.1",
            "2001:4860::8888",
            "64:ff9b::808:808",
            "2002:808:808::",
        ] {
            assert!(!is_private(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn hosts_are_normalized_and_localhost_is_loopback() {
        for host in [
            "localhost",
            "LOCALHOST.",
            "a.localhost",
            "[::127.0.0.1]",
            "127.0.0.1",
        ] {
            let ip = fixed_address(host).unwrap_or_else(|| panic!("{host}"));
            assert!(is_private(ip), "{host}");
        }
        assert_eq!(fixed_address("example.org"), None);
        assert_eq!(normalize("Example.ORG."), "example.org");
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

    #[test]
    fn a_resolver_that_hangs_is_not_waited_for() {
        // It answers in the end, with an address: only the tool's own
        // deadline can make the result a time-out.
        struct Hangs;
        impl Resolver for Hangs {
            fn resolve(&self, _: &str) -> Resolution {
                std::thread::sleep(Duration::from_secs(30));
                Resolution::Addresses(vec!["192.0.2.1".parse().expect("an address")])
            }
        }
        let dns = Dns::new(Arc::new(Hangs), false, Duration::from_millis(100));
        let out = dns.resolve_all(&["example.org".to_string()]);
        assert_eq!(out["example.org"], Resolution::TimedOut);
    }
}
