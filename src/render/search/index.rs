//! The inverted index: documents in their stable order, the posting encoding, the
//! reference ranking, and the files written to the site, made as a stream.

use rayon::prelude::*;

use super::invert::{DIGITS, Inverter, push_number};
use super::plain_text::{find_byte, push_collapsed};
use super::tokenize::{Mix, is_han, mix, query_terms, shard_of};
use super::{CLASS_FIELD, CLASS_TITLE, DIR, DocKind, FORMAT_VERSION, SearchDoc};

/// Average bytes per term shard. A query reads one shard per term, and a shard holds the
/// term's own list plus, on average, this much of other terms' lists: small shards keep a
/// query's download close to what it needs, at the price of more files (about 2,000 for
/// 10,000 estates and 2,000 case studies).
const SHARD_TARGET: usize = 8 * 1024;
const MAX_SHARDS: usize = 8192;
/// Bytes per document chunk: a page of results loads at most one chunk per result.
const CHUNK_TARGET: usize = 8 * 1024;
/// Documents made at once.
const BATCH: usize = 512;
/// Shards made at once.
const GROUP: usize = 256;

/// The stable order of documents, which is also the last tie-break of the ranking: the
/// newest campaign first, then by type, then by address.
pub(super) fn order<'s>(
    year: Option<i32>,
    kind: DocKind,
    url: &'s str,
    title: &'s str,
) -> impl Ord + 's {
    (year.is_none(), std::cmp::Reverse(year), kind, url, title)
}

fn doc_order(d: &SearchDoc) -> impl Ord + '_ {
    order(d.year, d.kind, &d.url, &d.title)
}

/// The index in memory, for the reference ranking that the script follows
/// ([`SearchIndex::search`]) and for tests: documents in id order and every posting list.
/// A build never makes it; it streams the files with [`write_in_order`].
#[derive(Clone, Debug)]
pub struct SearchIndex<'a> {
    docs: Vec<&'a SearchDoc>,
    /// Each term with its postings, `(doc id << 2) | class`, ascending; sorted by term.
    terms: Vec<(Box<str>, Vec<u32>)>,
}

impl<'a> SearchIndex<'a> {
    pub fn new(docs: &'a [SearchDoc]) -> SearchIndex<'a> {
        let docs = in_order(docs);
        let mut inverter = Inverter::default();
        for d in &docs {
            inverter.add(d);
        }
        let terms = inverter
            .into_terms()
            .into_iter()
            .map(|(term, list)| (term, decode_postings(&list)))
            .collect();
        SearchIndex { docs, terms }
    }

    /// Documents in id order.
    pub fn docs(&self) -> &[&'a SearchDoc] {
        &self.docs
    }

    /// The number of distinct terms.
    pub fn terms(&self) -> usize {
        self.terms.len()
    }

    /// The number of postings (document–term pairs), and how many of them are single Han
    /// characters.
    pub fn postings(&self) -> (usize, usize) {
        let single = |t: &str| {
            let mut c = t.chars();
            c.next().is_some_and(is_han) && c.next().is_none()
        };
        self.terms.iter().fold((0, 0), |(all, one), (t, p)| {
            (all + p.len(), one + if single(t) { p.len() } else { 0 })
        })
    }

    pub(super) fn lookup(&self, term: &str) -> Option<&[u32]> {
        self.terms
            .binary_search_by(|(t, _)| (**t).cmp(term))
            .ok()
            .map(|i| self.terms[i].1.as_slice())
    }

    /// Ranked ids of the documents that contain every term of the query: more terms in the
    /// title first, then more terms in the key fields, then the stable document order.
    pub fn search(&self, query: &str) -> Vec<usize> {
        let terms = query_terms(query);
        let Some(mut lists) = terms
            .iter()
            .map(|t| self.lookup(t))
            .collect::<Option<Vec<_>>>()
        else {
            return Vec::new();
        };
        let Some(shortest) = lists.iter().map(|l| l.len()).min() else {
            return Vec::new();
        };
        let first = lists.iter().position(|l| l.len() == shortest).unwrap_or(0);
        let head = lists.remove(first);
        // (id, title terms, field terms)
        let mut hits: Vec<(u32, u32, u32)> =
            head.iter().map(|&p| tally((p >> 2, 0, 0), p)).collect();
        for list in lists {
            let mut kept = Vec::with_capacity(hits.len());
            let mut j = 0;
            for h in hits {
                while j < list.len() && list[j] >> 2 < h.0 {
                    j += 1;
                }
                if j < list.len() && list[j] >> 2 == h.0 {
                    kept.push(tally(h, list[j]));
                }
            }
            hits = kept;
        }
        hits.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(&b.0)));
        hits.into_iter().map(|h| h.0 as usize).collect()
    }

    /// Hands each index file to `sink`, as a build writes them (see [`write_in_order`]).
    pub fn write<E: Send>(
        &self,
        sink: impl FnMut(&str, &[u8]) -> Result<(), E> + Send,
    ) -> Result<(), E> {
        write_in_order(&self.docs, |d| (*d).clone(), sink)
    }

    /// All index files in memory, sorted by path.
    pub fn files(&self) -> Vec<(String, Vec<u8>)> {
        build(self.docs.iter().copied())
    }
}

