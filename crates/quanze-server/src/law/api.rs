//! The law API: `GET /api/statutes`, `GET /api/statutes/{id}`,
//! `GET /api/statutes/{id}/articles/{n}`, `POST /api/penalty` (public, JSON, the same 64 KiB
//! body limit as the other JSON endpoints). Statute ids are the registry's edition ids
//! (`社会保险法(2018-12-29)`), percent-encoded in URLs; a title or alias means the current
//! edition.

use axum::Json;
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::StatusCode;
use quanze_law::{
    Condition, LawError, Party, PenaltyQuery, PenaltyResult, StatuteEdition, compute, parse_yuan, registry,
};
use quanze_model::Date;
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

use super::service::{
    JSON_LIMIT, MAX_TITLE_CHARS, date_str, find_statute, law_status, parse_article_ref, sanction_articles,
    suggestion,
};
use crate::http::access::{Access, Action};
use crate::http::error::{ApiError, Problem};
use crate::http::params::pct;
use crate::http::viewer::Viewer;
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    paths(api_statutes, api_statute, api_article, api_penalty),
    components(schemas(
        StatuteDto,
        StatuteList,
        StatuteDetail,
        ArticleStub,
        ArticleDto,
        ParagraphDto,
        ArticleItemDto,
        QuoteDto,
        PenaltyRequest,
        PenaltyResultDoc
    ))
)]
pub(crate) struct LawDoc;

fn statute_or_404(id: &str) -> Result<&'static StatuteEdition, ApiError> {
    let reg = registry();
    find_statute(reg, id).ok_or_else(|| {
        let hint = suggestion(reg, id).map(|s| format!(" (did you mean 《{s}》?)")).unwrap_or_default();
        ApiError::not_found(format!("no statute {id:?} in the registry{hint}; see GET /api/statutes"))
    })
}

fn level_id(e: &StatuteEdition) -> String {
    serde_json::to_value(e.level).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
}

// ---------- API DTOs ----------

/// One edition of a statute in the registry.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct StatuteDto {
    /// Stable id of the edition (`社会保险法(2018-12-29)`); percent-encode it in URLs.
    pub id: String,
    /// Normalized title (no 《》, no 中华人民共和国).
    pub title: String,
    pub full_title: String,
    pub aliases: Vec<String>,
    /// snake_case level (`law`, `administrative_regulation`, …).
    pub level: String,
    /// 法律, 行政法规, …
    pub level_label: String,
    pub issuer: Option<String>,
    pub doc_number: Option<String>,
    /// YYYY-MM-DD.
    pub promulgated: Option<String>,
    pub effective: Option<String>,
    pub first_effective: Option<String>,
    pub superseded: Option<String>,
    pub superseded_by: Option<String>,
    /// Some dates come from general knowledge, not from the text (UNVERIFIED).
    pub dates_unverified: bool,
    /// Whether the registry holds the full text (else only what lists quote).
    pub full_text: bool,
    /// Number of articles of the full text; `null` without one.
    pub article_count: Option<u32>,
    /// Articles the registry holds text or quotations for.
    pub articles_held: usize,
    /// Articles the penalty calculator knows (`POST /api/penalty`).
    pub sanction_articles: Vec<u32>,
    /// This statute in the API.
    pub url: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct StatuteList {
    pub total: usize,
    pub statutes: Vec<StatuteDto>,
}

/// An article without its text.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct ArticleStub {
    pub number: u32,
    pub label: String,
    pub chapter: Option<String>,
    pub url: String,
}

/// One edition with its history and its articles (without text).
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct StatuteDetail {
    pub statute: StatuteDto,
    /// Adoption and amendment lines of the text's header.
    pub history: Vec<String>,
    pub notes: Vec<String>,
    pub source: Option<String>,
    pub articles: Vec<ArticleStub>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct ArticleItemDto {
    pub number: u32,
    pub text: String,
}

/// A paragraph (款) with its items (项).
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct ParagraphDto {
    /// 1-based.
    pub number: u32,
    pub text: String,
    pub items: Vec<ArticleItemDto>,
}

/// Words lists quote for an article whose text the registry does not hold.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct QuoteDto {
    pub text: String,
    pub sources: Vec<String>,
}

/// One article.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct ArticleDto {
    pub statute_id: String,
    pub statute_title: String,
    pub full_title: String,
    pub number: u32,
    /// 第八十七条.
    pub label: String,
    /// 《中华人民共和国社会保险法》第八十七条.
    pub citation: String,
    pub chapter: Option<String>,
    /// The whole article: paragraphs joined by newlines, items on their own lines.
    pub text: String,
    pub paragraphs: Vec<ParagraphDto>,
    /// Only for statutes without a full text: quotations from lists.
    pub quotes: Vec<QuoteDto>,
    /// Whether `text` is the statute's text (else a list's quotation).
    pub full_text: bool,
    pub dates_unverified: bool,
    /// Whether the penalty calculator knows this article.
    pub sanction: bool,
}

