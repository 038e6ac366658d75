//! `jiayuan check`: every error and warning at once, then a short summary of the facts.

use std::fmt::Write;

use super::common::{SiteArgs, print_diagnostics};
use super::{EXIT_FAILED, EXIT_OK};
use crate::derive::Stage;
use crate::derive::calendar::{format_cn, format_period_cn};
use crate::pipeline::{self, Checked};

/// 检查内容：列出所有错误和警告，并汇总推荐、排名、命名和公示情况
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub site: SiteArgs,
    /// 有警告时也视为失败（退出码 1）
    #[arg(long)]
    pub strict: bool,
}

impl Args {
    pub fn run(self) -> u8 {
        let today = match self.site.today_or_exit() {
            Ok(d) => d,
            Err(code) => return code,
        };
        let (checked, diags) = pipeline::check(&self.site.root, today);
        print_diagnostics(&diags);
        if diags.has_errors() {
            eprintln!("检查未通过：请按上面的提示逐条修改后再运行 `jiayuan check`。");
            return EXIT_FAILED;
        }
        print!("{}", summary(&checked));
        if self.strict && diags.warning_count() > 0 {
            eprintln!("严格模式（--strict）下，警告也视为未通过。");
            return EXIT_FAILED;
        }
        EXIT_OK
    }
}

/// The facts staff check before publishing, as plain Chinese text.
pub fn summary(checked: &Checked) -> String {
    let Checked { site, facts } = checked;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "检查通过：{}（{}）",
        site.config.title,
        format_cn(facts.today)
    );
    for (c, f) in site.campaigns.iter().zip(&facts.campaigns).rev() {
        let _ = writeln!(out, "\n【{}年度】{}", c.year, c.title);
        let _ = writeln!(out, "当前阶段：{}", f.stage.label());
        // Until the publicity period is over the title is only proposed.
        let named = if f.stage >= Stage::Named {
            "命名"
        } else {
            "拟命名"
        };
        let forwarded = if f.stage >= Stage::Forwarded {
            "已报送自治区"
        } else {
            "拟报送自治区"
        };
        let quota = if c.quota.per_county_min == c.quota.per_county_max {
            format!("{}", c.quota.per_county_min)
        } else {
            format!("{}–{}", c.quota.per_county_min, c.quota.per_county_max)
        };
        let _ = writeln!(
            out,
            "推荐小区：共 {} 个（每县 {quota} 个）",
            c.estates.len()
        );
        for k in &f.counties {
            let mark = if k.within_quota {
                ""
            } else {
                "  ← 不符合名额"
            };
            let _ = writeln!(out, "  {}：{} 个{mark}", k.name, k.nominees);
        }
        if f.ranking.is_empty() {
            let _ = writeln!(out, "排名：尚无评分");
        } else {
            let _ = writeln!(out, "排名（{}）：", crate::derive::scoring::TIE_RULE);
            for &i in &f.ranking {
                let (e, ef) = (&c.estates[i], &f.estates[i]);
                let mut notes = Vec::new();
                if ef.revoked {
                    notes.push("异议成立，取消命名".to_string());
                } else if ef.winner {
                    notes.push(named.to_string());
                }
                if ef.forwarded {
                    notes.push(forwarded.to_string());
                }
                let sat = ef
                    .satisfaction
                    .map(|r| r.percent())
                    .unwrap_or_else(|| "—".into());
                let notes = if notes.is_empty() {
                    String::new()
                } else {
                    format!("  【{}】", notes.join("，"))
                };
                let _ = writeln!(
                    out,
                    "  {:>2}. {}（{}）{} 分，满意率 {sat}{notes}",
                    ef.rank.unwrap_or(0),
                    e.name,
                    e.county,
                    ef.score.map(|s| s.display()).unwrap_or_default()
                );
            }
        }
        if !f.winners.is_empty() {
            let names = |idx: &[usize]| {
                idx.iter()
                    .map(|&i| c.estates[i].name.as_str())
                    .collect::<Vec<_>>()
                    .join("、")
            };
            let kept: Vec<usize> = f
                .winners
                .iter()
                .copied()
                .filter(|&i| !f.estates[i].revoked)
                .collect();
            let _ = writeln!(
                out,
                "{named}“美好家园”小区（{} 个）：{}",
                kept.len(),
                names(&kept)
            );
            let revoked: Vec<usize> = f
                .winners
                .iter()
                .copied()
                .filter(|&i| f.estates[i].revoked)
                .collect();
            if !revoked.is_empty() {
                let _ = writeln!(out, "异议成立、取消命名：{}", names(&revoked));
            }
            let _ = writeln!(
                out,
                "{forwarded}（{} 个）：{}",
                f.forwarded.len(),
                names(&f.forwarded)
            );
        }
        match &f.publicity {
            Some(p) => {
                let _ = writeln!(
                    out,
                    "公示期：{}（{} 个工作日），{}",
                    format_period_cn(p.start, p.end),
                    p.working_days,
                    p.status.label()
                );
            }
            None => {
                let _ = write!(out, "公示期：尚未确定开始日期");
                if let Some(d) = f.latest_publicity_start {
                    let _ = write!(
                        out,
                        "；为在报送截止日前结束，最晚应于 {} 开始",
                        format_cn(d)
                    );
                }
                let _ = writeln!(out);
            }
        }
    }
    out
}
