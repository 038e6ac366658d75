//! Markdown to HTML: the only module that knows comrak. Safe mode (raw HTML omitted,
//! dangerous URLs dropped), CJK-friendly emphasis, tables, footnotes, heading anchors and a
//! table of contents; links to campaign files are rewritten to their published place.

use std::fmt;
use std::sync::Mutex;

use comrak::adapters::{HeadingAdapter, HeadingMeta};
use comrak::nodes::Sourcepos;
use comrak::options::Plugins;
use comrak::{Anchorizer, Options, markdown_to_html_with_plugins};
use serde::Serialize;

/// Where links in one Markdown text point to.
#[derive(Clone, Copy, Debug, Default)]
pub struct Links<'a> {
    /// The site's base path, e.g. `/mhjy/`; a site-rooted link `/x/` becomes `/mhjy/x/`.
    pub base: &'a str,
    /// Files of the text's campaign folder (e.g. `files/plan.pdf`) that may be linked.
    pub files: &'a [String],
    /// Where that campaign's files are published, e.g. `/mhjy/2025/`.
    pub files_base: &'a str,
}

/// One heading of a text, for its table of contents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// A rendered text.
#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    /// Level-2 and level-3 headings in order.
    pub toc: Vec<TocEntry>,
    /// Campaign files the text links to; only these are published.
    pub used_files: Vec<String>,
    /// What the author must fix (in Chinese), e.g. an image on another website.
    pub problems: Vec<String>,
}

#[derive(Default)]
struct State {
    anchors: Anchorizer,
    toc: Vec<TocEntry>,
    used: Vec<String>,
    problems: Vec<String>,
}

/// Writes `<hN id="…">` with comrak's unique GitHub-style anchors and records the entry.
struct Headings<'s>(&'s Mutex<State>);

impl HeadingAdapter for Headings<'_> {
    fn enter(
        &self,
        out: &mut dyn fmt::Write,
        h: &HeadingMeta,
        _sp: Option<Sourcepos>,
    ) -> fmt::Result {
        let mut st = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let id = st.anchors.anchorize(&h.content);
        if (2..=3).contains(&h.level) {
            st.toc.push(TocEntry {
                level: h.level,
                id: id.clone(),
                text: h.content.trim().to_string(),
            });
        }
        write!(out, "<h{} id=\"", h.level)?;
        comrak::html::escape(out, &id)?;
        out.write_str("\">")
    }

    fn exit(&self, out: &mut dyn fmt::Write, h: &HeadingMeta) -> fmt::Result {
        write!(out, "</h{}>", h.level)
    }
}

fn options<'c>() -> Options<'c> {
    let mut o = Options::default();
    o.extension.table = true;
    o.extension.footnotes = true;
    o.extension.strikethrough = true;
    // Bare URLs stay text: a link to another website is the author's explicit choice.
    o.extension.autolink = false;
    o.extension.cjk_friendly_emphasis = true;
    // Safe mode: raw HTML is omitted and javascript:/data: URLs are dropped.
    o.render.r#unsafe = false;
    o
}

fn is_external(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    lower.starts_with("//") || lower.contains("://")
}

/// Maps one URL written by an author to the URL on the published page.
fn rewrite(url: &str, links: &Links, image: bool, st: &Mutex<State>) -> String {
    let mut st = st.lock().unwrap_or_else(|e| e.into_inner());
    if is_external(url) {
        if image {
            st.problems.push(format!(
                "图片地址 `{url}` 指向其他网站；本站不得从其他网站加载任何内容，请把图片放到该年度的 files/ 文件夹，写成 files/图片名"
            ));
            return String::new();
        }
        return url.to_string();
    }
    if url.starts_with('#') || url.starts_with("mailto:") || url.starts_with("tel:") {
        return url.to_string();
    }
    if let Some(rest) = url.strip_prefix('/') {
        return format!("{}{rest}", links.base);
    }
    let (path, frag) = url.split_once('#').map_or((url, ""), |(p, f)| (p, f));
    let path = path.trim_start_matches("./");
    if links.files.iter().any(|f| f == path) {
        st.used.push(path.to_string());
        let frag = if frag.is_empty() {
            String::new()
        } else {
            format!("#{frag}")
        };
        return format!("{}{path}{frag}", links.files_base);
    }
    if path.starts_with("files/") {
        st.problems.push(format!(
            "链接 `{url}` 指向的文件不存在；请把文件放到该年度的 files/ 文件夹"
        ));
    }
    url.to_string()
}

