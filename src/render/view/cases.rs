//! Case studies (one year's and across years), their tags, and the free pages.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Body, Built, Shared, body};
use crate::derive::CampaignFacts;
use crate::derive::calendar::format_cn;
use crate::model::{Campaign, Experience, Page};
use crate::render::markdown::Links;
use crate::render::urls::{Urls, path, tag_id};

/// A case study as listings show it. A card is listed several times (its year, its
/// county, every tag, the site-wide list, its estate): each listing shares one card, so a
/// copy is a reference count, not a dozen strings.
pub type CaseCard<'a> = Shared<CardFields<'a>>;

/// The fields of a `CaseCard`.
#[derive(Debug, Serialize)]
pub struct CardFields<'a> {
    pub slug: &'a str,
    pub year: i32,
    pub title: &'a str,
    pub url: String,
    pub date: Option<String>,
    pub date_iso: Option<String>,
    pub summary: Option<&'a str>,
    /// 信息来源: the author, else the campaign's issuer.
    pub source: &'a str,
    pub estate_name: Option<&'a str>,
    pub estate_url: Option<String>,
    pub county: Option<&'a str>,
    pub county_url: Option<String>,
    pub tags: Vec<TagLink<'a>>,
}

#[derive(Clone, Debug, Serialize)]
pub struct TagLink<'a> {
    pub name: &'a str,
    pub url: String,
}

/// A case study's own page.
#[derive(Debug, Serialize)]
pub struct CaseView<'a> {
    #[serde(flatten)]
    pub card: CaseCard<'a>,
    pub body: Body,
    #[serde(skip)]
    pub source_file: &'a std::path::Path,
    /// Its place in `Campaign::experiences`.
    #[serde(skip)]
    pub index: usize,
}

/// One tag with its case studies of every year, newest first.
#[derive(Debug, Serialize)]
pub struct TagView<'a> {
    pub name: &'a str,
    pub id: String,
    pub url: String,
    /// Converted by `render::values` (shared cards).
    #[serde(skip)]
    pub cases: Vec<CaseCard<'a>>,
}

#[derive(Debug, Serialize)]
pub struct PageView<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub url: String,
    pub date: Option<String>,
    pub date_iso: Option<String>,
    pub summary: Option<&'a str>,
    pub body: Body,
    #[serde(skip)]
    pub source: &'a std::path::Path,
}

/// A case study's card and page; without `text`, its card alone (the body left empty).
pub(super) fn case<'a>(
    c: &'a Campaign,
    _f: &CampaignFacts,
    (index, x): (usize, &'a Experience),
    urls: &Urls,
    links: &Links,
    text: bool,
) -> Built<'a, CaseView<'a>> {
    let (mut used, mut problems) = (Vec::new(), Vec::new());
    let b = if text {
        body(&x.body.text, links, &x.source, &mut used, &mut problems)
    } else {
        Body::default()
    };
    let estate = x.estate.as_deref().and_then(|s| c.estate(s));
    let county = x.county.as_deref().or(estate.map(|e| e.county.as_str()));
    let county_n = county.and_then(|k| c.counties.iter().position(|n| n == k));
    let card = Shared::new(CardFields {
        slug: &x.slug,
        year: c.year,
        title: &x.title,
        url: urls.link(&path::case(c.year, &x.slug)),
        date: x.date.map(format_cn),
        date_iso: x.date.map(|d| d.to_string()),
        summary: x.summary.as_deref(),
        source: x.author.as_deref().unwrap_or(&c.document.issuer),
        estate_name: estate.map(|e| e.name.as_str()),
        estate_url: estate.map(|e| urls.link(&path::estate(c.year, &e.slug))),
        county,
        county_url: county_n.map(|n| urls.link(&path::county(c.year, n + 1))),
        tags: x
            .tags
            .iter()
            .map(|t| TagLink {
                name: t,
                url: urls.link(&path::tag(&tag_id(t))),
            })
            .collect(),
    });
    let view = CaseView {
        card,
        body: b,
        source_file: &x.source,
        index,
    };
    (view, used, problems)
}

pub(super) fn sort_newest_first(cases: &mut [CaseView]) {
    cases.sort_by(|a, b| newest_first(&a.card, &b.card));
}

/// Dated cases newest first, then undated; ties by year (newest) and slug.
fn newest_first(a: &CaseCard, b: &CaseCard) -> std::cmp::Ordering {
    fn key<'c>(c: &'c CaseCard) -> (bool, std::cmp::Reverse<Option<&'c str>>) {
        (
            c.date_iso.is_none(),
            std::cmp::Reverse(c.date_iso.as_deref()),
        )
    }
    key(a)
        .cmp(&key(b))
        .then(b.year.cmp(&a.year))
        .then(a.slug.cmp(b.slug))
}

/// Every case study of the site, newest first, and every tag with its cases.
pub(super) fn across_years<'a>(
    campaigns: &[super::CampaignView<'a>],
    urls: &Urls,
) -> (Vec<CaseCard<'a>>, Vec<TagView<'a>>) {
    let mut all: Vec<CaseCard<'a>> = campaigns
        .iter()
        .flat_map(|c| c.cases.iter().map(|v| v.card.clone()))
        .collect();
    all.sort_by(newest_first);
    let mut by_tag: BTreeMap<&'a str, Vec<CaseCard<'a>>> = BTreeMap::new();
    for card in &all {
        for t in &card.tags {
            by_tag.entry(t.name).or_default().push(card.clone());
        }
    }
    let tags = by_tag
        .into_iter()
        .map(|(name, cases)| {
            let id = tag_id(name);
            TagView {
                name,
                url: urls.link(&path::tag(&id)),
                id,
                cases,
            }
        })
        .collect();
    (all, tags)
}

pub(super) fn page<'a>(
    p: &'a Page,
    urls: &Urls,
    problems: &mut Vec<(String, String)>,
) -> PageView<'a> {
    let links = Links {
        base: &urls.base,
        files: &[],
        files_base: &urls.base,
    };
    let mut used = Vec::new();
    PageView {
        slug: &p.slug,
        title: &p.title,
        url: urls.link(&path::page(&p.slug)),
        date: p.date.map(format_cn),
        date_iso: p.date.map(|d| d.to_string()),
        summary: p.summary.as_deref(),
        body: body(&p.body.text, &links, &p.source, &mut used, problems),
        source: &p.source,
    }
}
