//! Writing outputs so that nothing is lost: never onto a file the document
//! reads, never onto something that is not a regular file, never through a
//! symbolic link that leads out of the project root; and always through a
//! temporary file and a rename, so a reader sees the old file or the new one.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::sandbox::{SandboxError, check_regular};

/// Why an output may not be written where asked.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("refusing to write {}: {}", .path.display(), overwrite(.path, .what))]
    WouldOverwrite { path: PathBuf, what: String },
    #[error("refusing to write {}: {} leads to {}, outside the project root {}", .path.display(), .link.display(), .real.display(), .root.display())]
    LeavesRoot {
        path: PathBuf,
        link: PathBuf,
        real: PathBuf,
        root: PathBuf,
    },
    #[error("refusing to write {}: it is a symbolic link to a file that does not exist", .0.display())]
    DanglingLink(PathBuf),
    #[error("refusing to write {}: {reason}", .path.display())]
    NotRegular {
        path: PathBuf,
        #[source]
        reason: SandboxError,
    },
    #[error("cannot write {}: the folder {} does not exist", .path.display(), .folder.display())]
    NoFolder { path: PathBuf, folder: PathBuf },
    #[error("cannot write {}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Says which file the document reads would be lost.
fn overwrite(path: &Path, what: &str) -> String {
    if path.ends_with(what) {
        "the document reads this file".to_string()
    } else {
        format!("it is the same file as {what}, which the document reads")
    }
}

impl OutputError {
    /// What to do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            Self::WouldOverwrite { .. } => "choose another output path with `-o`",
            Self::LeavesRoot { .. } | Self::DanglingLink(_) => {
                "remove the symbolic link, or give an output path outside it with `-o`"
            }
            Self::NotRegular { .. } => {
                "give the path of a regular file (or of a new one) with `-o`"
            }
            Self::NoFolder { .. } => "create the folder first, or choose another output with `-o`",
            Self::Io { .. } => "check that the folder exists and is writable",
        }
    }
}

/// Where to write the output asked for at `path`: the file itself, or the
/// file a symbolic link at `path` points to. `root` is the canonical project
/// root; `read` are the files the document read (its input among them), as
/// real paths.
///
/// Refused: a path that is, or leads to, one of the files read (the input,
/// the bibliography, a chapter); a directory, FIFO, device or socket; a
/// symbolic link inside the root that leads outside it, at the path itself or
/// on the way to it. A path outside the root is the user's choice and is
/// allowed.
pub fn target(path: &Path, root: &Path, read: &[PathBuf]) -> Result<PathBuf, OutputError> {
    let io = |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    };
    let lexical = normalize(&std::path::absolute(path).map_err(io)?);
    let (Some(folder), Some(name)) = (lexical.parent(), lexical.file_name()) else {
        return Err(OutputError::NotRegular {
            path: path.to_path_buf(),
            reason: SandboxError::Directory(path.to_path_buf()),
        });
    };
    leaves_root(path, &lexical, root)?;
    let real_folder = folder.canonicalize().map_err(|_| OutputError::NoFolder {
        path: path.to_path_buf(),
        // As the user wrote it.
        folder: path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(folder)
            .to_path_buf(),
    })?;
    let mut real = real_folder.join(name);
    if let Ok(metadata) = std::fs::symlink_metadata(&real)
        && metadata.file_type().is_symlink()
    {
        real = real
            .canonicalize()
            .map_err(|_| OutputError::DanglingLink(path.to_path_buf()))?;
    }
    match std::fs::metadata(&real) {
        Ok(metadata) => {
            check_regular(&real, &metadata).map_err(|reason| OutputError::NotRegular {
                path: path.to_path_buf(),
                reason,
            })?;
            if let Some(input) = read.iter().find(|file| same_file(file, &real, &metadata)) {
                return Err(OutputError::WouldOverwrite {
                    path: path.to_path_buf(),
                    what: describe(input, root),
                });
            }
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
        Err(err) => return Err(io(err)),
    }
    Ok(real)
}

/// Refuses a path inside the root (as written) that really leads outside
/// it: the path itself or one of its folders is a symbolic link out.
fn leaves_root(path: &Path, lexical: &Path, root: &Path) -> Result<(), OutputError> {
    for at in lexical.ancestors() {
        let Some(parent) = at.parent() else { break };
        let (Ok(real), Ok(real_parent)) = (at.canonicalize(), parent.canonicalize()) else {
            // A dangling link at the path itself leads nowhere yet.
            if at == lexical && std::fs::symlink_metadata(at).is_ok_and(|m| m.is_symlink()) {
                return Err(OutputError::DanglingLink(path.to_path_buf()));
            }
            continue;
        };
        if real_parent.starts_with(root) && !real.starts_with(root) {
            return Err(OutputError::LeavesRoot {
                path: path.to_path_buf(),
                link: at.to_path_buf(),
                real,
                root: root.to_path_buf(),
            });
        }
    }
    Ok(())
}

/// Whether `file` (a real path the document read) is the file at `real`:
/// the same path, or, on Unix, the same inode (a hard link).
fn same_file(file: &Path, real: &Path, metadata: &std::fs::Metadata) -> bool {
    if file == real {
        return true;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let Ok(other) = std::fs::metadata(file) {
            return other.dev() == metadata.dev() && other.ino() == metadata.ino();
        }
    }
    let _ = metadata;
    false
}

