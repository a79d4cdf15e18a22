//! [`CaseService`]: load a case, fold it, ask the engine, chain what it answers, append it.
//!
//! The service keeps each case it has touched folded in memory (its procedure, its state, its
//! head) so that an action costs one engine decision and one append, not a re-read of the log.
//! The store stays the truth: an append carries the head the service folded, and when another
//! process moved it (`StaleHead`) the case is re-read and the command decided again against the
//! new state, so two actions never both apply against the same state.

use std::collections::HashMap;
use std::sync::{Arc, Mutex as StdMutex, RwLock};
use std::time::{Duration, Instant};

use quanze_calendar::{Calendar, YearNotice};
use quanze_case::{
    CaseContext, CaseEvent, CaseState, Command, DeadlineState, DeadlineStatus, EngineConfig, Finding,
    ItemProcedure, Outcome, Refusal, Role,
};
use quanze_model::Date;
use quanze_store::{
    AppendRequest, BureauId, CaseId, CaseRecord, DeadlineRow, ItemId, NewCase, NewEvent, PersonRole, Store,
    StoreError, VersionId,
};
use tokio::sync::Mutex;

/// Why the service could not do what it was asked (not a refusal: those are answers).
#[derive(Debug, thiserror::Error)]
pub enum CaseworkError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A case, item or person that does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The stored log does not read back as events (see `quanze cases verify`).
    #[error("案件记录无法读取：{0}")]
    Corrupt(String),
    /// Another writer kept moving the case's head.
    #[error("案件 {0} 正被并发修改，请重试")]
    Busy(i64),
    /// The access policy refuses (案件权限): a 403 with its code, articles and message.
    #[error("{}", .0.message)]
    Forbidden(quanze_case::AccessRefusal),
    /// The document templates or their configuration are broken.
    #[error(transparent)]
    Documents(#[from] crate::documents::DocumentError),
    /// The caller's input cannot be used (a blank reason, an unknown person…); Chinese.
    #[error("{0}")]
    Invalid(String),
}

pub type Result<T> = std::result::Result<T, CaseworkError>;

/// What runs once an append is durable: electronic supervision's rules (`supervision.rs`).
/// The events are committed by then, so the hook reports its own failures.
pub trait AfterAppend: Send + Sync {
    fn appended<'a>(
        &'a self,
        service: &'a CaseService,
        case: CaseId,
        events: &'a [SealedEvent],
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + 'a>>;
    fn as_any(self: Arc<Self>) -> Arc<dyn std::any::Any + Send + Sync>;
}

/// What an action came to.
#[derive(Debug, Clone)]
pub enum ActResult {
    /// Appended (durable) or, for `check`, nothing to append; with the documents the events
    /// issued (numbered in the same transaction) and the case's procedure and state after it
    /// (ids), so that an answer needs no read-back.
    Applied {
        case: CaseId,
        events: Vec<SealedEvent>,
        documents: Vec<quanze_store::StoredDocument>,
        procedure: String,
        state: String,
    },
    /// Refused: nothing changed.
    Refused { case: Option<CaseId>, refusal: Refusal },
}

/// An event with its place in the chain.
#[derive(Debug, Clone)]
pub struct SealedEvent {
    pub event: CaseEvent,
    pub prev_hash: String,
    pub hash: String,
}

/// A case as read for display: its row, its item procedure, its state, its log and its
/// deadlines on a given day.
#[derive(Debug, Clone)]
pub struct CaseView {
    pub record: CaseRecord,
    pub procedure: Arc<ItemProcedure>,
    pub findings: Vec<Finding>,
    pub state: CaseState,
    pub events: Vec<SealedEvent>,
    pub deadlines: Vec<DeadlineStatus>,
}

/// What is kept of a case between actions.
struct Loaded {
    record: CaseRecord,
    procedure: Arc<ItemProcedure>,
    findings: Vec<Finding>,
    state: CaseState,
    /// The deadline rows last written, when known: an append whose deadlines did not change
    /// leaves the table alone (most actions start or stop no deadline).
    deadlines: Option<Vec<DeadlineRow>>,
}