/// References to `docs` in id order.
fn in_order<'a>(docs: impl IntoIterator<Item = &'a SearchDoc>) -> Vec<&'a SearchDoc> {
    let mut docs: Vec<&SearchDoc> = docs.into_iter().collect();
    docs.sort_by(|a, b| doc_order(a).cmp(&doc_order(b)));
    docs
}

/// Hands each index file of `items`, which are in the documents' id order (see
/// [`order`]), to `sink` as `(path under the output folder, bytes)`. `make` gives an
/// item's document.
///
/// Documents are made a batch at a time on every core while the batch before is inverted
/// and cut into chunks, each written as soon as it is full; the postings are kept encoded.
/// So no more than two batches of documents' text are held at once. The term shards
/// follow, a group at a time in parallel, then the manifest. The same documents always
/// give the same files.
pub fn write_in_order<T: Sync, E: Send>(
    items: &[T],
    make: impl Fn(&T) -> SearchDoc + Sync,
    mut sink: impl FnMut(&str, &[u8]) -> Result<(), E> + Send,
) -> Result<(), E> {
    let made = |batch: &[T]| -> Vec<(SearchDoc, String)> {
        batch
            .par_iter()
            .map(|item| {
                let d = make(item);
                let record = doc_record(&d);
                (d, record)
            })
            .collect()
    };
    let mut chunks = Chunks::default();
    let mut inverter = Inverter::default();
    let mut batches = items.chunks(BATCH);
    let mut ready = batches.next().map(made).unwrap_or_default();
    loop {
        let next = batches.next();
        let (done, next) = rayon::join(
            || -> Result<(), E> {
                for (d, record) in ready {
                    inverter.add(&d);
                    chunks.push(&record, &mut sink)?;
                }
                Ok(())
            },
            || next.map(made),
        );
        done?;
        match next {
            Some(n) => ready = n,
            None => break,
        }
    }
    chunks.finish(&mut sink)?;

    // The stamp changes with any content, so the script never mixes files of two builds
    // from a browser cache. It folds the term shards in, then the chunks.
    let mut stamp = Mix::default();
    let mut fold = |name: &str, hash: u64| {
        use std::hash::Hasher;
        stamp.write(name.as_bytes());
        stamp.write_u64(hash);
    };
    let terms = inverter.into_terms();
    // What each term adds to its shard: `"term":"postings",`.
    let sizes: Vec<usize> = terms
        .iter()
        .map(|(t, list)| t.len() + list.len() + 6)
        .collect();
    let total: usize = sizes.iter().sum();
    let shards = total.div_ceil(SHARD_TARGET).clamp(1, MAX_SHARDS);
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); shards];
    for (i, (term, _)) in terms.iter().enumerate() {
        members[shard_of(term, shards as u32) as usize].push(i);
    }
    for (g, group) in members.chunks(GROUP).enumerate() {
        let made: Vec<Vec<u8>> = group
            .par_iter()
            .map(|m| shard_json(&terms, m, m.iter().map(|&i| sizes[i]).sum()))
            .collect();
        for (k, json) in made.into_iter().enumerate() {
            let name = format!("{DIR}/terms-{}.json", g * GROUP + k);
            fold(&name, word_key_bytes(&json));
            sink(&name, &json)?;
        }
    }
    for (name, hash) in &chunks.written {
        fold(name, *hash);
    }

    let manifest = serde_json::json!({
        "version": FORMAT_VERSION,
        "stamp": format!("{:016x}", std::hash::Hasher::finish(&stamp)),
        "shards": shards,
        "docs": items.len(),
        // The number of documents in each chunk, as digits like the postings: compact
        // enough for tens of thousands of chunks.
        "chunks": String::from_utf8(chunks.sizes).expect("digits are ASCII"),
        "kinds": DocKind::ALL.iter().map(|k| k.label()).collect::<Vec<_>>(),
    });
    let bytes = serde_json::to_vec(&manifest).expect("the manifest serialises");
    sink(&format!("{DIR}/index.json"), &bytes)
}

