//! How strongly a safety pattern's words speak of danger, which decides how the answer is worded
//! and, in a session, whether the exercise stops at once or first asks.

use std::fmt;

/// The level of a safety pattern, and of a thought's safety finding (the highest of its matches).
///
/// Both levels are answered with crisis lines and neither is ever reframed; they differ in the
/// words around the lines, and a session stops at `Crisis` but asks one direct question at
/// `Concern`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Level {
    /// A warning sign that does not say it outright: being a burden, wanting to disappear, not
    /// being able to go on with life.
    Concern,
    /// Suicide, self-harm or danger said plainly, or a method, plan, preparation or attempt.
    #[default]
    Crisis,
}

impl Level {
    /// Every level, lowest first.
    pub const ALL: [Level; 2] = [Level::Concern, Level::Crisis];

    /// The name used in rule files and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Concern => "concern",
            Level::Crisis => "crisis",
        }
    }

    /// Parses a level name.
    pub fn parse(name: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == name)
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Level;

    #[test]
    fn names_round_trip_and_crisis_ranks_higher() {
        for level in Level::ALL {
            assert_eq!(Level::parse(level.as_str()), Some(level));
        }
        assert_eq!(Level::parse("high"), None);
        assert!(Level::Crisis > Level::Concern);
    }
}
