//! The only module that parses YAML: turns text into a tree of located nodes.
//!
//! Records are read into this generic tree first, not straight into typed structs, so that
//! validation can report every problem of a file at once, in Chinese, with the line and
//! column of the offending key or value (serde would stop at the first problem).

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::budget::BudgetBreach;
use serde_saphyr::{Budget, Options, Spanned};
use std::fmt;

use crate::diag::Pos;

mod events;
mod lines;

/// A YAML value with the position where it starts in its file.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub pos: Pos,
    pub value: Value,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// A number, kept as written (`07`, `8.50`) so that no digit is lost or reformatted.
    Number(String),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    pub name: String,
    pub pos: Pos,
}

impl Node {
    /// The text of a scalar (numbers as written, booleans as `true`/`false`).
    pub fn scalar_text(&self) -> Option<String> {
        match &self.value {
            Value::Str(s) | Value::Number(s) => Some(s.clone()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// The value at a dotted path of mapping keys (`contact.phone`), if every step exists.
    pub fn get(&self, path: &str) -> Option<&Node> {
        path.split('.').try_fold(self, |n, key| match &n.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        })
    }

    pub fn kind_name(&self) -> &'static str {
        match self.value {
            Value::Null => "空值",
            Value::Bool(_) => "布尔值",
            Value::Number(_) => "数字",
            Value::Str(_) => "文本",
            Value::Seq(_) => "列表",
            Value::Map(_) => "键值对（映射）",
        }
    }
}

/// A YAML syntax problem, already in Chinese.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntaxError {
    pub pos: Pos,
    pub message: String,
    pub hint: String,
}

/// The deepest nesting a record may use. The deepest real structure is four levels
/// (record → scores → one expert → criteria); deserialising each level costs tens of KB of
/// stack in a debug build, so the parser's default of 64 overflows a 2 MiB worker thread.
pub const MAX_DEPTH: usize = 16;

/// The most YAML nodes (scalars, keys, lists, maps) in one file. A full estate record has a
/// few hundred; the cap stops a 100,000-item list at the parser, in bounded time, instead of
/// producing one diagnostic per item.
pub const MAX_NODES: usize = 20_000;

/// Parses one YAML document. `line_offset` shifts reported lines, for front matter that
/// starts below the top of its file.
///
/// Plain records are read line by line; what that declines goes straight from the
/// parser's events; anything else (and every error) is left to serde-saphyr, so results
/// and messages are exactly those of `parse_reference`.
pub fn parse(text: &str, line_offset: u32) -> Result<Node, SyntaxError> {
    if let Some(node) = lines::tree(text, line_offset) {
        return Ok(node);
    }
    match events::tree(text, line_offset) {
        Some(node) => Ok(node),
        None => parse_reference(text, line_offset),
    }
}

/// The tree read line by line, or `None` where `parse` defers to the other paths. Public
/// so that tests can check the paths agree.
pub fn parse_lines(text: &str, line_offset: u32) -> Option<Node> {
    lines::tree(text, line_offset)
}

/// The tree from the parser's events alone, or `None` where `parse` defers to
/// serde-saphyr. Public so that tests can check both paths agree.
pub fn parse_events(text: &str, line_offset: u32) -> Option<Node> {
    events::tree(text, line_offset)
}

/// Parses through serde-saphyr (`Spanned<Raw>`): the reference for every result and the
/// only path that reports errors.
pub fn parse_reference(text: &str, line_offset: u32) -> Result<Node, SyntaxError> {
    let mut options = Options::default();
    // Leading zeros are codes and phone numbers, never octal; `yes`/`no` stay text.
    options.leading_zero_numbers_as_strings = true;
    options.strict_booleans = true;
    options.with_snippet = false;
    // Records never need aliases; a small replay budget turns alias bombs into a quick error.
    options.alias_limits.max_total_replayed_events = 10_000;
    let mut budget = Budget::default();
    budget.max_depth = MAX_DEPTH;
    budget.flow_nesting_limit = MAX_DEPTH;
    budget.max_nodes = MAX_NODES;
    options.budget = Some(budget);
    if text.trim().is_empty() {
        return Ok(Node {
            pos: Pos::new(1 + line_offset, 1),
            value: Value::Null,
        });
    }
    match serde_saphyr::from_str_with_options::<Spanned<Raw>>(text, options) {
        Ok(root) => Ok(Raw::into_node(root, text, line_offset)),
        Err(e) => {
            let err = translate(&e, text, line_offset);
            // Parsers notice an unclosed `[` or `{` only lines later, with a message about
            // whatever came next; point at the bracket itself instead.
            let upto = err.pos.line.saturating_sub(line_offset);
            Err(unclosed_flow(text, upto, line_offset).unwrap_or(err))
        }
    }
}

