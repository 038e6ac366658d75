//! Validates one case study's front matter against its campaign.

use crate::diag::Diagnostics;
use crate::load::MarkdownDoc;
use crate::model::{Campaign, Experience};

use super::fields::{FieldSpec, Reader, nearest};

const EXPERIENCE: &[FieldSpec] = &[
    ("title", "标题"),
    ("estate", "所属小区"),
    ("county", "所在县（市、区）"),
    ("tags", "主题标签"),
    ("author", "作者"),
    ("date", "发布日期"),
    ("summary", "摘要"),
];

/// Reads the case study; `estate` references are checked here against `campaign.estates`,
/// so the campaign's estates must already be validated.
pub fn experience(
    doc: &MarkdownDoc,
    campaign: &Campaign,
    diags: &mut Diagnostics,
) -> Option<Experience> {
    let mut r = Reader::new(&doc.path, diags);
    super::check_slug(&mut r, &doc.slug);
    let f = r.map(&doc.front, "案例信息块", EXPERIENCE)?;
    let title = r.required_text(&f, "title");
    let mut x = Experience {
        slug: doc.slug.clone(),
        source: doc.path.clone(),
        author: r.text(&f, "author"),
        date: r.date(&f, "date").map(|(d, _)| d),
        summary: r.text(&f, "summary"),
        body: doc.body.clone(),
        ..Default::default()
    };
    let mut tags: Vec<String> = Vec::new();
    for (tag, _) in r.text_list(&f, "tags") {
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    x.tags = tags;
    let county = r.text(&f, "county");
    if let Some(c) = &county
        && !campaign.counties.contains(c)
    {
        let hint = nearest(c, campaign.counties.iter().map(String::as_str)).map_or_else(
            || format!("本年度的县（市、区）有：{}", campaign.counties.join("、")),
            |n| format!("您是不是想写 `{n}`？"),
        );
        r.error(
            f.get("county").map_or(f.pos, |n| n.pos),
            format!("县（市、区）`{c}` 不在 {} 年度活动的名单中", campaign.year),
            hint,
        );
    }
    if let Some(slug) = r.text(&f, "estate") {
        let pos = f.get("estate").map_or(f.pos, |n| n.pos);
        match campaign.estate(&slug) {
            Some(estate) => {
                // A county outside the list has its own error above.
                if let Some(c) = &county
                    && *c != estate.county
                    && campaign.counties.contains(c)
                {
                    r.error(
                        f.get("county").map_or(pos, |n| n.pos),
                        format!(
                            "案例写的县（市、区）`{c}` 与小区 `{slug}` 所在的 `{}` 不一致",
                            estate.county
                        ),
                        "删除案例的 county 字段即可自动采用小区所在县（市、区）",
                    );
                }
                x.county = Some(estate.county.clone());
            }
            None => {
                let hint = match nearest(&slug, campaign.estates.iter().map(|e| e.slug.as_str())) {
                    Some(n) => format!(
                        "您是不是想写 `{n}`？小区代码就是 estates 文件夹里的文件名（不含 .yaml）"
                    ),
                    None => format!(
                        "小区代码就是 content/campaigns/{}/estates/ 里的文件名（不含 .yaml）",
                        campaign.year
                    ),
                };
                r.error(
                    pos,
                    format!("找不到 {} 年度的小区 `{slug}`", campaign.year),
                    hint,
                );
            }
        }
        x.estate = Some(slug);
    }
    if x.county.is_none() {
        x.county = county;
    }
    x.title = title?;
    Some(x)
}
