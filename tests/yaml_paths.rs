//! The YAML tree has three paths: line by line (fastest, plain records only), straight from
//! the parser's events (ordinary records) and through serde-saphyr (the reference, and the
//! only one that reports errors).
//! `parse` must give exactly what `parse_reference` gives, for every text: the same tree
//! with the same positions and scalar types, or the same error. These tests compare them
//! over every YAML text in the repository, a generated site, systematic scalar spellings
//! and many mutations of all of these.
//!
//! `JIAYUAN_YAML_CORPUS=DIR` also compares every file of a site folder (for example a
//! 10,000-estate benchmark corpus), which takes a while in a debug build.

mod common;
#[allow(dead_code)]
#[path = "../examples/gen_corpus/main.rs"]
mod gen_corpus;

use std::path::{Path, PathBuf};

use common::Rng;
use jiayuan::load::frontmatter;
use jiayuan::load::yaml::{parse, parse_events, parse_lines, parse_reference};

/// Asserts that each fast path that answers, and `parse`, give what `parse_reference`
/// gives for `text` at `offset`; whether the event path and the line path answered.
fn check_paths(text: &str, offset: u32, what: &str) -> (bool, bool) {
    let reference = parse_reference(text, offset);
    let events = parse_events(text, offset);
    let lines = parse_lines(text, offset);
    for (path, tree) in [("event", &events), ("line", &lines)] {
        if let Some(node) = tree {
            assert_eq!(
                Ok(node),
                reference.as_ref(),
                "{path} path: {what} (offset {offset}):\n{text}"
            );
        }
    }
    assert_eq!(parse(text, offset), reference, "{what} (offset {offset})");
    (events.is_some(), lines.is_some())
}

/// `check_paths` at two line offsets; whether the event path and the line path answered.
fn agree(text: &str, what: &str) -> (bool, bool) {
    let (mut fast, mut by_line) = (false, false);
    for offset in [0, 5] {
        let (events, lines) = check_paths(text, offset, what);
        fast |= events;
        by_line |= lines;
    }
    (fast, by_line)
}

/// The YAML texts of a file: the whole of a `.yaml`/`.yml`, the front matter of a `.md`
/// (with the line offset the loader uses), and for anything else the whole text.
fn yaml_texts(path: &Path) -> Vec<(String, u32)> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    match path.extension().and_then(|e| e.to_str()) {
        Some("md") => match frontmatter::split(&text) {
            Ok(s) => vec![(s.front.to_string(), s.front_first_line - 1)],
            Err(_) => Vec::new(),
        },
        _ => vec![(text, 0)],
    }
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn repo_files(sub: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    files_under(&Path::new(env!("CARGO_MANIFEST_DIR")).join(sub), &mut out);
    out.retain(|p| {
        sub == "fuzz/corpus"
            || matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "md")
            )
    });
    out
}

/// Compares every YAML text of `files`; returns (texts, texts the event path handled,
/// texts the line path handled).
fn compare_files(files: &[PathBuf]) -> (usize, usize, usize) {
    let (mut all, mut fast, mut by_line) = (0, 0, 0);
    for file in files {
        for (text, offset) in yaml_texts(file) {
            all += 1;
            let (events, lines) = check_paths(&text, offset, &file.display().to_string());
            fast += events as usize;
            by_line += lines as usize;
        }
    }
    (all, fast, by_line)
}

// The bundled example site, the test fixtures and the fuzz seeds: both paths agree, and
// every record of the example site takes the event path.
#[test]
fn repository_texts() {
    let (all, fast, by_line) = compare_files(&repo_files("content"));
    assert!(all > 40);
    assert_eq!(fast, all, "an example record left the event path");
    assert!(
        by_line * 10 >= all * 9,
        "{by_line} of {all} on the line path"
    );
    for sub in ["tests/fixtures", "fuzz/corpus"] {
        let (all, _, _) = compare_files(&repo_files(sub));
        assert!(all > 10, "{sub}");
    }
}

// A generated site (the benchmark generator) agrees too, entirely on the event path.
#[test]
fn generated_site() {
    let dir = tempfile::tempdir().unwrap();
    let opts = gen_corpus::Options {
        estates: 60,
        cases: 12,
        years: 3,
        seed: 7,
    };
    gen_corpus::generate(&opts, dir.path()).unwrap();
    let mut files = Vec::new();
    files_under(dir.path(), &mut files);
    let (all, fast, by_line) = compare_files(&files);
    assert!(all > 70);
    assert_eq!(fast, all);
    assert_eq!(by_line, all, "every generated record is plain");
}

