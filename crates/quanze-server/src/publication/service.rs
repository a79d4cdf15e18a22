//! 行政执法公示 on the public portal: published decisions per bureau, newest first, as
//! `quanze_casework::publication` recorded them (a natural person's name and identifiers
//! already masked when the record was made, masked again here on the way out), and their
//! retraction (行政处罚法 第四十八条第二款) by a leader of the case's bureau. No axum.
//!
//! What the public never sees: a decision not yet published, and the content of a retracted
//! one. A retracted one answers only that it was retracted, when, and why (the article
//! requires the reason to be made public: "撤回行政处罚决定信息并公开说明理由"); its listing
//! drops it (the store's public query leaves retracted ones out).

use quanze_casework::publication::{mask_name, mask_text};
use quanze_casework::{CaseService, CaseworkError, Officer};
use quanze_model::{ChinaTime, Date};
use quanze_store::{BureauId, PersonRole, Publication, PublicationId, Session, Store, StoreError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A refusal as the interfaces show it: a stable code, the articles, a Chinese message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub(crate) struct Refusal {
    pub code: String,
    pub articles: Vec<String>,
    pub message: String,
}

/// Why a publication request was not done.
#[derive(Debug, Clone, thiserror::Error)]
pub(crate) enum PublicationError {
    #[error("请先登录。")]
    LoginRequired,
    /// Not a leader of the case's bureau (403).
    #[error("{}", .0.message)]
    Forbidden(Refusal),
    /// The law refuses (the retraction is late): 422 with the articles.
    #[error("{}", .0.message)]
    Refused(Refusal),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
    #[error("服务器内部错误。")]
    Internal(String),
}

impl PublicationError {
    pub(crate) fn status(&self) -> u16 {
        match self {
            PublicationError::LoginRequired => 401,
            PublicationError::Forbidden(_) => 403,
            PublicationError::Refused(_) => 422,
            PublicationError::NotFound(_) => 404,
            PublicationError::Invalid(_) => 400,
            PublicationError::Internal(_) => 500,
        }
    }

    pub(crate) fn kind(&self) -> &'static str {
        match self {
            PublicationError::LoginRequired => "unauthorized",
            PublicationError::Forbidden(_) => "forbidden",
            PublicationError::Refused(_) => "refused",
            PublicationError::NotFound(_) => "not-found",
            PublicationError::Invalid(_) => "bad-request",
            PublicationError::Internal(_) => "internal",
        }
    }

    pub(crate) fn refusal(&self) -> Option<&Refusal> {
        match self {
            PublicationError::Forbidden(r) | PublicationError::Refused(r) => Some(r),
            _ => None,
        }
    }
}

impl From<StoreError> for PublicationError {
    fn from(e: StoreError) -> PublicationError {
        CaseworkError::from(e).into()
    }
}

impl From<CaseworkError> for PublicationError {
    fn from(e: CaseworkError) -> PublicationError {
        match e {
            CaseworkError::Forbidden(r) => PublicationError::Forbidden(Refusal {
                code: r.code,
                articles: r.articles,
                message: r.message,
            }),
            CaseworkError::NotFound(m) => PublicationError::NotFound(m),
            CaseworkError::Invalid(m) => PublicationError::Invalid(m),
            other => {
                eprintln!("quanze: publication: {other}");
                PublicationError::Internal(other.to_string())
            }
        }
    }
}

pub(crate) type Result<T> = std::result::Result<T, PublicationError>;

/// A published decision as the public sees it (masked).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct PublicDecision {
    pub id: i64,
    pub bureau: i64,
    pub bureau_name: String,
    /// 文号 of the decision.
    pub doc_no: Option<String>,
    /// The party: a unit's name, or a natural person's family name with the rest masked.
    pub party: String,
    /// `unit` or `individual`.
    pub party_kind: String,
    /// A unit's 统一社会信用代码 (empty for a natural person).
    pub credit_code: String,
    /// 违法事实 (identity and phone numbers masked).
    pub violation: String,
    /// 处罚内容.
    pub penalty: String,
    /// 处罚依据.
    pub basis: String,
    /// The item of the list the case ran under.
    pub item: String,
    /// 决定日期.
    pub decided_on: String,
    /// 公示日期 (China time).
    pub published_on: String,
}

/// One publication as the public may see it: the decision, or only its retraction.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct PublicDetail {
    pub id: i64,
    pub bureau_name: String,
    /// `published` or `retracted`.
    pub status: String,
    /// The decision, while it is published.
    pub decision: Option<PublicDecision>,
    /// 文号 of a retracted decision (it names no person).
    pub doc_no: Option<String>,
    /// When it was retracted (China time).
    pub retracted_on: Option<String>,
    /// Why (行政处罚法 第四十八条: the reason is made public), masked as the decision was.
    pub retract_reason: Option<String>,
}

/// A page of published decisions.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct PublicList {
    pub total: usize,
    pub offset: usize,
    pub limit: usize,
    pub publications: Vec<PublicDecision>,
}

