//! The server's shared state: the store, the case service, the catalog read model and its
//! caches, the clock.

use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use quanze_casework::CaseService;
use quanze_model::{ChinaTime, Clock, Date};
use quanze_store::Store;

use crate::ServeConfig;
use crate::error::ServerError;
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
    page_cache: Mutex<std::collections::HashMap<i64, bytes::Bytes>>,
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

    /// Reload everything from the store.
    pub async fn refresh(&self) -> Result<(), ServerError> {
        let _guard = self.inner.rebuild.lock().await;
        let data = storage::load_all(&self.inner.store).await?;
        let snap = Arc::new(
            tokio::task::spawn_blocking(move || Snapshot::build(data))
                .await
                .map_err(ServerError::Snapshot)?,
        );
        match self.inner.snapshot.write() {
            Ok(mut g) => *g = snap,
            Err(poisoned) => *poisoned.into_inner() = snap,
        }
        if let Ok(mut c) = self.inner.page_cache.lock() {
            c.clear();
        }
        Ok(())
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
