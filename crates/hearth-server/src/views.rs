//! The pages' templates and the small view models they read. Wording lives
//! here and in `templates/`; handlers only fill these in.

use askama::Template;
use hearth_core::ValidationError;
use hearth_core::{Contact, Question};
use hearth_formats::charts::Chart;

use crate::input::FormData;

/// The tabs: (link, name, key).
pub const NAV: &[(&str, &str, &str)] = &[
    ("/", "Today", "today"),
    ("/log", "Log", "log"),
    ("/history", "History", "history"),
    ("/surveys", "Surveys", "surveys"),
    ("/insights", "Insights", "insights"),
    ("/medications", "Medications", "medications"),
    ("/partner", "Partner", "partner"),
    ("/settings", "Settings", "settings"),
];

/// What every page's frame needs.
#[derive(Debug, Clone, Default)]
pub struct Chrome {
    pub csrf: String,
    pub demo: bool,
    /// A journal filled with made-up data: labelled, but not the demo profile.
    pub made_up: bool,
    pub passphrase: bool,
    /// Server mode: who is signed in.
    pub account: Option<String>,
    pub nav: bool,
    pub here: &'static str,
    pub errors: Vec<String>,
}

impl Chrome {
    pub fn with_errors(mut self, errors: &[ValidationError]) -> Chrome {
        self.errors = errors.iter().map(ToString::to_string).collect();
        self
    }
}

/// Form values for re-showing a form, so nothing typed is lost on an error.
impl FormData {
    pub fn val(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    pub fn num(&self, name: &str) -> Option<i64> {
        self.get(name).and_then(|v| v.parse().ok())
    }

    pub fn has(&self, name: &str, value: &str) -> bool {
        self.0.iter().any(|(k, v)| k == name && v == value)
    }

    pub fn set(&mut self, name: &str, value: impl ToString) {
        self.0.push((name.to_string(), value.to_string()));
    }
}

pub use crate::entry_views::*;
pub use crate::help_views::Resources;

pub struct Saved {
    pub id: String,
    pub text: String,
    pub needs_after: bool,
    /// Felt pressured, or unprotected sex with a new partner: support at once.
    pub support: Option<Resources>,
}

#[derive(Template)]
#[template(path = "partner.html")]
pub struct PartnerPage {
    pub c: Chrome,
    /// Partner mode needs accounts.
    pub offered: bool,
    /// Which account's pairing this browser keeps (its storage key).
    pub key: String,
    /// (code, words) of each check-in item, in protocol order.
    pub items: Vec<(&'static str, &'static str)>,
}

#[derive(Template)]
#[template(path = "reminders.html")]
pub struct Reminders {
    pub c: Chrome,
    /// "09:00, 20:30", as the form shows it.
    pub times: String,
    pub quiet: String,
    /// A calendar link just made, shown this once.
    pub made: Option<String>,
    /// That link names this computer, so no phone can reach it.
    pub local: bool,
    /// Calendar links exist in this mode.
    pub offered: bool,
    pub calendar: bool,
}

pub struct PromptView {
    pub id: String,
    pub question: String,
    pub about: String,
    pub until: String,
}

pub struct DueView {
    pub instrument: String,
    pub title: String,
    pub note: String,
}

#[derive(Template)]
#[template(path = "today.html")]
pub struct Today {
    pub c: Chrome,
    pub v: FormData,
    pub action: String,
    pub open_more: bool,
    pub saved: Option<Saved>,
    pub due: Vec<DueView>,
    pub today: Vec<Row>,
    pub week: Vec<GlanceDay>,
    /// Activities logged lately, to log again: (code, label).
    pub recent: Vec<(String, String)>,
    /// Medications being taken and not yet marked as taken today.
    pub doses: Vec<String>,
    /// Prompts open now, answered in one tap.
    pub waiting: Vec<PromptView>,
    /// The person just answered one.
    pub answered: bool,
}

#[derive(Template)]
#[template(path = "edit_checkin.html")]
pub struct EditCheckin {
    pub c: Chrome,
    pub v: FormData,
    pub action: String,
    pub open_more: bool,
    pub id: String,
}

#[derive(Template)]
#[template(path = "log.html")]
pub struct Log {
    pub c: Chrome,
    pub v: FormData,
    pub action: String,
    pub open_more: bool,
    pub saved: Option<Saved>,
    pub editing: Option<String>,
    pub kinds: Vec<(String, String)>,
    pub motives: Vec<(&'static str, &'static str)>,
    /// After-sex feelings, good ones first: (value, label).
    pub feelings: Vec<(&'static str, &'static str)>,
}

pub const MOTIVES: &[(&str, &str)] = &[
    ("connection", "connection"),
    ("pleasure", "pleasure"),
    ("escape", "to escape a bad feeling"),
    ("sleep", "to sleep"),
    ("other", "other"),
];

#[derive(Template)]
#[template(path = "after.html")]
pub struct After {
    pub c: Chrome,
    pub v: FormData,
    pub id: String,
    pub what: String,
    pub when: String,
    pub show_after: bool,
}

#[derive(Template)]
#[template(path = "history.html")]
pub struct History {
    pub c: Chrome,
    pub flash: Option<String>,
    pub filters: Vec<(String, String)>,
    pub kind: String,
    pub since: String,
    pub until: String,
    pub filtered: bool,
    pub days: Vec<(String, Vec<Row>)>,
    /// A link to the next page of older entries, when there are more.
    pub older: Option<String>,
}

#[derive(Template)]
#[template(path = "entry.html")]
pub struct EntryPage {
    pub c: Chrome,
    pub flash: Option<String>,
    pub e: Row,
    pub fields: Vec<(String, String)>,
    pub editable: bool,
    /// The label of the after-rating link, when one is missing.
    pub needs_after: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "confirm_delete.html")]
