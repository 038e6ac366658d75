//! `jiayuan check` end to end: one small fixture site per error and warning kind, run
//! through the real binary, with the full Chinese output snapshotted.
//!
//! Every case starts from `tests/fixtures/check/base/` (a minimal valid site) and lays the
//! files of `tests/fixtures/check/cases/<case>/` over it, so a case holds only its defect.
//! The few files that cannot live in the repository (non-UTF-8 bytes, NUL bytes, names that
//! differ only by letter case) are written by the test itself.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

/// The build date of every run: after the submission deadline and the publicity period of
/// the base site, before the forwarding deadline.
const TODAY: &str = "2025-09-25";

const ESTATES: &str = "content/campaigns/2025/estates";
const EXPERIENCES: &str = "content/campaigns/2025/experiences";
const CAMPAIGN: &str = "content/campaigns/2025/campaign.yaml";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check")
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A fresh site in a temporary folder: the base fixture with the case's files over it.
fn site(case: Option<&str>) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join("base"), dir.path());
    if let Some(case) = case {
        let overlay = fixtures().join("cases").join(case);
        assert!(overlay.is_dir(), "no fixture folder {}", overlay.display());
        copy_tree(&overlay, dir.path());
    }
    dir
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `jiayuan check --today TODAY --root <root>` plus `extra` arguments.
fn check(root: &Path, extra: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_jiayuan"))
        .arg("check")
        .args(["--today", TODAY, "--root"])
        .arg(root)
        .args(extra)
        .output()
        .unwrap();
    // Messages name files relative to the root; should a path ever leak, keep the
    // snapshot stable and make the leak visible.
    let clean = |b: &[u8]| {
        String::from_utf8(b.to_vec())
            .unwrap()
            .replace(&root.display().to_string(), "[ROOT]")
    };
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: clean(&out.stdout),
        stderr: clean(&out.stderr),
    }
}

/// Checks a site that must fail with errors: exit 1, nothing on stdout, and `located`
/// (`file:line:col: 错误：…`) among the messages. Returns stderr for the snapshot.
fn fails_at(root: &Path, located: &str) -> String {
    let run = check(root, &[]);
    assert_eq!(run.code, 1, "stderr:\n{}", run.stderr);
    assert_eq!(
        run.stdout, "",
        "no summary is printed when there are errors"
    );
    assert!(
        run.stderr.contains(located),
        "expected `{located}` in:\n{}",
        run.stderr
    );
    assert!(!run.stderr.contains("[ROOT]"), "{}", run.stderr);
    run.stderr
}

fn case_fails_at(case: &str, located: &str) -> String {
    let dir = site(Some(case));
    fails_at(dir.path(), located)
}

/// Checks a site with warnings only: plain `check` passes (exit 0, summary printed) with
/// `located` among the messages, and `check --strict` fails (exit 1). Returns both
/// streams of the plain run for the snapshot.
fn case_warns_at(case: &str, located: &str) -> String {
    let dir = site(Some(case));
    let run = check(dir.path(), &[]);
    assert_eq!(run.code, 0, "stderr:\n{}", run.stderr);
    assert!(run.stdout.starts_with("检查通过："), "{}", run.stdout);
    assert!(
        run.stderr.contains(located),
        "expected `{located}` in:\n{}",
        run.stderr
    );
    assert!(!run.stderr.contains("错误："), "{}", run.stderr);
    let strict = check(dir.path(), &["--strict"]);
    assert_eq!(strict.code, 1, "--strict fails on warnings");
    format!("{}\n---- stdout ----\n{}", run.stderr, run.stdout)
}

fn at(file: &str, line: u32, col: u32) -> String {
    format!("{file}:{line}:{col}: 错误：")
}

fn warn_at(file: &str, line: u32, col: u32) -> String {
    format!("{file}:{line}:{col}: 警告：")
}

fn estate(slug: &str) -> String {
    format!("{ESTATES}/{slug}.yaml")
}

fn experience(slug: &str) -> String {
    format!("{EXPERIENCES}/{slug}.md")
}

// ---------------------------------------------------------------------------------------
// The valid base site.

