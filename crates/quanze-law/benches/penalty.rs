//! One penalty computation, and a million in a loop.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use quanze_law::{Condition, Date, Party, PenaltyQuery, compute, registry};

fn query(base: i64) -> PenaltyQuery {
    PenaltyQuery {
        statute: "医疗保障基金使用监督管理条例".into(),
        article: 38,
        base_amount_fen: Some(base),
        party: Party::Unit,
        date: Date::parse("2025-01-01"),
        conditions: vec![Condition::RefusesCorrection],
        fine_fen: Some(base),
        days_overdue: Some(20),
        act_date: Date::parse("2024-03-01"),
        ..PenaltyQuery::default()
    }
}

fn bench(c: &mut Criterion) {
    let reg = registry();
    let q = query(1_234_567);
    c.bench_function("compute 条例38 (one)", |b| b.iter(|| compute(black_box(reg), black_box(&q))));
    let mut g = c.benchmark_group("loop");
    g.sample_size(10);
    g.bench_function("compute x 1,000,000", |b| {
        b.iter(|| {
            let mut q = query(0);
            let mut acc = 0i64;
            for i in 0..1_000_000i64 {
                q.base_amount_fen = Some(100_000 + i);
                if let Ok(r) = compute(reg, &q) {
                    acc = acc.wrapping_add(r.max_fen);
                }
            }
            black_box(acc)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
