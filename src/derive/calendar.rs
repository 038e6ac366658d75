//! Working-day calendar: the State Council schedule plus the site's regional layer.
//! TEMPORARY weekday-only stand-in; replaced by the real calendar on merge.

use chrono::{Datelike, NaiveDate, Weekday};

use crate::model::CalendarOverlay;

pub struct Calendar;

pub struct Span {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub skipped: Vec<(NaiveDate, String)>,
    pub unknown_years: Vec<i32>,
}

impl Calendar {
    pub fn new(_overlay: &CalendarOverlay) -> Calendar {
        Calendar
    }
    fn working(&self, d: NaiveDate) -> bool {
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
    }
    pub fn nth_working_day(&self, start: NaiveDate, n: u32) -> Span {
        let mut d = start;
        let mut count = 0;
        let mut skipped = Vec::new();
        let mut first = None;
        loop {
            if self.working(d) {
                first.get_or_insert(d);
                count += 1;
                if count >= n {
                    break;
                }
            } else if first.is_some() {
                skipped.push((d, "周末".to_string()));
            }
            d = d.succ_opt().unwrap();
        }
        Span {
            start: first.unwrap_or(start),
            end: d,
            skipped,
            unknown_years: vec![],
        }
    }
    pub fn latest_start(&self, deadline: NaiveDate, n: u32) -> Option<NaiveDate> {
        let mut d = deadline;
        for _ in 0..400 {
            if self.working(d) && self.nth_working_day(d, n).end <= deadline {
                return Some(d);
            }
            d = d.pred_opt()?;
        }
        None
    }
}

pub fn today_cst() -> NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()
}

pub fn format_cn(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

pub fn format_period_cn(a: NaiveDate, b: NaiveDate) -> String {
    if a.year() == b.year() {
        format!("{}至{}月{}日", format_cn(a), b.month(), b.day())
    } else {
        format!("{}至{}", format_cn(a), format_cn(b))
    }
}
