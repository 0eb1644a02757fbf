//! The run's shared context: the options, the deadline, and the facts several checks read
//! (the process table, the installation), each gathered once, on first use.

use crate::model::facts::NotRun;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::OnceCell;
use tokio::time::Instant;

use crate::api::{self, Call};
use crate::hosts;
use crate::install::{self, Config, Device, HomeChoice, ListenerState, Loaded};
use crate::probes::files::{self, FileRead};
use crate::probes::http::Net;

pub mod agents;
mod view;
use crate::probes::processes::{self, EnvRead, ProcessEnv, Scan};
use crate::probes::users::{self, UserInfo};
use crate::redact::{Found, Secrets};
use crate::settings::{self, Settings};
use crate::supervisors::Elevation;
pub use agents::{Agent, Agents};
#[cfg(test)]
pub use view::Difference;
pub use view::{differences, SeenAs, View};

/// What the person asked for that the checks read (the command line's flags, as plain data).
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub offline: bool,
    /// Run the host CLI's own doctor too (`--deep`).
    pub deep: bool,
    pub home: Option<PathBuf>,
    /// `--skip listener`: no running listener is looked at (CONTRACT §1).
    pub skip_listener: bool,
    pub api_url: Option<String>,
    pub token_file: Option<PathBuf>,
    /// The host CLI named by `--host`, as the host table spells it.
    pub host: Option<String>,
}

/// Run a blocking probe (file system, process table, PATH lookups) on a thread of its own, so
/// the run's deadline can end the check that waits on it even when the probe itself never
/// returns (a hung NFS home). A panic in the probe stays a panic of the check that ran it, which
/// the engine reports as that check's INTERNAL_ERROR.
pub async fn blocking<T: Send + 'static>(probe: impl FnOnce() -> T + Send + 'static) -> T {
    match tokio::task::spawn_blocking(probe).await {
        Ok(v) => v,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(e) => panic!("a blocking probe was cancelled: {e}"),
    }
}

/// The installation being judged.
#[derive(Debug, Clone)]
pub struct Install {
    pub home: HomeChoice,
    pub config: Loaded<Config>,
    pub device: Loaded<Device>,
    pub listener_state: Loaded<ListenerState>,
    pub settings: Settings,
    /// Whose environment the settings and the network path were taken from.
    pub seen_as: SeenAs,
    /// The proxy and CA settings the API is reached through (the judged process's).
    pub net: Net,
    /// Whether the judged home exists (None when no home could be worked out).
    pub home_exists: Option<bool>,
    /// The judged home's path names a file (`--home …/config.json`), not a directory.
    pub home_is_file: bool,
    /// The doctor's user may not look at the judged home (a parent directory's permissions).
    pub home_denied: bool,
    /// What reading it found that is secret (a password in the API URL or a proxy's), for the
    /// run's redactor.
    pub found: Found,
}

impl Install {
    /// Why nothing can be judged that needs the home: it does not exist, no listener runs, and
    /// nothing the checks need was given another way (a flag or the environment). CONTRACT §2:
    /// one finding (`HOME_NOT_FOUND`, the listener check's), and the rest skip with this reason.
    pub fn nothing_set_up(&self) -> Option<NotRun> {
        let why = self.why_nothing_set_up()?;
        Some(NotRun {
            not_run: why,
            out_of_reach: self.home_denied,
        })
    }

    fn why_nothing_set_up(&self) -> Option<String> {
        let s = &self.settings;
        let given = s.token.is_some()
            || s.api_url.is_some()
            || s.host.is_some()
            || s.token_file_problem.is_some();
        match (
            &self.home.path,
            self.home_exists,
            self.seen_as.listener_pid,
            given,
        ) {
            (Some(dir), Some(false), None, false) if self.home_denied => Some(format!(
                "the doctor may not look at {}: its permissions keep this user out",
                dir.display()
            )),
            (Some(dir), Some(false), None, false) if self.home_is_file => Some(format!(
                "agent-rooms is not set up here: {} is a file, not a directory",
                dir.display()
            )),
            (Some(dir), Some(false), None, false) => Some(format!(
                "agent-rooms is not set up here: {} does not exist",
                dir.display()
            )),
            _ => None,
        }
    }
}

