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
use std::borrow::Cow;
use std::fmt::Write as _;
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
}

/// `value` written into `buf` (cleared first), for a CSV field without a new string.
fn shown<'b>(buf: &'b mut String, value: &dyn std::fmt::Display) -> &'b str {
    buf.clear();
    let _ = write!(buf, "{value}");
    buf
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
        let mut number = String::new();
        for r in rows {
            for (field, (_, _, kind)) in r.cells().into_iter().zip(COLUMNS) {
                let _ = match field {
                    Field::Text(t) if kind == Kind::Text => w.write_field(csv_text(t).as_ref()),
                    Field::Text(t) => w.write_field(t),
                    Field::Whole(n) => w.write_field(shown(&mut number, &n)),
                    Field::Day(d) => w.write_field(shown(&mut number, &d)),
                    Field::Missing => w.write_field(""),
                };
            }
            let _ = w.write_record(None::<&[u8]>);
        }
        let _ = w.flush();
    }
    out
}

/// A text cell as the CSV holds it. Excel and WPS run a cell that starts with `=`, `+`,
/// `-` or `@` as a formula (which can open links or, with DDE, start programs); a leading
/// `'` makes them show it as the text it is. Tab and line breaks are included because a
/// spreadsheet may trim them and then see the formula.
fn csv_text(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r', '\n']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
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
    let mut book = workbook();
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
    let mut book = workbook();
    book.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&created));
    let sheet = book.add_worksheet();
    fill_sheet(sheet, rows, title).map_err(|e| format!("无法生成推荐汇总表 XLSX（{e}）"))?;
    book.save_to_buffer()
        .map_err(|e| format!("无法生成推荐汇总表 XLSX（{e}）"))
}

/// A workbook compressed at zlib level 4, not rust_xlsxwriter's 6: at 10,000 estates a
/// year's table is 4 % larger (344 against 331 KB) and made in a fifth less time.
fn workbook() -> Workbook {
    let mut book = Workbook::new();
    book.set_zip_compression_level(4);
    book
}

pub fn write_summary_xlsx(rows: &[SummaryRow], title: &str, path: &Path) -> Result<(), String> {
    let bytes = summary_xlsx_bytes(rows, title)?;
    std::fs::write(path, bytes).map_err(|e| format!("无法写入 {}（{e}）", path.display()))
}

/// The sheet's name, its title row and its header row.
fn sheet_head(sheet: &mut Worksheet, title: &str) -> Result<(), XlsxError> {
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
    for (col, (label, _, _)) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(1, col as u16, *label, &header_format)?;
    }
    sheet.set_row_height(1, 30)?;
    Ok(())
}

/// Frozen header rows, a filter over the table, and printing on A4 landscape, one page wide.
fn sheet_tail(sheet: &mut Worksheet, rows: usize) -> Result<(), XlsxError> {
    let last_col = (COLUMNS.len() - 1) as u16;
    let last_row = rows as u32 + 1;
    sheet.set_freeze_panes(2, 0)?;
    sheet.autofilter(1, 0, last_row, last_col)?;
    sheet.set_landscape();
    sheet.set_paper_size(9); // A4
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, 1)?;
    Ok(())
}

