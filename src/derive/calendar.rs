//! Working-day calendar: the State Council schedule plus the site's regional layer.
//!
//! The publicity period (公示期) is counted in working days, and in China a working day is
//! not simply Monday to Friday: national holidays take weekdays off and some weekend days
//! are worked instead (调休上班). The built-in table holds the published national
//! schedules; `content/calendar.yaml` adds regional days and later years. A year with no
//! data is never guessed at silently: `Calendar::day` says `Unknown`, and a period that
//! reaches such a year lists it in `Span::unknown_years` so callers can warn.

use chrono::{Datelike, FixedOffset, NaiveDate, Utc, Weekday};
use std::collections::{BTreeMap, BTreeSet};

use crate::model::CalendarOverlay;

/// One year of the State Council's holiday notice (国务院办公厅关于某年部分节假日安排的通知).
/// `off` ranges are `(from month, from day, to month, to day, name)` and stay within the
/// year; `work` entries are the weekend days worked, `(month, day, name)`.
struct Schedule {
    year: i32,
    off: &'static [(u32, u32, u32, u32, &'static str)],
    work: &'static [(u32, u32, &'static str)],
}

const NATIONAL: &[Schedule] = &[
    Schedule {
        year: 2025,
        off: &[
            (1, 1, 1, 1, "元旦"),
            (1, 28, 2, 4, "春节"),
            (4, 4, 4, 6, "清明节"),
            (5, 1, 5, 5, "劳动节"),
            (5, 31, 6, 2, "端午节"),
            (10, 1, 10, 8, "国庆节、中秋节"),
        ],
        work: &[
            (1, 26, "春节调休上班"),
            (2, 8, "春节调休上班"),
            (4, 27, "劳动节调休上班"),
            (9, 28, "国庆节、中秋节调休上班"),
            (10, 11, "国庆节、中秋节调休上班"),
        ],
    },
    Schedule {
        year: 2026,
        off: &[
            (1, 1, 1, 3, "元旦"),
            (2, 15, 2, 23, "春节"),
            (4, 4, 4, 6, "清明节"),
            (5, 1, 5, 5, "劳动节"),
            (6, 19, 6, 21, "端午节"),
            (9, 25, 9, 27, "中秋节"),
            (10, 1, 10, 7, "国庆节"),
        ],
        work: &[
            (1, 4, "元旦调休上班"),
            (2, 14, "春节调休上班"),
            (2, 28, "春节调休上班"),
            (5, 9, "劳动节调休上班"),
            (9, 20, "国庆节调休上班"),
            (10, 10, "国庆节调休上班"),
        ],
    },
];

/// What kind of day a date is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Day {
    /// An ordinary Monday to Friday.
    Working,
    /// A day worked by schedule, usually a weekend day (调休上班); carries its name.
    AdjustedWorking(String),
    /// An ordinary Saturday or Sunday.
    Weekend,
    /// A day off by schedule (national or regional); carries the holiday's name.
    Holiday(String),
    /// The year has no schedule, so whether this is a working day is not known.
    Unknown,
}

/// The result of counting working days from a start date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    /// The start date as asked, even when it is not itself a working day.
    pub start: NaiveDate,
    /// The last counted working day.
    pub end: NaiveDate,
    /// Every non-working day from `start` to `end`, with its reason: the holiday's name,
    /// or "周六" / "周日".
    pub skipped: Vec<(NaiveDate, String)>,
    /// Years reached without data, ascending. In them Monday to Friday were assumed to be
    /// working days so that an end date still exists; callers must warn.
    pub unknown_years: Vec<i32>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Special {
    Off(String),
    Work(String),
}

/// The national schedule with the site's regional overlay merged over it.
#[derive(Clone, Debug)]
pub struct Calendar {
    special: BTreeMap<NaiveDate, Special>,
    years: BTreeSet<i32>,
}

impl Default for Calendar {
    /// The built-in national schedule alone.
    fn default() -> Self {
        Calendar::new(&CalendarOverlay::default())
    }
}

