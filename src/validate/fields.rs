//! Reading typed fields out of located YAML trees, with a Chinese message for every
//! problem: missing, empty, unknown (with the nearest known name), wrong type.

use chrono::NaiveDate;
use std::fmt;
use std::path::Path;

use crate::diag::{Diagnostic, Diagnostics, Pos};
use crate::load::yaml::{Key, Node, Value};
use crate::model::Points;

/// A field a record may have: its key and its Chinese label.
pub type FieldSpec = (&'static str, &'static str);

/// Reports into `diags` for one file.
pub struct Reader<'a> {
    pub file: &'a Path,
    pub diags: &'a mut Diagnostics,
}

/// A mapping whose keys have been checked against the known fields.
pub struct Fields<'n> {
    pub pos: Pos,
    entries: &'n [(Key, Node)],
    specs: &'static [FieldSpec],
}

impl<'n> Fields<'n> {
    pub fn get(&self, key: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(_, v)| v)
    }

    pub fn key_pos(&self, key: &str) -> Pos {
        self.entries
            .iter()
            .find(|(k, _)| k.name == key)
            .map_or(self.pos, |(k, _)| k.pos)
    }

    fn label(&self, key: &str) -> &'static str {
        self.specs
            .iter()
            .find(|(k, _)| *k == key)
            .map_or("", |(_, l)| l)
    }

    /// `key`（label）, as every message names a field.
    pub fn name(&self, key: &str) -> String {
        self.lazy_name(key).to_string()
    }

    /// `name`, written out only if a message needs it.
    fn lazy_name<'k>(&self, key: &'k str) -> FieldName<'k> {
        FieldName(key, self.label(key))
    }

    /// Whether an unknown key of this mapping was reported as a likely misspelling of
    /// `key`.
    pub fn misspelt(&self, key: &str) -> bool {
        self.entries.iter().any(|(k, _)| {
            !self.specs.iter().any(|(s, _)| *s == k.name)
                && suggest_field(&k.name, self.specs).is_some_and(|(s, _)| s == key)
        })
    }

    pub fn key_positions(&self) -> crate::model::KeyPositions {
        crate::model::KeyPositions(
            self.entries
                .iter()
                .map(|(k, _)| (k.name.clone(), k.pos))
                .collect(),
        )
    }
}

/// A field's key and label, as `Fields::name` writes them.
struct FieldName<'k>(&'k str, &'static str);

impl fmt::Display for FieldName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.1 {
            "" => write!(f, "`{}`", self.0),
            l => write!(f, "`{}`（{l}）", self.0),
        }
    }
}

impl<'a> Reader<'a> {
    pub fn new(file: &'a Path, diags: &'a mut Diagnostics) -> Self {
        Reader { file, diags }
    }

    pub fn error(&mut self, pos: Pos, message: impl Into<String>, hint: impl Into<String>) {
        self.diags
            .push(Diagnostic::error(self.file, pos, message).hint(hint));
    }

    pub fn warning(&mut self, pos: Pos, message: impl Into<String>, hint: impl Into<String>) {
        self.diags
            .push(Diagnostic::warning(self.file, pos, message).hint(hint));
    }

