//! The located tree built straight from the parser's events, for the ordinary records
//! that make up nearly every file. serde-saphyr reads the same events but spends two thirds
//! of its time in serde's per-node protocol (`Spanned` maps, recorded keys, scalar views);
//! walking the events ourselves skips all of that.
//!
//! It must give exactly the tree that the serde-saphyr path gives, so it declines (returns
//! `None`) whenever that path might do something it does not reproduce: anchors, aliases,
//! tags, merge keys, keys that are not plain text, repeated keys, several documents, a root
//! that is not a mapping, anything near the size and nesting limits, and every error. The
//! caller then takes the serde-saphyr path, which gives the same result or error as before.
//! `tests/yaml_paths.rs` checks that both paths agree.

use serde_saphyr::granit_parser::{Event, Options, Parser, ScalarStyle, Span};
use std::borrow::Cow;

use super::{Key, MAX_DEPTH, MAX_NODES, Node, Value};
use crate::diag::Pos;

/// Well inside the serde-saphyr budget (depth, node count, scalar bytes), so that a file
/// this path accepts can never have tripped a limit there; real records are far smaller.
const DEPTH_CAP: usize = MAX_DEPTH - 2;
const NODE_CAP: usize = MAX_NODES / 2;
const TEXT_CAP: usize = 16 * 1024 * 1024;

/// The tree of `text`, or `None` where the serde-saphyr path must decide.
pub(super) fn tree(text: &str, line_offset: u32) -> Option<Node> {
    if text.len() > TEXT_CAP {
        return None;
    }
    let mut b = Builder {
        text,
        line_offset,
        open: Vec::new(),
        items: Vec::new(),
        entries: Vec::new(),
        root: None,
        nodes: 0,
        documents: 0,
    };
    for item in Parser::new_from_str_with_options(text, parser_options()) {
        let (event, span) = item.ok()?;
        b.event(event, &span)?;
    }
    if !b.open.is_empty() {
        return None;
    }
    b.root
}

/// The parser settings serde-saphyr derives from our `Options` (see `parse_reference`), so
/// that both paths see the same events.
fn parser_options() -> Options {
    let mut o = Options::default();
    o.flow_nesting_limit = MAX_DEPTH;
    o.block_nesting_limit = o.block_nesting_limit.max(MAX_DEPTH + 1);
    o.emit_comments = false;
    o
}

/// A collection whose end event has not come yet. Its children so far are the tail of
/// the builder's `items` or `entries` from `start` on: one shared stack per kind, so each
/// finished collection is copied once into a vector of its exact size instead of growing
/// its own.
enum Open {
    Seq {
        pos: Pos,
        start: usize,
    },
    Map {
        pos: Pos,
        start: usize,
        key: Option<Key>,
    },
}

struct Builder<'t> {
    text: &'t str,
    line_offset: u32,
    open: Vec<Open>,
    items: Vec<Node>,
    entries: Vec<(Key, Node)>,
    root: Option<Node>,
    nodes: usize,
    documents: usize,
}

