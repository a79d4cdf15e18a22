//! The public portal and the administrators' pages: server-rendered HTML in Chinese, no
//! JavaScript.

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Form, FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use quanze_model::{Category, Diagnostic, DiagnosticCode, Severity};
use serde::Deserialize;

use crate::AppState;
use crate::api::{self, DiffParams, SearchParams, VersionParam};
use crate::auth;
use crate::diff::{ChangedItem, ItemStub};
use crate::error::ApiError;
use crate::snapshot::{BureauData, CategoryCount, Snapshot, VersionData};

const CSS: &str = include_str!("../static/quanze.css");

pub fn router(state: &AppState) -> Router<AppState> {
    let upload = state.inner.max_upload_bytes;
    Router::new()
        .route("/", get(index))
        .route("/static/quanze.css", get(css))
        .route("/bureaus/{id}", get(bureau))
        .route("/bureaus/{id}/versions", get(versions))
        .route("/bureaus/{id}/diff", get(diff))
        .route("/bureaus/{id}/diagnostics", get(diagnostics))
        .route("/bureaus/{id}/download/{format}", get(download))
        .route("/items/{id}", get(item))
        .route("/search", get(search))
        .route("/compare", get(compare))
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route("/admin", get(admin))
        .route("/admin/import", post(admin_import).layer(DefaultBodyLimit::max(upload)))
        .route("/admin/publish", post(admin_publish))
        .layer(DefaultBodyLimit::max(64 * 1024))
}

// ---------- errors ----------

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    title: String,
    detail: String,
}

/// An error shown as a page.
pub struct PageError(ApiError);

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> Self {
        PageError(e)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let title = match self.0.status {
            StatusCode::NOT_FOUND => "未找到",
            StatusCode::BAD_REQUEST => "请求有误",
            StatusCode::UNAUTHORIZED => "需要登录",
            StatusCode::FORBIDDEN => "禁止访问",
            StatusCode::PAYLOAD_TOO_LARGE => "文件过大",
            StatusCode::UNPROCESSABLE_ENTITY => "无法导入",
            StatusCode::TOO_MANY_REQUESTS => "请求过多",
            _ => "服务器错误",
        };
        let page = ErrorPage { title: title.into(), detail: self.0.detail.clone() };
        let body = page.render().unwrap_or_else(|_| title.to_string());
        (self.0.status, Html(body)).into_response()
    }
}

type PageResult = Result<Response, PageError>;

fn render(t: &impl Template) -> PageResult {
    let body = t.render().map_err(ApiError::internal)?;
    Ok(Html(body).into_response())
}

pub async fn not_found() -> Response {
    PageError(ApiError::not_found("没有这个页面。")).into_response()
}

async fn css() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        CSS,
    )
        .into_response()
}

fn bureau_of(snap: &Snapshot, id: i64) -> Result<&BureauData, ApiError> {
    snap.bureau(id).ok_or_else(|| ApiError::not_found(format!("没有编号为 {id} 的单位。")))
}

fn date(ts: i64) -> String {
    // Days since the epoch to a civil date (UTC+8, the bureaus' time zone).
    let secs = ts + 8 * 3600;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil(days);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}", rem / 3600, (rem % 3600) / 60)
}

fn civil(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn version_label(v: &VersionData) -> String {
    let status = if v.published { "已发布" } else { "草稿" };
    let mut s = format!("第 {} 版（{status}）", v.number);
    if let Some(e) = &v.catalog.source.edition {
        s.push_str(&format!(" · {e}"));
    }
    s
}

/// 84 → 八十四, 10 → 十, 105 → 一百零五 (as statutes print article numbers).
pub fn chinese_number(n: u32) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    if n == 0 || n >= 10_000 {
        return n.to_string();
    }
    let parts = [(n / 1000, "千"), ((n / 100) % 10, "百"), ((n / 10) % 10, "十"), (n % 10, "")];
    let mut out = String::new();
    let mut zero = false;
    for (d, unit) in parts {
        if d == 0 {
            zero = !out.is_empty();
            continue;
        }
        if zero {
            out.push('零');
            zero = false;
        }
        if !(d == 1 && unit == "十" && out.is_empty()) {
            out.push_str(D[d as usize]);
        }
        out.push_str(unit);
    }
    out
}

fn severity_label(s: Severity) -> &'static str {
    match s {
        Severity::Error => "错误",
        Severity::Warning => "警告",
        Severity::Info => "提示",
    }
}

