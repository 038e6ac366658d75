//! One campaign year as the pages show it: the estates (rows and full records), counties,
//! ranking, winners, the timeline and the publicity notice.

use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::cases::{self, CaseCard, CaseView};
use super::estate::{EstateView, estate, row_only};
use super::row::{EstateRow, named_on_build_date, row};
use super::{Body, Built, body};
use crate::derive::calendar::{format_cn, format_period_cn};
use crate::derive::{CampaignFacts, Milestone, Stage, StepState};
use crate::model::{Campaign, ScoreMethod, SiteConfig};
use crate::render::markdown::Links;
use crate::render::reuse::{RecordFiles, Records};
use crate::render::urls::{Urls, path};

#[derive(Debug, Serialize)]
pub struct CampaignView<'a> {
    pub year: i32,
    pub title: &'a str,
    pub is_current: bool,
    pub document: DocumentView<'a>,
    pub notice: Option<NoticeView<'a>>,
    pub stage: &'static str,
    pub stage_key: &'static str,
    pub milestones: Vec<MilestoneView>,
    pub quota: QuotaView,
    pub scoring: ScoringView<'a>,
    pub min_satisfaction: Option<String>,
    // The listings below are converted for tera by `render::values`, one shared value per
    // estate row and case card, not field by field.
    /// Every estate in county order, then rank, then slug.
    #[serde(skip)]
    pub table: Vec<EstateRow<'a>>,
    /// Scored estates, best first.
    #[serde(skip)]
    pub ranking: Vec<EstateRow<'a>>,
    #[serde(skip)]
    pub winners: Vec<EstateRow<'a>>,
    /// Winners that kept their title.
    #[serde(skip)]
    pub named: Vec<EstateRow<'a>>,
    /// The publicity period is over on the build date.
    pub named_final: bool,
    #[serde(skip)]
    pub forwarded: Vec<EstateRow<'a>>,
    #[serde(skip)]
    pub counties: Vec<CountyView<'a>>,
    /// Full records, by slug (index-aligned with `Campaign::estates`); converted by
    /// `render::values` from the shared rows.
    #[serde(skip)]
    pub estates: Vec<EstateView<'a>>,
    /// This year's case studies, newest first; converted by `render::values` from the
    /// shared cards.
    #[serde(skip)]
    pub cases: Vec<CaseView<'a>>,
    /// The files each record links to, for the next preview build.
    #[serde(skip)]
    pub record_files: RecordFiles,
    pub publicity: super::PublicityView<'a>,
    pub urls: CampaignUrls,
}

#[derive(Debug, Serialize)]
pub struct CampaignUrls {
    pub year: String,
    pub notice: String,
    pub estates: String,
    pub publicity: String,
    pub summary: String,
    pub cases: String,
}

#[derive(Debug, Serialize)]
pub struct DocumentView<'a> {
    pub number: &'a str,
    pub issuer: &'a str,
    pub issued: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct NoticeView<'a> {
    pub title: String,
    pub date: Option<String>,
    pub date_iso: Option<String>,
    pub source: &'a str,
    pub body: Body,
}

#[derive(Debug, Serialize)]
pub struct MilestoneView {
    pub label: &'static str,
    pub when: Option<String>,
    pub date_iso: Option<String>,
    /// `done`, `current` or `upcoming`.
    pub state: &'static str,
    pub state_label: &'static str,
}

#[derive(Debug, Serialize)]
pub struct QuotaView {
    pub per_county_min: u32,
    pub per_county_max: u32,
    pub winners: u32,
    pub forwarded: u32,
}

#[derive(Debug, Serialize)]
pub struct ScoringView<'a> {
    pub max: String,
    pub method: &'static str,
    pub criteria: Vec<CriterionView<'a>>,
    pub scored: bool,
}

#[derive(Debug, Serialize)]
pub struct CriterionView<'a> {
    pub name: &'a str,
    pub max: String,
}

