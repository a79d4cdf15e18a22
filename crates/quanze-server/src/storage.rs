//! The few store calls the server makes, in one place.

use std::sync::Arc;

use quanze_model::Catalog;
use quanze_store::{
    LoginAttempt, NewSession, Page, Role, RoleGrant, Session, Store, StoreError, User, VersionId,
    VersionInfo, VersionStatus, now,
};

use crate::read::model::{BureauData, VersionData};

/// Every bureau with every version and its item ids.
pub(crate) async fn load_all(store: &Store) -> Result<Vec<BureauData>, StoreError> {
    let mut out = Vec::new();
    for summary in store.list_bureaus().await? {
        let b = summary.bureau;
        let mut versions = Vec::new();
        for info in store.versions(b.id).await? {
            if let Some(v) = load_version(store, &info).await? {
                versions.push(v);
            }
        }
        out.push(BureauData { id: b.id.0, name: b.name, region: b.region, versions });
    }
    Ok(out)
}

/// One version with its catalog and item ids; `None` when its catalog is gone.
pub(crate) async fn load_version(
    store: &Store,
    info: &VersionInfo,
) -> Result<Option<VersionData>, StoreError> {
    let Some(catalog) = store.catalog(info.id).await? else { return Ok(None) };
    let mut ids = vec![0i64; catalog.items.len()];
    let mut offset = 0u64;
    loop {
        let page = store.item_summaries(info.id, Page { offset, limit: Page::MAX_LIMIT }).await?;
        let n = page.rows.len();
        for s in page.rows {
            if let Some(slot) = usize::try_from(s.position).ok().and_then(|p| ids.get_mut(p)) {
                *slot = s.id.0;
            }
        }
        offset += n as u64;
        if n == 0 || offset >= page.total {
            break;
        }
    }
    Ok(Some(VersionData {
        id: info.id.0,
        number: i64::from(info.number),
        imported_at: info.imported_at,
        imported_by: info.imported_by_name.clone(),
        published: info.status == VersionStatus::Published,
        published_at: info.published_at,
        catalog: Arc::new(catalog),
        item_ids: ids,
        counts: Default::default(),
    }))
}

pub(crate) async fn is_empty(store: &Store) -> Result<bool, StoreError> {
    Ok(store.list_bureaus().await?.is_empty())
}

/// Store a catalog as a new version of its publisher; publish it when asked.
/// Returns (bureau id, version id, created).
pub(crate) async fn store_catalog(
    store: &Store,
    catalog: Catalog,
    user: Option<&User>,
    publish: bool,
) -> Result<(i64, i64, bool), StoreError> {
    let by = user.map(|u| u.id);
    // One transaction: a failed publish leaves no draft behind (issue 12).
    let (bureau, stored) = store.import_catalog_with(&catalog, by, publish).await?;
    Ok((bureau.id.0, stored.version.id.0, stored.created))
}

pub(crate) async fn publish(store: &Store, version: i64, user: &User) -> Result<(), StoreError> {
    store.publish_version(VersionId(version), Some(user.id)).await.map(|_| ())
}

pub(crate) const ADMIN: &str = "admin";

pub(crate) async fn set_admin_password(store: &Store, password: &str) -> Result<(), StoreError> {
    match store.user_by_name(ADMIN).await? {
        Some(u) => {
            store.set_password(u.id, password).await?;
            if !u.is_admin() {
                store.grant_role(u.id, RoleGrant::global(Role::Admin)).await?;
            }
            if u.disabled {
                store.set_disabled(u.id, false).await?;
            }
        }
        None => {
            store.create_user(ADMIN, password, &[RoleGrant::global(Role::Admin)]).await?;
        }
    }
    Ok(())
}

/// Create `admin` with a generated password when missing; the password, once.
pub(crate) async fn ensure_admin(store: &Store) -> Result<Option<String>, StoreError> {
    if store.user_by_name(ADMIN).await?.is_some() {
        return Ok(None);
    }
    let mut buf = [0u8; 12];
    getrandom::fill(&mut buf).map_err(|e| StoreError::Random(e.to_string()))?;
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
    let password: String =
        buf.iter().map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()])).collect();
    store.create_user(ADMIN, &password, &[RoleGrant::global(Role::Admin)]).await?;
    Ok(Some(password))
}

pub(crate) async fn session(store: &Store, token: &str) -> Result<Option<Session>, StoreError> {
    store.session(token, now()).await
}

pub(crate) async fn create_session(store: &Store, user: &User, ttl: i64) -> Result<NewSession, StoreError> {
    store.create_session(user.id, now(), ttl).await
}

pub(crate) async fn delete_session(store: &Store, token: &str) -> Result<(), StoreError> {
    store.delete_session(token).await.map(|_| ())
}

pub(crate) async fn verify(
    store: &Store,
    username: &str,
    password: &str,
) -> Result<Option<User>, StoreError> {
    store.verify_password(username, password).await
}

pub(crate) async fn recent_failures(
    store: &Store,
    username: &str,
    remote: Option<&str>,
    window_secs: i64,
) -> Result<u64, StoreError> {
    if username.contains('\0') {
        return Ok(0);
    }
    let since = now().saturating_sub(window_secs);
    let by_user = store.failed_logins_for_user(username, since).await?;
    let by_remote = match remote {
        Some(r) => store.failed_logins_from(r, since).await?,
        None => 0,
    };
    Ok(by_user.max(by_remote))
}

pub(crate) async fn record_attempt(
    store: &Store,
    username: &str,
    remote: Option<&str>,
    success: bool,
) -> Result<(), StoreError> {
    // User names with NUL cannot be stored; they never match a user either.
    let username: String = username.replace('\0', "").chars().take(200).collect();
    let attempt = LoginAttempt { username, remote: remote.map(str::to_string), at: now(), success };
    store.record_login_attempt(&attempt).await
}
