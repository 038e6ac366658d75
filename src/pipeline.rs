//! The pipeline in one place: load → validate → derive (→ render → write, in `build`).

use chrono::NaiveDate;
use std::path::Path;

use crate::derive::{self, Facts};
use crate::diag::Diagnostics;
use crate::model::Site;
use crate::{load, validate};

/// The validated site and its derived facts.
pub struct Checked {
    pub site: Site,
    pub facts: Facts,
}

/// Runs every check on the site at `root` for the build date `today`. The site is returned
/// even with errors, so a caller can still summarise; only an error-free site may be built.
pub fn check(root: &Path, today: NaiveDate) -> (Checked, Diagnostics) {
    let mut diags = Diagnostics::default();
    let loaded = load::load(root, &mut diags);
    let site = validate::validate(root, &loaded, &mut diags);
    let facts = derive::derive(&site, today);
    validate::warnings::warnings(&site, &facts, &mut diags);
    (Checked { site, facts }, diags)
}

/// Only the site's regional calendar layer (for `workdays`); empty when there is none.
pub fn calendar_overlay(root: &Path, diags: &mut Diagnostics) -> crate::model::CalendarOverlay {
    match load::calendar_file(root, diags) {
        Some(doc) => validate::site::calendar(&doc, diags),
        None => Default::default(),
    }
}
