//! The machine-readable files: the Atom feed (case studies and campaign notices),
//! sitemap.xml and robots.txt. Every date comes from content or the build date.

use std::fmt::Write;

use super::pages::Job;
use super::urls::{Urls, path};
use super::view::View;

/// Text and attribute values for XML, written as they are formatted. Characters XML 1.0
/// does not allow at all (control characters other than tab and line breaks, U+FFFE,
/// U+FFFF) are left out: YAML can carry them (`"\x0b"`), and a single one would make the
/// whole feed unreadable to feed readers.
struct Esc<'a>(&'a str);

impl std::fmt::Display for Esc<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Runs that need nothing are written whole: the sitemap alone is ten thousand
        // addresses. 0xEF leads U+FFFE and U+FFFF (and other characters, written as they
        // are).
        let mut rest = self.0;
        while let Some(i) = rest
            .bytes()
            .position(|b| b < b' ' || matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'' | 0xEF))
        {
            f.write_str(&rest[..i])?;
            let ch = rest[i..].chars().next().unwrap_or_default();
            match ch {
                '\t' | '\n' | '\r' => f.write_char(ch)?,
                c if c < ' ' || c == '\u{fffe}' || c == '\u{ffff}' => {}
                '&' => f.write_str("&amp;")?,
                '<' => f.write_str("&lt;")?,
                '>' => f.write_str("&gt;")?,
                '"' => f.write_str("&quot;")?,
                '\'' => f.write_str("&apos;")?,
                c => f.write_char(c)?,
            }
            rest = &rest[i + ch.len_utf8()..];
        }
        f.write_str(rest)
    }
}

/// China Standard Time midnight of an ISO date, as Atom wants.
fn stamp(iso: &str) -> String {
    format!("{iso}T00:00:00+08:00")
}

struct Entry {
    title: String,
    url: String,
    date: String,
    summary: Option<String>,
    source: String,
}

/// The Atom feed: newest first, each entry dated by its content (or the build date).
pub fn atom(view: &View, urls: &Urls) -> String {
    let today = view.site.today_iso.as_str();
    let mut entries: Vec<Entry> = Vec::new();
    for x in &view.cases {
        entries.push(Entry {
            title: x.title.to_string(),
            url: x.url.clone(),
            date: x.date_iso.clone().unwrap_or_else(|| today.to_string()),
            summary: x.summary.map(str::to_string),
            source: x.source.to_string(),
        });
    }
    for c in &view.campaigns {
        if let Some(n) = &c.notice {
            entries.push(Entry {
                title: n.title.clone(),
                url: c.urls.notice.clone(),
                date: n.date_iso.clone().unwrap_or_else(|| today.to_string()),
                summary: None,
                source: n.source.to_string(),
            });
        }
        if let Some(start) = &c.publicity.start_iso {
            entries.push(Entry {
                title: c.publicity.title.clone(),
                url: c.urls.publicity.clone(),
                date: start.clone(),
                summary: Some(c.publicity.basis.clone()),
                source: c.publicity.issuer.to_string(),
            });
        }
    }
    entries.sort_by(|a, b| b.date.cmp(&a.date).then(a.url.cmp(&b.url)));
    let updated = entries.first().map_or(today, |e| e.date.as_str());
    let home = urls.absolute(path::HOME);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-CN\">\n");
    let _ = writeln!(out, "  <title>{}</title>", Esc(view.site.title));
    let _ = writeln!(out, "  <id>{}</id>", Esc(&home));
    let _ = writeln!(out, "  <updated>{}</updated>", stamp(updated));
    let _ = writeln!(
        out,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        Esc(&home)
    );
    let _ = writeln!(
        out,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        Esc(&urls.absolute(path::FEED))
    );
    let _ = writeln!(
        out,
        "  <author><name>{}</name></author>",
        Esc(view.site.publisher)
    );
    for e in &entries {
        // Links in the view are site paths; the feed needs absolute URLs.
        let abs = format!("{}{}", urls.origin, e.url);
        out.push_str("  <entry>\n");
        let _ = writeln!(out, "    <title>{}</title>", Esc(&e.title));
        let _ = writeln!(out, "    <id>{}</id>", Esc(&abs));
        let _ = writeln!(
            out,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            Esc(&abs)
        );
        let _ = writeln!(out, "    <updated>{}</updated>", stamp(&e.date));
        let _ = writeln!(out, "    <author><name>{}</name></author>", Esc(&e.source));
        if let Some(s) = &e.summary {
            let _ = writeln!(out, "    <summary>{}</summary>", Esc(s));
        }
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// Every listed page, in the order the pages were built.
pub fn sitemap(jobs: &[std::sync::Arc<Job>], urls: &Urls) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for j in jobs.iter().filter(|j| j.listed) {
        let _ = writeln!(
            out,
            "  <url><loc>{}{}</loc></url>",
            Esc(&urls.origin),
            Esc(&j.url)
        );
    }
    out.push_str("</urlset>\n");
    out
}

pub fn robots(urls: &Urls) -> String {
    format!(
        "User-agent: *\nAllow: /\nSitemap: {}\n",
        urls.absolute(path::SITEMAP)
    )
}

#[cfg(test)]
mod tests {
    use super::Esc;

    #[test]
    fn escapes_markup_and_drops_what_xml_forbids() {
        let text = "甲&乙<丙>\"丁'\u{b}\t\n\u{fffe}\u{ffff}\u{ff61}＆ｚ\u{0}尾";
        assert_eq!(
            Esc(text).to_string(),
            "甲&amp;乙&lt;丙&gt;&quot;丁&apos;\t\n\u{ff61}＆ｚ尾"
        );
        assert_eq!(Esc("").to_string(), "");
        assert_eq!(Esc("https://x.cn/a/").to_string(), "https://x.cn/a/");
    }
}