/// Chinese name of a validation rule.
pub fn rule_label(code: DiagnosticCode) -> &'static str {
    match code {
        DiagnosticCode::MissingSerial => "缺少序号",
        DiagnosticCode::DuplicateSerial => "序号重复",
        DiagnosticCode::DeclaredCountMismatch => "事项数与声明不符",
        DiagnosticCode::SummaryDetailMismatch => "统计表与明细表不一致",
        DiagnosticCode::DuplicateCode => "权力编码重复",
        DiagnosticCode::CodeTypeMismatch => "编码类型段与类型不符",
        DiagnosticCode::NonstandardType => "非标准类型名称",
        DiagnosticCode::TypeMismatch => "类型与事项内容不符",
        DiagnosticCode::MisplacedCell => "内容错列",
        DiagnosticCode::MissingField => "必填项为空",
        DiagnosticCode::UnparsedCitation => "依据无法识别",
        DiagnosticCode::InconsistentSubject => "实施主体写法不一",
        DiagnosticCode::Truncated => "清单不完整",
        DiagnosticCode::Transcoded => "已转换编码或繁体",
        DiagnosticCode::ExtraCells => "单元格多于表头",
        DiagnosticCode::UnknownColumn => "未知列",
        DiagnosticCode::UnresolvedCitation => "法规库中无此条文",
        DiagnosticCode::CitationMismatch => "引用条文与事项无关",
        DiagnosticCode::QuotationMismatch => "引文与条文不一致",
        DiagnosticCode::SupersededCitation => "引用的版本已失效",
        DiagnosticCode::NoHeader => "未找到表头",
    }
}

struct DiagRow {
    severity: &'static str,
    severity_label: &'static str,
    rule: &'static str,
    code: String,
    item: String,
    line: String,
    message: String,
}

fn diag_row(d: &Diagnostic) -> DiagRow {
    DiagRow {
        severity: d.severity.as_str(),
        severity_label: severity_label(d.severity),
        rule: rule_label(d.code),
        code: d.code.as_str().into(),
        item: d.item.map(|i| i.to_string()).unwrap_or_default(),
        line: d.line.map(|i| i.to_string()).unwrap_or_default(),
        message: d.message.clone(),
    }
}

struct Opt {
    value: String,
    label: String,
    selected: bool,
}

fn bureau_options(snap: &Snapshot, selected: Option<i64>) -> Vec<Opt> {
    snap.bureaus
        .iter()
        .map(|b| Opt { value: b.id.to_string(), label: b.name.clone(), selected: selected == Some(b.id) })
        .collect()
}

// ---------- index ----------

struct BureauRow {
    id: i64,
    name: String,
    items: usize,
    categories: Vec<CategoryCount>,
    version: String,
    problems: usize,
}

#[derive(Template)]
#[template(path = "index.html")]
struct IndexPage {
    bureaus: Vec<BureauRow>,
}

async fn index(State(state): State<AppState>) -> PageResult {
    let snap = state.snapshot();
    let bureaus = snap
        .bureaus
        .iter()
        .map(|b| {
            let cur = b.current();
            BureauRow {
                id: b.id,
                name: b.name.clone(),
                items: cur.map_or(0, |v| v.catalog.items.len()),
                categories: cur.map(VersionData::category_counts).unwrap_or_default(),
                version: cur.map(version_label).unwrap_or_else(|| "（无）".into()),
                problems: cur.map_or(0, |v| v.catalog.diagnostics.len()),
            }
        })
        .collect();
    render(&IndexPage { bureaus })
}

// ---------- bureau ----------

struct ItemRow {
    id: i64,
    seq: String,
    name: String,
    subject: String,
}

struct Group {
    id: &'static str,
    label: &'static str,
    items: Vec<ItemRow>,
}

#[derive(Template)]
#[template(path = "bureau.html")]
struct BureauPage {
    id: i64,
    name: String,
    title: String,
    version_label: String,
    version_query: String,
    total: usize,
    problems: usize,
    groups: Vec<Group>,
}

async fn bureau(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(p): Query<VersionParam>,
) -> PageResult {
    let admin = auth::viewer_is_admin(&state, &headers).await;
    let snap = state.snapshot();
    let b = bureau_of(&snap, id)?;
    let v = api::pick_version(b, p.version.as_deref(), admin)?;
    let groups = Category::ALL
        .into_iter()
        .filter_map(|c| {
            let items: Vec<ItemRow> = v
                .items()
                .filter(|(_, it)| it.category == c)
                .map(|(iid, it)| ItemRow {
                    id: iid,
                    seq: it.seq.map(|s| s.to_string()).unwrap_or_default(),
                    name: match &it.sub_name {
                        Some(s) if !s.is_empty() => format!("{}（{s}）", it.name),
                        _ => it.name.clone(),
                    },
                    subject: it.subject.clone().unwrap_or_default(),
                })
                .collect();
            (!items.is_empty()).then_some(Group { id: c.id(), label: c.label(), items })
        })
        .collect();
    let version_query = if p.version.is_some() { format!("?version={}", v.number) } else { String::new() };
    render(&BureauPage {
        id: b.id,
        name: b.name.clone(),
        title: v.catalog.source.title.clone().unwrap_or_default(),
        version_label: version_label(v),
        version_query,
        total: v.catalog.items.len(),
        problems: v.catalog.diagnostics.len(),
        groups,
    })
}

