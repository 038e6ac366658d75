//! Keeps every path a record names inside the content folder.

use std::path::{Component, Path};

use super::fields::nearest;

/// Checks a record's path (relative to the campaign folder `campaign_dir`, itself relative
/// to `root`) and that it names an existing file inside `root/content`. `known` lists the
/// campaign's files (relative to the campaign folder) for a "did you mean" hint. The error
/// is a Chinese message and hint.
pub fn check(
    root: &Path,
    campaign_dir: &Path,
    src: &str,
    known: &[String],
) -> Result<(), (String, String)> {
    let hint_rel = "路径相对于年度文件夹书写，用 `/` 分隔，例如 `files/gate.jpg`，文件放在该年度的 files/ 文件夹里";
    let shown = src.replace('\0', "\\0");
    // Checked first so that `C:\photos` is called what it is, not "a backslash".
    let drive = matches!(src.as_bytes(), [letter, b':', ..] if letter.is_ascii_alphabetic());
    if drive || src.starts_with(['/', '\\']) || Path::new(src).is_absolute() {
        return Err((format!("文件路径 `{shown}` 是绝对路径"), hint_rel.into()));
    }
    // A colon anywhere would let a browser read the path as a URL scheme (`javascript:`,
    // `data:`, `file:`); Windows forbids it in file names, so no real attachment has one.
    if src.contains(['\0', '\\', ':']) {
        let hint = if src.contains('\\') && !src.contains(['\0', ':']) {
            format!(
                "路径里请用 `/` 分隔文件夹，例如 `{}`",
                src.replace('\\', "/")
            )
        } else {
            format!("{hint_rel}；不能引用网址，也不能含有 `\\` 或 `:`")
        };
        return Err((format!("文件路径 `{shown}` 含有不允许的字符或是网址"), hint));
    }
    let p = Path::new(src);
    if p.components().any(|c| matches!(c, Component::ParentDir)) {
        return Err((
            format!("文件路径 `{src}` 用了 `..`（上级文件夹）"),
            format!("文件必须放在内容文件夹里，路径中不能出现 `..`。{hint_rel}"),
        ));
    }
    let full = root.join(campaign_dir).join(p);
    if !full.is_file() {
        let place = format!(
            "请把文件放到 {}/{src}",
            crate::diag::display_path(campaign_dir)
        );
        let hint = match nearest(src, known.iter().map(String::as_str)) {
            Some(n) => format!("您是不是想写 `{n}`？如果不是，{place}"),
            None => place,
        };
        return Err((format!("找不到文件 `{src}`"), hint));
    }
    // A symbolic link may point anywhere: resolve it and require the target inside content/.
    let content = root
        .join("content")
        .canonicalize()
        .map_err(|e| (format!("无法读取内容文件夹：{e}"), String::new()))?;
    match full.canonicalize() {
        Ok(real) if real.starts_with(&content) => Ok(()),
        _ => Err((
            format!("文件 `{src}` 是指向内容文件夹以外的链接"),
            "请把文件本身复制到 files/ 文件夹，不要使用快捷方式或符号链接".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    /// A site with `content/campaigns/2025/files/gate.jpg` and a file outside content/.
    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let files = dir.path().join("content/campaigns/2025/files");
        fs::create_dir_all(&files).unwrap();
        fs::write(files.join("gate.jpg"), b"x").unwrap();
        fs::write(dir.path().join("secret.txt"), b"x").unwrap();
        dir
    }

    fn check_in(dir: &tempfile::TempDir, src: &str) -> Result<(), (String, String)> {
        let known = ["files/gate.jpg".to_string()];
        check(dir.path(), Path::new("content/campaigns/2025"), src, &known)
    }

    // A file under the campaign folder is accepted.
    #[test]
    fn existing_file_inside() {
        let dir = site();
        assert_eq!(check_in(&dir, "files/gate.jpg"), Ok(()));
        assert_eq!(check_in(&dir, "./files/gate.jpg"), Ok(()));
    }

    // `..` is refused even when the target exists, and even when it comes back inside.
    #[test]
    fn parent_dir_refused() {
        let dir = site();
        for src in ["../../../secret.txt", "files/../files/gate.jpg", ".."] {
            let (msg, _) = check_in(&dir, src).unwrap_err();
            assert!(msg.contains("`..`"), "{src}: {msg}");
        }
    }

    // Absolute paths, Windows drive letters and UNC-style paths are refused.
    #[test]
    fn absolute_refused() {
        let dir = site();
        let secret = dir.path().join("secret.txt").display().to_string();
        for src in ["/etc/passwd", "C:/Users/a.jpg", secret.as_str()] {
            let (msg, _) = check_in(&dir, src).unwrap_err();
            assert!(msg.contains("绝对路径"), "{src}: {msg}");
        }
    }

    // Backslashes, URLs, data URIs and NUL bytes are refused; a backslash path gets the
    // slash spelling as its hint.
    #[test]
    fn odd_characters_refused() {
        let dir = site();
        let (_, hint) = check_in(&dir, "files\\gate.jpg").unwrap_err();
        assert!(hint.contains("`files/gate.jpg`"), "{hint}");
        for src in [
            "https://example.com/a.jpg",
            "data:image/png;base64,AA",
            "a\0b",
        ] {
            let (msg, _) = check_in(&dir, src).unwrap_err();
            assert!(msg.contains("不允许"), "{src}: {msg}");
            assert!(!msg.contains('\0'));
        }
    }

    // A missing file names where to put it and suggests the nearest existing file.
    #[test]
    fn missing_file_suggests() {
        let dir = site();
        let (msg, hint) = check_in(&dir, "files/gate.jpeg").unwrap_err();
        assert!(msg.contains("找不到文件"), "{msg}");
        assert!(hint.contains("`files/gate.jpg`"), "{hint}");
        assert!(
            hint.contains("content/campaigns/2025/files/gate.jpeg"),
            "{hint}"
        );
        let (_, hint) = check_in(&dir, "files/zzzzzzzzzzzzzzzzz.png").unwrap_err();
        assert!(!hint.contains("您是不是"), "{hint}");
    }

    // A folder is not a file.
    #[test]
    fn folder_is_not_a_file() {
        let dir = site();
        assert!(check_in(&dir, "files").is_err());
    }

    // A symbolic link inside files/ that points outside content/ is refused.
    #[cfg(unix)]
    #[test]
    fn symlink_out_refused() {
        let dir = site();
        std::os::unix::fs::symlink(
            dir.path().join("secret.txt"),
            dir.path().join("content/campaigns/2025/files/link.jpg"),
        )
        .unwrap();
        let (msg, _) = check_in(&dir, "files/link.jpg").unwrap_err();
        assert!(msg.contains("链接"), "{msg}");
    }
}

#[cfg(test)]
mod hostile {
    use super::*;
    use std::path::PathBuf;

    /// A site with one real attachment and a private file beside (outside) `content/`.
    fn site() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let campaign = PathBuf::from("content/campaigns/2025");
        std::fs::create_dir_all(dir.path().join(&campaign).join("files/sub")).unwrap();
        std::fs::write(dir.path().join(&campaign).join("files/gate.jpg"), b"jpg").unwrap();
        std::fs::write(dir.path().join(&campaign).join("files/sub/a.pdf"), b"pdf").unwrap();
        std::fs::write(dir.path().join("content/site.yaml"), b"title: x").unwrap();
        std::fs::write(dir.path().join("secret.txt"), b"private").unwrap();
        (dir, campaign)
    }

    fn message(root: &Path, campaign: &Path, src: &str) -> String {
        match check(root, campaign, src, &[]) {
            Ok(()) => panic!("`{src}` was accepted"),
            Err((message, _)) => message,
        }
    }

    // Ordinary attachment paths, with or without `./`, are accepted.
    #[test]
    fn plain_paths_are_fine() {
        let (dir, c) = site();
        for src in ["files/gate.jpg", "./files/gate.jpg", "files/sub/a.pdf"] {
            assert_eq!(check(dir.path(), &c, src, &[]), Ok(()), "{src}");
        }
    }

    // `..` is refused wherever it appears, even when the target exists inside content/.
    #[test]
    fn parent_dir_is_refused() {
        let (dir, c) = site();
        for src in [
            "../../../secret.txt",
            "files/../../../../secret.txt",
            "files/../files/gate.jpg",
            "../../site.yaml",
            "..",
        ] {
            assert!(message(dir.path(), &c, src).contains("`..`"), "{src}");
        }
    }

    // Absolute paths in Unix and Windows spellings are refused as such.
    #[test]
    fn absolute_paths_are_refused() {
        let (dir, c) = site();
        let secret = dir.path().join("secret.txt");
        for src in [
            "/etc/passwd",
            secret.to_str().unwrap(),
            "C:\\x",
            "c:/x",
            "D:",
            "\\\\server\\share\\a.jpg",
            "//evil.example/a.jpg",
        ] {
            assert!(message(dir.path(), &c, src).contains("绝对路径"), "{src}");
        }
    }

    // NUL, backslashes, URLs and any other scheme are refused before the disk is touched.
    #[test]
    fn urls_and_odd_characters_are_refused() {
        let (dir, c) = site();
        for src in [
            "files/gate.jpg\0.png",
            "files\\gate.jpg",
            "https://example.com/a.jpg",
            "data:image/png;base64,iVBORw0KGgo=",
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "file:///etc/passwd",
            "files/a:b.jpg",
        ] {
            let m = message(dir.path(), &c, src);
            assert!(m.contains("不允许的字符或是网址"), "{src}: {m}");
            assert!(!m.contains('\0'), "{m:?}");
        }
    }

    // A file named like a URL scheme is refused even when it exists, so it can never
    // become a `javascript:` link on a page.
    #[cfg(unix)]
    #[test]
    fn scheme_lookalike_file_is_refused() {
        let (dir, c) = site();
        std::fs::write(dir.path().join(&c).join("javascript:alert(1)"), b"x").unwrap();
        assert!(message(dir.path(), &c, "javascript:alert(1)").contains("不允许"));
    }

    // Missing files and folders are reported with where to put them.
    #[test]
    fn missing_files_are_reported() {
        let (dir, c) = site();
        for src in ["files/none.jpg", "files", "files/gate.jpg/"] {
            assert!(message(dir.path(), &c, src).contains("找不到文件"), "{src}");
        }
    }

    // Symbolic links inside files/ are followed: out of content/ is refused, within it
    // is fine, and a linked folder is no way around the rule.
    #[cfg(unix)]
    #[test]
    fn symlinks_are_resolved() {
        use std::os::unix::fs::symlink;
        let (dir, c) = site();
        let files = dir.path().join(&c).join("files");
        symlink(dir.path().join("secret.txt"), files.join("leak.jpg")).unwrap();
        symlink(dir.path(), files.join("root")).unwrap();
        symlink(files.join("gate.jpg"), files.join("alias.jpg")).unwrap();
        symlink(files.join("nowhere.jpg"), files.join("dangling.jpg")).unwrap();
        assert!(message(dir.path(), &c, "files/leak.jpg").contains("内容文件夹以外的链接"));
        assert!(message(dir.path(), &c, "files/root/secret.txt").contains("以外的链接"));
        assert_eq!(check(dir.path(), &c, "files/alias.jpg", &[]), Ok(()));
        assert!(message(dir.path(), &c, "files/dangling.jpg").contains("找不到文件"));
    }
}
