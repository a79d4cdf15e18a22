//! What the catalog does, whatever the interface: pick a version a viewer may see, pair
//! versions for a diff, compare two bureaus, search, import and publish. No axum here; errors
//! are [`CatalogError`], which the API renders as a problem (its `detail` in Chinese) and the
//! pages as a Chinese page.

use quanze_model::{Diagnostic, PowerItem};
use quanze_search::Query as SearchQuery;

use super::compare;
use super::dto::{BureauRef, Comparison, ImportResult, version_dto};
use crate::heavy::HeavyError;
use crate::http::params::{self, Paging, ParamError};
use crate::read::model::{BureauData, VersionData};
use crate::read::snapshot::Snapshot;
use crate::state::AppState;

/// The longest search text or statute title accepted, in characters.
pub(crate) const MAX_QUERY_CHARS: usize = 200;

/// Why a catalog request could not be answered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum CatalogError {
    #[error("没有编号为 {0} 的单位。")]
    NoBureau(i64),
    #[error("单位 {0} 还没有清单。")]
    NoVersion(i64),
    #[error("单位 {bureau} 没有编号或版本号为 {version} 的版本。")]
    NoSuchVersion { bureau: i64, version: i64 },
    #[error("没有编号为 {0} 的事项。")]
    NoItem(i64),
    #[error("没有编号为 {0} 的版本。")]
    NoSuchVersionId(i64),
    #[error(transparent)]
    Param(#[from] ParamError),
    #[error("请给出要对比的两个单位（a 和 b）。")]
    TwoBureaus,
    #[error("{what} 不能超过 {max} 个字。")]
    TooLong { what: &'static str, max: usize },
    #[error("条号应为数字或“第…条”，而不是“{0}”。")]
    Article(String),
    #[error("按条号检索时须同时给出法规名称（statute）。")]
    ArticleWithoutStatute,
    #[error("检索每页最多 {0} 条（limit）。")]
    SearchLimit(usize),
    #[error("{0}")]
    Search(String),
    #[error("上传的文件超过 {0} 字节的上限。")]
    TooLarge(usize),
    #[error("{0}")]
    ImportFailed(String),
    #[error("{0}")]
    Invalid(String),
    #[error("清单没有写明发布单位（没有标题或“单位”行）。")]
    NoPublisher,
    /// The heavy pool refused or cancelled the work (busy, the client's share, deadline).
    #[error(transparent)]
    Heavy(#[from] HeavyError),
    /// A server fault; the cause is logged, not shown.
    #[error("服务器内部错误。")]
    Internal(String),
}

impl CatalogError {
    /// The HTTP status and problem kind (the API's contract, unchanged from before).
    pub(crate) fn status_and_kind(&self) -> (u16, &'static str) {
        match self {
            CatalogError::NoBureau(_)
            | CatalogError::NoVersion(_)
            | CatalogError::NoSuchVersion { .. }
            | CatalogError::NoItem(_)
            | CatalogError::NoSuchVersionId(_) => (404, "not-found"),
            CatalogError::Param(_)
            | CatalogError::TwoBureaus
            | CatalogError::TooLong { .. }
            | CatalogError::Article(_)
            | CatalogError::ArticleWithoutStatute
            | CatalogError::SearchLimit(_)
            | CatalogError::Search(_) => (400, "bad-request"),
            CatalogError::TooLarge(_) => (413, "too-large"),
            CatalogError::ImportFailed(_) => (422, "import-failed"),
            CatalogError::Invalid(_) => (422, "invalid"),
            CatalogError::NoPublisher => (422, "no-publisher"),
            CatalogError::Heavy(h) => {
                let (status, kind, _) = h.status_kind_retry();
                (status, kind)
            }
            CatalogError::Internal(_) => (500, "internal"),
        }
    }

    /// Seconds a client should wait before asking again (`Retry-After`), when it should.
    pub(crate) fn retry_after(&self) -> Option<u64> {
        match self {
            CatalogError::Heavy(h) => h.status_kind_retry().2,
            _ => None,
        }
    }
}

/// The bureau `id`. For a viewer who may not read drafts (`drafts` false), a bureau that has
/// published nothing does not exist: its name came from a draft (issue 11).
pub(crate) fn bureau_of(snap: &Snapshot, id: i64, drafts: bool) -> Result<&BureauData, CatalogError> {
    snap.bureau(id).filter(|b| drafts || b.is_listed()).ok_or(CatalogError::NoBureau(id))
}

/// The version `r` (id or number) of a bureau, or its current one; drafts only when
/// `drafts` (the access policy's answer for the viewer).
pub(crate) fn pick_version<'a>(
    b: &'a BureauData,
    r: Option<&str>,
    drafts: bool,
) -> Result<&'a VersionData, CatalogError> {
    match r.map(str::trim).filter(|s| !s.is_empty()) {
        None => b.current_for(drafts).ok_or(CatalogError::NoVersion(b.id)),
        Some(s) => {
            let n = params::parse_id("version", s)?;
            b.version_by_ref(n)
                .filter(|v| drafts || b.is_public(v))
                .ok_or(CatalogError::NoSuchVersion { bureau: b.id, version: n })
        }
    }
}

