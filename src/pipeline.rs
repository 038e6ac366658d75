//! The pipeline in one place: load → validate → derive (→ render → write, in `build`).

use chrono::NaiveDate;
use rayon::prelude::*;
use std::path::Path;

use crate::derive::{self, Facts};
use crate::diag::Diagnostics;
use crate::model::Site;
use crate::{load, validate};

/// The validated site and its derived facts.
pub struct Checked {
    pub site: Site,
    pub facts: Facts,
}

/// Runs every check on the site at `root` for the build date `today`. The site is returned
/// even with errors, so a caller can still summarise; only an error-free site may be built.
pub fn check(root: &Path, today: NaiveDate) -> (Checked, Diagnostics) {
    check_reusing(root, today, None)
}

/// `check`, taking each unchanged year's derived facts from `previous` (the preview's last
/// check; see `derive::derive_reusing`).
pub fn check_reusing(
    root: &Path,
    today: NaiveDate,
    previous: Option<&Checked>,
) -> (Checked, Diagnostics) {
    let mut diags = Diagnostics::default();
    let load_phase = crate::timings::phase("读取与校验");
    let mut site = validate::validate(&load::load_site(root, &mut diags), &mut diags);
    // Years are independent, so they run side by side: one year's sequential steps
    // (listing its folders, reading its settings, sorting its records) overlap another's
    // parallel reading. Each estate's tree is dropped as soon as its record is built (see
    // `campaign_with_records`), so memory holds records, not trees. Newest first: in the
    // preview a save is most often in the current year, the one read again, and started
    // first it overlaps the other years' checks instead of following them.
    let years: Vec<_> = load::campaign_dirs(root)
        .par_iter()
        .rev()
        .map(|dir| {
            let mut d = Diagnostics::default();
            let started = std::time::SystemTime::now();
            let files = load::load_campaign(root, dir, &mut d);
            let make = |d: &mut Diagnostics| {
                validate::campaign_with_records(root, &files, d).map(std::sync::Arc::new)
            };
            // With the preview's cache on, an unchanged year is not read again.
            let campaign = if load::cache::enabled() {
                let read = load::campaign_sources(dir, &files);
                load::cache::remembered_year(dir, started, &read, &files.files, &mut d, make)
            } else {
                make(&mut d)
            };
            (campaign, d)
        })
        .collect();
    // Messages in folder order, as before.
    for (campaign, d) in years.into_iter().rev() {
        diags.extend(d);
        site.campaigns.extend(campaign);
    }
    site.campaigns.sort_by_key(|c| c.year);
    drop(load_phase);
    let _derive = crate::timings::phase("推算与提醒");
    let facts = derive::derive_reusing(&site, today, previous.map(|p| (&p.site, &p.facts)));
    validate::warnings::warnings(&site, &facts, &mut diags);
    (Checked { site, facts }, diags)
}

/// Only the site settings (for `serve`, which needs the base URL before the first build).
pub fn site_config(root: &Path) -> crate::model::SiteConfig {
    let mut diags = Diagnostics::default();
    match load::site_file(root, &mut diags) {
        Some(doc) => validate::site::site_config(&doc, &mut diags),
        None => Default::default(),
    }
}

/// Only the site's regional calendar layer (for `workdays`); empty when there is none.
pub fn calendar_overlay(root: &Path, diags: &mut Diagnostics) -> crate::model::CalendarOverlay {
    match load::calendar_file(root, diags) {
        Some(doc) => validate::site::calendar(&doc, diags),
        None => Default::default(),
    }
}

/// Why a build did not replace the output.
pub enum BuildFailure {
    /// Content errors (and any warnings found on the way), as `check` reports them.
    Content(Diagnostics),
    /// Render, template or file-system errors, already in Chinese.
    Output(Vec<String>),
}

impl BuildFailure {
    /// The errors alone, each formatted as the user sees it (warnings left out).
    pub fn errors(self) -> Vec<String> {
        match self {
            BuildFailure::Content(d) => d
                .sorted()
                .iter()
                .filter(|d| d.is_error())
                .map(|d| d.to_string())
                .collect(),
            BuildFailure::Output(e) => e,
        }
    }
}

/// A finished build: what was written and the warnings that did not stop it.
pub struct Built {
    pub written: crate::render::Written,
    pub warnings: Diagnostics,
}

/// The whole pipeline: check, render into a staging folder beside `output`, and swap it
/// in only when everything succeeded — a failed build leaves `output` untouched.
pub fn build(
    root: &Path,
    output: &Path,
    today: NaiveDate,
    base_url: Option<&str>,
) -> Result<Built, BuildFailure> {
    use crate::write::Staging;
    // A build killed mid-swap on a system without atomic exchange left no output folder;
    // put the previous site back before anything else, even if this build fails.
    crate::write::restore_interrupted(output);
    let _total = crate::timings::phase("全部");
    let (checked, diags) = check(root, today);
    if diags.has_errors() {
        return Err(BuildFailure::Content(diags));
    }
    let base_url = base_url.map_or_else(|| checked.site.config.base_url.clone(), str::to_string);
    let staging = Staging::begin(output).map_err(|e| {
        BuildFailure::Output(vec![format!(
            "无法在 {} 旁边创建临时文件夹：{e}",
            output.display()
        )])
    })?;
    let written =
        match crate::render::render(root, &checked.site, &checked.facts, &base_url, &staging) {
            Ok(w) => w,
            Err(errors) => {
                staging.abort();
                return Err(BuildFailure::Output(errors));
            }
        };
    let commit = crate::timings::phase("替换输出");
    staging.commit().map_err(|e| {
        BuildFailure::Output(vec![format!(
            "无法用新生成的网页替换 {}：{e}",
            output.display()
        )])
    })?;
    drop(commit);
    crate::render::free_later(checked);
    Ok(Built {
        written,
        warnings: diags,
    })
}
