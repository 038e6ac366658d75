//! The preview's invariant: after any edit, the in-memory site `serve` shows is the site
//! `jiayuan build` writes from the same files, byte for byte, file for file, and it fails
//! when the build fails, with the same errors. The preview parses and renders again only
//! what changed (`load::cache`, `markdown::memo`), so this applies a seeded series of
//! random edits to a copy of the bundled example and compares after every one.

mod common;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use common::{Rng, copy_dir, tree};
use jiayuan::diag::Diagnostics;
use jiayuan::pipeline::{self, BuildFailure};
use jiayuan::serve::Snapshot;

const BASE: &str = "http://preview.invalid/mhjy/";

fn files_in(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    v.sort();
    v
}

/// One random edit of the kinds a user makes; returns what it did, for the failure message.
/// `broken` holds the undo of each edit that may leave the site failing: the file's old
/// text, or `None` for a file to remove; undoing one is itself an edit.
fn edit(root: &Path, rng: &mut Rng, broken: &mut Vec<(PathBuf, Option<String>)>) -> String {
    // Mostly the current year; sometimes the past one, while the current stays as it was.
    let year = if rng.below(4) == 0 { "2024" } else { "2025" };
    let year = root.join("content/campaigns").join(year);
    let estates = files_in(&year.join("estates"), "yaml");
    let cases = files_in(&year.join("experiences"), "md");
    let estate = &estates[rng.below(estates.len())];
    let text = std::fs::read_to_string(estate).unwrap();
    let name = estate.file_name().unwrap().to_string_lossy().to_string();
    // Undoing two times in three: at one in two, an early breakage could stay at the
    // bottom of the stack for most of the series.
    if !broken.is_empty() && rng.below(3) != 0 {
        // Last in, first out, so that undoing restores states that did build.
        let (path, text) = broken.pop().unwrap();
        match text {
            Some(text) => std::fs::write(&path, text).unwrap(),
            None if path.is_dir() => std::fs::remove_dir_all(&path).unwrap(),
            None => std::fs::remove_file(&path).unwrap(),
        }
        return format!("undid the edit of {}", path.display());
    }
    match rng.below(15) {
        0 => {
            let n = rng.below(100);
            std::fs::write(estate, text.replacen("name: ", &format!("name: 改{n}"), 1)).unwrap();
            format!("renamed the estate in {name}")
        }
        1 => {
            // A score moves: every rank of the year may change.
            let v = format!("{}.5", 20 + rng.below(9));
            let key = "{satisfaction: ";
            if let Some(at) = text.find(key).map(|i| i + key.len()) {
                let end = at + text[at..].find(',').unwrap();
                let edited = format!("{}{v}{}", &text[..at], &text[end..]);
                std::fs::write(estate, edited).unwrap();
            }
            format!("changed a score in {name}")
        }
        2 => {
            // Case studies may name it: the site fails until it is back.
            broken.push((estate.clone(), Some(text.clone())));
            std::fs::remove_file(estate).unwrap();
            format!("deleted {name}")
        }
        3 => {
            let n = rng.below(1000);
            let copy = estate.with_file_name(format!("copy-{n}.yaml"));
            std::fs::write(&copy, text.replacen("name: ", "name: 副本", 1)).unwrap();
            format!("copied {name} to copy-{n}.yaml")
        }
        4 => {
            broken.push((estate.clone(), Some(text.clone())));
            std::fs::write(estate, format!("{text}\nscores: [oops\n")).unwrap();
            format!("broke the YAML of {name}")
        }
        5 => {
            let case = &cases[rng.below(cases.len())];
            let mut body = std::fs::read_to_string(case).unwrap();
            body.push_str(&format!(
                "\n\n## 新增小节{}\n\n补充**说明**。\n",
                rng.below(50)
            ));
            std::fs::write(case, body).unwrap();
            format!("added a section to {}", case.display())
        }
        6 => {
            let target = estate.with_file_name(format!("moved-{}.yaml", rng.below(1000)));
            std::fs::rename(estate, &target).unwrap();
            broken.push((estate.clone(), Some(text.clone())));
            broken.push((target, None));
            format!("renamed the file {name}")
        }
        7 => {
            // The year's settings: a county leaves the list, so its estates no longer
            // validate although their files did not change.
            let settings = year.join("campaign.yaml");
            let text = std::fs::read_to_string(&settings).unwrap();
            broken.push((settings.clone(), Some(text.clone())));
            std::fs::write(&settings, text.replacen("容县, ", "", 1)).unwrap();
            "took 容县 out of campaign.yaml".to_string()
        }
        8 => {
            let settings = year.join("campaign.yaml");
            let text = std::fs::read_to_string(&settings).unwrap();
            let edited = text.replacen("title: ", &format!("title: 第{}", rng.below(9)), 1);
            std::fs::write(&settings, edited).unwrap();
            format!("changed the campaign title in {}", settings.display())
        }
        10 => {
            // The site settings: every page shows the site's name, and a year's publicity
            // notice its publisher, though no file of the year changed.
            let settings = root.join("content/site.yaml");
            let text = std::fs::read_to_string(&settings).unwrap();
            let (n, field) = (rng.below(9), ["title: ", "publisher: "][rng.below(2)]);
            let edited = text.replacen(field, &format!("{field}第{n}版"), 1);
            std::fs::write(&settings, edited).unwrap();
            format!("changed `{field}` in site.yaml")
        }
        11 => {
            // A new year: 2025 is no longer the current one, though none of its files
            // changed. Removing it again is an undo.
            let new = root.join("content/campaigns/2026");
            if new.exists() {
                return "kept 2026".to_string();
            }
            copy_dir(&root.join("content/campaigns/2025"), &new);
            let settings = new.join("campaign.yaml");
            let text = std::fs::read_to_string(&settings).unwrap();
            std::fs::write(&settings, text.replacen("year: 2025", "year: 2026", 1)).unwrap();
            broken.push((new, None));
            "added the year 2026".to_string()
        }
        12 => {
            let notice = year.join("notice.md");
            let mut text = std::fs::read_to_string(&notice).unwrap();
            text.push_str(&format!("\n\n补充通知第{}条。\n", rng.below(50)));
            std::fs::write(&notice, text).unwrap();
            format!("added to {}", notice.display())
        }
        13 => {
            // The estate a case study tells of lists it by title: its page changes too,
            // though its own file did not.
            let case = &cases[rng.below(cases.len())];
            let text = std::fs::read_to_string(case).unwrap();
            let edited = text.replacen("title: ", &format!("title: 新{}", rng.below(50)), 1);
            std::fs::write(case, edited).unwrap();
            format!("retitled {}", case.display())
        }
        14 => {
            // One fewer satisfied household: the estate's rate changes, its rank most
            // likely not.
            let key = "satisfied: ";
            if let Some(at) = text.find(key).map(|i| i + key.len()) {
                let end = at + text[at..].find(|c: char| !c.is_ascii_digit()).unwrap();
                let n: u32 = text[at..end].parse().unwrap();
                let edited = format!("{}{}{}", &text[..at], n.saturating_sub(1), &text[end..]);
                std::fs::write(estate, edited).unwrap();
            }
            format!("changed the satisfaction survey of {name}")
        }
        _ => {
            // A link to a page that does not exist: only rendering every page finds it.
            let case = &cases[rng.below(cases.len())];
            let mut body = std::fs::read_to_string(case).unwrap();
            body.push_str("\n\n见[不存在的页面](/2025/estates/no-such-estate/)。\n");
            broken.push((case.clone(), Some(std::fs::read_to_string(case).unwrap())));
            std::fs::write(case, body).unwrap();
            format!("linked a missing page from {}", case.display())
        }
    }
}

