//! Text from outside (API messages and headers, file contents, argv, a host CLI's output) is
//! data, not markup. `outside` is applied where such text enters the doctor's model, so no format
//! has to remember it: escape sequences and control characters are removed (ordinary Unicode
//! stays), characters XML 1.0 forbids are dropped, every secret is masked whole, and only then is
//! the length capped with an ellipsis; the text cannot begin a CI workflow command (`::error …`).

/// `text` as data: one line, no escape sequence or control character, at most `cap` characters.
pub fn outside(text: &str, cap: usize) -> String {
    let mut out = String::with_capacity(text.len().min(cap.saturating_mul(4)));
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // ESC: drop the whole sequence (CSI `ESC [ … final`, OSC `ESC ] … BEL|ESC \`, or a
            // two-character `ESC x`).
            '\u{1b}' => match chars.next() {
                Some('[') => {
                    for n in chars.by_ref() {
                        if ('\u{40}'..='\u{7e}').contains(&n) {
                            break;
                        }
                    }
                }
                Some(']') | Some('P') | Some('_') | Some('^') => {
                    while let Some(n) = chars.next() {
                        if n == '\u{7}' || (n == '\u{1b}' && chars.next_if_eq(&'\\').is_some()) {
                            break;
                        }
                    }
                }
                _ => {}
            },
            // CSI as one C1 character.
            '\u{9b}' => {
                for n in chars.by_ref() {
                    if ('\u{40}'..='\u{7e}').contains(&n) {
                        break;
                    }
                }
            }
            // Line breaks and tabs become spaces: a message is one line.
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            // Not characters in XML 1.0, and never text anyway.
            '\u{fffe}' | '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    // Masked whole, before any cut: a cut secret no longer matches what would mask it.
    let mut out = crate::redact::redact_text(&out);
    if out.starts_with("::") {
        out.replace_range(..2, ": :");
    }
    if out.chars().count() > cap {
        out = out.chars().take(cap.saturating_sub(1)).collect::<String>() + "…";
    }
    out
}

/// `v` as pretty JSON with nothing a terminal acts on: serde_json writes DEL, the C1 controls
/// and the non-characters raw; outside strings JSON has none of them, so each is written as its
/// `\uXXXX` escape — the same document, the same strings (a command's argv stays exact).
pub fn pretty_json(v: &serde_json::Value) -> String {
    let text = serde_json::to_string_pretty(v).unwrap_or_default();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if (c.is_control() && c != '\n') || c == '\u{fffe}' || c == '\u{ffff}' {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Every string inside a JSON value, as data (`cap` characters each).
pub fn outside_json(v: &mut serde_json::Value, cap: usize) {
    match v {
        serde_json::Value::String(s) => *s = outside(s, cap),
        serde_json::Value::Array(a) => a.iter_mut().for_each(|x| outside_json(x, cap)),
        serde_json::Value::Object(o) => o.values_mut().for_each(|x| outside_json(x, cap)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_string_in_json_is_cleaned_at_any_depth() {
        let mut v = serde_json::json!({
            "top": "a\u{1b}[31mred",
            "list": ["b\u{7}bell", {"deep": "c\u{1b}]0;title\u{7}d"}],
            "n": 5,
            "t": true
        });
        outside_json(&mut v, 100);
        assert_eq!(
            v,
            serde_json::json!({"top": "ared", "list": ["bbell", {"deep": "cd"}], "n": 5, "t": true})
        );
    }

    #[test]
    fn escapes_and_controls_are_removed_and_unicode_stays() {
        let rows = [
            ("plain text", "plain text"),
            ("\u{1b}[31mred\u{1b}[0m", "red"),
            ("\u{1b}[2J\u{1b}[1;1Hcleared", "cleared"),
            ("\u{1b}]0;title\u{7}after", "after"),
            ("\u{1b}]8;;http://x\u{1b}\\link\u{1b}]8;;\u{1b}\\", "link"),
            ("\u{9b}31mC1", "C1"),
            ("bell\u{7} nul\u{0} del\u{7f}", "bell nul del"),
            ("two\nlines\r\nand\ttab", "two lines  and tab"),
            ("bad\u{fffe}\u{ffff}xml", "badxml"),
            ("naïve ✓ 日本語 – ok", "naïve ✓ 日本語 – ok"),
            ("::error::pwned", ": :error::pwned"),
            ("\u{1b}", ""),
            ("\u{1b}[", ""),
        ];
        for (input, want) in rows {
            assert_eq!(outside(input, 1000), want, "{input:?}");
        }
    }

    #[test]
    fn length_is_capped_with_an_ellipsis() {
        assert_eq!(outside("abcdef", 4), "abc…");
        assert_eq!(outside("abcd", 4), "abcd");
        assert_eq!(outside("日本語テキスト", 3).chars().count(), 3);
    }
}
