//! The view: a read-only, serialisable picture of the site and its derived facts, built once
//! per build and handed to every template. Every string is ready to show (dates, scores,
//! percentages), so templates do no arithmetic. The view types have no field for an
//! applicant's contact or an expert's name, so neither can reach a page.

mod campaign;
mod cases;
mod estate;
mod publicity;
mod row;

use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;

use super::markdown::{self, Links, TocEntry};
use super::reuse::Plan;
use super::urls::{Urls, path};
use crate::derive::Facts;
use crate::derive::calendar::format_cn;
use crate::model::{Site, SiteConfig};

pub use campaign::{CampaignView, CountyView};
pub use cases::{CaseCard, CaseView, PageView, TagView};
pub use estate::EstateView;
pub use publicity::PublicityView;
pub use row::EstateRow;

/// Everything the templates may read, as `render::values` hands it to tera.
#[derive(Debug, Serialize)]
pub struct View<'a> {
    pub site: SiteView<'a>,
    /// Index-aligned with `Site::campaigns`.
    #[serde(skip)]
    pub campaigns: Vec<CampaignView<'a>>,
    pub pages: Vec<PageView<'a>>,
    /// Every case study of every year, newest first.
    #[serde(skip)]
    pub cases: Vec<CaseCard<'a>>,
    /// Every tag across years, sorted by name.
    #[serde(skip)]
    pub tags: Vec<TagView<'a>>,
    /// Campaign files that some page links to: (source path under the site root, output path).
    #[serde(skip)]
    pub files: Vec<(PathBuf, String)>,
    /// Problems found while rendering Markdown: (content file, message).
    #[serde(skip)]
    pub problems: Vec<(String, String)>,
}

#[derive(Debug, Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub publisher: &'a str,
    pub organizer: Option<&'a str>,
    pub lang: &'a str,
    /// Every link starts with this path, e.g. `/mhjy/`.
    pub base: String,
    /// The home page as an absolute URL.
    pub home_url: String,
    pub domain: String,
    pub contact: ContactView<'a>,
    pub footer: FooterView<'a>,
    /// The site is the bundled example: every page says so.
    pub sample: bool,
    pub today: String,
    pub today_iso: String,
    pub nav: Vec<Link>,
    /// Free pages, linked from the top bar and the footer.
    pub page_links: Vec<Link>,
    pub years: Vec<YearLink<'a>>,
    pub current_year: Option<i32>,
    pub tie_rule: &'static str,
    pub urls: SiteUrls,
}

#[derive(Debug, Serialize)]
pub struct ContactView<'a> {
    pub person: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
    pub address: Option<&'a str>,
}

#[derive(Debug, Serialize)]
pub struct FooterView<'a> {
    pub site_code: Option<&'a str>,
    pub icp: Option<&'a str>,
    pub police: Option<&'a str>,
}

/// A navigation entry; `key` lets a page mark its own column with `aria-current`.
#[derive(Debug, Serialize)]
pub struct Link {
    pub key: String,
    pub label: String,
    pub url: String,
}

#[derive(Debug, Serialize)]
pub struct YearLink<'a> {
    pub year: i32,
    pub title: &'a str,
    pub url: String,
    pub stage: &'static str,
    pub current: bool,
}

#[derive(Debug, Serialize)]
pub struct SiteUrls {
    pub home: String,
    pub archive: String,
    pub cases: String,
    pub search: String,
    pub feed: String,
    pub static_base: String,
}

/// Builds the view of a checked site. Markdown is rendered here, once, in parallel.
pub fn build<'a>(site: &'a Site, facts: &'a Facts, urls: &Urls) -> View<'a> {
    let fresh = Plan::default();
    build_years(site, facts, urls, &|_| &fresh)
}

/// `build`, each year as `plan` says (by index into `Site::campaigns`): of a year taken
/// over whole, only what other years' pages read; of a year made afresh, all but the
/// records taken over (see `campaign::build`).
pub(super) fn build_years<'a, 'k>(
    site: &'a Site,
    facts: &'a Facts,
    urls: &Urls,
    plan: &(dyn Fn(usize) -> &'k Plan<'k> + Sync),
) -> View<'a> {
    let current = site.current_campaign().map(|c| c.year);
    // The years side by side: a year's Markdown is rendered in parallel anyway, but its
    // rows, listings and counties are sequential work.
    let built: Vec<_> = site
        .campaigns
        .par_iter()
        .zip(&facts.campaigns)
        .enumerate()
        .map(|(i, (c, f))| {
            let (mut files, mut problems) = (Vec::new(), Vec::new());
            let is_current = current == Some(c.year);
            let view = campaign::build(
                c,
                f,
                &site.config,
                urls,
                is_current,
                match plan(i) {
                    Plan::Kept(_) => None,
                    Plan::Made(records) => Some(records),
                },
                &mut files,
                &mut problems,
            );
            (view, files, problems)
        })
        .collect();
    // In year order, as if built one after the other.
    let (mut files, mut problems) = (Vec::new(), Vec::new());
    let mut campaigns = Vec::with_capacity(built.len());
    for (view, f, p) in built {
        campaigns.push(view);
        files.extend(f);
        problems.extend(p);
    }
    let pages: Vec<PageView<'a>> = site
        .pages
        .iter()
        .map(|p| cases::page(p, urls, &mut problems))
        .collect();
    let (cases, tags) = cases::across_years(&campaigns, urls);
    View {
        site: site_view(site, facts, urls, &campaigns, &pages),
        campaigns,
        pages,
        cases,
        tags,
        files,
        problems,
    }
}

