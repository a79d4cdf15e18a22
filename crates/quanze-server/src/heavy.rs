//! Heavy work off the async workers (issue 12): imports, exports and alignments run on a
//! bounded pool of blocking threads behind a bounded queue, with a deadline per request and at
//! most a few requests per client at once. A full queue is refused at once (503 with
//! `Retry-After`), a client over its share too (429), so two hostile uploads cannot starve the
//! pages everyone reads.
//!
//! Cancellation is a flag ([`Cancel`]) the job polls between its stages; it is raised when the
//! deadline passes and when the request is dropped (the client went away, or the request's
//! time limit fired). A job whose flag is up stops at its next check and answers
//! [`Cancelled`]; its caller then writes nothing. The worker slot stays taken until the job
//! has really returned, so cancelled work still counts against the pool.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Semaphore;

/// The pool's limits ([`crate::ServeConfig::heavy`]).
#[derive(Clone)]
pub struct HeavyLimits {
    /// Heavy jobs running at once (blocking threads). Default 2.
    pub workers: usize,
    /// Heavy requests waiting for a worker; one more is refused with 503. Default 8.
    pub queue: usize,
    /// Heavy requests of one client (its session, else its address) at once; one more is
    /// refused with 429. Default 2.
    pub per_client: usize,
    /// Time a heavy request may take, queueing included; then its work is cancelled and it
    /// is answered 503. Default 25 s (below the request limit of 30 s).
    pub deadline: Duration,
    /// For tests only: called on the worker thread when a job starts and when it ends, so a
    /// test can hold the pool full with a gate it controls instead of sleeping.
    pub gate: Option<Arc<dyn Fn(Phase) + Send + Sync>>,
}

impl Default for HeavyLimits {
    fn default() -> Self {
        HeavyLimits { workers: 2, queue: 8, per_client: 2, deadline: Duration::from_secs(25), gate: None }
    }
}

impl std::fmt::Debug for HeavyLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HeavyLimits")
            .field("workers", &self.workers)
            .field("queue", &self.queue)
            .field("per_client", &self.per_client)
            .field("deadline", &self.deadline)
            .field("gate", &self.gate.is_some())
            .finish()
    }
}

/// Where a job is, for [`HeavyLimits::gate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// On the worker thread, before the job's first step.
    Start,
    /// The job has returned (finished or cancelled).
    End,
}

/// Why heavy work was not done.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum HeavyError {
    #[error("服务器正忙（排队的导入、导出或对比已满），请稍后再试。")]
    Busy,
    #[error("您同时进行的导入、导出或对比已达 {0} 个，请等前面的完成后再试。")]
    ClientBusy(usize),
    #[error("处理超时（超过 {0} 秒），已取消，未保存任何内容。")]
    Deadline(u64),
    #[error("处理已取消，未保存任何内容。")]
    Cancelled,
    #[error("服务器内部错误。")]
    Failed(String),
}

impl HeavyError {
    /// HTTP status, problem kind, and the seconds a client should wait before retrying.
    pub(crate) fn status_kind_retry(&self) -> (u16, &'static str, Option<u64>) {
        match self {
            HeavyError::Busy => (503, "busy", Some(5)),
            HeavyError::ClientBusy(_) => (429, "too-many-requests", Some(5)),
            HeavyError::Deadline(_) | HeavyError::Cancelled => (503, "deadline", Some(30)),
            HeavyError::Failed(_) => (500, "internal", None),
        }
    }
}

/// The answer of a job that saw its [`Cancel`] flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cancelled;

/// The cancellation flag a job polls: `check()?` between rows, items or stages.
#[derive(Debug, Clone, Default)]
pub(crate) struct Cancel(Arc<AtomicBool>);

impl Cancel {
    pub(crate) fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }

    pub(crate) fn check(&self) -> Result<(), Cancelled> {
        if self.is_cancelled() { Err(Cancelled) } else { Ok(()) }
    }

    fn raise(&self) {
        self.0.store(true, Ordering::Release);
    }
}

/// Raises the flag when the request's future is dropped before the job answered.
struct RaiseOnDrop(Option<Cancel>);

impl Drop for RaiseOnDrop {
    fn drop(&mut self) {
        if let Some(c) = self.0.take() {
            c.raise();
        }
    }
}

/// One taken place, given back when dropped.
struct Held {
    count: Arc<AtomicUsize>,
}

