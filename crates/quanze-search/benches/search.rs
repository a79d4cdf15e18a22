//! Criterion benchmarks of `SearchIndex::search` on the synthetic national store
//! (2,800 bureaus × 45 items): terms of 2, 3 and 4+ characters, with and without filters.
//!
//! `cargo bench -p quanze-search --bench search`

use std::hint::black_box;
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use quanze_model::Category;
use quanze_search::{Query, SearchIndex};

#[path = "synthetic/mod.rs"]
mod synthetic;

fn build() -> SearchIndex {
    let templates = synthetic::seed_templates();
    let started = Instant::now();
    let mut index = SearchIndex::new();
    synthetic::national_store(&templates, |doc| index.add(doc));
    index.compact();
    let stats = index.stats();
    eprintln!(
        "built {} items, {} units in {:.2} s; index heap ≈ {:.0} MiB",
        stats.items,
        stats.units,
        started.elapsed().as_secs_f64(),
        stats.heap_bytes as f64 / 1048576.0
    );
    index
}

fn bench(c: &mut Criterion) {
    let index = build();
    let cases: Vec<(&str, Query)> = vec![
        ("2char/医保", Query::text("医保")),
        ("2char/罚款", Query::text("罚款")),
        ("2char/立案", Query::text("立案")),
        ("3char/定点医", Query::text("定点医")),
        ("3char/慢特病", Query::text("慢特病")),
        ("4plus/社会保险法", Query::text("社会保险法")),
        ("4plus/骗取医保基金", Query::text("骗取医保基金")),
        ("4plus/long", Query::text("医疗保障基金使用监督管理条例")),
        ("multi/医保 罚款", Query::text("医保 罚款")),
        ("filter/category 医保", Query { category: Some(Category::Penalty), ..Query::text("医保") }),
        ("filter/bureau 医保", Query { bureau: Some(1234), ..Query::text("医保") }),
        (
            "filter/statute 87 罚款",
            Query { statute: Some("社会保险法".into()), article: Some(87), ..Query::text("罚款") },
        ),
        ("filter/category no text", Query { category: Some(Category::Payment), ..Query::text("") }),
    ];
    let mut group = c.benchmark_group("search");
    // Short runs: the machine's two cores are shared, and the latency bench covers the
    // distribution.
    group
        .sample_size(20)
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(2));
    for (name, query) in &cases {
        group.bench_function(*name, |b| b.iter(|| black_box(index.search(black_box(query)))));
    }
    group.finish();
    c.bench_function("citing/社会保险法 87", |b| {
        b.iter(|| black_box(index.citing("社会保险法", Some(87))))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
