//! Measures the search index: build time, total size, and the bytes a phone downloads for
//! a few typical queries. Either of a real site, or of a synthetic one made from the
//! sentences of a real site, scaled up:
//!
//! ```text
//! cargo run --example search_stats -- --site .                 # the example content
//! cargo run --example search_stats -- --site . --synthetic 10000 2000 [--out DIR]
//! ```

use chrono::NaiveDate;
use jiayuan::render::search::{self, DocKind, DocRef, SearchDoc, SearchIndex};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::Instant;

const QUERIES: [&str; 6] = [
    "加装电梯",
    "玉州",
    "物业服务有限公司",
    "业委会",
    "梯",
    "wifi",
];
/// Results per page in search.js: the doc chunks of the first page are downloaded.
const PAGE: usize = 10;

fn main() {
    let mut args = std::env::args().skip(1);
    let mut site = PathBuf::from(".");
    let mut synthetic: Option<(usize, usize)> = None;
    let mut out: Option<PathBuf> = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--site" => site = args.next().expect("--site DIR").into(),
            "--out" => out = Some(args.next().expect("--out DIR").into()),
            "--synthetic" => {
                let n = |s: Option<String>| s.and_then(|s| s.parse().ok()).expect("a number");
                synthetic = Some((n(args.next()), n(args.next())));
            }
            other => panic!("unknown argument {other}"),
        }
    }
    let today = NaiveDate::from_ymd_opt(2025, 9, 25).unwrap();
    let t = Instant::now();
    let (checked, diags) = jiayuan::pipeline::check(&site, today);
    assert_eq!(
        diags.error_count(),
        0,
        "the site has errors; run jiayuan check"
    );
    let docs = search::site_docs(&checked.site, &|r| match r {
        DocRef::Estate { year, slug } => format!("{year}/estates/{slug}/"),
        DocRef::Case { year, slug } => format!("{year}/cases/{slug}/"),
        DocRef::Notice { year } => format!("{year}/notice/"),
        DocRef::Page { slug } => format!("{slug}/"),
    });
    println!("load and check: {:.2?}", t.elapsed());
    let docs = match synthetic {
        Some((estates, cases)) => synthesize(&docs, estates, cases),
        None => docs,
    };
    let text: usize = docs
        .iter()
        .map(|d| d.title.len() + d.body.len() + d.fields.iter().map(String::len).sum::<usize>())
        .sum();
    println!(
        "documents: {} ({} estates, {} cases), {:.1} MiB of text",
        docs.len(),
        docs.iter().filter(|d| d.kind == DocKind::Estate).count(),
        docs.iter().filter(|d| d.kind == DocKind::Case).count(),
        text as f64 / 1048576.0
    );

    // The reference index in memory, for ranking the queries below; a build never makes it.
    let (t, cpu) = (Instant::now(), cpu_seconds());
    let index = SearchIndex::new(&docs);
    let indexed = (t.elapsed(), cpu_seconds() - cpu);
    // The files, streamed as a build makes them (documents inverted again as they come);
    // only sizes are kept (and the files written with --out).
    let (t, cpu) = (Instant::now(), cpu_seconds());
    let mut sizes: BTreeMap<String, usize> = BTreeMap::new();
    let mut manifest = Vec::new();
    index
        .write(|name, bytes| {
            sizes.insert(name.to_owned(), bytes.len());
            if name.ends_with("index.json") {
                manifest = bytes.to_vec();
            }
            match &out {
                Some(dir) => {
                    let p = dir.join(name);
                    std::fs::create_dir_all(p.parent().unwrap())?;
                    std::fs::write(p, bytes)
                }
                None => Ok(()),
            }
        })
        .expect("the index is written");
    println!(
        "build (the files, streamed): {:.2?} wall, {:.2} s CPU; the reference index in memory: {:.2?} wall, {:.2} s CPU",
        t.elapsed(),
        cpu_seconds() - cpu,
        indexed.0,
        indexed.1,
    );
    let (postings, single) = index.postings();
    println!("postings: {postings}, of which {single} for single characters");
    let size = |prefix: &str| -> (usize, usize) {
        let f: Vec<_> = sizes.iter().filter(|(n, _)| n.contains(prefix)).collect();
        (f.len(), f.iter().map(|(_, b)| **b).sum())
    };
    let (nt, st) = size("/terms-");
    let (nd, sd) = size("/docs-");
    println!(
        "terms: {}; term shards: {nt} files, {:.2} MiB; doc chunks: {nd} files, {:.2} MiB; manifest {:.1} KiB",
        index.terms(),
        st as f64 / 1048576.0,
        sd as f64 / 1048576.0,
        manifest.len() as f64 / 1024.0
    );
    let m: serde_json::Value = serde_json::from_slice(&manifest).unwrap();
    let shards = m["shards"].as_u64().unwrap() as u32;
    let mut chunks: Vec<usize> = vec![0];
    for n in search::decode_numbers(m["chunks"].as_str().unwrap()).unwrap() {
        chunks.push(chunks.last().unwrap() + n as usize);
    }
    let bytes_of = |name: String| sizes.get(&name).copied().unwrap_or(0);
    for q in QUERIES {
        let t = Instant::now();
        let hits = index.search(q);
        let took = t.elapsed();
        let shard_files: BTreeSet<u32> = search::query_terms(q)
            .iter()
            .map(|t| search::shard_of(t, shards))
            .collect();
        let chunk_files: BTreeSet<usize> = hits
            .iter()
            .take(PAGE)
            .map(|&id| chunks.partition_point(|&s| s <= id) - 1)
            .collect();
        let terms: usize = shard_files
            .iter()
            .map(|s| bytes_of(format!("search/terms-{s}.json")))
            .sum();
        let docs: usize = chunk_files
            .iter()
            .map(|c| bytes_of(format!("search/docs-{c}.json")))
            .sum();
        println!(
            "{q}: {} results; downloads {:.0} KiB = manifest {:.1} + {} shard(s) {:.0} + {} chunk(s) {:.0}; ranked in {took:.2?}",
            hits.len(),
            (manifest.len() + terms + docs) as f64 / 1024.0,
            manifest.len() as f64 / 1024.0,
            shard_files.len(),
            terms as f64 / 1024.0,
            chunk_files.len(),
            docs as f64 / 1024.0,
        );
    }
    if let Some(out) = &out {
        println!("written to {}", out.display());
    }
}

