//! The public 推荐汇总表 as XLSX and CSV: one row per estate, public fields only.
//!
//! Private fields (the applicant's contact, expert names) have no place in
//! [`SummaryRow`], so no caller can leak them into the published table. The header
//! labels are ones `jiayuan import` recognises, so an exported table imports back into
//! the same public records.

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};
use std::path::Path;

use crate::model::{Estate, Points, Satisfaction};

/// One estate's line in the summary table. Optional fields are empty cells.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SummaryRow {
    /// 序号
    pub seq: u32,
    /// 县（市、区）
    pub county: String,
    /// 小区名称
    pub name: String,
    /// 地址
    pub address: String,
    /// 街道（乡镇）
    pub street: Option<String>,
    /// 社区
    pub community: Option<String>,
    /// 物业服务企业
    pub property_company: String,
    /// 建成年份
    pub built: Option<i32>,
    /// 户数
    pub households: Option<u32>,
    /// 建筑面积（m²）, as written in the record
    pub floor_area: Option<String>,
    /// 业主组织 (业主委员会 | 物业管理委员会 | 无)
    pub owners_body: Option<String>,
    /// 满意度 with two decimals, e.g. `96.50%`
    pub satisfaction: Option<String>,
    /// 调查户数: the basis of the rate, so the rate can be checked and re-imported
    pub surveyed: Option<u32>,
    /// 满意户数
    pub satisfied: Option<u32>,
    /// 申报日期
    pub submitted: Option<NaiveDate>,
    /// 得分 with two decimals, e.g. `87.50`
    pub score: Option<String>,
    /// 排名
    pub rank: Option<u32>,
}

/// How a column is written to the XLSX.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A text cell formatted as text ("@"), so that what staff type later stays text.
    Text,
    /// A whole number.
    Integer,
    /// A number when the text reads back identically, else text (`86500.50`).
    Decimal,
    /// A number shown with two decimals.
    Score,
    /// A percentage number shown with two decimals.
    Percent,
    /// A real date.
    Date,
}

/// The columns in order: header label (one `jiayuan import` reads back), width in
/// characters, cell kind.
const COLUMNS: [(&str, f64, Kind); 17] = [
    ("序号", 6.0, Kind::Integer),
    ("县（市、区）", 12.0, Kind::Text),
    ("小区名称", 22.0, Kind::Text),
    ("地址", 32.0, Kind::Text),
    ("街道（乡镇）", 14.0, Kind::Text),
    ("社区", 14.0, Kind::Text),
    ("物业服务企业", 28.0, Kind::Text),
    ("建成年份", 9.0, Kind::Integer),
    ("户数", 8.0, Kind::Integer),
    ("建筑面积（m²）", 13.0, Kind::Decimal),
    ("业主组织", 14.0, Kind::Text),
    ("满意度", 9.0, Kind::Percent),
    ("调查户数", 9.0, Kind::Integer),
    ("满意户数", 9.0, Kind::Integer),
    ("申报日期", 12.0, Kind::Date),
    ("得分", 8.0, Kind::Score),
    ("排名", 6.0, Kind::Integer),
];

/// The header row, in column order.
pub fn headers() -> [&'static str; 17] {
    COLUMNS.map(|(label, _, _)| label)
}

impl SummaryRow {
    /// The public fields of an estate, with its derived score and rank when known.
    pub fn from_estate(
        seq: u32,
        estate: &Estate,
        score: Option<Points>,
        rank: Option<u32>,
    ) -> Self {
        SummaryRow {
            seq,
            county: estate.county.clone(),
            name: estate.name.clone(),
            address: estate.address.clone(),
            street: estate.street.clone(),
            community: estate.community.clone(),
            property_company: estate.property_company.clone(),
            built: estate.built,
            households: estate.households,
            floor_area: estate.floor_area.clone(),
            owners_body: estate.owners_body.map(|b| b.label().to_string()),
            satisfaction: estate.satisfaction.and_then(satisfaction_percent),
            surveyed: estate.satisfaction.map(|s| s.surveyed),
            satisfied: estate.satisfaction.map(|s| s.satisfied),
            submitted: estate.submitted,
            score: score.map(Points::display),
            rank,
        }
    }

    /// The cells as text, in column order (the CSV line).
    fn texts(&self) -> [String; 17] {
        let opt = |o: &Option<String>| o.clone().unwrap_or_default();
        let num = |o: Option<u32>| o.map(|n| n.to_string()).unwrap_or_default();
        [
            self.seq.to_string(),
            self.county.clone(),
            self.name.clone(),
            self.address.clone(),
            opt(&self.street),
            opt(&self.community),
            self.property_company.clone(),
            self.built.map(|y| y.to_string()).unwrap_or_default(),
            num(self.households),
            opt(&self.floor_area),
            opt(&self.owners_body),
            opt(&self.satisfaction),
            num(self.surveyed),
            num(self.satisfied),
            self.submitted.map(|d| d.to_string()).unwrap_or_default(),
            opt(&self.score),
            num(self.rank),
        ]
    }
}

