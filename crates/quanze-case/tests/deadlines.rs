//! Deadlines on the working-day calendar: counting per article, pauses, extensions, the
//! holiday roll-forward, and a missing year as an error naming it.
#![allow(clippy::unwrap_used)] // test code: a bad literal is a failed test

mod common;

use common::{Case, item_of, penalty_item};
use quanze_calendar::Counting;
use quanze_case::{DeadlineState, DeadlineStatus, StoredEvent, verify_chain};
use quanze_model::{Category, Date};

fn find<'a>(ds: &'a [DeadlineStatus], id: &str) -> &'a DeadlineStatus {
    ds.iter().find(|d| d.id == id).unwrap_or_else(|| panic!("no deadline {id} in {ds:?}"))
}

fn day(s: &str) -> Option<Date> {
    Date::parse(s)
}

#[test]
fn clue_check_is_fifteen_working_days() {
    let mut c = Case::new(&penalty_item());
    c.ok("2026-03-02", "张三", "open", "");
    let d = c.deadlines("2026-03-20");
    let clue = find(&d, "clue_check");
    assert_eq!(clue.name, "立案核查");
    assert_eq!(clue.counting, Counting::Working);
    assert_eq!(clue.due, day("2026-03-23"));
    assert_eq!(clue.status, DeadlineState::Open);
    assert_eq!(find(&c.deadlines("2026-03-24"), "clue_check").status, DeadlineState::Missed);
    c.ok("2026-03-23", "张三,李四", "register", "");
    let d = c.deadlines("2026-03-24");
    assert_eq!(find(&d, "clue_check").status, DeadlineState::Met);
    assert_eq!(find(&d, "clue_check").stopped, day("2026-03-23"));
}

#[test]
fn decision_limit_is_ninety_calendar_days_paused_and_extended() {
    let mut c = Case::new(&penalty_item());
    c.ok("2026-03-02", "张三", "open", "");
    c.ok("2026-03-03", "张三,李四", "register", "");
    let dec = find(&c.deadlines("2026-03-04"), "decision").clone();
    assert_eq!(dec.counting, Counting::Calendar);
    assert_eq!(dec.articles, vec!["行政处罚法 第六十条".to_string()]);
    assert_eq!(dec.due, day("2026-06-01"));
    // 鉴定 from 03-10, resumed 03-20: ten days do not count.
    c.ok("2026-03-10", "张三", "pause", "reason = \"鉴定\"");
    let open = find(&c.deadlines("2026-03-15"), "decision").clone();
    // An open pause counts up to today (03-10..15, six days): 06-07, a Sunday, moves to 06-08.
    assert_eq!(open.due, day("2026-06-08"));
    c.ok("2026-03-20", "张三", "resume", "");
    assert_eq!(find(&c.deadlines("2026-03-21"), "decision").due, day("2026-06-11"));
    // +30 days ends on Saturday 07-11 and moves to Monday 07-13.
    c.ok("2026-06-01", "王局长", "extend", "days = 30");
    let ext = find(&c.deadlines("2026-06-02"), "decision").clone();
    assert_eq!(ext.days, 120);
    assert_eq!(ext.due, day("2026-07-13"));
    assert!(ext.unverified, "the extension figure is UNVERIFIED");
}

#[test]
fn a_year_without_a_notice_is_an_error_naming_it() {
    let mut c = Case::new(&penalty_item());
    c.ok("2026-12-21", "张三", "open", "");
    let d = c.deadlines("2026-12-22");
    let clue = find(&d, "clue_check");
    assert_eq!(clue.status, DeadlineState::Error);
    assert_eq!(clue.due, None);
    assert!(clue.error.as_deref().unwrap().contains("2027"), "{clue:?}");
}

