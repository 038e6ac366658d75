//! Chinese help and usage errors: clap's built-in headings and messages are English, and
//! the people who run jiayuan read Chinese.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory, FromArgMatches};

use super::{EXIT_OK, EXIT_USAGE};

/// Parses the command line; on `--help`, `--version` or a usage error, prints in Chinese
/// and returns the exit code instead.
pub fn parse<T: CommandFactory + FromArgMatches>() -> Result<T, u8> {
    let cmd = localize(T::command().disable_help_subcommand(true));
    let matches = match cmd.clone().try_get_matches() {
        Ok(m) => m,
        Err(e) => return Err(report(&e)),
    };
    T::from_arg_matches(&matches).map_err(|e| report(&e))
}

fn localize(cmd: Command) -> Command {
    let mut template = String::from("{about-with-newline}\n用法：{usage}\n");
    if cmd.get_subcommands().next().is_some() {
        template.push_str("\n命令：\n{subcommands}\n");
    }
    if cmd.get_positionals().next().is_some() {
        template.push_str("\n参数：\n{positionals}\n");
    }
    template.push_str("\n选项：\n{options}\n{after-help}\n");
    let version = cmd.get_version().is_some();
    let mut cmd = cmd
        .help_template(template)
        .subcommand_value_name("命令")
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助信息"),
        );
    if version {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本号"),
        );
    }
    cmd.mut_subcommands(localize)
}

/// Prints help and version as clap renders them, and usage errors in Chinese.
fn report(e: &clap::Error) -> u8 {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            return EXIT_OK;
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return EXIT_USAGE;
        }
        _ => {}
    }
    let context = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        _ => String::new(),
    };
    let arg = context(ContextKind::InvalidArg);
    let value = context(ContextKind::InvalidValue);
    let message = match e.kind() {
        ErrorKind::UnknownArgument => format!("无法识别的参数 `{arg}`"),
        ErrorKind::InvalidSubcommand => format!(
            "没有 `{}` 这个命令",
            context(ContextKind::InvalidSubcommand)
        ),
        ErrorKind::MissingRequiredArgument => format!("缺少必填参数 {arg}"),
        ErrorKind::MissingSubcommand => "缺少命令".to_string(),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            format!("参数 {arg} 的值 `{value}` 无效")
        }
        ErrorKind::ArgumentConflict => format!("参数 {arg} 不能与其他参数同时使用"),
        ErrorKind::TooManyValues => format!("多余的参数 `{value}`"),
        _ => "命令行参数有误".to_string(),
    };
    let suggestion = match e
        .get(ContextKind::SuggestedSubcommand)
        .or(e.get(ContextKind::SuggestedArg))
    {
        Some(ContextValue::String(s)) => format!("您是不是想写 `{s}`？"),
        Some(ContextValue::Strings(v)) if !v.is_empty() => format!("您是不是想写 `{}`？", v[0]),
        _ => String::new(),
    };
    eprintln!("错误：{message}");
    eprintln!(
        "  提示：{suggestion}运行 `jiayuan --help` 查看所有命令，`jiayuan 命令 --help` 查看某个命令的用法"
    );
    EXIT_USAGE
}
