//! Properties that must hold for any input, shared by the cargo-fuzz targets in `fuzz/`
//! (which include this file by path) and by `tests/fuzz_corpus.rs`, which replays the
//! committed corpus on every `cargo test` so the properties cannot rot on stable Rust.
//!
//! Each function takes arbitrary bytes and panics when a property is broken; returning
//! normally means the input was handled correctly (usually with a Chinese error).

#![allow(dead_code)] // each fuzz target uses one function of this shared file

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use jiayuan::diag::{Diagnostics, Pos, SHOWN_PER_KIND};
use jiayuan::import::columns::find_header;
use jiayuan::import::issue::Place;
use jiayuan::import::read::read_csv;
use jiayuan::import::row::{Parsed, Sheet};
use jiayuan::import::write::render;
use jiayuan::load::yaml::{self, Node, Value};
use jiayuan::load::{YamlDoc, frontmatter, prelint};
use jiayuan::model::Campaign;

/// The YAML tree loader: any text parses or fails with a located error, and a line
/// offset shifts every position by exactly that much.
pub fn yaml_parse(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lines = yaml_lines(text);
    match (yaml::parse(text, 0), yaml::parse(text, 7)) {
        (Ok(a), Ok(b)) => {
            walk(&a, 0, &mut |pos| assert_line_in(pos, lines + 1));
            let (mut pa, mut pb) = (Vec::new(), Vec::new());
            walk(&a, 0, &mut |p| pa.push(p));
            walk(&b, 0, &mut |p| pb.push(p));
            let shifted: Vec<Pos> = pa.iter().map(|p| Pos::new(p.line + 7, p.col)).collect();
            assert_eq!(shifted, pb, "line offset must shift every position");
        }
        (Err(a), Err(b)) => {
            assert!(has_chinese(&a.message), "untranslated: {a:?}");
            assert!(!a.hint.is_empty(), "no hint: {a:?}");
            assert_eq!(b.pos.line, a.pos.line + 7, "{a:?} / {b:?}");
        }
        (a, b) => panic!("offset changed the outcome: {a:?} / {b:?}"),
    }
}

/// The two ways to the YAML tree agree: wherever the fast path straight from parser
/// events gives a tree, serde-saphyr (the reference) gives the same one, positions and
/// scalar types included; and `parse` always gives what the reference gives.
pub fn yaml_paths(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for offset in [0, 3] {
        let reference = yaml::parse_reference(text, offset);
        if let Some(node) = yaml::parse_events(text, offset) {
            assert_eq!(Ok(&node), reference.as_ref(), "event path differs");
        }
        if let Some(node) = yaml::parse_lines(text, offset) {
            assert_eq!(Ok(&node), reference.as_ref(), "line path differs");
        }
        assert_eq!(yaml::parse(text, offset), reference);
    }
}

/// The front-matter splitter: the parts it returns are exactly the file's pieces, and
/// its line numbers are the file's.
pub fn frontmatter(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let t = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = t.split_inclusive('\n').next().unwrap_or("");
    let is_fence = |l: &str| matches!(l.trim_end(), "---" | "...");
    match frontmatter::split(text) {
        Ok(s) => {
            assert_eq!(first.trim_end(), "---");
            assert_eq!(s.front_first_line, 2);
            let rest = &t[first.len()..];
            assert!(rest.starts_with(s.front), "front is not what follows `---`");
            assert!(t.ends_with(s.body), "body is not the end of the file");
            let closing = &rest[s.front.len()..rest.len() - s.body.len()];
            assert!(is_fence(closing), "closing line {closing:?}");
            assert!(
                !s.front.split_inclusive('\n').any(is_fence),
                "an earlier fence"
            );
            if !s.body.is_empty() {
                let before = t.len() - s.body.len();
                assert_eq!(
                    s.body_first_line as usize,
                    t[..before].matches('\n').count() + 1
                );
            }
        }
        Err(frontmatter::SplitError::Missing) => assert_ne!(first.trim_end(), "---"),
        Err(frontmatter::SplitError::Unclosed) => {
            assert_eq!(first.trim_end(), "---");
            assert!(!t.split_inclusive('\n').skip(1).any(is_fence));
        }
    }
}

