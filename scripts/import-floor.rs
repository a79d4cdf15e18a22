//! The floor `quanze import` is measured against (issue 13): read a list and split it into
//! owned lines and tab-separated cells, nothing else. Built by `scripts/import-speed.sh`
//! with plain `rustc -O` (no dependencies), so it measures the machine, not the importer.

use std::time::Instant;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: import-floor LIST");
        std::process::exit(2);
    };
    let started = Instant::now();
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    let rows: Vec<Vec<String>> = text.lines().map(|l| l.split('\t').map(str::to_string).collect()).collect();
    let cells: usize = rows.iter().map(Vec::len).sum();
    println!("floor: {} rows, {cells} cells in {:.3} s", rows.len(), started.elapsed().as_secs_f64());
}
