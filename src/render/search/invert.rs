//! Inverting the documents into posting lists: terms numbered as they are first met, each
//! document's distinct terms with their best class, then every list at once in one array.

use std::ops::Range;

use super::SearchDoc;
use super::tokenize::{DocTerms, MixMap, key_text, mix, pair_key};

/// Posting lists: each posting is `(doc id << 2) | class`, ascending within a list.
pub(super) struct Inverted {
    /// Every term with where its list is in `postings`, sorted by term.
    pub(super) terms: Vec<(Box<str>, Range<usize>)>,
    /// All lists, one after another.
    pub(super) postings: Vec<u32>,
}

/// The posting lists of `docs`, whose ids are their positions.
///
/// Two passes keep memory access mostly sequential: the first appends each document's
/// distinct terms to one array, in document order; the second copies them into their
/// lists, whose sizes are known by then, so no list ever grows or moves.
pub(super) fn invert(docs: &[&SearchDoc]) -> Inverted {
    let mut vocabulary = Vocabulary::default();
    let mut doc_terms = DocTerms::default();
    // `(term << 2) | class` of each document's distinct terms, and where each ends.
    let mut entries = Vec::new();
    let mut ends = Vec::with_capacity(docs.len());
    for d in docs {
        doc_terms.read(d);
        vocabulary.add(&doc_terms, &mut entries);
        ends.push(entries.len());
    }
    let mut start = Vec::with_capacity(vocabulary.terms.len());
    let mut total = 0;
    for t in &vocabulary.terms {
        start.push(total);
        total += t.docs as usize;
    }
    let mut next = start.clone();
    let mut postings = vec![0; total];
    let mut first = 0;
    for (id, end) in ends.into_iter().enumerate() {
        let id = u32::try_from(id)
            .ok()
            .filter(|&id| id < 1 << 30)
            .expect("fewer than 2^30 documents");
        for &e in &entries[first..end] {
            let at = &mut next[(e >> 2) as usize];
            postings[*at] = (id << 2) | (e & 3);
            *at += 1;
        }
        first = end;
    }
    let mut terms: Vec<(Box<str>, Range<usize>)> = vocabulary
        .into_texts()
        .into_iter()
        .zip(start.into_iter().zip(next))
        .map(|(text, (start, end))| (text, start..end))
        .collect();
    terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Inverted { terms, postings }
}

/// The terms met so far, numbered in that order. A Han term is looked up by its number
/// (see [`pair_key`]), not by its text, and a character of the first plane by its code
/// point alone.
#[derive(Default)]
struct Vocabulary {
    /// Code point to term number + 1, 0 when not met yet.
    chars: Vec<u32>,
    /// Pairs, and characters beyond the first plane.
    han: KeyTable,
    words: MixMap<Box<str>, u32>,
    /// By number.
    terms: Vec<TermState>,
}

/// What the first pass keeps of a term.
#[derive(Clone, Copy)]
struct TermState {
    /// The index of its latest entry: a term met again in the same document only raises
    /// the class of that entry.
    latest: u32,
    /// The number of documents it is in.
    docs: u32,
}

impl Vocabulary {
    /// Appends the distinct terms of one document to `entries`, each once with its best
    /// class (see [`invert`]).
    fn add(&mut self, doc: &DocTerms, entries: &mut Vec<u32>) {
        if self.chars.is_empty() {
            self.chars.resize(0x10000, 0);
        }
        let Vocabulary {
            chars,
            han,
            words,
            terms,
        } = self;
        let doc_start = u32::try_from(entries.len()).expect("fewer than 2^32 postings");
        // A new term, with no entry yet.
        let new = |terms: &mut Vec<TermState>| {
            terms.push(TermState {
                latest: u32::MAX,
                docs: 0,
            });
            terms.len() as u32 - 1
        };
        let mut prev = 0;
        for h in &doc.han {
            let c = h.code();
            let t = match chars.get_mut(c as usize) {
                Some(slot) => {
                    if *slot == 0 {
                        *slot = new(terms) + 1;
                    }
                    *slot - 1
                }
                None => han.get_or_insert(u64::from(c), || new(terms)),
            };
            note(terms, entries, doc_start, t, h.class());
            if h.follows() {
                let t = han.get_or_insert(pair_key(prev, c), || new(terms));
                note(terms, entries, doc_start, t, h.class());
            }
            prev = c;
        }
        for (w, class) in doc.words() {
            let t = match words.get(w) {
                Some(&t) => t,
                None => *words.entry(w.into()).or_insert_with(|| new(terms)),
            };
            note(terms, entries, doc_start, t, class);
        }
    }

    /// The text of each term, by number.
    fn into_texts(self) -> Vec<Box<str>> {
        let mut texts = vec![Box::<str>::default(); self.terms.len()];
        for (c, &t) in self.chars.iter().enumerate() {
            if t != 0 {
                texts[t as usize - 1] = key_text(c as u64).into();
            }
        }
        for (key, t) in self.han.slots {
            if key != 0 {
                texts[t as usize] = key_text(key).into();
            }
        }
        for (word, t) in self.words {
            texts[t as usize] = word;
        }
        texts
    }
}

/// Term `t` occurs with `class` in the document whose entries start at `doc_start`.
// Called for every term of every document: a call would cost as much as the work.
#[inline(always)]
fn note(terms: &mut [TermState], entries: &mut Vec<u32>, doc_start: u32, t: u32, class: u8) {
    let entry = (t << 2) | u32::from(class);
    let term = &mut terms[t as usize];
    match entries.get_mut(term.latest as usize) {
        Some(e) if term.latest >= doc_start => *e = (*e).max(entry),
        _ => {
            term.latest = entries.len() as u32;
            term.docs += 1;
            entries.push(entry);
        }
    }
}

/// Han keys (never 0) to term numbers: open addressing with linear probing, at most half
/// full. One look-up per pair of adjacent characters in the corpus, so it is kept to one
/// cache line and a few instructions where a general map takes two and several dozen.
#[derive(Default)]
struct KeyTable {
    /// `(key, term)`, key 0 for a free slot; the length is a power of two.
    slots: Vec<(u64, u32)>,
    len: usize,
}

impl KeyTable {
    fn get_or_insert(&mut self, key: u64, new: impl FnOnce() -> u32) -> u32 {
        if 2 * (self.len + 1) > self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut i = mix(key) as usize & mask;
        loop {
            match self.slots[i] {
                (k, t) if k == key => return t,
                (0, _) => {
                    let t = new();
                    self.slots[i] = (key, t);
                    self.len += 1;
                    return t;
                }
                _ => i = (i + 1) & mask,
            }
        }
    }

    fn grow(&mut self) {
        let size = (2 * self.slots.len()).max(1024);
        let old = std::mem::replace(&mut self.slots, vec![(0, 0); size]);
        let mask = self.slots.len() - 1;
        for (key, t) in old.into_iter().filter(|&(key, _)| key != 0) {
            let mut i = mix(key) as usize & mask;
            while self.slots[i].0 != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = (key, t);
        }
    }
}
