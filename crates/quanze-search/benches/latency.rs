//! Latency report on the synthetic national store: index build time, memory, and
//! p50/p90/p99/max over a mix of 2,000 queries, single-threaded and on two threads.
//!
//! `cargo bench -p quanze-search --bench latency`; `QUANZE_BENCH_BUREAUS=500 cargo bench …`
//! for a smaller store (throughput against the number of bureaus held).

use std::time::{Duration, Instant};

use quanze_search::SearchIndex;

#[path = "synthetic/mod.rs"]
mod synthetic;

const QUERIES: usize = 2_000;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(idx).copied().unwrap_or_default()
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn main() {
    let templates = synthetic::seed_templates();
    let queries = synthetic::query_mix(&templates, QUERIES);
    let rss_before = synthetic::rss_bytes().unwrap_or(0);

    let started = Instant::now();
    let mut index = SearchIndex::new();
    synthetic::national_store(&templates, |doc| index.add(doc));
    let built = started.elapsed();
    let rss_built = synthetic::rss_bytes().unwrap_or(0);
    let compact_started = Instant::now();
    index.compact();
    let compacted = compact_started.elapsed();
    let rss_compacted = synthetic::rss_bytes().unwrap_or(0);
    let stats = index.stats();
    println!(
        "items {} in {} bureaus; {} distinct units, {} grams",
        stats.items, stats.bureaus, stats.units, stats.grams
    );
    println!(
        "build {:.2} s, compact {:.2} s; RSS {:.0} MiB before, {:.0} MiB built (+{:.0}), {:.0} MiB after compact",
        built.as_secs_f64(),
        compacted.as_secs_f64(),
        mib(rss_before),
        mib(rss_built),
        mib(rss_built.saturating_sub(rss_before)),
        mib(rss_compacted)
    );
    println!(
        "index heap estimate {:.0} MiB (unit text {:.0} MiB, postings {:.0} MiB)",
        mib(stats.heap_bytes as u64),
        mib(stats.text_bytes as u64),
        mib(stats.posting_bytes as u64)
    );

    // Warm up, then time each query.
    for q in queries.iter().take(100) {
        let _ = index.search(q);
    }
    let mut by_kind: Vec<(&str, Vec<Duration>)> = vec![
        ("2-char", vec![]),
        ("3-char", vec![]),
        ("4+-char", vec![]),
        ("multi-term", vec![]),
        ("substring", vec![]),
    ];
    let mut all = Vec::with_capacity(queries.len());
    let mut filtered = Vec::new();
    let mut total_hits = 0usize;
    let mut slowest: Vec<(Duration, usize, usize)> = Vec::new();
    for (k, q) in queries.iter().enumerate() {
        let t = Instant::now();
        let result = index.search(q);
        let elapsed = t.elapsed();
        let hits = result.map(|r| r.total).unwrap_or(0);
        total_hits += hits;
        slowest.push((elapsed, k, hits));
        all.push(elapsed);
        by_kind[(k % 6).min(4)].1.push(elapsed);
        if q.category.is_some() || q.bureau.is_some() || q.statute.is_some() {
            filtered.push(elapsed);
        }
    }
    let report = |label: &str, samples: &mut Vec<Duration>| {
        samples.sort_unstable();
        println!(
            "{label:>12}: n={:5} p50 {:7.3} ms  p90 {:7.3} ms  p99 {:7.3} ms  max {:7.3} ms",
            samples.len(),
            percentile(samples, 0.5).as_secs_f64() * 1e3,
            percentile(samples, 0.9).as_secs_f64() * 1e3,
            percentile(samples, 0.99).as_secs_f64() * 1e3,
            samples.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
        );
    };
    println!(
        "single thread, {} queries (mean total {:.0} hits):",
        all.len(),
        total_hits as f64 / all.len() as f64
    );
    let busy: Duration = all.iter().sum();
    println!("throughput: {:.0} queries/s on one thread", all.len() as f64 / busy.as_secs_f64().max(1e-9));
    report("all", &mut all);
    report("filtered", &mut filtered);
    for (label, samples) in &mut by_kind {
        report(label, samples);
    }

    slowest.sort_unstable_by_key(|s| std::cmp::Reverse(s.0));
    println!("slowest queries:");
    for (elapsed, k, hits) in slowest.iter().take(8) {
        let q = &queries[*k];
        println!(
            "  {:7.3} ms  {:>6} hits  q={:?} category={:?} bureau={:?} statute={:?}",
            elapsed.as_secs_f64() * 1e3,
            hits,
            q.q,
            q.category,
            q.bureau,
            q.statute
        );
    }

    // Queries outside the mix that touch most of the index: one very common character, a
    // term in nearly every stage, four terms.
    println!("worst cases (median of 5 runs):");
    for q in ["的", "医", "罚", "医疗保障局", "责任", "医保 罚款 立案 调查"] {
        let query = quanze_search::Query::text(q);
        let mut runs: Vec<Duration> = (0..5)
            .map(|_| {
                let t = Instant::now();
                let _ = index.search(&query);
                t.elapsed()
            })
            .collect();
        runs.sort_unstable();
        let total = index.search(&query).map(|r| r.total).unwrap_or(0);
        println!("  {:7.3} ms  {total:>6} hits  q={q:?}", runs[2].as_secs_f64() * 1e3);
    }

    // Two threads sharing the index, as the server does on two cores.
    let index = &index;
    let mut both: Vec<Duration> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..2)
            .map(|t| {
                let qs = &queries;
                s.spawn(move || {
                    qs.iter()
                        .skip(t)
                        .step_by(2)
                        .map(|q| {
                            let started = Instant::now();
                            let _ = index.search(q);
                            started.elapsed()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
    });
    println!("two threads:");
    report("all", &mut both);
}
