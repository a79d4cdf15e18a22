//! People administration (人员管理): the people who work cases, per bureau, with their posts
//! (岗位), office (科室), enforcement certificate (执法证号) and its last valid day; adding,
//! changing, retiring, linking a login, and the all-or-nothing import of
//! `quanze_casework::people_import`. No axum; errors are [`PeopleError`].
//!
//! Every change goes through the store and then tells the case service
//! ([`CaseService::people_changed`]) so the engine's cached people of the bureau are read
//! again: a person added here can act at once, a retired one no longer can.
//!
//! Retiring (离岗) keeps the person (past events name them), disables their login account
//! (which ends its sessions) so they cannot log in, and the case policy refuses any action
//! or read by a retired person (`access_retired`) should an account still reach them.

use quanze_casework::CaseService;
use quanze_casework::people_import::{self, ImportPeopleError, ImportReport, PeopleSheet, RowError};
use quanze_model::Date;
use quanze_store::{BureauId, Person, PersonId, PersonInput, PersonRole, Store, StoreError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A certificate within this many days of its last valid day is shown as expiring.
pub(crate) const EXPIRING_WITHIN_DAYS: i64 = 30;

/// Why a people request was not done (Chinese messages).
#[derive(Debug, Clone, thiserror::Error)]
pub(crate) enum PeopleError {
    #[error("{0}")]
    NotFound(String),
    /// The input cannot be used (Chinese).
    #[error("{0}")]
    Invalid(String),
    /// The import file has errors; nothing was written.
    #[error("人员表有 {} 处错误，未导入任何人员", .0.len())]
    Rows(Vec<RowError>),
    /// The store failed; the cause is logged.
    #[error("服务器内部错误。")]
    Internal(String),
}

impl PeopleError {
    /// The HTTP status (a number: the service knows no axum).
    pub(crate) fn status(&self) -> u16 {
        match self {
            PeopleError::NotFound(_) => 404,
            PeopleError::Invalid(_) => 400,
            PeopleError::Rows(_) => 422,
            PeopleError::Internal(_) => 500,
        }
    }

    pub(crate) fn kind(&self) -> &'static str {
        match self {
            PeopleError::NotFound(_) => "not-found",
            PeopleError::Invalid(_) => "bad-request",
            PeopleError::Rows(_) => "people-rows",
            PeopleError::Internal(_) => "internal",
        }
    }
}

impl From<StoreError> for PeopleError {
    fn from(e: StoreError) -> PeopleError {
        match e {
            StoreError::NotFound(m) => PeopleError::NotFound(m),
            StoreError::InvalidInput(m) | StoreError::Conflict(m) => PeopleError::Invalid(m),
            other => {
                eprintln!("quanze: people: {other}");
                PeopleError::Internal(other.to_string())
            }
        }
    }
}

impl From<quanze_casework::CaseworkError> for PeopleError {
    fn from(e: quanze_casework::CaseworkError) -> PeopleError {
        use quanze_casework::CaseworkError as C;
        match e {
            C::Store(s) => s.into(),
            C::NotFound(m) => PeopleError::NotFound(m),
            C::Invalid(m) => PeopleError::Invalid(m),
            other => {
                eprintln!("quanze: people: {other}");
                PeopleError::Internal(other.to_string())
            }
        }
    }
}

pub(crate) type Result<T> = std::result::Result<T, PeopleError>;

/// The Chinese name of a role, as the import's 角色 column writes it.
pub(crate) fn role_label(r: PersonRole) -> &'static str {
    match r {
        PersonRole::Officer => "执法人员",
        PersonRole::Leader => "负责人",
        PersonRole::LegalReviewer => "法制审核人员",
        PersonRole::Supervisor => "监督人员",
        PersonRole::Clerk => "窗口人员",
    }
}