impl Builder<'_> {
    fn event(&mut self, event: Event<'_>, span: &Span) -> Option<()> {
        match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => Some(()),
            Event::DocumentStart(..) => {
                self.documents += 1;
                (self.documents == 1).then_some(())
            }
            Event::Scalar(value, style, anchor, tag) => {
                if anchor != 0 || tag.is_some() || self.open.is_empty() {
                    return None;
                }
                self.count()?;
                let pos = self.pos(span);
                if let Some(Open::Map {
                    key: key @ None, ..
                }) = self.open.last_mut()
                {
                    *key = Some(Key {
                        name: key_text(value, style)?,
                        pos,
                    });
                    return Some(());
                }
                let value = self.scalar(value, style, span)?;
                self.attach(Node { pos, value })
            }
            Event::SequenceStart(_, anchor, ref tag) | Event::MappingStart(_, anchor, ref tag) => {
                let is_map = matches!(event, Event::MappingStart(..));
                if anchor != 0 || tag.is_some() || self.open.len() >= DEPTH_CAP {
                    return None;
                }
                match self.open.last() {
                    // The root must be a mapping, and a collection cannot be a key.
                    None if !is_map || self.root.is_some() => return None,
                    Some(Open::Map { key: None, .. }) => return None,
                    _ => {}
                }
                self.count()?;
                let pos = self.pos(span);
                self.open.push(if is_map {
                    Open::Map {
                        pos,
                        start: self.entries.len(),
                        key: None,
                    }
                } else {
                    Open::Seq {
                        pos,
                        start: self.items.len(),
                    }
                });
                Some(())
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let node = match self.open.pop()? {
                    Open::Seq { pos, start } => Node {
                        pos,
                        value: Value::Seq(self.items.drain(start..).collect()),
                    },
                    Open::Map { pos, start, key } => {
                        if key.is_some() || has_repeated_key(&self.entries[start..]) {
                            return None;
                        }
                        Node {
                            pos,
                            value: Value::Map(self.entries.drain(start..).collect()),
                        }
                    }
                };
                self.attach(node)
            }
            // Aliases, and anything the parser only emits on request.
            _ => None,
        }
    }

    fn count(&mut self) -> Option<()> {
        self.nodes += 1;
        (self.nodes <= NODE_CAP).then_some(())
    }

    /// Puts a finished value into its list or under its key, or makes it the root.
    fn attach(&mut self, node: Node) -> Option<()> {
        match self.open.last_mut() {
            None => self.root = Some(node),
            Some(Open::Seq { .. }) => self.items.push(node),
            Some(Open::Map { key, .. }) => self.entries.push((key.take()?, node)),
        }
        Some(())
    }

    /// Line and column as serde-saphyr's `Location` gives them (1-based column, clamped
    /// to `u32`), shifted like `location_pos`.
    fn pos(&self, span: &Span) -> Pos {
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Pos::new(
            clamp(span.start.line()) + self.line_offset,
            clamp(span.start.col() + 1),
        )
    }

    fn scalar(&self, value: Cow<'_, str>, style: ScalarStyle, span: &Span) -> Option<Value> {
        if style != ScalarStyle::Plain {
            return Some(Value::Str(value.into_owned()));
        }
        Some(match plain(&value)? {
            Plain::Null => Value::Null,
            Plain::Bool(b) => Value::Bool(b),
            Plain::Number => Value::Number(self.source(span)),
            Plain::Text => Value::Str(value.into_owned()),
        })
    }

    /// The scalar exactly as written, as `source_slice` cuts it from serde-saphyr's span.
    fn source(&self, span: &Span) -> String {
        let (Some(start), Some(end)) = (span.start.byte_offset(), span.end.byte_offset()) else {
            return String::new();
        };
        let len = end.saturating_sub(start);
        if start > u32::MAX as usize || len > u32::MAX as usize {
            return String::new();
        }
        self.text
            .get(start..start + len)
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    }
}

/// What serde-saphyr's untyped deserialisation makes of a plain scalar, with our options
/// (`strict_booleans`, `leading_zero_numbers_as_strings`).
#[derive(Debug, PartialEq)]
pub(super) enum Plain {
    Null,
    Bool(bool),
    Number,
    Text,
}

/// Classifies a plain scalar; `None` for the rare spellings whose reading depends on
/// details not reproduced here (exponents, underscores, `0x`/`0o`/`0b`, `.inf`, `.nan`,
/// a lone sign, very long digit strings).
pub(super) fn plain(v: &str) -> Option<Plain> {
    // Only these first bytes can begin a null or a boolean; most scalars are words and
    // Chinese text, which skip the comparisons.
    if let None | Some(b'~' | b'n' | b'N' | b't' | b'T' | b'f' | b'F') = v.as_bytes().first() {
        match v {
            "" | "~" | "null" | "Null" | "NULL" => return Some(Plain::Null),
            "true" | "True" | "TRUE" => return Some(Plain::Bool(true)),
            "false" | "False" | "FALSE" => return Some(Plain::Bool(false)),
            _ => {}
        }
    }
    // serde-saphyr trims these before reading a number; a plain scalar never has them at
    // its ends, but if it did, its reading would no longer be this function's.
    if v.starts_with([' ', '\t', '\r', '\n']) || v.ends_with([' ', '\t', '\r', '\n']) {
        return None;
    }
    let unsigned = v.strip_prefix(['+', '-']).unwrap_or(v).as_bytes();
    let &first = unsigned.first()?;
    // Numbers (and `.inf`, `.nan`) start with a digit or a point; Rust's float parser also
    // reads `inf` and `nan`, but serde-saphyr keeps those as text.
    if !(first.is_ascii_digit() || first == b'.') {
        return Some(Plain::Text);
    }
    // `0X1F`, `0O17`, `0B1` and leading zeros (`07`, `-0775`) stay text, as written.
    if matches!(unsigned, [b'0', b'X' | b'O' | b'B', ..])
        || (unsigned.len() > 1 && first == b'0' && unsigned.iter().all(u8::is_ascii_digit))
    {
        return Some(Plain::Text);
    }
    if matches!(unsigned, [b'0', b'x' | b'o' | b'b', ..])
        || matches!(
            unsigned,
            b".inf" | b".Inf" | b".INF" | b".nan" | b".NaN" | b".NAN"
        )
    {
        return None;
    }
    let (mut digits, mut points, mut exponent_or_underscore, mut letter, mut sign) =
        (0, 0, false, false, false);
    for &c in unsigned {
        match c {
            b'0'..=b'9' => digits += 1,
            b'.' => points += 1,
            b'e' | b'E' | b'_' => exponent_or_underscore = true,
            b'a'..=b'z' | b'A'..=b'Z' => letter = true,
            b'+' | b'-' => sign = true,
            // Neither an integer nor a float has any other character (dates have `-`,
            // times `:`, ranges `~`, Chinese units their characters).
            _ => return Some(Plain::Text),
        }
    }
    if exponent_or_underscore {
        return None;
    }
    // Without an exponent a sign can only come first, and without a radix prefix no
    // letter belongs to a number: `2025-09-25`, `1.2.3`, `3A`, `.` are text.
    if letter || sign || points > 1 || digits == 0 {
        return Some(Plain::Text);
    }
    // Beyond about 300 digits a float overflows to infinity, which serde-saphyr rejects.
    (unsigned.len() <= 300).then_some(Plain::Number)
}

