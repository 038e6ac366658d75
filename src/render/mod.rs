//! Render: the validated site and its derived facts become files. Two branches run side
//! by side from the start: the view, its tera values and every page (rendered in parallel,
//! each link-checked as it is written), with the feed, sitemap and attachments; and the
//! outputs that need only the site — theme files, summary tables, the search index.

pub mod engine;
pub mod feed;
pub mod markdown;
pub mod pages;
mod reuse;
pub mod search;
pub mod theme;
pub mod urls;
pub mod values;
pub mod view;

use std::collections::HashSet;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use tera::Value;

use crate::derive::Facts;
use crate::model::Site;
use crate::timings::phase;
use crate::write::{Staging, links};
use urls::Urls;

pub use reuse::RecordFiles;
use reuse::{Earlier, Plan, YearPart};

/// What a successful render wrote.
#[derive(Debug, Default)]
pub struct Written {
    pub pages: usize,
    pub files: usize,
}

/// Where a build's output goes: a file's path under the output folder, and its bytes.
pub type Put<'a> = dyn Fn(&str, &[u8]) + Sync + 'a;

/// Where problems go, in Chinese.
pub type Fail<'a> = dyn Fn(String) + Sync + 'a;

/// Renders the checked site at `root` into `staging`. On failure every problem found is
/// returned, in Chinese, and the caller discards the staging folder.
pub fn render(
    root: &Path,
    site: &Site,
    facts: &Facts,
    base_url: &str,
    staging: &Staging,
) -> Result<Written, Vec<String>> {
    let _render = phase("渲染与写入");
    let errors = Mutex::new(Vec::new());
    let fail = |msg: String| errors.lock().unwrap_or_else(|e| e.into_inner()).push(msg);
    let put = |rel: &str, bytes: &[u8]| {
        if let Err(e) = staging.put(rel, bytes) {
            fail(format!("无法写入 {rel}：{e}"));
        }
    };
    // Set when the pages cannot be made, so the side stops early.
    let failed = AtomicBool::new(false);
    // The view and the pages on both cores; beside them from the start, the outputs that
    // need only the site: summary tables and the search index.
    let (pages, side_files) = rayon::join(
        || {
            let prepared = prepare(root, site, facts, base_url);
            failed.store(prepared.is_err(), Ordering::Relaxed);
            let prepared = prepared?;
            for (rel, bytes) in &prepared.generated {
                put(rel, bytes);
            }
            for (src, out) in &prepared.attachments {
                match read_attachment(root, src) {
                    Ok(bytes) => put(out, &bytes),
                    Err(e) => fail(e),
                }
            }
            let broken = render_pages(&prepared, &put, &fail);
            let counts = (prepared.jobs.len(), prepared.targets().len());
            free_later(prepared);
            Ok::<_, Vec<String>>((counts.0, counts.1, broken))
        },
        || tables_and_search(site, facts, &put, &fail, &failed),
    );
    let (pages, files, broken) = pages?;
    let errors = reported(
        errors.into_inner().unwrap_or_else(|e| e.into_inner()),
        broken,
    );
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Written {
        pages,
        files: files + side_files,
    })
}

/// What a build reports, sorted: its failures (files it could not write or read, pages
/// it could not render), or when there are none its broken links, each once.
pub fn reported(mut failures: Vec<String>, mut broken: Vec<String>) -> Vec<String> {
    if failures.is_empty() {
        broken.sort();
        broken.dedup();
        return broken;
    }
    failures.sort();
    failures
}

/// The outputs that need only the site: each year's summary tables, then the search
/// index; returns how many files were made. Stops before the index once `stop` is set.
pub fn tables_and_search(
    site: &Site,
    facts: &Facts,
    put: &Put,
    fail: &Fail,
    stop: &AtomicBool,
) -> usize {
    let side = phase("汇总表与主题文件");
    let mut made = 0;
    for (rel, bytes) in summary_files(site, facts) {
        match bytes {
            Ok(b) => put(&rel, &b),
            Err(e) => fail(e),
        }
    }
    drop(side);
    if stop.load(Ordering::Relaxed) {
        return 0;
    }
    // The search index does not depend on rendered pages; no page links to its files, so
    // they stay out of the link check's set.
    let _search = phase("搜索索引");
    search_index(site, |rel, bytes| {
        put(rel, bytes);
        made += 1;
    });
    made
}

