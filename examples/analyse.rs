//! A small program that uses the `reframe` library: analyse the thought given as arguments and
//! print each distortion with the words that triggered it and the first reframe.
//!
//! Run it with `cargo run --example analyse -- "Nobody ever picks me"`.

use reframe::{Engine, RuleSet};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let thought = std::env::args().skip(1).collect::<Vec<_>>().join(" ");
    let engine = Engine::new(RuleSet::builtin()?)?;
    let analysis = engine.analyse(&thought);
    if analysis.is_empty() {
        println!("no thinking trap recognised");
    }
    for finding in &analysis.findings {
        let words: Vec<&str> = finding.matches.iter().map(|m| m.text).collect();
        println!(
            "{} ({}): {:?}",
            finding.distortion.name, finding.distortion.id, words
        );
        if let Some(reframe) = finding.reframes.first() {
            println!("  try: {reframe}");
        }
    }
    Ok(())
}
