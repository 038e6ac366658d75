//! The view as tera values, converted once per build. An estate's row or a case's card is
//! listed many times (the year's table, its ranking, its county, a tag, the home page…);
//! each is converted once and shared, since tera values are reference-counted. The result
//! has the same shape as serialising the view field by field.

use std::collections::HashMap;

use serde::Serialize;
use tera::{Map, Value, value::Key};

use super::view::{CampaignView, CaseCard, EstateRow, View};

/// The whole view: `site`, `campaigns`, `pages`, `cases` and `tags`.
pub fn convert(view: &View) -> Value {
    let cards: HashMap<(i32, &str), Value> = view
        .campaigns
        .iter()
        .flat_map(|c| &c.cases)
        .map(|x| {
            (
                (x.card.year, x.card.slug),
                Value::from_serializable(&x.card),
            )
        })
        .collect();
    let card_list = |list: &[CaseCard]| -> Value { shared(list, |c| cards.get(&(c.year, c.slug))) };
    let tags = view
        .tags
        .iter()
        .map(|t| with(t, [("cases", card_list(&t.cases))]))
        .collect::<Vec<_>>();
    let campaigns = view
        .campaigns
        .iter()
        .map(|c| campaign(c, &card_list))
        .collect::<Vec<_>>();
    with(
        view,
        [
            ("campaigns", Value::from(campaigns)),
            ("cases", card_list(&view.cases)),
            ("tags", Value::from(tags)),
        ],
    )
}

fn campaign(c: &CampaignView, card_list: &dyn Fn(&[CaseCard]) -> Value) -> Value {
    // `table` lists every estate once; the other listings reuse its rows.
    let rows: HashMap<&str, Value> = c
        .table
        .iter()
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
                    ("cases", card_list(&k.cases)),
                ],
            )
        })
        .collect::<Vec<_>>();
    with(
        c,
        [
            ("table", row_list(&c.table)),
            ("ranking", row_list(&c.ranking)),
            ("winners", row_list(&c.winners)),
            ("named", row_list(&c.named)),
            ("forwarded", row_list(&c.forwarded)),
            ("counties", Value::from(counties)),
        ],
    )
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

/// `item` serialised (its listing fields are `#[serde(skip)]`) plus those listings.
fn with<const N: usize>(item: &impl Serialize, fields: [(&'static str, Value); N]) -> Value {
    let mut map: Map = Value::from_serializable(item)
        .into_map()
        .unwrap_or_default();
    for (name, value) in fields {
        map.insert(Key::Str(name), value);
    }
    Value::from(map)
}