/// Cases over the store. Cheap to share behind an `Arc`; all methods take `&self`.
pub struct CaseService {
    store: Store,
    calendar: RwLock<Arc<Calendar>>,
    config: EngineConfig,
    cases: StdMutex<HashMap<CaseId, Arc<Mutex<Option<Loaded>>>>>,
    people: StdMutex<HashMap<BureauId, BureauPeople>>,
    /// `Some`: applied events issue their documents ([`CaseService::set_documents`]).
    documents: RwLock<Option<Arc<crate::documents::DocumentSet>>>,
    pub(crate) access: quanze_case::AccessRules,
    pub(crate) publication: crate::publication_config::PublicationConfig,
    bureau_names: StdMutex<HashMap<BureauId, String>>,
    after_append: RwLock<Option<Arc<dyn AfterAppend>>>,
}

/// A bureau's people as last read ([`CaseService::people_of`]).
#[derive(Clone)]
struct BureauPeople {
    /// As the engine sees them: the bureau's own and those of no bureau, retired ones too.
    engine: Arc<Vec<quanze_case::Person>>,
    /// The bureau's leaders in office (their ids), who read and approve its cases.
    leaders: Arc<Vec<String>>,
    read_at: Instant,
}

/// How long a bureau's people are used as read. A change made through this service
/// ([`CaseService::people_changed`]) is seen at once; one made by another process sharing the
/// database (a second server, the command line) within this time.
pub const PEOPLE_FRESH: Duration = Duration::from_secs(2);

/// Attempts at one action when other processes keep moving the head. Each attempt re-reads
/// the case, so a writer that loses a race always makes progress against the new state.
const MAX_ATTEMPTS: usize = 64;

fn engine_role(r: PersonRole) -> Role {
    match r {
        PersonRole::Officer => Role::Officer,
        PersonRole::Leader => Role::Leader,
        PersonRole::LegalReviewer => Role::LegalReviewer,
        PersonRole::Supervisor => Role::Supervisor,
        PersonRole::Clerk => Role::Clerk,
    }
}

pub use crate::officer::person_ref;

fn deadline_rows(ds: &[DeadlineStatus]) -> Vec<DeadlineRow> {
    ds.iter()
        .map(|d| DeadlineRow {
            name: d.name.clone(),
            due: d.due,
            counting: counting_id(d),
            articles: d.articles.clone(),
            status: match d.status {
                DeadlineState::Open => quanze_store::DeadlineStatus::Open,
                DeadlineState::Met => quanze_store::DeadlineStatus::Met,
                DeadlineState::Missed => quanze_store::DeadlineStatus::Missed,
                DeadlineState::Error => quanze_store::DeadlineStatus::Error,
            },
            error: d.error.clone(),
        })
        .collect()
}

/// `working` / `calendar`, as the contract prints it.
pub fn counting_id(d: &DeadlineStatus) -> String {
    match d.counting {
        quanze_calendar::Counting::Working => "working".into(),
        quanze_calendar::Counting::Calendar => "calendar".into(),
    }
}

fn seal(prev_hash: &str, event: CaseEvent) -> (SealedEvent, NewEvent) {
    let stored = quanze_case::StoredEvent::seal(prev_hash, &event);
    let body = String::from_utf8_lossy(&stored.body).into_owned();
    let new = NewEvent {
        seq: event.seq,
        at: event.at.to_string(),
        actors: event.by.clone(),
        action: event.action.id().to_string(),
        body,
        prev_hash: stored.prev_hash.clone(),
        hash: stored.hash.clone(),
    };
    (SealedEvent { event, prev_hash: stored.prev_hash, hash: stored.hash }, new)
}

fn read_event(row: &quanze_store::StoredEvent) -> Result<SealedEvent> {
    let event: CaseEvent = serde_json::from_str(&row.body)
        .map_err(|e| CaseworkError::Corrupt(format!("案件 {} 第 {} 条记录：{e}", row.case.0, row.seq)))?;
    Ok(SealedEvent { event, prev_hash: row.prev_hash.clone(), hash: row.hash.clone() })
}