#[test]
fn hearing_window_counts_working_days_across_national_day() {
    // Notified 09-30; 10-01..07 off, 10-10 (Saturday) a make-up working day: the fifth
    // working day is 10-13.
    let mut c = Case::new(&penalty_item());
    c.ok("2026-09-01", "张三", "open", "");
    c.ok("2026-09-02", "张三,李四", "register", "");
    c.ok("2026-09-03", "张三,李四", "conclude", "");
    c.ok("2026-09-30", "张三,李四", "notify", "fine_yuan = 1500\nbase_yuan = 1000");
    c.refused("2026-10-14", "张三", "request_hearing", "", "hearing_request_late");
    c.ok("2026-10-13", "张三", "request_hearing", "");
}

#[test]
fn service_payment_and_seal_deadlines() {
    let mut c = Case::new(&penalty_item());
    c.ok("2026-03-02", "张三", "open", "");
    c.ok("2026-03-03", "张三,李四", "register", "");
    c.ok("2026-03-04", "张三,李四", "seal", "kind = \"preserve\"\nscene_record = \"笔录1\"");
    c.ok("2026-03-05", "张三,李四", "conclude", "");
    c.ok("2026-03-09", "张三,李四", "notify", "fine_yuan = 1500\nbase_yuan = 1000");
    c.ok("2026-03-17", "王局长", "decide", "decision = \"penalty\"\nfine_yuan = 1500\nbase_yuan = 1000");
    let d = c.deadlines("2026-03-27");
    // 先行登记保存: 7 working days from 03-04 = 03-13, never released: missed.
    let p = find(&d, "preserve#1");
    assert_eq!((p.due, p.status), (day("2026-03-13"), DeadlineState::Missed));
    // 送达: 7 working days from 03-17 = 03-26; still not served on 03-27.
    let s = find(&d, "service");
    assert_eq!((s.due, s.status), (day("2026-03-26"), DeadlineState::Missed));
    c.ok("2026-03-27", "张三", "serve", "method = \"post\"");
    let d = c.deadlines("2026-04-02");
    // 缴纳: 15 days from 03-27 = 04-11 (Saturday) → 04-13; binds the party.
    let pay = find(&d, "payment");
    assert_eq!(pay.due, day("2026-04-13"));
    assert_eq!(pay.holder, quanze_case::procedure::Holder::Party);
    assert_eq!(pay.status, DeadlineState::Open);
    assert_eq!(find(&d, "decision").status, DeadlineState::Met);
    assert_eq!(verify_chain(&StoredEvent::seal_all(&c.events)), Ok(()));
}

#[test]
fn service_items_track_the_statutory_and_the_promised_limit() {
    let mut c = Case::new(&item_of(Category::Payment, "生育津贴支付"));
    c.config.promised_working_days.insert("生育津贴支付".into(), 5);
    c.ok("2026-03-02", "孙窗口", "open", "");
    c.ok("2026-03-02", "孙窗口", "accept", "");
    let d = c.deadlines("2026-03-03");
    let law = find(&d, "statutory");
    assert_eq!(law.articles, vec!["社会保险经办条例 第二十条".to_string()]);
    assert_eq!(law.due, day("2026-03-16"));
    assert_eq!(find(&d, "promised").due, day("2026-03-09"));
    c.ok("2026-03-10", "孙窗口", "review", "");
    c.ok("2026-03-10", "孙窗口", "approve", "amount_yuan = 26133");
    c.ok("2026-03-10", "孙窗口", "close", "");
    let d = c.deadlines("2026-03-31");
    assert_eq!(find(&d, "statutory").status, DeadlineState::Met);
    assert_eq!(find(&d, "promised").status, DeadlineState::Missed);
    // A promise longer than the law is a finding, and the law's limit applies.
    c.config.promised_working_days.insert("生育津贴支付".into(), 20);
    assert_eq!(c.procedure.promised(&c.config), None);
    assert_eq!(c.procedure.config_findings(&c.config)[0].code, "promise_longer_than_law");
}

#[test]
fn check_changes_nothing() {
    let mut c = Case::new(&penalty_item());
    c.ok("2026-03-02", "张三", "open", "");
    let before = c.events.len();
    c.ok("2026-03-20", "周监督", "check", "");
    assert_eq!(c.events.len(), before);
}
