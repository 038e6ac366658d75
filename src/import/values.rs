//! Cell values in the spellings county sheets use → the record's typed values.

use chrono::NaiveDate;
use unicode_normalization::UnicodeNormalization;

use crate::model::OwnersBody;

pub fn is_excel_error(text: &str) -> bool {
    matches!(
        text,
        "#DIV/0!"
            | "#N/A"
            | "#NAME?"
            | "#NULL!"
            | "#NUM!"
            | "#REF!"
            | "#VALUE!"
            | "#DATA!"
            | "#SPILL!"
            | "#CALC!"
    )
}

/// Lines of a one-line field joined: Chinese text without a gap, Latin words with a space.
pub fn one_line(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let gap = out
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric())
            && line
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric());
        if gap {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

fn folded(text: &str) -> String {
    text.nfkc()
        .filter(|c| !c.is_whitespace() && *c != ',')
        .collect()
}

/// A four-digit year at the start: `2010`, `2010年`, `2010-05-01`.
pub fn parse_year(text: &str) -> Option<i32> {
    let t = folded(text);
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    let year: i32 = (digits.len() == 4).then(|| digits.parse().ok())??;
    (1900..=2100).contains(&year).then_some(year)
}

/// A whole number, allowing thousands separators and a trailing unit: `1,200户`.
pub fn parse_count(text: &str) -> Option<u32> {
    let t = folded(text);
    let t = t.trim_end_matches(['户', '人']);
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

/// Square metres as a decimal string; `in_wan` (the header says 万㎡) multiplies by
/// 10 000 by moving the decimal point, so no digit is lost to floating point.
pub fn parse_area(text: &str, in_wan: bool) -> Option<String> {
    let t = folded(text).to_lowercase();
    let mut t = t.as_str();
    let mut wan = in_wan;
    for unit in ["平方米", "平米", "m2"] {
        t = t.strip_suffix(unit).unwrap_or(t);
    }
    if let Some(rest) = t.strip_suffix('万') {
        t = rest;
        wan = true;
    }
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || !digits(int) || !digits(frac) {
        return None;
    }
    if !wan {
        return Some(t.to_string());
    }
    let mut frac = frac.to_string();
    while frac.len() < 4 {
        frac.push('0');
    }
    let (moved, rest) = frac.split_at(4);
    let int = format!("{int}{moved}").trim_start_matches('0').to_string();
    let int = if int.is_empty() { "0".to_string() } else { int };
    let rest = rest.trim_end_matches('0');
    Some(if rest.is_empty() {
        int
    } else {
        format!("{int}.{rest}")
    })
}

/// The owners' body from the ways sheets say it: 已成立 / 业委会 / 物管会 / 无 / 未成立.
pub fn parse_owners_body(text: &str) -> Option<OwnersBody> {
    let t = folded(text);
    let none = ["无", "否", "没有", "暂无", "/", "-", "—"];
    if none.contains(&t.as_str()) || t.starts_with('未') || t.starts_with('无') {
        return Some(OwnersBody::None);
    }
    if t.contains("物业管理委员会") || t.contains("物管会") {
        return Some(OwnersBody::ManagementCommittee);
    }
    let yes = ["业主委员会", "业委会", "已成立", "成立", "是", "有"];
    yes.iter()
        .any(|y| t.contains(y))
        .then_some(OwnersBody::Committee)
}

/// A satisfaction rate as a fraction: `95%`, `96.50%`, `0.95` or `95` (read as percent).
pub fn parse_rate(text: &str) -> Option<f64> {
    let t = folded(text);
    let (num, percent) = match t.strip_suffix('%') {
        Some(n) => (n, true),
        None => (t.as_str(), false),
    };
    let v: f64 = num.parse().ok()?;
    let v = if percent || v > 1.0 { v / 100.0 } else { v };
    (v.is_finite() && (0.0..=1.0).contains(&v)).then_some(v)
}

/// A calendar date: `2025-08-20`, `2025/8/20`, `2025.8.20`, `2025年8月20日`, `20250820`;
/// a time after the date is ignored.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    // Not `folded`: the space between a date and a time separates numbers.
    let t: String = text.nfkc().collect();
    let parts: Vec<&str> = t
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    let (y, m, d) = match parts.as_slice() {
        [ymd] if ymd.len() == 8 => (&ymd[..4], &ymd[4..6], &ymd[6..]),
        [y, m, d, ..] if y.len() == 4 => (*y, *m, *d),
        _ => return None,
    };
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Years, counts and dates in the spellings county sheets use.
    #[test]
    fn value_spellings() {
        assert_eq!(parse_year("2010年"), Some(2010));
        assert_eq!(parse_year("2010-05-01"), Some(2010));
        assert_eq!(parse_year("１９９８"), Some(1998));
        assert_eq!(parse_year("10年"), None);
        assert_eq!(parse_count("1,200户"), Some(1200));
        assert_eq!(parse_count("约1200"), None);
        assert_eq!(parse_count("12.5"), None);
        let d = NaiveDate::from_ymd_opt(2025, 8, 20);
        for s in [
            "2025-08-20",
            "2025/8/20",
            "2025.8.20",
            "2025年8月20日",
            "20250820",
            "2025-08-20 10:30",
        ] {
            assert_eq!(parse_date(s), d, "{s}");
        }
        assert_eq!(parse_date("2025-13-01"), None);
        assert_eq!(parse_date("8月20日"), None);
    }

    // Areas keep their digits; 万㎡ moves the decimal point exactly.
    #[test]
    fn areas() {
        assert_eq!(parse_area("86500.5", false).as_deref(), Some("86500.5"));
        assert_eq!(parse_area("86,500㎡", false).as_deref(), Some("86500"));
        assert_eq!(parse_area("8.65", true).as_deref(), Some("86500"));
        assert_eq!(parse_area("8.650055万", false).as_deref(), Some("86500.55"));
        assert_eq!(parse_area("0.5", true).as_deref(), Some("5000"));
        assert_eq!(parse_area("约8万", false), None);
        assert_eq!(parse_area("1.2.3", false), None);
    }

    // The owners' body is recognised however the sheet phrases it.
    #[test]
    fn owners_body() {
        assert_eq!(parse_owners_body("已成立"), Some(OwnersBody::Committee));
        assert_eq!(parse_owners_body("业委会"), Some(OwnersBody::Committee));
        assert_eq!(
            parse_owners_body("物业管理委员会"),
            Some(OwnersBody::ManagementCommittee)
        );
        assert_eq!(parse_owners_body("未成立"), Some(OwnersBody::None));
        assert_eq!(parse_owners_body("无"), Some(OwnersBody::None));
        assert_eq!(parse_owners_body("筹备中"), None);
    }

    // Rates as percent, fraction or bare percent number; out of range is rejected.
    #[test]
    fn rates() {
        assert_eq!(parse_rate("95%"), Some(0.95));
        assert_eq!(parse_rate("０.９５"), Some(0.95));
        assert_eq!(parse_rate("96.5"), Some(0.965));
        assert_eq!(parse_rate("120%"), None);
        assert_eq!(parse_rate("高"), None);
    }

    // Line breaks inside a one-line cell vanish in Chinese and become spaces in Latin text.
    #[test]
    fn joined_lines() {
        assert_eq!(one_line("阳光花园\n二期"), "阳光花园二期");
        assert_eq!(one_line("Block A\n2"), "Block A 2");
    }
}
