//! Agents: the running listeners grouped into installations, and which one is judged (CONTRACT §1
//! "Which installation is judged"). Listeners that share a home, a token or an `agent_id` are one
//! agent; several agents on one machine are normal (a shared box, a build farm). Pure: the
//! caller reads each listener's home, token and agent_id.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// What ties a listener to its agent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Key {
    pub pid: u32,
    pub uid: u32,
    pub user: String,
    pub home: Option<PathBuf>,
    /// The token's fingerprint (never the token).
    pub token: Option<String>,
    pub agent_id: Option<String>,
    /// Its environment could be read. One that cannot is never grouped with another listener:
    /// nothing says which agent it serves (its home may be anywhere).
    pub readable: bool,
}

/// One agent: its home and its listeners.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agent {
    pub home: Option<PathBuf>,
    pub pids: Vec<u32>,
    pub users: Vec<String>,
    /// The users' uids, in the order of `users`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uids: Vec<u32>,
    /// Why it was not judged: its listener's environment cannot be read (as whom to run).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unjudged: Option<String>,
}

/// The agents on this machine and the one judged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Agents {
    pub agents: Vec<Agent>,
    /// Index into `agents` of the judged one, when it has a running listener.
    pub chosen: Option<usize>,
    /// The judged home: the chosen agent's, `--home`, or the doctor's user's.
    pub home: Option<PathBuf>,
    /// Why that home: the decision CONTRACT §1 makes.
    pub why: Choice,
}

/// Why the judged home is judged (CONTRACT §1 "Which installation is judged"): the decision, as
/// data; `Display` says it in words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Choice {
    /// `--home` named it.
    #[default]
    Flag,
    /// `--skip listener`: the doctor's user's own home; no running listener is looked at.
    SkipListener { me: String },
    /// The agent of the doctor's user's own running listener.
    OwnListener { pid: u32, user: String },
    /// The doctor's user's own home, which exists; the agents running are not hers.
    OwnHome { me: String, others: Others },
    /// The only agent running, which the doctor may read.
    OnlyAgent { pid: u32, user: String },
    /// The doctor's user's home, though it does not exist: nothing else may be judged.
    Yours { me: String, others: Others },
}

/// The agents running here that are not the doctor's user's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Others {
    None,
    AnotherUsers,
    Several(usize),
}

impl std::fmt::Display for Others {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Others::None => f.write_str("no listener is running"),
            Others::AnotherUsers => f.write_str("the agent running here is another user's"),
            Others::Several(n) => write!(f, "{n} agents run here, none of them yours"),
        }
    }
}

impl std::fmt::Display for Choice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Choice::Flag => f.write_str("named by --home"),
            Choice::SkipListener { me } => {
                write!(
                    f,
                    "yours (user {me}): --skip listener looks at no running listener"
                )
            }
            Choice::OwnListener { pid, user } => {
                write!(f, "the agent of your own listener (pid {pid}, user {user})")
            }
            Choice::OwnHome { me, others } => {
                write!(f, "yours (user {me}): your own home; {others}")
            }
            Choice::OnlyAgent { pid, user } => {
                write!(
                    f,
                    "the only agent running here (listener pid {pid}, user {user})"
                )
            }
            Choice::Yours { me, others } if matches!(others, Others::Several(_)) => {
                write!(f, "yours (user {me}): {others} (--home judges one of them)")
            }
            Choice::Yours { me, others } => write!(f, "yours (user {me}): {others}"),
        }
    }
}

impl Agents {
    /// The pids of the judged agent's listeners.
    pub fn judged_pids(&self) -> &[u32] {
        self.chosen
            .map(|i| self.agents[i].pids.as_slice())
            .unwrap_or(&[])
    }

    /// The other agents, each with the `--home` that judges it.
    pub fn other_agents(&self) -> Vec<&Agent> {
        self.agents
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != self.chosen)
            .map(|(_, a)| a)
            .collect()
    }
}