pub struct ConfirmDelete {
    pub c: Chrome,
    pub e: Row,
}

pub struct SurveyRow {
    pub id: String,
    pub title: String,
    pub name: String,
    pub status: String,
    pub taken: usize,
}

#[derive(Template)]
#[template(path = "surveys.html")]
pub struct Surveys {
    pub c: Chrome,
    pub rows: Vec<SurveyRow>,
}

pub struct ItemView {
    pub name: String,
    pub text: String,
    pub options: Vec<hearth_core::instrument::AnswerOption>,
    pub required: bool,
    /// A crisis item: answers above this show the crisis lines at once.
    pub crisis_above: Option<i32>,
}

impl ItemView {
    pub fn is_crisis_answer(&self, value: &i32) -> bool {
        self.crisis_above.is_some_and(|a| *value > a)
    }
}

#[derive(Template)]
#[template(path = "survey.html")]
pub struct SurveyForm {
    pub c: Chrome,
    pub v: FormData,
    pub id: String,
    pub title: String,
    pub question: String,
    pub items: Vec<ItemView>,
    pub source: String,
    pub overlap: Option<String>,
    /// Shown beside a crisis item the moment an answer above 0 is chosen.
    pub crisis: Option<Resources>,
}

#[derive(Template)]
#[template(path = "survey_result.html")]
pub struct SurveyResult {
    pub c: Chrome,
    pub crisis: Option<Resources>,
    pub id: String,
    pub title: String,
    pub total: i32,
    pub max: i32,
    pub band: String,
    pub band_note: String,
    pub change: Option<String>,
    pub recall: String,
    pub suggest: Option<(String, String)>,
}

pub struct ScoreRow {
    pub id: String,
    pub date: String,
    pub total: i32,
    pub band: String,
    pub crisis: bool,
}

#[derive(Template)]
#[template(path = "survey_history.html")]
pub struct SurveyHistory {
    pub c: Chrome,
    pub id: String,
    pub title: String,
    pub chart: Chart,
    pub rows: Vec<ScoreRow>,
}

