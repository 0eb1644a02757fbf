//! Issue 41: a JSON Schema per document kind, committed under `schemas/`, generated from the
//! types that write the documents (`render::documents::schemas`), each a valid 2020-12 schema.
//! Every end-to-end test's JSON is validated against its kind's schema (`common::document`).
//! `AGENT_ROOMS_DOCTOR_WRITE_SCHEMAS=1 cargo test --test schemas` writes them again.

mod common;

use agent_rooms_doctor::render::documents;

#[test]
fn the_committed_schemas_are_the_ones_the_types_give() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    let write = std::env::var_os("AGENT_ROOMS_DOCTOR_WRITE_SCHEMAS").is_some();
    let mut stale = vec![];
    let kinds = documents::schemas();
    for (kind, schema) in &kinds {
        let text = serde_json::to_string_pretty(schema.as_value()).unwrap() + "\n";
        let path = dir.join(format!("{kind}.json"));
        if write {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &text).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(path.display().to_string());
        }
        // A schema a real validator accepts as one (the 2020-12 meta-schema).
        jsonschema::meta::validate(schema.as_value())
            .unwrap_or_else(|e| panic!("{kind}: not a valid JSON Schema: {e}"));
    }
    assert!(
        stale.is_empty(),
        "stale (run AGENT_ROOMS_DOCTOR_WRITE_SCHEMAS=1 cargo test --test schemas): {stale:?}"
    );
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut want: Vec<String> = kinds.iter().map(|(k, _)| format!("{k}.json")).collect();
    want.sort();
    assert_eq!(
        names, want,
        "schemas/ holds one schema per document kind, no other"
    );
}

/// The validator sees what it claims to: a document that breaks its schema is refused.
#[test]
fn a_document_that_breaks_its_schema_is_refused() {
    let good = serde_json::json!({
        "schema_version": 1,
        "checks": [{"id": "listener", "title": "Listener", "inspects": "x", "needs": []}]
    });
    assert!(common::schema_errors("list", &good).is_empty());
    for bad in [
        serde_json::json!({"schema_version": 1}),
        serde_json::json!({"schema_version": 1, "checks": [{"id": "nope", "title": "t", "inspects": "x", "needs": []}]}),
        serde_json::json!({"schema_version": "1", "checks": []}),
    ] {
        assert!(
            !common::schema_errors("list", &bad).is_empty(),
            "{bad} passed"
        );
    }
}
