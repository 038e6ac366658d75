//! Rendering an imported estate as a commented YAML record, and YAML-safe strings.

use std::fmt::Write as _;

use super::row::Draft;

/// A YAML double-quoted scalar that reads back as exactly `s`: always quoted, so no value
/// can turn into a number, a date, a boolean or a comment.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            // Controls, and characters YAML 1.1 readers treat as line breaks or a BOM.
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}') => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Multi-line text as a literal block (`|-`), which staff can read and edit; anything a
/// block cannot carry exactly (edge whitespace, control characters) falls back to quotes.
fn text_value(s: &str, indent: &str) -> String {
    let block_safe = s.contains('\n')
        && !s.starts_with(char::is_whitespace)
        && s.lines().all(|l| l.trim_end() == l)
        && !s.ends_with('\n')
        && !s.chars().any(|c| {
            (c.is_control() && c != '\n') || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}')
        });
    if !block_safe {
        return quote(s);
    }
    let mut out = String::from("|-");
    for line in s.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            out.push_str(indent);
            out.push_str("  ");
            out.push_str(line);
        }
    }
    out
}

/// Writes `key: value  # label`, or the key commented out when the sheet left it empty,
/// so staff see every field the record can have.
struct Lines {
    out: String,
}

impl Lines {
    fn field(&mut self, key: &str, value: Option<String>, label: &str) {
        match value {
            Some(v) => self.text(key, &v, label),
            None => {
                let _ = writeln!(self.out, "# {key}:  # {label}（汇总表中未填写）");
            }
        }
    }

    fn text(&mut self, key: &str, value: &str, label: &str) {
        let rendered = text_value(value, "");
        if let Some(rest) = rendered.strip_prefix("|-") {
            let _ = writeln!(self.out, "{key}: |-  # {label}{rest}");
        } else {
            let _ = writeln!(self.out, "{key}: {rendered}  # {label}");
        }
    }

    fn raw(&mut self, key: &str, value: Option<String>, label: &str) {
        match value {
            Some(v) => {
                let _ = writeln!(self.out, "{key}: {v}  # {label}");
            }
            None => self.field(key, None, label),
        }
    }
}

