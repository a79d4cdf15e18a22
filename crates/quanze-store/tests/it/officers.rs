//! Officers at work: logins of people, assignments, the read log, particulars, documents
//! with their 文号, publications.

use std::collections::BTreeSet;
use std::sync::Arc;

use quanze_model::Date;
use quanze_store::{
    AssignmentDuty, CaseRecord, NewDocument, NewPublication, NewRead, Page, PersonInput, PersonRole,
    ReadFilter, ReadPurpose, Store, StoreError,
};

use crate::both;
use crate::cases::{next, open_case};
use crate::harness::Db;

both!(
    a_person_logs_in_with_one_account,
    assignments_run_and_end,
    the_read_log_is_append_only_and_queried_by_case_person_and_time,
    particulars_are_replaced_whole,
    document_numbers_are_gapless_under_32_concurrent_issuers,
    a_refused_append_issues_no_number,
    documents_without_a_prefix_have_no_number,
    publications_are_published_and_retracted,
);

fn officer(bureau: Option<quanze_store::BureauId>, name: &str, role: PersonRole) -> PersonInput {
    PersonInput {
        bureau,
        name: name.to_owned(),
        role,
        posts: vec!["调查岗".to_owned()],
        office: "基金监管股".to_owned(),
        certificate: Some("豫医保0001".to_owned()),
        certificate_until: Date::parse("2028-12-31"),
    }
}

fn doc(seq: u64, prefix: Option<&str>) -> NewDocument {
    NewDocument {
        event_seq: seq,
        doc_type: "penalty_decision".to_owned(),
        year: 2026,
        prefix: prefix.map(str::to_owned),
        title: "行政处罚决定书".to_owned(),
        fields: r#"{"当事人":"某药店"}"#.to_owned(),
    }
}

async fn a_person_logs_in_with_one_account(db: &Db) {
    let case = open_case(db, "汤阴县医疗保障局", "A").await;
    let p = db.add_person(&officer(Some(case.bureau), "张明", PersonRole::Officer)).await.expect("person");
    let q = db.add_person(&officer(Some(case.bureau), "李华", PersonRole::Officer)).await.expect("person");
    assert_eq!(p.user, None);
    let u = db.create_user("zhangming", "demo-password-1", &[]).await.expect("user");
    let linked = db.link_person_user(p.id, Some(u.id)).await.expect("link");
    assert_eq!(linked.user, Some(u.id));
    assert_eq!(db.person_for_user(u.id).await.expect("lookup").map(|x| x.id), Some(p.id));
    assert_eq!(db.user_of_person(p.id).await.expect("lookup"), Some(u.id));
    let err = db.link_person_user(q.id, Some(u.id)).await.expect_err("one account, one person");
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    // Retiring keeps the link and the person.
    let retired = db.retire_person(p.id).await.expect("retire");
    assert!(retired.retired_at.is_some());
    assert_eq!(retired.user, Some(u.id));
    let unlinked = db.link_person_user(p.id, None).await.expect("unlink");
    assert_eq!(unlinked.user, None);
    assert!(db.person_for_user(u.id).await.expect("lookup").is_none());
}