impl CaseService {
    /// A service over `store`, with the built-in working-day calendar plus every year an
    /// administrator loaded into the store (a loaded year replaces the built-in one).
    pub async fn new(store: Store) -> Result<CaseService> {
        let mut calendar = Calendar::builtin();
        for y in store.calendar_years().await? {
            let notice = YearNotice::from_json(&y.notice)
                .map_err(|e| CaseworkError::Corrupt(format!("{} 年节假日安排：{e}", y.year)))?;
            calendar.insert(notice);
        }
        Ok(CaseService {
            store,
            calendar: RwLock::new(Arc::new(calendar)),
            config: EngineConfig::default(),
            cases: StdMutex::new(HashMap::new()),
            people: StdMutex::new(HashMap::new()),
            documents: RwLock::new(None),
            access: quanze_case::AccessRules::default(),
            publication: crate::publication_config::PublicationConfig::default(),
            bureau_names: StdMutex::new(HashMap::new()),
            after_append: RwLock::new(None),
        })
    }

    /// Issue documents (文书) with the events that call for them, from now on.
    pub fn set_documents(&self, set: Option<Arc<crate::documents::DocumentSet>>) {
        *self.documents.write().unwrap_or_else(|p| p.into_inner()) = set;
    }

    /// The documents in use, if any.
    pub fn documents(&self) -> Option<Arc<crate::documents::DocumentSet>> {
        self.documents.read().map(|d| d.clone()).unwrap_or_else(|p| p.into_inner().clone())
    }

    /// Run `hook` after every append from now on (`None`: nothing).
    pub fn set_after_append(&self, hook: Option<Arc<dyn AfterAppend>>) {
        *self.after_append.write().unwrap_or_else(|p| p.into_inner()) = hook;
    }

    pub fn after_append(&self) -> Option<Arc<dyn AfterAppend>> {
        self.after_append.read().map(|h| h.clone()).unwrap_or_else(|p| p.into_inner().clone())
    }

    /// Replace the access rules (a bureau's own file, [`quanze_case::AccessRules::from_toml`]).
    pub fn set_access_rules(&mut self, rules: quanze_case::AccessRules) {
        self.access = rules;
    }

    /// Replace the publication settings.
    pub fn set_publication(&mut self, config: crate::publication_config::PublicationConfig) {
        self.publication = config;
    }

    /// A bureau's name (cached).
    pub(crate) async fn bureau_name(&self, bureau: BureauId) -> Result<String> {
        if let Some(n) = self.bureau_names.lock().unwrap_or_else(|p| p.into_inner()).get(&bureau) {
            return Ok(n.clone());
        }
        let b = self
            .store
            .bureau(bureau)
            .await?
            .ok_or_else(|| CaseworkError::NotFound(format!("局 {} 不存在", bureau.0)))?;
        self.bureau_names.lock().unwrap_or_else(|p| p.into_inner()).insert(bureau, b.name.clone());
        Ok(b.name)
    }

    /// The people of a bureau as the engine sees them (cached).
    pub(crate) async fn engine_people(&self, bureau: BureauId) -> Result<Arc<Vec<quanze_case::Person>>> {
        self.people_of(bureau).await
    }

    /// The ids of a bureau's leaders in office (cached with its people).
    pub(crate) async fn leaders_of(&self, bureau: BureauId) -> Result<Arc<Vec<String>>> {
        Ok(self.bureau_people(bureau).await?.leaders)
    }