    /// Opens a mapping, reporting a non-mapping and every unknown key.
    pub fn map<'n>(
        &mut self,
        node: &'n Node,
        what: &str,
        specs: &'static [FieldSpec],
    ) -> Option<Fields<'n>> {
        let Value::Map(entries) = &node.value else {
            let hint = if matches!(node.value, Value::Null) {
                format!("请按“字段名: 值”的格式填写{what}")
            } else {
                format!("{what}应写成“字段名: 值”的形式，每行一个字段")
            };
            self.error(
                node.pos,
                format!("{what}应为键值对，实际是{}", node.kind_name()),
                hint,
            );
            return None;
        };
        for (key, _) in entries {
            if !specs.iter().any(|(k, _)| *k == key.name) {
                let hint = match suggest_field(&key.name, specs) {
                    Some((k, l)) => format!("您是不是想写 `{k}`（{l}）？"),
                    None => format!(
                        "{what}可用的字段有：{}",
                        specs
                            .iter()
                            .map(|(k, _)| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join("、")
                    ),
                };
                self.error(key.pos, format!("未知字段 `{}`", key.name), hint);
            }
        }
        Some(Fields {
            pos: node.pos,
            entries,
            specs,
        })
    }

    /// A required text field: missing and empty values are errors.
    pub fn required_text(&mut self, f: &Fields, key: &str) -> Option<String> {
        match f.get(key) {
            // A misspelt key (`conty`) already has an error suggesting this field; a
            // second one saying the field is missing would only confuse.
            None if f.misspelt(key) => None,
            None => {
                self.error(
                    f.pos,
                    format!("缺少必填字段 {}", f.name(key)),
                    format!("请添加一行 `{key}: …`"),
                );
                None
            }
            Some(node) => {
                let v = self.text_value(f, key, node);
                if v.is_none() && matches!(node.value, Value::Null | Value::Str(_)) {
                    self.error(
                        f.key_pos(key),
                        format!("必填字段 {}不能为空", f.name(key)),
                        format!("请在 `{key}:` 后面填写内容"),
                    );
                }
                v
            }
        }
    }

    /// An optional text field; an empty value counts as absent.
    pub fn text(&mut self, f: &Fields, key: &str) -> Option<String> {
        let node = f.get(key)?;
        self.text_value(f, key, node)
    }

    fn text_value(&mut self, f: &Fields, key: &str, node: &Node) -> Option<String> {
        match &node.value {
            Value::Null => None,
            Value::Str(s) if s.trim().is_empty() => None,
            Value::Str(s) => Some(s.trim_end().to_string()),
            Value::Number(s) => Some(s.clone()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Seq(_) | Value::Map(_) => {
                self.error(
                    node.pos,
                    format!("{}应为一段文字，实际是{}", f.name(key), node.kind_name()),
                    "请把内容写在冒号后面的同一行；多行文字可用 `|` 开头的块",
                );
                None
            }
        }
    }

    /// A date `YYYY-MM-DD`; anything else is "not a date".
    pub fn date(&mut self, f: &Fields, key: &str) -> Option<(NaiveDate, Pos)> {
        let node = f.get(key)?;
        let text = self.text_value(f, key, node)?;
        match parse_date(&text) {
            Some(d) => Some((d, node.pos)),
            None => {
                self.error(
                    node.pos,
                    format!("{}的值 `{text}` 不是有效日期", f.name(key)),
                    date_hint(&text),
                );
                None
            }
        }
    }

    /// A whole number within `range`.
    pub fn integer(
        &mut self,
        f: &Fields,
        key: &str,
        range: std::ops::RangeInclusive<i64>,
    ) -> Option<i64> {
        let node = f.get(key)?;
        self.integer_node(node, f.lazy_name(key), range)
    }

    /// `name` is only written out into an error message, so callers on the hot path pass
    /// something that formats lazily rather than a `String` built for every value.
    pub fn integer_node(
        &mut self,
        node: &Node,
        name: impl fmt::Display,
        range: std::ops::RangeInclusive<i64>,
    ) -> Option<i64> {
        let text = match &node.value {
            Value::Null => return None,
            Value::Number(s) | Value::Str(s) => s.trim(),
            _ => "",
        };
        match text.parse::<i64>() {
            Ok(v) if range.contains(&v) => Some(v),
            Ok(v) => {
                self.error(
                    node.pos,
                    format!("{name}的值 {v} 超出范围"),
                    format!("应在 {} 到 {} 之间", range.start(), range.end()),
                );
                None
            }
            Err(_) => {
                self.error(
                    node.pos,
                    format!("{name}应为整数，实际是 `{}`", node_text(node)),
                    number_hint(text),
                );
                None
            }
        }
    }

    /// Points with at most two decimals, between 0 and `max`; `name` as for
    /// `integer_node`.
    pub fn points(&mut self, node: &Node, name: impl fmt::Display, max: Points) -> Option<Points> {
        let text = match &node.value {
            Value::Number(s) | Value::Str(s) => s.trim(),
            Value::Null => {
                self.error(
                    node.pos,
                    format!("{name}没有填写分值"),
                    "请填写 0 到满分之间的数字",
                );
                return None;
            }
            _ => "",
        };
        // A negative score is a number, just out of range.
        let negative = text
            .strip_prefix('-')
            .and_then(parse_points)
            .is_some_and(|p| p.0 > 0);
        match parse_points(text) {
            Some(p) if p <= max => Some(p),
            Some(_) => {
                self.error(
                    node.pos,
                    format!("{name}的分值 {text} 超出范围"),
                    format!("分值应在 0 到 {} 之间", points_text(max)),
                );
                None
            }
            None if negative => {
                self.error(
                    node.pos,
                    format!("{name}的分值 {text} 超出范围"),
                    format!("分值不能为负数，应在 0 到 {} 之间", points_text(max)),
                );
                None
            }
            None if too_many_decimals(text) => {
                self.error(
                    node.pos,
                    format!("{name}的分值 {text} 超过两位小数"),
                    "分值最多保留两位小数，例如 87.5 或 87.25；请按专家评分表核对",
                );
                None
            }
            None => {
                self.error(
                    node.pos,
                    format!("{name}的分值 `{}` 不是有效数字", node_text(node)),
                    number_hint(text),
                );
                None
            }
        }
    }

    /// A list field; `null` and absence are an empty list.
    pub fn list<'n>(&mut self, f: &Fields<'n>, key: &str) -> &'n [Node] {
        match f.get(key) {
            None => &[],
            Some(node) => match &node.value {
                Value::Seq(items) => items,
                Value::Null => &[],
                _ => {
                    self.error(
                        node.pos,
                        format!("{}应为列表，实际是{}", f.name(key), node.kind_name()),
                        "列表的每一项单独一行，以 `- ` 开头",
                    );
                    &[]
                }
            },
        }
    }

    /// A list of texts (tags, counties).
    pub fn text_list(&mut self, f: &Fields, key: &str) -> Vec<(String, Pos)> {
        let name = f.name(key);
        let mut out = Vec::new();
        for item in self.list(f, key) {
            match item.scalar_text() {
                Some(s) if !s.trim().is_empty() => out.push((s.trim().to_string(), item.pos)),
                _ => self.error(
                    item.pos,
                    format!("{name}的每一项应为一段文字"),
                    "请删除空项，或在 `- ` 后面填写内容",
                ),
            }
        }
        out
    }
}