/// A copy of the bundled example to edit (kept while the folder lives), where a build
/// writes, and the build date: during the 2025 campaign's publicity.
fn example_copy() -> (tempfile::TempDir, PathBuf, PathBuf, NaiveDate) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_dir(&repo.join("content"), &root.join("content"));
    let out = dir.path().join("public");
    (
        dir,
        root,
        out,
        NaiveDate::from_ymd_opt(2025, 9, 25).unwrap(),
    )
}

/// What `serve` does on a save: the caches on, and the site being served (the last that
/// built) to take unchanged years from.
fn preview(
    root: &Path,
    today: NaiveDate,
    previous: Option<&Snapshot>,
) -> Result<(Snapshot, Diagnostics), BuildFailure> {
    set_caches(true);
    Snapshot::make(root, today, BASE, previous)
}

/// What `jiayuan build` does: every file parsed and rendered afresh.
fn clean_build(root: &Path, out: &Path, today: NaiveDate) -> Result<pipeline::Built, BuildFailure> {
    set_caches(false);
    pipeline::build(root, out, today, Some(BASE))
}

fn set_caches(on: bool) {
    jiayuan::load::cache::set_enabled(on);
    // Unchanged years are taken over once their files are this old; the series edits
    // within milliseconds, and the file system's clock ticks every few.
    jiayuan::load::cache::set_racy_margin(std::time::Duration::from_millis(50));
    jiayuan::render::markdown::memo::set_enabled(on);
}

