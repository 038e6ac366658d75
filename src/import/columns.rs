//! Column labels: which header text means which estate field, and where the header is.

use unicode_normalization::UnicodeNormalization;

use super::read::{Row, Table};

/// What a column holds. `Seq`, `Score` and `Rank` are known but not imported: the
/// number is the sheet's own, scores and ranks are derived by the build.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Seq,
    County,
    Name,
    Address,
    Street,
    Community,
    Company,
    Built,
    Households,
    FloorArea,
    OwnersBody,
    Satisfaction,
    Surveyed,
    Satisfied,
    ContactPerson,
    ContactPhone,
    Submitted,
    PartyBuilding,
    Summary,
    Score,
    Rank,
}

/// Every field with the labels county offices use for it; the first is the canonical one.
const LABELS: &[(Field, &[&str])] = &[
    (Field::Seq, &["序号", "编号", "序"]),
    (
        Field::County,
        &[
            "县（市、区）",
            "县区",
            "所在县（市、区）",
            "所属县（市、区）",
            "县（区、市）",
            "县市区",
            "所在县区",
            "县（市）区",
        ],
    ),
    (
        Field::Name,
        &[
            "小区名称",
            "项目名称",
            "小区（项目）名称",
            "住宅小区名称",
            "物业项目名称",
        ],
    ),
    (
        Field::Address,
        &["地址", "小区地址", "项目地址", "详细地址"],
    ),
    (
        Field::Street,
        &[
            "街道（乡镇）",
            "所在街道",
            "街道",
            "乡镇（街道）",
            "所在街道（乡镇）",
            "街道办",
        ],
    ),
    (Field::Community, &["社区", "所在社区", "社区（村）"]),
    (
        Field::Company,
        &[
            "物业服务企业",
            "物业公司",
            "物业服务企业名称",
            "物业服务公司",
            "物业企业",
        ],
    ),
    (
        Field::Built,
        &["建成年份", "建成时间", "竣工年份", "建成年代"],
    ),
    (Field::Households, &["户数", "总户数", "住户数"]),
    (
        Field::FloorArea,
        &["建筑面积（m²）", "建筑面积", "总建筑面积"],
    ),
    (
        Field::OwnersBody,
        &[
            "业主组织",
            "业主委员会",
            "业委会成立情况",
            "业委会",
            "业主委员会成立情况",
            "是否成立业委会",
        ],
    ),
    (
        Field::Satisfaction,
        &["满意度", "满意率", "业主满意度", "居民满意度"],
    ),
    (
        Field::Surveyed,
        &["调查户数", "满意度调查户数", "参与调查户数"],
    ),
    (Field::Satisfied, &["满意户数"]),
    (Field::ContactPerson, &["联系人", "申报联系人"]),
    (
        Field::ContactPhone,
        &["联系电话", "电话", "手机", "联系方式", "手机号码"],
    ),
    (Field::Submitted, &["申报日期", "申报时间", "填报日期"]),
    (
        Field::PartyBuilding,
        &["党建情况", "党建引领", "党组织情况", "党建"],
    ),
    (
        Field::Summary,
        &["创建亮点", "主要亮点", "亮点", "特色亮点", "创建特色"],
    ),
    (Field::Score, &["得分", "总分", "评分", "平均分"]),
    (Field::Rank, &["排名", "名次"]),
];

impl Field {
    /// The canonical Chinese label, used in messages and in the export's header.
    pub fn label(self) -> &'static str {
        LABELS
            .iter()
            .find(|(f, _)| *f == self)
            .map_or("", |(_, labels)| labels[0])
    }

    /// Columns read but not turned into record fields.
    pub fn is_ignored(self) -> bool {
        matches!(self, Field::Seq | Field::Score | Field::Rank)
    }
}

/// Folds the ways people type a label: full-width forms and ㎡/m² (NFKC), spaces,
/// required-field stars, a trailing colon, Latin case.
pub fn normalize(label: &str) -> String {
    label
        .nfkc()
        .filter(|c| !c.is_whitespace() && !matches!(c, '*' | '★'))
        .collect::<String>()
        .trim_end_matches(':')
        .to_lowercase()
}