// ---------- item ----------

struct CitationView {
    heading: String,
    level: String,
    text: String,
}

struct StageView {
    name: String,
    post: String,
    text: String,
}

#[derive(Template)]
#[template(path = "item.html")]
struct ItemPage {
    id: i64,
    bureau_id: i64,
    bureau_name: String,
    current: bool,
    version_number: i64,
    name: String,
    facts: Vec<(&'static str, String)>,
    citations: Vec<CitationView>,
    basis_text: String,
    responsibilities_text: String,
    stages: Vec<StageView>,
    preamble: String,
    clauses: Vec<String>,
    accountability_text: String,
    accountability_basis: String,
    diagnostics: Vec<DiagRow>,
    law: crate::law::ItemLaw,
}

fn item_page(snap: &Snapshot, id: i64, law: &crate::law::ItemLawParams) -> Result<ItemPage, ApiError> {
    let r = snap.item(id).ok_or_else(|| ApiError::not_found(format!("没有编号为 {id} 的事项。")))?;
    let it = r.item;
    let mut facts: Vec<(&'static str, String)> =
        vec![("单位", r.bureau.name.clone()), ("权力类型", it.category.label().to_string())];
    let printed = it.category_label.trim();
    if printed.trim_end_matches('类') != it.category.label() && !printed.is_empty() {
        facts.push(("清单所列类型", it.category_label.clone()));
    }
    let mut opt = |label: &'static str, v: &Option<String>| {
        if let Some(s) = v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            facts.push((label, s.to_string()));
        }
    };
    opt("序号", &it.seq.map(|s| s.to_string()));
    opt("子项", &it.sub_name);
    opt("实施主体", &it.subject);
    opt("承办机构", &it.office);
    opt("行使层级", &it.level);
    opt("权力编码", &it.code);
    opt("子项编码", &it.sub_code);
    opt("受理条件", &it.acceptance);
    opt("法定期限", &it.deadline.as_ref().map(|d| d.text.clone()));
    opt("受理地点", &it.service.as_ref().and_then(|s| s.location.clone()));
    opt("服务电话", &it.service.as_ref().and_then(|s| s.phone.clone()));
    opt("责任人员", &it.responsible_person);
    opt("备注", &it.remarks);
    for (k, v) in &it.extra {
        if !v.trim().is_empty() {
            facts.push(("其他", format!("{k}：{v}")));
        }
    }
    let citations = it
        .legal_basis
        .citations
        .iter()
        .map(|c| {
            let mut heading = format!("《{}》", c.title);
            if let Some(e) = &c.edition {
                heading.push_str(&format!("（{e}）"));
            }
            if let Some(a) = c.article {
                heading.push_str(&format!("第{}条", chinese_number(a)));
            }
            if let Some(p) = c.paragraph {
                heading.push_str(&format!("第{}款", chinese_number(p)));
            }
            if let Some(i) = c.item {
                heading.push_str(&format!("第{}项", chinese_number(i)));
            }
            CitationView {
                heading,
                level: c.level.map(|l| l.label().to_string()).unwrap_or_default(),
                text: c.text.clone().unwrap_or_default(),
            }
        })
        .collect();
    let stages = it
        .responsibilities
        .stages
        .iter()
        .map(|s| StageView {
            name: s.name.clone(),
            post: s.post.clone().unwrap_or_default(),
            text: s.text.clone(),
        })
        .collect();
    let diagnostics =
        r.version.catalog.diagnostics.iter().filter(|d| api::concerns(d, it)).map(diag_row).collect();
    Ok(ItemPage {
        id,
        bureau_id: r.bureau.id,
        bureau_name: r.bureau.name.clone(),
        current: r.bureau.current().is_some_and(|c| c.id == r.version.id),
        version_number: r.version.number,
        name: match &it.sub_name {
            Some(s) if !s.is_empty() => format!("{}（{s}）", it.name),
            _ => it.name.clone(),
        },
        facts,
        citations,
        basis_text: it.legal_basis.text.clone(),
        responsibilities_text: it.responsibilities.text.clone(),
        stages,
        preamble: it.accountability_preamble.clone().unwrap_or_default(),
        clauses: it.accountability.clauses.iter().map(|c| c.text.clone()).collect(),
        accountability_text: it.accountability.text.clone(),
        accountability_basis: it.accountability_basis.text.clone(),
        diagnostics,
        law: crate::law::item_law(id, it, law),
    })
}

