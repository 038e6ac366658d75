//! The view as tera values, converted once per build. Each estate and each case study
//! becomes one value, its full record, and every listing of it (the year's table, its
//! ranking, its county, a tag, the home page…) shares that value, since tera values are
//! reference-counted: a listing's row or card sees the record's other fields too, and ten
//! thousand estates are held once rather than as a row and a record each. Each record has
//! the same fields as serialising it from the view (a test checks this).
//!
//! The conversion copies every string, and rendered Markdown is most of the view's bytes,
//! so each body's HTML is dropped from the view as soon as its record holds a copy: the
//! view lives on only until the pages' jobs are made, and those never read a body.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Map, Value, value::Key};

use super::reuse::{Plan, Records};
use super::view::{Body, CampaignView, CaseCard, CaseView, EstateRow, EstateView, View};

/// Converted case studies by (year, slug).
type Cards<'v> = HashMap<(i32, &'v str), Value>;

/// The whole view: `site`, `campaigns`, `pages`, `cases` and `tags`.
pub fn convert(view: &mut View) -> Value {
    let fresh = Plan::default();
    convert_reusing(view, &|_| &fresh)
}

/// `convert`, each year as `plan` says (by index into `View::campaigns`): a year taken over
/// whole is its value from an earlier build of the same year, case studies included; in a
/// year made afresh, the records taken over are their earlier values (see
/// `render::prepare_reusing`).
pub(super) fn convert_reusing<'k>(view: &mut View, plan: &dyn Fn(usize) -> &'k Plan<'k>) -> Value {
    let mut cards: Cards = view
        .campaigns
        .iter_mut()
        .enumerate()
        .filter_map(|(i, c)| match plan(i) {
            Plan::Made(records) => Some((records, &mut c.cases)),
            Plan::Kept(_) => None,
        })
        .flat_map(|(records, cases)| cases.iter_mut().map(move |x| (records, x)))
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|(records, x)| {
            let value = match records.case(x.index) {
                Some(r) => r.value.clone(),
                None => case(x),
            };
            ((x.card.year, x.card.slug), value)
        })
        .collect();
    for (i, c) in view.campaigns.iter_mut().enumerate() {
        let Plan::Kept(part) = plan(i) else { continue };
        // The kept value lists the same case studies in the same order.
        let old = part.value.get_from_path("cases").and_then(Value::as_array);
        for (j, x) in c.cases.iter_mut().enumerate() {
            let (year, slug) = (x.card.year, x.card.slug);
            let v = old
                .and_then(|o| o.get(j))
                .filter(|v| v.get_from_path("slug").and_then(Value::as_str) == Some(slug))
                .cloned()
                .unwrap_or_else(|| case(x));
            cards.insert((year, slug), v);
        }
    }
    let tags = view
        .tags
        .iter()
        .map(|t| with(t, [("cases", card_list(&cards, &t.cases))]))
        .collect::<Vec<_>>();
    let campaigns = view
        .campaigns
        .iter_mut()
        .enumerate()
        .map(|(i, c)| match plan(i) {
            Plan::Kept(part) => part.value.clone(),
            Plan::Made(records) => campaign(c, &cards, records),
        })
        .collect::<Vec<_>>();
    with(
        view,
        [
            ("campaigns", Value::from(campaigns)),
            ("cases", card_list(&cards, &view.cases)),
            ("tags", Value::from(tags)),
        ],
    )
}

fn campaign(c: &mut CampaignView, cards: &Cards, records: &Records) -> Value {
    let estates: Vec<Value> = c
        .estates
        .par_iter_mut()
        .enumerate()
        .map(|(i, e)| match records.estate(i) {
            Some(r) => r.value.clone(),
            None => estate(e, cards),
        })
        .collect();
    // A year's view holds every estate's record or none (see `view::build_years`).
    let row_list = |list: &[EstateRow]| shared(list, |r| estates.get(r.index));
    let counties = c
        .counties
        .iter()
        .map(|k| {
            with(
                k,
                [
                    ("estates", row_list(&k.estates)),
                    ("cases", card_list(cards, &k.cases)),
                ],
            )
        })
        .collect::<Vec<_>>();
    let cases = shared(&c.cases, |x| cards.get(&(x.card.year, x.card.slug)));
    with(
        c,
        [
            ("table", row_list(&c.table)),
            ("ranking", row_list(&c.ranking)),
            ("winners", row_list(&c.winners)),
            ("named", row_list(&c.named)),
            ("forwarded", row_list(&c.forwarded)),
            ("counties", Value::from(counties)),
            ("cases", cases),
            ("estates", Value::from(estates)),
        ],
    )
}

