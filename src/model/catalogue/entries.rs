//! Every catalogue entry: the API's error codes and the operational answers of its
//! troubleshooting page (the seed's table) first, then the doctor's own finding codes.

use super::entry::{api, doc, Entry, Origin};
use crate::model::CheckId;

pub const INVALID_PASSPORT: &Entry = &api("INVALID_PASSPORT", 401, "The agent passport sent with the \
    request is not valid.",
    &["Re-authorize the connection: re-run the connector add for this agent, or regenerate its token in the dashboard.",
      "Put the new token in config.json (or AGENT_ROOMS_TOKEN) and restart `agent-rooms watch`."])
.now(CheckId::Token);
pub const IDENTITY_REQUIRED: &Entry = &api("IDENTITY_REQUIRED", 401, "The request arrived without a \
    usable passport or token, so the API could not tell who is calling.",
    &["Check that a token is configured (config.json `token`, AGENT_ROOMS_TOKEN, or --token-file) and that it is sent.",
      "If none is configured, re-run the connector add or generate a token in the dashboard, then \
          restart `agent-rooms watch`."])
.now(CheckId::Token);
pub const REVOKED: &Entry = &api("REVOKED", 401, "The credential or passport has been revoked; it \
    will never work again.",
    &["Generate a new token (or re-issue the passport) in the dashboard, or re-run the connector add.",
      "Update config.json or AGENT_ROOMS_TOKEN with it and restart `agent-rooms watch`."])
.now(CheckId::Token);
pub const FORBIDDEN_SCOPE: &Entry = &api("FORBIDDEN_SCOPE", 403, "The agent lacks a scope the action \
    needs (for example INVOKE for a cross-owner action).",
    &["Compare the scopes the token check lists with what the action needs.",
      "Issue a token with the missing scope in the dashboard, then update the connector and restart the listener."]);
pub const FORBIDDEN: &Entry = &api(
    "FORBIDDEN",
    403,
    "The caller is not allowed to perform this action.",
    &[
        "Check that the agent is acting for the right owner and in a room it may act in.",
        "Ask the room's owner for access if the action should be allowed.",
    ],
);
pub const NOT_A_MEMBER: &Entry = &api(
    "NOT_A_MEMBER",
    403,
    "The agent is not a member of the room it tried to act in.",
    &["Add the agent to the room (or ask the room's owner to), then retry."],
);
pub const NO_GRANT: &Entry = &api("NO_GRANT", 403, "A cross-owner grant is required: the other owner \
    has not approved this collaboration.",
    &["Ask the other owner to approve the cross-owner grant for your agent (see Cross-owner in the \
        docs), then retry."]);
pub const THREAD_NOT_ACTIVE: &Entry = &api(
    "THREAD_NOT_ACTIVE",
    409,
    "The room is not active for agent writes: it is paused, stopped or archived.",
    &["Resume or reopen the room in the dashboard, or have the agent write to an active room."],
);
pub const UPLOAD_NOT_COMPLETE: &Entry = &api("UPLOAD_NOT_COMPLETE", 409, "A file upload is still \
    pending, or its bytes have not landed and been verified yet.",
    &["Finish the upload (send all bytes and complete it), wait for verification, then retry (see \
        Files in the docs)."]);
pub const CONSTRAINED_RUNTIME_REQUIRED: &Entry = &api(
    "CONSTRAINED_RUNTIME_REQUIRED",
    403,
    "This \
    cross-owner wake needs a constrained runtime. The listener enforces this for you.",
    &[
        "Let `agent-rooms watch` perform the wake rather than calling the API directly; update \
        agent-rooms if the listener is old.",
    ],
);
pub const UPGRADE_REQUIRED: &Entry = &api(
    "UPGRADE_REQUIRED",
    402,
    "The action needs an upgraded plan.",
    &["Upgrade the owner's plan in the dashboard, or avoid the action."],
);
pub const RATE_LIMITED: &Entry = &api("RATE_LIMITED", 429, "Too many requests: the API asks the caller to back off.",
    &["Wait for the time in Retry-After (when given) before retrying, and reduce the request rate \
        (see Rate limits in the docs).",
      "Check that only one listener runs for this agent: duplicates double the traffic."])
    .because(&[LISTENER_DUPLICATE]);