fn statute_dto(e: &StatuteEdition) -> StatuteDto {
    StatuteDto {
        id: e.id.clone(),
        title: e.title.clone(),
        full_title: e.full_title.clone(),
        aliases: e.aliases.clone(),
        level: level_id(e),
        level_label: e.level.label().into(),
        issuer: e.issuer.clone(),
        doc_number: e.doc_number.clone(),
        promulgated: date_str(e.promulgated),
        effective: date_str(e.effective),
        first_effective: date_str(e.first_effective),
        superseded: date_str(e.superseded),
        superseded_by: e.superseded_by.clone(),
        dates_unverified: e.dates_unverified,
        full_text: e.full_text,
        article_count: e.article_count(),
        articles_held: e.articles.len(),
        sanction_articles: sanction_articles(&e.title),
        url: format!("/api/statutes/{}", pct(&e.id)),
    }
}

fn article_dto(e: &StatuteEdition, a: &quanze_law::Article) -> ArticleDto {
    ArticleDto {
        statute_id: e.id.clone(),
        statute_title: e.title.clone(),
        full_title: e.full_title.clone(),
        number: a.number,
        label: a.label.clone(),
        citation: e.cite(a.number),
        chapter: a.chapter.clone(),
        text: a.text(),
        paragraphs: a
            .paragraphs
            .iter()
            .zip(1u32..)
            .map(|(p, n)| ParagraphDto {
                number: n,
                text: p.text.clone(),
                items: p
                    .items
                    .iter()
                    .map(|i| ArticleItemDto { number: i.number, text: i.text.clone() })
                    .collect(),
            })
            .collect(),
        quotes: a
            .quotes
            .iter()
            .map(|q| QuoteDto { text: q.text.clone(), sources: q.sources.clone() })
            .collect(),
        full_text: e.full_text && !a.paragraphs.is_empty(),
        dates_unverified: e.dates_unverified,
        sanction: sanction_articles(&e.title).contains(&a.number),
    }
}

fn article_or_404(e: &'static StatuteEdition, n: &str) -> Result<&'static quanze_law::Article, ApiError> {
    let num = parse_article_ref(n)
        .ok_or_else(|| ApiError::bad_request(format!("article must be a number or 第…条, not {n:?}")))?;
    e.article(num).ok_or_else(|| {
        let what = match e.article_count() {
            Some(c) => format!("it has {c} articles"),
            None => {
                "the registry holds no text of this article (the statute is registered without its full text)"
                    .into()
            }
        };
        ApiError::not_found(format!("《{}》({}) has no article {num}: {what}", e.title, e.id))
    })
}

// ---------- API handlers ----------

/// Every statute edition in the registry.
#[utoipa::path(get, path = "/api/statutes", tag = "law",
    responses((status = 200, body = StatuteList)))]
pub(super) async fn api_statutes(viewer: Viewer) -> Result<Json<StatuteList>, ApiError> {
    Access::check(&viewer, Action::ReadPublic)?;
    let statutes: Vec<StatuteDto> = registry().editions.iter().map(statute_dto).collect();
    Ok(Json(StatuteList { total: statutes.len(), statutes }))
}

