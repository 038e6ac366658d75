//! `jiayuan build` end to end: the real binary on fixture sites, assertions on the output.

mod common;

use common::{Site, main_of, ok, tree};
use std::fs;

// The publicity notice shows title, basis, list, period with status, objection rules and signature.
#[test]
fn publicity_page_snapshot() {
    let site = Site::fixture("basic");
    ok(&site.build(&[]));
    insta::assert_snapshot!(main_of(&site.read("2025/publicity/index.html")));
}

// An estate page shows its public fields, satisfaction, score and rank, photo and case studies.
#[test]
fn estate_page_snapshot() {
    let site = Site::fixture("basic");
    ok(&site.build(&[]));
    insta::assert_snapshot!(main_of(&site.read("2025/estates/jia-one/index.html")));
}

// A case study shows 信息来源, 发布日期, tags, a table of contents and its body.
#[test]
fn case_study_snapshot() {
    let site = Site::fixture("basic");
    ok(&site.build(&[]));
    insta::assert_snapshot!(main_of(&site.read("2025/cases/jia-yishi/index.html")));
}

// Applicants' contacts and experts' names never reach any output file.
#[test]
fn private_fields_never_published() {
    let site = Site::fixture("basic");
    ok(&site.build(&[]));
    for (path, bytes) in tree(&site.public()) {
        let text = String::from_utf8_lossy(&bytes);
        for sentinel in ["SENTINEL", "13900000000", "联系人SENTINEL", "专家SENTINEL"] {
            assert!(!text.contains(sentinel), "{sentinel} found in {path}");
        }
    }
}

// Only attachments that a page links to are published; other files stay private.
#[test]
fn only_linked_attachments_are_published() {
    let site = Site::fixture("basic");
    ok(&site.build(&[]));
    let files = tree(&site.public());
    assert!(files.contains_key("2025/files/gate.jpg"));
    assert!(files.contains_key("2025/files/plan.pdf"));
    assert!(!files.contains_key("2025/files/private-form.docx"));
}

// No page, stylesheet or feed makes the browser contact another host.
#[test]
fn no_reference_to_another_host() {
    let site = Site::fixture("basic");
    ok(&site.build(&[]));
    let own = "https://example.gov.cn/sub/path/";
    for (path, bytes) in tree(&site.public()) {
        let text = String::from_utf8_lossy(&bytes);
        for attr in ["src=\"", "href=\"", "url(", "src='", "href='"] {
            for (i, _) in text.match_indices(attr) {
                let value = text[i + attr.len()..].trim_start_matches(['"', '\'']);
                let external = ["http://", "https://", "//"]
                    .iter()
                    .any(|p| value.starts_with(p));
                assert!(
                    !external || value.starts_with(own),
                    "{path} refers to another host: {}",
                    &value[..value.len().min(60)]
                );
            }
        }
    }
}

// The same content and --today give a byte-identical output.
#[test]
fn builds_are_deterministic() {
    let site = Site::fixture("basic");
    ok(&site.build(&[]));
    let first = tree(&site.public());
    // A second apart, so that anything stamped with the clock would differ.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let other = site.root().join("again");
    ok(&site.build(&["--output", other.to_str().unwrap()]));
    let second = tree(&other);
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (k, v) in &first {
        assert!(second[k] == *v, "{k} differs between builds");
    }
}

// A build with content errors fails, prints them, and leaves the previous output untouched.
#[test]
fn failing_build_leaves_output_untouched() {
    let site = Site::fixture("basic");
    ok(&site.build(&[]));
    let before = tree(&site.public());
    site.write(
        "content/campaigns/2025/estates/bad.yaml",
        "name: 坏\ncounty: 丙区\naddress: x\nproperty_company: y\n",
    );
    let out = site.build(&[]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.yaml"), "{err}");
    assert_eq!(before, tree(&site.public()));
    let leftovers: Vec<_> = fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".public."))
        .collect();
    assert!(leftovers.is_empty(), "staging folder left behind");
}

// A broken site template fails the build naming the template, its line and the page.
#[test]
fn template_error_names_template_and_line() {
    let site = Site::fixture("basic");
    ok(&site.build(&[]));
    let before = tree(&site.public());
    site.write(
        "themes/default/templates/estate.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{{ estate.no_such_field }}\n{% endblock content %}\n",
    );
    let out = site.build(&[]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("templates/estate.html 第 3 行"), "{err}");
    assert!(err.contains("content/campaigns/2025/estates/"), "{err}");
    assert_eq!(before, tree(&site.public()));
}

// A site's theme file overrides one block of the embedded base template.
#[test]
fn site_template_overrides_embedded() {
    let site = Site::fixture("basic");
    site.write(
        "themes/default/templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<p>自定义404</p>{% endblock content %}",
    );
    ok(&site.build(&[]));
    let page = site.read("404.html");
    assert!(page.contains("<p>自定义404</p>"));
    assert!(
        page.contains("主办单位"),
        "the rest of base.html still applies"
    );
}

