//! The preview HTTP server: the site's files from the in-memory site, its 404 page, the
//! base URL's sub-path, and a long-poll endpoint that tells pages to reload.

use std::io::Cursor;
use std::path::{Component, Path};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;
use tiny_http::{Header, Request, Response, Server};

use super::site::Snapshot;

/// What every page's reload script waits on: the site being served, its generation and
/// the errors to show.
#[derive(Default)]
pub struct Shared {
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Clone, Default)]
struct State {
    generation: u64,
    /// The last build's errors, formatted; empty when it succeeded.
    errors: Vec<String>,
    /// The served site is the latest content (the errors are the background check's),
    /// not the last one that could be made.
    latest: bool,
    /// The last site that could be made; `None` until one could.
    site: Option<Arc<Snapshot>>,
}

impl Shared {
    /// Records a finished rebuild and wakes every waiting page. A failed rebuild passes no
    /// site: the last good one stays served under its errors.
    pub fn publish(&self, site: Option<Arc<Snapshot>>, errors: Vec<String>) {
        let old = {
            let mut s = self.lock();
            s.generation += 1;
            s.errors = errors;
            let old = if site.is_some() {
                std::mem::replace(&mut s.site, site)
            } else {
                None
            };
            self.changed.notify_all();
            old
        };
        // Freeing a large site takes tens of milliseconds: not before the pages hear of
        // the new one, and not while holding the lock they wait on.
        if let Some(old) = old {
            crate::render::free_later(old);
        }
    }

    /// Shows the problems the background check found in `site`, if it is still served;
    /// whether it was.
    pub fn publish_problems(&self, site: &Arc<Snapshot>, errors: &[String]) -> bool {
        let mut s = self.lock();
        if !s.site.as_ref().is_some_and(|cur| Arc::ptr_eq(cur, site)) {
            return false;
        }
        s.generation += 1;
        s.errors = errors.to_vec();
        s.latest = true;
        self.changed.notify_all();
        true
    }

    /// The site being served.
    pub fn site(&self) -> Option<Arc<Snapshot>> {
        self.lock().site.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn snapshot(&self) -> State {
        self.lock().clone()
    }

    /// Waits until the generation differs from `since`, or the timeout passes.
    fn wait(&self, since: u64, timeout: Duration) -> State {
        let guard = self.lock();
        let (guard, _) = self
            .changed
            .wait_timeout_while(guard, timeout, |s| s.generation == since)
            .unwrap_or_else(|p| p.into_inner());
        guard.clone()
    }
}

const RELOAD_JS: &str = include_str!("reload.js");
const POLL: &str = "/__jiayuan/poll";
const SCRIPT: &str = "/__jiayuan/reload.js";

/// Serves until the server is dropped. `prefix` is the base URL's path (`/` or `/sub/`).
pub fn serve(server: Arc<Server>, prefix: String, shared: Arc<Shared>) {
    for request in server.incoming_requests() {
        let (prefix, shared) = (prefix.clone(), shared.clone());
        std::thread::spawn(move || handle(request, &prefix, &shared));
    }
}

fn handle(request: Request, prefix: &str, shared: &Shared) {
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let response = if path == POLL {
        let since = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("since="))
            .and_then(|v| v.parse::<u64>().ok());
        let state = match since {
            Some(g) => shared.wait(g, Duration::from_secs(25)),
            None => shared.snapshot(),
        };
        bytes(
            state_json(&state).into_bytes(),
            "application/json; charset=utf-8",
            200,
        )
    } else if path == SCRIPT {
        bytes(
            RELOAD_JS.as_bytes().to_vec(),
            "text/javascript; charset=utf-8",
            200,
        )
    } else if let Some(rest) = path.strip_prefix(prefix) {
        file_response(prefix, rest, shared)
    } else if path == "/" || format!("{path}/") == prefix {
        redirect(prefix)
    } else {
        not_found(shared)
    };
    let _ = request.respond(response);
}