#[derive(Debug, Serialize)]
pub struct CountyView<'a> {
    pub n: usize,
    pub name: &'a str,
    pub url: String,
    pub nominees: usize,
    pub within_quota: bool,
    /// Converted by `render::values` (shared rows and cards).
    #[serde(skip)]
    pub estates: Vec<EstateRow<'a>>,
    #[serde(skip)]
    pub cases: Vec<CaseCard<'a>>,
}

/// The year's view. With `made` as `None`, only what pages of other years read is built
/// (the year's own pages and tera value are taken from an earlier build, see
/// `render::prepare_reusing`): its settings, notice, publicity and case studies' cards,
/// with the case studies' texts, every estate listing and record left empty and no files
/// recorded. Otherwise the year in full, but for the records `made` takes over: of those,
/// only the row or card, while the files they link to are recorded as before.
#[allow(clippy::too_many_arguments)]
pub(super) fn build<'a>(
    c: &'a Campaign,
    f: &'a CampaignFacts,
    cfg: &'a SiteConfig,
    urls: &Urls,
    is_current: bool,
    made: Option<&Records>,
    files: &mut Vec<(PathBuf, String)>,
    problems: &mut Vec<(String, String)>,
) -> CampaignView<'a> {
    let full = made.is_some();
    let none = Records::default();
    let kept = made.unwrap_or(&none);
    let y = c.year;
    let files_base = urls.link(&path::year(y));
    let links = Links {
        base: &urls.base,
        files: &c.files,
        files_base: &files_base,
    };
    let mut used: Vec<String> = Vec::new();
    let rows: Vec<EstateRow<'a>> = if full {
        (0..c.estates.len()).map(|i| row(c, f, i, urls)).collect()
    } else {
        Vec::new()
    };
    let pick = |idx: &[usize]| idx.iter().map(|&i| rows[i].clone()).collect::<Vec<_>>();
    // Every listing but the publicity's is left empty without `full`.
    let list = |idx: &[usize]| if full { pick(idx) } else { Vec::new() };
    let winners: Vec<EstateRow<'a>> = if full {
        pick(&f.winners)
    } else {
        f.winners.iter().map(|&i| row(c, f, i, urls)).collect()
    };

    let built_cases: Vec<Built<'a, CaseView<'a>>> = c
        .experiences
        .par_iter()
        .enumerate()
        .map(|(xi, x)| match kept.case(xi) {
            Some(r) => {
                let (card, _, _) = cases::case(c, f, (xi, x), urls, &links, false);
                (card, r.files.to_vec(), Vec::new())
            }
            None => cases::case(c, f, (xi, x), urls, &links, full),
        })
        .collect();
    let mut case_views = Vec::new();
    let mut record_files = RecordFiles::default();
    for (v, u, p) in built_cases {
        used.extend_from_slice(&u);
        record_files.cases.push(u);
        problems.extend(p);
        case_views.push(v);
    }
    let shown: &'a [Arc<crate::model::Estate>] = if full { &c.estates } else { &[] };
    let built_estates: Vec<Built<'a, EstateView<'a>>> = shown
        .par_iter()
        .enumerate()
        .map(|(i, e)| match kept.estate(i) {
            Some(r) => (row_only(e, rows[i].clone()), r.files.to_vec(), Vec::new()),
            None => estate(
                c,
                e,
                &f.estates[i],
                rows[i].clone(),
                &links,
                urls,
                &case_views,
            ),
        })
        .collect();
    let mut estates = Vec::new();
    for (v, u, p) in built_estates {
        used.extend_from_slice(&u);
        record_files.estates.push(u);
        problems.extend(p);
        estates.push(v);
    }
    let notice = c.notice.as_ref().map(|n| {
        let b = body(&n.body.text, &links, &n.source, &mut used, problems);
        NoticeView {
            title: n
                .title
                .clone()
                .unwrap_or_else(|| format!("{}通知", c.title)),
            date: n.date.or(c.document.issued).map(format_cn),
            date_iso: n.date.or(c.document.issued).map(|d| d.to_string()),
            source: &c.document.issuer,
            body: b,
        }
    });
    let counties = f
        .counties
        .iter()
        .filter(|_| full)
        .enumerate()
        .map(|(k, cf)| CountyView {
            n: k + 1,
            name: &c.counties[k],
            url: urls.link(&path::county(y, k + 1)),
            nominees: cf.nominees,
            within_quota: cf.within_quota,
            estates: pick(&cf.estates),
            cases: case_views
                .iter()
                .filter(|cv| cv.card.county == Some(c.counties[k].as_str()))
                .map(|cv| cv.card.clone())
                .collect(),
        })
        .collect();
    used.sort();
    used.dedup();
    if !full {
        used.clear();
    }
    files.extend(used.into_iter().map(|rel| {
        let out = path::file(y, &rel);
        (c.dir.join(&rel), out)
    }));
    let table = f.counties.iter().flat_map(|k| list(&k.estates)).collect();
    cases::sort_newest_first(&mut case_views);
    CampaignView {
        year: y,
        title: &c.title,
        is_current,
        document: DocumentView {
            number: &c.document.number,
            issuer: &c.document.issuer,
            issued: c.document.issued.map(format_cn),
        },
        notice,
        stage: f.stage.label(),
        stage_key: stage_key(f.stage),
        milestones: f.milestones.iter().map(milestone).collect(),
        quota: QuotaView {
            per_county_min: c.quota.per_county_min,
            per_county_max: c.quota.per_county_max,
            winners: c.quota.winners,
            forwarded: c.quota.forwarded,
        },
        scoring: ScoringView {
            max: c.scoring.max.display().trim_end_matches(".00").to_string(),
            method: match c.scoring.method {
                ScoreMethod::Mean => "各位专家评分的平均分",
                ScoreMethod::TrimmedMean => "去掉一个最高分和一个最低分后的平均分",
            },
            criteria: c
                .scoring
                .criteria
                .iter()
                .map(|k| CriterionView {
                    name: &k.name,
                    max: k.max.display(),
                })
                .collect(),
            scored: !f.ranking.is_empty(),
        },
        min_satisfaction: c
            .min_satisfaction
            .map(|m| format!("{}%", (m * 100.0 * 100.0).round() / 100.0)),
        table,
        ranking: list(&f.ranking),
        named: f
            .winners
            .iter()
            .filter(|&&i| full && !f.estates[i].revoked)
            .map(|&i| rows[i].clone())
            .collect(),
        named_final: named_on_build_date(f),
        forwarded: list(&f.forwarded),
        counties,
        estates,
        cases: case_views,
        record_files,
        publicity: super::publicity::publicity(c, f, cfg, winners.clone()),
        winners: if full { winners } else { Vec::new() },
        urls: CampaignUrls {
            year: urls.link(&path::year(y)),
            notice: urls.link(&path::notice(y)),
            estates: urls.link(&path::estates(y)),
            publicity: urls.link(&path::publicity(y)),
            summary: urls.link(&path::summary(y)),
            cases: urls.link(&path::year_cases(y)),
        },
    }
}

fn stage_key(s: Stage) -> &'static str {
    match s {
        Stage::Nominating => "nominating",
        Stage::Reviewing => "reviewing",
        Stage::Publicity => "publicity",
        Stage::Named => "named",
        Stage::Forwarded => "forwarded",
    }
}

fn milestone(m: &Milestone) -> MilestoneView {
    let when = m.date.map(|d| match (m.stage, m.end) {
        (_, Some(end)) => format_period_cn(d, end),
        (Stage::Nominating, _) => format!("{}截止", format_cn(d)),
        (Stage::Reviewing, _) => format!("{}起", format_cn(d)),
        (Stage::Forwarded, _) => format!("{}前", format_cn(d)),
        _ => format_cn(d),
    });
    let (state, state_label) = match m.state {
        StepState::Done => ("done", "已完成"),
        StepState::Current => ("current", "进行中"),
        StepState::Upcoming => ("upcoming", "未开始"),
    };
    MilestoneView {
        label: m.label,
        when,
        date_iso: m.date.map(|d| d.to_string()),
        state,
        state_label,
    }
}
