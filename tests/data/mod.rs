// Test data read from one place: the API's troubleshooting page (the seed) and the contract,
// copied into tests/data/ so the tests run on a clean clone; `tests/seed.rs` holds that the
// copies match `../shared/` where it is present. Included by unit tests (`include!`) and by the
// end-to-end tests (`mod data`).

/// The seed's error table: (code, HTTP status), in the page's order.
pub fn seed_codes() -> Vec<(String, u16)> {
    let text = include_str!("seed.txt");
    // The page's table is a code line (`CODE |`) followed by a status line (`NNN | …`).
    let lines: Vec<&str> = text.lines().collect();
    let mut out = vec![];
    for w in lines.windows(2) {
        let code = w[0].trim().trim_end_matches('|').trim();
        let status = w[1].split('|').next().unwrap_or("").trim();
        if !code.is_empty()
            && code.chars().all(|c| c.is_ascii_uppercase() || c == '_')
            && status.len() == 3
        {
            if let Ok(s) = status.parse::<u16>() {
                out.push((code.to_string(), s));
            }
        }
    }
    out
}

/// Every finding code the contract's "Finding codes" section names (API codes and the doctor's).
pub fn contract_codes() -> Vec<String> {
    let text = include_str!("CONTRACT.md");
    let start = text
        .find("### Finding codes")
        .expect("the contract has a Finding codes section");
    let section = &text[start..];
    let end = section[4..].find("\n### ").map_or(section.len(), |i| i + 4);
    let mut out: Vec<String> = vec![];
    for part in section[..end].split('`').skip(1).step_by(2) {
        if part.len() > 2
            && part.chars().all(|c| c.is_ascii_uppercase() || c == '_')
            && !out.iter().any(|c| c == part)
        {
            out.push(part.to_string());
        }
    }
    out
}
