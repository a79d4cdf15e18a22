//! The administrators' people pages: `/admin/people` (the list per bureau, a form to add a
//! person, the import form), `/admin/people/{id}` (change, retire, link a login), the
//! import's preview and its confirmation. Server-rendered, no scripts, a CSRF token on every
//! form; templates in `templates/people/`.

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Form, FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::service::{self, BureauChoice, PeopleError, PersonForm, PersonView, PreviewRow, preview_rows};
use crate::http::access::{Access, Action};
use crate::http::error::{ApiError, PageError, no_store};
use crate::http::params::parse_id;
use crate::http::upload::read_file_form;
use crate::http::viewer::Viewer;
use crate::state::AppState;

const CSS: &str = include_str!("../../templates/people/people.css");

pub(crate) fn routes(state: &AppState) -> Router<AppState> {
    let upload = state.max_upload_bytes().min(quanze_casework::people_import::MAX_FILE_BYTES);
    Router::new()
        .route("/people/people.css", get(css))
        .route("/admin/people", get(list_page).post(add_submit))
        .route("/admin/people/{id}", get(person_page).post(change_submit))
        .route("/admin/people/{id}/retire", post(retire_submit))
        .route("/admin/people/{id}/login", post(link_submit))
        .route("/admin/people/import", post(import_preview).layer(DefaultBodyLimit::max(upload + 64 * 1024)))
        // The confirm form carries the file as hex: twice its size, and the other fields.
        .route(
            "/admin/people/import/confirm",
            post(import_confirm).layer(DefaultBodyLimit::max(2 * upload + 64 * 1024)),
        )
}

async fn css() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], CSS).into_response()
}

impl From<PeopleError> for PageError {
    fn from(e: PeopleError) -> PageError {
        match e {
            PeopleError::Internal(cause) => PageError(ApiError::internal(cause)),
            _ => PageError(ApiError::from_parts(e.status(), e.kind(), e.to_string())),
        }
    }
}

type PageResult = Result<Response, PageError>;

fn render(t: &impl Template, status: StatusCode) -> PageResult {
    let body = t.render().map_err(ApiError::internal)?;
    Ok(no_store((status, Html(body)).into_response()))
}

/// The administrator's session's CSRF token, or the answer for anyone else: the login form
/// for nobody, 403 for others.
fn admit(viewer: &Viewer) -> Result<String, Box<Response>> {
    match Access::check(viewer, Action::ManagePeople) {
        Ok(()) => Ok(viewer.session().map(|s| s.csrf_token.clone()).unwrap_or_default()),
        Err(_) if viewer.session().is_none() => Err(Box::new(Redirect::to("/login").into_response())),
        Err(d) => Err(Box::new(PageError(ApiError::from(d)).into_response())),
    }
}

/// What a finished action says on the page it returns to (a code in the URL, never text).
fn done_message(code: &str) -> &'static str {
    match code {
        "added" => "已添加人员。",
        "changed" => "已保存修改。",
        "retired" => "已办理离岗：该人员的登录账号已停用，历史办案记录保留。",
        "unlinked" => "已取消登录账号关联。",
        _ => "",
    }
}

// ---------- the list ----------

#[derive(Template)]
#[template(path = "people/list.html")]
struct ListPage {
    csrf: String,
    bureaus: Vec<BureauChoice>,
    bureau: Option<i64>,
    people: Vec<PersonView>,
    done: &'static str,
    error: String,
    form: FormValues,
}

impl ListPage {
    fn certificate_label(&self, s: &str) -> &'static str {
        certificate_label(s)
    }
}

fn certificate_label(s: &str) -> &'static str {
    match s {
        "expired" => "已过期",
        "expiring" => "30 日内到期",
        "missing" => "缺执法证",
        _ => "",
    }
}

/// A person form's values as typed (shown again with its error).
#[derive(Debug, Clone, Default, Deserialize)]
struct FormValues {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    bureau: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    posts: String,
    #[serde(default)]
    office: String,
    #[serde(default)]
    certificate: String,
    #[serde(default)]
    certificate_until: String,
}

impl FormValues {
    fn person_form(&self) -> Result<PersonForm, PeopleError> {
        let bureau =
            self.bureau.trim().parse::<i64>().map_err(|_| PeopleError::Invalid("请选择单位".into()))?;
        Ok(PersonForm {
            bureau,
            name: self.name.clone(),
            role: self.role.clone(),
            posts: self.posts.clone(),
            office: self.office.clone(),
            certificate: self.certificate.clone(),
            certificate_until: self.certificate_until.clone(),
        })
    }

    fn of(p: &PersonView) -> FormValues {
        FormValues {
            csrf: String::new(),
            bureau: p.bureau.map(|b| b.to_string()).unwrap_or_default(),
            name: p.name.clone(),
            role: p.role.clone(),
            posts: p.posts.join("、"),
            office: p.office.clone(),
            certificate: p.certificate.clone().unwrap_or_default(),
            certificate_until: p.certificate_until.clone().unwrap_or_default(),
        }
    }
}

