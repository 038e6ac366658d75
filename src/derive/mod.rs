//! Derive: facts computed once from the validated model and read by every page, feed,
//! export and message — scores, ranking, winners, publicity period, campaign stage.

pub mod calendar;
pub mod scoring;

use chrono::NaiveDate;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::Arc;

use crate::model::{Campaign, ObjectionOutcome, Points, Site};
use calendar::Calendar;
use scoring::Rate;

/// Everything derived for the whole site on one build date.
#[derive(Clone, Debug, PartialEq)]
pub struct Facts {
    pub today: NaiveDate,
    /// Index-aligned with `Site::campaigns`.
    pub campaigns: Vec<CampaignFacts>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CampaignFacts {
    pub year: i32,
    /// Index-aligned with `Campaign::estates`.
    pub estates: Vec<EstateFacts>,
    /// Scored estates, best first (indices into `Campaign::estates`).
    pub ranking: Vec<usize>,
    /// The top `winners` of the ranking, including any whose title was revoked.
    pub winners: Vec<usize>,
    /// The top `forwarded` of the winners that kept their title.
    pub forwarded: Vec<usize>,
    /// Nominees per county, in the campaign's county order.
    pub counties: Vec<CountyFacts>,
    /// Known once the start date is set.
    pub publicity: Option<PublicityFacts>,
    /// The latest start whose period still ends by the forwarding deadline.
    pub latest_publicity_start: Option<NaiveDate>,
    pub stage: Stage,
    pub milestones: Vec<Milestone>,
    /// Winners are being determined once any estate is scored or publicity is scheduled.
    pub scoring_started: bool,
    /// Case-study tags with the indices of their experiences, sorted by tag.
    pub tags: BTreeMap<String, Vec<usize>>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct EstateFacts {
    pub score: Option<Points>,
    pub experts: usize,
    /// 1-based position in the ranking.
    pub rank: Option<usize>,
    pub satisfaction: Option<Rate>,
    pub late: bool,
    pub winner: bool,
    /// A winner whose objection was upheld: it loses the title.
    pub revoked: bool,
    pub forwarded: bool,
    /// Indices into `Campaign::experiences` that tell this estate's story.
    pub experiences: Vec<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CountyFacts {
    pub name: String,
    pub nominees: usize,
    pub within_quota: bool,
    /// Indices into `Campaign::estates`, by rank then slug.
    pub estates: Vec<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PublicityFacts {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub working_days: u32,
    pub status: PeriodStatus,
    /// Non-working days inside the period, with their reason.
    pub skipped: Vec<(NaiveDate, String)>,
    /// Years the period reaches that the calendar has no schedule for.
    pub unknown_years: Vec<i32>,
    /// The period ends after the forwarding deadline.
    pub too_late: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeriodStatus {
    Upcoming,
    Running,
    Over,
}

impl PeriodStatus {
    pub fn label(self) -> &'static str {
        match self {
            PeriodStatus::Upcoming => "尚未开始",
            PeriodStatus::Running => "公示中",
            PeriodStatus::Over => "已结束",
        }
    }
}

/// Where a campaign stands on the build date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    Nominating,
    Reviewing,
    Publicity,
    Named,
    Forwarded,
}

impl Stage {
    pub fn label(self) -> &'static str {
        match self {
            Stage::Nominating => "申报中",
            Stage::Reviewing => "评审中",
            Stage::Publicity => "公示中",
            Stage::Named => "已命名",
            Stage::Forwarded => "已报送",
        }
    }
}

/// One step of the campaign timeline as the home page shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Milestone {
    pub stage: Stage,
    pub label: &'static str,
    /// The date the step starts or is due, where known.
    pub date: Option<NaiveDate>,
    /// Shown as a period where it has one (the publicity).
    pub end: Option<NaiveDate>,
    pub state: StepState,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepState {
    Done,
    Current,
    Upcoming,
}

/// Derives every fact of the site for the build date `today`.
pub fn derive(site: &Site, today: NaiveDate) -> Facts {
    derive_reusing(site, today, None)
}

/// `derive`, taking a year's facts from `previous` (an earlier site and its facts) where
/// that site held the very same year (the preview's cache shares an unchanged year, see
/// `load::cache::remembered_year`) and the date and calendar are the same.
pub fn derive_reusing(site: &Site, today: NaiveDate, previous: Option<(&Site, &Facts)>) -> Facts {
    let calendar = Calendar::new(&site.calendar);
    let previous = previous.filter(|(s, f)| f.today == today && s.calendar == site.calendar);
    let known = |c: &Arc<Campaign>| {
        let (s, f) = previous?;
        let i = s.campaigns.iter().position(|p| Arc::ptr_eq(p, c))?;
        f.campaigns.get(i).cloned()
    };
    Facts {
        today,
        // Years are independent: side by side.
        campaigns: site
            .campaigns
            .par_iter()
            .map(|c| known(c).unwrap_or_else(|| campaign_facts(c, &calendar, today)))
            .collect(),
    }
}

fn campaign_facts(c: &Campaign, calendar: &Calendar, today: NaiveDate) -> CampaignFacts {
    let scores: Vec<Option<Points>> = c
        .estates
        .iter()
        .map(|e| scoring::aggregate(&e.scores, c.scoring.method))
        .collect();
    let ranking = scoring::rank(&c.estates, &scores);
    let mut estates: Vec<EstateFacts> = c
        .estates
        .iter()
        .zip(&scores)
        .map(|(e, s)| EstateFacts {
            score: *s,
            experts: e.scores.len(),
            satisfaction: e.satisfaction.as_ref().and_then(Rate::of),
            late: matches!((e.submitted, c.deadlines.submission), (Some(s), Some(d)) if s > d),
            ..Default::default()
        })
        .collect();
    for (pos, &i) in ranking.iter().enumerate() {
        estates[i].rank = Some(pos + 1);
    }
    let winners: Vec<usize> = ranking
        .iter()
        .copied()
        .take(c.quota.winners as usize)
        .collect();
    for &i in &winners {
        estates[i].winner = true;
        estates[i].revoked = c.estates[i]
            .objection
            .as_ref()
            .is_some_and(|o| o.outcome == ObjectionOutcome::Upheld);
    }
    let forwarded: Vec<usize> = winners
        .iter()
        .copied()
        .filter(|&i| !estates[i].revoked)
        .take(c.quota.forwarded as usize)
        .collect();
    for &i in &forwarded {
        estates[i].forwarded = true;
    }
    for (xi, x) in c.experiences.iter().enumerate() {
        if let Some(slug) = &x.estate
            && let Some(ei) = c.estate_index(slug)
        {
            estates[ei].experiences.push(xi);
        }
    }
    let counties = c
        .counties
        .iter()
        .map(|name| {
            let mut idx: Vec<usize> = (0..c.estates.len())
                .filter(|&i| &c.estates[i].county == name)
                .collect();
            idx.sort_by_key(|&i| (estates[i].rank.unwrap_or(usize::MAX), i));
            let n = idx.len();
            CountyFacts {
                name: name.clone(),
                nominees: n,
                within_quota: (c.quota.per_county_min as usize..=c.quota.per_county_max as usize)
                    .contains(&n),
                estates: idx,
            }
        })
        .collect();
    let publicity = c.publicity.start.map(|start| {
        let span = calendar.nth_working_day(start, c.publicity.working_days);
        let status = if today < span.start {
            PeriodStatus::Upcoming
        } else if today <= span.end {
            PeriodStatus::Running
        } else {
            PeriodStatus::Over
        };
        PublicityFacts {
            start: span.start,
            end: span.end,
            working_days: c.publicity.working_days,
            status,
            too_late: c.deadlines.forward.is_some_and(|d| span.end > d),
            skipped: span.skipped,
            unknown_years: span.unknown_years,
        }
    });
    let latest_publicity_start = c
        .deadlines
        .forward
        .and_then(|d| calendar.latest_start(d, c.publicity.working_days));
    let stage = stage_on(c, publicity.as_ref(), today);
    let mut tags: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, x) in c.experiences.iter().enumerate() {
        for t in &x.tags {
            tags.entry(t.clone()).or_default().push(i);
        }
    }
    CampaignFacts {
        year: c.year,
        milestones: milestones(c, publicity.as_ref(), stage),
        scoring_started: !ranking.is_empty() || c.publicity.start.is_some(),
        estates,
        ranking,
        winners,
        forwarded,
        counties,
        publicity,
        latest_publicity_start,
        stage,
        tags,
    }
}

fn stage_on(c: &Campaign, p: Option<&PublicityFacts>, today: NaiveDate) -> Stage {
    if c.deadlines.submission.is_none_or(|d| today <= d) && p.is_none_or(|p| today < p.start) {
        return Stage::Nominating;
    }
    match p {
        None => Stage::Reviewing,
        Some(p) if today < p.start => Stage::Reviewing,
        Some(p) if today <= p.end => Stage::Publicity,
        Some(_) if c.deadlines.forward.is_some_and(|d| today > d) => Stage::Forwarded,
        Some(_) => Stage::Named,
    }
}

fn milestones(c: &Campaign, p: Option<&PublicityFacts>, stage: Stage) -> Vec<Milestone> {
    let step = |s: Stage, label, date, end| Milestone {
        stage: s,
        label,
        date,
        end,
        state: match s.cmp(&stage) {
            std::cmp::Ordering::Less => StepState::Done,
            std::cmp::Ordering::Equal => StepState::Current,
            std::cmp::Ordering::Greater => StepState::Upcoming,
        },
    };
    vec![
        step(
            Stage::Nominating,
            "各县（市、区）推荐申报",
            c.deadlines.submission,
            None,
        ),
        step(
            Stage::Reviewing,
            "专家评审",
            c.deadlines.submission.and_then(|d| d.succ_opt()),
            None,
        ),
        step(
            Stage::Publicity,
            "名单公示",
            p.map(|p| p.start),
            p.map(|p| p.end),
        ),
        step(
            Stage::Named,
            "命名“美好家园”小区",
            p.and_then(|p| p.end.succ_opt()),
            None,
        ),
        step(
            Stage::Forwarded,
            "报送自治区住房城乡建设厅",
            c.deadlines.forward,
            None,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        Campaign, Deadlines, Estate, Objection, Publicity, Satisfaction, ScoreSheet, Scoring,
    };

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn estate(slug: &str, totals: &[i64]) -> Estate {
        Estate {
            slug: slug.into(),
            name: slug.into(),
            county: "玉州区".into(),
            satisfaction: Some(Satisfaction {
                surveyed: 100,
                satisfied: 95,
            }),
            scores: totals
                .iter()
                .map(|&t| ScoreSheet {
                    expert: "专家".into(),
                    total: Points(t),
                })
                .collect(),
            ..Default::default()
        }
    }

    fn campaign(estates: Vec<Estate>) -> Campaign {
        Campaign {
            year: 2025,
            counties: vec!["玉州区".into()],
            estates: estates.into_iter().map(std::sync::Arc::new).collect(),
            deadlines: Deadlines {
                submission: Some(d("2025-08-29")),
                forward: Some(d("2025-09-30")),
            },
            scoring: Scoring {
                max: Points(10000),
                ..Default::default()
            },
            publicity: Publicity {
                start: Some(d("2025-09-22")),
                working_days: 7,
                ..Default::default()
            },
            quota: crate::model::Quota {
                per_county_min: 1,
                per_county_max: 9,
                winners: 3,
                forwarded: 2,
            },
            ..Default::default()
        }
    }

    fn site(c: Campaign) -> Site {
        Site {
            campaigns: vec![c.into()],
            ..Default::default()
        }
    }

    // An upheld objection takes the title away and passes forwarding to the next winner.
    #[test]
    fn upheld_objection_changes_forwarded() {
        let mut estates = vec![
            estate("a", &[9500]),
            estate("b", &[9000]),
            estate("c", &[8500]),
            estate("d", &[8000]),
        ];
        estates[0].objection = Some(Objection {
            outcome: ObjectionOutcome::Upheld,
            note: None,
        });
        let f = derive(&site(campaign(estates)), d("2025-10-10"));
        let c = &f.campaigns[0];
        assert_eq!(c.winners, vec![0, 1, 2]);
        assert!(c.estates[0].revoked && !c.estates[0].forwarded);
        assert_eq!(c.forwarded, vec![1, 2]);
        assert!(!c.estates[3].winner);
    }

    // A dismissed objection changes nothing.
    #[test]
    fn dismissed_objection_keeps_title() {
        let mut estates = vec![estate("a", &[9500]), estate("b", &[9000])];
        estates[0].objection = Some(Objection {
            outcome: ObjectionOutcome::Dismissed,
            note: None,
        });
        let f = derive(&site(campaign(estates)), d("2025-10-10"));
        assert_eq!(f.campaigns[0].forwarded, vec![0, 1]);
    }

    // The publicity period follows the official calendar: 09-22 + 7 ends 09-29.
    #[test]
    fn publicity_period_and_status() {
        let s = site(campaign(vec![estate("a", &[9000])]));
        let status = |day| derive(&s, d(day)).campaigns[0].publicity.clone().unwrap();
        let p = status("2025-09-21");
        assert_eq!((p.start, p.end), (d("2025-09-22"), d("2025-09-29")));
        assert_eq!(p.status, PeriodStatus::Upcoming);
        assert_eq!(status("2025-09-22").status, PeriodStatus::Running);
        assert_eq!(status("2025-09-29").status, PeriodStatus::Running);
        assert_eq!(status("2025-09-30").status, PeriodStatus::Over);
        assert!(!p.too_late);
        assert_eq!(
            derive(&s, d("2025-09-01")).campaigns[0].latest_publicity_start,
            Some(d("2025-09-23"))
        );
    }

    // An earlier site's facts are taken only for the very same year on the same date
    // and calendar: a holiday added in the calendar moves the publicity's end.
    #[test]
    fn facts_reused_only_for_the_same_year_date_and_calendar() {
        let before = site(campaign(vec![estate("a", &[9000])]));
        let today = d("2025-09-21");
        let facts = derive(&before, today);
        let mut after = before.clone();
        assert_eq!(
            derive_reusing(&after, today, Some((&before, &facts))),
            facts
        );
        after.calendar.holidays.push(crate::model::DayRange {
            from: d("2025-09-24"),
            to: d("2025-09-24"),
            name: "假日".into(),
        });
        let fresh = derive(&after, today);
        assert_ne!(fresh, facts);
        assert_eq!(
            derive_reusing(&after, today, Some((&before, &facts))),
            fresh
        );
        let later = d("2025-09-30");
        assert_eq!(
            derive_reusing(&before, later, Some((&before, &facts))),
            derive(&before, later)
        );
        // An equal year that is not the same one (it was read again) is derived afresh.
        let mut edited = before.clone();
        let mut c = (*edited.campaigns[0]).clone();
        c.publicity.working_days = 8;
        edited.campaigns[0] = c.into();
        assert_eq!(
            derive_reusing(&edited, today, Some((&before, &facts))),
            derive(&edited, today)
        );
    }

    // The stage moves from nominating through review, publicity and naming to forwarding.
    #[test]
    fn stages_over_time() {
        let s = site(campaign(vec![estate("a", &[9000])]));
        let stage = |day| derive(&s, d(day)).campaigns[0].stage;
        assert_eq!(stage("2025-08-29"), Stage::Nominating);
        assert_eq!(stage("2025-08-30"), Stage::Reviewing);
        assert_eq!(stage("2025-09-25"), Stage::Publicity);
        assert_eq!(stage("2025-09-30"), Stage::Named);
        assert_eq!(stage("2025-10-01"), Stage::Forwarded);
    }

    // A period starting too late is flagged against the forwarding deadline.
    #[test]
    fn late_publicity_is_flagged() {
        let mut c = campaign(vec![estate("a", &[9000])]);
        c.publicity.start = Some(d("2025-09-25"));
        let f = derive(&site(c), d("2025-09-01"));
        let p = f.campaigns[0].publicity.clone().unwrap();
        // 25, 26, 28 (a Sunday worked), 29, 30, then the National Day break, then 10-09, 10-10.
        assert_eq!(p.end, d("2025-10-10"));
        assert!(p.too_late);
    }

    // The trimmed mean ignores an outlier sheet; equal results fall back to the tie rule.
    #[test]
    fn trimmed_mean_ranking() {
        let mut c = campaign(vec![
            estate("a", &[9000, 9100, 9200, 5000, 9900]),
            estate("b", &[9100, 9100, 9100, 9100, 9100]),
        ]);
        c.scoring.method = crate::model::ScoreMethod::TrimmedMean;
        let f = derive(&site(c), d("2025-10-10"));
        let cf = &f.campaigns[0];
        assert_eq!(cf.estates[0].score, Some(Points(9100)));
        assert_eq!(cf.estates[1].score, Some(Points(9100)));
        // Same score and satisfaction and no submission dates: slug decides.
        assert_eq!(cf.ranking, vec![0, 1]);
    }
}
