//! What the crisis and support panels show: the words, the region's lines
//! with numbers to tap, and the person's own people.

use hearth_core::Contact;
use hearth_core::crisis::Resource;

/// What the help page says when the person came looking, rather than a trigger firing.
pub const OFFER: &str = "If things feel too much, or you are not safe, you don't have to wait or \
handle it alone. These lines answer around the clock; reaching someone you trust helps too.";

/// Crisis lines ready to show.
#[derive(Debug, Clone)]
pub struct Resources {
    pub heading: &'static str,
    pub message: &'static str,
    pub regions: Vec<RegionView>,
    pub contacts: Vec<ContactView>,
}

#[derive(Debug, Clone)]
pub struct RegionView {
    pub name: String,
    pub emergency: String,
    /// Each emergency number, to dial with one tap.
    pub emergency_numbers: Vec<String>,
    pub resources: Vec<Resource>,
}

/// One of the person's own people, with a number to tap when it is one.
#[derive(Debug, Clone)]
pub struct ContactView {
    pub name: String,
    pub contact: String,
    pub note: Option<String>,
    pub dial: Option<String>,
}

impl Resources {
    /// The region's lines then the international ones; `None` (or no known
    /// region) shows every region. `triggered`: the person just said they may
    /// not be safe, so the words say so; otherwise they only offer.
    pub fn new(region: Option<&str>, contacts: Vec<Contact>, triggered: bool) -> Resources {
        let region = region.filter(|r| *r != hearth_core::crisis::FALLBACK);
        let regions: Vec<hearth_core::crisis::Region> = match region {
            Some(r) => hearth_core::crisis::resources_for(r)
                .into_iter()
                .map(|(_, r)| r)
                .collect(),
            None => {
                let mut all: Vec<_> = hearth_core::crisis::regions().iter().collect();
                // International last, as everywhere else.
                all.sort_by_key(|(code, _)| *code == hearth_core::crisis::FALLBACK);
                all.into_iter().map(|(_, r)| r.clone()).collect()
            }
        };
        Resources {
            heading: "You don't have to carry this alone",
            message: if triggered {
                hearth_core::crisis::MESSAGE
            } else {
                OFFER
            },
            regions: Self::views(regions),
            contacts: contacts
                .into_iter()
                .map(|c| ContactView {
                    dial: hearth_core::crisis::dialable(&c.contact),
                    name: c.name,
                    contact: c.contact,
                    note: c.note,
                })
                .collect(),
        }
    }

    /// Support lines for something noted about sex with a partner: the
    /// region's services for sexual violence and abuse, then a directory.
    pub fn support(region: &str, concern: hearth_core::crisis::Concern) -> Resources {
        let regions = hearth_core::crisis::support_for(region);
        Resources {
            heading: concern.heading(),
            message: concern.message(),
            regions: Self::views(regions.into_iter().map(|(_, r)| r).collect()),
            contacts: Vec::new(),
        }
    }

    fn views(regions: Vec<hearth_core::crisis::Region>) -> Vec<RegionView> {
        regions
            .into_iter()
            .map(|r| RegionView {
                name: r.name,
                emergency_numbers: hearth_core::crisis::emergency_numbers(&r.emergency),
                emergency: r.emergency,
                resources: r.resources,
            })
            .collect()
    }
}
