//! `jiayuan import FILE`: county summary tables → estate records, with a review table.

use std::path::PathBuf;

use super::{EXIT_FAILED, EXIT_OK};
use crate::import::{self, Action, Report};

// The command's own help text is on `Command::Import`: clap takes a subcommand's
// description from the enum variant, not from this struct.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// 要导入的表格文件，例如 容县推荐汇总表.xlsx
    pub file: PathBuf,
    /// 导入到哪个年度的活动，默认是 content/campaigns/ 下最新的年度
    #[arg(long, value_name = "年度")]
    pub year: Option<i32>,
    /// 表格没有“县（市、区）”列时，给每一行填上的县（市、区），例如 容县
    #[arg(long, value_name = "县区")]
    pub county: Option<String>,
    /// 只检查并显示将要写入的内容，不写任何文件
    #[arg(long)]
    pub dry_run: bool,
    /// 覆盖已存在的同一小区（县区和小区名称相同）的记录；记录中手工补充的内容（评分、照片等）会丢失
    #[arg(long)]
    pub force: bool,
    /// 跳过有错误的行，只导入没有错误的行
    #[arg(long)]
    pub skip_bad_rows: bool,
    /// 网站根目录（包含 content/ 的文件夹），默认为当前目录
    #[arg(long, value_name = "目录", default_value = ".")]
    pub root: PathBuf,
}

impl Args {
    pub fn run(self) -> u8 {
        let opts = import::Options {
            file: self.file,
            year: self.year,
            county: self.county,
            dry_run: self.dry_run,
            force: self.force,
            skip_bad_rows: self.skip_bad_rows,
            root: self.root,
        };
        match import::run(&opts) {
            Err(issue) => {
                eprintln!("{issue}");
                eprintln!("没有写入任何文件。");
                EXIT_FAILED
            }
            Ok(report) => {
                print_report(&report, &opts);
                if report.has_errors() {
                    EXIT_FAILED
                } else {
                    EXIT_OK
                }
            }
        }
    }
}

fn print_report(report: &Report, opts: &import::Options) {
    for issue in &report.issues {
        eprintln!("{issue}");
    }
    if !report.issues.is_empty() {
        eprintln!();
    }
    if opts.dry_run {
        for e in report
            .entries
            .iter()
            .filter(|e| e.action != Action::SkipExisting)
        {
            println!(
                "===== {}（{}）=====",
                e.path.display(),
                action_label(e.action)
            );
            println!("{}", e.yaml);
        }
    }
    if !report.entries.is_empty() {
        println!(
            "小区与文件名对照（请核对；文件名由小区名称的拼音生成，多音字可能读错，可在首次发布前改名）："
        );
        let rows: Vec<[String; 5]> = report
            .entries
            .iter()
            .map(|e| {
                [
                    format!("{}.yaml", e.slug),
                    e.name.clone(),
                    e.county.clone(),
                    place_short(&e.place),
                    action_label(e.action).to_string(),
                ]
            })
            .collect();
        let head = ["文件名", "小区名称", "县（市、区）", "来源", "处理"].map(String::from);
        print_table(&head, &rows);
        println!();
    }
    if !report.ignored_columns.is_empty() {
        println!(
            "未导入的列：{}（得分和排名由评审结果计算得出）",
            report.ignored_columns.join("、")
        );
    }
    println!("按县（市、区）统计：");
    for (county, t) in report.by_county() {
        let county = if county.is_empty() {
            "（县区不明）".to_string()
        } else {
            county
        };
        println!(
            "  {county}：新建 {}，覆盖 {}，已存在跳过 {}，出错 {}",
            t.created, t.overwritten, t.skipped, t.failed
        );
    }
    println!(
        "合计：新建 {} 条，覆盖 {} 条，已存在跳过 {} 条，出错 {} 行。",
        report.count(Action::Create),
        report.count(Action::Overwrite),
        report.count(Action::SkipExisting),
        report.failed.len()
    );
    let dir = report.estates_dir.display();
    if report.written {
        if report.failed.is_empty() {
            println!("已写入 {dir}/。");
        } else {
            println!("已跳过出错的行，其余记录已写入 {dir}/；出错的行请修正后重新导入。");
        }
    } else if opts.dry_run {
        println!("这是预演（--dry-run），没有写入任何文件。");
    } else {
        println!(
            "因为有错误，没有写入任何文件。请修正后重新导入；或加 --skip-bad-rows 只导入没有错误的行。"
        );
    }
    if report.count(Action::SkipExisting) > 0 && !opts.force {
        println!("已存在的记录没有改动；如确需用表格内容覆盖，请加 --force。");
    }
}

fn action_label(action: Action) -> &'static str {
    match action {
        Action::Create => "新建",
        Action::Overwrite => "覆盖",
        Action::SkipExisting => "已存在，跳过",
    }
}

fn place_short(p: &import::issue::Place) -> String {
    match (&p.sheet, p.row) {
        (Some(s), Some(r)) => format!("{s} 第{r}行"),
        (None, Some(r)) => format!("第{r}行"),
        _ => String::new(),
    }
}

/// Columns padded by display width (CJK characters take two cells in a terminal).
fn print_table(head: &[String; 5], rows: &[[String; 5]]) {
    let width = |s: &str| {
        s.chars()
            .map(|c| if c.is_ascii() { 1 } else { 2 })
            .sum::<usize>()
    };
    let mut widths = head.clone().map(|h| width(&h));
    for r in rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(width(cell));
        }
    }
    let line = |cells: &[String; 5]| {
        let mut out = String::from(" ");
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            out.push(' ');
            out.push_str(cell);
            if i + 1 < cells.len() {
                out.push_str(&" ".repeat(w - width(cell) + 1));
            }
        }
        out
    };
    println!("{}", line(head));
    for r in rows {
        println!("{}", line(r));
    }
}
