//! Wrapping text to the width of a terminal, between words, for every place that writes prose
//! for a person: the session's screens and the one-shot answer.

/// Wraps each line of `text` at word boundaries to `width` columns, keeping its indentation, and
/// lining continuation lines up under the text of a numbered or bulleted item.
pub fn wrap(text: &str, width: usize) -> String {
    let mut out = Vec::new();
    for line in text.lines() {
        let indent = &line[..line.len() - line.trim_start().len()];
        let rest = &line[indent.len()..];
        let marker = rest
            .split_once(' ')
            .map(|(m, _)| m)
            .filter(|m| *m == "-" || (m.ends_with('.') && m[..m.len() - 1].parse::<u32>().is_ok()))
            .map_or(0, |m| m.len() + 1);
        let hang = format!("{indent}{}", " ".repeat(marker));
        let options = textwrap::Options::new(width).subsequent_indent(&hang);
        out.extend(
            textwrap::wrap(line, options)
                .into_iter()
                .map(|l| l.into_owned()),
        );
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn text_wraps_between_words_and_items_hang_under_their_text() {
        let text =
            "One rejection gets stretched into a law of nature\n\n1. This happened, and it hurt";
        assert_eq!(
            wrap(text, 20),
            "One rejection gets\nstretched into a law\nof nature\n\n1. This happened,\n   and it hurt"
        );
        assert_eq!(wrap("  - a b c d e f", 9), "  - a b c\n    d e f");
    }

    #[test]
    fn colour_codes_take_no_room() {
        let red = "\u{1b}[31mnever\u{1b}[0m";
        let wrapped = wrap(&format!("I will {red} be good enough"), 15);
        assert_eq!(wrapped, format!("I will {red} be\ngood enough"));
    }
}