/// Everything but the summary tables and the search index, ready to render: the engine,
/// one job per page, the small files made from the view (feed, sitemap, robots.txt, the
/// theme's files) and the attachments to copy. Owns all it needs; the site can change
/// after. Fails only when the theme, the view or the templates cannot be made.
pub struct Prepared {
    pub urls: Urls,
    pub engine: engine::Engine,
    /// Shared with the next preview build, which takes over unchanged years' pages.
    pub jobs: Vec<Arc<pages::Job>>,
    /// (output path, bytes).
    pub generated: Vec<(String, Vec<u8>)>,
    /// (source path under the site root, output path), sorted.
    pub attachments: Vec<(std::path::PathBuf, String)>,
    /// Each campaign year's share, index-aligned with `Site::campaigns` (the years' summary
    /// tables are files of the site too).
    parts: Vec<YearPart>,
    /// Every file the build writes, for the link check; made when first needed (the
    /// preview's reload signal does not wait for it).
    targets: std::sync::OnceLock<links::Targets>,
}

impl Prepared {
    /// Every file the build writes, known before any is written, so that each page's links
    /// are checked in the worker that rendered it, while the page is still in memory.
    pub fn targets(&self) -> &links::Targets {
        self.targets.get_or_init(|| {
            let mut files: HashSet<String> = self.jobs.iter().map(|j| j.out.clone()).collect();
            files.extend(self.generated.iter().map(|(rel, _)| rel.clone()));
            files.extend(self.parts.iter().flat_map(|p| summary_paths(p.year)));
            files.extend(self.attachments.iter().map(|(_, out)| out.clone()));
            links::Targets::new(files, &self.urls.base)
        })
    }
}

/// The view, the templates and the page list of a checked site (see `Prepared`).
pub fn prepare(
    root: &Path,
    site: &Site,
    facts: &Facts,
    base_url: &str,
) -> Result<Prepared, Vec<String>> {
    prepare_reusing(root, site, facts, base_url, None)
}

/// A site prepared earlier, for `prepare_reusing`: the checked site and what was made of it.
pub struct Previous<'p> {
    pub site: &'p Site,
    pub facts: &'p Facts,
    pub prepared: &'p Prepared,
}

impl<'p> Previous<'p> {
    fn earlier(&self) -> Earlier<'p> {
        Earlier {
            site: self.site,
            facts: self.facts,
            urls: &self.prepared.urls,
            parts: &self.prepared.parts,
        }
    }
}

