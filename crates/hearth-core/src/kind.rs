use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::ValidationError;
use crate::vocab::BuiltinKind;

/// A coping activity kind: one of Hearth's own or one the person added.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Kind {
    Builtin(BuiltinKind),
    Custom(String),
}

pub const CUSTOM_KIND_MAX_LEN: usize = 40;

impl Kind {
    pub fn as_str(&self) -> &str {
        match self {
            Kind::Builtin(b) => b.as_str(),
            Kind::Custom(name) => name,
        }
    }

    pub fn builtin(&self) -> Option<BuiltinKind> {
        match self {
            Kind::Builtin(b) => Some(*b),
            Kind::Custom(_) => None,
        }
    }

    pub fn is_sex(&self) -> bool {
        self.builtin().is_some_and(BuiltinKind::is_sex)
    }

    /// Resolves a name against the built-in kinds and the person's own.
    pub fn resolve(text: &str, custom: &[String]) -> Result<Kind, ValidationError> {
        if let Ok(b) = BuiltinKind::parse(text) {
            return Ok(Kind::Builtin(b));
        }
        let wanted = text.trim().to_ascii_lowercase();
        if let Some(name) = custom.iter().find(|c| **c == wanted) {
            return Ok(Kind::Custom(name.clone()));
        }
        let mut allowed: Vec<String> = BuiltinKind::NAMES.iter().map(|s| s.to_string()).collect();
        allowed.extend(custom.iter().cloned());
        Err(ValidationError::UnknownValue {
            field: "kind".into(),
            got: text.to_string(),
            allowed,
        })
    }

    /// Checks a name for a new custom kind: a short lowercase word or
    /// hyphenated phrase that does not shadow a built-in kind.
    pub fn new_custom(text: &str) -> Result<Kind, ValidationError> {
        let name = text.trim().to_ascii_lowercase();
        if BuiltinKind::parse(&name).is_ok() {
            return Err(ValidationError::invalid(
                "name",
                format!("'{name}' is already a built-in kind"),
            ));
        }
        let well_formed = !name.is_empty()
            && name.len() <= CUSTOM_KIND_MAX_LEN
            && name.starts_with(|c: char| c.is_ascii_alphabetic())
            && !name.ends_with('-')
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !well_formed {
            return Err(ValidationError::invalid(
                "name",
                format!(
                    "a kind name uses letters, digits and hyphens, starts with a letter and is at most {CUSTOM_KIND_MAX_LEN} characters (for example 'gardening' or 'yoga-class')"
                ),
            ));
        }
        Ok(Kind::Custom(name))
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<Kind> for String {
    fn from(k: Kind) -> String {
        k.as_str().to_string()
    }
}

impl TryFrom<String> for Kind {
    type Error = ValidationError;
    /// Stored and exported kinds are trusted to be either built-in or a
    /// previously created custom name; only the shape is checked here.
    fn try_from(s: String) -> Result<Self, Self::Error> {
        match BuiltinKind::parse(&s) {
            Ok(b) => Ok(Kind::Builtin(b)),
            Err(_) => Kind::new_custom(&s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_builtin_and_custom_kinds() {
        let custom = vec!["gardening".to_string()];
        assert_eq!(
            Kind::resolve("Exercise", &custom).unwrap(),
            Kind::Builtin(BuiltinKind::Exercise)
        );
        assert_eq!(
            Kind::resolve("gardening", &custom).unwrap(),
            Kind::Custom("gardening".into())
        );
        let err = Kind::resolve("jogging", &custom).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("sex-partnered") && text.contains("gardening"),
            "{text}"
        );
    }

    #[test]
    fn custom_names_are_checked() {
        assert!(Kind::new_custom("yoga-class").is_ok());
        assert!(Kind::new_custom("exercise").is_err());
        assert!(Kind::new_custom("").is_err());
        assert!(Kind::new_custom("1st").is_err());
        assert!(Kind::new_custom("two words").is_err());
        assert!(Kind::new_custom(&"a".repeat(41)).is_err());
    }
}
