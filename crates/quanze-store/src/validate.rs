//! Input checks done before anything is written.

use quanze_model::Catalog;

use crate::{Result, StoreError};

/// Refuse text the databases cannot store faithfully (NUL), naming the field.
pub(crate) fn no_nul(field: &str, text: &str) -> Result<()> {
    if text.contains('\0') {
        return Err(StoreError::InvalidInput(format!("{field} contains a NUL character")));
    }
    Ok(())
}

/// A required, trimmed, single-line name of at most `max_chars` characters.
pub(crate) fn name<'a>(field: &str, text: &'a str, max_chars: usize) -> Result<&'a str> {
    no_nul(field, text)?;
    let t = text.trim();
    if t.is_empty() {
        return Err(StoreError::InvalidInput(format!("{field} is empty")));
    }
    if t.chars().count() > max_chars {
        return Err(StoreError::InvalidInput(format!("{field} is longer than {max_chars} characters")));
    }
    if t.chars().any(char::is_control) {
        return Err(StoreError::InvalidInput(format!("{field} contains a control character")));
    }
    Ok(t)
}

/// Serialize a catalog, refusing NUL characters in any string or key and a missing sha256.
pub(crate) fn catalog_json(catalog: &Catalog) -> Result<String> {
    let sha = &catalog.source.sha256;
    if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(StoreError::InvalidInput(format!(
            "the catalog's source.sha256 is not 64 hex digits ({sha:?}); import the file to compute it"
        )));
    }
    let value = serde_json::to_value(catalog)
        .map_err(|e| StoreError::InvalidInput(format!("catalog cannot be serialized: {e}")))?;
    if let Some(path) = find_nul(&value, &mut String::from("catalog")) {
        return Err(StoreError::InvalidInput(format!("{path} contains a NUL character")));
    }
    serde_json::to_string(&value)
        .map_err(|e| StoreError::InvalidInput(format!("catalog cannot be serialized: {e}")))
}

fn find_nul(value: &serde_json::Value, path: &mut String) -> Option<String> {
    use serde_json::Value;
    match value {
        Value::String(s) => s.contains('\0').then(|| path.clone()),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, v)| {
            let len = path.len();
            path.push_str(&format!("[{i}]"));
            let found = find_nul(v, path);
            path.truncate(len);
            found
        }),
        Value::Object(map) => map.iter().find_map(|(k, v)| {
            if k.contains('\0') {
                return Some(format!("{path} (a key)"));
            }
            let len = path.len();
            path.push('.');
            path.push_str(k);
            let found = find_nul(v, path);
            path.truncate(len);
            found
        }),
        Value::Null | Value::Bool(_) | Value::Number(_) => None,
    }
}

/// The form statute titles are indexed and looked up in: `quanze_text::statute_key`, the
/// one key of the registry, search and comparison (no 《》〈〉 or spaces, no 中华人民共和国
/// prefix, no edition in parentheses, but （试行） kept; a notice 关于印发〈X〉的通知 is X).
pub fn normalize_statute_title(title: &str) -> String {
    quanze_text::statute_key(title)
}
