//! Hostile content end to end: the common XSS vector families in every text field that
//! reaches a page and in every kind of Markdown body, built by the real binary. Every output
//! file is then scanned: pages tag by tag, the feed and sitemap as XML, the search index as
//! JSON, the summary table as CSV and XLSX.

mod common;

use common::{Site, TODAY, ok, run, tree};
use std::collections::BTreeMap;

/// One line of vectors for a YAML text field: tags, event handlers, URL schemes in their
/// spellings, comment and CDATA mutations, attribute-breaking quotes, `</script>`, template
/// syntax, entities, and a control character that XML does not allow.
const FIELD_VECTORS: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "<svg onload=alert(3)>",
    "<iframe src=\"javascript:alert(4)\"></iframe>",
    "<object data=x></object><embed src=x>",
    "<form action=x><button formaction=javascript:alert(5)>",
    "<style>*{color:red}</style><p style=\"background:url(javascript:alert(6))\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(7)\">",
    "javascript:alert(8) JaVaScRiPt:alert(9) &#106;avascript:alert(10) data:text/html,x",
    "<!--<script>alert(11)</script>--> <![CDATA[<script>alert(12)</script>]]>",
    "\" onmouseover=\"alert(13)\" ' onfocus='alert(14)' x=\"",
    "</script><script>alert(15)</script></textarea></title>",
    "{{ site.title }} {% if true %}模板{% endif %} & &amp; \u{b}&lt; 尾",
];

/// Markdown bodies: raw HTML of every family as blocks and inline, mutations, quotes and
/// script in headings, tables and footnotes, and the links that are allowed.
const MD_VECTORS: &str = r#"正文开头。

<script>alert('md1')</script>

<img src=x onerror=alert('md2')>

<svg/onload=alert('md3')>

<iframe srcdoc="<script>alert('md4')</script>"></iframe>

<object data="javascript:alert('md5')"></object>

<embed src="data:text/html,<script>alert('md6')</script>">

<form action="javascript:alert('md7')"><input type=submit></form>

<style>@import 'x';</style>

<meta http-equiv="refresh" content="0;url=javascript:alert('md8')">

<!--><img src=x onerror=alert('md9')>-->

<![CDATA[><script>alert('md10')</script>]]>

<noscript><p title="</noscript><img src=x onerror=alert('md11')>"></noscript>

<math><mtext><table><mglyph><style><img src=x onerror=alert('md12')>

段落内联：<b onmouseover=alert('md13')>粗体</b> <a href="javascript:alert('md14')">链接</a> <span style="color:expression(alert('md15'))">x</span> <IMG SRC=JaVaScRiPt:alert('md16')> <img src=`javascript:alert('md17')`>

属性引号：" onmouseover="alert('md18')" ' onfocus='alert(19)' </script><script>alert('md20')</script>

实体：&lt;script&gt;alert('md21')&lt;/script&gt; &#60;script&#62;alert('md22')&#60;/script&#62;

代码：`<script>alert('md23')</script>`

    <script>alert('md24')</script>

## 标题<script>alert('md25')</script> " onclick="x

| 表头<img src=x onerror=alert(26)> |
| --- |
| <script>alert('md27')</script> |

脚注[^x<script>]

[^x<script>]: 脚注<img src=x onerror=alert('md28')>