/// `satisfied / surveyed` as a percentage with two decimals, rounded half up in integer
/// arithmetic so that every output shows the same digits: 193/200 → `96.50%`.
pub fn satisfaction_percent(s: Satisfaction) -> Option<String> {
    if s.surveyed == 0 {
        return None;
    }
    let (yes, all) = (u64::from(s.satisfied), u64::from(s.surveyed));
    let basis_points = (yes * 20_000 + all) / (2 * all);
    Some(format!("{}.{:02}%", basis_points / 100, basis_points % 100))
}

/// The CSV: UTF-8 with a BOM and CRLF line ends, which Excel and WPS open correctly.
pub fn summary_csv_bytes(rows: &[SummaryRow]) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        // Writing into a Vec cannot fail.
        let _ = w.write_record(headers());
        for r in rows {
            let cells = r.texts();
            let _ = w.write_record(cells.iter().zip(COLUMNS).map(|(cell, (_, _, kind))| {
                if kind == Kind::Text {
                    csv_text(cell)
                } else {
                    cell.clone()
                }
            }));
        }
        let _ = w.flush();
    }
    out
}

/// A text cell as the CSV holds it. Excel and WPS run a cell that starts with `=`, `+`,
/// `-` or `@` as a formula (which can open links or, with DDE, start programs); a leading
/// `'` makes them show it as the text it is. Tab and line breaks are included because a
/// spreadsheet may trim them and then see the formula.
fn csv_text(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r', '\n']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

pub fn write_summary_csv(rows: &[SummaryRow], path: &Path) -> Result<(), String> {
    std::fs::write(path, summary_csv_bytes(rows))
        .map_err(|e| format!("无法写入 {}（{e}）", path.display()))
}

/// The XLSX: a merged title row, a bold framed header frozen in place, set column
/// widths, text cells for names and codes, real numbers and dates where Excel can
/// sort and sum them, and a print layout of one page wide.
pub fn summary_xlsx_bytes(rows: &[SummaryRow], title: &str) -> Result<Vec<u8>, String> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    fill_sheet(sheet, rows, title).map_err(|e| format!("无法生成推荐汇总表 XLSX（{e}）"))?;
    book.save_to_buffer()
        .map_err(|e| format!("无法生成推荐汇总表 XLSX（{e}）"))
}

/// The XLSX with its document creation time fixed to `day`, so that the same content and
/// build date give the same bytes (rust_xlsxwriter otherwise stamps the current time).
pub fn summary_xlsx_bytes_on(
    rows: &[SummaryRow],
    title: &str,
    day: NaiveDate,
) -> Result<Vec<u8>, String> {
    let err = |e: XlsxError| format!("无法生成推荐汇总表 XLSX（{e}）");
    let created = ExcelDateTime::from_ymd(day.year() as u16, day.month() as u8, day.day() as u8)
        .map_err(err)?;
    let mut book = Workbook::new();
    book.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&created));
    let sheet = book.add_worksheet();
    fill_sheet(sheet, rows, title).map_err(|e| format!("无法生成推荐汇总表 XLSX（{e}）"))?;
    book.save_to_buffer()
        .map_err(|e| format!("无法生成推荐汇总表 XLSX（{e}）"))
}

pub fn write_summary_xlsx(rows: &[SummaryRow], title: &str, path: &Path) -> Result<(), String> {
    let bytes = summary_xlsx_bytes(rows, title)?;
    std::fs::write(path, bytes).map_err(|e| format!("无法写入 {}（{e}）", path.display()))
}

