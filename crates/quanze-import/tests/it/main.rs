//! One integration-test binary for the importer (one link instead of one per file).
#![allow(clippy::unwrap_used)] // test helpers panic on broken fixtures by design

mod bad_input;
mod formats;
mod rules;
mod seeds;
mod structured;

use quanze_import::{ImportOptions, import_bytes};
use quanze_model::{Catalog, DiagnosticCode};

pub fn seed_path(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/seeds").join(name)
}

pub fn seed_bytes(name: &str) -> Vec<u8> {
    std::fs::read(seed_path(name)).unwrap()
}

pub fn import(name: &str, bytes: &[u8]) -> Catalog {
    import_bytes(name, bytes, &ImportOptions::default()).unwrap()
}

pub fn codes(c: &Catalog) -> Vec<DiagnosticCode> {
    c.diagnostics.iter().map(|d| d.code).collect()
}

pub const SEEDS: [&str; 5] = [
    "000_2a6f93350bdff5ae.txt",
    "001_a8ecac8bae7c0f63.txt",
    "002_986fb97279c273a7.txt",
    "003_53652f109c077542.txt",
    "004_e6509d409e33aba2.txt",
];
