//! Electronic supervision at scale (figures in the crate README):
//! * `sweep`: every alert of N cases held in memory as folded watches (the state the
//!   incremental path keeps), evaluated on one day, on two threads. The sweep does not
//!   re-fold events: it evaluates already-folded states (each case's breaches were found when
//!   its events were applied; the day-dependent rules run here).
//! * `incremental`: apply one event to a watch and evaluate its alerts (what runs on every
//!   append).
//!
//! N = `SUPERVISE_BENCH_CASES` (default 200,000 cases of 10 events; 1,000,000 for the issue's
//! figure). Cases are generated deterministically: case i's log depends on i mod 720, so the
//! 720 distinct logs are folded once and every case gets its own copy of its watch.

use criterion::{Criterion, criterion_group, criterion_main};
use quanze_calendar::Calendar;
use quanze_case::action::DecisionKind;
use quanze_case::{Action, At, CaseContext, CaseEvent, EngineConfig, ItemProcedure, ItemRef, Person, Role};
use quanze_model::Date;
use quanze_supervise::{CaseWatch, ClauseRules, RuleContext, SuperviseConfig, classify_item};

fn item() -> quanze_model::PowerItem {
    let name = "002_986fb97279c273a7.txt";
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/seeds").join(name);
    let bytes = std::fs::read(p).expect("seed");
    let c = quanze_import::import_bytes(name, &bytes, &Default::default()).expect("import");
    c.items.into_iter().find(|i| i.seq == Some(3)).expect("item 3")
}

/// The i-th case's log: a penalty case with 10 events, started on a day that depends on i.
fn log(item: &ItemRef, i: u64) -> Vec<CaseEvent> {
    let start = Date::parse("2026-01-05").and_then(|d| d.add_days((i % 240) as i64)).expect("date");
    let two = vec!["张三".to_string(), "李四".to_string()];
    let steps: [(i64, Action, &str); 10] = [
        (
            0,
            Action::Open { item: None, party: quanze_law::Party::Unit, complete: None, missing: vec![] },
            "clue",
        ),
        (1, Action::Register {}, "investigating"),
        (2, Action::Investigate { evidence: vec!["书证".into()] }, "investigating"),
        (
            3,
            Action::Seal { kind: quanze_case::SealKind::Seal, scene_record: Some("笔录".into()) },
            "investigating",
        ),
        (10, Action::ReleaseSeal {}, "investigating"),
        (12, Action::Conclude { major: false }, "concluded"),
        (14, Action::Notify { fine_fen: Some(150_000), base_fen: Some(100_000) }, "notified"),
        (15, Action::Waive {}, "notified"),
        (
            20 + (i % 90) as i64,
            Action::Decide {
                decision: DecisionKind::Penalty,
                fine_fen: Some(150_000),
                base_fen: Some(100_000),
            },
            "decided",
        ),
        (
            25 + (i % 90) as i64,
            Action::Serve { method: quanze_case::ServiceMethod::Post, consent: false },
            "served",
        ),
    ];
    let mut prev = "new".to_string();
    steps
        .into_iter()
        .enumerate()
        .map(|(n, (off, action, state))| {
            let e = CaseEvent {
                seq: n as u64 + 1,
                at: At::day(start.add_days(off).expect("date")),
                by: two.clone(),
                action,
                procedure: "penalty".into(),
                stage: prev.clone(),
                state: state.into(),
                item: item.clone(),
                duty_stage: None,
                post: None,
                duty: None,
                target: None,
            };
            prev = state.into();
            e
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let item = item();
    let clauses = classify_item(ClauseRules::builtin(), &item);
    let (procedure, _) = ItemProcedure::for_item(&item);
    let people: Vec<Person> = ["张三", "李四"]
        .iter()
        .map(|n| Person {
            id: n.to_string(),
            name: n.to_string(),
            role: Role::Officer,
            posts: vec![],
            certificate: Some("A".into()),
            certificate_until: None,
        })
        .collect();
    let calendar = Calendar::builtin();
    let config = EngineConfig::default();
    let supervise = SuperviseConfig::default();
    let ctx = CaseContext {
        procedure: &procedure,
        people: &people,
        calendar: &calendar,
        config: &config,
        law: quanze_law::registry(),
    };
    let rc = RuleContext { case: &ctx, config: &supervise, clauses: &clauses };
    let item_ref = ItemRef::of(&item);
    let n: u64 = std::env::var("SUPERVISE_BENCH_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(200_000);
    // A case's log depends on i mod 240 and i mod 90: the 720 distinct logs are folded once and
    // each case holds its own copy of its watch (its own allocations, as in a real sweep).
    let distinct: Vec<CaseWatch> =
        (0..720.min(n)).map(|i| CaseWatch::fold(&rc, &log(&item_ref, i))).collect();
    let watches: Vec<CaseWatch> = (0..n).map(|i| distinct[(i % 720) as usize].clone()).collect();
    drop(distinct);
    let now = Date::parse("2026-09-30").expect("date");
    if std::env::var_os("SUPERVISE_BENCH_ONCE").is_some() {
        // One sweep on one thread and out, for instruction counts that do not depend on the
        // machine's load: `valgrind --tool=callgrind --toggle-collect='*sweep_once*' …`.
        let alerts = sweep_once(&watches, &rc, now);
        println!("{n} cases: {alerts} alerts");
        std::process::exit(0);
    }

    let mut g = c.benchmark_group("supervise");
    g.sample_size(10);
    g.bench_function(format!("sweep {n} cases ({} events), 1 thread", n * 10), |b| {
        b.iter(|| sweep_once(&watches, &rc, now))
    });
    g.bench_function(format!("sweep {n} cases ({} events), 2 threads", n * 10), |b| {
        b.iter(|| {
            let half = watches.len() / 2;
            let (a, z) = watches.split_at(half);
            std::thread::scope(|s| {
                let h = s.spawn(|| a.iter().map(|w| w.alerts(&rc, now).len()).sum::<usize>());
                let x: usize = z.iter().map(|w| w.alerts(&rc, now).len()).sum();
                x + h.join().unwrap_or(0)
            })
        })
    });
    let events = log(&item_ref, 7);
    g.sample_size(50);
    g.bench_function("incremental: one event applied and evaluated", |b| {
        let base = CaseWatch::fold(&rc, &events[..9]);
        b.iter_batched(
            || base.clone(),
            |mut w| {
                w.apply(&rc, &events[9]);
                w.alerts_cached(&rc, now).len()
            },
            criterion::BatchSize::SmallInput,
        )
    });
    g.finish();
}

#[inline(never)]
fn sweep_once(watches: &[CaseWatch], rc: &RuleContext, now: Date) -> usize {
    watches.iter().map(|w| w.alerts(rc, now).len()).sum()
}

criterion_group!(benches, bench);
criterion_main!(benches);
