//! The passwd/NSS database: who a uid is, and where their home is.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInfo {
    pub uid: u32,
    pub name: String,
    pub home: Option<PathBuf>,
}

/// The user with `uid`; an unknown uid still has a name (`uid 1234`).
#[cfg(unix)]
pub fn by_uid(uid: u32) -> UserInfo {
    match nix::unistd::User::from_uid(nix::unistd::Uid::from_raw(uid)) {
        Ok(Some(u)) => UserInfo {
            uid,
            name: u.name,
            home: Some(u.dir),
        },
        _ => UserInfo {
            uid,
            name: format!("uid {uid}"),
            home: None,
        },
    }
}

/// The user running the doctor.
#[cfg(unix)]
pub fn me() -> UserInfo {
    by_uid(nix::unistd::geteuid().as_raw())
}

/// Windows has SIDs, not uids, and no root: the doctor's own user is uid 1 (never 0, so no
/// remedy assumes root), named from `USERNAME`, at home in `USERPROFILE`; any other uid the
/// process table gives (see `processes`) is another user, named by number.
#[cfg(not(unix))]
pub const MY_UID: u32 = 1;

#[cfg(not(unix))]
pub fn by_uid(uid: u32) -> UserInfo {
    if uid == MY_UID {
        return UserInfo {
            uid,
            name: std::env::var("USERNAME").unwrap_or_else(|_| "you".into()),
            home: std::env::var_os("USERPROFILE").map(PathBuf::from),
        };
    }
    UserInfo {
        uid,
        name: format!("uid {uid}"),
        home: None,
    }
}

#[cfg(not(unix))]
pub fn me() -> UserInfo {
    by_uid(MY_UID)
}
