//! The fleet examples under `examples/` (docs/GUIDE.md "For fleets"), held by the real tools: systemd's
//! own `systemd-analyze verify` reads the timer and service, the service's `ExecStart` and the
//! cron line run as written (only the binary's and the textfile directory's paths swapped for the
//! test's) and the real node_exporter reads what they write, and the real `promtool` loads the
//! alerting rules and tests them against the doctor's own series of a failing and a passing run.

mod common;

use common::api::Api;
use common::prom::{self, NodeExporter, Series};
use common::{prerequisite, Fixture};
use std::path::{Path, PathBuf};

const BIN: &str = "/usr/bin/agent-rooms-doctor";
const TEXTFILES: &str = "/var/lib/prometheus/node-exporter";

fn example(rel: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples")
            .join(rel),
    )
    .unwrap()
}

fn doctor() -> String {
    assert_cmd::cargo::cargo_bin("agent-rooms-doctor")
        .display()
        .to_string()
}

fn me() -> String {
    let out = std::process::Command::new("id")
        .arg("-un")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Run an example's command line (its words, with the binary and the textfile directory made
/// the test's) as the fixture's environment would; it must end as the unit or cron accepts
/// (0, or 1 for a run that found a failing check) and write one file node_exporter reads.
fn runs_and_is_scraped(f: &Fixture, words: &[String], textfiles: &Path, what: &str) {
    let exporter = NodeExporter::start(textfiles);
    let words: Vec<String> = words
        .iter()
        .map(|w| {
            w.replace(BIN, &doctor())
                .replace(TEXTFILES, &textfiles.display().to_string())
        })
        .collect();
    let out = std::process::Command::new(&words[0])
        .args(&words[1..])
        .env_clear()
        .env("HOME", &f.home)
        .env("PATH", "/usr/bin:/bin")
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{what}: {}",
        common::all_text(&out)
    );
    assert!(
        out.stdout.is_empty(),
        "{what} printed: {}",
        common::all_text(&out)
    );
    let files: Vec<PathBuf> = std::fs::read_dir(textfiles)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{what}: {files:?}");
    assert_eq!(files[0].extension().unwrap(), "prom", "{what}");
    if let Some(exporter) = exporter {
        let scraped = prom::parse(&exporter.scrape());
        assert_eq!(
            prom::value(&scraped, "node_textfile_scrape_error", &[]).as_deref(),
            Some("0")
        );
        assert!(
            prom::value(&scraped, "agent_rooms_doctor_ok", &[]).is_some(),
            "{what}: node_exporter serves the doctor's series"
        );
    }
}

#[test]
fn systemd_verifies_the_timer_and_service_and_the_service_runs_as_written() {
    let service = example("systemd/agent-rooms-doctor@.service");
    let timer = example("systemd/agent-rooms-doctor@.timer");
    let user = me();
    if let Some(analyze) = prerequisite("systemd-analyze (systemd)", which("systemd-analyze")) {
        // A copy whose ExecStart names the built binary: verify checks that it is executable.
        let units = tempfile::tempdir().unwrap();
        std::fs::write(
            units.path().join("agent-rooms-doctor@.service"),
            service.replace(BIN, &doctor()),
        )
        .unwrap();
        std::fs::write(units.path().join("agent-rooms-doctor@.timer"), &timer).unwrap();
        let out = std::process::Command::new(analyze)
            .current_dir(units.path())
            // The man page is installed with the package, not on the test machine.
            .args(["verify", "--man=no"])
            .arg(format!("./agent-rooms-doctor@{user}.service"))
            .arg(format!("./agent-rooms-doctor@{user}.timer"))
            .output()
            .unwrap();
        // verify exits 0 on a value it ignores: anything it says is a failure here.
        assert!(
            out.status.success() && out.stderr.is_empty() && out.stdout.is_empty(),
            "systemd-analyze verify: {}",
            common::all_text(&out)
        );
    }
    // What systemd would run: ExecStart with %i the instance (no quoting in it to interpret).
    let exec = service
        .lines()
        .find_map(|l| l.strip_prefix("ExecStart="))
        .expect("an ExecStart line");
    assert!(!exec.contains(['"', '\'', '\\', '$']), "{exec}");
    let words: Vec<String> = exec
        .replace("%i", &user)
        .split_whitespace()
        .map(str::to_string)
        .collect();
    assert!(service.contains("SuccessExitStatus=1"));
    assert!(timer.contains("OnUnitActiveSec="));
    let textfiles = tempfile::tempdir().unwrap();
    runs_and_is_scraped(
        &Fixture::new(),
        &words,
        textfiles.path(),
        "the service's ExecStart",
    );
}

