//! Load: find the content files, read them, and parse each into a located YAML tree (and a
//! Markdown body for `.md` files). Nothing here knows what a field means.

pub mod cache;
pub mod frontmatter;
pub mod prelint;
pub mod yaml;

use rayon::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

use crate::diag::{Diagnostic, Diagnostics, Pos};
use crate::model::Markdown;
use yaml::Node;

/// The largest content file read; anything bigger is certainly not a hand-written record.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// The longest line of a content file. The longest real paragraph is a few thousand
/// characters; a longer line is a pasted image (`data:` URL), a minified blob or a file
/// that lost its line ends, and would otherwise be echoed whole into error messages.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// Everything under `content/`, parsed but not yet interpreted.
#[derive(Debug, Default)]
pub struct Loaded {
    pub site: Option<YamlDoc>,
    pub calendar: Option<YamlDoc>,
    pub pages: Vec<MarkdownDoc>,
}

/// A parsed YAML file. `path` is relative to the site root, for messages.
#[derive(Clone, Debug)]
pub struct YamlDoc {
    pub path: PathBuf,
    pub slug: String,
    pub node: Node,
}

/// A parsed Markdown file with front matter.
#[derive(Clone, Debug)]
pub struct MarkdownDoc {
    pub path: PathBuf,
    pub slug: String,
    pub front: Node,
    pub body: Markdown,
}

/// One `content/campaigns/<year>/` folder.
#[derive(Debug, Default)]
pub struct CampaignFiles {
    /// Relative to the site root.
    pub dir: PathBuf,
    pub dir_name: String,
    pub campaign: Option<YamlDoc>,
    pub notice: Option<MarkdownDoc>,
    /// The estate and case-study files, found but not read yet: `read_yaml_files` and
    /// `read_markdown_files` read them when their records can be built right away.
    pub estates: Vec<PathBuf>,
    pub experiences: Vec<PathBuf>,
    /// Files under `files/`, relative to the campaign folder, `/`-separated, sorted.
    pub files: Vec<String>,
}

/// The campaign folders under `content/campaigns/`, sorted.
pub fn campaign_dirs(root: &Path) -> Vec<PathBuf> {
    let campaigns = root.join("content").join("campaigns");
    sorted_entries(&campaigns)
        .into_iter()
        .filter(|e| e.is_dir)
        .map(|e| e.path)
        .collect()
}

/// Everything but the campaign folders, which a caller reads one year at a time
/// (`campaign_dirs`, `load_campaign`). Every problem is pushed to `diags`; whatever could
/// be read is returned so later stages can report more.
pub fn load_site(root: &Path, diags: &mut Diagnostics) -> Loaded {
    let content = root.join("content");
    let mut loaded = Loaded::default();
    if !content.is_dir() {
        diags.push(
            Diagnostic::error(Path::new("content"), Pos::FILE, "找不到 content 文件夹")
                .hint("请在网站根目录运行，或用 --root 指定网站根目录；新建网站可运行 `jiayuan init 目录名`"),
        );
        return loaded;
    }
    if content.join("site.yaml").is_file() {
        loaded.site = site_file(root, diags);
    } else {
        diags.push(
            Diagnostic::error(
                Path::new("content/site.yaml"),
                Pos::FILE,
                "缺少网站设置文件 site.yaml",
            )
            .hint("请创建 content/site.yaml，至少填写 title、base_url、publisher"),
        );
    }
    loaded.calendar = calendar_file(root, diags);
    loaded.pages = read_markdown_dir(root, &content.join("pages"), diags);
    loaded
}

/// Reads `content/site.yaml` alone, when it exists.
pub fn site_file(root: &Path, diags: &mut Diagnostics) -> Option<YamlDoc> {
    let path = root.join("content").join("site.yaml");
    path.is_file()
        .then(|| read_yaml(root, &path, diags))
        .flatten()
}

/// Reads `content/calendar.yaml` alone, when it exists.
pub fn calendar_file(root: &Path, diags: &mut Diagnostics) -> Option<YamlDoc> {
    let path = root.join("content").join("calendar.yaml");
    path.is_file()
        .then(|| read_yaml(root, &path, diags))
        .flatten()
}

