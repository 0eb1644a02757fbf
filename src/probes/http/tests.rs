//! The HTTP probe against real local servers and its classifiers.
use super::*;

#[test]
fn plain_http_is_insecure_except_to_loopback() {
    let u = |s: &str| reqwest::Url::parse(s).unwrap();
    assert!(insecure(&u("http://api.example.com/")));
    assert!(insecure(&u("http://10.0.0.1:8080/")));
    assert!(!insecure(&u("http://127.0.0.1:8080/")));
    assert!(!insecure(&u("http://127.9.9.9/")));
    assert!(!insecure(&u("http://localhost:3000/")));
    assert!(!insecure(&u("http://[::1]:3000/")));
    assert!(!insecure(&u("https://api.example.com/")));
}

/// A resolver that fails every lookup, as a broken DNS would: no query leaves the machine.
struct NoDns;
impl reqwest::dns::Resolve for NoDns {
    fn resolve(&self, _: reqwest::dns::Name) -> reqwest::dns::Resolving {
        Box::pin(async { Err("no such host (test resolver)".into()) })
    }
}

#[tokio::test]
async fn a_dns_failure_is_told_apart() {
    let url = reqwest::Url::parse("https://api.agent-rooms.test/v1/whoami").unwrap();
    let limit = Duration::from_secs(5);
    let r = get_with(
        client_builder(limit)
            .dns_resolver(std::sync::Arc::new(NoDns))
            .build()
            .unwrap(),
        &url,
        None,
        limit,
    )
    .await;
    match r {
        HttpResult::Failed { kind, detail, .. } => {
            assert_eq!(kind, FailKind::Dns, "{detail}");
            assert!(detail.contains("no such host"), "{detail}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_proxy_is_chosen_as_curl_and_node_agents_choose_it() {
    let net = |pairs: &[(&str, &str)]| {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Net::from_vars(|k| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()))
    };
    let u = |s: &str| reqwest::Url::parse(s).unwrap();
    let n = net(&[
        ("HTTPS_PROXY", "http://secure:1"),
        ("http_proxy", "http://plain:2"),
        ("ALL_PROXY", "http://all:3"),
    ]);
    assert_eq!(
        n.proxy_for(&u("https://api.example/")),
        Some("http://secure:1")
    );
    assert_eq!(
        n.proxy_for(&u("http://127.0.0.1:8/")),
        Some("http://plain:2")
    );
    let n = net(&[("ALL_PROXY", "http://all:3"), ("HTTPS_PROXY", "  ")]);
    assert_eq!(
        n.proxy_for(&u("https://api.example/")),
        Some("http://all:3")
    );
    assert_eq!(n.described(), vec!["ALL_PROXY=http://all:3"]);
    // no_proxy: the host, a domain suffix (with or without a dot or star), or `*`.
    for list in [
        "api.example",
        ".example",
        "*.example",
        "other, example",
        "*",
    ] {
        let n = net(&[("HTTPS_PROXY", "http://p:1"), ("NO_PROXY", list)]);
        assert_eq!(n.proxy_for(&u("https://api.example/")), None, "{list}");
    }
    for list in ["pi.example", "other", ""] {
        let n = net(&[("HTTPS_PROXY", "http://p:1"), ("no_proxy", list)]);
        assert_eq!(
            n.proxy_for(&u("https://api.example/")),
            Some("http://p:1"),
            "{list}"
        );
    }
    assert_eq!(net(&[]).proxy_for(&u("https://api.example/")), None);
    let n = net(&[
        ("NODE_EXTRA_CA_CERTS", "/etc/ca.pem"),
        ("SSL_CERT_FILE", ""),
    ]);
    assert_eq!(
        n.ca_files,
        vec![("NODE_EXTRA_CA_CERTS".to_string(), "/etc/ca.pem".to_string())]
    );
}

// Unix error kinds for an unreadable CA file: Unix only (the Windows unit tests run on GitHub and under Wine).
#[cfg(unix)]
#[tokio::test]
async fn an_unusable_ca_file_is_said_before_any_request() {
    // Port 9 on loopback: were a request made, it would stay on this machine.
    let url = reqwest::Url::parse("https://127.0.0.1:9/v1/whoami").unwrap();
    let limit = Duration::from_secs(1);
    let net = Net {
        ca_files: vec![("NODE_EXTRA_CA_CERTS".into(), "/nonexistent/ca.pem".into())],
        ..Net::default()
    };
    match get(&url, None, limit, &net).await {
        HttpResult::Failed { kind, detail, .. } => {
            assert_eq!(kind, FailKind::Other);
            assert!(
                detail.starts_with("NODE_EXTRA_CA_CERTS=/nonexistent/ca.pem cannot be read"),
                "{detail}"
            );
        }
        other => panic!("{other:?}"),
    }
    let dir = tempfile::tempdir().unwrap();
    let not_pem = dir.path().join("ca.pem");
    std::fs::write(&not_pem, "not a certificate").unwrap();
    let net = Net {
        ca_files: vec![("SSL_CERT_FILE".into(), not_pem.display().to_string())],
        ..Net::default()
    };
    match get(&url, None, limit, &net).await {
        HttpResult::Failed { detail, .. } => {
            assert!(detail.contains("holds no usable PEM"), "{detail}")
        }
        other => panic!("{other:?}"),
    }
    // A real CA certificate is taken: the request is made (and refused by port 9).
    let ca = dir.path().join("real-ca.pem");
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
    std::fs::write(&ca, cert.cert.pem()).unwrap();
    let net = Net {
        ca_files: vec![("NODE_EXTRA_CA_CERTS".into(), ca.display().to_string())],
        ..Net::default()
    };
    match get(&url, None, limit, &net).await {
        HttpResult::Failed { kind, detail, .. } => {
            assert_eq!(kind, FailKind::Refused, "{detail}")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn excerpts_are_short_and_clean() {
    assert_eq!(
        excerpt(b"<html>\n<body>\x1b[31m502 Bad Gateway</body></html>"),
        "<html> <body>502 Bad Gateway</body></html>"
    );
    assert_eq!(excerpt(&[b'a'; 500]).chars().count(), 121);
}
