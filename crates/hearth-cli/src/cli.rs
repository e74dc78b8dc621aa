//! The command line as clap sees it. Ratings and times arrive as text and are
//! read by hearth-core, so every front end refuses bad input with the same words.

use std::path::PathBuf;

use clap::builder::PossibleValuesParser;
use clap::{Args, Parser, Subcommand, ValueEnum};

use hearth_core::vocab::{
    DoseUnit, DrugClass, ExerciseType, Feeling, Motive, ReportSection, Touch,
};

#[derive(Parser, Debug)]
#[command(
    name = "hearth",
    version,
    about = "A private journal for living with depression: log mood, coping and closeness; see what helps.",
    long_about = "A private, local-first journal for living with depression. Hearth keeps everything in one \
encrypted file on this computer and never sends anything anywhere.\n\nHearth is not a medical device and not a \
substitute for care. If you are not safe right now, call your local emergency number or a crisis line \
(988 in the US, 116 123 in the UK and Ireland).",
    after_help = "Start with `hearth checkin --mood 6`, or try `hearth demo` in a separate --data-dir to explore.",
    propagate_version = true
)]
pub struct Cli {
    /// Where the encrypted journal lives [default: the platform's data directory]
    #[arg(long, global = true, env = "HEARTH_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Print JSON for scripts instead of tables
    #[arg(long, global = true)]
    pub json: bool,

    #[command(subcommand)]
    pub command: Command,
}

/// Where server mode keeps accounts and journals.
#[derive(Args, Debug, Clone)]
pub struct ServerArgs {
    /// Server mode on PostgreSQL: many people, each signing in (postgres://user@host/db)
    #[arg(long, env = "HEARTH_DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,
    /// Server mode on the encrypted journal in --data-dir (a household on one computer)
    #[arg(long, conflicts_with = "database_url")]
    pub accounts: bool,
}