impl Calendar {
    /// Merges `overlay` over the built-in schedule. The overlay wins over the built-in
    /// data because it is the local authority's word: an overlay holiday takes a built-in
    /// working day off, an overlay workday turns any day into a working day, and within
    /// the overlay a single workday beats a holiday range that covers it.
    pub fn new(overlay: &CalendarOverlay) -> Calendar {
        let mut special = BTreeMap::new();
        let mut years = BTreeSet::new();
        for s in NATIONAL {
            years.insert(s.year);
            for &(fm, fd, tm, td, name) in s.off {
                mark_off(&mut special, ymd(s.year, fm, fd), ymd(s.year, tm, td), name);
            }
            for &(m, d, name) in s.work {
                special.insert(ymd(s.year, m, d), Special::Work(name.to_owned()));
            }
        }
        for h in &overlay.holidays {
            mark_off(&mut special, h.from, h.to, &h.name);
        }
        for w in &overlay.workdays {
            special.insert(w.date, Special::Work(w.name.clone()));
        }
        years.extend(overlay.years.iter().copied());
        Calendar { special, years }
    }

    /// Whether the full schedule of year `y` is known (built in or supplied by the site).
    pub fn is_known_year(&self, y: i32) -> bool {
        self.years.contains(&y)
    }

    /// What kind of day `d` is. A day named in the data is reported as such even in an
    /// otherwise unknown year; any other day of an unknown year is `Unknown`.
    pub fn day(&self, d: NaiveDate) -> Day {
        match self.special.get(&d) {
            Some(Special::Work(name)) => Day::AdjustedWorking(name.clone()),
            Some(Special::Off(name)) => Day::Holiday(name.clone()),
            None if !self.is_known_year(d.year()) => Day::Unknown,
            None if weekend_name(d).is_some() => Day::Weekend,
            None => Day::Working,
        }
    }

    /// Why `d` is not a working day, or `None` when it is one. Unknown days fall back to
    /// the plain week so that a period can still end; callers report those years.
    fn off_reason(&self, d: NaiveDate) -> Option<String> {
        match self.day(d) {
            Day::Working | Day::AdjustedWorking(_) => None,
            Day::Holiday(name) => Some(name),
            Day::Weekend | Day::Unknown => weekend_name(d).map(str::to_owned),
        }
    }

    /// The period of `n` working days from `start`. The start counts as day 1 when it is
    /// a working day; otherwise counting begins at the next working day, and the days in
    /// between appear in `skipped`.
    ///
    /// `n = 0` is not a period: it returns `end == start` with nothing skipped. Callers
    /// that take `n` from people should reject 0 before calling.
    ///
    /// # Panics
    /// Only if the end would fall outside chrono's date range (n in the tens of millions).
    pub fn nth_working_day(&self, start: NaiveDate, n: u32) -> Span {
        let mut span = Span {
            start,
            end: start,
            skipped: Vec::new(),
            unknown_years: Vec::new(),
        };
        let mut counted = 0;
        let mut d = start;
        while counted < n {
            let y = d.year();
            if !self.is_known_year(y) && span.unknown_years.last() != Some(&y) {
                span.unknown_years.push(y);
            }
            match self.off_reason(d) {
                Some(why) => span.skipped.push((d, why)),
                None => {
                    counted += 1;
                    span.end = d;
                }
            }
            d = d
                .succ_opt()
                .expect("working-day count left chrono's date range");
        }
        span
    }

    /// The latest start date whose `n`-working-day period ends on or before `deadline`.
    ///
    /// That is the n-th working day counted backwards from the last working day on or
    /// before the deadline: any later start moves the first counted day, and so the end,
    /// past that last working day. `n = 0` gives the deadline itself (see
    /// `nth_working_day`). Returns `None` when the walk back would need a year without
    /// data (no silent guess) or runs longer than any real schedule could make it.
    pub fn latest_start(&self, deadline: NaiveDate, n: u32) -> Option<NaiveDate> {
        if n == 0 {
            return Some(deadline);
        }
        // Five working days in seven need 1.4 n days; a year's slack covers any holiday.
        let limit = 2 * u64::from(n) + 366;
        let mut counted = 0;
        let mut d = deadline;
        for _ in 0..limit {
            if !self.is_known_year(d.year()) {
                return None;
            }
            if self.off_reason(d).is_none() {
                counted += 1;
                if counted == n {
                    return Some(d);
                }
            }
            d = d.pred_opt()?;
        }
        None
    }
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("built-in calendar table holds valid dates")
}

