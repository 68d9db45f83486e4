//! The project root as a sandbox: every file the tool reads for the document
//! (sources, bibliographies, CSL styles, data, package files) and the link
//! cache is read here, and every file it writes is checked here first.
//!
//! A path is resolved to where it really leads (symbolic links followed) and
//! refused when that is outside its root; only regular files are read (a FIFO
//! would block, a device such as `/dev/zero` never ends), and no read goes
//! past a size limit.

use std::fs::{File, Metadata};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest file the tool reads (a thesis's images included).
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// Why a file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("file not found (searched at {})", .0.display())]
    NotFound(PathBuf),
    #[error("{} resolves to {}, outside the {what} {}", .path.display(), .real.display(), .root.display())]
    Outside {
        path: PathBuf,
        real: PathBuf,
        root: PathBuf,
        /// What the root is: "project root", "package folder".
        what: &'static str,
    },
    #[error("{} is a directory, not a file", .0.display())]
    Directory(PathBuf),
    #[error("{} is {kind}, not a regular file; ibid reads and writes only regular files", .path.display())]
    NotRegular { path: PathBuf, kind: &'static str },
    #[error("{} is {size} bytes, more than the {limit} bytes ibid reads from one file", .path.display())]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },
    #[error("{}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl SandboxError {
    fn io(path: &Path, source: std::io::Error) -> Self {
        if source.kind() == std::io::ErrorKind::NotFound {
            Self::NotFound(path.to_path_buf())
        } else {
            Self::Io {
                path: path.to_path_buf(),
                source,
            }
        }
    }
}

/// A folder whose files may be read, and nothing outside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sandbox {
    /// Canonical: symbolic links resolved.
    root: PathBuf,
    /// What the root is, in messages.
    what: &'static str,
}

impl Sandbox {
    /// A sandbox at `root`, which must exist.
    pub fn new(root: &Path) -> Result<Self, SandboxError> {
        let root = root
            .canonicalize()
            .map_err(|err| SandboxError::io(root, err))?;
        Ok(Self {
            root,
            what: "project root",
        })
    }

    /// The same sandbox, named otherwise in messages.
    pub fn named(self, what: &'static str) -> Self {
        Self { what, ..self }
    }

    /// A sandbox at a root already made canonical.
    pub(crate) fn at_canonical(root: PathBuf) -> Self {
        Self {
            root,
            what: "project root",
        }
    }

    /// The canonical root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where `path` really leads, refused when that is outside the root. A
    /// path that does not exist is `NotFound`.
    pub fn resolve(&self, path: &Path) -> Result<PathBuf, SandboxError> {
        let real = path
            .canonicalize()
            .map_err(|err| SandboxError::io(path, err))?;
        if !real.starts_with(&self.root) {
            return Err(SandboxError::Outside {
                path: path.to_path_buf(),
                real,
                root: self.root.clone(),
                what: self.what,
            });
        }
        Ok(real)
    }

    /// Reads a regular file inside the root, at most `limit` bytes.
    pub fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, SandboxError> {
        let real = self.resolve(path)?;
        read_regular(&real, limit)
    }
}

/// Reads a regular file, at most `limit` bytes. The type is checked before
/// the file is opened (opening a FIFO blocks) and again on the open handle,
/// so a file swapped in between is caught.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, SandboxError> {
    let metadata = std::fs::metadata(path).map_err(|err| SandboxError::io(path, err))?;
    check_regular(path, &metadata)?;
    check_size(path, metadata.len(), limit)?;
    let file = open_nonblocking(path).map_err(|err| SandboxError::io(path, err))?;
    let metadata = file.metadata().map_err(|err| SandboxError::io(path, err))?;
    check_regular(path, &metadata)?;
    let mut bytes = Vec::with_capacity(metadata.len().min(limit) as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| SandboxError::io(path, err))?;
    check_size(path, bytes.len() as u64, limit)?;
    Ok(bytes)
}

/// Refuses directories and anything that is not a regular file.
pub fn check_regular(path: &Path, metadata: &Metadata) -> Result<(), SandboxError> {
    if metadata.is_file() {
        return Ok(());
    }
    if metadata.is_dir() {
        return Err(SandboxError::Directory(path.to_path_buf()));
    }
    Err(SandboxError::NotRegular {
        path: path.to_path_buf(),
        kind: kind_of(metadata),
    })
}

fn check_size(path: &Path, size: u64, limit: u64) -> Result<(), SandboxError> {
    if size > limit {
        return Err(SandboxError::TooLarge {
            path: path.to_path_buf(),
            size,
            limit,
        });
    }
    Ok(())
}

/// What a file that is not a regular file is, in words.
fn kind_of(metadata: &Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = metadata.file_type();
        if kind.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
    }
    if metadata.file_type().is_symlink() {
        return "a symbolic link";
    }
    "a special file"
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    File::open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_file_inside_the_root() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "inside").unwrap();
        let sandbox = Sandbox::new(dir.path()).unwrap();
        assert_eq!(
            sandbox.read(&dir.path().join("a.txt"), 100).unwrap(),
            b"inside"
        );
    }

    #[test]
    fn a_file_larger_than_the_limit_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "0123456789").unwrap();
        let sandbox = Sandbox::new(dir.path()).unwrap();
        let err = sandbox.read(&dir.path().join("a.txt"), 9).unwrap_err();
        assert!(
            matches!(
                err,
                SandboxError::TooLarge {
                    size: 10,
                    limit: 9,
                    ..
                }
            ),
            "{err}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_out_of_the_root_is_refused_and_names_both_places() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("root")).unwrap();
        std::fs::write(dir.path().join("secret"), "secret").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret"), dir.path().join("root/leak"))
            .unwrap();
        let sandbox = Sandbox::new(&dir.path().join("root")).unwrap();
        let err = sandbox
            .read(&dir.path().join("root/leak"), 100)
            .unwrap_err();
        assert!(matches!(err, SandboxError::Outside { .. }), "{err}");
        assert!(
            err.to_string().contains("outside the project root"),
            "{err}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("refs.yml");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        let err = read_regular(&fifo, 100).unwrap_err();
        assert!(
            matches!(
                err,
                SandboxError::NotRegular {
                    kind: "a FIFO (named pipe)",
                    ..
                }
            ),
            "{err}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_refused() {
        let err = read_regular(Path::new("/dev/zero"), 100).unwrap_err();
        assert!(
            matches!(
                err,
                SandboxError::NotRegular {
                    kind: "a device",
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn a_directory_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let err = read_regular(dir.path(), 100).unwrap_err();
        assert!(matches!(err, SandboxError::Directory(_)), "{err}");
    }
}
