//! The located tree read line by line, for the plain records that make up nearly every
//! content file: block mappings and lists of plain keys, one-line scalars (plain, quoted
//! without escapes), one-line `{…}`/`[…]` and `|` text blocks. It reads such a file about
//! ten times faster than the parser's events, because it never tokenises a line it can
//! take whole.
//!
//! It must give exactly the tree the serde-saphyr path gives, so it declines (`None`) at
//! the first thing outside that subset: tabs, carriage returns, a byte-order mark, document
//! markers and directives, anchors, aliases, tags, escapes, multi-line scalars other than
//! `|` blocks, empty values, compact lists, complex or repeated keys, anything near the
//! size and nesting limits, and every error. The caller then tries the events path, then
//! serde-saphyr. `tests/yaml_paths.rs` checks that all paths agree.

use super::events::{Plain, has_repeated_key, key_is_text, plain};
use super::{Key, Node, Value};
use crate::diag::Pos;

/// As in `events`: well inside serde-saphyr's budget.
const DEPTH_CAP: usize = super::MAX_DEPTH - 2;
const NODE_CAP: usize = super::MAX_NODES / 2;

/// The tree of `text`, or `None` where another path must decide.
pub(super) fn tree(text: &str, line_offset: u32) -> Option<Node> {
    if text.len() > 1024 * 1024 || !only_ordinary_characters(text) {
        return None;
    }
    let lines: Vec<Line> = text
        .split('\n')
        .enumerate()
        .map(|(i, raw)| {
            let content = raw.trim_start_matches(' ');
            Line {
                no: i as u32 + 1 + line_offset,
                indent: raw.len() - content.len(),
                raw,
                content,
            }
        })
        .collect();
    let mut r = Reader {
        lines,
        at: 0,
        nodes: 0,
    };
    let first = r.next_content()?;
    let (indent, content) = (r.lines[first].indent, r.lines[first].content);
    // The root is a mapping; `---`, `...` and `%` directives are left to the parser.
    if content.starts_with(['-', '%', '.']) {
        return None;
    }
    let root = r.mapping(indent, 1)?;
    // Nothing may follow the root mapping.
    r.next_content().is_none().then_some(root)
}

/// No tab, carriage return or other control character, and none of the characters whose
/// reading differs between YAML versions or that YAML refuses (next line, the Unicode line
/// and paragraph separators, the byte-order mark, U+FFFE and U+FFFF): the parser's rules
/// for those are not reproduced here.
///
/// Run over every record, so written to be fast on Chinese text: control bytes are sought
/// 64 bytes at a time without stopping early (which the compiler vectorises), and the
/// other characters by the only lead bytes they can start with (C2, E2, EF; in valid UTF-8
/// those bytes are never continuation bytes). Thirteen times as fast as a byte-by-byte
/// `match` on the generated records.
fn only_ordinary_characters(text: &str) -> bool {
    let b = text.as_bytes();
    let control = |bad: bool, &c: &u8| bad | (c < b' ' && c != b'\n') | (c == 0x7F);
    if b.chunks(64).any(|chunk| chunk.iter().fold(false, control)) {
        return false;
    }
    let next = |i: usize| (b.get(i + 1).copied(), b.get(i + 2).copied());
    memchr::memchr3_iter(0xC2, 0xE2, 0xEF, b).all(|i| match (b[i], next(i)) {
        // U+0080 to U+009F: C1 controls, next line (U+0085) among them.
        (0xC2, (second, _)) => !matches!(second, Some(0x80..=0x9F)),
        // U+2028, U+2029.
        (0xE2, rest) => !matches!(rest, (Some(0x80), Some(0xA8 | 0xA9))),
        // U+FEFF; U+FFFE, U+FFFF.
        (_, rest) => !matches!(
            rest,
            (Some(0xBB), Some(0xBF)) | (Some(0xBF), Some(0xBE | 0xBF))
        ),
    })
}

