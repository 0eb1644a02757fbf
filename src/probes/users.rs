//! The passwd/NSS database: who a uid is, and where their home is.

use serde::Serialize;
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserInfo {
    pub uid: u32,
    pub name: String,
    pub home: Option<PathBuf>,
}

/// The user with `uid`; an unknown uid still has a name (`uid 1234`).
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
pub fn me() -> UserInfo {
    by_uid(nix::unistd::geteuid().as_raw())
}