#[derive(Subcommand, Debug)]
pub enum AdminCommand {
    /// Make a one-time invitation code for a new account
    Invite {
        /// Days until it expires
        #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=90))]
        days: u32,
    },
    /// List accounts: name, created, disabled (no health data)
    Users,
    /// Stop an account from signing in (its data stays)
    Disable { username: String },
    /// Let a disabled account sign in again
    Enable { username: String },
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Crisis lines and your own contacts, for when you need help now
    HelpNow,
    /// Open the web app (and its JSON API) on this computer; prints the address
    Serve {
        /// Where to listen; only this computer by default (port 0 picks a free one)
        #[arg(long, default_value = "127.0.0.1:7878", value_name = "ADDR")]
        addr: String,
        /// Listen beyond this computer anyway (there are no accounts yet: anyone who can reach it can read the journal)
        #[arg(long)]
        allow_remote: bool,
        /// Lock a passphrase journal after this many minutes without use
        #[arg(long, env = "HEARTH_LOCK_AFTER", default_value_t = 15, value_name = "MINUTES",
              value_parser = clap::value_parser!(u32).range(1..=1440))]
        lock_after: u32,
        #[command(flatten)]
        server: ServerArgs,
        /// Who may create an account in server mode
        #[arg(long, env = "HEARTH_REGISTRATION", default_value = "invite",
              value_parser = PossibleValuesParser::new(["open", "invite", "closed"]))]
        registration: String,
        /// Mark session cookies Secure (Hearth is reached over https)
        #[arg(long)]
        secure_cookies: bool,
        /// Trust X-Forwarded-Proto from a reverse proxy that serves https
        #[arg(long)]
        trust_proxy: bool,
        /// A name people reach Hearth by (repeat for more); other names are refused, so a web page cannot rebind its name to Hearth
        #[arg(
            long = "host",
            env = "HEARTH_HOSTS",
            value_delimiter = ',',
            value_name = "NAME"
        )]
        hosts: Vec<String>,
        /// The address people outside reach Hearth at, e.g. https://hearth.example.org: share links are made there, and its name is answered to
        #[arg(long, env = "HEARTH_PUBLIC_URL", value_name = "URL")]
        public_url: Option<String>,
    },
    /// Copy the journal to one file, encrypted as it is, even while `hearth serve` runs
    Backup {
        /// The backup file to write
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Put the key file in too (anyone holding the backup can then read the journal)
        #[arg(long)]
        include_key: bool,
    },
    /// Put a backup back as the journal, after checking it whole (stop `hearth serve` first)
    Restore {
        /// A file made by `hearth backup`
        file: PathBuf,
        /// Replace the journal that is there now
        #[arg(long)]
        force: bool,
        /// The copy of the key file you kept, if the backup does not hold it
        #[arg(long, value_name = "FILE")]
        key_file: Option<PathBuf>,
    },
    /// For server operators: invitations and accounts (never anyone's entries)
    Admin {
        #[command(flatten)]
        server: ServerArgs,
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Create the journal: choose a passphrase or a time zone up front
    Init {
        /// Protect the journal with a passphrase instead of a key file (asked for, or HEARTH_PASSPHRASE)
        #[arg(long)]
        passphrase: bool,
        /// Your IANA time zone, e.g. Europe/London [default: the system's]
        #[arg(long, value_name = "ZONE")]
        tz: Option<String>,
        /// Which crisis lines to show: us, ca, gb, ie, au, nz or intl [default: from the time zone]
        #[arg(long, value_name = "CODE")]
        region: Option<String>,
    },
    /// Record how you are today
    Checkin(CheckinArgs),
    /// Record a coping activity, with mood before and after
    Log(LogArgs),
    /// Answer a questionnaire (PHQ-9, GAD-7, …), see their history and what is due
    Survey(SurveyArgs),
    /// What helps, what to watch: honest statistics over your own entries
    Insights {
        /// Only entries on or after this local day (YYYY-MM-DD)
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
    },
    /// Write out everything: --format json (lossless), csv (one file per entry type) or fhir (R4 Bundle)
    Export {
        #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
        format: ExportFormat,
        /// A file (json, fhir; default: standard output) or a directory (csv)
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
        /// FHIR: a name for the Patient resource (by default it has none)
        #[arg(long, value_name = "NAME")]
        patient_name: Option<String>,
    },
    /// Bring in a Hearth JSON export, or a Daylio or Bearable CSV; all or nothing, and importing twice adds nothing
    Import {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = ImportFormat::Hearth)]
        format: ImportFormat,
        /// Daylio: numbers for your own mood labels, e.g. "tired=4,calm=6" (defaults: rad=9, good=7, meh=5, bad=3, awful=1)
        #[arg(long, value_name = "MAP")]
        mood_map: Option<String>,
        /// Check the file and say what would be imported, writing nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// A report for your clinician: PHQ-9/GAD-7, mood, medication, what helps, notices, your questions
    Report {
        /// First day (YYYY-MM-DD) [default: 12 weeks before --to]
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// Last day (YYYY-MM-DD) [default: today]
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Html)]
        format: ReportFormat,
        /// Where to write it [default: standard output]
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Leave parts out (comma-separated); the report says they were left out
        #[arg(long, value_name = "PARTS", value_delimiter = ',',
              value_parser = PossibleValuesParser::new(ReportSection::NAMES))]
        leave_out: Vec<String>,
    },
    /// Your questions for your next appointment; they go in the report
    #[command(subcommand)]
    Questions(QuestionsCommand),
    /// People you want listed beside the crisis lines (a therapist, a friend)
    #[command(subcommand)]
    Contacts(ContactsCommand),
    /// Read-only links to your report for a clinician, opened where `hearth serve` answers
    #[command(subcommand)]
    Share(ShareCommand),
    /// Show or change your settings: time zone, region, survey cadence
    Settings {
        #[command(subcommand)]
        command: Option<SettingsCommand>,
    },
    /// Your own activity kinds
    #[command(subcommand)]
    Kinds(KindsCommand),
    /// Medications and their start, dose-change and stop events
    #[command(subcommand)]
    Med(MedCommand),
    /// List entries, newest first (the newest 20 unless --all or --limit)
    List(ListArgs),
    /// Find entries whose note or tags contain TEXT (case ignored), newest first
    Search {
        text: String,
        /// At most this many
        #[arg(long, value_name = "N")]
        limit: Option<u32>,
    },
    /// Show one entry in full
    Show {
        /// The entry's id, as shown by `hearth list`
        id: String,
    },
    /// Change an entry; only the fields you give are changed
    Edit(Box<EditArgs>),
    /// Delete an entry for good
    Delete {
        /// The entry's id, as shown by `hearth list`
        id: String,
    },
    /// Fill an empty journal with realistic made-up data to explore Hearth
    Demo {
        /// How many days of data
        #[arg(long, default_value_t = 120, value_parser = clap::value_parser!(u32).range(1..=3660))]
        days: u32,
        /// Seed for the generator: the same seed gives the same journal
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Print a shell completion script
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// Check-in answers; shared by `checkin` and `edit`.
#[derive(Args, Debug, Default, Clone)]
pub struct CheckinFields {
    /// Mood right now (0 very low – 10 very good)
    #[arg(long, value_name = "0-10", allow_hyphen_values = true)]
    pub mood: Option<String>,
    /// Energy (0–10)
    #[arg(long, value_name = "0-10", allow_hyphen_values = true)]
    pub energy: Option<String>,
    /// Stress (0–10)
    #[arg(long, value_name = "0-10", allow_hyphen_values = true)]
    pub stress: Option<String>,
    /// Loneliness (0–10)
    #[arg(long, value_name = "0-10", allow_hyphen_values = true)]
    pub loneliness: Option<String>,
    /// Desire / libido (0–10)
    #[arg(long, value_name = "0-10", allow_hyphen_values = true)]
    pub desire: Option<String>,
    /// Hours slept last night
    #[arg(long, value_name = "H", allow_hyphen_values = true)]
    pub sleep_hours: Option<String>,
    /// How well you slept last night (0–10)
    #[arg(long, value_name = "0-10", allow_hyphen_values = true)]
    pub sleep_quality: Option<String>,
    /// A tag (repeat for several)
    #[arg(long = "tag", value_name = "T")]
    pub tags: Vec<String>,
}

/// Activity details; shared by `log` and `edit`.
#[derive(Args, Debug, Default, Clone)]
pub struct EpisodeFields {
    /// Mood before (0–10)
    #[arg(long, value_name = "0-10", allow_hyphen_values = true)]
    pub before: Option<String>,
    /// Mood after (0–10)
    #[arg(long, value_name = "0-10", allow_hyphen_values = true)]
    pub after: Option<String>,
    /// Mood some hours later or next morning (0–10); the time you give it is recorded
    #[arg(long, value_name = "0-10", allow_hyphen_values = true)]
    pub followup: Option<String>,
    /// When the follow-up rating was given [default: now]
    #[arg(long, value_name = "TIME", requires = "followup")]
    pub followup_at: Option<String>,
    /// How long it lasted, in minutes
    #[arg(long, value_name = "M", allow_hyphen_values = true)]
    pub minutes: Option<String>,
    /// Intimacy: the kind of touch
    #[arg(long, value_parser = PossibleValuesParser::new(Touch::NAMES))]
    pub touch: Option<String>,
    /// Exercise: cardio or strength
    #[arg(long = "type", value_parser = PossibleValuesParser::new(ExerciseType::NAMES))]
    pub exercise_type: Option<String>,
    /// Partnered sex: you felt pressured
    #[arg(long)]
    pub pressured: bool,
    /// Partnered sex: protection used
    #[arg(long, value_parser = ["yes", "no"])]
    pub protection: Option<String>,
    /// Partnered sex: a new or casual partner
    #[arg(long)]
    pub new_partner: bool,
    /// Sex: the main reason
    #[arg(long, value_parser = PossibleValuesParser::new(Motive::NAMES))]
    pub motive: Option<String>,
    /// Sex: a feeling afterwards (repeat for several)
    #[arg(long = "feeling", value_parser = PossibleValuesParser::new(Feeling::NAMES))]
    pub feelings: Vec<String>,
    /// Sex: satisfaction (0–10)
    #[arg(long, value_name = "0-10", allow_hyphen_values = true)]
    pub satisfaction: Option<String>,
    /// Porn use: how in control you felt (0–10)
    #[arg(long, value_name = "0-10", allow_hyphen_values = true)]
    pub in_control: Option<String>,
}

#[derive(Args, Debug, Default, Clone)]
pub struct When {
    /// When it happened: 2026-03-01T21:30:00+01:00, "2026-03-01 21:30", 21:30, "2h ago", "yesterday 22:00" [default: now]
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// A private note
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// Write the note in your editor (VISUAL or EDITOR) instead
    #[arg(long, conflicts_with = "note")]
    pub edit: bool,
}

#[derive(Args, Debug)]
pub struct CheckinArgs {
    /// Mood right now, 0 (very low) to 10 (very good): the same as --mood
    #[arg(
        value_name = "MOOD",
        allow_hyphen_values = true,
        conflicts_with = "mood"
    )]
    pub mood_arg: Option<String>,
    /// A private note: the same as --note
    #[arg(value_name = "NOTE", conflicts_with_all = ["note", "edit"])]
    pub note_arg: Option<String>,
    #[command(flatten)]
    pub fields: CheckinFields,
    /// I'm not safe right now: shows crisis lines at once
    #[arg(long)]
    pub not_safe: bool,
    #[command(flatten)]
    pub when: When,
}