struct Line<'t> {
    /// Line number as reported (1-based, shifted by the caller's offset).
    no: u32,
    /// Leading spaces.
    indent: usize,
    raw: &'t str,
    /// The line after its indentation.
    content: &'t str,
}

impl Line<'_> {
    /// Blank or only a comment: no part of the tree.
    fn is_blank(&self) -> bool {
        self.content.is_empty() || self.content.starts_with('#')
    }

    /// The position of byte `at` of the line (columns count characters, from 1).
    fn pos(&self, at: usize) -> Pos {
        Pos::new(self.no, self.raw[..at].chars().count() as u32 + 1)
    }
}

struct Reader<'t> {
    lines: Vec<Line<'t>>,
    /// The next line to read.
    at: usize,
    nodes: usize,
}

impl<'t> Reader<'t> {
    /// Skips blank and comment lines; the index of the next line with content.
    fn next_content(&mut self) -> Option<usize> {
        while self.at < self.lines.len() {
            if !self.lines[self.at].is_blank() {
                return Some(self.at);
            }
            self.at += 1;
        }
        None
    }

    fn count(&mut self) -> Option<()> {
        count(&mut self.nodes)
    }

    /// The next line with content, if it belongs to the block whose lines stand at column
    /// `indent`: `Some(None)` where the block ends (a shallower line, or the end of the
    /// text), `None` for a deeper line, which only a scalar's continuation or an error
    /// could be.
    fn next_in_block(&mut self, indent: usize) -> Option<Option<usize>> {
        let Some(i) = self.next_content() else {
            return Some(None);
        };
        match self.lines[i].indent.cmp(&indent) {
            std::cmp::Ordering::Less => Some(None),
            std::cmp::Ordering::Equal => Some(Some(i)),
            std::cmp::Ordering::Greater => None,
        }
    }

    /// A one-line value at byte `at` of line `i`, followed by nothing but a comment and by
    /// no deeper line (which would continue it, or be an error); `indent` is the column of
    /// its key or dash. Leaves `at` on the next line.
    fn one_line(&mut self, i: usize, at: usize, indent: usize, depth: usize) -> Option<Value> {
        let (raw, no) = (self.lines[i].raw, self.lines[i].no);
        let (value, rest) = scalar_or_flow(raw, no, at, &mut self.nodes, depth)?;
        if !ends_line(rest) {
            return None;
        }
        self.at = i + 1;
        self.next_in_block(indent)?;
        Some(value)
    }

    /// A block mapping whose keys stand at column `indent`, starting at the next line with
    /// content. A list item's first line counts as starting at its key (see `list`).
    fn mapping(&mut self, indent: usize, depth: usize) -> Option<Node> {
        if depth > DEPTH_CAP {
            return None;
        }
        self.count()?;
        let mut entries: Vec<(Key, Node)> = Vec::new();
        let mut pos = None;
        while let Some(i) = self.next_in_block(indent)? {
            let line = &self.lines[i];
            let (name, rest) = split_key(line.content)?;
            let key_at = line.raw.len() - line.content.len();
            let key = Key {
                name: name.to_string(),
                pos: line.pos(key_at),
            };
            pos.get_or_insert(key.pos);
            let value_at = line.raw.len() - rest.len();
            self.count()?;
            let value = self.value(i, value_at, indent, depth)?;
            entries.push((key, value));
        }
        if entries.is_empty() || has_repeated_key(&entries) {
            return None;
        }
        Some(Node {
            pos: pos?,
            value: Value::Map(entries),
        })
    }

