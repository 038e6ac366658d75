//! `jiayuan init DIR`: a new site that builds as it is, optionally with the theme ejected.

use chrono::Datelike;
use std::fs;
use std::path::{Path, PathBuf};

use super::{EXIT_FAILED, EXIT_OK};
use crate::derive::calendar::today_cst;
use crate::render::theme;
use crate::scaffold;

/// 新建网站：在空文件夹中生成带注释的示例内容，可直接生成网站
#[derive(clap::Args, Debug)]
pub struct Args {
    /// 新网站的文件夹（不存在时自动创建；已存在时必须为空）
    pub dir: PathBuf,
    /// 同时导出内置主题到 themes/default/，以便修改模板和样式
    #[arg(long)]
    pub theme: bool,
}

fn write_all(dir: &Path, files: &[(String, Vec<u8>)]) -> std::io::Result<()> {
    for (rel, bytes) in files {
        let path = dir.join(rel);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p)?;
        }
        fs::write(path, bytes)?;
    }
    Ok(())
}

impl Args {
    pub fn run(self) -> u8 {
        let dir = &self.dir;
        if dir.exists() {
            let empty = dir.is_dir()
                && fs::read_dir(dir)
                    .map(|mut d| d.next().is_none())
                    .unwrap_or(false);
            if !empty {
                eprintln!(
                    "错误：{} 已存在且不是空文件夹，为避免覆盖已有文件，已停止\n  提示：请指定一个新的文件夹名，例如 `jiayuan init mysite`",
                    dir.display()
                );
                return EXIT_FAILED;
            }
        }
        let year = today_cst().year();
        let mut files: Vec<(String, Vec<u8>)> = scaffold::site(year)
            .into_iter()
            .map(|(p, t)| (p, t.into_bytes()))
            .collect();
        if self.theme {
            files.extend(
                theme::embedded()
                    .iter()
                    .map(|(p, b)| (format!("themes/default/{p}"), b.to_vec())),
            );
        }
        files.push((".gitignore".into(), b"/public\n/.public.*\n".to_vec()));
        if let Err(e) = write_all(dir, &files) {
            eprintln!("错误：无法写入 {}：{e}", dir.display());
            return EXIT_FAILED;
        }
        println!("已新建网站：{}", dir.display());
        if self.theme {
            println!(
                "内置主题已导出到 {}/themes/default/，可修改其中的模板和样式。",
                dir.display()
            );
        }
        println!("下一步：");
        println!("  cd {}", dir.display());
        println!("  jiayuan check     # 检查内容");
        println!("  jiayuan build     # 生成网站到 public/");
        EXIT_OK
    }
}
