//! Value types of the schemas: dates, ids and the contract's enums, whose allowed values come from
//! the model's own lists (English keys and Chinese labels), never from a second copy.

use crate::lang::Lang;
use crate::model;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use std::borrow::Cow;

/// A string schema with a pattern.
macro_rules! pattern_type {
    ($name:ident, $pattern:literal, $desc:literal $(, $format:literal)?) => {
        #[allow(dead_code)]
        pub struct $name;
        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                #[allow(unused_mut)]
                let mut s = json_schema!({ "type": "string", "pattern": $pattern, "description": $desc });
                $( s.insert("format".into(), $format.into()); )?
                s
            }
        }
    };
}

pattern_type!(
    DateText,
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    "日期，写作 YYYY-MM-DD，须为 1990-01-01 到 2100-12-31 之间的真实日期",
    "date"
);
pattern_type!(CaseId, "^[A-Za-z0-9-]+$", "场所编号：字母、数字和 -");
pattern_type!(UnitId, "^[a-z0-9-]+$", "编号：小写字母、数字和 -");
pattern_type!(
    ThemeName,
    "^[A-Za-z0-9-]+$",
    "主题名：字母、数字和 -，不能是路径"
);
pattern_type!(
    BaseUrl,
    "^https?://.*/$",
    "以 http(s):// 开头、以 / 结尾的网址"
);

/// An enum schema listing every English key and Chinese label of a model enum.
macro_rules! labelled_type {
    ($name:ident, $model:ty, $desc:literal) => {
        #[allow(dead_code)]
        pub struct $name;
        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                let all = <$model>::ALL;
                let values: Vec<&str> = all
                    .iter()
                    .map(|v| v.key())
                    .chain(all.iter().map(|v| v.label(Lang::Zh)))
                    .collect();
                let legend: Vec<String> = all
                    .iter()
                    .map(|v| format!("{} {}", v.key(), v.label(Lang::Zh)))
                    .collect();
                let desc = format!("{}：{}（英文键或中文名称均可）", $desc, legend.join(" · "));
                json_schema!({ "type": "string", "enum": values, "description": desc })
            }
        }
    };
}

labelled_type!(Action, model::Action, "三个一批");
labelled_type!(Criterion, model::Criterion, "认定情形");
labelled_type!(Pollution, model::Pollution, "污染类型");
labelled_type!(Source, model::Source, "发现来源");
labelled_type!(RecheckMethod, model::RecheckMethod, "复查方式");
labelled_type!(Stage, model::Stage, "整治前后");
labelled_type!(NoteKind, model::NoteKind, "工作动态类型");
labelled_type!(PublicityKind, model::PublicityKind, "宣传材料类型");

/// The site's language: only the two codes.
#[allow(dead_code)]
pub struct Language;
impl JsonSchema for Language {
    fn schema_name() -> Cow<'static, str> {
        "Language".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let codes: Vec<&str> = [Lang::Zh, Lang::En].iter().map(|l| l.code()).collect();
        json_schema!({ "type": "string", "enum": codes, "description": "网站语言：zh-CN 中文、en 英文" })
    }
}
