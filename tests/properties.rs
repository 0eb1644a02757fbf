//! Hostile input, by property: whatever bytes reach the parsers, the argv matcher, the JWT reader
//! or the redactor, nothing panics, and a secret that went in never comes out. CI runs the default
//! number of cases; `fuzz/run.sh` runs each property for a bounded time with many more.

mod common;

use agent_rooms_doctor::api::envelope;
use agent_rooms_doctor::{checks, install, probes, redact};
use proptest::prelude::*;
use std::path::Path;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(256)
}

/// JSON-ish bytes: mostly valid fragments of the API's shapes, sometimes garbage.
fn jsonish() -> impl Strategy<Value = Vec<u8>> {
    let frag = prop_oneof![
        Just("{".to_string()),
        Just("}".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("\"error\":".to_string()),
        Just("\"code\":".to_string()),
        Just("\"status\":".to_string()),
        Just("\"fields\":".to_string()),
        Just("\"request_id\":".to_string()),
        Just("\"token\":".to_string()),
        Just("\"pid\":".to_string()),
        Just("\"heartbeat_at\":".to_string()),
        Just("\"device_id\":".to_string()),
        Just(",".to_string()),
        Just("null".to_string()),
        Just("1e999".to_string()),
        Just("-1".to_string()),
        Just("18446744073709551616".to_string()),
        Just("\"\\ud800\"".to_string()),
        "\"[a-zA-Z_]{0,12}\"".prop_map(|s| s),
    ];
    prop_oneof![
        prop::collection::vec(frag, 0..40).prop_map(|v| v.concat().into_bytes()),
        prop::collection::vec(any::<u8>(), 0..300),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn envelope_parser_never_panics(bytes in jsonish()) {
        let _ = envelope::parse(&bytes);
    }

    #[test]
    fn file_readers_never_panic(bytes in jsonish()) {
        let read = || probes::files::FileRead::Read { bytes: bytes.clone(), meta: probes::files::FileMeta { size: 0, mode: 0o600, uid: 0, modified: 0 , link_to: None} };
        let p = Path::new("/h/x.json");
        let _ = install::parse::<install::Config>(p, read());
        let _ = install::parse::<install::Device>(p, read());
        if let install::Loaded::Invalid(why) = install::parse::<install::ListenerState>(p, read()) {
            prop_assert!(why.starts_with("/h/x.json "), "names the file: {}", why);
        }
    }

    #[test]
    fn jwt_reader_never_panics(s in "[A-Za-z0-9_.=-]{0,200}", payload in jsonish()) {
        let _ = checks::token::jwt_exp(&s);
        use base64::Engine;
        let b = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&payload);
        let _ = checks::token::jwt_exp(&format!("eyJ0.{b}.sig"));
    }

    #[test]
    fn argv_matcher_never_panics(argv in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..40), 0..12)) {
        let _ = probes::processes::is_listener_argv(&argv);
    }

    /// The contract's rule: agent-rooms as the program, any options, then `watch`: a listener.
    #[test]
    fn argv_matcher_finds_agent_rooms_then_watch(
        dir in "(/[a-z]{1,8}){0,3}",
        name in prop_oneof![Just("agent-rooms"), Just("agent-rooms.js"), Just("agent-rooms.cmd")],
        options in prop::collection::vec("--?[a-z-]{1,8}", 0..4),
        after in prop::collection::vec("[a-z-]{1,8}", 0..4),
    ) {
        let mut argv = vec![format!("{dir}/{name}")];
        argv.extend(options);
        argv.push("watch".into());
        argv.extend(after);
        prop_assert!(probes::processes::is_listener_argv(&argv));
    }

    /// The same under an interpreter: its options, the agent-rooms script, options, `watch`.
    #[test]
    fn argv_matcher_finds_a_script_under_an_interpreter(
        interp in prop_oneof![Just("node"), Just("/usr/bin/node"), Just("bun"), Just("sh"), Just("bash")],
        interp_options in prop::collection::vec("--?[a-z-]{1,8}", 0..3),
        options in prop::collection::vec("--?[a-z-]{1,8}", 0..3),
    ) {
        let mut argv = vec![interp.to_string()];
        argv.extend(interp_options);
        argv.push("/opt/agent-rooms/bin/agent-rooms.js".into());
        argv.extend(options);
        argv.push("watch".into());
        prop_assert!(probes::processes::is_listener_argv(&argv));
    }

    /// Any other program is never a listener, whatever its arguments hold (agent-rooms, watch,
    /// in any order): grep, pagers, editors, other tools, agent-rooms-doctor itself.
    #[test]
    fn argv_matcher_never_takes_another_program(
        program in prop_oneof![Just("grep".to_string()), Just("less".to_string()), Just("tail".to_string()), Just("vim".to_string()), Just("/usr/bin/env".to_string()), Just("sudo".to_string()), Just("agent-rooms-doctor".to_string()), Just("python3".to_string()), "[a-z]{1,10}"],
        words in prop::collection::vec(prop_oneof![Just("agent-rooms".to_string()), Just("/usr/bin/agent-rooms".to_string()), Just("watch".to_string()), "[a-z-]{1,8}"], 0..8),
    ) {
        prop_assume!(!["sh", "bash", "dash", "zsh", "node", "nodejs", "bun", "deno", "cmd"].contains(&program.as_str()));
        let mut argv = vec![program.to_string()];
        argv.extend(words);
        prop_assert!(!probes::processes::is_listener_argv(&argv));
    }

    /// agent-rooms with another subcommand first is not the listener, even with `watch` later.
    #[test]
    fn argv_matcher_wants_watch_as_the_subcommand(
        sub in "[a-vx-z][a-z]{0,8}",
        after in prop::collection::vec("[a-z-]{1,8}", 0..4),
    ) {
        let mut argv = vec!["agent-rooms".to_string(), sub];
        argv.extend(after);
        argv.push("watch".into());
        prop_assert!(!probes::processes::is_listener_argv(&argv));
    }

    /// Any secret the doctor has read, embedded anywhere in any text, never appears in what the
    /// redactor lets out, as it is or URL-encoded. (The surrounding text has no `Z`, so the
    /// mask's own 4-character prefix cannot rebuild the secret with its neighbours.)
    #[test]
    fn a_registered_secret_never_appears(
        body in "[a-zA-Z0-9+/=._~-]{9,40}",
        before in "[a-y0-9 :=/\"{}%+-]{0,40}",
        after in "[a-y0-9 :=/\"{}%+-]{0,40}",
        encode in any::<bool>(),
    ) {
        let secret = format!("Zq9{body}");
        let _ = redact::Secret::new(secret.as_str());
        let shown = if encode {
            url::form_urlencoded::byte_serialize(secret.as_bytes()).collect::<String>()
        } else {
            secret.clone()
        };
        let out = redact::redact_text(&format!("{before}{shown}{after}"));
        prop_assert!(!out.contains(&secret), "{out}");
        prop_assert!(!out.contains(&shown), "{out}");
    }

    /// The same through every format: a registered secret anywhere in a report (a message, a
    /// command, a request id, the facts) never reaches what the output sink writes.
    #[test]
    fn a_registered_secret_never_appears_in_any_format(
        body in "[a-zA-Z0-9+/=._~-]{9,40}",
        before in "[a-y0-9 :=/{}%+-]{0,20}",
        after in "[a-y0-9 :=/{}%+-]{0,20}",
    ) {
        use agent_rooms_doctor::model::outcome::{CheckOutcome, Finding, Status};
use agent_rooms_doctor::model::report::Report;
        use agent_rooms_doctor::output::{Kind, Sink};
        use agent_rooms_doctor::render::{self, Format, Style};
        use std::io::Write;
        let secret = format!("Zq9{body}");
        let _ = redact::Secret::new(secret.as_str());
        let text = format!("{before}{secret}{after}");
        let finding = Finding::new(agent_rooms_doctor::model::catalogue::REVOKED, text.clone())
            .with_commands(vec![agent_rooms_doctor::model::command::cmd(["echo", text.as_str()])
                .on(&agent_rooms_doctor::model::command::Machine::generic())])
            .with_request_id(Some(text.clone()));
        let report = Report::new(
            vec![CheckOutcome {
                id: agent_rooms_doctor::model::CheckId::Token,
                title: "Token".into(),
                status: Status::Fail,
                summary: text.clone().into(),
                duration_ms: std::time::Duration::ZERO,
                facts: agent_rooms_doctor::model::outcome::Facts::of(serde_json::json!({"echo": text, "nested": [{"again": text}]})),
                findings: vec![finding],
                skip_reason: None,
                unconfigured: false,
            }],
            std::time::Duration::ZERO,
            false,
        );
        for format in [Format::Human, Format::Json, Format::Markdown, Format::Junit, Format::Github] {
            let kind = if format == Format::Json { Kind::Json } else { Kind::Text };
            let mut sink = Sink::new(kind);
            sink.write_all(render::render(&report, format, Style { color: false, verbose: true, width: None }).as_bytes()).unwrap();
            let out = sink.redacted();
            prop_assert!(!out.contains(&secret), "{format:?}: {out}");
        }
    }

    #[test]
    fn shebang_reader_never_panics(head in prop::collection::vec(any::<u8>(), 0..256)) {
        let _ = probes::paths::parse_shebang(&head);
    }

    #[test]
    fn redactor_hides_every_secret_it_knows_the_shape_of(
        prefix in prop_oneof![Just("sk-"), Just("sk-ant-"), Just("ghp_"), Just("gho_"), Just("github_pat_"), Just("ar_")],
        body in "[A-Za-z0-9]{12,40}",
        around in "[ a-z:=/]{0,20}",
    ) {
        let secret = format!("{prefix}{body}");
        // A secret stands as a word of its own (after a space, `=`, `:` or `/`); glued to a
        // letter it is not one: `task-manager-2024` must stay readable.
        let text = format!("{around} {secret} {around}");
        let out = redact::redact_text(&text);
        prop_assert!(!out.contains(&body), "{} -> {}", text, out);
        for form in [format!("Authorization: Bearer {body}"), format!("--token {body}"), format!("--token={body}"), format!("MY_TOKEN={body}"), format!("X_API_KEY={body}"), format!("https://u:{body}@h/")] {
            let out = redact::redact_text(&form);
            prop_assert!(!out.contains(&body), "{} -> {}", form, out);
        }
    }

    #[test]
    fn redactor_never_panics_and_leaves_plain_ids(s in "\\PC{0,200}", id in "(agt|dev|own)_[a-z0-9]{4,20}") {
        let _ = redact::redact_text(&s);
        prop_assert_eq!(redact::redact_text(&id), id);
    }
}

