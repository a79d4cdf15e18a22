//! Penalty computations over the legal examples' inputs: the figures alone (`assess`, what a
//! supervision sweep needs; target ≤ 2 µs each) and the worded result (`compute`, what the CLI,
//! the API and the pages show). Throughput is per computation.

#![allow(clippy::unwrap_used)] // bench code: a failed read is a failed bench

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use quanze_law::{PenaltyQuery, assess, compute, law_data, registry};

/// Every legal example's input that computes (errors are cheap and would flatter the mean).
fn example_queries() -> Vec<PenaltyQuery> {
    fn walk(dir: &Path, out: &mut Vec<PenaltyQuery>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().map(|e| e.path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "toml") {
                let doc: toml::Value = toml::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
                for ex in doc["example"].as_array().unwrap() {
                    if let Some(input) = ex.get("input") {
                        let q: PenaltyQuery = input.clone().try_into().unwrap();
                        if compute(registry(), &q).is_ok() {
                            out.push(q);
                        }
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/examples"), &mut out);
    out
}

fn bench(c: &mut Criterion) {
    let reg = registry();
    let data = law_data();
    let queries = example_queries();
    let mut g = c.benchmark_group("legal examples");
    g.throughput(Throughput::Elements(queries.len() as u64));
    g.bench_function("figures only (assess)", |b| {
        b.iter(|| {
            let mut acc = 0i64;
            for q in &queries {
                if let Ok(a) = assess(reg, data, black_box(q)) {
                    acc = acc.wrapping_add(a.fine.map_or(0, |f| f.1));
                }
            }
            black_box(acc)
        })
    });
    g.bench_function("with explanation (compute)", |b| {
        b.iter(|| {
            let mut acc = 0usize;
            for q in &queries {
                if let Ok(r) = compute(reg, black_box(q)) {
                    acc = acc.wrapping_add(r.explanation.len());
                }
            }
            black_box(acc)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
