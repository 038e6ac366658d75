//! One spreadsheet row → one estate record, with a located Chinese error per bad cell.

use super::columns::{Field, Header};
use super::issue::{Issue, Place};
use super::read::Row;
use super::site::nearest_county;
use super::values::{
    is_excel_error, one_line, parse_area, parse_count, parse_date, parse_owners_body, parse_rate,
    parse_year,
};
use crate::model::{Estate, Markdown, PrivateContact, Satisfaction};
use crate::validate::estate::{HOUSEHOLDS, SATISFIED, SURVEYED};

/// A row that parsed: the record, and what the sheet said that the record cannot hold.
#[derive(Clone, Debug)]
pub struct Draft {
    pub estate: Estate,
    /// 满意度 as written when the sheet gave no counts: a bare percentage cannot honestly
    /// become `satisfaction {surveyed, satisfied}`, so it is kept as a comment.
    pub rate_only: Option<String>,
    /// The row, for messages and the comment at the top of the written file.
    pub place: Place,
}

/// What every row of one sheet shares.
pub struct Sheet<'a> {
    pub header: &'a Header,
    /// File and sheet; rows and columns are added per cell.
    pub place: Place,
    pub year: i32,
    pub counties: Option<&'a [String]>,
    /// `--county`: fills a missing or empty county column.
    pub default_county: Option<&'a str>,
}

/// The outcome of one row.
#[derive(Debug)]
pub enum Parsed {
    /// Blank, numbered but empty, or a note/total line under the table.
    Skip,
    /// The record, with warnings if any.
    Ok(Box<Draft>, Vec<Issue>),
    /// Errors (and warnings); the county when it was readable, for per-county counts.
    Failed(Vec<Issue>, Option<String>),
}

