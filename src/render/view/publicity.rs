//! The publicity notice (公示) of one campaign: its title, basis, list, period and status on
//! the build date, and the objection channels.

use serde::Serialize;

use super::row::EstateRow;
use crate::derive::CampaignFacts;
use crate::derive::calendar::{format_cn, format_period_cn};
use crate::model::{Campaign, SiteConfig};

#[derive(Debug, Serialize)]
pub struct PublicityView<'a> {
    /// The start date is set, so the list is public.
    pub decided: bool,
    pub title: String,
    pub honour: String,
    /// The honour as it stands inside quotation marks: its own quotes become ‘’.
    pub honour_quoted: String,
    pub basis: String,
    pub rows: Vec<EstateRow<'a>>,
    pub any_revoked: bool,
    pub period: Option<String>,
    pub start: Option<String>,
    pub start_iso: Option<String>,
    pub end: Option<String>,
    pub working_days: u32,
    pub status: Option<&'static str>,
    pub status_key: Option<&'static str>,
    pub skipped: Vec<String>,
    pub unknown_years: Vec<i32>,
    pub latest_start: Option<String>,
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
    pub address: Option<&'a str>,
    pub issuer: &'a str,
}

/// The city in the honour's name, taken from the issuer (`玉林市住房和城乡建设局` → `玉林市`).
fn city(issuer: &str) -> &str {
    issuer
        .find('市')
        .map_or("", |i| &issuer[..i + '市'.len_utf8()])
}

pub(super) fn publicity<'a>(
    c: &'a Campaign,
    f: &CampaignFacts,
    cfg: &'a SiteConfig,
    rows: Vec<EstateRow<'a>>,
) -> PublicityView<'a> {
    let honour = format!("{}年度{}“美好家园”小区", c.year, city(&c.document.issuer));
    let notice_title = c
        .notice
        .as_ref()
        .and_then(|n| n.title.clone())
        .unwrap_or_else(|| format!("关于开展{}的通知", c.title));
    // A title inside 《》 takes 〈〉 for its own inner book-title marks.
    let notice_title = notice_title.replace('《', "〈").replace('》', "〉");
    let number = if c.document.number.is_empty() {
        String::new()
    } else {
        format!("（{}）", c.document.number)
    };
    let basis = format!(
        "根据《{notice_title}》{number}要求，经各县（市、区）推荐、专家评审，拟将以下{}个小区命名为“{}”，现予以公示。",
        rows.len(),
        quoted(&honour)
    );
    let p = f.publicity.as_ref();
    let issuer: &'a str = if c.document.issuer.is_empty() {
        &cfg.publisher
    } else {
        &c.document.issuer
    };
    PublicityView {
        decided: p.is_some(),
        title: format!("关于拟命名{honour}的公示"),
        honour_quoted: quoted(&honour),
        honour,
        basis,
        any_revoked: rows.iter().any(|r| r.revoked),
        rows,
        period: p.map(|p| format_period_cn(p.start, p.end)),
        start: p.map(|p| format_cn(p.start)),
        start_iso: p.map(|p| p.start.to_string()),
        end: p.map(|p| format_cn(p.end)),
        working_days: c.publicity.working_days,
        status: p.map(|p| p.status.label()),
        status_key: p.map(|p| match p.status {
            crate::derive::PeriodStatus::Upcoming => "upcoming",
            crate::derive::PeriodStatus::Running => "running",
            crate::derive::PeriodStatus::Over => "over",
        }),
        skipped: p.map_or_else(Vec::new, |p| {
            p.skipped
                .iter()
                .map(|(d, why)| format!("{}（{why}）", format_cn(*d)))
                .collect()
        }),
        unknown_years: p.map_or_else(Vec::new, |p| p.unknown_years.clone()),
        latest_start: f.latest_publicity_start.map(format_cn),
        phone: c.publicity.objections.phone.as_deref(),
        email: c.publicity.objections.email.as_deref(),
        address: c.publicity.objections.address.as_deref(),
        issuer,
    }
}

/// Text placed inside “…” takes ‘…’ for its own quotation marks.
fn quoted(s: &str) -> String {
    s.replace('“', "‘").replace('”', "’")
}

#[cfg(test)]
mod tests {
    // The city is read from the issuer for the honour's name.
    #[test]
    fn city_from_issuer() {
        assert_eq!(super::city("玉林市住房和城乡建设局"), "玉林市");
        assert_eq!(super::city("住建局"), "");
    }
}