#[derive(Args, Debug)]
pub struct LogArgs {
    /// sex-partnered, sex-solo, intimacy, exercise, art, therapy, social, outdoors, mindfulness, porn, or your own
    pub kind: String,
    #[command(flatten)]
    pub fields: EpisodeFields,
    #[command(flatten)]
    pub when: When,
}

#[derive(Args, Debug)]
pub struct EditArgs {
    /// The entry's id, as shown by `hearth list`
    pub id: String,
    #[command(flatten)]
    pub checkin: CheckinFields,
    #[command(flatten)]
    pub episode: EpisodeFields,
    #[command(flatten)]
    pub when: When,
    /// Medication events: the new dose
    #[arg(long, value_name = "X", allow_hyphen_values = true)]
    pub dose: Option<String>,
    /// Remove a field's value, e.g. --clear note (repeat for several)
    #[arg(long, value_name = "FIELD")]
    pub clear: Vec<String>,
}

#[derive(Args, Debug)]
pub struct ListArgs {
    /// Only entries on or after this local day (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only entries on or before this local day (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Only this activity kind, or `checkin` / `medication`
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
    /// At most this many entries
    #[arg(long, value_name = "N", conflicts_with = "all")]
    pub limit: Option<u32>,
    /// Every matching entry (`--json list` gives every one unless --limit)
    #[arg(long)]
    pub all: bool,
}

