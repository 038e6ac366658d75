//! `import`: county summary tables (推荐汇总表) → estate records, checked before any write.
//!
//! Nothing is written until every row has been read and checked; a failing row stops
//! the whole import unless the user asks to skip bad rows. Printing is the CLI's job:
//! this module returns a [`Report`].

pub mod columns;
pub mod issue;
pub mod read;
pub mod row;
pub mod site;
pub mod slug;
pub mod values;
pub mod write;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use columns::{Field, Header};
use issue::{Issue, Place};
use row::{Draft, Parsed};

/// What `jiayuan import` was asked to do.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub file: PathBuf,
    pub year: Option<i32>,
    pub county: Option<String>,
    pub dry_run: bool,
    pub force: bool,
    pub skip_bad_rows: bool,
    /// The site root (the folder holding `content/`).
    pub root: PathBuf,
}

/// What happens to one good row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Create,
    /// The same estate (county and name) has a record, and `--force` was given.
    Overwrite,
    /// The same estate has a record; left alone without `--force`.
    SkipExisting,
}

/// One good row and the file it becomes.
#[derive(Clone, Debug)]
pub struct Entry {
    pub slug: String,
    pub name: String,
    pub county: String,
    pub place: Place,
    pub action: Action,
    pub path: PathBuf,
    pub yaml: String,
}

/// Per-county tallies for the summary.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub created: usize,
    pub overwritten: usize,
    pub skipped: usize,
    pub failed: usize,
}

/// Everything the CLI shows after an import.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub year: i32,
    pub estates_dir: PathBuf,
    pub issues: Vec<Issue>,
    pub entries: Vec<Entry>,
    /// Rows that failed, with their county where it was readable.
    pub failed: Vec<Option<String>>,
    /// Known columns that are not imported (序号, 得分, 排名), by header text.
    pub ignored_columns: Vec<String>,
    /// Whether files were written (false on `--dry-run` and when errors blocked it).
    pub written: bool,
}

impl Report {
    pub fn count(&self, action: Action) -> usize {
        self.entries.iter().filter(|e| e.action == action).count()
    }

    pub fn has_errors(&self) -> bool {
        self.issues.iter().any(Issue::is_error)
    }

    /// Tallies by county, in name order; rows whose county was unreadable under "".
    pub fn by_county(&self) -> BTreeMap<String, Tally> {
        let mut map: BTreeMap<String, Tally> = BTreeMap::new();
        for e in &self.entries {
            let t = map.entry(e.county.clone()).or_default();
            match e.action {
                Action::Create => t.created += 1,
                Action::Overwrite => t.overwritten += 1,
                Action::SkipExisting => t.skipped += 1,
            }
        }
        for county in &self.failed {
            map.entry(county.clone().unwrap_or_default())
                .or_default()
                .failed += 1;
        }
        map
    }
}

