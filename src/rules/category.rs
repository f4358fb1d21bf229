//! What a crisis-language pattern is about, which decides the words of the answer and which
//! crisis lines are shown.

use std::fmt;

/// The kind of crisis a safety pattern recognises. It is written (in the journal, say) by the
/// name [`Category::as_str`] gives.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Thoughts of suicide or of not wanting to live.
    Suicide,
    /// Thoughts or acts of self-harm.
    SelfHarm,
    /// Being hurt, threatened or in danger from someone else.
    HarmFromOthers,
}

impl Category {
    /// Every category, in a fixed order.
    pub const ALL: [Category; 3] = [
        Category::Suicide,
        Category::SelfHarm,
        Category::HarmFromOthers,
    ];

    /// The name used in rule files and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Suicide => "suicide",
            Category::SelfHarm => "self-harm",
            Category::HarmFromOthers => "harm-from-others",
        }
    }

    /// Parses a category name.
    pub fn parse(name: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Category;

    #[test]
    fn serde_writes_the_names_rule_files_use() {
        for category in Category::ALL {
            let json = serde_json::to_string(&category).unwrap();
            assert_eq!(json, format!("\"{category}\""));
            assert_eq!(serde_json::from_str::<Category>(&json).unwrap(), category);
        }
    }
}
