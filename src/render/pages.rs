//! The list of HTML pages: which file, which template, which part of the view, and the
//! government-site metadata (column, publication date, source) of each.

use std::ops::Range;
use std::sync::Arc;

use serde::Serialize;
use tera::{Context, Value};

use super::urls::{Urls, output_file, path};
use super::view::View;

/// One page to render.
pub struct Job {
    /// Output path relative to the output folder.
    pub out: String,
    pub template: &'static str,
    meta: Meta,
    /// Parts of the converted view, shared with every other page that shows them.
    data: Vec<(&'static str, Value)>,
    /// The content file the page shows, for error messages.
    pub content: Option<String>,
    /// Listed in sitemap.xml (every page but 404).
    pub listed: bool,
    pub url: String,
}

impl Job {
    /// The page's tera context, made only when the page is rendered: sixteen thousand
    /// contexts waiting in the list would hold their `page` maps all at once. `origin` is
    /// the site's scheme and host, for the canonical link.
    pub fn context(&self, origin: &str) -> Context {
        let m = &self.meta;
        let page = Page {
            title: &m.title,
            column: &m.column,
            key: &m.key,
            url: &self.url,
            canonical: format!("{origin}{}", self.url),
            pub_date: m.pub_date.as_deref(),
            pub_date_iso: m.pub_date_iso.as_deref(),
            source: m.source.as_deref(),
            description: m.description.as_deref(),
            crumbs: &m.crumbs,
        };
        let mut ctx = Context::new();
        ctx.insert("page", &page);
        for (k, v) in &self.data {
            ctx.insert_value(*k, v.clone());
        }
        ctx
    }
}

/// What base.html needs to know about the page itself, besides its address.
#[derive(Clone, Debug, Default)]
pub struct Meta {
    pub title: String,
    /// ColumnName: the section the page belongs to.
    pub column: String,
    /// Navigation key marked as current.
    pub key: String,
    pub pub_date: Option<String>,
    pub pub_date_iso: Option<String>,
    /// ContentSource.
    pub source: Option<String>,
    pub description: Option<String>,
    /// Shared by the pages of one kind and year (ten thousand estate pages, one trail).
    pub crumbs: Arc<[Crumb]>,
}

/// `page` as templates see it: the meta, the page's link and its absolute URL.
#[derive(Serialize)]
struct Page<'j> {
    title: &'j str,
    column: &'j str,
    key: &'j str,
    url: &'j str,
    canonical: String,
    pub_date: Option<&'j str>,
    pub_date_iso: Option<&'j str>,
    source: Option<&'j str>,
    description: Option<&'j str>,
    crumbs: &'j [Crumb],
}

/// One step of the breadcrumb trail above the page title.
#[derive(Clone, Debug, Serialize)]
pub struct Crumb {
    pub label: String,
    pub url: String,
}

/// Sub-values of the one converted view; clones are cheap (shared).
fn at(root: &Value, p: &str) -> Value {
    root.get_from_path(p).cloned().unwrap_or_else(Value::none)
}

/// Item `i` of `list` (cheap, shared; none when missing), without formatting a
/// path for each of ten thousand items.
fn item(list: &Value, i: usize) -> Value {
    list.as_array()
        .and_then(|a| a.get(i))
        .cloned()
        .unwrap_or_else(Value::none)
}

fn first(v: &Value, n: usize) -> Value {
    Value::from(
        v.as_array()
            .map_or(Vec::new(), |a| a.iter().take(n).cloned().collect()),
    )
}

struct Pages<'u> {
    urls: &'u Urls,
    jobs: Vec<Arc<Job>>,
}

impl Pages<'_> {
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        site_path: String,
        template: &'static str,
        meta: Meta,
        data: Vec<(&'static str, Value)>,
        content: Option<String>,
    ) {
        let url = self.urls.link(&site_path);
        self.jobs.push(Arc::new(Job {
            out: output_file(&site_path),
            template,
            meta,
            data,
            content,
            listed: template != "404.html",
            url,
        }));
    }
}

fn meta(title: impl Into<String>, column: &str, key: &str) -> Meta {
    Meta {
        title: title.into(),
        column: column.into(),
        key: key.into(),
        ..Default::default()
    }
}

