//! The JSON Schema of [`PenaltyResult`](crate::PenaltyResult), what `quanze penalty --format
//! json` and `POST /api/penalty` return. The committed file (`schema/penalty-result.schema.json`
//! in this crate) is checked against the types by `tests/schema.rs`, so it cannot go stale.

use crate::calc::PenaltyResult;

/// Path of the committed schema, relative to this crate's directory.
pub const COMMITTED_PATH: &str = "schema/penalty-result.schema.json";

/// The schema as pretty JSON with a trailing newline.
pub fn penalty_result_schema_json() -> String {
    let mut schema = schemars::schema_for!(PenaltyResult);
    schema.insert("$id".into(), "https://quanze.invalid/schema/penalty-result.schema.json".into());
    schema.insert("title".into(), "quanze penalty result (罚款计算结果)".into());
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}
