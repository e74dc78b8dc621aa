//! Crisis resources. Shown at once whenever a trigger fires — never hidden,
//! delayed or behind a setting. The list lives in `data/crisis.toml`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::ValidationError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    pub name: String,
    pub contact: String,
    pub hours: String,
    pub url: String,
    /// The number to call, digits only (a `tel:` link).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call: Option<String>,
    /// The number to text, digits only (an `sms:` link).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The word the text line asks for, put in the message for the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_body: Option<String>,
}

/// A number a phone can dial from what a person wrote ("020 7946 0000",
/// "+1 (555) 010-0100"): its digits, with a leading +; `None` when it is
/// not a phone number (an email, a name).
pub fn dialable(contact: &str) -> Option<String> {
    let t = contact.trim();
    let ok = !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c));
    let digits: String = t.chars().filter(char::is_ascii_digit).collect();
    (ok && (3..=15).contains(&digits.len()) && !t[1..].contains('+')).then(|| {
        if t.starts_with('+') {
            format!("+{digits}")
        } else {
            digits
        }
    })
}

/// The emergency numbers of a region, dialable ("112 or 999" gives both).
pub fn emergency_numbers(emergency: &str) -> Vec<String> {
    emergency.split(" or ").filter_map(dialable).collect()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    pub name: String,
    pub emergency: String,
    pub resources: Vec<Resource>,
    /// Services for sexual violence and abuse (see `Concern`).
    #[serde(default)]
    pub support: Vec<Resource>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    regions: BTreeMap<String, Region>,
}

pub const FALLBACK: &str = "intl";

/// The shipped regions, by code (`us`, `gb`, `de`, …, and `intl`): read
/// from their file once per process, since the help page and every crisis
/// answer show them, and parsing it again cost about a hundred
/// microseconds a request.
pub fn regions() -> &'static BTreeMap<String, Region> {
    static REGIONS: std::sync::LazyLock<BTreeMap<String, Region>> =
        std::sync::LazyLock::new(|| {
            let file: File =
                toml::from_str(include_str!("../data/crisis.toml")).expect("crisis.toml is valid");
            file.regions
        });
    &REGIONS
}

pub fn check_region(code: &str) -> Result<String, ValidationError> {
    let code = code.trim().to_ascii_lowercase();
    let all = regions();
    if all.contains_key(&code) {
        Ok(code)
    } else {
        let names: Vec<&str> = all.keys().map(String::as_str).collect();
        Err(ValidationError::unknown("region", &code, &names))
    }
}

/// A best guess at the region from an IANA zone; `intl` when unsure.
pub fn region_for_zone(zone: &str) -> &'static str {
    const CANADA: &[&str] = &[
        "Toronto",
        "Vancouver",
        "Edmonton",
        "Winnipeg",
        "Halifax",
        "St_Johns",
        "Regina",
        "Montreal",
        "Moncton",
        "Glace_Bay",
        "Goose_Bay",
        "Whitehorse",
        "Dawson",
        "Dawson_Creek",
        "Fort_Nelson",
        "Iqaluit",
        "Rankin_Inlet",
        "Resolute",
        "Cambridge_Bay",
        "Inuvik",
        "Swift_Current",
        "Atikokan",
        "Creston",
        "Nipigon",
        "Thunder_Bay",
        "Rainy_River",
        "Pangnirtung",
        "Yellowknife",
        "Blanc-Sablon",
    ];
    const US: &[&str] = &[
        "New_York",
        "Chicago",
        "Denver",
        "Los_Angeles",
        "Phoenix",
        "Anchorage",
        "Detroit",
        "Boise",
        "Juneau",
        "Sitka",
        "Nome",
        "Yakutat",
        "Metlakatla",
        "Adak",
        "Menominee",
    ];
    let z = zone.trim();
    if let Some(city) = z.strip_prefix("America/") {
        if US.contains(&city)
            || city.starts_with("Indiana/")
            || city.starts_with("Kentucky/")
            || city.starts_with("North_Dakota/")
        {
            return "us";
        }
        if CANADA.contains(&city) {
            return "ca";
        }
    }
    match z {
        _ if z.starts_with("US/") || z == "Pacific/Honolulu" => "us",
        _ if z.starts_with("Canada/") => "ca",
        "Europe/London" | "Europe/Belfast" | "GB" | "GB-Eire" => "gb",
        "Europe/Dublin" | "Eire" => "ie",
        _ if z.starts_with("Australia/") => "au",
        "Pacific/Auckland" | "NZ" => "nz",
        "Europe/Berlin" | "Europe/Busingen" => "de",
        "Europe/Paris" => "fr",
        "Europe/Amsterdam" => "nl",
        "Europe/Madrid" | "Atlantic/Canary" | "Africa/Ceuta" => "es",
        _ => FALLBACK,
    }
}

