//! Sensate focus, in Hearth's own words: stages of touch that take turns
//! and have no goal, from touch that leaves out breasts and genitals to
//! whatever a couple chooses. Each stage says what it asks and what it
//! leaves out; moving on is for both to agree.

#[derive(Debug)]
pub struct Stage {
    pub number: u8,
    pub title: &'static str,
    pub about: &'static str,
    pub asks: &'static [&'static str],
    pub leaves_out: &'static [&'static str],
}

/// What holds at every stage.
pub const ALWAYS: &[&str] = &[
    "Take turns: one of you touches, the other receives, then swap. 15 to 20 minutes each way is plenty.",
    "Notice what you feel: warmth, texture, pressure, your own breathing. Nothing has to happen.",
    "Either of you can pause or stop at any moment, without a reason, and that is part of the practice.",
    "Arousal may come or not; neither is success or failure. Let it come and go.",
    "Afterwards, a few words each about what you noticed, without judging it.",
];

pub const STAGES: &[Stage] = &[
    Stage {
        number: 1,
        title: "Touch for its own sake",
        about: "Getting to know touch again without any expectation. Clothes on or off, as you both prefer.",
        asks: &[
            "Touch anywhere except breasts and genitals: hands, arms, back, legs, face, hair.",
            "The one receiving only says if something is uncomfortable.",
        ],
        leaves_out: &[
            "Breasts and genitals",
            "Intercourse and orgasm",
            "Asking for more",
        ],
    },
    Stage {
        number: 2,
        title: "Guiding each other",
        about: "The same touch, now with the receiver showing what feels good.",
        asks: &[
            "The receiver may rest a hand on the toucher's hand to show pressure, speed or place.",
            "Try lotion or oil, and different kinds of touch: fingertips, palms, slow and slower.",
        ],
        leaves_out: &["Breasts and genitals", "Intercourse and orgasm"],
    },
    Stage {
        number: 3,
        title: "Including the whole body, still with no goal",
        about: "Breasts and genitals become part of the touch, as one more place, not the point of it.",
        asks: &[
            "Begin each time with the touch of the earlier stages before moving on.",
            "Come back to other places often; genital touch is not the aim.",
        ],
        leaves_out: &["Intercourse", "Aiming for orgasm"],
    },
    Stage {
        number: 4,
        title: "Touching together",
        about: "Touching at the same time instead of taking turns, keeping the same unhurried attention.",
        asks: &[
            "Touch each other at the same time, still without hurrying.",
            "Genital contact without penetration is fine if you both want it.",
        ],
        leaves_out: &["Intercourse", "Aiming for orgasm"],
    },
    Stage {
        number: 5,
        title: "Whatever you choose together",
        about: "From here the two of you decide what to include, keeping the habit of noticing and of stopping freely.",
        asks: &[
            "Agree together beforehand what this time might include, including intercourse if you both want it.",
            "Keep going back to the earlier stages whenever either of you wants.",
        ],
        leaves_out: &["Anything either of you has not agreed to"],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stages_run_in_order_and_the_early_ones_leave_out_genital_touch() {
        for (i, s) in STAGES.iter().enumerate() {
            assert_eq!(usize::from(s.number), i + 1);
            assert!(
                !s.asks.is_empty() && !s.leaves_out.is_empty(),
                "{}",
                s.title
            );
        }
        for s in &STAGES[..2] {
            assert!(
                s.leaves_out.iter().any(|l| l.contains("genitals")),
                "{}",
                s.title
            );
        }
        for s in &STAGES[..4] {
            assert!(
                s.leaves_out.iter().any(|l| l.contains("Intercourse")),
                "{}",
                s.title
            );
        }
    }
}
