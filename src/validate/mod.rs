//! Validate: turn the loaded trees into the typed model, reporting every broken rule at
//! once. Errors stop a build; warnings (see `warnings`) are about derived facts.

pub mod campaign;
pub mod estate;
pub mod experience;
pub mod fields;
pub mod paths;
pub mod site;
pub mod warnings;

use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

use crate::diag::{Diagnostic, Diagnostics, Pos};
use crate::load::{self, CampaignFiles, Loaded};
use crate::model::{Campaign, Site};
use fields::Reader;

/// Builds the model from the site-wide files (`load_site`); campaign years are added by
/// `campaign_with_records`. Records with errors are left out of the model; their errors
/// are in `diags`.
pub fn validate(loaded: &Loaded, diags: &mut Diagnostics) -> Site {
    let mut site = Site::default();
    if let Some(doc) = &loaded.site {
        site.config = site::site_config(doc, diags);
    }
    if let Some(doc) = &loaded.calendar {
        site.calendar = site::calendar(doc, diags);
    }
    site.pages = loaded
        .pages
        .iter()
        .filter_map(|d| site::page(d, diags))
        .collect();
    duplicate_slugs(
        site.pages.iter().map(|p| (&p.slug, &p.source)),
        "页面",
        diags,
    );
    site.pages
        .sort_by(|a, b| (a.order, &a.slug).cmp(&(b.order, &b.slug)));
    site
}

/// One campaign folder's records as the model, or `None` when its folder name or its
/// `campaign.yaml` is unusable (the problems are in `diags`). Each estate is read, parsed
/// and validated in one parallel task, so its tree is dropped as soon as its record is
/// built.
pub fn campaign_with_records(
    root: &Path,
    files: &CampaignFiles,
    diags: &mut Diagnostics,
) -> Option<Campaign> {
    let campaign = campaign_settings(files, diags);
    let Some(mut c) = campaign else {
        // Without usable settings no record can be built, but every file is still read
        // for its own reading and syntax errors.
        load::read_yaml_files(root, &files.estates, 0, diags, |_, _| ());
        load::read_markdown_files(root, &files.experiences, 0, diags, |_, _| ());
        return None;
    };
    if let Some(doc) = &files.notice {
        c.notice = campaign::notice(doc, diags);
    }
    c.files = files.files.clone();
    // An estate's record and messages depend on its file, its year's settings and files
    // (`c` so far) and the site folder (photo paths are checked on disk).
    let context = fingerprint(&(root, &c));
    // Behind one `Arc`: the preview's cache hands back a shared result, not three copies.
    let estates = load::read_yaml_files(root, &files.estates, context, diags, |doc, d| {
        let estate = estate::estate(&doc, &c, root, d);
        std::sync::Arc::new((doc.slug, doc.path, estate.map(std::sync::Arc::new)))
    });
    duplicate_slugs(estates.iter().map(|e| (&e.0, &e.1)), "小区", diags);
    c.estates = estates.iter().filter_map(|e| e.2.clone()).collect();
    // Sorted (stably) before the case studies look their estate up by slug.
    c.estates.sort_by(|a, b| a.slug.cmp(&b.slug));
    let docs = load::read_markdown_files(root, &files.experiences, 0, diags, |doc, _| {
        std::sync::Arc::new(doc)
    });
    let results: Vec<_> = docs
        .par_iter()
        .map(|doc| {
            let mut d = Diagnostics::default();
            (experience::experience(doc, &c, &mut d), d)
        })
        .collect();
    let mut experiences = Vec::with_capacity(results.len());
    for (x, d) in results {
        diags.extend(d);
        experiences.extend(x);
    }
    duplicate_slugs(docs.iter().map(|d| (&d.slug, &d.path)), "案例", diags);
    c.experiences = experiences;
    c.experiences.sort_by(|a, b| a.slug.cmp(&b.slug));
    Some(c)
}

/// A number that changes whenever `what` does (almost surely), for the preview's cache;
/// `Debug` prints every field.
fn fingerprint(what: &impl std::fmt::Debug) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    format!("{what:?}").hash(&mut h);
    h.finish()
}

