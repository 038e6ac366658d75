//! Write: the output folder is replaced atomically. Everything is written into a staging
//! folder beside it and swapped in only when the whole build succeeded, so a failed or
//! killed build leaves the previous output byte for byte as it was.

pub mod links;

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// A build's staging folder, e.g. `.public.staging-4242` beside `public/`.
pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
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

/// Removes what killed builds left behind (`.public.staging-<pid>`, `.public.old-<pid>`).
fn clean_stale(parent: &Path, output: &Path) {
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
        let parent = match output.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent)?;
        clean_stale(&parent, output);
        let dir = parent.join(format!("{}staging-{}", prefix(output), std::process::id()));
        fs::create_dir_all(&dir)?;
        Ok(Staging {
            output: output.to_path_buf(),
            dir,
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
            fs::create_dir_all(p)?;
        }
        fs::write(full, bytes)
    }

    /// Swaps the staging folder in: the old output is renamed away, the new one renamed
    /// in, then the old one deleted. If the second rename fails the old output is restored.
    pub fn commit(self) -> io::Result<()> {
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
}