/// The pre-lint: every slip points at a real line, in Chinese, and the first-line
/// argument shifts lines exactly.
pub fn prelint(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lines = yaml_lines(text);
    let a = prelint::check(text, 1);
    for s in &a {
        assert_line_in(s.pos, lines);
        assert!(s.pos.col >= 1, "{s:?}");
        assert!(has_chinese(&s.message) && has_chinese(&s.hint), "{s:?}");
    }
    let b = prelint::check(text, 31);
    let shifted: Vec<Pos> = a
        .iter()
        .map(|s| Pos::new(s.pos.line + 30, s.pos.col))
        .collect();
    assert_eq!(shifted, b.iter().map(|s| s.pos).collect::<Vec<_>>());
}

/// A small valid site whose files the `site_check` property replaces.
pub struct FuzzSite {
    dir: tempfile::TempDir,
}

const SITE: &str =
    "title: 测试站点\nbase_url: \"https://example.gov.cn/\"\npublisher: 测试住建局\n";
const CAMPAIGN: &str = "year: 2025\ntitle: 2025年度活动\ncounties: [玉州区, 容县]\nquota: {per_county: [0, 5], winners: 1, forwarded: 1}\ndeadlines: {submission: 2025-08-29, forward: 2025-09-30}\nscoring: {max: 100, method: trimmed_mean}\npublicity: {start: 2025-09-22, working_days: 7}\n";
const ESTATE: &str = "name: 阳光花园\ncounty: 玉州区\naddress: 某路 1 号\nproperty_company: 某物业\nsatisfaction: {surveyed: 10, satisfied: 9}\nscores: [{expert: 甲, total: 90}, {expert: 乙, total: 80}, {expert: 丙, total: 85}]\nphotos: [{src: files/gate.jpg, alt: 大门}]\n";
const EXPERIENCE: &str = "---\ntitle: 经验\nestate: ok\ntags: [党建引领]\n---\n\n正文\n";

impl FuzzSite {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let c = dir.path().join("content/campaigns/2025");
        for sub in ["estates", "experiences", "files"] {
            std::fs::create_dir_all(c.join(sub)).unwrap();
        }
        std::fs::write(dir.path().join("content/site.yaml"), SITE).unwrap();
        std::fs::write(c.join("estates/ok.yaml"), ESTATE).unwrap();
        std::fs::write(c.join("experiences/ok.md"), EXPERIENCE).unwrap();
        std::fs::write(c.join("files/gate.jpg"), b"\xff\xd8").unwrap();
        FuzzSite { dir }
    }

    fn campaign_dir(&self) -> PathBuf {
        self.dir.path().join("content/campaigns/2025")
    }

    /// The whole of load + validate + derive with one file replaced by `data`: the first
    /// byte picks the file (an estate record, a case study, or campaign.yaml). Whatever
    /// the input, the run ends, and every printed line stays short.
    pub fn site_check(&self, data: &[u8]) {
        let Some((&which, content)) = data.split_first() else {
            return;
        };
        let c = self.campaign_dir();
        let targets = ["estates/fuzz.yaml", "experiences/fuzz.md", "campaign.yaml"];
        let chosen = targets[which as usize % targets.len()];
        for t in &targets[..2] {
            let _ = std::fs::remove_file(c.join(t));
        }
        std::fs::write(c.join("campaign.yaml"), CAMPAIGN).unwrap();
        std::fs::write(c.join(chosen), content).unwrap();
        let today = NaiveDate::from_ymd_opt(2025, 9, 1).unwrap();
        let (_, diags) = jiayuan::pipeline::check(self.dir.path(), today);
        for shown in diags.for_display(SHOWN_PER_KIND) {
            for line in shown.to_string().lines() {
                assert!(line.chars().count() < 1300, "runaway line: {line}");
            }
        }
    }
}

