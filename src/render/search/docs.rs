//! The searchable documents of a site: which page each stands for, and what it holds.

use super::index::order;
use super::plain_text::{new_block, plain_text};
use super::{DocKind, SearchDoc};
use crate::model::{Campaign, Estate, Experience, Notice, Page, Site};

/// Which page a search document stands for; the renderer turns it into the page's address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocRef<'a> {
    Estate { year: i32, slug: &'a str },
    Case { year: i32, slug: &'a str },
    Notice { year: i32 },
    Page { slug: &'a str },
}

/// A searchable document before its text is made: what puts it in order (see
/// [`order`](super::index::order)), and where the rest comes from.
pub struct DocSource<'a> {
    pub url: String,
    pub title: &'a str,
    pub kind: DocKind,
    pub year: Option<i32>,
    from: Origin<'a>,
}

enum Origin<'a> {
    Notice(&'a Campaign, &'a Notice),
    Estate(&'a Estate),
    Case(&'a Experience),
    Page(&'a Page),
}

/// The searchable documents of a whole site: every estate, case study, campaign notice and
/// free page of every year, sorted in the index's document order. `url` gives each page's
/// address relative to the site root.
pub fn doc_sources<'a>(site: &'a Site, url: &dyn Fn(DocRef<'_>) -> String) -> Vec<DocSource<'a>> {
    let mut sources = Vec::new();
    for c in &site.campaigns {
        let year = Some(c.year);
        if let Some(n) = &c.notice {
            sources.push(DocSource {
                url: url(DocRef::Notice { year: c.year }),
                title: n.title.as_deref().unwrap_or(&c.title),
                kind: DocKind::Notice,
                year,
                from: Origin::Notice(c, n),
            });
        }
        for e in &c.estates {
            sources.push(DocSource {
                url: url(DocRef::Estate {
                    year: c.year,
                    slug: &e.slug,
                }),
                title: &e.name,
                kind: DocKind::Estate,
                year,
                from: Origin::Estate(e),
            });
        }
        for x in &c.experiences {
            sources.push(DocSource {
                url: url(DocRef::Case {
                    year: c.year,
                    slug: &x.slug,
                }),
                title: &x.title,
                kind: DocKind::Case,
                year,
                from: Origin::Case(x),
            });
        }
    }
    for p in &site.pages {
        sources.push(DocSource {
            url: url(DocRef::Page { slug: &p.slug }),
            title: &p.title,
            kind: DocKind::Page,
            year: None,
            from: Origin::Page(p),
        });
    }
    sources.sort_by(|a, b| {
        order(a.year, a.kind, &a.url, a.title).cmp(&order(b.year, b.kind, &b.url, b.title))
    });
    sources
}

impl DocSource<'_> {
    /// The document, with its text. Only public fields are read: never an estate's
    /// applicant contact nor an expert's name.
    pub fn doc(&self) -> SearchDoc {
        let (county, fields, body) = match self.from {
            Origin::Notice(c, n) => {
                let mut fields = vec![c.document.number.clone(), c.document.issuer.clone()];
                fields.retain(|f| !f.is_empty());
                (None, fields, plain_text(&n.body.text))
            }
            Origin::Estate(e) => {
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
                (
                    Some(e.county.clone()).filter(|c| !c.is_empty()),
                    fields,
                    body,
                )
            }
            Origin::Case(x) => {
                let mut fields = x.tags.clone();
                fields.extend(x.summary.clone());
                (x.county.clone(), fields, plain_text(&x.body.text))
            }
            Origin::Page(p) => (
                None,
                p.summary.clone().into_iter().collect(),
                plain_text(&p.body.text),
            ),
        };
        SearchDoc {
            url: self.url.clone(),
            title: self.title.to_owned(),
            kind: self.kind,
            county,
            year: self.year,
            fields,
            body,
        }
    }
}

/// Every searchable document of a site, with its text, in the index's document order
/// (see [`doc_sources`]).
pub fn site_docs(site: &Site, url: &dyn Fn(DocRef<'_>) -> String) -> Vec<SearchDoc> {
    doc_sources(site, url).iter().map(DocSource::doc).collect()
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
            campaigns: vec![std::sync::Arc::new(Campaign {
                year: 2025,
                title: "2025年度活动".into(),
                estates: vec![estate.into()],
                experiences: vec![case],
                ..Default::default()
            })],
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