    /// The value after a key on line `i`, its text starting at byte `at` (spaces before it
    /// allowed); `indent` is the key's column. Leaves `at` on the line after the value.
    fn value(&mut self, i: usize, at: usize, indent: usize, depth: usize) -> Option<Node> {
        let raw = self.lines[i].raw;
        let text = raw[at..].trim_start_matches(' ');
        let start = raw.len() - text.len();
        self.at = i + 1;
        if text.is_empty() || text.starts_with('#') {
            // A nested block on the following lines, deeper than the key.
            let next = self.next_content()?;
            let inner = self.lines[next].indent;
            if inner <= indent {
                return None;
            }
            return if self.lines[next].content.starts_with('-') {
                self.list(inner, depth + 1)
            } else {
                self.mapping(inner, depth + 1)
            };
        }
        self.count()?;
        let mut pos = self.lines[i].pos(start);
        let value = if let Some(header) = text.strip_prefix('|') {
            // serde-saphyr places a text block where its text starts.
            let (value, start) = self.literal(header, indent)?;
            pos = start;
            value
        } else {
            self.one_line(i, start, indent, depth)?
        };
        Some(Node { pos, value })
    }

    /// A block list whose dashes stand at column `indent`.
    fn list(&mut self, indent: usize, depth: usize) -> Option<Node> {
        if depth > DEPTH_CAP {
            return None;
        }
        self.count()?;
        let mut items = Vec::new();
        let mut pos = None;
        while let Some(i) = self.next_in_block(indent)? {
            let line = &self.lines[i];
            let after = line.content.strip_prefix("- ")?;
            let item = after.trim_start_matches(' ');
            let item_at = line.raw.len() - item.len();
            pos.get_or_insert(line.pos(line.indent));
            if item.is_empty() || item.starts_with(['#', '-', '|', '>', '?']) {
                return None;
            }
            if split_key(item).is_some() {
                // `- key: value`: a mapping whose keys stand where this first key does;
                // read this line again as if it started there.
                let no = line.no;
                let raw = line.raw;
                self.lines[i] = Line {
                    no,
                    indent: item_at,
                    raw,
                    content: item,
                };
                items.push(self.mapping(item_at, depth + 1)?);
            } else {
                let pos = line.pos(item_at);
                self.count()?;
                let value = self.one_line(i, item_at, indent, depth)?;
                items.push(Node { pos, value });
            }
        }
        Some(Node {
            pos: pos?,
            value: Value::Seq(items),
        })
    }

    /// A `|` (or `|-`) text block under a key at column `indent`, and where its text
    /// starts; `header` is what follows the `|` on its line. `at` is on the line after the
    /// header.
    fn literal(&mut self, header: &str, indent: usize) -> Option<(Value, Pos)> {
        let (strip, rest) = match header.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, header),
        };
        if !ends_line(rest) {
            return None;
        }
        let mut body: Vec<&str> = Vec::new();
        let mut block_indent = None;
        let mut start = None;
        while self.at < self.lines.len() {
            let line = &self.lines[self.at];
            if line.content.is_empty() {
                // Blank, or spaces only: deeper than the text would keep them as text.
                if block_indent.is_some_and(|b| line.indent > b)
                    || block_indent.is_none() && line.indent > indent
                {
                    return None;
                }
                body.push("");
                self.at += 1;
                continue;
            }
            let b = *block_indent.get_or_insert(line.indent);
            start.get_or_insert(Pos::new(line.no, b as u32 + 1));
            if line.indent < b {
                if line.indent > indent {
                    return None;
                }
                break;
            }
            body.push(&line.raw[b..]);
            self.at += 1;
        }
        block_indent.filter(|&b| b > indent)?;
        // The last line of the file has no line end of its own.
        if self.at == self.lines.len() && body.last().is_some_and(|l| !l.is_empty()) {
            return None;
        }
        while body.last() == Some(&"") {
            body.pop();
        }
        let mut text = body.join("\n");
        if !strip && !text.is_empty() {
            text.push('\n');
        }
        Some((Value::Str(text), start?))
    }
}

/// Counts one more node; `None` past the cap.
fn count(nodes: &mut usize) -> Option<()> {
    *nodes += 1;
    (*nodes <= NODE_CAP).then_some(())
}