#[derive(Debug, Deserialize)]
struct ListParams {
    bureau: Option<String>,
    done: Option<String>,
}

async fn list_view(
    state: &AppState,
    csrf: String,
    bureau: Option<i64>,
    done: &'static str,
    error: String,
    form: FormValues,
) -> Result<ListPage, PageError> {
    let bureaus = service::bureaus(state.store()).await?;
    // Without a choice, the first bureau: one bureau's people at a time.
    let bureau = bureau.or_else(|| bureaus.first().map(|b| b.id));
    let people = match bureau {
        Some(b) => service::list(state.store(), Some(b), state.today()).await?,
        None => Vec::new(),
    };
    Ok(ListPage { csrf, bureaus, bureau, people, done, error, form })
}

async fn list_page(State(state): State<AppState>, viewer: Viewer, Query(p): Query<ListParams>) -> PageResult {
    let csrf = match admit(&viewer) {
        Ok(c) => c,
        Err(r) => return Ok(*r),
    };
    let bureau = match p.bureau.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(b) => Some(parse_id("单位", b).map_err(ApiError::from)?),
        None => None,
    };
    let done = done_message(p.done.as_deref().unwrap_or(""));
    let page = list_view(&state, csrf, bureau, done, String::new(), FormValues::default()).await?;
    render(&page, StatusCode::OK)
}

async fn add_submit(State(state): State<AppState>, viewer: Viewer, Form(f): Form<FormValues>) -> PageResult {
    let s = Access::check_write(&viewer, Action::ManagePeople, Some(&f.csrf)).map_err(ApiError::from)?;
    let csrf = s.csrf_token.clone();
    let added = match f.person_form() {
        Ok(form) => service::add(state.cases(), &form, state.today()).await,
        Err(e) => Err(e),
    };
    match added {
        Ok(p) => Ok(Redirect::to(&format!("/admin/people?bureau={}&done=added", p.bureau.unwrap_or(0)))
            .into_response()),
        Err(e @ (PeopleError::Invalid(_) | PeopleError::NotFound(_))) => {
            let bureau = f.bureau.trim().parse::<i64>().ok();
            let page = list_view(&state, csrf, bureau, "", e.to_string(), f).await?;
            render(&page, StatusCode::BAD_REQUEST)
        }
        Err(e) => Err(e.into()),
    }
}

// ---------- one person ----------

#[derive(Template)]
#[template(path = "people/person.html")]
struct PersonPage {
    csrf: String,
    bureaus: Vec<BureauChoice>,
    person: PersonView,
    form: FormValues,
    done: &'static str,
    error: String,
    /// An account created by linking, with its initial password (shown once).
    new_account: Option<(String, String)>,
}

impl PersonPage {
    fn certificate_label(&self, s: &str) -> &'static str {
        certificate_label(s)
    }
}

async fn person_view(state: &AppState, csrf: String, id: i64) -> Result<PersonPage, PageError> {
    let person = service::one(state.store(), id, state.today()).await?;
    Ok(PersonPage {
        csrf,
        bureaus: service::bureaus(state.store()).await?,
        form: FormValues::of(&person),
        person,
        done: "",
        error: String::new(),
        new_account: None,
    })
}

fn path_id(s: &str) -> Result<i64, PageError> {
    Ok(parse_id("人员编号", s).map_err(ApiError::from)?)
}

async fn person_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(p): Query<ListParams>,
) -> PageResult {
    let csrf = match admit(&viewer) {
        Ok(c) => c,
        Err(r) => return Ok(*r),
    };
    let mut page = person_view(&state, csrf, path_id(&id)?).await?;
    page.done = done_message(p.done.as_deref().unwrap_or(""));
    render(&page, StatusCode::OK)
}

async fn change_submit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(f): Form<FormValues>,
) -> PageResult {
    let s = Access::check_write(&viewer, Action::ManagePeople, Some(&f.csrf)).map_err(ApiError::from)?;
    let csrf = s.csrf_token.clone();
    let id = path_id(&id)?;
    let changed = match f.person_form() {
        Ok(form) => service::change(state.cases(), id, &form, state.today()).await,
        Err(e) => Err(e),
    };
    match changed {
        Ok(_) => Ok(Redirect::to(&format!("/admin/people/{id}?done=changed")).into_response()),
        Err(e @ PeopleError::Invalid(_)) => {
            let mut page = person_view(&state, csrf, id).await?;
            page.error = e.to_string();
            page.form = f;
            render(&page, StatusCode::BAD_REQUEST)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

async fn retire_submit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(f): Form<CsrfOnly>,
) -> PageResult {
    Access::check_write(&viewer, Action::ManagePeople, Some(&f.csrf)).map_err(ApiError::from)?;
    let id = path_id(&id)?;
    service::retire(state.cases(), id, state.today()).await?;
    Ok(Redirect::to(&format!("/admin/people/{id}?done=retired")).into_response())
}

#[derive(Debug, Deserialize)]
struct LinkForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    login: String,
}

async fn link_submit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(f): Form<LinkForm>,
) -> PageResult {
    let s = Access::check_write(&viewer, Action::ManagePeople, Some(&f.csrf)).map_err(ApiError::from)?;
    let csrf = s.csrf_token.clone();
    let id = path_id(&id)?;
    let login = Some(f.login.trim()).filter(|l| !l.is_empty());
    match service::link(state.cases(), id, login, state.today()).await {
        Ok(linked) => {
            let Some(l) = login else {
                return Ok(Redirect::to(&format!("/admin/people/{id}?done=unlinked")).into_response());
            };
            // Not a redirect: an initial password is shown once, on this answer only.
            let mut page = person_view(&state, csrf, id).await?;
            page.done = "已关联登录账号。";
            page.new_account = linked.new_password.map(|p| (l.to_string(), p));
            render(&page, StatusCode::OK)
        }
        Err(e @ PeopleError::Invalid(_)) => {
            let mut page = person_view(&state, csrf, id).await?;
            page.error = e.to_string();
            render(&page, StatusCode::BAD_REQUEST)
        }
        Err(e) => Err(e.into()),
    }
}

