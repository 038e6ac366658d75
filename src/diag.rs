//! Diagnostics: located Chinese errors and warnings, collected across the whole run.

use std::fmt;
use std::path::{Path, PathBuf};

/// A position in a source file, 1-based. `line == 0` means "the whole file".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

impl Pos {
    pub const FILE: Pos = Pos { line: 0, col: 0 };

    pub fn new(line: u32, col: u32) -> Self {
        Pos { line, col }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem the user must see: where, what, and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site root, with `/` separators.
    pub file: String,
    pub pos: Pos,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(file: &Path, pos: Pos, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, file, pos, message)
    }

    pub fn warning(file: &Path, pos: Pos, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, file, pos, message)
    }

    fn new(severity: Severity, file: &Path, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            file: display_path(file),
            pos,
            message: clip(message.into()),
            hint: None,
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(clip(hint.into()));
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Longest quoted value shown in full inside a message, in characters.
const MAX_QUOTED_CHARS: usize = 60;
/// Longest message or hint, in characters; only a runaway echoed value can reach it.
const MAX_MESSAGE_CHARS: usize = 1000;

/// Messages quote the author's values between backticks. A value may be a whole megabyte
/// on one line; printing it would bury every other problem, so long quotes keep their
/// start and say how long they were.
fn clip(text: String) -> String {
    if text.chars().count() <= MAX_QUOTED_CHARS {
        return text;
    }
    let mut out = String::with_capacity(text.len().min(4 * MAX_MESSAGE_CHARS));
    for (i, part) in text.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        let inside_quotes = i % 2 == 1;
        let n = part.chars().count();
        if inside_quotes && n > MAX_QUOTED_CHARS {
            out.extend(part.chars().take(MAX_QUOTED_CHARS / 2));
            out.push_str(&format!("…（共 {n} 个字符）"));
        } else {
            out.push_str(part);
        }
    }
    if out.chars().count() > MAX_MESSAGE_CHARS {
        out = out.chars().take(MAX_MESSAGE_CHARS).collect();
        out.push_str("…（信息过长，已截断）");
    }
    out
}

/// Paths are shown with forward slashes so messages read the same on every system.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        };
        if self.pos.line == 0 {
            write!(f, "{}: {label}：{}", self.file, self.message)?;
        } else {
            write!(
                f,
                "{}:{}:{}: {label}：{}",
                self.file, self.pos.line, self.pos.col, self.message
            )?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  提示：{hint}")?;
        }
        Ok(())
    }
}

/// Collects every diagnostic of a run; nothing stops at the first problem.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// Sorted by file, then position, errors before warnings at the same place; duplicates
    /// (the same problem found twice) are shown once.
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let mut v = self.items.clone();
        v.sort_by(|a, b| {
            (&a.file, a.pos, a.severity, &a.message).cmp(&(&b.file, b.pos, b.severity, &b.message))
        });
        v.dedup();
        v
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// What to print: `sorted()`, but with at most `per_kind` diagnostics of one kind per
    /// file, followed by one line counting the rest. A pasted 10,000-row list with one
    /// mistake repeated would otherwise print 10,000 near-identical errors and push the
    /// distinct ones off the screen; the first few, with their lines, show the pattern.
    pub fn for_display(&self, per_kind: usize) -> Vec<Shown> {
        /// Same-kind diagnostics of the file being walked, in order of first appearance.
        struct Kind {
            key: (String, Severity),
            seen: usize,
            sample: String,
        }
        fn flush(out: &mut Vec<Shown>, file: &str, kinds: &mut Vec<Kind>, per_kind: usize) {
            for k in kinds.drain(..).filter(|k| k.seen > per_kind) {
                out.push(Shown::Omitted {
                    file: file.to_string(),
                    severity: k.key.1,
                    count: k.seen - per_kind,
                    sample: k.sample,
                });
            }
        }
        let mut out = Vec::new();
        let mut kinds: Vec<Kind> = Vec::new();
        let mut file = String::new();
        for d in self.sorted() {
            if d.file != file {
                flush(&mut out, &file, &mut kinds, per_kind);
                file = d.file.clone();
            }
            let key = (kind_of(&d.message), d.severity);
            let seen = match kinds.iter_mut().find(|k| k.key == key) {
                Some(k) => {
                    k.seen += 1;
                    k.seen
                }
                None => {
                    kinds.push(Kind {
                        key,
                        seen: 1,
                        sample: d.message.clone(),
                    });
                    1
                }
            };
            if seen <= per_kind {
                out.push(Shown::Diagnostic(d));
            }
        }
        flush(&mut out, &file, &mut kinds, per_kind);
        out
    }
}