    /// The documents `events` issue, with their fields frozen now; empty without documents.
    async fn plan_documents(
        &self,
        record: &CaseRecord,
        procedure: &ItemProcedure,
        events: &[SealedEvent],
        state: &CaseState,
        people: &[quanze_case::Person],
    ) -> Result<Vec<quanze_store::NewDocument>> {
        let Some(set) = self.documents() else { return Ok(Vec::new()) };
        let pid = procedure.procedure.id.as_str();
        if events.iter().all(|e| set.types_for(pid, &e.event).is_empty()) {
            return Ok(Vec::new());
        }
        let bureau_name = self.bureau_name(record.bureau).await?;
        let particulars = match self.store.particulars(record.id).await? {
            Some(p) => Some(
                serde_json::from_str::<serde_json::Value>(&p.body)
                    .map_err(|e| CaseworkError::Corrupt(format!("案件 {} 的案件信息：{e}", record.id.0)))?,
            ),
            None => None,
        };
        let opened_on = record
            .opened_at
            .get(..10)
            .and_then(Date::parse)
            .or_else(|| events.first().map(|e| e.event.at.date));
        let mut out = Vec::new();
        for e in events {
            let actors = e
                .event
                .by
                .iter()
                .map(|id| match people.iter().find(|p| &p.id == id) {
                    Some(p) => (p.name.clone(), p.certificate.clone()),
                    None => (id.clone(), None),
                })
                .collect();
            let facts = crate::documents::CaseFacts {
                bureau_name: &bureau_name,
                label: &record.label,
                item_name: &procedure.item.name,
                legal_basis: &procedure.item.legal_basis.text,
                procedure: pid,
                state_label: procedure.procedure.state_label(&state.state),
                opened_on,
                particulars: particulars.as_ref(),
                actors,
            };
            out.extend(set.plan(&facts, &e.event, state));
        }
        Ok(out)
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    /// Replace the engine's configurable figures (local thresholds and the like).
    pub fn set_config(&mut self, config: EngineConfig) {
        self.config = config;
    }

    /// The working-day calendar in force now.
    pub fn calendar(&self) -> Arc<Calendar> {
        self.calendar.read().map(|c| Arc::clone(&c)).unwrap_or_else(|p| Arc::clone(&p.into_inner()))
    }

    /// Save a year's holiday arrangement in the store and use it from now on.
    pub async fn load_year(&self, notice: YearNotice, loaded_by: Option<&str>) -> Result<()> {
        let json =
            notice.to_json().map_err(|e| CaseworkError::Corrupt(format!("节假日安排无法编码：{e}")))?;
        self.store.put_calendar_year(notice.year, &json, loaded_by).await?;
        let mut guard = self.calendar.write().unwrap_or_else(|p| p.into_inner());
        let mut next = Calendar::clone(&guard);
        next.insert(notice);
        *guard = Arc::new(next);
        Ok(())
    }

    /// Forget the cached people of a bureau (after a person is added, changed or retired).
    /// People of no bureau are every bureau's: `None` forgets them all.
    pub fn people_changed(&self, bureau: Option<BureauId>) {
        let mut map = self.people.lock().unwrap_or_else(|p| p.into_inner());
        match bureau {
            Some(b) => {
                map.remove(&b);
            }
            None => map.clear(),
        }
    }

    /// The people the engine sees for a bureau's cases: the bureau's own and those tied to no
    /// bureau. Retired people stay, because past events name them; whether they may still act
    /// is the engine's question (a retired person has no valid certificate after retiring).
    async fn people_of(&self, bureau: BureauId) -> Result<Arc<Vec<quanze_case::Person>>> {
        Ok(self.bureau_people(bureau).await?.engine)
    }

    /// A bureau's people, read again when older than [`PEOPLE_FRESH`].
    async fn bureau_people(&self, bureau: BureauId) -> Result<BureauPeople> {
        if let Some(p) = self.people.lock().unwrap_or_else(|p| p.into_inner()).get(&bureau)
            && p.read_at.elapsed() < PEOPLE_FRESH
        {
            return Ok(p.clone());
        }
        let read_at = Instant::now();
        let mut rows = self.store.people(Some(bureau)).await?;
        rows.extend(self.store.people(None).await?.into_iter().filter(|p| p.bureau.is_none()));
        let leaders: Vec<String> = rows
            .iter()
            .filter(|p| p.bureau == Some(bureau) && p.role == PersonRole::Leader && p.retired_at.is_none())
            .map(|p| person_ref(p.id))
            .collect();
        let people: Vec<quanze_case::Person> = rows
            .into_iter()
            .map(|p| quanze_case::Person {
                id: person_ref(p.id),
                name: p.name,
                role: engine_role(p.role),
                posts: p.posts,
                certificate: if p.retired_at.is_some() { None } else { p.certificate },
                certificate_until: p.certificate_until,
            })
            .collect();
        let entry = BureauPeople { engine: Arc::new(people), leaders: Arc::new(leaders), read_at };
        self.people.lock().unwrap_or_else(|p| p.into_inner()).insert(bureau, entry.clone());
        Ok(entry)
    }

    /// What the engine decides with: the item's procedure, the bureau's people, the calendar
    /// in force, this service's figures and the statute registry.
    fn context<'a>(
        &'a self,
        procedure: &'a ItemProcedure,
        people: &'a [quanze_case::Person],
        calendar: &'a Calendar,
    ) -> CaseContext<'a> {
        CaseContext { procedure, people, calendar, config: &self.config, law: quanze_law::registry() }
    }

    fn slot(&self, case: CaseId) -> Arc<Mutex<Option<Loaded>>> {
        let mut map = self.cases.lock().unwrap_or_else(|p| p.into_inner());
        Arc::clone(map.entry(case).or_insert_with(|| Arc::new(Mutex::new(None))))
    }

    async fn item_procedure(
        &self,
        version: VersionId,
        item: ItemId,
    ) -> Result<(ItemProcedure, Vec<Finding>)> {
        let stored = self
            .store
            .item(item)
            .await?
            .ok_or_else(|| CaseworkError::NotFound(format!("事项 {} 不存在", item.0)))?;
        let (p, findings) = ItemProcedure::for_item(&stored.item);
        Ok((p.with_version(&version.0.to_string()), findings))
    }

    async fn load(&self, case: CaseId) -> Result<Loaded> {
        self.load_with_events(case).await.map(|(loaded, _)| loaded)
    }

    /// Read a case and fold its log, keeping the events read (for a view, which shows them).
    async fn load_with_events(&self, case: CaseId) -> Result<(Loaded, Vec<SealedEvent>)> {
        let mut record = self
            .store
            .case(case)
            .await?
            .ok_or_else(|| CaseworkError::NotFound(format!("案件 {} 不存在", case.0)))?;
        let (procedure, findings) = self.item_procedure(record.version, record.item).await?;
        let events =
            self.store.case_events(case).await?.iter().map(read_event).collect::<Result<Vec<_>>>()?;
        let mut state = CaseState::new();
        for e in &events {
            state.apply(&e.event);
        }
        // The head is the last event read, not the row read before it: another process may
        // have appended in between, and the append's head check must match the fold.
        if let Some(last) = events.last() {
            record.head_seq = last.event.seq;
            record.head_hash.clone_from(&last.hash);
            record.state.clone_from(&state.state);
        }
        let loaded = Loaded { record, procedure: Arc::new(procedure), findings, state, deadlines: None };
        Ok((loaded, events))
    }

    /// Open a case under an item of a stored list version: the engine decides the `open`
    /// command against a case that does not exist yet.
    pub async fn open_case(
        &self,
        bureau: BureauId,
        version: VersionId,
        item: ItemId,
        label: &str,
        cmd: Command,
    ) -> Result<ActResult> {
        let (procedure, findings) = self.item_procedure(version, item).await?;
        let people = self.people_of(bureau).await?;
        let calendar = self.calendar();
        let ctx = self.context(&procedure, &people, &calendar);
        let state = CaseState::new();
        let events = match quanze_case::decide(&ctx, &state, &cmd) {
            Outcome::Refused { refusal } => return Ok(ActResult::Refused { case: None, refusal }),
            Outcome::Applied { events } => events,
        };
        let mut next = state;
        let mut prev = quanze_case::GENESIS.to_string();
        let mut sealed = Vec::new();
        let mut rows = Vec::new();
        for e in events {
            next.apply(&e);
            let (s, row) = seal(&prev, e);
            prev.clone_from(&s.hash);
            sealed.push(s);
            rows.push(row);
        }
        let deadlines = deadline_rows(&quanze_case::deadlines(&ctx, &next, cmd.at.date));
        let record = self
            .store
            .create_case(&NewCase {
                bureau,
                version,
                item,
                item_seq: procedure.item.seq,
                procedure: procedure.procedure.id.clone(),
                label: label.to_string(),
                opened_at: cmd.at.to_string(),
                state: next.state.clone(),
                events: rows,
                deadlines: deadlines.clone(),
            })
            .await?;
        let case = record.id;
        let (procedure_id, state) = (record.procedure.clone(), next.state.clone());
        *self.slot(case).lock().await = Some(Loaded {
            record,
            procedure: Arc::new(procedure),
            findings,
            state: next,
            deadlines: Some(deadlines),
        });
        if let Some(hook) = self.after_append() {
            hook.appended(self, case, &sealed).await;
        }
        Ok(ActResult::Applied { case, events: sealed, documents: Vec::new(), procedure: procedure_id, state })
    }

    /// Act on a case. A refusal is an answer (`ActResult::Refused`); an error is a failure
    /// of the store or a corrupt log.
    pub async fn act(&self, case: CaseId, cmd: Command) -> Result<ActResult> {
        self.act_or_record(case, cmd, false, None).await.map(|(result, _)| result)
    }

    /// 补录: record an act on a case that already happened outside quanze (a legacy system, a
    /// paper file), as it happened: the engine's guards are not applied (`quanze_case::record`)
    /// and the refusals they would have given are returned beside the result, so that electronic
    /// supervision flags what the record shows. For the scenario runner and the import of legacy
    /// records only; the HTTP API never calls it (officers act through [`CaseService::act`]).
    pub async fn record_legacy(
        &self,
        case: CaseId,
        cmd: Command,
    ) -> Result<(ActResult, Vec<quanze_case::Refusal>)> {
        self.act_or_record(case, cmd, true, None).await
    }

    /// [`CaseService::act`], with `officer`'s access checked first against the case as
    /// folded for this attempt: a case already in memory is not read again for the check,
    /// and an attempt decided again after another process's append checks again.
    pub(crate) async fn act_checked(
        &self,
        case: CaseId,
        cmd: Command,
        officer: &crate::officer::Officer,
    ) -> Result<ActResult> {
        self.act_or_record(case, cmd, false, Some(officer)).await.map(|(result, _)| result)
    }

    async fn act_or_record(
        &self,
        case: CaseId,
        cmd: Command,
        legacy: bool,
        officer: Option<&crate::officer::Officer>,
    ) -> Result<(ActResult, Vec<quanze_case::Refusal>)> {
        let slot = self.slot(case);
        let mut guard = slot.lock().await;
        for _ in 0..MAX_ATTEMPTS {
            if guard.is_none() {
                *guard = Some(self.load(case).await?);
            }
            let Some(loaded) = guard.as_mut() else { continue };
            if let Some(officer) = officer {
                self.check_act_with(officer, &loaded.record, cmd.action.id(), &cmd.by).await?;
            }
            let people = self.people_of(loaded.record.bureau).await?;
            let calendar = self.calendar();
            let ctx = self.context(&loaded.procedure, &people, &calendar);
            let (outcome, bypassed) = if legacy {
                let r = quanze_case::record(&ctx, &loaded.state, &cmd);
                (r.outcome, r.bypassed)
            } else {
                (quanze_case::decide(&ctx, &loaded.state, &cmd), Vec::new())
            };
            let events = match outcome {
                Outcome::Refused { refusal } => {
                    return Ok((ActResult::Refused { case: Some(case), refusal }, bypassed));
                }
                Outcome::Applied { events } => events,
            };
            if events.is_empty() {
                return Ok((
                    ActResult::Applied {
                        case,
                        events: Vec::new(),
                        documents: Vec::new(),
                        procedure: loaded.record.procedure.clone(),
                        state: loaded.record.state.clone(),
                    },
                    bypassed,
                ));
            }
            let mut next = loaded.state.clone();
            let mut prev = loaded.record.head_hash.clone();
            let mut sealed = Vec::with_capacity(events.len());
            let mut rows = Vec::with_capacity(events.len());
            for e in events {
                next.apply(&e);
                let (s, row) = seal(&prev, e);
                prev.clone_from(&s.hash);
                sealed.push(s);
                rows.push(row);
            }
            let deadlines = deadline_rows(&quanze_case::deadlines(&ctx, &next, cmd.at.date));
            let changed = loaded.deadlines.as_ref() != Some(&deadlines);
            let documents =
                self.plan_documents(&loaded.record, &loaded.procedure, &sealed, &next, &people).await?;
            let req = AppendRequest {
                case_id: case,
                expected_head_seq: loaded.record.head_seq,
                events: rows,
                new_state: next.state.clone(),
                deadlines: changed.then(|| deadlines.clone()),
                documents,
            };
            match self.store.append_events(req).await {
                Ok(out) => {
                    loaded.record.head_seq = out.head_seq;
                    loaded.record.head_hash = out.head_hash;
                    loaded.record.state.clone_from(&next.state);
                    loaded.state = next;
                    loaded.deadlines = Some(deadlines);
                    let documents = out.documents;
                    // Publication follows the decision in its own transaction: a failure here
                    // leaves a decision without its record, which `publish_missing` recreates.
                    self.publish_decisions(&loaded.record, &sealed, &documents).await?;
                    if let Some(hook) = self.after_append() {
                        hook.appended(self, case, &sealed).await;
                    }
                    let (procedure, state) = (loaded.record.procedure.clone(), loaded.record.state.clone());
                    return Ok((
                        ActResult::Applied { case, events: sealed, documents, procedure, state },
                        bypassed,
                    ));
                }
                // Another process acted first: read the case again and decide anew.
                Err(StoreError::StaleHead { .. }) => {
                    *guard = None;
                    tokio::task::yield_now().await;
                }
                Err(e) => {
                    // The outcome of a failed commit is unknown to this cache: re-read next time.
                    *guard = None;
                    return Err(e.into());
                }
            }
        }
        Err(CaseworkError::Busy(case.0))
    }

    /// A case with its log and its deadlines on `now`.
    pub async fn view(&self, case: CaseId, now: Date) -> Result<CaseView> {
        let (loaded, events) = self.load_with_events(case).await?;
        let people = self.people_of(loaded.record.bureau).await?;
        let calendar = self.calendar();
        let ctx = self.context(&loaded.procedure, &people, &calendar);
        let deadlines = quanze_case::deadlines(&ctx, &loaded.state, now);
        Ok(CaseView {
            record: loaded.record,
            procedure: loaded.procedure,
            findings: loaded.findings,
            state: loaded.state,
            events,
            deadlines,
        })
    }

    /// The poller: re-evaluate, on `today`, every case that has an open deadline due on or
    /// before it (so deadlines that passed while quanze was stopped are found on the next
    /// start), and store the statuses that changed.
    pub async fn sweep(&self, today: Date) -> Result<SweepReport> {
        let due = self.store.due_deadlines(today).await?;
        let mut cases: Vec<CaseId> = due.iter().map(|d| d.case).collect();
        cases.sort_by_key(|c| c.0);
        cases.dedup();
        let mut report = SweepReport { cases: cases.len(), ..SweepReport::default() };
        for case in cases {
            let loaded = self.load(case).await?;
            let people = self.people_of(loaded.record.bureau).await?;
            let calendar = self.calendar();
            let ctx = self.context(&loaded.procedure, &people, &calendar);
            let rows = deadline_rows(&quanze_case::deadlines(&ctx, &loaded.state, today));
            if rows == self.store.deadlines(case).await? {
                continue;
            }
            match self.store.update_deadlines(case, loaded.record.head_seq, &rows).await {
                Ok(()) => {
                    report.updated += 1;
                    report.missed +=
                        rows.iter().filter(|r| r.status == quanze_store::DeadlineStatus::Missed).count();
                }
                // An action was appended meanwhile, with deadlines of its own.
                Err(StoreError::StaleHead { .. }) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(report)
    }
}

/// What one sweep of the deadline table did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct SweepReport {
    /// Cases with an open deadline due on or before the day.
    pub cases: usize,
    /// Cases whose stored deadlines changed.
    pub updated: usize,
    /// Missed deadlines among the updated cases.
    pub missed: usize,
}
