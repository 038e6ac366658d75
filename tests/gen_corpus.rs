//! The benchmark corpus generator (`examples/gen_corpus`) writes a deterministic site that
//! follows the content contract. The generator is compiled into this test as a module, so
//! `cargo test --test gen_corpus` needs no prebuilt example binary.

#[allow(dead_code)]
#[path = "../examples/gen_corpus/main.rs"]
mod gen_corpus;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use gen_corpus::{CRITERIA, Options, generate};
use jiayuan::load::yaml::{Node, Value, parse};

fn tiny(seed: u64) -> Options {
    Options {
        estates: 30,
        cases: 6,
        years: 3,
        seed,
    }
}

/// Every file under `root`, by relative path, with its bytes.
fn tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap().to_path_buf();
                out.insert(rel, fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

fn get<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    node.get(key)
}

fn text(node: &Node, key: &str) -> String {
    get(node, key)
        .and_then(Node::scalar_text)
        .unwrap_or_else(|| panic!("missing or non-scalar `{key}`"))
}

fn seq<'a>(node: &'a Node, key: &str) -> &'a [Node] {
    match get(node, key).map(|n| &n.value) {
        Some(Value::Seq(items)) => items,
        other => panic!("`{key}` is not a list: {other:?}"),
    }
}

fn entries(node: &Node) -> &[(jiayuan::load::yaml::Key, Node)] {
    match &node.value {
        Value::Map(entries) => entries,
        other => panic!("not a map: {other:?}"),
    }
}

/// Points as hundredths; panics on more than two decimals.
fn hundredths(s: &str) -> u32 {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    assert!(frac.len() <= 2, "more than two decimals: {s}");
    int.parse::<u32>().unwrap() * 100 + format!("{frac:0<2}").parse::<u32>().unwrap()
}

fn parse_file(path: &Path) -> Node {
    let text = fs::read_to_string(path).unwrap();
    parse(&text, 0).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()))
}

/// Front matter (parsed, with file line numbers) and body of a Markdown file.
fn front_matter(path: &Path) -> (Node, String) {
    let text = fs::read_to_string(path).unwrap();
    let rest = text
        .strip_prefix("---\n")
        .expect("front matter opens the file");
    let (yaml, body) = rest.split_once("\n---\n").expect("front matter is closed");
    let node = parse(yaml, 1).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
    (node, body.to_string())
}

fn stems(dir: &Path, ext: &str) -> BTreeSet<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .map(|p| p.file_stem().unwrap().to_str().unwrap().to_string())
        .collect()
}

fn cjk_chars(s: &str) -> usize {
    s.chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .count()
}

// The same arguments give byte-identical trees; another seed gives another tree.
#[test]
fn same_seed_same_bytes() {
    let (a, b, c) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let sa = generate(&tiny(7), a.path()).unwrap();
    generate(&tiny(7), b.path()).unwrap();
    generate(&tiny(8), c.path()).unwrap();
    let (ta, tb, tc) = (tree(a.path()), tree(b.path()), tree(c.path()));
    assert_eq!(ta.len(), sa.files);
    assert!(ta == tb, "same seed, different trees");
    assert!(ta != tc, "different seeds, same tree");
}