/// The two versions of a diff: `to` (default the current one) and `from` (default the
/// version before `to` that the viewer may see).
pub(crate) fn diff_pair<'a>(
    b: &'a BureauData,
    from: Option<&str>,
    to: Option<&str>,
    drafts: bool,
) -> Result<(&'a VersionData, &'a VersionData), CatalogError> {
    let to = pick_version(b, to, drafts)?;
    let from = match from.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => pick_version(b, Some(s), drafts)?,
        None => {
            let earlier: Vec<&VersionData> =
                b.visible_versions(drafts).filter(|v| v.number < to.number).collect();
            earlier.last().copied().unwrap_or(to)
        }
    };
    Ok((from, to))
}

/// Whether a finding is about this item: by its serial number, or, for an item without
/// one, by the line its row starts on.
pub(crate) fn concerns(d: &Diagnostic, it: &PowerItem) -> bool {
    match it.seq {
        Some(seq) => d.item == Some(seq),
        None => d.item.is_none() && d.line.is_some() && d.line == it.line,
    }
}

/// The current versions of the two bureaus `a` and `b` (ids as given).
fn compared_versions<'a>(
    snap: &'a Snapshot,
    a: Option<&str>,
    b: Option<&str>,
) -> Result<(&'a BureauData, &'a VersionData, &'a BureauData, &'a VersionData), CatalogError> {
    let (Some(a), Some(b)) = (a, b) else { return Err(CatalogError::TwoBureaus) };
    let (a, b) = (params::parse_id("a", a)?, params::parse_id("b", b)?);
    let (ba, bb) = (bureau_of(snap, a, false)?, bureau_of(snap, b, false)?);
    let va = ba.current().ok_or(CatalogError::NoVersion(ba.id))?;
    let vb = bb.current().ok_or(CatalogError::NoVersion(bb.id))?;
    Ok((ba, va, bb, vb))
}

/// Two bureaus' current lists side by side. Aligning them is heavy work: it runs on the
/// heavy pool for `client` (then is remembered, so asking again costs only the rows).
pub(crate) async fn comparison(
    state: &AppState,
    client: Option<&str>,
    a: Option<&str>,
    b: Option<&str>,
) -> Result<Comparison, CatalogError> {
    let snap = state.snapshot();
    let (_, va, _, vb) = compared_versions(&snap, a, b)?;
    if snap.cached_alignment(va, vb).is_none() {
        let (ca, cb) = (std::sync::Arc::clone(&va.catalog), std::sync::Arc::clone(&vb.catalog));
        let rows = state.heavy().run(client, move |_| Ok(quanze_compare::align(&ca, &cb))).await?;
        snap.remember_alignment(va.id, vb.id, std::sync::Arc::new(rows));
    }
    comparison_in(&snap, a, b)
}

/// [`comparison`] on a snapshot, aligning here when the alignment is not remembered.
fn comparison_in(snap: &Snapshot, a: Option<&str>, b: Option<&str>) -> Result<Comparison, CatalogError> {
    let (ba, va, bb, vb) = compared_versions(snap, a, b)?;
    let rows = compare::aligned_rows(va, vb, &snap.aligned(va, vb));
    let matched = rows.iter().filter(|r| r.a.is_some() && r.b.is_some()).count();
    let only_a = rows.iter().filter(|r| r.b.is_none()).count();
    let only_b = rows.iter().filter(|r| r.a.is_none()).count();
    Ok(Comparison {
        a: BureauRef { id: ba.id, name: ba.name.clone(), version_id: va.id },
        b: BureauRef { id: bb.id, name: bb.name.clone(), version_id: vb.id },
        matched,
        only_a,
        only_b,
        rows,
    })
}