pub struct Ctx {
    pub opts: Options,
    pub deadline: Instant,
    pub me: UserInfo,
    /// sudo and runuser here, for the remedies' commands (CONTRACT §2 "Remedies are data").
    pub elevation: Elevation,
    pub own_env: ProcessEnv,
    /// The run's redactor: what the probes found that is secret is handed to it here.
    pub secrets: Secrets,
    scan: OnceCell<Arc<Scan>>,
    agents: OnceCell<Arc<Agents>>,
    agent_listeners: OnceCell<Arc<Scan>>,
    install: OnceCell<Arc<Install>>,
    whoami: OnceCell<Arc<Call>>,
}

impl Ctx {
    pub fn new(opts: Options, deadline: Instant) -> Self {
        let own_env = ProcessEnv::own(&hosts::wanted());
        let secrets = Secrets::default();
        secrets.learn(&own_env.secrets);
        // Where a person's shell finds them, and where a minimal PATH (cron, a unit) would not.
        let path = format!(
            "{}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            own_env.path.as_deref().unwrap_or_default()
        );
        Ctx {
            opts,
            deadline,
            me: users::me(),
            elevation: Elevation::here(
                crate::probes::paths::find_on("sudo", &path).is_some(),
                crate::probes::paths::find_on("runuser", &path).as_deref(),
            )
            .with_doctor(std::env::current_exe().ok().as_deref()),
            own_env,
            secrets,
            scan: OnceCell::new(),
            agents: OnceCell::new(),
            agent_listeners: OnceCell::new(),
            install: OnceCell::new(),
            whoami: OnceCell::new(),
        }
    }

    /// Time left before the run's bound, less a margin so a probe's own timeout fires first
    /// and its check can say what it was waiting on.
    pub fn budget(&self) -> Duration {
        self.deadline
            .saturating_duration_since(Instant::now())
            .saturating_sub(Duration::from_millis(150))
    }

    /// The doctor's own home: $HOME, else the passwd home.
    pub fn my_home(&self) -> Option<PathBuf> {
        self.own_env
            .home
            .home
            .clone()
            .filter(|h| !h.is_empty())
            .map(PathBuf::from)
            .or_else(|| self.me.home.clone())
    }

    /// The agent-rooms home of the doctor's own user (AGENT_ROOMS_HOME, XDG, platform dir).
    fn own_ar_home(&self) -> Option<PathBuf> {
        install::home_for(&self.own_env.home, self.me.home.as_deref())
    }

    /// The process table's listeners, read once per run.
    pub async fn scan(&self) -> Arc<Scan> {
        self.scan
            .get_or_init(|| async {
                let s = tokio::task::spawn_blocking(|| processes::scan(&hosts::wanted()))
                    .await
                    .unwrap_or_else(|e| Scan {
                        error: Some(format!("process scan failed: {e}")),
                        ..Scan::default()
                    });
                for l in &s.listeners {
                    if let EnvRead::Readable(e) = &l.env {
                        self.secrets.learn(&e.secrets);
                    }
                }
                Arc::new(s)
            })
            .await
            .clone()
    }

    /// The running listeners grouped into agents, and the one judged (CONTRACT §1).
    pub async fn agents(&self) -> Arc<Agents> {
        self.agents
            .get_or_init(|| async {
                // `--skip listener` looks at no running listener: the table is not even read.
                let scan = if self.opts.skip_listener {
                    Arc::new(Scan::default())
                } else {
                    self.scan().await
                };
                let flag = self.opts.home.clone();
                let skip = self.opts.skip_listener;
                let me = self.me.clone();
                let own_home = self
                    .own_ar_home()
                    .or_else(|| dirs::config_dir().map(|d| d.join("agent-rooms")));
                let a = blocking(move || {
                    let own_home_exists = own_home.as_deref().is_some_and(Path::exists);
                    let mut keys: Vec<agents::Key> = scan.listeners.iter().map(key_of).collect();
                    if let Some(h) = flag.as_deref() {
                        let named =
                            install::load::<install::ListenerState>(&h.join("listener.json"));
                        if let Some(pid) = named.ok().and_then(|s| s.pid) {
                            agents::claim(&mut keys, h, pid);
                        }
                    }
                    agents::choose(
                        agents::group(&keys),
                        &keys,
                        &agents::Chooser {
                            flag: flag.as_deref(),
                            skip_listener: skip,
                            me_uid: me.uid,
                            me_name: &me.name,
                            own_home,
                            own_home_exists,
                        },
                    )
                })
                .await;
                Arc::new(a)
            })
            .await
            .clone()
    }