// Links work under a sub-path: the built-in link check passes and links carry the base path.
#[test]
fn sub_path_links_resolve() {
    let site = Site::fixture("basic");
    ok(&site.build(&[]));
    let home = site.read("index.html");
    assert!(home.contains("href=\"/sub/path/2025/publicity/\""));
    assert!(home.contains("href=\"/sub/path/static/site.css\""));
    // --base-url overrides site.yaml, and the link check passes there too.
    ok(&site.build(&["--base-url", "https://other.gov.cn/a/b"]));
    let home = site.read("index.html");
    assert!(home.contains("href=\"/a/b/static/site.css\""));
    assert!(home.contains("<link rel=\"canonical\" href=\"https://other.gov.cn/a/b/\">"));
}

// A broken internal link in content fails the build naming the page and the link.
#[test]
fn broken_internal_link_fails_the_build() {
    let site = Site::fixture("basic");
    site.write(
        "content/pages/broken.md",
        "---\ntitle: 坏链接\n---\n\n[不存在](/2025/nowhere/)\n",
    );
    let out = site.build(&[]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("pages/broken/index.html"), "{err}");
    assert!(err.contains("/sub/path/2025/nowhere/"), "{err}");
}

// Chinese emphasis renders as <strong>, and author HTML never reaches the page.
#[test]
fn cjk_emphasis_renders_and_html_is_omitted() {
    let site = Site::fixture("basic");
    ok(&site.build(&[]));
    let page = site.read("2025/cases/jia-yishi/index.html");
    assert!(page.contains("<strong>加装电梯（一期）</strong>完成"));
    assert!(page.contains("这是<strong>“重点”</strong>内容"));
    assert!(!page.contains("<script>alert"));
}

// Every page carries the government-site conventions.
#[test]
fn pages_carry_government_meta() {
    let site = Site::fixture("basic");
    ok(&site.build(&[]));
    let page = site.read("2025/cases/jia-yishi/index.html");
    for needle in [
        "<html lang=\"zh-CN\">",
        "<meta name=\"SiteName\" content=\"测试市“美好家园”小区创建活动\">",
        "<meta name=\"SiteDomain\" content=\"example.gov.cn\">",
        "<meta name=\"SiteIDCode\" content=\"0000000001\">",
        "<meta name=\"ColumnName\" content=\"经验案例\">",
        "<meta name=\"PubDate\" content=\"2025-06-20\">",
        "<meta name=\"ContentSource\" content=\"测试市物业行业管理协会\">",
        "class=\"skip-link\" href=\"#main\"",
        "测ICP备00000001号",
        "测公网安备00000000000001号",
    ] {
        assert!(page.contains(needle), "missing {needle}");
    }
}

// A staging folder left by a killed build does not survive or disturb the next build.
#[test]
fn stale_staging_folder_is_cleaned() {
    let site = Site::fixture("basic");
    let stale = site.root().join(".public.staging-999999999");
    fs::create_dir_all(stale.join("junk")).unwrap();
    ok(&site.build(&[]));
    assert!(!stale.exists());
    assert!(!site.public().join("junk").exists());
}

// The feed, sitemap and robots.txt use absolute URLs of the site's own origin.
#[test]
fn feed_sitemap_robots() {
    let site = Site::fixture("basic");
    ok(&site.build(&[]));
    let feed = site.read("feed.xml");
    assert!(feed.contains("<link rel=\"alternate\" type=\"text/html\" href=\"https://example.gov.cn/sub/path/2025/cases/jia-yishi/\"/>"));
    assert!(feed.contains("<updated>2025-06-20T00:00:00+08:00</updated>"));
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.gov.cn/sub/path/2025/estates/jia-one/</loc>"));
    assert!(!sitemap.contains("404"));
    assert!(
        site.read("robots.txt")
            .contains("Sitemap: https://example.gov.cn/sub/path/sitemap.xml")
    );
}

// The 推荐汇总表 CSV starts with a BOM and the XLSX reads back, both linked from the page.
#[test]
fn summary_table_downloads() {
    let site = Site::fixture("basic");
    ok(&site.build(&[]));
    let csv = fs::read(site.public().join("2025/summary/summary.csv")).unwrap();
    assert!(csv.starts_with(b"\xEF\xBB\xBF"));
    use calamine::Reader;
    let mut book =
        calamine::open_workbook_auto(site.public().join("2025/summary/summary.xlsx")).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).unwrap();
    let cells: Vec<String> = range.cells().map(|(_, _, c)| c.to_string()).collect();
    assert!(cells.iter().any(|c| c == "测试·甲一小区"), "{cells:?}");
    assert!(!cells.iter().any(|c| c.contains("SENTINEL")));
    let page = site.read("2025/summary/index.html");
    assert!(page.contains("href=\"/sub/path/2025/summary/summary.xlsx\""));
}