/// How many diagnostics of one kind `check` prints per file.
pub const SHOWN_PER_KIND: usize = 10;

/// Messages that differ only in the quoted values and numbers are the same kind of problem.
fn kind_of(message: &str) -> String {
    let unquoted = message.split('`').step_by(2).collect::<Vec<_>>().join("``");
    let mut kind = String::with_capacity(unquoted.len());
    for c in unquoted.chars() {
        if c.is_ascii_digit() {
            if !kind.ends_with('#') {
                kind.push('#');
            }
        } else {
            kind.push(c);
        }
    }
    kind
}

/// One printed entry: a diagnostic, or the count of same-kind ones left out after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shown {
    Diagnostic(Diagnostic),
    Omitted {
        file: String,
        severity: Severity,
        count: usize,
        sample: String,
    },
}

impl fmt::Display for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Shown::Diagnostic(d) => d.fmt(f),
            Shown::Omitted {
                file,
                severity,
                count,
                sample,
            } => {
                let label = match severity {
                    Severity::Error => "错误",
                    Severity::Warning => "警告",
                };
                write!(
                    f,
                    "{file}: ……还有 {count} 个类似的{label}未逐条列出（与“{sample}”同类）\n  提示：改好上面列出的几处后重新运行，会列出剩下的问题"
                )
            }
        }
    }
}

/// A file path joined for messages: `root`-relative when possible.
pub fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(file: &str, line: u32, message: &str) -> Diagnostic {
        Diagnostic::error(Path::new(file), Pos::new(line, 1), message)
    }

    // A megabyte-long value quoted in a message is cut to its start and its length.
    #[test]
    fn long_quoted_values_are_clipped() {
        let d = err(
            "e.yaml",
            2,
            &format!("县（市、区）`{}` 不在名单中", "长".repeat(300_000)),
        );
        assert!(d.message.chars().count() < 100, "{}", d.message);
        assert!(d.message.contains("（共 300000 个字符）"));
        assert!(d.message.ends_with("` 不在名单中"));
        let short = err("e.yaml", 2, "县（市、区）`容县` 不在名单中");
        assert_eq!(short.message, "县（市、区）`容县` 不在名单中");
    }

    // An unquoted runaway message is truncated as a last resort.
    #[test]
    fn runaway_message_is_truncated() {
        let d = err("e.yaml", 1, &"x".repeat(50_000));
        assert!(d.message.chars().count() < MAX_MESSAGE_CHARS + 20);
        assert!(d.message.ends_with("已截断）"));
    }

    // Repeats of one kind are shown ten times per file, then counted; other kinds and
    // other files are unaffected, and the totals still count everything.
    #[test]
    fn repeated_kinds_are_grouped() {
        let mut diags = Diagnostics::default();
        for i in 0..100 {
            diags.push(err(
                "a.yaml",
                10 + i,
                &format!("找不到文件 `files/{i}.jpg`"),
            ));
            diags.push(err(
                "a.yaml",
                200 + i,
                &format!("分值 {} 超出范围", 101 + i),
            ));
        }
        diags.push(err("a.yaml", 500, "缺少必填字段 `name`"));
        diags.push(err("b.yaml", 1, "找不到文件 `files/x.jpg`"));
        let shown = diags.for_display(SHOWN_PER_KIND);
        let text: Vec<String> = shown.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 10 + 10 + 1 + 2 + 1, "{text:#?}");
        assert!(text[21].contains("还有 90 个类似的错误"), "{}", text[21]);
        assert!(text[21].contains("files/0.jpg"), "{}", text[21]);
        assert!(text[22].contains("还有 90 个类似的错误"), "{}", text[22]);
        assert!(text[23].starts_with("b.yaml:1:1"), "{}", text[23]);
        assert_eq!(diags.error_count(), 202);
    }
}