    /// The process table as the checks judge it: the judged agent's listeners only.
    pub async fn agent_listeners(&self) -> Arc<Scan> {
        self.agent_listeners
            .get_or_init(|| async {
                let agents = self.agents().await;
                let pids = agents.judged_pids();
                if pids.is_empty() && self.opts.skip_listener {
                    return Arc::new(Scan::default());
                }
                let scan = self.scan().await;
                Arc::new(Scan {
                    listeners: scan
                        .listeners
                        .iter()
                        .filter(|l| pids.contains(&l.pid))
                        .cloned()
                        .collect(),
                    processes_seen: scan.processes_seen,
                    error: scan.error.clone(),
                })
            })
            .await
            .clone()
    }

    /// GET `endpoint` (relative, e.g. `v1/whoami`) on the configured API with the token.
    pub async fn call(&self, endpoint: &str) -> Call {
        let install = self.install().await;
        let req = api::Request {
            api_url: install.settings.api_url.as_ref().map(|u| u.value.as_str()),
            token: install.settings.token.as_ref().map(|t| &t.token),
            offline: self.opts.offline,
            limit: self.budget(),
            net: &install.net,
        };
        api::get(&req, endpoint).await
    }

    /// `GET /v1/whoami`, made once per run and shared by the api and token checks.
    pub async fn whoami(&self) -> Arc<Call> {
        self.whoami
            .get_or_init(|| async { Arc::new(self.call(api::WHOAMI).await) })
            .await
            .clone()
    }

    /// Why the checks that need the agent-rooms home cannot run, when nothing was set up here.
    pub async fn nothing_set_up(&self) -> Option<NotRun> {
        self.install().await.nothing_set_up()
    }

    /// The installation being judged, read once per run.
    pub async fn install(&self) -> Arc<Install> {
        self.install
            .get_or_init(|| async {
                let judged = self.agent_listeners().await;
                let agents = self.agents().await;
                let home = HomeChoice {
                    path: agents.home.clone(),
                    why: agents.why.to_string(),
                };
                let view = View::of(judged.listeners.first());
                let own_home = self.own_ar_home();
                let opts = self.opts.clone();
                let own_env = self.own_env.clone();
                let i = tokio::task::spawn_blocking(move || {
                    read_install(home, &opts, view, &own_env, own_home)
                })
                .await;
                if let Ok(i) = &i {
                    self.secrets.learn(&i.found);
                }
                Arc::new(i.unwrap_or_else(|e| Install {
                    home: HomeChoice {
                        path: None,
                        why: format!("reading the installation failed: {e}"),
                    },
                    config: Loaded::Invalid(format!("reading the installation failed: {e}")),
                    device: Loaded::Missing,
                    listener_state: Loaded::Missing,
                    settings: Settings::default(),
                    seen_as: SeenAs::default(),
                    net: Net::default(),
                    home_exists: None,
                    home_is_file: false,
                    home_denied: false,
                    found: Found::default(),
                }))
            })
            .await
            .clone()
    }
}

/// What ties a listener to its agent: its home (from its environment, else its user's passwd
/// home), its token's fingerprint (its environment's, else its home's config.json) and its
/// home's agent_id. Reads that config.json (small, capped).
fn key_of(l: &processes::ListenerProc) -> agents::Key {
    let env = match &l.env {
        EnvRead::Readable(e) => Some(e),
        EnvRead::Unreadable(_) => None,
    };
    let home_env = env.map(|e| e.home.clone()).unwrap_or_default();
    let home = install::home_for(&home_env, l.user.home.as_deref());
    let config = home.as_ref().and_then(|h| {
        install::load::<Config>(&h.join("config.json"))
            .ok()
            .cloned()
    });
    let token = env
        .and_then(|e| e.token.clone())
        .filter(|t| !t.is_empty())
        .or_else(|| config.as_ref().and_then(|c| c.token.clone()))
        .map(|t| crate::redact::fingerprint(&t));
    // A listener whose environment cannot be read may serve any home: its user's usual home is
    // only a guess, so it is its own agent, never grouped by it (nor a duplicate, nor a `kill`).
    let Some(_) = env else {
        return agents::Key {
            pid: l.pid,
            uid: l.user.uid,
            user: l.user.name.clone(),
            home,
            ..agents::Key::default()
        };
    };
    agents::Key {
        pid: l.pid,
        uid: l.user.uid,
        user: l.user.name.clone(),
        home,
        token,
        agent_id: config.and_then(|c| c.agent_id),
        readable: true,
    }
}

