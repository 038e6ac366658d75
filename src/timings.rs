//! Phase timings for profiling a build: with `JIAYUAN_TIMINGS=1` in the environment each
//! phase prints its wall time to stderr (see docs/PERFORMANCE.md). Off, it costs one
//! cached environment lookup per phase.

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("JIAYUAN_TIMINGS").is_some_and(|v| v == "1"))
}

/// A running phase; prints its name and duration when dropped.
pub struct Phase {
    name: &'static str,
    start: Option<Instant>,
}

/// Starts timing `name` (a short Chinese label) until the returned guard is dropped.
pub fn phase(name: &'static str) -> Phase {
    Phase {
        name,
        start: enabled().then(Instant::now),
    }
}

impl Drop for Phase {
    fn drop(&mut self) {
        if let Some(start) = self.start {
            eprintln!(
                "[计时] {}：{:.3} s",
                self.name,
                start.elapsed().as_secs_f64()
            );
        }
    }
}
