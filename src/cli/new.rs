//! `jiayuan new estate|experience SLUG --year Y`: a commented record that never overwrites.

use std::fs;
use std::path::PathBuf;

use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::derive::calendar::today_cst;
use crate::scaffold;

/// 新建记录：生成带注释的小区或案例模板文件
#[derive(clap::Args, Debug)]
pub struct Args {
    /// 记录类型：estate（小区申报记录）或 experience（经验案例）
    #[arg(value_enum)]
    pub kind: Kind,
    /// 代码（文件名，不含扩展名）：小写英文字母、数字和连字符，例如 yuzhou-jinwan-huayuan
    pub slug: String,
    /// 活动年度，例如 2025
    #[arg(long)]
    pub year: i32,
    /// 网站根目录（包含 content 文件夹），默认为当前目录
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum Kind {
    /// 小区申报记录
    Estate,
    /// 经验案例
    Experience,
}

fn valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 80
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}

impl Args {
    pub fn run(self) -> u8 {
        if !valid_slug(&self.slug) {
            eprintln!(
                "错误：代码 `{}` 不能用作文件名和网址\n  提示：只用小写英文字母、数字和单个连字符，例如 yuzhou-jinwan-huayuan",
                self.slug
            );
            return EXIT_USAGE;
        }
        let dir = self.root.join(format!("content/campaigns/{}", self.year));
        if !dir.join("campaign.yaml").is_file() {
            eprintln!(
                "错误：找不到 {} 年度的活动设置 {}\n  提示：请先建立该年度文件夹和 campaign.yaml，可参照 `jiayuan init` 生成的示例",
                self.year,
                dir.join("campaign.yaml").display()
            );
            return EXIT_FAILED;
        }
        let (path, text) = match self.kind {
            Kind::Estate => {
                let county = first_county(&self.root, self.year).unwrap_or_default();
                (
                    dir.join(format!("estates/{}.yaml", self.slug)),
                    scaffold::estate(self.year, &self.slug, &county),
                )
            }
            Kind::Experience => (
                dir.join(format!("experiences/{}.md", self.slug)),
                scaffold::experience(self.year, &self.slug, None),
            ),
        };
        if path.exists() {
            eprintln!(
                "错误：{} 已存在，为避免覆盖已填写的内容，已停止\n  提示：请换一个代码，或直接编辑这个文件",
                path.display()
            );
            return EXIT_FAILED;
        }
        let written = path
            .parent()
            .map_or(Ok(()), fs::create_dir_all)
            .and_then(|()| {
                fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&path)
            })
            .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()));
        if let Err(e) = written {
            eprintln!("错误：无法写入 {}：{e}", path.display());
            return EXIT_FAILED;
        }
        println!(
            "已生成 {}，请按注释填写后运行 `jiayuan check`。",
            path.display()
        );
        EXIT_OK
    }
}

/// The first county of that year's campaign, so the scaffold passes the county check.
fn first_county(root: &std::path::Path, year: i32) -> Option<String> {
    let (checked, _) = crate::pipeline::check(root, today_cst());
    checked
        .site
        .campaigns
        .iter()
        .find(|c| c.year == year)
        .and_then(|c| c.counties.first().cloned())
}
