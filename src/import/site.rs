//! What the import needs from the site: the campaign folder, its counties, and the
//! estate records already there (so that nothing is overwritten by accident).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::load::yaml::{self, Node, Value};

/// The campaign the rows are imported into.
#[derive(Clone, Debug)]
pub struct Campaign {
    pub year: i32,
    /// `content/campaigns/<year>` under the site root.
    pub dir: PathBuf,
    /// The `counties` list of `campaign.yaml`; `None` when it could not be read.
    pub counties: Option<Vec<String>>,
}

impl Campaign {
    pub fn estates_dir(&self) -> PathBuf {
        self.dir.join("estates")
    }
}

/// The requested year's campaign, or the latest one. Errors are Chinese (message, hint).
pub fn find_campaign(root: &Path, year: Option<i32>) -> Result<Campaign, (String, String)> {
    let campaigns = root.join("content").join("campaigns");
    let years = campaign_years(&campaigns);
    let year = match year {
        Some(y) if years.contains(&y) => y,
        Some(y) => {
            return Err((
                format!("找不到 {y} 年度的活动文件夹 content/campaigns/{y}/"),
                "请先建立该年度的 campaign.yaml，或用 --year 指定已有的年度；--root 应指向网站根目录"
                    .to_string(),
            ));
        }
        None => *years.last().ok_or_else(|| {
            (
                format!("在 {} 下没有找到任何年度活动文件夹", campaigns.display()),
                "请在网站根目录（包含 content/ 的文件夹）下运行，或用 --root 指定网站根目录"
                    .to_string(),
            )
        })?,
    };
    let dir = campaigns.join(year.to_string());
    let counties = std::fs::read_to_string(dir.join("campaign.yaml"))
        .ok()
        .and_then(|text| yaml::parse(&text, 0).ok())
        .and_then(|node| counties_of(&node));
    Ok(Campaign {
        year,
        dir,
        counties,
    })
}

/// Folder names under `content/campaigns/` that are years, ascending.
fn campaign_years(dir: &Path) -> Vec<i32> {
    let mut years: Vec<i32> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_dir())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            (name.len() == 4 && name.bytes().all(|b| b.is_ascii_digit()))
                .then(|| name.parse().ok())
                .flatten()
        })
        .collect();
    years.sort_unstable();
    years
}

/// `counties:` as a list of names; validation of its shape belongs to `check`.
fn counties_of(root: &Node) -> Option<Vec<String>> {
    match &root.get("counties")?.value {
        Value::Seq(items) => {
            let names: Vec<String> = items.iter().filter_map(Node::scalar_text).collect();
            (!names.is_empty()).then_some(names)
        }
        _ => None,
    }
}

/// The records already in `estates/`: every file stem (taken as a slug), and the slug of
/// each record by (county, name), so that re-importing a sheet finds the same estates.
#[derive(Debug, Default)]
pub struct Existing {
    pub stems: Vec<String>,
    pub by_estate: HashMap<(String, String), String>,
}

pub fn existing_records(estates_dir: &Path) -> Existing {
    let mut existing = Existing::default();
    for entry in std::fs::read_dir(estates_dir)
        .into_iter()
        .flatten()
        .flatten()
    {
        let path = entry.path();
        let Some(stem) = path.file_stem().map(|s| s.to_string_lossy().to_string()) else {
            continue;
        };
        existing.stems.push(stem.clone());
        if path.extension().and_then(|e| e.to_str()) != Some("yaml") {
            continue;
        }
        // A record that does not parse is still a taken name; `check` reports it.
        let Some(node) = std::fs::read_to_string(&path)
            .ok()
            .and_then(|t| yaml::parse(&t, 0).ok())
        else {
            continue;
        };
        let text = |k: &str| node.get(k).and_then(Node::scalar_text);
        if let (Some(county), Some(name)) = (text("county"), text("name")) {
            existing
                .by_estate
                .insert((county.trim().to_string(), name.trim().to_string()), stem);
        }
    }
    existing.stems.sort();
    existing
}

/// The known county nearest to an unknown one, for a "did you mean" hint.
pub fn nearest_county<'a>(counties: &'a [String], wanted: &str) -> Option<&'a str> {
    counties
        .iter()
        .map(|c| (strsim::normalized_levenshtein(c, wanted), c.as_str()))
        .filter(|(score, _)| *score > 0.0)
        .fold(None, |best: Option<(f64, &str)>, cand| match best {
            Some(b) if b.0 >= cand.0 => Some(b),
            _ => Some(cand),
        })
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    // The county list is read from campaign.yaml's tree.
    #[test]
    fn reads_counties() {
        let node = yaml::parse("year: 2025\ncounties: [玉州区, 容县, 北流市]\n", 0).unwrap();
        assert_eq!(
            counties_of(&node),
            Some(vec![
                "玉州区".to_string(),
                "容县".to_string(),
                "北流市".to_string()
            ])
        );
    }

    // A near miss suggests the county it most resembles.
    #[test]
    fn nearest() {
        let counties: Vec<String> = ["玉州区", "福绵区", "容县", "北流市"]
            .map(String::from)
            .to_vec();
        assert_eq!(nearest_county(&counties, "玉州"), Some("玉州区"));
        assert_eq!(nearest_county(&counties, "北流"), Some("北流市"));
    }
}