/// What a trigger shows: the region's services, then the international ones.
pub fn resources_for(region: &str) -> Vec<(String, Region)> {
    let all = regions();
    let mut out = Vec::new();
    if let Some(r) = all.get(region).filter(|_| region != FALLBACK) {
        out.push((region.to_string(), r.clone()));
    }
    out.push((FALLBACK.to_string(), all[FALLBACK].clone()));
    out
}

/// Everything a front end needs to show: the message, the region's lines then
/// the international ones, and the person's own contacts (any serialisable list).
pub fn resources_json(region: &str, contacts: impl Serialize) -> serde_json::Value {
    let regions = regions_json(resources_for(region));
    serde_json::json!({"message": MESSAGE, "regions": regions, "contacts": contacts})
}

fn regions_json(regions: Vec<(String, Region)>) -> Vec<serde_json::Value> {
    regions
        .into_iter()
        .map(|(code, r)| {
            serde_json::json!({"region": code, "name": r.name, "emergency": r.emergency, "resources": r.resources})
        })
        .collect()
}

/// Something noted about sex with a partner that deserves a kind word and
/// support lines at once, not a habit notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Concern {
    Pressured,
    UnprotectedNewPartner,
}

impl Concern {
    /// The concern an activity raises, if any (feeling pressured first).
    pub fn of(ep: &crate::Episode) -> Option<Concern> {
        if Concern::Pressured.raised_by(ep) {
            Some(Concern::Pressured)
        } else if Concern::UnprotectedNewPartner.raised_by(ep) {
            Some(Concern::UnprotectedNewPartner)
        } else {
            None
        }
    }

    /// The concern a saved entry raises, if any (only activities can).
    pub fn of_entry(body: &crate::EntryBody) -> Option<Concern> {
        match body {
            crate::EntryBody::Episode(ep) => Concern::of(ep),
            _ => None,
        }
    }

    /// Whether an activity raises this concern: asked only of sex with a partner.
    pub fn raised_by(self, ep: &crate::Episode) -> bool {
        let partnered = ep.kind.builtin() == Some(crate::vocab::BuiltinKind::SexPartnered);
        partnered
            && match self {
                Concern::Pressured => ep.pressured,
                Concern::UnprotectedNewPartner => ep.new_partner && ep.protection == Some(false),
            }
    }

    /// Said first, before the lines. Never blames, never tells anyone what
    /// to do with a partner.
    pub fn message(self) -> &'static str {
        match self {
            Concern::Pressured => {
                "You noted that you felt pressured. Thank you for writing it down. Feeling \
pressured is not your fault, and you can say no or stop at any time, whatever happened before. \
If something happened that you did not want, or you do not feel safe with someone, these \
services listen in confidence, whenever you are ready:"
            }
            Concern::UnprotectedNewPartner => {
                "You noted sex with a new partner without protection. If you are worried about \
an infection or a pregnancy, a sexual health clinic, a pharmacist or your doctor can help in \
confidence, and some help works best within a few days. If anything happened that you did not \
want, these services listen:"
            }
        }
    }

    pub fn heading(self) -> &'static str {
        match self {
            Concern::Pressured => "Support, if you want it",
            Concern::UnprotectedNewPartner => "If you are worried",
        }
    }
}

/// The support services for a concern: the region's, then the international
/// directory, in the same shape as crisis lines.
pub fn support_for(region: &str) -> Vec<(String, Region)> {
    resources_for(region)
        .into_iter()
        .map(|(code, r)| {
            let support = Region {
                resources: r.support.clone(),
                ..r
            };
            (code, support)
        })
        .collect()
}

/// The support a concern offers, for the API and the CLI's JSON.
pub fn support_json(region: &str, concern: Concern) -> serde_json::Value {
    let regions = regions_json(support_for(region));
    serde_json::json!({"message": concern.message(), "regions": regions})
}