fn fill_sheet(sheet: &mut Worksheet, rows: &[SummaryRow], title: &str) -> Result<(), XlsxError> {
    sheet_head(sheet, title)?;

    let cell = Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter);
    // "@" keeps text as text when staff edit it: codes and numbers with leading zeros
    // are not turned into numbers.
    let text = cell.clone().set_num_format("@").set_text_wrap();
    let formats = [
        cell.clone(),                              // Style::Framed
        text,                                      // Style::Text
        cell.clone().set_num_format("0"),          // Style::Integer
        cell.clone(),                              // Style::General
        cell.clone().set_num_format("0.00%"),      // Style::Percent
        cell.clone().set_num_format("0.00"),       // Style::TwoDecimals
        cell.clone().set_num_format("yyyy-mm-dd"), // Style::Date
    ];

    // rust_xlsxwriter hashes the whole Format on every formatted write. So each format
    // is passed with the first cell that uses it (which gives it the same style index,
    // in the same order, as writing every cell with its format), the other cells are
    // written bare, and then each column's runs of cells sharing a style get it in one
    // `set_range_format`, which looks the format up once. A blank cell is only made by
    // that call; it does not widen the sheet's dimension, which the header row (every
    // column) and the 序号 column (every row) already span.
    let mut seen = [false; STYLES];
    let mut styles = Vec::with_capacity(rows.len());
    for (i, r) in rows.iter().enumerate() {
        let row = i as u32 + 2;
        let mut pattern = [Style::Framed; COLUMNS.len()];
        for (col, value) in r.cells().into_iter().enumerate() {
            let c = col as u16;
            let (style, write) = plan(COLUMNS[col].2, value)?;
            pattern[col] = style;
            let first = !std::mem::replace(&mut seen[style as usize], true);
            let format = &formats[style as usize];
            match write {
                Write::Blank if first => {
                    sheet.write_blank(row, c, format)?;
                }
                Write::Blank => {}
                Write::Number(n) if first => {
                    sheet.write_number_with_format(row, c, n, format)?;
                }
                Write::Number(n) => {
                    sheet.write_number(row, c, n)?;
                }
                Write::Date(d) if first => {
                    sheet.write_date_with_format(row, c, &d, format)?;
                }
                Write::Date(d) => {
                    sheet.write_datetime(row, c, &d)?;
                }
                Write::Text(t) if first => {
                    sheet.write_string_with_format(row, c, t, format)?;
                }
                Write::Text(t) => {
                    sheet.write_string(row, c, t)?;
                }
            }
        }
        styles.push(pattern);
    }
    // The widths come after the cells: every bare write looks up its column's settings,
    // which costs a hash only once there are some.
    for (col, (_, width, _)) in COLUMNS.iter().enumerate() {
        sheet.set_column_width(col as u16, *width)?;
    }
    // Each column's runs of rows with the same style take it in one call, a block of
    // rows at a time: the cells of a block stay in the cache while its columns are done.
    const BLOCK: usize = 256;
    for block in (0..styles.len()).step_by(BLOCK) {
        let end = styles.len().min(block + BLOCK);
        for col in 0..COLUMNS.len() {
            let mut start = block;
            while start < end {
                let style = styles[start][col];
                let height = styles[start..end]
                    .iter()
                    .take_while(|p| p[col] == style)
                    .count();
                let (first_row, last_row) = (start as u32 + 2, (start + height) as u32 + 1);
                let c = col as u16;
                sheet.set_range_format(first_row, c, last_row, c, &formats[style as usize])?;
                start += height;
            }
        }
    }
    sheet_tail(sheet, rows.len())
}

/// The format of a body cell; the order is that of `formats` in [`fill_sheet`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    /// Framed only: a blank cell of a column that is not text.
    Framed,
    /// Framed text ("@").
    Text,
    /// Framed whole number ("0").
    Integer,
    /// A decimal number, in Excel's general format (the same format as `Framed`).
    General,
    /// Framed percentage ("0.00%").
    Percent,
    /// Framed number with two decimals ("0.00").
    TwoDecimals,
    /// Framed date ("yyyy-mm-dd").
    Date,
}

const STYLES: usize = 7;

/// A field of a [`SummaryRow`] as recorded.
#[derive(Clone, Copy)]
enum Field<'a> {
    /// Text as written in the record; empty is an empty cell.
    Text(&'a str),
    /// A whole number.
    Whole(i64),
    /// A date.
    Day(NaiveDate),
    /// No value.
    Missing,
}

/// How a body cell is written.
enum Write<'a> {
    Blank,
    Number(f64),
    Date(ExcelDateTime),
    Text(&'a str),
}

impl SummaryRow {
    /// The fields in column order, borrowed.
    fn cells(&self) -> [Field<'_>; 17] {
        fn text(o: &Option<String>) -> Field<'_> {
            o.as_deref().map_or(Field::Missing, Field::Text)
        }
        let whole = |o: Option<u32>| o.map_or(Field::Missing, |n| Field::Whole(n.into()));
        [
            Field::Whole(self.seq.into()),
            Field::Text(&self.county),
            Field::Text(&self.name),
            Field::Text(&self.address),
            text(&self.street),
            text(&self.community),
            Field::Text(&self.property_company),
            self.built
                .map_or(Field::Missing, |y| Field::Whole(y.into())),
            whole(self.households),
            text(&self.floor_area),
            text(&self.owners_body),
            text(&self.satisfaction),
            whole(self.surveyed),
            whole(self.satisfied),
            self.submitted.map_or(Field::Missing, Field::Day),
            text(&self.score),
            whole(self.rank),
        ]
    }
}

