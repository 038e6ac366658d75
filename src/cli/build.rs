//! `jiayuan build`: check the site, then render it into the output folder atomically.

use std::path::PathBuf;
use std::time::Instant;

use super::common::{SiteArgs, print_diagnostics};
use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::pipeline::{self, BuildFailure};
use crate::write;

/// 生成网站：检查内容后生成静态网页到输出文件夹（默认 public）；出错时保留原有网页不变
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub site: SiteArgs,
    /// 输出文件夹，默认为网站根目录下的 public
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// 网站地址，覆盖 site.yaml 中的 base_url，例如 https://zjj.yulin.gov.cn/mhjy/
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
}

impl Args {
    pub fn run(self) -> u8 {
        let started = Instant::now();
        let today = match self.site.today_or_exit() {
            Ok(d) => d,
            Err(code) => return code,
        };
        if let Some(u) = &self.base_url
            && !(u.starts_with("http://") || u.starts_with("https://") || u.starts_with('/'))
        {
            eprintln!(
                "错误：--base-url 的值 `{u}` 格式不对\n  提示：请写完整地址，例如 https://zjj.yulin.gov.cn/mhjy/"
            );
            return EXIT_USAGE;
        }
        let root = &self.site.root;
        let output = self.output.clone().unwrap_or_else(|| root.join("public"));
        if let Err(msg) = write::check_output(root, &output) {
            eprintln!("错误：{msg}");
            return EXIT_USAGE;
        }
        let built = match pipeline::build(root, &output, today, self.base_url.as_deref()) {
            Ok(b) => b,
            Err(BuildFailure::Content(diags)) => {
                print_diagnostics(&diags);
                eprintln!(
                    "生成失败：请按上面的提示逐条修改后再运行 `jiayuan build`。原有的 {} 没有改动。",
                    output.display()
                );
                return EXIT_FAILED;
            }
            Err(BuildFailure::Output(errors)) => {
                for e in &errors {
                    eprintln!("错误：{e}");
                }
                eprintln!(
                    "\n共 {} 个错误。生成失败，原有的 {} 没有改动。",
                    errors.len(),
                    output.display()
                );
                return EXIT_FAILED;
            }
        };
        print_diagnostics(&built.warnings);
        let written = built.written;
        println!(
            "生成完成：{} 个网页，共 {} 个文件，写入 {}（用时 {:.2} 秒）",
            written.pages,
            written.files,
            output.display(),
            started.elapsed().as_secs_f64()
        );
        EXIT_OK
    }
}
