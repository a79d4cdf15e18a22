//! The committed JSON Schema of the penalty result is what the types generate. To update it
//! after a change of the result's types: `QUANZE_WRITE_SCHEMA=1 cargo test -p quanze-law --test
//! schema`, then review and commit the file.

#![allow(clippy::unwrap_used)] // test code

use quanze_law::schema::{COMMITTED_PATH, penalty_result_schema_json};

#[test]
fn committed_penalty_result_schema_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(COMMITTED_PATH);
    let generated = penalty_result_schema_json();
    if std::env::var_os("QUANZE_WRITE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is stale: run `QUANZE_WRITE_SCHEMA=1 cargo test -p quanze-law --test schema` and commit it",
        path.display()
    );
    // The schema describes the result's top-level fields, the ones clients read.
    let v: serde_json::Value = serde_json::from_str(&committed).unwrap();
    for k in ["min_fen", "max_fen", "bands", "measures", "procedure", "citations", "explanation"] {
        assert!(v["properties"].get(k).is_some(), "schema lacks {k}");
    }
}