/// The words said first, before any score.
pub const MESSAGE: &str = "You said you may not be safe, or have had thoughts of being better off dead \
or of hurting yourself. Thank you for saying so — you deserve support right now, and you don't have to \
carry this alone. Please reach out to one of these, or to someone you trust:";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_regions_are_read_from_their_file_once() {
        assert!(std::ptr::eq(regions(), regions()));
    }

    #[test]
    fn ships_the_required_regions() {
        let all = regions();
        let text = |r: &str| format!("{:?}", all[r]);
        assert!(text("us").contains("988") && text("us").contains("741741"));
        assert!(text("gb").contains("116 123") && text("ie").contains("116 123"));
        assert!(text("intl").contains("findahelpline.com"));
        for code in ["de", "fr", "nl", "es"] {
            assert!(all.contains_key(code), "{code}");
        }
    }

    #[test]
    fn zones_map_to_regions_and_unknown_falls_back() {
        assert_eq!(region_for_zone("America/New_York"), "us");
        assert_eq!(region_for_zone("America/Indiana/Indianapolis"), "us");
        assert_eq!(region_for_zone("America/Toronto"), "ca");
        assert_eq!(region_for_zone("Europe/London"), "gb");
        assert_eq!(region_for_zone("Europe/Dublin"), "ie");
        assert_eq!(region_for_zone("Australia/Sydney"), "au");
        assert_eq!(region_for_zone("Europe/Berlin"), "de");
        assert_eq!(region_for_zone("Atlantic/Canary"), "es");
        assert_eq!(region_for_zone("Europe/Rome"), "intl");
        assert_eq!(region_for_zone("America/Mexico_City"), "intl");
    }

    #[test]
    fn pressure_and_unprotected_sex_with_a_new_partner_offer_support_lines() {
        use crate::{Episode, Kind};
        let mut ep = Episode::new(Kind::resolve("sex-partnered", &[]).unwrap());
        assert_eq!(Concern::of(&ep), None);
        ep.new_partner = true;
        ep.protection = Some(false);
        assert_eq!(Concern::of(&ep), Some(Concern::UnprotectedNewPartner));
        ep.pressured = true;
        assert_eq!(Concern::of(&ep), Some(Concern::Pressured));
        let solo = Episode {
            pressured: true,
            ..Episode::new(Kind::resolve("exercise", &[]).unwrap())
        };
        assert_eq!(
            Concern::of(&solo),
            None,
            "pressure is asked about partnered sex"
        );
        let us = support_json("us", Concern::Pressured).to_string();
        assert!(
            us.contains("800-656-4673") && us.contains("findahelpline.com"),
            "{us}"
        );
        for c in [Concern::Pressured, Concern::UnprotectedNewPartner] {
            let m = c.message().to_lowercase();
            assert!(
                !m.contains("partner's fault") && !m.contains("should have"),
                "{m}"
            );
        }
        // Every region with a phone line for support has it in digits, and
        // every region offers something.
        for (code, region) in regions() {
            assert!(!region.support.is_empty(), "{code} offers support");
            for r in &region.support {
                for n in r.call.iter().chain(&r.text) {
                    assert!(n.chars().all(|c| c.is_ascii_digit()), "{code}: {n}");
                }
                assert!(r.url.starts_with("https://"), "{code}: {}", r.url);
            }
        }
    }

    #[test]
    fn the_international_directory_is_always_included() {
        let us = resources_for("us");
        assert_eq!(
            us.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>(),
            ["us", "intl"]
        );
        assert_eq!(resources_for("intl").len(), 1);
        assert_eq!(resources_for("nowhere").len(), 1);
        assert!(check_region("GB").is_ok());
        assert!(check_region("xx").is_err());
    }

    #[test]
    fn numbers_are_dialable_and_other_contacts_are_not() {
        assert_eq!(dialable("020 7946 0000").as_deref(), Some("02079460000"));
        assert_eq!(
            dialable("+1 (555) 010-0100").as_deref(),
            Some("+15550100100")
        );
        assert_eq!(dialable("lee@example.org"), None);
        assert_eq!(dialable("Dr Lee"), None);
        assert_eq!(dialable(""), None);
        assert_eq!(dialable("12"), None);
        assert_eq!(dialable("1+2+3"), None);
        assert_eq!(emergency_numbers("112 or 999"), ["112", "999"]);
        assert!(emergency_numbers("your local emergency number").is_empty());
        // Every shipped line a phone can reach has its number in digits.
        for (code, region) in regions() {
            for r in &region.resources {
                for n in r.call.iter().chain(&r.text) {
                    assert!(n.chars().all(|c| c.is_ascii_digit()), "{code}: {n}");
                }
            }
            if code != FALLBACK {
                assert!(!emergency_numbers(&region.emergency).is_empty(), "{code}");
                assert!(
                    region
                        .resources
                        .iter()
                        .any(|r| r.call.is_some() || r.text.is_some()),
                    "{code} has a line to call or text"
                );
            }
        }
    }
}
