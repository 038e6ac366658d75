//! The command line: one file per subcommand, each with its `Args` and `run()`.
//! Only this layer prints; `main` alone exits.

use clap::{Parser, Subcommand};

use std::process::ExitCode;

pub mod build;
pub mod check;
pub mod common;
mod help;
pub mod import;
pub mod init;
pub mod new;
pub mod panic;
pub mod serve;
pub mod workdays;

/// jiayuan（家园）：“加强物业管理 共建美好家园”活动网站生成工具
#[derive(Parser, Debug)]
#[command(name = "jiayuan", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// 生成网站：检查内容后生成静态网页到输出文件夹（默认 public）；出错时保留原有网页不变
    Build(build::Args),
    /// 检查内容：列出所有错误和警告，并汇总推荐、排名、命名和公示情况
    Check(check::Args),
    /// 新建网站：在空文件夹中生成带注释的示例内容，可直接生成网站
    Init(init::Args),
    /// 新建记录：生成带注释的小区或案例模板文件
    New(new::Args),
    /// 计算工作日：从 START 起（当天为工作日则算第 1 天）的第 N 个工作日
    Workdays(workdays::Args),
    /// 预览网站：在本机打开网页，修改内容后自动刷新（不会写入 public）
    Serve(serve::Args),
    /// 从各县（市、区）的推荐汇总表（.xlsx/.xls/.ods/.csv）导入小区记录
    ///
    /// 每一行写成 content/campaigns/<年度>/estates/<文件名>.yaml。任何一行有错误时不写入任何文件（除非使用 --skip-bad-rows）；已有的同一小区记录不会被覆盖（除非使用 --force）。
    Import(import::Args),
}

/// Exit codes shared by every command.
pub const EXIT_OK: u8 = 0;
pub const EXIT_FAILED: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

/// Runs one command. A panic — always a bug, never a content error — is reported in
/// Chinese by the hook in `panic` and ends the run with `panic::EXIT_INTERNAL`.
pub fn main() -> ExitCode {
    panic::install();
    match std::panic::catch_unwind(run) {
        Ok(code) => code,
        Err(payload) if panic::is_broken_pipe(&panic::payload_str(payload.as_ref())) => {
            ExitCode::from(EXIT_OK)
        }
        Err(_) => ExitCode::from(panic::EXIT_INTERNAL),
    }
}

fn run() -> ExitCode {
    let cli = match help::parse::<Cli>() {
        Ok(cli) => cli,
        Err(code) => return ExitCode::from(code),
    };
    let code = match cli.command {
        Command::Build(args) => args.run(),
        Command::Check(args) => args.run(),
        Command::Init(args) => args.run(),
        Command::New(args) => args.run(),
        Command::Workdays(args) => args.run(),
        Command::Serve(args) => args.run(),
        Command::Import(args) => args.run(),
    };
    ExitCode::from(code)
}
