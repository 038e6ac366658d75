//! Write: the output folder is replaced atomically. Everything is written into a staging
//! folder beside it and swapped in only when the whole build succeeded, so a failed or
//! killed build leaves the previous output byte for byte as it was.
//!
//! On Linux the swap is one `renameat2(RENAME_EXCHANGE)`: at every instant the output
//! folder is the old or the new complete site. Elsewhere (or on a file system without it)
//! the old output is renamed away and the new one renamed in; a build killed between the
//! two renames leaves no output folder, and the next build puts the old one back first.

pub mod links;

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// A build's staging folder, e.g. `.public.staging-4242` beside `public/`.
pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    /// Folders found to exist already: several files share them (4,400 search files at
    /// 10k estates), and trying to make one again costs a failed `mkdir` and a `stat`
    /// each time. Not every folder made: most hold one page.
    shared_dirs: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
}

fn prefix(output: &Path) -> String {
    let name = output
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    format!(".{name}.")
}

/// Whether the process that left a staging folder may still be running.
fn alive(pid: u32) -> bool {
    pid == std::process::id()
        || Path::new("/proc").is_dir() && Path::new(&format!("/proc/{pid}")).exists()
}

fn parent_of(output: &Path) -> PathBuf {
    match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Puts the previous output back when a build was killed between the two renames of the
/// fallback swap (output gone, `.public.old-<pid>` of a dead process beside it). Cheap when
/// nothing was interrupted; run before anything else reads or replaces the output.
pub fn restore_interrupted(output: &Path) {
    if output.symlink_metadata().is_ok() {
        return;
    }
    let prefix = prefix(output);
    let Ok(entries) = fs::read_dir(parent_of(output)) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let pid = name
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_prefix("old-"))
            .and_then(|p| p.parse::<u32>().ok());
        if let Some(pid) = pid
            && !alive(pid)
            && fs::rename(e.path(), output).is_ok()
        {
            return;
        }
    }
}

