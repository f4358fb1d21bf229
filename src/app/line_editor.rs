//! The line editor behind every typed answer in a session (free text, ratings, yes or no): the
//! keys people know from a shell, drawn on standard error under a prompt that wraps between words.
//!
//! It owns the keys, the line being edited and its drawing; what a prompt means, and the line
//! left on screen once it is answered, are the prompter's (`super::session`).
//!
//! Why not dialoguer's `Input` (0.12): it knows no Ctrl-A, Ctrl-E, word moves or Ctrl-W, has no
//! way to go back on Esc, raises SIGINT on Ctrl-C so the line being typed is lost, and counts the
//! lines it redraws in a way that left pieces of a wrapped prompt behind. Why not rustyline: it
//! takes over the terminal and its own signal handling, Esc alone is a prefix it waits on rather
//! than a key, and an interrupted line comes back as an error without its text.
//!
//! Keys are read with `console`, already used for the lists. Its decoder stops early on the
//! longer escape sequences (Ctrl-Left, `ESC [1;5D`, comes as `ESC [1;` and then "5D" as two typed
//! characters; `ESC O H`, Home in application mode, left the "H" that was seen typed), so
//! [`edit_for`] reads the rest of a sequence itself, and nothing that starts with Esc is ever
//! typed into the line.

use std::fmt::Write as _;
use std::io;

use console::{Key, Style, Term};
use textwrap::core::display_width;

/// What a key does to the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// Types a character at the cursor.
    Insert(char),
    /// Deletes the character before the cursor (Backspace, Ctrl-H).
    Backspace,
    /// Deletes the character under the cursor (Delete, Ctrl-D).
    Delete,
    /// One character left (Left, Ctrl-B).
    Left,
    /// One character right (Right, Ctrl-F).
    Right,
    /// To the start of the line (Home, Ctrl-A).
    Home,
    /// To the end of the line (End, Ctrl-E).
    End,
    /// To the start of this or the previous word (Ctrl-Left, Alt-Left, Alt-B).
    WordLeft,
    /// To the end of this or the next word (Ctrl-Right, Alt-Right, Alt-F).
    WordRight,
    /// Deletes the word before the cursor (Ctrl-W, Alt-Backspace).
    DeleteWordBack,
    /// Deletes to the end of the word after the cursor (Alt-D, Ctrl-Delete).
    DeleteWordForward,
    /// Deletes from the start of the line to the cursor (Ctrl-U).
    DeleteToStart,
    /// Deletes from the cursor to the end of the line (Ctrl-K).
    DeleteToEnd,
    /// Enter.
    Submit,
    /// Esc alone.
    Back,
    /// Ctrl-C.
    Interrupt,
    /// Pasted text begins (bracketed paste): until it ends, Enter is a line break in what was
    /// pasted, not an answer.
    PasteStart,
    /// Pasted text ends.
    PasteEnd,
    /// A key that does nothing here (Tab, Up, an unknown sequence).
    Ignore,
}

/// What `key` does, reading with `more` the characters of an escape sequence that `console` left
/// unread. `more` gives `None` when the next key is not a character; the sequence is then dropped.
pub fn edit_for(key: Key, mut more: impl FnMut() -> Option<char>) -> Edit {
    match key {
        Key::Char(c) if !c.is_control() => Edit::Insert(c),
        Key::Char(c) => control(c),
        Key::Enter => Edit::Submit,
        Key::Escape => Edit::Back,
        Key::CtrlC => Edit::Interrupt,
        Key::Backspace => Edit::Backspace,
        Key::Del => Edit::Delete,
        Key::ArrowLeft => Edit::Left,
        Key::ArrowRight => Edit::Right,
        Key::Home => Edit::Home,
        Key::End => Edit::End,
        Key::UnknownEscSeq(seen) => {
            let mut seen = seen.into_iter();
            escape(move || seen.next().or_else(&mut more))
        }
        _ => Edit::Ignore,
    }
}