/// Reads, checks and (unless told not to, or blocked by errors) writes. `Err` is a
/// problem with the file or the site as a whole: nothing was read or written.
pub fn run(opts: &Options) -> Result<Report, Box<Issue>> {
    let file_name = opts.file.file_name().map_or_else(
        || opts.file.display().to_string(),
        |n| n.to_string_lossy().to_string(),
    );
    let file_place = Place::file(&file_name);
    if !opts.file.is_file() {
        return Err(Box::new(
            Issue::error(
                Place::file(&opts.file.display().to_string()),
                "找不到这个文件",
            )
            .hint("请检查文件名和路径；路径中有空格时请用英文引号把它括起来"),
        ));
    }
    let campaign = site::find_campaign(&opts.root, opts.year)
        .map_err(|(m, h)| Box::new(Issue::error(file_place.clone(), m).hint(h)))?;
    if let (Some(given), Some(known)) = (&opts.county, &campaign.counties)
        && !known.contains(given)
    {
        let near = site::nearest_county(known, given)
            .map(|n| format!("是否应为「{n}」？"))
            .unwrap_or_default();
        return Err(Box::new(
            Issue::error(
                file_place,
                format!(
                    "--county 指定的「{given}」不在 {} 年度活动的县区名单中",
                    campaign.year
                ),
            )
            .hint(format!("{near}可选：{}", known.join("、"))),
        ));
    }
    let tables = read::read(&opts.file).map_err(|m| {
        Box::new(
            Issue::error(file_place.clone(), m)
                .hint("请在 WPS 或 Excel 中打开后另存为 .xlsx（或 UTF-8 编码的 .csv）再导入"),
        )
    })?;

    let mut report = Report {
        year: campaign.year,
        estates_dir: campaign.estates_dir(),
        ..Report::default()
    };
    if campaign.counties.is_none() {
        report.issues.push(
            Issue::warning(
                file_place.clone(),
                format!(
                    "无法读取 {} 年度 campaign.yaml 的县区名单，县（市、区）未经核对",
                    campaign.year
                ),
            )
            .hint("请检查 campaign.yaml 的 counties 字段（可运行 jiayuan check）"),
        );
    }

    let mut drafts: Vec<Draft> = Vec::new();
    let mut found_header = false;
    let mut sheet_errors = false;
    for table in &tables {
        let sheet_place = Place::sheet(&file_name, table.sheet.as_deref());
        let Some(header) = columns::find_header(table) else {
            continue;
        };
        found_header = true;
        if !check_header(&header, &sheet_place, opts.county.is_some(), &mut report) {
            sheet_errors = true;
            continue;
        }
        let sheet = row::Sheet {
            header: &header,
            place: sheet_place,
            year: campaign.year,
            counties: campaign.counties.as_deref(),
            default_county: opts.county.as_deref(),
        };
        for r in &table.rows[header.data_start..] {
            match sheet.parse(r) {
                Parsed::Skip => {}
                Parsed::Ok(draft, warnings) => {
                    report.issues.extend(warnings);
                    drafts.push(*draft);
                }
                Parsed::Failed(issues, county) => {
                    report.issues.extend(issues);
                    report.failed.push(county);
                }
            }
        }
    }
    if !found_header {
        return Err(Box::new(
            Issue::error(file_place, "找不到表头行（列名所在的行）").hint(format!(
                "表头行至少要有「{}」「{}」等两个可识别的列名；可用的列名见使用说明中的“可识别的列名”",
                Field::Name.label(),
                Field::Address.label()
            )),
        ));
    }

    drop_duplicates(&mut drafts, &mut report);
    plan(
        &drafts,
        opts,
        &campaign.estates_dir(),
        campaign.year,
        &mut report,
    );

    // A sheet that cannot be read as a whole blocks the import even with
    // `--skip-bad-rows`: skipping is for single rows, not for a wrong table.
    let blocked = sheet_errors || (report.has_errors() && !opts.skip_bad_rows);
    if !opts.dry_run && !blocked {
        write_all(&report, &file_place)?;
        report.written = true;
    }
    Ok(report)
}

/// Reports unknown and missing columns; `false` when the sheet cannot be imported.
fn check_header(header: &Header, place: &Place, has_county: bool, report: &mut Report) -> bool {
    let at = |col: usize| place.at_row(header.row_number).at_column(col, "");
    let mut seen: HashMap<Field, usize> = HashMap::new();
    let mut usable = true;
    for (col, (label, field)) in header.columns.iter().enumerate() {
        match field {
            None if label.is_empty() => {}
            None => {
                let hint = match columns::nearest_label(label) {
                    Some(near) => format!("如果这一列是「{near}」，请把列名改成「{near}」"),
                    None => {
                        "如需导入这一列，请把列名改成可识别的名称（见使用说明中的“可识别的列名”）"
                            .to_string()
                    }
                };
                report.issues.push(
                    Issue::warning(at(col), format!("未识别的列「{label}」，这一列不会导入"))
                        .hint(hint),
                );
            }
            Some(Field::Seq) => {}
            Some(f) if f.is_ignored() => {
                if !report.ignored_columns.contains(label) {
                    report.ignored_columns.push(label.clone());
                }
            }
            Some(f) => {
                if let Some(first) = seen.insert(*f, col) {
                    report.issues.push(
                        Issue::error(
                            at(col),
                            format!(
                                "「{label}」与 {} 列重复，都表示「{}」",
                                issue::column_letters(first),
                                f.label()
                            ),
                        )
                        .hint("请删除或改名其中一列，只保留一列"),
                    );
                    usable = false;
                }
            }
        }
    }
    let mut required = vec![Field::Name, Field::Address, Field::Company];
    if !has_county {
        required.push(Field::County);
    }
    for f in required {
        if header.column_of(f).is_none() {
            let hint = if f == Field::County {
                "请在表格中加上这一列，或用 --county 指定这张表所属的县（市、区）".to_string()
            } else {
                format!("请在表头行加上「{}」列", f.label())
            };
            report.issues.push(
                Issue::error(
                    place.at_row(header.row_number),
                    format!("表头中没有必填的「{}」列", f.label()),
                )
                .hint(hint),
            );
            usable = false;
        }
    }
    if header.column_of(Field::Satisfaction).is_some()
        && header.column_of(Field::Surveyed).is_none()
    {
        report.issues.push(
            Issue::warning(
                place.at_row(header.row_number),
                "表格只有满意度百分比，没有调查户数和满意户数；百分比无法换算成户数",
            )
            .hint("百分比已作为注释写入每条记录，请按申报表补填 satisfaction 的 surveyed 和 satisfied"),
        );
    }
    usable
}

