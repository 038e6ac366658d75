//! Validates one estate record against its campaign: fields, county, scores, photos.

use std::path::Path;

use crate::diag::Diagnostics;
use crate::load::YamlDoc;
use crate::load::yaml::Value;
use crate::model::{
    Campaign, Estate, Markdown, Objection, ObjectionOutcome, OwnersBody, Photo, Points,
    PrivateContact, Satisfaction, ScoreSheet,
};

use super::fields::{FieldSpec, Fields, Reader, nearest, points_text};

const ESTATE: &[FieldSpec] = &[
    ("name", "小区名称"),
    ("county", "所在县（市、区）"),
    ("street", "街道（乡镇）"),
    ("community", "社区"),
    ("address", "地址"),
    ("built", "建成年份"),
    ("households", "户数"),
    ("floor_area", "建筑面积（m²）"),
    ("property_company", "物业服务企业"),
    ("owners_body", "业主组织"),
    ("party_building", "党建情况"),
    ("satisfaction", "满意度调查"),
    ("submitted", "申报日期"),
    ("contact", "申报联系人"),
    ("scores", "专家评分"),
    ("objection", "异议处理"),
    ("photos", "照片"),
    ("summary", "创建亮点"),
];
/// Plausible counts, shared with `import` so that it never writes a record `check`
/// would then refuse.
pub const HOUSEHOLDS: std::ops::RangeInclusive<i64> = 1..=1_000_000;
pub const SURVEYED: std::ops::RangeInclusive<i64> = 1..=10_000_000;
pub const SATISFIED: std::ops::RangeInclusive<i64> = 0..=10_000_000;

const SATISFACTION: &[FieldSpec] = &[("surveyed", "调查户数"), ("satisfied", "满意户数")];
const CONTACT: &[FieldSpec] = &[("person", "联系人"), ("phone", "联系电话")];
const SHEET: &[FieldSpec] = &[
    ("expert", "专家"),
    ("total", "总分"),
    ("criteria", "各项得分"),
];
const OBJECTION: &[FieldSpec] = &[("outcome", "处理结果"), ("note", "说明")];
const PHOTO: &[FieldSpec] = &[("src", "图片文件"), ("alt", "图片说明")];

pub fn estate(
    doc: &YamlDoc,
    campaign: &Campaign,
    content_root: &Path,
    diags: &mut Diagnostics,
) -> Option<Estate> {
    let mut r = Reader::new(&doc.path, diags);
    super::check_slug(&mut r, &doc.slug);
    let f = r.map(&doc.node, "小区记录", ESTATE)?;
    let mut e = Estate {
        slug: doc.slug.clone(),
        source: doc.path.clone(),
        keys: f.key_positions(),
        ..Default::default()
    };
    let name = r.required_text(&f, "name");
    let county = r.required_text(&f, "county");
    let address = r.required_text(&f, "address");
    let company = r.required_text(&f, "property_company");
    if let Some(c) = &county {
        check_county(&mut r, &f, c, campaign);
    }
    e.street = r.text(&f, "street");
    e.community = r.text(&f, "community");
    e.built = r.integer(&f, "built", 1900..=2100).map(|v| v as i32);
    e.households = r.integer(&f, "households", HOUSEHOLDS).map(|v| v as u32);
    if let Some(node) = f.get("floor_area") {
        match node.scalar_text() {
            Some(t)
                if t.trim()
                    .parse::<f64>()
                    .is_ok_and(|v| v > 0.0 && v.is_finite()) =>
            {
                e.floor_area = Some(t.trim().to_string())
            }
            _ if matches!(node.value, Value::Null) => {}
            _ => r.error(
                node.pos,
                format!("{}应为正数（平方米）", f.name("floor_area")),
                "只填数字，例如 `floor_area: 86500.5`，不要写单位",
            ),
        }
    }
    if let Some(ob) = r.text(&f, "owners_body") {
        e.owners_body = match ob.as_str() {
            "业主委员会" => Some(OwnersBody::Committee),
            "物业管理委员会" => Some(OwnersBody::ManagementCommittee),
            "无" => Some(OwnersBody::None),
            other => {
                r.error(
                    f.key_pos("owners_body"),
                    format!("业主组织 `{other}` 不是可选值"),
                    "请填写 业主委员会、物业管理委员会 或 无",
                );
                None
            }
        };
    }
    e.party_building = r.text(&f, "party_building");
    e.satisfaction = satisfaction(&mut r, &f);
    if let Some((d, pos)) = r.date(&f, "submitted") {
        e.submitted = Some(d);
        e.submitted_pos = pos;
    }
    if let Some(node) = f.get("contact")
        && let Some(c) = r.map(node, "申报联系人", CONTACT)
    {
        e.contact = PrivateContact {
            person: r.text(&c, "person"),
            phone: r.text(&c, "phone"),
        };
    }
    e.scores = scores(&mut r, &f, campaign);
    if let Some(node) = f.get("objection")
        && let Some(o) = r.map(node, "异议处理", OBJECTION)
    {
        let outcome = match r.required_text(&o, "outcome").as_deref() {
            Some("upheld") => Some(ObjectionOutcome::Upheld),
            Some("dismissed") => Some(ObjectionOutcome::Dismissed),
            Some(other) => {
                r.error(
                    o.key_pos("outcome"),
                    format!("异议处理结果 `{other}` 不是可选值"),
                    "异议成立写 `upheld`，异议不成立写 `dismissed`",
                );
                None
            }
            None => None,
        };
        if let Some(outcome) = outcome {
            e.objection = Some(Objection {
                outcome,
                note: r.text(&o, "note"),
            });
        }
    }
    for item in r.list(&f, "photos") {
        let Some(p) = r.map(item, "照片", PHOTO) else {
            continue;
        };
        let src = r.required_text(&p, "src");
        let alt = r.text(&p, "alt");
        if alt.is_none() {
            r.error(
                p.get("alt").map_or(p.pos, |n| n.pos),
                "照片缺少 `alt`（图片说明）",
                "请用一句话描述照片内容，例如 `alt: 小区南门和无障碍坡道`；读屏软件会把它读给视障居民听",
            );
        }
        if let Some(src) = &src {
            let pos = p.get("src").map_or(p.pos, |n| n.pos);
            if let Err((msg, hint)) =
                super::paths::check(content_root, &campaign.dir, src, &campaign.files)
            {
                r.error(pos, msg, hint);
                continue;
            }
        }
        if let (Some(src), Some(alt)) = (src, alt) {
            e.photos.push(Photo { src, alt });
        }
    }
    if let Some(node) = f.get("summary")
        && let Some(text) = r.text(&f, "summary")
    {
        e.summary = Some(Markdown {
            text,
            first_line: node.pos.line,
        });
    }
    e.name = name?;
    e.county = county?;
    e.address = address?;
    e.property_company = company?;
    Some(e)
}

