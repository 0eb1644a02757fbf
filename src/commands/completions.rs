//! `completions SHELL`: from the same clap definition as the help (and so from the registry).

use crate::cli;
use crate::error::{Error, Exit};
use crate::output::Sink;

pub fn run(shell: clap_complete::Shell, out: &mut Sink) -> Result<Exit, Error> {
    use std::io::Write;
    // A Sink gathers into memory: writing cannot fail.
    let _ = out.write_all(script(shell).as_bytes());
    Ok(Exit::Ok)
}

/// The completion script for `shell`.
pub fn script(shell: clap_complete::Shell) -> String {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cli::command(), "agent-rooms-doctor", &mut buf);
    let text = String::from_utf8_lossy(&buf).into_owned();
    match shell {
        clap_complete::Shell::Bash => bash_hyphen_fix(&text),
        clap_complete::Shell::Fish => text + &fish_positionals(&cli::command()),
        _ => text,
    }
}

/// clap_complete's fish script completes options and subcommands but not a subcommand's
/// positional values (the check ids after `check`, the codes after `explain`, the shells after
/// `completions`): one `complete` line per such subcommand adds them, from the same definition.
fn fish_positionals(cmd: &clap::Command) -> String {
    let mut out = String::from(
        "\n# The values of each subcommand's positional arguments (added by agent-rooms-doctor).\n",
    );
    for sub in cmd.get_subcommands() {
        let values: Vec<String> = sub
            .get_positionals()
            .flat_map(|a| a.get_possible_values())
            .filter(|v| !v.is_hide_set())
            .map(|v| v.get_name().to_string())
            .collect();
        if values.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "complete -c agent-rooms-doctor -n \"__fish_agent_rooms_doctor_using_subcommand {}\" -f -a \"{}\"\n",
            sub.get_name(),
            values.join(" ")
        ));
    }
    out
}

/// clap_complete's bash script for a hyphenated binary name spells each subcommand's state two
/// ways: the loop that walks the words sets `agent__rooms__doctor__subcmd__check`, while the
/// `case` arms that complete it are labelled `agent__subcmd__rooms__subcmd__doctor__subcmd__check`,
/// so nothing after a subcommand ever completes (clap-rs/clap#6421, open; fixes proposed in
/// #6423 and #6428). The arms are relabelled the way the loop spells them. Once clap_complete is
/// fixed the wrong spelling no longer appears and this changes nothing.
fn bash_hyphen_fix(script: &str) -> String {
    script.replace(
        "agent__subcmd__rooms__subcmd__doctor",
        "agent__rooms__doctor",
    )
}