/// One statute edition with its history and the list of its articles.
#[utoipa::path(get, path = "/api/statutes/{id}", tag = "law",
    params(("id" = String, Path, description = "edition id (`社会保险法(2018-12-29)`) or a title (current edition)")),
    responses((status = 200, body = StatuteDetail), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn api_statute(
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Json<StatuteDetail>, ApiError> {
    Access::check(&viewer, Action::ReadPublic)?;
    let e = statute_or_404(&id)?;
    Ok(Json(StatuteDetail {
        statute: statute_dto(e),
        history: e.history.clone(),
        notes: e.notes.clone(),
        source: e.source.clone(),
        articles: e
            .articles
            .iter()
            .map(|a| ArticleStub {
                number: a.number,
                label: a.label.clone(),
                chapter: a.chapter.clone(),
                url: format!("/api/statutes/{}/articles/{}", pct(&e.id), a.number),
            })
            .collect(),
    }))
}

/// The text of one article, split into paragraphs (款) and items (项).
#[utoipa::path(get, path = "/api/statutes/{id}/articles/{n}", tag = "law",
    params(("id" = String, Path, description = "edition id (`社会保险法(2018-12-29)`) or a title (current edition)"),
        ("n" = String, Path, description = "article number: `87` or `第八十七条`")),
    responses((status = 200, body = ArticleDto), (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn api_article(
    viewer: Viewer,
    Path((id, n)): Path<(String, String)>,
) -> Result<Json<ArticleDto>, ApiError> {
    Access::check(&viewer, Action::ReadPublic)?;
    let e = statute_or_404(&id)?;
    let a = article_or_404(e, &n)?;
    Ok(Json(article_dto(e, a)))
}

/// Body of `POST /api/penalty`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct PenaltyRequest {
    /// Statute title in any registered form (社会保险法, 《中华人民共和国社会保险法》, an alias)
    /// or an edition id.
    pub statute: String,
    /// Article: a number (`87`) or `第八十七条`.
    #[schema(value_type = Object, example = 87)]
    pub article: serde_json::Value,
    /// 款; default every paragraph of the article.
    pub paragraph: Option<u32>,
    /// Base of multiples (骗取金额, 损失金额, 应缴数额…) in 元: a string (`"10000.50"`) or a number.
    #[schema(value_type = Option<String>, example = "10000")]
    pub base_amount_yuan: Option<serde_json::Value>,
    /// The same in fen (give one of the two).
    pub base_amount_fen: Option<i64>,
    /// `unit` (default) or `individual`.
    pub party: Option<String>,
    /// Day of the decision, YYYY-MM-DD (default today): the figures in force that day apply.
    pub date: Option<String>,
    /// Facts established: `loss_caused`, `refuses_correction`, `serious`, `especially_serious`,
    /// `fraud_intent`, `bid_won`, `service_provider`, `designated_provider`, `insured`,
    /// `licensed`, `illegal_income`, `major_loss`, `late_payment`, `life_health_harm`.
    #[serde(default)]
    pub conditions: Vec<String>,
    /// A fine decided or proposed, in 元 (procedure and surcharge are evaluated for it).
    #[schema(value_type = Option<String>)]
    pub fine_yuan: Option<serde_json::Value>,
    pub fine_fen: Option<i64>,
    /// Days the decided fine is overdue (加处罚款).
    pub days_overdue: Option<u32>,
    /// Days contributions are owed (滞纳金).
    pub days_owed: Option<u32>,
    /// Day of the act (or its end), YYYY-MM-DD, for the limitation period.
    pub act_date: Option<String>,
    /// Day the act was discovered, YYYY-MM-DD (default `date`).
    pub discovered_on: Option<String>,
}

/// The calculator's result (`quanze_law::PenaltyResult`). Money is integer fen.
#[derive(Debug, Serialize, ToSchema)]
#[allow(dead_code)]
pub(super) struct PenaltyResultDoc {
    pub statute: String,
    /// Registry id of the edition applied.
    pub edition: Option<String>,
    pub article: u32,
    pub paragraph: Option<u32>,
    pub date: String,
    /// `unit` or `individual`.
    pub party: String,
    pub liable: String,
    pub behaviour: String,
    pub base_kind: Option<String>,
    pub base_amount_fen: Option<i64>,
    /// Whether a fine on the party applies under the facts given.
    pub fine_applies: bool,
    /// Statutory range of the fine on the party, in fen.
    pub min_fen: i64,
    pub max_fen: i64,
    /// 从轻 / 一般 / 从重 with their ranges.
    #[schema(value_type = Vec<Object>)]
    pub bands: Vec<serde_json::Value>,
    /// Every fine component (also on responsible persons), applying or not.
    #[schema(value_type = Vec<Object>)]
    pub fines: Vec<serde_json::Value>,
    /// Non-fine consequences.
    #[schema(value_type = Vec<Object>)]
    pub measures: Vec<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub late_fee: Option<serde_json::Value>,
    /// 简易程序, 当场收缴, 听证, 法制审核, payment days, surcharge, limitation.
    #[schema(value_type = Object)]
    pub procedure: serde_json::Value,
    /// Every figure's source, with `status` `verified`, `unverified` or `local`.
    #[schema(value_type = Vec<Object>)]
    pub citations: Vec<serde_json::Value>,
    /// The computation in words, line by line (Chinese).
    pub explanation: Vec<String>,
    /// Whether any figure used is UNVERIFIED.
    pub unverified: bool,
    /// The local configuration applied (hearing and review thresholds, discretion bands).
    #[schema(value_type = Object)]
    pub config: serde_json::Value,
}

fn law_api_error(e: &LawError) -> ApiError {
    let (status, kind) = law_status(e);
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if status == StatusCode::INTERNAL_SERVER_ERROR {
        return ApiError::internal(e);
    }
    ApiError::new(status, kind, e.to_string())
}

fn invalid(detail: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", detail)
}

/// An amount in 元 given as a JSON string or number, in fen.
fn yuan_value(what: &str, v: &serde_json::Value) -> Result<i64, ApiError> {
    let s = match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => n.to_string(),
        other => return Err(invalid(format!("{what} must be a string or a number of 元, not {other}"))),
    };
    parse_yuan(&s).map_err(|e| invalid(format!("{what}: {e}")))
}

fn date_field(what: &str, s: Option<&str>) -> Result<Option<Date>, ApiError> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => Date::parse(s)
            .map(Some)
            .ok_or_else(|| invalid(format!("{what} must be a date YYYY-MM-DD, not {s:?}"))),
    }
}

