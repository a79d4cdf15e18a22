//! The versioned JSON Schema of [`Catalog`](crate::Catalog).
//!
//! `cargo xtask schema` writes it to `docs/schema/`; the test in this module fails when the
//! committed file differs from what the types generate, so the schema cannot go stale.

use crate::{Catalog, SCHEMA_VERSION};

/// Path of the committed schema, relative to the workspace root.
pub fn committed_path() -> String {
    format!("docs/schema/catalog-v{SCHEMA_VERSION}.schema.json")
}

/// The schema as pretty JSON with a trailing newline.
pub fn catalog_schema_json() -> String {
    let mut schema = schemars::schema_for!(Catalog);
    schema.insert(
        "$id".into(),
        format!("https://quanze.invalid/schema/catalog-v{SCHEMA_VERSION}.schema.json").into(),
    );
    schema.insert("title".into(), "quanze catalog (权责清单)".into());
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn committed_schema_is_current() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let path = root.join(super::committed_path());
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == super::catalog_schema_json(),
            "{} is stale: run `cargo xtask schema` and commit the result",
            path.display()
        );
    }
}
