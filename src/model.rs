//! The typed content model: what the content folder says, after validation, before any
//! derivation. It knows nothing of templates or output.

use chrono::NaiveDate;
use std::path::PathBuf;
use std::sync::Arc;

use crate::diag::Pos;

/// Positions of a record's top-level keys, so that later stages can point at a field.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct KeyPositions(pub Vec<(String, Pos)>);

impl KeyPositions {
    /// The key's position, or the top of the file when the key is absent.
    pub fn get(&self, key: &str) -> Pos {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map_or(Pos::new(1, 1), |(_, p)| *p)
    }
}

/// The whole site as read from `content/`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Site {
    pub config: SiteConfig,
    pub pages: Vec<Page>,
    pub calendar: CalendarOverlay,
    /// Sorted by year, oldest first; the last one is the current campaign. Shared, so that
    /// the preview takes an unchanged year over from the previous build without copying it.
    pub campaigns: Vec<std::sync::Arc<Campaign>>,
}

impl Site {
    pub fn current_campaign(&self) -> Option<&Campaign> {
        self.campaigns.last().map(|c| &**c)
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct SiteConfig {
    pub title: String,
    pub base_url: String,
    /// 主办单位
    pub publisher: String,
    /// 承办单位
    pub organizer: Option<String>,
    pub language: String,
    pub theme: String,
    pub contact: Contact,
    pub footer: Footer,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Contact {
    pub person: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Footer {
    /// 网站标识码
    pub site_code: Option<String>,
    /// ICP备案号
    pub icp: Option<String>,
    /// 公安备案号
    pub police: Option<String>,
}

/// A free page (`content/pages/<slug>.md`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Page {
    pub slug: String,
    /// Relative to the site root, for messages.
    pub source: PathBuf,
    pub title: String,
    pub date: Option<NaiveDate>,
    pub summary: Option<String>,
    /// Position in the navigation; lower first, then by slug.
    pub order: i64,
    pub body: Markdown,
}

/// Markdown source text with the line in its file where it starts (for messages).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Markdown {
    pub text: String,
    pub first_line: u32,
}

/// `content/calendar.yaml`: the regional layer over the built-in national schedule.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CalendarOverlay {
    /// Extra days off (e.g. Guangxi's 壮族三月三), each a closed range of days.
    pub holidays: Vec<DayRange>,
    /// Weekend days that are working days (调休上班).
    pub workdays: Vec<NamedDay>,
    /// Years whose complete national schedule this file supplies (beyond the built-in
    /// ones); only these years count as known when a period reaches them.
    pub years: Vec<i32>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DayRange {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NamedDay {
    pub date: NaiveDate,
    pub name: String,
}

/// One year's campaign: `content/campaigns/<year>/`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Campaign {
    pub year: i32,
    /// Where each top-level key of `campaign.yaml` is, for warnings about derived facts.
    pub keys: KeyPositions,
    /// The campaign folder relative to the site root (`content/campaigns/2025`).
    pub dir: PathBuf,
    pub source: PathBuf,
    pub title: String,
    pub document: Document,
    pub counties: Vec<String>,
    pub quota: Quota,
    pub deadlines: Deadlines,
    pub scoring: Scoring,
    pub publicity: Publicity,
    /// As a fraction, e.g. 0.9.
    pub min_satisfaction: Option<f64>,
    pub notice: Option<Notice>,
    /// Sorted by slug. Shared with the preview's cache of records (`load::cache`), which
    /// hands an unchanged file's record back without copying it.
    pub estates: Vec<Arc<Estate>>,
    /// Sorted by slug.
    pub experiences: Vec<Experience>,
    /// Attachments under `files/`, relative to the campaign folder, sorted.
    pub files: Vec<String>,
}

impl Campaign {
    /// Where the estate `slug` is in `estates` (sorted by slug): the first of any equal
    /// slugs, as a scan would find it.
    pub fn estate_index(&self, slug: &str) -> Option<usize> {
        let first = self.estates.partition_point(|e| e.slug.as_str() < slug);
        self.estates
            .get(first)
            .filter(|e| e.slug == slug)
            .map(|_| first)
    }

    /// The estate `slug` (see `estate_index`).
    pub fn estate(&self, slug: &str) -> Option<&Estate> {
        self.estate_index(slug).map(|i| &*self.estates[i])
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Document {
    /// 文号, e.g. 玉住建字〔2025〕18号
    pub number: String,
    pub issued: Option<NaiveDate>,
    pub issuer: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Quota {
    pub per_county_min: u32,
    pub per_county_max: u32,
    pub winners: u32,
    pub forwarded: u32,
}

impl Default for Quota {
    fn default() -> Self {
        Quota {
            per_county_min: 3,
            per_county_max: 5,
            winners: 5,
            forwarded: 2,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Deadlines {
    pub submission: Option<NaiveDate>,
    pub forward: Option<NaiveDate>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ScoreMethod {
    #[default]
    Mean,
    /// Drop one highest and one lowest total; needs at least three experts.
    TrimmedMean,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scoring {
    pub max: Points,
    pub method: ScoreMethod,
    pub criteria: Vec<Criterion>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Criterion {
    pub key: String,
    pub name: String,
    pub max: Points,
}

/// Points in hundredths, so sums and means are exact: 87.5 is `Points(8750)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Points(pub i64);

impl Points {
    /// Two decimals, as every page, feed and export shows a score.
    pub fn display(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let v = self.0.abs();
        format!("{sign}{}.{:02}", v / 100, v % 100)
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Publicity {
    /// Not known until the panel has decided.
    pub start: Option<NaiveDate>,
    pub start_pos: Pos,
    pub working_days: u32,
    pub objections: Contact,
}

/// The campaign document (`notice.md`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Notice {
    pub source: PathBuf,
    pub title: Option<String>,
    pub date: Option<NaiveDate>,
    pub body: Markdown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OwnersBody {
    /// 业主委员会
    Committee,
    /// 物业管理委员会
    ManagementCommittee,
    /// 无
    None,
}

impl OwnersBody {
    pub fn label(self) -> &'static str {
        match self {
            OwnersBody::Committee => "业主委员会",
            OwnersBody::ManagementCommittee => "物业管理委员会",
            OwnersBody::None => "无",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Satisfaction {
    pub surveyed: u32,
    pub satisfied: u32,
}

/// One expert's score sheet. The expert's name is private and never published.
#[derive(Clone, Debug, PartialEq)]
pub struct ScoreSheet {
    pub expert: String,
    /// The sheet's total: given directly, or the sum of its criteria.
    pub total: Points,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjectionOutcome {
    Upheld,
    Dismissed,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Objection {
    pub outcome: ObjectionOutcome,
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Photo {
    /// Relative to the campaign folder, e.g. `files/gate.jpg`; checked to stay inside.
    pub src: String,
    pub alt: String,
}

/// Private applicant contact: kept for staff, never published.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PrivateContact {
    pub person: Option<String>,
    pub phone: Option<String>,
}

/// A nominated estate (`estates/<slug>.yaml`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Estate {
    pub slug: String,
    pub keys: KeyPositions,
    pub source: PathBuf,
    pub name: String,
    pub county: String,
    pub street: Option<String>,
    pub community: Option<String>,
    pub address: String,
    pub built: Option<i32>,
    pub households: Option<u32>,
    /// Square metres as written, e.g. `86500.5`.
    pub floor_area: Option<String>,
    pub property_company: String,
    pub owners_body: Option<OwnersBody>,
    pub party_building: Option<String>,
    pub satisfaction: Option<Satisfaction>,
    pub submitted: Option<NaiveDate>,
    pub submitted_pos: Pos,
    pub contact: PrivateContact,
    pub scores: Vec<ScoreSheet>,
    pub objection: Option<Objection>,
    pub photos: Vec<Photo>,
    pub summary: Option<Markdown>,
}

/// A case study (`experiences/<slug>.md`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Experience {
    pub slug: String,
    pub source: PathBuf,
    pub title: String,
    /// Slug of an estate of the same year.
    pub estate: Option<String>,
    /// Given, or taken from the estate.
    pub county: Option<String>,
    pub tags: Vec<String>,
    pub author: Option<String>,
    pub date: Option<NaiveDate>,
    pub summary: Option<String>,
    pub body: Markdown,
}
