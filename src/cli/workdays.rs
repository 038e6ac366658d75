//! `jiayuan workdays START N`: the N-th working day, for staff planning dates.

/// 计算工作日
#[derive(clap::Args, Debug)]
pub struct Args {
    /// 开始日期，例如 2025-09-22
    pub start: String,
    /// 工作日天数，例如 7
    pub n: u32,
}

impl Args {
    pub fn run(self) -> u8 {
        todo!("workdays")
    }
}
