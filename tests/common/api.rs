//! A real HTTP/1.1 server on 127.0.0.1 (port 0) that speaks the agent-rooms API and can be told
//! to misbehave: every way a response can go wrong, per request path. Threads, std only, so it
//! runs beside blocking assert_cmd calls. Used by the end-to-end tests and by
//! `cargo run --example test_api -- MODE` for trying the doctor by hand.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub path: String,
    pub headers: Vec<(String, String)>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What to answer.
#[derive(Debug, Clone)]
pub enum Reply {
    Json {
        status: u16,
        body: String,
        headers: Vec<(String, String)>,
    },
    /// These exact bytes, then close.
    Raw(Vec<u8>),
    /// Wait, then answer.
    After(Duration, Box<Reply>),
    /// Close the connection without a word (a reset, as the client sees it).
    Reset,
    /// Headers, then part of the body, then close mid-body.
    Truncated {
        status: u16,
        declared: usize,
        sent: String,
    },
    /// Headers, then a body that trickles forever.
    Endless,
    /// These bytes, one every `every`.
    Trickle { bytes: Vec<u8>, every: Duration },
}

impl Reply {
    pub fn json(status: u16, body: &str) -> Reply {
        Reply::Json {
            status,
            body: body.to_string(),
            headers: vec![],
        }
    }
    pub fn with_header(self, k: &str, v: &str) -> Reply {
        match self {
            Reply::Json {
                status,
                body,
                mut headers,
            } => {
                headers.push((k.into(), v.into()));
                Reply::Json {
                    status,
                    body,
                    headers,
                }
            }
            other => other,
        }
    }
    /// The seed's envelope for `code` with its status.
    pub fn error(code: &str, status: u16) -> Reply {
        Reply::json(
            status,
            &format!(
                r#"{{"error":{{"code":"{code}","status":{status},"message":"test says {code}","request_id":"req-{}","fields":{{}}}}}}"#,
                code.to_lowercase()
            ),
        )
    }
}

pub const WHOAMI_OK: &str = r#"{"agent_id":"agt_test1","owner_id":"own_test1","scopes":["READ","INVOKE"],"expires_at":null}"#;
pub const DEVICE_OK: &str =
    r#"{"device_id":"dev_test1","paired":true,"last_seen_at":"2026-11-25T11:00:00Z"}"#;

type Route = dyn Fn(&Seen) -> Reply + Send + Sync;

pub struct Api {
    pub port: u16,
    pub seen: Arc<Mutex<Vec<Seen>>>,
}

impl Api {
    /// Start a server answering with `route`.
    pub fn start(route: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> Api {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(vec![]));
        let route: Arc<Route> = Arc::new(route);
        let s2 = seen.clone();
        thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { continue };
                let (route, seen) = (route.clone(), s2.clone());
                thread::spawn(move || serve(conn, &*route, &seen));
            }
        });
        Api { port, seen }
    }

    /// A healthy API: the token is accepted and the device known.
    pub fn healthy() -> Api {
        Api::start(|r| {
            if r.path.starts_with("/v1/devices/") {
                Reply::json(200, DEVICE_OK)
            } else {
                Reply::json(200, WHOAMI_OK)
            }
        })
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn requests(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

fn serve(mut conn: TcpStream, route: &Route, seen: &Mutex<Vec<Seen>>) {
    let _ = conn.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut headers = vec![];
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.trim_end().split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let req = Seen { path, headers };
    seen.lock().unwrap().push(req.clone());
    answer(&mut conn, route(&req));
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        _ => "Status",
    }
}

fn answer(conn: &mut TcpStream, reply: Reply) {
    match reply {
        Reply::Json {
            status,
            body,
            headers,
        } => {
            let mut head = format!(
                "HTTP/1.1 {status} {}\r\nContent-Length: {}\r\nConnection: close\r\n",
                reason(status),
                body.len()
            );
            if !headers
                .iter()
                .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
            {
                head.push_str("Content-Type: application/json\r\n");
            }
            for (k, v) in headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str("\r\n");
            let _ = conn.write_all(head.as_bytes());
            let _ = conn.write_all(body.as_bytes());
        }
        Reply::Raw(bytes) => {
            let _ = conn.write_all(&bytes);
        }
        Reply::After(d, next) => {
            thread::sleep(d);
            answer(conn, *next);
        }
        Reply::Reset => {
            // SO_LINGER 0 makes close send RST.
            let _ = socket_linger_zero(conn);
        }
        Reply::Truncated {
            status,
            declared,
            sent,
        } => {
            let _ = conn.write_all(format!("HTTP/1.1 {status} {}\r\nContent-Type: application/json\r\nContent-Length: {declared}\r\n\r\n{sent}", reason(status)).as_bytes());
            let _ = conn.flush();
            let _ = conn.shutdown(Shutdown::Both);
        }
        Reply::Trickle { bytes, every } => {
            for b in bytes {
                if conn.write_all(&[b]).is_err() {
                    break;
                }
                thread::sleep(every);
            }
        }
        Reply::Endless => {
            let _ = conn.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
            for _ in 0..600 {
                if conn.write_all(b"1\r\n \r\n").is_err() {
                    break;
                }
                thread::sleep(Duration::from_millis(50));
            }
        }
    }
    let mut sink = [0u8; 1];
    let _ = conn.set_read_timeout(Some(Duration::from_millis(10)));
    let _ = conn.read(&mut sink);
}

fn socket_linger_zero(conn: &TcpStream) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    let l = nix::libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: a valid socket fd and a correctly sized linger struct.
    let rc = unsafe {
        nix::libc::setsockopt(
            conn.as_raw_fd(),
            nix::libc::SOL_SOCKET,
            nix::libc::SO_LINGER,
            &l as *const _ as *const nix::libc::c_void,
            std::mem::size_of::<nix::libc::linger>() as u32,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// A TLS endpoint on 127.0.0.1 with a freshly made self-signed certificate, answering like a
/// healthy API to any client that trusts it (the doctor must not).
/// Returns the certificate (PEM) too, for a client told to trust it (NODE_EXTRA_CA_CERTS).
pub fn start_tls_self_signed() -> (Api, String) {
    use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
    let ck =
        rcgen::generate_simple_self_signed(vec!["localhost".into(), "127.0.0.1".into()]).unwrap();
    let pem = ck.cert.pem();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(ck.signing_key.serialize_der()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![ck.cert.der().clone()], key)
        .unwrap();
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(vec![]));
    let s2 = seen.clone();
    thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut tcp) = conn else { continue };
            let (config, seen) = (config.clone(), s2.clone());
            thread::spawn(move || {
                let _ = tcp.set_read_timeout(Some(Duration::from_secs(5)));
                let Ok(mut tls) = rustls::ServerConnection::new(config) else {
                    return;
                };
                let mut stream = rustls::Stream::new(&mut tls, &mut tcp);
                let mut buf = [0u8; 4096];
                // A client that accepted the certificate gets here and would send its request.
                if let Ok(n) = stream.read(&mut buf) {
                    if n > 0 {
                        seen.lock().unwrap().push(Seen {
                            path: String::from_utf8_lossy(&buf[..n])
                                .lines()
                                .next()
                                .unwrap_or("")
                                .into(),
                            headers: vec![],
                        });
                        let body = WHOAMI_OK;
                        let _ = stream.write_all(format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()).as_bytes());
                    }
                }
            });
        }
    });
    (Api { port, seen }, pem)
}
