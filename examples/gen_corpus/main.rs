//! Deterministic benchmark corpus: writes a complete jiayuan site (content contract v1) with
//! N estates and M case studies spread over several campaign years.
//!
//! `cargo run --release --example gen_corpus -- --estates N --cases M [--years K] [--seed S] [--force] OUT`
//!
//! The same arguments always give a byte-identical tree: every record draws from its own
//! stream of a small built-in PRNG, keyed by the seed and the record's global index.

mod text;

use std::fmt::Write as _;
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use text::{EstateFacts, THEMES};

/// The last campaign year; earlier years count down from it.
pub const LAST_YEAR: u32 = 2026;

pub const COUNTIES: [(&str, &str); 7] = [
    ("玉州区", "yz"),
    ("福绵区", "fm"),
    ("容县", "rx"),
    ("陆川县", "lc"),
    ("博白县", "bb"),
    ("兴业县", "xy"),
    ("北流市", "bl"),
];

/// Scoring criteria of every generated campaign: key, name, max points (sum 100).
pub const CRITERIA: [(&str, &str, u32); 5] = [
    ("satisfaction", "居民满意度", 30),
    ("service", "物业服务质量", 25),
    ("governance", "党建引领与多方共治", 20),
    ("environment", "环境与设施设备管理", 15),
    ("innovation", "特色亮点与延伸服务", 10),
];

pub const EXPERTS_PER_ESTATE: usize = 5;

/// What to generate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    pub estates: usize,
    pub cases: usize,
    pub years: usize,
    pub seed: u64,
}

/// What was written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub bytes: u64,
}

pub mod rng {
    //! splitmix64: tiny, fast, and good enough for test data; one stream per record.

    pub struct Rng(u64);

    impl Rng {
        /// A stream for record `index` of kind `stream` under `seed`.
        pub fn new(seed: u64, stream: u64, index: u64) -> Rng {
            let mut r = Rng(seed
                ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03)
                ^ index.wrapping_mul(0x8CB9_2BA7_2F3D_8DD7));
            r.next_u64();
            r
        }

        pub fn next_u64(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }

        /// Uniform in `0..n` (n < 2^32), by multiply-shift.
        pub fn below(&mut self, n: usize) -> usize {
            (((self.next_u64() >> 32) * n as u64) >> 32) as usize
        }

        /// Uniform in `lo..=hi`.
        pub fn range(&mut self, lo: u32, hi: u32) -> u32 {
            lo + self.below((hi - lo + 1) as usize) as u32
        }

        pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
            items[self.below(items.len())]
        }

        /// True with probability `num / den`.
        pub fn chance(&mut self, num: usize, den: usize) -> bool {
            self.below(den) < num
        }
    }
}

use rng::Rng;

// Streams, so that estates, cases and years never share random numbers.
const S_YEAR: u64 = 1;
const S_ESTATE: u64 = 2;
const S_CASE: u64 = 3;

const NAME_HEADS: &[(&str, &str)] = &[
    ("阳光", "yangguang"),
    ("锦绣", "jinxiu"),
    ("翠竹", "cuizhu"),
    ("金港", "jingang"),
    ("东城", "dongcheng"),
    ("江南", "jiangnan"),
    ("盛世", "shengshi"),
    ("鹏程", "pengcheng"),
    ("幸福", "xingfu"),
    ("和平", "heping"),
    ("丽景", "lijing"),
    ("碧水", "bishui"),
    ("龙湾", "longwan"),
    ("新城", "xincheng"),
    ("怡景", "yijing"),
    ("桂园", "guiyuan"),
    ("玉泉", "yuquan"),
    ("荔园", "liyuan"),
    ("南山", "nanshan"),
    ("春晖", "chunhui"),
    ("福康", "fukang"),
    ("泰和", "taihe"),
    ("嘉华", "jiahua"),
    ("明珠", "mingzhu"),
    ("书香", "shuxiang"),
    ("凤凰", "fenghuang"),
];

