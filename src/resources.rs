//! Crisis resources: the lines shown instead of a reframe when a thought speaks of suicide,
//! self-harm or danger.
//!
//! They are data (`rules/resources.toml`, embedded in the binary), with the public source of every
//! number noted beside it. Which region to show is decided by the caller (the command line: a
//! flag, then the config file, then the locale); this module only looks regions up.

use serde::Deserialize;

use crate::rules::Category;

/// The embedded resources file.
const BUILTIN: &str = include_str!("../rules/resources.toml");

/// The region shown when no region is known.
pub const INTERNATIONAL: &str = "international";

/// One crisis line or emergency number.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    /// Who answers, such as "Samaritans".
    pub name: String,
    /// How to reach them, such as "Call 116 123".
    pub contact: String,
    /// A short note, such as "free, 24/7".
    #[serde(default)]
    pub note: Option<String>,
    /// The categories the line is for; empty means all.
    #[serde(default, rename = "for")]
    pub categories: Vec<String>,
}

impl Line {
    /// Whether the line is for this category of crisis.
    pub fn serves(&self, category: Category) -> bool {
        self.categories.is_empty() || self.categories.iter().any(|c| c == category.as_str())
    }
}

/// The resources for one place.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    /// The region's id, used with `--region`, such as `uk`.
    pub id: String,
    /// Its name, such as "United Kingdom".
    pub name: String,
    /// ISO 3166 country codes whose locales map to this region.
    pub countries: Vec<String>,
    /// The lines, in the order to show them.
    pub lines: Vec<Line>,
    /// Where each number was checked.
    pub sources: Vec<String>,
}

impl Region {
    /// The lines for a category of crisis.
    pub fn lines_for(&self, category: Category) -> impl Iterator<Item = &Line> {
        self.lines.iter().filter(move |line| line.serves(category))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    region: Vec<Region>,
}

/// Every region's resources.
#[derive(Debug, Clone)]
pub struct Resources {
    regions: Vec<Region>,
}

impl Resources {
    /// The built-in resources.
    pub fn builtin() -> Resources {
        let file: File = toml::from_str(BUILTIN).expect("rules/resources.toml is valid (tested)");
        Resources {
            regions: file.region,
        }
    }

    /// Every region.
    pub fn regions(&self) -> &[Region] {
        &self.regions
    }

    /// The region with this id.
    pub fn region(&self, id: &str) -> Option<&Region> {
        self.regions.iter().find(|r| r.id.eq_ignore_ascii_case(id))
    }

    /// The region a locale such as `en_GB.UTF-8` points to, if its country is known.
    pub fn region_for_locale(&self, locale: &str) -> Option<&Region> {
        let country = locale.split(['.', '@']).next()?.split(['_', '-']).nth(1)?;
        self.regions
            .iter()
            .find(|r| r.countries.iter().any(|c| c.eq_ignore_ascii_case(country)))
    }

    /// The region shown when none is known.
    pub fn international(&self) -> &Region {
        self.region(INTERNATIONAL)
            .expect("rules/resources.toml has an international region (tested)")
    }
}

#[cfg(test)]
mod tests {
    use super::Resources;
    use crate::rules::Category;

    #[test]
    fn the_builtin_file_has_the_regions_the_project_promises() {
        let r = Resources::builtin();
        for id in ["international", "us", "uk", "ie", "ca", "au", "eu"] {
            let region = r.region(id).unwrap_or_else(|| panic!("{id} missing"));
            assert!(!region.sources.is_empty(), "{id} has no source");
            for category in Category::ALL {
                assert!(region.lines_for(category).count() >= 2, "{id}/{category}");
            }
        }
        let contact = |id: &str| {
            r.region(id)
                .unwrap()
                .lines
                .iter()
                .map(|l| l.contact.clone())
                .collect::<Vec<_>>()
                .join(" | ")
        };
        assert!(contact("us").contains("988") && contact("us").contains("911"));
        assert!(contact("uk").contains("116 123") && contact("ie").contains("116 123"));
        assert!(
            contact("ca").contains("988")
                && contact("au").contains("13 11 14")
                && contact("eu").contains("112")
        );
    }

    #[test]
    fn locales_map_to_regions_by_country() {
        let r = Resources::builtin();
        let id = |locale: &str| r.region_for_locale(locale).map(|region| region.id.clone());
        assert_eq!(id("en_GB.UTF-8").as_deref(), Some("uk"));
        assert_eq!(id("en_US").as_deref(), Some("us"));
        assert_eq!(id("fr_CA.UTF-8").as_deref(), Some("ca"));
        assert_eq!(id("de_DE.UTF-8@euro").as_deref(), Some("eu"));
        assert_eq!(id("ga_IE").as_deref(), Some("ie"));
        assert_eq!(id("C.UTF-8"), None);
        assert_eq!(id("ja_JP.UTF-8"), None);
    }
}
