//! Replays the committed fuzz corpus (`fuzz/corpus/<target>/`) through the same
//! properties the cargo-fuzz targets check, so every `cargo test` on stable Rust re-runs
//! the seeds and every crash ever found and saved there.

mod props;

use std::path::Path;

fn replay(target: &str, property: impl Fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no seeds in {}", dir.display());
    for file in files {
        let data = std::fs::read(&file).unwrap();
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| property(&data)));
        assert!(outcome.is_ok(), "property broken by {}", file.display());
    }
}

// Each target's corpus satisfies its property.
#[test]
fn yaml_parse() {
    replay("yaml_parse", props::yaml_parse);
}

#[test]
fn yaml_paths() {
    replay("yaml_paths", props::yaml_paths);
}

#[test]
fn frontmatter() {
    replay("frontmatter", props::frontmatter);
}

#[test]
fn prelint() {
    replay("prelint", props::prelint);
}

#[test]
fn site_check() {
    let site = props::FuzzSite::new();
    replay("site_check", |d| site.site_check(d));
}

#[test]
fn import_csv() {
    replay("import_csv", props::import_csv);
}

#[test]
fn markdown() {
    replay("markdown", props::markdown);
}
