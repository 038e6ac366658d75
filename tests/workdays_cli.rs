//! The `workdays` command as staff run it: the real binary, its output and exit codes.

use std::process::{Command, Output};

fn jiayuan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jiayuan"))
        .args(args)
        .output()
        .expect("the jiayuan binary runs")
}

// The publicity example ends on 2025-09-29 and names the worked Sunday, with exit code 0.
#[test]
fn workdays_publicity_example() {
    let out = jiayuan(&["workdays", "2025-09-22", "7"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("第 7 个工作日是 2025年9月29日（星期一）"),
        "{stdout}"
    );
    assert!(
        stdout.contains("2025年9月28日（星期日）国庆节、中秋节调休上班"),
        "{stdout}"
    );
    assert!(out.stderr.is_empty());
}

// A date that does not exist is a usage error (exit 2) explained in Chinese on stderr.
#[test]
fn workdays_bad_date() {
    let out = jiayuan(&["workdays", "2025-13-45", "7"]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("无法识别开始日期“2025-13-45”"), "{stderr}");
    assert!(out.stdout.is_empty());
}

// Zero working days is rejected the same way.
#[test]
fn workdays_zero_days() {
    let out = jiayuan(&["workdays", "2025年9月22日", "0"]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("工作日天数不能为 0"), "{stderr}");
}

// A period reaching 2027 still answers but warns on stderr where to add the data.
#[test]
fn workdays_unknown_year_warns() {
    let out = jiayuan(&["workdays", "2026/12/28", "7"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout.contains("2027年1月5日"), "{stdout}");
    assert!(stderr.contains("2027年的节假日安排尚未内置"), "{stderr}");
    assert!(stderr.contains("content/calendar.yaml"), "{stderr}");
}