const NAME_TAILS: &[(&str, &str)] = &[
    ("花园", "huayuan"),
    ("小区", "xiaoqu"),
    ("华庭", "huating"),
    ("家园", "jiayuan"),
    ("雅苑", "yayuan"),
    ("名都", "mingdu"),
    ("新村", "xincun"),
    ("公馆", "gongguan"),
    ("佳园", "jiayuan"),
    ("山庄", "shanzhuang"),
    ("水岸", "shuian"),
    ("嘉园", "jiayuan"),
];

const PHASES: &[(&str, &str)] = &[("一期", "1qi"), ("二期", "2qi"), ("三期", "3qi")];

/// Streets (towns and sub-districts) per county, in the order of `COUNTIES`.
const STREETS: [&[&str]; 7] = [
    &[
        "玉城街道",
        "名山街道",
        "南江街道",
        "城西街道",
        "城北街道",
        "大塘镇",
    ],
    &["福绵镇", "成均镇", "樟木镇", "新桥镇", "沙田镇"],
    &["容州镇", "杨梅镇", "灵山镇", "自良镇", "石寨镇"],
    &["陆城镇", "温泉镇", "米场镇", "马坡镇", "大桥镇"],
    &["博白镇", "水鸣镇", "龙潭镇", "东平镇", "沙河镇"],
    &["石南镇", "城隍镇", "大平山镇", "葵阳镇", "卖酒镇"],
    &["陵城街道", "城南街道", "城北街道", "北流镇", "新圩镇"],
];

const COMMUNITIES: &[&str] = &[
    "城东社区",
    "城西社区",
    "新民社区",
    "和平社区",
    "东门社区",
    "江滨社区",
    "金港社区",
    "民主社区",
    "教育社区",
    "南门社区",
    "北市社区",
    "富民社区",
];

const ROADS: &[&str] = &[
    "人民路",
    "民主路",
    "东环路",
    "江滨路",
    "教育路",
    "广场路",
    "二环北路",
    "新民路",
    "金港大道",
    "玉东大道",
    "中山路",
    "建设路",
];

const COMPANY_WORDS: &[&str] = &[
    "安居", "恒信", "嘉和", "德润", "万家", "锦华", "正源", "宏达", "华厦", "佳美", "祥和", "康诚",
];

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "罗", "梁", "宋", "郑", "谢", "韦", "庞", "莫", "钟", "覃",
];

const GIVEN: &[&str] = &[
    "建", "国", "明", "华", "丽", "芳", "伟", "强", "军", "敏", "静", "海", "波", "宁", "平", "红",
    "文", "杰", "勇", "燕", "秀", "英", "志", "德", "春", "林", "霞", "斌", "涛", "玲",
];

const AUTHORS: &[&str] = &[
    "玉林市物业行业管理协会",
    "市住房和城乡建设局物业科",
    "小区物业服务中心",
    "社区居委会",
];

/// The campaign years, oldest first, ending at `LAST_YEAR`.
pub fn years(opts: &Options) -> Vec<u32> {
    (0..opts.years as u32)
        .map(|i| LAST_YEAR + 1 - opts.years as u32 + i)
        .collect()
}

/// Splits `total` records over `parts` years; the remainder goes to the latest years.
pub fn split(total: usize, parts: usize) -> Vec<usize> {
    let (base, rem) = (total / parts, total % parts);
    (0..parts)
        .map(|i| base + usize::from(i >= parts - rem))
        .collect()
}

/// Checks the options; the message says what to change.
pub fn validate(opts: &Options) -> Result<(), String> {
    if opts.years == 0 || opts.years > 50 {
        return Err("--years must be between 1 and 50".into());
    }
    if opts.estates < COUNTIES.len() * opts.years {
        return Err(format!(
            "--estates must be at least {} (7 counties x {} years) so that every county \
             has a nominee every year",
            COUNTIES.len() * opts.years,
            opts.years
        ));
    }
    if opts.estates > 10_000_000 || opts.cases > 10_000_000 {
        return Err("--estates and --cases are limited to 10,000,000".into());
    }
    Ok(())
}