#[test]
fn the_cron_line_runs_as_written() {
    let cron = example("cron/agent-rooms-doctor");
    let lines: Vec<&str> = cron
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .collect();
    assert_eq!(lines.len(), 1, "{cron}");
    // /etc/cron.d: five time fields, the user, then a command for sh.
    let fields: Vec<&str> = lines[0].splitn(7, ' ').collect();
    assert_eq!(fields.len(), 7, "{}", lines[0]);
    assert_eq!(fields[..5], ["*/5", "*", "*", "*", "*"]);
    assert_eq!(fields[5], "alice");
    let words = common::words_by_sh("/bin/sh", fields[6]);
    let textfiles = tempfile::tempdir().unwrap();
    runs_and_is_scraped(&Fixture::new(), &words, textfiles.path(), "the cron line");
}

/// A series as a PromQL selector, with the labels a scrape adds.
fn selector(s: &Series) -> String {
    let mut labels: Vec<String> = s
        .labels
        .iter()
        .map(|(k, v)| {
            let v = v
                .replace('\\', "\\\\")
                .replace('"', "\\\"")
                .replace('\n', "\\n");
            format!("{k}=\"{v}\"")
        })
        .collect();
    labels.push("instance=\"box1:9100\"".into());
    labels.push("job=\"node\"".into());
    format!("{}{{{}}}", s.name, labels.join(","))
}