/// A role by its id (`officer`) or Chinese name (执法人员).
fn parse_role(s: &str) -> Option<PersonRole> {
    let s = s.trim();
    PersonRole::from_str_opt(s).or_else(|| PersonRole::ALL.into_iter().find(|r| role_label(*r) == s))
}

/// A person as the administrators' list shows them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct PersonView {
    pub id: i64,
    pub bureau: Option<i64>,
    pub bureau_name: String,
    pub name: String,
    /// `officer`, `leader`, `legal_reviewer`, `supervisor`, `clerk`.
    pub role: String,
    pub role_label: String,
    /// 岗位, in order.
    pub posts: Vec<String>,
    /// 科室.
    pub office: String,
    /// 执法证号.
    pub certificate: Option<String>,
    /// Last valid day of the certificate (`YYYY-MM-DD`).
    pub certificate_until: Option<String>,
    /// `expired` (before today), `expiring` (within 30 days), `missing` (an officer without a
    /// certificate), else empty.
    pub certificate_status: String,
    pub retired: bool,
    /// When retired (Beijing time, `YYYY-MM-DD HH:MM`).
    pub retired_at: Option<String>,
    /// The login account's name, if linked.
    pub login: Option<String>,
}

/// How a certificate stands on `today`.
pub(crate) fn certificate_status(p: &Person, today: Date) -> &'static str {
    match (&p.certificate, p.certificate_until) {
        (None, _) if p.role == PersonRole::Officer => "missing",
        (Some(_), Some(until)) if until < today => "expired",
        (Some(_), Some(until))
            if until.days_since_epoch() - today.days_since_epoch() <= EXPIRING_WITHIN_DAYS =>
        {
            "expiring"
        }
        _ => "",
    }
}

async fn view(store: &Store, p: &Person, today: Date, bureau_name: String) -> Result<PersonView> {
    let login = match p.user {
        Some(u) => store.user(u).await?.map(|u| u.username),
        None => None,
    };
    Ok(PersonView {
        id: p.id.0,
        bureau: p.bureau.map(|b| b.0),
        bureau_name,
        name: p.name.clone(),
        role: p.role.as_str().into(),
        role_label: role_label(p.role).into(),
        posts: p.posts.clone(),
        office: p.office.clone(),
        certificate: p.certificate.clone(),
        certificate_until: p.certificate_until.map(|d| d.to_string()),
        certificate_status: certificate_status(p, today).into(),
        retired: p.retired_at.is_some(),
        retired_at: p.retired_at.map(crate::http::zh::beijing_time),
        login,
    })
}

async fn bureau_name(store: &Store, b: Option<BureauId>) -> Result<String> {
    Ok(match b {
        Some(b) => store.bureau(b).await?.map(|b| b.name).unwrap_or_default(),
        None => "（不属于某一单位）".into(),
    })
}

/// A bureau to choose in a form.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct BureauChoice {
    pub id: i64,
    pub name: String,
}

/// Every bureau, by name.
pub(crate) async fn bureaus(store: &Store) -> Result<Vec<BureauChoice>> {
    Ok(store
        .list_bureaus()
        .await?
        .into_iter()
        .map(|b| BureauChoice { id: b.bureau.id.0, name: b.bureau.name })
        .collect())
}

/// The people of `bureau` (`None`: everybody), working ones first, then by id.
pub(crate) async fn list(store: &Store, bureau: Option<i64>, today: Date) -> Result<Vec<PersonView>> {
    let b = bureau.map(BureauId);
    if let Some(b) = b
        && store.bureau(b).await?.is_none()
    {
        return Err(PeopleError::NotFound(format!("单位 {} 不存在", b.0)));
    }
    let mut people = store.people(b).await?;
    people.sort_by_key(|p| (p.retired_at.is_some(), p.id.0));
    let mut names = std::collections::HashMap::new();
    let mut out = Vec::with_capacity(people.len());
    for p in &people {
        let name = match names.get(&p.bureau) {
            Some(n) => String::clone(n),
            None => {
                let n = bureau_name(store, p.bureau).await?;
                names.insert(p.bureau, n.clone());
                n
            }
        };
        out.push(view(store, p, today, name).await?);
    }
    Ok(out)
}

