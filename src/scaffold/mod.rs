//! Scaffolds: the commented sample records that `init` and `new` write, each field with its
//! Chinese label beside it.

const SITE: &str = include_str!("site.yaml");
const CALENDAR: &str = include_str!("calendar.yaml");
const CAMPAIGN: &str = include_str!("campaign.yaml");
const NOTICE: &str = include_str!("notice.md");
const ESTATE: &str = include_str!("estate.yaml");
const EXPERIENCE: &str = include_str!("experience.md");
const PAGE: &str = include_str!("page.md");

/// The slug of the sample estate `init` writes.
const SAMPLE_ESTATE: &str = "shili-xiaoqu";

fn fill(text: &str, year: i32, slug: &str, county: &str, estate_line: &str) -> String {
    text.replace("{{year}}", &year.to_string())
        .replace("{{slug}}", slug)
        .replace("{{county}}", county)
        .replace("{{estate_line}}", estate_line)
}

/// A new estate record for `year`; `county` is the first of the campaign's, when known.
pub fn estate(year: i32, slug: &str, county: &str) -> String {
    fill(ESTATE, year, slug, county, "")
}

/// A new case study for `year`.
pub fn experience(year: i32, slug: &str, estate: Option<&str>) -> String {
    let line = match estate {
        Some(e) => format!("estate: {e}  # 所属小区：同年度小区记录的文件名（不含 .yaml）"),
        None => "# estate: 小区代码  # 所属小区：同年度小区记录的文件名（不含 .yaml），可选".into(),
    };
    fill(EXPERIENCE, year, slug, "", &line)
}

/// Every file of a new site: `(path relative to the site root, text)`.
pub fn site(year: i32) -> Vec<(String, String)> {
    let dir = format!("content/campaigns/{year}");
    vec![
        ("content/site.yaml".into(), SITE.into()),
        ("content/calendar.yaml".into(), CALENDAR.into()),
        (
            "content/pages/about.md".into(),
            fill(PAGE, year, "", "", ""),
        ),
        (
            format!("{dir}/campaign.yaml"),
            fill(CAMPAIGN, year, "", "", ""),
        ),
        (format!("{dir}/notice.md"), fill(NOTICE, year, "", "", "")),
        (
            format!("{dir}/estates/{SAMPLE_ESTATE}.yaml"),
            estate(year, SAMPLE_ESTATE, "示例区"),
        ),
        (
            format!("{dir}/experiences/shili-anli.md"),
            experience(year, "shili-anli", Some(SAMPLE_ESTATE)),
        ),
        (
            format!("{dir}/files/README.txt"),
            "本文件夹存放本年度的附件（照片、PDF 等）。只有被网页引用的文件才会发布到网站上。\n"
                .into(),
        ),
    ]
}