/// `prepare`, taking over from `previous` every campaign year whose inputs are unchanged,
/// and within a changed year every estate's and case study's record whose inputs are
/// unchanged (see `reuse`), instead of making them again. The result is the same as
/// `prepare`'s; everything shared by the years (the home page, the archive, the site-wide
/// case and tag listings, the feed) is made afresh.
pub fn prepare_reusing(
    root: &Path,
    site: &Site,
    facts: &Facts,
    base_url: &str,
    previous: Option<Previous>,
) -> Result<Prepared, Vec<String>> {
    let urls = Urls::new(base_url);
    let theme = theme::Theme::load(root, &site.config.theme).map_err(|e| vec![e])?;
    let _prepare = phase("视图与模板数据");
    let current = site.current_campaign().map(|c| c.year);
    let fresh = Plan::default();
    let earlier = previous.as_ref().map(Previous::earlier);
    let plans: Vec<Plan> = site
        .campaigns
        .iter()
        .zip(&facts.campaigns)
        .map(|(c, f)| match &earlier {
            Some(e) => e.plan(c, f, site, &urls, current),
            None => Plan::default(),
        })
        .collect();
    let plan = |i: usize| plans.get(i).unwrap_or(&fresh);
    let mut view = view::build_years(site, facts, &urls, &plan);
    if !view.problems.is_empty() {
        return Err(view
            .problems
            .iter()
            .map(|(file, msg)| format!("{file}: 错误：{msg}"))
            .collect());
    }
    // One conversion of the whole view; pages share its parts.
    let root_value = values::convert_reusing(&mut view, &plan);
    let site_value = root_value
        .get_from_path("site")
        .cloned()
        .unwrap_or_else(Value::none);
    let engine = engine::Engine::new(&theme, site_value).map_err(|e| vec![e])?;
    // The feed reads only the view's cards and notices: made beside the page list.
    let ((jobs, ranges), atom) = rayon::join(
        || {
            pages::jobs_reusing(&view, &root_value, &urls, &|i| match plan(i) {
                Plan::Kept(k) => Some(&previous.as_ref()?.prepared.jobs[k.jobs.clone()]),
                Plan::Made(_) => None,
            })
        },
        || feed::atom(&view, &urls),
    );
    // Each year's attachments are under its own folder.
    let parts: Vec<YearPart> = site
        .campaigns
        .iter()
        .zip(ranges)
        .zip(&mut view.campaigns)
        .enumerate()
        .map(|(i, ((c, jobs), cv))| YearPart {
            year: c.year,
            is_current: current == Some(c.year),
            value: root_value
                .get_from_path(&format!("campaigns.{i}"))
                .cloned()
                .unwrap_or_else(Value::none),
            jobs,
            files: match plan(i) {
                Plan::Kept(k) => k.files.clone(),
                Plan::Made(_) => view
                    .files
                    .iter()
                    .filter(|(src, _)| src.starts_with(&c.dir))
                    .cloned()
                    .collect(),
            },
            record_files: match plan(i) {
                Plan::Kept(k) => k.record_files.clone(),
                Plan::Made(_) => Arc::new(std::mem::take(&mut cv.record_files)),
            },
        })
        .collect();
    let mut attachments = view.files.clone();
    for p in &plans {
        if let Plan::Kept(k) = p {
            attachments.extend(k.files.iter().cloned());
        }
    }
    attachments.sort();
    attachments.dedup();
    // The pages hold what they need of the view as tera values: the view is freed while
    // the sitemap is made (on the other core when it is free).
    let (sitemap, ()) = rayon::join(
        || feed::sitemap(&jobs, &urls),
        move || {
            drop(view);
            drop(root_value);
        },
    );
    let mut generated = vec![
        (urls::path::FEED.to_string(), atom.into_bytes()),
        (urls::path::SITEMAP.to_string(), sitemap.into_bytes()),
        ("robots.txt".to_string(), feed::robots(&urls).into_bytes()),
    ];
    generated.extend(
        theme
            .statics()
            .map(|(rel, bytes)| (format!("static/{rel}"), bytes.to_vec())),
    );

    Ok(Prepared {
        urls,
        engine,
        jobs,
        generated,
        attachments,
        parts,
        targets: std::sync::OnceLock::new(),
    })
}

/// Renders one page into `html` (cleared first).
pub fn render_page(
    prepared: &Prepared,
    job: &pages::Job,
    html: &mut Vec<u8>,
) -> Result<(), String> {
    prepared
        .engine
        .render_into(job.template, &job.context(&prepared.urls.origin), html)
        .map_err(|e| engine::describe(&e, Some(&job.out), job.content.as_deref()))
}

/// Renders, hands to `put` and link-checks every page on all cores; returns the broken
/// links. A page's context lives only while it renders.
pub fn render_pages(prepared: &Prepared, put: &Put, fail: &Fail) -> Vec<String> {
    render_pages_until(prepared, put, fail, &AtomicBool::new(false))
}

