//! The styles output is drawn with, all on or all off.

use console::Style;

/// Styles for each kind of text; every style is plain when colour is off.
#[derive(Debug, Clone)]
pub struct Palette {
    /// Whether colour is on.
    pub enabled: bool,
    /// The words that triggered a finding.
    pub trigger: Style,
    /// A distortion's name.
    pub name: Style,
    /// Section headings such as "Questions to ask yourself".
    pub heading: Style,
    /// Secondary text: line numbers, ids, counts.
    pub dim: Style,
    /// Summary bars.
    pub bar: Style,
}

impl Palette {
    /// A palette with colour on or off.
    pub fn new(enabled: bool) -> Palette {
        let style = |s: Style| s.force_styling(enabled);
        Palette {
            enabled,
            trigger: style(Style::new().yellow().bold().underlined()),
            name: style(Style::new().cyan().bold()),
            heading: style(Style::new().bold()),
            dim: style(Style::new().dim()),
            bar: style(Style::new().cyan()),
        }
    }
}