impl Drop for Held {
    fn drop(&mut self) {
        self.count.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A client's running and queued heavy requests, given back when dropped.
struct ClientHeld {
    clients: Arc<Mutex<HashMap<String, usize>>>,
    key: String,
}

impl Drop for ClientHeld {
    fn drop(&mut self) {
        let mut m = match self.clients.lock() {
            Ok(m) => m,
            Err(p) => p.into_inner(),
        };
        if let Some(n) = m.get_mut(&self.key) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                m.remove(&self.key);
            }
        }
    }
}

/// The pool: held by the server's state, shared by every request.
pub(crate) struct Heavy {
    limits: HeavyLimits,
    workers: Arc<Semaphore>,
    /// Running plus queued jobs (a cancelled job counts until it has returned).
    admitted: Arc<AtomicUsize>,
    clients: Arc<Mutex<HashMap<String, usize>>>,
}

impl Heavy {
    pub(crate) fn new(limits: HeavyLimits) -> Heavy {
        let workers = limits.workers.max(1);
        Heavy {
            workers: Arc::new(Semaphore::new(workers)),
            limits: HeavyLimits { workers, ..limits },
            admitted: Arc::new(AtomicUsize::new(0)),
            clients: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    pub(crate) fn is_idle(&self) -> bool {
        self.admitted.load(Ordering::Acquire) == 0
    }

    pub(crate) fn limits(&self) -> &HeavyLimits {
        &self.limits
    }

    /// Run `job` on the pool for `client` (a session or an address; `None` is one shared
    /// anonymous client), polling its [`Cancel`].
    pub(crate) async fn run<T, F>(&self, client: Option<&str>, job: F) -> Result<T, HeavyError>
    where
        T: Send + 'static,
        F: FnOnce(&Cancel) -> Result<T, Cancelled> + Send + 'static,
    {
        let key = client.unwrap_or("-").to_string();
        let client_held = {
            let mut m = match self.clients.lock() {
                Ok(m) => m,
                Err(p) => p.into_inner(),
            };
            let n = m.entry(key.clone()).or_insert(0);
            if *n >= self.limits.per_client {
                return Err(HeavyError::ClientBusy(self.limits.per_client));
            }
            *n += 1;
            ClientHeld { clients: Arc::clone(&self.clients), key }
        };
        let cap = self.limits.workers + self.limits.queue;
        if self.admitted.fetch_add(1, Ordering::AcqRel) >= cap {
            self.admitted.fetch_sub(1, Ordering::AcqRel);
            return Err(HeavyError::Busy);
        }
        let admitted = Held { count: Arc::clone(&self.admitted) };
        let cancel = Cancel::default();
        let mut on_drop = RaiseOnDrop(Some(cancel.clone()));
        let deadline = tokio::time::Instant::now() + self.limits.deadline;
        let secs = self.limits.deadline.as_secs();
        let permit = match tokio::time::timeout_at(deadline, Arc::clone(&self.workers).acquire_owned()).await
        {
            Ok(Ok(p)) => p,
            Ok(Err(_closed)) => return Err(HeavyError::Busy),
            Err(_elapsed) => return Err(HeavyError::Deadline(secs)),
        };
        let gate = self.limits.gate.clone();
        let flag = cancel.clone();
        let handle = tokio::task::spawn_blocking(move || {
            // The slot, the queue place and the client's share are given back only when the
            // work has really stopped.
            let held = (permit, admitted, client_held);
            if let Some(g) = &gate {
                g(Phase::Start);
            }
            let out = flag.check().and_then(|()| job(&flag));
            drop(held);
            if let Some(g) = &gate {
                g(Phase::End);
            }
            out
        });
        let answer = tokio::time::timeout_at(deadline, handle).await;
        match answer {
            Ok(Ok(Ok(v))) => {
                on_drop.0 = None;
                Ok(v)
            }
            Ok(Ok(Err(Cancelled))) => Err(HeavyError::Cancelled),
            Ok(Err(join)) => Err(HeavyError::Failed(join.to_string())),
            Err(_elapsed) => {
                cancel.raise();
                Err(HeavyError::Deadline(secs))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_cancelled_flag_stops_the_job_before_it_starts() {
        let heavy = Heavy::new(HeavyLimits::default());
        let r = heavy.run(Some("a"), |c| c.check().map(|()| 1)).await;
        assert_eq!(r, Ok(1));
        // The client's share and the queue place were given back.
        assert_eq!(heavy.admitted.load(Ordering::Acquire), 0);
        assert!(heavy.clients.lock().map(|m| m.is_empty()).unwrap_or(false));
    }
}
