//! Site search: the tokenizer shared with `themes/default/static/search.js`, and the builder
//! of a static inverted index that a phone downloads piece by piece, with no server.
//!
//! Output, all under `search/` in the built site (see `docs/search.md`):
//! - `index.json` — the manifest: format version, a content stamp, the number of term
//!   shards, the number of documents, the number of documents in each document chunk
//!   (encoded as the postings are), and the type labels.
//! - `terms-<i>.json` — one shard of the inverted index: `{term: postings}` for the terms
//!   whose FNV-1a hash modulo the shard count is `i`. Postings are document ids, ascending,
//!   each stored as `(gap << 2) | class` (class 2 = title, 1 = key fields, 0 = body text), as
//!   a variable-length number written in URL-safe base64 digits of 5 bits plus a
//!   continuation bit.
//! - `docs-<j>.json` — consecutive documents `[url, title, type, county, year, text]`, cut
//!   at about 8 KiB so that showing a result costs one small download.
//!
//! The tokenizer must split text exactly as `search.js` splits a query; the shared cases
//! in `tests/search_cases.json` hold both to it.

use rayon::prelude::*;
use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

use crate::model::Site;

/// Bumped whenever the file layout changes, so a stale script can tell.
pub const FORMAT_VERSION: u32 = 1;
/// The folder of the index in the built site.
pub const DIR: &str = "search";
/// Average bytes per term shard. A query reads one shard per term, and a shard holds the
/// term's own list plus, on average, this much of other terms' lists: small shards keep a
/// query's download close to what it needs, at the price of more files (about 2,000 for
/// 10,000 estates and 2,000 case studies).
const SHARD_TARGET: usize = 8 * 1024;
const MAX_SHARDS: usize = 8192;
/// Bytes per document chunk: a page of results loads at most one chunk per result.
const CHUNK_TARGET: usize = 8 * 1024;
/// Documents tokenised at once; bounds the memory held by one batch's terms.
const BATCH: usize = 512;
/// Shards made at once.
const GROUP: usize = 256;
/// Digits of the posting encoding: URL-safe base64, so the strings need no JSON escaping.
const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Where a term occurs in a document; the higher class wins when a term occurs twice.
const CLASS_BODY: u8 = 0;
const CLASS_FIELD: u8 = 1;
const CLASS_TITLE: u8 = 2;

/// The type of a searchable document, shown beside each result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DocKind {
    Estate,
    Case,
    Notice,
    Page,
}

impl DocKind {
    /// In the order of the manifest's `kinds`, which documents refer to by position.
    pub const ALL: [DocKind; 4] = [
        DocKind::Estate,
        DocKind::Case,
        DocKind::Notice,
        DocKind::Page,
    ];

    pub fn label(self) -> &'static str {
        match self {
            DocKind::Estate => "小区",
            DocKind::Case => "案例",
            DocKind::Notice => "公告",
            DocKind::Page => "页面",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// One searchable page, as the renderer describes it. Everything here is published, so it
/// must hold public text only (see [`site_docs`], which never reads a private field).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchDoc {
    /// The page's address relative to the site root, e.g. `2025/estates/yuzhou-jinwan/`;
    /// the script resolves it against the site's base, so it works from a sub-path.
    pub url: String,
    pub title: String,
    pub kind: DocKind,
    pub county: Option<String>,
    pub year: Option<i32>,
    /// Short descriptive fields (street, community, property company, tags, summary …):
    /// a hit here ranks below a title hit and above a body hit.
    pub fields: Vec<String>,
    /// Plain body text (see [`plain_text`] for Markdown).
    pub body: String,
}

// ---------------------------------------------------------------------------------------
// Tokenizer

/// NFKC (full-width letters and digits to half-width) and lowercase, in that order, as
/// `String.prototype.normalize('NFKC').toLowerCase()` does in the script.
///
/// The common CJK ideographs (U+4E00–U+9FFF) are stable under NFKC, never combine with a
/// neighbour and have no case, so they are copied as they are and only the stretches
/// between them go through the normaliser: the same result, several times faster on
/// Chinese text.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
            if let Some(s) = start.take() {
                normalize_segment(&text[s..i], &mut out);
            }
            out.push(c);
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        normalize_segment(&text[s..], &mut out);
    }
    out
}

fn normalize_segment(seg: &str, out: &mut String) {
    if seg.is_ascii() {
        out.extend(seg.chars().map(|c| c.to_ascii_lowercase()));
    } else {
        out.push_str(&seg.nfkc().collect::<String>().to_lowercase());
    }
}

/// Han characters, by explicit ranges so that the script can test exactly the same ones:
/// the unified ideographs with extension A, the compatibility ideographs, planes 2 and 3
/// (extensions B and later), and 々 and 〇.
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3005 | 0x3007 | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

/// Letters and digits of any other script form words; everything else separates.
/// The script uses `[\p{Alphabetic}\p{N}]`, which is what `char::is_alphanumeric` tests.
fn is_word(c: char) -> bool {
    c.is_alphanumeric() && !is_han(c)
}