// The site has every file of the contract, and each record holds what the contract requires
// in a shape that raises no warning: counties of the campaign, criteria within their max with
// at most two decimals, satisfaction at or above the minimum, submission before the deadline.
#[test]
fn tiny_corpus_follows_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    let opts = tiny(1);
    generate(&opts, dir.path()).unwrap();
    let content = dir.path().join("content");
    for f in ["site.yaml", "pages/about.md"] {
        assert!(content.join(f).is_file(), "{f} missing");
    }
    let site = parse_file(&content.join("site.yaml"));
    for key in ["title", "base_url", "publisher"] {
        assert!(!text(&site, key).is_empty());
    }
    front_matter(&content.join("pages/about.md"));

    let (mut n_estates, mut n_cases) = (0, 0);
    for year in 2024..=2026 {
        let cdir = content.join(format!("campaigns/{year}"));
        let campaign = parse_file(&cdir.join("campaign.yaml"));
        assert_eq!(text(&campaign, "year"), year.to_string());
        let counties: BTreeSet<String> = seq(&campaign, "counties")
            .iter()
            .map(|n| n.scalar_text().unwrap())
            .collect();
        assert_eq!(counties.len(), 7);
        let scoring = get(&campaign, "scoring").unwrap();
        assert_eq!(text(scoring, "method"), "trimmed_mean");
        let criteria: BTreeMap<String, u32> = seq(scoring, "criteria")
            .iter()
            .map(|c| (text(c, "key"), hundredths(&text(c, "max"))))
            .collect();
        assert_eq!(criteria.len(), CRITERIA.len());
        let deadlines = get(&campaign, "deadlines").unwrap();
        let deadline = text(deadlines, "submission");
        let (notice, _) = front_matter(&cdir.join("notice.md"));
        assert!(!text(&notice, "title").is_empty());

        let estates = stems(&cdir.join("estates"), "yaml");
        let mut per_county: BTreeMap<String, usize> = BTreeMap::new();
        for slug in &estates {
            assert!(
                slug.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "bad slug {slug}"
            );
            let e = parse_file(&cdir.join(format!("estates/{slug}.yaml")));
            for key in ["name", "county", "address", "property_company"] {
                assert!(!text(&e, key).is_empty(), "{slug}: empty {key}");
            }
            let county = text(&e, "county");
            assert!(counties.contains(&county), "{slug}: county {county}");
            *per_county.entry(county).or_default() += 1;
            assert!(
                ["业主委员会", "物业管理委员会", "无"].contains(&text(&e, "owners_body").as_str())
            );
            let sat = get(&e, "satisfaction").unwrap();
            let surveyed: u32 = text(sat, "surveyed").parse().unwrap();
            let satisfied: u32 = text(sat, "satisfied").parse().unwrap();
            assert!(
                satisfied <= surveyed && satisfied * 10 >= surveyed * 9,
                "{slug}"
            );
            assert!(text(&e, "submitted") <= deadline, "{slug}: late");
            let contact = get(&e, "contact").unwrap();
            assert_eq!(text(contact, "phone").len(), 11, "{slug}: phone");
            let sheets = seq(&e, "scores");
            assert_eq!(sheets.len(), 5, "{slug}");
            for sheet in sheets {
                assert!(!text(sheet, "expert").is_empty());
                let given: BTreeMap<String, u32> = entries(get(sheet, "criteria").unwrap())
                    .iter()
                    .map(|(k, v)| (k.name.clone(), hundredths(&v.scalar_text().unwrap())))
                    .collect();
                assert_eq!(
                    given.keys().collect::<Vec<_>>(),
                    criteria.keys().collect::<Vec<_>>()
                );
                for (key, points) in &given {
                    assert!(*points <= criteria[key], "{slug}: {key} = {points}");
                }
            }
            let summary = text(&e, "summary");
            assert!(
                (150..=500).contains(&cjk_chars(&summary)),
                "{slug}: summary size"
            );
        }
        // Every county has a nominee each year.
        assert_eq!(per_county.len(), 7, "{year}");
        n_estates += estates.len();

        for slug in stems(&cdir.join("experiences"), "md") {
            let (fm, body) = front_matter(&cdir.join(format!("experiences/{slug}.md")));
            for key in ["title", "author", "date", "summary"] {
                assert!(!text(&fm, key).is_empty(), "{slug}: empty {key}");
            }
            assert!(!seq(&fm, "tags").is_empty());
            let estate = text(&fm, "estate");
            assert!(
                estates.contains(&estate),
                "{year}/{slug}: estate {estate} is not of the same year"
            );
            assert!(body.contains("\n## 主要做法\n") && body.contains("| --- |"));
            assert!(
                (2_000..=4_500).contains(&cjk_chars(&body)),
                "{slug}: body size"
            );
            n_cases += 1;
        }
    }
    assert_eq!((n_estates, n_cases), (opts.estates, opts.cases));
}

/// Runs the real binary with `args`; panics with its output unless it succeeds.
fn jiayuan_ok(args: &[&str]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jiayuan"))
        .args(args)
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(
        out.status.success(),
        "jiayuan {args:?} failed\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    format!("{stdout}{stderr}")
}

// A generated site passes `check --strict` (no error, no warning) on the benchmark's build
// date, and builds: the benchmark times real builds, never a refused one.
#[test]
fn tiny_corpus_passes_check_and_builds() {
    let dir = tempfile::tempdir().unwrap();
    generate(&tiny(1), dir.path()).unwrap();
    let root = dir.path().to_str().unwrap();
    let today = "2026-11-26";
    jiayuan_ok(&["check", "--strict", "--root", root, "--today", today]);
    jiayuan_ok(&["build", "--root", root, "--today", today]);
    assert!(dir.path().join("public/index.html").is_file());
}

// Too few estates for seven counties in every year is refused with a message.
#[test]
fn too_few_estates_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let err = generate(
        &Options {
            estates: 20,
            ..tiny(1)
        },
        dir.path(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("at least 21"), "{err}");
}
