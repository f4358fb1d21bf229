//! Whether a thought names suicide or self-harm, for the thoughts the safety rules leave calm.
//!
//! The safety rules (`rules/safety.toml`) answer crisis language and warning signs, and on purpose
//! stay calm for someone else's suicide, the news, or support for a friend. Such a thought still
//! speaks of suicide, and a thought that speaks of suicide is never reframed: a cheerful rewording
//! of "my brother killed himself and it was my fault" would do harm. This module finds the words
//! of the topic itself (suicide, self-harm, someone killing themselves or taking their own life,
//! someone else who has been cutting), leaving out figures of speech that only borrow them
//! ("career suicide", "a suicide mission", "he killed himself laughing", "that tackle was
//! suicidal"). The writer's own "kill myself" is the safety rules' business,
//! with all the care they take over its figurative uses, so it is not looked for here.
//!
//! The words are the topic's vocabulary, not ways of voicing a thought, so they live here rather
//! than in a rule file that users could disable.

use std::sync::OnceLock;

use memchr::memmem::Finder;
use regex_automata::meta::Regex;

use crate::rules::{Build, compile};

/// The words that name suicide or self-harm, in the rule dialect (`crate::rules::prepare`).
const WORDS: &str = concat!(
    r"\b(?:suicid\w*|self[- ]?harm\w*|self[- ]?injur\w*|kill(?:s|ed|ing)?\s+(?:him|her|them|your|one)sel(?:f|ves)|(?:take|takes|took|taken|taking)\s+(?:his|her|their|your|one's)\s+own\s+li(?:fe|ves))\b",
    // Someone else who cuts: the person, any of a few helping words, then "cutting" or "cuts"
    // followed by the end of the clause or a word that cannot start an object ("she has been
    // cutting and", "he cuts himself"), so "cutting back" and "cuts hair" are not mentions.
    r"|\b(?:he|she|they|someone|somebody|friend|sister|brother|daughter|son|kid|child|cousin|girlfriend|boyfriend|partner|wife|husband|student|classmate|roommate|flatmate|mom|mum|dad)(?:'s|'re|'ve)?\s+(?:(?:has|have|had|is|are|was|were|been|still|started|keeps|kept|secretly|also|again|now|just|recently|might|may|be|used\s+to)\s+)*(?:cutting\s*(?:$|[.!?,;]|\s+(?:and|but|so|or)\b)|(?:cutting|cuts)\s+(?:again|for\s+(?:years|months|weeks|a\s+(?:while|year|long\s+time))|since|herself|himself|themselves|(?:her|his|their)\s+(?:arms?|wrists?|legs?|thighs?|skin|stomach)|in\s+secret|secretly|on\s+purpose|to\s+cope|when|because|at\s+night)\b)",
    r"|\bcut(?:s|ting)?\s+(?:him|her|them)sel(?:f|ves)\b",
);

/// Figures of speech that borrow those words; a mention inside one of them does not count.
const FIGURATIVE: &str = concat!(
    r"\b(?:career|political|social|commercial|electoral|financial|fashion|professional|brand|reputational)\s+suicide\b",
    r"|\bsuicide\s+(?:squads?|missions?|doors?|sprints?|runs?|drills?|blondes?|pass|lanes?|burpees?|jockeys?|knobs?)\b",
    r"|\b(?:computer|laptop|phone|printer|car|battery|tv|television|router|console|xbox|playstation|hard\s+drive|app|server|ipod|game)\s+(?:\w+\s+)?(?:committed|commited|commits|tried\s+to\s+commit)\s+suicide\b",
    r"|\bkill(?:s|ed|ing)?\s+(?:him|her|them|your|one)sel(?:f|ves)\s+(?:laughing|trying|working|at\s+the\s+gym|over\s+(?:work|nothing))",
    // An accident, or a figure of speech: "cut himself shaving", "cut herself off".
    r"|\bcut(?:s|ting)?\s+(?:him|her|them)sel(?:f|ves)\s+(?:on|shaving|while|cooking|chopping|slack|some\s+slack|off|out|loose|free|short|by\s+accident|accidentally|with\s+(?:a|the)\s+(?:knife|glass|paper|scissors|razor\s+shaving))\b",
    // Sport, driving and slang call a reckless move suicidal: "a suicidal pass", "his overtake
    // on the last lap was suicidal", "that's suicidal bro", "it'd be suicidal to drive now".
    r"|\bsuicidal\s+(?:tackles?|pass(?:es)?|back\s?pass(?:es)?|overtakes?|overtaking|moves?|challenges?|lunges?|dives?|runs?|pace|speed|driving|defending|defen[cs]e|tactics|shots?|headers?|bets?|trades?|corners?|cornering|manoeuvres?|maneuvers?|jumps?|stunts?|descents?|braking|merges?|lane\s+changes?|offside\s+traps?|high\s+lines?|formations?)\b",
    r"|\b(?:that|this|the|his|her|their|its|my|your|our|a|an|what\s+a)\s+(?:[\w']+\s+)?(?:tackles?|pass|passes|back\s?pass|overtakes?|overtaking|moves?|challenges?|lunges?|dives?|runs?|pace|driving|defending|defen[cs]e|tactics|shots?|headers?|bets?|trades?|cornering|manoeuvres?|maneuvers?|jumps?|stunts?|descents?|braking|merges?|lane\s+changes?|formations?)(?:\s+(?:back\s+)?(?:on|in|at|into|onto|from|through|around|down|up|off|by|of|to|under|over|past|round)\s+(?:the\s+|a\s+|an\s+|that\s+|this\s+|his\s+|her\s+|their\s+|its\s+|my\s+)?(?:\w+\s+)?\w+)?\s+(?:was|is|were|are|looked|looks|seemed|seems|felt|feels|would\s+have\s+been|would\s+be)\s+(?:\w+\s+)?suicidal\b",
    r"|\b(?:that's|that\s+is|that\s+was|this\s+is|this\s+was)\s+(?:\w+\s+)?suicidal\s*(?:$|[.!,]|\s+(?:bro|lol|lmao|mate|man|dude|haha|fr|tbh)\b)",
    r"|\bsuicidal\s+to\s+(?:go|drive|ride|climb|swim|play|attack|push|sign|buy|sell|invest|cross|skip|run|walk|overtake|tackle|pass|defend|leave|quit)\b",
);