/// Calls `f(is_han, run)` for each maximal run of Han or of word characters in `norm`.
fn for_each_run<'a>(norm: &'a str, mut f: impl FnMut(bool, &'a str)) {
    let mut start: Option<(usize, bool)> = None;
    for (i, c) in norm.char_indices() {
        let class = if is_han(c) {
            Some(true)
        } else if is_word(c) {
            Some(false)
        } else {
            None
        };
        match (start, class) {
            (Some((_, h)), Some(k)) if h == k => {}
            (Some((s, h)), _) => {
                f(h, &norm[s..i]);
                start = class.map(|k| (i, k));
            }
            (None, _) => start = class.map(|k| (i, k)),
        }
    }
    if let Some((s, h)) = start {
        f(h, &norm[s..]);
    }
}

/// Calls `f` for every term of a Han run: each character, and each overlapping pair.
fn han_terms<'a>(run: &'a str, with_singles: bool, mut f: impl FnMut(&'a str)) {
    let bounds: Vec<usize> = run
        .char_indices()
        .map(|(i, _)| i)
        .chain([run.len()])
        .collect();
    let chars = bounds.len() - 1;
    for k in 0..chars {
        if with_singles {
            f(&run[bounds[k]..bounds[k + 1]]);
        }
        if k + 2 <= chars {
            f(&run[bounds[k]..bounds[k + 2]]);
        }
    }
}

/// Every term under which a text is indexed: Han bigrams and single characters, and
/// whole words. Duplicates are left in; the caller keeps one of each.
pub fn index_terms(text: &str) -> Vec<String> {
    let norm = normalize(text);
    let mut out = Vec::new();
    for_each_run(&norm, |han, run| {
        if han {
            han_terms(run, true, |t| out.push(t.to_owned()));
        } else {
            out.push(run.to_owned());
        }
    });
    out
}

/// The terms a query must all match, in order of first appearance, without repeats: the
/// bigrams of each Han run (its single character when the run has one), and whole words.
pub fn query_terms(query: &str) -> Vec<String> {
    let norm = normalize(query);
    let mut out: Vec<String> = Vec::new();
    let mut push = |t: &str| {
        if !out.iter().any(|o| o == t) {
            out.push(t.to_owned());
        }
    };
    for_each_run(&norm, |han, run| {
        if han && run.chars().nth(1).is_some() {
            han_terms(run, false, &mut push);
        } else {
            push(run);
        }
    });
    out
}

/// The shard holding `term`: FNV-1a (32 bits) of its UTF-8 bytes, modulo the shard count.
pub fn shard_of(term: &str, shards: u32) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for &b in term.as_bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h % shards.max(1)
}

/// The hasher of the build's own maps: the keys are our own content, so there is no one to
/// flood them, and SipHash would cost a large part of the build.
#[derive(Clone, Copy, Default)]
struct Mix(u64);

impl std::hash::Hasher for Mix {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = mix(self.0 ^ u64::from(b));
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = mix(self.0 ^ v);
    }
}

/// Multiply and fold: every input bit reaches the low and the high bits of the result.
fn mix(v: u64) -> u64 {
    let p = u128::from(v ^ 0x2d35_8dcc_aa6c_78a5).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (p as u64) ^ ((p >> 64) as u64)
}

type MixMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Mix>>;

/// Han terms as numbers, which sort and hash far faster than strings: a character is its
/// code point, a pair is both code points (21 bits each) with bit 42 set.
const PAIR: u64 = 1 << 42;

fn pair_key(a: char, b: char) -> u64 {
    PAIR | (u64::from(a) << 21) | u64::from(b)
}

fn key_text(key: u64) -> String {
    let ch = |v: u64| char::from_u32((v & 0x1f_ffff) as u32).expect("a key holds characters");
    if key & PAIR == 0 {
        ch(key).to_string()
    } else {
        [ch(key >> 21), ch(key)].iter().collect()
    }
}

/// One document's distinct terms with their best class: Han keys as `key << 2 | class`,
/// sorted; words (rare in Chinese text) as strings.
struct DocTerms {
    han: Vec<u64>,
    words: Vec<(String, u8)>,
}

fn doc_terms(doc: &SearchDoc) -> DocTerms {
    let chars = doc.body.len() / 3 + doc.fields.iter().map(String::len).sum::<usize>();
    let mut out = DocTerms {
        han: Vec::with_capacity(2 * chars + 64),
        words: Vec::new(),
    };
    let mut words: MixMap<String, u8> = MixMap::default();
    let mut add = |text: &str, class: u8| {
        let norm = normalize(text);
        for_each_run(&norm, |han, run| {
            if han {
                let mut prev: Option<char> = None;
                for c in run.chars() {
                    out.han.push((u64::from(c) << 2) | u64::from(class));
                    if let Some(p) = prev {
                        out.han.push((pair_key(p, c) << 2) | u64::from(class));
                    }
                    prev = Some(c);
                }
            } else if let Some(c) = words.get_mut(run) {
                *c = (*c).max(class);
            } else {
                words.insert(run.to_owned(), class);
            }
        });
    };
    add(&doc.title, CLASS_TITLE);
    if let Some(c) = &doc.county {
        add(c, CLASS_FIELD);
    }
    // The year is a term so that "2025 加装电梯" narrows to one campaign.
    if let Some(y) = doc.year {
        add(&y.to_string(), CLASS_FIELD);
    }
    for f in &doc.fields {
        add(f, CLASS_FIELD);
    }
    add(&doc.body, CLASS_BODY);
    out.han.sort_unstable();
    // Sorted by key then class: keep the last, best, class of each key.
    out.han.dedup_by(|later, kept| {
        let same = *later >> 2 == *kept >> 2;
        if same {
            *kept = *later;
        }
        same
    });
    out.words = words.into_iter().collect();
    out
}

