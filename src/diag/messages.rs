//! Every content message rectify prints, in Chinese and English, in one place.

use super::Severity;
use crate::lang::Lang;

/// What is wrong. Values are kept as data; the words come from [`Kind::text`].
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Kind {
    /// The file is not valid YAML; `detail` is the parser's own words.
    Syntax {
        detail: String,
    },
    FullWidthColon,
    TabIndent,
    DuplicateKey {
        key: String,
    },
    InvalidUtf8,
    EmptyFile,
    TooLarge {
        limit_mb: u64,
    },
    /// Lists and mappings nested deeper than any content needs (a parser bomb).
    TooDeep {
        limit: usize,
    },
    /// A symbolic link to a folder; it is not followed.
    SymlinkedFolder,
    FrontMatterMissing,
    FrontMatterUnclosed,
    /// What belongs in that folder, in Chinese and in English.
    StrayFile {
        #[serde(deserialize_with = "super::interned::pair")]
        expected: (&'static str, &'static str),
    },
    UnknownField {
        field: String,
        suggestion: Option<String>,
        allowed: String,
    },
    MissingField {
        field: String,
    },
    WrongType {
        field: String,
        #[serde(deserialize_with = "super::interned::one")]
        expected: super::interned::Word,
    },
    BadDate {
        field: String,
        value: String,
        fix: Option<String>,
    },
    BadEnum {
        field: String,
        value: String,
        suggestion: Option<String>,
        allowed: String,
    },
    BadId {
        field: String,
        value: String,
        #[serde(deserialize_with = "super::interned::one")]
        pattern: super::interned::Word,
    },
    ReservedName {
        value: String,
    },
    DuplicateId {
        id: String,
        other: String,
    },
    IdFileMismatch {
        id: String,
        stem: String,
    },
    UnknownRef {
        #[serde(deserialize_with = "super::interned::one")]
        what: super::interned::Word,
        value: String,
        suggestion: Option<String>,
    },
    UnknownTask {
        value: String,
        known: String,
    },
    DateOrder {
        earlier: String,
        later: String,
    },
    ClosedNeedsRectified,
    CampaignEnd {
        start: String,
        end: String,
    },
    PollutionRequired,
    EmptyList {
        field: String,
    },
    /// `after` is the case's field the relapse must follow (`closed` or `rectified`), `date` its date
    /// (none: the case has no `rectified`).
    RelapseTooEarly {
        #[serde(deserialize_with = "super::interned::one")]
        after: super::interned::Word,
        date: Option<String>,
    },
    RelapseOrder,
    FutureCase {
        case: String,
        found: String,
        date: String,
    },
    MissingFile {
        path: String,
    },
    OutsideContent {
        path: String,
    },
    BadUrl {
        value: String,
    },
    GroupCycle {
        id: String,
    },
    FolderStreet {
        folder: String,
        street: String,
    },
    BriefingName {
        stem: String,
    },
    /// `briefing.number` without `{n}`: every issue would get the same 文号.
    NumberWithoutN {
        value: String,
    },
    /// A `{…}` in `briefing.number` other than `{year}` and `{n}`.
    NumberPlaceholder {
        name: String,
    },
    /// A list item that is empty or only spaces.
    BlankItem {
        field: String,
    },
    /// A problem of a case drafted from a ledger row, told at the ledger's column `header`.
    InLedger {
        header: String,
        inner: Box<Kind>,
    },
    /// A required column is missing, or its cell is empty.
    LedgerEmpty {
        #[serde(deserialize_with = "super::interned::one")]
        header: super::interned::Word,
    },
    LedgerNoHeader,
    LedgerUnknownColumn {
        header: String,
        suggestion: Option<String>,
    },
    LedgerCaseExists {
        id: String,
        path: String,
    },
    LedgerDuplicate {
        id: String,
        line: u32,
    },
    LedgerEncoding,
    /// A workbook that cannot be opened: not a zip, truncated, corrupt, password-protected.
    LedgerCorrupt {
        detail: String,
    },
    /// The ledger file, or one part of the workbook (`part`), is larger than a ledger can be.
    LedgerTooBig {
        part: String,
        limit_mb: u64,
    },
    /// A value in `cell` (A1 style) beyond the rows and columns a ledger may use.
    LedgerOutOfRange {
        cell: String,
        max_rows: u32,
        max_cols: u32,
    },
    LedgerCellTooLong {
        cell: String,
        chars: usize,
        limit: usize,
    },
    /// A formula in a column that is imported: its value may be stale or missing.
    LedgerFormula {
        cell: String,
        formula: String,
    },
    LedgerTooManyCells {
        limit: usize,
    },
    /// A CSV row with more fields than any spreadsheet has columns.
    LedgerTooWide {
        limit: usize,
    },
    /// A street the organisation does not have; `known` lists every street as `id（name）`.
    LedgerUnknownStreet {
        value: String,
        suggestion: Option<String>,
        known: Vec<String>,
    },
    /// `--force` cannot merge the ledger's `field` into an existing case file laid out unusually.
    LedgerCannotMerge {
        path: String,
        field: String,
    },
    /// Public text that looks like private data; `what` is `mobile`, `id-card`, `landline` or
    /// `house-number`.
    PrivateData {
        #[serde(deserialize_with = "super::interned::one")]
        what: super::interned::Word,
    },
    PhotoNoCaption,
    /// Text a template left for a person to replace (待填写, TODO) in public text.
    Placeholder,
    /// Overdue at D with no progress recorded since `last`, `days` before D.
    StaleOverdue {
        last: String,
        days: i64,
        as_of: String,
    },
    /// A root-relative link in Markdown to a page or file that does not exist.
    BrokenLink {
        target: String,
        suggestion: Option<String>,
    },
    /// A link to a case with `publish: false`, which has no page in a public build.
    LinkUnpublished {
        target: String,
    },
    /// Markdown or HTML nested deeper than any text needs; rendering it would take minutes.
    MarkdownTooDeep {
        limit: usize,
    },
    /// A required text field written but left blank (spaces, full-width spaces, tabs only).
    BlankField {
        field: String,
    },
    /// An invisible or direction-changing character in a text field.
    HiddenChar {
        field: String,
        code: u32,
    },
    /// A YAML tag (`!!binary`, `!custom`): content is plain values, lists and mappings only.
    YamlTag {
        tag: String,
    },
    /// A real date outside 1990-01-01 … 2100-12-31.
    DateOutOfRange {
        field: String,
        value: String,
    },
    /// A name that makes an output file name longer than file systems allow (255 bytes).
    NameTooLong {
        value: String,
        bytes: usize,
    },
    /// A referenced file whose bytes may not be published there; `photo`: used as a photo or cover.
    BadFile {
        path: String,
        problem: crate::filekind::Problem,
        photo: bool,
    },
    /// `theme` names a folder that does not exist beside the content folder.
    UnknownTheme {
        value: String,
        suggestion: Option<String>,
    },
    /// A closed case without an `after` photo.
    ClosedNoAfterPhoto,
    /// A case found after the campaign's end.
    AfterCampaign {
        found: String,
        end: String,
    },
    /// A photo or cover the image decoder cannot read; `reason` is the decoder's own words.
    PhotoUndecodable {
        reason: String,
    },
}