/// A control character typed alone: never typed into the line.
fn control(c: char) -> Edit {
    match c {
        '\u{2}' => Edit::Left,
        '\u{3}' => Edit::Interrupt,
        '\u{4}' => Edit::Delete,
        '\u{6}' => Edit::Right,
        '\u{8}' => Edit::Backspace,
        '\u{b}' => Edit::DeleteToEnd,
        '\u{15}' => Edit::DeleteToStart,
        '\u{17}' => Edit::DeleteWordBack,
        _ => Edit::Ignore,
    }
}

/// The longest run of parameters read before a sequence is given up on.
const MAX_PARAMETERS: usize = 16;

/// An escape sequence, from the character after its Esc, read with `next`.
fn escape(mut next: impl FnMut() -> Option<char>) -> Edit {
    let Some(mut c) = next() else {
        return Edit::Ignore;
    };
    // Some terminals send Alt-Left as Esc and then Left's own sequence.
    let alt = c == '\u{1b}';
    if alt {
        let Some(after) = next() else {
            return Edit::Ignore;
        };
        c = after;
    }
    match c {
        '[' => {
            let mut parameters = String::new();
            loop {
                let Some(c) = next() else {
                    return Edit::Ignore;
                };
                if ('\u{40}'..='\u{7e}').contains(&c) {
                    return csi(&parameters, c, alt);
                }
                if parameters.len() == MAX_PARAMETERS {
                    return Edit::Ignore;
                }
                parameters.push(c);
            }
        }
        'O' => match next() {
            Some('H') => Edit::Home,
            Some('F') => Edit::End,
            Some('C') if alt => Edit::WordRight,
            Some('D') if alt => Edit::WordLeft,
            Some('C') => Edit::Right,
            Some('D') => Edit::Left,
            // rxvt's Ctrl-Right and Ctrl-Left.
            Some('c') => Edit::WordRight,
            Some('d') => Edit::WordLeft,
            _ => Edit::Ignore,
        },
        _ if alt => Edit::Ignore,
        'b' | 'B' => Edit::WordLeft,
        'f' | 'F' => Edit::WordRight,
        'd' | 'D' => Edit::DeleteWordForward,
        '\u{7f}' | '\u{8}' => Edit::DeleteWordBack,
        _ => Edit::Ignore,
    }
}

/// A control sequence `Esc [ parameters final`.
fn csi(parameters: &str, last: char, alt: bool) -> Edit {
    let mut parts = parameters.split(';');
    let first = parts.next().unwrap_or_default();
    // 3 is Alt, 5 Ctrl, 7 both; Shift alone (2) moves as the key does without it.
    let modifier: u8 = parts.next().and_then(|m| m.parse().ok()).unwrap_or(1);
    let word = alt || matches!(modifier, 3 | 5 | 7);
    match (last, first) {
        ('C', _) if word => Edit::WordRight,
        ('C', _) => Edit::Right,
        ('D', _) if word => Edit::WordLeft,
        ('D', _) => Edit::Left,
        ('H', _) | ('~', "1" | "7") => Edit::Home,
        ('F', _) | ('~', "4" | "8") => Edit::End,
        ('~', "3") if word => Edit::DeleteWordForward,
        ('~', "3") => Edit::Delete,
        ('~', "200") => Edit::PasteStart,
        ('~', "201") => Edit::PasteEnd,
        _ => Edit::Ignore,
    }
}

/// The line being edited, and where the cursor is in it (a count of characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    chars: Vec<char>,
    cursor: usize,
}

impl Line {
    /// A line holding `initial`, with the cursor at its end.
    pub fn new(initial: &str) -> Line {
        let chars: Vec<char> = initial.chars().collect();
        let cursor = chars.len();
        Line { chars, cursor }
    }

    /// The text of the line.
    pub fn text(&self) -> String {
        self.chars.iter().collect()
    }