/// User plus system time of this process so far, from `/proc/self/stat` (Linux; 0 elsewhere):
/// on a shared machine wall time says little.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command name.
    (ticks(11) + ticks(12)) / 100.0
}

/// A deterministic generator (xorshift), so every run measures the same corpus.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
}

/// Estates and cases made of the real site's sentences, with one character in thirty
/// swapped for a random one of the site's characters, so that the vocabulary grows with
/// the corpus as real text does rather than repeating the same few thousand bigrams.
fn synthesize(real: &[SearchDoc], estates: usize, cases: usize) -> Vec<SearchDoc> {
    let mut sentences: Vec<String> = Vec::new();
    for d in real {
        for s in d.body.split(['。', '；', '！', '？', '\n']) {
            if s.chars().count() >= 8 {
                sentences.push(format!("{s}。"));
            }
        }
    }
    let chars: Vec<char> = real
        .iter()
        .flat_map(|d| d.body.chars())
        .filter(|&c| search::is_han(c))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let counties = [
        "玉州区",
        "福绵区",
        "容县",
        "陆川县",
        "博白县",
        "兴业县",
        "北流市",
    ];
    let suffixes = [
        "花园", "小区", "家园", "新村", "雅苑", "名居", "华府", "新城",
    ];
    let tags = [
        "党建引领",
        "业委会规范运行",
        "老旧小区改造",
        "完整社区",
        "延伸服务",
        "矛盾纠纷化解",
        "智慧物业",
    ];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let word = |rng: &mut Rng, n: usize| -> String { (0..n).map(|_| *rng.pick(&chars)).collect() };
    let text = |rng: &mut Rng, len: usize| -> String {
        let mut s = String::new();
        while s.chars().count() < len {
            for c in rng.pick(&sentences).chars() {
                s.push(if rng.below(30) == 0 && search::is_han(c) {
                    *rng.pick(&chars)
                } else {
                    c
                });
            }
        }
        s
    };
    let mut docs = Vec::with_capacity(estates + cases);
    for i in 0..estates {
        let year = 2025 - (i % 5) as i32;
        let county = counties[i % counties.len()];
        let name = format!("{}{}", word(&mut rng, 2), rng.pick(&suffixes));
        docs.push(SearchDoc {
            url: format!("{year}/estates/e{i:05}/"),
            title: name,
            kind: DocKind::Estate,
            county: Some(county.to_owned()),
            year: Some(year),
            fields: vec![
                format!("{}街道", word(&mut rng, 2)),
                format!("{}社区", word(&mut rng, 2)),
                format!("玉林市{county}{}路 {} 号", word(&mut rng, 2), i % 300 + 1),
                format!("广西{}物业服务有限公司", word(&mut rng, 2 + i % 3)),
            ],
            body: text(&mut rng, 300),
        });
    }
    for i in 0..cases {
        let year = 2025 - (i % 5) as i32;
        let mut body = String::new();
        for h in ["小区概况", "主要做法", "取得成效", "经验启示"] {
            body.push_str(h);
            body.push('\n');
            body.push_str(&text(&mut rng, 750));
            body.push('\n');
        }
        docs.push(SearchDoc {
            url: format!("{year}/cases/c{i:04}/"),
            title: text(&mut rng, 14).chars().take(18).collect(),
            kind: DocKind::Case,
            county: Some(counties[i % counties.len()].to_owned()),
            year: Some(year),
            fields: vec![
                rng.pick(&tags).to_string(),
                rng.pick(&tags).to_string(),
                text(&mut rng, 60),
            ],
            body,
        });
    }
    docs
}
