//! The URL scheme, in one place: every page's address and the output file it is written to.
//!
//! ```text
//! /                          home: the current campaign
//! /archive/                  every campaign year
//! /<year>/                   one year's overview (timeline, key dates, links)
//! /<year>/notice/            the campaign notice
//! /<year>/estates/           all nominated estates (table, county filter as links)
//! /<year>/estates/<slug>/    one estate
//! /<year>/counties/<n>/      one county's estates and case studies (n: position in campaign.yaml)
//! /<year>/publicity/         the publicity notice (公示)
//! /<year>/summary/           the recommendation summary table (推荐汇总表)
//! /<year>/cases/             that year's case studies
//! /<year>/cases/<slug>/      one case study
//! /<year>/files/…            attachments that some page links to (only those are published)
//! /cases/                    case studies of every year, newest first
//! /cases/tags/<id>/          one theme (tag) across years
//! /pages/<slug>/             free pages
//! /search/                   search
//! /static/…                  theme files
//! /feed.xml /sitemap.xml /robots.txt /404.html
//! ```
//! Links are written from the base URL's path (e.g. `/mhjy/2025/`), so the site works under
//! a sub-path; folder URLs end with `/` and are written as `…/index.html`.

/// The site's base URL split into what links need.
#[derive(Clone, Debug, PartialEq)]
pub struct Urls {
    /// Scheme and host, e.g. `https://example.gov.cn`; empty when `base_url` is a bare path.
    pub origin: String,
    /// The path every link starts with, e.g. `/mhjy/` (always ends with `/`).
    pub base: String,
}

impl Urls {
    pub fn new(base_url: &str) -> Urls {
        let (origin, path) = match base_url.find("://") {
            Some(i) => {
                let after = &base_url[i + 3..];
                let slash = after.find('/').map_or(base_url.len(), |j| i + 3 + j);
                (&base_url[..slash], &base_url[slash..])
            }
            None => ("", base_url),
        };
        let mut base = format!("/{}", path.trim_matches('/'));
        if !base.ends_with('/') {
            base.push('/');
        }
        Urls {
            origin: origin.trim_end_matches('/').to_string(),
            base,
        }
    }

    /// The host, for the SiteDomain meta tag.
    pub fn domain(&self) -> &str {
        self.origin.split("://").nth(1).unwrap_or("")
    }

    /// A site path (`2025/notice/`) as a link.
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A site path as an absolute URL, for canonical links, the feed and the sitemap.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{}{path}", self.origin, self.base)
    }
}

/// Site paths (relative to the base, no leading slash) of every kind of page.
pub mod path {
    pub fn year(y: i32) -> String {
        format!("{y}/")
    }
    pub fn notice(y: i32) -> String {
        format!("{y}/notice/")
    }
    pub fn estates(y: i32) -> String {
        format!("{y}/estates/")
    }
    pub fn estate(y: i32, slug: &str) -> String {
        format!("{y}/estates/{slug}/")
    }
    pub fn county(y: i32, n: usize) -> String {
        format!("{y}/counties/{n}/")
    }
    pub fn publicity(y: i32) -> String {
        format!("{y}/publicity/")
    }
    pub fn summary(y: i32) -> String {
        format!("{y}/summary/")
    }
    pub fn year_cases(y: i32) -> String {
        format!("{y}/cases/")
    }
    pub fn case(y: i32, slug: &str) -> String {
        format!("{y}/cases/{slug}/")
    }
    /// A campaign file (`files/gate.jpg`) where it is published.
    pub fn file(y: i32, rel: &str) -> String {
        format!("{y}/{rel}")
    }
    pub fn tag(id: &str) -> String {
        format!("cases/tags/{id}/")
    }
    pub fn page(slug: &str) -> String {
        format!("pages/{slug}/")
    }
    pub const HOME: &str = "";
    pub const ARCHIVE: &str = "archive/";
    pub const CASES: &str = "cases/";
    pub const SEARCH: &str = "search/";
    pub const FEED: &str = "feed.xml";
    pub const SITEMAP: &str = "sitemap.xml";
}

/// The output file for a site path: folders get `index.html`.
pub fn output_file(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// A stable ASCII id for a tag (FNV-1a of its text), so a tag's address does not change
/// when other tags are added.
pub fn tag_id(tag: &str) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for b in tag.as_bytes() {
        h ^= u32::from(*b);
        h = h.wrapping_mul(0x0100_0193);
    }
    format!("t{h:08x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    // Base URLs with and without a sub-path or trailing slash give one base path.
    #[test]
    fn base_paths() {
        let u = Urls::new("https://example.gov.cn/sub/path");
        assert_eq!(u.origin, "https://example.gov.cn");
        assert_eq!(u.base, "/sub/path/");
        assert_eq!(u.domain(), "example.gov.cn");
        assert_eq!(Urls::new("https://example.gov.cn").base, "/");
        assert_eq!(Urls::new("/").base, "/");
        assert_eq!(
            u.link(&path::estate(2025, "a")),
            "/sub/path/2025/estates/a/"
        );
        assert_eq!(
            u.absolute(path::FEED),
            "https://example.gov.cn/sub/path/feed.xml"
        );
    }

    // Folder paths are written as index.html; tag ids are stable ASCII.
    #[test]
    fn files_and_tags() {
        assert_eq!(output_file(""), "index.html");
        assert_eq!(output_file("2025/notice/"), "2025/notice/index.html");
        assert_eq!(output_file("feed.xml"), "feed.xml");
        assert_eq!(tag_id("党建引领"), tag_id("党建引领"));
        assert_ne!(tag_id("党建引领"), tag_id("智慧物业"));
        assert_eq!(tag_id("x").len(), 9);
    }
}
