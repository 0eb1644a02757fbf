//! The test API server, runnable by hand:
//!
//!     cargo run --example test_api -- valid      # or: revoked, slow, html502, reset, skew, CODE
//!
//! It prints its URL (http://127.0.0.1:PORT) and serves for ten minutes; point the doctor at it
//! with `--api-url`. The same server backs the end-to-end tests.

#[path = "../tests/common/api.rs"]
mod api;

use api::{Api, Reply, DEVICE_OK, WHOAMI_OK};
use std::time::Duration;

fn main() {
    let mode = std::env::args().nth(1).unwrap_or_else(|| "valid".into());
    let server = match mode.as_str() {
        "valid" => Api::healthy(),
        "revoked" => Api::start(|_| Reply::error("REVOKED", 401)),
        "slow" => Api::start(|_| {
            Reply::After(
                Duration::from_secs(60),
                Box::new(Reply::json(200, WHOAMI_OK)),
            )
        }),
        "html502" => Api::start(|_| Reply::Json {
            status: 502,
            body: "<html><body>502 Bad Gateway</body></html>".into(),
            headers: vec![
                ("Content-Type".into(), "text/html".into()),
                ("cf-ray".into(), "8f1e2d3c4b5a-AMS".into()),
            ],
        }),
        "reset" => Api::start(|_| Reply::Reset),
        "skew" => Api::start(|r| {
            Reply::json(
                200,
                if r.path.starts_with("/v1/devices/") {
                    DEVICE_OK
                } else {
                    WHOAMI_OK
                },
            )
            .with_header("Date", "Mon, 01 Jan 2024 00:00:00 GMT")
        }),
        code if code.chars().all(|c| c.is_ascii_uppercase() || c == '_') => {
            let code = code.to_string();
            Api::start(move |_| Reply::error(&code, 400))
        }
        other => {
            eprintln!("unknown mode {other:?}: valid, revoked, slow, html502, reset, skew, or an error CODE");
            std::process::exit(2);
        }
    };
    println!("{}", server.url());
    std::thread::sleep(Duration::from_secs(600));
}
