//! Validates one year's `campaign.yaml` and `notice.md`.

use std::collections::BTreeSet;

use crate::diag::Diagnostics;
use crate::load::{CampaignFiles, MarkdownDoc, YamlDoc};
use crate::model::{
    Campaign, Criterion, Deadlines, Document, Notice, Points, Publicity, Quota, ScoreMethod,
    Scoring,
};

use super::fields::{FieldSpec, Reader, points_text};

const CAMPAIGN: &[FieldSpec] = &[
    ("year", "年度"),
    ("title", "活动名称"),
    ("document", "活动文件"),
    ("counties", "县（市、区）"),
    ("quota", "名额"),
    ("deadlines", "截止日期"),
    ("scoring", "评分办法"),
    ("publicity", "公示"),
    ("min_satisfaction", "满意度最低要求"),
];
const DOCUMENT: &[FieldSpec] = &[
    ("number", "文号"),
    ("issued", "印发日期"),
    ("issuer", "发文单位"),
];
const QUOTA: &[FieldSpec] = &[
    ("per_county", "每县推荐数量"),
    ("winners", "命名数量"),
    ("forwarded", "报送自治区数量"),
];
const DEADLINES: &[FieldSpec] = &[
    ("submission", "材料报送截止"),
    ("forward", "报送自治区截止"),
];
const SCORING: &[FieldSpec] = &[
    ("max", "满分"),
    ("method", "计分方法"),
    ("criteria", "评分项"),
];
const CRITERION: &[FieldSpec] = &[
    ("key", "评分项代码"),
    ("name", "评分项名称"),
    ("max", "满分"),
];
const PUBLICITY: &[FieldSpec] = &[
    ("start", "公示开始日期"),
    ("working_days", "公示工作日数"),
    ("objections", "异议受理方式"),
];
const NOTICE: &[FieldSpec] = &[("title", "标题"), ("date", "发布日期")];

/// The campaign settings; `None` when the file is too broken to read estates against.
pub fn campaign(files: &CampaignFiles, doc: &YamlDoc, diags: &mut Diagnostics) -> Option<Campaign> {
    let mut r = Reader::new(&doc.path, diags);
    let f = r.map(&doc.node, "活动设置", CAMPAIGN)?;
    let mut c = Campaign {
        dir: files.dir.clone(),
        source: doc.path.clone(),
        keys: f.key_positions(),
        ..Default::default()
    };
    let year = r.integer(&f, "year", 2000..=2100);
    match year {
        Some(y) if y.to_string() == files.dir_name => c.year = y as i32,
        Some(y) => {
            r.error(
                f.key_pos("year"),
                format!("年度 {y} 与文件夹名 `{}` 不一致", files.dir_name),
                format!("年度文件夹应命名为 content/campaigns/{y}/，或把 year 改为文件夹的年份"),
            );
            c.year = y as i32;
        }
        None => {
            if f.get("year").is_none() {
                r.error(
                    f.pos,
                    "缺少必填字段 `year`（年度）",
                    "请添加一行 `year: 2025`",
                );
            }
            c.year = files.dir_name.parse().ok()?;
        }
    }
    c.title = r.required_text(&f, "title").unwrap_or_default();
    if let Some(node) = f.get("document")
        && let Some(d) = r.map(node, "活动文件", DOCUMENT)
    {
        c.document = Document {
            number: r.required_text(&d, "number").unwrap_or_default(),
            issued: r.date(&d, "issued").map(|(d, _)| d),
            issuer: r.required_text(&d, "issuer").unwrap_or_default(),
        };
    }
    let mut seen = BTreeSet::new();
    for (county, pos) in r.text_list(&f, "counties") {
        if !seen.insert(county.clone()) {
            r.error(
                pos,
                format!("县（市、区）`{county}` 重复列出"),
                "请删除重复的一项",
            );
        } else {
            c.counties.push(county);
        }
    }
    if c.counties.is_empty() {
        r.error(
            f.key_pos("counties"),
            "没有列出任何县（市、区）",
            "请在 `counties:` 下逐行列出，例如 `- 玉州区`",
        );
    }
    c.quota = quota(&mut r, f.get("quota"));
    if let Some(node) = f.get("deadlines")
        && let Some(d) = r.map(node, "截止日期", DEADLINES)
    {
        c.deadlines = Deadlines {
            submission: r.date(&d, "submission").map(|(d, _)| d),
            forward: r.date(&d, "forward").map(|(d, _)| d),
        };
    }
    c.scoring = scoring(&mut r, f.get("scoring"));
    if let Some(node) = f.get("publicity") {
        if let Some(p) = r.map(node, "公示", PUBLICITY) {
            let start = r.date(&p, "start");
            c.publicity = Publicity {
                start: start.map(|(d, _)| d),
                start_pos: start.map_or(p.pos, |(_, pos)| pos),
                working_days: r.integer(&p, "working_days", 1..=60).unwrap_or(7) as u32,
                objections: Default::default(),
            };
            if let Some(o) = p.get("objections")
                && let Some(of) = r.map(o, "异议受理方式", super::site::CONTACT)
            {
                c.publicity.objections = super::site::contact(&mut r, &of);
            }
        }
    } else {
        c.publicity.working_days = 7;
    }
    if let Some(node) = f.get("min_satisfaction") {
        let text = node.scalar_text().unwrap_or_default();
        match text.trim().parse::<f64>() {
            Ok(v) if (0.0..=1.0).contains(&v) => c.min_satisfaction = Some(v),
            _ => r.error(
                node.pos,
                format!("满意度最低要求 `{text}` 应为 0 到 1 之间的小数"),
                "例如 90% 写作 `min_satisfaction: 0.9`",
            ),
        }
    }
    Some(c)
}