/// Reads one campaign folder (one of `campaign_dirs`), except its estates and case
/// studies, which are only listed.
pub fn load_campaign(root: &Path, dir: &Path, diags: &mut Diagnostics) -> CampaignFiles {
    let mut c = CampaignFiles {
        dir: rel(root, dir),
        dir_name: file_name(dir),
        ..Default::default()
    };
    let campaign = dir.join("campaign.yaml");
    if campaign.is_file() {
        c.campaign = read_yaml(root, &campaign, diags);
    } else {
        diags.push(
            Diagnostic::error(&rel(root, &campaign), Pos::FILE, "缺少活动设置文件 campaign.yaml")
                .hint("每个年度文件夹都需要 campaign.yaml；可参照示例网站的 content/campaigns/2025/campaign.yaml"),
        );
    }
    let notice = dir.join("notice.md");
    if notice.is_file() {
        c.notice = read_markdown(root, &notice, diags);
    }
    c.estates = record_files(root, &dir.join("estates"), &["yaml", "yml"], diags);
    c.experiences = record_files(root, &dir.join("experiences"), &["md"], diags);
    let files = dir.join("files");
    if files.is_dir() {
        c.files = WalkDir::new(&files)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file() && !is_ignored(e.path()))
            .map(|e| crate::diag::display_path(&rel(dir, e.path())))
            .collect();
    }
    c
}

/// Every file `validate::campaign_with_records` reads of the campaign folder `dir` (as
/// `load_campaign` listed it in `files`): its settings and notice, where there are any,
/// and its estates and case studies. Its records depend on these and on the names of its
/// attachments (`CampaignFiles::files`), nothing else.
pub fn campaign_sources(dir: &Path, files: &CampaignFiles) -> Vec<PathBuf> {
    let mut read: Vec<PathBuf> = ["campaign.yaml", "notice.md"]
        .iter()
        .map(|name| dir.join(name))
        .filter(|p| p.is_file())
        .collect();
    read.extend(files.estates.iter().cloned());
    read.extend(files.experiences.iter().cloned());
    read
}

fn read_markdown_dir(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Vec<MarkdownDoc> {
    let paths = record_files(root, dir, &["md"], diags);
    read_markdown_files(root, &paths, 0, diags, |doc, _| doc)
}

/// Reads and parses YAML files in parallel and hands each document to `each` in the
/// worker that read it, so that a caller can build its record and drop the tree at once
/// rather than hold every tree of a year. Results and diagnostics (reading problems,
/// then whatever `each` reports) keep the files' order; files that cannot be read or
/// parsed give no result. `context` stands for everything besides the file that `each`
/// reads: with the preview's cache on, a file whose bytes and context are unchanged gives
/// its last result without being parsed (see `cache`).
pub fn read_yaml_files<T: Clone + Send + Sync + 'static>(
    root: &Path,
    paths: &[PathBuf],
    context: u64,
    diags: &mut Diagnostics,
    each: impl Fn(YamlDoc, &mut Diagnostics) -> T + Sync,
) -> Vec<T> {
    read_all(root, paths, context, diags, yaml_doc, each)
}

/// `read_yaml_files` for Markdown files with front matter.
pub fn read_markdown_files<T: Clone + Send + Sync + 'static>(
    root: &Path,
    paths: &[PathBuf],
    context: u64,
    diags: &mut Diagnostics,
    each: impl Fn(MarkdownDoc, &mut Diagnostics) -> T + Sync,
) -> Vec<T> {
    read_all(root, paths, context, diags, markdown_doc, each)
}

/// Turns a file's text into a document: (the file, its path for messages, the text).
type Parse<D> = fn(&Path, &Path, &str, &mut Diagnostics) -> Option<D>;

