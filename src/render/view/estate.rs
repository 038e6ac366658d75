//! One estate's own page: its public record, satisfaction, photos, objection and case studies.

use serde::Serialize;

use super::cases::{CaseCard, CaseView};
use super::row::EstateRow;
use super::{Body, Built, body};
use crate::derive::EstateFacts;
use crate::model::{Campaign, Estate, ObjectionOutcome};
use crate::render::markdown::Links;
use crate::render::urls::{Urls, path};

/// A full estate record: public fields only. Templates see one flat map: the row's fields
/// and the detail's side by side.
#[derive(Debug, Serialize)]
pub struct EstateView<'a> {
    #[serde(flatten)]
    pub row: EstateRow<'a>,
    #[serde(flatten)]
    pub detail: EstateDetail<'a>,
    /// Converted by `render::values` (shared cards).
    #[serde(skip)]
    pub cases: Vec<CaseCard<'a>>,
    #[serde(skip)]
    pub source: &'a std::path::Path,
}

/// What an estate's own page shows beyond its row.
#[derive(Debug, Default, Serialize)]
pub struct EstateDetail<'a> {
    pub party_building: Option<&'a str>,
    pub surveyed: Option<u32>,
    pub satisfied: Option<u32>,
    pub below_min: bool,
    pub photos: Vec<PhotoView<'a>>,
    pub summary: Option<Body>,
    pub objection: Option<ObjectionView<'a>>,
}

#[derive(Debug, Serialize)]
pub struct PhotoView<'a> {
    pub url: String,
    pub alt: &'a str,
}

#[derive(Debug, Serialize)]
pub struct ObjectionView<'a> {
    pub upheld: bool,
    pub label: &'static str,
    pub note: Option<&'a str>,
}

/// An estate whose record is taken over from an earlier build (see
/// `render::reuse::Records`): its row alone, for the listings and its page's metadata.
pub(super) fn row_only<'a>(e: &'a Estate, row: EstateRow<'a>) -> EstateView<'a> {
    EstateView {
        row,
        detail: EstateDetail::default(),
        cases: Vec::new(),
        source: &e.source,
    }
}

pub(super) fn estate<'a>(
    c: &'a Campaign,
    e: &'a Estate,
    ef: &'a EstateFacts,
    row: EstateRow<'a>,
    links: &Links,
    urls: &Urls,
    cases: &[CaseView<'a>],
) -> Built<'a, EstateView<'a>> {
    let (mut used, mut problems) = (Vec::new(), Vec::new());
    let summary = e
        .summary
        .as_ref()
        .map(|m| body(&m.text, links, &e.source, &mut used, &mut problems));
    used.extend(e.photos.iter().map(|p| p.src.clone()));
    let detail = EstateDetail {
        party_building: e.party_building.as_deref(),
        surveyed: e.satisfaction.map(|s| s.surveyed),
        satisfied: e.satisfaction.map(|s| s.satisfied),
        below_min: matches!((ef.satisfaction, c.min_satisfaction), (Some(r), Some(m)) if r.as_f64() < m),
        photos: e
            .photos
            .iter()
            .map(|p| PhotoView {
                url: urls.link(&path::file(c.year, &p.src)),
                alt: &p.alt,
            })
            .collect(),
        summary,
        objection: e.objection.as_ref().map(|o| ObjectionView {
            upheld: o.outcome == ObjectionOutcome::Upheld,
            label: match o.outcome {
                ObjectionOutcome::Upheld => "公示期间收到异议，经核查异议成立",
                ObjectionOutcome::Dismissed => "公示期间收到异议，经核查异议不成立",
            },
            note: o.note.as_deref(),
        }),
    };
    let view = EstateView {
        row,
        detail,
        cases: ef
            .experiences
            .iter()
            // `cases` is still index-aligned with `c.experiences` here.
            .filter_map(|&xi| {
                let slug = c.experiences[xi].slug.as_str();
                cases
                    .get(xi)
                    .filter(|v| v.card.slug == slug)
                    .or_else(|| cases.iter().find(|v| v.card.slug == slug))
            })
            .map(|v| v.card.clone())
            .collect(),
        source: &e.source,
    };
    (view, used, problems)
}
