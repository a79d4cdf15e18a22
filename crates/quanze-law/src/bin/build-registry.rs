//! Build the statute registry from the full texts.
//!
//! ```text
//! cargo run -p quanze-law --bin build-registry -- /work/shared/domain/statutes crates/quanze-law/data/statutes
//! ```
//!
//! Reads every `*.md` of the texts directory, `data/sources/registry.toml` (metadata the texts
//! do not state) and the seed lists (`data/seeds/` of the workspace, or `--seeds DIR`), writes
//! one JSON file per edition plus `embedded.rs` into the output directory, and removes stale
//! JSON files there. When the texts directory is not the crate's `data/sources/`, the texts are
//! copied there too, so that a fresh clone can rebuild (and test) the registry.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn read_dir_sorted(dir: &Path, ext: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let rd = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in rd {
        let entry = entry.map_err(|e| format!("{}: {e}", dir.display()))?;
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some(ext) {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == "README.md" {
            continue;
        }
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        out.push((name, text));
    }
    out.sort();
    Ok(out)
}

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let mut positional = Vec::new();
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut seeds_dir = crate_dir.join("../../data/seeds");
    let mut meta_path = crate_dir.join("data/sources/registry.toml");
    while let Some(a) = args.next() {
        match a.as_str() {
            "--seeds" => seeds_dir = PathBuf::from(args.next().ok_or("--seeds needs a directory")?),
            "--meta" => meta_path = PathBuf::from(args.next().ok_or("--meta needs a file")?),
            "-h" | "--help" => {
                println!("usage: build-registry TEXTS_DIR OUT_DIR [--seeds DIR] [--meta registry.toml]");
                return Ok(());
            }
            _ => positional.push(PathBuf::from(a)),
        }
    }
    let [texts, out] = positional.as_slice() else {
        return Err("usage: build-registry TEXTS_DIR OUT_DIR [--seeds DIR] [--meta registry.toml]".into());
    };
    let sources = read_dir_sorted(texts, "md")?;
    let seeds = read_dir_sorted(&seeds_dir, "txt")?;
    let meta = std::fs::read_to_string(&meta_path).map_err(|e| format!("{}: {e}", meta_path.display()))?;
    let files = quanze_law::builder::build(&meta, &sources, &seeds).map_err(|e| e.to_string())?;

    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    for stale in read_dir_sorted(out, "json")? {
        if !files.iter().any(|(n, _)| *n == stale.0) {
            std::fs::remove_file(out.join(&stale.0)).map_err(|e| format!("{}: {e}", stale.0))?;
        }
    }
    for (name, content) in &files {
        std::fs::write(out.join(name), content).map_err(|e| format!("{name}: {e}"))?;
    }
    let sources_dir = crate_dir.join("data/sources");
    let same = std::fs::canonicalize(texts).ok() == std::fs::canonicalize(&sources_dir).ok();
    if !same {
        for (name, text) in &sources {
            std::fs::write(sources_dir.join(name), text).map_err(|e| format!("{name}: {e}"))?;
        }
    }
    eprintln!(
        "build-registry: {} editions from {} texts and {} seed lists → {}",
        files.len() - 1,
        sources.len(),
        seeds.len(),
        out.display()
    );
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("build-registry: {e}");
            ExitCode::FAILURE
        }
    }
}
