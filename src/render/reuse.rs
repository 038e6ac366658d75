//! What a preview build takes over from the last one: a whole campaign year when nothing
//! it is made from changed, else, within a changed year, each estate's and case study's
//! record whose inputs are all unchanged. Each rule lists every input of what it keeps;
//! `tests/preview.rs` compares the result with a clean build after random edits.

use std::collections::HashMap;
use std::sync::Arc;

use tera::Value;

use super::urls::Urls;
use crate::derive::{CampaignFacts, Facts};
use crate::model::{Campaign, Experience, Site};

/// One campaign year's share of a `Prepared`, for a later preview build to take over.
pub(super) struct YearPart {
    pub year: i32,
    pub is_current: bool,
    /// The year as templates see it (`campaigns.N`).
    pub value: Value,
    /// Where the year's pages are in `Prepared::jobs`.
    pub jobs: std::ops::Range<usize>,
    /// The year's attachments, as `Prepared::attachments` lists them.
    pub files: Vec<(std::path::PathBuf, String)>,
    /// The campaign files each record links to, for taking single records over.
    pub record_files: Arc<RecordFiles>,
}

/// The campaign files (paths under the year's folder) that each record's text and photos
/// link to.
#[derive(Debug, Default)]
pub struct RecordFiles {
    /// Index-aligned with `Campaign::estates`.
    pub estates: Vec<Vec<String>>,
    /// Index-aligned with `Campaign::experiences`.
    pub cases: Vec<Vec<String>>,
}

/// How a campaign year is prepared.
pub(super) enum Plan<'p> {
    /// Taken over whole from the earlier build.
    Kept(&'p YearPart),
    /// Made afresh, except the records given.
    Made(Records<'p>),
}

/// Made afresh, nothing taken over: every year of a clean build.
impl Default for Plan<'_> {
    fn default() -> Self {
        Plan::Made(Records::default())
    }
}

/// Records of a year, taken over from an earlier build instead of made again; empty when
/// none are.
#[derive(Default)]
pub struct Records<'p> {
    /// Index-aligned with `Campaign::estates` (or empty).
    pub estates: Vec<Option<Record<'p>>>,
    /// Index-aligned with `Campaign::experiences` (or empty).
    pub cases: Vec<Option<Record<'p>>>,
}

impl<'p> Records<'p> {
    pub fn estate(&self, i: usize) -> Option<Record<'p>> {
        self.estates.get(i).copied().flatten()
    }

    pub fn case(&self, xi: usize) -> Option<Record<'p>> {
        self.cases.get(xi).copied().flatten()
    }
}

/// One record as the earlier build made it: its tera value and the files it links to.
#[derive(Clone, Copy)]
pub struct Record<'p> {
    pub value: &'p Value,
    pub files: &'p [String],
}

/// What the earlier build made, as `plan` needs it: the site it was made from, its URLs
/// and its years' parts.
pub(super) struct Earlier<'p> {
    pub site: &'p Site,
    pub facts: &'p Facts,
    pub urls: &'p Urls,
    pub parts: &'p [YearPart],
}

impl<'p> Earlier<'p> {
    /// How to prepare the year `c` (with facts `f`), given what the earlier build made.
    pub(super) fn plan(
        &self,
        c: &Campaign,
        f: &CampaignFacts,
        site: &Site,
        urls: &Urls,
        current: Option<i32>,
    ) -> Plan<'p> {
        let Some((j, part)) = self.part(c, site, urls, current) else {
            return Plan::default();
        };
        let (old, old_facts) = (&*self.site.campaigns[j], &self.facts.campaigns[j]);
        // A year taken over unread is the same allocation: no need to compare it.
        if old_facts == f && (std::ptr::eq(old, c) || old == c) {
            return Plan::Kept(part);
        }
        Plan::Made(records(old, old_facts, part, c, f).unwrap_or_default())
    }

    /// The earlier part of the year `c`, with its index, when its pages were made with the
    /// same site settings, URLs and "is current" flag.
    fn part(
        &self,
        c: &Campaign,
        site: &Site,
        urls: &Urls,
        current: Option<i32>,
    ) -> Option<(usize, &'p YearPart)> {
        if *self.urls != *urls || self.site.config != site.config {
            return None;
        }
        let j = self.site.campaigns.iter().position(|p| p.year == c.year)?;
        let part = self.parts.get(j).filter(|p| p.year == c.year)?;
        self.facts.campaigns.get(j)?;
        (part.is_current == (current == Some(c.year))).then_some((j, part))
    }
}

