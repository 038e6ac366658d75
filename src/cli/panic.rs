//! Internal errors: a panic anywhere becomes a short Chinese report asking staff to tell
//! the developers, instead of Rust's English message and backtrace hint.

use std::panic::{self, PanicHookInfo};
use std::sync::atomic::{AtomicBool, Ordering};

/// Exit code of an internal error: sysexits' EX_SOFTWARE. Rust's own 101 would still
/// appear if a panic ever escaped the hook, so the two can be told apart.
pub const EXIT_INTERNAL: u8 = 70;

/// Set once a report has been printed: rayon re-raises a worker's panic on the calling
/// thread, and several workers may fail at once; staff need the report once.
static REPORTED: AtomicBool = AtomicBool::new(false);

/// Replaces the default panic output for the rest of the process.
pub fn install() {
    panic::set_hook(Box::new(|info| {
        let reason = payload_text(info);
        // `print!` to a closed pipe (`jiayuan check | head`) panics; that is not a bug.
        if is_broken_pipe(&reason) || REPORTED.swap(true, Ordering::SeqCst) {
            return;
        }
        let location = info
            .location()
            .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()));
        let command = std::env::args().collect::<Vec<_>>().join(" ");
        eprintln!("{}", report(&reason, location.as_deref(), &command));
        if backtrace_wanted(std::env::var("RUST_BACKTRACE").ok().as_deref()) {
            eprintln!("{}", std::backtrace::Backtrace::force_capture());
        }
    }));
}

/// Whether a caught panic was the closed-pipe case, which ends the run quietly.
pub fn is_broken_pipe(reason: &str) -> bool {
    reason.starts_with("failed printing to std") && reason.contains("Broken pipe")
}

/// The panic message, whichever of the two usual payload types it has.
pub fn payload_text(info: &PanicHookInfo<'_>) -> String {
    payload_str(info.payload())
}

/// The message of a panic payload caught by `catch_unwind`.
pub fn payload_str(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        String::new()
    }
}

/// The report staff see and copy to the developers.
pub fn report(reason: &str, location: Option<&str>, command: &str) -> String {
    let mut out = format!(
        "jiayuan 内部错误：程序遇到了意料之外的情况，本次运行已中止。\n  版本：{}\n  位置：{}\n",
        env!("CARGO_PKG_VERSION"),
        location.unwrap_or("未知")
    );
    if !reason.is_empty() {
        out.push_str(&format!("  原因：{reason}\n"));
    }
    out.push_str(&format!("  命令：{command}\n"));
    out.push_str(
        "这是 jiayuan 自身的问题，不是内容写错了。请把以上信息和所用命令报告给开发者；\
         如方便，请一并提供引发问题的内容文件。",
    );
    out
}

/// `RUST_BACKTRACE` set to anything but `0` asks for the backtrace, as Rust itself does.
fn backtrace_wanted(var: Option<&str>) -> bool {
    var.is_some_and(|v| !v.is_empty() && v != "0")
}

#[cfg(test)]
mod tests {
    use super::*;

    // The report is Chinese, names the location, the reason and the command, and asks
    // for it to be sent to the developers.
    #[test]
    fn report_names_everything() {
        let r = report(
            "index out of bounds: the len is 0 but the index is 1",
            Some("src/validate/estate.rs:12:5"),
            "jiayuan check --root site",
        );
        assert!(r.starts_with("jiayuan 内部错误"), "{r}");
        assert!(r.contains("位置：src/validate/estate.rs:12:5"), "{r}");
        assert!(r.contains("原因：index out of bounds"), "{r}");
        assert!(r.contains("命令：jiayuan check --root site"), "{r}");
        assert!(r.contains("请把以上信息和所用命令报告给开发者"), "{r}");
        assert!(!r.contains("RUST_BACKTRACE"), "{r}");
    }

    // A panic without a message or location still gives a complete report.
    #[test]
    fn report_without_details() {
        let r = report("", None, "jiayuan check");
        assert!(r.contains("位置：未知"), "{r}");
        assert!(!r.contains("原因"), "{r}");
    }

    // Payloads from `panic!("literal")` and `panic!("{x}")` both yield their text.
    #[test]
    fn payloads_are_read() {
        let a = std::panic::catch_unwind(|| panic!("plain")).unwrap_err();
        assert_eq!(payload_str(a.as_ref()), "plain");
        let n = 3;
        let b = std::panic::catch_unwind(|| panic!("formatted {n}")).unwrap_err();
        assert_eq!(payload_str(b.as_ref()), "formatted 3");
    }

    // Only the closed-pipe failure of `print!` is treated as a quiet end.
    #[test]
    fn broken_pipe_is_recognised() {
        assert!(is_broken_pipe(
            "failed printing to stdout: Broken pipe (os error 32)"
        ));
        assert!(!is_broken_pipe("index out of bounds"));
    }

    // RUST_BACKTRACE follows Rust's convention.
    #[test]
    fn backtrace_only_when_asked() {
        assert!(!backtrace_wanted(None));
        assert!(!backtrace_wanted(Some("0")));
        assert!(!backtrace_wanted(Some("")));
        assert!(backtrace_wanted(Some("1")));
        assert!(backtrace_wanted(Some("full")));
    }
}
