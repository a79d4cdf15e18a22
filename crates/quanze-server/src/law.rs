//! Law as code in the server: the statute registry and the penalty calculator of
//! `quanze-law`.
//!
//! * API: `GET /api/statutes`, `GET /api/statutes/{id}`, `GET /api/statutes/{id}/articles/{n}`,
//!   `POST /api/penalty` (public, JSON, the same 64 KiB body limit as the other JSON endpoints).
//! * Portal: `/statutes`, `/statutes/{id}`, `/statutes/{id}/articles/{n}`, `/calculator` (a GET
//!   form: it changes nothing, so it carries no CSRF token).
//! * The item page's block of article texts and computed ranges ([`item_law`]).
//! * [`annotate`]: the registry's citation findings added to every imported catalog.
//!
//! Statute ids are the registry's edition ids (`社会保险法(2018-12-29)`): stable, and
//! percent-encoded in URLs. A title (社会保险法, an alias) is accepted too and means the
//! current edition.

use askama::Template;
use axum::extract::{DefaultBodyLimit, FromRequest, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use quanze_law::{
    Condition, Date, LawError, Party, PenaltyQuery, PenaltyResult, Registry, StatuteEdition, compute,
    format_yuan, law_data, parse_yuan, registry, render_text,
};
use quanze_model::{Catalog, PowerItem};
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

use crate::AppState;
use crate::error::{ApiError, Problem};
use crate::portal::{PageError, chinese_number};

/// Body limit of `POST /api/penalty`, as for the other JSON endpoints.
const JSON_LIMIT: usize = 64 * 1024;
/// Longest statute id or title looked up.
const MAX_TITLE_CHARS: usize = 200;

pub fn router(_state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/api/statutes", get(api_statutes))
        .route("/api/statutes/{id}", get(api_statute))
        .route("/api/statutes/{id}/articles/{n}", get(api_article))
        .route("/api/penalty", post(api_penalty))
        .route("/statutes", get(statutes_page))
        .route("/statutes/{id}", get(statute_page))
        .route("/statutes/{id}/articles/{n}", get(article_page))
        .route("/calculator", get(calculator_page))
        .layer(DefaultBodyLimit::max(JSON_LIMIT))
}

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
pub struct LawDoc;

// ---------- helpers ----------

/// Add the statute registry's findings (`unresolved-citation`, `citation-mismatch`,
/// `quotation-mismatch`, `superseded-citation`) to a catalog's diagnostics, as the CLI does.
pub(crate) fn annotate(catalog: &mut Catalog) {
    quanze_law::annotate(registry(), catalog);
}

/// Today in China (UTC+8): the clock case work uses too.
fn today() -> Date {
    quanze_casework::china_today().unwrap_or_else(|| Date::new(2026, 1, 1).expect("valid date"))
}

/// Percent-encode one URL path segment or query value.
pub(crate) fn pct(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn statute_url(e: &StatuteEdition) -> String {
    format!("/statutes/{}", pct(&e.id))
}

fn article_url(e: &StatuteEdition, n: u32) -> String {
    format!("/statutes/{}/articles/{n}", pct(&e.id))
}

fn article_label(n: u32) -> String {
    format!("第{}条", chinese_number(n))
}

/// A statute by edition id, or by title (its current edition).
fn find_statute(reg: &'static Registry, id: &str) -> Option<&'static StatuteEdition> {
    let id = id.trim();
    if id.is_empty() || id.chars().count() > MAX_TITLE_CHARS {
        return None;
    }
    reg.by_id(id).or_else(|| reg.current(id))
}

fn suggestion(reg: &Registry, id: &str) -> Option<String> {
    (id.chars().count() <= MAX_TITLE_CHARS).then(|| reg.suggest(id).map(String::from)).flatten()
}

fn statute_or_404(id: &str) -> Result<&'static StatuteEdition, ApiError> {
    let reg = registry();
    find_statute(reg, id).ok_or_else(|| {
        let hint = suggestion(reg, id).map(|s| format!(" (did you mean 《{s}》?)")).unwrap_or_default();
        ApiError::not_found(format!("no statute {id:?} in the registry{hint}; see GET /api/statutes"))
    })
}

fn parse_article_ref(s: &str) -> Option<u32> {
    if s.chars().count() > 20 {
        return None;
    }
    crate::search::parse_article(s)
}

/// Sanction articles the calculator knows, per statute title, in data order.
fn sanction_articles(title: &str) -> Vec<u32> {
    let mut v: Vec<u32> =
        law_data().sanctions.iter().filter(|s| s.statute == title).map(|s| s.article).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Titles of the statutes with sanction articles, in data order.
fn sanction_statutes() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = Vec::new();
    for s in &law_data().sanctions {
        if !v.contains(&s.statute.as_str()) {
            v.push(&s.statute);
        }
    }
    v
}

fn level_id(e: &StatuteEdition) -> String {
    serde_json::to_value(e.level).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
}

fn date_str(d: Option<Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

/// A decimal multiple in the statute's manner: 2倍, 百分之五, 千分之五.
fn ratio_words(s: &str) -> String {
    let t = s.trim();
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        return format!("{int}倍");
    }
    let digits = format!("{int}{frac}");
    let Ok(n) = digits.parse::<u64>() else { return format!("{t}倍") };
    let scale = 10u64.saturating_pow(frac.len() as u32);
    for (unit, name) in [(100u64, "百分之"), (1000, "千分之"), (10000, "万分之")] {
        if unit >= scale && unit % scale == 0 {
            let x = n * (unit / scale);
            if let Ok(x) = u32::try_from(x) {
                return format!("{name}{}", chinese_number(x));
            }
        }
    }
    format!("{t}倍")
}

// ---------- API DTOs ----------

/// One edition of a statute in the registry.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatuteDto {
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
pub struct StatuteList {
    pub total: usize,
    pub statutes: Vec<StatuteDto>,
}

/// An article without its text.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleStub {
    pub number: u32,
    pub label: String,
    pub chapter: Option<String>,
    pub url: String,
}

/// One edition with its history and its articles (without text).
#[derive(Debug, Serialize, ToSchema)]
pub struct StatuteDetail {
    pub statute: StatuteDto,
    /// Adoption and amendment lines of the text's header.
    pub history: Vec<String>,
    pub notes: Vec<String>,
    pub source: Option<String>,
    pub articles: Vec<ArticleStub>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleItemDto {
    pub number: u32,
    pub text: String,
}

/// A paragraph (款) with its items (项).
#[derive(Debug, Serialize, ToSchema)]
pub struct ParagraphDto {
    /// 1-based.
    pub number: u32,
    pub text: String,
    pub items: Vec<ArticleItemDto>,
}

/// Words lists quote for an article whose text the registry does not hold.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuoteDto {
    pub text: String,
    pub sources: Vec<String>,
}

/// One article.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleDto {
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
async fn api_statutes() -> Json<StatuteList> {
    let statutes: Vec<StatuteDto> = registry().editions.iter().map(statute_dto).collect();
    Json(StatuteList { total: statutes.len(), statutes })
}

/// One statute edition with its history and the list of its articles.
#[utoipa::path(get, path = "/api/statutes/{id}", tag = "law",
    params(("id" = String, Path, description = "edition id (`社会保险法(2018-12-29)`) or a title (current edition)")),
    responses((status = 200, body = StatuteDetail), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn api_statute(Path(id): Path<String>) -> Result<Json<StatuteDetail>, ApiError> {
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
async fn api_article(Path((id, n)): Path<(String, String)>) -> Result<Json<ArticleDto>, ApiError> {
    let e = statute_or_404(&id)?;
    let a = article_or_404(e, &n)?;
    Ok(Json(article_dto(e, a)))
}

/// Body of `POST /api/penalty`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PenaltyRequest {
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
pub struct PenaltyResultDoc {
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

/// Status of a calculator error: unknown things are 404, facts that do not fit are 422.
fn law_status(e: &LawError) -> (StatusCode, &'static str) {
    match e {
        LawError::UnknownStatute { .. } | LawError::UnknownArticle { .. } => {
            (StatusCode::NOT_FOUND, "not-found")
        }
        LawError::Data(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        _ => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
    }
}

fn law_api_error(e: &LawError) -> ApiError {
    let (status, kind) = law_status(e);
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
fn penalty_query(r: &PenaltyRequest) -> Result<PenaltyQuery, ApiError> {
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
        date: Some(date_field("date", r.date.as_deref())?.unwrap_or_else(today)),
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
async fn api_penalty(State(state): State<AppState>, req: Request) -> Result<Json<PenaltyResult>, ApiError> {
    let Json(body) = Json::<PenaltyRequest>::from_request(req, &state).await.map_err(|e| {
        let status = e.status();
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(status, "too-large", format!("the body is over the limit of {JSON_LIMIT} bytes"))
        } else {
            ApiError::new(status, "bad-request", e.body_text())
        }
    })?;
    let q = penalty_query(&body)?;
    compute(registry(), &q).map(Json).map_err(|e| law_api_error(&e))
}

// ---------- portal: statutes ----------

struct StatuteRow {
    url: String,
    full_title: String,
    id: String,
    level: &'static str,
    dates: String,
    dates_unverified: bool,
    full_text: bool,
    articles: String,
    sanctions: usize,
    in_force: bool,
}

#[derive(Template)]
#[template(path = "statutes.html")]
struct StatutesPage {
    rows: Vec<StatuteRow>,
}

fn dates_words(e: &StatuteEdition) -> String {
    let mut parts = Vec::new();
    if let Some(d) = e.promulgated {
        parts.push(format!("{d} 公布"));
    }
    if let Some(d) = e.effective {
        parts.push(format!("{d} 施行"));
    }
    if let Some(d) = e.superseded {
        parts.push(format!("{d} 起被取代"));
    }
    if parts.is_empty() { "日期未登记".into() } else { parts.join("，") }
}

async fn statutes_page() -> Result<Response, PageError> {
    let now = today();
    let rows = registry()
        .editions
        .iter()
        .map(|e| StatuteRow {
            url: statute_url(e),
            full_title: e.full_title.clone(),
            id: e.id.clone(),
            level: e.level.label(),
            dates: dates_words(e),
            dates_unverified: e.dates_unverified,
            full_text: e.full_text,
            articles: match e.article_count() {
                Some(c) => format!("全文 {c} 条"),
                None if e.articles.is_empty() => "仅登记名称".into(),
                None => format!("仅收录清单引用 {} 条", e.articles.len()),
            },
            sanctions: sanction_articles(&e.title).len(),
            in_force: e.in_force_on(now),
        })
        .collect();
    page(&StatutesPage { rows })
}

pub(crate) struct ParaView {
    pub(crate) text: String,
    pub(crate) items: Vec<String>,
    pub(crate) cited: bool,
}

struct ArticleView {
    number: u32,
    label: String,
    /// The chapter heading, when it differs from the previous article's.
    chapter: String,
    url: String,
    paras: Vec<ParaView>,
    quotes: Vec<(String, String)>,
    calc_url: String,
}

fn paras(a: &quanze_law::Article, cited: Option<u32>) -> Vec<ParaView> {
    a.paragraphs
        .iter()
        .zip(1u32..)
        .map(|(p, n)| ParaView {
            text: p.text.clone(),
            items: p.items.iter().map(|i| i.text.clone()).collect(),
            cited: cited == Some(n),
        })
        .collect()
}

fn calc_url(title: &str, article: u32, paragraph: Option<u32>, base: Option<i64>) -> String {
    let mut u = format!("/calculator?statute={}&article={article}", pct(title));
    if let Some(p) = paragraph {
        u.push_str(&format!("&paragraph={p}"));
    }
    if let Some(b) = base {
        u.push_str(&format!("&base={}", fen_to_yuan_input(b)));
    }
    u
}

/// Fen as a plain 元 amount for a form field: `10000`, `10000.5`.
fn fen_to_yuan_input(fen: i64) -> String {
    let (y, f) = (fen / 100, fen % 100);
    if f == 0 {
        y.to_string()
    } else if f % 10 == 0 {
        format!("{y}.{}", f / 10)
    } else {
        format!("{y}.{f:02}")
    }
}

fn article_view(
    e: &StatuteEdition,
    a: &quanze_law::Article,
    prev_chapter: &mut Option<String>,
) -> ArticleView {
    let chapter = if a.chapter != *prev_chapter {
        *prev_chapter = a.chapter.clone();
        a.chapter.clone().unwrap_or_default()
    } else {
        String::new()
    };
    let sanction = sanction_articles(&e.title).contains(&a.number);
    ArticleView {
        number: a.number,
        label: if a.label.is_empty() { article_label(a.number) } else { a.label.clone() },
        chapter,
        url: article_url(e, a.number),
        paras: paras(a, None),
        quotes: a.quotes.iter().map(|q| (q.text.clone(), q.sources.join("、"))).collect(),
        calc_url: if sanction { calc_url(&e.title, a.number, None, None) } else { String::new() },
    }
}

#[derive(Template)]
#[template(path = "statute.html")]
struct StatutePage {
    title: String,
    full_title: String,
    statute_url: String,
    id: String,
    facts: Vec<(&'static str, String)>,
    dates_unverified: bool,
    full_text: bool,
    history: Vec<String>,
    notes: Vec<String>,
    other_editions: Vec<(String, String)>,
    /// Set on the page of one article.
    single: bool,
    articles: Vec<ArticleView>,
    prev: String,
    next: String,
}

fn statute_page_data(e: &'static StatuteEdition) -> StatutePage {
    let mut facts: Vec<(&'static str, String)> = vec![("效力级别", e.level.label().to_string())];
    let mut opt = |k: &'static str, v: Option<String>| {
        if let Some(v) = v.filter(|v| !v.trim().is_empty()) {
            facts.push((k, v));
        }
    };
    opt("制定机关", e.issuer.clone());
    opt("文号", e.doc_number.clone());
    opt("公布日期", date_str(e.promulgated));
    opt("施行日期", date_str(e.effective));
    opt("首次施行", date_str(e.first_effective).filter(|_| e.first_effective != e.effective));
    opt("失效/被取代", date_str(e.superseded));
    opt("取代者", e.superseded_by.clone());
    opt("条文", e.article_count().map(|c| format!("{c} 条")));
    let other_editions = registry()
        .editions_of(&e.title)
        .into_iter()
        .filter(|o| o.id != e.id)
        .map(|o| (statute_url(o), o.id.clone()))
        .collect();
    StatutePage {
        title: e.title.clone(),
        full_title: e.full_title.clone(),
        statute_url: statute_url(e),
        id: e.id.clone(),
        facts,
        dates_unverified: e.dates_unverified,
        full_text: e.full_text,
        history: e.history.clone(),
        notes: e.notes.clone(),
        other_editions,
        single: false,
        articles: Vec::new(),
        prev: String::new(),
        next: String::new(),
    }
}

fn page_statute(id: &str) -> Result<&'static StatuteEdition, ApiError> {
    let reg = registry();
    find_statute(reg, id).ok_or_else(|| {
        let hint = suggestion(reg, id).map(|s| format!("是否指《{s}》？")).unwrap_or_default();
        ApiError::not_found(format!("法规库中没有“{id}”。{hint}"))
    })
}

async fn statute_page(Path(id): Path<String>) -> Result<Response, PageError> {
    let e = page_statute(&id)?;
    let mut p = statute_page_data(e);
    let mut prev = None;
    p.articles = e.articles.iter().map(|a| article_view(e, a, &mut prev)).collect();
    page(&p)
}

async fn article_page(Path((id, n)): Path<(String, String)>) -> Result<Response, PageError> {
    let e = page_statute(&id)?;
    let num = parse_article_ref(&n)
        .ok_or_else(|| ApiError::bad_request(format!("条号应为数字或“第…条”，而不是“{n}”。")))?;
    let Some(pos) = e.articles.iter().position(|a| a.number == num) else {
        let why = match e.article_count() {
            Some(c) => format!("该法规共 {c} 条。"),
            None => "法规库未收录该法规的全文，也没有清单引用这一条。".into(),
        };
        return Err(ApiError::not_found(format!("《{}》没有{}。{why}", e.title, article_label(num))).into());
    };
    let mut p = statute_page_data(e);
    p.single = true;
    let mut prev = None;
    p.articles = vec![article_view(e, &e.articles[pos], &mut prev)];
    if let Some(a) = pos.checked_sub(1).and_then(|i| e.articles.get(i)) {
        p.prev = article_url(e, a.number);
    }
    if let Some(a) = e.articles.get(pos + 1) {
        p.next = article_url(e, a.number);
    }
    page(&p)
}

fn page(t: &impl Template) -> Result<Response, PageError> {
    let body = t.render().map_err(ApiError::internal)?;
    Ok(Html(body).into_response())
}

// ---------- portal: calculator ----------

struct Opt {
    value: String,
    label: String,
    selected: bool,
}

struct CondOpt {
    id: &'static str,
    label: &'static str,
    checked: bool,
}

struct HintRow {
    title: String,
    links: Vec<(String, String)>,
}

struct LineView {
    who: String,
    formula: String,
    range: String,
    applies: bool,
    condition: String,
    cite: String,
}

struct MeasureView {
    kind: &'static str,
    text: String,
    applies: bool,
    condition: String,
    amount: String,
    cite: String,
}

struct ProcView {
    name: &'static str,
    verdict: String,
    reason: String,
    cite: String,
    local: bool,
    unverified: bool,
}

struct CiteView {
    label: String,
    status: String,
    status_label: &'static str,
    url: String,
}

struct ResultView {
    heading: String,
    edition: String,
    date: String,
    party: &'static str,
    liable: String,
    behaviour: String,
    base: String,
    fine_applies: bool,
    range: String,
    bands: Vec<(String, String)>,
    fines: Vec<LineView>,
    measures: Vec<MeasureView>,
    late_fee: String,
    procedure: Vec<ProcView>,
    payment_days: u32,
    surcharge: String,
    limitation: String,
    limitation_unverified: bool,
    citations: Vec<CiteView>,
    explanation: Vec<String>,
    unverified: bool,
    config_name: String,
    config_source: String,
    text: String,
}

#[derive(Template)]
#[template(path = "calculator.html")]
struct CalculatorPage {
    statutes: Vec<Opt>,
    article: String,
    paragraph: String,
    base: String,
    individual: bool,
    date: String,
    fine: String,
    days_overdue: String,
    act_date: String,
    conditions: Vec<CondOpt>,
    /// Whether the "more" part of the form holds values (shown open).
    more_open: bool,
    hints: Vec<HintRow>,
    error: String,
    result: Option<ResultView>,
}

fn status_label(s: &str) -> &'static str {
    match s {
        "verified" => "已核对全文",
        "local" => "地方配置，可修改",
        _ => "未核实（UNVERIFIED），可配置",
    }
}

fn cite_view(c: &quanze_law::Cite) -> CiteView {
    let reg = registry();
    let url = match (c.status.as_str(), c.edition.as_deref().and_then(|id| reg.by_id(id))) {
        ("local", _) | (_, None) => String::new(),
        (_, Some(e)) if c.article > 0 && e.article(c.article).is_some() => article_url(e, c.article),
        (_, Some(e)) => statute_url(e),
    };
    CiteView { label: c.label.clone(), status: c.status.clone(), status_label: status_label(&c.status), url }
}

fn verdict_words(v: quanze_law::Verdict, t: Option<i64>) -> String {
    use quanze_law::Verdict;
    let t = t.map(format_yuan).unwrap_or_default();
    match v {
        Verdict::Yes => "是".into(),
        Verdict::No => "否".into(),
        Verdict::IfFineAtMost => format!("罚款不超过{t}时是"),
        Verdict::IfFineAtLeast => format!("罚款达到{t}时是"),
        Verdict::NotApplicable => "不适用（无罚款）".into(),
    }
}

fn result_view(r: &PenaltyResult) -> ResultView {
    let para = r.paragraph.map(|p| format!("第{}款", chinese_number(p))).unwrap_or_default();
    let full = registry().current(&r.statute).map_or_else(|| r.statute.clone(), |e| e.full_title.clone());
    let proc_view = |name: &'static str, p: &quanze_law::ProcedureCheck| ProcView {
        name,
        verdict: verdict_words(p.verdict, p.threshold_fen),
        reason: p.reason.clone(),
        cite: p.citation.label.clone(),
        local: p.local,
        unverified: p.unverified,
    };
    let pr = &r.procedure;
    let lim = &pr.limitation;
    ResultView {
        heading: format!("《{full}》{}{para}", article_label(r.article)),
        edition: r.edition.clone().unwrap_or_default(),
        date: r.date.to_string(),
        party: r.party.label(),
        liable: r.liable.clone(),
        behaviour: r.behaviour.clone(),
        base: match (&r.base_kind, r.base_amount_fen) {
            (Some(k), Some(b)) => format!("{k}：{}", format_yuan(b)),
            (None, Some(b)) => format!("基数：{}", format_yuan(b)),
            _ => String::new(),
        },
        fine_applies: r.fine_applies,
        range: format!("{} 至 {}", format_yuan(r.min_fen), format_yuan(r.max_fen)),
        bands: r
            .bands
            .iter()
            .map(|b| (b.name.clone(), format!("{} 至 {}", format_yuan(b.min_fen), format_yuan(b.max_fen))))
            .collect(),
        fines: r
            .fines
            .iter()
            .map(|f| LineView {
                who: f.target.label().into(),
                formula: f.formula.clone(),
                range: if f.applies {
                    format!("{} 至 {}", format_yuan(f.min_fen), format_yuan(f.max_fen))
                } else {
                    String::new()
                },
                applies: f.applies,
                condition: f.condition.clone().unwrap_or_default(),
                cite: f.citation.label.clone(),
            })
            .collect(),
        measures: r
            .measures
            .iter()
            .map(|m| MeasureView {
                kind: m.kind.label(),
                text: m.text.clone(),
                applies: m.applies,
                condition: m.condition.clone().unwrap_or_default(),
                amount: m.amount_fen.map(format_yuan).unwrap_or_default(),
                cite: m.citation.label.clone(),
            })
            .collect(),
        late_fee: r
            .late_fee
            .as_ref()
            .map(|l| {
                format!(
                    "{} × {} × {}日 = {}",
                    format_yuan(l.base_fen),
                    ratio_words(&l.rate),
                    l.days,
                    format_yuan(l.amount_fen)
                )
            })
            .unwrap_or_default(),
        procedure: vec![
            proc_view("简易程序（当场作出决定）", &pr.simple_procedure),
            proc_view("当场收缴罚款", &pr.on_the_spot_collection),
            proc_view("告知听证权利", &pr.hearing),
            proc_view("法制审核", &pr.legal_review),
        ],
        payment_days: pr.payment_days,
        surcharge: pr
            .surcharge
            .as_ref()
            .map(|s| {
                format!(
                    "罚款 {} 逾期 {} 日，每日按 {} 加处罚款，计 {}{}{}",
                    format_yuan(s.fine_fen),
                    s.days,
                    ratio_words(&s.rate),
                    format_yuan(s.amount_fen),
                    if s.capped { "（以罚款数额为限）" } else { "" },
                    if s.unverified { "（含未核实数值）" } else { "" }
                )
            })
            .unwrap_or_default(),
        limitation: match (lim.act_date, lim.last_day) {
            (Some(a), Some(l)) => format!(
                "{} 年：自 {a} 起算，至 {l}（含）届满{}",
                lim.years,
                match lim.expired {
                    Some(true) => "；已超过时效，不再给予行政处罚",
                    Some(false) => "；在时效内",
                    None => "",
                }
            ),
            _ => format!("{} 年，自违法行为发生之日（连续或继续状态的，自行为终了之日）起计算", lim.years),
        } + &format!("（{}）", lim.citation.label),
        limitation_unverified: lim.unverified,
        citations: r.citations.iter().map(cite_view).collect(),
        explanation: r.explanation.clone(),
        unverified: r.unverified,
        config_name: r.config.name.clone(),
        config_source: r.config.source.clone(),
        text: render_text(r),
    }
}

/// A calculator error in Chinese, for the portal.
fn law_error_zh(e: &LawError) -> String {
    match e {
        LawError::NegativeAmount { .. } => "金额不能为负数。".into(),
        LawError::AmountTooLarge { .. } => "金额超过 1000亿元 的上限，请核对。".into(),
        LawError::InvalidYuan(s) => format!("“{s}”不是以元为单位、最多两位小数的金额。"),
        LawError::UnknownStatute { title, suggestion } => format!(
            "法规库中没有《{title}》。{}",
            suggestion.as_ref().map(|s| format!("是否指《{s}》？")).unwrap_or_default()
        ),
        LawError::UnknownArticle { statute, article, count } => format!(
            "《{statute}》没有{}{}。",
            article_label(*article),
            count.map(|c| format!("（共 {c} 条）")).unwrap_or_default()
        ),
        LawError::NoSanction { statute, article, known } => format!(
            "《{statute}》{}不是计算器收录的罚则条款（收录的条款：{}）。",
            article_label(*article),
            known
                .split(", ")
                .filter_map(|n| n.parse::<u32>().ok())
                .map(article_label)
                .collect::<Vec<_>>()
                .join("、")
        ),
        LawError::BeforeEffect { statute, date, effective } => {
            format!("《{statute}》在 {date} 尚未施行（{effective} 起施行）。")
        }
        LawError::NoLongerInForce { statute, date, superseded } => {
            format!("{date} 时《{statute}》已无有效版本（{superseded} 起被取代）。")
        }
        LawError::FigureNotInForce { figure, date, first } => {
            format!("{date} 时没有“{figure}”的有效数值（自 {first} 起才有）。")
        }
        LawError::PartyMismatch { statute, article, liable, .. } => {
            format!("《{statute}》{}针对的是{liable}，与所选当事人类型不符。", article_label(*article))
        }
        LawError::MissingBase { statute, article, base } => {
            format!("《{statute}》{}的罚款按{base}的倍数计算，请填写{base}。", article_label(*article))
        }
        LawError::Data(m) => format!("内置法律数据有误：{m}"),
        #[allow(unreachable_patterns)]
        other => other.to_string(),
    }
}

async fn calculator_page(Query(pairs): Query<Vec<(String, String)>>) -> Response {
    let get = |k: &str| {
        pairs.iter().rev().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_string()).unwrap_or_default()
    };
    let checked: Vec<String> =
        pairs.iter().filter(|(k, _)| k == "c").map(|(_, v)| v.trim().to_string()).collect();
    let statute = get("statute");
    let reg = registry();
    let selected_title = reg.canonical_title(&statute).unwrap_or(&statute).to_string();
    let mut page = CalculatorPage {
        statutes: sanction_statutes()
            .into_iter()
            .map(|t| Opt {
                value: t.to_string(),
                label: reg.current(t).map_or_else(|| t.to_string(), |e| e.full_title.clone()),
                selected: t == selected_title,
            })
            .collect(),
        article: get("article"),
        paragraph: get("paragraph"),
        base: get("base"),
        individual: Party::from_id(&get("party")) == Some(Party::Individual),
        date: {
            let d = get("date");
            if d.is_empty() { today().to_string() } else { d }
        },
        fine: get("fine"),
        days_overdue: get("days_overdue"),
        act_date: get("act_date"),
        conditions: Condition::ALL
            .into_iter()
            .map(|c| CondOpt { id: c.id(), label: c.label(), checked: checked.iter().any(|x| x == c.id()) })
            .collect(),
        hints: sanction_statutes()
            .into_iter()
            .map(|t| HintRow {
                title: t.to_string(),
                links: sanction_articles(t)
                    .into_iter()
                    .map(|a| (calc_url(t, a, None, None), article_label(a)))
                    .collect(),
            })
            .collect(),
        more_open: false,
        error: String::new(),
        result: None,
    };
    page.more_open = !(page.fine.is_empty() && page.days_overdue.is_empty() && page.act_date.is_empty())
        || page.conditions.iter().any(|c| c.checked);
    let mut status = StatusCode::OK;
    if !statute.is_empty() || !page.article.is_empty() {
        match calc_query(&statute, &page, &checked) {
            Ok(q) => match compute(reg, &q) {
                Ok(r) => page.result = Some(result_view(&r)),
                Err(e) => {
                    status = law_status(&e).0;
                    page.error = law_error_zh(&e);
                }
            },
            Err(msg) => {
                status = StatusCode::BAD_REQUEST;
                page.error = msg;
            }
        }
    }
    match page.render() {
        Ok(body) => (status, Html(body)).into_response(),
        Err(e) => PageError::from(ApiError::internal(e)).into_response(),
    }
}

/// The calculator's query from the form, or what is wrong with it (in Chinese).
fn calc_query(statute: &str, p: &CalculatorPage, checked: &[String]) -> Result<PenaltyQuery, String> {
    if statute.is_empty() {
        return Err("请选择法规。".into());
    }
    if statute.chars().count() > MAX_TITLE_CHARS {
        return Err("法规名称过长。".into());
    }
    let article = parse_article_ref(&p.article)
        .ok_or_else(|| format!("条号应为数字或“第…条”，而不是“{}”。", p.article))?;
    let paragraph = match p.paragraph.as_str() {
        "" => None,
        s => Some(
            s.parse::<u32>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("款号应为正整数，而不是“{s}”。"))?,
        ),
    };
    let yuan = |what: &str, s: &str| -> Result<Option<i64>, String> {
        if s.is_empty() {
            return Ok(None);
        }
        parse_yuan(s).map(Some).map_err(|e| format!("{what}：{}", law_error_zh(&e)))
    };
    let date = |what: &str, s: &str| -> Result<Option<Date>, String> {
        if s.is_empty() {
            return Ok(None);
        }
        Date::parse(s).map(Some).ok_or_else(|| format!("{what}应为 YYYY-MM-DD 格式的日期，而不是“{s}”。"))
    };
    let mut conditions = Vec::new();
    for c in checked {
        let cond = Condition::from_id(c).ok_or_else(|| format!("未知的情节：“{c}”。"))?;
        if !conditions.contains(&cond) {
            conditions.push(cond);
        }
    }
    let title = registry().by_id(statute).map_or_else(|| statute.to_string(), |e| e.title.clone());
    Ok(PenaltyQuery {
        statute: title,
        article,
        paragraph,
        base_amount_fen: yuan("基数金额", &p.base)?,
        party: if p.individual { Party::Individual } else { Party::Unit },
        date: Some(date("计算日", &p.date)?.unwrap_or_else(today)),
        conditions,
        fine_fen: yuan("拟罚款金额", &p.fine)?,
        days_overdue: match p.days_overdue.as_str() {
            "" => None,
            d => Some(
                d.parse::<u32>()
                    .ok()
                    .filter(|n| *n <= 36_500)
                    .ok_or_else(|| format!("逾期天数应为 0 至 36500 的整数，而不是“{d}”。"))?,
            ),
        },
        act_date: date("违法行为发生日", &p.act_date)?,
        ..PenaltyQuery::default()
    })
}

// ---------- item page ----------

/// What the registry says about one citation of an item (no list date: no edition check).
fn citation_findings(
    item: &PowerItem,
    c: &quanze_model::Citation,
) -> Vec<(&'static str, &'static str, String)> {
    let mut one = item.clone();
    one.legal_basis.citations = vec![c.clone()];
    one.accountability_basis.citations.clear();
    let catalog = Catalog {
        source: quanze_model::Source::default(),
        declared: quanze_model::Declared::default(),
        contacts: Vec::new(),
        items: vec![one],
        diagnostics: Vec::new(),
    };
    quanze_law::check_citations_on(registry(), &catalog, None)
        .diagnostics
        .iter()
        .map(|d| (d.severity.as_str(), d.code.as_str(), d.message.clone()))
        .collect()
}

/// Query parameters of the item page: `base` in 元 for the sanction articles' ranges.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ItemLawParams {
    pub base: Option<String>,
}

impl ItemLawParams {
    /// Whether the page depends on the parameters (and must not be cached).
    pub(crate) fn is_set(&self) -> bool {
        self.base.as_deref().is_some_and(|b| !b.trim().is_empty())
    }
}

pub(crate) struct CitedArticle {
    pub(crate) heading: String,
    pub(crate) quoted: String,
    /// The registry's text of the cited article, paragraph by paragraph.
    pub(crate) paras: Vec<ParaView>,
    /// A quotation from lists, when the registry holds no text.
    pub(crate) registry_quote: String,
    /// Why there is no text, when there is none.
    pub(crate) note: String,
    pub(crate) url: String,
    pub(crate) edition: String,
    /// The registry's findings on this citation: (severity, code, message).
    pub(crate) findings: Vec<(&'static str, &'static str, String)>,
}

pub(crate) struct ItemPenaltyView {
    pub(crate) heading: String,
    pub(crate) range: String,
    pub(crate) fine_applies: bool,
    pub(crate) formulas: Vec<String>,
    /// Set when the fine is a multiple of an amount not given.
    pub(crate) needs_base: String,
    pub(crate) error: String,
    pub(crate) unverified: bool,
    pub(crate) highest: bool,
    pub(crate) max_fen: i64,
    pub(crate) calc_url: String,
}

/// The law block of the item page.
#[derive(Default)]
pub(crate) struct ItemLaw {
    pub(crate) item_id: i64,
    pub(crate) articles: Vec<CitedArticle>,
    pub(crate) penalties: Vec<ItemPenaltyView>,
    pub(crate) base: String,
    pub(crate) base_error: String,
    pub(crate) any_needs_base: bool,
    pub(crate) date: String,
}

impl ItemLaw {
    pub(crate) fn is_empty(&self) -> bool {
        self.articles.is_empty() && self.penalties.is_empty()
    }
}

/// The law block of an item page: each cited article's text from the registry next to the
/// list's quotation, and the computed range of each sanction article (for `params.base`, in 元,
/// when given; else the formula).
pub(crate) fn item_law(item_id: i64, item: &PowerItem, params: &ItemLawParams) -> ItemLaw {
    let reg = registry();
    let date = today();
    let mut out = ItemLaw { item_id, date: date.to_string(), ..ItemLaw::default() };
    let base_text = params.base.as_deref().map(str::trim).unwrap_or("").to_string();
    let base = if base_text.is_empty() {
        None
    } else {
        match parse_yuan(&base_text) {
            Ok(f) => Some(f),
            Err(e) => {
                out.base_error = law_error_zh(&e);
                None
            }
        }
    };
    out.base = base_text;
    let mut seen: Vec<(String, u32, Option<u32>)> = Vec::new();
    for c in &item.legal_basis.citations {
        let Some(article) = c.article else { continue };
        let mut heading = format!("《{}》{}", c.title, article_label(article));
        if let Some(p) = c.paragraph {
            heading.push_str(&format!("第{}款", chinese_number(p)));
        }
        if let Some(i) = c.item {
            heading.push_str(&format!("第{}项", chinese_number(i)));
        }
        let mut view = CitedArticle {
            heading,
            quoted: c.text.clone().unwrap_or_default(),
            paras: Vec::new(),
            registry_quote: String::new(),
            note: String::new(),
            url: String::new(),
            edition: String::new(),
            findings: citation_findings(item, c),
        };
        match reg.current(&c.title) {
            None => view.note = "法规库未收录此法规。".into(),
            Some(e) => {
                view.edition = e.id.clone();
                match e.article(article) {
                    Some(a) if !a.paragraphs.is_empty() => {
                        view.paras = paras(a, c.paragraph);
                        view.url = article_url(e, article);
                    }
                    Some(a) => {
                        view.registry_quote = a.quotes.first().map(|q| q.text.clone()).unwrap_or_default();
                        view.note = if view.registry_quote.is_empty() {
                            "法规库未收录全文，也没有清单引用这一条的原文。".into()
                        } else {
                            "法规库未收录全文，以下为清单对这一条的引用（未经核对）。".into()
                        };
                        view.url = article_url(e, article);
                    }
                    None if e.full_text => {
                        view.note = format!(
                            "{}没有{}（共 {} 条）。",
                            e.full_title,
                            article_label(article),
                            e.article_count().unwrap_or(0)
                        );
                    }
                    None => view.note = "法规库未收录此法规的全文。".into(),
                }
            }
        }
        out.articles.push(view);

        // Sanction articles.
        let title = reg.canonical_title(&c.title).unwrap_or(&c.title).to_string();
        let data = law_data();
        let paragraph = c
            .paragraph
            .filter(|p| data.sanctions_of(&title, article, Some(*p)).iter().any(|s| s.paragraph == Some(*p)));
        let sanctions = data.sanctions_of(&title, article, paragraph);
        if sanctions.is_empty() {
            continue;
        }
        let key = (title.clone(), article, paragraph);
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let mut q = PenaltyQuery {
            statute: title.clone(),
            article,
            paragraph,
            base_amount_fen: base,
            party: Party::Unit,
            date: Some(date),
            ..PenaltyQuery::default()
        };
        let mut r = compute(reg, &q);
        if matches!(r, Err(LawError::PartyMismatch { .. })) {
            q.party = Party::Individual;
            r = compute(reg, &q);
        }
        let full = reg.current(&title).map_or_else(|| title.clone(), |e| e.full_title.clone());
        let mut pv = ItemPenaltyView {
            heading: format!(
                "《{full}》{}{}",
                article_label(article),
                paragraph.map(|p| format!("第{}款", chinese_number(p))).unwrap_or_default()
            ),
            range: String::new(),
            fine_applies: false,
            formulas: Vec::new(),
            needs_base: String::new(),
            error: String::new(),
            unverified: false,
            highest: false,
            max_fen: 0,
            calc_url: calc_url(&title, article, paragraph, base),
        };
        match r {
            Ok(res) => {
                pv.fine_applies = res.fine_applies;
                pv.range = format!("{} 至 {}", format_yuan(res.min_fen), format_yuan(res.max_fen));
                pv.unverified = res.unverified;
                pv.max_fen = res.max_fen;
                pv.formulas = res
                    .fines
                    .iter()
                    .map(|f| {
                        let mut s = format!("罚款（{}）：{}", f.target.label(), f.formula);
                        if f.applies {
                            s.push_str(&format!(
                                " → {} 至 {}",
                                format_yuan(f.min_fen),
                                format_yuan(f.max_fen)
                            ));
                        } else if let Some(c) = &f.condition {
                            s.push_str(&format!("（须{c}）"));
                        }
                        s
                    })
                    .collect();
            }
            Err(LawError::MissingBase { base: kind, .. }) => {
                out.any_needs_base = true;
                pv.needs_base = kind;
                for s in &sanctions {
                    for comp in &s.component {
                        if comp.kind.is_fine() {
                            let mut line = format!("罚款（{}）：", comp.target.label());
                            match (comp.min.as_deref(), comp.max.as_deref(), comp.min_yuan, comp.max_yuan) {
                                (Some(a), Some(b), _, _) => line.push_str(&format!(
                                    "{} × {}至{}",
                                    s.base.as_deref().unwrap_or("基数"),
                                    ratio_words(a),
                                    ratio_words(b)
                                )),
                                (_, _, Some(a), Some(b)) => line.push_str(&format!(
                                    "{} 至 {}",
                                    format_yuan(a.saturating_mul(100)),
                                    format_yuan(b.saturating_mul(100))
                                )),
                                _ => {}
                            }
                            line.push_str(&format!("——{}", comp.text));
                            if let Some(c) = comp.condition_text() {
                                line.push_str(&format!("（须{c}）"));
                            }
                            pv.formulas.push(line);
                        }
                    }
                }
            }
            Err(e) => pv.error = law_error_zh(&e),
        }
        out.penalties.push(pv);
    }
    // 行政处罚法 第二十九条: one act breaking several rules with fines is fined under the
    // rule with the higher fine.
    // Marked only when one article's maximum is strictly the highest.
    let fined: Vec<i64> = out.penalties.iter().filter(|p| p.fine_applies).map(|p| p.max_fen).collect();
    if let Some(top) = fined.iter().max().copied()
        && fined.len() > 1
        && fined.iter().filter(|m| **m == top).count() == 1
        && let Some(p) = out.penalties.iter_mut().find(|p| p.fine_applies && p.max_fen == top)
    {
        p.highest = true;
    }
    out
}