pub struct InsightView {
    pub title: String,
    pub summary: String,
    pub confidence: String,
    pub notice: bool,
    pub could_do: String,
    pub charts: Vec<Chart>,
    pub table: Option<hearth_formats::tables::Table>,
    /// What helps later on, from the ratings given when Hearth asked.
    pub later: Option<hearth_formats::tables::Table>,
    pub details: Vec<String>,
    /// Guides this insight links to: (address, title).
    pub guides: Vec<(String, &'static str)>,
}

#[derive(Template)]
#[template(path = "guides.html")]
pub struct GuideList {
    pub c: Chrome,
    pub guides: Vec<&'static hearth_core::guides::Guide>,
}

#[derive(Template)]
#[template(path = "sensate.html")]
pub struct SensatePage {
    pub c: Chrome,
    pub always: &'static [&'static str],
    pub stages: &'static [hearth_core::sensate::Stage],
    /// The session form's values, kept on an error.
    pub v: FormData,
    pub saved: bool,
    /// Readiness goes through a pairing, which needs accounts.
    pub partner_mode: bool,
    pub key: String,
}

#[derive(Template)]
#[template(path = "guide.html")]
pub struct GuidePage {
    pub c: Chrome,
    pub g: &'static hearth_core::guides::Guide,
}

#[derive(Template)]
#[template(path = "insights.html")]
pub struct Insights {
    pub c: Chrome,
    pub basis: String,
    pub since: String,
    pub mood: Chart,
    pub items: Vec<InsightView>,
    /// Cards left out until the journal holds what they need.
    pub later: String,
}

pub struct MedView {
    pub name: String,
    pub class_id: String,
    pub class: String,
    pub unit: String,
    pub taking: bool,
    pub status: String,
    /// (entry id, description), oldest first.
    pub events: Vec<(String, String)>,
    /// The time a dose was marked as taken today, if it was.
    pub taken_today: Option<String>,
}

#[derive(Template)]
#[template(path = "medications.html")]
pub struct Medications {
    pub c: Chrome,
    pub v: FormData,
    pub flash: Option<String>,
    pub chart: Chart,
    pub meds: Vec<MedView>,
    pub classes: Vec<(&'static str, &'static str)>,
}

pub const CLASSES: &[(&str, &str)] = &[
    ("ssri", "SSRI (e.g. sertraline, fluoxetine)"),
    ("snri", "SNRI (e.g. venlafaxine, duloxetine)"),
    ("tca", "Tricyclic (e.g. amitriptyline)"),
    ("maoi", "MAOI"),
    ("bupropion", "Bupropion"),
    ("mirtazapine", "Mirtazapine"),
    ("vortioxetine", "Vortioxetine"),
    ("other", "Other"),
];

#[derive(Template)]
#[template(path = "settings.html")]
pub struct SettingsPage {
    pub c: Chrome,
    pub flash: Option<String>,
    pub zones: Vec<String>,
    pub tz: String,
    pub regions: Vec<(String, String)>,
    pub region: String,
    /// (instrument id, title, the person's value or "", its own default).
    pub cadence: Vec<(String, String, String, String)>,
    pub contacts: Vec<Contact>,
    pub questions: Vec<Question>,
    pub kinds: Vec<String>,
    /// Report sections a person may leave out: (code, label).
    pub sections: Vec<(String, String)>,
    /// Questionnaires with a cadence: (id, title, suggested).
    pub tracked: Vec<(String, String, bool)>,
    /// Local mode: the journal on this computer can be deleted from here.
    pub local: bool,
    /// Local mode outside the demo: whether the journal has a passphrase.
    pub passphrase: Option<bool>,
    pub delete_phrase: &'static str,
    /// Every kind: (code, label, offered when logging).
    pub shown: Vec<(String, String, bool)>,
    pub discreet: bool,
}