// Any site folder named by JIAYUAN_YAML_CORPUS (skipped when unset).
#[test]
fn external_corpus() {
    let Some(dir) = std::env::var_os("JIAYUAN_YAML_CORPUS") else {
        return;
    };
    let mut files = Vec::new();
    files_under(Path::new(&dir), &mut files);
    files.retain(|p| {
        matches!(
            p.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "md")
        )
    });
    let (all, fast, by_line) = compare_files(&files);
    eprintln!("{all} texts, {fast} on the event path, {by_line} on the line path");
}

/// Scalar spellings whose typing is easy to get wrong: nulls, booleans, numbers of every
/// form, numbers as text, special floats, dates, signs and radixes.
const SCALARS: &[&str] = &[
    "",
    "~",
    "null",
    "Null",
    "NULL",
    "nULL",
    "true",
    "True",
    "TRUE",
    "tRUE",
    "false",
    "FALSE",
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "0",
    "-0",
    "+0",
    "00",
    "07",
    "-07",
    "+07",
    "0775",
    "1",
    "-1",
    "+1",
    "12",
    "123456789",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775808",
    "-9223372036854775809",
    "99999999999999999999999999999999999999999",
    "1.5",
    "-1.5",
    "+1.5",
    "8.50",
    "00.5",
    "01.5",
    "0.0",
    ".5",
    "-.5",
    "1.",
    "-1.",
    ".",
    "-.",
    "+.",
    "-",
    "+",
    "1.2.3",
    "1e3",
    "1E3",
    "1e-3",
    "-1e+3",
    "1e999",
    "-1e999",
    "1.5e3",
    ".1e2",
    "1e",
    "e3",
    "1_000",
    "1__0",
    "_1",
    "1_",
    "0x1F",
    "0x1f",
    "0X1F",
    "0o17",
    "0O17",
    "0b101",
    "0B101",
    "0x",
    "-0x1f",
    "+0x1f",
    ".inf",
    "-.inf",
    "+.inf",
    ".Inf",
    ".INF",
    ".nan",
    ".NaN",
    ".NAN",
    "-.nan",
    "+.nan",
    "inf",
    "-inf",
    "nan",
    "NaN",
    "infinity",
    "Infinity",
    "2025-09-25",
    "2025-9-5",
    "12:30",
    "1:2:3",
    "3号楼",
    "1,000",
    "1 000",
    "1.5万",
    "50%",
    "0.9",
    "1/2",
    "+-1",
    "-+1",
    "--1",
    "1-",
    "1+",
    "3A",
    "0a",
    "12b",
    "1.5.",
    "..5",
    "0.",
    "0e0",
    "<<",
    "=",
    "a",
    "名称",
    "a b",
    "-a",
    "+a",
    ".a",
    "~a",
];

// Every scalar spelling as a value (plain and quoted), as a key, and in a flow list.
#[test]
fn scalar_spellings() {
    let mut fast = 0;
    for s in SCALARS {
        for text in [
            format!("v: {s}\n"),
            format!("v: '{s}'\n"),
            format!("v: \"{s}\"\n"),
            format!("v: [{s}, x]\n"),
            format!("v: {{k: {s}}}\n"),
            format!("v:\n  - {s}\n"),
            format!("{s}: 1\n"),
            format!("'{s}': 1\n"),
            format!("a: 1\n{s}: 2\n"),
            format!("v: |\n  {s}\n"),
        ] {
            fast += agree(&text, s).0 as usize;
        }
    }
    assert!(fast > SCALARS.len() * 5, "{fast}");
}