/// One person.
pub(crate) async fn one(store: &Store, id: i64, today: Date) -> Result<PersonView> {
    let p = store
        .person(PersonId(id))
        .await?
        .ok_or_else(|| PeopleError::NotFound(format!("人员 {id} 不存在")))?;
    let name = bureau_name(store, p.bureau).await?;
    view(store, &p, today, name).await
}

/// A person as an administrator writes them (the form and the API's body).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub(crate) struct PersonForm {
    /// The bureau's id.
    pub bureau: i64,
    pub name: String,
    /// `officer`, `leader`, `legal_reviewer`, `supervisor`, `clerk` or the Chinese name.
    pub role: String,
    /// 岗位, separated by 、，, ; or new lines.
    #[serde(default)]
    pub posts: String,
    #[serde(default)]
    pub office: String,
    #[serde(default)]
    pub certificate: String,
    /// `YYYY-MM-DD` (or as a staff table writes a date); empty for none.
    #[serde(default)]
    pub certificate_until: String,
}

/// Check a form into the store's input, every problem named in Chinese.
pub(crate) fn input(form: &PersonForm) -> Result<PersonInput> {
    let mut errors = Vec::new();
    let name = form.name.trim();
    if name.is_empty() {
        errors.push("姓名不能为空".to_string());
    }
    let role = parse_role(&form.role);
    if role.is_none() {
        errors.push(format!(
            "角色「{}」无法识别；应为执法人员、负责人、法制审核人员、监督人员或窗口人员",
            form.role.trim()
        ));
    }
    let certificate = Some(form.certificate.trim().to_string()).filter(|c| !c.is_empty());
    let until_text = form.certificate_until.trim();
    let certificate_until = if until_text.is_empty() {
        None
    } else {
        match people_import::parse_table_date(until_text) {
            Some(d) => Some(d),
            None => {
                errors.push(format!("有效期至「{until_text}」不是日期（如 2028-12-31）"));
                None
            }
        }
    };
    if role == Some(PersonRole::Officer) && certificate.is_none() {
        errors.push("执法人员应填写执法证号（行政处罚法 第四十二条：执法人员应当具有行政执法资格）".into());
    }
    if certificate.is_none() && certificate_until.is_some() {
        errors.push("填写了有效期但没有执法证号".into());
    }
    match (role, errors.is_empty()) {
        (Some(role), true) => Ok(PersonInput {
            bureau: Some(BureauId(form.bureau)),
            name: name.to_string(),
            role,
            posts: form
                .posts
                .split(['、', ',', '，', ';', '；', '/', '\n'])
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect(),
            office: form.office.trim().to_string(),
            certificate,
            certificate_until,
        }),
        _ => Err(PeopleError::Invalid(errors.join("；"))),
    }
}

/// A certificate number is one person's among the bureau's working people.
async fn check_certificate_unique(
    store: &Store,
    input: &PersonInput,
    except: Option<PersonId>,
) -> Result<()> {
    let Some(c) = &input.certificate else { return Ok(()) };
    let clash = store
        .people(input.bureau)
        .await?
        .into_iter()
        .find(|p| Some(p.id) != except && p.retired_at.is_none() && p.certificate.as_ref() == Some(c));
    match clash {
        Some(p) => Err(PeopleError::Invalid(format!("执法证号「{c}」已属于{}", p.name))),
        None => Ok(()),
    }
}

/// Add a person.
pub(crate) async fn add(cases: &CaseService, form: &PersonForm, today: Date) -> Result<PersonView> {
    let input = input(form)?;
    let store = cases.store();
    check_certificate_unique(store, &input, None).await?;
    let p = store.add_person(&input).await?;
    cases.people_changed(p.bureau);
    one(store, p.id.0, today).await
}

