//! `jiayuan workdays START N`: the N-th working day, for staff planning dates.

use chrono::NaiveDate;
use std::fmt::Write as _;
use std::path::PathBuf;

use super::{EXIT_OK, EXIT_USAGE};
use crate::derive::calendar::{
    Calendar, Day, Span, format_cn, format_period_cn, parse_date_cn, weekday_cn,
};

/// Beyond this the answer is no longer a planning question, and the day-by-day listing
/// would run to pages.
const MAX_N: u32 = 1000;

/// 计算工作日
#[derive(clap::Args, Debug)]
pub struct Args {
    /// 开始日期，例如 2025-09-22、2025/9/22 或 2025年9月22日
    pub start: String,
    /// 工作日天数，例如 7
    #[arg(value_parser = parse_count, allow_negative_numbers = true)]
    pub n: u32,
    /// 网站目录：其中的 content/calendar.yaml（地方节假日、调休）会一并计入
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

/// clap's own message for a non-number would be English only; say it in Chinese.
fn parse_count(s: &str) -> Result<u32, String> {
    s.trim()
        .parse()
        .map_err(|_| format!("“{s}”不是天数，请填写 1 到 {MAX_N} 之间的整数，例如 7"))
}

impl Args {
    pub fn run(self) -> u8 {
        let Some(start) = parse_date_cn(&self.start) else {
            return usage(
                &format!("无法识别开始日期“{}”。", self.start),
                "请写成 2025-09-22、2025/9/22 或 2025年9月22日 这样的格式，例如：\
                 jiayuan workdays 2025-09-22 7",
            );
        };
        if self.n == 0 {
            return usage(
                "工作日天数不能为 0。",
                "请填写至少 1 天，例如公示 7 个工作日：jiayuan workdays 2025-09-22 7",
            );
        }
        if self.n > MAX_N {
            return usage(
                &format!("工作日天数 {} 太大。", self.n),
                &format!("请填写 1 到 {MAX_N} 之间的天数。"),
            );
        }
        let mut diags = crate::diag::Diagnostics::default();
        let overlay = crate::pipeline::calendar_overlay(&self.root, &mut diags);
        if diags.has_errors() {
            super::common::print_diagnostics(&diags);
            return super::EXIT_FAILED;
        }
        let cal = Calendar::new(&overlay);
        let span = cal.nth_working_day(start, self.n);
        print!("{}", report(&cal, &span, self.n));
        if !span.unknown_years.is_empty() {
            eprintln!("{}", unknown_years_warning(&span.unknown_years));
        }
        EXIT_OK
    }
}

fn usage(problem: &str, hint: &str) -> u8 {
    eprintln!("错误：{problem}\n提示：{hint}");
    EXIT_USAGE
}

/// "2025年9月22日（星期一）"
fn dated(d: NaiveDate) -> String {
    format!("{}（{}）", format_cn(d), weekday_cn(d))
}

/// How a skipped day is described to staff.
fn off_label(day: Day) -> String {
    match day {
        Day::Holiday(name) => format!("{name}放假"),
        Day::Unknown => "周末（该年暂无节假日数据，按普通周末推算）".to_owned(),
        _ => "周末".to_owned(),
    }
}

/// The whole answer, as it is printed to stdout.
fn report(cal: &Calendar, span: &Span, n: u32) -> String {
    let mut out = String::new();
    // Leading skipped days are exactly the days before the first counted working day.
    let lead = span
        .skipped
        .iter()
        .zip(span.start.iter_days())
        .take_while(|((skipped, _), day)| skipped == day)
        .count();
    let first = span.start.iter_days().nth(lead).unwrap_or(span.end);
    let _ = writeln!(
        out,
        "自 {}起算 {n} 个工作日，第 {n} 个工作日是 {}。",
        dated(span.start),
        dated(span.end)
    );
    if lead > 0 {
        let _ = writeln!(
            out,
            "（{}是{}，不是工作日，从下一个工作日 {}开始算第 1 天。）",
            dated(span.start),
            off_label(cal.day(span.start)),
            dated(first)
        );
    } else {
        let _ = writeln!(out, "（开始当天是工作日，算作第 1 天。）");
    }
    let _ = writeln!(out, "起止日期：{}", format_period_cn(first, span.end));

    if span.skipped.is_empty() {
        let _ = writeln!(out, "期间没有节假日或周末，每天都是工作日。");
    } else {
        let _ = writeln!(out, "期间跳过的非工作日（不计入天数）：");
        // Consecutive days with the same reason read better as one line (a whole
        // holiday, a weekend) than as a day-by-day list.
        let labelled: Vec<(NaiveDate, String)> = span
            .skipped
            .iter()
            .map(|(d, _)| (*d, off_label(cal.day(*d))))
            .collect();
        let mut i = 0;
        while i < labelled.len() {
            let (from, label) = &labelled[i];
            let mut j = i + 1;
            while j < labelled.len()
                && labelled[j].1 == *label
                && labelled[j - 1].0.succ_opt() == Some(labelled[j].0)
            {
                j += 1;
            }
            let to = labelled[j - 1].0;
            if j - i == 1 {
                let _ = writeln!(out, "  {}{label}", dated(*from));
            } else {
                let period = format_period_cn(*from, to);
                let _ = writeln!(out, "  {period}（共 {} 天）{label}", j - i);
            }
            i = j;
        }
    }

    let adjusted: Vec<(NaiveDate, String)> = first
        .iter_days()
        .take_while(|d| *d <= span.end)
        .filter_map(|d| match cal.day(d) {
            Day::AdjustedWorking(name) => Some((d, name)),
            _ => None,
        })
        .collect();
    if !adjusted.is_empty() {
        let _ = writeln!(out, "期间的调休上班日（照常上班，计入天数）：");
        for (d, name) in adjusted {
            let _ = writeln!(out, "  {}{name}", dated(d));
        }
    }
    out
}

fn unknown_years_warning(years: &[i32]) -> String {
    let list = years
        .iter()
        .map(|y| format!("{y}年"))
        .collect::<Vec<_>>()
        .join("、");
    format!(
        "警告：{list}的节假日安排尚未内置，以上结果暂按周一至周五上班、周六周日休息推算，\
         可能不准确。\n提示：国务院办公厅公布{list}的节假日安排后，请在 content/calendar.yaml \
         中补充放假日（holidays）和调休上班日（workdays），并把年份写入 years。"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    // The brief's example prints the end date, the skipped Saturday and the worked Sunday.
    #[test]
    fn report_for_publicity_example() {
        let cal = Calendar::default();
        let text = report(&cal, &cal.nth_working_day(d("2025-09-22"), 7), 7);
        assert_eq!(
            text,
            "自 2025年9月22日（星期一）起算 7 个工作日，第 7 个工作日是 2025年9月29日（星期一）。\n\
             （开始当天是工作日，算作第 1 天。）\n\
             起止日期：2025年9月22日至9月29日\n\
             期间跳过的非工作日（不计入天数）：\n  \
             2025年9月27日（星期六）周末\n\
             期间的调休上班日（照常上班，计入天数）：\n  \
             2025年9月28日（星期日）国庆节、中秋节调休上班\n"
        );
    }

    // A start on a holiday says so, and a whole holiday collapses into one line.
    #[test]
    fn report_for_holiday_start() {
        let cal = Calendar::default();
        let text = report(&cal, &cal.nth_working_day(d("2025-10-01"), 3), 3);
        assert!(text.contains("2025年10月1日（星期三）是国庆节、中秋节放假，不是工作日"));
        assert!(text.contains("从下一个工作日 2025年10月9日（星期四）开始算第 1 天"));
        assert!(text.contains("起止日期：2025年10月9日至10月11日\n"));
        assert!(text.contains("  2025年10月1日至10月8日（共 8 天）国庆节、中秋节放假\n"));
        assert!(text.contains("2025年10月11日（星期六）国庆节、中秋节调休上班"));
    }

    // The unknown-year warning names the year and the file to fix.
    #[test]
    fn warning_names_year_and_file() {
        let w = unknown_years_warning(&[2027]);
        assert!(w.contains("2027年的节假日安排尚未内置"));
        assert!(w.contains("content/calendar.yaml"));
    }
}