/// Renders one Markdown text with the links it may use.
pub fn render(text: &str, links: &Links) -> Rendered {
    let state = Mutex::new(State::default());
    let mut opts = options();
    opts.extension.link_url_rewriter = Some(std::sync::Arc::new(|u: &str| {
        rewrite(u, links, false, &state)
    }));
    opts.extension.image_url_rewriter = Some(std::sync::Arc::new(|u: &str| {
        rewrite(u, links, true, &state)
    }));
    let headings = Headings(&state);
    let mut plugins = Plugins::default();
    plugins.render.heading_adapter = Some(&headings);
    let html = markdown_to_html_with_plugins(text, &opts, &plugins);
    drop(opts);
    let st = state.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut used = st.used;
    used.sort();
    used.dedup();
    Rendered {
        html: localise(&wrap_tables(&html)),
        toc: st.toc,
        used_files: used,
        problems: st.problems,
    }
}

/// comrak labels footnote back-links in English; the site speaks Chinese.
fn localise(html: &str) -> String {
    html.replace(
        "aria-label=\"Back to reference ",
        "aria-label=\"返回正文引用处 ",
    )
}

/// Wide tables scroll inside their own box on a phone instead of widening the page.
/// Raw HTML is omitted in safe mode, so every `<table>` here came from a Markdown table.
fn wrap_tables(html: &str) -> String {
    html.replace(
        "<table>",
        "<div class=\"table-scroll\" role=\"region\" aria-label=\"表格（可左右滑动）\" tabindex=\"0\"><table>",
    )
    .replace("</table>", "</table></div>")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(md: &str) -> String {
        render(md, &Links::default()).html
    }

    // Emphasis closed right after a full-width bracket still renders (CJK-friendly rule).
    #[test]
    fn cjk_emphasis_after_bracket() {
        assert_eq!(
            html("**加装电梯（一期）**完成"),
            "<p><strong>加装电梯（一期）</strong>完成</p>\n"
        );
    }

    // Emphasis around Chinese quotation marks renders.
    #[test]
    fn cjk_emphasis_around_quotes() {
        assert_eq!(
            html("这是**“重点”**内容"),
            "<p>这是<strong>“重点”</strong>内容</p>\n"
        );
        assert!(
            html("- **党组织要牵头，但不包办。**党支部")
                .contains("<strong>党组织要牵头，但不包办。</strong>党支部")
        );
    }

    // Raw HTML and script URLs from authors never reach the page.
    #[test]
    fn author_html_is_omitted() {
        let out = html("<script>alert(1)</script>\n\n[x](javascript:alert(1)) <b onclick=x>b</b>");
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("javascript:"), "{out}");
        assert!(!out.contains("<b "), "{out}");
    }

    // Headings get unique ids and level-2/3 headings form the table of contents.
    #[test]
    fn headings_and_toc() {
        let r = render(
            "## 小区概况\n\n### 一、做法\n\n## 小区概况\n",
            &Links::default(),
        );
        assert!(
            r.html.contains("<h2 id=\"小区概况\">小区概况</h2>"),
            "{}",
            r.html
        );
        let ids: Vec<&str> = r.toc.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["小区概况", "一做法", "小区概况-1"]);
    }

    // Tables and footnotes render; tables scroll in their own box.
    #[test]
    fn tables_and_footnotes() {
        let out = html("| a | b |\n| --- | --- |\n| 1 | 2 |\n\n注[^1]\n\n[^1]: 说明\n");
        assert!(out.contains("<div class=\"table-scroll\""));
        assert!(out.contains("</table></div>"));
        assert!(out.contains("footnote"));
        assert!(out.contains("返回正文引用处"), "{out}");
        assert!(!out.contains("Back to"), "{out}");
    }

    // Campaign files are linked at their published place; external images are refused.
    #[test]
    fn links_are_rewritten() {
        let files = vec!["files/plan.pdf".to_string()];
        let links = Links {
            base: "/sub/",
            files: &files,
            files_base: "/sub/2025/",
        };
        let r = render(
            "[方案](files/plan.pdf) [首页](/) ![图](https://cdn.example.com/a.png)",
            &links,
        );
        assert!(
            r.html.contains("href=\"/sub/2025/files/plan.pdf\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("href=\"/sub/\""));
        assert!(!r.html.contains("cdn.example.com"));
        assert_eq!(r.used_files, ["files/plan.pdf"]);
        assert_eq!(r.problems.len(), 1);
    }
}