/// The records of the year `c` that are certain to be what making them afresh would give,
/// from the earlier version `old` of the same year. A case study's record is made from its
/// file, the estate it names, and the year's settings (counties, issuer, attachments); an
/// estate's from its file, its facts, its case studies' records, and the year's settings
/// and facts (the publicity period decides 拟命名 or 已命名). So the year's settings and
/// year-wide facts must be equal, and the estates and case studies the same files in the
/// same places (which rules out an added, removed or renamed one); then each record is
/// taken over when its own inputs are equal.
fn records<'p>(
    old: &Campaign,
    old_facts: &CampaignFacts,
    part: &'p YearPart,
    c: &Campaign,
    f: &CampaignFacts,
) -> Option<Records<'p>> {
    let same_places = same_slugs(&old.estates, &c.estates, |e| &e.slug)
        && same_slugs(&old.experiences, &c.experiences, |x| &x.slug);
    if !(same_places && same_settings(old, c) && same_year_facts(old_facts, f)) {
        return None;
    }
    let files = &part.record_files;
    let old_estates = part.value.get_from_path("estates")?.as_array()?;
    // The year's case studies are listed newest first: found by slug.
    let old_cases: HashMap<&str, &Value> = part
        .value
        .get_from_path("cases")?
        .as_array()?
        .iter()
        .filter_map(|v| Some((v.get_from_path("slug")?.as_str()?, v)))
        .collect();
    let cases: Vec<Option<Record>> = c
        .experiences
        .iter()
        .zip(&old.experiences)
        .enumerate()
        .map(|(xi, (x, ox))| {
            if x != ox || named_estate(c, x) != named_estate(old, ox) {
                return None;
            }
            Some(Record {
                value: old_cases.get(x.slug.as_str())?,
                files: files.cases.get(xi)?,
            })
        })
        .collect();
    let estates = c
        .estates
        .iter()
        .zip(&old.estates)
        .zip(f.estates.iter().zip(&old_facts.estates))
        .enumerate()
        .map(|(i, ((e, oe), (ef, oef)))| {
            let same = (Arc::ptr_eq(e, oe) || e == oe)
                && ef == oef
                && ef.experiences.iter().all(|&xi| cases[xi].is_some());
            if !same {
                return None;
            }
            Some(Record {
                value: old_estates.get(i)?,
                files: files.estates.get(i)?,
            })
        })
        .collect();
    Some(Records { estates, cases })
}

fn same_slugs<T>(a: &[T], b: &[T], slug: impl Fn(&T) -> &String) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| slug(x) == slug(y))
}

/// The estate a case study names, as its card shows it.
fn named_estate<'c>(c: &'c Campaign, x: &Experience) -> Option<(&'c str, &'c str)> {
    let e = c.estate(x.estate.as_deref()?)?;
    Some((&e.name, &e.county))
}

/// The year's settings are equal: everything but its estates and case studies. Spelt out
/// field by field, so that a new field has to be placed on one side or the other.
fn same_settings(a: &Campaign, b: &Campaign) -> bool {
    let Campaign {
        year,
        keys,
        dir,
        source,
        title,
        document,
        counties,
        quota,
        deadlines,
        scoring,
        publicity,
        min_satisfaction,
        notice,
        estates: _,
        experiences: _,
        files,
    } = a;
    *year == b.year
        && *keys == b.keys
        && *dir == b.dir
        && *source == b.source
        && *title == b.title
        && *document == b.document
        && *counties == b.counties
        && *quota == b.quota
        && *deadlines == b.deadlines
        && *scoring == b.scoring
        && *publicity == b.publicity
        && *min_satisfaction == b.min_satisfaction
        && *notice == b.notice
        && *files == b.files
}

/// The year's facts are equal but perhaps those of single estates; field by field, as
/// `same_settings`.
fn same_year_facts(a: &CampaignFacts, b: &CampaignFacts) -> bool {
    let CampaignFacts {
        year,
        estates: _,
        ranking,
        winners,
        forwarded,
        counties,
        publicity,
        latest_publicity_start,
        stage,
        milestones,
        scoring_started,
        tags,
    } = a;
    *year == b.year
        && *ranking == b.ranking
        && *winners == b.winners
        && *forwarded == b.forwarded
        && *counties == b.counties
        && *publicity == b.publicity
        && *latest_publicity_start == b.latest_publicity_start
        && *stage == b.stage
        && *milestones == b.milestones
        && *scoring_started == b.scoring_started
        && *tags == b.tags
}