/// A mapping key as `KeyText` reads it, when that is simply the scalar's text: quoted keys,
/// and plain keys that are text and cannot be an integer (`01` and `0X1` are text for
/// `KeyText` but the same integer key for serde-saphyr's duplicate check). `<<` is a merge
/// key when plain; it is declined whatever its style.
fn key_text(value: Cow<'_, str>, style: ScalarStyle) -> Option<String> {
    if value == "<<" || (style == ScalarStyle::Plain && !key_is_text(&value)) {
        return None;
    }
    Some(value.into_owned())
}

/// Whether a plain key is text that cannot be read as anything else (see `key_text`).
pub(super) fn key_is_text(value: &str) -> bool {
    let unsigned = value.strip_prefix(['+', '-']).unwrap_or(value);
    value != "<<"
        && !unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && plain(value) == Some(Plain::Text)
}

/// serde-saphyr refuses a mapping that repeats a key; with only text keys (see `key_text`)
/// two keys are the same exactly when their texts are.
pub(super) fn has_repeated_key(entries: &[(Key, Node)]) -> bool {
    if entries.len() <= 16 {
        return entries
            .iter()
            .enumerate()
            .any(|(i, (k, _))| entries[..i].iter().any(|(p, _)| p.name == k.name));
    }
    let mut names: Vec<&str> = entries.iter().map(|(k, _)| k.name.as_str()).collect();
    names.sort_unstable();
    names.windows(2).any(|w| w[0] == w[1])
}

#[cfg(test)]
mod tests {
    use super::*;

    // Plain scalars read as serde-saphyr reads them with our options.
    #[test]
    fn plain_scalars() {
        for (v, want) in [
            ("", Some(Plain::Null)),
            ("~", Some(Plain::Null)),
            ("NULL", Some(Plain::Null)),
            ("nULL", Some(Plain::Text)),
            ("True", Some(Plain::Bool(true))),
            ("yes", Some(Plain::Text)),
            ("07752671363", Some(Plain::Text)),
            ("-07", Some(Plain::Text)),
            ("0", Some(Plain::Number)),
            ("-0", Some(Plain::Number)),
            ("+12", Some(Plain::Number)),
            ("8.50", Some(Plain::Number)),
            ("00.5", Some(Plain::Number)),
            (".5", Some(Plain::Number)),
            ("1.", Some(Plain::Number)),
            (".", Some(Plain::Text)),
            ("1.2.3", Some(Plain::Text)),
            ("2025-09-25", Some(Plain::Text)),
            ("12:30", Some(Plain::Text)),
            ("3号楼", Some(Plain::Text)),
            ("0X1F", Some(Plain::Text)),
            ("inf", Some(Plain::Text)),
            ("1e3", None),
            ("1_000", None),
            ("0x1f", None),
            (".inf", None),
            ("-.NaN", None),
            ("-", None),
        ] {
            assert_eq!(plain(v), want, "{v:?}");
        }
    }
}
