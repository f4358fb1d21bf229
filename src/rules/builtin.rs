//! The built-in rule files, embedded in the binary so an installed `reframe` needs no files.
//!
//! The list is written out by hand rather than generated: sixteen lines are easy to read, and a
//! test checks that every rule file under `rules/` is listed. (`rules/resources.toml` holds crisis
//! lines, not rules; `crate::resources` embeds it. `rules/words.toml` holds the word lists rules
//! name, embedded below as [`WORDS`].)

/// Every built-in rule file as (file name, contents).
pub const FILES: &[(&str, &str)] = &[
    (
        "all-or-nothing.toml",
        include_str!("../../rules/all-or-nothing.toml"),
    ),
    ("blaming.toml", include_str!("../../rules/blaming.toml")),
    (
        "catastrophizing.toml",
        include_str!("../../rules/catastrophizing.toml"),
    ),
    ("comparing.toml", include_str!("../../rules/comparing.toml")),
    (
        "control-fallacy.toml",
        include_str!("../../rules/control-fallacy.toml"),
    ),
    (
        "discounting-the-positive.toml",
        include_str!("../../rules/discounting-the-positive.toml"),
    ),
    (
        "emotional-reasoning.toml",
        include_str!("../../rules/emotional-reasoning.toml"),
    ),
    (
        "fallacy-of-change.toml",
        include_str!("../../rules/fallacy-of-change.toml"),
    ),
    (
        "fortune-telling.toml",
        include_str!("../../rules/fortune-telling.toml"),
    ),
    ("labeling.toml", include_str!("../../rules/labeling.toml")),
    (
        "mental-filter.toml",
        include_str!("../../rules/mental-filter.toml"),
    ),
    (
        "mind-reading.toml",
        include_str!("../../rules/mind-reading.toml"),
    ),
    (
        "overgeneralization.toml",
        include_str!("../../rules/overgeneralization.toml"),
    ),
    (
        "personalization.toml",
        include_str!("../../rules/personalization.toml"),
    ),
    ("safety.toml", include_str!("../../rules/safety.toml")),
    (
        "should-statements.toml",
        include_str!("../../rules/should-statements.toml"),
    ),
];

/// The built-in word lists (`rules/words.toml`), which rules name as `{self}`, `{other}`, ...
pub const WORDS: &str = include_str!("../../rules/words.toml");

#[cfg(test)]
mod tests {
    use super::FILES;

    #[test]
    fn every_rule_file_on_disk_is_embedded() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/rules");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| {
                name.ends_with(".toml") && name != "resources.toml" && name != "words.toml"
            })
            .collect();
        on_disk.sort();
        let embedded: Vec<&str> = FILES.iter().map(|(name, _)| *name).collect();
        assert_eq!(on_disk, embedded);
    }
}