/// Marks every day of the closed range as off; an inverted range marks nothing.
fn mark_off(
    special: &mut BTreeMap<NaiveDate, Special>,
    from: NaiveDate,
    to: NaiveDate,
    name: &str,
) {
    for d in from.iter_days().take_while(|d| *d <= to) {
        special.insert(d, Special::Off(name.to_owned()));
    }
}

fn weekend_name(d: NaiveDate) -> Option<&'static str> {
    match d.weekday() {
        Weekday::Sat => Some("周六"),
        Weekday::Sun => Some("周日"),
        _ => None,
    }
}

/// Today's date in China Standard Time (UTC+8, no daylight saving), whatever the
/// machine's own time zone, so a build near midnight dates its pages as staff expect.
pub fn today_cst() -> NaiveDate {
    let cst = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    Utc::now().with_timezone(&cst).date_naive()
}

/// "2025年9月22日": the form used in official documents, without leading zeros.
pub fn format_cn(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// "2025年9月22日至9月29日"; the end keeps its year only when the years differ, and a
/// single day is written once.
pub fn format_period_cn(a: NaiveDate, b: NaiveDate) -> String {
    if a == b {
        format_cn(a)
    } else if a.year() == b.year() {
        format!("{}至{}月{}日", format_cn(a), b.month(), b.day())
    } else {
        format!("{}至{}", format_cn(a), format_cn(b))
    }
}

/// "星期一" … "星期日".
pub fn weekday_cn(d: NaiveDate) -> &'static str {
    match d.weekday() {
        Weekday::Mon => "星期一",
        Weekday::Tue => "星期二",
        Weekday::Wed => "星期三",
        Weekday::Thu => "星期四",
        Weekday::Fri => "星期五",
        Weekday::Sat => "星期六",
        Weekday::Sun => "星期日",
    }
}

/// Reads a date the way staff type it: `2025-09-22`, `2025-9-22`, `2025/9/22`,
/// `2025.9.22` or `2025年9月22日`, also with full-width digits and separators from a
/// Chinese input method. Returns `None` for anything else, including impossible dates.
pub fn parse_date_cn(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let s = s.strip_suffix('日').unwrap_or(s);
    let normal: String = s
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '年' | '月' | '/' | '.' | '－' | '／' | '．' => '-',
            _ => c,
        })
        .collect();
    let mut parts = normal.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(number(y)? as i32, number(m)?, number(d)?)
}

