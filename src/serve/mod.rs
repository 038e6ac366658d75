//! `serve`'s engine: build into a preview folder, serve it, rebuild on change.
//! Every rebuild is a full build, so the served site always equals a clean build.

pub mod http;
pub mod watch;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How to preview a site.
pub struct Options {
    pub root: PathBuf,
    pub bind: String,
    pub port: u16,
    /// The base URL's path, `/` or `/sub/path/`.
    pub prefix: String,
}

/// One full build into the preview folder: a one-line summary, or the formatted errors.
pub type Rebuild = dyn Fn() -> Result<String, Vec<String>> + Send + Sync;

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
}

/// Starts the server and the watch loop; returns only on a watcher failure.
pub fn run(
    opts: &Options,
    preview: PathBuf,
    rebuild: Box<Rebuild>,
    report: &dyn Fn(Event),
) -> Result<(), String> {
    let server = tiny_http::Server::http((opts.bind.as_str(), opts.port)).map_err(|e| {
        format!(
            "无法在 {}:{} 启动预览服务器：{e}\n  提示：端口可能已被占用，请换一个端口，例如 `jiayuan serve --port {}`",
            opts.bind,
            opts.port,
            opts.port.wrapping_add(1)
        )
    })?;
    let server: Arc<tiny_http::Server> = Arc::new(server);
    let shared = Arc::new(http::Shared::default());
    let build_once = |changed: &[PathBuf]| {
        let t = Instant::now();
        match rebuild() {
            Ok(summary) => {
                shared.publish(Vec::new());
                report(Event::Built {
                    summary: &summary,
                    took: t.elapsed(),
                    changed,
                });
            }
            Err(errors) => {
                report(Event::Failed {
                    errors: &errors,
                    took: t.elapsed(),
                });
                shared.publish(errors);
            }
        }
    };
    build_once(&[]);
    {
        let (server, shared, prefix) = (server.clone(), shared.clone(), opts.prefix.clone());
        std::thread::spawn(move || http::serve(server, preview, prefix, shared));
    }
    // With `--port 0` the system picks a free port; report the one actually bound.
    let port = server.server_addr().to_ip().map_or(opts.port, |a| a.port());
    let url = format!("http://{}:{}{}", opts.bind, port, opts.prefix);
    report(Event::Listening(&url));
    watch::watch(&opts.root, Duration::from_millis(80), |changed| {
        build_once(&changed)
    })
}