/// Words a shell would take apart: quotes, `$()`, backticks, `;`, `&&`, newlines, spaces, a
/// leading `-`, control characters, and any Unicode.
fn shell_hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{0,16}",
        "[\\x01-\\x1f\\x7f'\"$`\\\\;&|<>(){}*?~#!^=%, \n\t-]{0,16}",
        any::<String>().prop_map(|s| s.replace('\0', "")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    /// Issue 24: a registered secret at any offset in outside text, the text cut at every
    /// length and wrapped at any width, never shows more than 4 characters of itself (its
    /// mask's prefix): it is masked whole before any cut.
    #[test]
    fn no_secret_survives_a_cut_or_a_wrap(
        secret in "[A-Za-z0-9]{12,40}",
        before in "[ -~]{0,120}",
        after in "[ -~]{0,120}",
        width in 10usize..100,
    ) {
        let _ = redact::Secret::new(secret.as_str());
        let text = format!("{before}{secret}{after}");
        let windows: Vec<&str> = (0..=secret.len() - 5).map(|i| &secret[i..i + 5]).collect();
        for cap in 1..=text.chars().count() + 1 {
            let out = agent_rooms_doctor::sanitize::outside(&text, cap);
            let wrapped = textwrap::fill(&out, width);
            for w in &windows {
                prop_assert!(!out.contains(w), "cap {}: {}", cap, out);
                // A wrap never joins what the mask split; a window across a line break is not
                // on the terminal as one word either, but check the text without the breaks.
                prop_assert!(!wrapped.replace('\n', " ").contains(w), "width {}: {}", width, wrapped);
            }
        }
    }

    /// Issue 22: a printed command, parsed back by a real shell, is exactly its argument list
    /// (and, through `su -c '…'`, the inner line is one word that parses back the same).
    #[test]
    fn a_printed_command_is_exactly_its_argument_list_to_sh(
        program in shell_hostile(),
        args in prop::collection::vec(shell_hostile(), 0..4),
        value in shell_hostile(),
    ) {
        use agent_rooms_doctor::model::command::{cmd, Elevation, Machine};
        let argv: Vec<String> = std::iter::once(format!("p{program}")).chain(args).collect();
        let plain = cmd(argv.clone()).env("PM2_HOME", value.clone()).on(&Machine::generic());
        let mut want = vec!["env".to_string(), format!("PM2_HOME={value}")];
        want.extend(argv.clone());
        for shell in ["/bin/sh", "/bin/bash"] {
            prop_assert_eq!(common::words_by_sh(shell, &plain.line), want.clone(), "{}", plain.line);
        }
        // As another user on a machine without sudo nor runuser: su - bob -c 'LINE'.
        let su = cmd(argv.clone())
            .as_user("bob", 4242)
            .on(&Machine::new(1000, &Elevation::default()));
        let words = common::words_by_sh("/bin/sh", &su.line);
        prop_assert_eq!(&words[..4], &["su", "-", "bob", "-c"]);
        prop_assert_eq!(common::words_by_sh("/bin/sh", &words[4]), argv);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    /// Issue 39: a path holding bytes that are not UTF-8 (`h\xff\xfe-home`) was printed with
    /// U+FFFD in their place, so the pasted line named another file. A word made from any bytes,
    /// printed and parsed back by a real shell (and through `su -c '…'`), is those bytes.
    #[test]
    fn a_printed_path_of_any_bytes_is_those_bytes_to_sh(
        words in prop::collection::vec(prop::collection::vec(1u8..=255, 0..12), 1..4),
    ) {
        use agent_rooms_doctor::model::command::{cmd, word_of_bytes, Elevation, Machine};
        let argv: Vec<String> = std::iter::once("p".to_string())
            .chain(words.iter().map(|w| word_of_bytes(w)))
            .collect();
        let want: Vec<Vec<u8>> = std::iter::once(b"p".to_vec()).chain(words.clone()).collect();
        let plain = cmd(argv.clone()).on(&Machine::generic());
        for shell in ["/bin/sh", "/bin/bash"] {
            prop_assert_eq!(common::byte_words_by_sh(shell, &plain.line), want.clone(), "{}", plain.line);
        }
        let su = cmd(argv).as_user("bob", 4242).on(&Machine::new(1000, &Elevation::default()));
        let outer = common::byte_words_by_sh("/bin/sh", &su.line);
        let inner = String::from_utf8(outer[4].clone()).expect("the inner line is UTF-8");
        prop_assert_eq!(common::byte_words_by_sh("/bin/sh", &inner), want);
    }
}