/// Whether `text`, a normalized thought (`crate::normalize`), names suicide or self-harm outside
/// a figure of speech.
pub fn mentions_suicide(text: &str) -> bool {
    static COMPILED: OnceLock<Option<(Regex, Regex)>> = OnceLock::new();
    // Every mention holds one of these strings, most thoughts hold none, and then nothing is
    // compiled. ("sel" of "himself" stood here once, but it let every "myself" through to the
    // search.) Finders built once search a short line in a third of the time `str::contains`
    // takes, which builds its searcher on every call.
    static NEEDLES: OnceLock<[Finder<'static>; 7]> = OnceLock::new();
    let needles = NEEDLES.get_or_init(|| {
        ["suicid", "harm", "injur", "kill", "life", "lives", "cut"]
            .map(|word| Finder::new(word.as_bytes()))
    });
    if !needles
        .iter()
        .any(|needle| needle.find(text.as_bytes()).is_some())
    {
        return false;
    }
    let compiled = COMPILED.get_or_init(|| {
        Some((
            compile(WORDS, Build::Fast).ok()?,
            compile(FIGURATIVE, Build::Fast).ok()?,
        ))
    });
    // The lazy DFA (`Build::Fast`) is worth building: the lines that get this far mostly hold
    // no mention, and it rules them out in a tenth of the bounded backtracker's time.
    // The expressions are fixed and tested; were they ever to fail to compile, a mention would be
    // assumed, as the safer error.
    let Some((words, figurative)) = compiled else {
        return true;
    };
    // Both searches go left to right, and figures of speech do not overlap one another, so the
    // only one that can hold a mention is the last to start at or before it: one walk through
    // both lists, where looking through every figure for every mention cost a long line of
    // them its length squared.
    let mut borrowed = figurative.find_iter(text).peekable();
    let mut around: Option<std::ops::Range<usize>> = None;
    words.find_iter(text).any(|m| {
        while let Some(f) = borrowed.next_if(|f| f.start() <= m.start()) {
            around = Some(f.range());
        }
        around.as_ref().is_none_or(|f| m.end() > f.end)
    })
}

#[cfg(test)]
mod tests {
    use super::mentions_suicide;
    use crate::normalize::Normalized;

    fn mentions(text: &str) -> bool {
        mentions_suicide(Normalized::new(text).as_str())
    }

    #[test]
    fn the_words_of_the_topic_are_a_mention() {
        for text in [
            "my uncle killed himself last spring and I always ruin everything",
            "the suicide rate rose again this year",
            "she was suicidal in her teens",
            "my friend took her own life",
            "three students took their own lives last year",
            "my sister self-harms and I feel useless",
            "people kept telling me to go kill yourself online",
            "after his SUICIDE I stopped sleeping",
            "I never thought about suicide but things are bad",
            "my best friend told me she has been cutting and I don't know how to help",
            "my brother's been cutting again",
            "my daughter cuts herself and I found out today",
            "he told me he cuts to cope",
            "my cousin has been cutting for months",
            "my sister started self injuring at fourteen",
            "the player was suicidal after the final, his wife said",
        ] {
            assert!(mentions(text), "{text}");
        }
    }

    #[test]
    fn figures_of_speech_and_other_words_are_not() {
        for text in [
            "quitting now would be career suicide",
            "that project was a suicide mission, I always get the worst ones",
            "coach made us run suicide sprints",
            "my laptop committed suicide before the deadline",
            "he killed himself laughing at my joke",
            "I want to be better at my job",
            "this is harmless",
            "I'll never be good enough",
            "life is unfair to me",
            "no harm done, I always mess up",
            "this commute is killing me and I always fail",
            "I sell myself short at work",
            "that tackle was suicidal",
            "his overtake on the last lap was suicidal",
            "what a suicidal pass back to the keeper",
            "the striker's dive in the box was suicidal",
            "that's suicidal bro",
            "it would be suicidal to drive in this snow",
            "she cut herself shaving and I laughed",
            "my mum has been cutting back on sugar",
            "he cuts hair for a living and I envy him",
            "she cuts for a film studio and loves it",
            "they've been cutting jobs at work",
        ] {
            assert!(!mentions(text), "{text}");
        }
        // A figure of speech beside a real mention still counts.
        assert!(mentions(
            "it was career suicide, and then my friend's suicide"
        ));
    }

    #[test]
    fn each_mention_is_checked_against_the_figure_of_speech_around_it() {
        let figures = "career suicide, a suicide mission. ".repeat(2_000);
        assert!(!mentions(&figures));
        // A real mention after, between or before many figures of speech.
        assert!(mentions(&format!("{figures}my friend's suicide")));
        assert!(mentions(&format!(
            "{figures}her suicide, then career suicide {figures}"
        )));
        assert!(mentions(&format!("suicide rates, {figures}")));
        // Figures that follow one another closely, and one inside a longer stretch.
        assert!(!mentions(
            "political suicide career suicide suicide squads suicide doors"
        ));
        assert!(mentions("political suicide and suicide, career suicide"));
    }
}
