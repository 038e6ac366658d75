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

pub(super) fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_plain_text() {
        let md = "## 主要做法\n\n> 本文为**示例**。\n\n1. **征集**：业主通过[意见箱](http://x/y)反映\n   问题；\n- ![大门照片](files/gate.jpg)\n\n| 项目 | 内容 |\n| --- | --- |\n| 文号 | 玉住建字〔2025〕18号 |\n\n<div class=\"x\">HTML</div>\n\n---\n\n```\ncode 行\n```\n居民需\n求大[^1]\n\n[^1]: 脚注文字\n[x]: http://a";
        let text = plain_text(md);
        assert_eq!(
            text,
            "主要做法\n本文为示例。\n征集：业主通过意见箱反映问题；\n大门照片\n项目 内容\n文号 玉住建字〔2025〕18号\nHTML\ncode 行\n居民需求大\n脚注文字"
        );
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
