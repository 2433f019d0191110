//! clap's own usage errors (an unknown flag, a missing value, a bad choice) told in the site's
//! language like every other message, still with exit code 2.

use crate::diag::Said;
use crate::lang::Lang;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use std::path::Path;

/// The usage error `err` as printed: what is wrong, a suggestion where clap has one, the usage line
/// and where to read more, in `lang`.
pub fn explain(err: &clap::Error, lang: Lang) -> String {
    let mut out = crate::diag::error_line(what(err).pick(lang), lang);
    if let Some(tip) = suggestion(err) {
        out.push_str(&format!(
            "\n\n  {}",
            Said::new(
                format!("提示：是否是 `{tip}`？"),
                format!("tip: did you mean `{tip}`?")
            )
            .pick(lang)
        ));
    }
    if let Some(usage) = context(err, ContextKind::Usage) {
        let usage = usage.trim().trim_start_matches("Usage:").trim();
        out.push_str(&format!("\n\n{}{usage}", lang.pick("用法：", "Usage: ")));
        let command: Vec<&str> = usage
            .split_whitespace()
            .take_while(|w| !w.starts_with(['-', '[', '<']))
            .collect();
        let command = command.join(" ");
        out.push_str(&format!(
            "\n\n{}",
            Said::new(
                format!("运行 `{command} --help` 查看全部参数。"),
                format!("For more information, try `{command} --help`.")
            )
            .pick(lang)
        ));
    }
    out.push('\n');
    out
}

/// The sentence for each kind of usage error.
fn what(err: &clap::Error) -> Said {
    let arg = context(err, ContextKind::InvalidArg).unwrap_or_default();
    let value = context(err, ContextKind::InvalidValue).unwrap_or_default();
    let valid = context(err, ContextKind::ValidValue);
    match err.kind() {
        ErrorKind::UnknownArgument => Said::new(
            format!("不认识的参数 `{arg}`"),
            format!("unexpected argument `{arg}`"),
        ),
        ErrorKind::InvalidSubcommand => {
            let sub = context(err, ContextKind::InvalidSubcommand).unwrap_or_default();
            Said::new(
                format!(
                    "没有 `{sub}` 这个命令（可用：build、check、serve、init、new、diff、import、schema）"
                ),
                format!(
                    "unrecognized command `{sub}` (build, check, serve, init, new, diff, import, schema)"
                ),
            )
        }
        ErrorKind::InvalidValue if value.is_empty() => Said::new(
            format!("参数 `{arg}` 缺少值"),
            format!("a value is required for `{arg}` but none was supplied"),
        ),
        ErrorKind::InvalidValue => Said::new(
            format!(
                "`{value}` 不是参数 `{arg}` 可用的值{}",
                valid
                    .as_deref()
                    .map(|v| format!("（可用：{}）", v.replace(", ", "、")))
                    .unwrap_or_default()
            ),
            format!(
                "invalid value `{value}` for `{arg}`{}",
                valid
                    .as_deref()
                    .map(|v| format!(" (possible values: {v})"))
                    .unwrap_or_default()
            ),
        ),
        ErrorKind::ValueValidation => validation(err, &arg, &value),
        ErrorKind::MissingRequiredArgument => Said::new(
            format!("缺少必需的参数 `{arg}`"),
            format!("a required argument was not provided: `{arg}`"),
        ),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            Said::new("缺少要执行的命令", "a subcommand is required")
        }
        ErrorKind::ArgumentConflict => {
            let prior = context(err, ContextKind::PriorArg).unwrap_or_default();
            Said::new(
                format!("参数 `{arg}` 不能和 `{prior}` 同时使用"),
                format!("`{arg}` cannot be used with `{prior}`"),
            )
        }
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            Said::new(
                format!("参数 `{arg}` 的值的个数不对"),
                format!("wrong number of values for `{arg}`"),
            )
        }
        ErrorKind::NoEquals => Said::new(
            format!("参数 `{arg}` 的值要用 `=` 连写"),
            format!("`{arg}` needs its value after `=`"),
        ),
        ErrorKind::InvalidUtf8 => Said::new(
            "参数含有无效的 UTF-8 字符",
            "an argument is not valid UTF-8",
        ),
        _ => {
            let text = err.kind().as_str().unwrap_or("invalid usage").to_string();
            Said::new(format!("用法有误（{text}）"), text)
        }
    }
}