    /// Applies an editing key; keys that end the prompt change nothing.
    pub fn apply(&mut self, edit: Edit) {
        let at = self.cursor;
        match edit {
            Edit::Insert(c) => {
                self.chars.insert(at, c);
                self.cursor += 1;
            }
            Edit::Backspace if at > 0 => {
                self.chars.remove(at - 1);
                self.cursor -= 1;
            }
            Edit::Delete if at < self.chars.len() => {
                self.chars.remove(at);
            }
            Edit::Left => self.cursor = at.saturating_sub(1),
            Edit::Right => self.cursor = (at + 1).min(self.chars.len()),
            Edit::Home => self.cursor = 0,
            Edit::End => self.cursor = self.chars.len(),
            Edit::WordLeft => self.cursor = self.word_start(),
            Edit::WordRight => self.cursor = self.word_end(),
            Edit::DeleteWordBack => {
                let start = self.word_start();
                self.chars.drain(start..at);
                self.cursor = start;
            }
            Edit::DeleteWordForward => {
                let end = self.word_end();
                self.chars.drain(at..end);
            }
            Edit::DeleteToStart => {
                self.chars.drain(..at);
                self.cursor = 0;
            }
            Edit::DeleteToEnd => self.chars.truncate(at),
            _ => {}
        }
    }

    /// Where the word before the cursor starts, over any spaces just before the cursor.
    fn word_start(&self) -> usize {
        let mut i = self.cursor;
        while i > 0 && self.chars[i - 1].is_whitespace() {
            i -= 1;
        }
        while i > 0 && !self.chars[i - 1].is_whitespace() {
            i -= 1;
        }
        i
    }

    /// Where the word after the cursor ends, over any spaces just after the cursor.
    fn word_end(&self) -> usize {
        let mut i = self.cursor;
        while i < self.chars.len() && self.chars[i].is_whitespace() {
            i += 1;
        }
        while i < self.chars.len() && !self.chars[i].is_whitespace() {
            i += 1;
        }
        i
    }
}

/// The screen rows a prompt and its line take, and where the cursor goes among them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// The rows, styled, none wider than the width they were laid out for.
    pub rows: Vec<String>,
    /// The cursor's row and column.
    pub cursor: (usize, usize),
}

/// Lays out `lead` (the prompt, in `prompt_style`), then `line` after it on its last row when
/// there is room, then `note` on rows of its own, all within `width` columns and wrapped between
/// words (a word longer than a row is broken where the row ends).
pub fn layout(
    lead: &str,
    line: &Line,
    note: Option<&str>,
    width: usize,
    prompt_style: &Style,
    note_style: &Style,
) -> Layout {
    let width = width.max(2);
    let mut rows: Vec<String> = textwrap::wrap(lead, width)
        .iter()
        .map(|r| prompt_style.apply_to(r).to_string())
        .collect();
    let last_width = textwrap::wrap(lead, width)
        .last()
        .map_or(0, |r| display_width(r));
    let (mut row, mut col) = match rows.len() {
        0 => (0, 0),
        n if last_width + 2 <= width => {
            rows[n - 1].push(' ');
            (n - 1, last_width + 1)
        }
        n => (n, 0),
    };
    if row == rows.len() {
        rows.push(String::new());
    }
    let mut cursor = None;
    let chars = &line.chars;
    let width_of = |c: &char| display_width(c.encode_utf8(&mut [0; 4]));
    for (i, c) in chars.iter().enumerate() {
        let w = width_of(c);
        // A word that does not fit in what is left of the row starts the next one, unless it
        // is longer than a whole row. The space after it must fit too, so that no row starts
        // with the space between two words.
        let starts_word = !c.is_whitespace() && (i == 0 || chars[i - 1].is_whitespace());
        let word: usize = if starts_word {
            let letters = chars[i..].iter().take_while(|c| !c.is_whitespace());
            let space = chars[i..].iter().find(|c| c.is_whitespace());
            letters.map(width_of).sum::<usize>() + space.map_or(0, width_of)
        } else {
            w
        };
        if col > 0 && (col + w > width || (col + word > width && word <= width)) {
            row += 1;
            col = 0;
            rows.push(String::new());
        }
        if i == line.cursor {
            cursor = Some((row, col));
        }
        rows[row].push(*c);
        col += w;
    }
    let cursor = cursor.unwrap_or_else(|| {
        if col >= width {
            rows.push(String::new());
            (row + 1, 0)
        } else {
            (row, col)
        }
    });
    if let Some(note) = note {
        rows.extend(
            textwrap::wrap(note, width)
                .iter()
                .map(|r| note_style.apply_to(r).to_string()),
        );
    }
    Layout { rows, cursor }
}

