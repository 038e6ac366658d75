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

mod docs;
mod index;
mod invert;
mod plain_text;
mod tokenize;

pub use docs::{DocRef, DocSource, doc_sources, site_docs};
pub use index::{SearchIndex, build, decode_numbers, write_in_order};
pub use plain_text::plain_text;
pub use tokenize::{index_terms, is_han, normalize, query_terms, shard_of};

/// Bumped whenever the file layout changes, so a stale script can tell.
pub const FORMAT_VERSION: u32 = 1;
/// The folder of the index in the built site.
pub const DIR: &str = "search";

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