fn read_all<D, T: Clone + Send + Sync + 'static>(
    root: &Path,
    paths: &[PathBuf],
    context: u64,
    diags: &mut Diagnostics,
    parse: Parse<D>,
    each: impl Fn(D, &mut Diagnostics) -> T + Sync,
) -> Vec<T> {
    let results: Vec<_> = paths
        .par_iter()
        .map(|p| {
            let mut d = Diagnostics::default();
            let out = read_file(root, p, context, &mut d, |relp, text, d| {
                parse(p, relp, text, d).map(|doc| each(doc, d))
            });
            (out, d)
        })
        .collect();
    let mut out = Vec::with_capacity(results.len());
    for (result, d) in results {
        diags.extend(d);
        out.extend(result);
    }
    out
}

/// Record files of a folder, sorted; other files are reported and skipped.
fn record_files(root: &Path, dir: &Path, exts: &[&str], diags: &mut Diagnostics) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in sorted_entries(dir) {
        let (p, is_file) = (entry.path, entry.is_file);
        if is_ignored(&p) {
            continue;
        }
        let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
        if is_file && exts.contains(&ext) {
            out.push(p);
        } else {
            diags.push(
                Diagnostic::warning(&rel(root, &p), Pos::FILE, "这个文件不是记录文件，已忽略")
                    .hint(format!(
                        "此文件夹只读取扩展名为 .{} 的文件；附件请放到年度文件夹下的 files/ 中",
                        exts[0]
                    )),
            );
        }
    }
    out
}

/// A directory entry and what it is, following symbolic links as `Path::is_file` does.
struct Entry {
    path: PathBuf,
    is_file: bool,
    is_dir: bool,
}

/// Sorted directory entries; a missing folder is simply empty.
fn sorted_entries(dir: &Path) -> Vec<Entry> {
    let Ok(rd) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut v: Vec<Entry> = rd
        .filter_map(Result::ok)
        .map(|e| {
            let path = e.path();
            // The type comes with the directory listing; only links need a `stat`.
            let (is_file, is_dir) = match e.file_type() {
                Ok(t) if !t.is_symlink() => (t.is_file(), t.is_dir()),
                _ => (path.is_file(), path.is_dir()),
            };
            Entry {
                path,
                is_file,
                is_dir,
            }
        })
        .collect();
    // Same parent, so the paths' bytes sort as the names' do; comparing them as strings
    // skips splitting every path into components at each comparison.
    v.sort_unstable_by(|a, b| a.path.as_os_str().cmp(b.path.as_os_str()));
    v
}

/// Hidden files and editor leftovers (`.swp`, `~`, `#…#`) are never content.
pub fn is_ignored(path: &Path) -> bool {
    let name = file_name(path);
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
        || name.starts_with("~$")
}

fn read_yaml(root: &Path, path: &Path, diags: &mut Diagnostics) -> Option<YamlDoc> {
    read_file(root, path, 0, diags, |relp, text, d| {
        yaml_doc(path, relp, text, d)
    })
}

fn read_markdown(root: &Path, path: &Path, diags: &mut Diagnostics) -> Option<MarkdownDoc> {
    read_file(root, path, 0, diags, |relp, text, d| {
        markdown_doc(path, relp, text, d)
    })
}

fn yaml_doc(path: &Path, relp: &Path, text: &str, diags: &mut Diagnostics) -> Option<YamlDoc> {
    Some(YamlDoc {
        slug: file_stem(path),
        path: relp.to_path_buf(),
        node: parse_yaml(relp, text, 0, diags)?,
    })
}

fn markdown_doc(
    path: &Path,
    relp: &Path,
    text: &str,
    diags: &mut Diagnostics,
) -> Option<MarkdownDoc> {
    let (front, body) = split_markdown(relp, text, diags)?;
    Some(MarkdownDoc {
        slug: file_stem(path),
        path: relp.to_path_buf(),
        front,
        body,
    })
}

