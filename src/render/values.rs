//! The view as tera values, converted once per build. An estate's row or a case's card is
//! listed many times (the year's table, its ranking, its county, a tag, the home page…);
//! each is converted once and shared, since tera values are reference-counted, and an
//! estate's or case's own record starts from its row's or card's fields. The result has
//! the same shape as serialising the view field by field (a test checks this).

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Map, Value, value::Key};

use super::view::{CampaignView, CaseCard, CaseView, EstateRow, EstateView, View};

/// Converted case cards by (year, slug).
type Cards<'v> = HashMap<(i32, &'v str), Value>;

/// The whole view: `site`, `campaigns`, `pages`, `cases` and `tags`.
pub fn convert(view: &View) -> Value {
    let cards: Cards = view
        .campaigns
        .iter()
        .flat_map(|c| &c.cases)
        .collect::<Vec<_>>()
        .par_iter()
        .map(|x| {
            (
                (x.card.year, x.card.slug),
                Value::from_serializable(&x.card),
            )
        })
        .collect();
    let tags = view
        .tags
        .iter()
        .map(|t| with(t, [("cases", card_list(&cards, &t.cases))]))
        .collect::<Vec<_>>();
    let campaigns = view
        .campaigns
        .iter()
        .map(|c| campaign(c, &cards))
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

fn campaign(c: &CampaignView, cards: &Cards) -> Value {
    // `table` lists every estate once; the other listings and the records reuse its rows.
    let rows: HashMap<&str, Value> = c
        .table
        .par_iter()
        .map(|r| (r.slug, Value::from_serializable(r)))
        .collect();
    let row_list = |list: &[EstateRow]| shared(list, |r| rows.get(r.slug));
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
    let estates: Vec<Value> = c
        .estates
        .par_iter()
        .map(|e| estate(e, rows.get(e.row.slug), cards))
        .collect();
    let cases: Vec<Value> = c.cases.par_iter().map(|x| case(x, cards)).collect();
    with(
        c,
        [
            ("table", row_list(&c.table)),
            ("ranking", row_list(&c.ranking)),
            ("winners", row_list(&c.winners)),
            ("named", row_list(&c.named)),
            ("forwarded", row_list(&c.forwarded)),
            ("counties", Value::from(counties)),
            ("estates", Value::from(estates)),
            ("cases", Value::from(cases)),
        ],
    )
}

/// An estate's record: its row's fields (their strings shared), its detail and its cards.
fn estate(e: &EstateView, row: Option<&Value>, cards: &Cards) -> Value {
    let mut map = row
        .and_then(Value::as_map)
        .cloned()
        .unwrap_or_else(|| as_map(&e.row));
    map.extend(as_map(&e.detail));
    map.insert(Key::Str("cases"), card_list(cards, &e.cases));
    Value::from(map)
}

/// A case study's record: its card's fields and its text.
fn case(x: &CaseView, cards: &Cards) -> Value {
    let mut map = cards
        .get(&(x.card.year, x.card.slug))
        .and_then(Value::as_map)
        .cloned()
        .unwrap_or_else(|| as_map(&x.card));
    map.insert(Key::Str("body"), Value::from_serializable(&x.body));
    Value::from(map)
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

    // Shared rows and cards give every record exactly what serialising it field by field
    // gives, so templates see the same values either way.
    #[test]
    fn records_match_their_serialisation() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let (checked, _) = crate::pipeline::check(root, today);
        let urls = Urls::new("https://example.gov.cn/mhjy/");
        let view = view::build(&checked.site, &checked.facts, &urls);
        let root_value = convert(&view);
        let mut records = 0;
        for (ci, c) in view.campaigns.iter().enumerate() {
            let at = |p: String| root_value.get_from_path(&p).cloned().unwrap();
            for (i, e) in c.estates.iter().enumerate() {
                let mut expected = as_map(e);
                expected.insert(Key::Str("cases"), Value::from_serializable(&e.cases));
                assert_eq!(
                    at(format!("campaigns.{ci}.estates.{i}")),
                    Value::from(expected)
                );
                records += 1;
            }
            for (j, x) in c.cases.iter().enumerate() {
                assert_eq!(
                    at(format!("campaigns.{ci}.cases.{j}")),
                    Value::from_serializable(x)
                );
                records += 1;
            }
            for (k, r) in c.table.iter().enumerate() {
                assert_eq!(
                    at(format!("campaigns.{ci}.table.{k}")),
                    Value::from_serializable(r)
                );
            }
        }
        assert!(records > 10, "the example has estates and case studies");
    }
}
