//! Heavy work on the bounded pool (issue 12): a full queue and a client over its share are
//! refused at once with a Chinese problem and `Retry-After`; a request past its deadline is
//! cancelled and leaves nothing behind. The pool is held full by a gate the test opens, never
//! by sleeping.

use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use axum::http::StatusCode;
use quanze_server::{HeavyLimits, Phase};
use tokio::sync::mpsc;

use crate::api::edited_seed_002;
use crate::common::{Env, env_with};

/// A gate the pool's jobs wait at when they start, and the phases they report.
struct Gate {
    open: Mutex<bool>,
    cv: Condvar,
}

impl Gate {
    fn open(&self) {
        *self.open.lock().expect("gate lock") = true;
        self.cv.notify_all();
    }
}

fn gated(
    workers: usize,
    queue: usize,
    per_client: usize,
    deadline: Duration,
) -> (HeavyLimits, Arc<Gate>, mpsc::UnboundedReceiver<Phase>) {
    let gate = Arc::new(Gate { open: Mutex::new(false), cv: Condvar::new() });
    let (tx, rx) = mpsc::unbounded_channel();
    let g = Arc::clone(&gate);
    let limits = HeavyLimits {
        workers,
        queue,
        per_client,
        deadline,
        gate: Some(Arc::new(move |phase| {
            let _ = tx.send(phase);
            if phase == Phase::Start {
                let mut open = g.open.lock().expect("gate lock");
                while !*open {
                    open = g.cv.wait(open).expect("gate wait");
                }
            }
        })),
    };
    (limits, gate, rx)
}

async fn env_gated(limits: HeavyLimits) -> Arc<Env> {
    Arc::new(env_with(move |c| c.heavy = limits).await)
}

/// `/api/compare` of the seed bureaus number `a` and `b` (in id order).
fn compare_uri(e: &Env, a: usize, b: usize) -> String {
    let ids: Vec<i64> = e.state.snapshot().bureaus.iter().map(|b| b.id).collect();
    format!("/api/compare?a={}&b={}", ids[a], ids[b])
}

fn assert_refusal(r: &crate::common::Resp, status: StatusCode, words: &str) {
    assert_eq!(r.status, status, "{}", r.text());
    assert!(r.is_problem(), "{}", r.text());
    assert!(r.json()["detail"].as_str().is_some_and(|d| d.contains(words)), "{}", r.text());
    let retry =
        r.headers.get("retry-after").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    assert!(retry.is_some_and(|s| s > 0), "Retry-After: {:?}", r.headers.get("retry-after"));
}

#[tokio::test]
async fn a_full_queue_is_refused_with_503_and_retry_after() {
    let (limits, gate, mut phases) = gated(1, 0, 4, Duration::from_secs(600));
    let e = env_gated(limits).await;
    // The one worker takes the first alignment and waits at the gate.
    let first = {
        let (e, uri) = (Arc::clone(&e), compare_uri(&e, 0, 1));
        tokio::spawn(async move { e.get(&uri).await })
    };
    assert_eq!(phases.recv().await, Some(Phase::Start));
    // No queue: the next heavy request is refused at once, whoever asks.
    let r = e.get(&compare_uri(&e, 0, 2)).await;
    assert_refusal(&r, StatusCode::SERVICE_UNAVAILABLE, "服务器正忙");
    // Light requests are not queued behind it.
    assert_eq!(e.get("/api/bureaus").await.status, StatusCode::OK);
    gate.open();
    let r = first.await.expect("first request");
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(phases.recv().await, Some(Phase::End));
    // The place is free again, and the alignment is remembered: asking again is not heavy.
    let r = e.get(&compare_uri(&e, 0, 1)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(phases.try_recv().is_err(), "a remembered alignment does not use the pool");
}

#[tokio::test]
async fn a_client_over_its_share_is_refused_with_429() {
    let (limits, gate, mut phases) = gated(1, 4, 1, Duration::from_secs(600));
    let e = env_gated(limits).await;
    let login = e.login().await;
    let first = {
        let e = Arc::clone(&e);
        let login = crate::common::Login { cookie: login.cookie.clone(), csrf: login.csrf.clone() };
        tokio::spawn(async move {
            e.upload(Some(&login), Some(&login.csrf), "tangyin.txt", &edited_seed_002(), false).await
        })
    };
    assert_eq!(phases.recv().await, Some(Phase::Start));
    // The same session's second heavy request is over its share of one.
    let r = e.upload(Some(&login), Some(&login.csrf), "other.txt", crate::common::SEED_000, false).await;
    assert_refusal(&r, StatusCode::TOO_MANY_REQUESTS, "已达 1 个");
    // Another client is queued, not refused.
    let other = {
        let (e, uri) = (Arc::clone(&e), compare_uri(&e, 0, 1));
        tokio::spawn(async move { e.get(&uri).await })
    };
    gate.open();
    let r = first.await.expect("first request");
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(other.await.expect("other request").status, StatusCode::OK);
}

#[tokio::test]
async fn an_import_past_its_deadline_is_cancelled_and_leaves_nothing() {
    // A deadline of zero: the job is still at the gate when the deadline has passed.
    let (limits, gate, mut phases) = gated(1, 1, 1, Duration::ZERO);
    let e = env_gated(limits).await;
    let epoch = e.state.store().catalog_epoch().await.expect("epoch");
    let login = e.login().await;
    let r = e.upload(Some(&login), Some(&login.csrf), "tangyin.txt", &edited_seed_002(), true).await;
    assert_eq!(phases.recv().await, Some(Phase::Start));
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.text());
    assert!(r.json()["detail"].as_str().is_some_and(|d| d.contains("已取消")), "{}", r.text());
    // Let the job go: it sees its flag and stops before importing.
    gate.open();
    assert_eq!(phases.recv().await, Some(Phase::End));
    e.state.refresh().await.expect("refresh");
    assert_eq!(e.state.store().catalog_epoch().await.expect("epoch"), epoch, "nothing was written");
    let id = e.bureau_id("汤阴县");
    assert_eq!(e.get(&format!("/api/bureaus/{id}/versions")).await.json().as_array().map(Vec::len), Some(1));
    // The client's share was given back once the job had really stopped.
    assert!(e.state.heavy_idle(), "the pool is idle");
}
