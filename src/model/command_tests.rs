//! Unit tests of `command` (a file of their own: the module is long enough).

use super::*;

#[test]
fn the_plain_fallback_quotes_a_quote_as_sh_reads_it() {
    // Only reached if shlex refuses a word (it refuses NUL, which `quote` never hands it).
    assert_eq!(quote_plain("it's"), r"'it'\''s'");
    assert_eq!(quote_plain(""), "''");
}

fn posix(uid: u32, sudo: bool, runuser: bool) -> Machine {
    Machine {
        uid,
        elevation: Elevation {
            sudo,
            runuser,
            runuser_at: None,
            windows: false,
            doctor_at: None,
        },
    }
}

#[test]
fn words_are_quoted_only_where_they_need_it() {
    assert_eq!(quote("pm2"), "pm2");
    assert_eq!(quote("/usr/local/bin"), "/usr/local/bin");
    assert_eq!(quote(""), "''");
    assert_eq!(quote("a b"), "'a b'");
    assert_eq!(quote("/tmp/h;touch x"), "'/tmp/h;touch x'");
    assert_eq!(quote("$(id)"), "'$(id)'");
    assert_eq!(quote("a\u{1b}[31mb"), "a\"$(printf '\\033')\"'[31mb'");
    // A bidirectional override and a non-character are shown as what they are.
    assert_eq!(
        quote("a\u{202e}b\u{ffff}"),
        "a\"$(printf '\\342\\200\\256')\"b\"$(printf '\\357\\277\\277')\""
    );
    // A newline on its own in double quotes: the next line starts with a quote.
    assert_eq!(quote("a b\n::error::x"), "'a b'\"\n\"::error::x");
    assert!(!quote("x\u{9b}y").contains('\u{9b}'));
}

#[test]
fn a_command_runs_as_its_user_the_way_the_machine_allows() {
    let c = |who: RunAs| {
        cmd(["pm2", "restart", "ar listen", "--update-env"])
            .env("PM2_HOME", "/srv/pm 2")
            .run_as(who)
    };
    let bob = RunAs::User {
        name: "bob".into(),
        uid: 1001,
    };
    let body = "env PM2_HOME='/srv/pm 2' pm2 restart 'ar listen' --update-env";
    assert_eq!(c(RunAs::Me).on(&posix(1000, true, true)).line, body);
    assert_eq!(c(bob.clone()).on(&posix(1001, false, false)).line, body);
    assert_eq!(
        c(bob.clone()).on(&posix(0, true, true)).line,
        format!("runuser -u bob -- {body}")
    );
    assert_eq!(
        c(bob.clone()).on(&posix(0, true, false)).line,
        format!("sudo -u bob -H {body}")
    );
    assert_eq!(
        c(bob.clone()).on(&posix(1000, false, true)).line,
        format!("su - bob -c {}", quote(body))
    );
    assert_eq!(
        c(RunAs::Root).on(&posix(1000, true, false)).line,
        format!("sudo {body}")
    );
    assert_eq!(c(RunAs::Root).on(&posix(0, false, false)).line, body);
    assert_eq!(
        c(RunAs::Root).on(&posix(1000, false, false)).line,
        format!("su -c {}", quote(body))
    );
}

#[test]
fn what_cannot_be_run_is_only_shown() {
    let m = posix(0, false, true);
    assert_eq!(cmd(["a\0b"]).safe().on(&m).fix, Fix::Shown);
    assert_eq!(
        cmd(["/x=y/codex"]).env("A", "1").safe().on(&m).fix,
        Fix::Shown
    );
    assert_eq!(cmd(["/x=y/codex"]).safe().on(&m).fix, Fix::Safe);
    assert_eq!(cmd(Vec::<String>::new()).safe().on(&m).fix, Fix::Shown);
}

fn windows(uid: u32) -> Machine {
    Machine::new(
        uid,
        &Elevation {
            windows: true,
            ..Elevation::default()
        },
    )
}

#[test]
fn windows_gets_powershell() {
    let m = windows(1);
    assert_eq!(cmd(["nssm", "restart", "ar"]).on(&m), "nssm restart ar");
    assert_eq!(
        cmd(["taskkill", "/PID", "4242"]).on(&m),
        "taskkill /PID 4242"
    );
    assert_eq!(
        cmd(["pm2", "restart", "ar listen", "--update-env"]).on(&m),
        "pm2 restart 'ar listen' --update-env"
    );
    assert_eq!(
        cmd(["C:\\Program Files\\nodejs\\node.exe", "it's"])
            .env("PATH", "C:\\x;C:\\Program Files\\nodejs")
            .on(&m),
        "$env:PATH = 'C:\\x;C:\\Program Files\\nodejs'; & 'C:\\Program Files\\nodejs\\node.exe' 'it''s'"
    );
    assert_eq!(
        cmd(["setx", "PATH", "C:\\nodejs;C:\\Windows"]).on(&m),
        "setx PATH 'C:\\nodejs;C:\\Windows'"
    );
    assert_eq!(
        cmd(["schtasks", "/Run", "/TN", "\\agent rooms"]).on(&m),
        "schtasks /Run /TN '\\agent rooms'"
    );
}

