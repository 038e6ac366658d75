//! Reading a spreadsheet (xlsx, xls, ods via calamine) or a CSV file into rows of text.
//!
//! Every cell becomes text here, so that later stages see what staff see: integers
//! without `.0`, dates as `YYYY-MM-DD`, codes and phone numbers with their leading zeros.

use calamine::{Data, Reader};
use encoding_rs::{Encoding, GB18030, UTF_8};
use std::path::Path;

/// One worksheet, or the whole of a CSV file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    /// `None` for CSV.
    pub sheet: Option<String>,
    pub rows: Vec<Row>,
}

/// One row: its number as the spreadsheet program shows it, and its cells from column A.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Row {
    pub number: u32,
    pub cells: Vec<String>,
}

impl Row {
    pub fn cell(&self, index: usize) -> &str {
        self.cells.get(index).map_or("", |s| s.as_str())
    }
}

/// Reads every worksheet of the file. Errors are Chinese sentences about the whole file.
pub fn read(path: &Path) -> Result<Vec<Table>, String> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "csv" | "txt" => {
            let bytes = std::fs::read(path).map_err(|e| format!("无法读取文件（{e}）"))?;
            Ok(vec![read_csv(&bytes)?])
        }
        "xlsx" | "xlsm" | "xls" | "xla" | "xlsb" | "ods" => read_workbook(path),
        "et" | "ett" => Err("这是 WPS 表格专用格式（.et），无法直接读取".to_string()),
        _ => Err(format!(
            "无法识别的文件类型「.{ext}」，支持 .xlsx、.xls、.ods 和 .csv"
        )),
    }
}

fn read_workbook(path: &Path) -> Result<Vec<Table>, String> {
    let mut book = calamine::open_workbook_auto(path)
        .map_err(|e| format!("无法打开表格文件，文件可能已损坏或被加密（{e}）"))?;
    let mut tables = Vec::new();
    for name in book.sheet_names() {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| format!("无法读取工作表「{name}」（{e}）"))?;
        tables.push(range_table(name, &range));
    }
    Ok(tables)
}

/// calamine's range starts at the first used cell, not at A1; rows and columns are
/// shifted back so that messages name the cells staff see.
fn range_table(name: String, range: &calamine::Range<Data>) -> Table {
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let rows = range
        .rows()
        .enumerate()
        .map(|(i, cells)| {
            let mut text = vec![String::new(); col0 as usize];
            text.extend(cells.iter().map(cell_text));
            Row {
                number: row0 + i as u32 + 1,
                cells: text,
            }
        })
        .collect();
    Table {
        sheet: Some(name),
        rows,
    }
}

/// A cell as the text a person reads in it.
pub fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.replace("\r\n", "\n"),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_text(*f),
        Data::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, h, min, s, _) = dt.to_ymd_hms_milli();
            if (h, min, s) == (0, 0, 0) {
                format!("{y:04}-{m:02}-{d:02}")
            } else {
                format!("{y:04}-{m:02}-{d:02} {h:02}:{min:02}")
            }
        }
        Data::DateTime(dt) => float_text(dt.as_f64()),
        Data::DateTimeIso(s) => match s.strip_suffix("T00:00:00") {
            Some(date) => date.to_string(),
            None => s.clone(),
        },
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

/// Whole numbers without a trailing `.0` (a phone typed as a number stays 13800000000);
/// others in the shortest form that reads back the same.
fn float_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// Decodes a CSV file saved by Excel, WPS or a text editor, and splits it into rows.
pub fn read_csv(bytes: &[u8]) -> Result<Table, String> {
    let text = decode(bytes)?;
    let delimiter = sniff_delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("第{}行无法解析为 CSV（{e}）", i + 1))?;
        rows.push(Row {
            number: i as u32 + 1,
            cells: record
                .iter()
                .map(|c| unguard(&c.replace("\r\n", "\n")))
                .collect(),
        });
    }
    Ok(Table { sheet: None, rows })
}

