//! Hostile content: every case is a small valid site plus one bad file, checked by the real
//! binary. Each must end with a located Chinese error and exit code 1 — never a hang, a
//! crash (101, 70, or a signal) or a flood of output. Measured bounds are in
//! docs/security.md; no timing is asserted here.

use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

const SITE: &str =
    "title: 测试站点\nbase_url: \"https://example.gov.cn/\"\npublisher: 测试住建局\n";
const CAMPAIGN: &str = "year: 2025\ntitle: 2025年度活动\ncounties: [玉州区, 容县]\nquota: {per_county: [0, 5], winners: 1, forwarded: 1}\ndeadlines: {submission: 2025-08-29, forward: 2025-09-30}\nscoring: {max: 100, method: mean}\npublicity: {working_days: 7}\n";
const ESTATE: &str =
    "name: 阳光花园\ncounty: 玉州区\naddress: 玉州区某路 1 号\nproperty_company: 某物业公司\n";

/// A site that passes `check` with no diagnostics at all.
fn site() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let campaign = campaign_dir(dir.path());
    for sub in ["estates", "experiences", "files"] {
        std::fs::create_dir_all(campaign.join(sub)).unwrap();
    }
    std::fs::write(dir.path().join("content/site.yaml"), SITE).unwrap();
    std::fs::write(campaign.join("campaign.yaml"), CAMPAIGN).unwrap();
    std::fs::write(campaign.join("estates/ok.yaml"), ESTATE).unwrap();
    dir
}

fn campaign_dir(root: &Path) -> PathBuf {
    root.join("content/campaigns/2025")
}

fn put(root: &Path, rel: &str, bytes: impl AsRef<[u8]>) {
    std::fs::write(campaign_dir(root).join(rel), bytes).unwrap();
}

struct Run {
    code: Option<i32>,
    stderr: String,
}

