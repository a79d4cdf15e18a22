//! One test per guard: a step that must be refused (asserting the guard's articles) and one
//! that must pass. Dates are in March–April 2026 (2026-03-02 is a Monday; 清明 2026-04-04..06).
#![allow(clippy::unwrap_used)] // test code: a bad literal is a failed test

mod common;

use common::{Case, item_of, penalty_item, stage};
use quanze_case::{Role, guard_specs};
use quanze_model::{Category, StageKind};

fn arts(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// A penalty case at 调查终结 (opened 03-02, registered 03-03, investigated 03-04, concluded 03-05).
fn concluded(party: &str) -> Case {
    let mut c = Case::new(&penalty_item());
    c.ok("2026-03-02", "张三", "open", &format!("party = \"{party}\""));
    c.ok("2026-03-03", "张三,李四", "register", "");
    c.ok("2026-03-04", "张三,李四", "investigate", "evidence = [\"书证\"]");
    c.ok("2026-03-05", "张三,李四", "conclude", "");
    c
}

/// Notified on 03-09 (Monday) of a 1,500 元 fine on a 1,000 元 loss; the window ends 03-16.
fn notified() -> Case {
    let mut c = concluded("unit");
    c.ok("2026-03-09", "张三,李四", "notify", "fine_yuan = 1500\nbase_yuan = 1000");
    c
}

const FINE: &str = "decision = \"penalty\"\nfine_yuan = 1500\nbase_yuan = 1000";

/// Decided and served (03-17); payment due 04-01.
fn served() -> Case {
    let mut c = notified();
    c.ok("2026-03-17", "王局长", "decide", FINE);
    c.ok("2026-03-17", "张三", "serve", "method = \"direct\"");
    c
}

fn coercion() -> Case {
    let mut c = Case::new(&item_of(Category::Coercion, "封存有关资料"));
    c.ok("2026-03-02", "张三", "open", "");
    c
}

fn service() -> Case {
    Case::new(&item_of(Category::Payment, "生育津贴支付"))
}

fn reward_published() -> Case {
    let mut c = Case::new(&item_of(Category::Reward, "举报奖励"));
    c.ok("2026-03-02", "孙窗口", "open", "");
    c.ok("2026-03-03", "张三", "review", "");
    c.ok("2026-03-04", "张三", "publish", "");
    c
}

#[test]
fn every_guard_has_a_test_here() {
    let src = include_str!("guards.rs");
    for g in guard_specs() {
        assert!(src.contains(&format!("\"{}\"", g.code)), "no test for guard {}", g.code);
    }
}

#[test]
fn state_not_allowed() {
    let mut c = Case::new(&penalty_item());
    c.ok("2026-03-02", "张三", "open", "");
    let r = c.refused("2026-03-03", "王局长", "decide", FINE, "state_not_allowed");
    assert_eq!(r.articles, arts(&[]));
    assert!(r.message.contains("线索核查"), "{}", r.message);
    c.ok("2026-03-03", "张三,李四", "register", "");
}

#[test]
fn unknown_person() {
    let mut c = Case::new(&penalty_item());
    let r = c.refused("2026-03-02", "路人", "open", "", "unknown_person");
    assert_eq!(r.articles, arts(&[]));
    assert!(r.message.contains("路人"));
    c.ok("2026-03-02", "张三", "open", "");
}

#[test]
fn role_not_allowed() {
    let mut c = concluded("unit");
    let r = c.refused("2026-03-06", "孙窗口", "legal_review", "opinion = \"同意\"", "role_not_allowed");
    assert_eq!(r.articles, arts(&[]));
    c.ok("2026-03-06", "钱审核", "legal_review", "opinion = \"同意\"");
}

#[test]
fn post_not_held() {
    let mut item = penalty_item();
    item.responsibilities.stages[0] = stage(1, "立案", StageKind::Filing, Some("立案岗"));
    let mut c = Case::new(&item);
    for p in c.people.iter_mut() {
        if p.role == Role::Officer {
            p.posts = vec!["调查岗".into()];
        }
    }
    c.ok("2026-03-02", "张三", "open", "");
    let r = c.refused("2026-03-03", "张三,李四", "register", "", "post_not_held");
    assert_eq!(r.articles, arts(&[]));
    assert!(r.message.contains("立案岗"));
    c.people.iter_mut().find(|p| p.id == "李四").unwrap().posts.push("立案岗".into());
    c.ok("2026-03-03", "张三,李四", "register", "");
    // The event names the duty of the list it executes.
    let e = c.events.last().unwrap();
    assert_eq!(e.duty_stage.as_deref(), Some("立案"));
    assert_eq!(e.post.as_deref(), Some("立案岗"));
}

#[test]
fn time_order() {
    let mut c = Case::new(&penalty_item());
    c.ok("2026-03-02T10:00", "张三", "open", "");
    let r = c.refused("2026-03-02T09:00", "张三,李四", "register", "", "time_order");
    assert_eq!(r.articles, arts(&[]));
    c.ok("2026-03-02", "张三,李四", "register", "");
}

#[test]
fn calendar_gap() {
    let mut c = Case::new(&penalty_item());
    c.ok("2026-12-01", "张三", "open", "");
    c.ok("2026-12-02", "张三,李四", "register", "");
    c.ok("2026-12-03", "张三,李四", "conclude", "");
    c.ok("2026-12-30", "张三,李四", "notify", "fine_yuan = 1500\nbase_yuan = 1000");
    // Five working days after 12-30 reach into 2027, whose notice is not loaded.
    let r = c.refused("2027-01-05", "张三", "request_hearing", "", "calendar_gap");
    assert_eq!(r.articles, arts(&[]));
    assert!(r.message.contains("2027"), "{}", r.message);
    let mut ok = notified();
    ok.ok("2026-03-10", "张三", "request_hearing", "");
}

#[test]
fn leader_required() {
    let mut c = reward_published();
    let r = c.refused("2026-03-16", "张三", "approve", "amount_yuan = 1000", "leader_required");
    assert_eq!(r.articles, arts(&[]));
    c.ok("2026-03-16", "王局长", "approve", "amount_yuan = 1000");
}

#[test]
fn officers_penalty() {
    let mut c = Case::new(&penalty_item());
    c.ok("2026-03-02", "张三", "open", "");
    let r = c.refused("2026-03-03", "张三", "register", "", "officers_penalty");
    assert_eq!(r.articles, arts(&["行政处罚法 第四十二条"]));
    c.refused("2026-03-03", "张三,张三", "register", "", "officers_penalty");
    let r = c.refused("2026-03-03", "张三,无证", "register", "", "officers_penalty");
    assert!(r.message.contains("无证无执法证件"), "{}", r.message);
    c.people.iter_mut().find(|p| p.id == "李四").unwrap().certificate_until =
        quanze_model::Date::parse("2026-03-02");
    let r = c.refused("2026-03-03", "张三,李四", "register", "", "officers_penalty");
    assert!(r.message.contains("到期"), "{}", r.message);
    c.ok("2026-03-03", "张三,刘五", "register", "");
}

#[test]
fn officers_inspection() {
    let mut c = Case::new(&item_of(Category::Inspection, "医疗保障基金使用监督检查"));
    c.ok("2026-03-02", "张三", "open", "");
    let r = c.refused("2026-03-03", "张三", "inspect", "", "officers_inspection");
    assert_eq!(r.articles, arts(&["医疗保障基金使用监督管理条例 第二十九条"]));
    c.ok("2026-03-03", "张三,李四", "inspect", "");
}

#[test]
fn officers_coercion() {
    let mut c = coercion();
    c.ok("2026-03-02", "王局长", "approve", "");
    let r = c.refused("2026-03-03", "张三", "seal", "scene_record = \"笔录1\"", "officers_coercion");
    assert_eq!(r.articles, arts(&["行政强制法 第十八条"]));
    c.ok("2026-03-03", "张三,李四", "seal", "scene_record = \"笔录1\"");
}

#[test]
fn scene_record_required() {
    let mut c = coercion();
    c.ok("2026-03-02", "王局长", "approve", "");
    let r = c.refused("2026-03-03", "张三,李四", "seal", "", "scene_record_required");
    assert_eq!(r.articles, arts(&["行政强制法 第十八条"]));
    c.ok("2026-03-03", "张三,李四", "seal", "scene_record = \"笔录1\"");
}

#[test]
fn leader_approves_coercion() {
    let mut c = coercion();
    let r = c.refused("2026-03-02", "张三", "approve", "", "leader_approves_coercion");
    assert_eq!(r.articles, arts(&["行政强制法 第十八条"]));
    c.ok("2026-03-02", "王局长", "approve", "");
}

#[test]
fn decline_reason() {
    let mut c = Case::new(&penalty_item());
    c.ok("2026-03-02", "张三", "open", "");
    let r = c.refused("2026-03-03", "张三", "decline", "reason = \" \"", "decline_reason");
    assert_eq!(r.articles, arts(&[]));
    c.ok("2026-03-03", "张三", "decline", "reason = \"违法事实不存在\"");
    c.ok("2026-03-04", "王局长", "close", "");
}

#[test]
fn evidence_kind() {
    let mut c = Case::new(&penalty_item());
    c.ok("2026-03-02", "张三", "open", "");
    c.ok("2026-03-03", "张三,李四", "register", "");
    let r = c.refused(
        "2026-03-04",
        "张三,李四",
        "investigate",
        "evidence = [\"书证\", \"传闻\"]",
        "evidence_kind",
    );
    assert_eq!(r.articles, arts(&["行政处罚法 第四十六条"]));
    assert!(r.message.contains("传闻"));
    c.refused("2026-03-04", "张三,李四", "investigate", "", "evidence_kind");
    c.ok("2026-03-04", "张三,李四", "investigate", "evidence = [\"书证\", \"electronic\", \"现场笔录\"]");
}

#[test]
fn notice_before_decision() {
    let mut c = concluded("unit");
    let r = c.refused("2026-03-20", "王局长", "decide", FINE, "notice_before_decision");
    assert_eq!(r.articles, arts(&["行政处罚法 第四十四条", "行政处罚法 第六十二条"]));
    // A decision not to punish needs no notice.
    let mut other = concluded("unit");
    other.ok("2026-03-20", "王局长", "decide", "decision = \"not_established\"");
    c.ok("2026-03-09", "张三,李四", "notify", "fine_yuan = 1500\nbase_yuan = 1000");
    c.ok("2026-03-20", "王局长", "decide", FINE);
}

#[test]
fn statement_window_open() {
    let mut c = notified();
    let r = c.refused("2026-03-16", "王局长", "decide", FINE, "statement_window_open");
    assert_eq!(r.articles, arts(&["行政处罚法 第六十二条", "行政处罚法 第六十四条"]));
    assert!(r.message.contains("2026-03-16"), "{}", r.message);
    c.ok("2026-03-17", "王局长", "decide", FINE);
    // A waiver closes the window at once.
    let mut w = notified();
    w.ok("2026-03-10", "张三", "waive", "");
    w.ok("2026-03-10", "王局长", "decide", FINE);
}

#[test]
fn hearing_request_late() {
    let mut c = notified();
    let r = c.refused("2026-03-17", "张三", "request_hearing", "", "hearing_request_late");
    assert_eq!(r.articles, arts(&["行政处罚法 第六十四条", "行政处罚法 第八十五条"]));
    c.ok("2026-03-16", "张三", "request_hearing", "");
}

#[test]
fn hearing_not_requested() {
    let mut c = notified();
    let r = c.refused("2026-03-12", "刘五", "hold_hearing", "presider = \"刘五\"", "hearing_not_requested");
    assert_eq!(r.articles, arts(&["行政处罚法 第六十四条"]));
    c.ok("2026-03-12", "张三", "request_hearing", "");
    c.ok("2026-03-25", "刘五", "hold_hearing", "presider = \"刘五\"");
}

#[test]
fn hearing_not_held() {
    let mut c = notified();
    c.ok("2026-03-12", "张三", "request_hearing", "");
    let r = c.refused("2026-03-20", "王局长", "decide", FINE, "hearing_not_held");
    assert_eq!(
        r.articles,
        arts(&["行政处罚法 第六十三条", "行政处罚法 第六十四条", "行政处罚法 第六十五条"])
    );
    c.ok("2026-03-25", "刘五", "hold_hearing", "presider = \"刘五\"");
    // A hearing makes 法制审核 required (行政处罚法 第五十八条(二)).
    c.refused("2026-03-26", "王局长", "decide", FINE, "legal_review_required");
    c.ok("2026-03-26", "钱审核", "legal_review", "opinion = \"同意\"");
    c.ok("2026-03-26", "王局长", "decide", FINE);
}

#[test]
fn hearing_presider_required() {
    let mut c = notified();
    c.ok("2026-03-12", "张三", "request_hearing", "");
    let r = c.refused("2026-03-25", "刘五", "hold_hearing", "", "hearing_presider_required");
    assert_eq!(r.articles, arts(&["行政处罚法 第六十四条"]));
    c.ok("2026-03-25", "刘五", "hold_hearing", "presider = \"刘五\"");
}

#[test]
fn hearing_presider_investigator() {
    let mut c = notified();
    c.ok("2026-03-12", "张三", "request_hearing", "");
    let r = c.refused(
        "2026-03-25",
        "刘五",
        "hold_hearing",
        "presider = \"张三\"",
        "hearing_presider_investigator",
    );
    assert_eq!(r.articles, arts(&["行政处罚法 第六十四条"]));
    assert!(r.message.contains("张三"));
    c.ok("2026-03-25", "刘五", "hold_hearing", "presider = \"刘五\"");
}

#[test]
fn reviewer_is_handler() {
    let mut c = concluded("unit");
    let r = c.refused("2026-03-06", "张三", "legal_review", "opinion = \"同意\"", "reviewer_is_handler");
    assert_eq!(r.articles, arts(&["行政处罚法 第五十八条", "医疗保障行政处罚程序暂行规定"]));
    assert!(r.unverified);
    c.ok("2026-03-06", "刘五", "legal_review", "opinion = \"同意\"");
}

#[test]
fn legal_review_required() {
    // 150,000 元 on a unit reaches the local threshold (100,000 元, 汕尾 default).
    let big = "decision = \"penalty\"\nfine_yuan = 150000\nbase_yuan = 100000";
    let mut c = concluded("unit");
    c.ok("2026-03-09", "张三,李四", "notify", "fine_yuan = 150000\nbase_yuan = 100000");
    c.ok("2026-03-10", "王局长,赵副局长", "discuss", "");
    let r = c.refused("2026-03-17", "王局长", "decide", big, "legal_review_required");
    assert_eq!(r.articles, arts(&["行政处罚法 第五十八条"]));
    c.ok("2026-03-17", "钱审核", "legal_review", "opinion = \"不同意，继续调查\"");
    let r = c.refused("2026-03-17", "王局长", "decide", big, "legal_review_required");
    assert!(r.message.contains("未通过"));
    c.ok("2026-03-17", "钱审核", "legal_review", "opinion = \"同意\"");
    c.ok("2026-03-17", "王局长", "decide", big);
}

#[test]
fn discussion_attendees() {
    let mut c = concluded("unit");
    let r = c.refused("2026-03-06", "王局长,张三", "discuss", "", "discussion_attendees");
    assert_eq!(r.articles, arts(&["行政处罚法 第五十七条"]));
    c.ok("2026-03-06", "王局长,赵副局长,张三", "discuss", "");
}

#[test]
fn discussion_required() {
    let mut c = Case::new(&penalty_item());
    c.ok("2026-03-02", "张三", "open", "");
    c.ok("2026-03-03", "张三,李四", "register", "");
    c.ok("2026-03-05", "张三,李四", "conclude", "major = true");
    c.ok("2026-03-06", "钱审核", "legal_review", "opinion = \"同意\"");
    c.ok("2026-03-09", "张三,李四", "notify", "fine_yuan = 1500\nbase_yuan = 1000");
    let r = c.refused("2026-03-17", "王局长", "decide", FINE, "discussion_required");
    assert_eq!(r.articles, arts(&["行政处罚法 第五十七条"]));
    c.ok("2026-03-17", "王局长,赵副局长", "discuss", "conclusion = \"同意处罚\"");
    c.ok("2026-03-17", "王局长", "decide", FINE);
}

#[test]
fn leader_decides() {
    let mut c = notified();
    let r = c.refused("2026-03-17", "张三", "decide", FINE, "leader_decides");
    assert_eq!(r.articles, arts(&["行政处罚法 第五十七条"]));
    c.ok("2026-03-17", "王局长", "decide", FINE);
}

#[test]
fn fine_above_notified() {
    let mut c = notified();
    let r = c.refused(
        "2026-03-17",
        "王局长",
        "decide",
        "decision = \"penalty\"\nfine_yuan = 1800\nbase_yuan = 1000",
        "fine_above_notified",
    );
    assert_eq!(r.articles, arts(&["行政处罚法 第四十五条"]));
    c.ok("2026-03-17", "王局长", "decide", "decision = \"penalty\"\nfine_yuan = 1200\nbase_yuan = 1000");
}

#[test]
fn fine_outside_range() {
    // 条例 第三十八条: 1–2 times the loss; a loss of 1,000 元 allows 1,000–2,000 元.
    let mut c = concluded("unit");
    c.ok("2026-03-09", "张三,李四", "notify", "fine_yuan = 5000\nbase_yuan = 1000");
    let r = c.refused(
        "2026-03-17",
        "王局长",
        "decide",
        "decision = \"penalty\"\nfine_yuan = 5000\nbase_yuan = 1000",
        "fine_outside_range",
    );
    assert_eq!(r.articles, arts(&["行政处罚法 第七十六条", "医疗保障基金使用监督管理条例 第三十八条"]));
    assert!(r.message.contains("2,000.00元"), "{}", r.message);
    c.refused(
        "2026-03-17",
        "王局长",
        "decide",
        "decision = \"penalty\"\nfine_yuan = 999\nbase_yuan = 1000",
        "fine_outside_range",
    );
    c.ok("2026-03-17", "王局长", "decide", "decision = \"penalty\"\nfine_yuan = 2000\nbase_yuan = 1000");
}

#[test]
fn fine_outside_range_on_the_spot() {
    // 条例 第三十九条: 1万–5万元 — no fine under the 简易程序 limit fits it.
    let mut item = penalty_item();
    item.legal_basis.citations = vec![common::cite("医疗保障基金使用监督管理条例", 39)];
    let mut c = Case::new(&item);
    c.ok("2026-03-02", "张三", "open", "party = \"unit\"");
    let r = c.refused("2026-03-02", "张三,李四", "simple_decide", "fine_yuan = 3000", "fine_outside_range");
    assert_eq!(r.articles, arts(&["行政处罚法 第七十六条", "医疗保障基金使用监督管理条例 第三十九条"]));
    // 条例 第三十八条 needs a base the spot decision does not give: not checked there.
    let mut ok = Case::new(&penalty_item());
    ok.ok("2026-03-02", "张三", "open", "party = \"unit\"");
    ok.ok("2026-03-02", "张三,李四", "simple_decide", "fine_yuan = 3000");
}

#[test]
fn fine_base_missing() {
    let mut c = concluded("unit");
    c.ok("2026-03-09", "张三,李四", "notify", "fine_yuan = 1500");
    let r = c.refused(
        "2026-03-17",
        "王局长",
        "decide",
        "decision = \"penalty\"\nfine_yuan = 1500",
        "fine_base_missing",
    );
    assert_eq!(r.articles, arts(&[]));
    assert!(r.message.contains("第三十八条"), "{}", r.message);
    c.ok("2026-03-17", "王局长", "decide", FINE);
}

#[test]
fn simple_procedure_limit() {
    let mut c = Case::new(&penalty_item());
    c.ok("2026-03-02", "张三", "open", "party = \"individual\"");
    let r =
        c.refused("2026-03-02", "张三,李四", "simple_decide", "fine_yuan = 200.01", "simple_procedure_limit");
    assert_eq!(r.articles, arts(&["行政处罚法 第五十一条"]));
    c.ok("2026-03-02", "张三,李四", "simple_decide", "fine_yuan = 200");
    let mut u = Case::new(&penalty_item());
    u.ok("2026-03-02", "张三", "open", "party = \"unit\"");
    u.refused("2026-03-02", "张三,李四", "simple_decide", "fine_yuan = 3500", "simple_procedure_limit");
    u.ok("2026-03-02", "张三,李四", "simple_decide", "fine_yuan = 3000");
    u.ok("2026-03-05", "张三", "pay", "amount_yuan = 3000");
    u.ok("2026-03-06", "王局长", "close", "");
    assert_eq!(u.state.state, "closed");
}

#[test]
fn electronic_service_consent() {
    let mut c = notified();
    c.ok("2026-03-17", "王局长", "decide", FINE);
    let r = c.refused("2026-03-18", "张三", "serve", "method = \"electronic\"", "electronic_service_consent");
    assert_eq!(r.articles, arts(&["行政处罚法 第六十一条"]));
    c.ok("2026-03-18", "张三", "serve", "method = \"electronic\"\nconsent = true");
}

#[test]
fn payment_to_bank() {
    let mut c = served();
    let r = c.refused("2026-03-20", "张三", "pay", "amount_yuan = 1500\nto = \"officer\"", "payment_to_bank");
    assert_eq!(r.articles, arts(&["行政处罚法 第六十七条"]));
    c.ok("2026-03-20", "张三", "pay", "amount_yuan = 1500\nto = \"bank\"");
    assert_eq!(c.state.state, "executed");
}

#[test]
fn payment_exceeds_due() {
    let mut c = served();
    let r = c.refused("2026-03-20", "张三", "pay", "amount_yuan = 1500.01", "payment_exceeds_due");
    assert_eq!(r.articles, arts(&[]));
    c.ok("2026-03-20", "张三", "pay", "amount_yuan = 1000");
    assert_eq!(c.state.state, "served");
    c.ok("2026-03-21", "张三", "pay", "amount_yuan = 500");
    assert_eq!(c.state.state, "executed");
}

#[test]
fn surcharge_is_owed_after_the_payment_deadline_and_capped_at_the_fine() {
    let mut c = served();
    // Due 04-01 (15 days after 03-17); on 04-03 two days late: 1,500 × 3 % × 2 = 90 元.
    c.refused("2026-04-03", "张三", "pay", "amount_yuan = 1590.01", "payment_exceeds_due");
    c.ok("2026-04-03", "张三", "pay", "amount_yuan = 1590");
    assert_eq!(c.state.state, "executed");
    let mut late = served();
    // A year later the surcharge is capped at the fine: 3,000 元 in all.
    late.refused("2026-12-01", "张三", "pay", "amount_yuan = 3000.01", "payment_exceeds_due");
    late.ok("2026-12-01", "张三", "pay", "amount_yuan = 3000");
}

#[test]
fn on_spot_limit() {
    let mut c = Case::new(&penalty_item());
    c.ok("2026-03-02", "张三", "open", "party = \"individual\"");
    c.ok("2026-03-02", "张三,李四", "simple_decide", "fine_yuan = 150");
    let r = c.refused(
        "2026-03-02",
        "张三",
        "collect_on_spot",
        "amount_yuan = 150\nreceipt = \"票据001\"",
        "on_spot_limit",
    );
    assert_eq!(r.articles, arts(&["行政处罚法 第六十八条"]));
    let mut ok = Case::new(&penalty_item());
    ok.ok("2026-03-02", "张三", "open", "party = \"individual\"");
    ok.ok("2026-03-02", "张三,李四", "simple_decide", "fine_yuan = 100");
    ok.ok("2026-03-02", "张三", "collect_on_spot", "amount_yuan = 100\nreceipt = \"票据001\"");
    assert_eq!(ok.state.state, "executed");
}

#[test]
fn on_spot_receipt() {
    let mut c = Case::new(&penalty_item());
    c.ok("2026-03-02", "张三", "open", "party = \"individual\"");
    c.ok("2026-03-02", "张三,李四", "simple_decide", "fine_yuan = 50");
    let r = c.refused("2026-03-02", "张三", "collect_on_spot", "amount_yuan = 50", "on_spot_receipt");
    assert_eq!(r.articles, arts(&["行政处罚法 第七十条"]));
    c.ok("2026-03-02", "张三", "collect_on_spot", "amount_yuan = 50\nreceipt = \"票据002\"");
}

#[test]
fn demand_too_early() {
    let mut c = served();
    let r = c.refused("2026-04-01", "张三", "demand", "", "demand_too_early");
    assert_eq!(r.articles, arts(&["行政处罚法 第六十七条", "行政强制法 第五十四条"]));
    c.ok("2026-04-02", "张三", "demand", "");
}

#[test]
fn court_enforce_without_demand() {
    let mut c = served();
    let r = c.refused("2026-05-06", "王局长", "court_enforce", "", "court_enforce_without_demand");
    assert_eq!(r.articles, arts(&["行政强制法 第五十四条"]));
    c.ok("2026-05-06", "张三", "demand", "");
    c.ok("2026-09-21", "王局长", "court_enforce", "");
}

#[test]
fn court_enforce_too_early() {
    let mut c = served();
    c.ok("2026-10-12", "张三", "demand", "");
    // Ten working days after 10-12 (a Monday, no holiday): 10-26.
    let r = c.refused("2026-10-26", "王局长", "court_enforce", "", "court_enforce_too_early");
    assert_eq!(r.articles, arts(&["行政强制法 第五十四条", "行政强制法 第六十九条"]));
    assert!(r.message.contains("2026-10-26"), "{}", r.message);
    c.ok("2026-10-27", "王局长", "court_enforce", "");
    c.ok("2026-10-28", "王局长", "close", "");
}

#[test]
fn court_enforce_remedy_open() {
    let mut c = served();
    c.ok("2026-04-02", "张三", "demand", "");
    // Served 03-17: the six months to sue end on 09-17 (a Thursday).
    let r = c.refused("2026-09-17", "王局长", "court_enforce", "", "court_enforce_remedy_open");
    assert_eq!(r.articles, arts(&["行政强制法 第五十三条", "行政诉讼法 第四十六条"]));
    assert!(r.message.contains("2026-09-17"), "{}", r.message);
    c.ok("2026-09-18", "王局长", "court_enforce", "");
}

#[test]
fn close_not_executed() {
    let mut c = served();
    let r = c.refused("2026-03-20", "王局长", "close", "", "close_not_executed");
    assert_eq!(r.articles, arts(&["医疗保障行政处罚程序暂行规定"]));
    assert!(r.unverified);
    c.ok("2026-03-20", "张三", "pay", "amount_yuan = 1500");
    c.ok("2026-03-21", "王局长", "close", "");
}

#[test]
fn seal_not_active() {
    let mut c = coercion();
    c.ok("2026-03-02", "王局长", "approve", "");
    let mut p = concluded("unit");
    let r = p.refused("2026-03-06", "张三", "release_seal", "", "seal_not_active");
    assert_eq!(r.articles, arts(&[]));
    c.ok("2026-03-03", "张三,李四", "seal", "scene_record = \"笔录1\"");
    c.ok("2026-03-10", "张三", "release_seal", "");
}

#[test]
fn seal_extension_once() {
    let mut c = coercion();
    c.ok("2026-03-02", "王局长", "approve", "");
    c.ok("2026-03-03", "张三,李四", "seal", "scene_record = \"笔录1\"");
    let r = c.refused("2026-03-30", "王局长", "extend_seal", "days = 31", "seal_extension_once");
    assert_eq!(r.articles, arts(&["行政强制法 第二十五条"]));
    c.ok("2026-03-30", "王局长", "extend_seal", "days = 30");
    c.refused("2026-04-20", "王局长", "extend_seal", "days = 10", "seal_extension_once");
    let d = c.deadlines("2026-04-20");
    assert_eq!(d[0].days, 60);
}

#[test]
fn seal_extension_needs_leader() {
    let mut c = coercion();
    c.ok("2026-03-02", "王局长", "approve", "");
    c.ok("2026-03-03", "张三,李四", "seal", "scene_record = \"笔录1\"");
    let r = c.refused("2026-03-30", "张三", "extend_seal", "days = 30", "seal_extension_needs_leader");
    assert_eq!(r.articles, arts(&["行政强制法 第二十五条"]));
    c.ok("2026-03-30", "王局长,张三", "extend_seal", "days = 30");
}

#[test]
fn pause_reason() {
    let mut c = concluded("unit");
    let r = c.refused("2026-03-06", "张三", "pause", "reason = \"春节\"", "pause_reason");
    assert_eq!(r.articles, arts(&["医疗保障行政处罚程序暂行规定"]));
    c.ok("2026-03-06", "张三", "pause", "reason = \"鉴定\"");
}

#[test]
fn pause_open() {
    let mut c = concluded("unit");
    c.ok("2026-03-06", "张三", "pause", "reason = \"鉴定\"");
    let r = c.refused("2026-03-07", "张三", "pause", "reason = \"检验\"", "pause_open");
    assert_eq!(r.articles, arts(&[]));
    c.ok("2026-03-09", "张三", "resume", "");
    c.ok("2026-03-10", "张三", "pause", "reason = \"检验\"");
}

#[test]
fn no_pause() {
    let mut c = concluded("unit");
    let r = c.refused("2026-03-06", "张三", "resume", "", "no_pause");
    assert_eq!(r.articles, arts(&[]));
    c.ok("2026-03-06", "张三", "pause", "reason = \"专家评审\"");
    c.ok("2026-03-16", "张三", "resume", "");
}

#[test]
fn extension_needs_leader() {
    let mut c = concluded("unit");
    let r = c.refused("2026-05-20", "张三", "extend", "days = 30", "extension_needs_leader");
    assert_eq!(r.articles, arts(&["医疗保障行政处罚程序暂行规定"]));
    c.ok("2026-05-20", "王局长", "extend", "days = 30");
    assert_eq!(c.events.last().unwrap().target.as_deref(), Some("decision"));
}

#[test]
fn nothing_to_extend() {
    let mut s = service();
    s.ok("2026-03-02", "孙窗口", "open", "");
    s.ok("2026-03-02", "孙窗口", "accept", "");
    let r = s.refused("2026-03-03", "王局长", "extend", "days = 5", "nothing_to_extend");
    assert_eq!(r.articles, arts(&[]));
    let mut c = concluded("unit");
    c.ok("2026-05-20", "王局长", "extend", "days = 30");
}

#[test]
fn extension_exhausted() {
    let mut c = concluded("unit");
    let r = c.refused("2026-05-20", "王局长", "extend", "days = 31", "extension_exhausted");
    assert_eq!(r.articles, arts(&["医疗保障行政处罚程序暂行规定"]));
    c.ok("2026-05-20", "王局长", "extend", "days = 30");
    c.ok("2026-06-20", "王局长,赵副局长", "discuss", "conclusion = \"继续延期\"");
    c.refused("2026-06-21", "王局长", "extend", "days = 61", "extension_exhausted");
    c.refused("2026-06-21", "王局长", "extend", "days = 4294967295", "extension_exhausted");
    c.ok("2026-06-21", "王局长", "extend", "days = 60");
    c.refused("2026-08-01", "王局长", "extend", "days = 1", "extension_exhausted");
    // 立案核查 may be extended once.
    let mut clue = Case::new(&penalty_item());
    clue.ok("2026-03-02", "张三", "open", "");
    clue.ok("2026-03-20", "王局长", "extend", "days = 15");
    assert_eq!(clue.events.last().unwrap().target.as_deref(), Some("clue_check"));
    clue.refused("2026-03-21", "王局长", "extend", "days = 1", "extension_exhausted");
}

#[test]
fn extension_needs_discussion() {
    let mut c = concluded("unit");
    c.ok("2026-05-20", "王局长", "extend", "days = 30");
    let r = c.refused("2026-06-21", "王局长", "extend", "days = 30", "extension_needs_discussion");
    assert_eq!(r.articles, arts(&["医疗保障行政处罚程序暂行规定"]));
    c.ok("2026-06-21", "王局长,赵副局长", "discuss", "");
    c.ok("2026-06-21", "王局长", "extend", "days = 30");
}

#[test]
fn materials_list_required() {
    let mut s = service();
    let r = s.refused("2026-03-02", "孙窗口", "open", "complete = false", "materials_list_required");
    assert_eq!(r.articles, arts(&[]));
    s.ok("2026-03-02", "孙窗口", "open", "");
    s.refused("2026-03-02", "孙窗口", "request_materials", "missing = []", "materials_list_required");
    s.ok("2026-03-02", "孙窗口", "request_materials", "missing = [\"出生医学证明\"]");
    assert_eq!(s.state.state, "incomplete");
    let mut t = service();
    t.ok("2026-03-02", "孙窗口", "open", "complete = false\nmissing = [\"病历资料\"]");
    assert_eq!(t.state.state, "incomplete");
}

#[test]
fn materials_once() {
    let mut s = service();
    s.ok("2026-03-02", "孙窗口", "open", "complete = false\nmissing = [\"病历资料\"]");
    let r =
        s.refused("2026-03-05", "孙窗口", "request_materials", "missing = [\"身份证\"]", "materials_once");
    assert_eq!(r.articles, arts(&[]));
    assert!(r.message.contains("2026-03-02"));
    s.ok("2026-03-05", "孙窗口", "accept", "");
}

#[test]
fn reject_reason() {
    let mut s = service();
    s.ok("2026-03-02", "孙窗口", "open", "");
    let r = s.refused("2026-03-02", "孙窗口", "reject", "", "reject_reason");
    assert_eq!(r.articles, arts(&[]));
    s.ok("2026-03-02", "孙窗口", "reject", "reason = \"不属于本机关职权范围\"");
    s.ok("2026-03-02", "孙窗口", "close", "");
}

#[test]
fn deny_reason() {
    let mut s = service();
    s.ok("2026-03-02", "孙窗口", "open", "");
    s.ok("2026-03-02", "孙窗口", "accept", "");
    s.ok("2026-03-03", "孙窗口", "review", "");
    let r = s.refused("2026-03-04", "孙窗口", "deny", "", "deny_reason");
    assert_eq!(r.articles, arts(&[]));
    s.ok("2026-03-04", "孙窗口", "deny", "reason = \"不符合享受条件\"");
}

#[test]
fn reward_bounds() {
    let mut c = reward_published();
    let r = c.refused("2026-03-16", "王局长", "approve", "amount_yuan = 199.99", "reward_bounds");
    assert_eq!(
        r.articles,
        arts(&["医疗保障基金使用监督管理条例 第三十五条", "违法违规使用医疗保障基金举报奖励办法"])
    );
    c.refused("2026-03-16", "王局长", "approve", "amount_yuan = 200000.01", "reward_bounds");
    c.refused("2026-03-16", "王局长", "approve", "", "reward_bounds");
    c.ok("2026-03-16", "王局长", "approve", "amount_yuan = 200000");
}

#[test]
fn award_differs_from_decision() {
    let mut c = reward_published();
    c.ok("2026-03-16", "王局长", "approve", "amount_yuan = 1000");
    let r = c.refused("2026-03-17", "张三", "award", "amount_yuan = 900", "award_differs_from_decision");
    assert_eq!(r.articles, arts(&["违法违规使用医疗保障基金举报奖励办法"]));
    c.ok("2026-03-17", "张三", "award", "amount_yuan = 1000");
}

#[test]
fn the_readme_lists_every_guard() {
    let readme = include_str!("../README.md");
    for g in guard_specs() {
        assert!(readme.contains(&format!("`{}`", g.code)), "README lacks guard {}", g.code);
    }
}