// ---------------------------------------------------------------------------------------
// Index

/// The index in memory: documents in id order and sorted postings. [`SearchIndex::files`]
/// or [`SearchIndex::write`] give the files; [`SearchIndex::search`] is the reference
/// ranking that the script follows.
#[derive(Clone, Debug)]
pub struct SearchIndex<'a> {
    docs: Vec<&'a SearchDoc>,
    /// Sorted by term; each posting is `(doc id << 2) | class`, ascending.
    postings: Vec<(Box<str>, Vec<u32>)>,
}

/// The stable order of documents, which is also the last tie-break of the ranking: the
/// newest campaign first, then by type, then by address.
fn doc_order(d: &SearchDoc) -> impl Ord + '_ {
    (
        d.year.is_none(),
        std::cmp::Reverse(d.year),
        d.kind,
        d.url.as_str(),
        d.title.as_str(),
    )
}

/// One merge partition: the terms that hash to it, each with its posting list.
#[derive(Default)]
struct Partition {
    han: MixMap<u64, Vec<u32>>,
    words: MixMap<Box<str>, Vec<u32>>,
}

fn partition_of(key: u64, parts: usize) -> usize {
    (mix(key) >> 32) as usize % parts
}

fn word_key(word: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = Mix::default();
    h.write(word.as_bytes());
    h.finish()
}

