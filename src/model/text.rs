//! Text as the rules build it: a sentence whose parts keep their kind, so no renderer repairs a
//! finished sentence. A finding's message may have a *head* (what its check's summary says, e.g.
//! "codex is not logged in for bob (listener pid 42)") before its details; a long list of
//! directories (a PATH) stays a part of its own that the human renderer shortens. JSON and `-v`
//! get the whole text.

use serde::{Serialize, Serializer};
use std::fmt;
use std::ops::Deref;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Words(String),
    /// A PATH-like list (`/a:/b:/c`): whole in JSON and with -v, shortened for a person.
    Dirs(String),
    /// A library's own words (" (error sending request …: os error 111)"): in JSON and with -v
    /// only; the plain words before it say the same for a person.
    Raw(String),
}

/// A sentence in typed parts; reads as its whole text (`Deref<Target = str>`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text {
    head: Option<String>,
    parts: Vec<Part>,
    whole: String,
}

/// A list of more than this many directories is shortened for a person.
const SHORT_AFTER: usize = 4;

impl Text {
    /// `head: details`: the head is what a summary may already have said.
    pub fn headed(head: impl Into<String>, details: impl Into<Text>) -> Self {
        let details = details.into();
        Text {
            head: Some(head.into()),
            parts: details.parts,
            whole: String::new(),
        }
        .rebuilt()
    }

    /// These words after what is there.
    pub fn words(mut self, words: impl Into<String>) -> Self {
        self.parts.push(Part::Words(words.into()));
        self.rebuilt()
    }

    /// These words after what is there, in place.
    pub fn push_words(&mut self, words: impl Into<String>) {
        *self = std::mem::take(self).words(words);
    }

    /// `other`, whole (its head as words), after what is there, in place.
    pub fn push_text(&mut self, other: &Text) {
        let mut me = std::mem::take(self);
        if let Some(h) = &other.head {
            me.parts.push(Part::Words(h.clone()));
            if !other.parts.is_empty() {
                me.parts.push(Part::Words(": ".into()));
            }
        }
        me.parts.extend(other.parts.iter().cloned());
        *self = me.rebuilt();
    }

    /// A library's own words after what is there: in JSON and with -v only.
    pub fn raw(mut self, words: impl Into<String>) -> Self {
        self.parts.push(Part::Raw(words.into()));
        self.rebuilt()
    }

    /// A PATH-like list after what is there.
    pub fn dirs(mut self, list: impl Into<String>) -> Self {
        self.parts.push(Part::Dirs(list.into()));
        self.rebuilt()
    }

    /// What a summary may already have said, when the rule that built this said so.
    pub fn head(&self) -> Option<&str> {
        self.head.as_deref()
    }

    /// The whole text for a person: long lists shortened ("/a:/b:… (5 more)"), a library's
    /// words left out.
    pub fn brief(&self) -> String {
        join(self.head.as_deref(), &self.parts, true)
    }

    /// What follows the head; for a person (long lists shortened, a library's words left out)
    /// unless `whole`.
    pub fn details(&self, whole: bool) -> String {
        join(None, &self.parts, !whole)
    }

    /// Every part through `f` (the engine's sanitising: masks, control characters, a cap).
    pub fn map(self, f: impl Fn(&str) -> String) -> Self {
        Text {
            head: self.head.as_deref().map(&f),
            parts: self
                .parts
                .iter()
                .map(|p| match p {
                    Part::Words(w) => Part::Words(f(w)),
                    Part::Dirs(d) => Part::Dirs(f(d)),
                    Part::Raw(r) => Part::Raw(f(r)),
                })
                .collect(),
            whole: String::new(),
        }
        .rebuilt()
    }

    fn rebuilt(mut self) -> Self {
        self.whole = join(self.head.as_deref(), &self.parts, false);
        self
    }
}

fn join(head: Option<&str>, parts: &[Part], brief: bool) -> String {
    let mut out = String::new();
    if let Some(h) = head {
        out.push_str(h);
        if !parts.is_empty() {
            out.push_str(": ");
        }
    }
    for p in parts {
        match p {
            Part::Words(w) => out.push_str(w),
            Part::Dirs(d) if brief => out.push_str(&shorten(d)),
            Part::Dirs(d) => out.push_str(d),
            Part::Raw(_) if brief => {}
            Part::Raw(r) => out.push_str(r),
        }
    }
    out
}

/// "/a:/b:… (5 more)" for a list of more than `SHORT_AFTER` directories.
fn shorten(list: &str) -> String {
    let dirs: Vec<&str> = list.split(':').collect();
    if dirs.len() <= SHORT_AFTER {
        return list.to_string();
    }
    format!("{}:{}:… ({} more)", dirs[0], dirs[1], dirs.len() - 2)
}

impl From<String> for Text {
    fn from(words: String) -> Self {
        Text::default().words(words)
    }
}

impl From<&str> for Text {
    fn from(words: &str) -> Self {
        Text::default().words(words)
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.whole
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.whole)
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.whole == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.whole == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        &self.whole == other
    }
}

super::schema::string_schema!(Text);

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.whole)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_text_joins_the_head_and_keeps_every_directory() {
        let t = Text::headed("codex is not logged in for bob", "no credential file");
        assert_eq!(t, "codex is not logged in for bob: no credential file");
        assert_eq!(t.head(), Some("codex is not logged in for bob"));
        assert_eq!(t.details(true), "no credential file");
        let t = Text::from("codex is not on PATH (")
            .dirs("/a/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
            .words(")");
        assert_eq!(
            t,
            "codex is not on PATH (/a/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin)"
        );
        assert_eq!(
            t.brief(),
            "codex is not on PATH (/a/bin:/usr/local/sbin:… (5 more))"
        );
        assert_eq!(t.head(), None);
        // A short list is left whole; so are words that only look like one.
        assert_eq!(
            Text::from("(").dirs("/a:/b:/c:/d").words(")").brief(),
            "(/a:/b:/c:/d)"
        );
        let words = "/a:/b:/c:/d:/e:/f";
        assert_eq!(Text::from(words).brief(), words);
        // A head with nothing after it is the whole text.
        assert_eq!(Text::headed("only this", Text::default()), "only this");
    }

    #[test]
    fn a_text_pushed_whole_keeps_its_head_and_adds_no_colon_after_a_bare_head() {
        let mut line = Text::from("a; ");
        line.push_text(&Text::headed("codex", Text::default()));
        assert_eq!(line, "a; codex");
        line.push_text(&Text::headed(" b", Text::from("c").dirs("/x:/y")));
        assert_eq!(line, "a; codex b: c/x:/y");
    }

    #[test]
    fn a_librarys_words_are_for_json_and_verbose_only() {
        let t = Text::from("connection refused").raw(" (tcp connect error: os error 111)");
        assert_eq!(t, "connection refused (tcp connect error: os error 111)");
        assert_eq!(t.brief(), "connection refused");
        assert_eq!(
            t.details(true),
            "connection refused (tcp connect error: os error 111)"
        );
        assert_eq!(t.details(false), "connection refused");
    }

    #[test]
    fn map_reaches_every_part_and_json_is_the_whole_text() {
        let t = Text::headed("a secret", Text::from("x ").dirs("/secret:/b"))
            .map(|s| s.replace("secret", "***"));
        assert_eq!(t, "a ***: x /***:/b");
        assert_eq!(t.head(), Some("a ***"));
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"a ***: x /***:/b\"");
    }
}