/// Documents' records cut into chunk files of about [`CHUNK_TARGET`] bytes.
#[derive(Default)]
struct Chunks {
    /// The chunk being filled: `[record,record…`.
    open: String,
    /// Records in `open`.
    records: u64,
    /// The number of records in each chunk written, as [`push_number`] writes them.
    sizes: Vec<u8>,
    /// Each chunk written, with its content hash for the stamp.
    written: Vec<(String, u64)>,
}

impl Chunks {
    fn push<E>(
        &mut self,
        record: &str,
        sink: &mut impl FnMut(&str, &[u8]) -> Result<(), E>,
    ) -> Result<(), E> {
        if self.records > 0 && self.open.len() + record.len() + 2 > CHUNK_TARGET {
            self.close(sink)?;
        }
        self.open.push(if self.records == 0 { '[' } else { ',' });
        self.open.push_str(record);
        self.records += 1;
        Ok(())
    }

    fn finish<E>(&mut self, sink: &mut impl FnMut(&str, &[u8]) -> Result<(), E>) -> Result<(), E> {
        if self.records > 0 {
            self.close(sink)?;
        }
        Ok(())
    }

    fn close<E>(&mut self, sink: &mut impl FnMut(&str, &[u8]) -> Result<(), E>) -> Result<(), E> {
        self.open.push(']');
        let name = format!("{DIR}/docs-{}.json", self.written.len());
        let bytes = std::mem::take(&mut self.open).into_bytes();
        self.written.push((name, word_key_bytes(&bytes)));
        push_number(&mut self.sizes, self.records);
        self.records = 0;
        sink(&self.written.last().expect("just pushed").0, &bytes)
    }
}

/// One shard: `{"term":"postings",…}` in term order; `size` is its length, near enough.
fn shard_json(terms: &[(Box<str>, Vec<u8>)], members: &[usize], size: usize) -> Vec<u8> {
    let mut out = String::with_capacity(size + 2);
    out.push('{');
    for &i in members {
        if out.len() > 1 {
            out.push(',');
        }
        let (term, list) = &terms[i];
        push_json_str(&mut out, term);
        out.push_str(":\"");
        out.push_str(std::str::from_utf8(list).expect("digits are ASCII"));
        out.push('"');
    }
    out.push('}');
    out.into_bytes()
}

/// A content hash of a file, folded into the stamp.
fn word_key_bytes(bytes: &[u8]) -> u64 {
    let words = bytes.chunks_exact(8);
    let tail = words.remainder();
    let h = words.fold(0u64, |h, w| {
        mix(h ^ u64::from_le_bytes(w.try_into().expect("eight bytes")))
    });
    if tail.is_empty() {
        return h;
    }
    // The last bytes padded with zeros to a word.
    let mut w = [0u8; 8];
    w[..tail.len()].copy_from_slice(tail);
    mix(h ^ u64::from_le_bytes(w))
}

