//! Inverting the documents into posting lists, a document at a time: terms numbered as
//! they are first met, and each term's list kept already encoded as the index files store
//! it, so that neither the documents nor a list of every posting is ever held whole.

use super::tokenize::{CharSink, Kind, MixMap, key_text, normalize_into, pair_key};
use super::{CLASS_BODY, CLASS_FIELD, CLASS_TITLE, SearchDoc};

/// Digits of the posting encoding: URL-safe base64, so the strings need no JSON escaping.
pub(super) const DIGITS: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// A number in 5-bit digits, low digit first, the sixth bit saying that another follows.
pub(super) fn push_number(out: &mut Vec<u8>, mut v: u64) {
    while v >= 32 {
        out.push(DIGITS[(v & 31) as usize | 32]);
        v >>= 5;
    }
    out.push(DIGITS[v as usize]);
}

/// The posting lists of documents added in id order. A posting is the gap from the
/// previous document of the list and the class of the term in this one,
/// `(gap << 2) | class`, written as [`push_number`] writes numbers.
#[derive(Default)]
pub(super) struct Inverter {
    vocabulary: Vocabulary,
    /// Each term's encoded list, by term number.
    lists: Vec<Vec<u8>>,
    /// The number of documents added.
    docs: u32,
    stretch: String,
    word: String,
}

impl Inverter {
    /// Adds the terms of `d`, the next document: its id is the number of documents added
    /// before it.
    pub(super) fn add(&mut self, d: &SearchDoc) {
        assert!(self.docs < (1 << 30) - 1, "fewer than 2^30 documents");
        self.docs += 1;
        let doc = self.docs;
        // Parts come in order of decreasing class, so a term's first occurrence in the
        // document has its best class and later ones change nothing.
        let mut part = |text: &str, class: u8| {
            let mut terms = Terms {
                vocabulary: &mut self.vocabulary,
                lists: &mut self.lists,
                doc,
                class,
                prev: None,
                word: &mut self.word,
            };
            normalize_into(text, &mut self.stretch, &mut terms);
            terms.end_word();
        };
        part(&d.title, CLASS_TITLE);
        if let Some(c) = &d.county {
            part(c, CLASS_FIELD);
        }
        // The year is a term so that "2025 加装电梯" narrows to one campaign.
        if let Some(y) = d.year {
            part(&y.to_string(), CLASS_FIELD);
        }
        for f in &d.fields {
            part(f, CLASS_FIELD);
        }
        part(&d.body, CLASS_BODY);
    }

    /// Every term with its encoded list, sorted by term.
    pub(super) fn into_terms(self) -> Vec<(Box<str>, Vec<u8>)> {
        let mut terms: Vec<(Box<str>, Vec<u8>)> = self
            .vocabulary
            .into_texts()
            .into_iter()
            .zip(self.lists)
            .collect();
        terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        terms
    }
}

/// The terms met so far, numbered in that order, each with the last document it was met
/// in. A Han term is
/// looked up by its number (see [`pair_key`]), not by its text, and a character of the
/// first plane by its code point alone.
struct Vocabulary {
    /// By code point below U+10000.
    chars: Box<[Slot; 0x10000]>,
    /// Pairs, and characters beyond the first plane.
    han: KeyTable,
    words: MixMap<Box<str>, Slot>,
    /// The number of terms.
    len: u32,
}

/// A term's number and the id of the last document it was met in, both plus one so that
/// zeros mean "not met yet".
#[derive(Clone, Copy, Debug, Default)]
struct Slot {
    term: u32,
    doc: u32,
}

impl Default for Vocabulary {
    fn default() -> Self {
        Vocabulary {
            chars: vec![Slot::default(); 0x10000]
                .into_boxed_slice()
                .try_into()
                .expect("0x10000 slots"),
            han: KeyTable::default(),
            words: MixMap::default(),
            len: 0,
        }
    }
}

impl Vocabulary {
    /// The text of each term, by number.
    fn into_texts(self) -> Vec<Box<str>> {
        let mut texts = vec![Box::<str>::default(); self.len as usize];
        for (c, slot) in self.chars.iter().enumerate() {
            if slot.term != 0 {
                texts[slot.term as usize - 1] = key_text(c as u64).into();
            }
        }
        for (key, slot) in self.han.slots {
            if key != 0 {
                texts[slot.term as usize - 1] = key_text(key).into();
            }
        }
        for (word, slot) in self.words {
            texts[slot.term as usize - 1] = word;
        }
        texts
    }
}

/// Adds the terms of one part of a document to their lists, the characters of the
/// normalised text coming one at a time. The terms are those of
/// [`index_terms`](super::index_terms): each character of a Han run and each overlapping
/// pair, and whole words.
struct Terms<'a> {
    vocabulary: &'a mut Vocabulary,
    lists: &'a mut Vec<Vec<u8>>,
    /// The document's id plus one.
    doc: u32,
    class: u8,
    /// The Han character before this one in the same run, if any.
    prev: Option<u32>,
    /// The word being read.
    word: &'a mut String,
}

impl Terms<'_> {
    #[inline]
    fn end_word(&mut self) {
        if !self.word.is_empty() {
            self.add_word();
        }
    }

    fn add_word(&mut self) {
        let v = &mut *self.vocabulary;
        if !v.words.contains_key(self.word.as_str()) {
            v.words.insert(self.word.as_str().into(), Slot::default());
        }
        let slot = v.words.get_mut(self.word.as_str()).expect("inserted");
        note(slot, &mut v.len, self.lists, self.doc, self.class);
        self.word.clear();
    }
}

