//! `quanze-fuzz-seedgen OUT_DIR SEED...`: for every seed list, write to OUT_DIR an xlsx
//! export of its first items (small, so that libFuzzer's -max_len keeps the zip whole)
//! and a csv export of all of them. Gives the fuzzer a start in the xlsx and csv readers,
//! which the text seeds never reach. Built without fuzz instrumentation.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use quanze_import::{ImportOptions, export, import_bytes};

/// Items kept in the xlsx seeds: a workbook of one item is 6-7 KB, under the -max_len
/// (8192) of scripts/fuzz.sh.
const XLSX_ITEMS: usize = 1;

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let Some(out) = args.next().map(PathBuf::from) else {
        eprintln!("usage: quanze-fuzz-seedgen OUT_DIR SEED...");
        return ExitCode::from(2);
    };
    let mut written = 0usize;
    for seed in args.map(PathBuf::from) {
        match write_seeds(&out, &seed) {
            Ok(n) => written += n,
            Err(e) => {
                eprintln!("seedgen: {}: {e}", seed.display());
                return ExitCode::FAILURE;
            }
        }
    }
    println!("seedgen: wrote {written} seeds to {}", out.display());
    ExitCode::SUCCESS
}

fn write_seeds(out: &Path, seed: &Path) -> Result<usize, String> {
    let bytes = std::fs::read(seed).map_err(|e| e.to_string())?;
    let name = seed.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let stem = seed.file_stem().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut catalog = import_bytes(&name, &bytes, &ImportOptions::default()).map_err(|e| e.to_string())?;
    let write = |file: String, data: &[u8]| std::fs::write(out.join(file), data).map_err(|e| e.to_string());
    write(format!("{stem}.csv"), &export::to_csv(&catalog))?;
    catalog.items.truncate(XLSX_ITEMS);
    write(format!("{stem}.xlsx"), &export::to_xlsx(&catalog, None).map_err(|e| e.to_string())?)?;
    Ok(2)
}
