//! Project automation: `cargo xtask <task>`.
//!
//! - `schema`: regenerate `docs/schema/catalog-v<N>.schema.json` from the model types.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let task = std::env::args().nth(1).unwrap_or_default();
    match task.as_str() {
        "schema" => match write_schema() {
            Ok(path) => {
                println!("wrote {}", path.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("xtask schema: {e}");
                ExitCode::FAILURE
            }
        },
        _ => {
            eprintln!("usage: cargo xtask schema");
            ExitCode::from(2)
        }
    }
}

fn write_schema() -> std::io::Result<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let path = root.join(quanze_model::schema::committed_path());
    std::fs::create_dir_all(path.parent().unwrap_or(&root))?;
    std::fs::write(&path, quanze_model::schema::catalog_schema_json())?;
    Ok(path)
}