/// The campaign settings, when the folder is named for a year and `campaign.yaml` is
/// usable.
fn campaign_settings(files: &CampaignFiles, diags: &mut Diagnostics) -> Option<Campaign> {
    if files.dir_name.len() != 4 || files.dir_name.parse::<i32>().is_err() {
        diags.push(
            Diagnostic::error(
                &files.dir,
                Pos::FILE,
                format!("年度文件夹名 `{}` 不是四位年份", files.dir_name),
            )
            .hint("content/campaigns/ 下的文件夹应以年份命名，例如 2025"),
        );
        return None;
    }
    campaign::campaign(files, files.campaign.as_ref()?, diags)
}

/// Two files whose slugs differ only by extension or letter case would overwrite each
/// other's page (and clash on Windows, where staff often work).
fn duplicate_slugs<'a>(
    items: impl Iterator<Item = (&'a String, &'a std::path::PathBuf)>,
    what: &str,
    diags: &mut Diagnostics,
) {
    let mut seen: BTreeMap<String, &std::path::PathBuf> = BTreeMap::new();
    for (slug, path) in items {
        let key = slug.to_lowercase();
        if let Some(first) = seen.get(&key) {
            diags.push(
                Diagnostic::error(
                    path,
                    Pos::FILE,
                    format!(
                        "{what}代码 `{slug}` 与 {} 重复",
                        crate::diag::display_path(first)
                    ),
                )
                .hint("每个文件名（不含扩展名）必须唯一，请给其中一个文件改名"),
            );
        } else {
            seen.insert(key, path);
        }
    }
}

/// Slugs become URLs: lowercase ASCII letters, digits and single hyphens.
pub fn check_slug(r: &mut Reader, slug: &str) {
    let ok = !slug.is_empty()
        && slug.len() <= 80
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--");
    if !ok {
        let suggestion: String = slug
            .to_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect::<String>()
            .split('-')
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        let hint = if suggestion.is_empty() {
            "文件名会成为网址的一部分，只能用小写英文字母、数字和连字符；中文名称请改用拼音，例如 `yuzhou-jinwan-huayuan`".to_string()
        } else {
            format!(
                "文件名会成为网址的一部分，只能用小写英文字母、数字和连字符，例如改名为 `{suggestion}`"
            )
        };
        r.error(Pos::FILE, format!("文件名 `{slug}` 不能用作网址代码"), hint);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn slug_errors(slug: &str) -> Vec<(String, String)> {
        let mut diags = Diagnostics::default();
        let mut r = Reader::new(Path::new("x.yaml"), &mut diags);
        check_slug(&mut r, slug);
        diags
            .iter()
            .map(|d| (d.message.clone(), d.hint.clone().unwrap_or_default()))
            .collect()
    }

    // Lowercase ASCII letters, digits and single inner hyphens make a slug.
    #[test]
    fn good_slugs() {
        for slug in ["yuzhou-jinwan", "a", "2025-no1", "x-1-y"] {
            assert!(slug_errors(slug).is_empty(), "{slug}");
        }
    }

    // Capitals, underscores, spaces, Chinese and stray hyphens are refused, with a
    // proposed name where one can be made.
    #[test]
    fn bad_slugs() {
        let e = slug_errors("Rongxian_Jingxiu");
        assert!(e[0].1.contains("`rongxian-jingxiu`"), "{e:?}");
        let e = slug_errors("jin wan--huayuan-");
        assert!(e[0].1.contains("`jin-wan-huayuan`"), "{e:?}");
        let e = slug_errors("景秀苑");
        assert!(e[0].1.contains("拼音"), "{e:?}");
        for slug in ["-a", "a-", "a--b", ""] {
            assert_eq!(slug_errors(slug).len(), 1, "{slug}");
        }
        assert_eq!(slug_errors(&"a".repeat(81)).len(), 1);
    }

    // Slugs equal up to letter case clash, reported on the later file naming the first.
    #[test]
    fn duplicate_slugs_ignore_case() {
        let items = [
            ("Foo".to_string(), PathBuf::from("e/Foo.yaml")),
            ("foo".to_string(), PathBuf::from("e/foo.yml")),
            ("bar".to_string(), PathBuf::from("e/bar.yaml")),
        ];
        let mut diags = Diagnostics::default();
        duplicate_slugs(items.iter().map(|(s, p)| (s, p)), "小区", &mut diags);
        let d: Vec<_> = diags.iter().collect();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].file, "e/foo.yml");
        assert!(d[0].message.contains("e/Foo.yaml"), "{}", d[0].message);
    }
}
