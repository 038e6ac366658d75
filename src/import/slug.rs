//! File names (slugs) for imported estates: the pinyin of the name, made unique.
//!
//! Pinyin is read from the most common reading of each character, so polyphonic
//! characters can come out wrong (重庆 → zhong-qing). That is acceptable for a file name
//! as long as it is stable and unique; the import prints every slug beside its estate
//! name so staff can review them and rename a file before the first publication.

use pinyin::ToPinyin;
use std::collections::HashSet;
use unicode_normalization::UnicodeNormalization;

/// Slugs longer than this are cut at a syllable boundary.
const MAX_LEN: usize = 60;

/// The pinyin of a name, one hyphen between syllables: 阳光花园 → `yang-guang-hua-yuan`.
/// Latin letters and digits are kept as words; anything else separates words.
pub fn base_slug(name: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut ascii = String::new();
    let flush = |ascii: &mut String, words: &mut Vec<String>| {
        if !ascii.is_empty() {
            words.push(std::mem::take(ascii));
        }
    };
    for c in name.nfkc() {
        if c.is_ascii_alphanumeric() {
            ascii.push(c.to_ascii_lowercase());
            continue;
        }
        flush(&mut ascii, &mut words);
        if let Some(p) = c.to_pinyin() {
            // `lü` and `nü`: the usual ASCII spelling is `v`.
            words.push(p.plain().replace('ü', "v"));
        }
    }
    flush(&mut ascii, &mut words);
    let mut slug = String::new();
    for w in words {
        if !slug.is_empty() && slug.len() + 1 + w.len() > MAX_LEN {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&w);
    }
    if slug.is_empty() {
        "estate".to_string()
    } else {
        slug
    }
}

/// Hands out slugs that collide neither with each other nor with files already there.
#[derive(Debug, Default)]
pub struct Slugs {
    taken: HashSet<String>,
}

impl Slugs {
    pub fn new(existing: impl IntoIterator<Item = String>) -> Self {
        Slugs {
            taken: existing.into_iter().collect(),
        }
    }

    /// The base slug, or the base with `-2`, `-3`, … when it is taken.
    pub fn allocate(&mut self, name: &str) -> String {
        let base = base_slug(name);
        let mut slug = base.clone();
        let mut n = 2;
        while self.taken.contains(&slug) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        self.taken.insert(slug.clone());
        slug
    }
}

/// Whether a string is a valid slug: lowercase ASCII letters, digits and inner hyphens.
pub fn is_valid(slug: &str) -> bool {
    !slug.is_empty()
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    // Names become hyphenated pinyin; Latin letters and digits survive; ü becomes v.
    #[test]
    fn pinyin_slugs() {
        let cases = [
            ("阳光花园", "yang-guang-hua-yuan"),
            ("绿城·玉园", "lv-cheng-yu-yuan"),
            ("ＡＢＣ小区 2期", "abc-xiao-qu-2-qi"),
            ("重庆", "zhong-qing"),
            ("（）", "estate"),
        ];
        for (name, want) in cases {
            let slug = base_slug(name);
            assert_eq!(slug, want, "{name}");
            assert!(is_valid(&slug), "{slug}");
        }
    }

    // Long names are cut at a syllable, never mid-word.
    #[test]
    fn long_names_are_cut() {
        let slug = base_slug("玉林市玉州区城西街道办事处某某某某花园小区二期工程项目部");
        assert!(slug.len() <= MAX_LEN, "{slug}");
        assert!(is_valid(&slug));
    }

    // A taken slug (a file on disk or an earlier row) gets the next free number.
    #[test]
    fn collisions_get_numbers() {
        let mut s = Slugs::new(["yang-guang-hua-yuan".to_string()]);
        assert_eq!(s.allocate("阳光花园"), "yang-guang-hua-yuan-2");
        assert_eq!(s.allocate("阳光花园"), "yang-guang-hua-yuan-3");
        assert_eq!(s.allocate("幸福里"), "xing-fu-li");
    }
}
