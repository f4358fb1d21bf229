//! Which entries `reframe journal review` asks about, and why there may be none.
//!
//! Looking back works when some time has passed: the thought has cooled, and the person can see
//! how much of it still holds. So by default the review goes over entries from
//! [`FROM_DAYS`] to [`TO_DAYS`] days ago, oldest first, leaving out any that were re-rated in the
//! last [`AGAIN_AFTER_DAYS`] days. Only finished entries are asked about: an unfinished one has
//! no balanced thought to look back on, and one that stopped for safety is never brought up to be
//! rated.
//!
//! The asking itself is the command line's (`src/app/review.rs`).

use jiff::{SignedDuration, Timestamp};

use super::rerating::{Rerating, whole_days};
use super::{Entry, Status};

/// The youngest an entry may be, in days, to be asked about by default.
pub const FROM_DAYS: i64 = 5;

/// The oldest an entry may be, in days, to be asked about by default.
pub const TO_DAYS: i64 = 14;

/// An entry re-rated fewer than this many days ago is not asked about again by default.
pub const AGAIN_AFTER_DAYS: i64 = 7;

/// Which entries to look back on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// Entries from [`FROM_DAYS`] to [`TO_DAYS`] days old, not re-rated recently.
    Default,
    /// Entries started at or after this time, however recent, not re-rated recently.
    Since(Timestamp),
    /// Every finished entry, re-rated recently or not.
    All,
}

/// What a review goes over, and, when that is nothing, what there is instead.
#[derive(Debug, Clone, PartialEq)]
pub struct Queue<'a> {
    /// The entries to ask about, oldest first.
    pub due: Vec<&'a Entry>,
    /// Finished entries that could be looked back on at all (see [`can_be_reviewed`]).
    pub reviewable: usize,
    /// Of those, the ones younger than the window (only with [`Window::Default`]).
    pub too_recent: usize,
    /// In how many days the oldest of [`Queue::too_recent`] comes into the window.
    pub next_in_days: Option<i64>,
    /// Of those, the ones older than the window (or, with [`Window::Since`], before it).
    pub older: usize,
    /// Entries in the window left out because they were re-rated recently.
    pub rerated_recently: usize,
}

/// Whether `entry` can be looked back on: it was finished, has a thought, and did not stop for
/// safety.
pub fn can_be_reviewed(entry: &Entry) -> bool {
    entry.status == Status::Complete && !entry.safety_stop && !entry.thought.trim().is_empty()
}

/// The entries of `entries` that a review in `window` asks about at `now`, given the re-ratings
/// already made.
pub fn queue<'a>(
    entries: &'a [Entry],
    reratings: &[Rerating],
    window: Window,
    now: Timestamp,
) -> Queue<'a> {
    let mut queue = Queue {
        due: Vec::new(),
        reviewable: 0,
        too_recent: 0,
        next_in_days: None,
        older: 0,
        rerated_recently: 0,
    };
    let again_after = SignedDuration::from_hours(24 * AGAIN_AFTER_DAYS);
    let rerated_recently = |entry: &Entry| {
        reratings
            .iter()
            .any(|r| r.is_about(entry) && now.duration_since(r.at) < again_after)
    };
    for entry in entries.iter().filter(|e| can_be_reviewed(e)) {
        queue.reviewable += 1;
        let age = whole_days(entry.started, now);
        let in_window = match window {
            Window::All => true,
            Window::Since(since) => entry.started >= since,
            Window::Default => (FROM_DAYS..=TO_DAYS).contains(&age),
        };
        if !in_window {
            if window == Window::Default && age < FROM_DAYS {
                queue.too_recent += 1;
                let wait = FROM_DAYS - age;
                queue.next_in_days = Some(queue.next_in_days.map_or(wait, |n| n.min(wait)));
            } else {
                queue.older += 1;
            }
        } else if window != Window::All && rerated_recently(entry) {
            queue.rerated_recently += 1;
        } else {
            queue.due.push(entry);
        }
    }
    queue.due.sort_by_key(|e| e.started);
    queue
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: &str = "2026-12-02T12:00:00Z";

    fn now() -> Timestamp {
        NOW.parse().unwrap()
    }

    fn days_ago(days: i64, thought: &str) -> Entry {
        let mut e = Entry::new(now() - SignedDuration::from_hours(24 * days));
        e.status = Status::Complete;
        e.thought = thought.into();
        e
    }

    fn thoughts(queue: &Queue) -> Vec<String> {
        queue.due.iter().map(|e| e.thought.clone()).collect()
    }

    #[test]
    fn by_default_entries_from_five_to_fourteen_days_ago_are_due_oldest_first() {
        let entries = [
            days_ago(6, "six"),
            days_ago(2, "two"),
            days_ago(14, "fourteen"),
            days_ago(20, "twenty"),
            days_ago(5, "five"),
            days_ago(3, "three"),
        ];
        let q = queue(&entries, &[], Window::Default, now());
        assert_eq!(thoughts(&q), ["fourteen", "six", "five"]);
        assert_eq!((q.reviewable, q.too_recent, q.older), (6, 2, 1));
        assert_eq!(q.next_in_days, Some(2));
    }

    #[test]
    fn unfinished_and_safety_stopped_entries_are_never_asked_about() {
        let mut unfinished = days_ago(7, "unfinished");
        unfinished.status = Status::Unfinished;
        let mut stopped = days_ago(7, "stopped");
        stopped.safety_stop = true;
        let entries = [unfinished, stopped, days_ago(7, "")];
        let q = queue(&entries, &[], Window::All, now());
        assert!(q.due.is_empty(), "{q:?}");
        assert_eq!(q.reviewable, 0);
    }

    #[test]
    fn an_entry_re_rated_in_the_last_week_is_left_out_unless_all_are_asked_for() {
        let entries = [days_ago(10, "ten"), days_ago(8, "eight")];
        let rated = |days: i64| {
            Rerating::new(
                &entries[0],
                now() - SignedDuration::from_hours(24 * days),
                50,
            )
        };
        let q = queue(&entries, &[rated(3)], Window::Default, now());
        assert_eq!(thoughts(&q), ["eight"]);
        assert_eq!(q.rerated_recently, 1);
        // A week on, it is asked about again.
        let q = queue(&entries, &[rated(8)], Window::Default, now());
        assert_eq!(thoughts(&q), ["ten", "eight"]);
        let q = queue(&entries, &[rated(3)], Window::All, now());
        assert_eq!(thoughts(&q), ["ten", "eight"]);
    }

    #[test]
    fn since_takes_every_entry_from_that_time_however_recent() {
        let entries = [
            days_ago(30, "thirty"),
            days_ago(20, "twenty"),
            days_ago(1, "one"),
        ];
        let since = now() - SignedDuration::from_hours(24 * 25);
        let q = queue(&entries, &[], Window::Since(since), now());
        assert_eq!(thoughts(&q), ["twenty", "one"]);
        assert_eq!((q.older, q.too_recent), (1, 0));
    }
}