impl Kind {
    pub fn severity(&self) -> Severity {
        match self {
            Kind::FolderStreet { .. }
            | Kind::LedgerUnknownColumn { .. }
            | Kind::PrivateData { .. }
            | Kind::PhotoNoCaption
            | Kind::Placeholder
            | Kind::StaleOverdue { .. }
            | Kind::ClosedNoAfterPhoto
            | Kind::AfterCampaign { .. } => Severity::Warning,
            Kind::InLedger { inner, .. } => inner.severity(),
            _ => Severity::Error,
        }
    }

    /// A stable machine-readable code, used by `--format json`.
    pub fn code(&self) -> &'static str {
        match self {
            Kind::Syntax { .. } | Kind::FullWidthColon | Kind::TabIndent => "yaml-syntax",
            Kind::DuplicateKey { .. } => "duplicate-key",
            Kind::InvalidUtf8 => "invalid-utf8",
            Kind::EmptyFile => "empty-file",
            Kind::TooLarge { .. } => "too-large",
            Kind::TooDeep { .. } => "too-deep",
            Kind::SymlinkedFolder => "symlinked-folder",
            Kind::FrontMatterMissing | Kind::FrontMatterUnclosed => "front-matter",
            Kind::StrayFile { .. } => "stray-file",
            Kind::UnknownField { .. } => "unknown-field",
            Kind::MissingField { .. } => "missing-field",
            Kind::WrongType { .. } => "wrong-type",
            Kind::BadDate { .. } => "bad-date",
            Kind::BadEnum { .. } => "bad-value",
            Kind::BadId { .. } => "bad-id",
            Kind::ReservedName { .. } => "reserved-name",
            Kind::DuplicateId { .. } => "duplicate-id",
            Kind::IdFileMismatch { .. } => "id-file-mismatch",
            Kind::UnknownRef { .. } | Kind::UnknownTask { .. } => "unknown-reference",
            Kind::DateOrder { .. } | Kind::ClosedNeedsRectified | Kind::CampaignEnd { .. } => {
                "date-order"
            }
            Kind::PollutionRequired | Kind::EmptyList { .. } => "missing-field",
            Kind::RelapseTooEarly { .. } | Kind::RelapseOrder => "relapse-order",
            Kind::FutureCase { .. } => "future-case",
            Kind::MissingFile { .. } => "missing-file",
            Kind::OutsideContent { .. } => "outside-content",
            Kind::BadUrl { .. } => "bad-url",
            Kind::GroupCycle { .. } => "group-cycle",
            Kind::FolderStreet { .. } => "folder-street",
            Kind::BriefingName { .. } => "bad-file-name",
            Kind::NumberWithoutN { .. } | Kind::NumberPlaceholder { .. } => "bad-number",
            Kind::BlankItem { .. } => "blank-item",
            Kind::InLedger { inner, .. } => inner.code(),
            Kind::LedgerEmpty { .. } => "missing-field",
            Kind::LedgerNoHeader => "ledger-header",
            Kind::LedgerUnknownColumn { .. } => "ledger-column",
            Kind::LedgerCaseExists { .. } => "case-exists",
            Kind::LedgerDuplicate { .. } => "duplicate-id",
            Kind::LedgerEncoding => "invalid-utf8",
            Kind::LedgerCorrupt { .. } => "ledger-corrupt",
            Kind::LedgerTooBig { .. } | Kind::LedgerTooManyCells { .. } => "too-large",
            Kind::LedgerOutOfRange { .. } | Kind::LedgerTooWide { .. } => "ledger-range",
            Kind::LedgerCellTooLong { .. } => "too-large",
            Kind::LedgerFormula { .. } => "ledger-formula",
            Kind::LedgerUnknownStreet { .. } => "unknown-reference",
            Kind::LedgerCannotMerge { .. } => "ledger-merge",
            Kind::PrivateData { .. } => "private-data",
            Kind::PhotoNoCaption => "photo-caption",
            Kind::Placeholder => "placeholder",
            Kind::StaleOverdue { .. } => "stale-overdue",
            Kind::BrokenLink { .. } | Kind::LinkUnpublished { .. } => "broken-link",
            Kind::MarkdownTooDeep { .. } => "too-deep",
            Kind::BlankField { .. } => "empty-field",
            Kind::HiddenChar { .. } => "hidden-character",
            Kind::YamlTag { .. } => "yaml-tag",
            Kind::DateOutOfRange { .. } => "bad-date",
            Kind::NameTooLong { .. } => "too-long",
            Kind::BadFile { .. } => "file-kind",
            Kind::UnknownTheme { .. } => "unknown-reference",
            Kind::ClosedNoAfterPhoto => "after-photo",
            Kind::AfterCampaign { .. } => "after-campaign",
            Kind::PhotoUndecodable { .. } => "bad-photo",
        }
    }

    /// The message and an optional hint saying how to fix it.
    pub fn text(&self, lang: Lang) -> (String, Option<String>) {
        match lang {
            Lang::Zh => self.zh(),
            Lang::En => self.en(),
        }
    }

    fn zh(&self) -> (String, Option<String>) {
        use Kind::*;
        match self {
            Syntax { detail } => (format!("YAML 格式错误：{detail}"), Some("检查缩进（只用空格）、冒号后的空格和引号是否成对".into())),
            FullWidthColon => ("这里用了中文全角冒号“：”".into(), Some("字段名后面要用英文半角冒号加一个空格，例如 `street: dongshan`".into())),
            TabIndent => ("这一行用了制表符（Tab）缩进".into(), Some("YAML 只能用空格缩进，请把 Tab 换成两个空格".into())),
            DuplicateKey { key } => (format!("字段 `{key}` 写了两次"), Some("删掉其中一个；YAML 中同一层的字段名不能重复".into())),
            InvalidUtf8 => ("文件不是 UTF-8 编码（可能是 GBK）".into(), Some("用编辑器把文件另存为 UTF-8 编码".into())),
            EmptyFile => ("文件是空的".into(), Some("填写内容，或删除这个文件".into())),
            TooLarge { limit_mb } => (format!("文件超过 {limit_mb} MB 上限"), Some("拆分文件，或把大附件放到 files/ 下引用".into())),
            TooDeep { limit } => (format!("列表和映射嵌套超过 {limit} 层"), Some("内容文件只需要几层嵌套；检查缩进和成对的 `[` `]`、`{` `}`".into())),
            SymlinkedFolder => ("这个文件夹是符号链接，不会被读取".into(), Some("把文件直接放进内容文件夹，不要用链接".into())),
            FrontMatterMissing => ("缺少开头的 front matter（以 `---` 开始的 YAML 块）".into(), Some("在文件第一行写 `---`，然后写 title、date 等字段，再写一行 `---`".into())),
            FrontMatterUnclosed => ("front matter 没有结束的 `---` 行".into(), Some("在字段之后加一行 `---`".into())),
            StrayFile { expected } => (format!("这里只应有{}", expected.0), Some("改正文件扩展名；不需要发布的文件可改名为以 `_` 开头".into())),
            UnknownField { field, suggestion, allowed } => (format!("未知的字段 `{field}`"), Some(match suggestion { Some(s) => format!("是否是 `{s}`？"), None => format!("可用的字段：{allowed}") })),
            MissingField { field } => (format!("缺少必填字段 `{field}`"), Some(format!("添加一行 `{field}: …`"))),
            WrongType { field, expected } => (format!("字段 `{field}` 应为{}", zh_type(expected)), None),
            BadDate { field, value, fix } => (format!("`{field}` 的日期 `{value}` 无效"), Some(match fix { Some(f) => format!("日期写成 YYYY-MM-DD，例如 `{f}`"), None => "日期写成 YYYY-MM-DD，并且是真实存在的日期，例如 `2022-03-05`".into() })),
            BadEnum { field, value, suggestion, allowed } => (format!("`{field}` 的取值 `{value}` 无效"), Some(match suggestion { Some(s) => format!("是否是 `{s}`？可用的取值：{allowed}"), None => format!("可用的取值：{allowed}") })),
            BadId { field, value, pattern } => (format!("`{field}` 的编号 `{value}` 含有不允许的字符"), Some(format!("只能使用 {pattern}"))),
            ReservedName { value } => (format!("`{value}` 是保留名称，不能用作编号或文件名"), Some("不要使用 `index` 或以 `page-` 开头的名称".into())),
            DuplicateId { id, other } => (format!("编号 `{id}` 重复（也用于 {other}）"), Some("每个编号必须唯一（不区分大小写）".into())),
            IdFileMismatch { id, stem } => (format!("编号 `{id}` 与文件名 `{stem}` 不一致"), Some(format!("把文件改名为 `{id}.yaml`，或把 id 改为 `{stem}`"))),
            UnknownRef { what, value, suggestion } => (format!("未知的{} `{value}`", zh_what(what)), suggestion.as_ref().map(|s| format!("是否是 {s}？"))),
            DateOrder { earlier, later } => (format!("{later} 早于 {earlier}"), Some("日期的先后应为：发现 ≤ 整治完成 ≤ 销号，整治期限不早于发现；复发的期限和整治完成不早于复发的发现".into())),
            CampaignEnd { start, end } => (format!("整治行动的结束日期 {end} 早于开始日期 {start}"), Some("检查 `campaign` 的 `start` 和 `end`，特别是年份".into())),
            ClosedNeedsRectified => ("有销号时间（closed）但没有整治完成时间（rectified）".into(), Some("先填写 `rectified`，再填写 `closed`".into())),
            PollutionRequired => ("认定情形含“污”（polluting），但没有填写污染类型 `pollution`".into(), Some("添加 `pollution: [water]` 等（water、air、solid-waste、hazardous-waste、noise）".into())),
            EmptyList { field } => (format!("`{field}` 至少要有一项"), None),
            RelapseTooEarly { after, date: Some(d) } => (format!("复发的发现时间须晚于场所的{}时间 {d}", if *after == "closed" { "销号" } else { "整治完成" }), Some("复发须在销号之后发现（未销号的，在整治完成之后）".into())),
            RelapseTooEarly { date: None, .. } => ("记录了复发，但场所没有整治完成时间（rectified）".into(), Some("先填写 `rectified`；尚未整治完成的场所再次发现问题，写在 `log` 里".into())),
            UnknownTask { value, known } => (format!("未知的任务 `{value}`"), Some(format!("任务编号有：{known}"))),
            RelapseOrder => ("复发记录须按时间顺序排列且互不重叠".into(), Some("上一次复发整治完成后，才能记录下一次复发".into())),
            FutureCase { case, found, date } => (format!("引用的场所 `{case}` 发现于 {found}，晚于本文日期 {date}"), Some("只能引用在本文日期之前（含当日）已发现的场所".into())),
            MissingFile { path } => (format!("找不到文件 `{path}`"), Some("路径相对于内容文件夹（content/），例如 `files/photos/a.png`".into())),
            OutsideContent { path } => (format!("文件 `{path}` 不在内容文件夹内"), Some("只能引用 content/ 里的文件，不能用 `..` 或绝对路径".into())),
            BadUrl { value } => (format!("`{value}` 不是以 / 结尾的 http(s) 网址"), Some("例如 `https://example.org/site/`".into())),
            GroupCycle { id } => (format!("分组 `{id}` 直接或间接包含了自己"), None),
            FolderStreet { folder, street } => (format!("场所放在 `{folder}` 文件夹，但 street 是 `{street}`"), Some("以 street 字段为准；把文件移到对应街道的文件夹".into())),
            BriefingName { stem } => (format!("通报点评的文件名 `{stem}` 不是 YYYY-MM 格式"), Some("例如 `2022-06.md`".into())),
            NumberWithoutN { value } => (format!("文号 `{value}` 中没有期号 `{{n}}`，每期通报的文号会相同"), Some("在序号处写 `{n}`，年份处写 `{year}`，例如 `越秀散乱污办〔{year}〕{n}号`".into())),
            NumberPlaceholder { name } => (format!("文号中的 `{{{name}}}` 不是可用的占位符"), Some("只能用 `{year}`（通报月份的年份）和 `{n}`（当年第几期）".into())),
            BlankItem { field } => (format!("`{field}` 中有一项是空的"), Some("删去这一项，或填写单位名称".into())),
            InLedger { header, inner } => { let (m, h) = inner.zh(); (format!("“{header}”列：{m}"), h) }
            LedgerEmpty { header } => (format!("“{header}”为必填项，但这一行没有填写（或台账没有这一列）"), Some(format!("填写“{header}”；表头名称不同时可用 --map 指定对应关系"))),
            LedgerNoHeader => ("找不到表头行：前 20 行中没有一行含有至少 3 个已知列名".into(), Some("表头使用 编号、街道、场所名称、认定情形、发现来源、整治类型、发现时间 等列名，或用 --map 指定对应关系".into())),
            LedgerUnknownColumn { header, suggestion } => (format!("不认识的列“{header}”，已忽略"), Some(match suggestion { Some(s) => format!("是否是“{s}”？也可用 --map 指定对应关系"), None => "需要导入时用 --map 指定它对应的列名".into() })),
            LedgerCaseExists { id, path } => (format!("编号 `{id}` 的场所已存在（{path}）"), Some("确认要覆盖时加 --force；新场所请留空编号，自动分配".into())),
            LedgerDuplicate { id, line } => (format!("编号 `{id}` 在台账中重复（第 {line} 行也用了）"), Some("每个编号必须唯一（不区分大小写）".into())),
            LedgerEncoding => ("CSV 文件不是 UTF-8 编码（可能是 GBK）".into(), Some("在 Excel 中“另存为”选择“CSV UTF-8（逗号分隔）”，或直接导入 .xlsx 文件".into())),
            LedgerCorrupt { detail } => (format!("无法打开这个工作簿（文件损坏、不完整或有密码保护）：{detail}"), Some("在 Excel 或 WPS 中打开它，确认无误后“另存为” .xlsx 再导入".into())),
            LedgerTooBig { part, limit_mb } => (format!("{part} 超过 {limit_mb} MB，台账不会这么大（可能是损坏的文件或“压缩炸弹”）"), Some("只保留台账的工作表，另存为新的 .xlsx 再导入".into())),
            LedgerOutOfRange { cell, max_rows, max_cols } => (format!("单元格 {cell} 有内容，但台账只读取前 {max_rows} 行、前 {max_cols} 列"), Some("删除表格右侧或下方多余的内容后再导入".into())),
            LedgerCellTooLong { cell, chars, limit } => (format!("单元格 {cell} 有 {chars} 个字符，超过单元格上限 {limit}"), Some("缩短这个单元格的内容".into())),
            LedgerFormula { cell, formula } => (format!("单元格 {cell} 是公式 `{formula}`，导入的列只接受数值"), Some("复制这一列，用“选择性粘贴 → 数值”粘贴回去，再导入".into())),
            LedgerTooManyCells { limit } => (format!("工作表的单元格超过 {limit} 个，台账不会这么大"), Some("只保留台账所在的区域，另存为新的 .xlsx 再导入".into())),
            LedgerTooWide { limit } => (format!("这一行超过 {limit} 列（逗号太多），不是表格软件保存的 CSV"), Some("在 Excel 或 WPS 中打开台账，删除右侧多余的列后重新保存".into())),
            LedgerUnknownStreet { value, suggestion, known } => (format!("“街道”列：未知的街道 `{value}`"), Some(format!("{}已知的街道：{}", suggestion.as_ref().map(|s| format!("是否是 {s}？")).unwrap_or_default(), known.join("、")))),
            LedgerCannotMerge { path, field } => (format!("无法把这一行的 `{field}` 合并进 {path}（该文件的写法无法逐项修改）"), Some(format!("手工修改 {path} 的 `{field}`，或把它改写成每行一个字段的普通写法"))),
            PrivateData { what } => (format!("公开内容里像是有{}", zh_private(what)), Some("个人信息和确切门牌不能公开：移到 `private:` 下，公开文字只写大致位置，例如“署前路一带”".into())),
            Placeholder => ("这里还是占位文字，公开网站上会原样显示".into(), Some("换成实际内容，或删掉这一项".into())),
            PhotoNoCaption => ("照片没有说明文字（caption）".into(), Some("添加一行 `caption: …`，写明拍的是什么，例如“整治前：露天喷漆作业”".into())),
            PhotoUndecodable { reason } => (format!("照片无法读取（{reason}）"), Some("文件可能已损坏或不完整：用手机相册或画图软件重新另存为 JPEG 后替换".into())),
            StaleOverdue { last, days, as_of } => ("逾期且 30 天以上没有进展记录".into(), Some(format!("最近一次记录是 {last}，到统计日期 {as_of} 已 {days} 天；在 `log` 里补一条进展"))),
            BrokenLink { target, suggestion } => (format!("链接指向不存在的页面或文件 `{target}`"), Some(match suggestion { Some(s) => format!("是否是 `{s}`？"), None if target.starts_with("files/") => "附件放在内容文件夹的 files/ 下，链接写 `files/…`，大小写要一致".into(), None => "站内链接从网站根目录写起，例如 `cases/YX2022-0001.html`、`tasks/3.html`、`notes/<文件名>.html`".into() })),
            LinkUnpublished { target } => (format!("链接指向不公开的场所 `{target}`"), Some("这个场所设为 `publish: false`，公开网站上没有它的页面；删掉链接，或只写场所名称".into())),
            MarkdownTooDeep { limit } => (format!("正文的引用、列表、强调或 HTML 标签嵌套超过 {limit} 层"), Some("正文只需要几层嵌套；检查是否多写了 `>`、列表缩进或没有闭合的 HTML 标签".into())),
            BlankField { field } => (format!("必填字段 `{field}` 是空的（只有空格）"), Some("填写实际内容；空着的话，这一项会从网站和统计中消失".into())),
            HiddenChar { field, code } => (format!("`{field}` 含有看不见的{}（U+{code:04X}）", zh_hidden(*code)), Some("这类字符会让文字倒着显示或伪装成别的内容，常见于从网页或聊天软件复制的文字；删掉它".into())),
            YamlTag { tag } => (format!("不支持 YAML 标签 `{tag}`"), Some("只写普通的文字、列表和映射；删掉以 `!` 开头的标签".into())),
            DateOutOfRange { field, value } => (format!("`{field}` 的日期 `{value}` 超出范围"), Some("日期须在 1990-01-01 到 2100-12-31 之间；检查年份".into())),
            NameTooLong { value, bytes } => (format!("`{}` 太长：生成的文件名有 {bytes} 字节，超过文件系统允许的 255 字节", short(value)), Some("缩短编号或文件名".into())),
            BadFile { path, problem, photo } => zh_file(path, problem, *photo),
            UnknownTheme { value, suggestion } => (format!("找不到主题 `{value}`"), Some(match suggestion { Some(s) => format!("是否是 `{s}`？"), None => format!("主题放在内容文件夹旁边的 `themes/{value}/` 文件夹；不需要自定义主题时删掉 `theme` 这一行") })),
            ClosedNoAfterPhoto => ("已销号的场所没有整治后照片（`stage: after`）".into(), Some("添加一张 `stage: after` 的照片，说明整治结果".into())),
            AfterCampaign { found, end } => (format!("场所的发现时间 {found} 晚于整治行动的结束日期 {end}"), Some("检查年份；确属行动结束后发现的，可以保留（照常计入统计）".into())),
        }
    }

    fn en(&self) -> (String, Option<String>) {
        use Kind::*;
        match self {
            Syntax { detail } => (format!("invalid YAML: {detail}"), Some("check the indentation (spaces only), the space after each colon and matching quotes".into())),
            FullWidthColon => ("a full-width colon `：` is used here".into(), Some("write an ASCII colon and a space after a field name, e.g. `street: dongshan`".into())),
            TabIndent => ("this line is indented with a tab".into(), Some("YAML allows only spaces for indentation; replace the tab with two spaces".into())),
            DuplicateKey { key } => (format!("the field `{key}` is written twice"), Some("remove one of them; keys must be unique within a mapping".into())),
            InvalidUtf8 => ("the file is not UTF-8 (perhaps GBK)".into(), Some("save the file as UTF-8 in your editor".into())),
            EmptyFile => ("the file is empty".into(), Some("fill it in, or delete it".into())),
            TooLarge { limit_mb } => (format!("the file is larger than the {limit_mb} MB limit"), Some("split it, or put large attachments under files/".into())),
            TooDeep { limit } => (format!("lists and mappings are nested more than {limit} levels deep"), Some("content files need only a few levels; check the indentation and matching `[` `]`, `{` `}`".into())),
            SymlinkedFolder => ("this folder is a symbolic link; it is not followed".into(), Some("put the files themselves into the content folder instead of a link".into())),
            FrontMatterMissing => ("front matter is missing (a YAML block starting with `---`)".into(), Some("start the file with a `---` line, then title, date …, then another `---` line".into())),
            FrontMatterUnclosed => ("the front matter has no closing `---` line".into(), Some("add a `---` line after the fields".into())),
            StrayFile { expected } => (format!("only {} belong here", expected.1), Some("fix the extension; a file not meant for the site can be renamed to start with `_`".into())),
            UnknownField { field, suggestion, allowed } => (format!("unknown field `{field}`"), Some(match suggestion { Some(s) => format!("did you mean `{s}`?"), None => format!("known fields: {allowed}") })),
            MissingField { field } => (format!("the required field `{field}` is missing"), Some(format!("add a line `{field}: …`"))),
            WrongType { field, expected } => (format!("`{field}` must be {expected}"), None),
            BadDate { field, value, fix } => (format!("`{field}`: `{value}` is not a valid date"), Some(match fix { Some(f) => format!("write dates as YYYY-MM-DD, e.g. `{f}`"), None => "write a real calendar date as YYYY-MM-DD, e.g. `2022-03-05`".into() })),
            BadEnum { field, value, suggestion, allowed } => (format!("`{field}`: `{value}` is not an allowed value"), Some(match suggestion { Some(s) => format!("did you mean `{s}`? allowed: {allowed}"), None => format!("allowed: {allowed}") })),
            BadId { field, value, pattern } => (format!("`{field}`: the id `{value}` has characters that are not allowed"), Some(format!("use only {pattern}"))),
            ReservedName { value } => (format!("`{value}` is a reserved name and cannot be an id or file name"), Some("avoid `index` and names starting with `page-`".into())),
            DuplicateId { id, other } => (format!("the id `{id}` is used twice (also in {other})"), Some("ids must be unique, ignoring letter case".into())),
            IdFileMismatch { id, stem } => (format!("the id `{id}` does not match the file name `{stem}`"), Some(format!("rename the file to `{id}.yaml`, or set id to `{stem}`"))),
            UnknownRef { what, value, suggestion } => (format!("unknown {what} `{value}`"), suggestion.as_ref().map(|s| format!("did you mean {s}?"))),
            DateOrder { earlier, later } => (format!("{later} is before {earlier}"), Some("the order is found ≤ rectified ≤ closed, and a deadline is not before found; a relapse's deadline and rectified are not before its found".into())),
            CampaignEnd { start, end } => (format!("the campaign ends on {end}, before it starts on {start}"), Some("check `campaign`'s `start` and `end`, the year especially".into())),
            ClosedNeedsRectified => ("`closed` is set but `rectified` is not".into(), Some("fill in `rectified` before `closed`".into())),
            PollutionRequired => ("criteria include `polluting` but `pollution` is missing".into(), Some("add e.g. `pollution: [water]` (water, air, solid-waste, hazardous-waste, noise)".into())),
            EmptyList { field } => (format!("`{field}` needs at least one item"), None),
            RelapseTooEarly { after, date: Some(d) } => (format!("a relapse must be found after the case's `{after}` date {d}"), Some("a relapse is found after the case was closed (or rectified, when not closed)".into())),
            RelapseTooEarly { date: None, .. } => ("a relapse is recorded but the case has no `rectified` date".into(), Some("fill in `rectified` first; a site not yet rectified records new findings in its `log`".into())),
            UnknownTask { value, known } => (format!("unknown task `{value}`"), Some(format!("the tasks are {known}"))),
            RelapseOrder => ("relapses must be in date order and must not overlap".into(), Some("record a new relapse only after the previous one was rectified".into())),
            FutureCase { case, found, date } => (format!("the case `{case}` was found on {found}, after this text's date {date}"), Some("refer only to cases found on or before the date".into())),
            MissingFile { path } => (format!("the file `{path}` does not exist"), Some("paths are relative to the content folder, e.g. `files/photos/a.png`".into())),
            OutsideContent { path } => (format!("the file `{path}` is outside the content folder"), Some("refer only to files inside content/, without `..` or absolute paths".into())),
            BadUrl { value } => (format!("`{value}` is not an http(s) URL ending in /"), Some("e.g. `https://example.org/site/`".into())),
            GroupCycle { id } => (format!("the group `{id}` contains itself"), None),
            FolderStreet { folder, street } => (format!("the case is in the folder `{folder}` but its street is `{street}`"), Some("the street field decides; move the file to that street's folder".into())),
            BriefingName { stem } => (format!("the briefing file name `{stem}` is not YYYY-MM"), Some("e.g. `2022-06.md`".into())),
            NumberWithoutN { value } => (format!("the document number `{value}` has no `{{n}}`, so every briefing would get the same number"), Some("write `{n}` where the issue number goes and `{year}` for the year, e.g. `越秀散乱污办〔{year}〕{n}号`".into())),
            NumberPlaceholder { name } => (format!("`{{{name}}}` in the document number is not a known placeholder"), Some("only `{year}` (the briefing month's year) and `{n}` (its issue number within the year) are known".into())),
            BlankItem { field } => (format!("an item of `{field}` is empty"), Some("delete the item or write the unit's name".into())),
            InLedger { header, inner } => { let (m, h) = inner.en(); (format!("column “{header}”: {m}"), h) }
            LedgerEmpty { header } => (format!("“{header}” is required but empty in this row (or the ledger has no such column)"), Some(format!("fill in “{header}”; use --map when the ledger names the column differently"))),
            LedgerNoHeader => ("no header row: none of the first 20 rows has at least 3 known column names".into(), Some("name the columns 编号, 街道, 场所名称, 认定情形, 发现来源, 整治类型, 发现时间 …, or use --map".into())),
            LedgerUnknownColumn { header, suggestion } => (format!("unknown column “{header}”, ignored"), Some(match suggestion { Some(s) => format!("did you mean “{s}”? or use --map"), None => "use --map to say which column it is, if it should be imported".into() })),
            LedgerCaseExists { id, path } => (format!("the case `{id}` already exists ({path})"), Some("add --force to overwrite it; leave 编号 empty for a new case to get the next free id".into())),
            LedgerDuplicate { id, line } => (format!("the id `{id}` is used twice in the ledger (also in row {line})"), Some("ids must be unique, ignoring letter case".into())),
            LedgerEncoding => ("the CSV file is not UTF-8 (perhaps GBK)".into(), Some("in Excel, \"Save As\" \"CSV UTF-8 (Comma delimited)\", or import the .xlsx file itself".into())),
            LedgerCorrupt { detail } => (format!("cannot open this workbook (damaged, incomplete or password-protected): {detail}"), Some("open it in Excel or WPS and, if it looks right, \"Save As\" .xlsx, then import that".into())),
            LedgerTooBig { part, limit_mb } => (format!("{part} is larger than {limit_mb} MB, more than any ledger (a damaged file or a zip bomb?)"), Some("keep only the ledger's sheet and save it as a new .xlsx".into())),
            LedgerOutOfRange { cell, max_rows, max_cols } => (format!("cell {cell} has a value, but a ledger is read only in its first {max_rows} rows and {max_cols} columns"), Some("delete the stray content to the right of or below the table".into())),
            LedgerCellTooLong { cell, chars, limit } => (format!("cell {cell} has {chars} characters, more than a cell may hold ({limit})"), Some("shorten this cell".into())),
            LedgerFormula { cell, formula } => (format!("cell {cell} is the formula `{formula}`; imported columns take values only"), Some("copy the column and \"Paste Special → Values\" over it, then import".into())),
            LedgerTooManyCells { limit } => (format!("the sheet has more than {limit} cells, more than any ledger"), Some("keep only the ledger's table and save it as a new .xlsx".into())),
            LedgerTooWide { limit } => (format!("this row has more than {limit} columns (too many commas); no spreadsheet saved it"), Some("open the ledger in Excel or WPS, delete the stray columns on the right and save it again".into())),
            LedgerUnknownStreet { value, suggestion, known } => (format!("column “街道”: unknown street `{value}`"), Some(format!("{}known streets: {}", suggestion.as_ref().map(|s| format!("did you mean {s}? ")).unwrap_or_default(), known.join(", ")))),
            LedgerCannotMerge { path, field } => (format!("cannot merge this row's `{field}` into {path} (the file is laid out in a way that cannot be edited field by field)"), Some(format!("change `{field}` in {path} by hand, or write it one field per line"))),
            PrivateData { what } => (format!("public text looks like {}", en_private(what)), Some("personal data and exact addresses must not be published: move it under `private:` and give a general location, e.g. 署前路一带".into())),
            Placeholder => ("placeholder text is left here and would be published as it is".into(), Some("replace it with the real text, or remove the item".into())),
            PhotoNoCaption => ("the photo has no caption".into(), Some("add a line `caption: …` saying what it shows".into())),
            PhotoUndecodable { reason } => (format!("the photo cannot be read ({reason})"), Some("the file may be damaged or incomplete: save it again as JPEG (e.g. from the phone's gallery or an image editor) and replace it".into())),
            StaleOverdue { last, days, as_of } => ("overdue with no progress recorded for more than 30 days".into(), Some(format!("the latest record is {last}, {days} days before {as_of}; add a `log` entry with the progress"))),
            BrokenLink { target, suggestion } => (format!("the link points at a page or file that does not exist: `{target}`"), Some(match suggestion { Some(s) => format!("did you mean `{s}`?"), None if target.starts_with("files/") => "attachments live under the content folder's files/ and are linked as `files/…`, letter case included".into(), None => "links between pages start at the site's root, e.g. `cases/YX2022-0001.html`, `tasks/3.html`, `notes/<slug>.html`".into() })),
            LinkUnpublished { target } => (format!("the link points at an unpublished case `{target}`"), Some("the case has `publish: false`, so a public build has no page for it; remove the link or name the site in words".into())),
            MarkdownTooDeep { limit } => (format!("quotes, lists, emphasis or HTML tags in the text are nested more than {limit} levels deep"), Some("text needs only a few levels; look for extra `>`, list indentation or HTML tags that are never closed".into())),
            BlankField { field } => (format!("the required field `{field}` is blank"), Some("fill it in: left blank, the item would drop out of the site and its figures".into())),
            HiddenChar { field, code } => (format!("`{field}` contains an invisible {} (U+{code:04X})", en_hidden(*code)), Some("such characters make text display reversed or disguised; they often come with text copied from web pages or chats: delete it".into())),
            YamlTag { tag } => (format!("the YAML tag `{tag}` is not supported"), Some("write plain values, lists and mappings only; remove the tag starting with `!`".into())),
            DateOutOfRange { field, value } => (format!("`{field}`: the date `{value}` is out of range"), Some("dates must be between 1990-01-01 and 2100-12-31; check the year".into())),
            NameTooLong { value, bytes } => (format!("`{}` is too long: the output file name would have {bytes} bytes, more than the 255 file systems allow", short(value)), Some("shorten the id or file name".into())),
            BadFile { path, problem, photo } => en_file(path, problem, *photo),
            UnknownTheme { value, suggestion } => (format!("the theme `{value}` does not exist"), Some(match suggestion { Some(s) => format!("did you mean `{s}`?"), None => format!("a theme is the folder `themes/{value}/` beside the content folder; remove the `theme` line to use the built-in one") })),
            ClosedNoAfterPhoto => ("the case is closed but has no `after` photo".into(), Some("add a photo with `stage: after` showing the result".into())),
            AfterCampaign { found, end } => (format!("the case was found on {found}, after the campaign's end {end}"), Some("check the year; a site really found after the campaign may stay (it counts as usual)".into())),
        }
    }
}

