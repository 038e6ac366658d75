//! Chinese prose for the corpus: word and phrase pools, and builders that assemble estate
//! summaries, case-study bodies and the campaign notice from them with the corpus PRNG.

use std::fmt::Write as _;

use super::rng::Rng;

/// The facts about one estate that its prose mentions.
pub struct EstateFacts<'a> {
    pub name: &'a str,
    pub address: &'a str,
    pub built: u32,
    pub households: u32,
    pub floor_area: &'a str,
    pub company: &'a str,
    pub owners_body: &'a str,
}

/// Themes of case studies: the tag as PRODUCT.md spells it, a slug stem, and headings.
pub struct Theme {
    pub tag: &'static str,
    pub slug: &'static str,
    pub headings: &'static [&'static str],
    pub titles: &'static [&'static str],
}

pub const THEMES: &[Theme] = &[
    Theme {
        tag: "党建引领",
        slug: "dangjian",
        headings: &["坚持党建引领，凝聚治理合力", "建强小区党组织，筑牢红色堡垒"],
        titles: &["红色物业聚合力", "党建引领筑家园"],
    },
    Theme {
        tag: "业委会规范运行",
        slug: "yeweihui",
        headings: &["规范业委会运行，夯实自治基础", "健全议事规则，推动业主自治"],
        titles: &["业主自治显活力", "规范运行促共治"],
    },
    Theme {
        tag: "老旧小区改造",
        slug: "laojiu-gaizao",
        headings: &[
            "借力老旧小区改造，补齐设施短板",
            "改造与管理并重，旧貌换新颜",
        ],
        titles: &["老旧小区焕新颜", "改造提质暖民心"],
    },
    Theme {
        tag: "完整社区",
        slug: "wanzheng-shequ",
        headings: &[
            "完善配套设施，打造完整社区",
            "补齐服务功能，建设十五分钟生活圈",
        ],
        titles: &["配套完善惠民生", "完整社区添幸福"],
    },
    Theme {
        tag: "延伸服务（养老、托幼、家政、快递）",
        slug: "yanshen-fuwu",
        headings: &["拓展延伸服务，满足多样需求", "服务进家门，便民又暖心"],
        titles: &["延伸服务暖人心", "贴心服务进万家"],
    },
    Theme {
        tag: "矛盾纠纷化解",
        slug: "jiufen-huajie",
        headings: &["健全调解机制，化解矛盾纠纷", "把矛盾化解在小区、解决在萌芽"],
        titles: &["小事不出小区", "邻里和睦促和谐"],
    },
    Theme {
        tag: "智慧物业",
        slug: "zhihui-wuye",
        headings: &["推进智慧物业，提升服务效率", "线上线下融合，管理更加精细"],
        titles: &["智慧赋能提效率", "数字物业便民生"],
    },
];

/// Headings for practice sections that are not tied to a tag.
const GENERAL_HEADINGS: &[&str] = &[
    "提升服务品质，打造精品物业",
    "强化安全管理，守护平安家园",
    "美化人居环境，建设宜居小区",
    "公开透明运作，赢得业主信任",
    "培育邻里文化，增进邻里感情",
];

const OPENERS: &[&str] = &[
    "近年来",
    "自创建活动开展以来",
    "在街道党工委的统一指导下",
    "针对居民反映集中的突出问题",
    "围绕共建美好家园的目标",
    "按照“小事不出小区、大事不出社区”的思路",
    "结合城镇老旧小区改造的契机",
    "立足小区实际",
    "坚持以居民需求为导向",
    "在社区党委的牵头协调下",
    "为进一步提升物业服务品质",
    "面对设施老化、管理基础薄弱的情况",
    "在创建过程中",
    "聚焦居民急难愁盼问题",
];

const CONNECTORS: &[&str] = &[
    "同时",
    "此外",
    "与此同时",
    "在此基础上",
    "另一方面",
    "为巩固创建成效",
    "在日常管理中",
    "每逢重要节假日",
];

const ACTORS: &[&str] = &[
    "小区党支部",
    "物业服务中心",
    "业主委员会",
    "社区居委会",
    "物业服务企业",
    "楼栋长队伍",
    "党员志愿服务队",
    "小区网格员",
    "小区议事会",
    "物业项目负责人",
];

