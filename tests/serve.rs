//! `jiayuan serve` end to end: the real binary on a free port, edits on disk, pages over
//! HTTP. Waits are bounded polls for an outcome, never timing assertions.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_jiayuan");

/// Kills the server when the test ends, however it ends.
struct Server {
    child: Child,
    base: String,
    origin: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check/base");
    copy_dir(&base, dir.path());
    dir
}

fn start(root: &Path) -> Server {
    let mut child = Command::new(BIN)
        .args(["serve", "--port", "0", "--today", "2025-09-25", "--root"])
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = loop {
        let line = lines
            .next()
            .expect("serve exited before printing its URL")
            .unwrap();
        if let Some(i) = line.find("http://") {
            break line[i..].trim().to_string();
        }
    };
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    let rest = url.trim_start_matches("http://");
    let slash = rest.find('/').unwrap();
    Server {
        child,
        origin: rest[..slash].to_string(),
        base: rest[slash..].to_string(),
    }
}

/// A minimal HTTP/1.0 GET: status, headers and body as text.
fn get(origin: &str, path: &str) -> (u16, String, String) {
    let mut s = TcpStream::connect(origin).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(s, "GET {path} HTTP/1.0\r\nHost: {origin}\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

/// Polls until `ok` holds for a fetched body, or gives up after a generous bound.
fn eventually(server: &Server, path: &str, ok: impl Fn(&str) -> bool) -> String {
    let until = Instant::now() + Duration::from_secs(30);
    loop {
        let (_, _, body) = get(&server.origin, path);
        if ok(&body) || Instant::now() > until {
            return body;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn estate_file(root: &Path) -> PathBuf {
    let dir = root.join("content/campaigns/2025/estates");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "yaml"))
        .unwrap()
}

// Edits show up in the served page; a broken edit keeps the old page and reports the error
// to the page's reload script; fixing it recovers.
#[test]
fn rebuilds_on_change_and_overlays_errors() {
    let dir = site();
    let server = start(dir.path());
    let (status, head, home) = get(&server.origin, &server.base);
    assert_eq!(status, 200, "{head}");
    assert!(head.contains("text/html; charset=utf-8"), "{head}");
    assert!(
        home.contains("/__jiayuan/reload.js"),
        "reload script not injected"
    );

    let file = estate_file(dir.path());
    let original = std::fs::read_to_string(&file).unwrap();
    let slug = file.file_stem().unwrap().to_string_lossy().into_owned();
    let page = format!("{}2025/estates/{slug}/", server.base);
    let renamed = original.replacen("name: ", "name: 改名后的小区", 1);
    std::fs::write(&file, &renamed).unwrap();
    let body = eventually(&server, &page, |b| b.contains("改名后的小区"));
    assert!(body.contains("改名后的小区"), "edit never appeared");

    std::fs::write(&file, format!("{renamed}conty: 容县\n")).unwrap();
    let poll = eventually(&server, "/__jiayuan/poll", |b| b.contains("未知字段"));
    assert!(poll.contains("未知字段 `conty`"), "{poll}");
    let (_, _, still) = get(&server.origin, &page);
    assert!(still.contains("改名后的小区"), "last good page not kept");

    std::fs::write(&file, &original).unwrap();
    let poll = eventually(&server, "/__jiayuan/poll", |b| b.contains("\"errors\":[]"));
    assert!(poll.contains("\"errors\":[]"), "{poll}");
    let body = eventually(&server, &page, |b| !b.contains("改名后的小区"));
    assert!(!body.contains("改名后的小区"));
}

// Missing pages get the site's 404 page with status 404; the root redirects to the sub-path.
#[test]
fn not_found_and_sub_path() {
    let dir = site();
    let server = start(dir.path());
    let (status, _, body) = get(&server.origin, &format!("{}no/such/page/", server.base));
    assert_eq!(status, 404);
    assert!(body.contains("<html"), "{body}");
    if server.base != "/" {
        let (status, head, _) = get(&server.origin, "/");
        assert_eq!(status, 302, "{head}");
        assert!(
            head.contains(&format!("Location: {}", server.base)),
            "{head}"
        );
    }
    let (status, head, _) = get(&server.origin, &format!("{}sitemap.xml", server.base));
    assert_eq!(status, 200);
    assert!(head.contains("application/xml; charset=utf-8"), "{head}");
}

// A problem only rendering finds (a broken link) is shown over the new content: the page
// has the edit, and the overlay's state says the site is the latest one.
#[test]
fn background_check_reports_what_would_stop_a_build() {
    let dir = site();
    let server = start(dir.path());
    let file = estate_file(dir.path());
    let original = std::fs::read_to_string(&file).unwrap();
    let slug = file.file_stem().unwrap().to_string_lossy().into_owned();
    let page = format!("{}2025/estates/{slug}/", server.base);
    // The record's own summary (if any, it is the last field) becomes a broken link.
    let head = original.split("\nsummary:").next().unwrap();
    let linked = format!(
        "{}\nsummary: 见[不存在的页面](/2025/estates/no-such-estate/)。\n",
        head.trim_end().replacen("name: ", "name: 带断链的小区", 1)
    );
    std::fs::write(&file, &linked).unwrap();
    let poll = eventually(&server, "/__jiayuan/poll", |b| b.contains("no-such-estate"));
    assert!(poll.contains("no-such-estate"), "{poll}");
    assert!(poll.contains("\"latest\":true"), "{poll}");
    let (_, _, body) = get(&server.origin, &page);
    assert!(body.contains("带断链的小区"), "the new content is served");
}

// The served files equal a clean build of the same content, and `build` output never
// contains the reload script.
#[test]
fn preview_equals_clean_build() {
    let dir = site();
    let server = start(dir.path());
    let file = estate_file(dir.path());
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replacen("name: ", "name: 第二次", 1)).unwrap();
    let page = format!(
        "{}2025/estates/{}/",
        server.base,
        file.file_stem().unwrap().to_string_lossy()
    );
    assert!(eventually(&server, &page, |b| b.contains("第二次")).contains("第二次"));

    let out = tempfile::tempdir().unwrap();
    let built = out.path().join("site");
    let status = Command::new(BIN)
        .args(["build", "--today", "2025-09-25", "--base-url"])
        .arg(format!("http://preview.invalid{}", server.base))
        .arg("--root")
        .arg(dir.path())
        .arg("--output")
        .arg(&built)
        .status()
        .unwrap();
    assert!(status.success());
    // Every built file is served with the same content; pages only gain the reload script.
    let mut files = 0;
    for entry in walkdir::WalkDir::new(&built) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(&built).unwrap();
        let rel = rel.to_string_lossy().replace('\\', "/");
        let bytes = std::fs::read(entry.path()).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("__jiayuan"), "{rel} has the reload script");
        let encoded: String = rel
            .bytes()
            .map(|b| match b {
                b if b.is_ascii_graphic() => (b as char).to_string(),
                b => format!("%{b:02X}"),
            })
            .collect();
        let (status, _, body) = get(&server.origin, &format!("{}{encoded}", server.base));
        assert_eq!(status, 200, "{rel}");
        let served = match body.find("<script src=\"/__jiayuan/reload.js\"") {
            Some(i) => {
                let end = i + body[i..].find("</script>").unwrap() + "</script>".len();
                format!("{}{}", &body[..i], &body[end..])
            }
            None => body,
        };
        assert!(served == text, "{rel} differs from a clean build");
        files += 1;
    }
    assert!(files > 20, "{files} files compared");
}
