//! Import speed: the five seed lists, and a synthetic 100,000-item list.
//! Targets (issue): the five seeds in under 20 ms together; 100,000 items in under 5 s.

use criterion::{Criterion, criterion_group, criterion_main};
use quanze_import::{ImportOptions, import_bytes, synth};

fn seeds(c: &mut Criterion) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/seeds");
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .expect("seed dir")
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "txt"))
        .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).expect("seed")))
        .collect();
    files.sort();
    assert_eq!(files.len(), 5);
    let opts = ImportOptions::default();
    c.bench_function("import the five seed lists", |b| {
        b.iter(|| {
            for (name, bytes) in &files {
                let cat = import_bytes(name, bytes, &opts).expect("seed imports");
                std::hint::black_box(cat);
            }
        })
    });
}

fn synthetic(c: &mut Criterion) {
    let text = synth::generate(100_000, 7, |_| {});
    let opts = ImportOptions { max_bytes: 1 << 30, ..ImportOptions::default() };
    let mut g = c.benchmark_group("synthetic");
    g.sample_size(10);
    g.bench_function("import a 100,000-item list", |b| {
        b.iter(|| {
            let cat = import_bytes("synth.txt", text.as_bytes(), &opts).expect("synthetic imports");
            assert_eq!(cat.items.len(), 100_000);
            std::hint::black_box(cat);
        })
    });
    g.finish();
}

criterion_group!(benches, seeds, synthetic);
criterion_main!(benches);
