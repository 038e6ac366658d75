//! Options and printing shared by the commands that read a site.

use chrono::NaiveDate;
use std::path::PathBuf;

use crate::derive::calendar::parse_date_cn;
use crate::derive::calendar::today_cst;
use crate::diag::{Diagnostics, SHOWN_PER_KIND};

/// Where the site is and which day it is.
#[derive(clap::Args, Debug, Clone)]
pub struct SiteArgs {
    /// 网站根目录（包含 content 文件夹），默认为当前目录
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// 以这一天作为“今天”（格式 2025-09-25），用于复现某一天的结果；默认为北京时间今天
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
}

impl SiteArgs {
    /// The build date; a bad `--today` is reported here and gives the usage exit code.
    pub fn today_or_exit(&self) -> Result<NaiveDate, u8> {
        self.today().map_err(|msg| {
            eprintln!("{msg}");
            super::EXIT_USAGE
        })
    }

    /// The build date, or a Chinese usage error.
    pub fn today(&self) -> Result<NaiveDate, String> {
        match &self.today {
            None => Ok(today_cst()),
            Some(s) => parse_date_cn(s).ok_or_else(|| {
                format!(
                    "错误：--today 的值 `{s}` 不是有效日期\n  提示：请写成 2025-09-25 这样的格式"
                )
            }),
        }
    }
}

/// Prints every diagnostic, sorted, to stderr, then a one-line count.
pub fn print_diagnostics(diags: &Diagnostics) {
    for d in diags.for_display(SHOWN_PER_KIND) {
        eprintln!("{d}");
    }
    let (e, w) = (diags.error_count(), diags.warning_count());
    if e + w > 0 {
        eprintln!("\n共 {e} 个错误，{w} 个警告。");
    }
}