/// The node as the author wrote it, for quoting in messages.
pub fn node_text(node: &Node) -> String {
    node.scalar_text()
        .unwrap_or_else(|| node.kind_name().to_string())
}

/// Points as people write them in a hint: `100`, `87.5`, `87.25`.
pub fn points_text(p: Points) -> String {
    let text = p.display();
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Digits and points typed with a Chinese input method, converted to ASCII; `None` when the
/// text has none.
fn half_width(text: &str) -> Option<String> {
    if !text
        .chars()
        .any(|c| ('０'..='９').contains(&c) || c == '．' || c == '－')
    {
        return None;
    }
    Some(
        text.chars()
            .map(|c| match c {
                '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
                '．' => '.',
                '－' => '-',
                other => other,
            })
            .collect(),
    )
}

fn number_hint(text: &str) -> String {
    match half_width(text) {
        Some(fixed) if fixed.chars().all(|c| c.is_ascii_digit() || c == '.') => {
            format!("数字里有全角字符，应写作 `{fixed}`；请切换到英文输入法（半角）重新输入")
        }
        Some(_) => "数字里有全角字符（如“１２”），请切换到英文输入法（半角）重新输入".to_string(),
        None => "请只填写数字，不要带单位或其他文字".to_string(),
    }
}

fn too_many_decimals(text: &str) -> bool {
    text.split_once('.').is_some_and(|(w, f)| {
        f.len() > 2
            && !w.is_empty()
            && w.chars().all(|c| c.is_ascii_digit())
            && f.chars().all(|c| c.is_ascii_digit())
    })
}

/// Why a date was refused: full-width digits, a day the month does not have, or the form.
fn date_hint(text: &str) -> String {
    const FORM: &str = "日期请写成 2025-08-29 这样的格式（年-月-日，用英文连字符）";
    if let Some(fixed) = half_width(text) {
        return match parse_date(&fixed) {
            Some(_) => {
                format!("日期里有全角字符，应写作 `{fixed}`；请切换到英文输入法（半角）重新输入")
            }
            None => format!("日期里有全角字符，请切换到英文输入法（半角）重新输入。{FORM}"),
        };
    }
    let parts: Vec<&str> = text.trim().split('-').collect();
    if let [y, m, d] = parts.as_slice()
        && y.len() == 4
        && let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>())
    {
        if !(1..=12).contains(&m) {
            return format!("月份应在 1 到 12 之间，这里写的是 {m}。{FORM}");
        }
        if let Some(last) = NaiveDate::from_ymd_opt(y, m, 1)
            .and_then(|first| first.checked_add_months(chrono::Months::new(1)))
            .and_then(|next| next.pred_opt())
            .map(|last| chrono::Datelike::day(&last))
            && (d == 0 || d > last)
        {
            return format!("{y}年{m}月只有 {last} 天，没有 {d} 日；请核对日期");
        }
    }
    FORM.to_string()
}