/// A Markdown file's front matter, parsed, and its body.
fn split_markdown(relp: &Path, text: &str, diags: &mut Diagnostics) -> Option<(Node, Markdown)> {
    let split = match frontmatter::split(text) {
        Ok(s) => s,
        Err(frontmatter::SplitError::Missing) => {
            diags.push(
                Diagnostic::error(relp, Pos::new(1, 1), "文件开头缺少信息块（front matter）").hint(
                    "文件第一行应为 `---`，接着写 title 等字段，再用一行 `---` 结束，然后才是正文",
                ),
            );
            return None;
        }
        Err(frontmatter::SplitError::Unclosed) => {
            diags.push(
                Diagnostic::error(relp, Pos::new(1, 1), "信息块没有结束标记")
                    .hint("在字段之后、正文之前加一行 `---`"),
            );
            return None;
        }
    };
    let offset = split.front_first_line - 1;
    let front = parse_yaml(relp, split.front, offset, diags)?;
    let body = Markdown {
        text: split.body.to_string(),
        first_line: split.body_first_line,
    };
    Some((front, body))
}

fn parse_yaml(relp: &Path, text: &str, line_offset: u32, diags: &mut Diagnostics) -> Option<Node> {
    let slips = prelint::check(text, line_offset + 1);
    if !slips.is_empty() {
        for s in slips {
            diags.push(Diagnostic::error(relp, s.pos, s.message).hint(s.hint));
        }
        return None;
    }
    match yaml::parse(text, line_offset) {
        Ok(node) => Some(node),
        Err(e) => {
            diags.push(Diagnostic::error(relp, e.pos, e.message).hint(e.hint));
            None
        }
    }
}

thread_local! {
    /// Each worker reads every file into the same buffer: no file's text outlives its
    /// parse (trees and bodies own their strings), and a fresh multi-kilobyte allocation
    /// per file cost more in malloc than the reading itself.
    static TEXT: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Reads a file within the size limit, checks that it is UTF-8 text a person wrote, and
/// hands the text (with the file's path for messages) to `make`, or, with the preview's
/// cache on, takes what `make` gave for the same bytes and `context` last time.
fn read_file<T: Clone + Send + Sync + 'static>(
    root: &Path,
    path: &Path,
    context: u64,
    diags: &mut Diagnostics,
    make: impl FnOnce(&Path, &str, &mut Diagnostics) -> Option<T>,
) -> Option<T> {
    let relp = rel(root, path);
    // With the preview's cache on, a file its `stat` vouches for is not read again.
    let seen = cache::look(path);
    if let Some(now) = &seen
        && let Some(kept) = cache::unchanged(&relp, context, now, diags)
    {
        return kept;
    }
    TEXT.with_borrow_mut(|bytes| {
        if !read_bytes(&relp, path, bytes, diags) {
            return None;
        }
        cache::remembered(&relp, context, bytes, seen, diags, |bytes, diags| {
            make(&relp, as_text(&relp, bytes, diags)?, diags)
        })
    })
}

/// Reads the file at `path` into `bytes`, within the size limit; false (with the
/// problem in `diags`) when it cannot.
fn read_bytes(relp: &Path, path: &Path, bytes: &mut Vec<u8>, diags: &mut Diagnostics) -> bool {
    let unreadable = |e: std::io::Error, diags: &mut Diagnostics| {
        diags.push(Diagnostic::error(
            relp,
            Pos::FILE,
            format!("无法读取文件：{e}"),
        ));
        false
    };
    let too_big = |len: u64, diags: &mut Diagnostics| {
        diags.push(
            Diagnostic::error(
                relp,
                Pos::FILE,
                format!(
                    "文件过大（{:.1} MB），超过单个记录文件 {} MB 的上限",
                    len as f64 / 1048576.0,
                    MAX_FILE_BYTES / 1048576
                ),
            )
            .hint("一个文件只写一个小区或一篇案例；图片和附件请放到 files/ 文件夹"),
        );
        false
    };
    // One open and one `fstat` per file. When the open fails, `stat` decides what to say,
    // as it did when it came first: a file too big is reported as such even if unreadable.
    let file = match fs::File::open(path) {
        Ok(f) => f,
        Err(open) => {
            return match fs::metadata(path) {
                Err(e) => unreadable(e, diags),
                Ok(m) if m.len() > MAX_FILE_BYTES => too_big(m.len(), diags),
                Ok(_) => unreadable(open, diags),
            };
        }
    };
    let len = match file.metadata() {
        Ok(m) => m.len(),
        Err(e) => return unreadable(e, diags),
    };
    if len > MAX_FILE_BYTES {
        return too_big(len, diags);
    }
    bytes.clear();
    bytes.reserve(len as usize + 1);
    // `File::read_to_end` would ask the kernel for the size and the position again (a
    // statx and an lseek per file); through `Take` it just fills the room reserved above.
    if let Err(e) = std::io::Read::read_to_end(&mut std::io::Read::take(&file, u64::MAX), bytes) {
        return unreadable(e, diags);
    }
    true
}

