//! The tests read the seed and the contract from tests/data/ (so a clean clone runs them); this
//! holds those copies to the originals in `../shared/` wherever that is present (always in CI).

mod common;

use std::path::Path;

fn same_as_shared(copy: &str, shared: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let original = root.join("..").join("shared").join(shared);
    let Some(original) = common::prerequisite(
        &format!("../shared/{shared}, to check tests/data/{copy} against"),
        std::fs::read_to_string(&original).ok(),
    ) else {
        return;
    };
    let ours = std::fs::read_to_string(root.join("tests/data").join(copy)).unwrap();
    assert!(
        ours == original,
        "tests/data/{copy} differs from ../shared/{shared}: copy it again (cp ../shared/{shared} tests/data/{copy}) and look at what changed"
    );
}

#[test]
fn the_seed_copy_matches_the_seed() {
    same_as_shared("seed.txt", "seed/000_b8c9eae6f7c265f3.txt");
}

#[test]
fn the_contract_copy_matches_the_contract() {
    same_as_shared("CONTRACT.md", "CONTRACT.md");
}

#[test]
fn the_copies_read_as_expected() {
    let codes = common::data::seed_codes();
    assert_eq!(codes.len(), 16, "{codes:?}");
    assert_eq!(codes[0], ("INVALID_PASSPORT".to_string(), 401));
    let contract = common::data::contract_codes();
    for c in [
        "REVOKED",
        "LISTENER_NOT_RUNNING",
        "HOME_NOT_FOUND",
        "INTERNAL_ERROR",
    ] {
        assert!(contract.iter().any(|x| x == c), "{c} in {contract:?}");
    }
}