/// The spreadsheet importer's CSV path: any bytes are read or refused, and every row it
/// accepts is written as a record that jiayuan's own loader reads back unchanged and that
/// `check` accepts.
pub fn import_csv(data: &[u8]) {
    let Ok(table) = read_csv(data) else {
        return;
    };
    let Some(header) = find_header(&table) else {
        return;
    };
    let counties: Vec<String> = [
        "玉州区",
        "福绵区",
        "容县",
        "陆川县",
        "博白县",
        "兴业县",
        "北流市",
    ]
    .map(String::from)
    .to_vec();
    let sheet = Sheet {
        header: &header,
        place: Place::sheet("fuzz.csv", None),
        year: 2025,
        counties: Some(&counties),
        default_county: None,
    };
    let campaign = Campaign {
        year: 2025,
        counties: counties.clone(),
        dir: PathBuf::from("content/campaigns/2025"),
        ..Campaign::default()
    };
    for row in table.rows.get(header.data_start..).unwrap_or_default() {
        let Parsed::Ok(draft, _) = sheet.parse(row) else {
            continue;
        };
        let text = render(&draft, 2025);
        let slips = prelint::check(&text, 1);
        assert!(slips.is_empty(), "{slips:?}\n{text}");
        let node = yaml::parse(&text, 0).unwrap_or_else(|e| panic!("{e:?}\n{text}"));
        let e = &draft.estate;
        for (key, want) in [
            ("name", &e.name),
            ("county", &e.county),
            ("address", &e.address),
            ("property_company", &e.property_company),
        ] {
            assert_eq!(field(&node, key).as_ref(), Some(want), "{key}\n{text}");
        }
        let doc = YamlDoc {
            path: PathBuf::from("content/campaigns/2025/estates/fuzz.yaml"),
            slug: "fuzz".into(),
            node,
        };
        let mut diags = Diagnostics::default();
        jiayuan::validate::estate::estate(&doc, &campaign, Path::new("."), &mut diags);
        let errors: Vec<String> = diags
            .iter()
            .filter(|d| d.is_error())
            .map(ToString::to_string)
            .collect();
        assert!(errors.is_empty(), "{errors:#?}\n{text}");
    }
}

fn field(node: &Node, key: &str) -> Option<String> {
    node.get(key)?.scalar_text()
}

/// Visits every position of a tree; depth is bounded by the parser's own limit.
fn walk(node: &Node, depth: usize, visit: &mut impl FnMut(Pos)) {
    assert!(depth <= yaml::MAX_DEPTH, "deeper than the parser allows");
    visit(node.pos);
    match &node.value {
        Value::Seq(items) => items.iter().for_each(|n| walk(n, depth + 1, visit)),
        Value::Map(entries) => entries.iter().for_each(|(k, v)| {
            visit(k.pos);
            walk(v, depth + 1, visit);
        }),
        _ => {}
    }
}

/// Lines as YAML counts them (`\n`, `\r\n` or a lone `\r` ends a line), counted
/// independently of the loader's own splitter.
fn yaml_lines(text: &str) -> u32 {
    let breaks =
        text.matches('\n').count() + text.matches('\r').count() - text.matches("\r\n").count();
    breaks as u32 + 1
}

fn assert_line_in(pos: Pos, last_line: u32) {
    assert!(
        (1..=last_line.max(1)).contains(&pos.line),
        "line {} outside 1..={last_line}",
        pos.line
    );
}

fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// The Markdown renderer: any text renders (or is refused with a Chinese problem) without
/// panicking, and no author HTML, script URL or event handler reaches the page.
pub fn markdown(data: &[u8]) {
    use jiayuan::render::markdown::{Links, render};
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let files = vec!["files/plan.pdf".to_string(), "files/gate.jpg".to_string()];
    let links = Links {
        base: "/mhjy/",
        files: &files,
        files_base: "/mhjy/2025/",
    };
    let out = render(text, &links);
    for p in &out.problems {
        assert!(has_chinese(p), "untranslated problem: {p}");
    }
    let lower = out.html.to_ascii_lowercase();
    for banned in [
        "<script", "<iframe", "<object", "<embed", "<form", "<style", "<meta",
    ] {
        assert!(
            !lower.contains(banned),
            "{banned} reached the page: {}",
            out.html
        );
    }
    for scheme in [
        "href=\"javascript:",
        "src=\"javascript:",
        "href=\"data:",
        "src=\"data:",
    ] {
        assert!(
            !lower.contains(scheme),
            "{scheme} reached the page: {}",
            out.html
        );
    }
    // An event handler would be an attribute of a tag: ` on…=` inside `<…>` but outside a
    // quoted attribute value (an escaped `onerror=` in an image's alt text is just text).
    let mut in_tag = false;
    let mut quoted = false;
    let bytes = lower.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' if in_tag => quoted = !quoted,
            _ if quoted => {}
            b'<' => in_tag = true,
            b'>' => in_tag = false,
            b' ' if in_tag && bytes[i + 1..].starts_with(b"on") => {
                let rest = &lower[i + 3..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphabetic())
                    .collect();
                assert!(
                    !rest[name.len()..].starts_with('='),
                    "event handler reached the page: {}",
                    out.html
                );
            }
            _ => {}
        }
    }
}
