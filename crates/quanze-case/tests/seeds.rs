//! Every item of the five seed lists can be opened as a case and taken to its end on the happy
//! path of its procedure.
#![allow(clippy::unwrap_used)] // test code: a failed read is a failed test

mod common;

use common::Case;
use quanze_case::{CaseState, ItemProcedure, StoredEvent, verify_chain};
use quanze_law::{Condition, PenaltyQuery, compute};
use quanze_model::PowerItem;

fn seed_items() -> Vec<(String, PowerItem)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/seeds");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        let cat = quanze_import::import_bytes(&name, &bytes, &Default::default()).unwrap();
        for item in cat.items {
            out.push((name.clone(), item));
        }
    }
    out
}

/// A fine inside the item's statutory range (the middle of the widest one), with its base.
fn fine_for(item: &PowerItem) -> (i64, i64) {
    let base = 1_000_000;
    let reg = quanze_law::registry();
    for c in &item.legal_basis.citations {
        let Some(article) = c.article else { continue };
        let title = reg.canonical_title(&c.title).unwrap_or(&c.title).to_string();
        let day = quanze_model::Date::parse("2026-03-16").expect("a valid day");
        let q = PenaltyQuery {
            base_amount_fen: Some(base),
            conditions: Condition::ALL.to_vec(),
            ..PenaltyQuery::new(title, article, day)
        };
        if let Ok(r) = compute(reg, &q)
            && r.fine_applies
        {
            return ((r.min_fen + r.max_fen) / 2 / 100 * 100, base);
        }
    }
    (100_000, base)
}

fn yuan(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

fn run_to_end(item: &PowerItem) -> Case {
    let mut c = Case::new(item);
    let pid = c.procedure.procedure.id.clone();
    match pid.as_str() {
        "penalty" => {
            let (fine, base) = fine_for(item);
            let money = format!("fine_yuan = {}\nbase_yuan = {}", yuan(fine), yuan(base));
            c.ok("2026-03-02", "张三", "open", "party = \"unit\"");
            c.ok("2026-03-03", "张三,李四", "register", "");
            c.ok("2026-03-04", "张三,李四", "investigate", "evidence = [\"书证\", \"现场笔录\"]");
            c.ok("2026-03-10", "张三,李四", "conclude", "");
            c.ok("2026-03-11", "钱审核", "legal_review", "opinion = \"同意\"");
            c.ok("2026-03-12", "张三,李四", "notify", &money);
            c.ok("2026-03-13", "张三", "waive", "");
            c.ok("2026-03-13", "王局长,赵副局长", "discuss", "");
            c.ok("2026-03-16", "王局长", "decide", &format!("decision = \"penalty\"\n{money}"));
            c.ok("2026-03-17", "张三", "serve", "method = \"direct\"");
            c.ok("2026-03-20", "张三", "pay", &format!("amount_yuan = {}", yuan(fine)));
            c.ok("2026-03-21", "王局长", "close", "");
        }
        "coercion" => {
            c.ok("2026-03-02", "张三", "open", "");
            c.ok("2026-03-02", "王局长", "approve", "");
            c.ok("2026-03-03", "张三,李四", "seal", "scene_record = \"现场笔录第1号\"");
            c.ok("2026-03-20", "张三,李四", "release_seal", "");
            c.ok("2026-03-21", "王局长", "close", "");
        }
        "service" => {
            c.ok("2026-03-02", "孙窗口", "open", "complete = true");
            c.ok("2026-03-02", "孙窗口", "accept", "");
            c.ok("2026-03-03", "孙窗口", "review", "");
            c.ok("2026-03-04", "孙窗口", "approve", "");
            c.ok("2026-03-05", "孙窗口", "close", "");
        }
        "inspection" => {
            c.ok("2026-03-02", "张三", "open", "");
            c.ok("2026-03-03", "张三,李四", "inspect", "");
            c.ok("2026-03-04", "张三", "dispose", "measure = \"责令改正\"");
            c.ok("2026-03-20", "张三,李四", "recheck", "");
            c.ok("2026-03-21", "王局长", "close", "");
        }
        "reward" => {
            c.ok("2026-03-02", "孙窗口", "open", "");
            c.ok("2026-03-03", "张三", "review", "");
            c.ok("2026-03-04", "张三", "publish", "");
            c.ok("2026-03-16", "王局长", "approve", "amount_yuan = 1000");
            c.ok("2026-03-17", "张三", "award", "amount_yuan = 1000");
            c.ok("2026-03-18", "王局长", "close", "");
        }
        other => panic!("no happy path for {other}"),
    }
    c
}

#[test]
fn every_seed_item_opens_and_reaches_its_end() {
    let items = seed_items();
    assert_eq!(items.len(), 108, "the five seed lists hold 108 items");
    let mut by_procedure = std::collections::BTreeMap::<String, usize>::new();
    let mut with_duty = 0;
    for (file, item) in &items {
        let c = run_to_end(item);
        let p = c.procedure.procedure;
        assert!(
            p.is_terminal(&c.state.state),
            "{file} {:?} {} ended in {}",
            item.seq,
            item.name,
            c.state.state
        );
        assert_eq!(verify_chain(&StoredEvent::seal_all(&c.events)), Ok(()));
        // Folding the stored bytes gives the same state as folding the events.
        let bodies: Vec<Vec<u8>> = c.events.iter().map(|e| e.canonical()).collect();
        assert_eq!(CaseState::fold_bodies(&bodies).unwrap(), c.state);
        assert_eq!(CaseState::fold(&c.events), c.state);
        // Every deadline the happy path started was met (2026 is a covered year).
        for d in c.deadlines("2026-12-31") {
            assert_ne!(
                d.status,
                quanze_case::DeadlineState::Missed,
                "{file} {} {}: {:?}",
                item.name,
                d.name,
                d
            );
            assert_ne!(d.status, quanze_case::DeadlineState::Error, "{file} {}: {:?}", item.name, d);
        }
        *by_procedure.entry(p.id.clone()).or_default() += 1;
        if c.events.iter().any(|e| e.duty.is_some()) {
            with_duty += 1;
        }
        let (_, findings) = ItemProcedure::for_item(item);
        for f in findings {
            assert!(!f.message.is_ascii(), "findings are Chinese: {}", f.message);
        }
    }
    eprintln!("procedures: {by_procedure:?}; items whose events name a duty of the list: {with_duty}");
    assert!(by_procedure.len() >= 4, "{by_procedure:?}");
    assert!(with_duty * 2 > items.len(), "most items map their stages: {with_duty}");
}
