//! A lived-in first start: demo people with logins and demo cases in different states,
//! clearly marked as demo data (accounts `demo-…`, case labels and parties marked 演示).
//!
//! [`load_demo`] plays `data/demo/cases.toml` (the scenario the server played before), gives
//! its people the logins of `data/demo/people.toml`, adds a supervisor (no administrator: see below),
//! puts each case's officers on it, and plays one more penalty case through the officers'
//! own path ([`CaseService::act_as`] with documents), so its documents carry 文号 and its
//! decision is published. The server calls it once, on a new database, unless `--no-demo`.

use quanze_case::{Action, At, Command, DecisionKind, Party, ServiceMethod};
use quanze_model::{Catalog, Date};
use quanze_store::{AssignmentDuty, CaseFilter, Page, PersonId, PersonInput, PersonRole, Store};
use serde::Deserialize;

use crate::documents::DocumentSet;
use crate::officers::Officer;
use crate::service::{ActResult, CaseService, CaseworkError, person_ref};

/// The demo cases (a scenario file).
pub const DEMO_CASES: &str = include_str!("../../../data/demo/cases.toml");
/// The demo accounts.
pub const DEMO_PEOPLE: &str = include_str!("../../../data/demo/people.toml");
/// The label of the case played with documents.
pub const DOCUMENTED_CASE: &str = "演示-骗保处罚-文书";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PeopleFile {
    bureau: String,
    person: Vec<DemoPerson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoPerson {
    name: String,
    login: String,
    password: String,
    #[serde(default)]
    role: Option<String>,
    #[serde(default)]
    office: Option<String>,
}

/// Why the demo could not be loaded (Chinese: the server prints it and goes on).
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("演示数据无效：{0}")]
    Invalid(String),
    #[error(transparent)]
    Casework(#[from] CaseworkError),
    #[error(transparent)]
    Store(#[from] quanze_store::StoreError),
    #[error("演示案件无法播放：{0}")]
    Scenario(String),
}

/// What [`load_demo`] created.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DemoReport {
    /// Cases created (the scenario's and the documented one).
    pub cases: usize,
    /// (login, role in Chinese, password): the README's table.
    pub accounts: Vec<(String, String, String)>,
    /// Documents issued in the documented case.
    pub documents: usize,
}

fn role_label(r: PersonRole) -> &'static str {
    match r {
        PersonRole::Officer => "执法人员",
        PersonRole::Leader => "负责人",
        PersonRole::LegalReviewer => "法制审核人员",
        PersonRole::Supervisor => "监督人员",
        PersonRole::Clerk => "窗口人员",
    }
}

