//! Catches the typing slips Chinese input methods make in YAML, before the parser turns
//! them into baffling errors: a full-width colon after a key, ideographic-space or tab
//! indentation.

use crate::diag::Pos;

#[derive(Debug, PartialEq)]
pub struct Slip {
    pub pos: Pos,
    pub message: String,
    pub hint: String,
}

/// Checks every line; `first_line` is the file line of the text's first line.
pub fn check(text: &str, first_line: u32) -> Vec<Slip> {
    let mut slips = Vec::new();
    let mut in_block_scalar: Option<usize> = None;
    for (i, line) in super::lines(text).enumerate() {
        let line_no = first_line + i as u32;
        // Spaces are one byte each, so bytes count characters here.
        let indent_chars: usize = line.bytes().take_while(|b| *b == b' ').count();
        // Inside a `|` or `>` block the text is the author's prose: leave it alone.
        if let Some(block_indent) = in_block_scalar {
            if indent_chars > block_indent || line.chars().all(char::is_whitespace) {
                continue;
            }
            in_block_scalar = None;
        }
        // Character positions of the first ideographic space and tab in the leading
        // whitespace; the former is reported first wherever both are.
        let (mut ideographic, mut tab) = (None, None);
        for (n, c) in line.chars().take_while(|c| c.is_whitespace()).enumerate() {
            match c {
                '\u{3000}' => _ = ideographic.get_or_insert(n),
                '\t' => _ = tab.get_or_insert(n),
                _ => {}
            }
        }
        if let Some(col) = ideographic {
            slips.push(Slip {
                pos: Pos::new(line_no, col as u32 + 1),
                message: "行首用了全角空格（U+3000）缩进".into(),
                hint: "请把全角空格换成半角空格（切换到英文输入法，每级缩进两个空格）".into(),
            });
            continue;
        }
        if let Some(col) = tab {
            slips.push(Slip {
                pos: Pos::new(line_no, col as u32 + 1),
                message: "行首用了制表符（Tab）缩进".into(),
                hint: "YAML 只允许空格缩进，请把 Tab 换成两个空格".into(),
            });
            continue;
        }
        // `trim_start_matches("- ")`, without setting up a substring search per line.
        let mut rest = line.trim_start();
        while let Some(r) = rest.strip_prefix("- ") {
            rest = r;
        }
        if rest.starts_with('#') {
            continue;
        }
        if let Some(slip) = full_width_colon(rest, line_no, line.len() - rest.len()) {
            slips.push(slip);
        }
        // Only a line with `|` or `>` somewhere can start a block.
        if memchr::memchr2(b'|', b'>', rest.as_bytes()).is_none() {
            continue;
        }
        let value = rest.split_once(": ").map(|(_, v)| v.trim()).unwrap_or("");
        if value.starts_with('|') || value.starts_with('>') {
            in_block_scalar = Some(indent_chars);
        }
    }
    slips
}

/// `名称：值` or `name：值` where the key has no ASCII colon before the full-width one.
fn full_width_colon(rest: &str, line_no: u32, byte_indent: usize) -> Option<Slip> {
    let idx = rest.find('：')?;
    let key = &rest[..idx];
    if key.is_empty() || key.contains(':') || key.contains(' ') || key.starts_with(['"', '\'']) {
        return None;
    }
    // A line that already parses as `key: value` with the colon later is fine.
    if rest.find(": ").is_some_and(|ascii| ascii < idx) {
        return None;
    }
    let col = rest[..idx].chars().count() + byte_indent + 1;
    Some(Slip {
        pos: Pos::new(line_no, col as u32),
        message: format!("字段名 `{key}` 后面用了中文冒号“：”"),
        hint:
            "字段名后要用英文冒号加一个空格，例如 `name: 阳光小区`；请切换到英文输入法重新输入冒号"
                .into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // A full-width colon after a key is named with its column.
    #[test]
    fn full_width_colon_after_key() {
        let s = check("name: a\ncounty：容县\n", 1);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].pos, Pos::new(2, 7));
        assert!(s[0].message.contains("county"));
    }

    // Ideographic-space and tab indentation are both caught.
    #[test]
    fn indentation_slips() {
        let s = check("contact:\n\u{3000}\u{3000}person: 张\n\tphone: 1\n", 1);
        assert_eq!(s.len(), 2);
        assert!(s[0].message.contains("全角空格"));
        assert!(s[1].message.contains("Tab"));
    }

    // A full-width colon after a list item's key, and lines shifted for front matter, are
    // located in the file; comments are left alone.
    #[test]
    fn list_items_comments_and_offset() {
        let s = check("# 说明：注释\nscores:\n  - 专家：张三\n", 2);
        assert_eq!(s.len(), 1, "{s:?}");
        assert_eq!(s[0].pos, Pos::new(4, 7));
        assert!(s[0].message.contains("`专家`"));
    }

    // Quoted keys and text with spaces before the colon are not taken for keys.
    #[test]
    fn not_keys() {
        assert!(check("\"a：b\": 1\n", 1).is_empty());
        assert!(check("- 主要做法 党建：引领\n", 1).is_empty());
    }

    // Prose in a block scalar and values with full-width colons are left alone.
    #[test]
    fn prose_is_not_linted() {
        let text = "summary: |\n  主要做法：党建引领\n  \u{3000}\u{3000}首行缩进\nnote: 说明：无\n";
        assert!(check(text, 1).is_empty(), "{:?}", check(text, 1));
    }
}
