//! Case storage: people, cases, append-only event logs, deadlines, loaded calendars.

use quanze_model::Date;
use quanze_store::{
    AppendRequest, CaseFilter, CaseId, CaseRecord, DeadlineRow, DeadlineStatus, EventKey, NewCase, NewEvent,
    Page, PersonInput, PersonRole, Store, StoreError,
};

use crate::both;
use crate::fixtures::{sha, small};
use crate::harness::Db;

/// A made-up hash chain: the engine's real hash is not the store's business.
pub(crate) fn event(seq: u64, prev_hash: &str, action: &str, body: &str) -> NewEvent {
    NewEvent {
        seq,
        at: "2026-09-14T09:30".to_owned(),
        actors: vec!["张三".to_owned(), "李四".to_owned()],
        action: action.to_owned(),
        body: body.to_owned(),
        prev_hash: prev_hash.to_owned(),
        hash: sha(&format!("{prev_hash}|{body}")),
    }
}

pub(crate) fn deadline(name: &str, due: Option<&str>, status: DeadlineStatus) -> DeadlineRow {
    DeadlineRow {
        name: name.to_owned(),
        due: due.and_then(Date::parse),
        counting: "working".to_owned(),
        articles: vec!["行政处罚法 第六十条".to_owned()],
        status,
        error: None,
    }
}

