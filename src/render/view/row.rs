//! One estate as a line of a listing: the public fields every table, ranking and notice
//! shows, with display strings computed once.

use serde::Serialize;

use super::Shared;
use crate::derive::calendar::format_cn;
use crate::derive::{CampaignFacts, EstateFacts};
use crate::model::Campaign;
use crate::render::urls::{Urls, path};

/// One line of a listing, with the columns of the summary table (推荐汇总表). An estate
/// is listed five times or more (table, county, ranking, winners, its own record…): every
/// listing shares one row, so a copy is a reference count, not six strings.
pub type EstateRow<'a> = Shared<RowFields<'a>>;

/// The fields of an `EstateRow`.
#[derive(Debug, Serialize)]
pub struct RowFields<'a> {
    /// The estate's place in its year's `Campaign::estates` (and the view's records).
    #[serde(skip)]
    pub index: usize,
    pub slug: &'a str,
    pub name: &'a str,
    pub url: String,
    pub county: &'a str,
    pub county_url: Option<String>,
    pub property_company: &'a str,
    pub households: Option<u32>,
    pub score: Option<String>,
    pub rank: Option<usize>,
    pub satisfaction: Option<String>,
    pub winner: bool,
    pub revoked: bool,
    pub forwarded: bool,
    /// What the estate achieved, e.g. 拟命名 / 异议成立，不予命名.
    pub status: Option<&'static str>,
    pub street: Option<&'a str>,
    pub community: Option<&'a str>,
    pub address: &'a str,
    pub built: Option<i32>,
    pub floor_area: Option<&'a str>,
    pub owners_body: Option<&'static str>,
    pub submitted: Option<String>,
}

pub(super) fn row<'a>(c: &'a Campaign, f: &CampaignFacts, i: usize, urls: &Urls) -> EstateRow<'a> {
    let (e, ef) = (&c.estates[i], &f.estates[i]);
    let county_n = c.counties.iter().position(|k| *k == e.county);
    Shared::new(RowFields {
        index: i,
        slug: &e.slug,
        name: &e.name,
        url: urls.link(&path::estate(c.year, &e.slug)),
        county: &e.county,
        county_url: county_n.map(|n| urls.link(&path::county(c.year, n + 1))),
        property_company: &e.property_company,
        households: e.households,
        score: ef.score.map(|s| s.display()),
        rank: ef.rank,
        satisfaction: ef.satisfaction.map(|r| r.percent()),
        winner: ef.winner,
        revoked: ef.revoked,
        forwarded: ef.forwarded,
        status: status(ef, named_on_build_date(f)),
        street: e.street.as_deref(),
        community: e.community.as_deref(),
        address: &e.address,
        built: e.built,
        floor_area: e.floor_area.as_deref(),
        owners_body: e.owners_body.map(|o| o.label()),
        submitted: e.submitted.map(format_cn),
    })
}

/// The publicity period is over on the build date: winners are named, no longer proposed.
pub(super) fn named_on_build_date(f: &CampaignFacts) -> bool {
    f.publicity
        .as_ref()
        .is_some_and(|p| p.status == crate::derive::PeriodStatus::Over)
}

fn status(ef: &EstateFacts, named: bool) -> Option<&'static str> {
    match (ef.revoked, ef.forwarded, ef.winner, named) {
        (true, ..) => Some("异议成立，不予命名"),
        (_, true, _, false) => Some("拟命名，报送自治区"),
        (_, true, _, true) => Some("已命名，报送自治区"),
        (_, _, true, false) => Some("拟命名"),
        (_, _, true, true) => Some("已命名"),
        _ => None,
    }
}
