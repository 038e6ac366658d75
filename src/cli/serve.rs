//! `jiayuan serve`: preview with rebuild on change, live reload and an error overlay.

use std::path::PathBuf;

use super::EXIT_FAILED;
use super::common::SiteArgs;
use crate::pipeline::{self, BuildFailure};
use crate::serve::{self, Event, Options};

/// 预览网站：生成到预览文件夹（不是 public），在本机打开网页，修改内容后自动刷新
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub site: SiteArgs,
    /// 端口；0 表示自动选择一个空闲端口
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// 监听地址；默认只允许本机访问
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: String,
    /// 启动后用默认浏览器打开
    #[arg(long)]
    pub open: bool,
}

impl Args {
    pub fn run(self) -> u8 {
        let today = match self.site.today_or_exit() {
            Ok(d) => d,
            Err(code) => return code,
        };
        let root = self.site.root.clone();
        // Never `public/`: a half-edited preview must not be uploaded by mistake.
        let preview: PathBuf = root.join(".preview");
        let base_path = base_path(&root);
        let opts = Options {
            root: root.clone(),
            bind: self.bind.clone(),
            port: self.port,
            prefix: base_path.clone(),
        };
        let out = preview.clone();
        let rebuild = Box::new(move || {
            // Links keep the base URL's sub-path; the host is the preview server's.
            let base = format!("http://preview.invalid{base_path}");
            match pipeline::build(&root, &out, today, Some(&base)) {
                Ok(b) => {
                    for w in b.warnings.sorted() {
                        eprintln!("{w}");
                    }
                    Ok(format!("{} 个网页", b.written.pages))
                }
                Err(BuildFailure::Content(d)) => Err(d
                    .sorted()
                    .iter()
                    .filter(|d| d.is_error())
                    .map(|d| d.to_string())
                    .collect()),
                Err(BuildFailure::Output(e)) => Err(e),
            }
        });
        let open = self.open;
        let report = move |event: Event| match event {
            Event::Listening(url) => {
                println!(
                    "预览地址：{url}\n正在监视 content/ 和 themes/ 的变化，保存后浏览器会自动刷新；按 Ctrl+C 退出。"
                );
                if open {
                    open_browser(url);
                }
            }
            Event::Built {
                summary,
                took,
                changed,
            } => {
                let what = match changed.len() {
                    0 => "首次生成".to_string(),
                    1 => format!("{} 有改动", changed[0].display()),
                    n => format!("{n} 个文件有改动"),
                };
                println!(
                    "{what}，已重新生成：{summary}（用时 {} 毫秒）",
                    took.as_millis()
                );
            }
            Event::Failed { errors, took } => {
                eprintln!(
                    "生成失败（用时 {} 毫秒），浏览器中继续显示上一次成功的网页：",
                    took.as_millis()
                );
                for e in errors {
                    eprintln!("{e}");
                }
            }
        };
        match serve::run(&opts, preview, rebuild, &report) {
            Ok(()) => super::EXIT_OK,
            Err(msg) => {
                eprintln!("错误：{msg}");
                EXIT_FAILED
            }
        }
    }
}

/// The path part of `base_url` (`/` or `/sub/path/`), read from site.yaml.
fn base_path(root: &std::path::Path) -> String {
    // Errors in site.yaml surface in the first build; here an unreadable file means `/`.
    let url = pipeline::site_config(root).base_url;
    let after_host = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => url.as_str(),
    };
    let mut p = after_host.to_string();
    if !p.starts_with('/') {
        p.insert(0, '/');
    }
    if !p.ends_with('/') {
        p.push('/');
    }
    p
}

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "windows") {
        "explorer"
    } else if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let _ = std::process::Command::new(cmd).arg(url).spawn();
}
