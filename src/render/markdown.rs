//! Markdown to HTML: the only module that knows comrak. Safe mode (raw HTML omitted,
//! dangerous URLs dropped), CJK-friendly emphasis, tables, footnotes, heading anchors and a
//! table of contents; links to campaign files are rewritten to their published place.
//!
//! Every link and image URL is checked against an allow-list before rendering (site pages,
//! campaign files, http(s), mailto:, tel:; images only from the campaign's files), and a
//! text is refused whole when its markup is too much or too deep (see `MAX_*`); both fail
//! the build with a message for the author. docs/security-output.md has the reasons.

use std::cell::Cell;
use std::fmt;
use std::sync::Mutex;

use comrak::adapters::{HeadingAdapter, HeadingMeta};
use comrak::arena_tree::NodeEdge;
use comrak::nodes::{NodeValue, Sourcepos};
use comrak::options::Plugins;
use comrak::{Anchorizer, Arena, Options, format_html_with_plugins, try_parse_document};
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
#[derive(Clone, Debug, Default)]
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

/// How deep Markdown may nest (blocks and inline marks together, counted on the syntax
/// tree). Real notices and case studies stay under about 15; the cap keeps hostile input
/// (10,000 `>` or `*`) from producing pages that browsers and screen readers choke on.
pub const MAX_DEPTH: usize = 64;

/// The parser's work budget in steps (a line, an inline or a node each), which bounds the
/// time one text may take whatever its shape; comrak asks every 256 steps whether to stop.
/// The longest sample text needs about 1,500; 20,000 dense Markdown paragraphs about 900,000.
pub const MAX_STEPS: u64 = 2_000_000;

/// The most markup characters (`*`, `_`, `[`, `<`, `|`…) one text may hold. Each can
/// become a node of the syntax tree, so this bounds the parser's memory (under 50 MB at
/// worst); real texts use under 2% of their characters for markup, a few hundred at most.
pub const MAX_MARKUP: usize = 100_000;

fn is_markup(b: u8) -> bool {
    matches!(
        b,
        b'*' | b'_' | b'~' | b'[' | b']' | b'!' | b'<' | b'>' | b'&' | b'\\' | b'`' | b'|'
    )
}

/// What an author's URL is, after the clean-up a browser itself applies.
#[derive(Debug, PartialEq, Eq)]
enum UrlKind {
    /// `#top`, `files/plan.pdf`, `/2025/`: inside this site.
    Local,
    /// `https://…` or `//host/…`: another website.
    External,
    /// `mailto:` and `tel:`.
    Contact,
    /// Any other scheme (`javascript:`, `vbscript:`, `data:`, `file:`, `C:`…), refused.
    Refused(String),
}

/// Classifies a URL the way a browser would read it: tabs and line breaks inside a URL are
/// dropped, leading and trailing spaces and control characters trimmed, and a backslash
/// counts as a slash. So `java\tscript:` is `javascript:` and `/\\host` another host.
fn classify(url: &str) -> UrlKind {
    let clean: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .map(|c| if c == '\\' { '/' } else { c })
        .collect();
    if clean.starts_with("//") {
        return UrlKind::External;
    }
    let scheme_end = clean.find(|c: char| !(c.is_ascii_alphanumeric() || "+-.".contains(c)));
    let scheme = match scheme_end {
        Some(i) if i > 0 && clean[i..].starts_with(':') => clean[..i].to_ascii_lowercase(),
        _ => return UrlKind::Local,
    };
    if !scheme.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return UrlKind::Local;
    }
    match scheme.as_str() {
        "http" | "https" => UrlKind::External,
        "mailto" | "tel" => UrlKind::Contact,
        _ => UrlKind::Refused(scheme),
    }
}

