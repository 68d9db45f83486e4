//! The one guard every file ibid writes passes (PDFs, review files,
//! baselines, fixed sources and bibliographies, caches), so that nothing is
//! lost: never onto a file the document reads, never onto something that is
//! not a regular file or that the user may not write, never through a
//! symbolic link that leads out of the project root, never a folder created
//! before the checks pass; and always through a temporary file and a
//! rename, so a reader sees the old file or the new one. Several files
//! written together ([`write_all`]) are all written or none.

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
    #[error("refusing to write {}: permission denied (the file is read-only for you{})", .path.display(), .owner)]
    ReadOnly { path: PathBuf, owner: String },
    #[error("refusing to write {}: it is a file, not a folder", .0.display())]
    NotAFolder(PathBuf),
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
            Self::ReadOnly { .. } => {
                "make the file writable (chmod u+w) if it should change, or choose another output"
            }
            Self::NotAFolder(_) => "give the path of a folder (or of a new one) with `-o`",
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
            writable(path, &real, &metadata)?;
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

/// Whether the user may write the existing file at `real`: a file with no
/// write permission at all (0444) is refused even for root, as ruff, gofmt
/// and typst refuse it; so is one the process may not write.
fn writable(path: &Path, real: &Path, metadata: &std::fs::Metadata) -> Result<(), OutputError> {
    let refuse = || {
        #[cfg(unix)]
        let owner = {
            use std::os::unix::fs::MetadataExt;
            // SAFETY: geteuid has no preconditions and cannot fail.
            let me = unsafe { libc::geteuid() };
            if metadata.uid() == me {
                String::new()
            } else {
                format!(", and owned by user {}", metadata.uid())
            }
        };
        #[cfg(not(unix))]
        let owner = String::new();
        OutputError::ReadOnly {
            path: path.to_path_buf(),
            owner,
        }
    };
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        use std::os::unix::fs::PermissionsExt;
        if metadata.permissions().mode() & 0o222 == 0 {
            return Err(refuse());
        }
        if let Ok(name) = std::ffi::CString::new(real.as_os_str().as_bytes()) {
            // SAFETY: `name` is a valid NUL-terminated path for the call.
            if unsafe { libc::access(name.as_ptr(), libc::W_OK) } != 0 {
                return Err(refuse());
            }
        }
    }
    #[cfg(not(unix))]
    if metadata.permissions().readonly() {
        let _ = real;
        return Err(refuse());
    }
    Ok(())
}

/// The folder `dir` for outputs (`ibid review -o DIR`): checked as an
/// output path is (not through a symbolic link out of the root, not a
/// file), and only then created. Returns it as given.
pub fn folder(dir: &Path, root: &Path) -> Result<PathBuf, OutputError> {
    let io = |source| OutputError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let lexical = normalize(&std::path::absolute(dir).map_err(io)?);
    // The folder itself is checked like a file's folders are.
    leaves_root(dir, &lexical.join("x"), root)?;
    match std::fs::metadata(&lexical) {
        Ok(metadata) if metadata.is_dir() => {}
        Ok(_) => return Err(OutputError::NotAFolder(dir.to_path_buf())),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(&lexical).map_err(io)?;
        }
        Err(err) => return Err(io(err)),
    }
    Ok(dir.to_path_buf())
}

/// Why [`write_all`] wrote nothing.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {}: {source}{}", .path.display(), if *.restored { " (the files written before it were restored)" } else { "" })]
pub struct WriteError {
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
    /// Whether files already replaced were put back.
    pub restored: bool,
}

/// Writes every file or none: each new text is first written beside its
/// target (a temporary file), then the files are renamed into place one by
/// one; if one cannot be, those already replaced get their old bytes back
/// (a file that did not exist is removed). Targets come from [`target`].
pub fn write_all(writes: &[(PathBuf, Vec<u8>)]) -> Result<(), WriteError> {
    let fail = |path: &Path, source, restored| WriteError {
        path: path.to_path_buf(),
        source,
        restored,
    };
    let mut staged = Vec::with_capacity(writes.len());
    for (path, bytes) in writes {
        let old = match std::fs::read(path) {
            Ok(old) => Some(old),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
            Err(err) => return Err(fail(path, err, false)),
        };
        let temp = stage(path, bytes).map_err(|err| fail(path, err, false))?;
        staged.push((path, temp, old));
    }
    commit(staged, |temp, path| {
        temp.persist(path).map(|_| ()).map_err(|err| err.error)
    })
}

/// Renames each staged file into place with `persist`; when one fails, puts
/// back those already replaced.
fn commit(
    staged: Vec<(&PathBuf, tempfile::NamedTempFile, Option<Vec<u8>>)>,
    mut persist: impl FnMut(tempfile::NamedTempFile, &Path) -> std::io::Result<()>,
) -> Result<(), WriteError> {
    let mut done: Vec<(&PathBuf, Option<Vec<u8>>)> = Vec::new();
    for (path, temp, old) in staged {
        if let Err(source) = persist(temp, path) {
            let restored = done.iter().all(|(path, old)| match old {
                Some(old) => write_atomically(path, old).is_ok(),
                None => std::fs::remove_file(path).is_ok(),
            });
            return Err(WriteError {
                path: path.to_path_buf(),
                source,
                restored: restored && !done.is_empty(),
            });
        }
        done.push((path, old));
    }
    Ok(())
}