/// `render_pages`, skipping the pages not yet started once `stop` is set.
pub fn render_pages_until(
    prepared: &Prepared,
    put: &Put,
    fail: &Fail,
    stop: &AtomicBool,
) -> Vec<String> {
    let _pages = phase("页面");
    let urls = &prepared.urls;
    let targets = prepared.targets();
    prepared
        .jobs
        .par_iter()
        .filter(|_| !stop.load(Ordering::Relaxed))
        .map_init(Vec::new, |html, job| {
            let mut broken = Vec::new();
            match render_page(prepared, job, html) {
                Ok(()) => {
                    put(&job.out, html);
                    links::check_page(
                        &job.out,
                        html,
                        targets,
                        &urls.origin,
                        &urls.base,
                        &mut broken,
                    );
                }
                Err(e) => fail(e),
            }
            broken
        })
        .flatten_iter()
        .collect()
}

/// Frees `value` on a thread of its own. The pages' values or a whole site are millions of
/// small allocations, a large fraction of a second to free at 50,000 estates; nothing
/// waits for that. A command that exits first leaves it to the system.
pub fn free_later<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}

/// Reads a campaign file to publish. Its real place must be inside `content/`: a `files/`
/// folder (or a year folder) that is a symbolic link to elsewhere would otherwise publish
/// whatever it points at, e.g. the server's own files.
pub fn read_attachment(root: &Path, src: &Path) -> Result<Vec<u8>, String> {
    let shown = crate::diag::display_path(src);
    let unreadable = |e: std::io::Error| format!("无法读取附件 {shown}：{e}");
    let real = root.join(src).canonicalize().map_err(unreadable)?;
    let content = root.join("content").canonicalize().map_err(unreadable)?;
    if !real.starts_with(&content) {
        return Err(format!(
            "{shown}: 错误：附件的实际位置不在 content 文件夹内（是指向别处的快捷方式或符号链接），已拒绝发布\n  提示：请把文件本身复制到该年度的 files/ 文件夹"
        ));
    }
    // The resolved path: what was checked is what is read.
    std::fs::read(&real).map_err(unreadable)
}

/// Where a year's 推荐汇总表 is published beside its page: the CSV, then the XLSX.
fn summary_paths(year: i32) -> [String; 2] {
    let dir = urls::path::summary(year);
    [format!("{dir}summary.csv"), format!("{dir}summary.xlsx")]
}

/// The 推荐汇总表 of every year as CSV and XLSX beside its HTML page, rows in the page's
/// order (county, then rank), written by `crate::export`.
fn summary_files(site: &Site, facts: &Facts) -> Vec<(String, Result<Vec<u8>, String>)> {
    use crate::export::summary_table::{SummaryRow, summary_csv_bytes, summary_xlsx_bytes_on};
    let mut out = Vec::new();
    for (c, f) in site.campaigns.iter().zip(&facts.campaigns) {
        let rows: Vec<SummaryRow> = f
            .counties
            .iter()
            .flat_map(|k| k.estates.iter())
            .enumerate()
            .map(|(n, &i)| {
                let ef = &f.estates[i];
                SummaryRow::from_estate(
                    n as u32 + 1,
                    &c.estates[i],
                    ef.score,
                    ef.rank.map(|r| r as u32),
                )
            })
            .collect();
        let [csv, xlsx] = summary_paths(c.year);
        let title = format!("{}年度“美好家园”小区推荐汇总表", c.year);
        out.push((csv, Ok(summary_csv_bytes(&rows))));
        out.push((xlsx, summary_xlsx_bytes_on(&rows, &title, facts.today)));
    }
    out
}

/// The offline search index files, addressed by the same URL scheme as the pages, each
/// handed to `put` as soon as it is made.
fn search_index(site: &Site, mut put: impl FnMut(&str, &[u8]) + Send) {
    use search::DocRef;
    let sources = search::doc_sources(site, &|r| match r {
        DocRef::Estate { year, slug } => urls::path::estate(year, slug),
        DocRef::Case { year, slug } => urls::path::case(year, slug),
        DocRef::Notice { year } => urls::path::notice(year),
        DocRef::Page { slug } => urls::path::page(slug),
    });
    search::write_in_order(&sources, search::DocSource::doc, |rel, bytes| {
        put(rel, bytes);
        Ok::<(), std::convert::Infallible>(())
    })
    .unwrap_or_else(|e| match e {});
}
