//! Prints the evaluation table for docs/insights.md.
//! Run: cargo run --release -p hearth-insights --example evaluate [SEEDS]

use hearth_insights::evaluation::{rate, scenarios};

fn main() {
    let seeds: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    println!("| scenario | planted | target | rate over {seeds} seeds |");
    println!("|---|---|---|---|");
    for s in scenarios() {
        let r = rate(&s, 1000..1000 + seeds);
        println!(
            "| {} | {} | {} | {:.1}% |",
            s.name,
            s.planted,
            s.target,
            r * 100.0
        );
    }
}