fn zh_type(expected: &str) -> &'static str {
    match expected {
        "a string" => "文字",
        "a list" => "列表（每项一行，以 `- ` 开头）",
        "a mapping" => "“字段: 值”的映射",
        "true or false" => " true 或 false",
        "an integer" => "整数",
        "a date" => "日期（YYYY-MM-DD）",
        _ => "其他类型",
    }
}

fn zh_what(what: &str) -> &'static str {
    match what {
        "street" => "街道",
        "department" => "部门",
        "task" => "任务",
        "case" => "场所",
        "owner" => "责任单位",
        "group member" => "分组成员",
        "theme" => "主题",
        "river" => "河涌",
        _ => "编号",
    }
}

fn zh_private(what: &str) -> &'static str {
    match what {
        "mobile" => "手机号码",
        "id-card" => "身份证号码",
        "landline" => "固定电话号码",
        _ => "确切的门牌号",
    }
}

fn en_private(what: &str) -> &'static str {
    match what {
        "mobile" => "a mobile number",
        "id-card" => "an ID-card number",
        "landline" => "a landline number",
        _ => "an exact house number",
    }
}

/// A long value cut to its first 40 characters for a message.
fn short(value: &str) -> String {
    match value.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", &value[..i]),
        None => value.to_string(),
    }
}