fn crumb(label: impl Into<String>, url: impl Into<String>) -> Crumb {
    Crumb {
        label: label.into(),
        url: url.into(),
    }
}

/// Every HTML page of the site, in a fixed order.
pub fn jobs(view: &View, root: &Value, urls: &Urls) -> Vec<Arc<Job>> {
    jobs_reusing(view, root, urls, &|_| None).0
}

/// `jobs`, taking a year's pages from `kept` (by index into `View::campaigns`) where it
/// gives them: that year's pages from an earlier build of the same year (see
/// `render::prepare_reusing`). Also returns where each year's pages are in the list.
pub fn jobs_reusing<'k>(
    view: &View,
    root: &Value,
    urls: &Urls,
    kept: &dyn Fn(usize) -> Option<&'k [Arc<Job>]>,
) -> (Vec<Arc<Job>>, Vec<Range<usize>>) {
    let mut p = Pages {
        urls,
        jobs: Vec::new(),
    };
    let current = view.campaigns.len().checked_sub(1);
    let home_campaign = current.map_or_else(Value::none, |i| at(root, &format!("campaigns.{i}")));
    p.add(
        path::HOME.into(),
        "home.html",
        Meta {
            description: Some(format!("{}：活动进展、评选结果和经验案例", view.site.title)),
            ..meta(view.site.title, "首页", "home")
        },
        vec![
            ("campaign", home_campaign),
            ("latest_cases", first(&at(root, "cases"), 4)),
        ],
        None,
    );
    p.add(
        path::ARCHIVE.into(),
        "archive.html",
        meta("往年活动", "往年活动", "archive"),
        vec![("campaigns", at(root, "campaigns"))],
        None,
    );
    let mut years = Vec::with_capacity(view.campaigns.len());
    for (ci, c) in view.campaigns.iter().enumerate() {
        let start = p.jobs.len();
        match kept(ci) {
            Some(jobs) => p.jobs.extend_from_slice(jobs),
            None => campaign_pages(&mut p, view, root, ci, c.is_current),
        }
        years.push(start..p.jobs.len());
    }
    let all_crumbs: Arc<[Crumb]> = Arc::new([crumb("经验案例", urls.link(path::CASES))]);
    p.add(
        path::CASES.into(),
        "cases.html",
        meta("经验案例", "经验案例", "cases"),
        vec![("cases", at(root, "cases")), ("tags", at(root, "tags"))],
        None,
    );
    for (ti, t) in view.tags.iter().enumerate() {
        p.add(
            path::tag(&t.id),
            "cases.html",
            Meta {
                crumbs: all_crumbs.clone(),
                ..meta(format!("经验案例：{}", t.name), "经验案例", "cases")
            },
            vec![
                ("cases", at(root, &format!("tags.{ti}.cases"))),
                ("tags", at(root, "tags")),
                ("tag", at(root, &format!("tags.{ti}"))),
            ],
            None,
        );
    }
    for (pi, pg) in view.pages.iter().enumerate() {
        p.add(
            path::page(pg.slug),
            "page.html",
            Meta {
                pub_date: pg.date.clone(),
                pub_date_iso: pg.date_iso.clone(),
                source: Some(view.site.publisher.to_string()),
                description: pg.summary.map(str::to_string),
                ..meta(pg.title, pg.title, &format!("page-{}", pg.slug))
            },
            vec![("doc", at(root, &format!("pages.{pi}")))],
            Some(crate::diag::display_path(pg.source)),
        );
    }
    p.add(
        path::SEARCH.into(),
        "search.html",
        meta("站内搜索", "站内搜索", "search"),
        vec![],
        None,
    );
    p.add(
        "404.html".into(),
        "404.html",
        meta("页面不存在", "页面不存在", ""),
        vec![],
        None,
    );
    (p.jobs, years)
}