pub const NOT_FOUND: &Entry = &api("NOT_FOUND", 404, "The resource does not exist, or the caller cannot see it.",
    &["Check the id in the request; it may have been deleted, or belong to an owner this agent cannot see."]);
pub const VALIDATION: &Entry = &api(
    "VALIDATION",
    400,
    "The request is invalid; `fields` names the offending input.",
    &["Correct each input that `fields` names and send the request again."],
);
pub const CONFLICT: &Entry = &api(
    "CONFLICT",
    409,
    "The request conflicts with the current state of the resource.",
    &["Fetch the current state, reconcile, and retry only if the change still makes sense."],
);
pub const INTERNAL: &Entry = &api(
    "INTERNAL",
    500,
    "An unexpected server error.",
    &[
        "Retry in a little while.",
        "If it persists, contact support and quote the request_id.",
    ],
);
pub const ALREADY_CLAIMED: &Entry = &Entry {
    code: "already_claimed",
    origin: Origin::Gotcha,
    http_status: None,
    meaning: "claim_task answered already_claimed: another instance of the agent owns this task.",
    steps: &["Nothing to do for this task: another instance of your agent claimed it and does the \
        work (an agent that sees this must stop: do not retry the claim, do not do the task's work).",
             "If you did not expect another instance, look for a second listener (run `agent-rooms-doctor listener`)."],
    commands: &[&["agent-rooms-doctor", "listener"]],
    // Two instances of one agent claim the same tasks.
    caused_by: &[LISTENER_DUPLICATE],
    judged_now_by: None,
};

// The doctor's own findings.
pub const LISTENER_NOT_RUNNING: &Entry = &doc("LISTENER_NOT_RUNNING", "No `agent-rooms watch` \
    process is running, so nothing holds the connection that wakes the agent.",
    &["Start the listener as the OS user who owns the agent (and is logged in to the host CLI).",
      "If a service manager (systemd, launchd) should run it, start the service and check its logs."],
    &[&["agent-rooms", "watch"]])
    .because(&[HOME_NOT_FOUND]);
pub const LISTENER_DUPLICATE: &Entry = &doc("LISTENER_DUPLICATE", "More than one `agent-rooms watch` \
    is running; the instances fight over tasks (one gets already_claimed).",
    &["Keep one listener per agent: stop the extra processes (or the extra service), leaving the one \
        that runs as the right user."],
    &[]);
pub const LISTENER_OTHER_USER: &Entry = &doc("LISTENER_OTHER_USER", "The listener runs as a \
    different OS user than the one running the doctor (or than the one logged in to the host CLI); \
    logins and files are per user.",
    &["Check from the listener's side, as its user, or run the listener as the user who is logged in to the host CLI."],
    &[]);
pub const LISTENER_STALE_HEARTBEAT: &Entry = &doc("LISTENER_STALE_HEARTBEAT", "The listener process \
    is alive but has not written its heartbeat (listener.json) for over 90 s: it is probably stuck.",
    &["Restart the listener; if it happens again, run it in a terminal to see its errors."],
    &[])
    .because(&[LISTENER_STOPPED]);
pub const LISTENER_DISCONNECTED: &Entry = &doc("LISTENER_DISCONNECTED", "The listener runs but \
    reports it is not connected to the API, so no work can reach it.",
    &["Check the network checks (`agent-rooms-doctor api token`); the listener reconnects on its own \
        once the API is reachable and the token valid.",
      "If the API is fine, restart the listener."],
    &[&["agent-rooms-doctor", "api", "token"]])
    .because(&[LISTENER_STOPPED, API_URL_MISSING, API_URL_WRONG, API_INSECURE_URL, API_UNREACHABLE,
        API_BAD_RESPONSE, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, INVALID_PASSPORT, REVOKED,
        RATE_LIMITED]);
pub const LISTENER_UNSEEN: &Entry = &doc("LISTENER_UNSEEN", "The listener says it is connected (a \
    fresh heartbeat, connected: true), but the server has not heard from this device for over 5 \
    minutes: something between them (a proxy, a VPN, a NAT) dropped the connection without telling \
    the listener, or it is connected with another identity. No work reaches it.",
    &["Restart the listener through what runs it; if it happens again, look at the proxy, VPN or NAT \
        between it and the API (the message names the proxy from its environment)."],
    &[]);
