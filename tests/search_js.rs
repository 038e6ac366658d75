//! The search script under node agrees with the Rust side: the same query terms for the
//! shared cases, the same shard for a term, and the same ranked results when it loads the
//! index files the Rust builder wrote.

use chrono::NaiveDate;
use jiayuan::render::search::{self, DocKind, DocRef, SearchDoc, SearchIndex};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn node(args: &[&str]) {
    let out = Command::new("node")
        .args(args)
        .current_dir(root())
        .output()
        .expect("node (v18 or later) is needed to test themes/default/static/search.js");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "node {args:?} failed:\n{text}");
}

fn write_index(dir: &Path, index: &SearchIndex) {
    for (name, bytes) in index.files() {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

/// Writes the index and the Rust ranking of each query, then has node compare.
fn compare_in_node(index: &SearchIndex, queries: &[&str], extra: &[(&str, &str, &str)]) {
    let tmp = tempfile::tempdir().unwrap();
    write_index(tmp.path(), index);
    let expect: Vec<serde_json::Value> = queries
        .iter()
        .map(|q| {
            let urls: Vec<&str> = index
                .search(q)
                .into_iter()
                .map(|i| index.docs()[i].url.as_str())
                .collect();
            let mut e = json!({"query": q, "urls": urls});
            if let Some((_, first, mark)) = extra.iter().find(|x| x.0 == *q) {
                e["first"] = json!(first);
                e["mark"] = json!(mark);
            }
            e
        })
        .collect();
    let expect_file = tmp.path().join("expect.json");
    std::fs::write(&expect_file, serde_json::to_vec(&expect).unwrap()).unwrap();
    node(&[
        "tests/search_engine.mjs",
        tmp.path().join("search").to_str().unwrap(),
        expect_file.to_str().unwrap(),
    ]);
}

#[test]
fn script_splits_queries_and_hashes_terms_like_rust() {
    let cases: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(root().join("tests/search_cases.json")).unwrap())
            .unwrap();
    let mut terms: Vec<String> = cases
        .iter()
        .flat_map(|c| search::query_terms(c["input"].as_str().unwrap()))
        .collect();
    terms.extend(["𠀋", "é", "a", ""].map(String::from));
    let mut shards = Vec::new();
    for t in &terms {
        for n in [1u32, 7, 64, 4096] {
            shards.push(json!([t, n, search::shard_of(t, n)]));
        }
    }
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("shards.json");
    std::fs::write(&file, serde_json::to_vec(&shards).unwrap()).unwrap();
    node(&["tests/search_tokenize.mjs", file.to_str().unwrap()]);
}

fn doc(url: &str, kind: DocKind, title: &str, fields: &[&str], body: &str) -> SearchDoc {
    SearchDoc {
        url: url.into(),
        title: title.into(),
        kind,
        county: Some("玉州区".into()),
        year: Some(2025),
        fields: fields.iter().map(|f| f.to_string()).collect(),
        body: body.into(),
    }
}

#[test]
fn script_ranks_a_tiny_index_like_rust() {
    let docs = vec![
        doc(
            "2025/estates/a/",
            DocKind::Estate,
            "示例·金湾花园",
            &["示例金湾物业服务有限公司"],
            "停车难题靠议事会解决，电梯维保公开。",
        ),
        doc(
            "2025/cases/lift/",
            DocKind::Case,
            "一梯一议：老旧小区加装电梯",
            &["老旧小区改造"],
            "高楼层住户盼着早装，低楼层住户担心采光。经过协商，加装电梯（一期）完成。",
        ),
        doc(
            "2025/cases/b/",
            DocKind::Case,
            "智慧物业平台",
            &["智慧物业"],
            "加装电梯需要业主表决。１２个小区接入 WiFi。",
        ),
    ];
    let index = SearchIndex::new(&docs);
    assert_eq!(
        index.docs()[index.search("加装电梯")[0]].url,
        "2025/cases/lift/"
    );
    compare_in_node(
        &index,
        &[
            "加装电梯",
            "电梯",
            "梯",
            "wifi",
            "12",
            "玉州",
            "物业服务有限公司",
            "无此内容",
        ],
        &[("加装电梯", "2025/cases/lift/", "加装电梯")],
    );
}

#[test]
fn script_ranks_the_example_site_like_rust() {
    let today = NaiveDate::from_ymd_opt(2025, 9, 25).unwrap();
    let (checked, diags) = jiayuan::pipeline::check(&root(), today);
    assert_eq!(diags.error_count(), 0, "the example content checks");
    let docs = search::site_docs(&checked.site, &|r| match r {
        DocRef::Estate { year, slug } => format!("{year}/estates/{slug}/"),
        DocRef::Case { year, slug } => format!("{year}/cases/{slug}/"),
        DocRef::Notice { year } => format!("{year}/notice/"),
        DocRef::Page { slug } => format!("{slug}/"),
    });
    let index = SearchIndex::new(&docs);
    let files = index.files();
    assert!(
        files.iter().filter(|(n, _)| n.contains("/terms-")).count() > 1,
        "the example already needs several shards, so hashing is exercised"
    );
    let lift = index.search("加装电梯");
    assert_eq!(
        index.docs()[lift[0]].url,
        "2025/cases/chengxi-laojiu-gaizao/"
    );
    let yuzhou = index.search("玉州");
    assert!(yuzhou.len() >= 8);
    assert!(
        yuzhou
            .iter()
            .filter(|&&i| index.docs()[i].kind == DocKind::Estate)
            .all(|&i| index.docs()[i].county.as_deref() == Some("玉州区"))
    );
    compare_in_node(
        &index,
        &[
            "加装电梯",
            "玉州",
            "物业服务有限公司",
            "业委会",
            "三方议事会",
            "红色物业",
            "2024 玉州",
            "梯",
            "示例·金湾花园",
            "一梯一议",
        ],
        &[("加装电梯", "2025/cases/chengxi-laojiu-gaizao/", "加装电梯")],
    );
}

#[test]
fn script_expects_the_format_the_builder_writes() {
    let js = std::fs::read_to_string(root().join("themes/default/static/search.js")).unwrap();
    let line = format!("var FORMAT_VERSION = {};", search::FORMAT_VERSION);
    assert!(js.contains(&line), "search.js must say `{line}`");
}

// The build streams the index from the site's documents made a batch at a time; its files
// must be those of the reference builder given every document at once.
#[test]
fn the_built_index_is_the_reference_index() {
    let tmp = tempfile::tempdir().unwrap();
    let public = tmp.path().join("public");
    let out = Command::new(env!("CARGO_BIN_EXE_jiayuan"))
        .args(["build", "--today", "2025-09-25", "--root"])
        .arg(root())
        .arg("--output")
        .arg(&public)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let today = NaiveDate::from_ymd_opt(2025, 9, 25).unwrap();
    let (checked, _) = jiayuan::pipeline::check(&root(), today);
    use jiayuan::render::urls::path;
    let docs = search::site_docs(&checked.site, &|r| match r {
        DocRef::Estate { year, slug } => path::estate(year, slug),
        DocRef::Case { year, slug } => path::case(year, slug),
        DocRef::Notice { year } => path::notice(year),
        DocRef::Page { slug } => path::page(slug),
    });
    let expected = search::build(&docs);
    // The folder also holds the search page, `index.html`.
    let mut built: Vec<(String, Vec<u8>)> = std::fs::read_dir(public.join(search::DIR))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "json")
        })
        .map(|e| {
            let e = e.unwrap();
            let name = format!("{}/{}", search::DIR, e.file_name().to_string_lossy());
            (name, std::fs::read(e.path()).unwrap())
        })
        .collect();
    built.sort();
    assert!(expected.len() > 3);
    assert_eq!(built.len(), expected.len());
    for ((name, bytes), (want_name, want)) in built.iter().zip(&expected) {
        assert_eq!(name, want_name);
        assert!(bytes == want, "{name} differs from the reference");
    }
}