impl Sheet<'_> {
    fn cell_place(&self, row: &Row, col: usize) -> Place {
        self.place
            .at_row(row.number)
            .at_column(col, self.header.label_at(col))
    }

    /// The trimmed text of a field's cell, with its column; `None` when absent, empty or
    /// a formula error (reported once, on its own).
    fn get<'r>(&self, row: &'r Row, field: Field) -> Option<(usize, &'r str)> {
        let col = self.header.column_of(field)?;
        let text = row.cell(col).trim();
        (!text.is_empty() && !is_excel_error(text)).then_some((col, text))
    }

    pub fn parse(&self, row: &Row) -> Parsed {
        if is_skippable(row, self.header) {
            return Parsed::Skip;
        }
        let mut issues = Vec::new();
        let mut err = |col: Option<usize>, message: String, hint: &str| {
            let place = match col {
                Some(c) => self.cell_place(row, c),
                None => self.place.at_row(row.number),
            };
            issues.push(Issue::error(place, message).hint(hint));
        };

        // Formula errors first: their text must not pass for a name or an address.
        for (col, (_, field)) in self.header.columns.iter().enumerate() {
            let text = row.cell(col).trim();
            if field.is_some_and(|f| !f.is_ignored()) && is_excel_error(text) {
                err(
                    Some(col),
                    format!("单元格是公式错误值「{text}」"),
                    "请在表格中修正公式，或把这一格改成实际内容",
                );
            }
        }
        let mut required = |field: Field| -> String {
            let col = self.header.column_of(field);
            match self.get(row, field) {
                Some((_, text)) => one_line(text),
                None if col.is_some_and(|c| is_excel_error(row.cell(c).trim())) => String::new(),
                None => {
                    err(
                        col,
                        format!("「{}」不能为空", field.label()),
                        "小区名称、县（市、区）、地址、物业服务企业是每条记录的必填项，请补填后重新导入",
                    );
                    String::new()
                }
            }
        };
        let name = required(Field::Name);
        let address = required(Field::Address);
        let property_company = required(Field::Company);
        let county = self.county(row, &mut err);

        let text = |field| self.get(row, field).map(|(_, t)| t.to_string());
        let line = |field| self.get(row, field).map(|(_, t)| one_line(t));
        let mut estate = Estate {
            name,
            county: county.clone().unwrap_or_default(),
            address,
            property_company,
            street: line(Field::Street),
            community: line(Field::Community),
            party_building: text(Field::PartyBuilding),
            contact: PrivateContact {
                person: line(Field::ContactPerson),
                phone: line(Field::ContactPhone),
            },
            summary: text(Field::Summary).map(|t| Markdown {
                text: t,
                first_line: 0,
            }),
            ..Estate::default()
        };

        if let Some((col, t)) = self.get(row, Field::Built) {
            match parse_year(t) {
                Some(y) if y <= self.year => estate.built = Some(y),
                Some(y) => err(
                    Some(col),
                    format!("建成年份 {y} 晚于活动年度 {}", self.year),
                    "请核对建成年份",
                ),
                None => err(
                    Some(col),
                    format!("建成年份「{t}」无法识别"),
                    "请填写四位数年份，例如 2010",
                ),
            }
        }
        estate.households = self.value(
            row,
            Field::Households,
            &mut err,
            parse_count,
            "不是整数",
            "请只填写数字，例如 1200",
        );
        if let Some(n) = estate
            .households
            .filter(|n| !HOUSEHOLDS.contains(&i64::from(*n)))
        {
            let col = self.header.column_of(Field::Households);
            err(col, format!("户数 {n} 超出范围"), &range_hint(&HOUSEHOLDS));
            estate.households = None;
        }
        let in_wan = self
            .header
            .column_of(Field::FloorArea)
            .is_some_and(|c| self.header.label_at(c).contains('万'));
        estate.floor_area = self.value(
            row,
            Field::FloorArea,
            &mut err,
            |t| parse_area(t, in_wan),
            "不是数字",
            "请填写以平方米为单位的数字，例如 86500.5",
        );
        // `check` wants a positive area; a 0 written here would only fail there.
        if estate
            .floor_area
            .as_deref()
            .is_some_and(|a| !a.parse::<f64>().is_ok_and(|v| v > 0.0 && v.is_finite()))
        {
            let col = self.header.column_of(Field::FloorArea);
            err(
                col,
                "建筑面积应大于 0".to_string(),
                "请填写以平方米为单位的数字，例如 86500.5",
            );
            estate.floor_area = None;
        }
        estate.owners_body = self.value(
            row,
            Field::OwnersBody,
            &mut err,
            parse_owners_body,
            "无法识别",
            "请填写 业主委员会、物业管理委员会 或 无",
        );
        estate.submitted = self.value(
            row,
            Field::Submitted,
            &mut err,
            parse_date,
            "不是有效日期",
            "请写成 2025-08-20 这样的日期",
        );
        let mut warnings = Vec::new();
        let rate_only = self.satisfaction(row, &mut estate, &mut err, &mut warnings);

        issues.extend(warnings);
        if issues.iter().any(Issue::is_error) {
            return Parsed::Failed(issues, county);
        }
        Parsed::Ok(
            Box::new(Draft {
                estate,
                rate_only,
                place: self.place.at_row(row.number),
            }),
            issues,
        )
    }

    /// A field's cell parsed; an error at the cell (`「label」「text」what`) when it does not.
    fn value<T>(
        &self,
        row: &Row,
        field: Field,
        err: &mut impl FnMut(Option<usize>, String, &str),
        parse: impl Fn(&str) -> Option<T>,
        what: &str,
        hint: &str,
    ) -> Option<T> {
        let (col, text) = self.get(row, field)?;
        let value = parse(text);
        if value.is_none() {
            err(
                Some(col),
                format!("{}「{text}」{what}", field.label()),
                hint,
            );
        }
        value
    }

    /// The row's county: its cell, else `--county`; checked against the campaign's list.
    fn county(
        &self,
        row: &Row,
        err: &mut impl FnMut(Option<usize>, String, &str),
    ) -> Option<String> {
        let label = Field::County.label();
        let col = self.header.column_of(Field::County);
        if col.is_some_and(|c| is_excel_error(row.cell(c).trim())) {
            return None;
        }
        let (col, county) = match (self.get(row, Field::County), self.default_county) {
            (Some((col, t)), fallback) => {
                let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
                if let Some(given) = fallback.filter(|g| *g != t) {
                    err(
                        Some(col),
                        format!("{label}「{t}」与 --county 指定的「{given}」不一致"),
                        "--county 只用于补填没有县区的行；请核对表格，或去掉 --county",
                    );
                    return None;
                }
                (Some(col), t)
            }
            (None, Some(given)) => (None, given.to_string()),
            (None, None) => {
                err(
                    self.header.column_of(Field::County),
                    format!("「{label}」不能为空"),
                    "请在表格中补填，或用 --county 指定这张表所属的县（市、区）",
                );
                return None;
            }
        };
        if let Some(known) = self.counties
            && !known.contains(&county)
        {
            let hint = match nearest_county(known, &county) {
                Some(near) => format!("是否应为「{near}」？可选：{}", known.join("、")),
                None => format!("可选：{}", known.join("、")),
            };
            err(
                col,
                format!("{label}「{county}」不在 {} 年度活动的县区名单中", self.year),
                &hint,
            );
            return None;
        }
        Some(county)
    }

    /// Counts become `satisfaction`; a bare rate is returned to be kept as a comment.
    fn satisfaction(
        &self,
        row: &Row,
        estate: &mut Estate,
        err: &mut impl FnMut(Option<usize>, String, &str),
        warnings: &mut Vec<Issue>,
    ) -> Option<String> {
        let rate = self.get(row, Field::Satisfaction);
        let parsed_rate = match rate {
            Some((col, t)) => match parse_rate(t) {
                Some(r) => Some(r),
                None => {
                    err(
                        Some(col),
                        format!("满意度「{t}」无法识别"),
                        "请写成 95% 或 0.95 这样的比例",
                    );
                    None
                }
            },
            None => None,
        };
        let count = |field: Field, err: &mut dyn FnMut(Option<usize>, String, &str)| {
            let (col, t) = self.get(row, field)?;
            let n = parse_count(t);
            if n.is_none() {
                err(
                    Some(col),
                    format!("{}「{t}」不是整数", field.label()),
                    "请只填写数字，例如 200",
                );
            }
            Some((col, n))
        };
        let surveyed = count(Field::Surveyed, err);
        let satisfied = count(Field::Satisfied, err);
        match (surveyed, satisfied) {
            (Some((_, Some(total))), Some((col, Some(yes)))) => {
                if !SURVEYED.contains(&i64::from(total)) || !SATISFIED.contains(&i64::from(yes)) {
                    err(
                        Some(col),
                        format!("调查户数 {total} 或满意户数 {yes} 超出范围"),
                        &range_hint(&SURVEYED),
                    );
                    return None;
                }
                if total == 0 || yes > total {
                    err(
                        Some(col),
                        format!("满意户数 {yes} 与调查户数 {total} 不合理"),
                        "满意户数不能大于调查户数，调查户数不能为 0",
                    );
                    return None;
                }
                estate.satisfaction = Some(Satisfaction {
                    surveyed: total,
                    satisfied: yes,
                });
                if let (Some(r), Some((rcol, t))) = (parsed_rate, rate) {
                    let counted = f64::from(yes) / f64::from(total);
                    // Half a percentage point: sheets round rates to whole percents.
                    if (r - counted).abs() > 0.0051 {
                        warnings.push(
                            Issue::warning(
                                self.cell_place(row, rcol),
                                format!("满意度「{t}」与 满意户数 {yes} ÷ 调查户数 {total} 不一致"),
                            )
                            .hint("记录中保存的是户数，满意度由户数计算；请核对表格"),
                        );
                    }
                }
                None
            }
            (Some((col, Some(_))), None) | (None, Some((col, Some(_)))) => {
                err(
                    Some(col),
                    "调查户数和满意户数要同时填写".to_string(),
                    "请补填另一项，或两项都留空",
                );
                None
            }
            (None, None) => rate
                .filter(|_| parsed_rate.is_some())
                .map(|(_, t)| t.to_string()),
            _ => None,
        }
    }
}

