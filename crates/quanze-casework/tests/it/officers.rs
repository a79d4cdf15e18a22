//! Officers at work through the service: the access policy before the engine, the read
//! log (refused attempts too), documents with 文号 issued with their events, the printed
//! file, publication with masking, and the demo.

use quanze_case::{Action, At, Command};
use quanze_casework::demo::{DOCUMENTED_CASE, load_demo};
use quanze_casework::documents::DocumentSet;
use quanze_casework::{ActResult, CaseService, CaseworkError, Officer};
use quanze_model::{ChinaTime, Date};
use quanze_store::{AssignmentDuty, Page, PersonInput, PersonRole, ReadFilter, ReadPurpose, Store};

use crate::harness::{Db, seed};
use crate::service::{Setup, cmd, setup};

fn noon(day: &str) -> ChinaTime {
    ChinaTime { date: Date::parse(day).expect("date"), minute: 12 * 60 }
}

async fn person(store: &Store, s: &Setup, name: &str, role: PersonRole) -> Officer {
    let p = store
        .add_person(&PersonInput {
            bureau: Some(s.bureau),
            name: name.into(),
            role,
            posts: vec![],
            office: String::new(),
            certificate: (role == PersonRole::Officer).then(|| format!("豫{name}")),
            certificate_until: None,
        })
        .await
        .expect("person");
    Officer::person(p)
}

