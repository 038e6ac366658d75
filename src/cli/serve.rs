//! `jiayuan serve`: preview with rebuild on change, live reload and an error overlay.

use super::EXIT_FAILED;
use super::common::SiteArgs;
use crate::pipeline;
use crate::serve::{self, Event, Options, Snapshot};

/// 预览网站：在内存中生成（不写入 public），在本机打开网页，修改内容后自动刷新
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
        let base_path = base_path(&root);
        let opts = Options {
            root: root.clone(),
            bind: self.bind.clone(),
            port: self.port,
            prefix: base_path.clone(),
        };
        let rebuild = Box::new(move |previous: Option<&Snapshot>| {
            // Links keep the base URL's sub-path; the host is the preview server's.
            let base = format!("http://preview.invalid{base_path}");
            match Snapshot::make(&root, today, &base, previous) {
                Ok((site, warnings)) => {
                    for w in warnings.sorted() {
                        eprintln!("{w}");
                    }
                    Ok((format!("{} 个网页", site.page_count()), site))
                }
                Err(failure) => Err(failure.errors()),
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
            Event::Failed { errors, took } => print_errors(
                &format!(
                    "生成失败（用时 {} 毫秒），浏览器中继续显示上一次成功的网页：",
                    took.as_millis()
                ),
                errors,
            ),
            Event::Problems { errors, took } => print_errors(
                &format!(
                    "全站检查发现问题（用时 {} 毫秒）：浏览器显示的是新内容，但正式生成（jiayuan build）会因以下问题失败：",
                    took.as_millis()
                ),
                errors,
            ),
        };
        match serve::run(&opts, rebuild, std::sync::Arc::new(report)) {
            Ok(()) => super::EXIT_OK,
            Err(msg) => {
                eprintln!("错误：{msg}");
                EXIT_FAILED
            }
        }
    }
}

fn print_errors(heading: &str, errors: &[String]) {
    eprintln!("{heading}");
    for e in errors {
        eprintln!("{e}");
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