/// `key: rest` or `key:` with a plain text key; the key and what follows the colon.
fn split_key(content: &str) -> Option<(&str, &str)> {
    let end = content
        .bytes()
        .position(|b| !(b.is_ascii_alphanumeric() || b == b'_'))?;
    let (name, after) = content.split_at(end);
    let rest = after.strip_prefix(':')?;
    if !(rest.is_empty() || rest.starts_with(' ')) || name.is_empty() {
        return None;
    }
    key_is_text(name).then_some((name, rest))
}

/// Whether nothing is left on the line but spaces and a comment, which must be
/// separated from what comes before it by a space.
fn ends_line(rest: &str) -> bool {
    let after = rest.trim_start_matches(' ');
    after.is_empty() || (after.starts_with('#') && after.len() < rest.len())
}

/// A one-line value starting at byte `at` of `line`: a quoted or plain scalar, or a
/// `{…}`/`[…]` of such scalars; and what follows it on the line (a comment must be
/// separated by a space: callers check with `ends_line`, which needs the space kept).
fn scalar_or_flow<'l>(
    line: &'l str,
    no: u32,
    at: usize,
    nodes: &mut usize,
    depth: usize,
) -> Option<(Value, &'l str)> {
    let text = &line[at..];
    match text.as_bytes()[0] {
        b'"' | b'\'' => quoted(text),
        b'{' | b'[' => {
            let mut f = Flow {
                line,
                no,
                at,
                nodes,
            };
            let value = f.collection(depth + 1)?;
            Some((value, &line[f.at..]))
        }
        _ => {
            let end = text.find(" #").unwrap_or(text.len());
            let plain = text[..end].trim_end_matches(' ');
            if !plain_block_ok(plain) {
                return None;
            }
            Some((plain_value(plain)?, &text[plain.len()..]))
        }
    }
}

/// A plain scalar in block context that means what it says: no indicator at its start,
/// no `: ` or final `:` (a mapping or an error), no anchor, alias or tag.
fn plain_block_ok(s: &str) -> bool {
    let first = s.as_bytes().first().copied();
    !(matches!(
        first,
        None | Some(
            b'-' | b'?'
                | b':'
                | b','
                | b'['
                | b']'
                | b'{'
                | b'}'
                | b'#'
                | b'&'
                | b'*'
                | b'!'
                | b'|'
                | b'>'
                | b'\''
                | b'"'
                | b'%'
                | b'@'
                | b'`'
        )
    ) || s.contains(": ")
        || s.ends_with(':'))
}

fn plain_value(s: &str) -> Option<Value> {
    Some(match plain(s)? {
        Plain::Null => Value::Null,
        Plain::Bool(b) => Value::Bool(b),
        Plain::Number => Value::Number(s.to_string()),
        Plain::Text => Value::Str(s.to_string()),
    })
}

/// A quoted scalar closed on the same line, without escapes; and the rest of the line.
fn quoted(text: &str) -> Option<(Value, &str)> {
    let quote = text.as_bytes()[0] as char;
    let inner = &text[1..];
    if quote == '"' {
        let close = inner.find('"')?;
        let s = &inner[..close];
        if s.contains('\\') {
            return None;
        }
        return Some((Value::Str(s.to_string()), &inner[close + 1..]));
    }
    // Single quotes: `''` stands for one quote.
    let mut out = String::new();
    let mut rest = inner;
    loop {
        let close = rest.find('\'')?;
        out.push_str(&rest[..close]);
        rest = &rest[close + 1..];
        match rest.strip_prefix('\'') {
            Some(more) => {
                out.push('\'');
                rest = more;
            }
            None => return Some((Value::Str(out), rest)),
        }
    }
}

/// A one-line `{…}` or `[…]` of scalars (and `{…}` inside `[…]`).
struct Flow<'l, 'n> {
    line: &'l str,
    /// The line's number as reported.
    no: u32,
    at: usize,
    nodes: &'n mut usize,
}

impl Flow<'_, '_> {
    fn skip_spaces(&mut self) {
        while self.line.as_bytes().get(self.at) == Some(&b' ') {
            self.at += 1;
        }
    }

    fn count(&mut self) -> Option<()> {
        count(self.nodes)
    }

