//! Warnings about derived facts: quotas, late submissions, the publicity period,
//! satisfaction, missing scores. They never stop `build`; `check --strict` fails on them.

use crate::derive::calendar::format_cn;
use crate::derive::{CampaignFacts, Facts};
use crate::diag::{Diagnostic, Diagnostics, display_path};
use crate::model::{Campaign, Site};

pub fn warnings(site: &Site, facts: &Facts, diags: &mut Diagnostics) {
    for (c, f) in site.campaigns.iter().zip(&facts.campaigns) {
        campaign_warnings(c, f, diags);
    }
}

fn campaign_warnings(c: &Campaign, f: &CampaignFacts, diags: &mut Diagnostics) {
    // An estate record with errors may be missing from the counts; saying a county has too
    // few nominees would then be false. Too many stays true.
    let estates_dir = format!("{}/estates/", display_path(&c.dir));
    let counts_incomplete = diags
        .iter()
        .any(|d| d.is_error() && d.file.starts_with(&estates_dir));
    for county in f.counties.iter().filter(|k| !k.within_quota) {
        let (min, max) = (c.quota.per_county_min, c.quota.per_county_max);
        let message = if county.nominees < min as usize {
            if counts_incomplete {
                continue;
            }
            format!(
                "{}只推荐了 {} 个小区，少于每县至少 {min} 个的名额",
                county.name, county.nominees
            )
        } else {
            format!(
                "{}推荐了 {} 个小区，超过每县最多 {max} 个的名额",
                county.name, county.nominees
            )
        };
        diags.push(
            Diagnostic::warning(&c.source, c.keys.get("counties"), message)
                .hint("请与该县（市、区）物业主管部门核对推荐名单"),
        );
    }
    if let Some(deadline) = c.deadlines.submission {
        for (e, _) in c.estates.iter().zip(&f.estates).filter(|(_, ef)| ef.late) {
            diags.push(
                Diagnostic::warning(
                    &e.source,
                    e.submitted_pos,
                    format!(
                        "申报日期 {} 晚于材料报送截止日 {}",
                        format_cn(e.submitted.unwrap_or(deadline)),
                        format_cn(deadline)
                    ),
                )
                .hint("请核对申报日期；逾期申报是否受理由评审小组决定"),
            );
        }
    }
    if let Some(p) = &f.publicity {
        let pos = c.publicity.start_pos;
        if p.too_late {
            let hint = match f.latest_publicity_start {
                Some(d) => format!("要在截止日前结束公示，最晚应在 {} 开始公示", format_cn(d)),
                None => "请提前公示开始日期，或核对报送截止日期".to_string(),
            };
            diags.push(
                Diagnostic::warning(
                    &c.source,
                    pos,
                    format!(
                        "公示期到 {} 才结束，晚于报送自治区的截止日 {}",
                        format_cn(p.end),
                        format_cn(c.deadlines.forward.unwrap_or(p.end))
                    ),
                )
                .hint(hint),
            );
        }
        for year in &p.unknown_years {
            diags.push(
                Diagnostic::warning(&c.source, pos, format!("公示期进入 {year} 年，但还没有 {year} 年的节假日安排"))
                    .hint(format!(
                        "国务院公布 {year} 年放假安排后，请在 content/calendar.yaml 中补充假日和调休上班日，并在 years 中写上 {year}；在此之前按周一至周五为工作日估算"
                    )),
            );
        }
    }
    if let Some(min) = c.min_satisfaction {
        for (e, ef) in c.estates.iter().zip(&f.estates) {
            if let Some(rate) = ef.satisfaction
                && rate.as_f64() + 1e-12 < min
            {
                diags.push(
                    Diagnostic::warning(
                        &e.source,
                        e.keys.get("satisfaction"),
                        format!(
                            "居民满意率 {} 低于本年度要求的 {}",
                            rate.percent(),
                            percent(min)
                        ),
                    )
                    .hint("居民满意度是评价的首要标准；请核对调查数据或与推荐单位沟通"),
                );
            }
        }
    }
    if f.scoring_started {
        // Collected once: a scan of every diagnostic per estate is quadratic.
        let with_errors: std::collections::HashSet<String> = diags
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.file.clone())
            .collect();
        for (e, ef) in c.estates.iter().zip(&f.estates) {
            // Score sheets written but refused have errors of their own.
            if ef.score.is_none()
                && e.scores.is_empty()
                && !with_errors.contains(&display_path(&e.source))
            {
                diags.push(
                    Diagnostic::warning(
                        &e.source,
                        e.keys.get("scores"),
                        format!("小区“{}”还没有专家评分", e.name),
                    )
                    .hint("评审已经开始，没有评分的小区不会进入排名；请补上 scores"),
                );
            }
        }
    }
}

/// A fraction as a percentage without needless decimals: 0.9 → `90%`, 0.925 → `92.5%`.
fn percent(fraction: f64) -> String {
    let text = format!("{:.2}", fraction * 100.0);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    // Required rates print as staff wrote them, without rounding away a half percent.
    #[test]
    fn percent_keeps_meaningful_decimals() {
        assert_eq!(percent(0.9), "90%");
        assert_eq!(percent(0.925), "92.5%");
        assert_eq!(percent(0.8888), "88.88%");
        assert_eq!(percent(1.0), "100%");
    }
}
