//! The tokenizer shared with `search.js`: normalisation, the split of text into index and
//! query terms, the shard of a term, the build's hashing, and one document's terms.

use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

use super::{CLASS_BODY, CLASS_FIELD, CLASS_TITLE, SearchDoc};

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
pub(super) struct Mix(u64);

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
pub(super) fn mix(v: u64) -> u64 {
    let p = u128::from(v ^ 0x2d35_8dcc_aa6c_78a5).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (p as u64) ^ ((p >> 64) as u64)
}

pub(super) type MixMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Mix>>;

/// Han terms as numbers, which sort and hash far faster than strings: a character is its
/// code point, a pair is both code points (21 bits each) with bit 42 set.
const PAIR: u64 = 1 << 42;

fn pair_key(a: char, b: char) -> u64 {
    PAIR | (u64::from(a) << 21) | u64::from(b)
}

pub(super) fn key_text(key: u64) -> String {
    let ch = |v: u64| char::from_u32((v & 0x1f_ffff) as u32).expect("a key holds characters");
    if key & PAIR == 0 {
        ch(key).to_string()
    } else {
        [ch(key >> 21), ch(key)].iter().collect()
    }
}

/// One document's distinct terms with their best class: Han keys as `key << 2 | class`,
/// sorted; words (rare in Chinese text) as strings.
pub(super) struct DocTerms {
    pub(super) han: Vec<u64>,
    pub(super) words: Vec<(String, u8)>,
}

pub(super) fn doc_terms(doc: &SearchDoc) -> DocTerms {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::search::DocKind;
    use crate::render::search::index::tests::doc;

    #[derive(serde::Deserialize)]
    struct Case {
        input: String,
        tokens: Vec<String>,
    }

    #[test]
    fn query_terms_follow_the_shared_cases() {
        let cases: Vec<Case> =
            serde_json::from_str(include_str!("../../../tests/search_cases.json")).unwrap();
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
}