const PRACTICES: &[&str] = &[
    "建立“红色物业”联席会议制度，每月召开一次协调会",
    "推行物业服务清单和收费标准双公开，主动接受业主监督",
    "设立党员示范岗和责任区，把楼栋管理责任落实到人",
    "组建由退休干部、教师和青年党员组成的志愿服务队",
    "开通全天候报修热线和线上报修入口，实行首问负责制",
    "对雨污管网、消防设施和电梯进行全面排查并逐项整改",
    "利用公共收益增设电动自行车集中充电棚，消除飞线充电隐患",
    "每季度开展一次业主满意度测评，测评结果与员工考核挂钩",
    "引入社区食堂和日间照料中心，为高龄独居老人提供助餐服务",
    "设置快递驿站和智能快件柜，打通快递收发的最后一百米",
    "规范业主大会议事规则，重大事项一律经业主表决后实施",
    "每半年公布一次公共收益收支明细，在公告栏和业主群同步公示",
    "建立“楼栋长、网格员、物业管家”三级联系机制",
    "推行垃圾分类定时定点投放，安排督导员在投放点现场指导",
    "将闲置架空层改造为居民活动室、儿童游乐区和阅读角",
    "定期举办物业开放日，邀请业主参观设备机房和监控中心",
    "引入人民调解员和法律顾问，设立矛盾纠纷调解室",
    "对绿化进行补植改造，新增停车位并实行人车分流",
    "安装人脸识别门禁和高空抛物监控，提升小区安防水平",
    "与辖区学校合作开设四点半课堂，缓解双职工家庭接送难题",
    "组织家政服务人员持证上岗，提供保洁、维修、看护等上门服务",
    "实行物业服务好差评制度，评价结果每月在小区公示",
    "建立专项维修资金使用公示制度，维修项目全过程接受业主监督",
    "开展邻里节、百家宴和广场舞比赛等文体活动",
    "依托智慧物业平台实现缴费、报修、投诉和表决线上办理",
    "为行动不便的老人建立服务台账，定期上门探访",
    "对楼道堆放杂物开展集中清理，并建立长效巡查机制",
    "邀请住建、消防、市场监管等部门定期进小区现场办公",
    "完善无障碍设施，在单元入口加装坡道和扶手",
    "实施屋面防水和外墙修缮工程，解决多年漏水难题",
    "在小区入口设置党群服务站，提供政策咨询和便民服务",
    "建立业主意见征集箱和线上问卷，每月汇总回复居民诉求",
    "推动物业服务合同公开签订，明确服务内容、标准和费用",
    "成立小区应急抢修队，确保停水停电等突发情况及时处置",
    "开展电梯安全宣传周活动，邀请维保单位讲解安全常识",
    "为新入住业主发放服务指南，介绍服务事项和办事渠道",
];

const EFFECTS: &[&str] = &[
    "居民满意度明显提升",
    "小区面貌焕然一新",
    "物业费收缴率稳步提高",
    "邻里关系更加和谐融洽",
    "物业服务投诉数量大幅下降",
    "群众的获得感、幸福感、安全感不断增强",
    "小区治理由物业单打独斗转为多方协同共治",
    "不少矛盾纠纷实现了就地化解",
    "一批安全隐患得到及时消除",
    "老年居民的日常生活更加便利",
    "业主参与公共事务的热情明显提高",
    "小区公共秩序持续向好",
];

const METHODS: &[&str] = &[
    "通过这一系列举措",
    "经过持续努力",
    "上述做法推行以来",
    "经过一年多的实践",
    "在各方的共同推动下",
];

const LIST_LABELS: &[&str] = &[
    "建机制",
    "强队伍",
    "优服务",
    "重公开",
    "抓安全",
    "促共治",
    "补短板",
    "暖民心",
];

const LESSONS: &[&str] = &[
    "党建引领是做好物业管理的关键，只有把党组织建在小区、把党员作用发挥在楼栋，才能凝聚起多方合力。",
    "业主自治是小区治理的基础，要引导业主依法依规参与公共事务，做到大事共商、难事共办。",
    "服务质量是物业服务企业的生命线，要始终把居民满意度作为检验工作成效的首要标准。",
    "矛盾纠纷要早发现、早介入、早化解，把问题解决在小区内部、解决在萌芽状态。",
    "智慧化手段能够显著提高管理效率，但要兼顾老年人的使用习惯，保留必要的线下渠道。",
    "老旧小区改造要充分听取居民意见，改什么、怎么改，由居民说了算。",
    "延伸服务要坚持公益性与市场化相结合，实现企业发展与居民受益双赢。",
    "长效机制比一次性整治更重要，要把行之有效的做法固化为制度，逐年滚动提升。",
    "信息公开是赢得信任的前提，收支、合同、维修等事项都应主动亮出来、让业主看得见。",
    "部门协同是解决难题的保障，要用好街道、社区和职能部门的力量，形成工作闭环。",
];

const PARTY_BUILDING: &[&str] = &[
    "小区成立党支部，物业项目部建立党小组，实行交叉任职。",
    "依托社区党委建立红色物业联盟，党员业主亮身份、领岗位。",
    "设立党群服务站，每月开展主题党日和志愿服务活动。",
    "推行社区党组织、业委会、物业服务企业三方联席会议制度。",
    "楼栋党小组全覆盖，党员中心户联系服务周边住户。",
    "小区党支部书记兼任业委会主任，重大事项先由党支部研究。",
];