/// Writes the whole site under `out` (which gets `content/`).
pub fn generate(opts: &Options, out: &Path) -> io::Result<Summary> {
    validate(opts).map_err(|m| io::Error::new(io::ErrorKind::InvalidInput, m))?;
    let mut w = Writer::default();
    let content = out.join("content");
    fs::create_dir_all(content.join("pages"))?;
    w.text(&content.join("site.yaml"), &site_yaml())?;
    w.text(
        &content.join("pages/about.md"),
        &format!(
            "---\ntitle: 关于本站\norder: 1\n---\n\n{}",
            text::ABOUT_BODY
        ),
    )?;

    let years = years(opts);
    let estates_per_year = split(opts.estates, years.len());
    let cases_per_year = split(opts.cases, years.len());
    let (mut first_estate, mut first_case) = (0usize, 0usize);
    for (i, &year) in years.iter().enumerate() {
        let plan = YearPlan {
            year,
            first_estate,
            estates: estates_per_year[i],
            first_case,
            cases: cases_per_year[i],
        };
        write_year(opts, &plan, &content, &mut w)?;
        first_estate += plan.estates;
        first_case += plan.cases;
    }
    Ok(w.summary)
}

/// Writes whole files: each is assembled in a reused in-memory buffer first, so one
/// `write_all` per file is all the I/O there is.
#[derive(Default)]
struct Writer {
    summary: Summary,
}

impl Writer {
    fn text(&mut self, path: &Path, body: &str) -> io::Result<()> {
        fs::File::create(path)?.write_all(body.as_bytes())?;
        self.summary.files += 1;
        self.summary.bytes += body.len() as u64;
        Ok(())
    }
}

struct YearPlan {
    year: u32,
    first_estate: usize,
    estates: usize,
    first_case: usize,
    cases: usize,
}

fn site_yaml() -> String {
    "# 网站设置\n\
     title: 玉林市“美好家园”小区创建活动\n\
     base_url: https://example.org/meihao-jiayuan/\n\
     publisher: 玉林市住房和城乡建设局\n\
     organizer: 玉林市物业行业管理协会\n\
     language: zh-CN\n\
     theme: default\n\
     contact:\n  \
       person: 物业科\n  \
       phone: 0775-0000000\n  \
       email: wyk@example.org\n  \
       address: 玉林市玉州区人民东路1号\n\
     footer:\n  \
       site_code: \"4509000000\"\n  \
       icp: 桂ICP备00000000号\n  \
       police: 桂公网安备45090002000000号\n"
        .to_string()
}

fn person(rng: &mut Rng) -> String {
    let mut s = String::from(rng.pick(SURNAMES));
    s.push_str(rng.pick(GIVEN));
    if rng.chance(2, 3) {
        s.push_str(rng.pick(GIVEN));
    }
    s
}

fn cn_date(year: u32, month: u32, day: u32) -> String {
    format!("{year}年{month}月{day}日")
}

/// Hundredths as YAML would be written by hand: `27`, `27.5`, `27.25`.
fn points(hundredths: u32) -> String {
    match hundredths % 100 {
        0 => format!("{}", hundredths / 100),
        r if r % 10 == 0 => format!("{}.{}", hundredths / 100, r / 10),
        r => format!("{}.{:02}", hundredths / 100, r),
    }
}

