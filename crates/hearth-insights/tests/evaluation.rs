//! The evaluation targets, asserted over a fixed set of seeds.

use hearth_insights::evaluation::{rate, scenarios};

#[test]
fn every_scenario_meets_its_target() {
    for s in scenarios() {
        let r = rate(&s, 0..60);
        if s.want_hit {
            assert!(
                r >= s.limit,
                "{}: found in only {:.0}% of profiles",
                s.name,
                r * 100.0
            );
        } else {
            assert!(
                r <= s.limit,
                "{}: false alarm in {:.0}% of profiles",
                s.name,
                r * 100.0
            );
        }
    }
}