/// Group listeners (in pid order) into agents: two are one agent when they share a home, a token
/// or an agent_id, directly or through a third.
pub fn group(keys: &[Key]) -> Vec<Agent> {
    let root = roots(keys);
    let mut agents: Vec<(usize, Agent)> = vec![];
    for (k, r) in keys.iter().zip(root) {
        let a = match agents.iter().position(|(ar, _)| *ar == r) {
            Some(i) => &mut agents[i].1,
            None => {
                let empty = Agent {
                    home: None,
                    pids: vec![],
                    users: vec![],
                    uids: vec![],
                    unjudged: None,
                };
                agents.push((r, empty));
                &mut agents.last_mut().expect("just pushed").1
            }
        };
        a.pids.push(k.pid);
        if !k.readable {
            a.unjudged = Some(if k.uid == 0 {
                "its environment cannot be read: run the doctor as root".to_string()
            } else {
                format!(
                    "its environment cannot be read: run the doctor as root (or as {})",
                    k.user
                )
            });
        }
        if !a.users.contains(&k.user) {
            a.users.push(k.user.clone());
            a.uids.push(k.uid);
        }
        if a.home.is_none() {
            a.home = k.home.clone();
        }
    }
    agents.into_iter().map(|(_, a)| a).collect()
}

/// For each key, the first key of its group: keys that share a home, a token or an agent_id
/// (both readable) are one group, transitively (union–find).
fn roots(keys: &[Key]) -> Vec<usize> {
    let n = keys.len();
    let mut root: Vec<usize> = (0..n).collect();
    fn find(root: &mut [usize], mut i: usize) -> usize {
        while root[i] != i {
            root[i] = root[root[i]];
            i = root[i];
        }
        i
    }
    fn both<T: PartialEq>(x: &Option<T>, y: &Option<T>) -> bool {
        x.is_some() && x == y
    }
    let same = |a: &Key, b: &Key| {
        a.readable
            && b.readable
            && (both(&a.home, &b.home)
                || both(&a.token, &b.token)
                || both(&a.agent_id, &b.agent_id))
    };
    for i in 0..n {
        for j in i + 1..n {
            if same(&keys[i], &keys[j]) {
                let (ri, rj) = (find(&mut root, i), find(&mut root, j));
                root[rj.max(ri)] = rj.min(ri);
            }
        }
    }
    (0..n).map(|i| find(&mut root, i)).collect()
}

/// The listener a home's listener.json names is that home's, when its own environment cannot
/// say whose it is (another user's, unreadable): a live listener is never called "not running"
/// beside the file that names it.
pub fn claim(keys: &mut [Key], home: &Path, pid: u32) {
    // (An unreadable listener's home is at best a guess from its user's passwd entry.)
    for k in keys
        .iter_mut()
        .filter(|k| k.pid == pid && (!k.readable || k.home.is_none()))
    {
        k.home = Some(home.to_path_buf());
    }
}

/// What the choice depends on besides the agents.
pub struct Chooser<'a> {
    /// `--home`.
    pub flag: Option<&'a Path>,
    /// `--skip listener`: no running listener is looked at.
    pub skip_listener: bool,
    pub me_uid: u32,
    pub me_name: &'a str,
    /// The doctor's own user's home (AGENT_ROOMS_HOME, XDG, platform dir).
    pub own_home: Option<PathBuf>,
    /// That home exists: a user with a home of her own is judged on it, never on another
    /// user's agent she did not name.
    pub own_home_exists: bool,
}

/// The judged installation (CONTRACT §1): `--home`'s; else (unless `--skip listener`) that of
/// the doctor's own user's running listener; else the doctor's own home when it exists; else
/// the only agent running when the doctor can read it (root, or its own user); else the
/// doctor's user's, with the agents it cannot read named with whom to run as.
pub fn choose(mut agents: Vec<Agent>, keys: &[Key], c: &Chooser) -> Agents {
    let uid_of = |pid: u32| keys.iter().find(|k| k.pid == pid).map(|k| k.uid);
    if c.skip_listener {
        agents.clear();
    }
    name_unjudged(&mut agents, c.me_uid, uid_of);
    let (chosen, why) = decide(&agents, keys, c);
    let home = match (&why, chosen) {
        (Choice::Flag, _) => c.flag.map(Path::to_path_buf),
        (_, Some(i)) => agents[i].home.clone(),
        (_, None) => c.own_home.clone(),
    };
    Agents {
        agents,
        chosen,
        home,
        why,
    }
}