pub const LISTENER_CRASHED: &Entry = &doc("LISTENER_CRASHED", "What runs the listener (pm2, systemd, \
    launchd, a container) reports that it exited with an error, was killed, hit its restart limit or \
    keeps restarting, or its log shows it died: a start would crash the same way.",
    &["Read how it ended and its last lines (the message quotes them), fix that cause, then restart \
        it through its supervisor."],
    &[])
    .now(CheckId::Listener);
pub const LISTENER_NOT_ENABLED: &Entry = &doc("LISTENER_NOT_ENABLED", "A service or pm2 app for the \
    listener exists, but nothing starts it at boot: after a restart of the machine, no listener runs.",
    &["Enable it at boot: `systemctl enable NAME` for a unit, `pm2 save` and `pm2 startup` for pm2, \
        lingering for a user unit."],
    &[]);
pub const LISTENER_STOPPED: &Entry = &doc(
    "LISTENER_STOPPED",
    "The listener process exists but is stopped (Ctrl-Z, SIGSTOP, a debugger): it handles nothing, \
        so no work wakes the agent.",
    &["Resume it (`kill -CONT PID`, or `fg` in the terminal that stopped it), or restart it."],
    &[],
);
pub const LISTENER_OUTDATED: &Entry = &doc(
    "LISTENER_OUTDATED",
    "The listener runs old code: its \
    executable or script was deleted, replaced or modified after it started (an upgrade it has not \
    picked up).",
    &["Restart the listener so it runs the installed version."],
    &[],
);
pub const LISTENER_TLS_UNVERIFIED: &Entry = &doc("LISTENER_TLS_UNVERIFIED", "The listener runs with \
    NODE_TLS_REJECT_UNAUTHORIZED=0: it accepts any TLS certificate, so its connection to the API \
    (and its token) can be intercepted.",
    &["Remove NODE_TLS_REJECT_UNAUTHORIZED from the listener's environment; if a proxy re-signs TLS, \
        give node its CA with NODE_EXTRA_CA_CERTS instead. Then restart the listener."],
    &[]);
pub const LISTENER_NO_LINGER: &Entry = &doc(
    "LISTENER_NO_LINGER",
    "The listener runs from a systemd \
    user unit, but lingering is off for its user: systemd stops the user's units at logout and \
    starts them only at the next login, so the agent cannot be woken while nobody is logged in.",
    &["Enable lingering for the listener's user, so the user unit runs without a login session."],
    &[&["loginctl", "enable-linger", "USER"]],
);
pub const HOME_NOT_FOUND: &Entry = &doc("HOME_NOT_FOUND", "The agent-rooms home being judged does \
    not exist and no listener is running: agent-rooms was never set up for this user on this \
    machine, or it was set up for another user (or with AGENT_ROOMS_HOME elsewhere).",
    &["If agent-rooms is set up for another user, run the doctor as that user (or point it at that \
        home with --home DIR).",
      "Otherwise set agent-rooms up here: add the connector for this agent (it writes config.json), \
          pair this device, then start `agent-rooms watch`."],
    &[]);
pub const HOST_SELF_CHECK: &Entry = &doc(
    "HOST_SELF_CHECK",
    "The host CLI's own doctor (run with --deep, as the listener's user, with its environment) \
        reports a check that did not pass; the message and first step are the host's own words.",
    &["Follow the host's own advice above, then run `agent-rooms-doctor host --deep` again."],
    &[],
);
pub const DEVICE_NOT_PAIRED: &Entry = &doc(
    "DEVICE_NOT_PAIRED",
    "This device has not been paired (no valid device.json in the agent-rooms home).",
    &["Pair this device with agent-rooms, then restart the listener."],
    &[],
)
.because(&[HOME_NOT_FOUND]);
pub const DEVICE_UNKNOWN_TO_SERVER: &Entry = &doc(
    "DEVICE_UNKNOWN_TO_SERVER",
    "device.json names a device the server no longer knows: its pairing was removed.",
    &["Pair this device again, then restart the listener."],
    &[],
);
pub const DEVICE_ACTIVE_ELSEWHERE: &Entry = &doc("DEVICE_ACTIVE_ELSEWHERE", "The server heard from \
    this device in the last 2 minutes, but no listener of this agent runs here: another machine, a \
    container or an old copy of this home holds the same device and token, and it takes this \
    device's work.",
    &["Find the other listener (another machine, a container, a copied home) and stop it, or pair \
        this device anew so each has its own identity; then start the listener here."],
    &[]);
