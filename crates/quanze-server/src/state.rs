//! The server's shared state: the store, the case service, the catalog read model and its
//! caches, the clock.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use quanze_casework::CaseService;
use quanze_model::{ChinaTime, Clock, Date};
use quanze_store::Store;

use crate::ServeConfig;
use crate::error::ServerError;
use crate::heavy::Heavy;
use crate::read::snapshot::Snapshot;
use crate::storage;

/// Shared state of the server. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    /// The one case service of this server: the API, the console, the deadline sweep and
    /// the calendar capability (which loads new years into it) share it, so a year loaded at
    /// run time reaches every deadline computed after it.
    cases: Arc<CaseService>,
    snapshot: RwLock<Arc<Snapshot>>,
    /// Serializes snapshot rebuilds so a slow rebuild never overwrites a newer one.
    rebuild: tokio::sync::Mutex<()>,
    secure_cookies: bool,
    max_upload_bytes: usize,
    request_timeout: Duration,
    clock: Arc<dyn Clock>,
    /// Rendered item pages by item id (items never change once stored).
    page_cache: Mutex<HashMap<i64, bytes::Bytes>>,
    /// The catalog epoch the snapshot holds (`Store::catalog_epoch`); -1 before the first load.
    epoch: AtomicI64,
    /// The pool heavy requests run on (imports, exports, alignments).
    heavy: Heavy,
    /// Exports by version and format: a version never changes once stored, so a repeated
    /// download costs nothing (bounded by [`MAX_EXPORT_CACHE_BYTES`]).
    exports: Mutex<ExportCache>,
    /// How often `serve` polls the store's catalog epoch for another server's writes.
    catalog_poll: Duration,
}

/// Bytes of exports kept at most.
const MAX_EXPORT_CACHE_BYTES: usize = 64 * 1024 * 1024;

