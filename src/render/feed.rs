//! The machine-readable files: the Atom feed (case studies and campaign notices),
//! sitemap.xml and robots.txt. Every date comes from content or the build date.

use std::fmt::Write;

use super::pages::Job;
use super::urls::{Urls, path};
use super::view::View;

/// Text and attribute values for XML. Characters XML 1.0 does not allow at all (control
/// characters other than tab and line breaks, U+FFFE, U+FFFF) are left out: YAML can carry
/// them (`"\x0b"`), and a single one would make the whole feed unreadable to feed readers.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '\t' | '\n' | '\r' => out.push(ch),
            c if c < ' ' || c == '\u{fffe}' || c == '\u{ffff}' => {}
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
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
    let _ = writeln!(out, "  <title>{}</title>", esc(view.site.title));
    let _ = writeln!(out, "  <id>{}</id>", esc(&home));
    let _ = writeln!(out, "  <updated>{}</updated>", stamp(updated));
    let _ = writeln!(
        out,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        esc(&home)
    );
    let _ = writeln!(
        out,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        esc(&urls.absolute(path::FEED))
    );
    let _ = writeln!(
        out,
        "  <author><name>{}</name></author>",
        esc(view.site.publisher)
    );
    for e in &entries {
        // Links in the view are site paths; the feed needs absolute URLs.
        let abs = format!("{}{}", urls.origin, e.url);
        out.push_str("  <entry>\n");
        let _ = writeln!(out, "    <title>{}</title>", esc(&e.title));
        let _ = writeln!(out, "    <id>{}</id>", esc(&abs));
        let _ = writeln!(
            out,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            esc(&abs)
        );
        let _ = writeln!(out, "    <updated>{}</updated>", stamp(&e.date));
        let _ = writeln!(out, "    <author><name>{}</name></author>", esc(&e.source));
        if let Some(s) = &e.summary {
            let _ = writeln!(out, "    <summary>{}</summary>", esc(s));
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
            esc(&urls.origin),
            esc(&j.url)
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
