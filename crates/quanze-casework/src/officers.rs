//! Officers at work: who is asking ([`Officer`]), the access policy applied before the
//! engine ([`CaseService::act_as`], [`CaseService::read_case`]), assignments, the read log,
//! a case's particulars and its documents.
//!
//! Every read of a case, its documents or its file is recorded before anything is returned,
//! and a refused attempt is recorded too (个人信息保护法). Refusals of the policy are
//! [`CaseworkError::Forbidden`] with the code, articles and Chinese message of
//! [`quanze_case::AccessRefusal`]: the server answers them 403 problem+json.

use quanze_case::{CaseAccess, Command, Role, Viewer};
use quanze_model::{ChinaTime, Date};
use quanze_store::{
    AssignmentDuty, BureauId, CaseId, CaseRecord, DeadlineRow, DeadlineStatus, DocumentId, ItemId, NewRead,
    Paged, PersonRole, ReadFilter, ReadPurpose, ReadRecord, User, VersionId,
};

pub use crate::officer::Officer;
use crate::officer::person_ref;
use crate::service::{ActResult, CaseService, CaseView, CaseworkError, Result};

/// Unix seconds of a China-time minute of `date` (`None`: midnight).
pub fn unix_seconds(date: Date, minute: Option<u16>) -> i64 {
    date.days_since_epoch() * 86_400 + i64::from(minute.unwrap_or(0)) * 60 - 8 * 3600
}

fn stamp(at: ChinaTime) -> i64 {
    unix_seconds(at.date, Some(at.minute))
}

pub(crate) fn engine_role(r: PersonRole) -> Role {
    match r {
        PersonRole::Officer => Role::Officer,
        PersonRole::Leader => Role::Leader,
        PersonRole::LegalReviewer => Role::LegalReviewer,
        PersonRole::Supervisor => Role::Supervisor,
        PersonRole::Clerk => Role::Clerk,
    }
}

/// A case in a person's list (我的待办), with its open deadlines, nearest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkItem {
    pub case: CaseRecord,
    pub deadlines: Vec<DeadlineRow>,
    /// The nearest open deadline's last day.
    pub next_due: Option<Date>,
}

/// What the policy needs to know about a case.
struct CaseFacts {
    assigned: Vec<String>,
    leaders: std::sync::Arc<Vec<String>>,
    awaiting_review: bool,
}

impl CaseService {
    /// The officer behind a logged-in account: the person linked to it, if any.
    pub async fn officer_for_user(&self, user: &User) -> Result<Officer> {
        let person = self.store().person_for_user(user.id).await?;
        Ok(Officer { user: Some(user.id), person, admin: user.is_admin() })
    }

    async fn case_facts(&self, record: &CaseRecord) -> Result<CaseFacts> {
        let assigned = self
            .store()
            .assignments(record.id)
            .await?
            .into_iter()
            .filter(|a| a.ended_at.is_none())
            .map(|a| person_ref(a.person))
            .collect();
        let leaders = self.leaders_of(record.bureau).await?;
        let awaiting_review = quanze_case::procedure(&record.procedure)
            .is_some_and(|p| p.allows(&record.state, "legal_review").is_some());
        Ok(CaseFacts { assigned, leaders, awaiting_review })
    }

    fn viewer<'a>(officer: &'a Officer, id: Option<&'a str>) -> Viewer<'a> {
        Viewer {
            person: id,
            role: officer.person.as_ref().map(|p| engine_role(p.role)),
            posts: officer.person.as_ref().map(|p| p.posts.as_slice()).unwrap_or(&[]),
            bureau: officer.person.as_ref().and_then(|p| p.bureau.map(|b| b.0)),
            retired: officer.person.as_ref().is_some_and(|p| p.retired_at.is_some()),
            admin: officer.admin,
        }
    }

    async fn case_record(&self, case: CaseId) -> Result<CaseRecord> {
        self.store()
            .case(case)
            .await?
            .ok_or_else(|| CaseworkError::NotFound(format!("案件 {} 不存在", case.0)))
    }

