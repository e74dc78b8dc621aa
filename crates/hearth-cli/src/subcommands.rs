//! The subcommands of `hearth` and the formats its flags name.

use clap::builder::PossibleValuesParser;
use clap::{Args, Subcommand, ValueEnum};

use hearth_core::vocab::{DoseUnit, DrugClass, ReportSection};

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
    /// Mark today's dose as taken (once a day)
    Taken { name: String },
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

#[derive(Subcommand, Debug)]
pub enum PassphraseCommand {
    /// Add a passphrase, or change it (asked for, or HEARTH_PASSPHRASE now and HEARTH_NEW_PASSPHRASE new)
    Set,
    /// Open with a key file beside the journal instead
    Remove,
}