// Structures the event path must handle or decline exactly right.
#[test]
fn structures() {
    for text in [
        "a: 1\nb:\n  c: [1, 2, {d: e}]\n  f: {}\ng: []\n",
        "a:\n- 1\n- - 2\n  - 3\n- k: v\n  l: w\n",
        "? a\n: 1\n? b\n",
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "a: !custom 1\n",
        "<<: {a: 1}\nb: 2\n",
        "'<<': 1\n",
        "a: 1\na: 2\n",
        "a: 1\n'a': 2\n",
        "1: a\n01: b\n",
        "0X1: a\n0x1: b\n",
        "~: 1\n",
        ": 1\n",
        "[a]: 1\n",
        "{a: 1}: 2\n",
        "a: 1\n---\nb: 2\n",
        "---\na: 1\n...\n",
        "---\na: 1\n",
        "%YAML 1.2\n---\na: 1\n",
        "\u{feff}a: 1\n",
        "- 1\n- 2\n",
        "plain\n",
        "# only a comment\n",
        "   \n",
        "",
        "a: 1 # comment\n# c\nb: 2\n",
        "a: \"x\\ny\"\nb: 'it''s'\n",
        "a: >\n  folded\n  text\n\n  more\nb: |-\n  kept\n",
        "a: |+\n  keep\n\n",
        "a: multi\n  line plain\n",
        "a: 1\r\nb: 2\r\n",
        "a: 1\rb: 2\r",
        "a:\tb\n",
        "a: [1,\n  2]\n",
        "a: {b: [c, {d: 1}]}\n",
        "a: [b: 1, c]\n",
        "a:\n  b:\n    c:\n      d:\n        e:\n          f:\n            g: 1\n",
        "a: 1\n  b: 2\n",
        "a: [1, 2\nb: 3\n",
        "a: 'x\n",
        "a: b: c\n",
        "key with spaces: 1\n名称: 值\n",
        "a: 2025-09-25\nb: 12:30\n",
        // What the line path must get exactly right or decline.
        "a: 文字\u{3000}\nb: \u{3000}文字\nc: 文字\u{3000}# 注\nd: x\u{a0}\n",
        "a: 'q'#c\nb: \"q\"#c\nc: [x]#c\n",
        "a: |#c\n  x\n",
        "a: |\n  x\n# c\n  y\n",
        "a: |\n  x\n    y\n\n  z\n\n\nb: 1\n",
        "a: |\n\n   \n  x\n",
        "a: |-\n  x\n  ",
        "a: |\n  x",
        "a:\n  - b: 1\n    c: |\n      t\n  -   d: 2\n      e: 3\n",
        "a:\n  - x\n   - y\n",
        "a: x #c\n  # deeper comment\nb: y\n",
        "a: x#y\nb: http://e.cn/#z\nc: a, b\nd: a[1]\n",
        "a: -1\nb: - x\nc: -x\n",
        "a: {b: c}x\n",
        "a: ['x', \"y\", z]\n",
        "a: { b: c , d: e }\n",
        "a: \"\u{2028}\"\nb: x\u{85}y\n",
    ] {
        agree(text, text);
    }
    // Deep nesting on either side of the limits.
    for depth in [10, 13, 14, 15, 16, 17, 20] {
        agree(
            &format!("a: {}1{}\n", "[".repeat(depth), "]".repeat(depth)),
            "flow",
        );
        let block: String = (0..depth)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect();
        agree(&format!("{block}{}x\n", " ".repeat(depth)), "block");
    }
    // Around the node cap.
    for n in [9_990, 10_010, 19_999, 20_001] {
        agree(&format!("l: [{}]\n", vec!["x"; n].join(", ")), "nodes");
    }
}

/// Fragments that change how YAML reads a text.
const FRAGMENTS: &[&str] = &[
    "&a ", "*a", "!!str ", "!x ", "<<: ", "[", "]", "{", "}", ", ", ": ", "- ", "? ", "#", "'",
    "\"", "|", ">", "\t", "\n", "  ", "---\n", "...\n", "~", "null", "true", "07", "1.5", "1e3",
    ".inf", "\\", "%", "@", "`", "0x1F", "-", "\r", "\u{3000}", "：", "名",
];

fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut t: Vec<char> = text.chars().collect();
    for _ in 0..1 + rng.below(3) {
        let at = rng.below(t.len() + 1);
        match rng.below(5) {
            0 if !t.is_empty() => {
                let end = (at + 1 + rng.below(8)).min(t.len());
                t.drain(at.min(end)..end);
            }
            1 => {
                // Repeat a line: duplicate keys, misplaced items.
                let s: String = t.iter().collect();
                let lines: Vec<&str> = s.split_inclusive('\n').collect();
                if !lines.is_empty() {
                    let i = rng.below(lines.len());
                    let j = rng.below(lines.len());
                    let mut out: Vec<&str> = lines.clone();
                    out.insert(j, lines[i]);
                    t = out.concat().chars().collect();
                }
            }
            _ => {
                let f = FRAGMENTS[rng.below(FRAGMENTS.len())];
                t.splice(at..at, f.chars());
            }
        }
    }
    t.into_iter().collect()
}

// Random mutations of real records and of the structures above keep both paths equal.
#[test]
fn mutations() {
    let mut seeds: Vec<String> = Vec::new();
    for f in repo_files("content") {
        seeds.extend(yaml_texts(&f).into_iter().map(|(t, _)| t));
    }
    seeds.retain(|s| s.len() < 4_000);
    seeds.truncate(40);
    seeds.push("a: 1\nb:\n  c: [1, 2, {d: e}]\n  f: {}\ng: []\nh:\n  - x: 1\n    y: '2'\n".into());
    let mut rng = Rng(0x5EED);
    let (mut all, mut fast, mut by_line) = (0, 0, 0);
    for seed in &seeds {
        for _ in 0..60 {
            let text = mutate(seed, &mut rng);
            all += 1;
            let (events, lines) = agree(&text, "mutation");
            fast += events as usize;
            by_line += lines as usize;
        }
    }
    // Most mutations stay ordinary YAML, so the fast paths are really being compared.
    assert!(fast * 4 > all, "{fast} of {all}");
    assert!(by_line * 5 > all, "{by_line} of {all} on the line path");
}
