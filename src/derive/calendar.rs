//! Working-day calendar: the State Council schedule plus the site's regional layer.