/// The file's bytes as text, when they are UTF-8 without NUL bytes or overlong lines;
/// otherwise `None`, with the problem in `diags`.
fn as_text<'b>(relp: &Path, bytes: &'b [u8], diags: &mut Diagnostics) -> Option<&'b str> {
    if memchr::memchr(0, bytes).is_some() {
        diags.push(
            Diagnostic::error(relp, Pos::FILE, "这不是文本文件（含有二进制内容）")
                .hint("记录文件必须是纯文本；Word、Excel 文件请放到 files/ 文件夹，或用 `jiayuan import` 导入表格"),
        );
        return None;
    }
    // Records are mostly Chinese, where the standard check goes a byte at a time; the
    // vectorised one was measured about ten times as fast on them.
    match simdutf8::compat::from_utf8(bytes) {
        Ok(s) => {
            match long_line(s) {
                None => Some(s),
                Some((line, len)) => {
                    diags.push(
                    Diagnostic::error(
                        relp,
                        Pos::new(line, 1),
                        format!(
                            "这一行过长（{} KB），超过单行 {} KB 的上限",
                            len.div_ceil(1024),
                            MAX_LINE_BYTES / 1024
                        ),
                    )
                    .hint("请在段落之间换行；图片不要直接粘贴进文件，请放到 files/ 文件夹后写出路径"),
                );
                    None
                }
            }
        }
        Err(e) => {
            let upto = &bytes[..e.valid_up_to()];
            let text = String::from_utf8_lossy(upto);
            // A stand-in for the first bad byte, so that it is counted on its own line.
            let probe = format!("{text}?");
            let (line, last) = lines(&probe).fold((0, ""), |(n, _), l| (n + 1, l));
            let col = last.chars().count() as u32;
            diags.push(
                Diagnostic::error(
                    relp,
                    Pos::new(line as u32, col),
                    "文件不是 UTF-8 编码（可能是按 GBK/ANSI 编码保存的），从这里开始的文字无法读取",
                )
                .hint("请用记事本或 WPS 打开这个文件，“另存为”时把编码选为 UTF-8，再运行检查"),
            );
            None
        }
    }
}

/// Lines as YAML and text editors count them: `\n`, `\r\n` and a lone `\r` each end one,
/// so that every line number we report matches the parser's and the editor's.
/// Like `str::lines`, a final line break does not start another line.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let s = rest?;
        match memchr::memchr2(b'\n', b'\r', s.as_bytes()) {
            Some(i) => {
                let eol = if s[i..].starts_with("\r\n") { 2 } else { 1 };
                rest = Some(&s[i + eol..]);
                Some(&s[..i])
            }
            None => {
                rest = None;
                (!s.is_empty()).then_some(s)
            }
        }
    })
}

/// The first line longer than the limit: its 1-based number and length in bytes.
fn long_line(text: &str) -> Option<(u32, usize)> {
    // Nearly every file is shorter than one line may be.
    if text.len() <= MAX_LINE_BYTES {
        return None;
    }
    lines(text)
        .enumerate()
        .find(|(_, l)| l.len() > MAX_LINE_BYTES)
        .map(|(i, l)| (i as u32 + 1, l.len()))
}

pub fn rel(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Lone CR, CRLF and LF all end a line, as in YAML and editors; no empty last line.
    #[test]
    fn lines_like_yaml() {
        let v: Vec<&str> = lines("a\r\nb\rc\n\nd").collect();
        assert_eq!(v, ["a", "b", "c", "", "d"]);
        assert_eq!(lines("a\n").count(), 1);
        assert_eq!(lines("").count(), 0);
        assert_eq!(lines("\r").collect::<Vec<_>>(), [""]);
    }
}
