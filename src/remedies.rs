//! Commands more than one check prints: an npm package installed again where it is, a command
//! run as the owner of what it changes. (Checks never import each other; they share these.)

use crate::model::command::{cmd, Command, Machine, Spec};
use crate::probes::npm::NpmPackage;
use crate::probes::users::UserInfo;

/// A command run as `owner` (root's as root; the doctor's own prints plain), only shown.
pub fn by_owner(machine: &Machine, c: Spec, owner: Option<&UserInfo>) -> Command {
    match owner {
        Some(o) if o.uid == 0 => c.as_root(),
        Some(o) => c.as_user(&o.name, o.uid),
        None => c,
    }
    .on(machine)
}

/// `npm install` of `pkg` again into the prefix it is in, as the user who owns it (None when
/// its prefix is not known).
pub fn npm_install(machine: &Machine, pkg: &NpmPackage) -> Option<Command> {
    let prefix = pkg.prefix.as_ref()?.display().to_string();
    let spec = match &pkg.version {
        Some(v) => format!("{}@{v}", pkg.name),
        None => pkg.name.clone(),
    };
    let argv: Vec<&str> = if pkg.global {
        vec!["npm", "install", "-g", "--prefix", &prefix, &spec]
    } else {
        vec!["npm", "install", "--prefix", &prefix, &spec]
    };
    Some(by_owner(machine, cmd(argv), pkg.owner.as_ref()))
}
