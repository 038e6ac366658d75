//! The previewed site, held in memory: what a clean build would write, made when asked.
//!
//! A rebuild checks the content and prepares every page (the view, the templates, one job
//! per page) but renders none; a page is rendered when the browser asks for it, and the
//! summary tables and the search index when one of their files is first asked for. So the
//! reload signal waits only for what every page depends on. `problems` then renders
//! everything once, in the background, to find what would stop `jiayuan build` (a broken
//! link, a template error). The served bytes are the built bytes: both go through
//! `render::prepare` and `render::render_page` (tests/preview.rs checks this after random
//! edits).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};

use chrono::NaiveDate;

use crate::diag::Diagnostics;
use crate::pipeline::{self, BuildFailure, Checked};
use crate::render::{self, Prepared};

/// One generation of the previewed site.
pub struct Snapshot {
    root: PathBuf,
    checked: Checked,
    prepared: Prepared,
    /// Output path → index into `prepared.jobs`.
    pages: HashMap<String, usize>,
    /// Output path → index into `prepared.generated`.
    generated: HashMap<String, usize>,
    /// Output path → source path under the site root.
    attachments: HashMap<String, PathBuf>,
    /// The summary tables and the search index, with any problem making them.
    side: OnceLock<Side>,
    /// Set when a newer snapshot replaces this one: the background check stops.
    superseded: AtomicBool,
}

#[derive(Default)]
struct Side {
    files: HashMap<String, Vec<u8>>,
    errors: Vec<String>,
}

impl Snapshot {
    /// Checks the site and prepares its pages: the same steps as `pipeline::build` up to
    /// rendering, with the same failures. The campaign years that are unchanged since
    /// `previous` (the snapshot being served, if any) are taken over from it rather than
    /// prepared again (see `render::prepare_reusing`).
    pub fn make(
        root: &Path,
        today: NaiveDate,
        base_url: &str,
        previous: Option<&Snapshot>,
    ) -> Result<(Snapshot, Diagnostics), BuildFailure> {
        let (checked, diags) = pipeline::check_reusing(root, today, previous.map(|p| &p.checked));
        if diags.has_errors() {
            return Err(BuildFailure::Content(diags));
        }
        let previous = previous.map(|p| render::Previous {
            site: &p.checked.site,
            facts: &p.checked.facts,
            prepared: &p.prepared,
        });
        let prepared =
            render::prepare_reusing(root, &checked.site, &checked.facts, base_url, previous);
        // Renderings no recent rebuild used belong to texts that changed or went away.
        crate::render::markdown::memo::forget_unused();
        let prepared = prepared.map_err(BuildFailure::Output)?;
        let index = |paths: &mut dyn Iterator<Item = &String>| {
            paths
                .enumerate()
                .map(|(i, p)| (p.clone(), i))
                .collect::<HashMap<_, _>>()
        };
        let pages = index(&mut prepared.jobs.iter().map(|j| &j.out));
        let generated = index(&mut prepared.generated.iter().map(|(rel, _)| rel));
        let attachments = prepared
            .attachments
            .iter()
            .map(|(src, out)| (out.clone(), src.clone()))
            .collect();
        let snapshot = Snapshot {
            root: root.to_path_buf(),
            checked,
            prepared,
            pages,
            generated,
            attachments,
            side: OnceLock::new(),
            superseded: AtomicBool::new(false),
        };
        Ok((snapshot, diags))
    }

    /// How many HTML pages the site has.
    pub fn page_count(&self) -> usize {
        self.prepared.jobs.len()
    }

    /// The file at `rel` (a path under the output folder, `index.html` spelt out): its
    /// bytes, a problem making it, or `None` when the site has no such file.
    pub fn get(&self, rel: &str) -> Option<Result<Vec<u8>, String>> {
        if let Some(&i) = self.pages.get(rel) {
            let mut html = Vec::new();
            let job = &self.prepared.jobs[i];
            return Some(render::render_page(&self.prepared, job, &mut html).map(|()| html));
        }
        if let Some(&i) = self.generated.get(rel) {
            return Some(Ok(self.prepared.generated[i].1.clone()));
        }
        if let Some(src) = self.attachments.get(rel) {
            return Some(render::read_attachment(&self.root, src));
        }
        self.side().files.get(rel).cloned().map(Ok)
    }

    /// Whether `rel` is a folder of the site with a page of its own (`rel/index.html`).
    pub fn is_folder(&self, rel: &str) -> bool {
        let index = format!("{}/index.html", rel.trim_end_matches('/'));
        self.pages.contains_key(&index)
    }

    /// Every file of the site, sorted.
    pub fn paths(&self) -> Vec<String> {
        let mut all: Vec<String> = self
            .pages
            .keys()
            .chain(self.generated.keys())
            .chain(self.attachments.keys())
            .chain(self.side().files.keys())
            .cloned()
            .collect();
        all.sort();
        all
    }

    /// Tells a running `problems` to stop: a newer snapshot is being served.
    pub fn supersede(&self) {
        self.superseded.store(true, Ordering::Relaxed);
    }

    /// What would stop `jiayuan build` of the same content now, as it would report it:
    /// renders every page, makes every file and checks every link. Empty when the build
    /// would succeed, or when the snapshot was superseded meanwhile.
    pub fn problems(&self) -> Vec<String> {
        let errors = Mutex::new(Vec::new());
        let fail = |msg: String| errors.lock().unwrap_or_else(|e| e.into_inner()).push(msg);
        for src in self.attachments.values() {
            if let Err(e) = render::read_attachment(&self.root, src) {
                fail(e);
            }
        }
        let broken =
            render::render_pages_until(&self.prepared, &|_, _| {}, &fail, &self.superseded);
        if self.superseded.load(Ordering::Relaxed) {
            return Vec::new();
        }
        let mut failures = errors.into_inner().unwrap_or_else(|e| e.into_inner());
        failures.extend(self.side().errors.iter().cloned());
        render::reported(failures, broken)
    }

    fn side(&self) -> &Side {
        self.side.get_or_init(|| {
            let side = Mutex::new(Side::default());
            let lock = || side.lock().unwrap_or_else(|e| e.into_inner());
            let site = &self.checked;
            render::tables_and_search(
                &site.site,
                &site.facts,
                &|rel, bytes| {
                    lock().files.insert(rel.to_string(), bytes.to_vec());
                },
                &|e| lock().errors.push(e),
                &AtomicBool::new(false),
            );
            side.into_inner().unwrap_or_else(|e| e.into_inner())
        })
    }
}