/// An agent of another user is the doctor's to read only as root: named with whom to run as.
fn name_unjudged(agents: &mut [Agent], me_uid: u32, uid_of: impl Fn(u32) -> Option<u32>) {
    for a in agents.iter_mut() {
        let theirs = a.pids.iter().any(|p| uid_of(*p) != Some(me_uid));
        if me_uid != 0 && theirs && a.unjudged.is_none() {
            let user = a.users.first().map(String::as_str).unwrap_or("its user");
            a.unjudged = Some(if user == "root" {
                "it is root's: run the doctor as root".to_string()
            } else {
                format!("it is {user}'s: run the doctor as root or as {user}")
            });
        }
    }
}

/// Which agent is judged (its index, when one runs), and why (the rule's order is `choose`'s).
fn decide(agents: &[Agent], keys: &[Key], c: &Chooser) -> (Option<usize>, Choice) {
    let key_of = |pid: u32| keys.iter().find(|k| k.pid == pid);
    let first = |a: &Agent| {
        let pid = a.pids[0];
        (
            pid,
            key_of(pid).map_or("?", |k| k.user.as_str()).to_string(),
        )
    };
    let me = c.me_name.to_string();
    if let Some(h) = c.flag {
        return (
            agents.iter().position(|a| a.home.as_deref() == Some(h)),
            Choice::Flag,
        );
    }
    if c.skip_listener {
        return (None, Choice::SkipListener { me });
    }
    let mine: Vec<usize> = (0..agents.len())
        .filter(|&i| {
            agents[i]
                .pids
                .iter()
                .any(|p| key_of(*p).map(|k| k.uid) == Some(c.me_uid))
        })
        .collect();
    let pick = mine
        .iter()
        .copied()
        .find(|&i| c.own_home.is_some() && agents[i].home == c.own_home)
        .or(mine.first().copied());
    if let Some(i) = pick {
        let (pid, user) = first(&agents[i]);
        return (Some(i), Choice::OwnListener { pid, user });
    }
    let others = match agents.len() {
        0 => Others::None,
        1 => Others::AnotherUsers,
        n => Others::Several(n),
    };
    if c.own_home_exists {
        return (None, Choice::OwnHome { me, others });
    }
    // The only one running is judged when the doctor may read it, even when its environment
    // cannot be read (as root, a process of a container's user): its checks say what cannot
    // be judged, and as whom to run (it is never grouped with another, so never a duplicate).
    if agents.len() == 1 && (c.me_uid == 0 || agents[0].unjudged.is_none()) {
        let (pid, user) = first(&agents[0]);
        return (Some(0), Choice::OnlyAgent { pid, user });
    }
    (None, Choice::Yours { me, others })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(pid: u32, uid: u32, home: &str, token: Option<&str>, agent: Option<&str>) -> Key {
        Key {
            readable: true,
            pid,
            uid,
            user: format!("u{uid}"),
            home: Some(home.into()),
            token: token.map(Into::into),
            agent_id: agent.map(Into::into),
        }
    }

    #[test]
    fn a_listener_whose_environment_cannot_be_read_is_its_own_unjudged_agent() {
        // root's listener, seen by a normal user: no home, token or agent_id can be known.
        let unread = Key {
            pid: 50,
            uid: 0,
            user: "root".into(),
            ..Key::default()
        };
        let keys = [
            key(10, 1000, "/home/a/.config/agent-rooms", None, None),
            unread,
        ];
        let agents = group(&keys);
        assert_eq!(agents.len(), 2, "{agents:?}");
        assert_eq!(agents[0].unjudged, None);
        assert_eq!(
            agents[1].unjudged.as_deref(),
            Some("its environment cannot be read: run the doctor as root")
        );
        // Two unreadable listeners of one user are two agents, never duplicates of each other.
        let twice = [
            keys[1].clone(),
            Key {
                pid: 51,
                ..keys[1].clone()
            },
        ];
        assert_eq!(group(&twice).len(), 2);
    }

    #[test]
    fn listeners_group_by_home_token_or_agent_id() {
        let keys = [
            key(10, 0, "/srv/a", Some("#aaaaaa"), None),
            key(11, 0, "/srv/a", None, None),
            key(20, 1000, "/srv/b", Some("#bbbbbb"), None),
            // another home, but agent b's token: agent b
            key(21, 1000, "/srv/b2", Some("#bbbbbb"), None),
            // another home and token, but agent a's agent_id, through pid 12
            key(12, 0, "/srv/a", None, Some("agt_a")),
            key(30, 1001, "/srv/c", None, Some("agt_a")),
            key(40, 1002, "/srv/d", None, None),
        ];
        let g = group(&keys);
        let pids: Vec<Vec<u32>> = g.iter().map(|a| a.pids.clone()).collect();
        assert_eq!(pids, vec![vec![10, 11, 12, 30], vec![20, 21], vec![40]]);
        assert_eq!(g[0].home.as_deref(), Some(Path::new("/srv/a")));
        assert_eq!(g[0].users, vec!["u0", "u1001"]);
        // Nothing known ties nothing: two listeners with no home, token or id are two agents.
        let bare = [
            Key {
                pid: 1,
                ..Key::default()
            },
            Key {
                pid: 2,
                ..Key::default()
            },
        ];
        assert_eq!(group(&bare).len(), 2);
    }

    fn chooser<'a>(flag: Option<&'a Path>, skip: bool, own: &str) -> Chooser<'a> {
        Chooser {
            flag,
            skip_listener: skip,
            me_uid: 1000,
            me_name: "alice",
            own_home: Some(own.into()),
            own_home_exists: false,
        }
    }

    /// Issue 39: a normal user's `--home /root/.config/agent-rooms`: root's listener (its
    /// environment unreadable) is the one that home's listener.json names, so it is that home's
    /// listener, judged; it was "not running: the file is stale".
    #[test]
    fn the_listener_a_homes_state_file_names_is_that_homes() {
        let home = Path::new("/root/.config/agent-rooms");
        let mut keys = vec![Key {
            pid: 50,
            uid: 0,
            user: "root".into(),
            home: Some("/root/.config/agent-rooms-guessed".into()),
            ..Key::default()
        }];
        claim(&mut keys, home, 51);
        assert_ne!(
            keys[0].home.as_deref(),
            Some(home),
            "another pid claims nothing"
        );
        claim(&mut keys, home, 50);
        assert_eq!(keys[0].home.as_deref(), Some(home));
        let a = choose(
            group(&keys),
            &keys,
            &chooser(Some(home), false, "/home/alice/x"),
        );
        assert_eq!(a.judged_pids(), [50]);
        // A listener whose environment says its home is not taken by another file's pid.
        let mut mine = vec![key(60, 1000, "/home/alice/.config/agent-rooms", None, None)];
        claim(&mut mine, home, 60);
        assert_eq!(
            mine[0].home.as_deref(),
            Some(Path::new("/home/alice/.config/agent-rooms"))
        );
    }

    #[test]
    fn the_judged_agent_follows_the_contracts_order() {
        let keys = [
            key(10, 0, "/root/.config/agent-rooms", None, None),
            key(20, 1000, "/home/alice/.config/agent-rooms", None, None),
        ];
        let both = group(&keys);
        let own = "/home/alice/.config/agent-rooms";
        // The doctor's own user's listener, though root's has the lower pid.
        let a = choose(both.clone(), &keys, &chooser(None, false, own));
        assert_eq!(a.judged_pids(), &[20]);
        assert!(
            a.why.to_string().contains("your own listener (pid 20"),
            "{}",
            a.why
        );
        assert_eq!(
            a.why,
            Choice::OwnListener {
                pid: 20,
                user: "u1000".into()
            }
        );
        assert_eq!(a.other_agents().len(), 1);
        // --home names the other one.
        let root = Path::new("/root/.config/agent-rooms");
        let a = choose(both.clone(), &keys, &chooser(Some(root), false, own));
        assert_eq!(a.judged_pids(), &[10]);
        assert_eq!(a.home.as_deref(), Some(root));
        // --home of no running agent: that home, no listener.
        let a = choose(
            both.clone(),
            &keys,
            &chooser(Some(Path::new("/x")), false, own),
        );
        assert!(a.judged_pids().is_empty() && a.why == Choice::Flag);
        // --skip listener: the doctor's own home, no listener looked at.
        let a = choose(both.clone(), &keys, &chooser(None, true, own));
        assert!(a.judged_pids().is_empty() && a.agents.is_empty());
        assert_eq!(a.home.as_deref(), Some(Path::new(own)));
        // Only root's agent runs: a normal user cannot read it, so it is named, not judged.
        let a = choose(group(&keys[..1]), &keys[..1], &chooser(None, false, own));
        assert!(a.judged_pids().is_empty(), "{a:?}");
        assert_eq!(a.home.as_deref(), Some(Path::new(own)));
        assert_eq!(
            a.agents[0].unjudged.as_deref(),
            Some("it is u0's: run the doctor as root or as u0")
        );
        // Root may read it: the only one running is judged.
        let root_doctor = Chooser {
            me_uid: 0,
            me_name: "root",
            ..chooser(None, false, "/root/.config/agent-rooms")
        };
        let alices = &keys[1..];
        let a = choose(group(alices), alices, &root_doctor);
        assert_eq!(a.judged_pids(), &[20]);
        assert!(a.why.to_string().contains("only agent"), "{}", a.why);
        assert_eq!(a.agents[0].unjudged, None);
        // A home of one's own is judged, never another user's agent she did not name; root's
        // too, when it has one.
        let with_home = |c: Chooser<'static>| Chooser {
            own_home_exists: true,
            ..c
        };
        let a = choose(
            group(alices),
            alices,
            &with_home(Chooser {
                me_uid: 0,
                me_name: "root",
                ..chooser(None, false, "/root/.config/agent-rooms")
            }),
        );
        assert!(a.judged_pids().is_empty());
        assert_eq!(
            a.home.as_deref(),
            Some(Path::new("/root/.config/agent-rooms"))
        );
        assert!(a.why.to_string().contains("your own home"), "{}", a.why);
        let bob = [key(30, 1001, "/home/bob/.config/agent-rooms", None, None)];
        let a = choose(group(&bob), &bob, &with_home(chooser(None, false, own)));
        assert!(a.judged_pids().is_empty() && a.home.as_deref() == Some(Path::new(own)));
        assert!(
            a.why
                .to_string()
                .contains("the agent running here is another user's"),
            "{}",
            a.why
        );
        // Two agents, none of the doctor's user: its own home, and it says why.
        let others = [
            key(10, 0, "/srv/a", None, None),
            key(30, 1001, "/srv/c", None, None),
        ];
        let a = choose(group(&others), &others, &chooser(None, false, own));
        assert!(a.judged_pids().is_empty());
        assert_eq!(a.home.as_deref(), Some(Path::new(own)));
        assert!(a.why.to_string().contains("2 agents run here"), "{}", a.why);
        assert!(a.why.to_string().ends_with("(--home judges one of them)"));
        assert!(matches!(
            a.why,
            Choice::Yours {
                others: Others::Several(2),
                ..
            }
        ));
        // Two agents of the doctor's user: the one of its own home.
        let mine = [
            key(10, 1000, "/srv/a", None, None),
            key(20, 1000, own, None, None),
        ];
        let a = choose(group(&mine), &mine, &chooser(None, false, own));
        assert_eq!(a.judged_pids(), &[20]);
    }
}