#[derive(Subcommand, Debug)]
pub enum KindsCommand {
    /// Add an activity kind of your own, e.g. `hearth kinds add gardening`
    Add { name: String },
    /// List built-in and custom kinds
    List,
}

#[derive(Subcommand, Debug)]
pub enum MedCommand {
    /// Start taking a medication
    Add {
        name: String,
        #[arg(long, value_parser = PossibleValuesParser::new(DrugClass::NAMES))]
        class: String,
        #[arg(long, value_name = "X", allow_hyphen_values = true)]
        dose: String,
        #[arg(long, default_value = "mg", value_parser = PossibleValuesParser::new(DoseUnit::NAMES))]
        unit: String,
        /// The day (YYYY-MM-DD) or time it started [default: now]
        #[arg(long, value_name = "DATE")]
        at: Option<String>,
    },
    /// Record a dose change
    Change {
        name: String,
        #[arg(long, value_name = "X", allow_hyphen_values = true)]
        dose: String,
        /// The day (YYYY-MM-DD) or time of the change [default: now]
        #[arg(long, value_name = "DATE")]
        at: Option<String>,
    },
    /// Record stopping a medication
    Stop {
        name: String,
        /// The day (YYYY-MM-DD) or time it stopped [default: now]
        #[arg(long, value_name = "DATE")]
        at: Option<String>,
    },
    /// Your medications, current first
    List,
}

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct SurveyArgs {
    #[command(subcommand)]
    pub command: Option<SurveyCommand>,
    /// phq9, phq2, gad7, ucla3, sexual-function, post-sex, or one your clinic added
    pub instrument: Option<String>,
    /// Answer without questions: the scored items' values in order, e.g. 1,0,2,3,0,1,0,0,0
    #[arg(long, value_name = "LIST", allow_hyphen_values = true)]
    pub answers: Option<String>,
    /// PHQ-9's last, unscored question: how difficult the problems made things (0–3)
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub difficulty: Option<String>,
    /// When you answered [default: now]
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum SurveyCommand {
    /// The questionnaires Hearth knows, with their sources
    List,
    /// Your past answers to one questionnaire, newest first
    History {
        instrument: String,
        #[arg(long, value_name = "N")]
        limit: Option<u32>,
    },
    /// Which questionnaires are due
    Due,
}

#[derive(Subcommand, Debug)]
pub enum ContactsCommand {
    /// Add someone, e.g. `hearth contacts add "Dr Lee" "020 7946 0000"`
    Add {
        name: String,
        /// A phone number, address or how to reach them
        contact: String,
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
    },
    /// Your contacts
    List,
    /// Remove a contact by its id
    Remove { id: String },
}

#[derive(Subcommand, Debug)]
pub enum SettingsCommand {
    /// Change one setting: tz ZONE, region CODE, cadence.INSTRUMENT DAYS|default,
    /// track.INSTRUMENT on|off, kind.KIND shown|hidden, or discreet on|off
    Set { key: String, value: String },
}

#[derive(Subcommand, Debug)]
pub enum ShareCommand {
    /// Make a link; its address is shown once
    Create {
        /// First day of the report [default: 12 weeks before --to]
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// Last day [default: today]
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
        /// Days until the link stops working (1 to 90)
        #[arg(long, default_value_t = 14)]
        days: u32,
        /// Where `hearth serve` can be reached by the person you send it to
        #[arg(long, default_value = "http://127.0.0.1:7878", value_name = "URL")]
        base_url: String,
        /// Leave parts of the report out (comma-separated); the report says they were left out
        #[arg(long, value_name = "PARTS", value_delimiter = ',',
              value_parser = PossibleValuesParser::new(ReportSection::NAMES))]
        leave_out: Vec<String>,
    },
    /// Your links, with how often each was opened
    List,
    /// Withdraw a link at once
    Revoke { id: String },
}

