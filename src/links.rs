//! Links writers put in Markdown to other pages of the site, written from the site's root
//! (`cases/YX2022-0001.html`, `plan.html`, `files/…`): which links those are. Render prefixes them
//! with the page's way back to the root; validate checks that their targets exist.

/// Folders holding one page per id or slug.
pub const FOLDERS: &[&str] = &[
    "cases",
    "tasks",
    "streets",
    "units",
    "notes",
    "publicity",
    "briefings",
    "data",
];

/// Pages at the root of the site.
pub const TOP: &[&str] = &["index.html", "plan.html", "watchlist.html", "search.html"];

/// What a root-relative link points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target<'a> {
    /// A page or data file: its folder (`None` at the root) and its file name.
    Page {
        folder: Option<&'a str>,
        name: &'a str,
    },
    /// A file under the content folder's `files/`, e.g. `files/photos/a.jpg`.
    File(&'a str),
}

/// The link without `./`, `#…` and `?…`: the path a site link names.
pub fn path_of(dest: &str) -> &str {
    let d = dest.trim().trim_start_matches("./");
    d.split(['#', '?']).next().unwrap_or(d)
}

/// The target of a link written from the site's root, or `None` for any other link (external,
/// `#anchor`, `../…`, `/…`, `mailto:`), which is left as written.
pub fn target(dest: &str) -> Option<Target<'_>> {
    let path = path_of(dest);
    if path.contains(':') || path.starts_with('/') {
        return None;
    }
    if path.starts_with("files/") {
        return Some(Target::File(path));
    }
    if TOP.contains(&path) {
        return Some(Target::Page {
            folder: None,
            name: path,
        });
    }
    let (folder, name) = path.split_once('/')?;
    let folder = FOLDERS.iter().find(|f| **f == folder)?;
    Some(Target::Page {
        folder: Some(folder),
        name,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_links_are_recognised() {
        let page = |folder, name| Some(Target::Page { folder, name });
        let table = [
            (
                "cases/YX2022-0001.html",
                page(Some("cases"), "YX2022-0001.html"),
            ),
            ("./tasks/3.html#milestones", page(Some("tasks"), "3.html")),
            ("plan.html", page(None, "plan.html")),
            (
                "briefings/2022-06.html?x",
                page(Some("briefings"), "2022-06.html"),
            ),
            ("files/a b.pdf", Some(Target::File("files/a b.pdf"))),
            ("https://example.org/cases/a.html", None),
            ("/cases/a.html", None),
            ("../cases/a.html", None),
            ("#top", None),
            ("mailto:a@b.c", None),
            ("other/a.html", None),
            ("README.md", None),
        ];
        for (dest, want) in table {
            assert_eq!(target(dest), want, "{dest}");
        }
    }
}
