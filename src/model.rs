//! The validated site model. Only `validate` builds it; everything downstream reads it.

use crate::lang::Lang;
pub use chrono::NaiveDate as Date;

/// Declares a closed set of values with an English key and Chinese and English labels.
macro_rules! labelled_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $key:literal, $zh:literal, $en:literal;)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name { $($variant),* }

        impl $name {
            /// Every value, in the contract's order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The stable English key used in files and in JSON.
            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key),* }
            }

            /// The label shown to people.
            pub fn label(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $(($name::$variant, Lang::Zh) => $zh, ($name::$variant, Lang::En) => $en,)*
                }
            }

            /// Reads the English key or the Chinese label.
            pub fn parse(s: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.key() == s || v.label(Lang::Zh) == s)
            }
        }
    };
}

labelled_enum!(
    /// Which of the 三个一批 lists a case is on.
    Action {
        ShutDown = "shut-down", "关停取缔", "shut down";
        Relocate = "relocate", "整合搬迁", "relocate";
        Upgrade = "upgrade", "升级改造", "upgrade";
    }
);

labelled_enum!(
    /// Why a site is 散乱污.
    Criterion {
        Scattered = "scattered", "散", "scattered";
        Disorderly = "disorderly", "乱", "disorderly";
        Polluting = "polluting", "污", "polluting";
    }
);

labelled_enum!(
    /// What a site pollutes.
    Pollution {
        Water = "water", "涉水", "water";
        Air = "air", "涉气", "air";
        SolidWaste = "solid-waste", "涉固废", "solid waste";
        HazardousWaste = "hazardous-waste", "涉危废", "hazardous waste";
        Noise = "noise", "噪声", "noise";
    }
);

labelled_enum!(
    /// How a site was found.
    Source {
        ElectricityData = "electricity-data", "市用电大数据名单", "electricity data";
        GridPatrol = "grid-patrol", "网格巡查", "grid patrol";
        Complaint = "complaint", "群众举报", "public complaint";
        Hotline = "hotline", "12345热线", "12345 hotline";
        CentralInspection = "central-inspection", "中央生态环境保护督察交办", "central inspection referral";
        ProvincialInspection = "provincial-inspection", "省生态环境保护督察交办", "provincial inspection referral";
        CityReferral = "city-referral", "市级交办", "city referral";
        RiverChief = "river-chief", "河长办巡河洗楼", "river chief patrol";
        Media = "media", "媒体曝光", "media report";
        DepartmentCheck = "department-check", "部门检查", "department check";
        Other = "other", "其他", "other";
    }
);

labelled_enum!(
    /// How a rectified site was checked again.
    RecheckMethod {
        Patrol = "patrol", "巡查", "patrol";
        Electricity = "electricity", "用电监测", "electricity monitoring";
        Complaint = "complaint", "举报核查", "complaint check";
    }
);

labelled_enum!(
    /// Before or after rectification.
    Stage {
        Before = "before", "整治前", "before";
        After = "after", "整治后", "after";
    }
);

labelled_enum!(
    /// The kind of a work note.
    NoteKind {
        Patrol = "patrol", "巡查", "patrol";
        Inspection = "inspection", "督查", "inspection";
        Enforcement = "enforcement", "联合执法", "joint enforcement";
        Meeting = "meeting", "会议", "meeting";
        Training = "training", "培训", "training";
        Report = "report", "报告", "report";
        Other = "other", "其他", "other";
    }
);

labelled_enum!(
    /// The kind of a publicity item.
    PublicityKind {
        Article = "article", "宣传文章", "article";
        Event = "event", "宣传活动", "event";
        Poster = "poster", "海报", "poster";
        Leaflet = "leaflet", "宣传册/倡议书", "leaflet";
        Training = "training", "宣贯培训", "training";
        Video = "video", "视频", "video";
    }
);