fn china_day(ts: i64) -> String {
    crate::http::zh::beijing_time(ts).get(..10).unwrap_or("").to_string()
}

fn text(body: &serde_json::Value, key: &str) -> String {
    body.get(key).and_then(|v| v.as_str()).unwrap_or("").to_string()
}

/// The public view of a stored publication. The body was masked when it was recorded; the
/// free text is masked once more, so a record made by an older masking still hides an
/// identity or phone number.
fn decision(p: &Publication, bureau_name: &str) -> Result<PublicDecision> {
    let body: serde_json::Value = serde_json::from_str(&p.body)
        .map_err(|e| PublicationError::Internal(format!("publication {} body: {e}", p.id.0)))?;
    let individual = text(&body, "party_kind") == "individual";
    let party = text(&body, "party");
    Ok(PublicDecision {
        id: p.id.0,
        bureau: p.bureau.0,
        bureau_name: bureau_name.to_string(),
        doc_no: body.get("doc_no").and_then(|v| v.as_str()).map(str::to_string),
        // A masked name is already "张*"; masking it again keeps it so.
        party: if individual { mask_name(&party) } else { party },
        party_kind: if individual { "individual".into() } else { "unit".into() },
        credit_code: if individual { String::new() } else { text(&body, "credit_code") },
        violation: mask_text(&text(&body, "violation")),
        penalty: mask_text(&text(&body, "penalty")),
        basis: text(&body, "basis"),
        item: text(&body, "item"),
        decided_on: p.decided_on.to_string(),
        published_on: p.published_at.map(china_day).unwrap_or_default(),
    })
}

async fn bureau_name(store: &Store, b: BureauId) -> Result<String> {
    Ok(store.bureau(b).await?.map(|b| b.name).unwrap_or_default())
}

/// Published decisions of `bureau` (`None`: every bureau), newest first, one page.
pub(crate) async fn list(
    store: &Store,
    bureau: Option<i64>,
    offset: usize,
    limit: usize,
) -> Result<PublicList> {
    let rows = store.public_publications(bureau.map(BureauId)).await?;
    let total = rows.len();
    let mut names = std::collections::HashMap::new();
    let mut publications = Vec::new();
    for p in rows.iter().skip(offset).take(limit) {
        let name = match names.get(&p.bureau) {
            Some(n) => String::clone(n),
            None => {
                let n = bureau_name(store, p.bureau).await?;
                names.insert(p.bureau, n.clone());
                n
            }
        };
        publications.push(decision(p, &name)?);
    }
    Ok(PublicList { total, offset, limit, publications })
}

/// A bureau to choose on the portal.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct BureauChoice {
    pub id: i64,
    pub name: String,
}

/// Every bureau that has published a list, by name (one whose lists are all drafts is not
/// public: its name came from a draft, issue 11).
pub(crate) async fn bureaus(store: &Store) -> Result<Vec<BureauChoice>> {
    Ok(store
        .list_bureaus()
        .await?
        .into_iter()
        .filter(|b| b.current.as_ref().is_some_and(|v| v.status == quanze_store::VersionStatus::Published))
        .map(|b| BureauChoice { id: b.bureau.id.0, name: b.bureau.name })
        .collect())
}

/// The party's name as the decision's fields hold it, when the party is a natural person:
/// what a retraction's reason must not show in full.
async fn individual_name(store: &Store, p: &Publication) -> Result<Option<String>> {
    let Some(doc) = p.document else { return Ok(None) };
    let Some(d) = store.document(doc).await? else { return Ok(None) };
    let fields: serde_json::Value = serde_json::from_str(&d.fields).unwrap_or_default();
    let party = fields.get("party");
    let kind = party.and_then(|x| x.get("kind")).and_then(|x| x.as_str()).unwrap_or("");
    let name = party.and_then(|x| x.get("name")).and_then(|x| x.as_str()).unwrap_or("").trim();
    Ok((kind == "individual" && !name.is_empty()).then(|| name.to_string()))
}

/// A retraction's reason as the public reads it: identifiers and the person's name masked.
fn public_reason(reason: &str, name: Option<&str>) -> String {
    let masked = mask_text(reason);
    match name {
        Some(n) => masked.replace(n, &mask_name(n)),
        None => masked,
    }
}

/// One publication for the public. Never published: not found (the public does not learn
/// that a decision exists before it is published).
pub(crate) async fn one(store: &Store, id: i64) -> Result<PublicDetail> {
    let not_found = || PublicationError::NotFound(format!("公示 {id} 不存在"));
    let p = store.publication(PublicationId(id)).await?.ok_or_else(not_found)?;
    if p.published_at.is_none() {
        return Err(not_found());
    }
    let name = bureau_name(store, p.bureau).await?;
    match p.retracted_at {
        None => Ok(PublicDetail {
            id,
            bureau_name: name.clone(),
            status: "published".into(),
            doc_no: None,
            decision: Some(decision(&p, &name)?),
            retracted_on: None,
            retract_reason: None,
        }),
        Some(at) => {
            let body: serde_json::Value = serde_json::from_str(&p.body).unwrap_or_default();
            let person = individual_name(store, &p).await?;
            Ok(PublicDetail {
                id,
                bureau_name: name,
                status: "retracted".into(),
                decision: None,
                doc_no: body.get("doc_no").and_then(|v| v.as_str()).map(str::to_string),
                retracted_on: Some(china_day(at)),
                retract_reason: p.retract_reason.as_deref().map(|r| public_reason(r, person.as_deref())),
            })
        }
    }
}

