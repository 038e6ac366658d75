//! Markdown to plain text, for indexing and snippets.

use super::tokenize::is_han;

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

pub(super) fn new_block(out: &mut String) {
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

/// Three or more of one of `-`, `*`, `_`, spaces allowed. Gives up at the first other
/// character, which for a line of text is the first one.
fn is_rule(line: &str) -> bool {
    let mut marks = line.chars().filter(|c| !c.is_whitespace());
    let Some(m @ ('-' | '*' | '_')) = marks.next() else {
        return false;
    };
    let mut n = 1;
    for c in marks {
        if c != m {
            return false;
        }
        n += 1;
    }
    n >= 3
}

fn is_table_separator(line: &str) -> bool {
    line.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ')) && line.contains('-')
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
        #[cfg(test)]
        tests::SCANNED.with(|n| n.set(n.get() + found.map_or(hay.len(), |i| i + 1)));
        found
    };
    // Whether `out` has whitespace: only then can collapsing change it.
    let mut spaced = false;
    // `rest[..plain]` is text without markup, copied in one piece.
    let mut plain = 0;
    loop {
        let b = rest.as_bytes();
        let hit = plain
            + find_byte(&b[plain..], |x| is_markup(x) | may_start_space(x))
                .unwrap_or(b.len() - plain);
        if hit < b.len() && !is_markup(b[hit]) {
            spaced |= space_len(b, hit) > 0;
            // The bytes after the first of a character are neither markup nor spaces.
            plain = hit + 1;
            continue;
        }
        out.push_str(&rest[..hit]);
        rest = &rest[hit..];
        plain = 0;
        let Some(c) = rest.chars().next() else {
            break;
        };
        let after = &rest[c.len_utf8()..];
        match c {
            '*' | '`' | '~' => rest = after,
            '\\' => {
                if let Some(n) = after.chars().next() {
                    spaced |= n.is_whitespace();
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
                    let text = inline_text(&after[..close]);
                    spaced |= text.contains(' ');
                    out.push_str(&text);
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
                spaced = true;
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
                        spaced |= ch == ' ';
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
    if spaced { collapse_spaces(&out) } else { out }
}

/// The first bytes of the characters that [`inline_text`] treats specially.
fn is_markup(b: u8) -> bool {
    (b == b'*')
        | (b == b'`')
        | (b == b'~')
        | (b == b'\\')
        | (b == b'!')
        | (b == b'[')
        | (b == b'<')
        | (b == b'&')
}

/// Words separated by single spaces: `s.split_whitespace()` joined with `' '`.
pub(super) fn collapse_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_collapsed(&mut out, s);
    out
}

/// Appends [`collapse_spaces`] of `s` to `out`; returns whether it had a word.
pub(super) fn push_collapsed(out: &mut String, s: &str) -> bool {
    let b = s.as_bytes();
    let (mut start, mut any) = (0, false);
    while start < b.len() {
        let (end, next) = next_space(b, start).map_or((b.len(), b.len()), |(at, n)| (at, at + n));
        if end > start {
            if any {
                out.push(' ');
            }
            out.push_str(&s[start..end]);
            any = true;
        }
        start = next;
    }
    any
}

/// Where the next whitespace character at or after `from` starts, and its length. The
/// bytes are scanned for those that can start one; in Chinese text few do.
fn next_space(b: &[u8], from: usize) -> Option<(usize, usize)> {
    let mut i = from;
    while let Some(k) = find_byte(&b[i..], may_start_space) {
        let n = space_len(b, i + k);
        if n > 0 {
            return Some((i + k, n));
        }
        i += k + 1;
    }
    None
}

/// Whether a whitespace character can start with byte `x`: few bytes of Chinese text can.
fn may_start_space(x: u8) -> bool {
    (x <= b' ') | (x == 0xC2) | (x.wrapping_sub(0xE1) < 3)
}

/// The position of the first byte of `b` for which `hit` holds. Blocks of sixteen bytes
/// are tested without branching, which the compiler turns into vector instructions: text
/// is scanned for rare bytes several times faster than one byte at a time. For that `hit`
/// must not branch either: `|`, not `||`.
#[inline]
pub(super) fn find_byte(b: &[u8], hit: impl Fn(u8) -> bool) -> Option<usize> {
    let mut blocks = b.chunks_exact(16);
    let mut at = 0;
    for block in &mut blocks {
        if block.iter().fold(false, |any, &x| any | hit(x)) {
            break;
        }
        at += 16;
    }
    b[at..].iter().position(|&x| hit(x)).map(|k| at + k)
}

/// The length of the whitespace character (`char::is_whitespace`) starting at byte `i` of
/// valid UTF-8, or 0 when there is none (also inside a character). Chinese text is mostly
/// three-byte characters that no lead byte here can start.
fn space_len(b: &[u8], i: usize) -> usize {
    let next = |k: usize| b.get(i + k).copied().unwrap_or(0);
    match b[i] {
        b' ' | b'\t'..=b'\r' => 1,
        0xC2 if matches!(next(1), 0x85 | 0xA0) => 2,
        0xE1 if (next(1), next(2)) == (0x9A, 0x80) => 3,
        0xE2 if matches!(
            (next(1), next(2)),
            (0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF) | (0x81, 0x9F)
        ) =>
        {
            3
        }
        0xE3 if (next(1), next(2)) == (0x80, 0x80) => 3,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte scanner must find exactly what `split_whitespace` splits at, whatever
    /// surrounds it and wherever it falls in a block of sixteen bytes.
    #[test]
    fn collapsing_finds_every_whitespace_character() {
        let spaces: Vec<char> = (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace())
            .collect();
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let mut buf = [0; 4];
            let b = c.encode_utf8(&mut buf).as_bytes();
            assert_eq!(space_len(b, 0) > 0, c.is_whitespace(), "{c:?}");
        }
        let words = [
            "中",
            "a",
            "。",
            "“",
            "\u{2010}",
            "\u{3001}",
            "é",
            "\u{1680}x",
        ];
        for (k, &space) in spaces.iter().enumerate() {
            for pad in 0..18 {
                let word = words[(k + pad) % words.len()];
                let text = format!(
                    "{}{space}{word}{space}{space}{word}{space}",
                    "字".repeat(pad)
                );
                let plain = text.split_whitespace().collect::<Vec<_>>().join(" ");
                assert_eq!(collapse_spaces(&text), plain, "{text:?}");
            }
        }
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

    thread_local! {
        /// Bytes the search for a closing bracket has looked at, on this thread.
        pub(super) static SCANNED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    // Lines of unclosed brackets, links or tags take linear time. They took quadratic time
    // (seconds for one 400,000-character line, hours for a 4 MB one) because each opener
    // searched the rest of the line for its closer again. Counted, not timed: the closer
    // searches look at no more than twice the line's length.
    #[test]
    fn plain_text_of_hostile_lines_is_linear() {
        for unit in ["[", "<a", "[x]", "[x](", "[^", "![", "[x][", "<!"] {
            let line = unit.repeat(400_000 / unit.len());
            SCANNED.with(|n| n.set(0));
            let text = plain_text(&line);
            let scanned = SCANNED.with(|n| n.get());
            assert!(scanned <= 2 * line.len(), "{unit}: {scanned} bytes scanned");
            assert!(!text.is_empty() || unit.starts_with('<'), "{unit}");
        }
        assert_eq!(
            plain_text("[甲](files/a.pdf) [乙][r] [^1] <b>丙</b>"),
            "甲 乙 丙"
        );
    }
}