fn quota(r: &mut Reader, node: Option<&crate::load::yaml::Node>) -> Quota {
    let mut q = Quota::default();
    let Some(node) = node else { return q };
    let Some(f) = r.map(node, "名额", QUOTA) else {
        return q;
    };
    let per = r.list(&f, "per_county");
    if !per.is_empty() {
        let nums: Vec<i64> = per
            .iter()
            .filter_map(|n| r.integer_node(n, "`per_county`（每县推荐数量）", 0..=100_000))
            .collect();
        match nums.as_slice() {
            [min, max] if min <= max => {
                q.per_county_min = *min as u32;
                q.per_county_max = *max as u32;
            }
            _ => r.error(
                f.key_pos("per_county"),
                "每县推荐数量应写成 [最少, 最多]",
                "例如 `per_county: [3, 5]`",
            ),
        }
    }
    if let Some(w) = r.integer(&f, "winners", 1..=1000) {
        q.winners = w as u32;
    }
    if let Some(w) = r.integer(&f, "forwarded", 0..=1000) {
        q.forwarded = w as u32;
    }
    if q.forwarded > q.winners {
        r.error(
            f.key_pos("forwarded"),
            "报送数量大于命名数量",
            "报送自治区的小区从命名的小区中产生，forwarded 不能大于 winners",
        );
    }
    q
}

fn scoring(r: &mut Reader, node: Option<&crate::load::yaml::Node>) -> Scoring {
    let mut s = Scoring {
        max: Points(10000),
        ..Default::default()
    };
    let Some(node) = node else { return s };
    let Some(f) = r.map(node, "评分办法", SCORING) else {
        return s;
    };
    if let Some(n) = f.get("max")
        && let Some(p) = r.points(n, "`max`（满分）", Points(100_000_000))
    {
        s.max = p;
    }
    if let Some(m) = r.text(&f, "method") {
        match m.as_str() {
            "mean" => s.method = ScoreMethod::Mean,
            "trimmed_mean" => s.method = ScoreMethod::TrimmedMean,
            other => r.error(
                f.key_pos("method"),
                format!("计分方法 `{other}` 不认识"),
                "可选 `mean`（算术平均）或 `trimmed_mean`（去掉一个最高分和一个最低分后平均）",
            ),
        }
    }
    let mut keys = BTreeSet::new();
    for item in r.list(&f, "criteria") {
        let Some(cf) = r.map(item, "评分项", CRITERION) else {
            continue;
        };
        let key = r.required_text(&cf, "key");
        let name = r.required_text(&cf, "name");
        let max = match cf.get("max") {
            Some(n) => r.points(n, "评分项 `max`（满分）", s.max),
            None => {
                r.error(cf.pos, "评分项缺少 `max`（满分）", "例如 `max: 30`");
                None
            }
        };
        if let (Some(key), Some(name), Some(max)) = (key, name, max) {
            if !keys.insert(key.clone()) {
                r.error(
                    cf.key_pos("key"),
                    format!("评分项代码 `{key}` 重复"),
                    "每个评分项的 key 必须不同",
                );
                continue;
            }
            s.criteria.push(Criterion { key, name, max });
        }
    }
    if !s.criteria.is_empty() {
        let sum: i64 = s.criteria.iter().map(|c| c.max.0).sum();
        if sum != s.max.0 {
            r.error(
                f.key_pos("criteria"),
                format!(
                    "各评分项满分之和 {} 与总满分 {} 不一致",
                    points_text(Points(sum)),
                    points_text(s.max)
                ),
                "请调整各评分项的 max，使其相加等于 scoring 的 max",
            );
        }
    }
    s
}

pub fn notice(doc: &MarkdownDoc, diags: &mut Diagnostics) -> Option<Notice> {
    let mut r = Reader::new(&doc.path, diags);
    let f = r.map(&doc.front, "通知信息块", NOTICE)?;
    Some(Notice {
        source: doc.path.clone(),
        title: r.text(&f, "title"),
        date: r.date(&f, "date").map(|(d, _)| d),
        body: doc.body.clone(),
    })
}