fn write_year(opts: &Options, plan: &YearPlan, content: &Path, w: &mut Writer) -> io::Result<()> {
    let year = plan.year;
    let dir = content.join(format!("campaigns/{year}"));
    fs::create_dir_all(dir.join("estates"))?;
    fs::create_dir_all(dir.join("experiences"))?;
    let mut rng = Rng::new(opts.seed, S_YEAR, u64::from(year));

    // Counties go round-robin, so their counts differ by at most one.
    let per_county = split(plan.estates, COUNTIES.len());
    let (lo, hi) = (per_county[0], per_county[COUNTIES.len() - 1]);
    let quota = (lo.min(3), hi.max(5));
    let panel: Vec<String> = (0..EXPERTS_PER_ESTATE).map(|_| person(&mut rng)).collect();
    let number = format!("玉住建字〔{year}〕{}号", rng.range(10, 40));
    let issued_day = rng.range(14, 25);
    w.text(
        &dir.join("campaign.yaml"),
        &campaign_yaml(year, &number, issued_day, quota),
    )?;
    let issuer = "玉林市住房和城乡建设局";
    let notice = format!(
        "---\ntitle: 关于印发《{year}年度“加强物业管理 共建美好家园”活动实施方案》的通知\n\
         date: {year}-07-{issued_day:02}\n---\n\n{}",
        text::notice_body(
            year,
            &number,
            issuer,
            &cn_date(year, 8, 29),
            &cn_date(year, 9, 30)
        )
    );
    w.text(&dir.join("notice.md"), &notice)?;

    let mut buf = String::with_capacity(16 * 1024);
    let mut estates = Vec::with_capacity(plan.estates);
    for local in 0..plan.estates {
        let g = plan.first_estate + local;
        let e = make_estate(opts.seed, g, local, year);
        buf.clear();
        estate_yaml(opts.seed, g, year, &e, &panel, &mut buf);
        w.text(&dir.join(format!("estates/{}.yaml", e.slug)), &buf)?;
        estates.push(e);
    }
    for local in 0..plan.cases {
        let g = plan.first_case + local;
        let mut rng = Rng::new(opts.seed, S_CASE, g as u64);
        let estate = &estates[rng.below(estates.len())];
        buf.clear();
        let slug = case_md(&mut rng, g, year, estate, &mut buf);
        w.text(&dir.join(format!("experiences/{slug}.md")), &buf)?;
    }
    Ok(())
}

fn campaign_yaml(year: u32, number: &str, issued_day: u32, quota: (usize, usize)) -> String {
    let mut s = String::with_capacity(2048);
    let _ = write!(
        s,
        "# 活动年度\nyear: {year}\n\
         title: {year}年度“加强物业管理 共建美好家园”活动\n\
         document:\n  number: {number}\n  issued: {year}-07-{issued_day:02}\n  issuer: 玉林市住房和城乡建设局\n\
         counties:\n"
    );
    for (county, _) in COUNTIES {
        let _ = writeln!(s, "  - {county}");
    }
    let _ = write!(
        s,
        "quota:\n  per_county: [{}, {}]\n  winners: 5\n  forwarded: 2\n\
         deadlines:\n  submission: {year}-08-29\n  forward: {year}-09-30\n\
         scoring:\n  max: 100\n  method: trimmed_mean\n  criteria:\n",
        quota.0, quota.1
    );
    for (key, name, max) in CRITERIA {
        let _ = write!(
            s,
            "    - key: {key}\n      name: {name}\n      max: {max}\n"
        );
    }
    s.push_str("publicity:\n");
    // Only the built-in calendar years get a start date, so that no period runs into a
    // year without calendar data. Each ends before the forwarding deadline of 09-30.
    match year {
        2025 => s.push_str("  start: 2025-09-22\n"),
        2026 => s.push_str("  start: 2026-09-14\n"),
        _ => {}
    }
    s.push_str(
        "  working_days: 7\n  objections:\n    phone: 0775-0000000\n    \
         email: wyk@example.org\n    address: 玉林市玉州区人民东路1号物业科\n\
         min_satisfaction: 0.9\n",
    );
    s
}

/// The facts of one estate that its record and its case studies share.
struct Estate {
    slug: String,
    name: String,
    county: &'static str,
    street: &'static str,
    community: &'static str,
    address: String,
    built: u32,
    households: u32,
    floor_area: String,
    company: String,
    owners_body: &'static str,
}

impl Estate {
    fn facts(&self) -> EstateFacts<'_> {
        EstateFacts {
            name: &self.name,
            address: &self.address,
            built: self.built,
            households: self.households,
            floor_area: &self.floor_area,
            company: &self.company,
            owners_body: self.owners_body,
        }
    }
}

