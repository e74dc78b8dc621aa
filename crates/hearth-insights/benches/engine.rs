//! The whole insight engine on dense synthetic journals.
//! Run: cargo bench -p hearth-insights (or bench/insights.sh).

use hearth_core::demo::Effects;
use hearth_insights::evaluation::{profile, run};

fn main() {
    divan::main();
}

#[divan::bench(args = [365, 3650], sample_count = 10)]
fn engine(bencher: divan::Bencher, days: u32) {
    let entries = profile(days, 7, Effects::default());
    bencher
        .counter(divan::counter::ItemsCount::new(entries.len()))
        .bench(|| run(divan::black_box(&entries), 1));
}
