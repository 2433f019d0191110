//! Every content message rectify prints, in Chinese and English, in one place.

use super::Severity;
use crate::lang::Lang;

/// What is wrong. Values are kept as data; the words come from [`Kind::text`].
#[derive(Clone, Debug, PartialEq)]
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
        expected: &'static str,
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
        pattern: &'static str,
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
        what: &'static str,
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
        after: &'static str,
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
    /// A problem of a case drafted from a ledger row, told at the ledger's column `header`.
    InLedger {
        header: String,
        inner: Box<Kind>,
    },
    /// A required column is missing, or its cell is empty.
    LedgerEmpty {
        header: &'static str,
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
    /// Public text that looks like private data; `what` is `mobile`, `id-card`, `landline` or
    /// `house-number`.
    PrivateData {
        what: &'static str,
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
            | Kind::StaleOverdue { .. } => Severity::Warning,
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
            Kind::InLedger { inner, .. } => inner.code(),
            Kind::LedgerEmpty { .. } => "missing-field",
            Kind::LedgerNoHeader => "ledger-header",
            Kind::LedgerUnknownColumn { .. } => "ledger-column",
            Kind::LedgerCaseExists { .. } => "case-exists",
            Kind::LedgerDuplicate { .. } => "duplicate-id",
            Kind::LedgerEncoding => "invalid-utf8",
            Kind::PrivateData { .. } => "private-data",
            Kind::PhotoNoCaption => "photo-caption",
            Kind::Placeholder => "placeholder",
            Kind::StaleOverdue { .. } => "stale-overdue",
            Kind::BrokenLink { .. } | Kind::LinkUnpublished { .. } => "broken-link",
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
            InLedger { header, inner } => { let (m, h) = inner.zh(); (format!("“{header}”列：{m}"), h) }
            LedgerEmpty { header } => (format!("“{header}”为必填项，但这一行没有填写（或台账没有这一列）"), Some(format!("填写“{header}”；表头名称不同时可用 --map 指定对应关系"))),
            LedgerNoHeader => ("找不到表头行：前 20 行中没有一行含有至少 3 个已知列名".into(), Some("表头使用 编号、街道、场所名称、认定情形、发现来源、整治类型、发现时间 等列名，或用 --map 指定对应关系".into())),
            LedgerUnknownColumn { header, suggestion } => (format!("不认识的列“{header}”，已忽略"), Some(match suggestion { Some(s) => format!("是否是“{s}”？也可用 --map 指定对应关系"), None => "需要导入时用 --map 指定它对应的列名".into() })),
            LedgerCaseExists { id, path } => (format!("编号 `{id}` 的场所已存在（{path}）"), Some("确认要覆盖时加 --force；新场所请留空编号，自动分配".into())),
            LedgerDuplicate { id, line } => (format!("编号 `{id}` 在台账中重复（第 {line} 行也用了）"), Some("每个编号必须唯一（不区分大小写）".into())),
            LedgerEncoding => ("CSV 文件不是 UTF-8 编码（可能是 GBK）".into(), Some("在 Excel 中“另存为”选择“CSV UTF-8（逗号分隔）”，或直接导入 .xlsx 文件".into())),
            PrivateData { what } => (format!("公开内容里像是有{}", zh_private(what)), Some("个人信息和确切门牌不能公开：移到 `private:` 下，公开文字只写大致位置，例如“署前路一带”".into())),
            Placeholder => ("这里还是占位文字，公开网站上会原样显示".into(), Some("换成实际内容，或删掉这一项".into())),
            PhotoNoCaption => ("照片没有说明文字（caption）".into(), Some("添加一行 `caption: …`，写明拍的是什么，例如“整治前：露天喷漆作业”".into())),
            PhotoUndecodable { reason } => (format!("照片无法读取（{reason}）"), Some("文件可能已损坏或不完整：用手机相册或画图软件重新另存为 JPEG 后替换".into())),
            StaleOverdue { last, days, as_of } => ("逾期且 30 天以上没有进展记录".into(), Some(format!("最近一次记录是 {last}，到统计日期 {as_of} 已 {days} 天；在 `log` 里补一条进展"))),
            BrokenLink { target, suggestion } => (format!("链接指向不存在的页面或文件 `{target}`"), Some(match suggestion { Some(s) => format!("是否是 `{s}`？"), None if target.starts_with("files/") => "附件放在内容文件夹的 files/ 下，链接写 `files/…`，大小写要一致".into(), None => "站内链接从网站根目录写起，例如 `cases/YX2022-0001.html`、`tasks/3.html`、`notes/<文件名>.html`".into() })),
            LinkUnpublished { target } => (format!("链接指向不公开的场所 `{target}`"), Some("这个场所设为 `publish: false`，公开网站上没有它的页面；删掉链接，或只写场所名称".into())),
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
            InLedger { header, inner } => { let (m, h) = inner.en(); (format!("column “{header}”: {m}"), h) }
            LedgerEmpty { header } => (format!("“{header}” is required but empty in this row (or the ledger has no such column)"), Some(format!("fill in “{header}”; use --map when the ledger names the column differently"))),
            LedgerNoHeader => ("no header row: none of the first 20 rows has at least 3 known column names".into(), Some("name the columns 编号, 街道, 场所名称, 认定情形, 发现来源, 整治类型, 发现时间 …, or use --map".into())),
            LedgerUnknownColumn { header, suggestion } => (format!("unknown column “{header}”, ignored"), Some(match suggestion { Some(s) => format!("did you mean “{s}”? or use --map"), None => "use --map to say which column it is, if it should be imported".into() })),
            LedgerCaseExists { id, path } => (format!("the case `{id}` already exists ({path})"), Some("add --force to overwrite it; leave 编号 empty for a new case to get the next free id".into())),
            LedgerDuplicate { id, line } => (format!("the id `{id}` is used twice in the ledger (also in row {line})"), Some("ids must be unique, ignoring letter case".into())),
            LedgerEncoding => ("the CSV file is not UTF-8 (perhaps GBK)".into(), Some("in Excel, \"Save As\" \"CSV UTF-8 (Comma delimited)\", or import the .xlsx file itself".into())),
            PrivateData { what } => (format!("public text looks like {}", en_private(what)), Some("personal data and exact addresses must not be published: move it under `private:` and give a general location, e.g. 署前路一带".into())),
            Placeholder => ("placeholder text is left here and would be published as it is".into(), Some("replace it with the real text, or remove the item".into())),
            PhotoNoCaption => ("the photo has no caption".into(), Some("add a line `caption: …` saying what it shows".into())),
            PhotoUndecodable { reason } => (format!("the photo cannot be read ({reason})"), Some("the file may be damaged or incomplete: save it again as JPEG (e.g. from the phone's gallery or an image editor) and replace it".into())),
            StaleOverdue { last, days, as_of } => ("overdue with no progress recorded for more than 30 days".into(), Some(format!("the latest record is {last}, {days} days before {as_of}; add a `log` entry with the progress"))),
            BrokenLink { target, suggestion } => (format!("the link points at a page or file that does not exist: `{target}`"), Some(match suggestion { Some(s) => format!("did you mean `{s}`?"), None if target.starts_with("files/") => "attachments live under the content folder's files/ and are linked as `files/…`, letter case included".into(), None => "links between pages start at the site's root, e.g. `cases/YX2022-0001.html`, `tasks/3.html`, `notes/<slug>.html`".into() })),
            LinkUnpublished { target } => (format!("the link points at an unpublished case `{target}`"), Some("the case has `publish: false`, so a public build has no page for it; remove the link or name the site in words".into())),
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
