//! Which file events should trigger a rebuild, and the debounced watch loop.

use notify::{RecursiveMode, Watcher};
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// True when a change to `path` can change the site: a file under `content/` or
/// `themes/` that is not hidden, an editor's swap or backup file, or inside output.
pub fn matters(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel.components();
    match parts.next() {
        Some(Component::Normal(top)) if top == "content" || top == "themes" => {}
        _ => return false,
    }
    // Every component, not only the file name: a hidden folder hides its files too.
    !rel.components().any(|c| match c {
        Component::Normal(name) => crate::load::is_ignored(Path::new(name)),
        _ => false,
    })
}

/// Calls `on_change` once per burst of relevant events: after a change, waits until
/// `quiet` passes with no further relevant event (editors save in several steps).
pub fn watch(
    root: &Path,
    quiet: Duration,
    mut on_change: impl FnMut(Vec<PathBuf>),
) -> Result<(), String> {
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(event) = res {
            let _ = tx.send(event.paths);
        }
    })
    .map_err(|e| format!("无法监视文件变化：{e}"))?;
    for dir in ["content", "themes"] {
        let p = root.join(dir);
        if p.is_dir() {
            watcher
                .watch(&p, RecursiveMode::Recursive)
                .map_err(|e| format!("无法监视 {}：{e}", p.display()))?;
        }
    }
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    loop {
        let Ok(first) = rx.recv() else {
            return Ok(());
        };
        let mut changed: Vec<PathBuf> = first.into_iter().filter(|p| matters(&root, p)).collect();
        if changed.is_empty() {
            continue;
        }
        let mut deadline = Instant::now() + quiet;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match rx.recv_timeout(left) {
                Ok(paths) => {
                    let before = changed.len();
                    changed.extend(paths.into_iter().filter(|p| matters(&root, p)));
                    if changed.len() > before {
                        deadline = Instant::now() + quiet;
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
            }
        }
        changed.sort();
        changed.dedup();
        on_change(changed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Content and theme files matter; output, swap, backup and hidden files do not.
    #[test]
    fn event_filter() {
        let root = Path::new("/site");
        let yes = [
            "/site/content/campaigns/2025/estates/a.yaml",
            "/site/content/site.yaml",
            "/site/themes/default/templates/base.html",
        ];
        let no = [
            "/site/public/index.html",
            "/site/.preview/index.html",
            "/site/content/campaigns/2025/estates/.a.yaml.swp",
            "/site/content/campaigns/2025/estates/a.yaml~",
            "/site/content/campaigns/2025/estates/4913",
            "/site/content/pages/.#about.md",
            "/site/content/.git/index",
            "/site/content/pages/#about.md#",
            "/site/content/files/~$表格.xlsx",
            "/elsewhere/content/site.yaml",
            "/site/README.md",
        ];
        for p in yes {
            assert!(matters(root, Path::new(p)), "{p}");
        }
        for p in no {
            assert!(!matters(root, Path::new(p)), "{p}");
        }
    }
}
