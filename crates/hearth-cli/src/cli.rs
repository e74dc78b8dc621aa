//! The command line as clap sees it. Ratings and times arrive as text and are
//! read by hearth-core, so every front end refuses bad input with the same words.

use std::path::PathBuf;

use clap::builder::PossibleValuesParser;
use clap::{Args, Parser, Subcommand};

use hearth_core::vocab::{ExerciseType, Feeling, Motive, ReportSection, Touch};

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

// Where server mode keeps accounts and journals. (A plain comment: a doc
// comment would become the about text of every command that flattens it.)
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

/// Each command's own flags are built only when it is the one run (`defer`):
/// building all of them was a sixth of a check-in's page faults.
#[derive(Subcommand, Debug)]
#[command(defer = true)]
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
    /// Add, change or remove the journal's passphrase (stop `hearth serve` first)
    Passphrase {
        #[command(subcommand)]
        command: PassphraseCommand,
    },
    /// Delete the journal for good: every entry and the key (asks you to type "delete everything", or give --yes)
    DeleteEverything {
        /// Do not ask; for scripts
        #[arg(long)]
        yes: bool,
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
    /// What is waiting for you: ratings to give now, and questionnaires due
    Due,
    /// Say whether anything is waiting, in words that name nothing (quiet when nothing is)
    Remind {
        /// Show a desktop notification for what came due since the last one, outside quiet hours (for a timer)
        #[arg(long)]
        notify: bool,
        /// Set up a timer that runs `hearth remind --notify` every 15 minutes (systemd user timer, or a crontab line)
        #[arg(long, conflicts_with = "notify")]
        install: bool,
    },
    /// Answer a question `hearth due` lists with a rating, or put it aside
    Answer {
        /// The question's id, as `hearth due` shows it
        id: String,
        /// How you feel now, 0–10
        #[arg(allow_hyphen_values = true, required_unless_present = "dismiss")]
        rating: Option<String>,
        /// Put the question aside: it is not asked again
        #[arg(long, conflicts_with = "rating")]
        dismiss: bool,
    },
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

// Check-in answers; shared by `checkin` and `edit` (a plain comment, as above).
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

// Activity details; shared by `log` and `edit` (a plain comment, as above).
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

pub use crate::subcommands::*;