/// Indicator rows for the results table: name, unit, and the before/after ranges.
const INDICATORS: &[(&str, &str, u32, u32, u32, u32)] = &[
    ("物业费收缴率", "%", 62, 85, 90, 99),
    ("居民满意度", "%", 70, 88, 92, 99),
    ("年投诉数量", "件", 60, 180, 5, 40),
    ("公共收益", "万元/年", 3, 12, 13, 30),
    ("志愿服务人数", "人", 10, 40, 60, 180),
    ("矛盾纠纷调解成功率", "%", 55, 80, 90, 100),
];

pub fn sentence(rng: &mut Rng, out: &mut String) {
    match rng.below(5) {
        0 => {
            let _ = write!(
                out,
                "{}，{}{}，{}。",
                rng.pick(OPENERS),
                rng.pick(ACTORS),
                rng.pick(PRACTICES),
                rng.pick(EFFECTS)
            );
        }
        1 => {
            let _ = write!(
                out,
                "{}，{}{}。",
                rng.pick(CONNECTORS),
                rng.pick(ACTORS),
                rng.pick(PRACTICES)
            );
        }
        2 => {
            // Two different practices.
            let first = rng.below(PRACTICES.len());
            let second = (first + 1 + rng.below(PRACTICES.len() - 1)) % PRACTICES.len();
            let _ = write!(
                out,
                "{}{}，并{}。",
                rng.pick(ACTORS),
                PRACTICES[first],
                PRACTICES[second]
            );
        }
        3 => {
            let _ = write!(out, "{}，{}。", rng.pick(METHODS), rng.pick(EFFECTS));
        }
        _ => {
            let _ = write!(
                out,
                "{}，{}主动{}，{}。",
                rng.pick(CONNECTORS),
                rng.pick(ACTORS),
                rng.pick(PRACTICES),
                rng.pick(EFFECTS)
            );
        }
    }
}

fn paragraph(rng: &mut Rng, sentences: usize, out: &mut String) {
    for _ in 0..sentences {
        sentence(rng, out);
    }
    out.push_str("\n\n");
}

fn intro(f: &EstateFacts, out: &mut String) {
    let _ = write!(
        out,
        "{}位于{}，建成于{}年，共有住户{}户，建筑面积约{}平方米，由{}提供物业服务，业主组织为{}。",
        f.name, f.address, f.built, f.households, f.floor_area, f.company, f.owners_body
    );
}

pub fn party_building(rng: &mut Rng) -> &'static str {
    rng.pick(PARTY_BUILDING)
}

/// The estate's 创建亮点: about 300 characters of Markdown, each line prefixed by `indent`
/// so that it can sit in a YAML block scalar.
pub fn estate_summary(rng: &mut Rng, f: &EstateFacts, indent: &str, out: &mut String) {
    let mut text = String::with_capacity(1200);
    intro(f, &mut text);
    paragraph(rng, 3, &mut text);
    text.push_str("主要亮点：\n\n");
    for _ in 0..2 {
        let _ = writeln!(
            text,
            "- **{}**：{}。",
            rng.pick(LIST_LABELS),
            rng.pick(PRACTICES)
        );
    }
    for line in text.trim_end().lines() {
        if !line.is_empty() {
            out.push_str(indent);
            out.push_str(line);
        }
        out.push('\n');
    }
}

pub fn case_title(rng: &mut Rng, theme: &Theme, estate_name: &str) -> String {
    format!(
        "{}——{}创建“美好家园”经验",
        rng.pick(theme.titles),
        estate_name
    )
}

pub fn case_summary(rng: &mut Rng, theme: &Theme, estate_name: &str) -> String {
    format!(
        "{}以{}为抓手，{}，{}。",
        estate_name,
        theme.tag.split('（').next().unwrap_or(theme.tag),
        rng.pick(PRACTICES),
        rng.pick(EFFECTS)
    )
}