/// The same estate (county and name) twice in one import: the later row fails.
fn drop_duplicates(drafts: &mut Vec<Draft>, report: &mut Report) {
    let mut first: HashMap<(String, String), Place> = HashMap::new();
    drafts.retain(|d| {
        let key = (d.estate.county.clone(), d.estate.name.clone());
        match first.get(&key) {
            Some(earlier) => {
                report.issues.push(
                    Issue::error(
                        d.place.clone(),
                        format!(
                            "「{}」在{}已经出现过（县区和小区名称都相同）",
                            key.1,
                            where_short(earlier)
                        ),
                    )
                    .hint("请删除重复的行"),
                );
                report.failed.push(Some(key.0));
                false
            }
            None => {
                first.insert(key, d.place.clone());
                true
            }
        }
    });
}

fn where_short(p: &Place) -> String {
    match (&p.sheet, p.row) {
        (Some(s), Some(r)) => format!("工作表「{s}」第{r}行"),
        (None, Some(r)) => format!("第{r}行"),
        _ => p.to_string(),
    }
}

/// Slugs and actions: an estate already on file keeps its slug; a new one gets a fresh,
/// unique slug.
fn plan(drafts: &[Draft], opts: &Options, dir: &Path, year: i32, report: &mut Report) {
    let existing = site::existing_records(dir);
    let mut slugs = slug::Slugs::new(existing.stems.iter().cloned());
    for d in drafts {
        let key = (d.estate.county.clone(), d.estate.name.clone());
        let (slug, action) = match existing.by_estate.get(&key) {
            Some(s) if opts.force => (s.clone(), Action::Overwrite),
            Some(s) => (s.clone(), Action::SkipExisting),
            None => (slugs.allocate(&d.estate.name), Action::Create),
        };
        report.entries.push(Entry {
            path: dir.join(format!("{slug}.yaml")),
            slug,
            name: d.estate.name.clone(),
            county: d.estate.county.clone(),
            place: d.place.clone(),
            action,
            yaml: write::render(d, year),
        });
    }
}

/// Each file goes to a temporary name first, so an interrupted import leaves no
/// half-written record.
fn write_all(report: &Report, place: &Place) -> Result<(), Box<Issue>> {
    let fail = |path: &Path, e: std::io::Error| {
        Box::new(
            Issue::error(place.clone(), format!("无法写入 {}（{e}）", path.display()))
                .hint("请检查文件夹是否存在、是否有写入权限"),
        )
    };
    std::fs::create_dir_all(&report.estates_dir).map_err(|e| fail(&report.estates_dir, e))?;
    for e in report
        .entries
        .iter()
        .filter(|e| e.action != Action::SkipExisting)
    {
        let tmp = e.path.with_extension("yaml.tmp");
        std::fs::write(&tmp, &e.yaml).map_err(|err| fail(&tmp, err))?;
        std::fs::rename(&tmp, &e.path).map_err(|err| fail(&e.path, err))?;
    }
    Ok(())
}