/// Load the demo into `store`, whose bureaus and lists are already seeded; `catalog` is the
/// list `data/demo/cases.toml` names (the 汤阴 seed). Call it once, on a new database.
pub async fn load_demo(store: &Store, catalog: &Catalog) -> Result<DemoReport, DemoError> {
    let scenario = crate::scenario::parse_scenario(DEMO_CASES, std::path::Path::new("data/demo"))
        .map_err(|e| DemoError::Scenario(e.to_string()))?;
    let played = crate::scenario::run_with_catalog(&scenario, catalog, store.clone())
        .await
        .map_err(|e| DemoError::Scenario(e.to_string()))?;
    let file: PeopleFile = toml::from_str(DEMO_PEOPLE).map_err(|e| DemoError::Invalid(e.to_string()))?;
    let bureau = store.ensure_bureau(&file.bureau, None).await?;
    let mut accounts = Vec::new();

    // Logins for the scenario's people; the supervisor is added here.
    let existing = store.people(Some(bureau.id)).await?;
    for p in &file.person {
        let person = match existing.iter().find(|e| e.name == p.name && e.retired_at.is_none()) {
            Some(e) => e.clone(),
            None => {
                let role = p.role.as_deref().and_then(PersonRole::from_str_opt).ok_or_else(|| {
                    DemoError::Invalid(format!("演示人员 {} 不在演示案件中，且没有角色", p.name))
                })?;
                store
                    .add_person(&PersonInput {
                        bureau: Some(bureau.id),
                        name: p.name.clone(),
                        role,
                        posts: Vec::new(),
                        office: p.office.clone().unwrap_or_default(),
                        certificate: None,
                        certificate_until: None,
                    })
                    .await?
            }
        };
        let user = match store.user_by_name(&p.login).await? {
            Some(u) => u,
            None => store.create_user(&p.login, &p.password, &[]).await?,
        };
        store.link_person_user(person.id, Some(user.id)).await?;
        accounts.push((p.login.clone(), role_label(person.role).to_string(), p.password.clone()));
    }
    // No demo administrator: an administrator with a published password would be a way in
    // on any server started with the demo; `admin` (QUANZE_ADMIN_PASSWORD, or the password
    // printed once) is the administrator.

    // The scenario's cases: the officers who acted are put on them.
    let people = store.people(Some(bureau.id)).await?;
    let cases =
        store.cases(&CaseFilter { bureau: Some(bureau.id), state: None, page: Page::all() }).await?.rows;
    for c in &cases {
        let mut on_case: Vec<PersonId> = Vec::new();
        for e in store.case_events(c.id).await? {
            for a in &e.actors {
                if let Some(p) = people.iter().find(|p| &person_ref(p.id) == a)
                    && !on_case.contains(&p.id)
                {
                    let duty = match p.role {
                        PersonRole::Officer | PersonRole::Clerk => AssignmentDuty::Handler,
                        PersonRole::LegalReviewer => AssignmentDuty::LegalReviewer,
                        _ => continue,
                    };
                    on_case.push(p.id);
                    let at = crate::officers::unix_seconds(
                        Date::parse(c.opened_at.get(..10).unwrap_or("")).unwrap_or(
                            Date::new(2026, 1, 1).ok_or_else(|| DemoError::Invalid("日期".into()))?,
                        ),
                        None,
                    );
                    store.assign(c.id, p.id, duty, None, at).await?;
                }
            }
        }
    }

    let documents = play_documented_case(store, catalog, bureau.id, &people).await?;
    Ok(DemoReport { cases: played.cases.len() + 1, accounts, documents })
}

fn at(date: &str, minute: u16) -> Result<At, DemoError> {
    let date = Date::parse(date).ok_or_else(|| DemoError::Invalid(format!("日期 {date}")))?;
    Ok(At { date, minute: Some(minute) })
}

