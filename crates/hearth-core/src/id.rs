//! Entry ids: short, random, lowercase, easy to read aloud and type.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::ValidationError;

/// An entry's id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EntryId(String);

/// Crockford's base-32 alphabet: no i, l, o or u to confuse with digits.
pub const ID_ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
pub const ID_LEN: usize = 10;

/// Whether a byte is in `ID_ALPHABET`, by table.
const IN_ALPHABET: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < ID_ALPHABET.len() {
        t[ID_ALPHABET[i] as usize] = true;
        i += 1;
    }
    t
};

fn is_id(text: &str) -> bool {
    text.len() == ID_LEN && text.bytes().all(|b| IN_ALPHABET[b as usize])
}

impl EntryId {
    /// Builds an id from 50 random bits supplied by the caller (core has no
    /// randomness of its own).
    pub fn from_bits(bits: u64) -> EntryId {
        let s = (0..ID_LEN)
            .map(|i| ID_ALPHABET[((bits >> (5 * i)) & 31) as usize] as char)
            .collect();
        EntryId(s)
    }

    pub fn parse(text: &str) -> Result<EntryId, ValidationError> {
        // Every stored id is read through here, already in its usual form:
        // checked as it is, it needs no trimmed, lowercased copy.
        if is_id(text) {
            return Ok(EntryId(text.to_string()));
        }
        let id = text.trim().to_ascii_lowercase();
        if is_id(&id) {
            Ok(EntryId(id))
        } else {
            Err(ValidationError::invalid(
                "id",
                format!(
                    "'{text}' is not an entry id (ids are {ID_LEN} letters and digits, as shown by `hearth list`)"
                ),
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EntryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for EntryId {
    type Error = ValidationError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        if is_id(&s) {
            return Ok(EntryId(s));
        }
        EntryId::parse(&s)
    }
}

impl From<EntryId> for String {
    fn from(id: EntryId) -> String {
        id.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_short_and_parse_back() {
        let id = EntryId::from_bits(0x3_ffff_ffff_ffff);
        assert_eq!(id.as_str().len(), ID_LEN);
        assert_eq!(EntryId::parse(&id.as_str().to_uppercase()).unwrap(), id);
        assert!(EntryId::parse("abc").is_err());
        assert!(EntryId::parse("iiiiiiiiii").is_err());
        assert_eq!(
            EntryId::parse(" 0123456789\r\n").unwrap().as_str(),
            "0123456789"
        );
        assert!(EntryId::parse("0123456789a").is_err());
        assert!(EntryId::parse("ééééé").is_err());
        assert!(EntryId::try_from("ABCDEFGHJK".to_string()).is_ok());
        assert!(EntryId::try_from("abcdefghji".to_string()).is_err());
    }
}
