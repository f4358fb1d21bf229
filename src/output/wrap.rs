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

/// `text` cut to at most `width` columns between words, ending in "…" when anything was cut;
/// mid-word only when its first word alone is too long.
pub fn shorten(text: &str, width: usize) -> String {
    let measure = console::measure_text_width;
    if measure(text) <= width {
        return text.to_string();
    }
    let mut kept = String::new();
    for word in text.split(' ') {
        let longer = match kept.is_empty() {
            true => word.to_string(),
            false => format!("{kept} {word}"),
        };
        if measure(&longer) + 1 > width {
            break;
        }
        kept = longer;
    }
    let kept = kept.trim_end_matches([',', ';', ':', ' ']);
    if kept.is_empty() {
        return console::truncate_str(text, width, "…").into_owned();
    }
    format!("{kept}…")
}

#[cfg(test)]
mod tests {
    use super::{shorten, wrap};

    #[test]
    fn shortening_cuts_between_words() {
        let text = "Being sure you know what someone else thinks, without asking";
        assert_eq!(shorten(text, 100), text);
        assert_eq!(shorten(text, 30), "Being sure you know what…");
        assert_eq!(
            shorten(text, 49),
            "Being sure you know what someone else thinks…"
        );
        assert!(console::measure_text_width(&shorten(text, 30)) <= 30);
        // One word longer than the room is cut inside it.
        assert_eq!(shorten("Overgeneralization", 8), "Overgen…");
    }

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