/// Removes what killed builds left behind (`.public.staging-<pid>`, `.public.old-<pid>`).
fn clean_stale(parent: &Path, output: &Path) {
    restore_interrupted(output);
    let prefix = prefix(output);
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(&prefix) else {
            continue;
        };
        let pid = rest
            .strip_prefix("staging-")
            .or_else(|| rest.strip_prefix("old-"))
            .and_then(|p| p.parse::<u32>().ok());
        if let Some(pid) = pid
            && (pid == std::process::id() || !alive(pid))
        {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

impl Staging {
    /// Prepares an empty staging folder beside `output`.
    pub fn begin(output: &Path) -> io::Result<Staging> {
        let parent = parent_of(output);
        fs::create_dir_all(&parent)?;
        clean_stale(&parent, output);
        let dir = parent.join(format!("{}staging-{}", prefix(output), std::process::id()));
        fs::create_dir_all(&dir)?;
        Ok(Staging {
            output: output.to_path_buf(),
            dir,
            shared_dirs: Default::default(),
        })
    }

    /// Writes one file at a `/`-separated path that must stay inside the output folder.
    pub fn put(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let rel_path = Path::new(rel);
        let inside = !rel.is_empty()
            && rel_path
                .components()
                .all(|c| matches!(c, Component::Normal(_)));
        if !inside {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("拒绝写到输出文件夹以外的路径 `{rel}`"),
            ));
        }
        let full = self.dir.join(rel_path);
        if let Some(p) = full.parent() {
            let shared = || self.shared_dirs.lock().unwrap_or_else(|e| e.into_inner());
            if !shared().contains(p) {
                match fs::create_dir(p) {
                    Ok(()) => {}
                    Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                        shared().insert(p.to_path_buf());
                    }
                    Err(_) => fs::create_dir_all(p)?,
                }
            }
        }
        fs::write(full, bytes)
    }

    /// Swaps the staging folder in. Where the system can exchange two folders in one step
    /// that is done, and the old site (now under the staging name) deleted. Otherwise the
    /// old output is renamed away, the new one renamed in, then the old one deleted; if the
    /// second rename fails the old output is restored.
    pub fn commit(self) -> io::Result<()> {
        if self.output.symlink_metadata().is_ok() && exchange(&self.dir, &self.output).is_ok() {
            // Killed during this deletion, the next build removes the rest.
            let _ = fs::remove_dir_all(&self.dir);
            return Ok(());
        }
        let old = self.dir.with_file_name(format!(
            "{}old-{}",
            prefix(&self.output),
            std::process::id()
        ));
        let had_old = self.output.exists();
        if had_old {
            fs::rename(&self.output, &old)?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.output) {
            if had_old {
                let _ = fs::rename(&old, &self.output);
            }
            let _ = fs::remove_dir_all(&self.dir);
            return Err(e);
        }
        if had_old {
            let _ = fs::remove_dir_all(&old);
        }
        Ok(())
    }

    /// Drops the staging folder; the previous output is untouched.
    pub fn abort(self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// Exchanges two existing paths atomically (`renameat2` with `RENAME_EXCHANGE`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both pointers are valid NUL-terminated strings that outlive the call;
    // AT_FDCWD resolves relative paths against the working folder, as rename(2) does.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// No atomic exchange here: `commit` falls back to two renames.
#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// Refuses an output folder that would swallow the site itself (`--output .`).
pub fn check_output(root: &Path, output: &Path) -> Result<(), String> {
    let abs = |p: &Path| {
        p.canonicalize()
            .unwrap_or_else(|_| std::env::current_dir().unwrap_or_default().join(p))
    };
    let (r, o) = (abs(root), abs(output));
    if r.starts_with(&o) || o.join("content").is_dir() || o.starts_with(r.join("content")) {
        return Err(format!(
            "输出文件夹 {} 会覆盖网站内容，已停止\n  提示：输出文件夹应是单独的文件夹，例如网站根目录下的 public",
            output.display()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    // A committed build replaces the output; an aborted one leaves it as it was.
    #[test]
    fn commit_and_abort() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let s = Staging::begin(&out).unwrap();
        s.put("a/index.html", b"one").unwrap();
        s.commit().unwrap();
        assert_eq!(fs::read(out.join("a/index.html")).unwrap(), b"one");
        let s = Staging::begin(&out).unwrap();
        s.put("a/index.html", b"two").unwrap();
        s.abort();
        assert_eq!(fs::read(out.join("a/index.html")).unwrap(), b"one");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(names.len(), 1, "no staging folder left behind");
    }

    // Paths that would leave the output folder are refused.
    #[test]
    fn put_stays_inside() {
        let dir = tempfile::tempdir().unwrap();
        let s = Staging::begin(&dir.path().join("public")).unwrap();
        assert!(s.put("../x", b"").is_err());
        assert!(s.put("/etc/x", b"").is_err());
        assert!(s.put("a/../../x", b"").is_err());
        s.abort();
    }

    // A staging folder left by a killed build is removed by the next build.
    #[test]
    fn stale_staging_is_cleaned() {
        let dir = tempfile::tempdir().unwrap();
        let stale = dir.path().join(".public.staging-999999999");
        fs::create_dir_all(&stale).unwrap();
        let s = Staging::begin(&dir.path().join("public")).unwrap();
        assert!(!stale.exists());
        s.abort();
    }

    // Replacing an existing output leaves exactly the new site and nothing beside it.
    #[test]
    fn commit_replaces_existing_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        for text in [&b"one"[..], b"two", b"three"] {
            let s = Staging::begin(&out).unwrap();
            s.put("index.html", text).unwrap();
            s.commit().unwrap();
            assert_eq!(fs::read(out.join("index.html")).unwrap(), text);
        }
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    // A build killed between the two renames of the fallback swap left no output and the
    // old site under `.public.old-<pid>`: the next run puts it back before anything else.
    #[test]
    fn interrupted_swap_is_undone() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let old = dir.path().join(".public.old-999999999");
        let staging = dir.path().join(".public.staging-999999999");
        fs::create_dir_all(&old).unwrap();
        fs::write(old.join("index.html"), b"old").unwrap();
        fs::create_dir_all(&staging).unwrap();
        fs::write(staging.join("index.html"), b"new").unwrap();
        restore_interrupted(&out);
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"old");
        let s = Staging::begin(&out).unwrap();
        s.abort();
        assert!(!old.exists() && !staging.exists());
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"old");
    }

    // Paths that leave the output in any spelling are refused; odd but harmless names stay
    // inside.
    #[test]
    fn put_refuses_every_escape() {
        let dir = tempfile::tempdir().unwrap();
        let s = Staging::begin(&dir.path().join("public")).unwrap();
        for rel in [
            "",
            ".",
            "./a",
            "..",
            "a/..",
            "a/../b",
            "/",
            "//x",
            "a//../../b",
        ] {
            assert!(s.put(rel, b"").is_err(), "{rel}");
        }
        assert!(s.put("a\0b", b"").is_err());
        for rel in ["a..b/c", "...", "a\\..\\b", "%2e%2e/x"] {
            s.put(rel, b"x").unwrap();
            assert!(s.dir.join(rel).starts_with(&s.dir), "{rel}");
        }
        s.abort();
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
