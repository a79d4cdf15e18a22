//! Mapping an item onto its procedure, and the action names of the scenario contract.
#![allow(clippy::unwrap_used)] // test code: a bad literal is a failed test

mod common;

use common::{item_of, penalty_item, stage};
use quanze_case::{ACTION_IDS, Action, ItemProcedure};
use quanze_model::{Category, StageKind};

#[test]
fn stages_map_onto_actions_with_their_posts() {
    let mut item = penalty_item();
    item.responsibilities.stages[0] = stage(1, "立案", StageKind::Filing, Some("立案岗"));
    let (p, findings) = ItemProcedure::for_item(&item);
    assert_eq!(p.procedure.id, "penalty");
    assert!(findings.is_empty(), "{findings:?}");
    let d = p.duty("register").unwrap();
    assert_eq!((d.stage_name.as_str(), d.post.as_deref()), ("立案", Some("立案岗")));
    assert_eq!(p.duty("decide").unwrap().stage_name, "决定");
    assert_eq!(p.duty("serve").unwrap().stage_name, "送达");
}

#[test]
fn an_item_without_mappable_stages_still_runs_with_a_finding() {
    let (p, findings) = ItemProcedure::for_item(&item_of(Category::Penalty, "某处罚"));
    assert_eq!(p.procedure.id, "penalty");
    assert_eq!(findings[0].code, "stages_unparsed");
    assert!(findings[0].message.contains("行政处罚"));
    let mut item = item_of(Category::Reward, "举报奖励");
    item.responsibilities.stages = vec![stage(1, "听证", StageKind::Hearing, None)];
    let (p, findings) = ItemProcedure::for_item(&item);
    assert_eq!(p.procedure.id, "reward");
    assert_eq!(findings[0].code, "stages_unmapped");
    assert!(findings[0].message.contains("「听证」"));
}

#[test]
fn the_contract_actions_are_exactly_covered() {
    let contract = [
        "open",
        "register",
        "decline",
        "investigate",
        "seal",
        "extend_seal",
        "release_seal",
        "conclude",
        "legal_review",
        "notify",
        "statement",
        "waive",
        "request_hearing",
        "hold_hearing",
        "discuss",
        "decide",
        "serve",
        "pay",
        "collect_on_spot",
        "simple_decide",
        "accept",
        "reject",
        "request_materials",
        "review",
        "approve",
        "deny",
        "inspect",
        "dispose",
        "transfer",
        "award",
        "pause",
        "resume",
        "extend",
        "close",
        "check",
    ];
    for a in contract {
        assert!(ACTION_IDS.contains(&a), "{a}");
    }
    let extras: Vec<&str> = ACTION_IDS.iter().copied().filter(|a| !contract.contains(a)).collect();
    assert_eq!(extras, vec!["publish", "recheck", "demand", "court_enforce"]);
    // The contract's keys, as the contract writes them.
    let keys: &[(&str, &str)] = &[
        ("open", "item = 2\nparty = \"unit\"\ncomplete = false\nmissing = [\"a\"]"),
        ("decline", "reason = \"r\""),
        ("investigate", "evidence = [\"书证\"]"),
        ("legal_review", "opinion = \"同意\""),
        ("notify", "fine_yuan = 5000\nbase_yuan = 2500.5"),
        ("hold_hearing", "presider = \"刘五\""),
        ("decide", "decision = \"no_penalty\"\nfine_yuan = 0\nbase_yuan = 1"),
        ("serve", "method = \"notice\"\nconsent = true"),
        ("pay", "amount_yuan = 1\nreceipt = \"x\"\nto = \"bank\""),
        ("collect_on_spot", "amount_yuan = 1\nreceipt = \"x\""),
        ("simple_decide", "fine_yuan = 200"),
        ("reject", "reason = \"r\""),
        ("request_materials", "missing = [\"a\"]"),
        ("approve", "amount_yuan = 1000"),
        ("deny", "reason = \"r\""),
        ("award", "amount_yuan = 1000"),
        ("pause", "reason = \"鉴定\""),
        ("extend", "days = 30"),
    ];
    for (a, k) in keys {
        let t: toml::Table = k.parse().unwrap();
        Action::from_step(a, &t).unwrap_or_else(|e| panic!("{a}: {e}"));
    }
    match Action::from_step("open", &"item = 2".parse().unwrap()).unwrap() {
        Action::Open { item, .. } => assert_eq!(item.as_deref(), Some("2")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_case_keeps_the_procedure_it_was_opened_under() {
    let mut c = common::Case::new(&penalty_item());
    c.ok("2026-03-02", "张三", "open", "");
    // The list is edited: the item is now a 行政检查.
    let (other, _) = ItemProcedure::for_item(&item_of(Category::Inspection, "检查"));
    c.procedure = other;
    let r = c.refused("2026-03-03", "张三,李四", "inspect", "", "state_not_allowed");
    assert!(r.message.contains("penalty"), "{}", r.message);
}