async fn officer_of(store: &Store, id: &str) -> Officer {
    let p =
        store.person(quanze_store::PersonId(id.parse().expect("id"))).await.expect("read").expect("exists");
    Officer::person(p)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_officer_of_another_case_is_refused_and_the_attempt_is_logged() {
    let db = Db::sqlite().await;
    let s = setup(&db.store).await;
    let service = CaseService::new(db.store.clone()).await.expect("service");
    let zhang = officer_of(&db.store, &s.officers[0]).await;
    let li = officer_of(&db.store, &s.officers[1]).await;
    let other = person(&db.store, &s, "王五", PersonRole::Officer).await;
    let leader = person(&db.store, &s, "局长", PersonRole::Leader).await;
    let supervisor = person(&db.store, &s, "监督", PersonRole::Supervisor).await;
    let opened = service
        .open_case_as(
            &zhang,
            s.bureau,
            s.version,
            s.item,
            "A",
            cmd("2026-03-02", &s.officers, "open", "party = \"unit\""),
        )
        .await
        .expect("open");
    let ActResult::Applied { case, .. } = opened else { panic!("{opened:?}") };
    // Both officers of the command are on the case.
    let on: Vec<_> =
        db.store.assignments(case).await.expect("a").into_iter().map(|a| (a.person, a.duty)).collect();
    assert_eq!(
        on,
        vec![
            (zhang.person.as_ref().expect("p").id, AssignmentDuty::Handler),
            (li.person.as_ref().expect("p").id, AssignmentDuty::Handler)
        ]
    );

    // 立案 without a leader: refused by the policy, before the engine.
    let r = service.act_as(&zhang, case, cmd("2026-03-03", &s.officers, "register", "")).await;
    let Err(CaseworkError::Forbidden(refusal)) = r else { panic!("{r:?}") };
    assert_eq!(refusal.code, "access_needs_leader");
    assert_eq!(refusal.articles, vec!["行政处罚法 第五十四条".to_string()]);
    // With the leader acting, the engine decides and applies.
    let mut by = s.officers.clone();
    by.push(leader.person_ref().expect("id"));
    let r = service.act_as(&leader, case, cmd("2026-03-03", &by, "register", "")).await.expect("register");
    assert!(matches!(r, ActResult::Applied { .. }), "{r:?}");
    // An officer of another case neither acts nor reads.
    let mine = vec![other.person_ref().expect("id")];
    let r =
        service.act_as(&other, case, cmd("2026-03-04", &mine, "investigate", "evidence = [\"书证\"]")).await;
    let Err(CaseworkError::Forbidden(refusal)) = r else { panic!("{r:?}") };
    assert_eq!(refusal.code, "access_not_assigned");
    let r = service.read_case(&other, case, noon("2026-03-04")).await;
    let Err(CaseworkError::Forbidden(refusal)) = r else { panic!("{r:?}") };
    assert_eq!(refusal.code, "access_not_on_case");
    assert!(refusal.message.contains("个人信息"), "{}", refusal.message);
    // The people on the case, the leader and the supervisor read it.
    for o in [&zhang, &leader, &supervisor] {
        let view = service.read_case(o, case, noon("2026-03-05")).await.expect("read");
        assert_eq!(view.record.id, case);
    }
    // The supervisor sees every read, the refused one with its code.
    let reads = service
        .reads(&supervisor, &ReadFilter { case: Some(case), page: Page::all(), ..Default::default() })
        .await
        .expect("reads");
    assert_eq!(reads.total, 4);
    let refused: Vec<_> = reads.rows.iter().filter(|r| !r.allowed).collect();
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].person, other.person.as_ref().map(|p| p.id));
    assert_eq!(refused[0].refusal_code.as_deref(), Some("access_not_on_case"));
    assert_eq!(refused[0].purpose, ReadPurpose::Case);
    // An officer may not read the log.
    assert!(matches!(service.reads(&zhang, &ReadFilter::default()).await, Err(CaseworkError::Forbidden(_))));
    db.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_prints_numbered_documents_and_publishes_the_decision_masked() {
    for db in [Some(Db::sqlite().await), Db::postgres().await].into_iter().flatten() {
        let bytes = std::fs::read(seed("002_986fb97279c273a7.txt")).expect("seed");
        let catalog = quanze_import::import_bytes("002_986fb97279c273a7.txt", &bytes, &Default::default())
            .expect("import");
        db.store.import_catalog(&catalog, None).await.expect("store list");
        let report = load_demo(&db.store, &catalog).await.expect("demo");
        assert!(report.documents >= 8, "{report:?}");
        let logins: Vec<&str> = report.accounts.iter().map(|a| a.0.as_str()).collect();
        assert_eq!(logins, vec!["demo-zhangming", "demo-lihua", "demo-wang", "demo-zhoulv", "demo-sun"]);
        for (login, _, password) in &report.accounts {
            assert!(db.store.verify_password(login, password).await.expect("verify").is_some(), "{login}");
        }

        let bureau = db.store.bureau_of_catalog(&catalog).await.expect("bureau");
        let case =
            db.store.case_by_label(bureau.id, DOCUMENTED_CASE).await.expect("read").expect("documented case");
        assert_eq!(case.state, "served");
        let docs = db.store.case_documents(case.id).await.expect("docs");
        let decision = docs.iter().find(|d| d.doc_type == "penalty_decision").expect("decision");
        assert_eq!(decision.doc_no.as_deref(), Some("汤医保罚〔2026〕1号"));
        let notice = docs.iter().find(|d| d.doc_type == "prior_notice").expect("notice");
        assert_eq!(notice.doc_no.as_deref(), Some("汤医保罚告〔2026〕1号"));
        assert!(docs.iter().any(|d| d.doc_type == "service_receipt" && d.doc_no.is_none()));

        // The leader prints the file; the penalty decision carries every item of 第五十九条
        // and the 复议 route to 本级人民政府.
        let service = CaseService::new(db.store.clone()).await.expect("service");
        service.set_documents(Some(std::sync::Arc::new(DocumentSet::shipped().expect("templates"))));
        let wang = db.store.user_by_name("demo-wang").await.expect("u").expect("leader");
        let wang = service.officer_for_user(&wang).await.expect("officer");
        let html = service.dossier_html(&wang, case.id, noon("2026-11-10")).await.expect("dossier");
        for needle in [
            "行政执法案卷",
            "汤医保罚〔2026〕1号",
            "（演示）汤阴县某某大药房",
            "汤阴县演示路 1 号",
            "违法事实和证据",
            "行政处罚的种类和依据",
            "罚款人民币60,000.00元",
            "履行方式和期限",
            "向汤阴县人民政府申请行政复议",
            "汤阴县人民法院提起行政诉讼",
            "作出决定的行政机关名称和日期",
            "2026年11月2日",
        ] {
            assert!(html.contains(needle), "dossier lacks {needle}");
        }
        // The fixed order: 立案审批表 before the decision before the 送达回证.
        let pos =
            |t: &str| html.find(&format!("data-doc-type=\"{t}\"")).unwrap_or_else(|| panic!("{t} missing"));
        assert!(pos("register_approval") < pos("inquiry_record"));
        assert!(pos("legal_review_opinion") < pos("prior_notice"));
        assert!(pos("prior_notice") < pos("penalty_decision"));
        assert!(pos("penalty_decision") < pos("service_receipt"));
        // A supervisor sees the print in the read log.
        let sun = db.store.user_by_name("demo-sun").await.expect("u").expect("supervisor");
        let sun = service.officer_for_user(&sun).await.expect("officer");
        let reads = service
            .reads(&sun, &ReadFilter { case: Some(case.id), page: Page::all(), ..Default::default() })
            .await
            .expect("reads");
        assert!(reads.rows.iter().any(|r| r.purpose == ReadPurpose::Dossier && r.allowed));

        // Published, masked where a person is named; the unit's name stays.
        let public = service.public_decisions(Some(bureau.id)).await.expect("public");
        assert_eq!(public.len(), 1);
        let body: serde_json::Value = serde_json::from_str(&public[0].body).expect("json");
        assert_eq!(body["doc_no"], "汤医保罚〔2026〕1号");
        assert_eq!(body["party"], "（演示）汤阴县某某大药房");
        assert_eq!(public[0].due, Date::parse("2026-11-11"), "7 working days after 2026-11-02");
        // Retracting needs a reason and is done by someone on the case.
        let r = service
            .retract(&wang, public[0].id, " ", Date::parse("2026-11-20").expect("d"), noon("2026-11-20"))
            .await;
        assert!(matches!(r, Err(CaseworkError::Invalid(_))), "{r:?}");
        let (p, late) = service
            .retract(
                &wang,
                public[0].id,
                "复议机关撤销了原处罚决定",
                Date::parse("2026-11-20").expect("d"),
                noon("2026-11-26"),
            )
            .await
            .expect("retract");
        assert!(p.retracted_at.is_some());
        assert!(late, "2026-11-26 is after 3 working days from 2026-11-20");
        assert!(service.public_decisions(Some(bureau.id)).await.expect("public").is_empty());
        db.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_document_is_not_issued_when_its_action_is_refused() {
    let db = Db::sqlite().await;
    let s = setup(&db.store).await;
    let service = CaseService::new(db.store.clone()).await.expect("service");
    service.set_documents(Some(std::sync::Arc::new(DocumentSet::shipped().expect("templates"))));
    let opened = service
        .open_case(
            s.bureau,
            s.version,
            s.item,
            "A",
            cmd("2026-03-02", &s.officers, "open", "party = \"unit\""),
        )
        .await
        .expect("open");
    let ActResult::Applied { case, .. } = opened else { panic!("{opened:?}") };
    let r = service.act(case, cmd("2026-03-03", &s.officers, "register", "")).await.expect("register");
    let ActResult::Applied { documents, .. } = r else { panic!("{r:?}") };
    assert_eq!(documents.iter().map(|d| d.doc_type.as_str()).collect::<Vec<_>>(), vec!["register_approval"]);
    // A decision before notice is refused by the engine: no document, no number used.
    let r = service
        .act(
            case,
            Command {
                at: At::day(Date::parse("2026-03-04").expect("d")),
                by: s.officers.clone(),
                action: Action::from_step(
                    "decide",
                    &"decision = \"penalty\"\nfine_yuan = 1000".parse().expect("t"),
                )
                .expect("a"),
            },
        )
        .await
        .expect("decide");
    assert!(matches!(r, ActResult::Refused { .. }), "{r:?}");
    assert_eq!(db.store.case_documents(case).await.expect("docs").len(), 1);
    assert!(db.store.document_numbers(s.bureau, "penalty_decision", 2026).await.expect("n").is_empty());
    db.cleanup().await;
}
