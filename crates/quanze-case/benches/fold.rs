//! Rebuilding the state of every case from a 1,000,000-event log (10,000 cases of 100 events),
//! on one thread and on two; and reading events back from their canonical bytes, alone and
//! through `rebuild_all` on one thread and on two.
#![allow(clippy::unwrap_used)] // bench code

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use quanze_case::{
    Action, At, CaseEvent, CaseState, DecisionKind, ItemRef, Party, ServiceMethod, rebuild_all,
};
use quanze_model::{Category, Date};

const CASES: usize = 10_000;
const PER_CASE: usize = 100;

fn case_events(case: usize) -> Vec<CaseEvent> {
    let start = Date::parse("2026-01-05").unwrap();
    let item = ItemRef {
        version: "a8ecac8bae7c0f63".into(),
        seq: Some((case % 40) as u32 + 1),
        line: Some(12),
        name: "对定点医药机构违规使用医疗保障基金的行政处罚".into(),
        sub_name: None,
        category: Category::Penalty,
    };
    let mut plan: Vec<(Action, &str, &str)> = vec![
        (
            Action::Open { item: Some("2".into()), party: Party::Unit, complete: None, missing: vec![] },
            "new",
            "clue",
        ),
        (Action::Register {}, "clue", "investigating"),
    ];
    for i in 0..PER_CASE - 11 {
        let a = if i % 10 == 9 {
            Action::Pause { reason: "鉴定".into() }
        } else if i % 10 == 0 && i > 0 {
            Action::Resume {}
        } else {
            Action::Investigate { evidence: vec!["书证".into(), "电子数据".into()] }
        };
        plan.push((a, "investigating", "investigating"));
    }
    plan.extend([
        (Action::Conclude { major: false }, "investigating", "concluded"),
        (Action::LegalReview { opinion: "同意".into() }, "concluded", "concluded"),
        (Action::Notify { fine_fen: Some(150_000), base_fen: Some(100_000) }, "concluded", "notified"),
        (Action::Waive {}, "notified", "notified"),
        (Action::Discuss { conclusion: None }, "notified", "notified"),
        (
            Action::Decide {
                decision: DecisionKind::Penalty,
                fine_fen: Some(150_000),
                base_fen: Some(100_000),
            },
            "notified",
            "decided",
        ),
        (Action::Serve { method: ServiceMethod::Direct, consent: false }, "decided", "served"),
        (
            Action::Pay { amount_fen: 150_000, receipt: None, to: quanze_case::PayTo::Bank },
            "served",
            "executed",
        ),
        (Action::Close {}, "executed", "closed"),
    ]);
    plan.into_iter()
        .enumerate()
        .map(|(i, (action, stage, state))| CaseEvent {
            seq: i as u64 + 1,
            at: At::day(start.add_days(i as i64).unwrap()),
            by: vec!["张三".into(), "李四".into()],
            action,
            procedure: "penalty".into(),
            stage: stage.into(),
            state: state.into(),
            item: item.clone(),
            duty_stage: Some("调查".into()),
            post: None,
            duty: None,
            target: None,
        })
        .collect()
}

fn fold_all(events: &[CaseEvent]) -> usize {
    events.chunks(PER_CASE).map(CaseState::fold).filter(|s| s.state == "closed").count()
}

fn bench(c: &mut Criterion) {
    let log: Vec<CaseEvent> = (0..CASES).flat_map(case_events).collect();
    assert_eq!(log.len(), 1_000_000);
    assert_eq!(fold_all(&log), CASES);
    let mut g = c.benchmark_group("fold");
    g.sample_size(10);
    g.bench_function("1m_events_10k_cases_1_thread", |b| b.iter(|| black_box(fold_all(black_box(&log)))));
    g.bench_function("1m_events_10k_cases_2_threads", |b| {
        b.iter(|| {
            let (a, z) = log.split_at(log.len() / 2);
            std::thread::scope(|s| {
                let h = s.spawn(|| fold_all(a));
                let n = fold_all(z);
                black_box(n + h.join().unwrap())
            })
        })
    });
    // Reading the stored form back: 100,000 canonical bodies parsed and folded.
    let bodies: Vec<Vec<u8>> = log[..100_000].iter().map(CaseEvent::canonical).collect();
    g.bench_function("parse_and_fold_100k_bodies", |b| {
        b.iter(|| {
            let events: Vec<CaseEvent> = bodies.iter().map(|x| serde_json::from_slice(x).unwrap()).collect();
            black_box(fold_all(&events))
        })
    });
    g.bench_function("fold_bodies_100k", |b| {
        b.iter(|| {
            let n = bodies
                .chunks(PER_CASE)
                .map(|c| CaseState::fold_bodies(c).unwrap())
                .filter(|s| s.state == "closed")
                .count();
            black_box(n)
        })
    });
    // The whole log from its bytes (issue 7: under 1 s on 2 cores), as a store reader feeds
    // it: each case's bodies in seq order, through `rebuild_all`.
    let all: Vec<Vec<u8>> = log.iter().map(CaseEvent::canonical).collect();
    drop(log);
    let cases: Vec<(usize, &[Vec<u8>])> = all.chunks(PER_CASE).enumerate().collect();
    let closed = |threads: usize| {
        rebuild_all(&cases, threads).iter().filter(|(_, s)| s.as_ref().unwrap().state == "closed").count()
    };
    assert_eq!(closed(2), CASES);
    // On a shared machine the wall clock mostly measures the others' builds; the CPU time the
    // process spent per rebuild is what an idle machine would show as wall time on one thread
    // (and about half of it on two, the runs being balanced).
    for threads in [1, 2] {
        let runs = 5;
        let (cpu, wall) = (cpu_seconds(), std::time::Instant::now());
        for _ in 0..runs {
            black_box(closed(threads));
        }
        let wall = wall.elapsed().as_secs_f64() / f64::from(runs);
        if let (Some(a), Some(b)) = (cpu, cpu_seconds()) {
            let cpu = (b - a) / f64::from(runs);
            eprintln!(
                "rebuild_all 1m bodies, {threads} thread(s): {cpu:.3} s CPU, {wall:.3} s wall per rebuild"
            );
        }
    }
    g.bench_function("rebuild_all_1m_bodies_1_thread", |b| b.iter(|| black_box(closed(1))));
    g.bench_function("rebuild_all_1m_bodies_2_threads", |b| b.iter(|| black_box(closed(2))));
    g.finish();
}

/// User and system CPU time of the whole process (all its threads, dead ones included), from
/// /proc/self/stat in clock ticks of 1/100 s (Linux's USER_HZ); `None` elsewhere.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name: state is field 3, utime 14, stime 15.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

criterion_group!(benches, bench);
criterion_main!(benches);