pub const HOST_NOT_CONFIGURED: &Entry = &doc("HOST_NOT_CONFIGURED", "No host CLI is configured, and \
    none of the known ones was found on the PATH judged (the finding names them).",
    &["Install the host CLI the agent should use, and set `host` in config.json (or pass --host)."],
    &[])
    .because(&[HOME_NOT_FOUND]);
pub const HOST_NOT_FOUND: &Entry = &doc(
    "HOST_NOT_FOUND",
    "The host CLI is not on the PATH the \
    listener runs with, so it cannot be woken.",
    &[
        "Add the directory that holds the host CLI to the listener's PATH (in its service unit or \
        start script), or symlink the binary into a directory on that PATH, then restart the \
        listener.",
    ],
    &[],
);
pub const HOST_INTERPRETER_MISSING: &Entry = &doc("HOST_INTERPRETER_MISSING", "The host CLI is \
    found, but the interpreter its #! line names (usually `node`) is not on the same PATH, so it \
    cannot start.",
    &["Add the directory that holds the interpreter (e.g. node) to the listener's PATH, then restart the listener."],
    &[]);
pub const HOST_CANNOT_START: &Entry = &doc("HOST_CANNOT_START", "The host CLI the listener would run \
    cannot start: a broken install (a dangling link, no execute bit, a placeholder its install \
    script never replaced, a missing platform package), a node older than it needs, or a program for \
    another machine. A stored login does not help until it starts.",
    &["Repair or reinstall the host CLI the listener runs (the message names the file and what is \
        wrong with it), as the user who owns it; logging in does not help until it starts."],
    &[]);
pub const HOST_NOT_LOGGED_IN: &Entry = &doc(
    "HOST_NOT_LOGGED_IN",
    "The host CLI is not logged in for the listener's OS user and environment.",
    &["Log in to the host CLI as the listener's user, then check again."],
    &[],
);
pub const HOST_LOGGED_IN_OTHER_USER: &Entry = &doc(
    "HOST_LOGGED_IN_OTHER_USER",
    "The host CLI is logged in for you, but not for the OS user the listener runs as.",
    &["Log in as the listener's user (logins are per OS user), or run the listener as your user."],
    &[],
);
pub const HOST_LOGIN_UNVERIFIED: &Entry = &doc(
    "HOST_LOGIN_UNVERIFIED",
    "The doctor could not tell whether the host CLI is logged in for the listener's user.",
    &["Run the host CLI's status command as the listener's user and read its answer."],
    &[],
);
pub const TOKEN_MISSING: &Entry = &doc("TOKEN_MISSING", "No agent-rooms token is configured (no \
    --token-file, AGENT_ROOMS_TOKEN or config.json `token`).",
    &["Re-run the connector add, or regenerate the token in the dashboard and put it in config.json."],
    &[])
    .because(&[HOME_NOT_FOUND]);
pub const TOKEN_MALFORMED: &Entry = &doc("TOKEN_MALFORMED", "The configured token cannot be sent as \
    a bearer token: it holds a line break, a control character or a space, or is empty (often a \
    copy-paste accident). It was not sent.",
    &["Put the token back on one line, without spaces or quotes, where the finding says it comes \
        from, then restart `agent-rooms watch`."],
    &[]);
pub const TOKEN_EXPIRED: &Entry = &doc("TOKEN_EXPIRED", "The token has expired.",
    &["Regenerate the token and update the connector / dashboard (config.json or AGENT_ROOMS_TOKEN), \
        then restart the listener."],
    &[]);
pub const TOKEN_EXPIRING_SOON: &Entry = &doc("TOKEN_EXPIRING_SOON", "The token expires within 7 days.",
    &["Regenerate the token before it expires and update the connector, then restart the listener."],
    &[]);
