//! Times the 推荐汇总表 writers (XLSX and CSV) on the tables of a built site, and checks
//! that they give back the built bytes:
//!
//! ```text
//! cargo run --release --example summary_bench -- BUILT_SITE [REPS]
//! ```
//!
//! BUILT_SITE is the output of `jiayuan build --today 2026-11-26`; its `*/summary/summary.csv`
//! files are read back into rows (the CSV holds every public field), then each year's XLSX
//! and CSV are written REPS times (default 5; 0 only checks the bytes, e.g. under callgrind). Prints the process CPU time of each rep
//! (rust_xlsxwriter assembles the sheet on a helper thread) and the median, in ms.

use std::path::{Path, PathBuf};

use jiayuan::export::summary_table::{SummaryRow, summary_csv_bytes, summary_xlsx_bytes_on};

fn cpu_ms() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: a valid clock id and a pointer to a live timespec.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 * 1e3 + ts.tv_nsec as f64 / 1e6
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(site) = args.first().map(PathBuf::from) else {
        eprintln!("usage: summary_bench BUILT_SITE [REPS]");
        std::process::exit(2);
    };
    let reps: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(5);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    let mut tables = Vec::new();
    for entry in std::fs::read_dir(&site).unwrap() {
        let dir = entry.unwrap().path().join("summary");
        let Some(year) = dir
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str())
            .and_then(|n| n.parse::<i32>().ok())
        else {
            continue;
        };
        if dir.join("summary.csv").is_file() {
            tables.push((year, dir));
        }
    }
    tables.sort();
    let tables: Vec<_> = tables
        .into_iter()
        .map(|(year, dir)| (year, read_rows(&dir.join("summary.csv")), dir))
        .collect();
    for (year, rows, dir) in &tables {
        let title = format!("{year}年度“美好家园”小区推荐汇总表");
        let xlsx = summary_xlsx_bytes_on(rows, &title, today).unwrap();
        let same_x = xlsx == std::fs::read(dir.join("summary.xlsx")).unwrap();
        let same_c = summary_csv_bytes(rows) == std::fs::read(dir.join("summary.csv")).unwrap();
        println!(
            "{year}: {} rows, xlsx {} bytes, same xlsx: {same_x}, same csv: {same_c}",
            rows.len(),
            xlsx.len()
        );
    }
    let mut xs = Vec::new();
    let mut cs = Vec::new();
    for _ in 0..reps {
        let t = cpu_ms();
        for (year, rows, _) in &tables {
            let title = format!("{year}年度“美好家园”小区推荐汇总表");
            std::hint::black_box(summary_xlsx_bytes_on(rows, &title, today).unwrap());
        }
        let x = cpu_ms() - t;
        let t = cpu_ms();
        for (_, rows, _) in &tables {
            std::hint::black_box(summary_csv_bytes(rows));
        }
        let c = cpu_ms() - t;
        println!("xlsx {x:.1} ms  csv {c:.1} ms");
        xs.push(x);
        cs.push(c);
    }
    if reps == 0 {
        return;
    }
    xs.sort_by(f64::total_cmp);
    cs.sort_by(f64::total_cmp);
    println!(
        "median: xlsx {:.1} ms  csv {:.1} ms",
        xs[xs.len() / 2],
        cs[cs.len() / 2]
    );
}

/// The rows back from a published CSV (a text cell's guarding `'` taken off again).
fn read_rows(path: &Path) -> Vec<SummaryRow> {
    let bytes = std::fs::read(path).unwrap();
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let text = |s: &str| s.strip_prefix('\'').unwrap_or(s).to_string();
    let opt = |s: &str| (!s.is_empty()).then(|| text(s));
    let num = |s: &str| s.parse::<u32>().ok();
    r.records()
        .map(|rec| {
            let f = rec.unwrap();
            SummaryRow {
                seq: f[0].parse().unwrap(),
                county: text(&f[1]),
                name: text(&f[2]),
                address: text(&f[3]),
                street: opt(&f[4]),
                community: opt(&f[5]),
                property_company: text(&f[6]),
                built: f[7].parse().ok(),
                households: num(&f[8]),
                floor_area: (!f[9].is_empty()).then(|| f[9].to_string()),
                owners_body: opt(&f[10]),
                satisfaction: (!f[11].is_empty()).then(|| f[11].to_string()),
                surveyed: num(&f[12]),
                satisfied: num(&f[13]),
                submitted: f[14].parse().ok(),
                score: (!f[15].is_empty()).then(|| f[15].to_string()),
                rank: num(&f[16]),
            }
        })
        .collect()
}