/// A case-study body of about 3,000 characters: four `##` sections with `###` practice
/// subsections, bullet and numbered lists, and a results table.
pub fn case_body(rng: &mut Rng, f: &EstateFacts, themes: &[&Theme], out: &mut String) {
    out.push_str("## 小区概况\n\n");
    intro(f, out);
    paragraph(rng, 6, out);

    out.push_str("## 主要做法\n\n");
    const ORDINALS: [&str; 5] = ["一", "二", "三", "四", "五"];
    for (i, ordinal) in ORDINALS.iter().enumerate().take(4) {
        let heading = match themes.get(i) {
            Some(t) => rng.pick(t.headings),
            None => rng.pick(GENERAL_HEADINGS),
        };
        let _ = write!(out, "### （{ordinal}）{heading}\n\n");
        paragraph(rng, 7, out);
        for _ in 0..4 {
            let _ = writeln!(
                out,
                "- **{}**：{}{}。",
                rng.pick(LIST_LABELS),
                rng.pick(ACTORS),
                rng.pick(PRACTICES)
            );
        }
        out.push('\n');
    }

    out.push_str("## 取得成效\n\n");
    paragraph(rng, 7, out);
    out.push_str("| 指标 | 创建前 | 创建后 |\n| --- | ---: | ---: |\n");
    let first = rng.below(INDICATORS.len());
    for k in 0..4 {
        let (name, unit, b_lo, b_hi, a_lo, a_hi) = INDICATORS[(first + k) % INDICATORS.len()];
        let _ = writeln!(
            out,
            "| {name}（{unit}） | {} | {} |",
            rng.range(b_lo, b_hi),
            rng.range(a_lo, a_hi)
        );
    }
    out.push('\n');
    paragraph(rng, 5, out);

    out.push_str("## 经验启示\n\n");
    let first = rng.below(LESSONS.len());
    for k in 0..4 {
        let _ = writeln!(
            out,
            "{}. {}",
            k + 1,
            LESSONS[(first + 3 * k) % LESSONS.len()]
        );
    }
    out.push('\n');
    paragraph(rng, 3, out);
    // One trailing newline, not two.
    out.pop();
}

/// The campaign document (`notice.md` body): written for the corpus, not the real notice.
pub fn notice_body(
    year: u32,
    number: &str,
    issuer: &str,
    submission: &str,
    forward: &str,
) -> String {
    let mut s = String::with_capacity(4000);
    let _ = write!(
        s,
        "各县（市、区）物业主管部门，市物业行业管理协会，各物业服务企业：\n\n\
         为持续提升住宅小区物业管理水平，推动形成党建引领、多方参与的小区治理格局，\
         现将《{year}年度“加强物业管理 共建美好家园”活动实施方案》（{number}）印发给你们，\
         请结合本地实际抓好落实。\n\n\
         ## 一、工作目标\n\n\
         以提升居民满意度为核心，统筹推进党建引领、基层治理、业主组织规范运行和物业服务质量提升，\
         拓展物业服务范围，满足居民多样化的居住服务需求，选树一批可复制、可推广的“美好家园”小区。\n\n\
         ## 二、主要原则\n\n\
         1. **坚持党建引领。** 发挥街道、社区党组织对小区治理和物业管理的领导作用。\n\
         2. **坚持以人民为中心。** 从居民反映强烈的问题入手，解决好身边的小事、难事。\n\
         3. **坚持共建共治共享。** 调动部门、社区、业主组织、企业和居民等各方力量共同参与。\n\n\
         ## 三、工作安排\n\n\
         ### （一）宣传发动\n\n\
         各县（市、区）物业主管部门要做好宣传发动，每地筛选推荐3至5个小区，\
         于{submission}前将申报表和推荐汇总表报送市住房和城乡建设局。\n\n\
         ### （二）评审公示\n\n\
         市住房和城乡建设局会同市物业行业管理协会组织专家评审，确定5个“美好家园”小区，\
         在局网站公示7个工作日。公示无异议的，授予{year}年度“美好家园”小区称号，\
         并将总分前2名的小区于{forward}前报送自治区住房和城乡建设厅。\n\n\
         ### （三）总结推广\n\n\
         市物业行业管理协会负责梳理各小区的主要做法、成效、问题和建议，形成可复制可推广的经验材料。\n\n\
         ## 四、工作要求\n\n\
         | 事项 | 责任单位 | 完成时间 |\n\
         | --- | --- | --- |\n\
         | 推荐申报 | 各县（市、区）物业主管部门 | {submission}前 |\n\
         | 专家评审 | 市住房和城乡建设局、市物业行业管理协会 | 9月中旬 |\n\
         | 上报自治区 | 市住房和城乡建设局 | {forward}前 |\n\n\
         各地要把居民满意度作为评价的首要标准，做好活动的滚动实施和逐年提升。\n\n\
         {issuer}\n"
    );
    s
}

/// Text of the free page `about.md`.
pub const ABOUT_BODY: &str = "本网站集中发布“加强物业管理 共建美好家园”活动的通知、推荐小区名单、\
公示信息和可复制可推广的经验材料，并按年度保存历年活动档案。\n\n\
## 栏目说明\n\n\
- **活动通知**：每年度活动的实施方案。\n\
- **推荐小区**：各县（市、区）推荐的小区及其创建亮点。\n\
- **公示**：评审确定的“美好家园”小区名单和异议受理方式。\n\
- **经验交流**：各小区的主要做法、取得成效和经验启示。\n\n\
## 联系我们\n\n\
如对网站内容有疑问，请在工作日与主办单位联系。\n";