fn tally(h: (u32, u32, u32), posting: u32) -> (u32, u32, u32) {
    match (posting & 3) as u8 {
        CLASS_TITLE => (h.0, h.1 + 1, h.2),
        CLASS_FIELD => (h.0, h.1, h.2 + 1),
        _ => h,
    }
}

/// Builds the index files for `docs`, in any order, sorted by path (see the module
/// documentation for the layout; [`write_in_order`] streams them instead).
pub fn build<'a>(docs: impl IntoIterator<Item = &'a SearchDoc>) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    write_in_order(
        &in_order(docs),
        |d| (*d).clone(),
        |name, bytes| {
            files.push((name.to_owned(), bytes.to_vec()));
            Ok::<(), std::convert::Infallible>(())
        },
    )
    .unwrap_or_else(|e| match e {});
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// Postings `(doc id << 2) | class` from their encoding (see [`push_number`]).
fn decode_postings(list: &[u8]) -> Vec<u32> {
    let numbers = std::str::from_utf8(list)
        .ok()
        .and_then(decode_numbers)
        .expect("the inverter writes digits");
    let mut prev = -1i64;
    numbers
        .into_iter()
        .map(|v| {
            let id = prev + (v >> 2) as i64;
            prev = id;
            ((id as u32) << 2) | (v & 3) as u32
        })
        .collect()
}

/// Reads back numbers written by [`push_number`] (the manifest's `chunks`, or postings
/// before their gaps are summed); `None` on a stray character or a cut-off number.
pub fn decode_numbers(s: &str) -> Option<Vec<u64>> {
    let mut out = Vec::new();
    let (mut v, mut shift) = (0u64, 0u32);
    for b in s.bytes() {
        let d = DIGITS.iter().position(|&x| x == b)? as u64;
        v |= (d & 31).checked_shl(shift)?;
        shift += 5;
        if d < 32 {
            out.push(v);
            v = 0;
            shift = 0;
        }
    }
    (shift == 0).then_some(out)
}

/// `[url, title, type, county, year, text]`; the text is what snippets are cut from.
fn doc_record(d: &SearchDoc) -> String {
    let mut text = String::with_capacity(d.body.len() + 256);
    for part in d.fields.iter().map(String::as_str).chain([d.body.as_str()]) {
        let mark = text.len();
        if mark > 0 {
            text.push_str(" · ");
        }
        if !push_collapsed(&mut text, part) {
            text.truncate(mark);
        }
    }
    let mut out = String::with_capacity(text.len() + d.url.len() + d.title.len() + 64);
    out.push('[');
    push_json_str(&mut out, &d.url);
    out.push(',');
    push_json_str(&mut out, &d.title);
    out.push(',');
    push_number_text(&mut out, d.kind.index() as i64);
    out.push(',');
    push_json_str(&mut out, d.county.as_deref().unwrap_or(""));
    out.push(',');
    push_number_text(&mut out, i64::from(d.year.unwrap_or(0)));
    out.push(',');
    push_json_str(&mut out, &text);
    out.push(']');
    out
}

fn push_number_text(out: &mut String, n: i64) {
    use std::fmt::Write;
    write!(out, "{n}").expect("a String takes any text");
}