/// Undoes the export's guard against formula injection (a `'` before `=`, `+`, `-`, `@`,
/// tab or line break), so an exported summary table imports back unchanged.
fn unguard(cell: &str) -> String {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r', '\n']) => rest.to_string(),
        _ => cell.to_string(),
    }
}

/// UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"), otherwise
/// GB18030, which covers GBK and GB2312 as saved by Chinese Windows and WPS.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let (text, malformed) = encoding.decode_without_bom_handling(&bytes[bom..]);
        if malformed {
            return Err(format!(
                "文件以 {} 标记开头，但内容含有无效字符",
                encoding.name()
            ));
        }
        return Ok(text.into_owned());
    }
    if let Some(text) = UTF_8.decode_without_bom_handling_and_without_replacement(bytes) {
        return Ok(text.into_owned());
    }
    GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|t| t.into_owned())
        .ok_or_else(|| "无法识别文件编码（既不是 UTF-8，也不是 GBK/GB18030）".to_string())
}

/// Comma unless the first lines clearly use tabs or semicolons (Excel's "text" export
/// and European locales).
fn sniff_delimiter(text: &str) -> u8 {
    let head: String = text.lines().take(10).collect::<Vec<_>>().join("\n");
    let count = |c: char| head.matches(c).count();
    let (commas, tabs, semis) = (count(','), count('\t'), count(';'));
    if tabs > commas && tabs >= semis {
        b'\t'
    } else if semis > commas && semis > tabs {
        b';'
    } else {
        b','
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Integers stored as floats lose their `.0`; fractions keep their digits.
    #[test]
    fn floats_read_as_people_see_them() {
        assert_eq!(cell_text(&Data::Float(13800000000.0)), "13800000000");
        assert_eq!(cell_text(&Data::Float(2010.0)), "2010");
        assert_eq!(cell_text(&Data::Float(86500.5)), "86500.5");
        assert_eq!(cell_text(&Data::Float(0.965)), "0.965");
        assert_eq!(cell_text(&Data::Int(-3)), "-3");
    }

    // Excel serial dates become calendar dates (45889 is 2025-08-20).
    #[test]
    fn serial_dates_become_dates() {
        let dt =
            calamine::ExcelDateTime::new(45889.0, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(cell_text(&Data::DateTime(dt)), "2025-08-20");
        assert_eq!(
            cell_text(&Data::DateTimeIso("2025-08-20T00:00:00".into())),
            "2025-08-20"
        );
    }

    // UTF-8 with and without BOM, and GBK, all decode to the same text.
    #[test]
    fn encodings() {
        let s = "小区名称,地址\n阳光花园,容州镇\n";
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(s.as_bytes());
        assert_eq!(decode(&bom).unwrap(), s);
        assert_eq!(decode(s.as_bytes()).unwrap(), s);
        let (gbk, _, bad) = encoding_rs::GBK.encode(s);
        assert!(!bad);
        assert_eq!(decode(&gbk).unwrap(), s);
    }

    // The export's `'` guard before a formula-like cell is removed on import; other
    // apostrophes are the author's and stay.
    #[test]
    fn formula_guard_is_undone() {
        let t = read_csv("'=1+1,'-5,'plain,@x\n".as_bytes()).unwrap();
        assert_eq!(t.rows[0].cells, ["=1+1", "-5", "'plain", "@x"]);
    }

    // Tab-separated text and quoted cells with commas and line breaks are read as cells.
    #[test]
    fn csv_cells() {
        let t = read_csv("a\tb\n\"x, y\"\t\"1\r\n2\"\n".as_bytes()).unwrap();
        assert_eq!(t.rows[1].cells, vec!["x, y", "1\n2"]);
        assert_eq!(t.rows[1].number, 2);
        let t = read_csv("序号,小区名称\n1,\"阳光,花园\"\n".as_bytes()).unwrap();
        assert_eq!(t.rows[1].cells, vec!["1", "阳光,花园"]);
    }
}
