//! Scores and ranking: exact arithmetic in hundredths, one deterministic order.

use std::cmp::Ordering;
use std::sync::Arc;

use crate::model::{Estate, Points, Satisfaction, ScoreMethod, ScoreSheet};

/// A fraction kept exact so that ties compare correctly (96/100 == 48/50).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate {
    pub num: u64,
    pub den: u64,
}

impl Rate {
    pub fn of(s: &Satisfaction) -> Option<Rate> {
        (s.surveyed > 0).then_some(Rate {
            num: s.satisfied as u64,
            den: s.surveyed as u64,
        })
    }

    /// Percent with two decimals, rounded half up: `96.50%`.
    pub fn percent(self) -> String {
        let hundredths_of_percent = (self.num * 20000 + self.den) / (2 * self.den);
        format!(
            "{}.{:02}%",
            hundredths_of_percent / 100,
            hundredths_of_percent % 100
        )
    }

    pub fn as_f64(self) -> f64 {
        self.num as f64 / self.den as f64
    }
}

impl Ord for Rate {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.num as u128 * other.den as u128).cmp(&(other.num as u128 * self.den as u128))
    }
}

impl PartialOrd for Rate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The aggregated score of one estate, or `None` when it has no usable sheets.
pub fn aggregate(sheets: &[ScoreSheet], method: ScoreMethod) -> Option<Points> {
    let mut totals: Vec<i64> = sheets.iter().map(|s| s.total.0).collect();
    totals.sort_unstable();
    let kept: &[i64] = match method {
        ScoreMethod::Mean => &totals,
        // Fewer than three sheets is a validation error; never silently average them.
        ScoreMethod::TrimmedMean if totals.len() >= 3 => &totals[1..totals.len() - 1],
        ScoreMethod::TrimmedMean => return None,
    };
    if kept.is_empty() {
        return None;
    }
    let n = kept.len() as i64;
    let sum: i64 = kept.iter().sum();
    // Round half up to the hundredth; all points are non-negative.
    Some(Points((2 * sum + n) / (2 * n)))
}

/// Orders scored estates: higher score, then higher satisfaction rate, then earlier
/// submission, then slug. Every page states this rule (see `TIE_RULE`).
pub fn rank(estates: &[Arc<Estate>], scores: &[Option<Points>]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..estates.len())
        .filter(|&i| scores[i].is_some())
        .collect();
    idx.sort_by(|&a, &b| {
        let (ea, eb) = (&estates[a], &estates[b]);
        scores[b]
            .cmp(&scores[a])
            .then_with(|| {
                let ra = ea.satisfaction.as_ref().and_then(Rate::of);
                let rb = eb.satisfaction.as_ref().and_then(Rate::of);
                // Known rates first, higher first.
                match (ra, rb) {
                    (Some(x), Some(y)) => y.cmp(&x),
                    (Some(_), None) => Ordering::Less,
                    (None, Some(_)) => Ordering::Greater,
                    (None, None) => Ordering::Equal,
                }
            })
            .then_with(|| match (ea.submitted, eb.submitted) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            })
            .then_with(|| ea.slug.cmp(&eb.slug))
    });
    idx
}

/// The tie rule as the site states it.
pub const TIE_RULE: &str = "按综合得分从高到低排序；得分相同的，依次按居民满意率高者在前、申报日期早者在前、小区代码字母顺序排列。";

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn sheets(totals: &[i64]) -> Vec<ScoreSheet> {
        totals
            .iter()
            .map(|&t| ScoreSheet {
                expert: "x".into(),
                total: Points(t),
            })
            .collect()
    }

    fn estate(slug: &str, sat: (u32, u32), day: u32) -> Arc<Estate> {
        Arc::new(Estate {
            slug: slug.into(),
            satisfaction: Some(Satisfaction {
                surveyed: sat.0,
                satisfied: sat.1,
            }),
            submitted: NaiveDate::from_ymd_opt(2025, 8, day),
            ..Default::default()
        })
    }

    // The mean of 88, 90, 91 is 89.67 (rounded half up from 89.666…).
    #[test]
    fn mean_rounds_half_up() {
        assert_eq!(
            aggregate(&sheets(&[8800, 9000, 9100]), ScoreMethod::Mean),
            Some(Points(8967))
        );
        assert_eq!(
            aggregate(&sheets(&[8801, 8800]), ScoreMethod::Mean),
            Some(Points(8801))
        );
        assert_eq!(Points(8967).display(), "89.67");
    }

    // The trimmed mean drops one highest and one lowest total, and needs three sheets.
    #[test]
    fn trimmed_mean() {
        let s = sheets(&[7000, 9000, 9100, 9200, 9900]);
        assert_eq!(aggregate(&s, ScoreMethod::TrimmedMean), Some(Points(9100)));
        assert_eq!(
            aggregate(&sheets(&[9000, 9100]), ScoreMethod::TrimmedMean),
            None
        );
        assert_eq!(aggregate(&[], ScoreMethod::Mean), None);
    }

    // Equal scores are ordered by satisfaction rate, then submission date, then slug.
    #[test]
    fn tie_rule() {
        let estates = vec![
            estate("a", (100, 95), 20),
            estate("b", (50, 49), 25),
            estate("c", (100, 95), 10),
            estate("d", (100, 99), 1),
            estate("e", (100, 95), 10),
        ];
        let s = vec![Some(Points(9000)); 4]
            .into_iter()
            .chain([Some(Points(8000))])
            .collect::<Vec<_>>();
        let order: Vec<&str> = rank(&estates, &s)
            .iter()
            .map(|&i| estates[i].slug.as_str())
            .collect();
        assert_eq!(order, ["d", "b", "c", "a", "e"]);
    }

    // Unscored estates are not ranked.
    #[test]
    fn unscored_left_out() {
        let estates = vec![estate("a", (1, 1), 1), estate("b", (1, 1), 1)];
        assert_eq!(rank(&estates, &[None, Some(Points(1))]), vec![1]);
    }

    // Rates compare exactly and print with two decimals.
    #[test]
    fn rates() {
        let a = Rate { num: 96, den: 100 };
        let b = Rate { num: 48, den: 50 };
        assert_eq!(a.cmp(&b), Ordering::Equal);
        assert_eq!(Rate { num: 2, den: 3 }.percent(), "66.67%");
        assert_eq!(Rate { num: 193, den: 200 }.percent(), "96.50%");
    }
}