/// The report sections a person may leave out, as (code, label).
pub fn report_sections() -> Vec<(String, String)> {
    hearth_core::vocab::ReportSection::ALL
        .iter()
        .map(|s| {
            (
                s.as_str().to_string(),
                hearth_core::labels::report_section(*s).to_string(),
            )
        })
        .collect()
}

#[derive(Template)]
#[template(path = "help.html")]
pub struct Help {
    pub c: Chrome,
    pub r: Resources,
    pub saved: bool,
    pub all_regions: bool,
}

#[derive(Template)]
#[template(path = "welcome.html")]
pub struct Welcome {
    pub c: Chrome,
    pub deleted: bool,
}

#[derive(Template)]
#[template(path = "start.html")]
pub struct Start {
    pub c: Chrome,
    /// Each zone, with the region it suggests.
    pub zones: Vec<(String, &'static str)>,
    pub tz: String,
    pub regions: Vec<(String, String)>,
    pub region: String,
}

#[derive(Template)]
#[template(path = "unlock.html")]
pub struct UnlockPage {
    pub c: Chrome,
    pub idle: String,
}

#[derive(Template)]
#[template(path = "demo.html")]
pub struct DemoPage {
    pub c: Chrome,
    pub demo_dir: String,
    pub has_journal: bool,
}

#[derive(Template)]
#[template(path = "problem.html")]
pub struct Problem {
    pub c: Chrome,
    pub title: String,
    pub text: String,
}

/// Every IANA zone jiff knows, sorted.
/// The regions with crisis lines, as (code, name) for a choice.
pub fn region_choices() -> Vec<(String, String)> {
    hearth_core::crisis::regions()
        .iter()
        .map(|(code, r)| (code.clone(), r.name.clone()))
        .collect()
}

/// Each zone with the region its crisis lines would come from.
pub fn zones_with_regions() -> Vec<(String, &'static str)> {
    zones()
        .into_iter()
        .map(|z| {
            let r = hearth_core::crisis::region_for_zone(&z);
            (z, r)
        })
        .collect()
}

pub fn zones() -> Vec<String> {
    let mut z: Vec<String> = jiff::tz::db()
        .available()
        .map(|n| n.to_string())
        .filter(|n| n.contains('/') || n == "UTC")
        .collect();
    z.sort();
    z.dedup();
    z
}

#[derive(Template)]
#[template(path = "login.html")]
pub struct Login {
    pub c: Chrome,
    pub username: String,
    pub can_register: bool,
}

#[derive(Template)]
#[template(path = "register.html")]
pub struct Register {
    pub c: Chrome,
    pub username: String,
    pub invite: bool,
    pub closed: bool,
}

#[derive(Template)]
#[template(path = "account.html")]
pub struct AccountPage {
    pub c: Chrome,
    pub username: String,
    pub flash: Option<String>,
}

pub struct ShareRow {
    pub id: String,
    pub period: String,
    pub status: String,
    pub live: bool,
    /// What the link leaves out, in words ("" for nothing).
    pub left_out: String,
    /// "when · network" for each opening, newest first.
    pub views: Vec<String>,
}

#[derive(Template)]
#[template(path = "shares.html")]
pub struct SharesPage {
    pub c: Chrome,
    /// Just made: shown this once.
    pub made: Option<MadeLink>,
    pub rows: Vec<ShareRow>,
    pub default_days: u32,
    pub max_days: u32,
    pub sections: Vec<(String, String)>,
}

pub struct MadeLink {
    pub url: String,
    pub period: String,
    pub expires: String,
    /// The address names this computer: nobody elsewhere can open it.
    pub local: bool,
}

#[derive(Template)]
#[template(path = "import.html")]
pub struct ImportPage {
    pub c: Chrome,
    pub summary: Option<hearth_app::import::Summary>,
    /// The summary in sentences.
    pub lines: Vec<String>,
    /// A checked file waiting for "Import", by its id.
    pub pending: Option<String>,
    pub format: String,
    pub mood_map: String,
}