fn zh_hidden(code: u32) -> &'static str {
    match code {
        0x202A..=0x202E | 0x2066..=0x2069 | 0x200E | 0x200F => "文字方向控制符",
        _ => "零宽字符",
    }
}

fn en_hidden(code: u32) -> &'static str {
    match code {
        0x202A..=0x202E | 0x2066..=0x2069 | 0x200E | 0x200F => "direction control character",
        _ => "zero-width character",
    }
}

fn zh_kind(kind: crate::filekind::Kind) -> &'static str {
    use crate::filekind::Kind::*;
    match kind {
        Jpeg => "JPEG 图片",
        Png => "PNG 图片",
        Webp => "WebP 图片",
        Pdf => "PDF 文档",
        Cfb => "Office/WPS 文档（doc、xls、ppt、wps、et）",
        Docx => "Word 文档（docx）",
        Xlsx => "Excel 表格（xlsx）",
        Pptx => "PowerPoint 演示文稿（pptx）",
        Zip => "zip 压缩包",
        Mp4 => "MP4 视频",
        Heic => "HEIC 照片",
        Html => "HTML 网页",
        Svg => "SVG 图形",
        Script => "脚本或程序",
        Other => "无法识别的内容",
    }
}

fn en_kind(kind: crate::filekind::Kind) -> &'static str {
    use crate::filekind::Kind::*;
    match kind {
        Jpeg => "a JPEG image",
        Png => "a PNG image",
        Webp => "a WebP image",
        Pdf => "a PDF document",
        Cfb => "an Office/WPS document (doc, xls, ppt, wps, et)",
        Docx => "a Word document (docx)",
        Xlsx => "an Excel workbook (xlsx)",
        Pptx => "a PowerPoint presentation (pptx)",
        Zip => "a zip archive",
        Mp4 => "an MP4 video",
        Heic => "a HEIC photo",
        Html => "an HTML page",
        Svg => "an SVG drawing",
        Script => "a script or program",
        Other => "of no kind rectify publishes",
    }
}