pub const TOKEN_FILE_TOO_OPEN: &Entry = &doc(
    "TOKEN_FILE_TOO_OPEN",
    "A file that holds the token can be read by other users.",
    &["Make the file readable by its owner only."],
    &[],
);
pub const TOKEN_LISTENER_MISMATCH: &Entry = &doc("TOKEN_LISTENER_MISMATCH", "The running listener's \
    environment holds a different AGENT_ROOMS_TOKEN than the token the doctor checked, so the \
    listener runs with another token.",
    &["Make the listener use the token you mean: update AGENT_ROOMS_TOKEN where the listener is \
        started (service unit or shell), or remove it there so config.json is used, then restart the \
        listener."],
    &[]);
pub const API_URL_MISSING: &Entry = &doc(
    "API_URL_MISSING",
    "No API URL is configured; there is no built-in default, so the network checks are skipped.",
    &["Set `api_url` in config.json, or AGENT_ROOMS_API_URL, or pass --api-url."],
    &[],
)
.because(&[HOME_NOT_FOUND]);
pub const API_URL_WRONG: &Entry = &doc("API_URL_WRONG", "The API answers 404 for /v1/whoami: the API \
    URL's path is wrong (a missing or extra path segment), so nothing can reach the API through it. \
    It says nothing about the token.",
    &["Set the API URL to the API's base (without /v1): config.json `api_url`, AGENT_ROOMS_API_URL, \
        or --api-url — whichever the finding names."],
    &[]);
pub const API_INSECURE_URL: &Entry = &doc(
    "API_INSECURE_URL",
    "The API URL is plain http:// to a host that is not loopback; the doctor does not send the token over it.",
    &["Use the https:// URL of the API."],
    &[],
);
pub const API_UNREACHABLE: &Entry = &doc("API_UNREACHABLE", "The API could not be reached (DNS, \
    connection, TLS or timeout; the message says which). This says nothing about the token.",
    &["Check the machine's network, DNS and proxy settings (HTTPS_PROXY, NO_PROXY), and that the API URL is right.",
      "For a TLS failure, check the system clock and any intercepting proxy."],
    &[]);
pub const API_BAD_RESPONSE: &Entry = &doc("API_BAD_RESPONSE", "The API answered with something that \
    is not its JSON error envelope (an HTML error page, empty or truncated body); often a proxy or \
    load balancer in between.",
    &["Retry shortly; if it persists, send support the status, the excerpt and the request id shown."],
    &[]);
pub const CLOCK_SKEW: &Entry = &doc(
    "CLOCK_SKEW",
    "This machine's clock differs from the API's by more than 60 s; tokens and passports fail on a \
        wrong clock.",
    &["Turn on time synchronisation (NTP) and check the time zone."],
    &[&["timedatectl", "set-ntp", "true"]],
);
pub const CONFIG_INVALID: &Entry = &doc("CONFIG_INVALID", "An agent-rooms file is unusable: bad \
    JSON, wrong types, not a regular file, unreadable or too large (the message names the file and why).",
    &["Fix or recreate the file named in the message; re-running the connector add or pairing writes it anew."],
    &[]);
pub const NOT_READABLE: &Entry = &doc("NOT_READABLE", "The doctor's user may not read a file or \
    directory of the agent (its permissions keep the doctor out): nothing is known to be wrong with \
    it, and what it holds cannot be judged from here.",
    &["Run the doctor as root, or as the user who owns the agent: there it can read what it needs."],
    &[]);
pub const CHECK_TIMED_OUT: &Entry = &doc("CHECK_TIMED_OUT", "A check did not finish within \
    --timeout; something it waited on (the API, a host CLI, the process table) hangs.",
    &["Run the check alone with a larger --timeout to see what it waits on; the message names the check."],
    &[]);
pub const NOTHING_CHECKED: &Entry = &doc("NOTHING_CHECKED", "Under --strict, no check passed: \
    everything was skipped, so the run proved nothing (a smoke check cannot pass by proving \
    nothing).",
    &["Run the checks the install should pass (drop --skip and --offline where you can), or leave \
        out --strict when a skipped run is what you mean."],
    &[]);
pub const INTERNAL_ERROR: &Entry = &doc(
    "INTERNAL_ERROR",
    "The doctor itself failed while inspecting something (the message says where); the other checks \
        still ran.",
    &["Run `agent-rooms-doctor report` and send it to support with this message."],
    &[&["agent-rooms-doctor", "report"]],
);
