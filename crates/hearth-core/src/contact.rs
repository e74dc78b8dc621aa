//! The people a person lists beside the crisis lines, and the questions they
//! bring to an appointment.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::{EntryId, ValidationError};

/// Someone the person chose to list beside the crisis lines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub id: EntryId,
    pub name: String,
    pub contact: String,
    pub note: Option<String>,
}

impl Contact {
    /// Checks a contact's fields and gives it `id`, trimmed as it will be kept.
    pub fn checked(
        id: EntryId,
        name: &str,
        contact: &str,
        note: Option<&str>,
    ) -> Result<Contact, Vec<ValidationError>> {
        let mut problems = Vec::new();
        for (field, value, max) in [("name", name, 80), ("contact", contact, 200)] {
            if value.trim().is_empty()
                || value.chars().count() > max
                || value.chars().any(char::is_control)
            {
                problems.push(ValidationError::invalid(
                    field,
                    format!("needs 1 to {max} characters on one line"),
                ));
            }
        }
        let note = note.map(str::to_string);
        if let Err(e) = crate::model::validate_note("note", &note) {
            problems.push(e);
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Contact {
            id,
            name: name.trim().to_string(),
            contact: contact.trim().to_string(),
            note,
        })
    }
}

/// A question to bring to an appointment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: EntryId,
    pub text: String,
    pub created_at: Timestamp,
}

pub const QUESTION_MAX_CHARS: usize = 1000;

/// A question's text as it will be kept, or why it cannot be.
pub fn check_question(text: &str) -> Result<String, ValidationError> {
    let t = text.trim();
    if t.is_empty() || t.chars().count() > QUESTION_MAX_CHARS || t.contains('\0') {
        return Err(ValidationError::invalid(
            "question",
            format!("a question has 1 to {QUESTION_MAX_CHARS} characters"),
        ));
    }
    Ok(t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id() -> EntryId {
        EntryId::parse("0000000001").unwrap()
    }

    #[test]
    fn a_contact_is_trimmed_and_every_bad_field_is_named() {
        let c = Contact::checked(id(), "  Sam ", " 07700 900000 ", None).unwrap();
        assert_eq!(
            (c.name.as_str(), c.contact.as_str()),
            ("Sam", "07700 900000")
        );
        let e = Contact::checked(id(), "", "a\nb", None).unwrap_err();
        let fields: Vec<&str> = e.iter().map(ValidationError::field).collect();
        assert_eq!(fields, ["name", "contact"]);
        assert!(Contact::checked(id(), &"x".repeat(81), "1", None).is_err());
    }

    #[test]
    fn a_question_needs_words_and_a_limit() {
        assert_eq!(check_question("  Why? ").unwrap(), "Why?");
        assert!(check_question("   ").is_err());
        assert!(check_question(&"q".repeat(QUESTION_MAX_CHARS + 1)).is_err());
        assert!(check_question("a\0b").is_err());
    }
}