#[derive(Subcommand, Debug)]
pub enum QuestionsCommand {
    /// Add a question, e.g. `hearth questions add "Could my dose timing help?"`
    Add { text: String },
    /// Your questions
    List,
    /// Remove a question by its id (when it has been answered)
    Remove { id: String },
}

/// What `hearth export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Hearth's lossless JSON
    Json,
    /// One CSV per entry type (a directory, or FILE.zip)
    Csv,
    /// A FHIR R4 Bundle of the questionnaires
    Fhir,
}

/// What `hearth import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// Hearth's own JSON export
    Hearth,
    /// Daylio's CSV export
    Daylio,
    /// Bearable's CSV export
    Bearable,
}

impl From<ImportFormat> for hearth_app::import::Format {
    fn from(f: ImportFormat) -> Self {
        match f {
            ImportFormat::Hearth => hearth_app::import::Format::Hearth,
            ImportFormat::Daylio => hearth_app::import::Format::Daylio,
            ImportFormat::Bearable => hearth_app::import::Format::Bearable,
        }
    }
}

/// What `hearth report` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// A printable page
    Html,
    /// A PDF with its fonts embedded
    Pdf,
}

impl ReportFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            ReportFormat::Html => "html",
            ReportFormat::Pdf => "pdf",
        }
    }
}