/// A value the argument's own parser refused: its reason in both languages when it gave them.
fn validation(err: &clap::Error, arg: &str, value: &str) -> Said {
    use std::error::Error;
    let source = err.source();
    if let Some(said) = source.and_then(|s| s.downcast_ref::<Said>()) {
        return Said::new(
            format!("参数 `{arg}` 的值无效：{}", said.zh),
            format!("invalid value for `{arg}`: {}", said.en),
        );
    }
    let reason = source.map(|s| s.to_string()).unwrap_or_default();
    Said::new(
        format!("参数 `{arg}` 的值 `{value}` 无效（{reason}）"),
        format!("invalid value `{value}` for `{arg}`: {reason}"),
    )
}

/// What clap suggests instead (a flag, a command or a value), if anything.
fn suggestion(err: &clap::Error) -> Option<String> {
    [
        ContextKind::SuggestedArg,
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedValue,
    ]
    .into_iter()
    .find_map(|k| context(err, k))
    .filter(|s| !s.is_empty())
}

fn context(err: &clap::Error, kind: ContextKind) -> Option<String> {
    match err.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => Some(v.join(", ")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(v) => Some(
            v.iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ContextValue::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The language of a usage error, read from the raw arguments since they did not parse: `--lang`,
/// else the `site.yaml` of `--content` (or `./content`), else Chinese.
pub fn lang_of_args(args: &[String]) -> Lang {
    let value = |flag: &str| {
        args.iter().enumerate().find_map(|(i, a)| {
            a.strip_prefix(&format!("{flag}="))
                .map(str::to_string)
                .or_else(|| (a == flag).then(|| args.get(i + 1).cloned()).flatten())
        })
    };
    if let Some(lang) = value("--lang").as_deref().and_then(Lang::parse) {
        return lang;
    }
    let content = value("--content").unwrap_or_else(|| "content".into());
    crate::cmd::content_lang(Path::new(&content))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn said(args: &[&str], lang: Lang) -> String {
        let err = crate::cli::Cli::try_parse_from(args).expect_err("a usage error");
        explain(&err, lang)
    }

    #[test]
    fn usage_errors_in_both_languages() {
        let rows: [(&[&str], &str, &str); 8] = [
            (
                &["rectify", "build", "--bogus"],
                "错误：不认识的参数 `--bogus`",
                "error: unexpected argument `--bogus`",
            ),
            (
                &["rectify", "build", "--outptu", "x"],
                "提示：是否是 `--output`？",
                "tip: did you mean `--output`?",
            ),
            (
                &["rectify", "check", "--format", "xml"],
                "（可用：human、json、github）",
                "(possible values: human, json, github)",
            ),
            (
                &["rectify", "check", "--as-of"],
                "参数 `--as-of <DATE>` 缺少值",
                "a value is required for `--as-of <DATE>`",
            ),
            (
                &["rectify", "check", "--as-of", "2022-6-31"],
                "不是 YYYY-MM-DD 格式的日期",
                "is not a date written YYYY-MM-DD",
            ),
            (
                &["rectify", "bild"],
                "没有 `bild` 这个命令",
                "unrecognized command `bild`",
            ),
            (
                &["rectify", "new", "case"],
                "缺少必需的参数 `--street <STREET>`",
                "a required argument was not provided: `--street <STREET>`",
            ),
            (
                &["rectify", "build", "--bogus"],
                "运行 `rectify build --help` 查看全部参数。",
                "For more information, try `rectify build --help`.",
            ),
        ];
        for (args, zh, en) in rows {
            let (z, e) = (said(args, Lang::Zh), said(args, Lang::En));
            assert!(z.contains(zh), "{args:?}: {z}");
            assert!(e.contains(en), "{args:?}: {e}");
            assert!(!z.contains("unexpected") && !z.contains("Usage"), "{z}");
        }
    }

    #[test]
    fn language_from_the_raw_arguments() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            lang_of_args(&args(&["rectify", "check", "--lang", "en"])),
            Lang::En
        );
        assert_eq!(
            lang_of_args(&args(&["rectify", "check", "--lang=en", "-x"])),
            Lang::En
        );
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.yaml"), "language: en\n").unwrap();
        let content = dir.path().to_string_lossy().into_owned();
        assert_eq!(
            lang_of_args(&args(&["rectify", "build", "--content", &content, "--x"])),
            Lang::En
        );
        assert_eq!(
            lang_of_args(&args(&[
                "rectify",
                "build",
                "--content",
                "/nonexistent",
                "--x"
            ])),
            Lang::Zh
        );
        // `--lang` wins over the site's language; a flag without its value is no language.
        assert_eq!(
            lang_of_args(&args(&[
                "rectify",
                "check",
                "--content",
                &content,
                "--lang",
                "zh-CN"
            ])),
            Lang::Zh
        );
        assert_eq!(
            lang_of_args(&args(&["rectify", "check", "--lang"])),
            Lang::Zh
        );
    }
}