/// Change a working person's fields. A retired person is not changed (their record is what
/// past events named).
pub(crate) async fn change(
    cases: &CaseService,
    id: i64,
    form: &PersonForm,
    today: Date,
) -> Result<PersonView> {
    let store = cases.store();
    let before = store
        .person(PersonId(id))
        .await?
        .ok_or_else(|| PeopleError::NotFound(format!("人员 {id} 不存在")))?;
    if before.retired_at.is_some() {
        return Err(PeopleError::Invalid(format!("{}已离岗，不能修改", before.name)));
    }
    let input = input(form)?;
    check_certificate_unique(store, &input, Some(before.id)).await?;
    let p = store.update_person(before.id, &input).await?;
    cases.people_changed(before.bureau);
    cases.people_changed(p.bureau);
    one(store, id, today).await
}

/// Retire a person: kept (events name them), their login disabled and its sessions ended.
pub(crate) async fn retire(cases: &CaseService, id: i64, today: Date) -> Result<PersonView> {
    let store = cases.store();
    let p = store.retire_person(PersonId(id)).await?;
    if let Some(u) = p.user {
        store.set_disabled(u, true).await?;
    }
    cases.people_changed(p.bureau);
    one(store, id, today).await
}

/// What linking a login did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct Linked {
    pub person: PersonView,
    /// The initial password of an account created for the link (shown once), if one was.
    pub new_password: Option<String>,
}

/// Link a working person to the login `login` (created with a random initial password when
/// missing), or take their login away (`None`).
pub(crate) async fn link(cases: &CaseService, id: i64, login: Option<&str>, today: Date) -> Result<Linked> {
    let store = cases.store();
    let p = store
        .person(PersonId(id))
        .await?
        .ok_or_else(|| PeopleError::NotFound(format!("人员 {id} 不存在")))?;
    if p.retired_at.is_some() && login.is_some() {
        return Err(PeopleError::Invalid(format!("{}已离岗，不能关联登录账号", p.name)));
    }
    let mut new_password = None;
    let user = match login.map(str::trim).filter(|l| !l.is_empty()) {
        None => None,
        Some(l) => {
            if l.chars().count() > 64 || l.chars().any(char::is_whitespace) {
                return Err(PeopleError::Invalid(format!("登录名「{l}」无效（不超过 64 个字符，不含空格）")));
            }
            match store.user_by_name(l).await? {
                Some(u) if u.disabled => {
                    return Err(PeopleError::Invalid(format!("登录账号「{l}」已停用")));
                }
                Some(u) => Some(u.id),
                None => {
                    let password = quanze_store::random_password()?;
                    let u = store.create_user(l, &password, &[]).await?;
                    new_password = Some(password);
                    Some(u.id)
                }
            }
        }
    };
    store.link_person_user(p.id, user).await?;
    cases.people_changed(p.bureau);
    Ok(Linked { person: one(store, id, today).await?, new_password })
}

/// Read an import file without writing anything (the preview).
pub(crate) fn preview(file_name: &str, bytes: &[u8]) -> PeopleSheet {
    people_import::parse_people(file_name, bytes)
}

/// Import a people table into `bureau`, all or nothing.
pub(crate) async fn import(
    cases: &CaseService,
    bureau: i64,
    file_name: &str,
    bytes: &[u8],
) -> Result<ImportReport> {
    if cases.store().bureau(BureauId(bureau)).await?.is_none() {
        return Err(PeopleError::NotFound(format!("单位 {bureau} 不存在")));
    }
    match cases.import_people(BureauId(bureau), file_name, bytes).await {
        Ok(r) => Ok(r),
        Err(ImportPeopleError::Rows(rows)) => Err(PeopleError::Rows(rows)),
        Err(ImportPeopleError::Service(e)) => Err(e.into()),
    }
}

