//! `serve`'s engine: keep the previewed site in memory, serve it, rebuild on change.
//! Every rebuild checks the whole site again and prepares every page (files that did not
//! change are not parsed or rendered again, see `load::cache` and `markdown::memo`; a
//! campaign year whose files and inputs did not change is taken over from the served
//! site, see `render::prepare_reusing`), so the served site always equals a clean build
//! of the same files; `site` renders each page when it is asked for.

pub mod http;
pub mod site;
pub mod watch;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use site::Snapshot;

/// How to preview a site.
pub struct Options {
    pub root: PathBuf,
    pub bind: String,
    pub port: u16,
    /// The base URL's path, `/` or `/sub/path/`.
    pub prefix: String,
}

/// One rebuild, given the site being served (if any) to take unchanged parts from: a
/// one-line summary and the new site, or the formatted errors.
pub type Rebuild =
    dyn Fn(Option<&Snapshot>) -> Result<(String, Snapshot), Vec<String>> + Send + Sync;

/// Events the command line reports to the user.
pub enum Event<'a> {
    Listening(&'a str),
    Built {
        summary: &'a str,
        took: Duration,
        changed: &'a [PathBuf],
    },
    Failed {
        errors: &'a [String],
        took: Duration,
    },
    /// The full check after a rebuild found what would stop `jiayuan build`.
    Problems {
        errors: &'a [String],
        took: Duration,
    },
}

/// Where events go; called from the rebuild loop and from the background check.
pub type Report = Arc<dyn Fn(Event) + Send + Sync>;

/// Starts the watcher, the first build, the server and the rebuild loop; returns early
/// only when the port or the watcher cannot be set up.
pub fn run(opts: &Options, rebuild: Box<Rebuild>, report: Report) -> Result<(), String> {
    let server = tiny_http::Server::http((opts.bind.as_str(), opts.port)).map_err(|e| {
        format!(
            "无法在 {}:{} 启动预览服务器：{e}\n  提示：端口可能已被占用，请换一个端口，例如 `jiayuan serve --port {}`",
            opts.bind,
            opts.port,
            opts.port.wrapping_add(1)
        )
    })?;
    let server: Arc<tiny_http::Server> = Arc::new(server);
    let watch = watch::Watch::start(&opts.root)?;
    // A save re-reads every file but parses and renders again only what changed.
    crate::load::cache::set_enabled(true);
    crate::render::markdown::memo::set_enabled(true);
    let shared = Arc::new(http::Shared::default());
    let build_once = |changed: &[PathBuf]| {
        // The previous site's background check is of no use any more; free the cores.
        let old = shared.site();
        if let Some(old) = &old {
            old.supersede();
        }
        let t = Instant::now();
        let rebuilt = rebuild(old.as_deref());
        drop(old);
        match rebuilt {
            Ok((summary, site)) => {
                let site = Arc::new(site);
                shared.publish(Some(site.clone()), Vec::new());
                report(Event::Built {
                    summary: &summary,
                    took: t.elapsed(),
                    changed,
                });
                check_in_background(site, shared.clone(), report.clone(), t);
            }
            Err(errors) => {
                report(Event::Failed {
                    errors: &errors,
                    took: t.elapsed(),
                });
                shared.publish(None, errors);
            }
        }
    };
    build_once(&[]);
    {
        let (server, shared, prefix) = (server.clone(), shared.clone(), opts.prefix.clone());
        std::thread::spawn(move || http::serve(server, prefix, shared));
    }
    // With `--port 0` the system picks a free port; report the one actually bound.
    let port = server.server_addr().to_ip().map_or(opts.port, |a| a.port());
    let url = format!("http://{}:{}{}", opts.bind, port, opts.prefix);
    report(Event::Listening(&url));
    // Editors save in a few steps (a backup, a temporary file, a rename) within a few
    // milliseconds; 50 ms of quiet after the last step is ample and part of what a user
    // waits for.
    watch.run(Duration::from_millis(50), |changed| build_once(&changed));
    Ok(())
}

/// Renders the whole new site once, off the rebuild loop, and shows what would stop a
/// build in the browser's overlay, unless a newer site replaced this one meanwhile.
fn check_in_background(site: Arc<Snapshot>, shared: Arc<http::Shared>, report: Report, t: Instant) {
    std::thread::spawn(move || {
        let errors = site.problems();
        if !errors.is_empty() && shared.publish_problems(&site, &errors) {
            report(Event::Problems {
                errors: &errors,
                took: t.elapsed(),
            });
        }
    });
}