/// `2025-08-29`, strictly: a real calendar day with a four-digit year.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    let mut parts = t.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some()
        || y.len() != 4
        || m.is_empty()
        || d.is_empty()
        || m.len() > 2
        || d.len() > 2
    {
        return None;
    }
    if !t.chars().all(|c| c.is_ascii_digit() || c == '-') {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// Decimal text with at most two decimals into hundredths, exactly.
pub fn parse_points(text: &str) -> Option<Points> {
    let t = text.trim();
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if whole.is_empty()
        || frac.len() > 2
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
        || whole.len() > 9
    {
        return None;
    }
    let w: i64 = whole.parse().ok()?;
    let f: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().ok()? * 10,
        _ => frac.parse().ok()?,
    };
    Some(Points(w * 100 + f))
}

/// The known field nearest to an unknown key, also matching Chinese labels typed as keys.
pub fn suggest_field(unknown: &str, specs: &[FieldSpec]) -> Option<FieldSpec> {
    let u = unknown.trim().to_lowercase();
    if let Some(spec) = specs
        .iter()
        .find(|(k, l)| !l.is_empty() && (l.contains(u.as_str()) || u.contains(*l) || *k == u))
    {
        return Some(*spec);
    }
    nearest(&u, specs.iter().map(|(k, _)| *k))
        .and_then(|k| specs.iter().find(|(s, _)| *s == k).copied())
}