/// The name `path` would have with the extension its bytes call for, or the extensions to pick from.
fn renamed(path: &str, kind: crate::filekind::Kind) -> String {
    use crate::filekind::Kind::*;
    let ext = match kind {
        Jpeg => "jpg",
        Png => "png",
        Webp => "webp",
        Pdf => "pdf",
        Docx => "docx",
        Xlsx => "xlsx",
        Pptx => "pptx",
        Mp4 => "mp4",
        _ => return ".doc, .xls, .ppt, .wps, .et".into(),
    };
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => name,
    };
    let dir = &path[..path.len() - name.len()];
    format!("`{dir}{stem}.{ext}`")
}

const ZH_PHOTO_KINDS: &str = "照片只能是 JPEG、PNG 或 WebP";
const ZH_ATTACHMENT_KINDS: &str = "附件只能是照片（JPEG、PNG、WebP）、PDF、Office/WPS 文档（doc、docx、xls、xlsx、ppt、pptx、wps、et）或 MP4 视频；网页、SVG 和脚本可能含有恶意代码，不能发布";
const EN_PHOTO_KINDS: &str = "photos are JPEG, PNG or WebP";
const EN_ATTACHMENT_KINDS: &str = "attachments are photos (JPEG, PNG, WebP), PDF, Office/WPS documents (doc, docx, xls, xlsx, ppt, pptx, wps, et) or MP4 videos; web pages, SVG and scripts may carry harmful code and are never published";

