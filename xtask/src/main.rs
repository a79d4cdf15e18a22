//! Project automation: `cargo xtask <task>`.
//!
//! - `schema`: regenerate `docs/schema/catalog-v<N>.schema.json` from the model types.
//! - `synth [--items N] [--seed S] [-o FILE]`: write a synthetic list (default 100,000
//!   items to target/synth/list-100000.txt), with a progress bar on a terminal.
//! - `tidy`: check the architecture invariants (codemap dependencies, pure crates, module
//!   cycles); also run as a test by `cargo test -p xtask`.

use std::path::PathBuf;
use std::process::ExitCode;

mod tidy;

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
        "synth" => match synth(std::env::args().skip(2).collect()) {
            Ok(path) => {
                println!("wrote {}", path.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("xtask synth: {e}");
                ExitCode::FAILURE
            }
        },
        "tidy" => match tidy::run(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")) {
            Ok(problems) if problems.is_empty() => {
                println!("tidy: the architecture holds");
                ExitCode::SUCCESS
            }
            Ok(problems) => {
                for p in problems {
                    eprintln!("tidy: {p}");
                }
                ExitCode::FAILURE
            }
            Err(e) => {
                eprintln!("xtask tidy: {e}");
                ExitCode::FAILURE
            }
        },
        _ => {
            eprintln!("usage: cargo xtask schema | synth [--items N] [--seed S] [-o FILE] | tidy");
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

fn synth(args: Vec<String>) -> Result<PathBuf, String> {
    use std::io::IsTerminal;
    let mut items = 100_000usize;
    let mut seed = 7u64;
    let mut out = None;
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--items" => items = value()?.parse().map_err(|e| format!("--items: {e}"))?,
            "--seed" => seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "-o" | "--output" => out = Some(PathBuf::from(value()?)),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let path = out.unwrap_or_else(|| root.join(format!("target/synth/list-{items}.txt")));
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(items as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("generating [{bar:40}] {pos}/{len} items ({eta})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let text = quanze_import::synth::generate(items, seed, |n| {
        if let Some(b) = &bar {
            b.set_position(n as u64);
        }
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    }
    std::fs::write(&path, text).map_err(|e| e.to_string())?;
    Ok(path)
}