/// `bytes` written and synced to a temporary file beside `path`, with the
/// mode (and, where the process may, the owner) of the file it replaces.
fn stage(path: &Path, bytes: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".ibid-").suffix(".tmp");
    // A temporary file is private (0600); the output keeps the mode of the
    // file it replaces, or gets 0666 less the umask, as a new file would.
    let existing = std::fs::metadata(path).ok();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = existing
            .as_ref()
            .map_or_else(|| 0o666 & !umask(), |m| m.permissions().mode() & 0o7777);
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    let mut file = builder.tempfile_in(dir)?;
    file.write_all(bytes)?;
    #[cfg(unix)]
    if let Some(metadata) = &existing {
        use std::os::unix::fs::MetadataExt;
        // Keeps another user's file theirs when the process may (root);
        // otherwise the rename makes it the writer's, as editors do.
        let _ =
            std::os::unix::fs::fchown(file.as_file(), Some(metadata.uid()), Some(metadata.gid()));
    }
    file.as_file().sync_all()?;
    Ok(file)
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
    stage(path, bytes)?.persist(path).map_err(|err| err.error)?;
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
        // What the system gives a new file under the process's umask,
        // whatever that is: independent of how ibid reads the umask.
        let plain = dir.path().join("plain");
        std::fs::File::create(&plain).unwrap();
        assert_eq!(mode(&path), mode(&plain), "not the temporary file's 0600");
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

    #[cfg(unix)]
    #[test]
    fn a_read_only_file_is_refused_and_kept() {
        use std::os::unix::fs::PermissionsExt;
        let (_dir, root) = project();
        let path = root.join("main.pdf");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
        let err = target(&path, &root, &[]).unwrap_err();
        assert!(matches!(err, OutputError::ReadOnly { .. }), "{err}");
        assert!(err.to_string().contains("permission denied"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
    }

    #[cfg(unix)]
    #[test]
    fn a_folder_under_a_symlink_out_of_the_root_is_not_created() {
        let (dir, root) = project();
        std::fs::create_dir(dir.path().join("outside")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("outside"), root.join("lnk")).unwrap();
        let err = folder(&root.join("lnk/new/sub"), &root).unwrap_err();
        assert!(matches!(err, OutputError::LeavesRoot { .. }), "{err}");
        assert!(!dir.path().join("outside/new").exists());
        assert!(folder(&root.join("review/out"), &root).is_ok());
        assert!(root.join("review/out").is_dir());
        let err = folder(&root.join("main.typ"), &root).unwrap_err();
        assert!(matches!(err, OutputError::NotAFolder(_)), "{err}");
    }

    #[test]
    fn several_files_are_all_written_or_none() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.typ");
        let b = dir.path().join("b.yml");
        std::fs::write(&a, "old a").unwrap();
        std::fs::write(&b, "old b").unwrap();
        write_all(&[
            (a.clone(), b"new a".to_vec()),
            (b.clone(), b"new b".to_vec()),
        ])
        .unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), b"new a");
        assert_eq!(std::fs::read(&b).unwrap(), b"new b");
        // A target that cannot be read is refused before anything is
        // written.
        let c = dir.path().join("c");
        std::fs::create_dir(&c).unwrap();
        let err = write_all(&[(a.clone(), b"newer a".to_vec()), (c, b"x".to_vec())]).unwrap_err();
        assert!(!err.restored, "{err}");
        assert_eq!(std::fs::read(&a).unwrap(), b"new a");
        let leftovers = |dir: &Path| {
            std::fs::read_dir(dir)
                .unwrap()
                .filter(|e| {
                    e.as_ref()
                        .unwrap()
                        .file_name()
                        .to_string_lossy()
                        .ends_with(".tmp")
                })
                .count()
        };
        assert_eq!(leftovers(dir.path()), 0, "no temporary file is left behind");
        // The second rename fails: the first file gets its old bytes back,
        // and a file that did not exist is removed again.
        let new = dir.path().join("new.typ");
        let staged = vec![
            (&a, stage(&a, b"newer a").unwrap(), Some(b"new a".to_vec())),
            (&new, stage(&new, b"n").unwrap(), None),
            (&b, stage(&b, b"newer b").unwrap(), Some(b"new b".to_vec())),
        ];
        let mut calls = 0;
        let err = commit(staged, |temp, path| {
            calls += 1;
            if calls == 3 {
                return Err(std::io::Error::other("disk full"));
            }
            temp.persist(path).map(|_| ()).map_err(|e| e.error)
        })
        .unwrap_err();
        assert!(err.restored, "{err}");
        assert_eq!(std::fs::read(&a).unwrap(), b"new a");
        assert_eq!(std::fs::read(&b).unwrap(), b"new b");
        assert!(!new.exists());
        assert_eq!(leftovers(dir.path()), 0, "no temporary file is left behind");
    }

    #[test]
    fn a_directory_is_refused() {
        let (_dir, root) = project();
        std::fs::create_dir(root.join("out.pdf")).unwrap();
        let err = target(&root.join("out.pdf"), &root, &[]).unwrap_err();
        assert!(matches!(err, OutputError::NotRegular { .. }), "{err}");
    }
}