    /// Check that `officer` may read `case`, recording the read (or the refused attempt)
    /// before anything is returned.
    pub async fn check_read(
        &self,
        officer: &Officer,
        case: CaseId,
        purpose: ReadPurpose,
        detail: &str,
        at: ChinaTime,
    ) -> Result<CaseRecord> {
        let record = self.case_record(case).await?;
        let facts = self.case_facts(&record).await?;
        let id = officer.person_ref();
        let viewer = Self::viewer(officer, id.as_deref());
        let access = CaseAccess {
            bureau: record.bureau.0,
            assigned: &facts.assigned,
            leaders: &facts.leaders,
            awaiting_review: facts.awaiting_review,
        };
        let verdict = self.access.may_read(&viewer, &access);
        self.store()
            .record_read(&NewRead {
                case: Some(case),
                person: officer.person.as_ref().map(|p| p.id),
                user: officer.user,
                at: stamp(at),
                purpose,
                detail: detail.to_string(),
                allowed: verdict.is_ok(),
                refusal_code: verdict.as_ref().err().map(|r| r.code.clone()),
            })
            .await?;
        match verdict {
            Ok(_) => Ok(record),
            Err(r) => Err(CaseworkError::Forbidden(r)),
        }
    }

    /// A case page for `officer`: access checked, the read recorded, then the view (events,
    /// deadlines on `at`'s day). A refusal is recorded too and answered
    /// [`CaseworkError::Forbidden`].
    pub async fn read_case(&self, officer: &Officer, case: CaseId, at: ChinaTime) -> Result<CaseView> {
        self.check_read(officer, case, ReadPurpose::Case, "", at).await?;
        self.view(case, at.date).await
    }

    /// Check that `officer` may take `action` on the case with the people `by`.
    pub async fn check_act_with(
        &self,
        officer: &Officer,
        record: &CaseRecord,
        action: &str,
        by: &[String],
    ) -> Result<()> {
        let facts = self.case_facts(record).await?;
        let people = self.engine_people(record.bureau).await?;
        let mut roles: Vec<(&str, Role)> = Vec::with_capacity(by.len());
        for id in by {
            match people.iter().find(|p| &p.id == id) {
                Some(p) => roles.push((id.as_str(), p.role)),
                None => return Err(CaseworkError::Invalid(format!("办理人员 {id} 不是本局人员"))),
            }
        }
        let id = officer.person_ref();
        let viewer = Self::viewer(officer, id.as_deref());
        let access = CaseAccess {
            bureau: record.bureau.0,
            assigned: &facts.assigned,
            leaders: &facts.leaders,
            awaiting_review: facts.awaiting_review,
        };
        self.access.may_act(&viewer, &access, action, &roles).map(|_| ()).map_err(CaseworkError::Forbidden)
    }

    /// Whether `officer` works on the case (assigned, or a leader of its bureau): for what is
    /// not an engine action (particulars, publication).
    pub(crate) async fn check_act(&self, officer: &Officer, case: CaseId, what: &str) -> Result<CaseRecord> {
        let record = self.case_record(case).await?;
        let me = officer.person_ref().unwrap_or_default();
        let by = if me.is_empty() { Vec::new() } else { vec![me] };
        // "investigate" carries no approval gate: the check is only "on the case or leader".
        match self.check_act_with(officer, &record, "investigate", &by).await {
            Ok(()) => Ok(record),
            Err(CaseworkError::Forbidden(mut r)) => {
                r.message = format!("{what}：{}", r.message);
                Err(CaseworkError::Forbidden(r))
            }
            Err(e) => Err(e),
        }
    }

    /// Act on a case as `officer`: the access policy first (assigned, leader approval, legal
    /// reviewer), then the engine's guards. `cmd.by` must include the officer. A refusal of
    /// the policy is [`CaseworkError::Forbidden`]; a refusal of the law is
    /// [`ActResult::Refused`], as with [`CaseService::act`].
    pub async fn act_as(&self, officer: &Officer, case: CaseId, cmd: Command) -> Result<ActResult> {
        self.act_checked(case, cmd, officer).await
    }