/// The shape serde-saphyr hands us; converted to `Node` once spans are known.
#[derive(Debug)]
enum Raw {
    Null,
    Bool(bool),
    Int,
    Float,
    Str(String),
    Seq(Vec<Spanned<Raw>>),
    Map(Vec<(Spanned<String>, Spanned<Raw>)>),
}

impl Raw {
    fn into_node(sp: Spanned<Raw>, text: &str, offset: u32) -> Node {
        let pos = location_pos(&sp.referenced, offset);
        let value = match sp.value {
            Raw::Null => Value::Null,
            Raw::Bool(b) => Value::Bool(b),
            Raw::Int | Raw::Float => Value::Number(source_slice(text, &sp.referenced)),
            Raw::Str(s) => Value::Str(s),
            Raw::Seq(items) => Value::Seq(
                items
                    .into_iter()
                    .map(|i| Raw::into_node(i, text, offset))
                    .collect(),
            ),
            Raw::Map(entries) => Value::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| {
                        let key = Key {
                            pos: location_pos(&k.referenced, offset),
                            name: k.value,
                        };
                        (key, Raw::into_node(v, text, offset))
                    })
                    .collect(),
            ),
        };
        Node { pos, value }
    }
}

fn location_pos(loc: &serde_saphyr::Location, offset: u32) -> Pos {
    Pos::new(loc.line() as u32 + offset, loc.column() as u32)
}