async fn item(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(law): Query<crate::law::ItemLawParams>,
) -> PageResult {
    // Only pages of public versions are cached; drafts are for administrators.
    if !law.is_set()
        && let Some(body) = state.cached_page(id)
    {
        return Ok(Html(body).into_response());
    }
    let snap = state.snapshot();
    let public = snap.item(id).is_none_or(|r| r.bureau.is_public(r.version));
    if !public && !auth::viewer_is_admin(&state, &headers).await {
        return Err(ApiError::not_found(format!("没有编号为 {id} 的事项。")).into());
    }
    let page = item_page(&snap, id, &law)?;
    let body = bytes::Bytes::from(page.render().map_err(ApiError::internal)?);
    if !law.is_set() && public {
        state.cache_page(id, body.clone());
    }
    Ok(Html(body).into_response())
}

// ---------- search ----------

struct HitView {
    id: i64,
    name: String,
    bureau: String,
    category: &'static str,
    /// (text, highlighted) runs of the snippet.
    snippet: Vec<(String, bool)>,
    cut_before: bool,
    cut_after: bool,
}

fn snippet_runs(s: &quanze_search::Snippet) -> Vec<(String, bool)> {
    let chars: Vec<char> = s.text.chars().collect();
    let mut runs = Vec::new();
    let mut at = 0usize;
    for h in &s.highlights {
        let (a, b) = (h.start as usize, (h.end as usize).min(chars.len()));
        if a < at || a > b {
            continue;
        }
        if a > at {
            runs.push((chars[at..a].iter().collect(), false));
        }
        runs.push((chars[a..b].iter().collect(), true));
        at = b;
    }
    if at < chars.len() {
        runs.push((chars[at..].iter().collect(), false));
    }
    runs
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    q: String,
    statute: String,
    article: String,
    categories: Vec<Opt>,
    bureaus: Vec<Opt>,
    error: String,
    searched: bool,
    total: usize,
    first: usize,
    hits: Vec<HitView>,
    prev: String,
    next: String,
}

