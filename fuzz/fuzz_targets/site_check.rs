//! Fuzz target: `props::FuzzSite::site_check` (see tests/props/mod.rs) on arbitrary bytes.
#![no_main]

use std::sync::OnceLock;

#[path = "../../tests/props/mod.rs"]
mod props;

/// One temporary site per fuzzing process; each input rewrites one of its files.
static SITE: OnceLock<props::FuzzSite> = OnceLock::new();

libfuzzer_sys::fuzz_target!(|data: &[u8]| SITE.get_or_init(props::FuzzSite::new).site_check(data));