fn zh_file(
    path: &str,
    problem: &crate::filekind::Problem,
    photo: bool,
) -> (String, Option<String>) {
    use crate::filekind::Problem::*;
    match problem {
        NoExtension { actual } => (format!("文件 `{path}` 没有扩展名（内容是{}）", zh_kind(*actual)), Some(format!("按内容改名为 {}", renamed(path, *actual)))),
        Heic => (format!("照片 `{path}` 是 HEIC 格式（苹果手机的默认格式），浏览器无法显示"), Some("在 iPhone 上打开 设置→相机→格式，选“兼容性最佳”后拍摄；已拍的照片可导出为 JPEG 再放入 files/".into())),
        Mismatch { ext, actual } => (format!("文件 `{path}` 的扩展名是 `.{ext}`，但内容是{}", zh_kind(*actual)), Some(format!("按内容改名为 {}", renamed(path, *actual)))),
        NotAllowed { actual } if photo => (format!("`{path}` 是{}，不能用作照片", zh_kind(*actual)), Some(ZH_PHOTO_KINDS.into())),
        NotAllowed { actual } => (format!("`{path}` 是{}，不能作为附件发布", zh_kind(*actual)), Some(ZH_ATTACHMENT_KINDS.into())),
        Undecodable => (format!("照片 `{path}` 无法读取（文件损坏或不完整）"), Some("用看图软件打开确认，重新导出或重新拷贝这张照片".into())),
    }
}

