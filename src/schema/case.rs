//! The schema type of a case file (`cases/**/<id>.yaml`), field for field as the contract lists them.

use super::values::*;
use schemars::JsonSchema;

/// 场所文件（cases/<街道>/<编号>.yaml）：一个“散乱污”场所一个文件
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct CaseFile {
    /// 编号，唯一（不区分大小写），须与文件名（去掉 .yaml）相同
    pub id: CaseId,
    /// 可公开的场所名称（如 某五金加工点）；企业或个人名称写在 private 中
    pub name: String,
    /// 属地街道：街道 id 或名称；以此为准，文件夹只供人查看
    pub street: String,
    /// 社区
    pub community: Option<String>,
    /// 网格编号
    pub grid: Option<String>,
    /// 所在河涌流域（河长制）；organisation.yaml 列出 rivers 时须为其中之一（编号或名称）
    pub river: Option<String>,
    /// 行业，如 汽车维修、五金加工、餐饮
    pub industry: Option<String>,
    /// 可公开的大致位置（如 署前路一带）；详细地址写在 private 中
    pub location: Option<String>,
    /// 认定情形（至少一项）
    #[schemars(length(min = 1))]
    pub criteria: Vec<Criterion>,
    /// 污染类型；criteria 含 polluting（污）时必填
    pub pollution: Option<Vec<Pollution>>,
    /// 发现来源
    pub source: Source,
    /// 来源编号，如 交办件编号
    pub source_ref: Option<String>,
    /// 三个一批
    pub action: Action,
    /// 发现/认定日期
    pub found: DateText,
    /// 整治期限，不早于 found
    pub deadline: Option<DateText>,
    /// 整治完成日期，不早于 found
    pub rectified: Option<DateText>,
    /// 验收销号日期，须先有 rectified 且不早于它
    pub closed: Option<DateText>,
    /// 涉及的部门 id
    pub units: Option<Vec<String>>,
    /// 服务的重点任务 id
    pub tasks: Option<Vec<u32>>,
    /// 列入重点监管清单（默认 false；复发的场所自动列入）
    pub watch: Option<bool>,
    /// 典型案例（默认 false）
    pub typical: Option<bool>,
    /// 是否单独公开（默认 true）；false 时计入各项数字，但公开版不生成其页面和行
    pub publish: Option<bool>,
    /// 公开的情况说明（Markdown）
    pub summary: Option<String>,
    /// 处置过程
    pub log: Option<Vec<LogEntry>>,
    /// 整治前后照片
    pub photos: Option<Vec<Photo>>,
    /// 整治后的复查
    pub rechecks: Option<Vec<Recheck>>,
    /// 死灰复燃：整治后再次出现，按日期顺序且互不重叠
    pub relapses: Option<Vec<Relapse>>,
    /// 内部信息（经营者、电话、详细地址、举报人），公开版不发布
    pub private: Option<serde_json::Map<String, serde_json::Value>>,
}

/// 处置过程的一条记录
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct LogEntry {
    /// 日期
    pub date: DateText,
    /// 内容
    pub text: String,
}

/// 照片
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct Photo {
    /// 文件路径，相对内容文件夹（files/…）
    pub file: String,
    /// 整治前（before）或整治后（after）
    pub stage: Stage,
    /// 说明
    pub caption: Option<String>,
}

/// 复查
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct Recheck {
    /// 日期
    pub date: DateText,
    /// 方式
    pub method: RecheckMethod,
    /// 说明
    pub note: Option<String>,
}

/// 复发
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct Relapse {
    /// 复发发现日期，晚于场所的销号（或整治完成）日期
    pub found: DateText,
    /// 复发整治期限
    pub deadline: Option<DateText>,
    /// 复发整治完成日期
    pub rectified: Option<DateText>,
    /// 说明
    pub note: Option<String>,
}