#[test]
fn powershell_reads_back_exactly_the_words() {
    let m = windows(1);
    // What PowerShell would expand, split or take as an operator is quoted.
    for w in [
        "$env:X", "a;b", "a`b", "@(1)", "--%", "a|b", "(x)", "{x}", "a,b", "#c", "", "~",
    ] {
        assert!(
            cmd(["p", w]).on(&m).line.ends_with(&format!(" '{w}'")),
            "{w:?}"
        );
    }
    // A word PowerShell would read as a number of another text is quoted; digits alone are not.
    for w in ["1e5", "0x1F", "10mb", "1.50", "-0x10", ".5"] {
        assert_eq!(cmd(["p", w]).on(&m).line, format!("p '{w}'"), "{w:?}");
    }
    assert_eq!(
        cmd(["taskkill", "/PID", "4242", "/F"]).on(&m),
        "taskkill /PID 4242 /F"
    );
    assert_eq!(
        cmd(["p", "-1", "v1.2", "./x", "..\\y"]).on(&m),
        "p -1 v1.2 ./x ..\\y"
    );
    // PowerShell takes the typographic quotes for `'` too: each is doubled.
    assert_eq!(cmd(["p", "a\u{2019}b"]).on(&m), "p 'a\u{2019}\u{2019}b'");
    // A control character is joined in by its code, never written raw.
    assert_eq!(
        cmd(["p", "a\u{1b}[31mb"]).on(&m),
        "p ('a' + [char]0x1B + '[31mb')"
    );
    assert_eq!(cmd(["p", "\nx"]).on(&m), "p ('' + [char]0xA + 'x')");
    assert_eq!(
        cmd(["p"]).env("X", "\u{202e}").on(&m),
        "$env:X = ('' + [char]0x202E); p"
    );
    // A quoted program is called with `&`.
    assert_eq!(cmd(["$x"]).on(&m), "& '$x'");
}

#[test]
fn on_windows_whom_it_runs_as_is_said_after_the_line() {
    let m = windows(1);
    let c = || cmd(["nssm", "restart", "agent-rooms"]);
    assert_eq!(c().on(&m), "nssm restart agent-rooms");
    assert_eq!(
        c().as_root().on(&m),
        "nssm restart agent-rooms    # in an administrator PowerShell"
    );
    assert_eq!(c().as_user("me", 1).on(&m), "nssm restart agent-rooms");
    assert_eq!(
        c().as_user("bob", 7).on(&m),
        "nssm restart agent-rooms    # as bob: runas /user:bob powershell"
    );
    // A name that would end the comment is not printed.
    assert_eq!(
        c().as_user("bob\nRemove-Item x", 7).on(&m),
        "nssm restart agent-rooms    # as the user with id 7"
    );
}

#[test]
fn the_json_has_the_structure() {
    let c = cmd(["chmod", "600", "/h/config.json"])
        .as_user("bob", 1001)
        .safe()
        .on(&posix(0, false, true));
    let v = serde_json::to_value(&c).unwrap();
    assert_eq!(
        v,
        serde_json::json!({"argv": ["chmod", "600", "/h/config.json"],
            "run_as": {"user": {"name": "bob", "uid": 1001}}, "fix": "safe"})
    );
    let back: Command = serde_json::from_value(v).unwrap();
    assert_eq!(back.argv, c.argv);
}

#[test]
fn runuser_is_printed_by_its_path_where_a_plain_shell_would_not_find_it() {
    use std::path::Path;
    // Printed for a Unix machine, wherever the test runs.
    let here = |p: &str| Elevation {
        windows: false,
        ..Elevation::here(false, Some(Path::new(p)))
    };
    // Debian and Fedora keep it in /usr/sbin (or /sbin), which `PATH=/usr/bin:/bin` lacks.
    assert_eq!(
        here("/usr/sbin/runuser").runuser_at.as_deref(),
        Some("/usr/sbin/runuser")
    );
    assert_eq!(
        here("/sbin/runuser").runuser_at.as_deref(),
        Some("/sbin/runuser")
    );
    assert_eq!(here("/usr/bin/runuser").runuser_at, None);
    assert_eq!(here("/bin/runuser").runuser_at, None);
    assert!(!Elevation::here(true, None).runuser);
    let c = || cmd(["chmod", "600", "/h/c.json"]).as_user("bob", 1001);
    let m = Machine::new(0, &here("/usr/sbin/runuser"));
    assert_eq!(
        c().on(&m),
        "/usr/sbin/runuser -u bob -- chmod 600 /h/c.json"
    );
    let m = Machine::new(0, &here("/usr/bin/runuser"));
    assert_eq!(c().on(&m), "runuser -u bob -- chmod 600 /h/c.json");
    // An odd directory is quoted like any word.
    let m = Machine::new(0, &here("/opt/my tools/runuser"));
    assert_eq!(
        c().on(&m),
        "'/opt/my tools/runuser' -u bob -- chmod 600 /h/c.json"
    );
}

#[test]
fn the_doctor_is_printed_by_its_path_where_another_users_shell_would_not_find_it() {
    let at = |p: &str| {
        Elevation::default()
            .with_doctor(Some(std::path::Path::new(p)))
            .doctor_at
    };
    assert_eq!(
        at("/root/.cargo/bin/agent-rooms-doctor").as_deref(),
        Some("/root/.cargo/bin/agent-rooms-doctor")
    );
    assert_eq!(at("/usr/local/bin/agent-rooms-doctor"), None);
    assert_eq!(at("/usr/bin/agent-rooms-doctor"), None);
    let m = Machine::new(
        0,
        &Elevation {
            runuser: true,
            doctor_at: Some("/opt/ard/agent-rooms-doctor".into()),
            ..Elevation::default()
        },
    );
    assert_eq!(
        super::doctor(&m, &["host"]).as_user("bob", 1001).on(&m),
        "runuser -u bob -- /opt/ard/agent-rooms-doctor host"
    );
}