/// A search as asked: the raw parameters of either interface.
#[derive(Debug, Default, Clone)]
pub(crate) struct SearchAsk<'a> {
    pub(crate) q: Option<&'a str>,
    pub(crate) category: Option<&'a str>,
    pub(crate) bureau: Option<&'a str>,
    pub(crate) statute: Option<&'a str>,
    pub(crate) article: Option<&'a str>,
}

/// The search query for the parameters.
pub(crate) fn search_query(p: &SearchAsk<'_>) -> Result<SearchQuery, CatalogError> {
    let nonempty = |o: Option<&str>| o.map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let q = nonempty(p.q).unwrap_or_default();
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(CatalogError::TooLong { what: "q", max: MAX_QUERY_CHARS });
    }
    let category = nonempty(p.category).map(|s| params::parse_category(&s)).transpose()?;
    let bureau = nonempty(p.bureau).map(|s| params::parse_id("bureau", &s)).transpose()?;
    let statute = nonempty(p.statute);
    if statute.as_ref().is_some_and(|s| s.chars().count() > MAX_QUERY_CHARS) {
        return Err(CatalogError::TooLong { what: "statute", max: MAX_QUERY_CHARS });
    }
    let article = match nonempty(p.article) {
        None => None,
        Some(s) => Some(params::parse_article(&s).ok_or(CatalogError::Article(s))?),
    };
    if article.is_some() && statute.is_none() {
        return Err(CatalogError::ArticleWithoutStatute);
    }
    Ok(SearchQuery { q, category, bureau, statute, article, ..SearchQuery::default() })
}

/// Run a search on the snapshot.
pub(crate) fn run_search(
    snap: &Snapshot,
    mut q: SearchQuery,
    pg: &Paging,
) -> Result<quanze_search::SearchResult, CatalogError> {
    if pg.limit > quanze_search::query::MAX_LIMIT {
        return Err(CatalogError::SearchLimit(quanze_search::query::MAX_LIMIT));
    }
    q.offset = pg.offset;
    q.limit = pg.limit;
    snap.search().search(&q).map_err(|e| CatalogError::Search(e.to_string()))
}

/// An upload to import: the file, its name, and whether to publish it at once.
pub(crate) struct Upload {
    pub(crate) file_name: String,
    pub(crate) bytes: bytes::Bytes,
    pub(crate) publish: bool,
}

/// Keep only the last path segment of an uploaded name; give nameless uploads one.
pub(crate) fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("").trim();
    let base: String = base.chars().filter(|c| !c.is_control()).take(200).collect();
    if base.is_empty() { "upload.txt".into() } else { base }
}

/// Import, annotate with the statute registry's findings, store, refresh the snapshot.
/// Returns the result and whether a new version was created. The caller has checked that
/// `user` may import.
pub(crate) async fn import(
    state: &AppState,
    up: Upload,
    user: &quanze_store::User,
) -> Result<(ImportResult, bool), CatalogError> {
    let client = format!("user:{}", user.id.0);
    let limit = state.max_upload_bytes();
    if up.bytes.len() > limit {
        return Err(CatalogError::TooLarge(limit));
    }
    let file_name = clean_file_name(&up.file_name);
    let opts = quanze_import::ImportOptions {
        max_bytes: u64::try_from(limit).unwrap_or(u64::MAX),
        ..quanze_import::ImportOptions::default()
    };
    let bytes = up.bytes;
    let fname = file_name.clone();
    // On the heavy pool, cancelled between its stages when the deadline passes or the client
    // goes away; a cancelled import answers before anything is stored.
    let catalog = state
        .heavy()
        .run(Some(&client), move |cancel| {
            let imported = quanze_import::import_bytes(&fname, &bytes, &opts);
            cancel.check()?;
            Ok(imported.map(|mut c| {
                crate::law::service::annotate(&mut c);
                c
            }))
        })
        .await?
        .map_err(|e| CatalogError::ImportFailed(e.to_string()))?;
    let (bureau_id, version_id, created) =
        crate::storage::store_catalog(state.store(), catalog, Some(user), up.publish).await.map_err(|e| {
            match e {
                quanze_store::StoreError::InvalidInput(m) => CatalogError::Invalid(m),
                quanze_store::StoreError::NoPublisher => CatalogError::NoPublisher,
                other => internal(&other),
            }
        })?;
    state.refresh().await.map_err(|e| internal(&e))?;
    let snap = state.snapshot();
    let b = bureau_of(&snap, bureau_id, true)?;
    let v = b.version(version_id).ok_or_else(|| internal(&"stored version not in snapshot"))?;
    Ok((ImportResult { created, bureau_id, version: version_dto(b, v) }, created))
}

