//! `jiayuan import` end to end: fixtures made here, the real binary run on them.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;
use jiayuan::export::summary_table::{SummaryRow, write_summary_csv, write_summary_xlsx};
use jiayuan::load::yaml::{self, Node};
use jiayuan::model::{Estate, OwnersBody, PrivateContact, Satisfaction};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use tempfile::TempDir;

const CAMPAIGN: &str = "year: 2025\ntitle: 2025年度“美好家园”活动\ncounties: [玉州区, 福绵区, 容县, 陆川县, 博白县, 兴业县, 北流市]\n";

/// A site with the 2025 campaign and its county list.
fn new_site() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let campaign = dir.path().join("content/campaigns/2025");
    std::fs::create_dir_all(&campaign).unwrap();
    std::fs::write(campaign.join("campaign.yaml"), CAMPAIGN).unwrap();
    dir
}

fn estates(root: &Path) -> PathBuf {
    root.join("content/campaigns/2025/estates")
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn import(root: &Path, file: &Path, extra: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_jiayuan"))
        .arg("import")
        .arg(file)
        .arg("--root")
        .arg(root)
        .args(extra)
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// A written record, read back through the project's own YAML parser.
fn record(root: &Path, slug: &str) -> Node {
    let text = std::fs::read_to_string(estates(root).join(format!("{slug}.yaml"))).unwrap();
    yaml::parse(&text, 0).unwrap_or_else(|e| panic!("{e:?}\n{text}"))
}

/// A field by dotted path as text (`contact.phone`), `None` when absent.
fn field(node: &Node, path: &str) -> Option<String> {
    node.get(path)?.scalar_text()
}

/// The county office's usual sheet: a merged title over a header in row 3.
fn county_xlsx(path: &Path, rows: &[[&str; 8]]) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let bold = Format::new().set_bold();
    sheet
        .merge_range(0, 0, 0, 7, "2025年度“美好家园”小区推荐汇总表", &bold)
        .unwrap();
    let header = [
        "序号",
        "县（市、区）",
        "小区名称",
        "小区地址",
        "物业公司",
        "总户数",
        "联系电话",
        "申报日期",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(2, c as u16, *h).unwrap();
    }
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 3;
        for (c, v) in row.iter().enumerate() {
            let c = c as u16;
            if v.is_empty() {
                continue;
            }
            // Numbers as numbers and dates as dates, as Excel stores what staff type.
            if c == 7 {
                let d = NaiveDate::parse_from_str(v, "%Y-%m-%d").unwrap();
                let dt = ExcelDateTime::parse_from_str(&d.to_string()).unwrap();
                sheet
                    .write_date_with_format(r, c, &dt, &date_format)
                    .unwrap();
            } else if c == 0 || c == 5 {
                sheet.write_number(r, c, v.parse::<f64>().unwrap()).unwrap();
            } else {
                sheet.write_string(r, c, *v).unwrap();
            }
        }
    }
    book.save(path).unwrap();
}

const GOOD: [[&str; 8]; 2] = [
    [
        "1",
        "容县",
        "阳光花园",
        "容州镇城西路1号",
        "容县安居物业有限公司",
        "1200",
        "07752671363",
        "2025-08-20",
    ],
    [
        "2",
        "容县",
        "绿城·玉园",
        "容州镇东环路8号",
        "绿城物业服务集团有限公司",
        "860",
        "0775-5321234",
        "2025-08-21",
    ],
];