/// The doctor's series of one run, with `--format prometheus`.
fn series(f: &Fixture, args: &[&str], want: i32) -> Vec<Series> {
    let out = f
        .doctor()
        .args(args)
        .args(["--format", "prometheus"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(want), "{}", common::all_text(&out));
    prom::parse(&String::from_utf8_lossy(&out.stdout))
}

#[test]
fn promtool_loads_the_alerting_rules_and_they_fire_on_a_failing_run_only() {
    let Some(promtool) = prom::promtool() else {
        return;
    };
    let rules = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/prometheus/agent-rooms-doctor.rules.yml");
    let out = std::process::Command::new(&promtool)
        .args(["check", "rules"])
        .arg(&rules)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", common::all_text(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("SUCCESS: 2 rules found"));

    // A failing run: a home but no listener (LISTENER_NOT_RUNNING is its root cause).
    let failing = Fixture::new();
    let home = failing.ar_home.display().to_string();
    let failed = series(&failing, &["--offline", "--home", &home], 1);
    // A run that passes with a warning: the token, device and api checks against a healthy
    // API, with config.json readable by others (TOKEN_FILE_TOO_OPEN, a root cause of a warning:
    // the agent can wake, so no alert).
    let passing = Fixture::new();
    let api = Api::healthy();
    let config = passing.write(
        "config.json",
        &format!(
            r#"{{"api_url": "{}", "token": "ar_live_Zx81TOPSECRETtokenValue42", "host": "codex"}}"#,
            api.url()
        ),
    );
    std::fs::set_permissions(&config, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    passing.write(
        "device.json",
        r#"{"device_id": "dev_test1", "name": "ci-box"}"#,
    );
    let home_ok = passing.ar_home.display().to_string();
    let passed = series(&passing, &["token", "device", "api", "--home", &home_ok], 0);
    assert_eq!(
        prom::value(&passed, "agent_rooms_doctor_root_cause", &[]).as_deref(),
        Some("1"),
        "a warning's root cause is a series: {passed:?}"
    );

    // The failing home's series held as the doctor wrote them, its timestamp a constant 0 (the
    // rule reads it against time(), which starts at 0 in a rule test: a file no timer rewrites).
    // The passing home's file is rewritten every minute (its timestamp is time()), then deleted
    // at minute 20: every series of it goes (issue 39: the silent alert watched a series that
    // vanishes with the file, so it could not fire).
    let mut input = String::new();
    for s in failed.iter().chain(&passed) {
        let deleted = passed.contains(s);
        let value = match (
            s.name == "agent_rooms_doctor_last_run_timestamp_seconds",
            deleted,
        ) {
            (true, false) => "0x40".to_string(),
            (true, true) => "0+60x20 _x20".to_string(),
            (false, false) => format!("{}x40", s.value),
            (false, true) => format!("{}x20 _x20", s.value),
        };
        input.push_str(&format!(
            "      - series: '{}'\n        values: '{value}'\n",
            selector(s).replace('\'', "''")
        ));
    }
    let test = format!(
        r#"rule_files:
  - {rules}
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
{input}    alert_rule_test:
      - eval_time: 5m
        alertname: AgentRoomsAgentCannotWake
        exp_alerts: []
      - eval_time: 15m
        alertname: AgentRoomsAgentCannotWake
        exp_alerts:
          - exp_labels:
              severity: warning
              instance: box1:9100
              job: node
              home: "{home}"
              check: listener
              code: LISTENER_NOT_RUNNING
            exp_annotations:
              summary: "The agent-rooms agent on box1:9100 cannot wake: LISTENER_NOT_RUNNING"
              description: "agent-rooms-doctor on box1:9100 (home {home}) finds LISTENER_NOT_RUNNING in its listener check. Run `agent-rooms-doctor explain LISTENER_NOT_RUNNING` for the remedy, or `agent-rooms-doctor` on the machine as the agent's user for the exact command."
      - eval_time: 15m
        alertname: AgentRoomsDoctorSilent
        exp_alerts: []
      - eval_time: 40m
        alertname: AgentRoomsDoctorSilent
        exp_alerts:
          - exp_labels:
              severity: warning
              instance: box1:9100
              job: node
              home: "{home}"
            exp_annotations:
              summary: "agent-rooms-doctor on box1:9100 stopped reporting for {home}"
              description: "The doctor's last run for home {home} was 40m 0s ago (its metrics file is stale, or gone): check `systemctl status agent-rooms-doctor@USER.timer` (or the cron line) and the textfile directory on box1:9100."
          - exp_labels:
              severity: warning
              instance: box1:9100
              job: node
              home: "{home_ok}"
            exp_annotations:
              summary: "agent-rooms-doctor on box1:9100 stopped reporting for {home_ok}"
              description: "The doctor's last run for home {home_ok} was 20m 0s ago (its metrics file is stale, or gone): check `systemctl status agent-rooms-doctor@USER.timer` (or the cron line) and the textfile directory on box1:9100."
"#,
        rules = rules.display()
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rules.test.yml");
    std::fs::write(&file, &test).unwrap();
    let out = std::process::Command::new(&promtool)
        .args(["test", "rules"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "promtool test rules: {}\n{test}",
        common::all_text(&out)
    );
}

fn which(name: &str) -> Option<PathBuf> {
    ["/usr/bin", "/bin", "/usr/sbin", "/sbin"]
        .iter()
        .map(|d| Path::new(d).join(name))
        .find(|p| p.is_file())
}

/// Issue 38's fleet: root's agent runs; alice (a second OS user) has a home of her own whose
/// listener is stopped. Each user's timer writes its file into one textfile directory. Alice's
/// file judges her own home (her outage, not root's healthy agent), the two files never carry one
/// series, the real node_exporter scrapes both with no error, and a third run that would judge
/// root's home again is refused, naming the file it would collide with.
#[test]
fn two_users_timers_write_one_directory_and_node_exporter_scrapes_both_without_error() {
    let Some((uid, gid)) = common::other_user() else {
        return;
    };
    let mut f = Fixture::with_listeners();
    f.write("config.json", r#"{"host": "codex"}"#);
    let script = f.listener_script(&f.dir.path().join("lbin"));
    let (home, ar) = (
        f.home.display().to_string(),
        f.ar_home.display().to_string(),
    );
    f.spawn(
        &["/bin/sh", script.to_str().unwrap(), "watch"],
        &[
            ("HOME", &home),
            ("PATH", "/usr/bin:/bin"),
            ("AGENT_ROOMS_HOME", &ar),
        ],
    );
    // Alice's home: set up, her listener stopped.
    let hers = f.dir.path().join("alice");
    let her_ar = hers.join(".config/agent-rooms");
    std::fs::create_dir_all(&her_ar).unwrap();
    std::fs::write(her_ar.join("config.json"), r#"{"host": "codex"}"#).unwrap();
    for p in [
        &hers,
        &hers.join(".config"),
        &her_ar,
        &her_ar.join("config.json"),
    ] {
        nix::unistd::chown(p.as_path(), Some(uid.into()), Some(gid.into())).unwrap();
    }
    let textfiles = f.dir.path().join("textfiles");
    std::fs::create_dir_all(&textfiles).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&textfiles, std::fs::Permissions::from_mode(0o1777)).unwrap();
    let prom_out = |name: &str| textfiles.join(name).display().to_string();
    // Alice's timer: `User=alice`, no --home (docs/GUIDE.md "For fleets").
    let runuser = which("runuser").unwrap();
    let her_home = format!("HOME={}", hers.display());
    let alice = std::process::Command::new(&runuser)
        .args(["-u", common::OTHER_USER, "--", "/usr/bin/env", &her_home])
        .arg(doctor())
        .args(["--format", "prometheus", "--timeout", "20", "--output"])
        .arg(prom_out("alice.prom"))
        .env_clear()
        .env("PATH", common::SYSTEM_PATH)
        .output()
        .unwrap();
    assert_eq!(alice.status.code(), Some(1), "{}", common::all_text(&alice));
    let root = f
        .doctor()
        .args(["--format", "prometheus", "--timeout", "20", "--output"])
        .arg(prom_out("root.prom"))
        .output()
        .unwrap();
    assert!(
        matches!(root.status.code(), Some(0 | 1)),
        "{}",
        common::all_text(&root)
    );
    let hers_text = std::fs::read_to_string(textfiles.join("alice.prom")).unwrap();
    let series = prom::parse(&hers_text);
    let her_label = her_ar.display().to_string();
    assert_eq!(
        prom::value(&series, "agent_rooms_doctor_ok", &[("home", &her_label)]).as_deref(),
        Some("0"),
        "alice's file judges her own home: {hers_text}"
    );
    assert_eq!(
        prom::value(
            &series,
            "agent_rooms_doctor_root_cause",
            &[("home", &her_label), ("code", "LISTENER_NOT_RUNNING")]
        )
        .as_deref(),
        Some("1"),
        "{hers_text}"
    );
    assert!(
        !hers_text.contains(&ar),
        "root's home is not in alice's file: {hers_text}"
    );
    let Some(exporter) = NodeExporter::start(&textfiles) else {
        return;
    };
    let scraped = prom::parse(&exporter.scrape());
    assert_eq!(exporter.errors(), Vec::<String>::new());
    assert_eq!(
        prom::value(&scraped, "node_textfile_scrape_error", &[]).as_deref(),
        Some("0")
    );
    for label in [&her_label, &ar] {
        assert!(
            prom::value(&scraped, "agent_rooms_doctor_ok", &[("home", label)]).is_some(),
            "node_exporter serves {label}'s verdict"
        );
    }
    // A third run judging root's home again: refused (exit 2), nothing written.
    let again = f
        .doctor()
        .args(["--format", "prometheus", "--output"])
        .arg(prom_out("root-again.prom"))
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2), "{}", common::all_text(&again));
    let said = String::from_utf8_lossy(&again.stderr);
    assert!(
        said.contains("root.prom already holds the metrics of the same home"),
        "{said}"
    );
    assert!(!textfiles.join("root-again.prom").exists());
    // What the refusal prevents, held by node_exporter itself: the same file twice is an error.
    std::fs::copy(textfiles.join("root.prom"), textfiles.join("copy.prom")).unwrap();
    let _ = exporter.scrape();
    assert!(
        exporter
            .errors()
            .iter()
            .any(|e| e.contains("collected before")),
        "{:?}",
        exporter.errors()
    );
}