/// The whole validated campaign.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub org: Organisation,
    pub plan: Plan,
    pub tasks: Vec<Task>,
    /// Sorted by id.
    pub cases: Vec<Case>,
    /// Sorted by date (newest first), then slug.
    pub notes: Vec<Note>,
    /// Sorted by date (newest first), then slug.
    pub publicity: Vec<Publicity>,
    /// Sorted by month.
    pub commentary: Vec<Commentary>,
}

/// `site.yaml`.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub subtitle: Option<String>,
    pub lang: Lang,
    pub base_url: Option<String>,
    pub as_of: Option<Date>,
    pub start: Date,
    pub end: Date,
    pub id_prefix: Option<String>,
    pub sample_data: bool,
    pub hotline: Option<String>,
    pub office: Option<String>,
    pub footer: Footer,
    pub theme: String,
    pub briefing: BriefingDoc,
}

/// `site.yaml`'s `briefing`: how the monthly briefing is issued as a document.
#[derive(Debug, Clone, Default)]
pub struct BriefingDoc {
    /// The 文号 pattern, holding `{n}` and maybe `{year}`.
    pub number: Option<String>,
    /// 主送.
    pub to: Vec<String>,
    /// 抄送.
    pub cc: Vec<String>,
    /// The issuing office as written; `Config::issuer` falls back to `office`.
    pub issuer: Option<String>,
    /// Whether a public build writes the .docx too.
    pub public_docx: bool,
}

impl BriefingDoc {
    /// The 文号 of the year's `n`th briefing, when a pattern is set.
    pub fn number_for(&self, year: i32, n: usize) -> Option<String> {
        self.number.as_ref().map(|p| {
            p.replace("{year}", &year.to_string())
                .replace("{n}", &n.to_string())
        })
    }
}

impl Config {
    /// Who issues the briefings: `briefing.issuer`, else `office`, else the site's title.
    pub fn issuer(&self) -> &str {
        self.briefing
            .issuer
            .as_deref()
            .or(self.office.as_deref())
            .unwrap_or(&self.title)
    }
}

/// What a government site's footer carries; each shown only when given.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Footer {
    pub organizer: Option<String>,
    pub address: Option<String>,
    pub site_code: Option<String>,
    pub icp: Option<String>,
    pub police: Option<String>,
}

/// A department or a street.
#[derive(Debug, Clone)]
pub struct Unit {
    pub id: String,
    pub name: String,
    pub full_name: Option<String>,
    pub communities: Vec<String>,
}

/// A name that stands for several units in `tasks.yaml`.
#[derive(Debug, Clone)]
pub struct Group {
    pub id: String,
    pub name: String,
    /// Resolved to department and street ids, in organisation order.
    pub members: Vec<String>,
}

/// `organisation.yaml`.
#[derive(Debug, Clone)]
pub struct Organisation {
    pub departments: Vec<Unit>,
    pub streets: Vec<Unit>,
    pub groups: Vec<Group>,
    /// The river basins cases may name in `river`; empty: `river` is free text.
    pub rivers: Vec<River>,
}

/// A river basin (河涌) of `organisation.yaml`'s optional `rivers`.
#[derive(Debug, Clone)]
pub struct River {
    pub id: String,
    pub name: String,
}

impl Organisation {
    pub fn street(&self, id: &str) -> Option<&Unit> {
        self.streets.iter().find(|s| s.id == id)
    }

    /// A street as people write it: its id, its name, or its name without 街道 / 道.
    pub fn street_named(&self, text: &str) -> Option<&Unit> {
        let t = text.trim();
        self.streets.iter().find(|s| {
            s.id == t || s.name == t || s.name == format!("{t}街道") || s.name == format!("{t}道")
        })
    }