    /// Open a case as `officer` (an officer, clerk or leader of the bureau); the people of
    /// `cmd.by` who are officers or clerks are assigned to it as 承办人.
    pub async fn open_case_as(
        &self,
        officer: &Officer,
        bureau: BureauId,
        version: VersionId,
        item: ItemId,
        label: &str,
        cmd: Command,
    ) -> Result<ActResult> {
        let refuse = |code: &str, message: &str| {
            CaseworkError::Forbidden(quanze_case::AccessRefusal {
                code: code.into(),
                articles: Vec::new(),
                message: message.into(),
                unverified: false,
            })
        };
        let Some(person) = &officer.person else {
            return Err(refuse("access_not_a_person", "该账号未关联办案人员，不能立卷"));
        };
        if person.retired_at.is_some() {
            return Err(refuse("access_retired", "该人员已离岗，不能立卷"));
        }
        if person.bureau != Some(bureau) {
            return Err(refuse("access_other_bureau", "只能在本局的事项下立卷"));
        }
        if matches!(person.role, PersonRole::Supervisor | PersonRole::LegalReviewer) {
            return Err(refuse("access_role_cannot_open", "监督人员和法制审核人员不能立卷"));
        }
        let me = person_ref(person.id);
        if !cmd.by.contains(&me) {
            return Err(refuse("access_not_acting", "办理人员中应包括您本人：不能以他人名义办理"));
        }
        let by = cmd.by.clone();
        let at = stamp(ChinaTime { date: cmd.at.date, minute: cmd.at.minute.unwrap_or(0) });
        let result = self.open_case(bureau, version, item, label, cmd).await?;
        if let ActResult::Applied { case, .. } = &result {
            let people = self.store().people(Some(bureau)).await?;
            for id in &by {
                if let Some(p) = people.iter().find(|p| &person_ref(p.id) == id)
                    && matches!(p.role, PersonRole::Officer | PersonRole::Clerk)
                {
                    self.store().assign(*case, p.id, AssignmentDuty::Handler, Some(person.id), at).await?;
                }
            }
        }
        Ok(result)
    }

    /// Put a person on a case: only a leader of the case's bureau assigns.
    pub async fn assign(
        &self,
        officer: &Officer,
        case: CaseId,
        person: quanze_store::PersonId,
        duty: AssignmentDuty,
        at: ChinaTime,
    ) -> Result<quanze_store::Assignment> {
        let record = self.case_record(case).await?;
        self.require_leader_of(officer, record.bureau, "分配案件")?;
        Ok(self.store().assign(case, person, duty, officer.person.as_ref().map(|p| p.id), stamp(at)).await?)
    }

    /// Take a person off a case: only a leader of the case's bureau.
    pub async fn unassign(
        &self,
        officer: &Officer,
        case: CaseId,
        person: quanze_store::PersonId,
        at: ChinaTime,
    ) -> Result<u64> {
        let record = self.case_record(case).await?;
        self.require_leader_of(officer, record.bureau, "调整案件承办人")?;
        Ok(self.store().unassign(case, person, officer.person.as_ref().map(|p| p.id), stamp(at)).await?)
    }

    fn require_leader_of(&self, officer: &Officer, bureau: BureauId, what: &str) -> Result<()> {
        let ok = officer.person.as_ref().is_some_and(|p| {
            p.role == PersonRole::Leader && p.bureau == Some(bureau) && p.retired_at.is_none()
        });
        if ok {
            Ok(())
        } else {
            Err(CaseworkError::Forbidden(quanze_case::AccessRefusal {
                code: "access_needs_leader".into(),
                articles: Vec::new(),
                message: format!("{what}须由本局负责人办理"),
                unverified: false,
            }))
        }
    }

    /// The read log for supervisors (by case, person and time span; refused attempts only
    /// with `refused_only`). Only supervisors query it.
    pub async fn reads(&self, officer: &Officer, filter: &ReadFilter) -> Result<Paged<ReadRecord>> {
        let ok = officer
            .person
            .as_ref()
            .is_some_and(|p| p.role == PersonRole::Supervisor && p.retired_at.is_none());
        if !ok {
            return Err(CaseworkError::Forbidden(quanze_case::AccessRefusal {
                code: "access_supervisor_only".into(),
                articles: Vec::new(),
                message: "查阅记录仅供监督人员查看".into(),
                unverified: false,
            }));
        }
        Ok(self.store().reads(filter).await?)
    }