impl<'a> SearchIndex<'a> {
    pub fn new(docs: &'a [SearchDoc]) -> SearchIndex<'a> {
        let mut docs: Vec<&SearchDoc> = docs.iter().collect();
        docs.sort_by(|a, b| doc_order(a).cmp(&doc_order(b)));
        // Documents are tokenised in parallel a batch at a time (so that only one batch's
        // terms are held), then merged in parallel: each partition owns the terms that
        // hash to it and sees the documents in id order, so its lists come out sorted.
        // The output does not depend on the number of partitions.
        let parts = rayon::current_num_threads().clamp(1, 64);
        let mut partitions: Vec<Partition> = (0..parts).map(|_| Partition::default()).collect();
        for (b, batch) in docs.chunks(BATCH).enumerate() {
            let terms: Vec<DocTerms> = batch.par_iter().map(|d| doc_terms(d)).collect();
            partitions.par_iter_mut().enumerate().for_each(|(p, part)| {
                let Partition { han, words } = part;
                for (k, dt) in terms.iter().enumerate() {
                    let id = u32::try_from(b * BATCH + k).expect("fewer than 2^30 documents") << 2;
                    for &e in &dt.han {
                        let key = e >> 2;
                        if partition_of(key, parts) == p {
                            han.entry(key).or_default().push(id | (e & 3) as u32);
                        }
                    }
                    for (w, class) in &dt.words {
                        if partition_of(word_key(w), parts) != p {
                            continue;
                        }
                        let posting = id | u32::from(*class);
                        match words.get_mut(w.as_str()) {
                            Some(list) => list.push(posting),
                            None => {
                                words.insert(w.as_str().into(), vec![posting]);
                            }
                        }
                    }
                }
            });
        }
        let mut postings: Vec<(Box<str>, Vec<u32>)> = Vec::new();
        for part in partitions {
            postings.extend(part.han.into_iter().map(|(k, l)| (key_text(k).into(), l)));
            postings.extend(part.words);
        }
        postings.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        SearchIndex { docs, postings }
    }

    /// Documents in id order.
    pub fn docs(&self) -> &[&'a SearchDoc] {
        &self.docs
    }

    /// The number of distinct terms.
    pub fn terms(&self) -> usize {
        self.postings.len()
    }

    /// The number of postings (document–term pairs), and how many of them are single Han
    /// characters.
    pub fn postings(&self) -> (usize, usize) {
        let single = |t: &str| {
            let mut c = t.chars();
            c.next().is_some_and(is_han) && c.next().is_none()
        };
        self.postings.iter().fold((0, 0), |(all, one), (t, p)| {
            (all + p.len(), one + if single(t) { p.len() } else { 0 })
        })
    }

    fn lookup(&self, term: &str) -> Option<&[u32]> {
        self.postings
            .binary_search_by(|(t, _)| (**t).cmp(term))
            .ok()
            .map(|i| self.postings[i].1.as_slice())
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

    /// Hands each index file to `sink` as `(path under the output folder, bytes)`: the term
    /// shards, then the document chunks, then the manifest. Files are made a group at a
    /// time in parallel, so a large index is never held whole. The same documents always
    /// give the same files.
    pub fn write<E>(&self, mut sink: impl FnMut(&str, &[u8]) -> Result<(), E>) -> Result<(), E> {
        // The stamp changes with any content, so the script never mixes files of two builds
        // from a browser cache.
        let mut stamp = Mix::default();
        let mut emit = |name: String, bytes: Vec<u8>| {
            use std::hash::Hasher;
            stamp.write(name.as_bytes());
            stamp.write_u64(word_key_bytes(&bytes));
            sink(&name, &bytes)
        };

        let total: usize = self
            .postings
            .par_iter()
            .map(|(t, p)| t.len() + encoded_len(p) + 6)
            .sum();
        let shards = total.div_ceil(SHARD_TARGET).clamp(1, MAX_SHARDS);
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); shards];
        for (i, (term, _)) in self.postings.iter().enumerate() {
            members[shard_of(term, shards as u32) as usize].push(i);
        }
        for (g, group) in members.chunks(GROUP).enumerate() {
            let made: Vec<Vec<u8>> = group.par_iter().map(|m| self.shard_json(m)).collect();
            for (k, json) in made.into_iter().enumerate() {
                emit(format!("{DIR}/terms-{}.json", g * GROUP + k), json)?;
            }
        }

        let mut chunk_sizes = String::new();
        let mut chunk = String::new();
        let mut in_chunk = 0u64;
        let mut n = 0usize;
        for batch in self.docs.chunks(BATCH) {
            let records: Vec<String> = batch.par_iter().map(|d| doc_record(d)).collect();
            for rec in records {
                if in_chunk > 0 && chunk.len() + rec.len() + 2 > CHUNK_TARGET {
                    chunk.push(']');
                    emit(
                        format!("{DIR}/docs-{n}.json"),
                        std::mem::take(&mut chunk).into_bytes(),
                    )?;
                    push_number(&mut chunk_sizes, in_chunk);
                    n += 1;
                    in_chunk = 0;
                }
                chunk.push(if in_chunk == 0 { '[' } else { ',' });
                chunk.push_str(&rec);
                in_chunk += 1;
            }
        }
        if in_chunk > 0 {
            chunk.push(']');
            emit(format!("{DIR}/docs-{n}.json"), chunk.into_bytes())?;
            // The number of documents in each chunk, as digits like the postings: compact
            // enough for tens of thousands of chunks.
            push_number(&mut chunk_sizes, in_chunk);
        }

        let manifest = serde_json::json!({
            "version": FORMAT_VERSION,
            "stamp": format!("{:016x}", std::hash::Hasher::finish(&stamp)),
            "shards": shards,
            "docs": self.docs.len(),
            "chunks": chunk_sizes,
            "kinds": DocKind::ALL.iter().map(|k| k.label()).collect::<Vec<_>>(),
        });
        let bytes = serde_json::to_vec(&manifest).expect("the manifest serialises");
        sink(&format!("{DIR}/index.json"), &bytes)
    }

    /// All index files in memory, sorted by path (see [`SearchIndex::write`]).
    pub fn files(&self) -> Vec<(String, Vec<u8>)> {
        let mut files = Vec::new();
        self.write(|name, bytes| {
            files.push((name.to_owned(), bytes.to_vec()));
            Ok::<(), std::convert::Infallible>(())
        })
        .unwrap_or_else(|e| match e {});
        files.sort_by(|a, b| a.0.cmp(&b.0));
        files
    }

    /// One shard: `{"term":"postings",…}` in term order.
    fn shard_json(&self, members: &[usize]) -> Vec<u8> {
        let mut out = vec![b'{'];
        for &i in members {
            let (term, postings) = &self.postings[i];
            if out.len() > 1 {
                out.push(b',');
            }
            // Terms are letters, digits and Han characters, which JSON takes as they are;
            // the check only guards the format should the tokenizer ever change.
            if term
                .chars()
                .all(|c| c != '"' && c != '\\' && !c.is_control())
            {
                out.push(b'"');
                out.extend_from_slice(term.as_bytes());
                out.push(b'"');
            } else {
                out.extend(serde_json::to_vec(term).expect("a string serialises"));
            }
            out.extend_from_slice(b":\"");
            encode_into(postings, &mut out);
            out.push(b'"');
        }
        out.push(b'}');
        out
    }
}

/// A content hash of a file, folded into the stamp.
fn word_key_bytes(bytes: &[u8]) -> u64 {
    bytes.chunks(8).fold(0u64, |h, c| {
        let mut w = [0u8; 8];
        w[..c.len()].copy_from_slice(c);
        mix(h ^ u64::from_le_bytes(w))
    })
}

fn tally(h: (u32, u32, u32), posting: u32) -> (u32, u32, u32) {
    match (posting & 3) as u8 {
        CLASS_TITLE => (h.0, h.1 + 1, h.2),
        CLASS_FIELD => (h.0, h.1, h.2 + 1),
        _ => h,
    }
}