/// The settings as the environment `env` (of `whose`, when it is a listener's) and the config
/// file at `path` give them, under the flags.
fn settings_of(
    opts: &Options,
    token_file: Option<(PathBuf, settings::TokenFileRead)>,
    env: &ProcessEnv,
    whose: Option<&str>,
    (config, path): (&Loaded<Config>, &Path),
) -> Settings {
    settings::choose(settings::Inputs {
        flag_api_url: opts.api_url.as_deref(),
        flag_token_file: token_file,
        flag_host: opts.host.as_deref(),
        env_api_url: env.api_url.as_deref(),
        env_token: env.token.as_deref(),
        env_whose: whose,
        config: config.ok(),
        config_file: match config {
            Loaded::Ok(_, meta) => Some((path.to_path_buf(), meta.clone())),
            _ => None,
        },
    })
}

/// No agent-rooms home could be worked out (no HOME): nothing of it can be read.
fn no_home(home: HomeChoice, seen_as: SeenAs, net: Net) -> Install {
    Install {
        found: net.secrets(),
        home,
        config: Loaded::Invalid("no agent-rooms home could be worked out (no HOME)".into()),
        device: Loaded::Missing,
        listener_state: Loaded::Missing,
        settings: Settings::default(),
        seen_as,
        net,
        home_exists: None,
        home_is_file: false,
        home_denied: false,
    }
}

/// The token `--token-file` names, as text, or why it cannot be used.
fn read_token_file(p: &Path) -> settings::TokenFileRead {
    match files::read_capped(p, 64 * 1024) {
        FileRead::Read { bytes, meta } => String::from_utf8(bytes)
            .map(|t| (t, meta))
            .map_err(|_| "not UTF-8 text".to_string()),
        FileRead::Missing => Err("no such file".into()),
        FileRead::NotAFile(k) => Err(format!("it is {k}")),
        FileRead::TooLarge(n) => Err(format!("{n} bytes is too large for a token")),
        FileRead::Unreadable(e) | FileRead::Denied(e) => Err(e),
    }
}

fn read_install(
    home: HomeChoice,
    opts: &Options,
    view: View,
    own_env: &ProcessEnv,
    own_home: Option<PathBuf>,
) -> Install {
    let View { env, mut seen_as } = view;
    let judged_env = env.as_ref().unwrap_or(own_env);
    let net = Net::from_vars(|k| judged_env.get(k).map(str::to_string));
    let Some(dir) = home.path.clone() else {
        return no_home(home, seen_as, net);
    };
    let config_path = dir.join("config.json");
    let config: Loaded<Config> = install::load(&config_path);
    let token_file = opts
        .token_file
        .as_ref()
        .map(|p| (p.clone(), read_token_file(p)));
    let whose = seen_as
        .listener_pid
        .filter(|_| env.is_some())
        .map(|pid| format!("listener pid {pid}"));
    let inputs = |env: &ProcessEnv, whose: Option<&str>, config: &Loaded<Config>, path: &Path| {
        settings_of(opts, token_file.clone(), env, whose, (config, path))
    };
    let settings = inputs(judged_env, whose.as_deref(), &config, &config_path);
    let mut found = secrets_of(&settings, &net);
    if env.is_some() {
        // The doctor's own view, only to say where it differs from the listener's.
        let (own_config, own_path) = match &own_home {
            Some(h) if h != &dir => {
                let p = h.join("config.json");
                (install::load::<Config>(&p), p)
            }
            _ => (config.clone(), config_path.clone()),
        };
        let own = inputs(own_env, None, &own_config, &own_path);
        let own_net = Net::from_vars(|k| own_env.get(k).map(str::to_string));
        found.extend(&secrets_of(&own, &own_net));
        seen_as.differs = differences(
            (&dir, &settings, &net),
            (own_home.as_deref(), &own, &own_net),
        );
    }
    let meta = std::fs::metadata(&dir);
    Install {
        home_exists: Some(meta.as_ref().is_ok_and(|m| m.is_dir())),
        home_is_file: meta.as_ref().is_ok_and(|m| m.is_file()),
        home_denied: meta.is_err_and(|e| e.kind() == std::io::ErrorKind::PermissionDenied),
        device: install::load(&dir.join("device.json")),
        listener_state: install::load(&dir.join("listener.json")),
        home,
        config,
        settings,
        seen_as,
        net,
        found,
    }
}

/// The token the settings hold, and the passwords in the API URL and the proxies they and the
/// network path name.
fn secrets_of(settings: &Settings, net: &Net) -> Found {
    let mut found = net.secrets();
    if let Some(u) = &settings.api_url {
        found.url(&u.value);
    }
    if let Some(t) = &settings.token {
        found.value(t.token.expose());
    }
    found
}