fn range_hint(range: &std::ops::RangeInclusive<i64>) -> String {
    format!("应在 {} 到 {} 之间，请核对表格", range.start(), range.end())
}

/// Rows that are not estates: blank, only a pre-printed number, or a single note or
/// total line under the table (“填表人：”, “合计”).
fn is_skippable(row: &Row, header: &Header) -> bool {
    // Templates often come with numbers and the county filled in on spare rows.
    let prefilled = [
        header.column_of(Field::Seq),
        header.column_of(Field::County),
    ];
    let filled: Vec<(usize, &str)> = row
        .cells
        .iter()
        .enumerate()
        .map(|(i, c)| (i, c.trim()))
        .filter(|(_, c)| !c.is_empty())
        .collect();
    if filled.iter().all(|(i, _)| prefilled.contains(&Some(*i))) {
        return true;
    }
    if filled
        .iter()
        .any(|(_, c)| matches!(*c, "合计" | "总计" | "小计"))
        && header
            .column_of(Field::Name)
            .is_none_or(|c| row.cell(c).trim().is_empty())
    {
        return true;
    }
    if let [(_, only)] = filled.as_slice() {
        let note_starts = ["注", "备注", "说明", "填表", "审核", "制表", "合计"];
        return only.contains('：')
            || only.contains(':')
            || note_starts.iter().any(|p| only.starts_with(p));
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet_row(cells: &[&str]) -> Parsed {
        let labels = ["县区", "小区名称", "地址", "物业公司", "户数"];
        let header = Header {
            data_start: 1,
            row_number: 1,
            columns: labels
                .iter()
                .map(|l| (l.to_string(), crate::import::columns::lookup(l)))
                .collect(),
        };
        let counties = ["容县".to_string()];
        let sheet = Sheet {
            header: &header,
            place: Place::sheet("t.xlsx", Some("Sheet1")),
            year: 2025,
            counties: Some(&counties),
            default_county: None,
        };
        sheet.parse(&Row {
            number: 2,
            cells: cells.iter().map(|c| c.to_string()).collect(),
        })
    }

    // A formula error is reported once, at its cell, and not again as empty or malformed.
    #[test]
    fn formula_error_once() {
        for (cells, col) in [
            (
                ["容县", "阳光花园", "容州镇", "安居", "#REF!"],
                "E列（户数）",
            ),
            (["容县", "#N/A", "容州镇", "安居", "1"], "B列（小区名称）"),
            (
                ["#VALUE!", "阳光花园", "容州镇", "安居", "1"],
                "A列（县区）",
            ),
        ] {
            let Parsed::Failed(issues, _) = sheet_row(&cells) else {
                panic!("{cells:?} should fail");
            };
            assert_eq!(issues.len(), 1, "{issues:?}");
            assert!(
                issues[0].to_string().starts_with(&format!(
                    "t.xlsx 工作表「Sheet1」第2行 {col}: 错误：单元格是公式错误值"
                )),
                "{}",
                issues[0]
            );
        }
    }

    // Rows that only carry a pre-printed number or county, or a note, are not estates.
    #[test]
    fn template_rows_are_skipped() {
        assert!(matches!(sheet_row(&["容县", "", "", "", ""]), Parsed::Skip));
        assert!(matches!(
            sheet_row(&["填表人：王五", "", "", "", ""]),
            Parsed::Skip
        ));
        assert!(matches!(
            sheet_row(&["容县", "阳光花园", "容州镇", "安居", ""]),
            Parsed::Ok(..)
        ));
    }

    // Household counts `check` would refuse are refused here, at their cell (found by
    // the import_csv fuzz target: 1220002 households was written, then failed `check`).
    #[test]
    fn households_out_of_check_range() {
        for n in ["0", "1220002"] {
            let Parsed::Failed(issues, _) = sheet_row(&["容县", "阳光花园", "容州镇", "安居", n])
            else {
                panic!("{n} should fail");
            };
            assert!(
                issues[0].to_string().contains("E列（户数）"),
                "{}",
                issues[0]
            );
            assert!(issues[0].to_string().contains("超出范围"), "{}", issues[0]);
        }
    }
}