fn fill_sheet(sheet: &mut Worksheet, rows: &[SummaryRow], title: &str) -> Result<(), XlsxError> {
    let last_col = (COLUMNS.len() - 1) as u16;
    sheet.set_name("推荐汇总表")?;
    let title_format = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    sheet.merge_range(0, 0, 0, last_col, title, &title_format)?;
    sheet.set_row_height(0, 32)?;

    let header_format = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_background_color(0xD9E1F2)
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    for (col, (label, width, _)) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(1, col as u16, *label, &header_format)?;
        sheet.set_column_width(col as u16, *width)?;
    }
    sheet.set_row_height(1, 30)?;

    let cell = Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter);
    // "@" keeps text as text when staff edit it: codes and numbers with leading zeros
    // are not turned into numbers.
    let text = cell.clone().set_num_format("@").set_text_wrap();
    let integer = cell.clone().set_num_format("0");
    let general = cell.clone();
    let percent = cell.clone().set_num_format("0.00%");
    let two_decimals = cell.clone().set_num_format("0.00");
    let date = cell.clone().set_num_format("yyyy-mm-dd");

    for (i, r) in rows.iter().enumerate() {
        let row = i as u32 + 2;
        for (col, value) in r.texts().iter().enumerate() {
            let c = col as u16;
            let kind = COLUMNS[col].2;
            if value.is_empty() {
                let blank = if kind == Kind::Text { &text } else { &cell };
                sheet.write_blank(row, c, blank)?;
                continue;
            }
            let number = value.parse::<f64>().ok().filter(|n| n.is_finite());
            match kind {
                Kind::Integer | Kind::Decimal
                    if number.is_some_and(|n| n.to_string() == *value) =>
                {
                    let format = if kind == Kind::Integer {
                        &integer
                    } else {
                        &general
                    };
                    sheet.write_number_with_format(row, c, number.unwrap_or_default(), format)?;
                }
                // Shown with the format's two decimals, so `87.50` reads as written.
                Kind::Score if number.is_some() => {
                    sheet.write_number_with_format(
                        row,
                        c,
                        number.unwrap_or_default(),
                        &two_decimals,
                    )?;
                }
                Kind::Percent => {
                    match value.strip_suffix('%').and_then(|v| v.parse::<f64>().ok()) {
                        Some(p) => {
                            sheet.write_number_with_format(row, c, p / 100.0, &percent)?;
                        }
                        None => {
                            sheet.write_string_with_format(row, c, value, &text)?;
                        }
                    }
                }
                Kind::Date => match r.submitted {
                    Some(d) => {
                        sheet.write_date_with_format(row, c, &excel_date(d)?, &date)?;
                    }
                    None => {
                        sheet.write_string_with_format(row, c, value, &text)?;
                    }
                },
                _ => {
                    sheet.write_string_with_format(row, c, value, &text)?;
                }
            }
        }
    }
    let last_row = rows.len() as u32 + 1;
    sheet.set_freeze_panes(2, 0)?;
    sheet.autofilter(1, 0, last_row, last_col)?;
    sheet.set_landscape();
    sheet.set_paper_size(9); // A4
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, 1)?;
    Ok(())
}

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Rates are rounded half up to two decimals, exactly.
    #[test]
    fn percent() {
        let p = |satisfied, surveyed| {
            satisfaction_percent(Satisfaction {
                surveyed,
                satisfied,
            })
        };
        assert_eq!(p(193, 200).as_deref(), Some("96.50%"));
        assert_eq!(p(2, 3).as_deref(), Some("66.67%"));
        assert_eq!(p(1, 8).as_deref(), Some("12.50%"));
        assert_eq!(p(1, 16).as_deref(), Some("6.25%"));
        assert_eq!(p(300, 300).as_deref(), Some("100.00%"));
        assert_eq!(p(0, 0), None);
    }

    // The CSV starts with a BOM, uses CRLF and quotes cells that need it.
    #[test]
    fn csv_shape() {
        let rows = [SummaryRow {
            seq: 1,
            county: "容县".into(),
            name: "阳光,花园".into(),
            address: "容州镇".into(),
            property_company: "某物业".into(),
            satisfaction: Some("96.50%".into()),
            ..SummaryRow::default()
        }];
        let bytes = summary_csv_bytes(&rows);
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert!(text.starts_with("序号,县（市、区）,小区名称,"), "{text}");
        assert!(
            text.contains("\r\n1,容县,\"阳光,花园\",容州镇,,,某物业,,,,,96.50%,"),
            "{text}"
        );
    }

    // A name or address that reads as a formula is written as text (CSV injection).
    #[test]
    fn csv_formulas_are_text() {
        let rows = [SummaryRow {
            seq: 1,
            county: "@SUM(1+1)".into(),
            name: "=HYPERLINK(\"http://x\",\"y\")".into(),
            address: "+1".into(),
            property_company: "-2+3".into(),
            street: Some("\t=1".into()),
            community: Some("普通社区".into()),
            ..SummaryRow::default()
        }];
        let bytes = summary_csv_bytes(&rows);
        let mut r = csv::Reader::from_reader(&bytes[3..]);
        let row = r.records().next().unwrap().unwrap();
        assert_eq!(&row[1], "'@SUM(1+1)");
        assert_eq!(&row[2], "'=HYPERLINK(\"http://x\",\"y\")");
        assert_eq!(&row[3], "'+1");
        assert_eq!(&row[4], "'\t=1");
        assert_eq!(&row[5], "普通社区");
        assert_eq!(&row[6], "'-2+3");
        assert_eq!(&row[0], "1");
    }

    // The exported header is exactly what the importer recognises, field for field.
    #[test]
    fn headers_import_back() {
        use crate::import::columns::{Field, lookup};
        let want = [
            Field::Seq,
            Field::County,
            Field::Name,
            Field::Address,
            Field::Street,
            Field::Community,
            Field::Company,
            Field::Built,
            Field::Households,
            Field::FloorArea,
            Field::OwnersBody,
            Field::Satisfaction,
            Field::Surveyed,
            Field::Satisfied,
            Field::Submitted,
            Field::Score,
            Field::Rank,
        ];
        for (label, field) in headers().iter().zip(want) {
            assert_eq!(lookup(label), Some(field), "{label}");
        }
    }
}