[允许的链接](https://www.gov.cn/?q=<script>&x=" onmouseover=") [站内](/) [邮件](mailto:a@example.gov.cn?subject=<script>)

{{ site.title }} {% if true %}模板{% endif %}
"#;

/// Each field's value: a label to find it by, then every vector.
fn payload(label: &str) -> String {
    format!("{label}{}", FIELD_VECTORS.join(" "))
}

/// A YAML double-quoted scalar (JSON's string syntax is valid YAML).
fn yq(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// The text fields of the hostile site, by label.
const LABELS: &[&str] = &[
    "站名",
    "主办",
    "承办",
    "联系单位",
    "电话",
    "邮箱",
    "通讯地址",
    "标识码",
    "备案",
    "公安",
    "活动名称",
    "文号",
    "发文单位",
    "县名",
    "受理电话",
    "受理邮箱",
    "受理地址",
    "小区名",
    "街道",
    "社区",
    "地址",
    "物业企业",
    "党建",
    "异议说明",
    "照片说明",
    "案例标题",
    "标签",
    "作者",
    "案例摘要",
    "页面标题",
    "页面摘要",
    "通知标题",
];

fn p(label: &str) -> String {
    assert!(LABELS.contains(&label), "{label}");
    yq(&payload(label))
}

/// The `basic` fixture with a vector-laden value in every text field and every body.
fn hostile_site() -> Site {
    let site = Site::fixture("basic");
    let county = p("县名");
    site.write(
        "content/site.yaml",
        &format!(
            "title: {}\nbase_url: \"https://example.gov.cn/sub/path/\"\npublisher: {}\norganizer: {}\n\
             contact:\n  person: {}\n  phone: {}\n  email: {}\n  address: {}\n\
             footer:\n  site_code: {}\n  icp: {}\n  police: {}\n",
            p("站名"), p("主办"), p("承办"), p("联系单位"), p("电话"), p("邮箱"), p("通讯地址"),
            p("标识码"), p("备案"), p("公安"),
        ),
    );
    site.write(
        "content/campaigns/2025/campaign.yaml",
        &format!(
            "year: 2025\ntitle: {}\ndocument:\n  number: {}\n  issued: 2025-05-01\n  issuer: {}\n\
             counties: [{county}, 乙县]\nquota:\n  per_county: [2, 3]\n  winners: 3\n  forwarded: 2\n\
             deadlines:\n  submission: 2025-05-30\n  forward: 2025-06-30\nscoring:\n  max: 100\n  method: mean\n\
             publicity:\n  start: 2025-06-09\n  working_days: 7\n  objections:\n    phone: {}\n    email: {}\n    address: {}\n",
            p("活动名称"), p("文号"), p("发文单位"), p("受理电话"), p("受理邮箱"), p("受理地址"),
        ),
    );
    let body = indent(MD_VECTORS);
    site.write(
        "content/campaigns/2025/estates/jia-one.yaml",
        &format!(
            "name: {}\ncounty: {county}\nstreet: {}\ncommunity: {}\naddress: {}\nbuilt: 2010\n\
             households: 1200\nfloor_area: 150000\nproperty_company: {}\nowners_body: 业主委员会\n\
             party_building: {}\nsatisfaction: {{surveyed: 100, satisfied: 98}}\nsubmitted: 2025-05-20\n\
             contact:\n  person: 联系人SENTINEL\n  phone: \"SENTINEL-PHONE-13900000000\"\n\
             scores:\n  - {{expert: 专家SENTINEL, total: 95}}\n  - {{expert: 专家SENTINEL乙, total: 93}}\n\
             objection:\n  outcome: dismissed\n  note: {}\n\
             photos:\n  - {{src: files/gate.jpg, alt: {}}}\nsummary: |\n{body}",
            p("小区名"), p("街道"), p("社区"), p("地址"), p("物业企业"), p("党建"), p("异议说明"),
            p("照片说明"),
        ),
    );
    let jia_two = std::fs::read_to_string(
        site.root()
            .join("content/campaigns/2025/estates/jia-two.yaml"),
    )
    .unwrap();
    site.write(
        "content/campaigns/2025/estates/jia-two.yaml",
        &jia_two.replace("county: 甲区", &format!("county: {county}")),
    );
    // Spreadsheet formulas (CSV injection) in the other county's estate.
    let yi_one = std::fs::read_to_string(
        site.root()
            .join("content/campaigns/2025/estates/yi-one.yaml"),
    )
    .unwrap();
    let mut yi_one: Vec<String> = yi_one
        .lines()
        .filter(|l| {
            !["address:", "property_company:", "street:", "community:"]
                .iter()
                .any(|k| l.starts_with(k))
        })
        .map(str::to_string)
        .collect();
    yi_one.push(format!("address: {}", yq("=cmd|' /C calc'!A0")));
    yi_one.push(format!(
        "property_company: {}",
        yq("@SUM(1+1)*cmd|' /C calc'!A0")
    ));
    yi_one.push(format!("street: {}", yq("+HYPERLINK(\"http://x\",\"y\")")));
    yi_one.push(format!("community: {}", yq("-1+1")));
    site.write(
        "content/campaigns/2025/estates/yi-one.yaml",
        &(yi_one.join("\n") + "\n"),
    );
    site.write(
        "content/campaigns/2025/experiences/jia-yishi.md",
        &format!(
            "---\ntitle: {}\nestate: jia-one\ntags: [{}, 普通标签]\nauthor: {}\ndate: 2025-06-20\nsummary: {}\n---\n\n{MD_VECTORS}",
            p("案例标题"), p("标签"), p("作者"), p("案例摘要"),
        ),
    );
    site.write(
        "content/pages/about.md",
        &format!(
            "---\ntitle: {}\ndate: 2025-05-01\norder: 1\nsummary: {}\n---\n\n{MD_VECTORS}",
            p("页面标题"),
            p("页面摘要"),
        ),
    );
    site.write(
        "content/campaigns/2025/notice.md",
        &format!(
            "---\ntitle: {}\ndate: 2025-05-01\n---\n\n[实施方案](files/plan.pdf)\n\n{MD_VECTORS}",
            p("通知标题"),
        ),
    );
    site
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}\n")).collect()
}

/// HTML escaping as the templates apply it; `'` is compared unescaped (see `unquote`).
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A page with `'` in its raw form, whichever way the escaper wrote it.
fn unquote(html: &str) -> String {
    html.replace("&#39;", "'").replace("&#x27;", "'")
}

// ---------------------------------------------------------------------------------------
// A small HTML tokenizer, enough for output whose text is escaped: every `<` opens a tag or
// a comment, so any tag a content author smuggled in shows up here.

#[derive(Debug)]
struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
}