/// A row of the file as read.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct PreviewRow {
    pub line: usize,
    pub name: String,
    pub role: String,
    pub posts: Vec<String>,
    pub office: String,
    pub certificate: Option<String>,
    pub certificate_until: Option<String>,
    pub login: Option<String>,
}

pub(crate) fn preview_rows(sheet: &PeopleSheet) -> Vec<PreviewRow> {
    sheet
        .rows
        .iter()
        .map(|r| PreviewRow {
            line: r.line,
            name: r.name.clone(),
            role: role_label(r.role).into(),
            posts: r.posts.clone(),
            office: r.office.clone(),
            certificate: r.certificate.clone(),
            certificate_until: r.certificate_until.map(|d| d.to_string()),
            login: r.login.clone(),
        })
        .collect()
}

/// Hex, so an uploaded file can ride in the preview's confirm form without scripts.
pub(crate) fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn from_hex(s: &str) -> Option<Vec<u8>> {
    let s = s.trim().as_bytes();
    if !s.len().is_multiple_of(2) {
        return None;
    }
    s.chunks(2).map(|p| std::str::from_utf8(p).ok().and_then(|h| u8::from_str_radix(h, 16).ok())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(role: PersonRole, cert: Option<&str>, until: Option<&str>) -> Person {
        Person {
            id: PersonId(1),
            bureau: None,
            name: "甲".into(),
            role,
            posts: Vec::new(),
            office: String::new(),
            certificate: cert.map(str::to_string),
            certificate_until: until.and_then(Date::parse),
            retired_at: None,
            created_at: 0,
            user: None,
        }
    }

    #[test]
    fn certificates_are_expired_before_today_and_expiring_within_thirty_days() {
        let today = Date::parse("2026-11-10").expect("date");
        let s = |until| certificate_status(&person(PersonRole::Officer, Some("A1"), until), today);
        assert_eq!(s(Some("2026-11-09")), "expired");
        assert_eq!(s(Some("2026-11-10")), "expiring");
        assert_eq!(s(Some("2026-12-10")), "expiring");
        assert_eq!(s(Some("2026-12-11")), "");
        assert_eq!(s(None), "");
        assert_eq!(certificate_status(&person(PersonRole::Officer, None, None), today), "missing");
        assert_eq!(certificate_status(&person(PersonRole::Leader, None, None), today), "");
    }

    #[test]
    fn a_form_names_every_problem_in_chinese() {
        let f = PersonForm {
            bureau: 1,
            name: " ".into(),
            role: "厨师".into(),
            certificate_until: "明年".into(),
            ..Default::default()
        };
        let Err(PeopleError::Invalid(m)) = input(&f) else { panic!("accepted") };
        assert!(
            m.contains("姓名不能为空") && m.contains("角色「厨师」") && m.contains("有效期至「明年」"),
            "{m}"
        );
        let f = PersonForm {
            bureau: 1, name: "张明".into(), role: "执法人员".into(), ..Default::default()
        };
        assert!(matches!(input(&f), Err(PeopleError::Invalid(m)) if m.contains("第四十二条")));
        let f = PersonForm {
            bureau: 1,
            name: "张明".into(),
            role: "officer".into(),
            posts: "立案岗、调查岗".into(),
            certificate: "豫医保0001".into(),
            certificate_until: "2028/12/31".into(),
            ..Default::default()
        };
        let i = input(&f).expect("valid");
        assert_eq!(i.posts, vec!["立案岗".to_string(), "调查岗".to_string()]);
        assert_eq!(i.certificate_until, Date::parse("2028-12-31"));
    }

    #[test]
    fn hex_round_trips_and_refuses_garbage() {
        let b = "姓名,角色\n".as_bytes();
        assert_eq!(from_hex(&to_hex(b)).as_deref(), Some(b));
        assert_eq!(from_hex("abc"), None);
        assert_eq!(from_hex("zz"), None);
    }
}