/// Builds the index files for `docs`, sorted by path (see the module documentation for
/// the layout; [`SearchIndex::write`] streams them instead).
pub fn build(docs: &[SearchDoc]) -> Vec<(String, Vec<u8>)> {
    SearchIndex::new(docs).files()
}

/// The length of [`encode`]'s output, without making it.
fn encoded_len(postings: &[u32]) -> usize {
    let mut prev: i64 = -1;
    let mut len = 0;
    for &p in postings {
        let id = i64::from(p >> 2);
        let v = (((id - prev) as u64) << 2) | 3;
        len += (64 - v.leading_zeros() as usize).div_ceil(5);
        prev = id;
    }
    len
}

/// Postings as gaps with the class in the two low bits (see [`push_number`]).
#[cfg(test)]
fn encode(postings: &[u32]) -> String {
    let mut out = Vec::with_capacity(postings.len() * 2);
    encode_into(postings, &mut out);
    String::from_utf8(out).expect("digits are ASCII")
}

/// [`encode`] onto the end of a buffer.
fn encode_into(postings: &[u32], out: &mut Vec<u8>) {
    let mut prev: i64 = -1;
    for &p in postings {
        let id = i64::from(p >> 2);
        let mut v = (((id - prev) as u64) << 2) | u64::from(p & 3);
        prev = id;
        while v >= 32 {
            out.push(DIGITS[(v & 31) as usize | 32]);
            v >>= 5;
        }
        out.push(DIGITS[v as usize]);
    }
}

/// A number in 5-bit digits, low digit first, the sixth bit saying that another follows.
fn push_number(out: &mut String, mut v: u64) {
    while v >= 32 {
        out.push(DIGITS[(v & 31) as usize | 32] as char);
        v >>= 5;
    }
    out.push(DIGITS[v as usize] as char);
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
    let mut text = String::new();
    for part in d.fields.iter().map(String::as_str).chain([d.body.as_str()]) {
        let part = collapse_spaces(part);
        if part.is_empty() {
            continue;
        }
        if !text.is_empty() {
            text.push_str(" · ");
        }
        text.push_str(&part);
    }
    serde_json::to_string(&(
        &d.url,
        &d.title,
        d.kind.index(),
        d.county.as_deref().unwrap_or(""),
        d.year.unwrap_or(0),
        text,
    ))
    .expect("a record serialises")
}

fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------------------
// Markdown to plain text

/// The readable text of Markdown, for indexing and snippets: markup dropped, link and image
/// text kept, blocks on their own lines. Deliberately simple and fast (it does not build a
/// syntax tree); an odd construct costs at most a stray character in a snippet.
pub fn plain_text(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut fence: Option<&str> = None;
    // Whether the next line continues the current paragraph.
    let mut open = false;
    for raw in md.lines() {
        let line = raw.trim();
        if let Some(f) = fence {
            if line.starts_with(f) {
                fence = None;
            } else if !line.is_empty() {
                new_block(&mut out);
                out.push_str(line);
            }
            continue;
        }
        if line.starts_with("```") || line.starts_with("~~~") {
            fence = Some(&line[..3]);
            open = false;
            continue;
        }
        if line.is_empty() || is_rule(line) || is_table_separator(line) || is_link_definition(line)
        {
            open = false;
            continue;
        }
        let (block, rest) = block_markers(line);
        let text = if rest.starts_with('|') {
            inline_text(&rest.trim_matches('|').replace('|', " "))
        } else {
            inline_text(rest)
        };
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        if open && block == Block::Continue {
            // A soft line break inside Chinese text is no word break.
            let joins =
                out.chars().last().is_some_and(is_han) && text.chars().next().is_some_and(is_han);
            if !joins {
                out.push(' ');
            }
        } else {
            new_block(&mut out);
        }
        out.push_str(text);
        open = block != Block::Heading && !rest.starts_with('|');
    }
    out
}