fn campaign_pages(p: &mut Pages, view: &View, root: &Value, ci: usize, is_current: bool) {
    let c = &view.campaigns[ci];
    let y = c.year;
    let cv = at(root, &format!("campaigns.{ci}"));
    let (estates, cases) = (at(&cv, "estates"), at(&cv, "cases"));
    let data = |extra: Vec<(&'static str, Value)>| {
        let mut v = vec![("campaign", cv.clone())];
        v.extend(extra);
        v
    };
    // The current year's pages light up their own column; past years belong to the archive.
    let key = |k: &str| {
        if is_current {
            k.to_string()
        } else {
            "archive".into()
        }
    };
    let year_label = format!("{y}年度");
    let year_crumb = crumb(year_label.clone(), c.urls.year.clone());
    let year_crumbs: Arc<[Crumb]> = Arc::new([year_crumb.clone()]);
    let estates_crumbs: Arc<[Crumb]> = Arc::new([
        year_crumb.clone(),
        crumb("推荐小区", c.urls.estates.clone()),
    ]);
    let cases_crumbs: Arc<[Crumb]> =
        Arc::new([year_crumb, crumb("经验案例", c.urls.cases.clone())]);
    let with = |m: Meta, crumbs: &Arc<[Crumb]>| Meta {
        crumbs: crumbs.clone(),
        ..m
    };
    p.add(
        path::year(y),
        "year.html",
        meta(c.title, &year_label, &key("home")),
        data(vec![]),
        None,
    );
    let n = c.notice.as_ref();
    p.add(
        path::notice(y),
        "notice.html",
        with(
            Meta {
                pub_date: n.and_then(|n| n.date.clone()),
                pub_date_iso: n.and_then(|n| n.date_iso.clone()),
                source: Some(c.document.issuer.to_string()),
                ..meta(
                    n.map_or_else(|| format!("{}通知", c.title), |n| n.title.clone()),
                    "活动通知",
                    &key("notice"),
                )
            },
            &year_crumbs,
        ),
        data(vec![]),
        None,
    );
    p.add(
        path::estates(y),
        "estates.html",
        with(
            meta(format!("{y}年度推荐小区名单"), "推荐小区", &key("estates")),
            &year_crumbs,
        ),
        data(vec![]),
        None,
    );
    for (k, county) in c.counties.iter().enumerate() {
        p.add(
            path::county(y, county.n),
            "county.html",
            with(
                meta(
                    format!("{y}年度推荐小区：{}", county.name),
                    "推荐小区",
                    &key("estates"),
                ),
                &estates_crumbs,
            ),
            data(vec![("county", at(&cv, &format!("counties.{k}")))]),
            None,
        );
    }
    for (i, e) in c.estates.iter().enumerate() {
        p.add(
            path::estate(y, e.row.slug),
            "estate.html",
            with(
                Meta {
                    source: Some(e.row.county.to_string()),
                    ..meta(e.row.name, "推荐小区", &key("estates"))
                },
                &estates_crumbs,
            ),
            data(vec![("estate", item(&estates, i))]),
            Some(crate::diag::display_path(e.source)),
        );
    }
    p.add(
        path::publicity(y),
        "publicity.html",
        with(
            Meta {
                pub_date: c.publicity.start.clone(),
                pub_date_iso: c.publicity.start_iso.clone(),
                source: Some(c.publicity.issuer.to_string()),
                ..meta(c.publicity.title.clone(), "评选公示", &key("publicity"))
            },
            &year_crumbs,
        ),
        data(vec![]),
        None,
    );
    p.add(
        path::summary(y),
        "summary.html",
        with(
            meta(
                format!("{y}年度推荐小区汇总表"),
                "推荐汇总表",
                &key("summary"),
            ),
            &year_crumbs,
        ),
        data(vec![]),
        None,
    );
    p.add(
        path::year_cases(y),
        "cases.html",
        with(
            meta(format!("{y}年度经验案例"), "经验案例", &key("cases")),
            &year_crumbs,
        ),
        data(vec![
            ("cases", cases.clone()),
            ("tags", Value::from(Vec::<Value>::new())),
        ]),
        None,
    );
    for (j, x) in c.cases.iter().enumerate() {
        p.add(
            path::case(y, x.card.slug),
            "case.html",
            with(
                Meta {
                    pub_date: x.card.date.clone(),
                    pub_date_iso: x.card.date_iso.clone(),
                    source: Some(x.card.source.to_string()),
                    description: x.card.summary.map(str::to_string),
                    ..meta(x.card.title, "经验案例", &key("cases"))
                },
                &cases_crumbs,
            ),
            data(vec![("case", item(&cases, j))]),
            Some(crate::diag::display_path(x.source_file)),
        );
    }
}