fn check_county(r: &mut Reader, f: &Fields, county: &str, campaign: &Campaign) {
    if campaign.counties.iter().any(|c| c == county) {
        return;
    }
    let hint = match nearest(county, campaign.counties.iter().map(String::as_str)) {
        Some(n) => format!("您是不是想写 `{n}`？"),
        None => format!("本年度的县（市、区）有：{}", campaign.counties.join("、")),
    };
    r.error(
        f.get("county").map_or(f.pos, |n| n.pos),
        format!(
            "县（市、区）`{county}` 不在 {} 年度活动的名单中",
            campaign.year
        ),
        hint,
    );
}

fn satisfaction(r: &mut Reader, f: &Fields) -> Option<Satisfaction> {
    let node = f.get("satisfaction")?;
    let s = r.map(node, "满意度调查", SATISFACTION)?;
    let surveyed = r.integer(&s, "surveyed", SURVEYED);
    let satisfied = r.integer(&s, "satisfied", SATISFIED);
    for key in ["surveyed", "satisfied"] {
        if s.get(key).is_none() {
            r.error(
                s.pos,
                format!("满意度调查缺少 {}", s.name(key)),
                "请同时填写调查户数和满意户数",
            );
        }
    }
    let (surveyed, satisfied) = (surveyed?, satisfied?);
    if satisfied > surveyed {
        r.error(
            s.key_pos("satisfied"),
            format!("满意户数 {satisfied} 大于调查户数 {surveyed}"),
            "请核对满意度调查数据",
        );
        return None;
    }
    Some(Satisfaction {
        surveyed: surveyed as u32,
        satisfied: satisfied as u32,
    })
}

fn scores(r: &mut Reader, f: &Fields, campaign: &Campaign) -> Vec<ScoreSheet> {
    let criteria = &campaign.scoring.criteria;
    let mut sheets = Vec::new();
    for item in r.list(f, "scores") {
        let Some(s) = r.map(item, "评分表", SHEET) else {
            continue;
        };
        let expert = r.required_text(&s, "expert");
        let total = if criteria.is_empty() {
            if s.get("criteria").is_some() {
                r.error(
                    s.key_pos("criteria"),
                    "本年度活动没有设置评分项，不能按项打分",
                    "请改为填写 `total`（总分），或先在 campaign.yaml 的 scoring 中设置 criteria",
                );
                None
            } else {
                match s.get("total") {
                    Some(n) => r.points(n, "`total`（总分）", campaign.scoring.max),
                    None => {
                        r.error(
                            s.pos,
                            "评分表缺少 `total`（总分）",
                            "例如 `- {expert: 专家甲, total: 88.5}`",
                        );
                        None
                    }
                }
            }
        } else {
            if s.get("total").is_some() {
                r.error(
                    s.key_pos("total"),
                    "本年度活动按评分项打分，不能直接填写总分",
                    format!(
                        "请删除 `total`，在 `criteria` 中逐项填写：{}",
                        criteria
                            .iter()
                            .map(|c| format!("{}（{}）", c.key, c.name))
                            .collect::<Vec<_>>()
                            .join("、")
                    ),
                );
            }
            criteria_total(r, &s, campaign)
        };
        if let (Some(expert), Some(total)) = (expert, total) {
            sheets.push(ScoreSheet { expert, total });
        }
    }
    if campaign.scoring.method == crate::model::ScoreMethod::TrimmedMean
        && !sheets.is_empty()
        && sheets.len() < 3
    {
        r.error(
            f.key_pos("scores"),
            format!(
                "本年度按去掉一个最高分和一个最低分计分（trimmed_mean），至少需要 3 位专家的评分，这里只有 {} 位",
                sheets.len()
            ),
            "请补齐专家评分，或在 campaign.yaml 中把 method 改为 mean",
        );
    }
    sheets
}

