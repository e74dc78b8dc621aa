//! Conversation guides: short, printable, in Hearth's own words. Each is
//! linked from the insight it fits. They describe and suggest; they never
//! diagnose, prescribe, or nudge anyone toward sex.

/// One guide: a title, a lead, and a few short sections.
#[derive(Debug)]
pub struct Guide {
    pub slug: &'static str,
    pub title: &'static str,
    pub lead: &'static str,
    pub sections: &'static [Section],
}

#[derive(Debug)]
pub struct Section {
    pub heading: &'static str,
    pub paragraphs: &'static [&'static str],
    pub points: &'static [&'static str],
}

/// The insights a guide is linked from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkedFrom {
    AfterSex,
    Medication,
    Reliance,
}

pub const LOW_DESIRE: Guide = Guide {
    slug: "low-desire",
    title: "Low desire is a symptom, not a verdict",
    lead: "When depression or its treatment takes away wanting, it can feel personal to both of you. It usually is not.",
    sections: &[
        Section {
            heading: "What is going on",
            paragraphs: &[
                "Depression dulls interest and pleasure in most things, and desire is one of them. Many antidepressants lower desire or make arousal and orgasm harder. Tiredness, poor sleep, stress and feeling low about yourself all play a part too.",
                "None of this says anything about how attractive or loved your partner is.",
            ],
            points: &[],
        },
        Section {
            heading: "Words that can help",
            paragraphs: &[],
            points: &[
                "“I miss feeling like this with you. It's the depression, not you.”",
                "“I'd still like to be close. Can we keep it to a cuddle tonight?”",
                "If you are the partner: “I'm not keeping score. I'd just like to know how you are.”",
            ],
        },
        Section {
            heading: "What tends to help",
            paragraphs: &[],
            points: &[
                "Keep touch that asks for nothing: holding, hugging, lying close.",
                "Talk about it at a calm time, not in bed straight after a refusal.",
                "If a medicine may be part of it, raise it with the prescriber; see the guide on side effects.",
            ],
        },
    ],
};

pub const MEDICATION: Guide = Guide {
    slug: "medication-and-sex",
    title: "Talking about side effects, together and with your prescriber",
    lead: "Changes in desire, arousal or orgasm are common side effects of many antidepressants. They are worth mentioning, and there are often options.",
    sections: &[
        Section {
            heading: "With your partner",
            paragraphs: &[
                "Say what you notice in plain words, and when it started. Your partner may have been quietly wondering whether it was them.",
            ],
            points: &[
                "“Since the new dose, I just don't feel it the way I did. I want us to work it out together.”",
            ],
        },
        Section {
            heading: "With your prescriber",
            paragraphs: &[
                "Prescribers hear this often. It helps to bring dates: when the medicine or dose changed, and when you noticed the change. Hearth's report puts these side by side.",
            ],
            points: &[
                "What I have noticed, and since when.",
                "How much it matters to me, and to us.",
                "What the options are, and what each would mean for my mood.",
            ],
        },
        Section {
            heading: "Please don't change a medicine on your own",
            paragraphs: &[
                "Stopping or lowering an antidepressant suddenly can bring back low mood or cause withdrawal effects. Decide any change with the person who prescribes it.",
            ],
            points: &[],
        },
    ],
};

pub const CLOSENESS_WEEK: Guide = Guide {
    slug: "closeness-week",
    title: "Planning a week of closeness without sex",
    lead: "Closeness that asks for nothing can lift mood and ease loneliness, and it takes the pressure off both of you.",
    sections: &[
        Section {
            heading: "A week, one small thing a day",
            paragraphs: &[],
            points: &[
                "A walk together, phones left at home.",
                "Ten minutes of talking about anything but problems.",
                "A long hug when one of you comes home.",
                "Cooking or eating together.",
                "A hand or shoulder massage, with no “and then”.",
                "Lying close while you read or watch something.",
                "Looking back at the week: what felt good?",
            ],
        },
        Section {
            heading: "Keep it easy",
            paragraphs: &[
                "Agree beforehand that none of it leads to sex unless you both want it to in the moment, and that either of you can skip a day. Hearth can show later whether days like these changed how you felt.",
            ],
            points: &[],
        },
    ],
};