fn file_response(prefix: &str, rest: &str, shared: &Shared) -> Response<Cursor<Vec<u8>>> {
    let decoded = percent_decode(rest);
    if Path::new(&decoded)
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return not_found(shared);
    }
    let Some(site) = shared.site() else {
        return not_found(shared);
    };
    let rel = if decoded.is_empty() || decoded.ends_with('/') {
        format!("{decoded}index.html")
    } else {
        decoded
    };
    match site.get(&rel) {
        Some(Ok(body)) => {
            let ctype = content_type(Path::new(&rel));
            let body = if ctype.starts_with("text/html") {
                inject(body, shared)
            } else {
                body
            };
            bytes(body, ctype, 200)
        }
        Some(Err(e)) => bytes(
            inject(error_page(&e).into_bytes(), shared),
            "text/html; charset=utf-8",
            500,
        ),
        None if site.is_folder(&rel) => redirect(&format!("{prefix}{rest}/")),
        None => not_found(shared),
    }
}

/// A page that could not be rendered: the message, where the page would be.
fn error_page(message: &str) -> String {
    let escaped = message
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        "<!doctype html><meta charset=utf-8><title>生成失败</title><body><pre>{escaped}</pre></body>"
    )
}

fn not_found(shared: &Shared) -> Response<Cursor<Vec<u8>>> {
    let page = shared.site().and_then(|s| s.get("404.html")?.ok());
    let body = page.unwrap_or_else(|| {
        "<!doctype html><meta charset=utf-8><title>404</title><p>页面不存在"
            .as_bytes()
            .to_vec()
    });
    bytes(inject(body, shared), "text/html; charset=utf-8", 404)
}

fn redirect(to: &str) -> Response<Cursor<Vec<u8>>> {
    let mut r = bytes(Vec::new(), "text/plain; charset=utf-8", 302);
    if let Ok(h) = Header::from_bytes("Location", to) {
        r.add_header(h);
    }
    r
}

fn bytes(body: Vec<u8>, ctype: &str, status: u16) -> Response<Cursor<Vec<u8>>> {
    let mut r = Response::from_data(body).with_status_code(status);
    if let Ok(h) = Header::from_bytes("Content-Type", ctype) {
        r.add_header(h);
    }
    if let Ok(h) = Header::from_bytes("Cache-Control", "no-store") {
        r.add_header(h);
    }
    r
}

/// The reload script goes only into served pages, never into the built files.
fn inject(body: Vec<u8>, shared: &Shared) -> Vec<u8> {
    let generation = shared.snapshot().generation;
    let tag = format!("<script src=\"{SCRIPT}\" data-generation=\"{generation}\"></script>");
    let text = String::from_utf8_lossy(&body);
    match text.rfind("</body>") {
        Some(i) => format!("{}{tag}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

fn state_json(s: &State) -> String {
    let errors: Vec<String> = s.errors.iter().map(|e| json_string(e)).collect();
    format!(
        "{{\"generation\":{},\"latest\":{},\"errors\":[{}]}}",
        s.generation,
        s.latest,
        errors.join(",")
    )
}

fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '<' => out.push_str("\\u003c"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The content type for a file, with `charset=utf-8` for text.
pub fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pdf" => "application/pdf",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        _ => "application/octet-stream",
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = b
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok());
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Text types carry a UTF-8 charset; spreadsheets and images have their own types.
    #[test]
    fn content_types() {
        assert_eq!(
            content_type(Path::new("a/index.html")),
            "text/html; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("summary.csv")),
            "text/csv; charset=utf-8"
        );
        assert!(content_type(Path::new("s.xlsx")).contains("spreadsheetml"));
        assert_eq!(
            content_type(Path::new("feed.xml")),
            "application/xml; charset=utf-8"
        );
    }

    // Chinese path segments arrive percent-encoded.
    #[test]
    fn decodes_paths() {
        assert_eq!(percent_decode("tags/%E5%85%9A%E5%BB%BA/"), "tags/党建/");
        assert_eq!(percent_decode("a%2"), "a%2");
    }

    // The script is injected before </body> and errors are escaped for JSON.
    #[test]
    fn injection_and_json() {
        let shared = Shared::default();
        let out = String::from_utf8(inject(
            b"<html><body><p>x</p></body></html>".to_vec(),
            &shared,
        ))
        .unwrap();
        assert!(out.contains("<p>x</p><script src=\"/__jiayuan/reload.js\""));
        assert!(out.ends_with("</body></html>"));
        shared.publish(None, vec!["a.yaml:1:2: 错误：\"x\"\n</script>".into()]);
        let json = state_json(&shared.snapshot());
        assert_eq!(
            json,
            "{\"generation\":1,\"latest\":false,\"errors\":[\"a.yaml:1:2: 错误：\\\"x\\\"\\n\\u003c/script>\"]}"
        );
    }
}
