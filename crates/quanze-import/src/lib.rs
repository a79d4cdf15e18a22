//! Importers: a 权责清单 as published (bytes) in, a [`Catalog`] out.
//!
//! The layout is chosen by content, never by per-file settings. Importing never fails on a
//! messy list: what cannot be placed is kept as text and reported as a diagnostic. It fails
//! only when there is no list to read (empty, binary, over the size limit, no table).

use quanze_model::Catalog;

/// Limits and knobs of an import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Inputs larger than this are refused before decoding. Default 64 MiB: the largest
    /// published list we know is well under 1 MiB, and a 100,000-item synthetic list is
    /// about 300 MiB, so benches raise it explicitly.
    pub max_bytes: u64,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions { max_bytes: DEFAULT_MAX_BYTES }
    }
}

/// Default for [`ImportOptions::max_bytes`].
pub const DEFAULT_MAX_BYTES: u64 = 64 * 1024 * 1024;

/// Why an input could not be imported at all.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is {size} bytes, over the import limit of {limit} bytes (raise it with --max-bytes)")]
    TooLarge { size: u64, limit: u64 },
    #[error("the file is binary, not a text, csv or xlsx list ({0})")]
    Binary(String),
    #[error("the spreadsheet cannot be read: {0}")]
    Spreadsheet(String),
    #[error("no power list found: {0}")]
    NoTable(String),
}

/// Import one list from its bytes.
pub fn import_bytes(file_name: &str, bytes: &[u8], opts: &ImportOptions) -> Result<Catalog, ImportError> {
    let _ = (file_name, opts);
    if bytes.is_empty() {
        return Err(ImportError::Empty);
    }
    Err(ImportError::NoTable("importer not written yet".into()))
}
