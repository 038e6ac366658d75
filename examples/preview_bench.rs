//! Times the preview's rebuild after saving one estate, as `jiayuan serve` does it, without
//! the file watcher's quiet period or the browser:
//!
//! ```text
//! cargo run --release --example preview_bench -- SITE [SAVES]
//! ```
//!
//! SITE is changed: one estate file of the newest year is rewritten SAVES times (default
//! 9), each time with a different name, and the rebuild after each save is timed. Prints
//! every time and the median in milliseconds. Run it on a copy (e.g. of a generated
//! corpus).

use std::path::{Path, PathBuf};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(root) = args.first().map(PathBuf::from) else {
        eprintln!("usage: preview_bench SITE [SAVES]");
        std::process::exit(2);
    };
    let saves: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(9);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    let base = "http://preview.invalid/";
    jiayuan::load::cache::set_enabled(true);
    jiayuan::render::markdown::memo::set_enabled(true);
    let t = Instant::now();
    let first = make(&root, today, base, None);
    println!(
        "first build: {} pages in {} ms",
        first.page_count(),
        t.elapsed().as_millis()
    );
    let estate = newest_estate(&root);
    let original = std::fs::read_to_string(&estate).unwrap();
    let mut times = Vec::new();
    let mut served = first;
    for i in 0..saves {
        let edited = original.replacen("name: ", &format!("name: 第{i}次修改 "), 1);
        std::fs::write(&estate, edited).unwrap();
        let t = Instant::now();
        let site = make(&root, today, base, Some(&served));
        let took = t.elapsed().as_secs_f64() * 1000.0;
        // Served at once: the page of the estate that changed.
        let t2 = Instant::now();
        let page = site.get(&page_of(&estate));
        assert!(matches!(page, Some(Ok(_))), "the page renders");
        let page_ms = t2.elapsed().as_secs_f64() * 1000.0;
        println!(
            "save {}: rebuild {took:.0} ms, its page {page_ms:.1} ms",
            i + 1
        );
        times.push(took);
        // As `serve` does, the replaced site is freed off the rebuild's path.
        jiayuan::render::free_later(std::mem::replace(&mut served, site));
    }
    std::fs::write(&estate, original).unwrap();
    times.sort_by(f64::total_cmp);
    println!("median rebuild: {:.0} ms", times[times.len() / 2]);
}

fn make(
    root: &Path,
    today: chrono::NaiveDate,
    base: &str,
    previous: Option<&jiayuan::serve::Snapshot>,
) -> jiayuan::serve::Snapshot {
    match jiayuan::serve::Snapshot::make(root, today, base, previous) {
        Ok((site, _)) => site,
        Err(_) => panic!("the site has errors; run `jiayuan check` on it"),
    }
}

/// The output file of an estate's page.
fn page_of(estate: &Path) -> String {
    let slug = estate.file_stem().unwrap().to_string_lossy();
    let year = estate
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .file_name()
        .unwrap();
    let year: i32 = year.to_string_lossy().parse().unwrap();
    jiayuan::render::urls::output_file(&jiayuan::render::urls::path::estate(year, &slug))
}

/// The first estate file of the newest campaign year.
fn newest_estate(root: &Path) -> PathBuf {
    let campaigns = root.join("content/campaigns");
    let mut years: Vec<PathBuf> = std::fs::read_dir(&campaigns)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    years.sort();
    let mut estates: Vec<PathBuf> = std::fs::read_dir(years.last().unwrap().join("estates"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    estates.sort();
    estates.swap_remove(0)
}
