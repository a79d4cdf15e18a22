//! The catalog's pages: the public portal (server-rendered Chinese HTML, no JavaScript) and
//! the administrators' import and publish page.

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Form, FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use quanze_model::{Category, Diagnostic};
use serde::Deserialize;

use super::compare::{self, ChangedItem, ItemStub};
use super::service::{self, CatalogError, SearchAsk, Upload};
use crate::http::access::{Access, Action};
use crate::http::error::{ApiError, PageError, PageResult, no_store, render, render_with_status};
use crate::http::heavy::HeavyClient;
use crate::http::params::{self, pct};
use crate::http::upload::{UploadError, read_file_form};
use crate::http::viewer::Viewer;
use crate::http::zh;
use crate::read::model::{CategoryCount, VersionData};
use crate::read::snapshot::Snapshot;
use crate::state::AppState;

const CSS: &str = include_str!("../../static/quanze.css");

pub(crate) fn routes(state: &AppState) -> Router<AppState> {
    let upload = state.max_upload_bytes();
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
        .route("/admin", get(admin))
        .route("/admin/import", post(admin_import).layer(DefaultBodyLimit::max(upload)))
        .route("/admin/publish", post(admin_publish))
        .layer(DefaultBodyLimit::max(64 * 1024))
}

/// The pages' rendering of a catalog error: its status, its Chinese message.
fn page_error(e: CatalogError) -> PageError {
    let (status, kind) = e.status_and_kind();
    PageError(ApiError::from_parts(status, kind, e.to_string()))
}

impl From<CatalogError> for PageError {
    fn from(e: CatalogError) -> PageError {
        page_error(e)
    }
}

async fn css() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        CSS,
    )
        .into_response()
}

/// The query parameter `version` (id or number; default the current version).
#[derive(Debug, Deserialize)]
struct VersionParam {
    version: Option<String>,
}

/// The query parameters of a diff: versions by id or number.
#[derive(Debug, Deserialize)]
struct DiffParams {
    from: Option<String>,
    to: Option<String>,
}

/// The search form's fields.
#[derive(Debug, Default, Deserialize)]
struct SearchParams {
    q: Option<String>,
    category: Option<String>,
    bureau: Option<String>,
    statute: Option<String>,
    article: Option<String>,
    offset: Option<String>,
}

fn version_label(v: &VersionData) -> String {
    let status = if v.published { "已发布" } else { "草稿" };
    let mut s = format!("第 {} 版（{status}）", v.number);
    if let Some(e) = &v.catalog.source.edition {
        s.push_str(&format!(" · {e}"));
    }
    s
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
        severity_label: zh::severity_label(d.severity),
        rule: zh::rule_label(d.code),
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
        .filter(|b| b.is_listed())
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
#[template(path = "catalog/index.html")]
struct IndexPage {
    bureaus: Vec<BureauRow>,
}

async fn index(State(state): State<AppState>) -> PageResult {
    let snap = state.snapshot();
    let bureaus = snap
        .bureaus
        .iter()
        .filter(|b| b.is_listed())
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
#[template(path = "catalog/bureau.html")]
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
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(p): Query<VersionParam>,
) -> PageResult {
    let drafts = Access::allows(&viewer, Action::ReadDrafts);
    let snap = state.snapshot();
    let b = service::bureau_of(&snap, id, drafts)?;
    let v = service::pick_version(b, p.version.as_deref(), drafts)?;
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
#[template(path = "catalog/item.html")]
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
    law: crate::law::service::ItemLaw,
}

fn item_page(
    snap: &Snapshot,
    id: i64,
    law: &crate::law::service::ItemLawParams,
    today: quanze_model::Date,
) -> Result<ItemPage, CatalogError> {
    let r = snap.item(id).ok_or(CatalogError::NoItem(id))?;
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
                heading.push_str(&format!("第{}条", zh::numeral(a)));
            }
            if let Some(p) = c.paragraph {
                heading.push_str(&format!("第{}款", zh::numeral(p)));
            }
            if let Some(i) = c.item {
                heading.push_str(&format!("第{}项", zh::numeral(i)));
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
        r.version.catalog.diagnostics.iter().filter(|d| service::concerns(d, it)).map(diag_row).collect();
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
        law: crate::law::service::item_law(id, it, law, today),
    })
}