pub const AFTER_SEX: Guide = Guide {
    slug: "after-sex",
    title: "When sex is followed by feeling worse",
    lead: "Feeling sad, tearful, empty or anxious after sex happens to many people, with or without depression. It is nobody's fault.",
    sections: &[
        Section {
            heading: "What you might notice",
            paragraphs: &[
                "It can last minutes or hours. It can come even when the sex was wanted and good. Sometimes it is tied to a particular time, mood or reason for having sex; your own entries in Hearth can show whether it is.",
            ],
            points: &[],
        },
        Section {
            heading: "What can help",
            paragraphs: &[],
            points: &[
                "Tell your partner it may happen, at a calm time, so it is not a shock.",
                "Plan some gentle time after: holding, talking, a warm drink.",
                "Notice whether sex for comfort on very low days is followed by the hardest lows.",
                "It is always fine to choose another kind of closeness instead.",
            ],
        },
        Section {
            heading: "When to talk to someone",
            paragraphs: &[
                "If it keeps happening, feels very strong, or brings thoughts of harming yourself, please talk to a doctor or therapist. If you are in danger now, use Hearth's “Need help now?” button at the top of every page.",
            ],
            points: &[],
        },
    ],
};

pub const NOT_TODAY: Guide = Guide {
    slug: "not-today",
    title: "Saying and hearing “not today”",
    lead: "A “no” to one thing is not a “no” to the person. Said and heard kindly, it can bring you closer.",
    sections: &[
        Section {
            heading: "Saying it",
            paragraphs: &[],
            points: &[
                "“Not today, but I'd love to sit with you.”",
                "“I'm too low for that tonight. Can you just hold me?”",
                "You never owe an explanation, though a small one can help your partner.",
            ],
        },
        Section {
            heading: "Hearing it",
            paragraphs: &[],
            points: &[
                "“Thanks for telling me. What would feel good instead?”",
                "Try not to ask why, sulk, or ask again later the same day.",
                "It is fine to feel disappointed; say so another time, without blame.",
            ],
        },
        Section {
            heading: "In Hearth",
            paragraphs: &[
                "The partner check-in never shows a “not today”, a one-sided yes, or whether the other has answered. A day nobody answers counts as “not today”. Anyone can lower an answer at any time.",
            ],
            points: &[],
        },
    ],
};

pub const ALL: [&Guide; 5] = [
    &LOW_DESIRE,
    &MEDICATION,
    &CLOSENESS_WEEK,
    &AFTER_SEX,
    &NOT_TODAY,
];

pub fn by_slug(slug: &str) -> Option<&'static Guide> {
    ALL.into_iter().find(|g| g.slug == slug)
}

/// The guides an insight links to, in reading order.
pub fn linked(from: LinkedFrom) -> &'static [&'static Guide] {
    match from {
        LinkedFrom::AfterSex => &[&AFTER_SEX, &NOT_TODAY],
        LinkedFrom::Medication => &[&MEDICATION, &LOW_DESIRE],
        LinkedFrom::Reliance => &[&CLOSENESS_WEEK, &NOT_TODAY],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_guide_is_reachable_and_linked_from_an_insight() {
        for g in ALL {
            assert_eq!(by_slug(g.slug).map(|x| x.title), Some(g.title));
            let linked_somewhere = [
                LinkedFrom::AfterSex,
                LinkedFrom::Medication,
                LinkedFrom::Reliance,
            ]
            .into_iter()
            .any(|f| linked(f).iter().any(|x| x.slug == g.slug));
            assert!(linked_somewhere, "{} is linked from no insight", g.slug);
        }
        assert!(by_slug("nope").is_none());
    }

    #[test]
    fn no_guide_pressures_or_prescribes() {
        // Words that would push toward sex or tell someone to change a dose.
        let banned = [
            "you should have sex",
            "try to have sex",
            "increase your dose",
            "stop taking",
            "you must",
        ];
        for g in ALL {
            let text = std::iter::once(g.lead)
                .chain(
                    g.sections
                        .iter()
                        .flat_map(|s| s.paragraphs.iter().chain(s.points).copied()),
                )
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase();
            for b in banned {
                assert!(!text.contains(b), "{}: {b:?}", g.slug);
            }
        }
    }
}
