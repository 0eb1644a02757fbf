//! The listener check's facts: what `gather` read, as plain data `diagnose` judges (and a
//! bundle carries for `replay`).

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

use super::meant;
use crate::ctx::Agent;
use crate::install::{HomeChoice, ListenerState, Loaded};
use crate::model::command::Machine;
use crate::model::outcome::{Finding, Status};
use crate::probes::processes::ListenerProc;
use crate::probes::services::Unit;
use crate::probes::users::UserInfo;
use crate::supervisors::Elevation;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Facts {
    pub me: UserInfo,
    /// sudo and runuser on this machine, for remedies run as another user.
    pub elevation: Elevation,
    /// The judged agent's listeners (CONTRACT §1: an agent is one installation).
    pub listeners: Vec<ListenerProc>,
    /// The other agents running here, each judged with `--home` and its home.
    pub other_agents: Vec<Agent>,
    pub processes_seen: usize,
    pub scan_error: Option<String>,
    pub home: HomeChoice,
    pub state_file: Option<PathBuf>,
    pub state: Loaded<ListenerState>,
    /// systemd units that run `agent-rooms watch` (looked for only when none is running).
    pub units: Vec<Unit>,
    /// What pm2 and systemd say of the listener (asked only when none runs or one is young).
    #[serde(default)]
    pub supervisors: meant::Asked,
    /// Why nothing that needs the home can be judged: it does not exist and nothing was given.
    pub nothing_set_up: Option<String>,
    /// The judged home's path names a file, not a directory (`--home …/config.json`).
    #[serde(default)]
    pub home_is_file: bool,
    /// The doctor's user may not look at the judged home.
    #[serde(default)]
    pub home_denied: bool,
    #[serde(
        serialize_with = "crate::time_util::ser_rfc3339",
        deserialize_with = "crate::time_util::de_rfc3339"
    )]
    pub now: i64,
}

pub fn machine(f: &Facts) -> Machine {
    Machine::new(f.me.uid, &f.elevation)
}

/// One finding a rule raises, with the status it gives the check.
pub type Found = (Status, Finding);
