//! `jiayuan init` and `jiayuan new`: the scaffolds build, and nothing is overwritten.

mod common;

use common::{ok, run, tree};
use std::fs;

// A new site from `init` passes check and builds with the embedded theme only.
#[test]
fn init_then_build() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("mysite");
    let s = site.to_str().unwrap();
    ok(&run(&["init", s]));
    assert!(
        !site.join("themes").exists(),
        "theme stays embedded without --theme"
    );
    ok(&run(&["check", "--root", s, "--strict"]));
    ok(&run(&["build", "--root", s]));
    let out = tree(&site.join("public"));
    assert!(out.contains_key("index.html"));
    assert!(out.keys().any(|k| k.ends_with("/publicity/index.html")));
    assert!(out.contains_key("static/site.css"));
}

// `init --theme` ejects every embedded theme file; the ejected theme builds.
#[test]
fn init_with_theme_ejects() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("s");
    let s = site.to_str().unwrap();
    ok(&run(&["init", s, "--theme"]));
    assert!(site.join("themes/default/templates/base.html").is_file());
    assert!(site.join("themes/default/static/site.css").is_file());
    ok(&run(&["build", "--root", s]));
}

// `init` refuses a folder that already holds files.
#[test]
fn init_refuses_non_empty_dir() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("keep.txt"), "x").unwrap();
    let out = run(&["init", dir.path().to_str().unwrap()]);
    assert!(!out.status.success());
    assert_eq!(
        fs::read_to_string(dir.path().join("keep.txt")).unwrap(),
        "x"
    );
}

// `new estate` and `new experience` write scaffolds that check, and refuse to overwrite.
#[test]
fn new_writes_scaffolds_and_refuses_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("s");
    let s = site.to_str().unwrap();
    ok(&run(&["init", s]));
    let year = fs::read_dir(site.join("content/campaigns"))
        .unwrap()
        .flatten()
        .next()
        .unwrap()
        .file_name()
        .to_string_lossy()
        .into_owned();
    ok(&run(&[
        "new",
        "estate",
        "xin-xiaoqu",
        "--year",
        &year,
        "--root",
        s,
    ]));
    ok(&run(&[
        "new",
        "experience",
        "xin-anli",
        "--year",
        &year,
        "--root",
        s,
    ]));
    let estate = site.join(format!("content/campaigns/{year}/estates/xin-xiaoqu.yaml"));
    let text = fs::read_to_string(&estate).unwrap();
    assert!(text.contains("# 小区名称"));
    ok(&run(&["check", "--root", s]));
    fs::write(&estate, "edited").unwrap();
    let again = run(&["new", "estate", "xin-xiaoqu", "--year", &year, "--root", s]);
    assert!(!again.status.success());
    assert_eq!(fs::read_to_string(&estate).unwrap(), "edited");
}