fn check(root: &Path) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_jiayuan"))
        .args(["check", "--today", "2025-09-01", "--root"])
        .arg(root)
        .env_remove("RUST_BACKTRACE")
        .output()
        .unwrap();
    Run {
        code: out.status.code(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The run failed the ordinary way, with `message` at `file` (relative to the campaign
/// folder), and printed a screenful, not the file back.
fn assert_refused(run: &Run, file: &str, message: &str) {
    let head: String = run.stderr.chars().take(2000).collect();
    assert_eq!(run.code, Some(1), "exit code; stderr:\n{head}");
    let at = format!("content/campaigns/2025/{file}");
    assert!(
        run.stderr
            .lines()
            .any(|l| l.starts_with(&at) && l.contains(message)),
        "no `{message}` at {at} in stderr:\n{head}"
    );
    assert!(
        run.stderr.len() < 8 * 1024,
        "{} bytes of stderr:\n{head}",
        run.stderr.len()
    );
    assert!(!run.stderr.contains("panicked"), "{head}");
}

// The fixture itself is clean, so every error below comes from the hostile file alone.
#[test]
fn fixture_site_is_clean() {
    let dir = site();
    let run = check(dir.path());
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
}

// A 50 MB record is refused by its size, before it is read.
#[test]
fn fifty_megabyte_record() {
    let dir = site();
    let line = "  这是一行很长的说明文字，用来把文件撑大。\n";
    let mut text = format!("{ESTATE}summary: |\n");
    text.push_str(&line.repeat(50 * 1024 * 1024 / line.len()));
    put(dir.path(), "estates/big.yaml", text);
    assert_refused(&check(dir.path()), "estates/big.yaml", "文件过大");
}

// A billion-laughs alias bomb stops at the alias replay budget.
#[test]
fn alias_bomb() {
    let dir = site();
    let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12u8 {
        let (prev, cur) = ((b'a' + i - 1) as char, (b'a' + i) as char);
        let refs = vec![format!("*{prev}"); 10].join(", ");
        text.push_str(&format!("{cur}: &{cur} [{refs}]\n"));
    }
    put(dir.path(), "estates/bomb.yaml", text);
    assert_refused(
        &check(dir.path()),
        "estates/bomb.yaml",
        "锚点和别名展开超出限制",
    );
}

// A list of 100,000 photos stops at the node budget: one error, not 100,000.
#[test]
fn hundred_thousand_item_list() {
    let dir = site();
    let text = format!(
        "{ESTATE}photos:\n{}",
        "- {src: files/a.jpg, alt: 照片}\n".repeat(100_000)
    );
    put(dir.path(), "estates/many.yaml", text);
    let run = check(dir.path());
    assert_refused(&run, "estates/many.yaml", "条目过多");
    assert_eq!(run.stderr.matches("错误：").count(), 1, "{}", run.stderr);
}

// Thousands of the same mistake below the node budget are shown ten times and counted.
#[test]
fn repeated_errors_are_grouped() {
    let dir = site();
    let photos: String = (0..3000)
        .map(|i| format!("  - {{src: files/m{i}.jpg, alt: 照片}}\n"))
        .collect();
    put(
        dir.path(),
        "estates/many.yaml",
        format!("{ESTATE}photos:\n{photos}"),
    );
    let run = check(dir.path());
    assert_refused(&run, "estates/many.yaml", "还有 2990 个类似的错误");
    assert_eq!(run.stderr.matches("错误：找不到文件").count(), 10);
    assert!(run.stderr.contains("共 3000 个错误"), "{}", run.stderr);
}

// A 1 MB line is refused by the line limit, in YAML records and in Markdown alike.
#[test]
fn one_megabyte_line() {
    let dir = site();
    let long = "长".repeat(1024 * 1024 / 3);
    put(
        dir.path(),
        "estates/long.yaml",
        format!("{ESTATE}summary: {long}\n"),
    );
    put(
        dir.path(),
        "experiences/long.md",
        format!("---\ntitle: 标题\n---\n\n![照片](data:image/png;base64,{long})\n"),
    );
    let run = check(dir.path());
    assert_refused(&run, "estates/long.yaml:5:1", "这一行过长（1025 KB）");
    assert_refused(&run, "experiences/long.md:5:1", "这一行过长");
}

// A long value below the line limit is quoted in messages by its start and length only.
#[test]
fn long_value_is_not_echoed() {
    let dir = site();
    let county = "长".repeat(20_000);
    put(
        dir.path(),
        "estates/long.yaml",
        format!("name: 甲\ncounty: {county}\naddress: 乙\nproperty_company: 丙\n"),
    );
    let run = check(dir.path());
    assert_refused(&run, "estates/long.yaml:2", "（共 20000 个字符）");
}

// Deep nesting in flow and block style is refused at the depth limit, never a stack
// overflow (flow mappings 60 deep used to abort the process).
#[test]
fn deep_nesting() {
    let dir = site();
    let n = 20_000;
    let flow_seq = format!("{ESTATE}summary: {}x{}\n", "[".repeat(n), "]".repeat(n));
    let flow_map = format!(
        "{ESTATE}summary: {}x{}\n",
        "{a: ".repeat(n / 4),
        "}".repeat(n / 4)
    );
    let block_seq = format!("{ESTATE}photos:\n{}x\n", "- ".repeat(n));
    let block_map: String = (1..=200)
        .map(|i| format!("{}k:\n", " ".repeat(i)))
        .collect();
    let cases = [
        ("flow-seq", flow_seq),
        ("flow-map", flow_map),
        ("block-seq", block_seq),
        ("block-map", format!("{ESTATE}extra:\n{block_map}")),
    ];
    for (name, text) in &cases {
        put(dir.path(), &format!("estates/{name}.yaml"), text);
    }
    let run = check(dir.path());
    for (name, _) in &cases {
        assert_refused(&run, &format!("estates/{name}.yaml"), "嵌套层数过多");
    }
}

// A binary file and a GBK file in the records folders are named as such.
#[test]
fn binary_and_gbk() {
    let dir = site();
    let mut binary = b"name: a\n".to_vec();
    binary.extend((0..10_000u32).map(|i| (i * 7919 % 256) as u8));
    put(dir.path(), "estates/binary.yaml", binary);
    let (gbk, _, _) = encoding_rs::GBK.encode(ESTATE);
    put(dir.path(), "estates/gbk.yaml", gbk.as_ref());
    let run = check(dir.path());
    assert_refused(&run, "estates/binary.yaml", "这不是文本文件");
    assert_refused(&run, "estates/gbk.yaml:1:7", "文件不是 UTF-8 编码");
}

// Front matter that never closes: refused by size at 5 MB, by the splitter below the
// size limit.
#[test]
fn unclosed_front_matter() {
    let dir = site();
    let five = format!(
        "---\ntitle: 标题\n{}",
        "tags: [a]\n".repeat(5 * 1024 * 1024 / 10)
    );
    put(dir.path(), "experiences/five.md", five);
    let three = format!(
        "---\ntitle: 标题\n{}",
        "正文内容\n".repeat(3 * 1024 * 1024 / 13)
    );
    put(dir.path(), "experiences/three.md", three);
    let run = check(dir.path());
    assert_refused(&run, "experiences/five.md", "文件过大（5.0 MB）");
    assert_refused(&run, "experiences/three.md:1:1", "信息块没有结束标记");
}