    /// Where the next character is.
    fn pos(&self) -> Pos {
        Pos::new(self.no, self.line[..self.at].chars().count() as u32 + 1)
    }

    /// The collection at `at` (its node's position is taken by the caller).
    fn collection(&mut self, depth: usize) -> Option<Value> {
        if depth > DEPTH_CAP {
            return None;
        }
        let open = self.line.as_bytes()[self.at];
        self.at += 1;
        if open == b'{' {
            self.map_body()
        } else {
            self.seq_body(depth)
        }
    }

    /// Entries `key: value` up to `}`; at least one, no trailing comma.
    fn map_body(&mut self) -> Option<Value> {
        let mut entries = Vec::new();
        loop {
            self.skip_spaces();
            let rest = &self.line[self.at..];
            let (name, after) = split_key(rest)?;
            let key_pos = self.pos();
            self.count()?;
            self.at += name.len() + 1;
            if !after.starts_with(' ') {
                return None;
            }
            self.skip_spaces();
            let value_pos = self.pos();
            let value = self.item()?;
            entries.push((
                Key {
                    name: name.to_string(),
                    pos: key_pos,
                },
                Node {
                    pos: value_pos,
                    value,
                },
            ));
            self.skip_spaces();
            match self.line.as_bytes().get(self.at) {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    break;
                }
                _ => return None,
            }
        }
        if has_repeated_key(&entries) {
            return None;
        }
        Some(Value::Map(entries))
    }

    /// Items up to `]`; at least one, no trailing comma.
    fn seq_body(&mut self, depth: usize) -> Option<Value> {
        let mut items = Vec::new();
        loop {
            self.skip_spaces();
            let pos = self.pos();
            let value = if self.line.as_bytes().get(self.at) == Some(&b'{') {
                self.count()?;
                self.collection(depth + 1)?
            } else {
                self.item()?
            };
            items.push(Node { pos, value });
            self.skip_spaces();
            match self.line.as_bytes().get(self.at) {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    break;
                }
                _ => return None,
            }
        }
        Some(Value::Seq(items))
    }

    /// A scalar inside a flow collection: quoted, or plain up to `,`, `]` or `}`.
    fn item(&mut self) -> Option<Value> {
        self.count()?;
        let rest = &self.line[self.at..];
        if rest.starts_with(['"', '\'']) {
            let (value, after) = quoted(rest)?;
            self.at = self.line.len() - after.len();
            return Some(value);
        }
        let end = rest.find([',', ']', '}', '[', '{', '#', ':'])?;
        let plain = rest[..end].trim_end_matches(' ');
        if !matches!(rest.as_bytes()[end], b',' | b']' | b'}') || !plain_block_ok(plain) {
            return None;
        }
        self.at += plain.len();
        plain_value(plain)
    }
}

#[cfg(test)]
mod tests {
    use super::only_ordinary_characters;

    // Each refused character is found wherever it stands, among Chinese text and past the
    // first 64 bytes; the characters that share its lead byte are not refused.
    #[test]
    fn refuses_exactly_the_extraordinary_characters() {
        let refused = [
            '\0', '\t', '\r', '\u{1b}', '\u{7f}', '\u{80}', '\u{85}', '\u{9f}', '\u{2028}',
            '\u{2029}', '\u{feff}', '\u{fffe}', '\u{ffff}',
        ];
        let ordinary = [
            '\n', ' ', '~', '\u{a0}', '©', '\u{2027}', '“', '…', '\u{fefe}', '，', '\u{fffd}',
        ];
        let text = "名称: 碧水公馆\n地址: 博白县东平镇新民路385号\n".repeat(3);
        for at in [0, 7, text.len()] {
            let with = |c: char| format!("{}{c}{}", &text[..at], &text[at..]);
            for c in refused {
                assert!(!only_ordinary_characters(&with(c)), "{c:?} at {at}");
            }
            for c in ordinary {
                assert!(only_ordinary_characters(&with(c)), "{c:?} at {at}");
            }
        }
    }
}
