//! Import problems located in spreadsheet terms (file, 工作表, 第N行, D列 and its header).

use std::fmt;

use crate::diag::Severity;

/// Where in the spreadsheet a problem is: as narrow as is known.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Place {
    /// The file name as staff know it (no folders), e.g. `容县汇总表.xlsx`.
    pub file: String,
    /// Worksheet name; `None` for CSV, which has no sheets.
    pub sheet: Option<String>,
    /// 1-based row number as the spreadsheet program shows it.
    pub row: Option<u32>,
    /// 0-based column index and the header text of that column.
    pub column: Option<(usize, String)>,
}

impl Place {
    pub fn file(file: &str) -> Self {
        Place {
            file: file.to_string(),
            ..Place::default()
        }
    }

    pub fn sheet(file: &str, sheet: Option<&str>) -> Self {
        Place {
            file: file.to_string(),
            sheet: sheet.map(str::to_string),
            ..Place::default()
        }
    }

    pub fn at_row(&self, row: u32) -> Self {
        Place {
            row: Some(row),
            column: None,
            ..self.clone()
        }
    }

    pub fn at_column(&self, index: usize, header: &str) -> Self {
        Place {
            column: Some((index, header.to_string())),
            ..self.clone()
        }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(sheet) = &self.sheet {
            write!(f, " 工作表「{sheet}」")?;
        } else if self.row.is_some() || self.column.is_some() {
            f.write_str(" ")?;
        }
        if let Some(row) = self.row {
            write!(f, "第{row}行")?;
        }
        if let Some((index, header)) = &self.column {
            if self.row.is_some() {
                f.write_str(" ")?;
            }
            write!(f, "{}列", column_letters(*index))?;
            if !header.is_empty() {
                write!(f, "（{header}）")?;
            }
        }
        Ok(())
    }
}

/// Spreadsheet column letters: 0 → A, 25 → Z, 26 → AA.
pub fn column_letters(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// One import problem, shown the way `diag::Diagnostic` shows content problems.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    pub severity: Severity,
    pub place: Place,
    pub message: String,
    pub hint: Option<String>,
}

impl Issue {
    pub fn error(place: Place, message: impl Into<String>) -> Self {
        Issue {
            severity: Severity::Error,
            place,
            message: message.into(),
            hint: None,
        }
    }

    pub fn warning(place: Place, message: impl Into<String>) -> Self {
        Issue {
            severity: Severity::Warning,
            ..Issue::error(place, message)
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        };
        write!(f, "{}: {label}：{}", self.place, self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  提示：{hint}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Column letters follow the spreadsheet convention past Z.
    #[test]
    fn letters() {
        let cases = [
            (0, "A"),
            (3, "D"),
            (25, "Z"),
            (26, "AA"),
            (27, "AB"),
            (701, "ZZ"),
            (702, "AAA"),
        ];
        for (i, want) in cases {
            assert_eq!(column_letters(i), want, "{i}");
        }
    }

    // A cell is named by file, sheet, row, column letter and the column's header.
    #[test]
    fn place_reads_like_a_spreadsheet() {
        let p = Place::sheet("容县.xlsx", Some("Sheet1"))
            .at_row(5)
            .at_column(3, "小区名称");
        assert_eq!(
            p.to_string(),
            "容县.xlsx 工作表「Sheet1」第5行 D列（小区名称）"
        );
        let csv = Place::sheet("容县.csv", None).at_row(2);
        assert_eq!(csv.to_string(), "容县.csv 第2行");
        let e = Issue::error(p, "「小区名称」不能为空").hint("请补填");
        assert_eq!(
            e.to_string(),
            "容县.xlsx 工作表「Sheet1」第5行 D列（小区名称）: 错误：「小区名称」不能为空\n  提示：请补填"
        );
    }
}