    pub fn department(&self, id: &str) -> Option<&Unit> {
        self.departments.iter().find(|d| d.id == id)
    }

    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }

    /// The display name of any owner id: department, street or group.
    pub fn owner_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.department(id)
            .or_else(|| self.street(id))
            .map(|u| u.name.as_str())
            .or_else(|| self.group(id).map(|g| g.name.as_str()))
            .unwrap_or(id)
    }

    /// A river as a case writes it: its id or its name (spaces ignored), when `rivers` are listed.
    pub fn river_named(&self, text: &str) -> Option<&River> {
        let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        self.rivers.iter().find(|r| r.id == t || r.name == t)
    }

    /// The name a case's `river` is shown under: the listed river's name, else the text itself.
    pub fn river_name<'a>(&'a self, text: &'a str) -> &'a str {
        self.rivers
            .iter()
            .find(|r| r.id == text)
            .map_or(text.trim(), |r| r.name.as_str())
    }

    /// The index of a street in organisation order.
    pub fn street_index(&self, id: &str) -> usize {
        self.streets
            .iter()
            .position(|s| s.id == id)
            .unwrap_or(usize::MAX)
    }
}

/// `plan.md`.
#[derive(Debug, Clone)]
pub struct Plan {
    pub title: String,
    pub doc_no: Option<String>,
    pub issuer: Option<String>,
    pub date: Option<Date>,
    pub body: String,
}

/// Who owns a task, by role, as written (department, street or group ids).
#[derive(Debug, Clone, Default)]
pub struct Owners {
    pub lead: Vec<String>,
    pub implement: Vec<String>,
    pub support: Vec<String>,
}

/// A key task of the plan.
#[derive(Debug, Clone)]
pub struct Task {
    pub id: u32,
    pub title: String,
    pub text: String,
    pub owners: Owners,
    pub milestones: Vec<Milestone>,
}

#[derive(Debug, Clone)]
pub struct Milestone {
    pub date: Date,
    pub text: String,
    pub done: Option<Date>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct LogEntry {
    pub date: Date,
    pub text: String,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Photo {
    pub file: String,
    pub stage: Stage,
    pub caption: Option<String>,
    /// When it was taken, as the case file says; else the photo's own EXIF date is shown.
    pub date: Option<Date>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Recheck {
    pub date: Date,
    pub method: RecheckMethod,
    pub note: Option<String>,
}

/// 死灰复燃: the site came back after rectification.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Relapse {
    pub found: Date,
    pub deadline: Option<Date>,
    pub rectified: Option<Date>,
    pub note: Option<String>,
}

/// One site (场所).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Case {
    pub id: String,
    /// The file, relative to the content folder.
    pub path: String,
    pub name: String,
    /// The street's id.
    pub street: String,
    pub community: Option<String>,
    pub grid: Option<String>,
    pub river: Option<String>,
    pub industry: Option<String>,
    pub location: Option<String>,
    pub criteria: Vec<Criterion>,
    pub pollution: Vec<Pollution>,
    pub source: Source,
    pub source_ref: Option<String>,
    pub action: Action,
    pub found: Date,
    pub deadline: Option<Date>,
    pub rectified: Option<Date>,
    pub closed: Option<Date>,
    pub units: Vec<String>,
    pub tasks: Vec<u32>,
    pub watch: bool,
    pub typical: bool,
    pub publish: bool,
    pub summary: Option<String>,
    pub log: Vec<LogEntry>,
    pub photos: Vec<Photo>,
    pub rechecks: Vec<Recheck>,
    pub relapses: Vec<Relapse>,
    /// Internal facts, key and text, in file order.
    pub private: Vec<(String, String)>,
}

/// A work note (工作动态).
#[derive(Debug, Clone)]
pub struct Note {
    pub slug: String,
    pub path: String,
    pub title: String,
    pub date: Date,
    pub kind: NoteKind,
    pub street: Option<String>,
    pub units: Vec<String>,
    pub tasks: Vec<u32>,
    pub cases: Vec<String>,
    pub body: String,
}

/// A publicity item (宣传).
#[derive(Debug, Clone)]
pub struct Publicity {
    pub slug: String,
    pub path: String,
    pub title: String,
    pub date: Date,
    pub kind: PublicityKind,
    pub street: Option<String>,
    pub cover: Option<String>,
    pub attachments: Vec<String>,
    pub body: String,
}

/// The office's commentary for one month's briefing.
#[derive(Debug, Clone)]
pub struct Commentary {
    /// `YYYY-MM`.
    pub month: String,
    pub title: Option<String>,
    pub body: String,
}
