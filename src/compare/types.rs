//! The changes between two versions of the content: the shape of `rectify diff --format json`.

use serde::Serialize;

#[derive(Serialize, Debug, Default)]
pub struct Changes {
    pub rev: String,
    pub old: SideInfo,
    pub new: SideInfo,
    pub totals: Option<Figures>,
    pub cases: CaseChanges,
    pub streets: Vec<StreetChange>,
    pub notes: Listed,
    pub publicity: Listed,
    pub tasks: Edits,
    pub organisation: Edits,
}

#[derive(Serialize, Debug, Default)]
pub struct SideInfo {
    pub as_of: Option<String>,
    pub errors: usize,
    /// false: the content did not validate; only what parses is compared.
    pub valid: bool,
}

#[derive(Serialize, Debug, Default)]
pub struct CaseChanges {
    pub added: Vec<CaseRef>,
    pub removed: Vec<CaseRef>,
    pub status: Vec<StatusChange>,
    pub fields: Vec<Edited>,
    pub relapses: Vec<RelapseRef>,
}

#[derive(Serialize, Debug)]
pub struct CaseRef {
    pub id: String,
    pub name: String,
    pub street: String,
    /// The status at that side's D, or empty when not yet found at D.
    pub status: String,
}

#[derive(Serialize, Debug)]
pub struct StatusChange {
    pub id: String,
    pub name: String,
    pub from: String,
    pub to: String,
}

#[derive(Serialize, Debug)]
pub struct RelapseRef {
    pub id: String,
    pub name: String,
    pub found: String,
    pub note: Option<String>,
}

#[derive(Serialize, Debug)]
pub struct FieldChange {
    pub field: String,
    pub old: String,
    pub new: String,
}

/// A record that exists on both sides with some fields changed.
#[derive(Serialize, Debug)]
pub struct Edited {
    pub id: String,
    pub name: String,
    pub changes: Vec<FieldChange>,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Figures {
    pub found: [u32; 2],
    pub done: [u32; 2],
    pub rate: [String; 2],
}

#[derive(Serialize, Debug)]
pub struct StreetChange {
    pub id: String,
    pub name: String,
    #[serde(flatten)]
    pub figures: Figures,
}

#[derive(Serialize, Debug, Clone)]
pub struct Item {
    pub id: String,
    pub title: String,
    pub date: Option<String>,
}

#[derive(Serialize, Debug, Default)]
pub struct Listed {
    pub added: Vec<Item>,
    pub removed: Vec<Item>,
}

#[derive(Serialize, Debug, Default)]
pub struct Edits {
    pub added: Vec<Item>,
    pub removed: Vec<Item>,
    pub changed: Vec<Edited>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        let c = &self.cases;
        c.added.is_empty()
            && c.removed.is_empty()
            && c.status.is_empty()
            && c.fields.is_empty()
            && c.relapses.is_empty()
            && self.streets.is_empty()
            && self.notes.added.is_empty()
            && self.notes.removed.is_empty()
            && self.publicity.added.is_empty()
            && self.publicity.removed.is_empty()
            && self.tasks.added.is_empty()
            && self.tasks.removed.is_empty()
            && self.tasks.changed.is_empty()
            && self.organisation.added.is_empty()
            && self.organisation.removed.is_empty()
            && self.organisation.changed.is_empty()
    }
}
