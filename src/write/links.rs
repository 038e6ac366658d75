//! The internal link check: every `href` and `src` in a page must name a file of the
//! output (a folder URL means its index.html), or the build fails naming page and link.

use std::collections::HashSet;

/// Every `href="…"` and `src="…"` value in an HTML page (the templates and the Markdown
/// renderer always quote attributes with `"`).
pub fn extract(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in [" href=\"", " src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            if let Some(end) = rest.find('"') {
                out.push(rest[..end].replace("&amp;", "&"));
                rest = &rest[end..];
            }
        }
    }
    out
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Resolves `link` found on the page at output path `page` to an output file, or says why
/// it does not point into the site. `None` means the link is not internal (another website,
/// mail, a fragment on the same page).
pub fn resolve(link: &str, page: &str, origin: &str, base: &str) -> Option<Result<String, String>> {
    let lower = link.to_ascii_lowercase();
    if link.is_empty() {
        return Some(Err("链接为空".into()));
    }
    if link.starts_with('#') || ["mailto:", "tel:"].iter().any(|p| lower.starts_with(p)) {
        return None;
    }
    let mut target = link;
    let own = format!("{origin}{base}");
    if !origin.is_empty() && link.starts_with(&own) {
        target = &link[origin.len()..];
    } else if lower.starts_with("//") || lower.contains("://") {
        return None;
    }
    let target = target.split(['#', '?']).next().unwrap_or("");
    let target = percent_decode(target);
    let joined = if let Some(abs) = target.strip_prefix('/') {
        match format!("/{abs}").strip_prefix(base) {
            Some(rest) => rest.to_string(),
            None => return Some(Err(format!("链接不在网站路径 {base} 之下"))),
        }
    } else {
        let dir = page.rsplit_once('/').map_or("", |(d, _)| d);
        if dir.is_empty() {
            target.clone()
        } else {
            format!("{dir}/{target}")
        }
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Some(Err("链接跳出了网站根目录".into()));
                }
            }
            s => parts.push(s),
        }
    }
    let mut file = parts.join("/");
    if joined.is_empty() || joined.ends_with('/') {
        if !file.is_empty() {
            file.push('/');
        }
        file.push_str("index.html");
    }
    Some(Ok(file))
}

/// Checks the links of every page against the set of output files; returns one Chinese
/// message per broken link, sorted.
pub fn check(
    pages: &[(String, Vec<String>)],
    files: &HashSet<String>,
    origin: &str,
    base: &str,
) -> Vec<String> {
    let mut errors = Vec::new();
    for (page, links) in pages {
        for link in links {
            let why = match resolve(link, page, origin, base) {
                None => continue,
                Some(Ok(f)) if files.contains(&f) || files.contains(&format!("{f}/index.html")) => {
                    continue;
                }
                Some(Ok(f)) => format!("找不到文件 {f}"),
                Some(Err(why)) => why,
            };
            errors.push(format!("页面 {page} 中的链接 `{link}` 无效：{why}"));
        }
    }
    errors.sort();
    errors.dedup();
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    // Links are resolved under the base path; folders mean index.html.
    #[test]
    fn resolves_links() {
        let r = |l| resolve(l, "2025/estates/a/index.html", "https://x.gov.cn", "/sub/");
        assert_eq!(r("/sub/2025/"), Some(Ok("2025/index.html".into())));
        assert_eq!(r("/sub/"), Some(Ok("index.html".into())));
        assert_eq!(
            r("https://x.gov.cn/sub/feed.xml"),
            Some(Ok("feed.xml".into()))
        );
        assert_eq!(r("../b/"), Some(Ok("2025/estates/b/index.html".into())));
        assert_eq!(
            r("p%E5%9B%BE.jpg#x"),
            Some(Ok("2025/estates/a/p图.jpg".into()))
        );
        assert!(matches!(r("/other/"), Some(Err(_))));
        assert_eq!(r("https://other.example/"), None);
        assert_eq!(r("#top"), None);
        assert_eq!(r("mailto:a@b"), None);
    }

    // A broken link is reported with its page; a good one is not.
    #[test]
    fn reports_broken_links() {
        let files: HashSet<String> = ["index.html".to_string()].into();
        let pages = vec![(
            "index.html".to_string(),
            extract(r#"<a href="/s/">a</a> <img src="/s/x.png" alt="">"#),
        )];
        let errs = check(&pages, &files, "", "/s/");
        assert_eq!(errs.len(), 1);
        assert!(errs[0].contains("/s/x.png"), "{errs:?}");
    }
}
