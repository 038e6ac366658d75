//! Derive: facts computed once from the validated model and read by every output.

pub mod calendar;