#[derive(Default)]
struct ExportCache {
    bytes: usize,
    files: HashMap<(i64, &'static str), bytes::Bytes>,
}

impl AppState {
    /// The state over an opened store and its case service, with an empty snapshot (see
    /// `AppState::open`, in the crate root because it loads the seeds first).
    pub(crate) fn new(store: Store, cases: Arc<CaseService>, config: &ServeConfig) -> AppState {
        AppState {
            inner: Arc::new(Inner {
                store,
                cases,
                snapshot: RwLock::new(Arc::new(Snapshot::default())),
                rebuild: tokio::sync::Mutex::new(()),
                secure_cookies: config.secure_cookies,
                max_upload_bytes: config.max_upload_bytes,
                request_timeout: config.request_timeout,
                clock: Arc::clone(&config.clock),
                page_cache: Mutex::new(Default::default()),
                epoch: AtomicI64::new(-1),
                heavy: Heavy::new(config.heavy.clone()),
                exports: Mutex::new(ExportCache::default()),
                catalog_poll: config.catalog_poll,
            }),
        }
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The server's one case service (案件服务).
    pub(crate) fn cases(&self) -> &Arc<CaseService> {
        &self.inner.cases
    }

    /// Mark cookies `Secure` and send HSTS.
    pub(crate) fn secure_cookies(&self) -> bool {
        self.inner.secure_cookies
    }

    pub(crate) fn max_upload_bytes(&self) -> usize {
        self.inner.max_upload_bytes
    }

    pub(crate) fn request_timeout(&self) -> Duration {
        self.inner.request_timeout
    }

    /// Today in China, from the configured clock ([`ServeConfig::clock`]): law pages, the
    /// calculator's default date and the deadline sweep all ask here.
    pub fn today(&self) -> Date {
        self.inner.clock.today()
    }

    /// Now in China, to the minute, from the configured clock: the read log and alerts.
    pub(crate) fn now(&self) -> ChinaTime {
        self.inner.clock.now()
    }

    /// The current read model.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        match self.inner.snapshot.read() {
            Ok(g) => Arc::clone(&g),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Bring the snapshot up to the store: the first call loads everything; later ones read
    /// the catalog epoch (one row) and, when another write moved it (this server's or another
    /// server's on the same database), load only the versions changed since and apply them
    /// ([`Snapshot::apply`]). `serve` calls it every [`crate::ServeConfig::catalog_poll`];
    /// tests call it as their poll tick.
    pub async fn refresh(&self) -> Result<(), ServerError> {
        self.sync_catalog().await.map(|_| ())
    }

    /// [`AppState::refresh`], answering whether the snapshot changed.
    pub async fn sync_catalog(&self) -> Result<bool, ServerError> {
        let _guard = self.inner.rebuild.lock().await;
        let store = &self.inner.store;
        let applied = self.inner.epoch.load(Ordering::Acquire);
        if applied < 0 {
            // Read before loading: a write committed during the load is applied again by the
            // next poll (applying a version twice is harmless).
            let epoch = store.catalog_epoch().await?;
            let data = storage::load_all(store).await?;
            let snap = tokio::task::spawn_blocking(move || Snapshot::build(data))
                .await
                .map_err(ServerError::Snapshot)?;
            self.install(Arc::new(snap), epoch);
            return Ok(true);
        }
        let now = store.catalog_epoch().await?;
        if now <= applied {
            return Ok(false);
        }
        let changed = store.versions_since(applied).await?;
        let epoch = changed.iter().map(|(_, n)| *n).max().unwrap_or(applied);
        if epoch < now {
            // The epoch moved past every stamped version: a version was deleted (a review
            // that deletes a draft). Load everything, as at start.
            let data = storage::load_all(store).await?;
            let snap = tokio::task::spawn_blocking(move || Snapshot::build(data))
                .await
                .map_err(ServerError::Snapshot)?;
            self.install(Arc::new(snap), now);
            return Ok(true);
        }
        let current = self.snapshot();
        let mut loaded = Vec::with_capacity(changed.len());
        let mut new_bureaus = Vec::new();
        for (info, _) in &changed {
            let bureau = info.bureau.0;
            if current.bureau(bureau).is_none()
                && !new_bureaus.iter().any(|(id, _, _)| *id == bureau)
                && let Some(b) = store.bureau(info.bureau).await?
            {
                new_bureaus.push((bureau, b.name, b.region));
            }
            if let Some(v) = storage::load_version(store, info).await? {
                loaded.push((bureau, v));
            }
        }
        let snap = tokio::task::spawn_blocking(move || current.apply(loaded, &new_bureaus))
            .await
            .map_err(ServerError::Snapshot)?;
        self.install(Arc::new(snap), epoch);
        Ok(true)
    }

    fn install(&self, snap: Arc<Snapshot>, epoch: i64) {
        match self.inner.snapshot.write() {
            Ok(mut g) => *g = snap,
            Err(poisoned) => *poisoned.into_inner() = snap,
        }
        self.inner.epoch.store(epoch, Ordering::Release);
        if let Ok(mut c) = self.inner.page_cache.lock() {
            c.clear();
        }
    }

    /// How often `serve` polls for other servers' catalog writes.
    pub(crate) fn catalog_poll(&self) -> Duration {
        self.inner.catalog_poll
    }

    /// The pool for heavy work.
    pub(crate) fn heavy(&self) -> &Heavy {
        &self.inner.heavy
    }

    /// Whether no heavy job is running or queued (tests: a cancelled job has really stopped).
    pub fn heavy_idle(&self) -> bool {
        self.inner.heavy.is_idle()
    }

    /// A cached export of version `version` in `format`.
    pub(crate) fn cached_export(&self, version: i64, format: &'static str) -> Option<bytes::Bytes> {
        self.inner.exports.lock().ok()?.files.get(&(version, format)).cloned()
    }

    /// Remember an export; the whole cache is dropped when it would grow past its bound.
    pub(crate) fn cache_export(&self, version: i64, format: &'static str, body: bytes::Bytes) {
        if body.len() > MAX_EXPORT_CACHE_BYTES / 4 {
            return;
        }
        if let Ok(mut c) = self.inner.exports.lock() {
            if c.bytes + body.len() > MAX_EXPORT_CACHE_BYTES {
                *c = ExportCache::default();
            }
            c.bytes += body.len();
            if let Some(old) = c.files.insert((version, format), body) {
                c.bytes -= old.len();
            }
        }
    }

    pub(crate) fn cached_page(&self, id: i64) -> Option<bytes::Bytes> {
        self.inner.page_cache.lock().ok()?.get(&id).cloned()
    }

    pub(crate) fn cache_page(&self, id: i64, body: bytes::Bytes) {
        if let Ok(mut c) = self.inner.page_cache.lock()
            && c.len() < 100_000
        {
            c.insert(id, body);
        }
    }

    /// Create or update the user `admin` with `password`.
    pub async fn set_admin_password(&self, password: &str) -> Result<(), ServerError> {
        storage::set_admin_password(&self.inner.store, password).await.map_err(ServerError::from)
    }

    /// Create `admin` with a generated password when no `admin` exists; returns it.
    pub async fn ensure_admin(&self) -> Result<Option<String>, ServerError> {
        Ok(storage::ensure_admin(&self.inner.store).await?)
    }
}