/// A URL as it may appear in a message: control characters shown as escapes, so a hostile
/// URL cannot drive the terminal, and long ones cut short.
fn shown(url: &str) -> String {
    let mut out = String::new();
    for (i, c) in url.chars().enumerate() {
        if i == 80 {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Maps one URL written by an author to the URL on the published page; a refused URL
/// becomes empty and the reason goes to `problems`.
fn rewrite(url: &str, links: &Links, image: bool, found: &mut Found) -> String {
    let problems = &mut found.problems;
    let what = if image { "图片地址" } else { "链接" };
    match classify(url) {
        UrlKind::Refused(scheme) => {
            problems.push(format!(
                "{what} `{}` 使用了不允许的 `{scheme}:` 地址；为防止网页被植入脚本，正文里的链接只能是本站页面、files/ 文件夹里的文件、http(s) 网址、mailto: 或 tel:",
                shown(url)
            ));
            return String::new();
        }
        UrlKind::External | UrlKind::Contact if image => {
            problems.push(format!(
                "图片地址 `{}` 指向其他网站；本站不得从其他网站加载任何内容，请把图片放到该年度的 files/ 文件夹，写成 files/图片名",
                shown(url)
            ));
            return String::new();
        }
        UrlKind::External | UrlKind::Contact => return url.to_string(),
        UrlKind::Local => {}
    }
    if url.starts_with('#') {
        return url.to_string();
    }
    if let Some(rest) = url.strip_prefix('/') {
        return format!("{}{rest}", links.base);
    }
    let (path, frag) = url.split_once('#').map_or((url, ""), |(p, f)| (p, f));
    let path = path.trim_start_matches("./");
    if links.files.iter().any(|f| f == path) {
        found.used.push(path.to_string());
        let frag = if frag.is_empty() {
            String::new()
        } else {
            format!("#{frag}")
        };
        return format!("{}{path}{frag}", links.files_base);
    }
    if path.starts_with("files/") {
        found.problems.push(format!(
            "链接 `{}` 指向的文件不存在；请把文件放到该年度的 files/ 文件夹",
            shown(url)
        ));
    }
    url.to_string()
}

/// What the links of one text need: campaign files to publish, and refusals.
#[derive(Default)]
struct Found {
    used: Vec<String>,
    problems: Vec<String>,
}

/// The deepest nesting of the tree, counted without recursion (the tree may be deep).
fn depth<'a>(root: &'a comrak::nodes::AstNode<'a>) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    for edge in root.traverse() {
        match edge {
            NodeEdge::Start(_) => {
                depth += 1;
                max = max.max(depth);
            }
            NodeEdge::End(_) => depth = depth.saturating_sub(1),
        }
    }
    max
}

/// Renders one Markdown text with the links it may use. Text too deeply nested or too
/// costly to parse is not rendered: the reason is in `problems`, which fails the build.
pub fn render(text: &str, links: &Links) -> Rendered {
    if !memo::ENABLED.load(std::sync::atomic::Ordering::Relaxed) {
        return render_now(text, links);
    }
    memo::render(text, links, render_now)
}

fn render_now(text: &str, links: &Links) -> Rendered {
    let markup = text.bytes().filter(|&b| is_markup(b)).count();
    if markup > MAX_MARKUP {
        return refused(format!(
            "Markdown 正文的标记符号过多（{markup} 个，上限 {MAX_MARKUP} 个），已停止处理；请检查是否误粘贴了大量 `*`、`>`、`[`、`<` 等符号"
        ));
    }
    let opts = options();
    let arena = Arena::new();
    let asked = Cell::new(0u64);
    let over_budget = || {
        asked.set(asked.get() + 1);
        asked.get() * 256 > MAX_STEPS
    };
    let Ok(root) = try_parse_document(&arena, text, &opts, &over_budget) else {
        return refused(format!(
            "Markdown 正文的标记过多（解析超过 {MAX_STEPS} 步），已停止处理；请检查是否误粘贴了大量 `*`、`>`、`[` 等符号"
        ));
    };
    if depth(root) > MAX_DEPTH {
        return refused(format!(
            "Markdown 正文嵌套过深（超过 {MAX_DEPTH} 层）；请减少引用 `>`、列表缩进或 `*`、`_` 强调符号的层数"
        ));
    }
    let mut found = Found::default();
    for node in root.descendants() {
        let mut ast = node.data_mut();
        let (nl, image) = match &mut ast.value {
            NodeValue::Link(nl) => (nl, false),
            NodeValue::Image(nl) => (nl, true),
            _ => continue,
        };
        nl.url = rewrite(&nl.url, links, image, &mut found);
    }
    let state = Mutex::new(State::default());
    let headings = Headings(&state);
    let mut plugins = Plugins::default();
    plugins.render.heading_adapter = Some(&headings);
    let mut html = String::new();
    // Writing into a String cannot fail; the heading adapter only writes, too.
    let _ = format_html_with_plugins(root, &opts, &mut html, &plugins);
    let st = state.into_inner().unwrap_or_else(|e| e.into_inner());
    let Found { mut used, problems } = found;
    used.sort();
    used.dedup();
    Rendered {
        html: localise(wrap_tables(html)),
        toc: st.toc,
        used_files: used,
        problems,
    }
}

/// A text that is not rendered, with the reason.
fn refused(why: String) -> Rendered {
    Rendered {
        problems: vec![why],
        ..Rendered::default()
    }
}

/// comrak labels footnote back-links in English; the site speaks Chinese.
fn localise(html: String) -> String {
    replace_all(
        html,
        "aria-label=\"Back to reference ",
        "aria-label=\"返回正文引用处 ",
    )
}

/// Wide tables scroll inside their own box on a phone instead of widening the page.
/// Raw HTML is omitted in safe mode, so every `<table>` here came from a Markdown table.
fn wrap_tables(html: String) -> String {
    let html = replace_all(
        html,
        "<table>",
        "<div class=\"table-scroll\" role=\"region\" aria-label=\"表格（可左右滑动）\" tabindex=\"0\"><table>",
    );
    replace_all(html, "</table>", "</table></div>")
}

/// `str::replace`, but a text without `from` (most of them) is returned as it is rather
/// than copied.
fn replace_all(text: String, from: &str, to: &str) -> String {
    let mut found = memchr::memmem::find_iter(text.as_bytes(), from.as_bytes()).peekable();
    if found.peek().is_none() {
        return text;
    }
    let mut out = String::with_capacity(text.len() + to.len());
    let mut last = 0;
    for at in found {
        out.push_str(&text[last..at]);
        out.push_str(to);
        last = at + from.len();
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(md: &str) -> String {
        render(md, &Links::default()).html
    }

    // The same result as `str::replace`, with and without matches.
    #[test]
    fn replace_all_is_str_replace() {
        for text in [
            "",
            "abc",
            "<table>",
            "a<table>b<table></table>",
            "<table<table>>",
        ] {
            assert_eq!(
                replace_all(text.to_string(), "<table>", "[x]"),
                text.replace("<table>", "[x]")
            );
        }
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

    // Script URLs in every spelling a browser accepts are refused with a reason, and never
    // reach the page: case, entities, tabs and line breaks inside the scheme, leading
    // spaces, autolinks, reference links, images and data: URLs.
    #[test]
    fn script_urls_are_refused() {
        let vectors = [
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x](&#106;avascript:alert(1))",
            "[x](&#x6A;&#x61;vascript:alert(1))",
            "[x](<java&#9;script:alert(1)>)",
            "[x](<java&#10;script:alert(1)>)",
            "[x](<  javascript:alert(1)>)",
            "[x](<&#1;javascript:alert(1)>)",
            "<javascript:alert(1)>",
            "<JAVASCRIPT:alert(1)>",
            "[x][r]\n\n[r]: javascript:alert(1)",
            "[x][]\n\n[x]: <vbscript:msgbox(1)>",
            "[x](vbscript:msgbox(1))",
            "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "![x](data:image/png;base64,iVBORw0KGgo=)",
            "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
            "![x](javascript:alert(1))",
            "[x](file:///etc/passwd)",
            "[x](C:/Windows/win.ini)",
            "![x](//evil.example/a.png)",
            "![x](/\\\\evil.example/a.png)",
            "![x](https:evil.example/a.png)",
        ];
        for md in vectors {
            let r = render(md, &Links::default());
            // An autolink keeps its text; no URL may survive in an attribute.
            for attr in crate::write::links::extract(&r.html) {
                assert!(attr.is_empty(), "{md}: {}", r.html);
            }
            assert!(!r.html.contains("<img src=\"d"), "{md}: {}", r.html);
            assert!(
                !r.html.to_ascii_lowercase().contains("<svg"),
                "{md}: {}",
                r.html
            );
            assert_eq!(r.problems.len(), 1, "{md}: {:?}", r.problems);
            assert!(
                r.problems[0].contains("不允许") || r.problems[0].contains("其他网站"),
                "{md}: {:?}",
                r.problems
            );
        }
    }

    // Ordinary links are kept: pages of this site, fragments, other websites, mail, phone.
    #[test]
    fn ordinary_links_are_kept() {
        let r = render(
            "[a](#top) [b](/2025/) [c](https://www.gov.cn/) [d](mailto:a@b.cn) [e](tel:0775-1234567) [f](../x/)",
            &Links {
                base: "/s/",
                ..Links::default()
            },
        );
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        for href in [
            "#top",
            "/s/2025/",
            "https://www.gov.cn/",
            "mailto:a@b.cn",
            "tel:0775-1234567",
            "../x/",
        ] {
            assert!(
                r.html.contains(&format!("href=\"{href}\"")),
                "{href}: {}",
                r.html
            );
        }
    }

    // A URL shown in a message cannot drive the terminal and is cut short.
    #[test]
    fn messages_show_urls_safely() {
        let r = render("[x](<javascript:\u{1b}[31m>)", &Links::default());
        assert!(!r.problems[0].contains('\u{1b}'), "{:?}", r.problems);
        let long = format!("[x](javascript:{})", "a".repeat(500));
        let r = render(&long, &Links::default());
        assert!(r.problems[0].chars().count() < 300, "{:?}", r.problems);
    }

    // Raw HTML of every family is left out (tags, event handlers, comments, CDATA,
    // processing instructions), as text it is escaped.
    #[test]
    fn raw_html_families_are_omitted() {
        let md = "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n<svg onload=alert(1)>\n\n\
                  <iframe src=https://x></iframe>\n\n<object data=x></object>\n\n<embed src=x>\n\n\
                  <form action=x><input></form>\n\n<style>*{}</style>\n\n<meta http-equiv=refresh content=0>\n\n\
                  <!--><script>alert(1)</script>-->\n\n<![CDATA[<script>alert(1)</script>]]>\n\n\
                  <?php echo 1 ?>\n\n段落 <b onclick=alert(1)>b</b> <a href=javascript:alert(1)>a</a> \
                  <span style=\"x:expression(alert(1))\">s</span> </script> \" onmouseover=\"alert(1)\n";
        let out = html(md);
        let lower = out.to_ascii_lowercase();
        for tag in [
            "<script", "<img", "<svg", "<iframe", "<object", "<embed", "<form", "<input", "<style",
            "<meta", "<b ", "<span", "<a ",
        ] {
            assert!(!lower.contains(tag), "{tag}: {out}");
        }
        assert!(!lower.contains("style="), "{out}");
        assert!(!lower.contains("=\"alert"), "{out}");
        assert!(out.contains("&quot; onmouseover=&quot;alert(1)"), "{out}");
    }

    // 10,000 levels of quotes, lists or emphasis are refused with a clear message and
    // never reach the parser (no HTML comes out); the limit itself still renders.
    #[test]
    fn deep_nesting_is_refused() {
        let n = 10_000;
        let deep = [
            format!("{} x", ">".repeat(n)),
            format!("{}x", "- ".repeat(n)),
            format!("{}x", "1. ".repeat(n)),
            format!("{}x", "> - ".repeat(n)),
            format!("{}x{}", "*".repeat(n), "*".repeat(n)),
            format!("{}x{}", "_".repeat(n), "_".repeat(n)),
            format!("{}x{}", "~~a ".repeat(n), " a~~".repeat(n)),
            format!("x[^a]\n\n[^a]: {}x", "> ".repeat(n)),
            format!("## {}x{}", "*a ".repeat(n), " a*".repeat(n)),
        ];
        for md in &deep {
            let r = render(md, &Links::default());
            assert!(r.html.is_empty(), "{}", &md[..20]);
            assert!(r.problems[0].contains("嵌套过深"), "{:?}", r.problems);
        }
        let ok = format!("{} x", ">".repeat(MAX_DEPTH - 3));
        let r = render(&ok, &Links::default());
        assert!(r.problems.is_empty(), "{:?}", r.problems);
    }

    // A text that is almost all markup is refused before parsing, which bounds memory.
    #[test]
    fn markup_floods_are_refused() {
        let r = render(&"*a ".repeat(MAX_MARKUP + 1), &Links::default());
        assert!(r.problems[0].contains("标记符号过多"), "{:?}", r.problems);
        let r = render(&"物业".repeat(MAX_MARKUP), &Links::default());
        assert!(r.problems.is_empty());
    }

    // A browser reads tabs, line breaks, case and backslashes out of a scheme; so do we.
    #[test]
    fn urls_are_classified_like_a_browser() {
        use UrlKind::*;
        assert_eq!(classify("java\tscript:x"), Refused("javascript".into()));
        assert_eq!(classify(" \u{1}JavaScript:x"), Refused("javascript".into()));
        assert_eq!(classify("\\\\evil/x"), External);
        assert_eq!(classify("HTTPS://x"), External);
        assert_eq!(classify("files/a:b.pdf"), Local);
        assert_eq!(classify("2025:x"), Local);
        assert_eq!(classify("#a:b"), Local);
        assert_eq!(classify("mailto:a@b"), Contact);
    }
}

/// The preview's memo of rendered texts: a save changes one text, and the other twelve
/// thousand need not be rendered again. Only `serve` turns it on. The key is everything
/// `render` reads, compared in full.
pub mod memo {
    use std::collections::HashMap;
    use std::hash::{Hash, Hasher};
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
    use std::sync::{OnceLock, RwLock};

    use super::{Links, Rendered};

    pub(super) static ENABLED: AtomicBool = AtomicBool::new(false);

    /// The build that is running; each rendering records the last build that used it.
    static BUILD: AtomicU64 = AtomicU64::new(0);

    /// Where a text's links point: base, campaign files, files base.
    type Place = (Box<str>, Box<[String]>, Box<str>);

    struct Kept {
        text: Box<str>,
        place: Place,
        rendered: Rendered,
        used: AtomicU64,
    }

    /// Renderings by `sample(text)`. Looking up takes the lock shared, so both cores look
    /// up at once; a found text is compared in full.
    static MEMO: OnceLock<RwLock<HashMap<u64, Vec<Kept>>>> = OnceLock::new();

    /// Keeps and uses renderings from now on (`true`), or renders every text (`false`,
    /// as at start).
    pub fn set_enabled(on: bool) {
        ENABLED.store(on, Ordering::Relaxed);
    }

    /// How many builds a rendering is kept unused. A preview build takes unchanged
    /// campaign years, and unchanged records of the edited year, over from the last one
    /// without rendering their texts again (see `render::reuse`), so their renderings go
    /// unused until a change reaches them (a year's settings edited after hundreds of
    /// saves of its estates still finds them); the old versions of edited texts go after
    /// this many saves (some 20 KB each for a case study: ten megabytes at most).
    const KEEP_UNUSED: u64 = 512;

    /// Forgets every rendering no build used in the last `KEEP_UNUSED`, so that edits do
    /// not pile up, and starts the next build.
    pub fn forget_unused() {
        let build = BUILD.fetch_add(1, Ordering::Relaxed);
        let mut map = MEMO
            .get_or_init(Default::default)
            .write()
            .unwrap_or_else(|e| e.into_inner());
        map.retain(|_, kept| {
            kept.retain(|k| build - k.used.load(Ordering::Relaxed) < KEEP_UNUSED);
            !kept.is_empty()
        });
    }

    /// A hash of the text's length and of 128 bytes at its start, middle and end: texts of
    /// a site differ there, and hashing whole case studies (several kilobytes each, on
    /// every save) cost more than the rest of the lookup. Texts alike in all three only
    /// share a key, and are told apart by comparing them in full.
    fn sample(text: &str) -> u64 {
        const PART: usize = 128;
        let b = text.as_bytes();
        let mut h = std::collections::hash_map::DefaultHasher::new();
        b.len().hash(&mut h);
        if b.len() <= 3 * PART {
            b.hash(&mut h);
        } else {
            let mid = b.len() / 2 - PART / 2;
            b[..PART].hash(&mut h);
            b[mid..mid + PART].hash(&mut h);
            b[b.len() - PART..].hash(&mut h);
        }
        h.finish()
    }

    pub(super) fn render(
        text: &str,
        links: &Links,
        render_now: fn(&str, &Links) -> Rendered,
    ) -> Rendered {
        let build = BUILD.load(Ordering::Relaxed);
        let key = sample(text);
        let same = |k: &Kept| {
            *k.text == *text
                && *k.place.0 == *links.base
                && *k.place.1 == *links.files
                && *k.place.2 == *links.files_base
        };
        let memo = MEMO.get_or_init(Default::default);
        {
            let map = memo.read().unwrap_or_else(|e| e.into_inner());
            if let Some(k) = map.get(&key).and_then(|kept| kept.iter().find(|k| same(k))) {
                k.used.store(build, Ordering::Relaxed);
                return k.rendered.clone();
            }
        }
        let rendered = render_now(text, links);
        let kept = Kept {
            text: text.into(),
            place: (
                links.base.into(),
                links.files.into(),
                links.files_base.into(),
            ),
            rendered: rendered.clone(),
            used: AtomicU64::new(build),
        };
        memo.write()
            .unwrap_or_else(|e| e.into_inner())
            .entry(key)
            .or_default()
            .push(kept);
        rendered
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn echo(text: &str, _: &Links) -> Rendered {
            Rendered {
                html: text.to_string(),
                ..Default::default()
            }
        }

        // Two texts that agree in length and where they are sampled share a key; each
        // still gets its own rendering.
        #[test]
        fn texts_alike_where_sampled_are_told_apart() {
            let [a, b] =
                ["甲", "乙"].map(|m| format!("{}{m}{}", "前".repeat(100), "后".repeat(499)));
            assert_eq!(sample(&a), sample(&b));
            let links = Links::default();
            assert_eq!(render(&a, &links, echo).html, a);
            assert_eq!(render(&b, &links, echo).html, b);
            assert_eq!(render(&a, &links, echo).html, a);
        }
    }
}