/// How an edit ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ended {
    /// Enter, with a line that `check` took: the line. The prompt is erased.
    Done(String),
    /// Esc: the line as it was, to keep. The prompt is erased.
    Back(String),
    /// Ctrl-C, or input ended: the line as it was. The prompt stays, and the cursor is below it.
    Interrupted(String),
}

/// Asks the terminal to mark pasted text (`ESC [200~` before it, `ESC [201~` after).
const BRACKETED_PASTE_ON: &str = "\x1b[?2004h";
/// Asks the terminal to stop marking pasted text.
pub const BRACKETED_PASTE_OFF: &str = "\x1b[?2004l";

/// Draws a prompt and edits a line under it on a terminal.
pub struct Editor<'a> {
    term: &'a Term,
    width: usize,
    prompt_style: Style,
    note_style: Style,
    /// The row the cursor is on, counted from the first row drawn.
    cursor_row: usize,
}

impl<'a> Editor<'a> {
    /// An editor drawing on `term`, `width` columns wide (at most the terminal's width).
    pub fn new(term: &'a Term, width: usize, prompt_style: Style, note_style: Style) -> Editor<'a> {
        Editor {
            term,
            width,
            prompt_style,
            note_style,
            cursor_row: 0,
        }
    }

    /// Shows `lead` and lets the person edit `initial` after it until Enter gives a line that
    /// `check` takes (else its complaint is shown under the line until the line changes), Esc,
    /// or Ctrl-C. The cursor must be at the start of a row.
    pub fn read(
        &mut self,
        lead: &str,
        initial: &str,
        check: impl Fn(&str) -> Result<(), String>,
    ) -> io::Result<Ended> {
        let mut line = Line::new(initial);
        let mut note: Option<String> = None;
        self.cursor_row = 0;
        // Text pasted comes marked, so that a line break in it does not answer the prompt (and
        // the lines after it the prompts after it).
        self.term.write_str(BRACKETED_PASTE_ON)?;
        let ended = self.edit(lead, &mut line, &mut note, check);
        let _ = self.term.write_str(BRACKETED_PASTE_OFF);
        ended
    }

    /// [`Editor::read`], once pasted text is marked.
    fn edit(
        &mut self,
        lead: &str,
        line: &mut Line,
        note: &mut Option<String>,
        check: impl Fn(&str) -> Result<(), String>,
    ) -> io::Result<Ended> {
        let mut pasting = false;
        loop {
            self.draw(&self.lay_out(lead, line, note.as_deref()))?;
            let key = match self.term.read_key_raw() {
                Ok(key) => key,
                Err(_) => return self.interrupted(lead, line),
            };
            let term = self.term;
            let edit = edit_for(key, || match term.read_key_raw() {
                Ok(Key::Char(c)) => Some(c),
                _ => None,
            });
            match edit {
                Edit::PasteStart => pasting = true,
                Edit::PasteEnd => pasting = false,
                // A line break in pasted text joins its lines with a space (one is enough).
                Edit::Submit if pasting => {
                    let after_space = line.cursor == 0
                        || line
                            .chars
                            .get(line.cursor - 1)
                            .is_some_and(|c| c.is_whitespace());
                    if !after_space {
                        line.apply(Edit::Insert(' '));
                    }
                }
                Edit::Submit => match check(&line.text()) {
                    Ok(()) => {
                        self.erase()?;
                        return Ok(Ended::Done(line.text()));
                    }
                    Err(complaint) => *note = Some(complaint),
                },
                Edit::Back => {
                    self.erase()?;
                    return Ok(Ended::Back(line.text()));
                }
                Edit::Interrupt => return self.interrupted(lead, line),
                edit => {
                    let before = line.text();
                    line.apply(edit);
                    if line.text() != before {
                        *note = None;
                    }
                }
            }
        }
    }

    fn lay_out(&self, lead: &str, line: &Line, note: Option<&str>) -> Layout {
        layout(
            lead,
            line,
            note,
            self.width,
            &self.prompt_style,
            &self.note_style,
        )
    }

    /// Draws `layout` over what was drawn before, and puts the cursor in its place.
    fn draw(&mut self, layout: &Layout) -> io::Result<()> {
        let mut out = self.to_top();
        out.push_str(&layout.rows.join("\r\n"));
        let last = layout.rows.len().saturating_sub(1);
        let (row, col) = layout.cursor;
        if last > row {
            let _ = write!(out, "\x1b[{}A", last - row);
        }
        out.push('\r');
        if col > 0 {
            let _ = write!(out, "\x1b[{col}C");
        }
        self.cursor_row = row;
        self.term.write_str(&out)?;
        self.term.flush()
    }

    /// The keys that take the cursor to the first row drawn and clear from there down. Moving
    /// up by rows, rather than back to a saved position, holds when the screen has scrolled.
    fn to_top(&self) -> String {
        let mut out = String::new();
        if self.cursor_row > 0 {
            let _ = write!(out, "\x1b[{}A", self.cursor_row);
        }
        out.push_str("\r\x1b[J");
        out
    }

    /// Clears the prompt and its line, leaving the cursor where the prompt started.
    fn erase(&mut self) -> io::Result<()> {
        let out = self.to_top();
        self.cursor_row = 0;
        self.term.write_str(&out)?;
        self.term.flush()
    }

    /// Leaves the prompt and `line` on screen, without a note, and the cursor under them.
    fn interrupted(&mut self, lead: &str, line: &Line) -> io::Result<Ended> {
        let mut end = line.clone();
        end.apply(Edit::End);
        let layout = self.lay_out(lead, &end, None);
        let mut out = self.to_top();
        out.push_str(&layout.rows.join("\r\n"));
        out.push_str("\r\n");
        self.cursor_row = 0;
        self.term.write_str(&out)?;
        self.term.flush()?;
        Ok(Ended::Interrupted(line.text()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The edit for `keys`, as a terminal sends them: the first key as `console` decodes it,
    /// and the rest of its bytes left to read.
    fn keys(first: Key, rest: &str) -> Edit {
        let mut rest = rest.chars();
        edit_for(first, || rest.next())
    }

    fn seq(seen: &str, rest: &str) -> Edit {
        keys(Key::UnknownEscSeq(seen.chars().collect()), rest)
    }

    #[test]
    fn escape_sequences_are_read_to_their_end_and_never_typed() {
        // Ctrl-Left and Ctrl-Right in xterm: console stops after `[1;`.
        assert_eq!(seq("[1;", "5D"), Edit::WordLeft);
        assert_eq!(seq("[1;", "5C"), Edit::WordRight);
        // Alt-Left, both ways terminals send it.
        assert_eq!(seq("[1;", "3D"), Edit::WordLeft);
        assert_eq!(seq("\u{1b}", "[D"), Edit::WordLeft);
        // Home and End in application cursor mode: the "H" once typed into the line.
        assert_eq!(seq("O", "H"), Edit::Home);
        assert_eq!(seq("O", "F"), Edit::End);
        assert_eq!(seq("[3;", "5~"), Edit::DeleteWordForward);
        assert_eq!(seq("b", ""), Edit::WordLeft);
        assert_eq!(seq("f", ""), Edit::WordRight);
        assert_eq!(seq("\u{7f}", ""), Edit::DeleteWordBack);
        // F5, and a sequence nobody knows: read whole, and ignored.
        assert_eq!(seq("[15", "~"), Edit::Ignore);
        assert_eq!(seq("[1;", "2Q"), Edit::Ignore);
        assert_eq!(seq("x", ""), Edit::Ignore);
    }

    #[test]
    fn control_characters_edit_and_are_never_typed() {
        assert_eq!(keys(Key::Char('\u{17}'), ""), Edit::DeleteWordBack);
        assert_eq!(keys(Key::Char('\u{15}'), ""), Edit::DeleteToStart);
        assert_eq!(keys(Key::Char('\u{b}'), ""), Edit::DeleteToEnd);
        assert_eq!(keys(Key::Char('\u{1}'), ""), Edit::Ignore);
        assert_eq!(keys(Key::Char('é'), ""), Edit::Insert('é'));
        assert_eq!(keys(Key::Home, ""), Edit::Home);
        assert_eq!(keys(Key::Escape, ""), Edit::Back);
        assert_eq!(seq("[200~", ""), Edit::PasteStart);
        assert_eq!(seq("[201~", ""), Edit::PasteEnd);
        assert_eq!(keys(Key::CtrlC, ""), Edit::Interrupt);
    }

    fn edited(initial: &str, edits: &[Edit]) -> (String, usize) {
        let mut line = Line::new(initial);
        for &e in edits {
            line.apply(e);
        }
        (line.text(), line.cursor)
    }

    #[test]
    fn the_line_edits_as_in_a_shell() {
        use Edit::*;
        assert_eq!(edited("ello", &[Home, Insert('h')]), ("hello".into(), 1));
        assert_eq!(edited("abc", &[Home, Delete]), ("bc".into(), 0));
        assert_eq!(edited("abc", &[Left, Backspace]), ("ac".into(), 1));
        assert_eq!(edited("I am fine", &[WordLeft]), ("I am fine".into(), 5));
        assert_eq!(
            edited("I am fine", &[WordLeft, WordLeft, WordRight]),
            ("I am fine".into(), 4)
        );
        assert_eq!(
            edited("I am fine  ", &[DeleteWordBack]),
            ("I am ".into(), 5)
        );
        assert_eq!(
            edited("I am fine", &[Home, DeleteWordForward]),
            (" am fine".into(), 0)
        );
        assert_eq!(
            edited("I am fine", &[WordLeft, DeleteToStart]),
            ("fine".into(), 0)
        );
        assert_eq!(
            edited("I am fine", &[WordLeft, DeleteToEnd]),
            ("I am ".into(), 5)
        );
        assert_eq!(
            edited("ab", &[Right, Delete, Home, Left, Backspace]),
            ("ab".into(), 0)
        );
    }

    fn plain(lead: &str, text: &str, cursor: usize, width: usize) -> Layout {
        let mut line = Line::new(text);
        line.cursor = cursor;
        layout(lead, &line, None, width, &Style::new(), &Style::new())
    }

    #[test]
    fn the_prompt_wraps_between_words_and_the_line_follows_it() {
        let l = plain("What happened? One line is enough:", "It rained", 3, 20);
        assert_eq!(
            l.rows,
            ["What happened? One", "line is enough: It ", "rained"]
        );
        assert_eq!(l.cursor, (2, 0));
        let l = plain("Why:", "It rained all day", 6, 12);
        assert_eq!(l.rows, ["Why: It ", "rained all ", "day"]);
        assert_eq!(l.cursor, (1, 3));
        // A full row puts the cursor at the end on the next row.
        let l = plain("Why:", "abcdefghijklmno", 15, 20);
        assert_eq!(l.rows, ["Why: abcdefghijklmno", ""]);
        assert_eq!(l.cursor, (1, 0));
        // A word that fills a row to its end takes the space after it to the next row, rather
        // than start that row with the space.
        let l = plain("Why:", "It rained a lot", 0, 14);
        assert_eq!(l.rows, ["Why: It ", "rained a lot"]);
        let l = plain("Why:", "It was raining on me", 0, 14);
        assert!(l.rows.iter().all(|r| !r.starts_with(' ')), "{:?}", l.rows);
        // No room after the prompt: the line starts on a row of its own.
        let l = plain("abcdefghijklmnopqrs:", "x", 0, 20);
        assert_eq!(l.rows, ["abcdefghijklmnopqrs:", "x"]);
        assert_eq!(l.cursor, (1, 0));
    }
}