// The base fixture is valid: exit 0, no messages, and the summary shows the county counts,
// the ranking with the tie rule, the winners, the forwarded estate and the publicity period.
#[test]
fn valid_site_passes_with_summary() {
    let dir = site(None);
    let run = check(dir.path(), &[]);
    assert_eq!(run.code, 0, "stderr:\n{}", run.stderr);
    assert_eq!(run.stderr, "");
    assert!(
        run.stdout.contains("【命名，拟报送自治区】"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("公示期：2025年9月15日至9月23日（7 个工作日），已结束"),
        "{}",
        run.stdout
    );
    insta::assert_snapshot!("valid_site_summary", run.stdout);
    // --strict changes nothing on a site without warnings.
    assert_eq!(check(dir.path(), &["--strict"]).code, 0);
}

// A bad --today is a usage error (exit 2) with a Chinese message, before any checking.
#[test]
fn bad_today_is_usage_error() {
    let dir = site(None);
    let out = Command::new(env!("CARGO_BIN_EXE_jiayuan"))
        .args(["check", "--today", "2025-13-01", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!("bad_today_usage", String::from_utf8(out.stderr).unwrap());
}

// ---------------------------------------------------------------------------------------
// Errors: YAML syntax and front matter.

// A key indented under a plain value is a YAML syntax error at that key's line.
#[test]
fn yaml_bad_indent() {
    let out = case_fails_at("yaml_bad_indent", &at(&estate("yuzhou-binhe"), 3, 10));
    insta::assert_snapshot!("yaml_bad_indent", out);
}

// An unclosed `{` is a YAML syntax error, located near where the parser gave up.
#[test]
fn yaml_unclosed_bracket() {
    let out = case_fails_at(
        "yaml_unclosed_bracket",
        &format!("{}:", estate("yuzhou-binhe")),
    );
    insta::assert_snapshot!("yaml_unclosed_bracket", out);
}

// A case study without a leading `---` block is an error at line 1.
#[test]
fn frontmatter_missing() {
    let out = case_fails_at(
        "frontmatter_missing",
        &at(&experience("jinwan-dangjian"), 1, 1),
    );
    insta::assert_snapshot!("frontmatter_missing", out);
}

// A front matter block opened but never closed is an error at the opening line.
#[test]
fn frontmatter_unclosed() {
    let out = case_fails_at(
        "frontmatter_unclosed",
        &at(&experience("jinwan-dangjian"), 1, 1),
    );
    insta::assert_snapshot!("frontmatter_unclosed", out);
}

// A syntax error inside front matter is reported at the line of the file, not of the block.
#[test]
fn frontmatter_syntax_error_uses_file_lines() {
    let out = case_fails_at(
        "frontmatter_syntax",
        &format!("{}:", experience("jinwan-dangjian")),
    );
    insta::assert_snapshot!("frontmatter_syntax", out);
}

// Field errors inside front matter (unknown key, bad date, county clash) carry file lines.
#[test]
fn frontmatter_field_errors_use_file_lines() {
    let x = experience("jinwan-dangjian");
    let out = case_fails_at("frontmatter_lines", &at(&x, 6, 1));
    assert!(out.contains(&at(&x, 7, 7)), "{out}");
    insta::assert_snapshot!("frontmatter_lines", out);
}

// A full-width colon typed in front matter is caught with the file's line.
#[test]
fn frontmatter_fullwidth_colon() {
    let out = case_fails_at(
        "frontmatter_fullwidth_colon",
        &at(&experience("jinwan-dangjian"), 4, 3),
    );
    insta::assert_snapshot!("frontmatter_fullwidth_colon", out);
}

// ---------------------------------------------------------------------------------------
// Errors: typing slips of Chinese input methods.

// `county：容县` (full-width colon) is named, at the colon, before the YAML parser runs.
#[test]
fn fullwidth_colon() {
    let out = case_fails_at("fullwidth_colon", &at(&estate("rongxian-jingxiu"), 2, 7));
    insta::assert_snapshot!("fullwidth_colon", out);
}

// Indentation with U+3000 ideographic spaces is named on every such line.
#[test]
fn ideographic_space_indent() {
    let f = estate("rongxian-jingxiu");
    let out = case_fails_at("ideographic_space_indent", &at(&f, 6, 1));
    assert!(out.contains(&at(&f, 7, 1)), "{out}");
    insta::assert_snapshot!("ideographic_space_indent", out);
}

// Tab indentation is named on every such line.
#[test]
fn tab_indent() {
    let f = estate("rongxian-jingxiu");
    let out = case_fails_at("tab_indent", &at(&f, 6, 1));
    assert!(out.contains(&at(&f, 7, 1)), "{out}");
    insta::assert_snapshot!("tab_indent", out);
}

// Full-width digits in a number (`households: １２００`) are named, at the value.
#[test]
fn fullwidth_digits() {
    let out = case_fails_at("fullwidth_digits", &at(&estate("rongxian-jingxiu"), 5, 13));
    insta::assert_snapshot!("fullwidth_digits", out);
}

// ---------------------------------------------------------------------------------------
// Errors: fields.

// A missing required field is reported once, naming the field and its Chinese label.
#[test]
fn missing_required_field() {
    let out = case_fails_at("missing_required", &at(&estate("rongxian-jingxiu"), 1, 1));
    insta::assert_snapshot!("missing_required", out);
}

// `name:` with nothing after it is an error, not an empty name.
#[test]
fn empty_required_value() {
    let out = case_fails_at("empty_required", &at(&estate("rongxian-jingxiu"), 1, 1));
    insta::assert_snapshot!("empty_required", out);
}

// An unknown field gets the nearest known one as a suggestion (`conty` → `county`).
#[test]
fn unknown_field_with_suggestion() {
    let out = case_fails_at("unknown_field", &at(&estate("rongxian-jingxiu"), 2, 1));
    assert!(out.contains("`county`"), "{out}");
    insta::assert_snapshot!("unknown_field", out);
}

// A Chinese label typed as a key (`小区名称:`) suggests the English field (`name`).
#[test]
fn chinese_label_as_key() {
    let out = case_fails_at("chinese_label_key", &at(&estate("rongxian-jingxiu"), 1, 1));
    assert!(out.contains("`name`"), "{out}");
    insta::assert_snapshot!("chinese_label_key", out);
}

// Two keys with the same name in one mapping are an error at the second one.
#[test]
fn duplicate_key() {
    let out = case_fails_at("duplicate_key", &at(&estate("rongxian-jingxiu"), 5, 1));
    insta::assert_snapshot!("duplicate_key", out);
}

// A date that does not exist (2025-02-30) is "not a date", at the value.
#[test]
fn date_invalid() {
    let out = case_fails_at("date_invalid", &at(&estate("rongxian-jingxiu"), 6, 12));
    insta::assert_snapshot!("date_invalid", out);
}

// More satisfied households than surveyed ones is an error.
#[test]
fn satisfied_more_than_surveyed() {
    let out = case_fails_at(
        "satisfied_gt_surveyed",
        &at(&estate("rongxian-jingxiu"), 5, 31),
    );
    insta::assert_snapshot!("satisfied_gt_surveyed", out);
}

// A county outside the campaign's list gets the nearest one (`玉州` → `玉州区`).
#[test]
fn county_unknown_with_suggestion() {
    let out = case_fails_at("county_unknown", &at(&estate("yuzhou-binhe"), 2, 9));
    assert!(out.contains("`玉州区`"), "{out}");
    insta::assert_snapshot!("county_unknown", out);
}

// Every error of one file is reported in the same run, sorted by line.
#[test]
fn multiple_errors_in_one_file_sorted() {
    let out = case_fails_at(
        "multiple_errors_one_file",
        &at(&estate("rongxian-jingxiu"), 2, 9),
    );
    let lines: Vec<u32> = out
        .lines()
        .filter(|l| l.contains(": 错误："))
        .map(|l| l.split(':').nth(1).unwrap().parse().unwrap())
        .collect();
    assert_eq!(lines, [2, 3, 5, 7, 10], "{out}");
    insta::assert_snapshot!("multiple_errors_one_file", out);
}

// A record dropped for its errors does not also produce a false "county below quota"
// warning (容县's only estate is unreadable here), nor a "no scores" warning.
#[test]
fn broken_record_gives_no_false_warnings() {
    let out = case_fails_at("fullwidth_colon", &at(&estate("rongxian-jingxiu"), 2, 7));
    assert!(!out.contains(": 警告："), "{out}");
    let out = case_fails_at("criteria_mismatch", &at(&estate("rongxian-jingxiu"), 12, 7));
    assert!(!out.contains("还没有专家评分"), "{out}");
}

// ---------------------------------------------------------------------------------------
// Errors: scores.

// A total above the campaign's maximum is out of range, at the value.
#[test]
fn score_out_of_range() {
    let out = case_fails_at(
        "score_out_of_range",
        &at(&estate("rongxian-jingxiu"), 9, 26),
    );
    insta::assert_snapshot!("score_out_of_range", out);
}

// Three decimals in a score are refused (scores are kept exact to the hundredth).
#[test]
fn score_three_decimals() {
    let out = case_fails_at(
        "score_three_decimals",
        &at(&estate("rongxian-jingxiu"), 9, 26),
    );
    insta::assert_snapshot!("score_three_decimals", out);
}

// Criteria keys that the campaign does not define, and defined ones left out, are errors.
#[test]
fn criteria_mismatch() {
    let f = estate("rongxian-jingxiu");
    let out = case_fails_at("criteria_mismatch", &at(&f, 12, 7));
    assert!(out.contains("`service`"), "{out}");
    insta::assert_snapshot!("criteria_mismatch", out);
}

// Scoring by criteria when the campaign defines none is an error.
#[test]
fn criteria_not_defined() {
    let out = case_fails_at(
        "criteria_not_defined",
        &at(&estate("rongxian-jingxiu"), 9, 19),
    );
    insta::assert_snapshot!("criteria_not_defined", out);
}

// The trimmed mean needs at least three experts; two sheets are an error, not a guess.
#[test]
fn trimmed_mean_needs_three_experts() {
    let out = case_fails_at(
        "trimmed_mean_few_experts",
        &at(&estate("rongxian-jingxiu"), 7, 1),
    );
    insta::assert_snapshot!("trimmed_mean_few_experts", out);
}

// ---------------------------------------------------------------------------------------
// Errors: references, slugs, photos and paths.

// A case study naming an estate that does not exist gets the nearest slug.
#[test]
fn reference_to_unknown_estate() {
    let out = case_fails_at(
        "reference_unknown_estate",
        &at(&experience("jinwan-dangjian"), 3, 9),
    );
    assert!(out.contains("`yuzhou-jinwan`"), "{out}");
    insta::assert_snapshot!("reference_unknown_estate", out);
}

// `a.yaml` and `a.yml` would make the same page: a duplicate slug.
#[test]
fn duplicate_slug_by_extension() {
    let out = case_fails_at(
        "duplicate_slug",
        &format!("{ESTATES}/yuzhou-binhe.yml: 错误："),
    );
    insta::assert_snapshot!("duplicate_slug", out);
}

// `Foo.yaml` and `foo.yaml` clash on Windows: a duplicate slug (and a bad one). The file
// is written here because such a pair cannot be checked out on every system.
#[test]
fn duplicate_slug_by_letter_case() {
    let dir = site(None);
    let from = dir.path().join(ESTATES).join("yuzhou-binhe.yaml");
    let text = fs::read_to_string(&from)
        .unwrap()
        .replace("滨河小区", "滨河新区");
    fs::write(dir.path().join(ESTATES).join("Yuzhou-Binhe.yaml"), text).unwrap();
    let out = fails_at(dir.path(), &format!("{ESTATES}/yuzhou-binhe.yaml: 错误："));
    insta::assert_snapshot!("duplicate_slug_letter_case", out);
}

// A file name with capitals or an underscore cannot be a URL slug; the hint proposes one.
#[test]
fn bad_slug() {
    let out = case_fails_at(
        "bad_slug",
        &format!("{ESTATES}/Rongxian_Jingxiu2.yaml: 错误："),
    );
    assert!(out.contains("rongxian-jingxiu2"), "{out}");
    insta::assert_snapshot!("bad_slug", out);
}

// A Chinese file name cannot be a URL slug either.
#[test]
fn bad_slug_chinese() {
    let out = case_fails_at(
        "bad_slug_chinese",
        &format!("{ESTATES}/景秀苑三期.yaml: 错误："),
    );
    insta::assert_snapshot!("bad_slug_chinese", out);
}

// A photo without `alt` is an error: screen-reader users need the description.
#[test]
fn photo_without_alt() {
    let out = case_fails_at("photo_no_alt", &at(&estate("yuzhou-jinwan"), 14, 5));
    insta::assert_snapshot!("photo_no_alt", out);
}

// Photo paths may not leave the content folder, by `..` or by being absolute.
#[test]
fn photo_path_leaves_content() {
    let f = estate("yuzhou-jinwan");
    let out = case_fails_at("photo_path_escape", &at(&f, 14, 11));
    assert!(out.contains(&at(&f, 15, 11)), "{out}");
    insta::assert_snapshot!("photo_path_escape", out);
}

// A photo whose file is not in the campaign folder is an error naming where to put it.
#[test]
fn photo_missing_file() {
    let out = case_fails_at("photo_missing_file", &at(&estate("yuzhou-jinwan"), 14, 11));
    insta::assert_snapshot!("photo_missing_file", out);
}

// ---------------------------------------------------------------------------------------
// Errors: files that are not UTF-8 text.

// A record saved as GBK (the Windows default for Chinese) is named, at the first bad byte.
#[test]
fn non_utf8_file() {
    let dir = site(None);
    let gbk: &[u8] = b"name: \xbe\xb0\xd0\xe3\xd4\xb7\ncounty: \xc8\xdd\xcf\xd8\naddress: \xc8\xdd\xcf\xd8\xca\xbe\xc0\xfd\xbd\xd6 3 \xba\xc5\nproperty_company: \xca\xbe\xc0\xfd\xce\xef\xd2\xb5\xb9\xdc\xc0\xed\xd3\xd0\xcf\xde\xb9\xab\xcb\xbe\n";
    fs::write(dir.path().join(estate("rongxian-jingxiu")), gbk).unwrap();
    let out = fails_at(dir.path(), &at(&estate("rongxian-jingxiu"), 1, 7));
    insta::assert_snapshot!("non_utf8", out);
}

// A binary file (NUL bytes) in the estates folder is an error, not garbage text.
#[test]
fn binary_file() {
    let dir = site(None);
    fs::write(
        dir.path().join(estate("rongxian-jingxiu")),
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00",
    )
    .unwrap();
    let out = fails_at(
        dir.path(),
        &format!("{}: 错误：", estate("rongxian-jingxiu")),
    );
    insta::assert_snapshot!("binary_file", out);
}

// ---------------------------------------------------------------------------------------
// Warnings: reported, exit 0, but `--strict` exits 1.

// Fewer nominees than the per-county minimum is a warning on `counties`.
#[test]
fn county_below_quota() {
    let out = case_warns_at("county_below_quota", &warn_at(CAMPAIGN, 7, 1));
    assert!(out.contains("容县"), "{out}");
    insta::assert_snapshot!("county_below_quota", out);
}

// More nominees than the per-county maximum is a warning on `counties`.
#[test]
fn county_above_quota() {
    let out = case_warns_at("county_above_quota", &warn_at(CAMPAIGN, 7, 1));
    assert!(out.contains("玉州区"), "{out}");
    insta::assert_snapshot!("county_above_quota", out);
}

// A submission date after the deadline is a warning at that date.
#[test]
fn late_submission() {
    let out = case_warns_at(
        "late_submission",
        &warn_at(&estate("rongxian-jingxiu"), 6, 12),
    );
    insta::assert_snapshot!("late_submission", out);
}

// A publicity period ending after the forwarding deadline is a warning whose hint names
// the latest start that still fits (weekdays alone decide these dates).
#[test]
fn publicity_ends_after_forward_deadline() {
    let out = case_warns_at("publicity_too_late", &warn_at(CAMPAIGN, 19, 10));
    assert!(out.contains("2025年9月4日"), "{out}");
    insta::assert_snapshot!("publicity_too_late", out);
}

// A satisfaction rate below `min_satisfaction` is a warning on `satisfaction`.
#[test]
fn satisfaction_below_minimum() {
    let out = case_warns_at("satisfaction_low", &warn_at(&estate("yuzhou-jinwan"), 6, 1));
    insta::assert_snapshot!("satisfaction_low", out);
}

// Once scoring has started, an estate without scores is a warning.
#[test]
fn estate_without_scores() {
    let out = case_warns_at("no_scores", &warn_at(&estate("rongxian-jingxiu"), 1, 1));
    insta::assert_snapshot!("no_scores", out);
}

// Plain `check` passes with warnings, `check --strict` fails and says why.
#[test]
fn strict_fails_on_warnings() {
    let dir = site(Some("late_submission"));
    let plain = check(dir.path(), &[]);
    assert_eq!(plain.code, 0);
    assert!(!plain.stderr.contains("严格模式"), "{}", plain.stderr);
    let strict = check(dir.path(), &["--strict"]);
    assert_eq!(strict.code, 1);
    assert!(strict.stderr.contains("严格模式"), "{}", strict.stderr);
    insta::assert_snapshot!("strict_fails_on_warnings", strict.stderr);
}

// The bundled example site (the README's first command builds it) stays free of errors and
// warnings, and its summary names the five proposed winners and the publicity period.
#[test]
fn bundled_example_passes_strict() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = check(root, &["--strict"]);
    assert_eq!(run.code, 0, "stderr:\n{}", run.stderr);
    assert_eq!(run.stderr, "");
    assert!(
        run.stdout.contains("拟命名“美好家园”小区（5 个）"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("公示期：2025年9月22日至9月29日（7 个工作日），公示中"),
        "{}",
        run.stdout
    );
}