/// The number exactly as the author typed it.
fn source_slice(text: &str, loc: &serde_saphyr::Location) -> String {
    let span = loc.span();
    if let (Some(start), Some(len)) = (span.byte_offset(), span.byte_len()) {
        let (start, len) = (start as usize, len as usize);
        if let Some(s) = text.get(start..start + len) {
            return s.trim().to_string();
        }
    }
    String::new()
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_none<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
        Raw::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Raw, E> {
        Ok(Raw::Bool(v))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Raw, E> {
        Ok(Raw::Int)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Raw, E> {
        Ok(Raw::Int)
    }
    fn visit_i128<E>(self, _: i128) -> Result<Raw, E> {
        Ok(Raw::Int)
    }
    fn visit_u128<E>(self, _: u128) -> Result<Raw, E> {
        Ok(Raw::Int)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Raw, E> {
        Ok(Raw::Float)
    }
    fn visit_str<E>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Raw, E> {
        Ok(Raw::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Raw>>()? {
            items.push(item);
        }
        Ok(Raw::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        let mut entries = Vec::new();
        while let Some((k, v)) = map.next_entry::<Spanned<KeyText>, Spanned<Raw>>()? {
            entries.push((Spanned::new(k.value.0, k.referenced, k.defined), v));
        }
        Ok(Raw::Map(entries))
    }
}

/// Mapping keys as text, whatever scalar type YAML would give them (`2025:` is a key too).
struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = KeyText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a scalar key")
            }
            fn visit_str<E>(self, v: &str) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_bool<E>(self, v: bool) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_unit<E>(self) -> Result<KeyText, E> {
                Ok(KeyText(String::new()))
            }
            fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<KeyText, A::Error> {
                Err(de::Error::custom("complex mapping key"))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<KeyText, A::Error> {
                Err(de::Error::custom("complex mapping key"))
            }
        }
        d.deserialize_any(V)
    }
}

/// Turns a serde-saphyr error into a Chinese message with a hint. Where the kind of error
/// is recognised the Chinese message says it all; otherwise the parser's own words are
/// kept in brackets because they sometimes name the exact token.
fn translate(e: &serde_saphyr::Error, text: &str, line_offset: u32) -> SyntaxError {
    let pos = e
        .location()
        .map(|l| location_pos(&l, line_offset))
        .unwrap_or(Pos::new(1 + line_offset, 1));
    let detail = e.without_snippet().to_string();
    let first = detail.lines().next().unwrap_or("").to_string();
    let lower = first.to_lowercase();
    let known = |message: &str, hint: String| SyntaxError {
        pos,
        message: message.to_string(),
        hint,
    };
    if let Some((message, hint)) = budget_message(e) {
        return SyntaxError { pos, message, hint };
    }
    if lower.contains("recursion limit") {
        let (message, hint) = nesting_message();
        return SyntaxError { pos, message, hint };
    }
    if let serde_saphyr::Error::DuplicateMappingKey { key, .. } = e {
        return duplicate_key(key.as_deref(), pos, text, line_offset);
    }
    if lower.contains("duplicate") {
        return duplicate_key(None, pos, text, line_offset);
    }
    if lower.contains("alias") || lower.contains("budget") || lower.contains("limit") {
        return known(
            "YAML 文件过于复杂（锚点和别名展开超出限制）",
            "记录文件不需要使用锚点（&）和别名（*），请直接写出每个值".into(),
        );
    }
    if lower.contains("tab") {
        return known(
            "YAML 不允许用制表符（Tab）缩进",
            "请把行首的 Tab 换成空格（每级两个空格）".into(),
        );
    }
    if lower.contains("mapping values are not allowed") {
        return known(
            "这里不能出现“字段名: 值”",
            "如果这是一个新字段，请让它与上面的字段左对齐（缩进相同）；如果冒号是值的一部分，请把整个值用英文引号括起来".into(),
        );
    }
    if lower.contains("complex mapping key") {
        return known(
            "字段名必须是简单的文字",
            "字段名后面紧跟英文冒号和空格，例如 `name: 某某小区`".into(),
        );
    }
    if lower.contains("multiple") && lower.contains("document") {
        return known(
            "一个文件里只能有一份记录（发现了多个 `---` 分隔的文档）",
            "请删除多余的 `---` 行，或把另一份记录放到单独的文件里".into(),
        );
    }
    SyntaxError {
        pos,
        message: format!("YAML 格式错误（解析器原文：{}）", strip_location(&first)),
        hint: "请检查这一行及上一行的缩进、英文冒号后的空格和引号是否成对".to_string(),
    }
}

/// A key written twice in one mapping: name it, and the line where it first appears.
fn duplicate_key(key: Option<&str>, pos: Pos, text: &str, line_offset: u32) -> SyntaxError {
    let Some(key) = key else {
        return SyntaxError {
            pos,
            message: "同一层级里出现了重复的字段名".into(),
            hint: "每个字段只能写一次，请删除或合并重复的那一行".into(),
        };
    };
    let first = text
        .lines()
        .enumerate()
        .take(pos.line.saturating_sub(line_offset + 1) as usize)
        .find(|(_, line)| block_key_column(line, key) == Some(pos.col))
        .map(|(i, _)| i as u32 + 1 + line_offset);
    let hint = match first {
        Some(l) => {
            format!("第 {l} 行已经写过 `{key}`；同一层级里每个字段只能写一次，请删除或合并其中一行")
        }
        None => "同一层级里每个字段只能写一次，请删除或合并重复的那一行".into(),
    };
    SyntaxError {
        pos,
        message: format!("字段 `{key}` 重复出现"),
        hint,
    }
}

/// The 1-based column of `key` when `line` is a block mapping entry `key: …` (possibly
/// after a `- ` list marker).
fn block_key_column(line: &str, key: &str) -> Option<u32> {
    let indent = line.chars().take_while(|c| *c == ' ').count();
    let rest = &line[indent..];
    let (rest, indent) = match rest.strip_prefix("- ") {
        Some(r) => {
            let more = r.chars().take_while(|c| *c == ' ').count();
            (&r[more..], indent + 2 + more)
        }
        None => (rest, indent),
    };
    let after = rest
        .strip_prefix(key)
        .or_else(|| rest.strip_prefix(&format!("\"{key}\"")))
        .or_else(|| rest.strip_prefix(&format!("'{key}'")))?;
    (after.starts_with(':') && (after.len() == 1 || after[1..].starts_with([' ', '\t', '\r'])))
        .then_some(indent as u32 + 1)
}

/// Finds a flow collection (`[` or `{` opening a value) on or before line `upto` (1-based,
/// lines of `text`) that is never closed, skipping quoted text and comments. A collection
/// that spans lines and closes later is legal YAML and is not reported.
fn unclosed_flow(text: &str, upto: u32, line_offset: u32) -> Option<SyntaxError> {
    // Open brackets: (char, line, column).
    let mut open: Vec<(char, u32, u32)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i as u32 + 1;
        let mut quote: Option<char> = None;
        let mut prev = ' ';
        for (col, c) in line.chars().enumerate() {
            let col = col as u32 + 1;
            match quote {
                Some(q) => {
                    if c == q {
                        quote = None;
                    }
                }
                None => match c {
                    '"' | '\'' if prev == ' ' || "[{,:".contains(prev) => quote = Some(c),
                    '#' if prev == ' ' => break,
                    // Only brackets that start a value open a collection; `阳光[一期]` in
                    // a plain value is just text.
                    '[' | '{' if !open.is_empty() || starts_value(line, col) => {
                        open.push((c, line_no, col));
                    }
                    ']' | '}' if !open.is_empty() => {
                        open.pop();
                    }
                    _ => {}
                },
            }
            prev = c;
        }
    }
    let &(c, line, col) = open.first().filter(|(_, line, _)| *line <= upto)?;
    let (what, close, example) = if c == '[' {
        ("方括号", ']', "tags: [党建引领, 智慧物业]")
    } else {
        (
            "花括号",
            '}',
            "satisfaction: {surveyed: 100, satisfied: 93}",
        )
    };
    Some(SyntaxError {
        pos: Pos::new(line + line_offset, col),
        message: format!("{what} `{c}` 没有对应的 `{close}`"),
        hint: format!("写在一行里的列表或键值对要在行末用 `{close}` 结束，例如 `{example}`"),
    })
}

/// Whether the bracket at 1-based `col` begins a value: right after `key: `, `- `, or at
/// the start of the line.
fn starts_value(line: &str, col: u32) -> bool {
    let before: String = line.chars().take(col as usize - 1).collect();
    let before = before.trim_end();
    before.is_empty() || before.ends_with(':') || before.ends_with('-')
}

/// Size and nesting limits get their own words: telling staff about anchors when their
/// file simply has too many entries would send them looking for the wrong thing.
fn budget_message(e: &serde_saphyr::Error) -> Option<(String, String)> {
    let serde_saphyr::Error::Budget { breach, .. } = e.without_snippet() else {
        return None;
    };
    match breach {
        BudgetBreach::Depth { .. } => Some(nesting_message()),
        BudgetBreach::Nodes { .. } | BudgetBreach::Events { .. } => Some((
            format!("YAML 文件的条目过多（超过 {MAX_NODES} 个）"),
            "一个文件只写一个小区或一篇案例；请检查是否误把整张表格或大量重复内容粘贴进来"
                .to_string(),
        )),
        BudgetBreach::ScalarBytes { .. } => Some((
            "YAML 文件的文字内容过多".to_string(),
            "一个文件只写一个小区或一篇案例；长篇材料请作为附件放到 files/ 文件夹".to_string(),
        )),
        _ => None,
    }
}

fn nesting_message() -> (String, String) {
    (
        format!("YAML 嵌套层数过多（超过 {MAX_DEPTH} 层）"),
        "记录最多只需要三四层缩进；请检查括号 [ ] { } 是否成对，缩进是否一层层越来越深".to_string(),
    )
}

/// serde-saphyr appends "at line X column Y"; we print our own location.
fn strip_location(s: &str) -> String {
    match s.find(" at line ") {
        Some(i) => s[..i].trim().to_string(),
        None => s.trim().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(n: &Node) -> &Vec<(Key, Node)> {
        match &n.value {
            Value::Map(m) => m,
            other => panic!("not a map: {other:?}"),
        }
    }

    // Keys and values carry their own line and column; numbers keep their spelling.
    #[test]
    fn positions_and_raw_numbers() {
        let n = parse(
            "name: 阳光小区\nphone: 07752671363\nscore: 8.50\nlist:\n  - a\n",
            0,
        )
        .unwrap();
        let m = map(&n);
        assert_eq!(m[0].0.name, "name");
        assert_eq!(m[0].0.pos, Pos::new(1, 1));
        assert_eq!(m[0].1.pos, Pos::new(1, 7));
        assert_eq!(m[1].1.value, Value::Str("07752671363".into()));
        assert_eq!(m[2].1.value, Value::Number("8.50".into()));
        assert_eq!(m[3].1.pos.line, 5);
    }

    // An empty value is null, not an empty string, so required fields can reject it.
    #[test]
    fn empty_value_is_null() {
        let n = parse("name:\ncounty: 容县\n", 0).unwrap();
        assert_eq!(map(&n)[0].1.value, Value::Null);
    }

    // Front matter lines are shifted to lines of the whole file.
    #[test]
    fn line_offset_applies() {
        let n = parse("title: 标题\n", 1).unwrap();
        assert_eq!(map(&n)[0].0.pos, Pos::new(2, 1));
    }

    // A duplicate key is an error located at the second key.
    #[test]
    fn duplicate_key_is_located() {
        let e = parse("name: a\nname: b\n", 0).unwrap_err();
        assert_eq!(e.pos.line, 2);
        assert!(e.message.contains("重复"), "{}", e.message);
    }

    // Broken syntax gives a Chinese message with a location.
    #[test]
    fn syntax_error_is_chinese() {
        let e = parse("name: a\n  county: b: c\n", 0).unwrap_err();
        assert!(
            e.message.starts_with("这里") || e.message.starts_with("YAML"),
            "{e:?}"
        );
        assert_eq!(e.pos.line, 2);
    }

    // A duplicate key is named, with the line of its first appearance, also in lists and
    // in front matter (shifted lines).
    #[test]
    fn duplicate_key_names_first_line() {
        let e = parse("name: a\ncounty: b\nname: c\n", 0).unwrap_err();
        assert_eq!(e.message, "字段 `name` 重复出现");
        assert!(e.hint.starts_with("第 1 行已经写过 `name`"), "{}", e.hint);
        let e = parse("scores:\n  - expert: a\n    total: 1\n    total: 2\n", 1).unwrap_err();
        assert_eq!(e.pos, Pos::new(5, 5));
        assert!(e.hint.starts_with("第 4 行已经写过 `total`"), "{}", e.hint);
        assert!(!e.message.contains("DuplicateKeyPolicy"));
    }

    // An unclosed `[` or `{` is reported at the bracket, not where the parser gave up.
    #[test]
    fn unclosed_flow_points_at_bracket() {
        let e = parse("tags: [党建引领, 智慧物业\nauthor: 协会\n", 1).unwrap_err();
        assert_eq!(e.pos, Pos::new(2, 7));
        assert!(e.message.contains("`[`"), "{e:?}");
        let e = parse("a: 1\ns: {x: 1, y: 2\nb: 2\n", 0).unwrap_err();
        assert_eq!(e.pos, Pos::new(2, 4));
        assert!(e.message.contains("`{`"), "{e:?}");
    }

    // Brackets inside text, quotes or comments, and flow collections spanning lines, are
    // not taken for unclosed ones.
    #[test]
    fn brackets_in_text_are_not_flow() {
        assert_eq!(unclosed_flow("name: 阳光[一期\nx: 1\n", 2, 0), None);
        assert_eq!(unclosed_flow("name: \"[一期\"\nx: 1\n", 2, 0), None);
        assert_eq!(unclosed_flow("x: 1 # [注\ny: 2\n", 2, 0), None);
        assert_eq!(unclosed_flow("t: [a,\n  b]\nc: : d\n", 3, 0), None);
        assert!(parse("t: [a,\n  b]\nname: 阳光[一期\n", 0).is_ok());
    }

    // Block keys are found after indentation and list markers, quoted or not.
    #[test]
    fn block_key_columns() {
        assert_eq!(block_key_column("name: a", "name"), Some(1));
        assert_eq!(block_key_column("  - total: 1", "total"), Some(5));
        assert_eq!(block_key_column("  \"name\": a", "name"), Some(3));
        assert_eq!(block_key_column("names: a", "name"), None);
        assert_eq!(block_key_column("name:x", "name"), None);
    }
}

#[cfg(test)]
mod limits {
    use super::*;

    /// Parses on a thread with rayon's default 2 MiB stack, where records are parsed.
    fn parse_on_worker_stack(text: String) -> Result<Node, SyntaxError> {
        std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || parse(&text, 0))
            .unwrap()
            .join()
            .unwrap()
    }

    fn nested(style: &str, depth: usize) -> String {
        match style {
            "flow-seq" => format!("a: {}1{}\n", "[".repeat(depth), "]".repeat(depth)),
            "flow-map" => format!("a: {}1{}\n", "{a: ".repeat(depth), "}".repeat(depth)),
            "block-seq" => format!("a:\n{}x\n", "- ".repeat(depth)),
            "block-map" => {
                let mut t: String = (0..depth)
                    .map(|i| format!("{}k:\n", " ".repeat(i)))
                    .collect();
                t.push_str(&format!("{}x\n", " ".repeat(depth)));
                t
            }
            _ => unreachable!(),
        }
    }

    // Deep nesting in every style is a Chinese error on a worker thread's stack, never a
    // stack overflow (flow maps 60 deep used to overflow a debug build).
    #[test]
    fn deep_nesting_is_an_error() {
        for style in ["flow-seq", "flow-map", "block-seq", "block-map"] {
            for depth in [MAX_DEPTH + 1, 100, 2_000] {
                let e = parse_on_worker_stack(nested(style, depth)).unwrap_err();
                assert!(e.message.contains("嵌套层数过多"), "{style} {depth}: {e:?}");
            }
        }
        let e = parse_on_worker_stack(nested("flow-seq", 100_000)).unwrap_err();
        assert!(e.message.contains("嵌套层数过多"), "{e:?}");
    }

    // Nesting well beyond what any record uses is still accepted.
    #[test]
    fn reasonable_nesting_is_fine() {
        for style in ["flow-seq", "flow-map", "block-seq", "block-map"] {
            let r = parse_on_worker_stack(nested(style, MAX_DEPTH - 2));
            assert!(r.is_ok(), "{style}: {r:?}");
        }
    }

    // A list with 100,000 items stops at the node budget with its own message.
    #[test]
    fn too_many_items_is_an_error() {
        let text = format!("photos: [{}]\n", vec!["x"; 100_000].join(", "));
        let e = parse(&text, 0).unwrap_err();
        assert!(e.message.contains("条目过多"), "{e:?}");
    }

    // A billion-laughs alias bomb is refused quickly.
    #[test]
    fn alias_bomb_is_an_error() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = (b'a' + (i - 1) as u8) as char;
            let cur = (b'a' + i as u8) as char;
            text.push_str(&format!(
                "{cur}: &{cur} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        let e = parse(&text, 0).unwrap_err();
        assert!(e.message.contains("过于复杂"), "{e:?}");
    }
}

#[cfg(test)]
mod paths {
    use super::*;

    // A dotted path walks nested mappings; a missing step or a non-mapping gives None.
    #[test]
    fn get_by_path() {
        let n = parse("name: 甲\ncontact:\n  phone: '0775'\nlist: [a]\n", 0).unwrap();
        assert_eq!(
            n.get("contact.phone")
                .and_then(Node::scalar_text)
                .as_deref(),
            Some("0775")
        );
        assert_eq!(
            n.get("name").and_then(Node::scalar_text).as_deref(),
            Some("甲")
        );
        assert!(n.get("contact.person").is_none());
        assert!(n.get("list.a").is_none());
    }
}