/// An estate's record: its row, its detail and its case studies, one flat map.
fn estate(e: &mut EstateView, cards: &Cards) -> Value {
    let mut map = as_map(&e.row);
    map.extend(as_map(&e.detail));
    map.insert(Key::Str("cases"), card_list(cards, &e.cases));
    if let Some(summary) = &mut e.detail.summary {
        spent(summary);
    }
    Value::from(map)
}

/// A case study's record: its card and its text.
fn case(x: &mut CaseView) -> Value {
    let value = Value::from_serializable(&*x);
    spent(&mut x.body);
    value
}

/// Frees a body's HTML, now that a record holds a copy.
fn spent(body: &mut Body) {
    body.html = String::new();
}

fn card_list(cards: &Cards, list: &[CaseCard]) -> Value {
    shared(list, |c| cards.get(&(c.year, c.slug)))
}

/// A list whose items are the already converted values `known` finds (converted afresh
/// when it finds none).
fn shared<'v, T: Serialize>(list: &[T], known: impl Fn(&T) -> Option<&'v Value>) -> Value {
    Value::from(
        list.iter()
            .map(|item| {
                known(item)
                    .cloned()
                    .unwrap_or_else(|| Value::from_serializable(item))
            })
            .collect::<Vec<_>>(),
    )
}

fn as_map(item: &impl Serialize) -> Map {
    Value::from_serializable(item)
        .into_map()
        .unwrap_or_default()
}

/// `item` serialised (its listing fields are `#[serde(skip)]`) plus those listings.
fn with<const N: usize>(item: &impl Serialize, fields: [(&'static str, Value); N]) -> Value {
    let mut map = as_map(item);
    for (name, value) in fields {
        map.insert(Key::Str(name), value);
    }
    Value::from(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{urls::Urls, view};

    /// Every field `item` serialises to is in `value`, the same.
    fn has_fields(value: &Value, item: &impl Serialize) {
        let map = value.as_map().expect("a map");
        for (key, field) in as_map(item) {
            assert_eq!(map.get(&key), Some(&field), "{key:?}");
        }
    }

    // Each record is its view serialised field by field, and every listing of it has
    // at least the listed row's or card's fields, so templates see what they saw.
    #[test]
    fn records_match_their_serialisation() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let (checked, _) = crate::pipeline::check(root, today);
        let urls = Urls::new("https://example.gov.cn/mhjy/");
        let view = view::build(&checked.site, &checked.facts, &urls);
        let root_value = convert(&mut view::build(&checked.site, &checked.facts, &urls));
        let at = |p: String| root_value.get_from_path(&p).cloned().unwrap();
        let mut records = 0;
        for (ci, c) in view.campaigns.iter().enumerate() {
            for (i, e) in c.estates.iter().enumerate() {
                let record = at(format!("campaigns.{ci}.estates.{i}"));
                let mut fields = record.as_map().unwrap().clone();
                let cases = fields.shift_remove(&Key::Str("cases")).unwrap();
                assert_eq!(Value::from(fields), Value::from(as_map(e)));
                assert_eq!(cases.len(), Some(e.cases.len()));
                for (j, card) in e.cases.iter().enumerate() {
                    has_fields(&cases.as_array().unwrap()[j], card);
                }
                records += 1;
            }
            for (j, x) in c.cases.iter().enumerate() {
                let record = at(format!("campaigns.{ci}.cases.{j}"));
                assert_eq!(record, Value::from_serializable(x));
                records += 1;
            }
            for (k, r) in c.table.iter().enumerate() {
                has_fields(&at(format!("campaigns.{ci}.table.{k}")), r);
            }
            for (k, county) in c.counties.iter().enumerate() {
                for (j, card) in county.cases.iter().enumerate() {
                    has_fields(&at(format!("campaigns.{ci}.counties.{k}.cases.{j}")), card);
                }
            }
        }
        for (j, card) in view.cases.iter().enumerate() {
            has_fields(&at(format!("cases.{j}")), card);
        }
        assert!(records > 10, "the example has estates and case studies");
    }
}
