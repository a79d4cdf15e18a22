//! Every action in every state of every procedure gives an answer: applied, or refused with a
//! known code and a Chinese message. No input makes the engine panic.
#![allow(clippy::unwrap_used)] // test code: a bad literal is a failed test

mod common;

use common::{Case, item_of, penalty_item};
use quanze_case::{ACTION_IDS, Action, At, CaseState, Command, decide, guard_specs};
use quanze_model::Category;

fn sample_keys(id: &str) -> &'static str {
    match id {
        "open" => "complete = false\nmissing = []",
        "legal_review" => "opinion = \"\"",
        "decide" => "decision = \"penalty\"\nfine_yuan = 99999999\nbase_yuan = 0",
        "serve" => "method = \"electronic\"",
        "pay" | "collect_on_spot" | "award" => "amount_yuan = 0.01",
        "simple_decide" => "fine_yuan = 0",
        "pause" => "reason = \"\"",
        "extend" => "days = 0",
        "investigate" => "evidence = [\"\"]",
        "hold_hearing" => "presider = \"不存在的人\"",
        "extend_seal" => "days = 4294967295",
        _ => "",
    }
}

/// at, by, action, keys.
type Step = (&'static str, &'static str, &'static str, &'static str);

fn try_everything(c: &Case, at: &str) {
    let known: Vec<&str> = guard_specs().iter().map(|g| g.code.as_str()).collect();
    for id in ACTION_IDS {
        let action = Action::from_step(id, &sample_keys(id).parse().unwrap()).unwrap();
        for by in
            [vec!["王局长".to_string()], vec!["张三".into(), "李四".into()], vec!["周监督".into()], vec![]]
        {
            let cmd = Command { at: At::parse(at).unwrap(), by, action: action.clone() };
            let out = decide(&c.ctx(), &c.state, &cmd);
            if let Some(r) = out.refusal() {
                assert!(known.contains(&r.code.as_str()), "unknown code {}", r.code);
                assert!(!r.message.trim().is_empty() && !r.message.is_ascii(), "{}: {}", r.code, r.message);
            }
            for e in out.events() {
                assert_eq!(e.seq, c.state.last_seq + 1);
            }
        }
    }
    let _ = c.deadlines(at);
}

#[test]
fn every_action_in_every_state_answers() {
    let paths: Vec<(Case, Vec<Step>)> = vec![
        (
            Case::new(&penalty_item()),
            vec![
                ("2026-03-02", "张三", "open", ""),
                ("2026-03-03", "张三,李四", "register", ""),
                ("2026-03-04", "张三,李四", "seal", "scene_record = \"1\""),
                ("2026-03-05", "张三,李四", "conclude", ""),
                ("2026-03-09", "张三,李四", "notify", "fine_yuan = 1500\nbase_yuan = 1000"),
                ("2026-03-10", "张三", "request_hearing", ""),
                ("2026-03-20", "刘五", "hold_hearing", "presider = \"刘五\""),
                ("2026-03-20", "钱审核", "legal_review", "opinion = \"同意\""),
                (
                    "2026-03-23",
                    "王局长",
                    "decide",
                    "decision = \"penalty\"\nfine_yuan = 1500\nbase_yuan = 1000",
                ),
                ("2026-03-24", "张三", "serve", "method = \"direct\""),
                ("2026-04-10", "张三", "demand", ""),
                ("2026-09-25", "王局长", "court_enforce", ""),
                ("2026-09-28", "王局长", "close", ""),
            ],
        ),
        (
            Case::new(&item_of(Category::Coercion, "封存")),
            vec![
                ("2026-03-02", "张三", "open", ""),
                ("2026-03-02", "王局长", "approve", ""),
                ("2026-03-03", "张三,李四", "seal", "scene_record = \"1\""),
                ("2026-03-20", "张三", "release_seal", ""),
                ("2026-03-21", "王局长", "close", ""),
            ],
        ),
        (
            Case::new(&item_of(Category::Confirmation, "参保登记")),
            vec![
                ("2026-03-02", "孙窗口", "open", "complete = false\nmissing = [\"身份证\"]"),
                ("2026-03-04", "孙窗口", "accept", ""),
                ("2026-03-05", "孙窗口", "review", ""),
                ("2026-03-06", "孙窗口", "deny", "reason = \"不符合条件\""),
                ("2026-03-06", "孙窗口", "close", ""),
            ],
        ),
        (
            Case::new(&item_of(Category::Inspection, "检查")),
            vec![
                ("2026-03-02", "张三", "open", ""),
                ("2026-03-03", "张三,李四", "inspect", ""),
                ("2026-03-04", "张三", "transfer", "to = \"公安机关\""),
                ("2026-03-05", "王局长", "close", ""),
            ],
        ),
        (
            Case::new(&item_of(Category::Reward, "奖励")),
            vec![
                ("2026-03-02", "孙窗口", "open", ""),
                ("2026-03-03", "张三", "review", ""),
                ("2026-03-04", "张三", "deny", "reason = \"举报不实\""),
                ("2026-03-05", "王局长", "close", ""),
            ],
        ),
    ];
    for (mut c, steps) in paths {
        try_everything(&c, "2026-03-02");
        for (at, by, action, keys) in steps {
            c.ok(at, by, action, keys);
            try_everything(&c, at);
        }
        assert!(c.procedure.procedure.is_terminal(&c.state.state), "{}", c.state.state);
        let bodies: Vec<Vec<u8>> = c.events.iter().map(|e| e.canonical()).collect();
        assert_eq!(CaseState::fold_bodies(&bodies).unwrap(), c.state);
        // A closed case refuses everything but `check`.
        let out = decide(
            &c.ctx(),
            &c.state,
            &Command {
                at: At::parse("2026-12-01").unwrap(),
                by: vec!["王局长".into()],
                action: Action::Close {},
            },
        );
        assert_eq!(out.refusal().unwrap().code, "state_not_allowed");
    }
}

#[test]
fn messy_steps_are_errors_not_panics() {
    for id in ACTION_IDS.iter().copied().chain(["", "DECIDE", "开立"]) {
        for keys in [
            "fine_yuan = \"abc\"",
            "amount_yuan = -1",
            "amount_yuan = 1e300",
            "days = -3",
            "missing = [1, 2]",
            "evidence = 3",
            "party = \"robot\"",
            "decision = \"maybe\"",
            "reason = 7",
            "item = 1.5",
        ] {
            let t: toml::Table = keys.parse().unwrap();
            if let Err(e) = Action::from_step(id, &t) {
                assert!(!e.message.is_ascii(), "{id} {keys}: {}", e.message);
            }
        }
    }
}

#[test]
fn unreadable_bytes_are_a_chain_break_not_a_panic() {
    let mut s = CaseState::new();
    let e = s.apply_body(b"{not json").unwrap_err();
    assert_eq!(e.seq, 1);
    assert!(e.reason.contains("无法读取"));
    let body = br#"{"seq":1,"at":"2026-13-01","by":[],"action":{"action":"close"},"procedure":"penalty","stage":"new","state":"closed","item":{"version":"","seq":null,"line":null,"name":"x","sub_name":null,"category":"penalty"},"duty_stage":null,"post":null,"duty":null,"target":null}"#;
    assert!(s.apply_body(body).unwrap_err().reason.contains("时间"));
    let odd =
        String::from_utf8(body.to_vec()).unwrap().replace("2026-13-01", "2026-03-01").replace("close", "fly");
    assert!(s.apply_body(odd.as_bytes()).unwrap_err().reason.contains("fly"));
}
