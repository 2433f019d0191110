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
/// The ids of `RIVERS` in `organisation.yaml`'s `rivers`, in the same order.
pub(crate) const RIVER_IDS: [&str; 5] = ["donghao", "xinhepu", "shahe", "sima", "xihao"];

/// Yuexiu's streets with roads that run through them, so a case's name and location agree with its
/// street (矿泉路 is in 矿泉街道); streets of a synthetic site draw from [`ROADS`].
pub(crate) const STREET_ROADS: [(&str, &[&str]); 18] = [
    ("hongqiao", &["盘福路", "东风西路", "应元路", "解放北路"]),
    (
        "beijing",
        &["北京路", "西湖路", "教育路", "广卫路", "大南路"],
    ),
    ("liurong", &["六榕路", "海珠北路", "净慧路", "中山六路"]),
    ("liuhua", &["流花路", "人民北路", "西华路", "东风西路"]),
    ("guangta", &["光塔路", "人民中路", "诗书路", "朝天路"]),
    ("renmin", &["人民南路", "一德路", "长堤大马路", "海珠中路"]),
    (
        "dongshan",
        &["署前路", "新河浦路", "庙前西街", "寺贝通津", "东华东路"],
    ),
    ("nonglin", &["农林下路", "执信南路", "东兴南路", "中山二路"]),
    (
        "meihuacun",
        &["梅东路", "竹丝岗二马路", "中山一路", "东风东路"],
    ),
    ("huanghuagang", &["先烈中路", "水荫路", "永福路", "黄花路"]),
    ("huale", &["环市东路", "淘金路", "华乐路", "淘金北路"]),
    (
        "jianshe",
        &["建设六马路", "建设大马路", "建设二马路", "广九大马路"],
    ),
    ("datang", &["文德路", "中山四路", "文明路", "大塘街"]),
    ("zhuguang", &["珠光路", "泰康路", "万福路", "高第街"]),
    ("dadong", &["大沙头路", "东华南路", "越秀南路", "中山三路"]),
    ("baiyun", &["白云路", "东湖西路", "晴澜路", "大沙头三马路"]),
    ("dengfeng", &["横枝岗路", "桂花岗路", "麓景路", "环市中路"]),
    ("kuangquan", &["矿泉路", "广园西路", "瑶台路", "王圣堂大街"]),
];

/// The roads a case in street `id` may be on.
pub(crate) fn roads_of(id: &str) -> &'static [&'static str] {
    STREET_ROADS
        .iter()
        .find(|(s, _)| *s == id)
        .map_or(&ROADS[..], |(_, roads)| roads)
}

/// What a relapse looks like when it is found; chosen by the case, so texts vary across cases.
pub(crate) const RELAPSE_NOTES: [&str; 8] = [
    "夜间恢复生产，被群众举报",
    "原址更换经营者后重新开工",
    "用电监测发现用电量异常回升，现场核实已恢复生产",
    "拆除的设备被私自重新安装，恢复作业",
    "搬离后在原址附近另租场地继续经营",
    "网格员巡查听到卷帘门内有机器作业声，核实复产",
    "河长巡河发现排水口再次出现污水",
    "群众通过12345热线反映又开始生产",
];

/// A small stable number from a text (an id), to pick among texts without touching the PRNG, so a
/// new wording never shifts the drawn figures.
pub(crate) fn choose(key: &str, salt: usize, n: usize) -> usize {
    let h = key.bytes().fold(salt as u64 ^ 0x9E37, |a, b| {
        a.wrapping_mul(131).wrapping_add(b as u64)
    });
    (h % n.max(1) as u64) as usize
}

/// The river a street's patrols follow, so a note's river runs through its street.
const STREET_RIVERS: [(&str, &str); 18] = [
    ("洪桥街道", "西濠涌"),
    ("北京街道", "西濠涌"),
    ("六榕街道", "西濠涌"),
    ("流花街道", "驷马涌"),
    ("光塔街道", "西濠涌"),
    ("人民街道", "西濠涌"),
    ("东山街道", "新河浦涌"),
    ("农林街道", "东濠涌"),
    ("梅花村街道", "沙河涌"),
    ("黄花岗街道", "东濠涌"),
    ("华乐街道", "沙河涌"),
    ("建设街道", "东濠涌"),
    ("大塘街道", "东濠涌"),
    ("珠光街道", "东濠涌"),
    ("大东街道", "东濠涌"),
    ("白云街道", "新河浦涌"),
    ("登峰街道", "沙河涌"),
    ("矿泉街道", "驷马涌"),
];

/// The river near the street named `name`, if it is one of Yuexiu's.
pub(crate) fn river_near(name: &str) -> Option<&'static str> {
    STREET_RIVERS
        .iter()
        .find(|(s, _)| *s == name)
        .map(|(_, r)| *r)
}
