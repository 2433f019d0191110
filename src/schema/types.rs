//! The schema types: one Rust type per YAML shape of the contract, field for field, with the
//! descriptions editors show. A test keeps their fields equal to the validator's field lists.

use super::values::*;
use schemars::JsonSchema;

/// site.yaml：站点设置
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct SiteFile {
    /// 网站标题
    pub title: String,
    /// 副标题
    pub subtitle: Option<String>,
    /// 网站语言：zh-CN 中文（默认）或 en 英文
    pub language: Option<Language>,
    /// 网站发布地址，以 http(s):// 开头、以 / 结尾；生成 sitemap.xml、feed.xml 和 404.html 时需要
    pub base_url: Option<BaseUrl>,
    /// 统计日期 D；`--as-of` 可覆盖；不填时取内容中最近的事件日期
    pub as_of: Option<DateText>,
    /// 整治行动起止日期
    pub campaign: Campaign,
    /// 新建场所编号的前缀（`rectify new case`），如 YX2022-
    pub id_prefix: Option<String>,
    /// 是否为示例数据；为 true 时每页显示“示例数据”横幅（默认 false）
    pub sample_data: Option<bool>,
    /// 群众举报渠道，如 12345
    pub hotline: Option<String>,
    /// 责任办公室：页脚及月度通报的发文单位
    pub office: Option<String>,
    /// 页脚：主办单位、地址、网站标识码、ICP备案号、公安备案号，各项填写才显示
    pub footer: Option<Footer>,
    /// 主题名：内容文件夹旁的 themes/<名称>/（默认 default）
    pub theme: Option<ThemeName>,
}

/// 整治行动起止日期
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct Campaign {
    /// 开始日期
    pub start: DateText,
    /// 结束日期
    pub end: DateText,
}

/// 页脚
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct Footer {
    /// 主办单位
    pub organizer: Option<String>,
    /// 地址
    pub address: Option<String>,
    /// 网站标识码
    pub site_code: Option<String>,
    /// ICP备案号
    pub icp: Option<String>,
    /// 公安备案号
    pub police: Option<String>,
}

/// organisation.yaml：部门、街道和分组
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct OrganisationFile {
    /// 职能部门
    pub departments: Option<Vec<Department>>,
    /// 街道（属地）
    pub streets: Option<Vec<Street>>,
    /// 分组：在 tasks.yaml 中代表多个单位的名称（如 各街道）
    pub groups: Option<Vec<Group>>,
    /// 河涌流域（可选）：列出后，场所的 river 须为其中之一（写编号或名称均可），同一河涌的写法不再分散统计
    pub rivers: Option<Vec<River>>,
}

/// 河涌流域
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct River {
    /// 编号，在各河涌之间唯一，如 donghao
    pub id: UnitId,
    /// 名称，如 东濠涌
    pub name: String,
}

/// 部门
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct Department {
    /// 编号，在部门、街道和分组之间唯一
    pub id: UnitId,
    /// 简称，各处使用
    pub name: String,
    /// 全称
    pub full_name: Option<String>,
    /// 社区
    pub communities: Option<Vec<String>>,
}

/// 街道
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct Street {
    /// 编号，在部门、街道和分组之间唯一
    pub id: UnitId,
    /// 名称，如 东山街道；场所也可写 东山 或 东山街
    pub name: String,
    /// 全称
    pub full_name: Option<String>,
    /// 下辖社区
    pub communities: Option<Vec<String>>,
}

/// 分组
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct Group {
    /// 编号，在部门、街道和分组之间唯一
    pub id: UnitId,
    /// 显示的名称，如 各街道
    pub name: String,
    /// 成员：写 streets 表示全部街道，否则写部门或街道的 id
    pub members: Option<Vec<String>>,
}

/// tasks.yaml：重点任务，按方案顺序
#[derive(JsonSchema)]
#[allow(dead_code)]
pub struct TasksFile(pub Vec<Task>);

/// 重点任务
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct Task {
    /// 编号，整数且唯一；方案的（一）至（九）为 1 至 9
    pub id: u32,
    /// 任务标题
    pub title: String,
    /// 任务原文（Markdown）
    pub text: Option<String>,
    /// 责任单位，按角色
    pub owners: Option<Owners>,
    /// 时间节点与完成时限
    pub milestones: Option<Vec<Milestone>>,
}

/// 责任单位：部门、街道或分组的 id
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct Owners {
    /// 牵头
    pub lead: Option<Vec<String>>,
    /// 落实
    pub implement: Option<Vec<String>>,
    /// 配合
    pub support: Option<Vec<String>>,
}

/// 时间节点
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct Milestone {
    /// 时限
    pub date: DateText,
    /// 内容
    pub text: String,
    /// 实际完成日期
    pub done: Option<DateText>,
}

/// plan.md 的前置元数据（front matter）
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct PlanFront {
    /// 方案标题
    pub title: String,
    /// 文号，如 越环委办〔2022〕17号
    pub doc_no: Option<String>,
    /// 发文单位
    pub issuer: Option<String>,
    /// 印发日期
    pub date: Option<DateText>,
}

/// 工作动态（notes/**/*.md）的前置元数据
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct NoteFront {
    /// 标题
    pub title: String,
    /// 日期
    pub date: DateText,
    /// 类型（默认 other 其他）
    pub kind: Option<NoteKind>,
    /// 所涉街道：id 或名称
    pub street: Option<String>,
    /// 参与的部门 id
    pub units: Option<Vec<String>>,
    /// 相关的重点任务 id
    pub tasks: Option<Vec<u32>>,
    /// 涉及的场所编号，须在本文日期或之前已发现
    pub cases: Option<Vec<CaseId>>,
}

/// 宣传材料（publicity/**/*.md）的前置元数据
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct PublicityFront {
    /// 标题
    pub title: String,
    /// 日期
    pub date: DateText,
    /// 类型（默认 article 宣传文章）
    pub kind: Option<PublicityKind>,
    /// 所涉街道：id 或名称
    pub street: Option<String>,
    /// 封面图片，相对内容文件夹的路径（files/…）
    pub cover: Option<String>,
    /// 附件，相对内容文件夹的路径（files/…）
    pub attachments: Option<Vec<String>>,
}

/// 月度通报点评（briefings/YYYY-MM.md）的前置元数据，可省略
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct BriefingFront {
    /// 标题
    pub title: Option<String>,
}