// ---------- retraction ----------

/// A retraction as asked.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub(crate) struct RetractRequest {
    /// Why (行政处罚法 第四十八条: the reason is published).
    pub reason: String,
    /// The day the decision was changed, revoked, or found unlawful or void (`YYYY-MM-DD`):
    /// the three working days run from it.
    pub changed_on: String,
}

/// The leader of the case's bureau behind `session`, or the refusal.
async fn leader_of(cases: &CaseService, session: Option<&Session>, p: &Publication) -> Result<Officer> {
    let session = session.ok_or(PublicationError::LoginRequired)?;
    let officer = cases.officer_for_user(&session.user).await?;
    let ok = officer.person.as_ref().is_some_and(|me| {
        me.role == PersonRole::Leader && me.bureau == Some(p.bureau) && me.retired_at.is_none()
    });
    if !ok {
        return Err(PublicationError::Forbidden(Refusal {
            code: "access_needs_leader".into(),
            articles: Vec::new(),
            message: "撤回公示须由本局负责人办理".into(),
        }));
    }
    Ok(officer)
}

async fn publication(store: &Store, id: i64) -> Result<Publication> {
    store
        .publication(PublicationId(id))
        .await?
        .filter(|p| p.published_at.is_some())
        .ok_or_else(|| PublicationError::NotFound(format!("公示 {id} 不存在")))
}

/// What the retraction form shows (a leader of the case's bureau only).
pub(crate) async fn for_retraction(
    cases: &CaseService,
    session: Option<&Session>,
    id: i64,
) -> Result<PublicDetail> {
    let p = publication(cases.store(), id).await?;
    leader_of(cases, session, &p).await?;
    one(cases.store(), id).await
}

/// Retract a published decision: a leader of the case's bureau, with a reason, within three
/// working days of `changed_on` (行政处罚法 第四十八条第二款, 第八十五条); a late one is
/// refused with the articles and the last day.
pub(crate) async fn retract(
    cases: &CaseService,
    session: Option<&Session>,
    id: i64,
    ask: &RetractRequest,
    now: ChinaTime,
) -> Result<PublicDetail> {
    let p = publication(cases.store(), id).await?;
    let officer = leader_of(cases, session, &p).await?;
    if p.retracted_at.is_some() {
        return Err(PublicationError::Invalid("该公示已撤回".into()));
    }
    let config = cases.publication_config();
    if ask.reason.trim().is_empty() {
        return Err(PublicationError::Invalid("撤回公示应当说明理由（行政处罚法 第四十八条）".into()));
    }
    let changed_on = Date::parse(ask.changed_on.trim()).ok_or_else(|| {
        PublicationError::Invalid(format!(
            "决定被变更、撤销或确认违法、无效的日期应写作 YYYY-MM-DD，而不是“{}”",
            ask.changed_on.trim()
        ))
    })?;
    if changed_on > now.date {
        return Err(PublicationError::Invalid(format!("日期 {changed_on} 晚于今天")));
    }
    if changed_on < p.decided_on {
        return Err(PublicationError::Invalid(format!(
            "日期 {changed_on} 早于处罚决定日期 {}",
            p.decided_on
        )));
    }
    let due = cases.retract_due(changed_on).ok_or_else(|| {
        PublicationError::Invalid(format!(
            "无法计算撤回期限：工作日历缺少 {} 年的节假日安排，请先导入该年的放假通知",
            changed_on.year()
        ))
    })?;
    if now.date > due {
        return Err(PublicationError::Refused(Refusal {
            code: "retract_late".into(),
            articles: config.retract_articles.clone(),
            message: format!(
                "已超过撤回期限：公开的行政处罚决定被变更、撤销、确认违法或者确认无效的，应当在{}个工作日内撤回（自 {changed_on} 起算，截止 {due}），今天是 {}",
                config.retract_working_days, now.date
            ),
        }));
    }
    cases.retract(&officer, p.id, ask.reason.trim(), changed_on, now).await?;
    one(cases.store(), id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_hides_the_person_and_their_numbers() {
        let r = public_reason("张三丰（410523199001011234）的处罚决定已被复议撤销", Some("张三丰"));
        assert!(!r.contains("张三丰") && !r.contains("199001011234"), "{r}");
        assert!(r.starts_with("张**"), "{r}");
        assert_eq!(public_reason("决定已撤销", None), "决定已撤销");
    }
}