fn site_view<'a>(
    site: &'a Site,
    facts: &Facts,
    urls: &Urls,
    campaigns: &[CampaignView<'a>],
    pages: &[PageView<'a>],
) -> SiteView<'a> {
    let SiteConfig {
        title,
        publisher,
        organizer,
        language,
        contact,
        footer,
        ..
    } = &site.config;
    let current = site.current_campaign().map(|c| c.year);
    let mut nav = vec![link("home", "首页", urls.link(path::HOME))];
    if let Some(y) = current {
        nav.push(link("notice", "活动通知", urls.link(&path::notice(y))));
        nav.push(link("estates", "推荐小区", urls.link(&path::estates(y))));
        nav.push(link(
            "publicity",
            "评选公示",
            urls.link(&path::publicity(y)),
        ));
        nav.push(link("summary", "推荐汇总表", urls.link(&path::summary(y))));
    }
    nav.push(link("cases", "经验案例", urls.link(path::CASES)));
    nav.push(link("archive", "往年活动", urls.link(path::ARCHIVE)));
    let page_links = pages
        .iter()
        .map(|p| link(&format!("page-{}", p.slug), p.title, p.url.clone()))
        .collect();
    SiteView {
        title,
        publisher,
        organizer: organizer.as_deref(),
        lang: language,
        base: urls.base.clone(),
        home_url: urls.absolute(path::HOME),
        domain: urls.domain().to_string(),
        contact: ContactView {
            person: contact.person.as_deref(),
            phone: contact.phone.as_deref(),
            email: contact.email.as_deref(),
            address: contact.address.as_deref(),
        },
        footer: FooterView {
            site_code: footer.site_code.as_deref(),
            icp: footer.icp.as_deref(),
            police: footer.police.as_deref(),
        },
        sample: title.contains("示例"),
        today: format_cn(facts.today),
        today_iso: facts.today.to_string(),
        nav,
        page_links,
        years: campaigns
            .iter()
            .rev()
            .map(|c| YearLink {
                year: c.year,
                title: c.title,
                url: c.urls.year.clone(),
                stage: c.stage,
                current: Some(c.year) == current,
            })
            .collect(),
        current_year: current,
        tie_rule: crate::derive::scoring::TIE_RULE,
        urls: SiteUrls {
            home: urls.link(path::HOME),
            archive: urls.link(path::ARCHIVE),
            cases: urls.link(path::CASES),
            search: urls.link(path::SEARCH),
            feed: urls.link(path::FEED),
            static_base: urls.link("static/"),
        },
    }
}

fn link(key: &str, label: &str, url: String) -> Link {
    Link {
        key: key.into(),
        label: label.into(),
        url,
    }
}

/// A part of the view listed in several places (an estate's row, a case study's card):
/// every listing shares it, so a copy is a reference count. Serialised as its fields, as
/// if it were not shared.
#[derive(Debug)]
pub struct Shared<T>(std::sync::Arc<T>);

impl<T> Shared<T> {
    fn new(fields: T) -> Self {
        Shared(std::sync::Arc::new(fields))
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: Serialize> Serialize for Shared<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

/// A part of the view built in parallel, with the files it links to and its problems.
type Built<'a, T> = (T, Vec<String>, Vec<(String, String)>);

/// Rendered Markdown as the view keeps it.
#[derive(Debug, Default, Serialize)]
pub struct Body {
    pub html: String,
    pub toc: Vec<TocEntry>,
}

/// Renders one text, recording the files it links to and any problem against `source`.
fn body(
    text: &str,
    links: &Links,
    source: &std::path::Path,
    used: &mut Vec<String>,
    problems: &mut Vec<(String, String)>,
) -> Body {
    let r = markdown::render(text, links);
    used.extend(r.used_files);
    let file = crate::diag::display_path(source);
    problems.extend(r.problems.into_iter().map(|m| (file.clone(), m)));
    Body {
        html: r.html,
        toc: r.toc,
    }
}