/// A penalty case from clue to service, played as the officers do it in the console.
async fn play_documented_case(
    store: &Store,
    catalog: &Catalog,
    bureau: quanze_store::BureauId,
    people: &[quanze_store::Person],
) -> Result<usize, DemoError> {
    let find = |name: &str| {
        people
            .iter()
            .find(|p| p.name == name && p.retired_at.is_none())
            .cloned()
            .ok_or_else(|| DemoError::Invalid(format!("演示人员 {name} 不存在")))
    };
    let (zhang, li, wang, zhou) = (find("张明")?, find("李华")?, find("王局长")?, find("周律")?);
    let ids = |ps: &[&quanze_store::Person]| ps.iter().map(|p| person_ref(p.id)).collect::<Vec<_>>();
    let version = store.store_version(bureau, catalog, None).await?.version;
    let items = store.items(version.id, Page::all()).await?.rows;
    let item = items
        .iter()
        .find(|i| i.summary.seq == Some(5))
        .ok_or_else(|| DemoError::Invalid("演示清单没有第 5 项".into()))?;

    let service = CaseService::new(store.clone()).await?;
    let set = DocumentSet::shipped().map_err(CaseworkError::from)?;
    service.set_documents(Some(std::sync::Arc::new(set)));
    let (o_zhang, o_wang, o_zhou) =
        (Officer::person(zhang.clone()), Officer::person(wang.clone()), Officer::person(zhou.clone()));

    let cmd = |when: At, by: Vec<String>, action: Action| Command { at: when, by, action };
    let opened = service
        .open_case_as(
            &o_zhang,
            bureau,
            version.id,
            item.summary.id,
            DOCUMENTED_CASE,
            cmd(
                at("2026-10-12", 9 * 60)?,
                ids(&[&zhang, &li]),
                Action::Open {
                    item: Some("5".into()),
                    party: Party::Unit,
                    complete: None,
                    missing: Vec::new(),
                },
            ),
        )
        .await?;
    let ActResult::Applied { case, .. } = opened else {
        return Err(DemoError::Scenario(format!("演示案件未能立卷：{opened:?}")));
    };
    let particulars = serde_json::json!({
        "demo": true,
        "party": {
            "kind": "unit",
            "name": "（演示）汤阴县某某大药房",
            "credit_code": "91410523MA00000000",
            "representative": "（演示）刘某",
            "address": "汤阴县演示路 1 号",
            "phone": "0372-0000000"
        },
        "facts": {
            "source": "医保智能监控系统疑点数据",
            "summary": "（演示）该药房 2026 年 1 月至 6 月以串换药品方式结算医保基金。",
            "violation": "2026年1月至6月，以串换药品的方式结算医保基金30,000.00元（演示数据）",
            "evidence": "医保结算明细、进销存记录、询问笔录、现场笔录",
            "violated": "《医疗保障基金使用监督管理条例》第十九条",
            "place": "汤阴县某某大药房营业场所",
            "scene": "（演示）现场检查药品进销存电脑系统，调取结算记录。"
        }
    });
    let first = ChinaTimeAt::new("2026-10-12", 9 * 60)?;
    service.set_particulars(&o_zhang, case, &particulars, first.0).await?;
    let steps: Vec<(&Officer, Command)> = vec![
        (&o_wang, cmd(at("2026-10-13", 9 * 60)?, ids(&[&zhang, &li, &wang]), Action::Register {})),
        (
            &o_zhang,
            cmd(
                at("2026-10-15", 10 * 60)?,
                ids(&[&zhang, &li]),
                Action::Investigate {
                    evidence: vec!["书证".into(), "当事人的陈述".into(), "现场笔录".into()],
                },
            ),
        ),
        (&o_zhang, cmd(at("2026-10-26", 9 * 60)?, ids(&[&zhang, &li]), Action::Conclude { major: false })),
        (
            &o_zhou,
            cmd(at("2026-10-27", 9 * 60)?, ids(&[&zhou]), Action::LegalReview { opinion: "同意".into() }),
        ),
        (
            &o_zhang,
            cmd(
                at("2026-10-28", 9 * 60)?,
                ids(&[&zhang, &li]),
                Action::Notify { fine_fen: Some(6_000_000), base_fen: Some(3_000_000) },
            ),
        ),
        (&o_zhang, cmd(at("2026-10-29", 9 * 60)?, ids(&[&zhang]), Action::Waive {})),
        (
            &o_wang,
            cmd(
                at("2026-11-02", 9 * 60)?,
                ids(&[&wang, &zhang]),
                Action::Decide {
                    decision: DecisionKind::Penalty,
                    fine_fen: Some(6_000_000),
                    base_fen: Some(3_000_000),
                },
            ),
        ),
        (
            &o_zhang,
            cmd(
                at("2026-11-02", 15 * 60)?,
                ids(&[&zhang, &li]),
                Action::Serve { method: ServiceMethod::Direct, consent: false },
            ),
        ),
    ];
    let mut documents = 0;
    for (officer, c) in steps {
        let action = c.action.id();
        match service.act_as(officer, case, c).await? {
            ActResult::Applied { documents: d, .. } => documents += d.len(),
            ActResult::Refused { refusal, .. } => {
                return Err(DemoError::Scenario(format!(
                    "演示案件的「{action}」被拒绝：{}",
                    refusal.message
                )));
            }
        }
    }
    Ok(documents)
}

/// A China time from a date text and a minute of the day.
struct ChinaTimeAt(quanze_model::ChinaTime);

impl ChinaTimeAt {
    fn new(date: &str, minute: u16) -> Result<ChinaTimeAt, DemoError> {
        let date = Date::parse(date).ok_or_else(|| DemoError::Invalid(format!("日期 {date}")))?;
        Ok(ChinaTimeAt(quanze_model::ChinaTime { date, minute }))
    }
}
