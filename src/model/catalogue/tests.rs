//! The catalogue's own rules: every seed code is explained, lookups, closest codes.

use super::*;

mod data {
    include!("../../../tests/data/mod.rs");
}

fn seed_table() -> Vec<(String, u16)> {
    data::seed_codes()
}

#[test]
fn catalogue_holds_every_seed_code_with_its_status() {
    let table = seed_table();
    assert_eq!(table.len(), 16, "the seed's table has 16 codes: {table:?}");
    for (code, status) in &table {
        let e = get(code).unwrap_or_else(|| panic!("{code} missing from the catalogue"));
        assert_eq!(e.origin, Origin::Api);
        assert_eq!(e.http_status, Some(*status), "{code}");
        assert!(!e.meaning.is_empty() && !e.steps.is_empty(), "{code}");
    }
    let api_codes = CATALOGUE.iter().filter(|e| e.origin == Origin::Api).count();
    assert_eq!(api_codes, 16);
}

/// Contract codes whose checks are still to be built, each with the issue that builds it.
/// A code leaves this list when it enters the catalogue (the test below says so).
const PENDING: &[(&str, &str)] = &[];

#[test]
fn every_contract_finding_code_is_catalogued() {
    let codes = data::contract_codes();
    assert!(
        codes.len() > 40,
        "the contract's codes were read: {codes:?}"
    );
    for code in &codes {
        match (get(code), PENDING.iter().find(|(c, _)| c == code)) {
            (Some(e), None) => assert!(!e.steps.is_empty(), "{code} has no steps"),
            (None, Some(_)) => {}
            (Some(_), Some((_, issue))) => {
                panic!("{code} is catalogued now: take it off PENDING ({issue})")
            }
            (None, None) => panic!("{code} is in the contract but not in the catalogue"),
        }
    }
    for (code, _) in PENDING {
        assert!(
            codes.iter().any(|c| c == code),
            "{code} is not a contract code"
        );
    }
}

#[test]
fn codes_are_unique() {
    let mut codes: Vec<_> = CATALOGUE.iter().map(|e| e.code).collect();
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), CATALOGUE.len());
}

#[test]
fn lookup_forgives_case_and_dashes_and_suggests() {
    assert_eq!(lookup("revoked").unwrap().code, "REVOKED");
    assert_eq!(lookup("Already-Claimed").unwrap().code, "already_claimed");
    assert!(lookup("REVOKD").is_none());
    assert_eq!(closest("REVOKD")[0], "REVOKED");
    assert!(closest("zzzzzzzzzzzzzzzzzz").is_empty());
}

#[test]
fn unknown_code_gets_a_pass_through_remedy() {
    let r = remedy(&Code::of_api("TEAPOT"));
    assert!(r.steps[0].contains("TEAPOT"));
}
