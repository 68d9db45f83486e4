//! Typst packages, found as typst-cli 0.15.1 finds them, with typst-kit's
//! own package support: local packages in the data directory
//! (`$XDG_DATA_HOME/typst/packages`, `--package-path`), downloaded ones in
//! the cache (`$XDG_CACHE_HOME/typst/packages`, `--package-cache-path`),
//! and `@preview` packages fetched from the registry into the cache when
//! they are missing and the network is allowed. Offline, only the two
//! directories are read, and a missing package is named with where it was
//! looked for.

use std::any::Any;
use std::io::{self, Read};
use std::path::PathBuf;
use std::time::Duration;

use typst::diag::{PackageError, PackageResult};
use typst::syntax::package::PackageSpec;
use typst_kit::downloader::Downloader;
use typst_kit::files::FsRoot;
use typst_kit::packages::{FsPackages, SystemPackages, UniversePackages};

/// The official registry.
pub const REGISTRY: &str = "https://packages.typst.org";

/// Where packages are looked for.
#[derive(Debug, Clone, Default)]
pub struct PackageConfig {
    /// Local packages (`--package-path`, `TYPST_PACKAGE_PATH`); the
    /// system's data directory when `None`.
    pub data: Option<PathBuf>,
    /// Downloaded packages (`--package-cache-path`,
    /// `TYPST_PACKAGE_CACHE_PATH`); the system's cache directory when `None`.
    pub cache: Option<PathBuf>,
    /// Read the directories only, never the network.
    pub offline: bool,
    /// The registry's URL (tests serve one on 127.0.0.1).
    pub registry: Option<String>,
}

/// The packages a world can read.
pub struct Packages {
    system: SystemPackages,
    data: Option<PathBuf>,
    cache: Option<PathBuf>,
    offline: bool,
}

impl std::fmt::Debug for Packages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Packages")
            .field("data", &self.data)
            .field("cache", &self.cache)
            .field("offline", &self.offline)
            .finish()
    }
}

impl Packages {
    pub fn new(config: &PackageConfig) -> Self {
        let data = config
            .data
            .clone()
            .map(FsPackages::new)
            .or_else(FsPackages::system_data);
        let cache = config
            .cache
            .clone()
            .map(FsPackages::new)
            .or_else(FsPackages::system_cache);
        let registry = config
            .registry
            .clone()
            .unwrap_or_else(|| REGISTRY.to_string());
        let universe = if config.offline {
            UniversePackages::with_url(Offline, registry)
        } else {
            UniversePackages::with_url(Http::new(), registry)
        };
        Self {
            data: data.as_ref().map(|d| d.path().to_path_buf()),
            cache: cache.as_ref().map(|c| c.path().to_path_buf()),
            system: SystemPackages::from_parts(data, cache, universe),
            offline: config.offline,
        }
    }

    /// The folder the package's files are read from, fetching it first if
    /// it is missing and may be fetched.
    pub fn root(&self, spec: &PackageSpec) -> PackageResult<FsRoot> {
        match self.system.obtain(spec) {
            Ok(root) => Ok(root),
            Err(PackageError::NotFound(_) | PackageError::NetworkFailed(_)) if self.offline => {
                Err(PackageError::Other(Some(
                    format!(
                        "package {spec} is not installed, and ibid is offline (--offline) so it \
                         is not downloaded (looked in {})",
                        self.places()
                    )
                    .into(),
                )))
            }
            Err(PackageError::NotFound(_)) => Err(PackageError::Other(Some(
                format!("package {spec} was not found (looked in {})", self.places()).into(),
            ))),
            Err(other) => Err(other),
        }
    }

    /// Where packages are looked for, in words.
    fn places(&self) -> String {
        let mut places = Vec::new();
        if let Some(data) = &self.data {
            places.push(format!("{} (local packages)", data.display()));
        }
        if let Some(cache) = &self.cache {
            places.push(format!("{} (the package cache)", cache.display()));
        }
        if places.is_empty() {
            "no package directory: set --package-path or --package-cache-path".into()
        } else {
            places.join(" and ")
        }
    }
}

/// Refuses every download: `--offline`.
struct Offline;

impl Downloader for Offline {
    fn stream(&self, _: &dyn Any, url: &str) -> io::Result<(Option<usize>, Box<dyn Read>)> {
        Err(io::Error::other(format!(
            "offline: {url} is not downloaded"
        )))
    }
}

/// Downloads with reqwest (rustls, like the link checks), bounded in time.
struct Http {
    client: Option<reqwest::blocking::Client>,
}

impl Http {
    fn new() -> Self {
        crate::tls::provider();
        let client = reqwest::blocking::Client::builder()
            .user_agent(concat!("ibid/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(20))
            .timeout(Duration::from_secs(300))
            .build()
            .ok();
        Self { client }
    }
}

impl Downloader for Http {
    fn stream(&self, _: &dyn Any, url: &str) -> io::Result<(Option<usize>, Box<dyn Read>)> {
        let client = self
            .client
            .as_ref()
            .ok_or_else(|| io::Error::other("no HTTP client"))?;
        let response = client.get(url).send().map_err(io::Error::other)?;
        match response.status().as_u16() {
            200..=299 => {
                let size = response
                    .content_length()
                    .and_then(|l| usize::try_from(l).ok());
                Ok((size, Box::new(response)))
            }
            404 => Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("{url}: 404"),
            )),
            code => Err(io::Error::other(format!(
                "{url}: the server answers {code}"
            ))),
        }
    }
}