/// The format and the value of a body cell in a column of `kind`. A whole number is
/// written as that number (its text always reads back as the same number); text is a
/// number only where its column takes one and the number shows the same digits.
fn plan(kind: Kind, field: Field<'_>) -> Result<(Style, Write<'_>), XlsxError> {
    let blank = if kind == Kind::Text {
        Style::Text
    } else {
        Style::Framed
    };
    let value = match field {
        Field::Missing | Field::Text("") => return Ok((blank, Write::Blank)),
        // Exact: the whole numbers here are u32 or i32.
        Field::Whole(n) => return Ok((Style::Integer, Write::Number(n as f64))),
        Field::Day(d) => return Ok((Style::Date, Write::Date(excel_date(d)?))),
        Field::Text(value) => value,
    };
    let number = value.parse::<f64>().ok().filter(|n| n.is_finite());
    Ok(match kind {
        Kind::Integer | Kind::Decimal if number.is_some_and(|n| n.to_string() == value) => {
            let style = if kind == Kind::Integer {
                Style::Integer
            } else {
                Style::General
            };
            (style, Write::Number(number.unwrap_or_default()))
        }
        // Shown with the format's two decimals, so `87.50` reads as written.
        Kind::Score if number.is_some() => (
            Style::TwoDecimals,
            Write::Number(number.unwrap_or_default()),
        ),
        Kind::Percent => match value.strip_suffix('%').and_then(|v| v.parse::<f64>().ok()) {
            Some(p) => (Style::Percent, Write::Number(p / 100.0)),
            None => (Style::Text, Write::Text(value)),
        },
        _ => (Style::Text, Write::Text(value)),
    })
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

    /// The cells as text, the way the first version of the writer saw them.
    fn texts(r: &SummaryRow) -> [String; 17] {
        let opt = |o: &Option<String>| o.clone().unwrap_or_default();
        let num = |o: Option<u32>| o.map(|n| n.to_string()).unwrap_or_default();
        [
            r.seq.to_string(),
            r.county.clone(),
            r.name.clone(),
            r.address.clone(),
            opt(&r.street),
            opt(&r.community),
            r.property_company.clone(),
            r.built.map(|y| y.to_string()).unwrap_or_default(),
            num(r.households),
            opt(&r.floor_area),
            opt(&r.owners_body),
            opt(&r.satisfaction),
            num(r.surveyed),
            num(r.satisfied),
            r.submitted.map(|d| d.to_string()).unwrap_or_default(),
            opt(&r.score),
            num(r.rank),
        ]
    }

    /// The body as first written: every cell with its format, decided from its text.
    /// The faster [`fill_sheet`] must give the same file.
    fn fill_sheet_cell_by_cell(
        sheet: &mut Worksheet,
        rows: &[SummaryRow],
        title: &str,
    ) -> Result<(), XlsxError> {
        sheet_head(sheet, title)?;
        for (col, (_, width, _)) in COLUMNS.iter().enumerate() {
            sheet.set_column_width(col as u16, *width)?;
        }
        let cell = Format::new()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter);
        let text = cell.clone().set_num_format("@").set_text_wrap();
        let integer = cell.clone().set_num_format("0");
        let percent = cell.clone().set_num_format("0.00%");
        let two_decimals = cell.clone().set_num_format("0.00");
        let date = cell.clone().set_num_format("yyyy-mm-dd");
        for (i, r) in rows.iter().enumerate() {
            let row = i as u32 + 2;
            for (col, value) in texts(r).iter().enumerate() {
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
                            &cell
                        };
                        sheet.write_number_with_format(row, c, number.unwrap(), format)?;
                    }
                    Kind::Score if number.is_some() => {
                        sheet.write_number_with_format(row, c, number.unwrap(), &two_decimals)?;
                    }
                    Kind::Percent => {
                        match value.strip_suffix('%').and_then(|v| v.parse::<f64>().ok()) {
                            Some(p) => {
                                sheet.write_number_with_format(row, c, p / 100.0, &percent)?
                            }
                            None => sheet.write_string_with_format(row, c, value, &text)?,
                        };
                    }
                    Kind::Date => {
                        let d = r.submitted.unwrap();
                        sheet.write_date_with_format(row, c, &excel_date(d)?, &date)?;
                    }
                    _ => {
                        sheet.write_string_with_format(row, c, value, &text)?;
                    }
                }
            }
        }
        sheet_tail(sheet, rows.len())
    }

    fn xlsx_cell_by_cell(rows: &[SummaryRow], title: &str, day: NaiveDate) -> Vec<u8> {
        let created = excel_date(day).unwrap();
        let mut book = workbook();
        book.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&created));
        fill_sheet_cell_by_cell(book.add_worksheet(), rows, title).unwrap();
        book.save_to_buffer().unwrap()
    }

    /// Rows that take every path of the cell writer: missing and empty fields, text
    /// where a number is expected, odd numbers, and a first row whose blanks come before
    /// any number (formats are numbered in the order cells first use them).
    fn odd_rows() -> Vec<SummaryRow> {
        let full = SummaryRow {
            seq: 1,
            county: "容县".into(),
            name: "阳光花园".into(),
            address: "容州镇人民路1号".into(),
            street: Some("容州镇".into()),
            community: Some("城南社区".into()),
            property_company: "某物业".into(),
            built: Some(2008),
            households: Some(2625),
            floor_area: Some("213937.8".into()),
            owners_body: Some("业主委员会".into()),
            satisfaction: Some("98.59%".into()),
            surveyed: Some(1417),
            satisfied: Some(1397),
            submitted: NaiveDate::from_ymd_opt(2026, 8, 27),
            score: Some("96.67".into()),
            rank: Some(1),
        };
        let mut rows = vec![
            SummaryRow {
                seq: 7,
                county: String::new(),
                ..SummaryRow::default()
            },
            full.clone(),
            SummaryRow {
                built: Some(-5),
                households: Some(u32::MAX),
                floor_area: Some("86500.50".into()),
                satisfaction: Some("inf%".into()),
                score: Some("x".into()),
                street: Some(String::new()),
                name: "=1+1".into(),
                ..full.clone()
            },
            SummaryRow {
                floor_area: Some("1e3".into()),
                satisfaction: Some("%".into()),
                score: Some("NaN".into()),
                rank: None,
                submitted: None,
                ..full.clone()
            },
            SummaryRow {
                floor_area: Some("-0".into()),
                satisfaction: Some("abc".into()),
                score: Some("inf".into()),
                owners_body: None,
                ..full.clone()
            },
            SummaryRow {
                floor_area: Some(String::new()),
                satisfaction: Some(String::new()),
                score: Some(String::new()),
                ..full.clone()
            },
        ];
        rows.extend((0..40).map(|n| SummaryRow {
            seq: n + 10,
            households: (n % 3 != 0).then_some(n * 7),
            score: (n % 5 != 0).then(|| format!("{}.{:02}", 60 + n, n)),
            rank: (n % 5 != 0).then_some(n),
            ..full.clone()
        }));
        rows
    }

    // The XLSX is byte for byte what writing each cell with its own format gives, for
    // every order of the odd rows tried (which changes the order formats are met in).
    #[test]
    fn xlsx_same_as_cell_by_cell() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let rows = odd_rows();
        for shift in 0..rows.len() {
            let mut rows = rows.clone();
            rows.rotate_left(shift);
            let got = summary_xlsx_bytes_on(&rows, "标题", day).unwrap();
            assert!(
                got == xlsx_cell_by_cell(&rows, "标题", day),
                "shift {shift}"
            );
        }
        for n in 0..3 {
            let rows = &odd_rows()[..n];
            let got = summary_xlsx_bytes_on(rows, "标题", day).unwrap();
            assert!(got == xlsx_cell_by_cell(rows, "标题", day), "{n} rows");
        }
    }

    // The CSV is byte for byte what the cells' texts give.
    #[test]
    fn csv_same_as_texts() {
        let rows = odd_rows();
        let mut want = b"\xEF\xBB\xBF".to_vec();
        {
            let mut w = csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(&mut want);
            w.write_record(headers()).unwrap();
            for r in &rows {
                let cells = texts(r).into_iter().zip(COLUMNS);
                w.write_record(cells.map(|(cell, (_, _, kind))| {
                    if kind == Kind::Text {
                        csv_text(&cell).into_owned()
                    } else {
                        cell
                    }
                }))
                .unwrap();
            }
        }
        assert_eq!(summary_csv_bytes(&rows), want);
    }

    // The XLSX reads back with the values and kinds of cell the table promises.
    #[test]
    fn xlsx_reads_back() {
        use calamine::{Data, Reader, Xlsx};
        let day = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let rows = odd_rows();
        let bytes = summary_xlsx_bytes_on(&rows, "标题", day).unwrap();
        let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range("推荐汇总表").unwrap();
        let at = |r: u32, c: u32| range.get_value((r, c)).cloned().unwrap_or(Data::Empty);
        assert_eq!(at(0, 0), Data::String("标题".into()));
        assert_eq!(at(1, 16), Data::String("排名".into()));
        // The first odd row: a number, then blanks.
        assert_eq!(at(2, 0), Data::Float(7.0));
        assert_eq!(at(2, 1), Data::Empty);
        // The full row.
        assert_eq!(at(3, 1), Data::String("容县".into()));
        assert_eq!(at(3, 9), Data::Float(213937.8));
        assert_eq!(at(3, 11), Data::Float(0.9859));
        assert!(matches!(at(3, 14), Data::DateTime(_)), "{:?}", at(3, 14));
        assert_eq!(at(3, 15), Data::Float(96.67));
        // Text where the column's number does not read back as written.
        assert_eq!(at(4, 2), Data::String("=1+1".into()));
        assert_eq!(at(4, 7), Data::Float(-5.0));
        assert_eq!(at(4, 9), Data::String("86500.50".into()));
        assert_eq!(at(4, 15), Data::String("x".into()));
        assert_eq!(at(5, 11), Data::String("%".into()));
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
