//! Keeps every path a record names inside the content folder.

use std::path::{Component, Path};

/// Checks a record's path (relative to the campaign folder `campaign_dir`, itself relative
/// to `root`) and that it names an existing file inside `root/content`.
pub fn check(root: &Path, campaign_dir: &Path, src: &str) -> Result<(), (String, String)> {
    let hint_rel =
        "路径相对于年度文件夹书写，例如 `files/gate.jpg`，文件放在该年度的 files/ 文件夹里";
    if src.contains('\0') || src.contains('\\') || src.contains("://") || src.starts_with("data:") {
        return Err((
            format!(
                "文件路径 `{}` 含有不允许的字符或是网址",
                src.replace('\0', "\\0")
            ),
            hint_rel.into(),
        ));
    }
    let p = Path::new(src);
    let drive = src.len() >= 2 && src.as_bytes()[1] == b':';
    if p.is_absolute() || drive || src.starts_with('/') {
        return Err((format!("文件路径 `{src}` 是绝对路径"), hint_rel.into()));
    }
    if p.components().any(|c| matches!(c, Component::ParentDir)) {
        return Err((
            format!("文件路径 `{src}` 用 `..` 跳出了内容文件夹"),
            hint_rel.into(),
        ));
    }
    let full = root.join(campaign_dir).join(p);
    if !full.is_file() {
        return Err((
            format!("找不到文件 `{src}`"),
            format!(
                "请把文件放到 {}/{src}",
                crate::diag::display_path(campaign_dir)
            ),
        ));
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