/// The calculator's query for a request body.
fn penalty_query(r: &PenaltyRequest, today: Date) -> Result<PenaltyQuery, ApiError> {
    let reg = registry();
    let statute = r.statute.trim();
    if statute.is_empty() {
        return Err(invalid("statute is required (社会保险法, an alias or an edition id)"));
    }
    if statute.chars().count() > MAX_TITLE_CHARS {
        return Err(invalid("statute is too long"));
    }
    let title = reg.by_id(statute).map_or_else(|| statute.to_string(), |e| e.title.clone());
    let article = match &r.article {
        serde_json::Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()).filter(|n| *n > 0),
        serde_json::Value::String(s) => parse_article_ref(s),
        _ => None,
    }
    .ok_or_else(|| invalid(format!("article must be a number ≥ 1 or 第…条, not {}", r.article)))?;
    if r.paragraph == Some(0) {
        return Err(invalid("paragraph must be ≥ 1"));
    }
    let base_amount_fen = match (&r.base_amount_yuan, r.base_amount_fen) {
        (Some(_), Some(_)) => return Err(invalid("give base_amount_yuan or base_amount_fen, not both")),
        (Some(v), None) => Some(yuan_value("base_amount_yuan", v)?),
        (None, f) => f,
    };
    let fine_fen = match (&r.fine_yuan, r.fine_fen) {
        (Some(_), Some(_)) => return Err(invalid("give fine_yuan or fine_fen, not both")),
        (Some(v), None) => Some(yuan_value("fine_yuan", v)?),
        (None, f) => f,
    };
    let party = match r.party.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Party::Unit,
        Some(p) => Party::from_id(p)
            .ok_or_else(|| invalid(format!("party must be unit or individual, not {p:?}")))?,
    };
    let mut conditions = Vec::new();
    for c in &r.conditions {
        let cond = Condition::from_id(c).ok_or_else(|| {
            invalid(format!(
                "unknown condition {c:?}; one of: {}",
                Condition::ALL.iter().map(|c| c.id()).collect::<Vec<_>>().join(", ")
            ))
        })?;
        if !conditions.contains(&cond) {
            conditions.push(cond);
        }
    }
    Ok(PenaltyQuery {
        statute: title,
        article,
        paragraph: r.paragraph,
        base_amount_fen,
        party,
        date: date_field("date", r.date.as_deref())?.unwrap_or(today),
        conditions,
        fine_fen,
        days_overdue: r.days_overdue,
        days_owed: r.days_owed,
        act_date: date_field("act_date", r.act_date.as_deref())?,
        discovered_on: date_field("discovered_on", r.discovered_on.as_deref())?,
        config: None,
    })
}

/// Compute the statutory range and consequences of a sanction article (public, no login).
///
/// Unknown statutes and articles are 404; amounts that are negative, above 1000亿元 or have
/// more than two decimals, dates before the statute took effect, a party the article is not
/// aimed at and a missing base amount are 422; malformed JSON is 400.
#[utoipa::path(post, path = "/api/penalty", tag = "law", request_body = PenaltyRequest,
    responses((status = 200, body = PenaltyResultDoc, description = "`quanze_law::PenaltyResult`"),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn api_penalty(
    State(state): State<AppState>,
    viewer: Viewer,
    req: Request,
) -> Result<Json<PenaltyResult>, ApiError> {
    Access::check(&viewer, Action::ReadPublic)?;
    let Json(body) = Json::<PenaltyRequest>::from_request(req, &state).await.map_err(|e| {
        let status = e.status();
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(status, "too-large", format!("the body is over the limit of {JSON_LIMIT} bytes"))
        } else {
            ApiError::new(status, "bad-request", e.body_text())
        }
    })?;
    let q = penalty_query(&body, state.today())?;
    compute(registry(), &q).map(Json).map_err(|e| law_api_error(&e))
}