/// The text with every bracketed part removed: `户数（户）` → `户数`.
fn strip_brackets(s: &str) -> String {
    let mut out = String::new();
    let mut depth = 0u32;
    for c in s.chars() {
        match c {
            '(' | '[' | '【' => depth += 1,
            ')' | ']' | '】' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The field a header cell names, if any. An exact label wins; a label with a unit or
/// note in brackets is tried without it.
pub fn lookup(label: &str) -> Option<Field> {
    let wanted = normalize(label);
    if wanted.is_empty() {
        return None;
    }
    let find = |w: &str| {
        LABELS
            .iter()
            .find(|(_, labels)| labels.iter().any(|l| normalize(l) == w))
            .map(|(f, _)| *f)
    };
    find(&wanted).or_else(|| {
        let bare = strip_brackets(&wanted);
        if bare.is_empty() { None } else { find(&bare) }
    })
}

/// The known label nearest to an unknown header, for a "did you mean" hint.
pub fn nearest_label(label: &str) -> Option<&'static str> {
    let wanted = strip_brackets(&normalize(label));
    LABELS
        .iter()
        .flat_map(|(_, labels)| labels.iter())
        .map(|l| {
            (
                strsim::normalized_levenshtein(&strip_brackets(&normalize(l)), &wanted),
                *l,
            )
        })
        .filter(|(score, _)| *score >= 0.5)
        // The first of equally near labels wins: canonical labels come first.
        .fold(None, |best: Option<(f64, &'static str)>, cand| match best {
            Some(b) if b.0 >= cand.0 => Some(b),
            _ => Some(cand),
        })
        .map(|(_, l)| l)
}

/// A found header: which row(s), and what each column holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Header {
    /// Index into `Table::rows` of the first data row.
    pub data_start: usize,
    /// The spreadsheet row number of the (last) header row, for messages.
    pub row_number: u32,
    /// Per column: the header text as written (for messages) and the field it maps to.
    pub columns: Vec<(String, Option<Field>)>,
}

impl Header {
    pub fn column_of(&self, field: Field) -> Option<usize> {
        self.columns.iter().position(|(_, f)| *f == Some(field))
    }

    pub fn label_at(&self, index: usize) -> &str {
        self.columns.get(index).map_or("", |(l, _)| l.as_str())
    }
}

/// Distinct importable fields named in a row.
fn known_fields(row: &Row) -> usize {
    let mut fields: Vec<Field> = row
        .cells
        .iter()
        .filter_map(|c| lookup(c))
        .filter(|f| *f != Field::Seq)
        .collect();
    fields.sort();
    fields.dedup();
    fields.len()
}

/// The first row naming at least two known fields. Title rows (merged across the top)
/// and blank rows above it are passed over. A second header row right below — the
/// sub-labels under a merged group such as “满意度调查” → 调查户数 | 满意户数 — is
/// folded in.
pub fn find_header(table: &Table) -> Option<Header> {
    let at = table.rows.iter().position(|r| known_fields(r) >= 2)?;
    let first = &table.rows[at];
    let mut columns: Vec<(String, Option<Field>)> = first
        .cells
        .iter()
        .map(|c| (c.trim().to_string(), lookup(c)))
        .collect();
    let mut data_start = at + 1;
    let mut row_number = first.number;
    if let Some(second) = table.rows.get(at + 1)
        && second.number == first.number + 1
        && second.cells.iter().filter(|c| lookup(c).is_some()).count() >= 2
    {
        if columns.len() < second.cells.len() {
            columns.resize(second.cells.len(), (String::new(), None));
        }
        for (i, cell) in second.cells.iter().enumerate() {
            if let Some(field) = lookup(cell) {
                columns[i] = (cell.trim().to_string(), Some(field));
            }
        }
        data_start = at + 2;
        row_number = second.number;
    }
    Some(Header {
        data_start,
        row_number,
        columns,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // Label variants, full-width brackets, units and stray spaces all find their field.
    #[test]
    fn label_variants() {
        let cases = [
            ("县（市、区）", Field::County),
            ("县 区", Field::County),
            ("所在县(市、区)", Field::County),
            ("*小区名称", Field::Name),
            ("项目名称", Field::Name),
            ("小区地址", Field::Address),
            ("街道（乡镇）", Field::Street),
            ("物业服务企业名称", Field::Company),
            ("建成时间", Field::Built),
            ("总户数（户）", Field::Households),
            ("总建筑面积（㎡）", Field::FloorArea),
            ("建筑面积（m²）", Field::FloorArea),
            ("业委会成立情况", Field::OwnersBody),
            ("业主委员会（物业管理委员会）", Field::OwnersBody),
            ("满意率(%)", Field::Satisfaction),
            ("联系电话：", Field::ContactPhone),
            ("申报日期", Field::Submitted),
            ("创建亮点", Field::Summary),
        ];
        for (label, want) in cases {
            assert_eq!(lookup(label), Some(want), "{label}");
        }
        assert_eq!(lookup("备注"), None);
        assert_eq!(lookup(""), None);
        assert_eq!(lookup("2025年度“美好家园”小区推荐汇总表"), None);
    }

    // A near miss gets a suggestion; something unrelated does not.
    #[test]
    fn suggestions() {
        assert_eq!(nearest_label("物业服务单位"), Some("物业服务企业"));
        assert_eq!(nearest_label("备注"), None);
    }

    fn row(number: u32, cells: &[&str]) -> Row {
        Row {
            number,
            cells: cells.iter().map(|s| s.to_string()).collect(),
        }
    }

    // The title row and blank rows above the header are skipped.
    #[test]
    fn header_below_title() {
        let t = Table {
            sheet: None,
            rows: vec![
                row(1, &["2025年度“美好家园”小区推荐汇总表", "", ""]),
                row(2, &["", "", ""]),
                row(3, &["序号", "小区名称", "地址", "备注"]),
                row(4, &["1", "阳光花园", "容州镇"]),
            ],
        };
        let h = find_header(&t).unwrap();
        assert_eq!(h.data_start, 3);
        assert_eq!(h.row_number, 3);
        assert_eq!(h.column_of(Field::Name), Some(1));
        assert_eq!(h.columns[3], ("备注".to_string(), None));
    }

    // Sub-labels under a merged group header are folded into the header.
    #[test]
    fn two_row_header() {
        let t = Table {
            sheet: None,
            rows: vec![
                row(1, &["小区名称", "地址", "满意度调查", ""]),
                row(2, &["", "", "调查户数", "满意户数"]),
                row(3, &["阳光花园", "容州镇", "200", "193"]),
            ],
        };
        let h = find_header(&t).unwrap();
        assert_eq!(h.data_start, 2);
        assert_eq!(h.column_of(Field::Surveyed), Some(2));
        assert_eq!(h.column_of(Field::Satisfied), Some(3));
        assert_eq!(h.column_of(Field::Name), Some(0));
    }
}
