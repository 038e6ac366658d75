//! Fuzz target: `props::yaml_paths` (see tests/props/mod.rs): the event path and the
//! serde-saphyr path to the YAML tree agree on arbitrary text.
#![no_main]

#[path = "../../tests/props/mod.rs"]
mod props;

libfuzzer_sys::fuzz_target!(|data: &[u8]| props::yaml_paths(data));