// ---------- the import ----------

#[derive(Template)]
#[template(path = "people/preview.html")]
struct PreviewPage {
    csrf: String,
    bureau: i64,
    bureau_name: String,
    file_name: String,
    data: String,
    rows: Vec<PreviewRow>,
    errors: Vec<(usize, String)>,
    ignored: String,
    /// An import was tried and refused (every row's errors shown, nothing written).
    refused: bool,
}

#[derive(Template)]
#[template(path = "people/imported.html")]
struct ImportedPage {
    bureau: i64,
    bureau_name: String,
    added: usize,
    updated: usize,
    new_accounts: Vec<(String, String)>,
    ignored: String,
}

#[derive(Debug, Deserialize)]
struct BureauParam {
    bureau: Option<String>,
}

async fn bureau_of(state: &AppState, b: Option<&str>) -> Result<(i64, String), PageError> {
    let id = parse_id("单位", b.unwrap_or("")).map_err(ApiError::from)?;
    let name = service::bureaus(state.store())
        .await?
        .into_iter()
        .find(|x| x.id == id)
        .map(|x| x.name)
        .ok_or_else(|| PageError(ApiError::not_found(format!("单位 {id} 不存在"))))?;
    Ok((id, name))
}

fn preview_page(csrf: String, bureau: (i64, String), file_name: String, bytes: &[u8]) -> PreviewPage {
    let sheet = service::preview(&file_name, bytes);
    PreviewPage {
        csrf,
        bureau: bureau.0,
        bureau_name: bureau.1,
        data: service::to_hex(bytes),
        rows: preview_rows(&sheet),
        errors: sheet.errors.iter().map(|e| (e.line, e.message.clone())).collect(),
        ignored: sheet.ignored_columns.join("、"),
        file_name,
        refused: false,
    }
}

async fn import_preview(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(p): Query<BureauParam>,
    req: Request,
) -> PageResult {
    // Who asks is checked before the body is read; the CSRF token is in the form.
    Access::check_signed_in(&viewer).map_err(ApiError::from)?;
    Access::check(&viewer, Action::ManagePeople).map_err(ApiError::from)?;
    let mp = Multipart::from_request(req, &state).await.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let limit = state.max_upload_bytes().min(quanze_casework::people_import::MAX_FILE_BYTES);
    let form = read_file_form(mp, limit).await.map_err(ApiError::from)?;
    let s = Access::check_write(&viewer, Action::ManagePeople, Some(form.csrf.as_deref().unwrap_or("")))
        .map_err(ApiError::from)?;
    let bureau = bureau_of(&state, p.bureau.as_deref()).await?;
    let page = preview_page(s.csrf_token.clone(), bureau, form.file_name, &form.bytes);
    let status = if page.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    render(&page, status)
}

#[derive(Debug, Deserialize)]
struct ConfirmForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    bureau: String,
    #[serde(default)]
    file_name: String,
    #[serde(default)]
    data: String,
}

async fn import_confirm(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(f): Form<ConfirmForm>,
) -> PageResult {
    let s = Access::check_write(&viewer, Action::ManagePeople, Some(&f.csrf)).map_err(ApiError::from)?;
    let csrf = s.csrf_token.clone();
    let bureau = bureau_of(&state, Some(&f.bureau)).await?;
    let bytes = service::from_hex(&f.data)
        .ok_or_else(|| PageError(ApiError::bad_request("导入的文件数据已损坏，请重新上传。")))?;
    match service::import(state.cases(), bureau.0, &f.file_name, &bytes).await {
        Ok(r) => render(
            &ImportedPage {
                bureau: bureau.0,
                bureau_name: bureau.1,
                added: r.added,
                updated: r.updated,
                new_accounts: r.new_accounts,
                ignored: r.ignored_columns.join("、"),
            },
            StatusCode::OK,
        ),
        Err(PeopleError::Rows(rows)) => {
            let mut page = preview_page(csrf, bureau, f.file_name, &bytes);
            page.errors = rows.iter().map(|e| (e.line, e.message.clone())).collect();
            page.refused = true;
            render(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => Err(e.into()),
    }
}
