//! Messages outside the content's diagnostics (an I/O failure, bad usage), in both languages: the
//! command picks one when it prints, so a Chinese site never gets an English error line.

use crate::lang::Lang;
use std::fmt;

/// A sentence in Chinese and in English; as an error its `Display` is the English one (logs, tests).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said {
    pub zh: String,
    pub en: String,
}

impl Said {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Said {
        Said {
            zh: zh.into(),
            en: en.into(),
        }
    }

    pub fn pick(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }
}

impl fmt::Display for Said {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}

impl std::error::Error for Said {}

/// An environment failure told in `lang`: each link of the error's chain in that language where it
/// is known (rectify's own words, the common I/O failures), else as the system said it.
pub fn explain(err: &anyhow::Error, lang: Lang) -> String {
    let outer = err.downcast_ref::<Said>();
    let parts: Vec<String> = err
        .chain()
        .enumerate()
        .map(|(i, cause)| {
            // A context's own type is reachable only through the outermost error.
            let said = if i == 0 { outer } else { None };
            if let Some(said) = said.or_else(|| cause.downcast_ref::<Said>()) {
                return said.pick(lang).to_string();
            }
            match (lang, cause.downcast_ref::<std::io::Error>()) {
                (Lang::Zh, Some(io)) => zh_io(io),
                _ => cause.to_string(),
            }
        })
        .collect();
    parts.join(lang.pick("：", ": "))
}

/// The line printed for a failure that is not a content diagnostic.
pub fn error_line(message: &str, lang: Lang) -> String {
    format!("{}{message}", lang.pick("错误：", "error: "))
}

fn zh_io(err: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    let words = match err.kind() {
        NotFound => "文件或文件夹不存在",
        PermissionDenied => "没有访问权限",
        AlreadyExists => "已经存在",
        AddrInUse => "端口已被占用",
        AddrNotAvailable => "无法使用这个地址",
        NotADirectory => "不是文件夹",
        IsADirectory => "是文件夹，不是文件",
        DirectoryNotEmpty => "文件夹不为空",
        ReadOnlyFilesystem => "文件系统只读",
        StorageFull => "磁盘空间已满",
        InvalidData => "数据无效",
        _ => return format!("系统错误（{err}）"),
    };
    format!("{words}（{err}）")
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn a_chain_is_told_in_the_language_asked() {
        let io = std::io::Error::from(std::io::ErrorKind::NotFound);
        let err = Err::<(), _>(io)
            .context(Said::new(
                "无法读取内容文件夹 c",
                "cannot read the content folder c",
            ))
            .unwrap_err();
        let zh = explain(&err, Lang::Zh);
        assert!(
            zh.starts_with("无法读取内容文件夹 c：文件或文件夹不存在"),
            "{zh}"
        );
        assert!(!zh.contains("cannot"), "{zh}");
        let en = explain(&err, Lang::En);
        assert!(en.starts_with("cannot read the content folder c: "), "{en}");
        assert_eq!(error_line("x", Lang::Zh), "错误：x");
        assert_eq!(error_line("x", Lang::En), "error: x");
    }
}