/// The estate's identity, drawn from the head of its stream (so case studies can re-derive
/// it without writing the record).
fn make_estate(seed: u64, g: usize, local: usize, year: u32) -> Estate {
    let mut rng = Rng::new(seed, S_ESTATE, g as u64);
    let c = local % COUNTIES.len();
    let (county, code) = COUNTIES[c];
    let (head, head_py) = rng.pick(NAME_HEADS);
    let (tail, tail_py) = rng.pick(NAME_TAILS);
    let mut name = format!("{head}{tail}");
    let mut slug = format!("{code}-{head_py}-{tail_py}");
    if rng.chance(1, 4) {
        let (phase, phase_py) = rng.pick(PHASES);
        name.push_str(phase);
        slug.push('-');
        slug.push_str(phase_py);
    }
    let _ = write!(slug, "-{g:05}");
    let street = rng.pick(STREETS[c]);
    let community = rng.pick(COMMUNITIES);
    let address = format!("{county}{street}{}{}号", rng.pick(ROADS), rng.range(1, 399));
    let built = rng.range(1992, year - 5);
    let households = rng.range(120, 3200);
    let area_tenths = households * rng.range(750, 1300) + rng.range(0, 9);
    let floor_area = format!("{}.{}", area_tenths / 10, area_tenths % 10);
    let company = format!(
        "广西{}{}物业服务有限公司",
        county.trim_end_matches(['区', '县', '市']),
        rng.pick(COMPANY_WORDS)
    );
    let owners_body = match rng.below(10) {
        0..=5 => "业主委员会",
        6..=8 => "物业管理委员会",
        _ => "无",
    };
    Estate {
        slug,
        name,
        county,
        street,
        community,
        address,
        built,
        households,
        floor_area,
        company,
        owners_body,
    }
}

fn estate_yaml(seed: u64, g: usize, year: u32, e: &Estate, panel: &[String], out: &mut String) {
    // A second stream for the record's details, independent of the identity draws.
    let mut rng = Rng::new(seed ^ 0x5EED, S_ESTATE, g as u64);
    let surveyed = (e.households * rng.range(30, 80) / 100).max(30);
    let min_ok = (9 * surveyed).div_ceil(10);
    let satisfied = (surveyed * rng.range(900, 995) / 1000).clamp(min_ok, surveyed);
    let _ = write!(
        out,
        "name: {}\ncounty: {}\nstreet: {}\ncommunity: {}\naddress: {}\nbuilt: {}\n\
         households: {}\nfloor_area: {}\nproperty_company: {}\nowners_body: {}\n\
         party_building: {}\nsatisfaction:\n  surveyed: {surveyed}\n  satisfied: {satisfied}\n",
        e.name,
        e.county,
        e.street,
        e.community,
        e.address,
        e.built,
        e.households,
        e.floor_area,
        e.company,
        e.owners_body,
        text::party_building(&mut rng),
    );
    // Submitted in August, before the deadline of 08-29.
    let _ = writeln!(out, "submitted: {year}-08-{:02}", rng.range(1, 28));
    let _ = write!(
        out,
        "contact:\n  person: {}\n  phone: \"1{}{:09}\"\nscores:\n",
        person(&mut rng),
        rng.pick(&["3", "5", "8"]),
        rng.next_u64() % 1_000_000_000
    );
    // A quality level per estate; each expert deviates a little from it.
    let quality = rng.range(720, 970);
    for expert in panel {
        let _ = write!(out, "  - expert: {expert}\n    criteria:\n");
        for (key, _, max) in CRITERIA {
            let level = (quality + rng.range(0, 60)).saturating_sub(30).min(1000);
            let mut h = max * 100 * level / 1000;
            // Most experts score in halves, some in quarters.
            h -= h % if rng.chance(1, 4) { 25 } else { 50 };
            let _ = writeln!(out, "      {key}: {}", points(h));
        }
    }
    if rng.chance(1, 150) {
        out.push_str(
            "objection:\n  outcome: dismissed\n  note: 经核查，反映的问题已于公示前整改完毕。\n",
        );
    }
    out.push_str("summary: |\n");
    text::estate_summary(&mut rng, &e.facts(), "  ", out);
}

