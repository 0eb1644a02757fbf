use super::*;

#[test]
fn a_fork_that_has_not_execd_yet_is_the_listener_itself() {
    // 10 listener → 11 its fork (same argv, before exec); 20 sudo wrapper → 21 listener.
    let parent: HashMap<u32, u32> = [(11, 10), (21, 20)].into_iter().collect();
    let same = |a: u32, b: u32| (a, b) == (11, 10);
    assert_eq!(
        transient_forks_dropped(&[10, 11, 20, 21], &parent, same),
        vec![10, 20, 21]
    );
    // A child with another command line stays (the wrapper rule decides about it).
    assert_eq!(
        transient_forks_dropped(&[10, 11], &parent, |_, _| false),
        vec![10, 11]
    );
}

#[test]
fn wrappers_fold_into_the_listener_they_started() {
    // 10 sudo → 11 sh (no match) → 12 agent-rooms ; 20 another listener
    let parent: HashMap<u32, u32> = [(10, 1), (11, 10), (12, 11), (20, 1)].into_iter().collect();
    let got = fold_wrappers(&[10, 12, 20], &[], &parent);
    assert_eq!(got, vec![(12, vec![10]), (20, vec![])]);
    // A parent loop does not hang.
    let looped: HashMap<u32, u32> = [(1, 2), (2, 1)].into_iter().collect();
    assert_eq!(fold_wrappers(&[1, 2], &[], &looped), vec![]);
    // A process that is its own parent (a broken table) is not its own wrapper.
    let own: HashMap<u32, u32> = [(5, 5)].into_iter().collect();
    assert_eq!(fold_wrappers(&[5], &[], &own), vec![(5, vec![])]);
    // Nor is pid 0 (the kernel's scheduler as a parent) anyone's wrapper.
    let to_zero: HashMap<u32, u32> = [(7, 0)].into_iter().collect();
    assert_eq!(fold_wrappers(&[7], &[0], &to_zero), vec![(7, vec![])]);
    // A sudo that started listener 12 is named as its wrapper, not counted.
    let parent: HashMap<u32, u32> = [(12, 11), (11, 1)].into_iter().collect();
    assert_eq!(fold_wrappers(&[12], &[11], &parent), vec![(12, vec![11])]);
    assert!(runs_listener_as_child(&[
        "sudo",
        "-u",
        "alice",
        "agent-rooms",
        "watch"
    ]));
    assert!(runs_listener_as_child(&[
        "runuser",
        "-u",
        "b",
        "--",
        "sh",
        "/x/agent-rooms",
        "watch"
    ]));
    assert!(!runs_listener_as_child(&["sudo", "agent-rooms", "login"]));
    assert!(!runs_listener_as_child(&["agent-rooms", "watch"]));
}

#[test]
fn env_keeps_names_of_keys_never_values() {
    let e = ProcessEnv::from_pairs(
        [
            ("PATH", "/bin"),
            ("OPENAI_API_KEY", "sk-secret"),
            ("AGENT_ROOMS_TOKEN", "ar_x"),
            ("EMPTY_KEY", ""),
        ]
        .into_iter(),
        &Wanted {
            keys: &["OPENAI_API_KEY", "EMPTY_KEY"],
            dirs: &["CODEX_HOME"],
        },
    );
    assert_eq!(e.keys_present, vec!["OPENAI_API_KEY"]);
    assert_eq!(e.dirs.0, vec![("CODEX_HOME".to_string(), None)]);
    let json = serde_json::to_string(&e).unwrap();
    assert!(
        !json.contains("sk-secret") && !json.contains("ar_x"),
        "{json}"
    );
}

// a `/bin/sh` listener: Unix only (the Windows unit tests run on GitHub and under Wine).
#[cfg(unix)]
#[test]
fn scan_finds_a_real_listener() {
    let d = tempfile::tempdir().unwrap();
    let bin = d.path().join("agent-rooms");
    std::fs::write(&bin, "#!/bin/sh\nsleep 30\n").unwrap();
    let mut c = std::process::Command::new("/bin/sh")
        .arg(&bin)
        .arg("watch")
        .arg("--token")
        .arg("ar_secretsecret123")
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(100));
    let s = scan(&Wanted::default());
    let _ = c.kill();
    let _ = c.wait();
    let l = s
        .listeners
        .iter()
        .find(|l| l.pid == c.id())
        .expect("the listener is found");
    assert!(
        l.argv.contains("watch") && !l.argv.contains("secretsecret"),
        "{}",
        l.argv
    );
    assert!(matches!(l.env, EnvRead::Readable(_)));
    assert!(s.processes_seen > 0 && s.error.is_none());
}

/// LISTENER_OUTDATED's boundary: a program modified after its process started, at the precision
/// start times are known to (a tick on Linux: 10 ms at 100 Hz, plus a millisecond).
#[test]
fn a_program_modified_after_its_start_is_told_to_the_tick() {
    let start = 1_795_608_000_000;
    let tick = 11;
    let rows: &[(i64, bool)] = &[
        (-1000, false), // written a second before it started
        (0, false),
        (5, false), // within a tick: not known to be later
        (11, false),
        (12, true),
        (50, true), // 0.05 s after the start
        (500, true),
        (1200, true), // 1.2 s: the old 2 s margin missed it
    ];
    for (after_ms, outdated) in rows {
        let modified = (start as i64 + after_ms) as u64;
        assert_eq!(
            modified_after_start(modified, start, tick),
            *outdated,
            "{after_ms} ms after the start"
        );
    }
    // Elsewhere start times are whole seconds: the margin is a second.
    assert!(!modified_after_start(start + 999, start, 1000));
    assert!(modified_after_start(start + 1001, start, 1000));
}

#[cfg(target_os = "linux")]
#[test]
fn this_processs_start_is_known_to_the_tick() {
    let t = super::table::Table::read().unwrap();
    let p = t.get(std::process::id()).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    // Started before now, within the hour, and its seconds agree with its milliseconds.
    assert!(p.start_ms <= now && p.start_ms + 3_600_000 > now, "{p:?}");
    assert_eq!(p.start_time, p.start_ms / 1000);
    assert!(super::table::start_precision_ms() <= 1001);
}