    /// Record a case's particulars (当事人, facts…: a JSON object) as someone on the case.
    pub async fn set_particulars(
        &self,
        officer: &Officer,
        case: CaseId,
        particulars: &serde_json::Value,
        at: ChinaTime,
    ) -> Result<()> {
        if !particulars.is_object() {
            return Err(CaseworkError::Invalid("案件信息应为对象（当事人、案情等）".into()));
        }
        self.check_act(officer, case, "填写案件信息").await?;
        self.store()
            .set_particulars(case, &particulars.to_string(), officer.person.as_ref().map(|p| p.id), stamp(at))
            .await?;
        Ok(())
    }

    /// A case's particulars, read as a case read (recorded).
    pub async fn particulars(
        &self,
        officer: &Officer,
        case: CaseId,
        at: ChinaTime,
    ) -> Result<Option<serde_json::Value>> {
        self.check_read(officer, case, ReadPurpose::Case, "案件信息", at).await?;
        match self.store().particulars(case).await? {
            None => Ok(None),
            Some(p) => serde_json::from_str(&p.body)
                .map(Some)
                .map_err(|e| CaseworkError::Corrupt(format!("案件 {} 的案件信息：{e}", case.0))),
        }
    }

    /// A case's documents (titles and 文号), read as a case read.
    pub async fn case_documents(
        &self,
        officer: &Officer,
        case: CaseId,
        at: ChinaTime,
    ) -> Result<Vec<quanze_store::StoredDocument>> {
        self.check_read(officer, case, ReadPurpose::Case, "文书目录", at).await?;
        let docs = self.store().case_documents(case).await?;
        Ok(match self.documents() {
            Some(set) => set.dossier_order(&docs).into_iter().cloned().collect(),
            None => docs,
        })
    }

    /// One document as a printable page; the read is recorded with the 文号.
    pub async fn document_html(&self, officer: &Officer, id: DocumentId, at: ChinaTime) -> Result<String> {
        let doc = self
            .store()
            .document(id)
            .await?
            .ok_or_else(|| CaseworkError::NotFound(format!("文书 {} 不存在", id.0)))?;
        let detail = format!("{} {}", doc.title, doc.doc_no.as_deref().unwrap_or(""));
        self.check_read(officer, doc.case, ReadPurpose::Document, detail.trim(), at).await?;
        let set = self.documents().ok_or_else(|| CaseworkError::Invalid("未配置文书模板".into()))?;
        Ok(set.render(&doc)?)
    }

    /// A case's documents as one printable file (一案一卷); the read is recorded.
    pub async fn dossier_html(&self, officer: &Officer, case: CaseId, at: ChinaTime) -> Result<String> {
        let record = self.check_read(officer, case, ReadPurpose::Dossier, "一案一卷", at).await?;
        let set = self.documents().ok_or_else(|| CaseworkError::Invalid("未配置文书模板".into()))?;
        let docs = self.store().case_documents(case).await?;
        let item = self.store().item(record.item).await?;
        let item_name = item.map(|i| i.item.name).unwrap_or_default();
        let bureau = self.bureau_name(record.bureau).await?;
        Ok(set.render_dossier(&record.label, &item_name, &bureau, &docs, at.date)?)
    }

    /// 我的待办: the cases `officer` is on now, the nearest open deadline first (cases
    /// without one last). Leaders get every open case of their bureau.
    pub async fn work_list(&self, officer: &Officer) -> Result<Vec<WorkItem>> {
        let Some(person) = &officer.person else { return Ok(Vec::new()) };
        let ids: Vec<CaseId> = if person.role == PersonRole::Leader {
            let Some(b) = person.bureau else { return Ok(Vec::new()) };
            let filter =
                quanze_store::CaseFilter { bureau: Some(b), state: None, page: quanze_store::Page::all() };
            self.store().cases(&filter).await?.rows.into_iter().map(|c| c.id).collect()
        } else {
            self.store().cases_of_person(person.id).await?
        };
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let Some(case) = self.store().case(id).await? else { continue };
            if quanze_case::procedure(&case.procedure).is_some_and(|p| p.is_terminal(&case.state)) {
                continue;
            }
            let deadlines = self.store().deadlines(id).await?;
            let next_due =
                deadlines.iter().filter(|d| d.status == DeadlineStatus::Open).filter_map(|d| d.due).min();
            out.push(WorkItem { case, deadlines, next_due });
        }
        out.sort_by_key(|w| (w.next_due.is_none(), w.next_due, w.case.id));
        Ok(out)
    }
}