fn enc(s: &str) -> String {
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

async fn search(State(state): State<AppState>, Query(p): Query<SearchParams>) -> Response {
    let snap = state.snapshot();
    let text = |o: &Option<String>| o.clone().unwrap_or_default();
    let selected_cat = p.category.as_deref().and_then(|c| api::parse_category(c).ok());
    let selected_bureau = p.bureau.as_deref().and_then(|b| b.trim().parse::<i64>().ok());
    let mut page = SearchPage {
        q: text(&p.q),
        statute: text(&p.statute),
        article: text(&p.article),
        categories: Category::ALL
            .into_iter()
            .map(|c| Opt { value: c.id().into(), label: c.label().into(), selected: selected_cat == Some(c) })
            .collect(),
        bureaus: bureau_options(&snap, selected_bureau),
        error: String::new(),
        searched: false,
        total: 0,
        first: 1,
        hits: Vec::new(),
        prev: String::new(),
        next: String::new(),
    };
    let any = [&p.q, &p.category, &p.bureau, &p.statute, &p.article]
        .iter()
        .any(|o| o.as_deref().is_some_and(|s| !s.trim().is_empty()));
    let mut status = StatusCode::OK;
    if any {
        match (api::search_query(&p), api::paging(p.offset.as_deref(), Some("20"))) {
            (Ok(q), Ok(pg)) => match api::run_search(&snap, q, &pg) {
                Err(e) => {
                    status = StatusCode::BAD_REQUEST;
                    page.error = format!("检索条件有误：{}", e.detail);
                }
                Ok(res) => {
                    let total = res.total;
                    page.searched = true;
                    page.total = total;
                    page.first = pg.offset + 1;
                    page.hits = res
                        .hits
                        .iter()
                        .filter_map(|h| snap.item(h.item_id).map(|r| (h, r)))
                        .map(|(h, r)| HitView {
                            id: r.id,
                            name: r.item.name.clone(),
                            bureau: r.bureau.name.clone(),
                            category: r.item.category.label(),
                            snippet: h
                                .snippet
                                .as_ref()
                                .filter(|s| s.field != quanze_search::Field::Name)
                                .map(snippet_runs)
                                .unwrap_or_default(),
                            cut_before: h.snippet.as_ref().is_some_and(|s| s.cut_before),
                            cut_after: h.snippet.as_ref().is_some_and(|s| s.cut_after),
                        })
                        .collect();
                    let base = format!(
                        "/search?q={}&category={}&bureau={}&statute={}&article={}",
                        enc(&page.q),
                        enc(&text(&p.category)),
                        enc(&text(&p.bureau)),
                        enc(&page.statute),
                        enc(&page.article)
                    );
                    if pg.offset > 0 {
                        page.prev = format!("{base}&offset={}", pg.offset.saturating_sub(pg.limit));
                    }
                    if pg.offset + pg.limit < total {
                        page.next = format!("{base}&offset={}", pg.offset + pg.limit);
                    }
                }
            },
            (Err(e), _) | (_, Err(e)) => {
                status = StatusCode::BAD_REQUEST;
                page.error = format!("检索条件有误：{}", e.detail);
            }
        }
    }
    match render(&page) {
        Ok(mut r) => {
            *r.status_mut() = status;
            r
        }
        Err(e) => e.into_response(),
    }
}

// ---------- compare ----------

struct CompareRow {
    class: &'static str,
    category: String,
    a_id: i64,
    a_name: String,
    b_id: i64,
    b_name: String,
    similarity: String,
}

#[derive(Template)]
#[template(path = "compare.html")]
struct ComparePage {
    options_a: Vec<Opt>,
    options_b: Vec<Opt>,
    error: String,
    compared: bool,
    name_a: String,
    name_b: String,
    matched: usize,
    only_a: usize,
    only_b: usize,
    rows: Vec<CompareRow>,
}

#[derive(Deserialize)]
struct CompareQuery {
    a: Option<String>,
    b: Option<String>,
}

async fn compare(State(state): State<AppState>, Query(p): Query<CompareQuery>) -> Response {
    let snap = state.snapshot();
    let parse = |o: &Option<String>| o.as_deref().and_then(|s| s.trim().parse::<i64>().ok());
    let sel_a = parse(&p.a).or_else(|| snap.bureaus.first().map(|b| b.id));
    let sel_b = parse(&p.b).or_else(|| snap.bureaus.iter().map(|b| b.id).find(|id| Some(*id) != sel_a));
    let mut page = ComparePage {
        options_a: bureau_options(&snap, sel_a),
        options_b: bureau_options(&snap, sel_b),
        error: String::new(),
        compared: false,
        name_a: String::new(),
        name_b: String::new(),
        matched: 0,
        only_a: 0,
        only_b: 0,
        rows: Vec::new(),
    };
    let mut status = StatusCode::OK;
    if p.a.is_some() && p.b.is_some() {
        match api::comparison(&snap, p.a.as_deref(), p.b.as_deref()) {
            Ok(c) => {
                page.compared = true;
                page.name_a = c.a.name;
                page.name_b = c.b.name;
                page.matched = c.matched;
                page.only_a = c.only_a;
                page.only_b = c.only_b;
                page.rows = c
                    .rows
                    .into_iter()
                    .map(|r| {
                        let class = match (&r.a, &r.b) {
                            (Some(_), None) => "only-a",
                            (None, Some(_)) => "only-b",
                            _ => "both",
                        };
                        let side = |s: &Option<ItemStub>| {
                            s.as_ref().map(|s| (s.id, s.name.clone())).unwrap_or_default()
                        };
                        let (a_id, a_name) = side(&r.a);
                        let (b_id, b_name) = side(&r.b);
                        CompareRow {
                            class,
                            category: r.category_label,
                            a_id,
                            a_name,
                            b_id,
                            b_name,
                            similarity: if class == "both" {
                                format!("{}%", r.similarity)
                            } else {
                                String::new()
                            },
                        }
                    })
                    .collect();
            }
            Err(e) => {
                status = e.status;
                page.error = format!("无法对比：{}", e.detail);
            }
        }
    }
    match render(&page) {
        Ok(mut r) => {
            *r.status_mut() = status;
            r
        }
        Err(e) => e.into_response(),
    }
}

// ---------- versions, diff, diagnostics ----------

struct VersionRow {
    number: i64,
    current: bool,
    status: &'static str,
    imported_at: String,
    imported_by: String,
    file_name: String,
    items: usize,
    problems: usize,
}

#[derive(Template)]
#[template(path = "versions.html")]
struct VersionsPage {
    id: i64,
    name: String,
    versions: Vec<VersionRow>,
    from_options: Vec<Opt>,
    to_options: Vec<Opt>,
}

async fn versions(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<i64>) -> PageResult {
    let admin = auth::viewer_is_admin(&state, &headers).await;
    let snap = state.snapshot();
    let b = bureau_of(&snap, id)?;
    let cur = b.current().map(|v| v.id);
    let visible: Vec<&VersionData> = b.visible_versions(admin).collect();
    let rows = visible
        .iter()
        .rev()
        .map(|v| VersionRow {
            number: v.number,
            current: Some(v.id) == cur,
            status: if v.published { "已发布" } else { "草稿" },
            imported_at: date(v.imported_at),
            imported_by: v.imported_by.clone().unwrap_or_else(|| "系统".into()),
            file_name: v.catalog.source.file_name.clone(),
            items: v.catalog.items.len(),
            problems: v.catalog.diagnostics.len(),
        })
        .collect();
    let n = visible.len();
    let opts = |pick: usize| -> Vec<Opt> {
        visible
            .iter()
            .enumerate()
            .map(|(i, v)| Opt {
                value: v.number.to_string(),
                label: format!("第 {} 版", v.number),
                selected: i == pick,
            })
            .collect()
    };
    render(&VersionsPage {
        id: b.id,
        name: b.name.clone(),
        versions: rows,
        from_options: opts(n.saturating_sub(2)),
        to_options: opts(n.saturating_sub(1)),
    })
}

/// A changed field split into the common start, the differing middle and the common end.
struct FieldView {
    label: String,
    head: String,
    before: String,
    after: String,
    tail: String,
}

fn split_change(before: &str, after: &str) -> (String, String, String, String) {
    let (b, a): (Vec<char>, Vec<char>) = (before.chars().collect(), after.chars().collect());
    let head = b.iter().zip(&a).take_while(|(x, y)| x == y).count();
    let max_tail = b.len().min(a.len()) - head;
    let tail = b.iter().rev().zip(a.iter().rev()).take(max_tail).take_while(|(x, y)| x == y).count();
    // Show some context around the change rather than the whole field.
    const CONTEXT: usize = 60;
    let head_start = head.saturating_sub(CONTEXT);
    let mut h: String = b[head_start..head].iter().collect();
    if head_start > 0 {
        h.insert(0, '…');
    }
    let tail_end = tail.min(CONTEXT);
    let mut t: String = b[b.len() - tail..b.len() - tail + tail_end].iter().collect();
    if tail_end < tail {
        t.push('…');
    }
    let mid_b: String = b[head..b.len() - tail].iter().collect();
    let mid_a: String = a[head..a.len() - tail].iter().collect();
    (h, mid_b, mid_a, t)
}

struct ChangeView {
    to_id: i64,
    name: String,
    fields: Vec<FieldView>,
}

#[derive(Template)]
#[template(path = "diff.html")]
struct DiffPage {
    id: i64,
    name: String,
    from: i64,
    to: i64,
    same: bool,
    added: Vec<ItemStub>,
    removed: Vec<ItemStub>,
    changed: Vec<ChangeView>,
    unchanged: usize,
}

fn change_view(c: ChangedItem) -> ChangeView {
    ChangeView {
        to_id: c.to_id,
        name: c.name,
        fields: c
            .changes
            .into_iter()
            .map(|f| {
                let (head, before, after, tail) = split_change(&f.before, &f.after);
                FieldView { label: f.label, head, before, after, tail }
            })
            .collect(),
    }
}

async fn diff(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(p): Query<DiffParams>,
) -> PageResult {
    let admin = auth::viewer_is_admin(&state, &headers).await;
    let snap = state.snapshot();
    let b = bureau_of(&snap, id)?;
    let (from, to) = api::diff_pair(b, p.from.as_deref(), p.to.as_deref(), admin)?;
    let d = crate::diff::diff_versions(from, to);
    render(&DiffPage {
        id: b.id,
        name: b.name.clone(),
        from: from.number,
        to: to.number,
        same: from.id == to.id,
        added: d.added,
        removed: d.removed,
        changed: d.changed.into_iter().map(change_view).collect(),
        unchanged: d.unchanged,
    })
}

#[derive(Template)]
#[template(path = "diagnostics.html")]
struct DiagnosticsPage {
    id: i64,
    name: String,
    version: i64,
    errors: usize,
    warnings: usize,
    infos: usize,
    rows: Vec<DiagRow>,
}

async fn diagnostics(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(p): Query<VersionParam>,
) -> PageResult {
    let admin = auth::viewer_is_admin(&state, &headers).await;
    let snap = state.snapshot();
    let b = bureau_of(&snap, id)?;
    let v = api::pick_version(b, p.version.as_deref(), admin)?;
    let (errors, warnings, infos) = v.diagnostic_counts();
    let mut rows: Vec<&Diagnostic> = v.catalog.diagnostics.iter().collect();
    rows.sort_by_key(|d| std::cmp::Reverse(d.severity));
    render(&DiagnosticsPage {
        id: b.id,
        name: b.name.clone(),
        version: v.number,
        errors,
        warnings,
        infos,
        rows: rows.into_iter().map(diag_row).collect(),
    })
}

async fn download(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, format)): Path<(i64, String)>,
    Query(p): Query<VersionParam>,
) -> PageResult {
    let admin = auth::viewer_is_admin(&state, &headers).await;
    let snap = state.snapshot();
    let b = bureau_of(&snap, id)?;
    let v = api::pick_version(b, p.version.as_deref(), admin)?;
    let base = format!("quanze-bureau-{}-v{}", b.id, v.number);
    let (ctype, ext, body) = match format.as_str() {
        "json" => (
            "application/json",
            "json",
            serde_json::to_vec_pretty(v.catalog.as_ref()).map_err(ApiError::internal)?,
        ),
        "csv" => ("text/csv; charset=utf-8", "csv", quanze_import::export::to_csv(&v.catalog)),
        "xlsx" => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
            quanze_import::export::to_xlsx(&v.catalog, Some(&b.name)).map_err(ApiError::internal)?,
        ),
        _ => return Err(ApiError::not_found("可下载的格式：json、csv、xlsx。").into()),
    };
    let disposition = format!("attachment; filename=\"{base}.{ext}\"");
    Ok(([(header::CONTENT_TYPE, ctype.to_string()), (header::CONTENT_DISPOSITION, disposition)], body)
        .into_response())
}

