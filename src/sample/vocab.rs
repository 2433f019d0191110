//! The words sample cases are drawn from: the contract's enums, industries, roads and rivers.

/// Enum values as (English key, Chinese label), in the contract's order.
pub(crate) const ACTIONS: [(&str, &str); 3] = [
    ("shut-down", "关停取缔"),
    ("relocate", "整合搬迁"),
    ("upgrade", "升级改造"),
];
pub(crate) const CRITERIA: [(&str, &str); 3] = [
    ("scattered", "散"),
    ("disorderly", "乱"),
    ("polluting", "污"),
];
pub(crate) const POLLUTION: [(&str, &str); 5] = [
    ("water", "涉水"),
    ("air", "涉气"),
    ("solid-waste", "涉固废"),
    ("hazardous-waste", "涉危废"),
    ("noise", "噪声"),
];
pub(crate) const SOURCES: [(&str, &str); 11] = [
    ("electricity-data", "市用电大数据名单"),
    ("grid-patrol", "网格巡查"),
    ("complaint", "群众举报"),
    ("hotline", "12345热线"),
    ("central-inspection", "中央生态环境保护督察交办"),
    ("provincial-inspection", "省生态环境保护督察交办"),
    ("city-referral", "市级交办"),
    ("river-chief", "河长办巡河洗楼"),
    ("media", "媒体曝光"),
    ("department-check", "部门检查"),
    ("other", "其他"),
];
pub(crate) const SOURCE_WEIGHTS: [u32; 11] = [16, 30, 12, 12, 3, 3, 5, 8, 2, 7, 2];
pub(crate) const ACTION_WEIGHTS: [u32; 3] = [45, 15, 40];

/// (industry, name suffix, likely pollution indices into `POLLUTION`)
pub(crate) const INDUSTRIES: [(&str, &str, &[usize]); 13] = [
    ("汽车维修", "汽车维修点", &[0, 2, 3]),
    ("电动车维修", "电动车维修店", &[3, 2]),
    ("五金加工", "五金加工场", &[4, 2, 0]),
    ("小型印刷", "印刷作坊", &[1, 3]),
    ("家具喷漆", "家具喷漆点", &[1, 3]),
    ("废品回收", "废品回收站", &[2, 0]),
    ("餐饮", "餐饮店", &[0, 1]),
    ("洗车", "洗车场", &[0]),
    ("服装加工", "制衣作坊", &[4, 2]),
    ("塑料制品", "塑料加工点", &[1, 4]),
    ("广告制作", "广告喷绘店", &[1, 2]),
    ("洗涤", "洗涤加工点", &[0]),
    ("食品加工", "食品加工作坊", &[0, 2]),
];
pub(crate) const ROADS: [&str; 24] = [
    "署前路",
    "中山一路",
    "东风东路",
    "环市东路",
    "解放北路",
    "越秀北路",
    "小北路",
    "登峰路",
    "矿泉路",
    "广园西路",
    "先烈中路",
    "农林下路",
    "盘福路",
    "流花路",
    "光塔路",
    "人民北路",
    "大沙头路",
    "文德路",
    "执信南路",
    "淘金路",
    "建设六马路",
    "寺右新马路",
    "横枝岗路",
    "桂花岗路",
];
pub(crate) const RIVERS: [&str; 5] = ["东濠涌", "新河浦涌", "沙河涌", "驷马涌", "西濠涌"];