fn case_md(rng: &mut Rng, g: usize, year: u32, e: &Estate, out: &mut String) -> String {
    let main = rng.below(THEMES.len());
    let mut themes = vec![&THEMES[main]];
    let second = (main + 1 + rng.below(THEMES.len() - 1)) % THEMES.len();
    if rng.chance(2, 3) {
        themes.push(&THEMES[second]);
    }
    let slug = format!("{}-{g:05}", THEMES[main].slug);
    let _ = write!(
        out,
        "---\ntitle: {}\nestate: {}\ntags:\n",
        text::case_title(rng, &THEMES[main], &e.name),
        e.slug
    );
    for t in &themes {
        let _ = writeln!(out, "  - {}", t.tag);
    }
    let _ = write!(
        out,
        "author: {}\ndate: {year}-{:02}-{:02}\nsummary: {}\n---\n\n",
        rng.pick(AUTHORS),
        rng.range(10, 11),
        rng.range(1, 20),
        text::case_summary(rng, &THEMES[main], &e.name)
    );
    text::case_body(rng, &e.facts(), &themes, out);
    slug
}

const USAGE: &str = "usage: gen_corpus --estates N --cases M [--years K] [--seed S] [--force] OUT

Writes a deterministic jiayuan site into OUT/content: N estates and M case studies
spread over K campaign years ending in 2026 (default K = 3, S = 1, M = N / 5).
--force replaces an existing OUT/content.";

#[derive(Debug)]
struct Cli {
    opts: Options,
    force: bool,
    out: PathBuf,
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Cli, String> {
    let (mut estates, mut cases, mut years, mut seed) = (None, None, 3usize, 1u64);
    let (mut force, mut out) = (false, None);
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| -> Result<u64, String> {
            let v = it.next().ok_or(format!("{name} needs a value"))?;
            v.replace('_', "")
                .parse()
                .map_err(|_| format!("{name}: `{v}` is not a non-negative integer"))
        };
        match arg.as_str() {
            "--estates" => estates = Some(value("--estates")? as usize),
            "--cases" => cases = Some(value("--cases")? as usize),
            "--years" => years = value("--years")? as usize,
            "--seed" => seed = value("--seed")?,
            "--force" => force = true,
            "-h" | "--help" => return Err(String::new()),
            s if s.starts_with('-') => return Err(format!("unknown option `{s}`")),
            s if out.is_none() => out = Some(PathBuf::from(s)),
            s => return Err(format!("unexpected argument `{s}`")),
        }
    }
    let estates = estates.ok_or("--estates is required")?;
    let opts = Options {
        estates,
        cases: cases.unwrap_or(estates / 5),
        years,
        seed,
    };
    validate(&opts)?;
    let out = out.ok_or("OUT (the site folder to write) is required")?;
    Ok(Cli { opts, force, out })
}

fn main() -> ExitCode {
    let cli = match parse_args(std::env::args().skip(1)) {
        Ok(cli) => cli,
        Err(msg) if msg.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(msg) => {
            eprintln!("gen_corpus: {msg}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let content = cli.out.join("content");
    if content.exists() {
        if !cli.force {
            eprintln!(
                "gen_corpus: {} already exists; remove it or pass --force",
                content.display()
            );
            return ExitCode::from(1);
        }
        if let Err(e) = fs::remove_dir_all(&content) {
            eprintln!("gen_corpus: cannot remove {}: {e}", content.display());
            return ExitCode::from(1);
        }
    }
    let started = Instant::now();
    match generate(&cli.opts, &cli.out) {
        Ok(s) => {
            println!(
                "gen_corpus: {} estates, {} case studies, {} years: {} files, {:.1} MiB in {:.2} s -> {}",
                cli.opts.estates,
                cli.opts.cases,
                cli.opts.years,
                s.files,
                s.bytes as f64 / (1024.0 * 1024.0),
                started.elapsed().as_secs_f64(),
                content.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen_corpus: writing {}: {e}", content.display());
            ExitCode::from(1)
        }
    }
}
