//! The evaluation targets, asserted over a fixed set of seeds.

use hearth_insights::evaluation::{rate, scenarios};

#[test]
fn every_scenario_meets_its_target() {
    for s in scenarios() {
        let r = rate(&s, 0..60);
        if s.want_hit {
            assert!(
                r >= 0.90,
                "{}: found in only {:.0}% of profiles",
                s.name,
                r * 100.0
            );
        } else {
            let limit = if s.name.starts_with("what_helps") {
                0.10
            } else {
                0.05
            };
            assert!(
                r <= limit,
                "{}: false alarm in {:.0}% of profiles",
                s.name,
                r * 100.0
            );
        }
    }
}
