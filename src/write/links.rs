//! The internal link check: every `href` and `src` in a page must name a file of the
//! output (a folder URL means its index.html), or the build fails naming page and link.

use std::borrow::Cow;
use std::collections::HashSet;

use rustc_hash::FxHashSet;

/// Every file a build writes, and every link that names one of them plainly
/// (`/mhjy/2025/estates/a/`, `/mhjy/static/site.css`). Nearly every link on a page is one
/// of those, so it is checked with one hash lookup; the rest go through `resolve`.
pub struct Targets {
    files: HashSet<String>,
    plain: FxHashSet<String>,
}

impl Targets {
    pub fn new(files: HashSet<String>, base: &str) -> Targets {
        let mut plain = FxHashSet::default();
        let mut add = |link: String| {
            // Only the links the general check would accept at its first step.
            if plain_site_path(&link, base).is_some() {
                plain.insert(link);
            }
        };
        for f in &files {
            add(format!("{base}{f}"));
            if let Some(dir) = f.strip_suffix("index.html")
                && (dir.is_empty() || dir.ends_with('/'))
            {
                add(format!("{base}{dir}"));
            }
        }
        Targets { files, plain }
    }

    /// How many files the build writes.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// Every `href="…"` and `src="…"` value in an HTML page (the templates and the Markdown
/// renderer always quote attributes with `"`).
pub fn extract(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_link(html.as_bytes(), |link| out.push(link.into_owned()));
    out
}

/// Calls `f` with every `href="…"` and `src="…"` value in the order they appear, `&amp;`
/// decoded. Each attribute is searched for on its own, a match counting only after the end
/// of the previous value of the same attribute.
fn for_each_link(bytes: &[u8], mut f: impl FnMut(Cow<'_, str>)) {
    const ATTRS: [&[u8]; 2] = [b" href=\"", b" src=\""];
    let mut found = ATTRS.map(|name| memchr::memmem::find_iter(bytes, name));
    let mut next: [Option<usize>; 2] = [found[0].next(), found[1].next()];
    // Per attribute, where its next match may start.
    let mut from = [0usize; 2];
    loop {
        let k = match next {
            [Some(a), Some(b)] => usize::from(b < a),
            [Some(_), None] => 0,
            [None, Some(_)] => 1,
            [None, None] => return,
        };
        let Some(start) = next[k] else { return };
        next[k] = found[k].next();
        if start < from[k] {
            continue;
        }
        let at = start + ATTRS[k].len();
        if let Some(len) = memchr::memchr(b'"', &bytes[at..]) {
            // Always whole characters: the value lies between two ASCII quotes.
            let value = &bytes[at..at + len];
            let value = std::str::from_utf8(value)
                .map_or_else(|_| String::from_utf8_lossy(value), Cow::Borrowed);
            f(if value.contains('&') && value.contains("&amp;") {
                Cow::Owned(value.replace("&amp;", "&"))
            } else {
                value
            });
            from[k] = at + len;
        }
    }
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
            if let Some(why) = broken(link, page, files, origin, base) {
                errors.push(message(page, link, &why));
            }
        }
    }
    errors.sort();
    errors.dedup();
    errors
}

/// Checks the links of one rendered page, pushing one message per broken link (unsorted).
/// Pages are checked as they are rendered, against the list of every file the build writes.
pub fn check_page(
    page: &str,
    html: &[u8],
    targets: &Targets,
    origin: &str,
    base: &str,
    errors: &mut Vec<String>,
) {
    for_each_link(html, |link| {
        // A fragment on the same page (a table of contents, a footnote) is not internal.
        if link.starts_with('#') {
            return;
        }
        // The canonical link is absolute: under the site's origin it is the plain link.
        let own = match link.strip_prefix(origin) {
            Some(rest) if !origin.is_empty() => rest,
            _ => &link,
        };
        if targets.plain.contains(own) {
            return;
        }
        if let Some(why) = broken(&link, page, &targets.files, origin, base) {
            errors.push(message(page, &link, &why));
        }
    });
}

fn message(page: &str, link: &str, why: &str) -> String {
    format!("页面 {page} 中的链接 `{link}` 无效：{why}")
}

/// Why `link` on `page` is broken, or `None` when it is fine or not internal.
fn broken(
    link: &str,
    page: &str,
    files: &HashSet<String>,
    origin: &str,
    base: &str,
) -> Option<String> {
    if let Some(file) = plain_site_path(link, base) {
        if files.contains(file) {
            return None;
        }
        if file.is_empty() || file.ends_with('/') {
            let mut index = String::with_capacity(file.len() + 10);
            index.push_str(file);
            index.push_str("index.html");
            if files.contains(&index) {
                return None;
            }
        }
    }
    match resolve(link, page, origin, base) {
        None => None,
        Some(Ok(f)) if files.contains(&f) || files.contains(&format!("{f}/index.html")) => None,
        Some(Ok(f)) => Some(format!("找不到文件 {f}")),
        Some(Err(why)) => Some(why),
    }
}

/// The common case without allocating: a link under the base path with nothing to decode
/// or normalise (`/mhjy/2025/estates/a/` → `2025/estates/a/`). `None` sends the link
/// through `resolve`.
fn plain_site_path<'l>(link: &'l str, base: &str) -> Option<&'l str> {
    let rest = link.strip_prefix(base)?;
    if !base.starts_with('/')
        || link.starts_with("//")
        || link.contains([':', '%', '?', '#', '\\'])
        || rest.contains("//")
        || rest.starts_with('/')
        || rest.split('/').any(|seg| seg == "." || seg == "..")
    {
        return None;
    }
    Some(rest)
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

    // Plain, canonical and fragment links pass the quick way; a missing page, a missing
    // page behind the site's own origin and a link outside the base path are reported.
    #[test]
    fn checks_one_page() {
        let files = ["index.html", "2025/index.html", "static/site.css"].map(String::from);
        let targets = Targets::new(files.into_iter().collect(), "/s/");
        let html = concat!(
            r#"<a href="/s/">a</a> <a href="/s/2025/">b</a> <a href="/s/2025/index.html">c</a>"#,
            r##"<link rel="canonical" href="https://x.gov.cn/s/2025/"> <a href="#top">d</a>"##,
            r#"<img src="/s/static/site.css" alt=""> <a href="/s/2025">e</a>"#,
            r#"<a href="/s/2024/">f</a> <a href="https://x.gov.cn/s/nope/">g</a>"#,
            r#"<a href="/other/">h</a> <a href="https://other.example/">i</a>"#,
        );
        let mut errors = Vec::new();
        check_page(
            "index.html",
            html.as_bytes(),
            &targets,
            "https://x.gov.cn",
            "/s/",
            &mut errors,
        );
        errors.sort();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors[0].contains("`/other/`"), "{errors:?}");
        assert!(errors[1].contains("`/s/2024/`"), "{errors:?}");
        assert!(
            errors[2].contains("`https://x.gov.cn/s/nope/`"),
            "{errors:?}"
        );
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