/// A JSON string, escaped as `serde_json` does: quote, backslash and control characters
/// only, the usual short forms where JSON has them.
fn push_json_str(out: &mut String, s: &str) {
    out.push('"');
    let mut rest = s;
    while let Some(i) = find_byte(rest.as_bytes(), |b| (b < 0x20) | (b == b'"') | (b == b'\\')) {
        out.push_str(&rest[..i]);
        let b = rest.as_bytes()[i];
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x0C => out.push_str("\\f"),
            _ => {
                use std::fmt::Write;
                write!(out, "\\u{b:04x}").expect("a String takes any text");
            }
        }
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
    out.push('"');
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    #[test]
    fn output_does_not_depend_on_the_number_of_threads() {
        let docs = sample();
        let with = |n| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .unwrap()
                .install(|| build(&docs))
        };
        assert_eq!(with(1), with(3));
    }

    /// Also the fixture of the tokenizer's tests.
    pub(crate) fn doc(
        url: &str,
        kind: DocKind,
        title: &str,
        fields: &[&str],
        body: &str,
    ) -> SearchDoc {
        SearchDoc {
            url: url.to_owned(),
            title: title.to_owned(),
            kind,
            county: Some("玉州区".to_owned()),
            year: Some(2025),
            fields: fields.iter().map(|s| s.to_string()).collect(),
            body: body.to_owned(),
        }
    }

    fn sample() -> Vec<SearchDoc> {
        vec![
            doc(
                "2025/estates/a/",
                DocKind::Estate,
                "示例·金湾花园",
                &["名山街道", "示例金湾物业服务有限公司"],
                "小区去年完成了加装电梯和监控。",
            ),
            doc(
                "2025/cases/lift/",
                DocKind::Case,
                "老旧小区加装电梯的协商办法",
                &["老旧小区改造"],
                "加装电梯前先征求意见。",
            ),
            doc(
                "2025/cases/other/",
                DocKind::Case,
                "电梯维保公开",
                &["智慧物业", "安防监控"],
                "加装监控后，电梯故障少了；装电子屏。",
            ),
            doc(
                "pages/about/",
                DocKind::Page,
                "关于本站",
                &[],
                "本站介绍 WiFi 覆盖和１２个县区。",
            ),
        ]
    }

    fn urls(index: &SearchIndex, hits: &[usize]) -> Vec<String> {
        hits.iter().map(|&i| index.docs()[i].url.clone()).collect()
    }

    #[test]
    fn ranking_puts_title_hits_first() {
        let docs = sample();
        let index = SearchIndex::new(&docs);
        // "other" holds 加装, 装电 and 电梯 apart, so under bigram AND it matches; its title
        // hit on 电梯 puts it above the estate whose body alone has the exact phrase.
        assert_eq!(
            urls(&index, &index.search("加装电梯")),
            ["2025/cases/lift/", "2025/cases/other/", "2025/estates/a/"]
        );
        // Title hits first, then the stable order (estates come before cases in it).
        assert_eq!(
            urls(&index, &index.search("电梯")),
            ["2025/cases/lift/", "2025/cases/other/", "2025/estates/a/"]
        );
        // A key-field hit beats a body hit.
        assert_eq!(
            urls(&index, &index.search("监控")),
            ["2025/cases/other/", "2025/estates/a/"]
        );
    }

    #[test]
    fn ranking_matches_counties_fields_and_normalised_text() {
        let mut docs = sample();
        docs[3].county = None;
        let index = SearchIndex::new(&docs);
        assert_eq!(index.search("玉州").len(), 3, "玉州 matches 玉州区");
        assert_eq!(
            urls(&index, &index.search("物业服务有限公司")),
            ["2025/estates/a/"]
        );
        assert_eq!(urls(&index, &index.search("wifi")), ["pages/about/"]);
        assert_eq!(urls(&index, &index.search("WIFI １２")), ["pages/about/"]);
        assert_eq!(index.search("梯").len(), 3);
        assert_eq!(
            urls(&index, &index.search("2025 改造")),
            ["2025/cases/lift/"]
        );
        assert!(
            index.search("加装电梯 wifi").is_empty(),
            "all terms must match"
        );
        assert!(index.search("不存在的词").is_empty());
        assert!(index.search("，").is_empty());
    }

    #[test]
    fn output_is_deterministic_whatever_the_input_order() {
        let docs = sample();
        let mut reversed = docs.clone();
        reversed.reverse();
        let a = build(&docs);
        assert_eq!(a, build(&reversed));
        assert_eq!(a, build(&docs));
        let names: Vec<&str> = a.iter().map(|(n, _)| n.as_str()).collect();
        assert!(names.contains(&"search/index.json"));
        assert!(names.contains(&"search/terms-0.json"));
        assert!(names.contains(&"search/docs-0.json"));
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        for (name, bytes) in &a {
            let v: serde_json::Value = serde_json::from_slice(bytes).unwrap();
            assert!(v.is_object() || v.is_array(), "{name}");
        }
    }

    #[test]
    fn strings_are_escaped_as_serde_json_does() {
        let mut all: String = (0..0x80u8).map(char::from).collect();
        all.push_str("中文“引号”\u{7f}\u{2028}");
        for text in [
            all.as_str(),
            "",
            "plain",
            "\"",
            "a\\b\nc",
            &"x\u{1}".repeat(20),
        ] {
            let mut out = String::new();
            push_json_str(&mut out, text);
            assert_eq!(out, serde_json::to_string(text).unwrap(), "{text:?}");
        }
    }

    #[test]
    fn postings_round_trip_through_the_encoding() {
        let postings = [2u32, (1 << 2) | 1, 40 << 2, (5000 << 2) | 2, 5001 << 2];
        let mut docs: Vec<SearchDoc> = (0..=5001)
            .map(|i| doc(&format!("{i:05}/"), DocKind::Page, "", &[], ""))
            .collect();
        for (p, text) in postings
            .iter()
            .zip(["正文", "字段", "正文", "标题", "正文"])
        {
            let d = &mut docs[(p >> 2) as usize];
            match (p & 3) as u8 {
                CLASS_TITLE => d.title = text.to_owned(),
                CLASS_FIELD => d.fields = vec![text.to_owned()],
                _ => d.body = text.to_owned(),
            }
        }
        let index = SearchIndex::new(&docs);
        let single = |t: &str| index.lookup(t).unwrap().to_vec();
        let mut all: Vec<u32> = ["正", "字", "标"].into_iter().flat_map(single).collect();
        all.sort();
        assert_eq!(all, postings);
        // In the files: "标" of document 5000 alone, a gap of 5001 from -1, class 2.
        let files = index.files();
        let listed: Vec<String> = files
            .iter()
            .filter(|(n, _)| n.contains("/terms-"))
            .filter_map(|(_, b)| {
                let shard: serde_json::Value = serde_json::from_slice(b).unwrap();
                shard.get("标").map(|l| l.as_str().unwrap().to_owned())
            })
            .collect();
        assert_eq!(listed.len(), 1);
        assert!(listed[0].bytes().all(|b| DIGITS.contains(&b)));
        assert_eq!(decode_numbers(&listed[0]), Some(vec![(5001 << 2) | 2]));
    }

    #[test]
    fn shards_spread_terms_and_chunks_hold_every_document() {
        let docs: Vec<SearchDoc> = (0..400)
            .map(|i| {
                doc(
                    &format!("2025/estates/e{i:03}/"),
                    DocKind::Estate,
                    &format!("第{i}号小区"),
                    &["示例物业服务有限公司"],
                    &"小区开展加装电梯、停车治理、垃圾分类和绿化提升。".repeat(20 + i % 7),
                )
            })
            .collect();
        let files = build(&docs);
        let manifest: serde_json::Value = serde_json::from_slice(
            &files
                .iter()
                .find(|(n, _)| n == "search/index.json")
                .unwrap()
                .1,
        )
        .unwrap();
        let chunks = decode_numbers(manifest["chunks"].as_str().unwrap()).unwrap();
        assert!(chunks.len() > 1, "documents are split into chunks");
        assert_eq!(chunks.iter().sum::<u64>(), 400);
        assert_eq!(decode_numbers("A"), Some(vec![0]));
        assert_eq!(decode_numbers("g"), None, "a number cut off");
        assert_eq!(decode_numbers("*"), None);
        let mut count = 0;
        for (name, bytes) in &files {
            if name.starts_with("search/docs-") {
                assert!(
                    bytes.len() <= CHUNK_TARGET,
                    "{name} is {} bytes",
                    bytes.len()
                );
                let v: serde_json::Value = serde_json::from_slice(bytes).unwrap();
                count += v.as_array().unwrap().len();
            }
        }
        assert_eq!(count, 400);
        assert_eq!(manifest["docs"], 400);
        assert_eq!(manifest["kinds"][1], "案例");
    }
}