fn describe(file: &Path, root: &Path) -> String {
    let shown = file.strip_prefix(root).unwrap_or(file);
    format!("{}", shown.display())
}

/// `path` with `.` and `..` resolved as text, without touching the disk.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Writes `bytes` to `path` through a temporary file in the same folder and
/// a rename, so that readers see the old file or the new one, never half.
/// `path` should come from [`target`].
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".ibid-").suffix(".tmp");
    // A temporary file is private (0600); the output keeps the mode of the
    // file it replaces, or gets 0644 less the umask, as a new file would.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map_or_else(|_| 0o666 & !umask(), |m| m.permissions().mode() & 0o7777);
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    let mut file = builder.tempfile_in(dir)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|err| err.error)?;
    Ok(())
}

/// The process's umask, as Linux reports it in `/proc/self/status` (reading
/// it with `umask(2)` would change it for a moment under other threads);
/// the common 022 elsewhere.
#[cfg(unix)]
fn umask() -> u32 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|l| l.starts_with("Umask:"))?;
            u32::from_str_radix(line["Umask:".len()..].trim(), 8).ok()
        })
        .unwrap_or(0o022)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_the_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.pdf");
        write_atomically(&path, b"first version, longer").unwrap();
        write_atomically(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
    }

    #[cfg(unix)]
    #[test]
    fn atomic_write_follows_the_umask_for_a_new_file_and_keeps_an_existing_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.pdf");
        write_atomically(&path, b"one").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(
            mode(&path),
            0o666 & !umask(),
            "not the temporary file's 0600"
        );
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomically(&path, b"two").unwrap();
        assert_eq!(mode(&path), 0o640);
    }

    #[test]
    fn atomic_write_into_a_missing_folder_fails_and_creates_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing").join("out.pdf");
        let err = write_atomically(&path, b"x").unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::NotFound);
        assert!(!dir.path().join("missing").exists());
    }

    fn project() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root");
        std::fs::create_dir(&root).unwrap();
        let root = root.canonicalize().unwrap();
        std::fs::write(root.join("main.typ"), "x").unwrap();
        (dir, root)
    }

    #[test]
    fn the_input_is_never_the_output() {
        let (_dir, root) = project();
        let err = target(&root.join("main.typ"), &root, &[root.join("main.typ")]).unwrap_err();
        assert!(
            matches!(&err, OutputError::WouldOverwrite { what, .. } if what == "main.typ"),
            "{err}"
        );
        assert!(target(&root.join("main.pdf"), &root, &[root.join("main.typ")]).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn a_hard_link_to_the_input_is_the_input() {
        let (_dir, root) = project();
        std::fs::hard_link(root.join("main.typ"), root.join("alias.pdf")).unwrap();
        let err = target(&root.join("alias.pdf"), &root, &[root.join("main.typ")]).unwrap_err();
        assert!(matches!(err, OutputError::WouldOverwrite { .. }), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_out_of_the_root_is_refused_and_one_inside_is_followed() {
        let (dir, root) = project();
        std::fs::write(dir.path().join("elsewhere.pdf"), "x").unwrap();
        std::os::unix::fs::symlink(dir.path().join("elsewhere.pdf"), root.join("out.pdf")).unwrap();
        let err = target(&root.join("out.pdf"), &root, &[]).unwrap_err();
        assert!(matches!(err, OutputError::LeavesRoot { .. }), "{err}");

        std::fs::create_dir(root.join("build")).unwrap();
        std::os::unix::fs::symlink(root.join("build/real.pdf"), root.join("link.pdf")).unwrap();
        std::fs::write(root.join("build/real.pdf"), "old").unwrap();
        assert_eq!(
            target(&root.join("link.pdf"), &root, &[]).unwrap(),
            root.join("build/real.pdf")
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_folder_symlinked_out_of_the_root_is_refused() {
        let (dir, root) = project();
        std::fs::create_dir(dir.path().join("outside")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("outside"), root.join("out")).unwrap();
        let err = target(&root.join("out/thesis.pdf"), &root, &[]).unwrap_err();
        assert!(matches!(err, OutputError::LeavesRoot { .. }), "{err}");
    }

    #[test]
    fn a_path_outside_the_root_is_the_users_choice() {
        let (dir, root) = project();
        let outside = dir.path().join("thesis.pdf");
        assert!(target(&outside, &root, &[]).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_fifos_are_refused() {
        let (_dir, root) = project();
        let err = target(Path::new("/dev/null"), &root, &[]).unwrap_err();
        assert!(matches!(err, OutputError::NotRegular { .. }), "{err}");
        let fifo = root.join("pipe.pdf");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        let err = target(&fifo, &root, &[]).unwrap_err();
        assert!(matches!(err, OutputError::NotRegular { .. }), "{err}");
    }

    #[test]
    fn a_directory_is_refused() {
        let (_dir, root) = project();
        std::fs::create_dir(root.join("out.pdf")).unwrap();
        let err = target(&root.join("out.pdf"), &root, &[]).unwrap_err();
        assert!(matches!(err, OutputError::NotRegular { .. }), "{err}");
    }
}