/// The nearest candidate by edit distance, if it is close enough to be a likely slip.
pub fn nearest<'c>(word: &str, candidates: impl Iterator<Item = &'c str>) -> Option<&'c str> {
    let len = word.chars().count();
    let limit = (len / 3).max(2);
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if !word.is_empty() && (c.contains(word) || word.contains(c)) {
            return Some(c);
        }
        let d = strsim::levenshtein(word, c);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPECS: &[FieldSpec] = &[("name", "小区名称"), ("county", "所在县（市、区）")];

    // Typos and Chinese labels typed as keys both find the intended field.
    #[test]
    fn suggestions() {
        assert_eq!(suggest_field("conty", SPECS).unwrap().0, "county");
        assert_eq!(suggest_field("小区名称", SPECS).unwrap().0, "name");
        assert_eq!(suggest_field("zzzzzzzz", SPECS), None);
    }

    // Dates must be real days in ISO form.
    #[test]
    fn dates() {
        assert_eq!(
            parse_date("2025-08-29"),
            NaiveDate::from_ymd_opt(2025, 8, 29)
        );
        assert_eq!(parse_date("2025-02-30"), None);
        assert_eq!(parse_date("2025/08/29"), None);
        assert_eq!(parse_date("25-08-29"), None);
    }

    // Points are exact hundredths; three decimals and signs are refused.
    #[test]
    fn points() {
        assert_eq!(parse_points("87.5"), Some(Points(8750)));
        assert_eq!(parse_points("87.25"), Some(Points(8725)));
        assert_eq!(parse_points("9"), Some(Points(900)));
        assert_eq!(parse_points("87.255"), None);
        assert_eq!(parse_points("-1"), None);
        assert_eq!(parse_points("８７"), None);
    }

    // Hints show points without needless zeros.
    #[test]
    fn points_in_hints() {
        assert_eq!(points_text(Points(10000)), "100");
        assert_eq!(points_text(Points(8750)), "87.5");
        assert_eq!(points_text(Points(8725)), "87.25");
        assert_eq!(points_text(Points(0)), "0");
    }

    // A date hint says what is wrong: the day, the month, full-width digits, or the form.
    #[test]
    fn date_hints() {
        assert!(date_hint("2025-02-30").contains("2025年2月只有 28 天"));
        assert!(date_hint("2024-02-30").contains("29 天"));
        assert!(date_hint("2025-13-01").contains("月份应在 1 到 12 之间"));
        assert!(date_hint("２０２５-08-29").contains("`2025-08-29`"));
        assert!(date_hint("2025/08/29").contains("2025-08-29 这样的格式"));
        assert!(date_hint("2025-08-00").contains("没有 0 日"));
    }

    // Full-width digits get their half-width spelling; other text gets the plain hint.
    #[test]
    fn number_hints() {
        assert!(number_hint("１２００").contains("`1200`"));
        assert!(number_hint("８７．５").contains("`87.5`"));
        assert!(number_hint("1200户").contains("不要带单位"));
    }

    fn node(text: &str) -> Node {
        crate::load::yaml::parse(&format!("v: {text}\n"), 0)
            .map(|n| match n.value {
                Value::Map(mut m) => m.remove(0).1,
                _ => unreachable!(),
            })
            .unwrap()
    }

    fn points_messages(text: &str) -> (Option<Points>, Vec<String>) {
        let mut diags = Diagnostics::default();
        let mut r = Reader::new(Path::new("x.yaml"), &mut diags);
        let p = r.points(&node(text), "`total`（总分）", Points(10000));
        let msgs = diags
            .iter()
            .map(|d| format!("{}｜{}", d.message, d.hint.clone().unwrap_or_default()))
            .collect();
        (p, msgs)
    }

    // Scores: in range, above the maximum, negative, three decimals, full-width, text.
    #[test]
    fn points_errors() {
        assert_eq!(points_messages("100"), (Some(Points(10000)), vec![]));
        assert_eq!(points_messages("0"), (Some(Points(0)), vec![]));
        let (_, m) = points_messages("100.01");
        assert!(
            m[0].contains("超出范围") && m[0].contains("0 到 100 之间"),
            "{m:?}"
        );
        let (_, m) = points_messages("-5");
        assert!(m[0].contains("超出范围") && m[0].contains("负数"), "{m:?}");
        let (_, m) = points_messages("88.555");
        assert!(m[0].contains("超过两位小数"), "{m:?}");
        let (_, m) = points_messages("８８");
        assert!(
            m[0].contains("不是有效数字") && m[0].contains("`88`"),
            "{m:?}"
        );
        let (_, m) = points_messages("良好");
        assert!(m[0].contains("不是有效数字"), "{m:?}");
        let (_, m) = points_messages("");
        assert!(m[0].contains("没有填写分值"), "{m:?}");
    }

    // A misspelt key suppresses the "missing" error for the field it suggests, but an
    // unrelated unknown key does not.
    #[test]
    fn misspelt_required_field_reported_once() {
        let doc = crate::load::yaml::parse("conty: 容县\nfoo: 1\n", 0).unwrap();
        let mut diags = Diagnostics::default();
        let mut r = Reader::new(Path::new("x.yaml"), &mut diags);
        let f = r.map(&doc, "小区记录", SPECS).unwrap();
        assert_eq!(r.required_text(&f, "county"), None);
        assert_eq!(r.required_text(&f, "name"), None);
        let msgs: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            msgs,
            [
                "未知字段 `conty`",
                "未知字段 `foo`",
                "缺少必填字段 `name`（小区名称）"
            ]
        );
    }

    // Counties are suggested by containment or edit distance.
    #[test]
    fn nearest_county() {
        let counties = ["玉州区", "福绵区", "容县"];
        assert_eq!(nearest("玉州", counties.iter().copied()), Some("玉州区"));
        assert_eq!(nearest("福棉区", counties.iter().copied()), Some("福绵区"));
    }
}