/// The sum of one sheet's criteria, which must match the campaign's criteria exactly.
fn criteria_total(r: &mut Reader, s: &Fields, campaign: &Campaign) -> Option<Points> {
    let criteria = &campaign.scoring.criteria;
    let Some(node) = s.get("criteria") else {
        r.error(
            s.pos,
            "评分表缺少 `criteria`（各项得分）",
            "请按 campaign.yaml 中的评分项逐项打分",
        );
        return None;
    };
    let Value::Map(entries) = &node.value else {
        r.error(
            node.pos,
            "`criteria`（各项得分）应为“评分项: 分值”的形式",
            "例如 `criteria: {satisfaction: 27, party: 18}`",
        );
        return None;
    };
    let mut sum = 0i64;
    let mut ok = true;
    // Which criteria this sheet scores, by their index in `criteria`.
    let mut seen = vec![false; criteria.len()];
    for (key, value) in entries {
        match criteria.iter().position(|c| c.key == key.name) {
            Some(i) => {
                let c = &criteria[i];
                seen[i] = true;
                match r.points(
                    value,
                    format_args!("评分项 `{}`（{}）", c.key, c.name),
                    c.max,
                ) {
                    Some(p) => sum += p.0,
                    None => ok = false,
                }
            }
            None => {
                ok = false;
                let hint = match nearest(&key.name, criteria.iter().map(|c| c.key.as_str())) {
                    Some(n) => format!("您是不是想写 `{n}`？"),
                    None => format!(
                        "本年度的评分项有：{}",
                        criteria
                            .iter()
                            .map(|c| format!("`{}`", c.key))
                            .collect::<Vec<_>>()
                            .join("、")
                    ),
                };
                r.error(
                    key.pos,
                    format!("评分项 `{}` 不在本年度的评分办法中", key.name),
                    hint,
                );
            }
        }
    }
    for (c, _) in criteria.iter().zip(&seen).filter(|(_, seen)| !**seen) {
        ok = false;
        // A misspelt key already has an error that suggests this one.
        let misspelt = entries.iter().any(|(k, _)| {
            !criteria.iter().any(|c| c.key == k.name)
                && nearest(&k.name, criteria.iter().map(|c| c.key.as_str())) == Some(&c.key)
        });
        if !misspelt {
            r.error(
                s.key_pos("criteria"),
                format!("这份评分表缺少评分项 `{}`（{}）的分值", c.key, c.name),
                format!("请补上 `{}: 分值`（满分 {}）", c.key, points_text(c.max)),
            );
        }
    }
    ok.then_some(Points(sum))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Criterion, Scoring};
    use std::path::PathBuf;

    fn campaign() -> Campaign {
        let c = |key: &str, max| Criterion {
            key: key.into(),
            name: key.into(),
            max: Points(max),
        };
        Campaign {
            year: 2025,
            counties: vec!["容县".into()],
            scoring: Scoring {
                max: Points(10000),
                criteria: vec![c("a", 6000), c("b", 4000)],
                ..Default::default()
            },
            ..Default::default()
        }
    }

    fn read(yaml: &str) -> (Option<Estate>, Vec<String>) {
        let doc = YamlDoc {
            path: PathBuf::from("e.yaml"),
            slug: "e".into(),
            node: crate::load::yaml::parse(yaml, 0).unwrap(),
        };
        let mut diags = Diagnostics::default();
        let e = estate(&doc, &campaign(), Path::new("."), &mut diags);
        (e, diags.sorted().iter().map(|d| d.to_string()).collect())
    }

    const BASE: &str = "name: 甲\ncounty: 容县\naddress: 某路1号\nproperty_company: 某物业\n";

    // Each sheet's criteria are summed exactly into its total.
    #[test]
    fn criteria_are_summed() {
        let (e, diags) = read(&format!(
            "{BASE}scores:\n  - {{expert: 甲, criteria: {{a: 55.5, b: 37.25}}}}\n"
        ));
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(e.unwrap().scores[0].total, Points(9275));
    }

    // A criterion above its own maximum, and a missing one, are both reported.
    #[test]
    fn criteria_out_of_range_and_missing() {
        let (_, diags) = read(&format!(
            "{BASE}scores:\n  - {{expert: 甲, criteria: {{a: 61}}}}\n"
        ));
        assert_eq!(diags.len(), 2, "{diags:?}");
        assert!(diags.iter().any(|d| d.contains("超出范围")));
        assert!(diags.iter().any(|d| d.contains("缺少评分项 `b`")));
    }
}
