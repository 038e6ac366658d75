//! Render: the validated site and its derived facts become files — the view is built once, every page rendered in
//! parallel into the staging folder, then the feed, sitemap, theme files and attachments,
//! and finally the internal link check.

pub mod engine;
pub mod feed;
pub mod markdown;
pub mod pages;
pub mod search;
pub mod theme;
pub mod urls;
pub mod values;
pub mod view;

use std::collections::HashSet;
use std::path::Path;
use std::sync::Mutex;

use rayon::prelude::*;
use tera::Value;

use crate::derive::Facts;
use crate::model::Site;
use crate::write::{Staging, links};
use urls::Urls;

/// What a successful render wrote.
#[derive(Debug, Default)]
pub struct Written {
    pub pages: usize,
    pub files: usize,
}

/// Renders the checked site at `root` into `staging`. On failure every problem found is
/// returned, in Chinese, and the caller discards the staging folder.
pub fn render(
    root: &Path,
    site: &Site,
    facts: &Facts,
    base_url: &str,
    staging: &Staging,
) -> Result<Written, Vec<String>> {
    use crate::timings::phase;
    let prepare = phase("视图与模板数据");
    let urls = Urls::new(base_url);
    let theme = theme::Theme::load(root, &site.config.theme).map_err(|e| vec![e])?;
    let view = view::build(site, facts, &urls);
    if !view.problems.is_empty() {
        return Err(view
            .problems
            .iter()
            .map(|(file, msg)| format!("{file}: 错误：{msg}"))
            .collect());
    }
    // One conversion of the whole view; pages share its parts.
    let root_value = values::convert(&view);
    let site_value = root_value
        .get_from_path("site")
        .cloned()
        .unwrap_or_else(Value::none);
    let engine = engine::Engine::new(&theme, site_value).map_err(|e| vec![e])?;
    let jobs = pages::jobs(&view, &root_value, &urls);
    let mut attachments = view.files.clone();
    attachments.sort();
    attachments.dedup();

    // Every file the build writes is known before any is written, so each page's links are
    // checked in the worker that rendered it, while the page is still in memory.
    let mut files: HashSet<String> = jobs.iter().map(|j| j.out.clone()).collect();
    files.extend([urls::path::FEED, urls::path::SITEMAP, "robots.txt"].map(String::from));
    files.extend(theme.statics().map(|(rel, _)| format!("static/{rel}")));
    files.extend(site.campaigns.iter().flat_map(|c| summary_paths(c.year)));
    files.extend(attachments.iter().map(|(_, out)| out.clone()));

    drop(prepare);
    let _render = phase("渲染与写入");
    let errors = Mutex::new(Vec::new());
    let fail = |msg: String| errors.lock().unwrap_or_else(|e| e.into_inner()).push(msg);
    let put = |rel: &str, bytes: &[u8]| {
        if let Err(e) = staging.put(rel, bytes) {
            fail(format!("无法写入 {rel}：{e}"));
        }
    };
    // The pages on both cores; the feed, exports and copied files beside them.
    let (link_errors, search_count) = rayon::join(
        || {
            let _pages = phase("页面");
            jobs.par_iter()
                .flat_map_iter(|job| {
                    let mut broken = Vec::new();
                    match engine.render(job.template, &job.ctx) {
                        Ok(html) => {
                            put(&job.out, html.as_bytes());
                            links::check_page(
                                &job.out,
                                &html,
                                &files,
                                &urls.origin,
                                &urls.base,
                                &mut broken,
                            );
                        }
                        Err(e) => {
                            fail(engine::describe(&e, Some(&job.out), job.content.as_deref()));
                        }
                    }
                    broken
                })
                .collect::<Vec<String>>()
        },
        || {
            let side = phase("订阅、汇总表与附件");
            put(urls::path::FEED, feed::atom(&view, &urls).as_bytes());
            put(urls::path::SITEMAP, feed::sitemap(&jobs, &urls).as_bytes());
            put("robots.txt", feed::robots(&urls).as_bytes());
            for (rel, bytes) in theme.statics() {
                put(&format!("static/{rel}"), bytes);
            }
            for (rel, bytes) in summary_files(site, facts) {
                match bytes {
                    Ok(b) => put(&rel, &b),
                    Err(e) => fail(e),
                }
            }
            for (src, out) in &attachments {
                match read_attachment(root, src) {
                    Ok(bytes) => put(out, &bytes),
                    Err(e) => fail(e),
                }
            }
            // The search index does not depend on rendered pages; no page links to its
            // files, so they stay out of the link check's set.
            drop(side);
            let _search = phase("搜索索引");
            let mut search_files = 0;
            search_index(site, |rel, bytes| {
                put(rel, bytes);
                search_files += 1;
            });
            search_files
        },
    );
    let mut errors = errors.into_inner().unwrap_or_else(|e| e.into_inner());
    if errors.is_empty() {
        errors = link_errors;
        errors.sort();
        errors.dedup();
    }
    if !errors.is_empty() {
        errors.sort();
        return Err(errors);
    }
    Ok(Written {
        pages: jobs.len(),
        files: files.len() + search_count,
    })
}

/// Reads a campaign file to publish. Its real place must be inside `content/`: a `files/`
/// folder (or a year folder) that is a symbolic link to elsewhere would otherwise publish
/// whatever it points at, e.g. the server's own files.
fn read_attachment(root: &Path, src: &Path) -> Result<Vec<u8>, String> {
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
fn search_index(site: &Site, mut put: impl FnMut(&str, &[u8])) {
    use search::DocRef;
    let docs = search::site_docs(site, &|r| match r {
        DocRef::Estate { year, slug } => urls::path::estate(year, slug),
        DocRef::Case { year, slug } => urls::path::case(year, slug),
        DocRef::Notice { year } => urls::path::notice(year),
        DocRef::Page { slug } => urls::path::page(slug),
    });
    search::SearchIndex::new(&docs)
        .write(|rel, bytes| {
            put(rel, bytes);
            Ok::<(), std::convert::Infallible>(())
        })
        .unwrap_or_else(|e| match e {});
}
