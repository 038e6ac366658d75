//! The tokenizer shared with `search.js`: normalisation, the split of text into index and
//! query terms, the shard of a term, and the build's hashing.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use unicode_normalization::UnicodeNormalization;

/// NFKC (full-width letters and digits to half-width) and lowercase, in that order, as
/// `String.prototype.normalize('NFKC').toLowerCase()` does in the script.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    normalize_into(text, &mut String::new(), &mut out);
    out
}

/// What a character of normalised text does in splitting it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Han,
    Word,
    Separator,
}

impl Kind {
    const ALL: [Kind; 3] = [Kind::Han, Kind::Word, Kind::Separator];

    fn of(c: char) -> Kind {
        if is_han(c) {
            Kind::Han
        } else if is_word(c) {
            Kind::Word
        } else {
            Kind::Separator
        }
    }
}

/// Takes the characters of normalised text one at a time, with their kinds.
pub(super) trait CharSink {
    fn push(&mut self, c: char, kind: Kind);
    /// A run of common ideographs (see [`ideographs_at`]), all Han and unchanged.
    fn push_ideographs(&mut self, run: &str);
}

impl CharSink for String {
    fn push(&mut self, c: char, _: Kind) {
        String::push(self, c);
    }

    fn push_ideographs(&mut self, run: &str) {
        self.push_str(run);
    }
}

/// Passes the characters of `normalize(text)` with their kinds to `out`, without building
/// it; `stretch` is a buffer that the caller may keep for the next text.
///
/// The common CJK ideographs (U+4E00–U+9FFF) are stable under NFKC, never combine with a
/// neighbour and have no case, so they are passed on as they are and only the stretches
/// between them are normalised, each as a whole (composition and the final sigma depend on
/// neighbours). A stretch of characters that each map alone (see [`alone`]) is mapped
/// character by character: Chinese punctuation and digits never reach the normaliser.
pub(super) fn normalize_into(text: &str, stretch: &mut String, out: &mut impl CharSink) {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let run = ideographs_at(b, i);
        if run > 0 {
            out.push_ideographs(&text[i..i + run]);
            i += run;
            continue;
        }
        let start = i;
        let mut each_alone = true;
        while i < b.len() && !ideograph_at(b, i) {
            let c = text[i..].chars().next().expect("i is at a character");
            each_alone &= alone(c).is_some();
            i += c.len_utf8();
        }
        if each_alone {
            for (m, kind) in text[start..i].chars().filter_map(alone) {
                out.push(m, kind);
            }
        } else {
            stretch.clear();
            stretch.extend(text[start..i].nfkc());
            for m in stretch.to_lowercase().chars() {
                out.push(m, Kind::of(m));
            }
        }
    }
}

/// The length in bytes of the run of common ideographs at byte `i` of valid UTF-8.
fn ideographs_at(b: &[u8], i: usize) -> usize {
    let mut end = i;
    while ideograph_at(b, end) {
        end += 3;
    }
    end - i
}

/// Whether a common ideograph starts at byte `i` of valid UTF-8: three bytes from E4 B8 80
/// (U+4E00) to E9 BF BF (U+9FFF), told by the first two.
fn ideograph_at(b: &[u8], i: usize) -> bool {
    match b.get(i..i + 2) {
        Some(&[lead, second]) => (0xE5..=0xE9).contains(&lead) || (lead == 0xE4 && second >= 0xB8),
        _ => false,
    }
}

/// [`alone_uncached`] of the characters below U+10000 with the kind of the result, each
/// worked out once per process: 0 when not yet known, 1 for `None`, otherwise the
/// character plus 2, and the kind's index shifted left by 24. Threads that race store the
/// same value.
static ALONE: [AtomicU32; 0x10000] = [const { AtomicU32::new(0) }; 0x10000];

fn alone(c: char) -> Option<(char, Kind)> {
    if c.is_ascii() {
        let kind = if c.is_ascii_alphanumeric() {
            Kind::Word
        } else {
            Kind::Separator
        };
        return Some((c.to_ascii_lowercase(), kind));
    }
    let Some(slot) = ALONE.get(c as usize) else {
        return alone_uncached(c).map(|m| (m, Kind::of(m)));
    };
    let v = match slot.load(Ordering::Relaxed) {
        0 => {
            let v = alone_uncached(c).map_or(1, |m| (m as u32 + 2) | (Kind::of(m) as u32) << 24);
            slot.store(v, Ordering::Relaxed);
            v
        }
        v => v,
    };
    let m = char::from_u32((v & 0xFF_FFFF).checked_sub(2)?)?;
    Some((m, Kind::ALL[(v >> 24) as usize]))
}

/// What NFKC and lowercase make of `c` wherever it stands, when that is one character
/// that does not depend on the neighbours: ASCII (lowercased); the characters that NFKC
/// leaves alone, that combine with nothing and have no case mapping; and the compatibility
/// forms of one ASCII character (full-width letters, digits and punctuation, the
/// ideographic space), which NFKC replaces by that character. A text of such characters
/// is in NFKC once those forms are replaced (the quick check's "yes" says so), and holds
/// no capital sigma, the one letter whose lowercase depends on its neighbours.
fn alone_uncached(c: char) -> Option<char> {
    use unicode_normalization::char::{canonical_combining_class, decompose_compatible};
    use unicode_normalization::{IsNormalized, is_nfkc_quick};
    if c.is_ascii() {
        return Some(c.to_ascii_lowercase());
    }
    let mut lower = c.to_lowercase();
    if lower.next() == Some(c)
        && lower.next().is_none()
        && canonical_combining_class(c) == 0
        && is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes
    {
        return Some(c);
    }
    let (mut first, mut n) = (None, 0);
    decompose_compatible(c, |d| {
        first = Some(d);
        n += 1;
    });
    first
        .filter(|d| n == 1 && d.is_ascii())
        .map(|d| d.to_ascii_lowercase())
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

/// The key of a pair of Han characters, given their code points.
pub(super) fn pair_key(a: u32, b: u32) -> u64 {
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

#[cfg(test)]
mod tests {
    use super::*;

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

    /// The fast path of `normalize_into` is only sound if `alone` agrees with the
    /// normaliser on every character it accepts.
    #[test]
    fn characters_mapped_alone_are_mapped_as_nfkc_and_lowercase() {
        let mut accepted = 0;
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            if let Some(m) = alone_uncached(c) {
                assert_eq!(alone(c), Some((m, Kind::of(m))), "{c:?}");
                let plain = c.to_string().nfkc().collect::<String>().to_lowercase();
                assert_eq!(plain, m.to_string(), "{c:?}");
                accepted += 1;
            }
        }
        assert!(accepted > 100_000, "{accepted}");
        for c in "，。、；：“”（）《》—·！？【】〔〕１ＡＷ％".chars() {
            assert!(alone(c).is_some(), "{c:?}");
        }
        for c in "\u{3000}\u{2003}".chars() {
            assert_eq!(alone(c), Some((' ', Kind::Separator)), "{c:?}");
        }
        assert_eq!(alone('①'), Some(('1', Kind::Word)));
        for c in "Σ\u{301}Ⅻ㈱½\u{1161}".chars() {
            assert!(alone(c).is_none(), "{c:?}");
        }
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
