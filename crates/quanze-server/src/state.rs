//! The server's shared state: the store, the catalog read model and its caches, the clock.

use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use quanze_model::{Clock, Date};
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
    /// The state over an opened store, with an empty snapshot (see `AppState::open`, in the
    /// crate root because it loads the seeds, which need the law capability).
    pub(crate) fn new(store: Store, config: &ServeConfig) -> AppState {
        AppState {
            inner: Arc::new(Inner {
                store,
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
        let data =
            storage::load_all(&self.inner.store).await.map_err(|e| ServerError::Store(e.to_string()))?;
        let snap = Arc::new(
            tokio::task::spawn_blocking(move || Snapshot::build(data))
                .await
                .map_err(|e| ServerError::Store(format!("building the snapshot failed: {e}")))?,
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
        storage::set_admin_password(&self.inner.store, password)
            .await
            .map_err(|e| ServerError::Store(e.to_string()))
    }

    /// Create `admin` with a generated password when no `admin` exists; returns it.
    pub async fn ensure_admin(&self) -> Result<Option<String>, ServerError> {
        storage::ensure_admin(&self.inner.store).await.map_err(|e| ServerError::Store(e.to_string()))
    }
}