// ---------- accounts ----------

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    csrf: String,
    error: String,
}

async fn login_form(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    login_page(&state, &headers, StatusCode::OK, "")
}

fn login_page(state: &AppState, headers: &HeaderMap, status: StatusCode, error: &str) -> PageResult {
    let existing = auth::cookie(headers, auth::CSRF_COOKIE)
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()));
    let token = match existing {
        Some(t) => t,
        None => auth::random_token()?,
    };
    let mut resp = render(&LoginPage { csrf: token.clone(), error: error.into() })?;
    *resp.status_mut() = status;
    resp.headers_mut()
        .insert(header::SET_COOKIE, auth::set_cookie(state, headers, auth::CSRF_COOKIE, &token, 3600));
    resp.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    Ok(resp)
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
    csrf: String,
}

async fn login(State(state): State<AppState>, req: Request) -> PageResult {
    let headers = req.headers().clone();
    auth::check_origin(&headers)?;
    let remote = auth::remote(req.extensions());
    let Form(form) = Form::<LoginForm>::from_request(req, &state)
        .await
        .map_err(|e| ApiError::bad_request(format!("表单有误：{}", e.body_text())))?;
    let cookie = auth::cookie(&headers, auth::CSRF_COOKIE).unwrap_or_default();
    if cookie.is_empty() || !auth::same(&cookie, &form.csrf) {
        return login_page(&state, &headers, StatusCode::FORBIDDEN, "表单已过期或来源不明，请重新登录。");
    }
    match auth::login(&state, &form.username, &form.password, remote.as_deref()).await? {
        auth::Login::Ok { token, .. } => {
            let mut resp = Redirect::to("/admin").into_response();
            let c = auth::set_cookie(&state, &headers, auth::SESSION_COOKIE, &token, auth::SESSION_TTL_SECS);
            resp.headers_mut().append(header::SET_COOKIE, c);
            resp.headers_mut()
                .append(header::SET_COOKIE, auth::set_cookie(&state, &headers, auth::CSRF_COOKIE, "", 0));
            Ok(resp)
        }
        auth::Login::Denied => login_page(&state, &headers, StatusCode::UNAUTHORIZED, "用户名或密码错误。"),
        auth::Login::Limited { .. } => login_page(
            &state,
            &headers,
            StatusCode::TOO_MANY_REQUESTS,
            "登录失败次数过多，请 15 分钟后再试。",
        ),
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
}

async fn logout(State(state): State<AppState>, headers: HeaderMap, Form(form): Form<CsrfForm>) -> PageResult {
    let (token, _) = auth::require_admin(&state, &headers, Some(&form.csrf)).await?;
    crate::storage::delete_session(state.store(), &token).await.map_err(ApiError::internal)?;
    let mut resp = Redirect::to("/").into_response();
    resp.headers_mut()
        .insert(header::SET_COOKIE, auth::set_cookie(&state, &headers, auth::SESSION_COOKIE, "", 0));
    Ok(resp)
}

struct AdminVersion {
    id: i64,
    bureau_id: i64,
    bureau: String,
    number: i64,
    status: &'static str,
    draft: bool,
    file_name: String,
}

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage {
    username: String,
    csrf: String,
    message: String,
    error: String,
    versions: Vec<AdminVersion>,
}

fn admin_page(state: &AppState, s: &quanze_store::Session, message: String, error: String) -> AdminPage {
    let snap = state.snapshot();
    let versions = snap
        .bureaus
        .iter()
        .flat_map(|b| {
            b.versions.iter().rev().map(move |v| AdminVersion {
                id: v.id,
                bureau_id: b.id,
                bureau: b.name.clone(),
                number: v.number,
                status: if v.published { "已发布" } else { "草稿" },
                draft: !v.published,
                file_name: v.catalog.source.file_name.clone(),
            })
        })
        .collect();
    AdminPage { username: s.user.username.clone(), csrf: s.csrf_token.clone(), message, error, versions }
}

fn no_store(mut r: Response) -> Response {
    r.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    r
}

async fn admin(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    let Some((_, s)) = auth::session(&state, &headers).await? else {
        return Ok(Redirect::to("/login").into_response());
    };
    if !s.user.is_admin() {
        return Err(ApiError::forbidden("仅管理员可访问。").into());
    }
    Ok(no_store(render(&admin_page(&state, &s, String::new(), String::new()))?))
}

async fn admin_import(State(state): State<AppState>, req: Request) -> PageResult {
    let headers = req.headers().clone();
    auth::check_origin(&headers)?;
    let Some((_, s)) = auth::session(&state, &headers).await? else {
        return Err(ApiError::unauthorized("请先登录。").into());
    };
    let limit = state.inner.max_upload_bytes;
    let mp = Multipart::from_request(req, &state)
        .await
        .map_err(|e| ApiError::bad_request(format!("表单有误：{}", e.body_text())))?;
    let up = api::read_multipart(mp, limit).await?;
    if !up.csrf.as_deref().is_some_and(|t| auth::same(t, &s.csrf_token)) {
        return Err(ApiError::forbidden("表单已过期或来源不明（CSRF 校验失败）。").into());
    }
    if !s.user.is_admin() {
        return Err(ApiError::forbidden("仅管理员可导入。").into());
    }
    let (message, error, status) = match api::import_upload(&state, up, &s.user).await {
        Ok((r, created)) => {
            let v = &r.version;
            let what = if created { "已导入为" } else { "此文件以前已导入，为" };
            let status = if v.status == "published" { "已发布" } else { "草稿，尚未发布" };
            (
                format!("{what}第 {} 版（{} 项，{status}）。", v.number, v.item_count),
                String::new(),
                StatusCode::OK,
            )
        }
        Err(e) => (String::new(), format!("导入失败：{}", e.detail), e.status),
    };
    let mut resp = no_store(render(&admin_page(&state, &s, message, error))?);
    *resp.status_mut() = status;
    Ok(resp)
}

#[derive(Deserialize)]
struct PublishForm {
    csrf: String,
    version: String,
}

async fn admin_publish(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<PublishForm>,
) -> PageResult {
    let (_, s) = auth::require_admin(&state, &headers, Some(&form.csrf)).await?;
    let vid = api::parse_id("version", &form.version)?;
    let known = state.snapshot().bureaus.iter().any(|b| b.version(vid).is_some());
    if !known {
        return Err(ApiError::not_found(format!("没有编号为 {vid} 的版本。")).into());
    }
    crate::storage::publish(state.store(), vid, &s.user).await.map_err(ApiError::internal)?;
    state.refresh().await?;
    Ok(Redirect::to("/admin").into_response())
}

#[cfg(test)]
mod tests {
    #[test]
    fn changes_split_around_the_difference() {
        let (h, b, a, t) = super::split_change("第八十七条：罚款", "第八十八条：罚款");
        assert_eq!((h.as_str(), b.as_str(), a.as_str(), t.as_str()), ("第八十", "七", "八", "条：罚款"));
        let (h, b, a, t) = super::split_change("", "新");
        assert_eq!((h.as_str(), b.as_str(), a.as_str(), t.as_str()), ("", "", "新", ""));
        let (h, b, a, t) = super::split_change("aa", "aaa");
        assert_eq!((h.as_str(), b.as_str(), a.as_str(), t.as_str()), ("aa", "", "a", ""));
    }

    #[test]
    fn chinese_numbers() {
        let c = super::chinese_number;
        assert_eq!(c(1), "一");
        assert_eq!(c(10), "十");
        assert_eq!(c(14), "十四");
        assert_eq!(c(84), "八十四");
        assert_eq!(c(100), "一百");
        assert_eq!(c(105), "一百零五");
        assert_eq!(c(110), "一百一十");
        assert_eq!(c(1001), "一千零一");
        assert_eq!(c(0), "0");
    }
}