/// A plain run of at most four ASCII digits; `str::parse` alone would also take "+9".
fn number(p: &str) -> Option<u32> {
    let plain = !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit());
    plain.then(|| p.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DayRange, NamedDay};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn work(name: &str) -> Day {
        Day::AdjustedWorking(name.to_owned())
    }

    fn off(name: &str) -> Day {
        Day::Holiday(name.to_owned())
    }

    // Every 2025 and 2026 holiday's first and last day, the days either side, and every
    // adjusted working day classify exactly as the State Council notices say.
    #[test]
    fn national_boundaries() {
        use Day::*;
        let cal = Calendar::default();
        let table: &[(&str, Day)] = &[
            // 2025
            ("2024-12-31", Unknown),
            ("2025-01-01", off("元旦")),
            ("2025-01-02", Working),
            ("2025-01-25", Weekend),
            ("2025-01-26", work("春节调休上班")),
            ("2025-01-27", Working),
            ("2025-01-28", off("春节")),
            ("2025-02-01", off("春节")),
            ("2025-02-04", off("春节")),
            ("2025-02-05", Working),
            ("2025-02-08", work("春节调休上班")),
            ("2025-02-09", Weekend),
            ("2025-04-03", Working),
            ("2025-04-04", off("清明节")),
            ("2025-04-06", off("清明节")),
            ("2025-04-07", Working),
            ("2025-04-27", work("劳动节调休上班")),
            ("2025-04-30", Working),
            ("2025-05-01", off("劳动节")),
            ("2025-05-05", off("劳动节")),
            ("2025-05-06", Working),
            ("2025-05-30", Working),
            ("2025-05-31", off("端午节")),
            ("2025-06-02", off("端午节")),
            ("2025-06-03", Working),
            ("2025-09-27", Weekend),
            ("2025-09-28", work("国庆节、中秋节调休上班")),
            ("2025-09-30", Working),
            ("2025-10-01", off("国庆节、中秋节")),
            ("2025-10-08", off("国庆节、中秋节")),
            ("2025-10-09", Working),
            ("2025-10-11", work("国庆节、中秋节调休上班")),
            ("2025-10-12", Weekend),
            // 2026
            ("2025-12-31", Working),
            ("2026-01-01", off("元旦")),
            ("2026-01-03", off("元旦")),
            ("2026-01-04", work("元旦调休上班")),
            ("2026-01-05", Working),
            ("2026-02-14", work("春节调休上班")),
            ("2026-02-15", off("春节")),
            ("2026-02-23", off("春节")),
            ("2026-02-24", Working),
            ("2026-02-28", work("春节调休上班")),
            ("2026-03-01", Weekend),
            ("2026-04-03", Working),
            ("2026-04-04", off("清明节")),
            ("2026-04-06", off("清明节")),
            ("2026-04-07", Working),
            ("2026-04-30", Working),
            ("2026-05-01", off("劳动节")),
            ("2026-05-05", off("劳动节")),
            ("2026-05-06", Working),
            ("2026-05-09", work("劳动节调休上班")),
            ("2026-06-18", Working),
            ("2026-06-19", off("端午节")),
            ("2026-06-21", off("端午节")),
            ("2026-06-22", Working),
            ("2026-09-20", work("国庆节调休上班")),
            ("2026-09-24", Working),
            ("2026-09-25", off("中秋节")),
            ("2026-09-27", off("中秋节")),
            ("2026-09-28", Working),
            ("2026-09-30", Working),
            ("2026-10-01", off("国庆节")),
            ("2026-10-07", off("国庆节")),
            ("2026-10-08", Working),
            ("2026-10-10", work("国庆节调休上班")),
            ("2026-10-11", Weekend),
            ("2027-01-01", Unknown),
        ];
        for (date, want) in table {
            assert_eq!(cal.day(d(date)), *want, "{date}");
        }
    }

    // The table is internally sane: ranges are ordered and every day worked is a weekend
    // day, so a typo in a future year's entry fails here rather than on a public page.
    #[test]
    fn table_is_consistent() {
        for s in NATIONAL {
            for &(fm, fd, tm, td, name) in s.off {
                assert!(
                    ymd(s.year, fm, fd) <= ymd(s.year, tm, td),
                    "{} {name}",
                    s.year
                );
            }
            for &(m, dd, name) in s.work {
                assert!(
                    weekend_name(ymd(s.year, m, dd)).is_some(),
                    "{} {name}",
                    s.year
                );
            }
        }
    }

    // The brief's own example: Sunday 2025-09-28 is worked, so 7 days from 09-22 end 09-29.
    #[test]
    fn publicity_example_ends_on_29th() {
        let span = Calendar::default().nth_working_day(d("2025-09-22"), 7);
        assert_eq!(span.end, d("2025-09-29"));
        assert_eq!(span.skipped, vec![(d("2025-09-27"), "周六".to_owned())]);
        assert!(span.unknown_years.is_empty());
    }

    // A period over National Day skips 10-01..10-08 and counts Saturday 10-11.
    #[test]
    fn crosses_national_day() {
        let span = Calendar::default().nth_working_day(d("2025-09-30"), 7);
        assert_eq!(span.end, d("2025-10-15"));
        let skipped: Vec<_> = span.skipped.iter().map(|(x, _)| *x).collect();
        let mut want: Vec<_> = d("2025-10-01").iter_days().take(8).collect();
        want.push(d("2025-10-12"));
        assert_eq!(skipped, want);
        assert_eq!(span.skipped[0].1, "国庆节、中秋节");
    }

    // A start on a holiday is not day 1: counting begins at the next working day.
    #[test]
    fn start_on_holiday() {
        let span = Calendar::default().nth_working_day(d("2025-10-01"), 1);
        assert_eq!(span.start, d("2025-10-01"));
        assert_eq!(span.end, d("2025-10-09"));
        assert_eq!(span.skipped.len(), 8);
    }

    // A start on an adjusted working day (Sunday 2025-09-28) counts that Sunday as day 1.
    #[test]
    fn start_on_adjusted_working_day() {
        let cal = Calendar::default();
        assert_eq!(cal.nth_working_day(d("2025-09-28"), 1).end, d("2025-09-28"));
        // 09-28, 09-29, 09-30, then the holiday, then 10-09.
        let span = cal.nth_working_day(d("2025-09-28"), 4);
        assert_eq!(span.end, d("2025-10-09"));
    }

    // n = 0 is documented as an empty period ending on the start.
    #[test]
    fn zero_days() {
        let span = Calendar::default().nth_working_day(d("2025-10-01"), 0);
        assert_eq!((span.start, span.end), (d("2025-10-01"), d("2025-10-01")));
        assert!(span.skipped.is_empty());
    }

    // A period running into 2027 reports the year and assumes Monday to Friday there; a
    // site that supplies 2027 clears the warning and its holiday moves the end.
    #[test]
    fn unknown_year_is_reported() {
        let span = Calendar::default().nth_working_day(d("2026-12-28"), 7);
        assert_eq!(span.end, d("2027-01-05"));
        assert_eq!(span.unknown_years, vec![2027]);
        assert_eq!(span.skipped.len(), 2);
        let overlay = CalendarOverlay {
            holidays: vec![DayRange {
                from: d("2027-01-01"),
                to: d("2027-01-01"),
                name: "元旦".into(),
            }],
            workdays: vec![],
            years: vec![2027],
        };
        let span = Calendar::new(&overlay).nth_working_day(d("2026-12-28"), 7);
        assert_eq!(span.end, d("2027-01-06"));
        assert!(span.unknown_years.is_empty());
    }

    // A regional holiday (a Guangxi-style 壮族三月三 on two weekdays) pushes the end back
    // by two working days.
    #[test]
    fn regional_holiday_moves_end() {
        let start = d("2026-04-20");
        assert_eq!(
            Calendar::default().nth_working_day(start, 7).end,
            d("2026-04-28")
        );
        let overlay = CalendarOverlay {
            holidays: vec![DayRange {
                from: d("2026-04-20"),
                to: d("2026-04-21"),
                name: "壮族三月三".into(),
            }],
            ..Default::default()
        };
        let cal = Calendar::new(&overlay);
        assert_eq!(cal.day(d("2026-04-21")), off("壮族三月三"));
        let span = cal.nth_working_day(start, 7);
        assert_eq!(span.end, d("2026-04-30"));
        assert_eq!(span.skipped[0], (start, "壮族三月三".to_owned()));
    }

    // Overlay entries win over built-in ones and over the plain week: a regional workday
    // on a Saturday, a regional day off on a national workday, a workday inside a range.
    #[test]
    fn overlay_precedence() {
        let overlay = CalendarOverlay {
            holidays: vec![
                DayRange {
                    from: d("2025-09-28"),
                    to: d("2025-09-28"),
                    name: "地方休息日".into(),
                },
                DayRange {
                    from: d("2026-03-02"),
                    to: d("2026-03-04"),
                    name: "地方节日".into(),
                },
            ],
            workdays: vec![
                NamedDay {
                    date: d("2026-03-07"),
                    name: "地方调休上班".into(),
                },
                NamedDay {
                    date: d("2026-03-03"),
                    name: "地方调休上班".into(),
                },
            ],
            years: vec![],
        };
        let cal = Calendar::new(&overlay);
        assert_eq!(cal.day(d("2025-09-28")), off("地方休息日"));
        assert_eq!(cal.day(d("2026-03-02")), off("地方节日"));
        assert_eq!(cal.day(d("2026-03-03")), work("地方调休上班"));
        assert_eq!(cal.day(d("2026-03-07")), work("地方调休上班"));
        assert!(!cal.is_known_year(2027));
        assert!(cal.is_known_year(2025) && cal.is_known_year(2026));
    }

    // latest_start: for the 2025-09-30 forwarding deadline, 7 days must start by 09-23
    // (09-23..26, 28, 29, 30); a holiday deadline falls back to the last working day.
    #[test]
    fn latest_start_examples() {
        let cal = Calendar::default();
        assert_eq!(cal.latest_start(d("2025-09-30"), 7), Some(d("2025-09-23")));
        assert_eq!(cal.latest_start(d("2025-10-08"), 7), Some(d("2025-09-23")));
        assert_eq!(cal.latest_start(d("2025-10-09"), 1), Some(d("2025-10-09")));
        assert_eq!(cal.latest_start(d("2025-10-09"), 0), Some(d("2025-10-09")));
        // Needs 2024, which has no data.
        assert_eq!(cal.latest_start(d("2025-01-03"), 5), None);
    }

    // latest_start agrees with a brute-force search over nth_working_day for every
    // deadline in 2025 and 2026 and several lengths.
    #[test]
    fn latest_start_matches_brute_force() {
        let cal = Calendar::default();
        for deadline in d("2025-03-01")
            .iter_days()
            .take_while(|x| *x <= d("2026-12-31"))
        {
            for n in [1, 5, 7, 15] {
                let brute = deadline
                    .iter_days()
                    .rev()
                    .take(60)
                    .find(|s| cal.nth_working_day(*s, n).end <= deadline);
                assert_eq!(cal.latest_start(deadline, n), brute, "{deadline} {n}");
            }
        }
    }

    // The date helpers write dates as official documents do.
    #[test]
    fn formatting() {
        assert_eq!(format_cn(d("2025-09-22")), "2025年9月22日");
        let same = format_period_cn(d("2025-09-22"), d("2025-09-29"));
        assert_eq!(same, "2025年9月22日至9月29日");
        let across = format_period_cn(d("2025-12-29"), d("2026-01-06"));
        assert_eq!(across, "2025年12月29日至2026年1月6日");
        assert_eq!(
            format_period_cn(d("2025-09-22"), d("2025-09-22")),
            "2025年9月22日"
        );
        assert_eq!(weekday_cn(d("2025-09-22")), "星期一");
        assert_eq!(weekday_cn(d("2025-09-28")), "星期日");
    }

    // Today in CST is never more than a day away from today in UTC.
    #[test]
    fn today_is_plausible() {
        let utc = Utc::now().date_naive();
        let cst = today_cst();
        assert!(cst == utc || cst == utc.succ_opt().unwrap());
    }

    // Dates are accepted in the forms staff type and rejected when impossible.
    #[test]
    fn parsing() {
        for s in [
            "2025-09-22",
            "2025-9-22",
            "2025/9/22",
            "2025.9.22",
            "2025年9月22日",
            " 2025年9月22 ",
            "２０２５年９月２２日",
            "２０２５／９／２２",
        ] {
            assert_eq!(parse_date_cn(s), Some(d("2025-09-22")), "{s}");
        }
        for s in [
            "",
            "2025-13-01",
            "2025-02-30",
            "25-9-22",
            "2025-9",
            "2025-9-22-1",
            "9/22/2025",
            "2025-+9-22",
        ] {
            assert_eq!(parse_date_cn(s), None, "{s}");
        }
    }
}
