//! Splits a Markdown file into its YAML front matter and body, keeping file line numbers.

/// The front matter text, the line in the file where it starts, the body and the line
/// where the body starts.
#[derive(Debug, PartialEq)]
pub struct Split<'a> {
    pub front: &'a str,
    pub front_first_line: u32,
    pub body: &'a str,
    pub body_first_line: u32,
}

#[derive(Debug, PartialEq)]
pub enum SplitError {
    /// The file does not start with a `---` line.
    Missing,
    /// The opening `---` has no closing `---`.
    Unclosed,
}

/// Front matter is the block between a first line `---` and the next line that is `---`
/// (or `...`). A leading byte-order mark and CRLF line ends are accepted.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().ok_or(SplitError::Missing)?;
    if first.trim_end() != "---" {
        return Err(SplitError::Missing);
    }
    let front_start = first.len();
    let mut offset = front_start;
    let mut line_no = 1u32;
    for line in lines {
        line_no += 1;
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return Ok(Split {
                front: &text[front_start..offset],
                front_first_line: 2,
                body: &text[offset + line.len()..],
                body_first_line: line_no + 1,
            });
        }
        offset += line.len();
    }
    Err(SplitError::Unclosed)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Front matter and body are separated and the body's first file line is known.
    #[test]
    fn splits_with_lines() {
        let s = split("---\ntitle: 标题\ntags: [a]\n---\n正文\n").unwrap();
        assert_eq!(s.front, "title: 标题\ntags: [a]\n");
        assert_eq!(s.front_first_line, 2);
        assert_eq!(s.body, "正文\n");
        assert_eq!(s.body_first_line, 5);
    }

    // BOM and CRLF files from Windows editors split the same way.
    #[test]
    fn bom_and_crlf() {
        let s = split("\u{feff}---\r\ntitle: a\r\n---\r\nbody").unwrap();
        assert_eq!(s.front, "title: a\r\n");
        assert_eq!(s.body, "body");
    }

    // A file without front matter, and one never closed, are told apart.
    #[test]
    fn missing_and_unclosed() {
        assert_eq!(split("# 标题\n"), Err(SplitError::Missing));
        assert_eq!(split("---\ntitle: a\n"), Err(SplitError::Unclosed));
        assert_eq!(split(""), Err(SplitError::Missing));
    }
}