#[test]
fn preview_equals_clean_build_after_random_edits() {
    let (_dir, root, out, today) = example_copy();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut broken = Vec::new();
    let mut history = vec!["the bundled example".to_string()];
    let (mut ok, mut failed) = (0, 0);
    let mut served: Option<Snapshot> = None;
    for _ in 0..80 {
        let step = history.join(" → ");
        let made = preview(&root, today, served.as_ref());
        let _ = std::fs::remove_dir_all(&out);
        match (clean_build(&root, &out, today), made) {
            (Ok(_), Ok((site, _))) => {
                assert_same(&site, &out, &step);
                served = Some(site);
                ok += 1;
            }
            (Err(b), Ok((site, _))) => {
                // Content was fine; the build failed rendering (e.g. a broken link).
                let want = b.errors();
                assert!(!want.is_empty());
                assert_eq!(site.problems(), want, "same problems after: {step}");
                served = Some(site);
                failed += 1;
            }
            (Err(b), Err(p)) => {
                assert_eq!(p.errors(), b.errors(), "same errors after: {step}");
                failed += 1;
            }
            (Ok(_), Err(p)) => panic!(
                "preview failed but build did not after {step}: {:?}",
                p.errors()
            ),
        }
        history.push(edit(&root, &mut rng, &mut broken));
    }
    // The series must exercise both outcomes, or it proves less than it claims.
    assert!(
        ok >= 15 && failed >= 10,
        "{ok} good and {failed} failing states"
    );
}

/// The preview shows what the build wrote to `out`, file for file, and finds no problem.
fn assert_same(site: &Snapshot, out: &Path, step: &str) {
    let built = tree(out);
    let paths: Vec<String> = site.paths();
    let listed: Vec<String> = built.keys().cloned().collect();
    assert_eq!(paths, listed, "same files after: {step}");
    for (rel, bytes) in &built {
        let got = site.get(rel).unwrap().unwrap();
        assert!(got == *bytes, "{rel} differs after: {step}");
    }
    assert_eq!(site.problems(), Vec::<String>::new(), "after: {step}");
}

/// Within an edited year, the preview takes over each estate's and case study's record
/// whose inputs are unchanged (`render::reuse`). Each edit here changes a record through
/// another file or through a derived fact, never through the record's own file alone, so
/// a rule that missed that input would show the old record.
#[test]
fn records_taken_over_change_with_what_they_show() {
    let (_dir, root, out, today) = example_copy();
    let year = "content/campaigns/2025";
    let estate = format!("{year}/estates/yuzhou-jinwan-huayuan.yaml");
    let other = format!("{year}/estates/yuzhou-nanjiang-yayuan.yaml");
    let case = format!("{year}/experiences/jinwan-sanfang-yishi.md");
    let edits = [
        // The case study names the estate: its card shows the new name.
        (&estate, "name: ", "name: 改名"),
        // No case study names this one: only its own record changes.
        (&other, "name: ", "name: 改名"),
        // The estate's page lists the case study by its title.
        (&case, "title: ", "title: 新"),
        // One fewer satisfied household: the estate's rate changes, its rank does not.
        (&estate, "satisfied: 1166", "satisfied: 1165"),
        // The case study moves to another estate of the county: the first estate's file
        // is unchanged, but its page no longer lists the case.
        (
            &case,
            "estate: yuzhou-jinwan-huayuan",
            "estate: yuzhou-nanjiang-yayuan",
        ),
    ];
    let (mut served, _) = ok(preview(&root, today, None));
    for (file, from, to) in edits {
        let path = root.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} has `{from}`");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        let (site, _) = ok(preview(&root, today, Some(&served)));
        let _ = std::fs::remove_dir_all(&out);
        ok(clean_build(&root, &out, today));
        assert_same(&site, &out, &format!("`{from}` → `{to}` in {file}"));
        served = site;
    }
}

/// The result of a preview or build that must succeed, else its errors.
fn ok<T>(made: Result<T, BuildFailure>) -> T {
    made.unwrap_or_else(|e| panic!("{:?}", e.errors()))
}
