//! `Calendar::due` for the two periods a case opens most: 90 calendar days (行政处罚法
//! 第六十条) and 5 working days (第六十四条, counted by 第八十五条).

use criterion::{Criterion, criterion_group, criterion_main};
use quanze_calendar::{Calendar, Pause, Period};
use quanze_model::Date;
use std::hint::black_box;

fn due(c: &mut Criterion) {
    let cal = Calendar::builtin();
    let start = Date::parse("2026-01-20").expect("a date");
    let pause = [Pause {
        from: Date::parse("2026-02-10").expect("a date"),
        to: Date::parse("2026-02-20").expect("a date"),
    }];
    c.bench_function("due 90 calendar days", |b| {
        b.iter(|| cal.due(black_box(start), black_box(Period::calendar(90)), &[]))
    });
    c.bench_function("due 90 calendar days, one pause", |b| {
        b.iter(|| cal.due(black_box(start), black_box(Period::calendar(90)), black_box(&pause)))
    });
    c.bench_function("due 5 working days", |b| {
        b.iter(|| cal.due(black_box(start), black_box(Period::working(5)), &[]))
    });
    c.bench_function("elapsed working days over 90 days", |b| {
        let end = start.add_days(90).expect("a date");
        b.iter(|| cal.elapsed(black_box(start), black_box(end), quanze_calendar::Counting::Working, &[]))
    });
    c.bench_function("Calendar::builtin (clone of the cached one)", |b| b.iter(Calendar::builtin));
}

criterion_group!(benches, due);
criterion_main!(benches);
