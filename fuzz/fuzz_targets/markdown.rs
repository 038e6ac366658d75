//! Fuzz target: `props::markdown` (see tests/props/mod.rs) on arbitrary bytes.
#![no_main]

#[path = "../../tests/props/mod.rs"]
mod props;

libfuzzer_sys::fuzz_target!(|data: &[u8]| props::markdown(data));