/// A bureau with a stored version, and a case on its first item opened with one event.
pub(crate) async fn open_case(store: &Store, bureau: &str, label: &str) -> CaseRecord {
    let b = store.ensure_bureau(bureau, None).await.expect("bureau");
    let v = store.store_version(b.id, &small(bureau, "cases"), None).await.expect("version").version;
    let item = store.items(v.id, Page::all()).await.expect("items").rows[0].clone();
    store
        .create_case(&NewCase {
            bureau: b.id,
            version: v.id,
            item: item.summary.id,
            item_seq: item.summary.seq,
            procedure: "penalty_general".to_owned(),
            label: label.to_owned(),
            opened_at: "2026-09-14".to_owned(),
            state: "clue".to_owned(),
            events: vec![event(1, "", "open", r#"{"action":"open"}"#)],
            deadlines: vec![deadline("立案核查", Some("2026-10-10"), DeadlineStatus::Open)],
        })
        .await
        .expect("create case")
}

/// The next append to `case` as its head stands.
pub(crate) fn next(case: &CaseRecord, action: &str, body: &str) -> AppendRequest {
    AppendRequest {
        case_id: case.id,
        expected_head_seq: case.head_seq,
        events: vec![event(case.head_seq + 1, &case.head_hash, action, body)],
        new_state: action.to_owned(),
        deadlines: None,
        documents: Vec::new(),
    }
}

/// Events 1..=head, each linked to the one before, the case row's head the last one.
pub(crate) async fn assert_contiguous(store: &Store, id: CaseId) -> u64 {
    let case = store.case(id).await.expect("case").expect("exists");
    let events = store.case_events(id).await.expect("events");
    assert_eq!(events.iter().map(|e| e.seq).collect::<Vec<_>>(), (1..=case.head_seq).collect::<Vec<_>>());
    for w in events.windows(2) {
        assert_eq!(w[1].prev_hash, w[0].hash, "case {id} seq {} links to {}", w[1].seq, w[0].seq);
    }
    assert_eq!(events.last().map(|e| e.hash.clone()), Some(case.head_hash));
    case.head_seq
}

both!(
    case_round_trip,
    append_and_conflict,
    concurrent_appenders_one_case,
    many_cases_concurrently,
    failing_append_does_not_poison_others,
    people_round_trip,
    calendar_years_round_trip,
    events_are_read_back_as_stored
);

async fn case_round_trip(db: &Db) {
    let case = open_case(db, "案件县医疗保障局", "A").await;
    assert_eq!((case.label.as_str(), case.head_seq, case.state.as_str()), ("A", 1, "clue"));
    assert_eq!(case.opened_at, "2026-09-14");
    assert_eq!(db.case_by_label(case.bureau, " A ").await.expect("by label").as_ref(), Some(&case));
    assert_eq!(db.case_by_label(case.bureau, "B").await.expect("by label"), None);
    let events = db.case_events(case.id).await.expect("events");
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].actors, ["张三", "李四"]);
    assert_eq!(events[0].body, r#"{"action":"open"}"#);
    assert_eq!(events[0].at, "2026-09-14T09:30");
    assert_eq!(
        db.deadlines(case.id).await.expect("deadlines"),
        [deadline("立案核查", Some("2026-10-10"), DeadlineStatus::Open)]
    );

    // The label is unique per bureau; the item must be of the version and bureau.
    let mut again = NewCase {
        bureau: case.bureau,
        version: case.version,
        item: case.item,
        item_seq: case.item_seq,
        procedure: "penalty_general".to_owned(),
        label: "A".to_owned(),
        opened_at: "2026-09-15".to_owned(),
        state: "clue".to_owned(),
        events: vec![event(1, "", "open", "{}")],
        deadlines: vec![],
    };
    assert!(matches!(db.create_case(&again).await, Err(StoreError::Conflict(_))));
    again.label = "B".to_owned();
    let other = db.ensure_bureau("别的县医疗保障局", None).await.expect("bureau");
    again.bureau = other.id;
    assert!(matches!(db.create_case(&again).await, Err(StoreError::NotFound(_))));
    again.bureau = case.bureau;
    again.events[0].seq = 2;
    assert!(matches!(db.create_case(&again).await, Err(StoreError::InvalidInput(_))), "events start at 1");
    again.events[0].seq = 1;
    again.opened_at = "2026-9-15".to_owned();
    assert!(matches!(db.create_case(&again).await, Err(StoreError::InvalidInput(_))), "date form");
    again.opened_at = "2026-09-15T08:00".to_owned();
    let b = db.create_case(&again).await.expect("case B");
    assert_eq!(db.case(case.id).await.expect("case").map(|c| c.label), Some("A".to_owned()));

    // Listing by bureau and state, paged.
    db.append_events(next(&b, "register", "{}")).await.expect("append");
    let all = db.cases(&CaseFilter::default()).await.expect("cases");
    assert_eq!((all.total, all.rows.len()), (2, 2));
    let registered = db
        .cases(&CaseFilter { state: Some("register".into()), ..CaseFilter::default() })
        .await
        .expect("cases");
    assert_eq!(registered.rows.iter().map(|c| c.label.as_str()).collect::<Vec<_>>(), ["B"]);
    let page = db
        .cases(&CaseFilter {
            bureau: Some(case.bureau),
            page: Page { offset: 1, limit: 1 },
            ..CaseFilter::default()
        })
        .await
        .expect("cases");
    assert_eq!((page.total, page.rows.len(), page.rows[0].id), (2, 1, b.id));
    let none =
        db.cases(&CaseFilter { bureau: Some(other.id), ..CaseFilter::default() }).await.expect("cases");
    assert_eq!(none.total, 0);
}

async fn append_and_conflict(db: &Db) {
    let case = open_case(db, "追加县医疗保障局", "A").await;
    let mut req = next(&case, "register", r#"{"a":1}"#);
    req.deadlines = Some(vec![
        deadline("立案核查", Some("2026-10-10"), DeadlineStatus::Met),
        deadline("作出决定", Some("2026-12-13"), DeadlineStatus::Open),
        DeadlineRow {
            error: Some("缺少2027年节假日安排".to_owned()),
            ..deadline("听证告知", None, DeadlineStatus::Error)
        },
    ]);
    let out = db.append_events(req.clone()).await.expect("append");
    assert_eq!((out.case_id, out.head_seq), (case.id, 2));
    assert_eq!(out.head_hash, req.events[0].hash);
    // The same request again: the head moved, nothing is written.
    match db.append_events(req.clone()).await {
        Err(StoreError::StaleHead { case: c, expected: 1, head: 2 }) => assert_eq!(c, case.id),
        other => panic!("{other:?}"),
    }
    let after = db.case(case.id).await.expect("case").expect("exists");
    assert_eq!((after.head_seq, after.state.as_str()), (2, "register"));
    assert_eq!(db.deadlines(case.id).await.expect("deadlines"), req.deadlines.clone().expect("set"));

    // Two events at once; deadlines kept when not given.
    let e3 = event(3, &after.head_hash, "investigate", "{}");
    let e4 = event(4, &e3.hash, "conclude", "{}");
    let out = db
        .append_events(AppendRequest {
            case_id: case.id,
            expected_head_seq: 2,
            events: vec![e3, e4.clone()],
            new_state: "concluded".into(),
            deadlines: None,
            documents: Vec::new(),
        })
        .await
        .expect("two events");
    assert_eq!((out.head_seq, out.head_hash.as_str()), (4, e4.hash.as_str()));
    assert_eq!(db.deadlines(case.id).await.expect("deadlines").len(), 3);
    assert_eq!(assert_contiguous(db, case.id).await, 4);

    // Malformed appends are refused before anything is written.
    let head = db.case(case.id).await.expect("case").expect("exists");
    let mut bad = next(&head, "x", "{}");
    bad.events[0].seq = 6;
    assert!(matches!(db.append_events(bad).await, Err(StoreError::InvalidInput(_))), "gap in seq");
    let mut bad = next(&head, "x", "{}");
    bad.events[0].prev_hash = "not the head".into();
    assert!(matches!(db.append_events(bad).await, Err(StoreError::InvalidInput(_))), "broken chain");
    let mut bad = next(&head, "x", "{}");
    bad.events.clear();
    assert!(matches!(db.append_events(bad).await, Err(StoreError::InvalidInput(_))), "no events");
    let mut bad = next(&head, "x", "{}");
    bad.events[0].body = "a\0b".into();
    assert!(matches!(db.append_events(bad).await, Err(StoreError::InvalidInput(_))), "NUL");
    let mut bad = next(&head, "x", "{}");
    bad.case_id = CaseId(head.id.0 + 1000);
    assert!(matches!(db.append_events(bad).await, Err(StoreError::NotFound(_))), "no such case");
    assert_eq!(assert_contiguous(db, case.id).await, 4);

    // The poller's view: open deadlines due on or before a day, across cases.
    let due = db.due_deadlines(Date::parse("2026-12-13").expect("date")).await.expect("due");
    assert_eq!(due.iter().map(|d| d.deadline.name.as_str()).collect::<Vec<_>>(), ["作出决定"]);
    assert_eq!((due[0].case, due[0].position), (case.id, 1));
    assert!(db.due_deadlines(Date::parse("2026-12-12").expect("date")).await.expect("due").is_empty());
}

async fn concurrent_appenders_one_case(db: &Db) {
    // 32 appenders all holding the same head: exactly one applies, every round.
    let case = open_case(db, "并发县医疗保障局", "A").await;
    for round in 0..10u64 {
        let head = db.case(case.id).await.expect("case").expect("exists");
        assert_eq!(head.head_seq, round + 1);
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(32));
        let mut tasks = Vec::new();
        for writer in 0..32 {
            let (store, head, barrier) = (db.store.clone(), head.clone(), barrier.clone());
            tasks.push(tokio::spawn(async move {
                barrier.wait().await;
                let body = format!(r#"{{"writer":{writer}}}"#);
                (writer, store.append_events(next(&head, "investigate", &body)).await)
            }));
        }
        let mut winners = Vec::new();
        for t in tasks {
            match t.await.expect("task") {
                (w, Ok(out)) => {
                    assert_eq!(out.head_seq, round + 2);
                    winners.push(w);
                }
                (_, Err(StoreError::StaleHead { expected, head, .. })) => {
                    assert_eq!((expected, head), (round + 1, round + 2));
                }
                (_, Err(e)) => panic!("round {round}: {e:?}"),
            }
        }
        assert_eq!(winners.len(), 1, "round {round}: {winners:?}");
        let events = db.case_events(case.id).await.expect("events");
        let last = events.last().expect("event");
        assert_eq!(last.body, format!(r#"{{"writer":{}}}"#, winners[0]), "the winner's event is stored");
    }
    assert_eq!(assert_contiguous(db, case.id).await, 11);

    // Free-running: 32 appenders each retrying until they have applied 5 events.
    let mut tasks = Vec::new();
    for writer in 0..32u32 {
        let store = db.store.clone();
        let id = case.id;
        tasks.push(tokio::spawn(async move {
            let mut applied = 0;
            let mut conflicts = 0u32;
            while applied < 5 {
                let head = store.case(id).await.expect("case").expect("exists");
                match store.append_events(next(&head, "investigate", &format!("{writer}/{applied}"))).await {
                    Ok(_) => applied += 1,
                    Err(StoreError::StaleHead { .. }) => conflicts += 1,
                    Err(e) => panic!("{e:?}"),
                }
            }
            conflicts
        }));
    }
    for t in tasks {
        t.await.expect("task");
    }
    assert_eq!(assert_contiguous(db, case.id).await, 11 + 32 * 5);
}

async fn many_cases_concurrently(db: &Db) {
    let first = open_case(db, "多案县医疗保障局", "C0").await;
    let mut cases = vec![first.clone()];
    for i in 1..48 {
        let mut c = NewCase {
            bureau: first.bureau,
            version: first.version,
            item: first.item,
            item_seq: first.item_seq,
            procedure: "penalty_general".to_owned(),
            label: format!("C{i}"),
            opened_at: "2026-09-14".to_owned(),
            state: "clue".to_owned(),
            events: vec![event(1, "", "open", &format!("{i}"))],
            deadlines: vec![],
        };
        c.deadlines.push(deadline("立案核查", Some("2026-10-10"), DeadlineStatus::Open));
        cases.push(db.create_case(&c).await.expect("case"));
    }
    let mut tasks = Vec::new();
    for case in cases.clone() {
        let store = db.store.clone();
        tasks.push(tokio::spawn(async move {
            let mut head = case;
            for n in 0..12u64 {
                let mut req = next(&head, "investigate", &format!("{}-{n}", head.label));
                req.deadlines =
                    Some(vec![deadline(&format!("步骤{n}"), Some("2026-11-01"), DeadlineStatus::Open)]);
                let out = store.append_events(req).await.expect("own case, no conflict");
                head.head_seq = out.head_seq;
                head.head_hash = out.head_hash;
            }
        }));
    }
    for t in tasks {
        t.await.expect("task");
    }
    for case in &cases {
        assert_eq!(assert_contiguous(db, case.id).await, 13);
        let d = db.deadlines(case.id).await.expect("deadlines");
        assert_eq!(
            d.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(),
            ["步骤11"],
            "replaced with the last"
        );
    }
    // The whole log, paged in (case, seq) order.
    let mut all = Vec::new();
    let mut after = None;
    loop {
        let page = db.events_after(after, 100).await.expect("page");
        let Some(last) = page.last() else { break };
        after = Some(EventKey { case: last.case, seq: last.seq });
        all.extend(page);
    }
    assert_eq!(all.len(), 48 * 13);
    assert!(all.windows(2).all(|w| (w[0].case, w[0].seq) < (w[1].case, w[1].seq)));
}

async fn failing_append_does_not_poison_others(db: &Db) {
    // A trigger makes every event with action 'boom' fail; on SQLite RAISE(ROLLBACK) also
    // rolls back the whole transaction behind sqlx's back (as SQLITE_FULL does), which used
    // to leave the write connection unusable ("non-zero transaction depth", issue 12).
    let boom = open_case(db, "故障县医疗保障局", "BOOM").await;
    db.raw_exec(
        "CREATE TRIGGER boom BEFORE INSERT ON case_events WHEN NEW.action = 'boom' \
         BEGIN SELECT RAISE(ROLLBACK, 'boom'); END;",
        "CREATE FUNCTION boom() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'boom'; END $$ LANGUAGE plpgsql; \
         CREATE TRIGGER boom BEFORE INSERT ON case_events FOR EACH ROW WHEN (NEW.action = 'boom') \
         EXECUTE FUNCTION boom();",
    )
    .await;
    let mut others = Vec::new();
    for i in 0..16 {
        let c = NewCase {
            bureau: boom.bureau,
            version: boom.version,
            item: boom.item,
            item_seq: boom.item_seq,
            procedure: "penalty_general".to_owned(),
            label: format!("OK{i}"),
            opened_at: "2026-09-14".to_owned(),
            state: "clue".to_owned(),
            events: vec![event(1, "", "open", "{}")],
            deadlines: vec![],
        };
        others.push(db.create_case(&c).await.expect("case"));
    }
    for round in 0..3 {
        let mut tasks = Vec::new();
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(others.len() + 1));
        for (i, c) in others.iter().enumerate() {
            let (store, barrier) = (db.store.clone(), barrier.clone());
            let head = db.case(c.id).await.expect("case").expect("exists");
            tasks.push(tokio::spawn(async move {
                barrier.wait().await;
                store.append_events(next(&head, "investigate", &format!("{round}-{i}"))).await
            }));
        }
        let (store, barrier, head) = (db.store.clone(), barrier.clone(), boom.clone());
        let failing = tokio::spawn(async move {
            barrier.wait().await;
            store.append_events(next(&head, "boom", "{}")).await
        });
        for t in tasks {
            t.await.expect("task").expect("the others apply");
        }
        let err = failing.await.expect("task").expect_err("the trigger refuses it");
        assert!(matches!(err, StoreError::Database(_) | StoreError::BatchFailed(_)), "{err:?}");
    }
    assert_eq!(assert_contiguous(db, boom.id).await, 1, "nothing of the failed append");
    for c in &others {
        assert_eq!(assert_contiguous(db, c.id).await, 4);
    }
    // The write connection is usable afterwards, for appends and everything else.
    let b = db.case(boom.id).await.expect("case").expect("exists");
    db.append_events(next(&b, "register", "{}")).await.expect("append after failures");
    db.ensure_bureau("故障后县医疗保障局", None).await.expect("other writes after failures");
}

async fn people_round_trip(db: &Db) {
    let b = db.ensure_bureau("人员县医疗保障局", None).await.expect("bureau");
    let input = PersonInput {
        bureau: Some(b.id),
        name: "张三".to_owned(),
        role: PersonRole::Officer,
        posts: vec!["立案岗".to_owned(), "调查岗".to_owned()],
        office: "基金监管科".to_owned(),
        certificate: Some("豫A0001".to_owned()),
        certificate_until: Date::parse("2028-12-31"),
    };
    let p = db.add_person(&input).await.expect("add");
    assert_eq!(
        (p.name.as_str(), p.role, p.posts.len(), p.retired_at),
        ("张三", PersonRole::Officer, 2, None)
    );
    assert_eq!(p.certificate_until, Date::parse("2028-12-31"));
    let clerk = db
        .add_person(&PersonInput {
            bureau: None,
            name: "王五".into(),
            role: PersonRole::Clerk,
            posts: vec![],
            office: String::new(),
            certificate: None,
            certificate_until: None,
        })
        .await
        .expect("add without bureau");
    let mut changed = input.clone();
    changed.role = PersonRole::LegalReviewer;
    changed.certificate = None;
    changed.certificate_until = None;
    let q = db.update_person(p.id, &changed).await.expect("update");
    assert_eq!(
        (q.role, q.certificate.as_deref(), q.created_at),
        (PersonRole::LegalReviewer, None, p.created_at)
    );
    let r = db.retire_person(p.id).await.expect("retire");
    assert!(r.retired_at.is_some());
    assert_eq!(db.retire_person(p.id).await.expect("again").retired_at, r.retired_at, "first time kept");
    assert_eq!(db.person(p.id).await.expect("get"), Some(r.clone()));
    assert_eq!(db.people(Some(b.id)).await.expect("people"), std::slice::from_ref(&r));
    assert_eq!(db.people(None).await.expect("people"), [r, clerk]);
    let missing = quanze_store::PersonId(p.id.0 + 100);
    assert!(matches!(db.update_person(missing, &input).await, Err(StoreError::NotFound(_))));
    assert!(matches!(db.retire_person(missing).await, Err(StoreError::NotFound(_))));
    let mut bad = input.clone();
    bad.name = "  ".into();
    assert!(matches!(db.add_person(&bad).await, Err(StoreError::InvalidInput(_))));
    bad.name = "赵六".into();
    bad.bureau = Some(quanze_store::BureauId(b.id.0 + 100));
    assert!(matches!(db.add_person(&bad).await, Err(StoreError::NotFound(_))));
}

async fn calendar_years_round_trip(db: &Db) {
    assert!(db.calendar_years().await.expect("none").is_empty());
    db.put_calendar_year(2027, r#"{"off":["2027-01-01"]}"#, Some("admin")).await.expect("put");
    db.put_calendar_year(2026, r#"{"off":[]}"#, None).await.expect("put");
    let y = db
        .put_calendar_year(2027, r#"{"off":["2027-01-01","2027-01-02"]}"#, Some("cli"))
        .await
        .expect("replace");
    let years = db.calendar_years().await.expect("years");
    assert_eq!(years.iter().map(|y| y.year).collect::<Vec<_>>(), [2026, 2027]);
    assert_eq!(years[1], y);
    assert_eq!(years[1].notice, r#"{"off":["2027-01-01","2027-01-02"]}"#);
    assert!(matches!(db.put_calendar_year(2028, "not json", None).await, Err(StoreError::InvalidInput(_))));
}

async fn events_are_read_back_as_stored(db: &Db) {
    // The body is kept byte for byte (key order, spaces, escapes): it is what was hashed.
    let case = open_case(db, "原样县医疗保障局", "A").await;
    let body = "{\"z\":1, \"a\":\"引号\\\"与\\\\反斜杠\",\"n\":1.50}";
    db.append_events(next(&case, "investigate", body)).await.expect("append");
    let odd = "{\"t\":\"制表\t换行\n铃\u{7}😀 \\u0041 '单引号' \u{2028}\"}";
    let head = db.case(case.id).await.expect("case").expect("exists");
    db.append_events(next(&head, "investigate", odd)).await.expect("append");
    let events = db.case_events(case.id).await.expect("events");
    assert_eq!(events[1].body, body);
    assert_eq!(events[2].body, odd);
    // The whole-log reader returns the same rows, byte for byte.
    let all = db.events_after(None, 10).await.expect("all");
    assert_eq!(all, events);
    let rest = db.events_after(Some(EventKey { case: case.id, seq: 1 }), 1).await.expect("page");
    assert_eq!(rest, events[1..2]);
    // An edit behind the store's back (what `quanze cases verify` must find) reads as edited.
    assert!(db.tamper_event_body_for_tests(case.id, 2, "{\"z\":2}").await.expect("tamper"));
    let events = db.case_events(case.id).await.expect("events");
    assert_eq!(events[1].body, "{\"z\":2}");
    assert_eq!(events[1].hash, sha(&format!("{}|{body}", events[0].hash)), "the hash is not recomputed");
    assert!(!db.tamper_event_body_for_tests(case.id, 9, "{}").await.expect("no such event"));
}