impl CharSink for Terms<'_> {
    fn push_ideographs(&mut self, run: &str) {
        self.end_word();
        // The state in locals for the loop, which is most of the build.
        let (v, lists) = (&mut *self.vocabulary, &mut *self.lists);
        let (doc, class, mut prev) = (self.doc, self.class, self.prev);
        for b in run.as_bytes().chunks_exact(3) {
            let c = (u32::from(b[0] & 0x0F) << 12)
                | (u32::from(b[1] & 0x3F) << 6)
                | u32::from(b[2] & 0x3F);
            han(v, lists, doc, class, prev, c);
            prev = Some(c);
        }
        self.prev = prev;
    }

    fn push(&mut self, c: char, kind: Kind) {
        match kind {
            Kind::Han => {
                self.end_word();
                let c = u32::from(c);
                let v = &mut *self.vocabulary;
                han(v, self.lists, self.doc, self.class, self.prev, c);
                self.prev = Some(c);
            }
            Kind::Word => {
                self.word.push(c);
                self.prev = None;
            }
            Kind::Separator => {
                self.end_word();
                self.prev = None;
            }
        }
    }
}

/// Han character `c` occurs, after `prev` in the same run if that is not `None`: the
/// character and the pair are terms.
// Called for every character of the corpus: a call would cost as much as the work.
#[inline(always)]
fn han(
    v: &mut Vocabulary,
    lists: &mut Vec<Vec<u8>>,
    doc: u32,
    class: u8,
    prev: Option<u32>,
    c: u32,
) {
    let slot = if c < 0x10000 {
        &mut v.chars[c as usize & 0xFFFF]
    } else {
        v.han.slot(u64::from(c))
    };
    note(slot, &mut v.len, lists, doc, class);
    if let Some(p) = prev {
        let slot = v.han.slot(pair_key(p, c));
        note(slot, &mut v.len, lists, doc, class);
    }
}

/// The term of `slot` occurs with `class` in document `doc` (id plus one); `terms` counts
/// the terms, for a new one's number. Only its first occurrence in a document is kept.
#[inline(always)]
fn note(slot: &mut Slot, terms: &mut u32, lists: &mut Vec<Vec<u8>>, doc: u32, class: u8) {
    if slot.doc == doc {
        return;
    }
    if slot.term == 0 {
        *terms += 1;
        slot.term = *terms;
        lists.push(Vec::new());
    }
    // Both ids are plus one, and a list's first gap counts from -1.
    let gap = u64::from(doc - slot.doc);
    push_number(
        &mut lists[slot.term as usize - 1],
        (gap << 2) | u64::from(class),
    );
    slot.doc = doc;
}

/// Han keys (never 0) to slots: open addressing with linear probing, at most half full.
/// One look-up per pair of adjacent characters in the corpus, so it is kept to one cache
/// line and a few instructions where a general map takes two and several dozen.
#[derive(Default)]
struct KeyTable {
    /// Key 0 for a free slot; the length is a power of two.
    slots: Vec<(u64, Slot)>,
    len: usize,
    /// 64 minus the base-2 logarithm of the length: the top bits of a multiplicative
    /// hash pick the first slot to try.
    shift: u32,
}

impl KeyTable {
    #[inline(always)]
    fn slot(&mut self, key: u64) -> &mut Slot {
        let mask = self.slots.len().wrapping_sub(1);
        let mut i = self.first(key);
        loop {
            match self.slots.get(i) {
                Some(&(k, _)) if k == key => return &mut self.slots[i].1,
                Some(&(0, _)) if 2 * (self.len + 1) <= self.slots.len() => {
                    self.slots[i].0 = key;
                    self.len += 1;
                    return &mut self.slots[i].1;
                }
                Some(&(0, _)) | None => {
                    self.grow();
                    return self.slot(key);
                }
                Some(_) => i = (i + 1) & mask,
            }
        }
    }

    fn first(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.shift) as usize
    }

    #[cold]
    fn grow(&mut self) {
        let size = (2 * self.slots.len()).max(1024);
        let old = std::mem::replace(&mut self.slots, vec![(0, Slot::default()); size]);
        self.shift = 64 - size.trailing_zeros();
        for (key, slot) in old.into_iter().filter(|&(key, _)| key != 0) {
            let mut i = self.first(key);
            while self.slots[i].0 != 0 {
                i = (i + 1) & (size - 1);
            }
            self.slots[i] = (key, slot);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::search::index::tests::doc;
    use crate::render::search::{DocKind, decode_numbers, index_terms};

    #[test]
    fn the_build_indexes_exactly_the_documented_terms() {
        let d = doc(
            "x/",
            DocKind::Page,
            "ＷｉＦｉ覆盖",
            &["示例·金湾 5G"],
            "𠀋𠀌丽，Ⅻ号楼",
        );
        let mut inverter = Inverter::default();
        inverter.add(&d);
        let terms = inverter.into_terms();
        let built: Vec<&str> = terms.iter().map(|(t, _)| &**t).collect();
        let mut documented: Vec<String> = [d.title.as_str(), "玉州区", "2025"]
            .into_iter()
            .chain(d.fields.iter().map(String::as_str))
            .chain([d.body.as_str()])
            .flat_map(index_terms)
            .collect();
        documented.sort();
        documented.dedup();
        assert_eq!(built, documented);
        let class = |term: &str| {
            let (_, list) = terms.iter().find(|(t, _)| &**t == term).unwrap();
            let postings = decode_numbers(std::str::from_utf8(list).unwrap()).unwrap();
            assert_eq!(
                postings,
                [postings[0] & 3 | 1 << 2],
                "one posting, the first document"
            );
            (postings[0] & 3) as u8
        };
        assert_eq!(class("覆盖"), CLASS_TITLE);
        assert_eq!(class("wifi"), CLASS_TITLE);
        assert_eq!(class("金湾"), CLASS_FIELD);
        assert_eq!(class("𠀋𠀌"), CLASS_BODY);
    }
}