async fn assignments_run_and_end(db: &Db) {
    let case = open_case(db, "汤阴县医疗保障局", "A").await;
    let p = db.add_person(&officer(Some(case.bureau), "张明", PersonRole::Officer)).await.expect("person");
    let leader =
        db.add_person(&officer(Some(case.bureau), "王局长", PersonRole::Leader)).await.expect("person");
    let a = db.assign(case.id, p.id, AssignmentDuty::Handler, Some(leader.id), 100).await.expect("assign");
    assert_eq!(
        (a.person, a.duty, a.assigned_at, a.assigned_by),
        (p.id, AssignmentDuty::Handler, 100, Some(leader.id))
    );
    // Assigning again returns the running assignment.
    let again = db.assign(case.id, p.id, AssignmentDuty::Handler, None, 200).await.expect("again");
    assert_eq!(again.id, a.id);
    assert_eq!(db.cases_of_person(p.id).await.expect("cases"), vec![case.id]);
    assert_eq!(db.unassign(case.id, p.id, Some(leader.id), 300).await.expect("unassign"), 1);
    assert!(db.cases_of_person(p.id).await.expect("cases").is_empty());
    let all = db.assignments(case.id).await.expect("rows");
    assert_eq!(all.len(), 1, "ending keeps the row");
    assert_eq!((all[0].ended_at, all[0].ended_by), (Some(300), Some(leader.id)));
    // A person of another bureau is not put on the case.
    let other = db.ensure_bureau("涞源县医疗保障局", None).await.expect("bureau");
    let q = db.add_person(&officer(Some(other.id), "外局", PersonRole::Officer)).await.expect("person");
    let err = db.assign(case.id, q.id, AssignmentDuty::Handler, None, 400).await.expect_err("other bureau");
    assert!(matches!(err, StoreError::InvalidInput(_)), "{err:?}");
}

async fn the_read_log_is_append_only_and_queried_by_case_person_and_time(db: &Db) {
    let a = open_case(db, "汤阴县医疗保障局", "A").await;
    let b = open_case(db, "汤阴县医疗保障局", "B").await;
    let p = db.add_person(&officer(Some(a.bureau), "张明", PersonRole::Officer)).await.expect("person");
    let q = db.add_person(&officer(Some(a.bureau), "李华", PersonRole::Officer)).await.expect("person");
    let read = |case, person, at, purpose, allowed: bool| NewRead {
        case: Some(case),
        person: Some(person),
        user: None,
        at,
        purpose,
        detail: String::new(),
        allowed,
        refusal_code: (!allowed).then(|| "access_not_on_case".to_owned()),
    };
    db.record_read(&read(a.id, p.id, 10, ReadPurpose::Case, true)).await.expect("read");
    db.record_read(&read(a.id, q.id, 20, ReadPurpose::Case, false)).await.expect("read");
    db.record_read(&read(b.id, p.id, 30, ReadPurpose::Document, true)).await.expect("read");
    db.record_read(&read(a.id, p.id, 40, ReadPurpose::Dossier, true)).await.expect("read");
    let by_case =
        db.reads(&ReadFilter { case: Some(a.id), page: Page::all(), ..Default::default() }).await.expect("q");
    assert_eq!(by_case.total, 3);
    assert_eq!(by_case.rows.iter().map(|r| r.at).collect::<Vec<_>>(), vec![40, 20, 10], "newest first");
    let by_person = db
        .reads(&ReadFilter { person: Some(p.id), page: Page::all(), ..Default::default() })
        .await
        .expect("q");
    assert_eq!(by_person.rows.iter().map(|r| r.at).collect::<Vec<_>>(), vec![40, 30, 10]);
    let span = db
        .reads(&ReadFilter { from: Some(20), until: Some(40), page: Page::all(), ..Default::default() })
        .await
        .expect("q");
    assert_eq!(span.rows.iter().map(|r| r.at).collect::<Vec<_>>(), vec![30, 20]);
    let refused = db
        .reads(&ReadFilter { refused_only: true, page: Page::all(), ..Default::default() })
        .await
        .expect("q");
    assert_eq!(refused.total, 1);
    assert_eq!((refused.rows[0].person, refused.rows[0].allowed), (Some(q.id), false));
    assert_eq!(refused.rows[0].refusal_code.as_deref(), Some("access_not_on_case"));
    // Behind the store's back, neither an update nor a delete goes through.
    let edited =
        db.raw_try("UPDATE case_reads SET allowed = 1", "UPDATE case_reads SET allowed = TRUE").await;
    assert!(edited.is_err(), "update of the read log must fail");
    let deleted = db.raw_try("DELETE FROM case_reads", "DELETE FROM case_reads").await;
    assert!(deleted.is_err(), "delete from the read log must fail");
    assert_eq!(db.reads(&ReadFilter { page: Page::all(), ..Default::default() }).await.expect("q").total, 4);
}