impl Tag {
    fn get(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Start tags, in order; comments must be comrak's own marker. Problems go to `bad`.
fn start_tags(html: &str, bad: &mut Vec<String>) -> Vec<Tag> {
    let b = html.as_bytes();
    let mut tags = Vec::new();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        i += off;
        let rest = &html[i..];
        if rest.starts_with("<!--") {
            let end = rest.find("-->").map_or(rest.len(), |e| e + 3);
            if &rest[..end] != "<!-- raw HTML omitted -->" {
                bad.push(format!("comment {}", &rest[..end.min(80)]));
            }
            i += end;
            continue;
        }
        if rest.starts_with("<!DOCTYPE html>") {
            i += "<!DOCTYPE html>".len();
            continue;
        }
        let closing = rest.starts_with("</");
        let start = if closing { 2 } else { 1 };
        let name: String = rest[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        if name.is_empty() || !name.as_bytes()[0].is_ascii_alphabetic() {
            bad.push(format!("raw < in text: {}", &rest[..rest.len().min(60)]));
            i += 1;
            continue;
        }
        let mut j = i + start + name.len();
        let mut attrs = Vec::new();
        loop {
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if j >= b.len() {
                break;
            }
            if b[j] == b'>' {
                j += 1;
                break;
            }
            if b[j] == b'/' {
                j += 1;
                continue;
            }
            let n0 = j;
            while j < b.len() && !b" \t\n\r=>/".contains(&b[j]) {
                j += 1;
            }
            let an = html[n0..j].to_ascii_lowercase();
            let mut value = String::new();
            if j < b.len() && b[j] == b'=' {
                j += 1;
                if j < b.len() && (b[j] == b'"' || b[j] == b'\'') {
                    let q = b[j];
                    let end = html[j + 1..].find(q as char).map_or(b.len(), |e| j + 1 + e);
                    value = html[j + 1..end].to_string();
                    j = (end + 1).min(b.len());
                } else {
                    let v0 = j;
                    while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' {
                        j += 1;
                    }
                    value = html[v0..j].to_string();
                    bad.push(format!("unquoted attribute {an}={value}"));
                }
            }
            attrs.push((an, value));
        }
        if !closing {
            tags.push(Tag {
                name: name.to_ascii_lowercase(),
                attrs,
            });
        }
        i = j.max(i + 1);
    }
    tags
}

/// An attribute value as the browser reads it: entities decoded, then tabs and line
/// breaks dropped, outer spaces and controls trimmed, lower case.
fn url_as_browser_reads(v: &str) -> String {
    let mut out = String::new();
    let mut rest = v;
    while let Some(c) = rest.chars().next() {
        if c == '&' {
            let end = rest.find(';').unwrap_or(0);
            let ent = &rest[1..end.max(1)];
            let decoded = match ent {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "colon" => Some(':'),
                "tab" => Some('\t'),
                "newline" => Some('\n'),
                _ if ent.starts_with("#x") || ent.starts_with("#X") => {
                    u32::from_str_radix(&ent[2..], 16)
                        .ok()
                        .and_then(char::from_u32)
                }
                _ if ent.starts_with('#') => ent[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            if let (Some(d), true) = (decoded, end > 0) {
                out.push(d);
                rest = &rest[end + 1..];
                continue;
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out.trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Tags the theme and the Markdown renderer write; anything else came from content.
const KNOWN_TAGS: &[&str] = &[
    "html",
    "head",
    "meta",
    "title",
    "link",
    "script",
    "body",
    "a",
    "div",
    "span",
    "main",
    "nav",
    "ul",
    "ol",
    "li",
    "header",
    "footer",
    "section",
    "article",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "strong",
    "em",
    "del",
    "code",
    "pre",
    "blockquote",
    "hr",
    "br",
    "img",
    "figure",
    "figcaption",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
    "dl",
    "dt",
    "dd",
    "svg",
    "path",
    "form",
    "label",
    "input",
    "button",
    "time",
    "noscript",
    "sup",
    "section",
];

/// Everything wrong with one page.
fn scan_page(path: &str, html: &str) -> Vec<String> {
    let mut bad = Vec::new();
    for t in start_tags(html, &mut bad) {
        let at = |what: &str| format!("{path}: <{}> {what}", t.name);
        if !KNOWN_TAGS.contains(&t.name.as_str()) {
            bad.push(at("unknown tag"));
        }
        for (name, value) in &t.attrs {
            if name.starts_with("on")
                || ["style", "srcdoc", "formaction", "xlink:href"].contains(&name.as_str())
            {
                bad.push(at(&format!("attribute {name}")));
            }
            if ["href", "src", "action", "data"].contains(&name.as_str()) {
                let v = url_as_browser_reads(value);
                for scheme in ["javascript:", "vbscript:", "data:", "file:"] {
                    if v.starts_with(scheme) {
                        bad.push(at(&format!("{name}={value}")));
                    }
                }
            }
        }
        match t.name.as_str() {
            "script" => {
                let src = t.get("src").unwrap_or("");
                let own = ["/sub/path/static/a11y.js", "/sub/path/static/search.js"];
                if !own.contains(&src) {
                    bad.push(at(&format!("script src={src}")));
                }
            }
            "form" => {
                let class = t.get("class").unwrap_or("");
                if !["site-search", "search-page-form"].contains(&class)
                    || t.get("action") != Some("/sub/path/search/")
                {
                    bad.push(at("form"));
                }
            }
            "meta" if t.get("http-equiv").is_some() => bad.push(at("http-equiv")),
            "link"
                if !["canonical", "alternate", "stylesheet"]
                    .contains(&t.get("rel").unwrap_or("")) =>
            {
                bad.push(at("rel"));
            }
            "svg" if t.get("class") != Some("brand-mark") => bad.push(at("svg")),
            _ => {}
        }
    }
    // A script element of the theme is empty: `<script src=…></script>`.
    for (i, _) in html.match_indices("<script") {
        let tail = &html[i..];
        let close = tail.find('>').map_or(0, |e| e + 1);
        if !tail[close..].starts_with("</script>") {
            bad.push(format!("{path}: script with a body"));
        }
    }
    bad
}

/// Loose XML well-formedness: nested known elements, text without `<`, known entities,
/// only characters XML allows.
fn scan_xml(path: &str, xml: &str) -> Vec<String> {
    let mut bad = Vec::new();
    let known = [
        "feed", "title", "id", "updated", "link", "author", "name", "entry", "summary", "urlset",
        "url", "loc",
    ];
    if let Some(c) = xml
        .chars()
        .find(|&c| c < ' ' && !matches!(c, '\t' | '\n' | '\r'))
    {
        bad.push(format!("{path}: control character {:?}", c));
    }
    let body = match xml.strip_prefix("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n") {
        Some(b) => b,
        None => return vec![format!("{path}: no XML declaration")],
    };
    let mut stack: Vec<String> = Vec::new();
    let mut rest = body;
    while !rest.is_empty() {
        let lt = rest.find('<').unwrap_or(rest.len());
        check_entities(path, &rest[..lt], &mut bad);
        rest = &rest[lt..];
        if rest.is_empty() {
            break;
        }
        let Some(gt) = rest.find('>') else {
            bad.push(format!("{path}: unclosed tag"));
            break;
        };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            if stack.pop().as_deref() != Some(name) {
                bad.push(format!("{path}: mismatched </{name}>"));
            }
            continue;
        }
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if !known.contains(&name.as_str()) {
            bad.push(format!("{path}: element <{tag}>"));
        }
        let attrs = &tag[name.len()..].trim_end_matches('/');
        if attrs.contains('<') {
            bad.push(format!("{path}: < in attributes of <{name}>"));
        }
        check_entities(path, attrs, &mut bad);
        if !tag.ends_with('/') {
            stack.push(name);
        }
    }
    if !stack.is_empty() {
        bad.push(format!("{path}: unclosed {stack:?}"));
    }
    bad
}

fn check_entities(path: &str, text: &str, bad: &mut Vec<String>) {
    for (i, _) in text.match_indices('&') {
        let ent = &text[i + 1..];
        let ok = ["amp;", "lt;", "gt;", "quot;", "apos;"]
            .iter()
            .any(|e| ent.starts_with(e))
            || (ent.starts_with('#') && ent.find(';').is_some_and(|e| e < 10));
        if !ok {
            bad.push(format!(
                "{path}: bare & in {:?}",
                &text[i..(i + 20).min(text.len())]
            ));
        }
    }
}

/// `jiayuan check` on the site.
fn check(site: &Site) -> std::process::Output {
    let root = site.root().to_str().unwrap().to_string();
    run(&["check", "--root", &root, "--today", TODAY])
}

/// The search documents: `[url, title, kind, county, year, text]` each.
fn search_docs(files: &BTreeMap<String, Vec<u8>>) -> Vec<serde_json::Value> {
    let mut docs = Vec::new();
    for (path, bytes) in files {
        if path.ends_with(".json") {
            let v: serde_json::Value =
                serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("{path} is not JSON: {e}"));
            if path.contains("/docs-") {
                docs.extend(v.as_array().unwrap().iter().cloned());
            }
        }
    }
    docs
}

// Every vector family in every text field and body: no output file carries a script, an
// event handler, a script URL, a frame, an object, a form, a style or a refresh from
// content; every value is escaped in pages and the feed, and round-trips through the JSON
// search index, the CSV and the XLSX.
#[test]
fn hostile_content_is_inert_in_every_output() {
    let site = hostile_site();
    ok(&check(&site));
    ok(&site.build(&[]));
    let files = tree(&site.public());
    let mut bad = Vec::new();
    let mut pages = 0;
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        match path.rsplit('.').next().unwrap_or("") {
            "html" => {
                pages += 1;
                bad.extend(scan_page(path, &text));
            }
            "xml" => bad.extend(scan_xml(path, &text)),
            "csv" => {
                let mut r = csv::Reader::from_reader(&bytes[3..]);
                for row in r.records() {
                    for cell in row.unwrap().iter() {
                        if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                            bad.push(format!("{path}: formula cell {cell}"));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    assert!(pages > 15, "{pages} pages");
    let shown: Vec<String> = bad
        .iter()
        .take(20)
        .map(|b| b.chars().take(160).collect())
        .collect();
    assert!(
        bad.is_empty(),
        "{} problems:\n{}",
        bad.len(),
        shown.join("\n")
    );

    // Values are escaped where they are shown.
    let page = |p: &str| unquote(&String::from_utf8_lossy(&files[p]));
    let shows = |p: &str, labels: &[&str]| {
        let html = page(p);
        for l in labels {
            assert!(html.contains(&esc(&payload(l))), "{p} lacks escaped {l}");
        }
    };
    let everywhere = [
        "站名",
        "主办",
        "承办",
        "联系单位",
        "电话",
        "邮箱",
        "通讯地址",
        "标识码",
        "备案",
        "公安",
    ];
    shows("index.html", &everywhere);
    shows("search/index.html", &everywhere);
    shows(
        "2025/estates/jia-one/index.html",
        &[
            "小区名",
            "县名",
            "街道",
            "社区",
            "地址",
            "物业企业",
            "党建",
            "异议说明",
            "照片说明",
            "案例标题",
        ],
    );
    shows(
        "2025/cases/jia-yishi/index.html",
        &["案例标题", "标签", "作者", "案例摘要", "小区名", "县名"],
    );
    shows("2025/notice/index.html", &["通知标题", "文号", "发文单位"]);
    shows(
        "2025/publicity/index.html",
        &["受理电话", "受理邮箱", "受理地址", "小区名", "物业企业"],
    );
    shows("pages/about/index.html", &["页面标题"]);
    shows("archive/index.html", &["活动名称", "文号"]);
    shows(
        "2025/summary/index.html",
        &["小区名", "地址", "街道", "社区", "物业企业"],
    );

    // Markdown bodies: the raw HTML is gone, the text around it is there, escaped.
    for p in [
        "2025/cases/jia-yishi/index.html",
        "pages/about/index.html",
        "2025/notice/index.html",
        "2025/estates/jia-one/index.html",
    ] {
        let html = page(p);
        assert!(html.contains("正文开头"), "{p}");
        assert!(html.contains("&lt;script&gt;alert('md21')"), "{p}");
        assert!(
            html.contains("<code>&lt;script&gt;alert('md23')&lt;/script&gt;</code>"),
            "{p}"
        );
        assert!(
            html.contains("&quot; onmouseover=&quot;alert('md18')&quot;"),
            "{p}"
        );
        assert!(
            html.contains("{{ site.title }} {% if true %}模板{% endif %}"),
            "{p}: template syntax is text"
        );
    }

    // The search index holds the values exactly (JSON escaping round-trips).
    let docs = search_docs(&files);
    let doc = |url_end: &str| {
        docs.iter()
            .find(|d| d[0].as_str().unwrap().ends_with(url_end))
            .unwrap_or_else(|| panic!("no search document {url_end}"))
    };
    let estate = doc("2025/estates/jia-one/");
    assert_eq!(estate[1].as_str(), Some(payload("小区名").as_str()));
    assert_eq!(estate[3].as_str(), Some(payload("县名").as_str()));
    let text = estate[5].as_str().unwrap();
    for l in ["地址", "物业企业", "街道", "社区", "党建"] {
        // Snippet text has its white space collapsed, the vertical tab included.
        let collapsed = payload(l).split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(text.contains(&collapsed), "search text lacks {l}");
    }
    assert_eq!(
        doc("2025/cases/jia-yishi/")[1].as_str(),
        Some(payload("案例标题").as_str())
    );
    assert_eq!(
        doc("2025/notice/")[1].as_str(),
        Some(payload("通知标题").as_str())
    );
    assert_eq!(
        doc("pages/about/")[1].as_str(),
        Some(payload("页面标题").as_str())
    );

    // The feed escapes titles and drops the character XML cannot carry.
    let feed = String::from_utf8_lossy(&files["feed.xml"]);
    let xml = |s: &str| esc(s).replace('\'', "&apos;").replace('\u{b}', "");
    assert!(feed.contains(&format!("<title>{}</title>", xml(&payload("站名")))));
    assert!(feed.contains(&format!("<title>{}</title>", xml(&payload("案例标题")))));

    // The summary table: names as written, formulas as text.
    let csv_text = String::from_utf8_lossy(&files["2025/summary/summary.csv"][3..]).into_owned();
    let mut rows = csv::Reader::from_reader(csv_text.as_bytes());
    let rows: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert!(rows.iter().any(|r| r[2] == payload("小区名")));
    assert!(rows.iter().any(|r| &r[3] == "'=cmd|' /C calc'!A0"));
    let xlsx_path = site.public().join("2025/summary/summary.xlsx");
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx_path).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let cells: Vec<String> = sheet.cells().map(|(_, _, c)| c.to_string()).collect();
    assert!(
        cells.iter().any(|c| c.starts_with("小区名<script>")),
        "XLSX lacks the name"
    );
    assert!(
        cells.iter().any(|c| c == "=cmd|' /C calc'!A0"),
        "XLSX keeps the text"
    );
    let formulas = book
        .worksheet_formula(&book.sheet_names()[0].clone())
        .unwrap();
    assert!(
        formulas.cells().all(|(_, _, f)| f.is_empty()),
        "XLSX has a formula"
    );
}

// A script, data or file URL in a link or image of any Markdown body — every spelling —
// stops the build with a Chinese message naming the file; the previous site stays.
#[test]
fn script_urls_stop_the_build() {
    let site = Site::fixture("basic");
    ok(&site.build(&[]));
    let before = tree(&site.public());
    let vectors = [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](<java&#9;script:alert(1)>)",
        "<javascript:alert(1)>",
        "[x][r]\n\n[r]: javascript:alert(1)",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "![x](data:image/png;base64,iVBORw0KGgo=)",
        "![x](https://evil.example/x.png)",
    ];
    let body = vectors.join("\n\n");
    site.write(
        "content/campaigns/2025/experiences/jia-yishi.md",
        &format!("---\ntitle: 案例\nestate: jia-one\n---\n\n{body}\n"),
    );
    site.write(
        "content/pages/about.md",
        &format!("---\ntitle: 关于\n---\n\n{body}\n"),
    );
    site.write(
        "content/campaigns/2025/notice.md",
        &format!("---\ntitle: 通知\n---\n\n{body}\n"),
    );
    let estate = std::fs::read_to_string(
        site.root()
            .join("content/campaigns/2025/estates/jia-one.yaml"),
    )
    .unwrap();
    let estate = estate.split("summary:").next().unwrap().to_string();
    site.write(
        "content/campaigns/2025/estates/jia-one.yaml",
        &format!("{estate}summary: |\n{}", indent(&body)),
    );
    let out = site.build(&[]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    for file in [
        "content/campaigns/2025/experiences/jia-yishi.md",
        "content/pages/about.md",
        "content/campaigns/2025/notice.md",
        "content/campaigns/2025/estates/jia-one.yaml",
    ] {
        let lines: Vec<&str> = err
            .lines()
            .filter(|l| l.starts_with(&format!("错误：{file}:")))
            .collect();
        assert_eq!(lines.len(), vectors.len(), "{file}:\n{err}");
        assert!(
            lines
                .iter()
                .all(|l| l.contains("不允许") || l.contains("其他网站")),
            "{err}"
        );
    }
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(
        tree(&site.public()),
        before,
        "the previous site is untouched"
    );
}

// Markdown nested 10,000 levels deep — quotes, lists, emphasis, mixed — in each kind of
// body: `check` passes (it does not render), `build` refuses each file by name before
// rendering it, without a crash, and the previous site stays.
#[test]
fn deep_markdown_is_refused_by_build() {
    let site = Site::fixture("basic");
    ok(&site.build(&[]));
    let before = tree(&site.public());
    let n = 10_000;
    site.write(
        "content/campaigns/2025/experiences/jia-yishi.md",
        &format!(
            "---\ntitle: 案例\nestate: jia-one\n---\n\n{} 深\n",
            ">".repeat(n)
        ),
    );
    site.write(
        "content/campaigns/2025/notice.md",
        &format!("---\ntitle: 通知\n---\n\n{}深\n", "- ".repeat(n)),
    );
    site.write(
        "content/pages/about.md",
        &format!(
            "---\ntitle: 关于\n---\n\n{}深{}\n",
            "*".repeat(n),
            "*".repeat(n)
        ),
    );
    let estate = std::fs::read_to_string(
        site.root()
            .join("content/campaigns/2025/estates/jia-one.yaml"),
    )
    .unwrap();
    let estate = estate.split("summary:").next().unwrap().to_string();
    site.write(
        "content/campaigns/2025/estates/jia-one.yaml",
        &format!(
            "{estate}summary: {}\n",
            yq(&format!("{}深", "> 1. ".repeat(n)))
        ),
    );
    let checked = check(&site);
    let out = site.build(&[]);
    ok(&checked);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    for file in [
        "content/campaigns/2025/experiences/jia-yishi.md",
        "content/campaigns/2025/notice.md",
        "content/pages/about.md",
        "content/campaigns/2025/estates/jia-one.yaml",
    ] {
        assert!(
            err.contains(&format!("{file}: 错误：Markdown 正文嵌套过深")),
            "{file}:\n{err}"
        );
    }
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(
        tree(&site.public()),
        before,
        "the previous site is untouched"
    );
}

// The templates mark only sanitised Markdown HTML as safe; every other value is escaped.
#[test]
fn templates_mark_only_markdown_as_safe() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    let mut found = 0;
    for e in walkdir::WalkDir::new(dir) {
        let e = e.unwrap();
        if !e.file_type().is_file() {
            continue;
        }
        let text = std::fs::read_to_string(e.path()).unwrap();
        for (i, _) in text.match_indices("safe") {
            let open = text[..i].rfind("{{").unwrap();
            let expr = text[open + 2..i].trim();
            assert!(
                expr.ends_with(".body.html |") || expr.ends_with(".summary.html |"),
                "{}: `{{{{ {expr} safe }}}}` marks a value other than Markdown HTML as safe",
                e.path().display()
            );
            found += 1;
        }
        assert!(
            !text.contains("autoescape"),
            "{}: autoescape switched",
            e.path().display()
        );
    }
    assert_eq!(found, 4);
}

// The scanners catch what they look for (a scanner that finds nothing proves nothing).
#[test]
fn scanners_catch_injections() {
    let bad_pages = [
        "<p onclick=\"x\">",
        "<p ONMOUSEOVER='x'>",
        "<script>alert(1)</script>",
        "<script src=\"/sub/path/static/a11y.js\">x</script>",
        "<iframe src=\"x\">",
        "<object data=\"x\">",
        "<embed src=\"x\">",
        "<form action=\"/x\">",
        "<style>",
        "<p style=\"x\">",
        "<meta http-equiv=\"refresh\" content=\"0\">",
        "<a href=\"&#106;avascript:x\">",
        "<a href=\" java&#x09;script:x\">",
        "<img src=\"data:image/png,x\">",
        "<a href=x>",
        "<!-- x -->",
        "a < b",
        "<svg onload=\"x\">",
        "<math>",
    ];
    for html in bad_pages {
        assert!(!scan_page("t", html).is_empty(), "missed {html}");
    }
    let fine = "<!DOCTYPE html><p class=\"x\">a &lt; b<!-- raw HTML omitted --></p>\
                <script src=\"/sub/path/static/search.js\" defer></script>\
                <a href=\"https://www.gov.cn/?q=javascript:\">x</a>";
    assert_eq!(scan_page("t", fine), Vec::<String>::new());
    let xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
    for bad in [
        "<feed><title>a<b</title></feed>",
        "<feed>&x</feed>",
        "<feed><script/></feed>",
        "<feed>\u{1}</feed>",
        "<feed><title></feed>",
    ] {
        assert!(
            !scan_xml("t", &format!("{xml}{bad}")).is_empty(),
            "missed {bad}"
        );
    }
    assert!(
        scan_xml(
            "t",
            &format!("{xml}<feed><title>a &amp; &lt;b&gt;</title></feed>")
        )
        .is_empty()
    );
}
