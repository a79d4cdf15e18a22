//! Playing a scenario against a store, through [`CaseService`]: the same code the server runs.

use std::collections::BTreeMap;
use std::path::Path;

use quanze_case::{Action, Command};
use quanze_model::{Catalog, Date, PowerItem};
use quanze_store::{BureauId, CaseId, PersonId, PersonInput, PersonRole, Store, VersionId};
use serde::Serialize;

use super::file::{ItemSelector, Scenario, ScenarioError, Step};
use crate::service::{ActResult, CaseService, CaseworkError, counting_id};

/// Why a scenario could not be played.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The file (or a file it names) is invalid: exit 2.
    #[error(transparent)]
    Invalid(#[from] ScenarioError),
    /// The store failed.
    #[error(transparent)]
    Casework(#[from] CaseworkError),
}

impl From<quanze_store::StoreError> for RunError {
    fn from(e: quanze_store::StoreError) -> RunError {
        RunError::Casework(e.into())
    }
}

/// Lists larger than this are refused (as `quanze import` does by default).
const MAX_LIST_BYTES: u64 = 64 * 1024 * 1024;
/// A holiday notice is a page of text.
const MAX_NOTICE_BYTES: u64 = 1024 * 1024;

#[derive(Debug, Clone, Serialize)]
pub struct RefusalOut {
    pub code: String,
    pub articles: Vec<String>,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExpectedOut {
    pub result: &'static str,
    pub code: Option<String>,
    pub met: bool,
    /// Alert expectations of the step (`expect_alert`, `expect_no_alert`): the ones not met.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alerts_unmet: Option<Vec<String>>,
    /// `expect_bypassed` of a legacy step: the codes expected, when they were not the ones
    /// bypassed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bypassed_unmet: Option<Vec<String>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StepOut {
    pub n: usize,
    pub at: String,
    pub case: String,
    pub action: String,
    pub result: &'static str,
    pub refusal: Option<RefusalOut>,
    pub expected: Option<ExpectedOut>,
    /// A legacy step (`legacy = true`, 补录) only: the refusals the engine would have given and
    /// that the record bypassed (`[]`: the act was lawful as recorded).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bypassed: Option<Vec<RefusalOut>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemOut {
    pub seq: Option<u32>,
    pub name: String,
    pub category: quanze_model::Category,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventOut {
    pub seq: u64,
    pub at: String,
    pub by: Vec<String>,
    pub action: String,
    pub hash: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeadlineOut {
    pub name: String,
    pub due: Option<Date>,
    pub counting: String,
    pub articles: Vec<String>,
    pub status: quanze_case::DeadlineState,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseOut {
    pub item: ItemOut,
    pub state: String,
    pub events: Vec<EventOut>,
    pub deadlines: Vec<DeadlineOut>,
    pub alerts: Vec<serde_json::Value>,
    /// Beyond the contract: 提示 (the heads-up one working day before a limit), in the shape
    /// of `alerts`.
    pub hints: Vec<serde_json::Value>,
    /// Beyond the contract: the state's Chinese label, the procedure, the store's label of
    /// the case, and what the engine had to guess when mapping the item.
    pub label: String,
    pub procedure: String,
    pub case_label: String,
    pub findings: Vec<quanze_case::Finding>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Expectations {
    pub stated: usize,
    pub met: usize,
}

/// What `quanze scenario` prints.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioReport {
    pub title: String,
    pub steps: Vec<StepOut>,
    pub cases: BTreeMap<String, CaseOut>,
    pub expectations: Expectations,
}

impl ScenarioReport {
    /// Whether every expectation the file states was met.
    pub fn expectations_met(&self) -> bool {
        self.expectations.met == self.expectations.stated
    }
}

fn read_limited(path: &Path, limit: u64, what: &str) -> Result<Vec<u8>, ScenarioError> {
    let meta = std::fs::metadata(path)
        .map_err(|e| ScenarioError::at(None, format!("无法读取{what} {}：{e}", path.display())))?;
    if meta.len() > limit {
        return Err(ScenarioError::at(
            None,
            format!("{what} {} 有 {} 字节，超过上限 {limit} 字节", path.display(), meta.len()),
        ));
    }
    std::fs::read(path)
        .map_err(|e| ScenarioError::at(None, format!("无法读取{what} {}：{e}", path.display())))
}

/// Read the list a scenario runs under.
pub fn load_list(path: &Path) -> Result<Catalog, ScenarioError> {
    let bytes = read_limited(path, MAX_LIST_BYTES, "清单文件")?;
    let name =
        path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let opts = quanze_import::ImportOptions { max_bytes: MAX_LIST_BYTES, ..Default::default() };
    quanze_import::import_bytes(&name, &bytes, &opts)
        .map_err(|e| ScenarioError::at(None, format!("清单文件 {} 无法导入：{e}", path.display())))
}

/// The position of the item a selector names in a catalog.
pub fn find_item(catalog: &Catalog, sel: &ItemSelector) -> Option<usize> {
    let items = &catalog.items;
    match sel {
        ItemSelector::Serial(n) => items.iter().position(|i| i.seq == Some(*n)),
        ItemSelector::Line(l) => items.iter().position(|i| i.line.is_some_and(|x| x as usize == *l)),
        ItemSelector::Name(name) => {
            let name = name.trim();
            items
                .iter()
                .position(|i| i.name.trim() == name)
                .or_else(|| items.iter().position(|i| item_full_name(i) == name))
        }
    }
}

fn item_full_name(i: &PowerItem) -> String {
    match &i.sub_name {
        Some(s) => format!("{}（{}）", i.name.trim(), s.trim()),
        None => i.name.trim().to_string(),
    }
}

/// Read every step's action before anything runs, so an invalid file changes nothing.
fn read_actions(s: &Scenario, catalog: &Catalog) -> Result<Vec<Action>, ScenarioError> {
    s.steps
        .iter()
        .map(|st| {
            let mut keys = st.keys.clone();
            if st.action == "open" {
                if let Some(sel) = &st.item {
                    if find_item(catalog, sel).is_none() {
                        return Err(ScenarioError::at(
                            st.key_lines.get("item").copied().or(Some(st.line)),
                            format!("第 {} 步：清单中没有事项 {}", st.n, selector_text(sel)),
                        ));
                    }
                    keys.insert("item".into(), toml::Value::String(selector_text(sel)));
                }
                if let Some(p) = &st.party {
                    keys.insert("party".into(), toml::Value::String(p.clone()));
                }
            }
            Action::from_step(&st.action, &keys).map_err(|e| {
                let line = e.key.as_ref().and_then(|k| st.key_lines.get(k).copied()).or(Some(st.line));
                ScenarioError::at(line, format!("第 {} 步：{}", st.n, e.message))
            })
        })
        .collect()
}

fn selector_text(sel: &ItemSelector) -> String {
    match sel {
        ItemSelector::Serial(n) => n.to_string(),
        ItemSelector::Line(l) => format!("line:{l}"),
        ItemSelector::Name(n) => n.clone(),
    }
}

fn role_of(id: &str) -> PersonRole {
    PersonRole::from_str_opt(id).unwrap_or(PersonRole::Officer)
}

/// Make sure the bureau has each person of the scenario (by name: a store kept with `--db`
/// and played again keeps one row per person).
async fn ensure_people(
    store: &Store,
    bureau: BureauId,
    s: &Scenario,
) -> Result<BTreeMap<String, PersonId>, RunError> {
    let existing = store.people(Some(bureau)).await?;
    let mut ids = BTreeMap::new();
    for p in &s.people {
        let input = PersonInput {
            bureau: Some(bureau),
            name: p.name.clone(),
            role: role_of(&p.role),
            posts: p.posts.clone(),
            office: p.office.clone().unwrap_or_default(),
            certificate: p.certificate.clone(),
            certificate_until: p.certificate_until,
        };
        let person = match existing.iter().find(|e| e.name == p.name && e.retired_at.is_none()) {
            Some(e) => store.update_person(e.id, &input).await?,
            None => store.add_person(&input).await?,
        };
        ids.insert(p.name.clone(), person.id);
    }
    Ok(ids)
}

/// A label for the case not yet used in the bureau: the scenario's name for it, or that
/// name with a number when a kept store already has it.
async fn free_label(store: &Store, bureau: BureauId, name: &str) -> Result<String, RunError> {
    if store.case_by_label(bureau, name).await?.is_none() {
        return Ok(name.to_string());
    }
    for n in 2.. {
        let l = format!("{name}-{n}");
        if store.case_by_label(bureau, &l).await?.is_none() {
            return Ok(l);
        }
    }
    Ok(name.to_string())
}

struct Context {
    bureau: BureauId,
    version: VersionId,
    item_ids: Vec<quanze_store::ItemId>,
}

/// Play a scenario against `store` (fresh or kept). Refusals are results; only an invalid
/// file or a failing store is an error.
pub async fn run(s: &Scenario, store: Store) -> Result<ScenarioReport, RunError> {
    let catalog = load_list(&s.list)?;
    run_with_catalog(s, &catalog, store).await
}

/// [`run`] with the scenario's list already imported (a server loading its bundled demo
/// cases has the list's bytes, not its file).
pub async fn run_with_catalog(
    s: &Scenario,
    catalog: &Catalog,
    store: Store,
) -> Result<ScenarioReport, RunError> {
    let actions = read_actions(s, catalog)?;
    let mut notices = Vec::new();
    for path in &s.notices {
        let bytes = read_limited(path, MAX_NOTICE_BYTES, "节假日通知")?;
        let text = String::from_utf8(bytes)
            .map_err(|_| ScenarioError::at(None, format!("节假日通知 {} 不是 UTF-8 文本", path.display())))?;
        let parsed = quanze_calendar::parse_notice(&text)
            .map_err(|e| ScenarioError::at(None, format!("节假日通知 {}：{e}", path.display())))?;
        notices.push(parsed.into_year_notice());
    }

    let bureau = match store.bureau_of_catalog(catalog).await {
        Ok(b) => b,
        Err(quanze_store::StoreError::NoPublisher) => {
            let name = catalog.source.title.clone().unwrap_or_else(|| catalog.source.file_name.clone());
            store.ensure_bureau(&name, None).await?
        }
        Err(e) => return Err(e.into()),
    };
    let version = store.store_version(bureau.id, catalog, None).await?.version;
    let ctx = Context { bureau: bureau.id, version: version.id, item_ids: store.item_ids(version.id).await? };
    let people = ensure_people(&store, bureau.id, s).await?;
    let names: BTreeMap<String, String> =
        people.iter().map(|(name, id)| (crate::service::person_ref(*id), name.clone())).collect();

    let persons = supervised_people(s, &people);
    let service = CaseService::new(store).await?;
    for n in notices {
        service.load_year(n, Some("scenario")).await?;
    }

    let mut cases: BTreeMap<String, CaseId> = BTreeMap::new();
    let mut steps = Vec::with_capacity(s.steps.len());
    let mut expectations = Expectations { stated: 0, met: 0 };
    for (st, action) in s.steps.iter().zip(actions) {
        let by: Vec<String> =
            st.by.iter().filter_map(|n| people.get(n)).map(|id| crate::service::person_ref(*id)).collect();
        // People named inside an action (a hearing's presider) are recorded by id, as `by` is.
        let action = match action {
            Action::HoldHearing { presider: Some(p) } => Action::HoldHearing {
                presider: Some(people.get(&p).map_or(p, |id| crate::service::person_ref(*id))),
            },
            other => other,
        };
        let cmd = Command { at: st.at, by, action };
        let (result, bypassed) = play(&service, &ctx, catalog, &mut cases, st, cmd).await?;
        let (outcome, refusal) = match result {
            ActResult::Applied { .. } => ("applied", None),
            ActResult::Refused { refusal, .. } => ("refused", Some(refusal)),
        };
        let mut expected = st.expect.as_ref().map(|e| {
            let met = e.refused == refusal.is_some()
                && match (&e.code, &refusal) {
                    (Some(code), Some(r)) => &r.code == code,
                    _ => true,
                };
            ExpectedOut {
                result: if e.refused { "refused" } else { "applied" },
                code: e.code.clone(),
                met,
                alerts_unmet: None,
                bypassed_unmet: None,
            }
        });
        if let Some(codes) = &st.expect_bypassed {
            let got: Vec<&str> = bypassed.iter().map(|r| r.code.as_str()).collect();
            let out = expected.get_or_insert_with(|| ExpectedOut {
                result: if refusal.is_some() { "refused" } else { "applied" },
                code: None,
                met: true,
                alerts_unmet: None,
                bypassed_unmet: None,
            });
            if got != codes.iter().map(String::as_str).collect::<Vec<_>>() {
                out.met = false;
                out.bypassed_unmet = Some(codes.clone());
            }
        }
        if !st.expect_alerts.is_empty() || !st.expect_no_alerts.is_empty() {
            let alerts = match cases.get(&st.case) {
                Some(id) => {
                    let view = service.view(*id, st.at.date).await?;
                    case_alerts(&service, &view, &persons, s.records.get(&st.case), st.at.date)
                }
                None => Vec::new(),
            };
            let mut unmet: Vec<String> = Vec::new();
            for e in &st.expect_alerts {
                if !alerts.iter().any(|a| e.matches(a)) {
                    unmet.push(format!("缺少预警 {}", expect_text(e)));
                }
            }
            for e in &st.expect_no_alerts {
                if alerts.iter().any(|a| e.matches(a)) {
                    unmet.push(format!("不应有预警 {}", expect_text(e)));
                }
            }
            let out = expected.get_or_insert_with(|| ExpectedOut {
                result: if refusal.is_some() { "refused" } else { "applied" },
                code: None,
                met: true,
                alerts_unmet: None,
                bypassed_unmet: None,
            });
            out.met &= unmet.is_empty();
            out.alerts_unmet = Some(unmet);
        }
        if let Some(e) = &expected {
            expectations.stated += 1;
            expectations.met += usize::from(e.met);
        }
        steps.push(StepOut {
            n: st.n,
            at: st.at.to_string(),
            case: st.case.clone(),
            action: st.action.clone(),
            result: outcome,
            refusal: refusal.map(refusal_out),
            expected,
            bypassed: st.legacy.then(|| bypassed.into_iter().map(refusal_out).collect()),
        });
    }

    let now = s.now.or_else(|| s.steps.last().map(|st| st.at)).map(|a| a.date);
    let mut out = BTreeMap::new();
    for (name, id) in &cases {
        let Some(now) = now else { break };
        let view = service.view(*id, now).await?;
        let all = case_alerts(&service, &view, &persons, s.records.get(name), now);
        let (hints, alerts): (Vec<_>, Vec<_>) =
            all.iter().partition(|a| a.level == quanze_supervise::Level::Notice);
        let item = &view.procedure.item;
        out.insert(
            name.clone(),
            CaseOut {
                item: ItemOut { seq: item.seq, name: item.name.clone(), category: item.category },
                state: view.state.state.clone(),
                label: view.procedure.procedure.state_label(&view.state.state).to_string(),
                procedure: view.procedure.procedure.id.clone(),
                case_label: view.record.label.clone(),
                events: view
                    .events
                    .iter()
                    .map(|e| EventOut {
                        seq: e.event.seq,
                        at: e.event.at.to_string(),
                        by: e
                            .event
                            .by
                            .iter()
                            .map(|id| names.get(id).cloned().unwrap_or_else(|| id.clone()))
                            .collect(),
                        action: e.event.action.id().to_string(),
                        hash: e.hash.clone(),
                    })
                    .collect(),
                deadlines: view
                    .deadlines
                    .iter()
                    .map(|d| DeadlineOut {
                        name: d.name.clone(),
                        due: d.due,
                        counting: counting_id(d),
                        articles: d.articles.clone(),
                        status: d.status,
                        error: d.error.clone(),
                    })
                    .collect(),
                alerts: alerts.into_iter().map(|a| alert_json(a, &names)).collect(),
                hints: hints.into_iter().map(|a| alert_json(a, &names)).collect(),
                findings: view.findings.clone(),
            },
        );
    }
    Ok(ScenarioReport { title: s.title.clone(), steps, cases: out, expectations })
}

/// The people of the scenario as the engine and the rules know them (ids as in the events).
fn supervised_people(s: &Scenario, ids: &BTreeMap<String, PersonId>) -> Vec<quanze_case::Person> {
    s.people
        .iter()
        .filter_map(|p| {
            let id = ids.get(&p.name)?;
            Some(quanze_case::Person {
                id: crate::service::person_ref(*id),
                name: p.name.clone(),
                role: quanze_case::Role::from_id(&p.role).unwrap_or(quanze_case::Role::Officer),
                posts: p.posts.clone(),
                certificate: p.certificate.clone(),
                certificate_until: p.certificate_until,
            })
        })
        .collect()
}

/// Electronic supervision of one case on `now`: a sweep over its log (quanze-supervise).
fn case_alerts(
    service: &CaseService,
    view: &crate::service::CaseView,
    people: &[quanze_case::Person],
    outside: Option<&quanze_supervise::OutsideRecords>,
    now: Date,
) -> Vec<quanze_supervise::Alert> {
    let calendar = service.calendar();
    let ctx = quanze_case::CaseContext {
        procedure: &view.procedure,
        people,
        calendar: &calendar,
        config: service.config(),
        law: quanze_law::registry(),
    };
    let clauses =
        quanze_supervise::classify_item(quanze_supervise::ClauseRules::builtin(), &view.procedure.item);
    let config = quanze_supervise::SuperviseConfig::default();
    let rc = quanze_supervise::RuleContext { case: &ctx, config: &config, clauses: &clauses };
    let events: Vec<quanze_case::CaseEvent> = view.events.iter().map(|e| e.event.clone()).collect();
    let mut watch = quanze_supervise::CaseWatch::fold(&rc, &events);
    if let Some(o) = outside {
        watch.set_outside(o.clone());
    }
    watch.alerts(&rc, now)
}

fn expect_text(e: &super::file::AlertExpect) -> String {
    match e.level {
        Some(l) => format!("{}:{}", e.rule.id(), l.id()),
        None => e.rule.id().to_string(),
    }
}

/// An alert in the scenario output: the contract's keys (`rule`, `level`, `clause`,
/// `clause_seq`, `articles`, `at`, `events`), then the rule's label, the message, the key and
/// whether it rests on an UNVERIFIED figure. Person ids in the message are not rewritten:
/// messages name people by name already.
fn alert_json(a: &quanze_supervise::Alert, _names: &BTreeMap<String, String>) -> serde_json::Value {
    serde_json::json!({
        "rule": a.rule.id(),
        "level": a.level.id(),
        "clause": a.clause,
        "clause_seq": a.clause_seq,
        "articles": a.articles,
        "at": a.at,
        "events": a.events,
        "label": a.label,
        "message": a.message,
        "key": a.key,
        "unverified": a.unverified,
    })
}

fn refusal_out(r: quanze_case::Refusal) -> RefusalOut {
    RefusalOut { code: r.code, articles: r.articles, message: r.message }
}

/// Play one step: the result, and the refusals a legacy step (补录) bypassed.
async fn play(
    service: &CaseService,
    ctx: &Context,
    catalog: &Catalog,
    cases: &mut BTreeMap<String, CaseId>,
    st: &Step,
    cmd: Command,
) -> Result<(ActResult, Vec<quanze_case::Refusal>), RunError> {
    if let Some(id) = cases.get(&st.case) {
        if st.legacy {
            return Ok(service.record_legacy(*id, cmd).await?);
        }
        return Ok((service.act(*id, cmd).await?, Vec::new()));
    }
    Ok((open(service, ctx, catalog, cases, st, cmd).await?, Vec::new()))
}

/// A step on a case not yet opened: `open` creates it (a legacy `open` too: the first event
/// is decided as always), any other action is refused.
async fn open(
    service: &CaseService,
    ctx: &Context,
    catalog: &Catalog,
    cases: &mut BTreeMap<String, CaseId>,
    st: &Step,
    cmd: Command,
) -> Result<ActResult, RunError> {
    if st.action != "open" {
        return Ok(ActResult::Refused {
            case: None,
            refusal: quanze_case::Refusal {
                code: "case_not_open".into(),
                articles: Vec::new(),
                message: format!(
                    "案件“{}”尚未登记（没有成功的 open 步骤），无法办理「{}」",
                    st.case, st.action
                ),
                ..quanze_case::Refusal::of("case_not_open", "")
            },
        });
    }
    let pos = st.item.as_ref().and_then(|sel| find_item(catalog, sel));
    let Some(item) = pos.and_then(|p| ctx.item_ids.get(p)).copied() else {
        return Err(ScenarioError::at(Some(st.line), format!("第 {} 步：清单中没有该事项", st.n)).into());
    };
    let label = free_label(service.store(), ctx.bureau, &st.case).await?;
    let result = service.open_case(ctx.bureau, ctx.version, item, &label, cmd).await?;
    if let ActResult::Applied { case, .. } = &result {
        cases.insert(st.case.clone(), *case);
    }
    Ok(result)
}