async fn particulars_are_replaced_whole(db: &Db) {
    let a = open_case(db, "汤阴县医疗保障局", "A").await;
    assert!(db.particulars(a.id).await.expect("read").is_none());
    db.set_particulars(a.id, r#"{"当事人":"张三","身份证号":"410523199001011234"}"#, None, 5)
        .await
        .expect("set");
    db.set_particulars(a.id, r#"{"当事人":"某药店"}"#, None, 6).await.expect("set");
    let p = db.particulars(a.id).await.expect("read").expect("some");
    assert_eq!((p.body.as_str(), p.updated_at), (r#"{"当事人":"某药店"}"#, 6));
    assert!(db.set_particulars(a.id, "[1]", None, 7).await.is_err(), "an object only");
}

/// 16 cases, two issuers racing on each: every append that applies issues one numbered
/// document; a loser of a race (StaleHead) issues none and tries again. Numbers must be
/// exactly 1..N, each once, each with its event stored.
async fn document_numbers_are_gapless_under_32_concurrent_issuers(db: &Db) {
    const ISSUERS: usize = 32;
    const PER_ISSUER: usize = 6;
    let mut cases: Vec<CaseRecord> = Vec::new();
    for i in 0..ISSUERS / 2 {
        cases.push(open_case(db, "汤阴县医疗保障局", &format!("C{i}")).await);
    }
    let bureau = cases[0].bureau;
    let store: Arc<Store> = Arc::new(db.store.clone());
    let mut tasks = Vec::new();
    for i in 0..ISSUERS {
        let store = Arc::clone(&store);
        let case_id = cases[i / 2].id;
        tasks.push(tokio::spawn(async move {
            let mut issued = Vec::new();
            let mut stale = 0usize;
            while issued.len() < PER_ISSUER {
                let case = store.case(case_id).await.expect("case").expect("exists");
                let mut req = next(&case, "decide", &format!(r#"{{"issuer":{i},"n":{}}}"#, issued.len()));
                req.documents = vec![doc(case.head_seq + 1, Some("汤医保罚"))];
                match store.append_events(req).await {
                    Ok(out) => {
                        assert_eq!(out.documents.len(), 1);
                        issued.push(out.documents[0].clone());
                    }
                    Err(StoreError::StaleHead { .. }) => stale += 1,
                    Err(e) => panic!("append: {e}"),
                }
            }
            (issued, stale)
        }));
    }
    let mut numbers = Vec::new();
    let mut doc_nos = BTreeSet::new();
    for t in tasks {
        let (issued, _stale) = t.await.expect("task");
        for d in issued {
            assert_eq!(d.doc_no.clone(), d.number.map(|n| format!("汤医保罚〔2026〕{n}号")));
            assert!(doc_nos.insert(d.doc_no.clone()), "duplicate {:?}", d.doc_no);
            numbers.push(d.number.expect("numbered"));
        }
    }
    let n = (ISSUERS * PER_ISSUER) as u32;
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=n).collect::<Vec<_>>(), "issued numbers are 1..N without gap or duplicate");
    assert_eq!(
        db.document_numbers(bureau, "penalty_decision", 2026).await.expect("stored"),
        (1..=n).collect::<Vec<_>>()
    );
    // Every stored document's event exists.
    for c in &cases {
        let head = store.case(c.id).await.expect("case").expect("exists").head_seq;
        let docs = db.case_documents(c.id).await.expect("docs");
        assert_eq!(docs.len(), 2 * PER_ISSUER);
        assert!(docs.iter().all(|d| d.event_seq >= 2 && d.event_seq <= head));
    }
}

async fn a_refused_append_issues_no_number(db: &Db) {
    let case = open_case(db, "汤阴县医疗保障局", "A").await;
    let mut req = next(&case, "decide", "{}");
    req.documents = vec![doc(2, Some("汤医保罚"))];
    let first = db.append_events(req.clone()).await.expect("first");
    assert_eq!(first.documents[0].number, Some(1));
    // The same head again: StaleHead, and the number is not used up.
    let err = db.append_events(req).await.expect_err("stale");
    assert!(matches!(err, StoreError::StaleHead { .. }), "{err:?}");
    let case = db.case(case.id).await.expect("case").expect("exists");
    let mut req = next(&case, "decide", "{}");
    req.documents = vec![doc(3, Some("汤医保罚"))];
    assert_eq!(db.append_events(req).await.expect("second").documents[0].number, Some(2));
    // A document naming an event outside the append is refused before anything is written.
    let case = db.case(case.id).await.expect("case").expect("exists");
    let mut req = next(&case, "decide", "{}");
    req.documents = vec![doc(1, Some("汤医保罚"))];
    assert!(matches!(db.append_events(req).await, Err(StoreError::InvalidInput(_))));
    // Another year and another type count from 1 again.
    let mut req = next(&case, "serve", "{}");
    let mut d = doc(case.head_seq + 1, Some("汤医保罚"));
    d.year = 2027;
    let mut e = doc(case.head_seq + 1, Some("汤医保告"));
    e.doc_type = "penalty_notice".into();
    req.documents = vec![d, e];
    let out = db.append_events(req).await.expect("append");
    assert_eq!(
        out.documents.iter().map(|d| d.doc_no.clone().unwrap_or_default()).collect::<Vec<_>>(),
        vec!["汤医保罚〔2027〕1号".to_owned(), "汤医保告〔2026〕1号".to_owned()]
    );
}

async fn documents_without_a_prefix_have_no_number(db: &Db) {
    let case = open_case(db, "汤阴县医疗保障局", "A").await;
    let mut req = next(&case, "serve", "{}");
    req.documents = vec![doc(2, None)];
    let out = db.append_events(req).await.expect("append");
    assert_eq!((out.documents[0].number, out.documents[0].doc_no.clone()), (None, None));
    let stored = db.document(out.documents[0].id).await.expect("read").expect("exists");
    assert_eq!(stored, out.documents[0]);
}

async fn publications_are_published_and_retracted(db: &Db) {
    let case = open_case(db, "汤阴县医疗保障局", "A").await;
    let mut req = next(&case, "decide", "{}");
    req.documents = vec![doc(2, Some("汤医保罚"))];
    let out = db.append_events(req).await.expect("append");
    let d = out.documents[0].id;
    let p = db
        .add_publication(&NewPublication {
            case: case.id,
            document: Some(d),
            decided_on: Date::parse("2026-11-20").expect("date"),
            due: Date::parse("2026-12-01"),
            published_at: None,
            body: r#"{"当事人":"张*"}"#.into(),
        })
        .await
        .expect("add");
    assert!(db.public_publications(None).await.expect("public").is_empty(), "not yet published");
    assert_eq!(db.publications_due(Date::parse("2026-12-01").expect("d")).await.expect("due").len(), 1);
    assert!(db.publications_due(Date::parse("2026-11-30").expect("d")).await.expect("due").is_empty());
    db.publish(p.id, 1000).await.expect("publish");
    let public = db.public_publications(Some(case.bureau)).await.expect("public");
    assert_eq!(public.iter().map(|p| p.published_at).collect::<Vec<_>>(), vec![Some(1000)]);
    let again = db
        .add_publication(&NewPublication {
            case: case.id,
            document: Some(d),
            decided_on: Date::parse("2026-11-20").expect("date"),
            due: None,
            published_at: None,
            body: "{}".into(),
        })
        .await
        .expect_err("one per document");
    assert!(matches!(again, StoreError::Conflict(_)));
    assert!(db.retract_publication(p.id, None, "  ", 1100).await.is_err(), "a reason is required");
    let r = db.retract_publication(p.id, None, "复议决定撤销原处罚决定", 1100).await.expect("retract");
    assert_eq!((r.retracted_at, r.retract_reason.as_deref()), (Some(1100), Some("复议决定撤销原处罚决定")));
    assert!(db.public_publications(None).await.expect("public").is_empty());
    assert!(matches!(db.retract_publication(p.id, None, "again", 1200).await, Err(StoreError::Conflict(_))));
}
