//! What `serve` adds to HTML pages it serves (never to the built site): the live-reload script and,
//! when the content has errors, the overlay that lists them.

use crate::diag::{Diagnostic, print_human};
use crate::lang::Lang;
use crate::load::Sources;
use crate::render::xml_escape as escape;

/// The path of the reload stream (Server-Sent Events), under the site's root.
pub const EVENTS: &str = "__rectify/events";

/// One EventSource per browser, not per tab: the tab holding the `rectify-reload` Web Lock listens
/// and passes each change to the other tabs over a BroadcastChannel; when it closes, another tab
/// takes the lock. Browsers without Web Locks fall back to one stream per tab. A page reloads when
/// a change lists its path, or lists none (everything changed).
const SCRIPT: &str = r#"<script>
(function () {
  var me = __PATH__, seen = __VERSION__, url = __ROOT__ + "__EVENTS__";
  function apply(c) {
    if (c.version <= seen) return;
    seen = c.version;
    if (!c.paths || c.paths.indexOf(me) >= 0) location.reload();
  }
  var ch = self.BroadcastChannel ? new BroadcastChannel("rectify-reload") : null;
  if (ch) ch.onmessage = function (e) { apply(e.data); };
  function listen() {
    var es = new EventSource(url + "?since=" + seen);
    es.onmessage = function (e) {
      var c = JSON.parse(e.data);
      if (ch) ch.postMessage(c);
      apply(c);
    };
  }
  if (ch && navigator.locks) {
    navigator.locks.request("rectify-reload", function () {
      listen();
      return new Promise(function () {});
    });
  } else {
    listen();
  }
})();
</script>"#;

/// `html` with the reload script (and the overlay, when `errors` is set) before `</body>`.
pub fn page(html: &[u8], path: &str, version: u64, errors: Option<&str>) -> Vec<u8> {
    let root = "../".repeat(path.matches('/').count());
    let script = SCRIPT
        .replace("__PATH__", &js_string(path))
        .replace("__VERSION__", &version.to_string())
        .replace("__ROOT__", &js_string(&root))
        .replace("__EVENTS__", EVENTS);
    let mut extra = String::new();
    if let Some(errors) = errors {
        extra.push_str(errors);
    }
    extra.push_str(&script);
    let at = find_body_end(html).unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + extra.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(extra.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The last `</body>`, case-insensitively.
fn find_body_end(html: &[u8]) -> Option<usize> {
    const END: &[u8] = b"</body>";
    html.windows(END.len())
        .rposition(|w| w.eq_ignore_ascii_case(END))
}

/// A JSON string literal, safe inside a `<script>` element.
fn js_string(s: &str) -> String {
    serde_json::to_string(s)
        .unwrap_or_else(|_| "\"\"".into())
        .replace('<', "\\u003c")
}

/// The overlay listing `diags` (file, line, message, hint), printed as the terminal prints them.
pub fn overlay(diags: &[Diagnostic], sources: &Sources, lang: Lang) -> String {
    let text: Vec<String> = diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| print_human(d, sources.text_of(&d.path), lang))
        .collect();
    overlay_text(&text.join("\n\n"), lang)
}

/// The overlay with a message of its own (an error that is not a diagnostic).
pub fn overlay_text(text: &str, lang: Lang) -> String {
    let title = lang.pick(
        "内容有错误：下面是错误清单，页面仍是上次成功生成的版本。改正文件后自动刷新。",
        "The content has errors: they are listed below; the pages underneath are the last good build. \
         Fixing the files reloads this page.",
    );
    format!(
        "<div id=\"rectify-errors\" role=\"alert\" style=\"position:fixed;inset:0;z-index:2147483647;\
         overflow:auto;background:rgba(20,20,20,.92);color:#fff;padding:1.5rem;font:15px/1.5 \
         system-ui,sans-serif\"><p style=\"margin:0 0 1rem;font-weight:bold;color:#ff8a80\">{}</p>\
         <pre style=\"white-space:pre-wrap;font:14px/1.45 monospace;margin:0\">{}</pre></div>",
        escape(title),
        escape(text)
    )
}

/// The page shown before any good build exists: the overlay on an empty page.
pub fn no_build_page(overlay: &str, lang: Lang) -> Vec<u8> {
    format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width,initial-scale=1\"><title>rectify serve</title></head><body>{overlay}</body></html>",
        lang.code()
    )
    .into_bytes()
}

/// The page for a path the site does not have.
pub fn not_found_page(lang: Lang) -> Vec<u8> {
    let msg = lang.pick("找不到这个页面。", "There is no page at this address.");
    format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>404</title></head>\
         <body><p>{msg}</p><p><a href=\"/\">{}</a></p></body></html>",
        lang.code(),
        lang.pick("首页", "Home")
    )
    .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_last_body_end() {
        let out = page(b"<html><BODY>x</BODY></html>", "cases/a.html", 7, None);
        let s = String::from_utf8(out).unwrap();
        let script = s.find("<script>").unwrap();
        assert!(script < s.find("</BODY>").unwrap());
        assert!(s.contains("var me = \"cases/a.html\", seen = 7, url = \"../\""));
        assert!(s.contains(EVENTS));
    }

    #[test]
    fn a_page_without_body_gets_the_script_at_the_end() {
        let s = String::from_utf8(page(b"<p>x", "index.html", 1, None)).unwrap();
        assert!(s.starts_with("<p>x<script>"));
    }

    #[test]
    fn paths_cannot_break_out_of_the_script() {
        let s = String::from_utf8(page(b"", "</script><b>.html", 1, None)).unwrap();
        assert!(!s.contains("</script><b>"));
    }

    #[test]
    fn overlay_escapes_the_messages() {
        let o = overlay_text("<img src=x onerror=alert(1)>", Lang::Zh);
        assert!(o.contains("&lt;img"));
        assert!(!o.contains("<img"));
        assert!(o.contains("内容有错误"));
    }
}
