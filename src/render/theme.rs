//! The theme: the default files embedded at compile time, overlaid by a site's own
//! `themes/<name>/` files with the same relative path.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use walkdir::WalkDir;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/theme_files.rs"));
}

/// Every file of the default theme: `(path relative to themes/default, bytes)`, sorted.
pub fn embedded() -> &'static [(&'static str, &'static [u8])] {
    embedded::EMBEDDED
}

/// The files a build uses, by relative path (`templates/base.html`, `static/site.css`).
#[derive(Debug, Default)]
pub struct Theme {
    files: BTreeMap<String, Cow<'static, [u8]>>,
}

impl Theme {
    /// The embedded default theme with `root/themes/<name>/` laid over it. A theme other
    /// than `default` must exist on disk; `default` may be partly or wholly ejected.
    pub fn load(root: &Path, name: &str) -> Result<Theme, String> {
        let mut files: BTreeMap<String, Cow<'static, [u8]>> = embedded()
            .iter()
            .map(|(p, b)| (p.to_string(), Cow::Borrowed(*b)))
            .collect();
        let dir = root.join("themes").join(name);
        if !dir.is_dir() {
            if name == "default" {
                return Ok(Theme { files });
            }
            return Err(format!(
                "content/site.yaml 指定的主题 `{name}` 不存在：找不到文件夹 themes/{name}\n  提示：删除 theme 一行即使用内置默认主题，或运行 `jiayuan init 目录 --theme` 导出默认主题后改名"
            ));
        }
        for entry in WalkDir::new(&dir).sort_by_file_name() {
            let entry = entry.map_err(|e| format!("无法读取主题文件夹 themes/{name}：{e}"))?;
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            if !entry.file_type().is_file() || hidden {
                continue;
            }
            let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
            let rel = crate::diag::display_path(rel);
            let bytes = fs::read(entry.path())
                .map_err(|e| format!("无法读取主题文件 themes/{name}/{rel}：{e}"))?;
            files.insert(rel, Cow::Owned(bytes));
        }
        Ok(Theme { files })
    }

    /// Templates by name (path under `templates/`), as text; a non-UTF-8 file is an error.
    pub fn templates(&self) -> Result<Vec<(&str, &str)>, String> {
        self.files
            .iter()
            .filter_map(|(p, b)| p.strip_prefix("templates/").map(|n| (p, n, b)))
            .map(|(p, n, b)| {
                std::str::from_utf8(b).map(|t| (n, t)).map_err(|_| {
                    format!(
                        "主题模板 {p} 不是 UTF-8 编码的文本\n  提示：请用 UTF-8 编码保存模板文件"
                    )
                })
            })
            .collect()
    }

    /// Static files (path under `static/`) copied as they are to `static/` in the output.
    pub fn statics(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files
            .iter()
            .filter_map(|(p, b)| p.strip_prefix("static/").map(|n| (n, b.as_ref())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The embedded table is sorted and holds the base template and the stylesheet.
    #[test]
    fn embedded_table_is_sorted_and_complete() {
        let paths: Vec<&str> = embedded().iter().map(|(p, _)| *p).collect();
        let mut sorted = paths.clone();
        sorted.sort();
        assert_eq!(paths, sorted);
        assert!(paths.contains(&"templates/base.html"));
        assert!(paths.contains(&"static/site.css"));
    }

    // A site's file replaces the embedded one with the same relative path.
    #[test]
    fn site_files_override_embedded_ones() {
        let dir = tempfile::tempdir().unwrap();
        let t = dir.path().join("themes/default/static");
        fs::create_dir_all(&t).unwrap();
        fs::write(t.join("site.css"), "body{}").unwrap();
        let theme = Theme::load(dir.path(), "default").unwrap();
        let css = theme.statics().find(|(p, _)| *p == "site.css").unwrap().1;
        assert_eq!(css, b"body{}");
        assert!(Theme::load(dir.path(), "missing").is_err());
    }
}
