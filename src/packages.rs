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
use std::time::{Duration, Instant};

use typst::diag::{PackageError, PackageResult};
use typst::syntax::package::PackageSpec;
use typst_kit::downloader::Downloader;
use typst_kit::files::FsRoot;
use typst_kit::packages::{FsPackages, SystemPackages, UniversePackages};

/// The official registry.
pub const REGISTRY: &str = "https://packages.typst.org";

/// Where packages are looked for.
#[derive(Debug, Clone)]
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
    /// How long a download may take in all (`--timeout` × (retries + 1)).
    pub deadline: Duration,
}

impl Default for PackageConfig {
    fn default() -> Self {
        Self {
            data: None,
            cache: None,
            offline: false,
            registry: None,
            deadline: Duration::from_secs(20 * 4),
        }
    }
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
            UniversePackages::with_url(Http::new(config.deadline), registry)
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

/// The largest package archive downloaded (compressed).
pub const MAX_ARCHIVE_BYTES: u64 = 64 * 1024 * 1024;
/// The most a package may unpack to, in all.
pub const MAX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;
/// The largest file a package may hold.
pub const MAX_PACKAGE_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// The largest package index read.
const MAX_INDEX_BYTES: u64 = 16 * 1024 * 1024;

/// Downloads with reqwest (rustls, like the link checks), under the
/// network deadline of every other wait (`--timeout` × (retries + 1), the
/// budget of one URL), size-capped, with progress after a second, and an
/// archive checked for what it unpacks to before typst-kit unpacks it.
struct Http {
    client: Option<reqwest::blocking::Client>,
    deadline: Duration,
}

impl Http {
    fn new(deadline: Duration) -> Self {
        crate::tls::provider();
        let client = reqwest::blocking::Client::builder()
            .user_agent(concat!("ibid/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(deadline)
            .timeout(deadline)
            .build()
            .ok();
        Self { client, deadline }
    }

    /// The whole body of `url`, at most `limit` bytes, within the deadline.
    fn fetch(&self, what: &str, url: &str, limit: u64) -> io::Result<Vec<u8>> {
        let client = self
            .client
            .as_ref()
            .ok_or_else(|| io::Error::other("no HTTP client"))?;
        let started = Instant::now();
        let timed_out = || {
            io::Error::new(
                io::ErrorKind::TimedOut,
                format!(
                    "{url}: no complete answer within {} s (--timeout × (--max-retries + 1))",
                    self.deadline.as_secs()
                ),
            )
        };
        let mut response = client.get(url).send().map_err(|err| {
            if err.is_timeout() {
                timed_out()
            } else {
                io::Error::other(err)
            }
        })?;
        match response.status().as_u16() {
            200..=299 => {}
            404 => {
                return Err(io::Error::new(
                    io::ErrorKind::NotFound,
                    format!("{url}: 404"),
                ));
            }
            code => {
                return Err(io::Error::other(format!(
                    "{url}: the server answers {code}"
                )));
            }
        }
        if let Some(length) = response.content_length()
            && length > limit
        {
            return Err(too_large(url, limit));
        }
        let total = response.content_length();
        let mut body = Vec::new();
        let mut chunk = [0u8; 64 * 1024];
        let mut said = false;
        loop {
            if started.elapsed() > self.deadline {
                return Err(timed_out());
            }
            let n = match response.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => n,
                Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                Err(err) if is_timeout(&err) => return Err(timed_out()),
                Err(err) => return Err(err),
            };
            body.extend_from_slice(&chunk[..n]);
            if body.len() as u64 > limit {
                return Err(too_large(url, limit));
            }
            if !said && started.elapsed() > Duration::from_secs(1) {
                said = true;
                let of = total.map_or(String::new(), |t| format!(" of {} KiB", t / 1024));
                eprintln!("downloading {what} ({} KiB{of} so far)", body.len() / 1024);
            }
        }
        Ok(body)
    }
}

fn is_timeout(err: &io::Error) -> bool {
    err.kind() == io::ErrorKind::TimedOut
        || err
            .get_ref()
            .and_then(|e| e.downcast_ref::<reqwest::Error>())
            .is_some_and(reqwest::Error::is_timeout)
}

fn too_large(url: &str, limit: u64) -> io::Error {
    io::Error::other(format!(
        "{url}: the answer is larger than the {} MiB ibid downloads",
        limit / (1024 * 1024)
    ))
}

/// Refuses a package archive that unpacks to more than ibid writes (a
/// decompression bomb): every file's bytes are counted as they would be
/// unpacked, without writing them.
pub fn check_archive(url: &str, gzipped: &[u8]) -> io::Result<()> {
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(gzipped));
    let mut total = 0u64;
    for entry in archive.entries()? {
        let entry = entry?;
        let name = entry.path()?.display().to_string();
        let mut sink = io::sink();
        let size = io::copy(&mut entry.take(MAX_PACKAGE_FILE_BYTES + 1), &mut sink)?;
        if size > MAX_PACKAGE_FILE_BYTES {
            return Err(io::Error::other(format!(
                "{url}: {name} unpacks to more than {} MiB (the most ibid unpacks from one \
                 package file)",
                MAX_PACKAGE_FILE_BYTES / (1024 * 1024)
            )));
        }
        total += size;
        if total > MAX_UNPACKED_BYTES {
            return Err(io::Error::other(format!(
                "{url}: the package unpacks to more than {} MiB (the most ibid unpacks from one \
                 package)",
                MAX_UNPACKED_BYTES / (1024 * 1024)
            )));
        }
    }
    Ok(())
}

impl Downloader for Http {
    fn stream(&self, key: &dyn Any, url: &str) -> io::Result<(Option<usize>, Box<dyn Read>)> {
        let body = self.download(key, url)?;
        Ok((Some(body.len()), Box::new(io::Cursor::new(body))))
    }

    fn download(&self, key: &dyn Any, url: &str) -> io::Result<Vec<u8>> {
        match key.downcast_ref::<PackageSpec>() {
            Some(spec) => {
                let body = self.fetch(&spec.to_string(), url, MAX_ARCHIVE_BYTES)?;
                check_archive(url, &body)?;
                Ok(body)
            }
            None => self.fetch("the package index", url, MAX_INDEX_BYTES),
        }
    }
}