fn new_block(out: &mut String) {
    if !out.is_empty() {
        out.push('\n');
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Block {
    Continue,
    Start,
    Heading,
}

/// Strips quote, heading and list markers from the start of a line.
fn block_markers(mut line: &str) -> (Block, &str) {
    let mut block = Block::Continue;
    loop {
        if let Some(rest) = line.strip_prefix('>') {
            line = rest.trim_start();
            block = Block::Start;
            continue;
        }
        let hashes = line.bytes().take_while(|&b| b == b'#').count();
        if (1..=6).contains(&hashes) && line[hashes..].chars().next().is_none_or(|c| c == ' ') {
            return (
                Block::Heading,
                line[hashes..].trim().trim_end_matches('#').trim(),
            );
        }
        if let Some(rest) = ["- ", "* ", "+ "].iter().find_map(|m| line.strip_prefix(m)) {
            line = rest.trim_start();
            block = Block::Start;
            continue;
        }
        let digits = line.bytes().take_while(u8::is_ascii_digit).count();
        if (1..=9).contains(&digits)
            && let Some(rest) = line[digits..]
                .strip_prefix(". ")
                .or_else(|| line[digits..].strip_prefix(") "))
        {
            line = rest.trim_start();
            block = Block::Start;
            continue;
        }
        if let Some(rest) = ["[ ] ", "[x] ", "[X] "]
            .iter()
            .find_map(|m| line.strip_prefix(m))
        {
            line = rest.trim_start();
            block = Block::Start;
            continue;
        }
        return (block, line);
    }
}

fn is_rule(line: &str) -> bool {
    let c: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    c.len() >= 3 && ['-', '*', '_'].iter().any(|&m| c.chars().all(|x| x == m))
}

fn is_table_separator(line: &str) -> bool {
    line.contains('-') && line.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

fn is_link_definition(line: &str) -> bool {
    line.starts_with('[') && !line.starts_with("[^") && line.contains("]:")
}

/// Inline markup: emphasis and code marks dropped, `[text](url)` and `![alt](src)` reduced
/// to their text, HTML tags and autolinks removed, a few entities decoded.
///
/// Linear in the length of `s`: a search that found no closing `]`, `)` or `>` is not
/// repeated, since `rest` only moves forward — a line of 64,000 `[` must not take
/// 64,000 scans of the rest of the line.
fn inline_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    // Set once a closer is known to be absent from the rest of `s`.
    let mut none = [false; 3];
    let mut find = |hay: &str, c: char| {
        let k = match c {
            ']' => 0,
            ')' => 1,
            _ => 2,
        };
        if none[k] {
            return None;
        }
        let found = hay.find(c);
        none[k] = found.is_none();
        found
    };
    while let Some(c) = rest.chars().next() {
        let after = &rest[c.len_utf8()..];
        match c {
            '*' | '`' | '~' => rest = after,
            '\\' => {
                if let Some(n) = after.chars().next() {
                    out.push(n);
                    rest = &after[n.len_utf8()..];
                } else {
                    rest = after;
                }
            }
            '!' if after.starts_with('[') => rest = after,
            '[' => match find(after, ']') {
                // A footnote reference is dropped; a footnote definition keeps its text.
                Some(close) if after.starts_with('^') => {
                    rest = after[close + 1..]
                        .strip_prefix(':')
                        .unwrap_or(&after[close + 1..]);
                }
                Some(close) => {
                    out.push_str(&inline_text(&after[..close]));
                    let tail = &after[close + 1..];
                    let end = match tail.chars().next() {
                        Some('(') => find(tail, ')'),
                        Some('[') => find(tail, ']'),
                        _ => None,
                    };
                    rest = end.map_or(tail, |end| &tail[end + 1..]);
                }
                None => {
                    out.push(c);
                    rest = after;
                }
            },
            '<' if after.starts_with(|n: char| n.is_ascii_alphabetic() || n == '/' || n == '!') => {
                rest = match find(after, '>') {
                    Some(end) => &after[end + 1..],
                    None => after,
                };
                out.push(' ');
            }
            '&' => {
                let entity = [
                    ("&nbsp;", ' '),
                    ("&amp;", '&'),
                    ("&lt;", '<'),
                    ("&gt;", '>'),
                    ("&quot;", '"'),
                ]
                .into_iter()
                .find(|(e, _)| rest.starts_with(e));
                match entity {
                    Some((e, ch)) => {
                        out.push(ch);
                        rest = &rest[e.len()..];
                    }
                    None => {
                        out.push(c);
                        rest = after;
                    }
                }
            }
            _ => {
                out.push(c);
                rest = after;
            }
        }
    }
    collapse_spaces(&out)
}

// ---------------------------------------------------------------------------------------
// From the site model

/// Which page a search document stands for; the renderer turns it into the page's address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocRef<'a> {
    Estate { year: i32, slug: &'a str },
    Case { year: i32, slug: &'a str },
    Notice { year: i32 },
    Page { slug: &'a str },
}

/// The searchable documents of a whole site: every estate, case study, campaign notice and
/// free page of every year. `url` gives each page's address relative to the site root.
/// Only public fields are read: never an estate's applicant contact nor an expert's name.
pub fn site_docs(site: &Site, url: &dyn Fn(DocRef<'_>) -> String) -> Vec<SearchDoc> {
    let mut docs = Vec::new();
    for c in &site.campaigns {
        let year = c.year;
        if let Some(n) = &c.notice {
            let mut fields = vec![c.document.number.clone(), c.document.issuer.clone()];
            fields.retain(|f| !f.is_empty());
            docs.push(SearchDoc {
                url: url(DocRef::Notice { year }),
                title: n.title.clone().unwrap_or_else(|| c.title.clone()),
                kind: DocKind::Notice,
                county: None,
                year: Some(year),
                fields,
                body: plain_text(&n.body.text),
            });
        }
        for e in &c.estates {
            let fields = [
                e.street.as_deref(),
                e.community.as_deref(),
                Some(e.address.as_str()),
                Some(e.property_company.as_str()),
            ]
            .into_iter()
            .flatten()
            .filter(|f| !f.is_empty())
            .map(str::to_owned)
            .collect();
            let mut body = e
                .summary
                .as_ref()
                .map(|s| plain_text(&s.text))
                .unwrap_or_default();
            if let Some(p) = &e.party_building {
                new_block(&mut body);
                body.push_str(p.trim());
            }
            docs.push(SearchDoc {
                url: url(DocRef::Estate {
                    year,
                    slug: &e.slug,
                }),
                title: e.name.clone(),
                kind: DocKind::Estate,
                county: Some(e.county.clone()).filter(|c| !c.is_empty()),
                year: Some(year),
                fields,
                body,
            });
        }
        for x in &c.experiences {
            let mut fields = x.tags.clone();
            fields.extend(x.summary.clone());
            docs.push(SearchDoc {
                url: url(DocRef::Case {
                    year,
                    slug: &x.slug,
                }),
                title: x.title.clone(),
                kind: DocKind::Case,
                county: x.county.clone(),
                year: Some(year),
                fields,
                body: plain_text(&x.body.text),
            });
        }
    }
    for p in &site.pages {
        docs.push(SearchDoc {
            url: url(DocRef::Page { slug: &p.slug }),
            title: p.title.clone(),
            kind: DocKind::Page,
            county: None,
            year: None,
            fields: p.summary.clone().into_iter().collect(),
            body: plain_text(&p.body.text),
        });
    }
    docs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        Campaign, Estate, Experience, Markdown, Page, Points, PrivateContact, ScoreSheet,
    };

    #[derive(serde::Deserialize)]
    struct Case {
        input: String,
        tokens: Vec<String>,
    }

    #[test]
    fn query_terms_follow_the_shared_cases() {
        let cases: Vec<Case> =
            serde_json::from_str(include_str!("../../tests/search_cases.json")).unwrap();
        assert!(cases.len() >= 10);
        for c in cases {
            assert_eq!(query_terms(&c.input), c.tokens, "query {:?}", c.input);
        }
    }

    #[test]
    fn named_queries_split_as_documented() {
        assert_eq!(query_terms("加装电梯"), ["加装", "装电", "电梯"]);
        assert_eq!(query_terms("玉州"), ["玉州"]);
        assert_eq!(
            query_terms("物业服务有限公司"),
            ["物业", "业服", "服务", "务有", "有限", "限公", "公司"]
        );
        assert_eq!(query_terms("梯"), ["梯"]);
        assert_eq!(query_terms("WiFi"), ["wifi"]);
        assert_eq!(query_terms("１２"), ["12"]);
        assert_eq!(query_terms("ＡＢＣ　电梯"), ["abc", "电梯"]);
        assert_eq!(query_terms("5G智慧物业"), ["5g", "智慧", "慧物", "物业"]);
        assert!(query_terms("，。！ ?").is_empty());
    }

    #[test]
    fn fast_normalisation_equals_plain_nfkc_and_lowercase() {
        for text in [
            "ＡＢ中ｃ",
            "ΟΔΟΣ中ΟΔΟΣ",
            "e\u{301}中e\u{301}",
            "中\u{301}",
            "㈱中Ⅻ，（１２）",
            "𠀋丽\u{F900}",
            "",
        ] {
            let plain = text.nfkc().collect::<String>().to_lowercase();
            assert_eq!(normalize(text), plain, "{text:?}");
        }
    }

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

    #[test]
    fn the_build_indexes_exactly_the_documented_terms() {
        let d = doc(
            "x/",
            DocKind::Page,
            "ＷｉＦｉ覆盖",
            &["示例·金湾 5G"],
            "𠀋𠀌丽，Ⅻ号楼",
        );
        let dt = doc_terms(&d);
        let mut built: Vec<String> = dt.han.iter().map(|&k| key_text(k >> 2)).collect();
        built.extend(dt.words.iter().map(|(w, _)| w.clone()));
        built.sort();
        let mut documented: Vec<String> = [d.title.as_str(), "玉州区", "2025"]
            .into_iter()
            .chain(d.fields.iter().map(String::as_str))
            .chain([d.body.as_str()])
            .flat_map(index_terms)
            .collect();
        documented.sort();
        documented.dedup();
        assert_eq!(built, documented);
        let title_class = |t: &str| {
            dt.han
                .iter()
                .find(|&&k| key_text(k >> 2) == t)
                .map(|k| k & 3)
        };
        assert_eq!(title_class("覆盖"), Some(u64::from(CLASS_TITLE)));
        assert_eq!(title_class("金湾"), Some(u64::from(CLASS_FIELD)));
        assert_eq!(title_class("𠀋𠀌"), Some(u64::from(CLASS_BODY)));
    }

    #[test]
    fn index_terms_include_single_characters() {
        assert_eq!(
            index_terms("玉州区 WiFi"),
            ["玉", "玉州", "州", "州区", "区", "wifi"]
        );
        // Punctuation breaks a run: no bigram across the middle dot.
        assert!(!index_terms("示例·金湾").contains(&"例金".to_owned()));
    }

    fn doc(url: &str, kind: DocKind, title: &str, fields: &[&str], body: &str) -> SearchDoc {
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
    fn postings_round_trip_through_the_encoding() {
        let postings = [2u32, (1 << 2) | 1, 40 << 2, (5000 << 2) | 2, 5001 << 2];
        let enc = encode(&postings);
        assert!(enc.bytes().all(|b| DIGITS.contains(&b)));
        let mut out = Vec::new();
        let mut prev = -1i64;
        for v in decode_numbers(&enc).unwrap() {
            let id = prev + (v >> 2) as i64;
            out.push(((id as u32) << 2) | (v & 3) as u32);
            prev = id;
        }
        assert_eq!(out, postings);
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

    #[test]
    fn markdown_becomes_plain_text() {
        let md = "## 主要做法\n\n> 本文为**示例**。\n\n1. **征集**：业主通过[意见箱](http://x/y)反映\n   问题；\n- ![大门照片](files/gate.jpg)\n\n| 项目 | 内容 |\n| --- | --- |\n| 文号 | 玉住建字〔2025〕18号 |\n\n<div class=\"x\">HTML</div>\n\n---\n\n```\ncode 行\n```\n居民需\n求大[^1]\n\n[^1]: 脚注文字\n[x]: http://a";
        let text = plain_text(md);
        assert_eq!(
            text,
            "主要做法\n本文为示例。\n征集：业主通过意见箱反映问题；\n大门照片\n项目 内容\n文号 玉住建字〔2025〕18号\nHTML\ncode 行\n居民需求大\n脚注文字"
        );
    }

    /// A site whose private fields hold sentinels that must appear in no index file.
    #[test]
    fn no_private_field_reaches_the_index() {
        let estate = Estate {
            slug: "yuzhou-a".into(),
            name: "示例小区".into(),
            county: "玉州区".into(),
            street: Some("名山街道".into()),
            address: "示例大道 1 号".into(),
            property_company: "示例物业服务有限公司".into(),
            summary: Some(Markdown {
                text: "加装电梯".into(),
                first_line: 1,
            }),
            party_building: Some("成立党支部".into()),
            contact: PrivateContact {
                person: Some("私密联系人甲乙".into()),
                phone: Some("13900009999".into()),
            },
            scores: vec![ScoreSheet {
                expert: "私密专家丙丁".into(),
                total: Points(9000),
            }],
            ..Default::default()
        };
        let case = Experience {
            slug: "lift".into(),
            title: "加装电梯经验".into(),
            estate: Some("yuzhou-a".into()),
            county: Some("玉州区".into()),
            tags: vec!["老旧小区改造".into()],
            summary: Some("摘要".into()),
            body: Markdown {
                text: "## 做法\n正文".into(),
                first_line: 8,
            },
            ..Default::default()
        };
        let site = Site {
            campaigns: vec![Campaign {
                year: 2025,
                title: "2025年度活动".into(),
                estates: vec![estate],
                experiences: vec![case],
                ..Default::default()
            }],
            pages: vec![Page {
                slug: "about".into(),
                title: "关于".into(),
                body: Markdown {
                    text: "介绍".into(),
                    first_line: 3,
                },
                ..Default::default()
            }],
            ..Default::default()
        };
        let docs = site_docs(&site, &|r| format!("{r:?}"));
        assert_eq!(docs.len(), 3);
        let files = build(&docs);
        let all: String = files
            .iter()
            .map(|(_, b)| String::from_utf8(b.clone()).unwrap())
            .collect();
        for sentinel in ["私密联系人甲乙", "13900009999", "私密专家丙丁"] {
            assert!(!all.contains(sentinel), "{sentinel} leaked");
            // Nor any of its terms: a bigram of a private name must not be searchable.
            for t in query_terms(sentinel) {
                if t.chars().count() > 1 || t.is_ascii() {
                    assert!(SearchIndex::new(&docs).lookup(&t).is_none(), "{t} leaked");
                }
            }
        }
        assert!(all.contains("示例物业服务有限公司"));
        let index = SearchIndex::new(&docs);
        assert_eq!(index.search("加装电梯").len(), 2);
    }

    // Lines of unclosed brackets, links or tags take linear time. They took quadratic time:
    // seconds for one 400,000-character line, hours for a 4 MB one.
    #[test]
    fn plain_text_of_hostile_lines_is_linear() {
        for unit in ["[", "<a", "[x]", "[x](", "[^", "![", "[x][", "<!"] {
            let line = unit.repeat(400_000 / unit.len());
            let t = std::time::Instant::now();
            let text = plain_text(&line);
            assert!(t.elapsed().as_millis() < 1000, "{unit}: {:?}", t.elapsed());
            assert!(!text.is_empty() || unit.starts_with('<'), "{unit}");
        }
        assert_eq!(
            plain_text("[甲](files/a.pdf) [乙][r] [^1] <b>丙</b>"),
            "甲 乙 丙"
        );
    }
}
