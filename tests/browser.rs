//! The browser suite: builds the example site with the real binary, then runs
//! `tests/browser/run.mjs`, which serves it on loopback under its sub-path and drives
//! Debian's headless Chromium (scenarios, axe-core, screenshots: docs/browser-tests.md).
//!
//! A missing Chromium or missing npm packages fail this test: a browser suite that passes
//! without a browser would hide every defect it exists to find.

use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_jiayuan");
/// The example site's address; pinned here so the run always exercises a sub-path.
const BASE_URL: &str = "https://example.gov.cn/mhjy/";
const BASE_PATH: &str = "/mhjy/";
const SETUP: &str = "run `bash tests/setup.sh` first: it installs Debian's chromium package \
                     and the suite's npm packages (npm install in tests/browser)";

fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM_PATH")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

#[test]
fn example_site_in_chromium() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let suite = repo.join("tests/browser");

    let chromium = chromium();
    assert!(
        chromium.is_file(),
        "{} is missing, so the browser tests cannot run: {SETUP}",
        chromium.display()
    );
    for package in ["playwright-core", "axe-core"] {
        assert!(
            suite.join("node_modules").join(package).is_dir(),
            "tests/browser/node_modules/{package} is missing, so the browser tests cannot run: {SETUP}"
        );
    }
    let node = Command::new("node").arg("--version").output();
    assert!(
        node.as_ref().is_ok_and(|o| o.status.success()),
        "`node` (Node.js 20 or later) is not on PATH, so the browser tests cannot run: {node:?}"
    );

    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("public");
    let build = Command::new(BIN)
        .args([
            "build",
            "--today",
            "2025-09-25",
            "--base-url",
            BASE_URL,
            "--root",
        ])
        .arg(repo)
        .arg("--output")
        .arg(&site)
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "building the example site failed:\n{}{}",
        String::from_utf8_lossy(&build.stdout),
        String::from_utf8_lossy(&build.stderr)
    );

    let run = Command::new("node")
        .arg(suite.join("run.mjs"))
        .arg(&site)
        .arg(BASE_PATH)
        .env("CHROMIUM_PATH", &chromium)
        .current_dir(repo)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        run.status.success(),
        "the browser suite failed ({}); its report:\n{stdout}{stderr}",
        run.status
    );
    // The report of a passing run, for `cargo test --test browser -- --nocapture`.
    println!("{stdout}{stderr}");
}