// An .xlsx with a merged title row imports: numbers lose `.0`, dates are dates, phones
// keep their leading zero, and the slug table is printed for review.
#[test]
fn xlsx_with_title_row() {
    let site = new_site();
    let file = site.path().join("容县汇总表.xlsx");
    county_xlsx(&file, &GOOD);
    let run = import(site.path(), &file, &[]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(
        files_in(&estates(site.path())),
        ["lv-cheng-yu-yuan.yaml", "yang-guang-hua-yuan.yaml"]
    );
    let r = record(site.path(), "yang-guang-hua-yuan");
    assert_eq!(field(&r, "name").as_deref(), Some("阳光花园"));
    assert_eq!(field(&r, "county").as_deref(), Some("容县"));
    assert_eq!(field(&r, "address").as_deref(), Some("容州镇城西路1号"));
    assert_eq!(
        field(&r, "property_company").as_deref(),
        Some("容县安居物业有限公司")
    );
    assert_eq!(field(&r, "households").as_deref(), Some("1200"));
    assert_eq!(field(&r, "submitted").as_deref(), Some("2025-08-20"));
    assert_eq!(field(&r, "contact.phone").as_deref(), Some("07752671363"));
    let text =
        std::fs::read_to_string(estates(site.path()).join("yang-guang-hua-yuan.yaml")).unwrap();
    assert!(text.contains("不公开"), "{text}");
    assert!(text.contains("工作表「Sheet1」第4行"), "{text}");
    assert!(
        run.stdout.contains("yang-guang-hua-yuan.yaml"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("容县：新建 2，覆盖 0，已存在跳过 0，出错 0"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("合计：新建 2 条"), "{}", run.stdout);
}

const CSV: &str = "县区,小区名称,地址,街道（乡镇）,物业服务企业,建成年份,户数,建筑面积（㎡）,业委会成立情况,满意度,联系人,联系电话\n\
北流市,幸福里,北流市城南路2号,城南街道,北流幸福物业有限公司,2008年,\"1,020\",\"86,500.5\",已成立,96%,张三,0775-6221234\n";

// A UTF-8 CSV with a BOM (as Excel saves it) imports, and a bare percentage is kept as a
// comment rather than invented counts.
#[test]
fn utf8_bom_csv() {
    let site = new_site();
    let file = site.path().join("北流.csv");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(CSV.as_bytes());
    std::fs::write(&file, bytes).unwrap();
    let run = import(site.path(), &file, &[]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let r = record(site.path(), "xing-fu-li");
    assert_eq!(field(&r, "county").as_deref(), Some("北流市"));
    assert_eq!(field(&r, "street").as_deref(), Some("城南街道"));
    assert_eq!(field(&r, "built").as_deref(), Some("2008"));
    assert_eq!(field(&r, "households").as_deref(), Some("1020"));
    assert_eq!(field(&r, "floor_area").as_deref(), Some("86500.5"));
    assert_eq!(field(&r, "owners_body").as_deref(), Some("业主委员会"));
    assert_eq!(field(&r, "contact.person").as_deref(), Some("张三"));
    assert_eq!(field(&r, "satisfaction"), None);
    let text = std::fs::read_to_string(estates(site.path()).join("xing-fu-li.yaml")).unwrap();
    assert!(
        text.contains("# satisfaction:  # 满意度调查：汇总表只写了满意度「96%」"),
        "{text}"
    );
    assert!(
        run.stderr.contains("表格只有满意度百分比"),
        "{}",
        run.stderr
    );
}

// A GBK CSV without a county column imports with --county filling the county.
#[test]
fn gbk_csv_with_county_option() {
    let site = new_site();
    let file = site.path().join("兴业.csv");
    let text = "序号,小区名称,地址,物业服务企业,调查户数,满意户数\r\n1,石南花园,兴业县石南镇1号,兴业物业有限公司,200,193\r\n";
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable);
    std::fs::write(&file, &gbk).unwrap();
    let run = import(site.path(), &file, &["--county", "兴业县"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let r = record(site.path(), "shi-nan-hua-yuan");
    assert_eq!(field(&r, "county").as_deref(), Some("兴业县"));
    assert_eq!(field(&r, "satisfaction.surveyed").as_deref(), Some("200"));
    assert_eq!(field(&r, "satisfaction.satisfied").as_deref(), Some("193"));
    // Without --county the missing column is named, and nothing is written.
    let other = new_site();
    let run = import(other.path(), &file, &[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("兴业.csv 第1行: 错误：表头中没有必填的「县（市、区）」列"),
        "{}",
        run.stderr
    );
    assert!(files_in(&estates(other.path())).is_empty());
}

// One empty required cell is reported in spreadsheet terms, exactly, and blocks the
// whole import; --skip-bad-rows imports the good rows only.
#[test]
fn bad_cell_blocks_import() {
    let site = new_site();
    let file = site.path().join("汇总表.xlsx");
    let mut rows = GOOD.to_vec();
    rows.push([
        "3",
        "容县",
        "",
        "容州镇南路3号",
        "某物业公司",
        "300",
        "",
        "2025-08-22",
    ]);
    county_xlsx(&file, &rows);
    let run = import(site.path(), &file, &[]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr.lines().next().unwrap(),
        "汇总表.xlsx 工作表「Sheet1」第6行 C列（小区名称）: 错误：「小区名称」不能为空"
    );
    assert!(
        run.stdout.contains("因为有错误，没有写入任何文件"),
        "{}",
        run.stdout
    );
    assert!(files_in(&estates(site.path())).is_empty());

    let run = import(site.path(), &file, &["--skip-bad-rows"]);
    assert_eq!(run.code, 1, "the failed row is still reported");
    assert_eq!(files_in(&estates(site.path())).len(), 2);
    assert!(
        run.stdout
            .contains("容县：新建 2，覆盖 0，已存在跳过 0，出错 1"),
        "{}",
        run.stdout
    );
}

// A county not in campaign.yaml is an error naming the nearest known county.
#[test]
fn unknown_county_suggests() {
    let site = new_site();
    let file = site.path().join("a.csv");
    std::fs::write(
        &file,
        "县区,小区名称,地址,物业公司,备注\n玉州,金港城,玉州区1号,某物业,无\n",
    )
    .unwrap();
    let run = import(site.path(), &file, &[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("a.csv 第2行 A列（县区）: 错误：县（市、区）「玉州」不在 2025 年度活动的县区名单中\n  提示：是否应为「玉州区」？"),
        "{}",
        run.stderr
    );
    // The unknown column is a warning naming it, not an error.
    assert!(
        run.stderr
            .contains("a.csv 第1行 E列: 警告：未识别的列「备注」，这一列不会导入"),
        "{}",
        run.stderr
    );
}

// --dry-run shows the records and writes nothing.
#[test]
fn dry_run_writes_nothing() {
    let site = new_site();
    let file = site.path().join("容县.xlsx");
    county_xlsx(&file, &GOOD);
    let run = import(site.path(), &file, &["--dry-run"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("name: \"阳光花园\""), "{}", run.stdout);
    assert!(run.stdout.contains("没有写入任何文件"), "{}", run.stdout);
    assert!(!estates(site.path()).exists());
}

// An existing record of the same estate is left alone without --force and replaced with
// it; a file of another estate under the same slug pushes the new one to `-2`.
#[test]
fn existing_records_are_kept() {
    let site = new_site();
    let dir = estates(site.path());
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("lv-cheng-yu-yuan.yaml"),
        "name: 别的小区\ncounty: 容县\n",
    )
    .unwrap();
    let file = site.path().join("容县.xlsx");
    county_xlsx(&file, &GOOD);
    assert_eq!(import(site.path(), &file, &[]).code, 0);
    assert_eq!(
        field(&record(site.path(), "lv-cheng-yu-yuan-2"), "name").as_deref(),
        Some("绿城·玉园")
    );
    assert_eq!(
        field(&record(site.path(), "lv-cheng-yu-yuan"), "name").as_deref(),
        Some("别的小区")
    );

    let edited = "name: 阳光花园\ncounty: 容县\naddress: 手工改过\nproperty_company: x\n";
    std::fs::write(dir.join("yang-guang-hua-yuan.yaml"), edited).unwrap();
    let run = import(site.path(), &file, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("合计：新建 0 条，覆盖 0 条，已存在跳过 2 条"),
        "{}",
        run.stdout
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("yang-guang-hua-yuan.yaml")).unwrap(),
        edited
    );

    let run = import(site.path(), &file, &["--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("覆盖 2 条"), "{}", run.stdout);
    assert_eq!(
        field(&record(site.path(), "yang-guang-hua-yuan"), "address").as_deref(),
        Some("容州镇城西路1号")
    );
    assert_eq!(files_in(&dir).len(), 3);
}

fn sample_estates() -> Vec<Estate> {
    vec![
        Estate {
            name: "阳光花园".into(),
            county: "玉州区".into(),
            street: Some("名山街道".into()),
            community: Some("万花社区".into()),
            address: "玉州区人民东路 88 号".into(),
            built: Some(2009),
            households: Some(1320),
            floor_area: Some("86500.5".into()),
            property_company: "玉林市\"安居\"物业服务有限公司".into(),
            owners_body: Some(OwnersBody::Committee),
            satisfaction: Some(Satisfaction {
                surveyed: 200,
                satisfied: 193,
            }),
            submitted: NaiveDate::from_ymd_opt(2025, 8, 20),
            contact: PrivateContact {
                person: Some("李四".into()),
                phone: Some("13907751234".into()),
            },
            ..Estate::default()
        },
        Estate {
            name: "0775公馆".into(),
            county: "北流市".into(),
            address: "北流市新荣路 1 号".into(),
            floor_area: Some("32000.50".into()),
            property_company: "北流物业".into(),
            owners_body: Some(OwnersBody::None),
            ..Estate::default()
        },
    ]
}

fn assert_same_public_fields(root: &Path, slug: &str, e: &Estate) {
    let r = record(root, slug);
    let num = |v: Option<u32>| v.map(|n| n.to_string());
    assert_eq!(field(&r, "name"), Some(e.name.clone()));
    assert_eq!(field(&r, "county"), Some(e.county.clone()));
    assert_eq!(field(&r, "street"), e.street.clone());
    assert_eq!(field(&r, "community"), e.community.clone());
    assert_eq!(field(&r, "address"), Some(e.address.clone()));
    assert_eq!(field(&r, "built"), e.built.map(|y| y.to_string()));
    assert_eq!(field(&r, "households"), num(e.households));
    assert_eq!(field(&r, "floor_area"), e.floor_area.clone());
    assert_eq!(
        field(&r, "property_company"),
        Some(e.property_company.clone())
    );
    assert_eq!(
        field(&r, "owners_body"),
        e.owners_body.map(|b| b.label().to_string())
    );
    assert_eq!(
        field(&r, "satisfaction.surveyed"),
        num(e.satisfaction.map(|s| s.surveyed))
    );
    assert_eq!(
        field(&r, "satisfaction.satisfied"),
        num(e.satisfaction.map(|s| s.satisfied))
    );
    assert_eq!(field(&r, "submitted"), e.submitted.map(|d| d.to_string()));
    // The public table never carries the private contact, so none comes back.
    assert_eq!(field(&r, "contact.phone"), None);
}

// Records → summary rows → XLSX and CSV → import gives back the same public fields, and
// the exported files never contain the private contact.
#[test]
fn summary_table_round_trip() {
    let originals = sample_estates();
    let rows: Vec<SummaryRow> = originals
        .iter()
        .enumerate()
        .map(|(i, e)| SummaryRow::from_estate(i as u32 + 1, e, None, None))
        .collect();
    for ext in ["xlsx", "csv"] {
        let site = new_site();
        let file = site.path().join(format!("推荐汇总表.{ext}"));
        if ext == "xlsx" {
            write_summary_xlsx(&rows, "2025年度“美好家园”小区推荐汇总表", &file).unwrap();
        } else {
            write_summary_csv(&rows, &file).unwrap();
        }
        let bytes = std::fs::read(&file).unwrap();
        let needle = "13907751234".as_bytes();
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle),
            "{ext} leaks a phone"
        );
        let run = import(site.path(), &file, &[]);
        assert_eq!(run.code, 0, "{ext}: {}\n{}", run.stdout, run.stderr);
        assert!(run.stderr.is_empty(), "{ext}: {}", run.stderr);
        assert_same_public_fields(site.path(), "yang-guang-hua-yuan", &originals[0]);
        assert_same_public_fields(site.path(), "0775-gong-guan", &originals[1]);
    }
}

// The same estate twice in one sheet fails on the later row, naming the earlier one.
#[test]
fn duplicate_row_fails() {
    let site = new_site();
    let file = site.path().join("dup.csv");
    let text = "县区,小区名称,地址,物业公司\n容县,阳光花园,容州镇1号,安居物业\n容县,阳光花园,容州镇1号,安居物业\n";
    std::fs::write(&file, text).unwrap();
    let run = import(site.path(), &file, &[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("dup.csv 第3行: 错误：「阳光花园」在第2行已经出现过（县区和小区名称都相同）"),
        "{}",
        run.stderr
    );
    assert!(files_in(&estates(site.path())).is_empty());
}