fn en_file(
    path: &str,
    problem: &crate::filekind::Problem,
    photo: bool,
) -> (String, Option<String>) {
    use crate::filekind::Problem::*;
    match problem {
        NoExtension { actual } => (format!("the file `{path}` has no extension (it is {})", en_kind(*actual)), Some(format!("rename it by its content: {}", renamed(path, *actual)))),
        Heic => (format!("the photo `{path}` is in HEIC format (the iPhone's default), which browsers cannot show"), Some("on the iPhone choose Settings → Camera → Formats → Most Compatible; export photos already taken as JPEG and put those into files/".into())),
        Mismatch { ext, actual } => (format!("the file `{path}` is named `.{ext}` but it is {}", en_kind(*actual)), Some(format!("rename it by its content: {}", renamed(path, *actual)))),
        NotAllowed { actual } if photo => (format!("`{path}` is {}, not a photo", en_kind(*actual)), Some(EN_PHOTO_KINDS.into())),
        NotAllowed { actual } => (format!("`{path}` is {} and cannot be published as an attachment", en_kind(*actual)), Some(EN_ATTACHMENT_KINDS.into())),
        Undecodable => (format!("the photo `{path}` cannot be decoded (the file is damaged or incomplete)"), Some("open it in an image viewer, then export or copy the photo again".into())),
    }
}
