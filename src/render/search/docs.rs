//! The searchable documents of a site: which page each stands for, and what it holds.

use super::plain_text::{new_block, plain_text};
use super::{DocKind, SearchDoc};
use crate::model::Site;

/// Which page a search document stands for; the renderer turns it into the page's address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocRef<'a> {
    Estate { year: i32, slug: &'a str },
    Case { year: i32, slug: &'a str },
    Notice { year: i32 },
    Page { slug: &'a str },
}

/// The searchable documents of a whole site: every estate, case study, campaign notice and
/// free page of every year. `url` gives each page's address relative to the site root.
/// Only public fields are read: never an estate's applicant contact nor an expert's name.
pub fn site_docs(site: &Site, url: &dyn Fn(DocRef<'_>) -> String) -> Vec<SearchDoc> {
    let mut docs = Vec::new();
    for c in &site.campaigns {
        let year = c.year;
        if let Some(n) = &c.notice {
            let mut fields = vec![c.document.number.clone(), c.document.issuer.clone()];
            fields.retain(|f| !f.is_empty());
            docs.push(SearchDoc {
                url: url(DocRef::Notice { year }),
                title: n.title.clone().unwrap_or_else(|| c.title.clone()),
                kind: DocKind::Notice,
                county: None,
                year: Some(year),
                fields,
                body: plain_text(&n.body.text),
            });
        }
        for e in &c.estates {
            let fields = [
                e.street.as_deref(),
                e.community.as_deref(),
                Some(e.address.as_str()),
                Some(e.property_company.as_str()),
            ]
            .into_iter()
            .flatten()
            .filter(|f| !f.is_empty())
            .map(str::to_owned)
            .collect();
            let mut body = e
                .summary
                .as_ref()
                .map(|s| plain_text(&s.text))
                .unwrap_or_default();
            if let Some(p) = &e.party_building {
                new_block(&mut body);
                body.push_str(p.trim());
            }
            docs.push(SearchDoc {
                url: url(DocRef::Estate {
                    year,
                    slug: &e.slug,
                }),
                title: e.name.clone(),
                kind: DocKind::Estate,
                county: Some(e.county.clone()).filter(|c| !c.is_empty()),
                year: Some(year),
                fields,
                body,
            });
        }
        for x in &c.experiences {
            let mut fields = x.tags.clone();
            fields.extend(x.summary.clone());
            docs.push(SearchDoc {
                url: url(DocRef::Case {
                    year,
                    slug: &x.slug,
                }),
                title: x.title.clone(),
                kind: DocKind::Case,
                county: x.county.clone(),
                year: Some(year),
                fields,
                body: plain_text(&x.body.text),
            });
        }
    }
    for p in &site.pages {
        docs.push(SearchDoc {
            url: url(DocRef::Page { slug: &p.slug }),
            title: p.title.clone(),
            kind: DocKind::Page,
            county: None,
            year: None,
            fields: p.summary.clone().into_iter().collect(),
            body: plain_text(&p.body.text),
        });
    }
    docs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        Campaign, Estate, Experience, Markdown, Page, Points, PrivateContact, ScoreSheet,
    };
    use crate::render::search::{SearchIndex, build, query_terms};

    /// A site whose private fields hold sentinels that must appear in no index file.
    #[test]
    fn no_private_field_reaches_the_index() {
        let estate = Estate {
            slug: "yuzhou-a".into(),
            name: "示例小区".into(),
            county: "玉州区".into(),
            street: Some("名山街道".into()),
            address: "示例大道 1 号".into(),
            property_company: "示例物业服务有限公司".into(),
            summary: Some(Markdown {
                text: "加装电梯".into(),
                first_line: 1,
            }),
            party_building: Some("成立党支部".into()),
            contact: PrivateContact {
                person: Some("私密联系人甲乙".into()),
                phone: Some("13900009999".into()),
            },
            scores: vec![ScoreSheet {
                expert: "私密专家丙丁".into(),
                total: Points(9000),
            }],
            ..Default::default()
        };
        let case = Experience {
            slug: "lift".into(),
            title: "加装电梯经验".into(),
            estate: Some("yuzhou-a".into()),
            county: Some("玉州区".into()),
            tags: vec!["老旧小区改造".into()],
            summary: Some("摘要".into()),
            body: Markdown {
                text: "## 做法\n正文".into(),
                first_line: 8,
            },
            ..Default::default()
        };
        let site = Site {
            campaigns: vec![Campaign {
                year: 2025,
                title: "2025年度活动".into(),
                estates: vec![estate],
                experiences: vec![case],
                ..Default::default()
            }],
            pages: vec![Page {
                slug: "about".into(),
                title: "关于".into(),
                body: Markdown {
                    text: "介绍".into(),
                    first_line: 3,
                },
                ..Default::default()
            }],
            ..Default::default()
        };
        let docs = site_docs(&site, &|r| format!("{r:?}"));
        assert_eq!(docs.len(), 3);
        let files = build(&docs);
        let all: String = files
            .iter()
            .map(|(_, b)| String::from_utf8(b.clone()).unwrap())
            .collect();
        for sentinel in ["私密联系人甲乙", "13900009999", "私密专家丙丁"] {
            assert!(!all.contains(sentinel), "{sentinel} leaked");
            // Nor any of its terms: a bigram of a private name must not be searchable.
            for t in query_terms(sentinel) {
                if t.chars().count() > 1 || t.is_ascii() {
                    assert!(SearchIndex::new(&docs).lookup(&t).is_none(), "{t} leaked");
                }
            }
        }
        assert!(all.contains("示例物业服务有限公司"));
        let index = SearchIndex::new(&docs);
        assert_eq!(index.search("加装电梯").len(), 2);
    }
}
