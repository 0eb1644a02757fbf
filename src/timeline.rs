//! What changed since it last worked: the events this machine records that bear on the wake
//! chain, gathered after the checks from what they found (the listener's start, the host CLI's
//! binary and login files, the home's files, the token's JWT, the log's codes) and a few stats
//! (modification and creation times, the boot time). Facts only: each event has the time the
//! system records and where it was read.

use crate::checks::{self, token};
use crate::ctx::Ctx;
use crate::ctx::Install;
use crate::engine::TEXT_CAP;
use crate::model::report::Report;
use crate::model::timeline::{Event, Events};
use crate::model::CheckId;
use crate::probes::{files, system};
use crate::sanitize;

/// The events bearing on `report`'s links, newest first (`timeline::bearing` picks): the boot,
/// the home's files and the token (the install's), and what each check's facts lead to (its
/// `Check::events`).
pub async fn gather(ctx: &Ctx, report: &Report) -> Vec<Event> {
    let mut out = Events::default();
    // Nothing is set up here: there is no agent whose history could explain anything.
    if ctx.nothing_set_up().await.is_some() {
        return vec![];
    }
    out.add(
        system::boot_time(),
        "the machine booted".into(),
        "the system's boot time".into(),
        &[],
    );
    for c in &report.checks {
        if let Some(def) = checks::by_id(c.id) {
            (def.events)(&c.facts, &mut out);
        }
    }
    install_events(&*ctx.install().await, &mut out);
    // Where events enter the report: the paths and names in them are data from here on (a log's
    // path may hold an escape sequence), so no renderer has to clean them.
    let mut out: Vec<Event> = out
        .0
        .into_iter()
        .map(|e| Event {
            what: sanitize::outside(&e.what, TEXT_CAP),
            source: sanitize::outside(&e.source, TEXT_CAP),
            ..e
        })
        .collect();
    // The same event read twice (two targets, one binary) is one event.
    out.sort_by(|a, b| (a.at, &a.what, &a.source).cmp(&(b.at, &b.what, &b.source)));
    out.dedup();
    out.reverse();
    out
}

/// The home's files changed, the token issued, its file changed.
fn install_events(install: &Install, out: &mut Events) {
    if let Some(home) = &install.home.path {
        // config.json holds the token, the API URL and the host.
        let config: &[CheckId] = &[CheckId::Token, CheckId::Api, CheckId::Host];
        for (name, links) in [
            ("config.json", config),
            ("device.json", &[CheckId::Device][..]),
            ("listener.json", &[CheckId::Listener, CheckId::Logs][..]),
        ] {
            let p = home.join(name);
            let (what, source) = (format!("{name} changed"), p.display().to_string());
            out.add(files::stat(&p).map(|m| m.modified), what, source, links);
        }
    }
    if let Some(t) = &install.settings.token {
        out.add(
            token::jwt_time(t.token.expose(), "iat"),
            "the token was issued (its JWT's iat)".into(),
            format!("the token from {}", t.source),
            &[CheckId::Token],
        );
        if let Some((p, meta)) = &t.file {
            if p.file_name().is_none_or(|n| n != "config.json") {
                out.add(
                    Some(meta.modified),
                    "the token file changed".into(),
                    p.display().to_string(),
                    &[CheckId::Token],
                );
            }
        }
    }
}