/// Text from a cell made safe inside a `#` comment: a line break there (YAML counts a
/// lone `\r` as one) would end the comment and turn the rest into content.
fn in_comment(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// The record file for one imported row.
pub fn render(draft: &Draft, year: i32) -> String {
    let e = &draft.estate;
    let mut l = Lines { out: String::new() };
    let _ = writeln!(
        l.out,
        "# {year} 年度“美好家园”小区记录：{}\n# 由 jiayuan import 从 {} 导入，请核对后再发布。\n# 冒号前是字段名（英文，不要改），# 后面是中文说明；以 # 开头的字段未填写，补填时删去行首的 # 即可。\n",
        in_comment(&e.name),
        in_comment(&draft.place.to_string())
    );
    l.text("name", &e.name, "小区名称（必填）");
    l.text("county", &e.county, "所在县（市、区）（必填）");
    l.field("street", e.street.clone(), "街道（乡镇）");
    l.field("community", e.community.clone(), "社区");
    l.text("address", &e.address, "地址（必填）");
    l.raw("built", e.built.map(|y| y.to_string()), "建成年份");
    l.raw("households", e.households.map(|n| n.to_string()), "户数");
    l.raw("floor_area", e.floor_area.clone(), "建筑面积（m²）");
    l.text(
        "property_company",
        &e.property_company,
        "物业服务企业（必填）",
    );
    l.field(
        "owners_body",
        e.owners_body.map(|b| b.label().to_string()),
        "业主组织：业主委员会 | 物业管理委员会 | 无",
    );
    l.field("party_building", e.party_building.clone(), "党建情况");
    match (&e.satisfaction, &draft.rate_only) {
        (Some(s), _) => {
            let _ = writeln!(
                l.out,
                "satisfaction:  # 满意度调查\n  surveyed: {}  # 调查户数\n  satisfied: {}  # 满意户数",
                s.surveyed, s.satisfied
            );
        }
        (None, Some(rate)) => {
            let rate = in_comment(rate);
            let _ = writeln!(
                l.out,
                "# satisfaction:  # 满意度调查：汇总表只写了满意度「{rate}」，没有户数，无法换算；请按申报表补填\n#   surveyed:  # 调查户数\n#   satisfied:  # 满意户数"
            );
        }
        (None, None) => l.field("satisfaction", None, "满意度调查"),
    }
    l.raw("submitted", e.submitted.map(|d| d.to_string()), "申报日期");
    let c = &e.contact;
    if c.person.is_some() || c.phone.is_some() {
        l.out
            .push_str("contact:  # 申报联系人（不公开：只供工作人员联系，网站上从不发布）\n");
        for (key, value, label) in [
            ("person", &c.person, "联系人"),
            ("phone", &c.phone, "联系电话"),
        ] {
            match value {
                Some(v) => {
                    let _ = writeln!(l.out, "  {key}: {}  # {label}", quote(v));
                }
                None => {
                    let _ = writeln!(l.out, "  # {key}:  # {label}（汇总表中未填写）");
                }
            }
        }
    } else {
        l.field(
            "contact",
            None,
            "申报联系人（不公开：只供工作人员联系，网站上从不发布）",
        );
    }
    l.field(
        "summary",
        e.summary.as_ref().map(|m| m.text.clone()),
        "创建亮点（可用 Markdown）",
    );
    l.out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::{Value, parse};

    fn read_back(yaml: &str) -> Value {
        let node = parse(yaml, 0).unwrap_or_else(|e| panic!("{e:?}\n{yaml}"));
        match node.value {
            Value::Map(mut m) => m.remove(0).1.value,
            other => panic!("{other:?}"),
        }
    }

    // Quoted strings read back unchanged, whatever YAML would otherwise make of them.
    #[test]
    fn quote_round_trips() {
        let cases = [
            "阳光花园",
            "0775-2671363",
            "07752671363",
            "yes",
            "null",
            "2025-08-20",
            "1e3",
            "a: b # c",
            "- item",
            "\"引号\" 和 \\反斜杠\\",
            "多行\n文本\t制表",
            "&anchor *alias !tag %dir @at `tick` {a} [b] |c >d",
            "\u{1}\u{7f}\u{85}\u{2028}\u{FEFF}",
            "",
            " 前后空格 ",
        ];
        for s in cases {
            let yaml = format!("v: {}\n", quote(s));
            assert_eq!(read_back(&yaml), Value::Str(s.to_string()), "{yaml}");
        }
    }

    fn draft(name: &str, rate_only: Option<&str>) -> Draft {
        use crate::model::{Estate, Markdown, OwnersBody, PrivateContact, Satisfaction};
        Draft {
            estate: Estate {
                name: name.to_string(),
                county: "容县".into(),
                address: "容州镇 1 号".into(),
                property_company: "安居物业".into(),
                built: Some(2010),
                floor_area: Some("86500.50".into()),
                owners_body: Some(OwnersBody::ManagementCommittee),
                satisfaction: rate_only.is_none().then_some(Satisfaction {
                    surveyed: 200,
                    satisfied: 193,
                }),
                submitted: chrono::NaiveDate::from_ymd_opt(2025, 8, 20),
                contact: PrivateContact {
                    person: None,
                    phone: Some("07752671363".into()),
                },
                summary: Some(Markdown {
                    text: "第一段\n\n- 要点".into(),
                    first_line: 0,
                }),
                ..Estate::default()
            },
            rate_only: rate_only.map(str::to_string),
            place: super::super::issue::Place::sheet("容县.xlsx", Some("Sheet1")).at_row(4),
        }
    }

    fn get(node: &crate::load::yaml::Node, path: &str) -> Option<String> {
        node.get(path)?.scalar_text()
    }

    // A rendered record parses, and every value reads back as it was given.
    #[test]
    fn record_reads_back() {
        let yaml = render(&draft("阳光花园", None), 2025);
        let node = parse(&yaml, 0).unwrap_or_else(|e| panic!("{e:?}\n{yaml}"));
        let want = [
            ("name", "阳光花园"),
            ("county", "容县"),
            ("address", "容州镇 1 号"),
            ("built", "2010"),
            ("floor_area", "86500.50"),
            ("property_company", "安居物业"),
            ("owners_body", "物业管理委员会"),
            ("satisfaction.surveyed", "200"),
            ("satisfaction.satisfied", "193"),
            ("submitted", "2025-08-20"),
            ("contact.phone", "07752671363"),
            ("summary", "第一段\n\n- 要点"),
        ];
        for (path, value) in want {
            assert_eq!(get(&node, path).as_deref(), Some(value), "{path}\n{yaml}");
        }
        assert_eq!(get(&node, "street"), None);
        assert_eq!(get(&node, "contact.person"), None);
        assert!(yaml.contains("工作表「Sheet1」第4行"));
    }

    // Line breaks in text that lands in a comment cannot break out of the comment.
    #[test]
    fn comments_stay_comments() {
        let yaml = render(&draft("阳光\r花园", Some("95\n%")), 2025);
        let node = parse(&yaml, 0).unwrap_or_else(|e| panic!("{e:?}\n{yaml}"));
        assert_eq!(get(&node, "name").as_deref(), Some("阳光\r花园"));
        assert_eq!(get(&node, "satisfaction"), None);
        assert!(yaml.contains("满意度「95 %」"), "{yaml}");
    }

    // Multi-line text is written as a readable block when that keeps it exact.
    #[test]
    fn blocks_round_trip() {
        let cases = [
            "第一段\n\n- 要点一\n- 要点二：说明 # 不是注释",
            "  缩进开头",
            "行尾空格 \n第二行",
            "一行",
            "结尾换行\n",
        ];
        for s in cases {
            let yaml = format!("v: {}\n", text_value(s, ""));
            assert_eq!(read_back(&yaml), Value::Str(s.to_string()), "{yaml}");
        }
        assert!(text_value(cases[0], "").starts_with("|-"));
    }
}