/// A download of a version: its content type, file extension and bytes.
pub(crate) struct Export {
    pub(crate) content_type: &'static str,
    pub(crate) ext: &'static str,
    pub(crate) body: bytes::Bytes,
}

/// Export a version as `json`, `csv` or `xlsx` (`None`: no such format). Heavy work on the
/// pool for `client`; the result is remembered, a version never changes once stored.
pub(crate) async fn export(
    state: &AppState,
    client: Option<&str>,
    b: &BureauData,
    v: &VersionData,
    format: &str,
) -> Result<Option<Export>, CatalogError> {
    let (content_type, ext) = match format {
        "json" => ("application/json", "json"),
        "csv" => ("text/csv; charset=utf-8", "csv"),
        "xlsx" => ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
        _ => return Ok(None),
    };
    if let Some(body) = state.cached_export(v.id, ext) {
        return Ok(Some(Export { content_type, ext, body }));
    }
    let catalog = std::sync::Arc::clone(&v.catalog);
    let name = b.name.clone();
    let body = state
        .heavy()
        .run(client, move |_| {
            Ok(match ext {
                "json" => serde_json::to_vec_pretty(catalog.as_ref()).map_err(|e| e.to_string()),
                "csv" => Ok(quanze_import::export::to_csv(&catalog)),
                _ => quanze_import::export::to_xlsx(&catalog, Some(&name)).map_err(|e| e.to_string()),
            })
        })
        .await?
        .map_err(|e| internal(&e))?;
    let body = bytes::Bytes::from(body);
    state.cache_export(v.id, ext, body.clone());
    Ok(Some(Export { content_type, ext, body }))
}

/// Publish the version `version` (id or number) of bureau `bureau`, or, without a bureau, the
/// version with that id. Returns the bureau and version ids. The caller has checked that
/// `user` may publish.
pub(crate) async fn publish(
    state: &AppState,
    bureau: Option<i64>,
    version: i64,
    user: &quanze_store::User,
) -> Result<(i64, i64), CatalogError> {
    let (bid, vid) = {
        let snap = state.snapshot();
        match bureau {
            Some(id) => {
                let b = bureau_of(&snap, id, true)?;
                let v =
                    b.version_by_ref(version).ok_or(CatalogError::NoSuchVersion { bureau: id, version })?;
                (id, v.id)
            }
            None => snap
                .bureaus
                .iter()
                .find_map(|b| b.version(version).map(|v| (b.id, v.id)))
                .ok_or(CatalogError::NoSuchVersionId(version))?,
        }
    };
    crate::storage::publish(state.store(), vid, user).await.map_err(|e| internal(&e))?;
    state.refresh().await.map_err(|e| internal(&e))?;
    Ok((bid, vid))
}

/// The limits an administrator's upload meets, in words (the admin page shows them).
pub(crate) fn limits_text(state: &AppState) -> String {
    let h = state.heavy().limits();
    format!(
        "上限：文件 {} MiB；解压后 {} MiB；每份清单 {} 万个单元格。导入、导出与对比同时处理 {} 个，排队 {} 个，每位用户同时 {} 个，每次限时 {} 秒。",
        state.max_upload_bytes() / (1024 * 1024),
        quanze_import::DEFAULT_MAX_UNPACKED_BYTES / (1024 * 1024),
        quanze_import::DEFAULT_MAX_CELLS / 10_000,
        h.workers,
        h.queue,
        h.per_client,
        h.deadline.as_secs(),
    )
}

/// A server fault: logged in English with its cause; the viewer sees only that it happened.
fn internal(cause: &dyn std::fmt::Display) -> CatalogError {
    eprintln!("quanze: internal error: {cause}");
    CatalogError::Internal(cause.to_string())
}
