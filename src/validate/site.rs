//! Validates the site-wide files: `site.yaml`, `calendar.yaml` and the free pages.

use crate::diag::Diagnostics;
use crate::load::{MarkdownDoc, YamlDoc};
use crate::model::{CalendarOverlay, Contact, DayRange, Footer, NamedDay, Page, SiteConfig};

use super::fields::{FieldSpec, Fields, Reader};

const SITE: &[FieldSpec] = &[
    ("title", "网站名称"),
    ("base_url", "网站地址"),
    ("publisher", "主办单位"),
    ("organizer", "承办单位"),
    ("language", "语言"),
    ("theme", "主题"),
    ("contact", "联系方式"),
    ("footer", "页脚备案信息"),
];
pub(super) const CONTACT: &[FieldSpec] = &[
    ("person", "联系人"),
    ("phone", "电话"),
    ("email", "电子邮箱"),
    ("address", "地址"),
];
const FOOTER: &[FieldSpec] = &[
    ("site_code", "网站标识码"),
    ("icp", "ICP备案号"),
    ("police", "公安备案号"),
];
const CALENDAR: &[FieldSpec] = &[
    ("holidays", "额外休息日"),
    ("workdays", "调休上班日"),
    ("years", "补充全国安排的年份"),
];
const HOLIDAY: &[FieldSpec] = &[
    ("date", "日期"),
    ("from", "开始日期"),
    ("to", "结束日期"),
    ("name", "名称"),
];
const WORKDAY: &[FieldSpec] = &[("date", "日期"), ("name", "名称")];
const PAGE: &[FieldSpec] = &[
    ("title", "标题"),
    ("date", "发布日期"),
    ("summary", "摘要"),
    ("order", "导航顺序"),
];

pub fn site_config(doc: &YamlDoc, diags: &mut Diagnostics) -> SiteConfig {
    let mut r = Reader::new(&doc.path, diags);
    let mut cfg = SiteConfig {
        language: "zh-CN".into(),
        theme: "default".into(),
        ..Default::default()
    };
    let Some(f) = r.map(&doc.node, "网站设置", SITE) else {
        return cfg;
    };
    cfg.title = r.required_text(&f, "title").unwrap_or_default();
    cfg.base_url = r.required_text(&f, "base_url").unwrap_or_default();
    let absolute = ["https://", "http://", "/"]
        .iter()
        .any(|p| cfg.base_url.starts_with(p));
    if !cfg.base_url.is_empty() && !absolute {
        r.error(
            f.key_pos("base_url"),
            format!("网站地址 `{}` 格式不对", cfg.base_url),
            "请写完整地址，例如 https://zjj.yulin.gov.cn/mhjy/（以 http:// 或 https:// 开头）",
        );
    }
    cfg.publisher = r.required_text(&f, "publisher").unwrap_or_default();
    cfg.organizer = r.text(&f, "organizer");
    if let Some(lang) = r.text(&f, "language") {
        cfg.language = lang;
    }
    if let Some(theme) = r.text(&f, "theme") {
        cfg.theme = theme;
    }
    if let Some(node) = f.get("contact")
        && let Some(c) = r.map(node, "联系方式", CONTACT)
    {
        cfg.contact = contact(&mut r, &c);
    }
    if let Some(node) = f.get("footer")
        && let Some(ft) = r.map(node, "页脚备案信息", FOOTER)
    {
        cfg.footer = Footer {
            site_code: r.text(&ft, "site_code"),
            icp: r.text(&ft, "icp"),
            police: r.text(&ft, "police"),
        };
    }
    cfg
}

pub(super) fn contact(r: &mut Reader, f: &Fields) -> Contact {
    Contact {
        person: r.text(f, "person"),
        phone: r.text(f, "phone"),
        email: r.text(f, "email"),
        address: r.text(f, "address"),
    }
}

pub fn calendar(doc: &YamlDoc, diags: &mut Diagnostics) -> CalendarOverlay {
    let mut r = Reader::new(&doc.path, diags);
    let mut cal = CalendarOverlay::default();
    if matches!(doc.node.value, crate::load::yaml::Value::Null) {
        return cal;
    }
    let Some(f) = r.map(&doc.node, "地方日历", CALENDAR) else {
        return cal;
    };
    for item in r.list(&f, "holidays") {
        let Some(h) = r.map(item, "额外休息日", HOLIDAY) else {
            continue;
        };
        let name = r.required_text(&h, "name").unwrap_or_default();
        let single = r.date(&h, "date");
        let from = r.date(&h, "from");
        let to = r.date(&h, "to");
        match (single, from, to) {
            (Some((d, _)), None, None) => cal.holidays.push(DayRange {
                from: d,
                to: d,
                name,
            }),
            (None, Some((a, _)), Some((b, pos))) => {
                if b < a {
                    r.error(pos, "结束日期早于开始日期", "请检查 from 和 to 是否写反");
                } else if (b - a).num_days() > 366 {
                    r.error(pos, "休息日区间超过一年", "请检查年份是否写错");
                } else {
                    cal.holidays.push(DayRange {
                        from: a,
                        to: b,
                        name,
                    });
                }
            }
            _ => {
                if h.get("date").is_none() && (h.get("from").is_none() || h.get("to").is_none()) {
                    r.error(
                        h.pos,
                        "休息日需要写 `date`（单日）或同时写 `from` 和 `to`（区间）",
                        "例如 `{from: 2026-04-20, to: 2026-04-21, name: 壮族三月三}`",
                    );
                }
            }
        }
    }
    for item in r.list(&f, "workdays") {
        let Some(w) = r.map(item, "调休上班日", WORKDAY) else {
            continue;
        };
        let name = r.required_text(&w, "name").unwrap_or_default();
        if let Some((date, _)) = r.date(&w, "date") {
            cal.workdays.push(NamedDay { date, name });
        } else if w.get("date").is_none() {
            r.error(
                w.pos,
                "调休上班日缺少 `date`",
                "例如 `{date: 2026-10-10, name: 国庆节调休上班}`",
            );
        }
    }
    if let Some(node) = f.get("years") {
        if let crate::load::yaml::Value::Seq(items) = &node.value {
            for item in items {
                if let Some(y) = r.integer_node(item, "`years`（补充全国安排的年份）", 2000..=2100)
                {
                    cal.years.push(y as i32);
                }
            }
        } else {
            r.list(&f, "years");
        }
    }
    cal
}

pub fn page(doc: &MarkdownDoc, diags: &mut Diagnostics) -> Option<Page> {
    let mut r = Reader::new(&doc.path, diags);
    super::check_slug(&mut r, &doc.slug);
    let f = r.map(&doc.front, "页面信息块", PAGE)?;
    Some(Page {
        slug: doc.slug.clone(),
        source: doc.path.clone(),
        title: r.required_text(&f, "title")?,
        date: r.date(&f, "date").map(|(d, _)| d),
        summary: r.text(&f, "summary"),
        order: r.integer(&f, "order", -10000..=10000).unwrap_or(100),
        body: doc.body.clone(),
    })
}
