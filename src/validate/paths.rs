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
    let hint_rel =
        "路径相对于年度文件夹书写，例如 `files/gate.jpg`，文件放在该年度的 files/ 文件夹里";
    if src.contains('\0') || src.contains('\\') || src.contains("://") || src.starts_with("data:") {
        let hint = if src.contains('\\') && !src.contains("://") {
            format!(
                "路径里请用 `/` 分隔文件夹，例如 `{}`",
                src.replace('\\', "/")
            )
        } else {
            hint_rel.to_string()
        };
        return Err((
            format!(
                "文件路径 `{}` 含有不允许的字符或是网址",
                src.replace('\0', "\\0")
            ),
            hint,
        ));
    }
    let p = Path::new(src);
    let drive = src.len() >= 2 && src.as_bytes()[1] == b':';
    if p.is_absolute() || drive || src.starts_with('/') {
        return Err((format!("文件路径 `{src}` 是绝对路径"), hint_rel.into()));
    }
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