async fn item(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(law): Query<crate::law::service::ItemLawParams>,
) -> PageResult {
    // Only pages of public versions are cached; drafts are for administrators.
    if !law.is_set()
        && let Some(body) = state.cached_page(id)
    {
        return Ok(Html(body).into_response());
    }
    let snap = state.snapshot();
    let public = snap.item(id).is_none_or(|r| r.bureau.is_public(r.version));
    if !public && !Access::allows(&viewer, Action::ReadDrafts) {
        return Err(CatalogError::NoItem(id).into());
    }
    let page = item_page(&snap, id, &law, state.today())?;
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
#[template(path = "catalog/search.html")]
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

async fn search(State(state): State<AppState>, viewer: Viewer, Query(p): Query<SearchParams>) -> Response {
    if let Err(d) = Access::check(&viewer, Action::ReadPublic) {
        return PageError(d.into()).into_response();
    }
    let snap = state.snapshot();
    let text = |o: &Option<String>| o.clone().unwrap_or_default();
    let selected_cat = p.category.as_deref().and_then(|c| params::parse_category(c).ok());
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
        let ask = SearchAsk {
            q: p.q.as_deref(),
            category: p.category.as_deref(),
            bureau: p.bureau.as_deref(),
            statute: p.statute.as_deref(),
            article: p.article.as_deref(),
        };
        let pg = params::paging(p.offset.as_deref(), Some("20")).map_err(CatalogError::from);
        match (service::search_query(&ask), pg) {
            (Ok(q), Ok(pg)) => match service::run_search(&snap, q, &pg) {
                Err(e) => {
                    status = StatusCode::BAD_REQUEST;
                    page.error = format!("检索条件有误：{e}");
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
                        pct(&page.q),
                        pct(&text(&p.category)),
                        pct(&text(&p.bureau)),
                        pct(&page.statute),
                        pct(&page.article)
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
                page.error = format!("检索条件有误：{e}");
            }
        }
    }
    render_with_status(&page, status)
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
#[template(path = "catalog/compare.html")]
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

async fn compare(
    State(state): State<AppState>,
    viewer: Viewer,
    client: HeavyClient,
    Query(p): Query<CompareQuery>,
) -> Response {
    if let Err(d) = Access::check(&viewer, Action::ReadPublic) {
        return PageError(d.into()).into_response();
    }
    let snap = state.snapshot();
    let parse = |o: &Option<String>| o.as_deref().and_then(|s| s.trim().parse::<i64>().ok());
    let listed = || snap.bureaus.iter().filter(|b| b.is_listed()).map(|b| b.id);
    let sel_a = parse(&p.a).or_else(|| listed().next());
    let sel_b = parse(&p.b).or_else(|| listed().find(|id| Some(*id) != sel_a));
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
        match service::comparison(&state, client.key(), p.a.as_deref(), p.b.as_deref()).await {
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
                status = StatusCode::from_u16(e.status_and_kind().0).unwrap_or(StatusCode::BAD_REQUEST);
                page.error = format!("无法对比：{e}");
            }
        }
    }
    render_with_status(&page, status)
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
#[template(path = "catalog/versions.html")]
struct VersionsPage {
    id: i64,
    name: String,
    versions: Vec<VersionRow>,
    from_options: Vec<Opt>,
    to_options: Vec<Opt>,
}

async fn versions(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> PageResult {
    let drafts = Access::allows(&viewer, Action::ReadDrafts);
    let snap = state.snapshot();
    let b = service::bureau_of(&snap, id, drafts)?;
    let cur = b.current().map(|v| v.id);
    let visible: Vec<&VersionData> = b.visible_versions(drafts).collect();
    let rows = visible
        .iter()
        .rev()
        .map(|v| VersionRow {
            number: v.number,
            current: Some(v.id) == cur,
            status: if v.published { "已发布" } else { "草稿" },
            imported_at: zh::beijing_time(v.imported_at),
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
#[template(path = "catalog/diff.html")]
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
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(p): Query<DiffParams>,
) -> PageResult {
    let drafts = Access::allows(&viewer, Action::ReadDrafts);
    let snap = state.snapshot();
    let b = service::bureau_of(&snap, id, drafts)?;
    let (from, to) = service::diff_pair(b, p.from.as_deref(), p.to.as_deref(), drafts)?;
    let d = compare::diff_versions(from, to);
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
#[template(path = "catalog/diagnostics.html")]
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
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(p): Query<VersionParam>,
) -> PageResult {
    let drafts = Access::allows(&viewer, Action::ReadDrafts);
    let snap = state.snapshot();
    let b = service::bureau_of(&snap, id, drafts)?;
    let v = service::pick_version(b, p.version.as_deref(), drafts)?;
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
    viewer: Viewer,
    client: HeavyClient,
    Path((id, format)): Path<(i64, String)>,
    Query(p): Query<VersionParam>,
) -> PageResult {
    let drafts = Access::allows(&viewer, Action::ReadDrafts);
    let snap = state.snapshot();
    let b = service::bureau_of(&snap, id, drafts)?;
    let v = service::pick_version(b, p.version.as_deref(), drafts)?;
    let base = format!("quanze-bureau-{}-v{}", b.id, v.number);
    let Some(service::Export { content_type: ctype, ext, body }) =
        service::export(&state, client.key(), b, v, &format).await?
    else {
        return Err(ApiError::not_found("可下载的格式：json、csv、xlsx。").into());
    };
    let disposition = format!("attachment; filename=\"{base}.{ext}\"");
    Ok(([(header::CONTENT_TYPE, ctype.to_string()), (header::CONTENT_DISPOSITION, disposition)], body)
        .into_response())
}

// ---------- administration: import and publish ----------

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
#[template(path = "catalog/admin.html")]
struct AdminPage {
    username: String,
    csrf: String,
    message: String,
    error: String,
    versions: Vec<AdminVersion>,
    /// The upload and heavy-work limits, in words.
    limits: String,
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
    AdminPage {
        username: s.user.username.clone(),
        csrf: s.csrf_token.clone(),
        message,
        error,
        versions,
        limits: service::limits_text(state),
    }
}

async fn admin(State(state): State<AppState>, viewer: Viewer) -> PageResult {
    let Some(s) = viewer.session() else {
        return Ok(Redirect::to("/login").into_response());
    };
    Access::check(&viewer, Action::Administer).map_err(ApiError::from)?;
    Ok(no_store(render(&admin_page(&state, s, String::new(), String::new()))?))
}

async fn admin_import(State(state): State<AppState>, viewer: Viewer, req: Request) -> PageResult {
    // Who asks is checked before the body is read; the CSRF token is a field of the body.
    Access::check_signed_in(&viewer).map_err(ApiError::from)?;
    let limit = state.max_upload_bytes();
    let mp = Multipart::from_request(req, &state)
        .await
        .map_err(|e| ApiError::from(UploadError::Malformed(e.body_text())))?;
    let form = read_file_form(mp, limit).await.map_err(ApiError::from)?;
    let s = Access::check_write(&viewer, Action::Import, Some(form.csrf.as_deref().unwrap_or("")))
        .map_err(ApiError::from)?;
    let up = Upload { file_name: form.file_name, bytes: form.bytes, publish: form.publish };
    let (message, error, status) = match service::import(&state, up, &s.user).await {
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
        Err(e) => {
            let status =
                StatusCode::from_u16(e.status_and_kind().0).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (String::new(), format!("导入失败：{e}"), status)
        }
    };
    let mut resp = no_store(render(&admin_page(&state, s, message, error))?);
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
    viewer: Viewer,
    Form(form): Form<PublishForm>,
) -> PageResult {
    let s = Access::check_write(&viewer, Action::Publish, Some(&form.csrf)).map_err(ApiError::from)?;
    let vid = params::parse_id("version", &form.version).map_err(CatalogError::from)?;
    service::publish(&state, None, vid, &s.user).await?;
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
}
