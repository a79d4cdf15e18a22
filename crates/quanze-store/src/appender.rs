//! Group commit of case appends on SQLite.
//!
//! With `synchronous=FULL` every commit waits for an `fsync`, which caps one-commit-per-append
//! near 6,000 appends/s. Appends are therefore sent to one writer task that takes every
//! append waiting in its queue, applies them in **one** `BEGIN IMMEDIATE` transaction and
//! commits once; only then does it answer each caller. Each append is checked against the
//! case's head as the earlier appends of the same batch left it, so two appends against the
//! same head never both apply; a refused append writes nothing and does not affect the rest.
//! If a statement of the batch fails, the batch is rolled back and its appends are redone one
//! per transaction, so one bad append cannot fail the others; if the commit itself fails,
//! every append of the batch gets the error and none was applied.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use sqlx::sqlite::SqlitePool;
use tokio::sync::{mpsc, oneshot};

use crate::append_rows::{
    DeadlineDbRow, EventRow, PreparedAppend, check_head, deadline_triples, insert_deadlines, insert_events,
    issue_documents,
};
use crate::row::RowExt;
use crate::{AppendOutcome, CaseId, Result, StoreError, Timestamp, now};

/// Most appends committed together. Large enough that 32 or 64 waiting writers share one
/// commit; small enough that one batch stays a few milliseconds of work.
const MAX_BATCH: usize = 512;
/// Appends queued before callers wait to enqueue (back-pressure).
const QUEUE: usize = 4096;
/// Ids per `IN (…)` list and cases per multi-row `UPDATE … FROM (VALUES …)`.
const IDS_PER_STATEMENT: usize = 500;

struct Job {
    append: PreparedAppend,
    reply: oneshot::Sender<Result<AppendOutcome>>,
}

/// The handle of the writer task, shared by clones of a store. The task is started by the
/// first append (on the runtime that makes it) and again if that runtime has gone.
#[derive(Clone, Debug, Default)]
pub(crate) struct Appender {
    queue: Arc<Mutex<Option<mpsc::Sender<Job>>>>,
}

impl Appender {
    pub(crate) async fn append(&self, pool: &SqlitePool, append: PreparedAppend) -> Result<AppendOutcome> {
        let (reply, answer) = oneshot::channel();
        let mut job = Job { append, reply };
        for _ in 0..2 {
            let queue = self.queue(pool);
            match queue.send(job).await {
                Ok(()) => return answer.await.map_err(|_| StoreError::WriterStopped)?,
                Err(mpsc::error::SendError(back)) => job = back,
            }
        }
        Err(StoreError::WriterStopped)
    }

    /// The writer's queue, starting the writer when there is none or it has stopped.
    fn queue(&self, pool: &SqlitePool) -> mpsc::Sender<Job> {
        let mut guard = self.queue.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(q) = guard.as_ref().filter(|q| !q.is_closed()) {
            return q.clone();
        }
        let (tx, rx) = mpsc::channel(QUEUE);
        tokio::spawn(run(pool.clone(), rx));
        *guard = Some(tx.clone());
        tx
    }

    /// Let the writer finish what is queued and stop.
    pub(crate) fn stop(&self) {
        let mut guard = self.queue.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        *guard = None;
    }
}

async fn run(pool: SqlitePool, mut rx: mpsc::Receiver<Job>) {
    let mut jobs = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut jobs, MAX_BATCH).await > 0 {
        let batch = std::mem::take(&mut jobs);
        commit_batch(&pool, batch).await;
    }
}

async fn commit_batch(pool: &SqlitePool, jobs: Vec<Job>) {
    let appends: Vec<&PreparedAppend> = jobs.iter().map(|j| &j.append).collect();
    match try_batch(pool, &appends, now()).await {
        Ok(answers) => {
            for (job, answer) in jobs.into_iter().zip(answers) {
                // A caller that stopped waiting is not an error of the others.
                let _ = job.reply.send(answer);
            }
        }
        Err(BatchError::Commit(e)) => {
            let e = Arc::new(e);
            for job in jobs {
                let _ = job.reply.send(Err(StoreError::BatchFailed(e.clone())));
            }
        }
        Err(BatchError::Before(_)) if jobs.len() > 1 => {
            for job in jobs {
                let answer = match try_batch(pool, &[&job.append], now()).await {
                    Ok(mut answers) => answers.pop().unwrap_or(Err(StoreError::WriterStopped)),
                    Err(BatchError::Before(e) | BatchError::Commit(e)) => Err(e),
                };
                let _ = job.reply.send(answer);
            }
        }
        Err(BatchError::Before(e)) => {
            if let Some(job) = jobs.into_iter().next() {
                let _ = job.reply.send(Err(e));
            }
        }
    }
}

/// Why a batch did not commit: a statement before the commit failed (nothing applied; the
/// appends can be redone alone), or the commit itself failed.
enum BatchError {
    Before(StoreError),
    Commit(StoreError),
}

impl From<sqlx::Error> for BatchError {
    fn from(e: sqlx::Error) -> Self {
        BatchError::Before(e.into())
    }
}

impl From<StoreError> for BatchError {
    fn from(e: StoreError) -> Self {
        BatchError::Before(e)
    }
}

/// Apply `appends` in one transaction; the answers, in order, once it is committed.
async fn try_batch(
    pool: &SqlitePool,
    appends: &[&PreparedAppend],
    recorded_at: Timestamp,
) -> std::result::Result<Vec<Result<AppendOutcome>>, BatchError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let ids: BTreeSet<i64> = appends.iter().map(|a| a.case_id).collect();
    let ids: Vec<i64> = ids.into_iter().collect();
    let mut heads: HashMap<i64, (i64, String)> = HashMap::with_capacity(ids.len());
    let mut bureaus: HashMap<i64, i64> = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(IDS_PER_STATEMENT) {
        let mut qb =
            sqlx::QueryBuilder::new("SELECT id, head_seq, head_hash, bureau_id FROM cases WHERE id IN (");
        let mut list = qb.separated(", ");
        for id in chunk {
            list.push_bind(*id);
        }
        qb.push(")");
        for row in qb.build().fetch_all(&mut *tx).await? {
            heads.insert(row.i64("id")?, (row.i64("head_seq")?, row.string("head_hash")?));
            bureaus.insert(row.i64("id")?, row.i64("bureau_id")?);
        }
    }

    let mut answers = Vec::with_capacity(appends.len());
    let mut events: Vec<(i64, &EventRow)> = Vec::new();
    // Per case, the state the last applied append left: (state, seq, hash).
    let mut heads_after: BTreeMap<i64, (&str, i64, &str)> = BTreeMap::new();
    let mut deadlines: BTreeMap<i64, &[DeadlineDbRow]> = BTreeMap::new();
    for a in appends {
        let verdict = check_head(a, heads.get(&a.case_id).map(|(s, h)| (*s, h.as_str())));
        match verdict {
            Err(e) => answers.push(Err(e)),
            Ok(()) => {
                heads.insert(a.case_id, (a.last_seq, a.last_hash.clone()));
                events.extend(a.events.iter().map(|e| (a.case_id, e)));
                heads_after.insert(a.case_id, (&a.state, a.last_seq, &a.last_hash));
                if let Some(d) = &a.deadlines {
                    deadlines.insert(a.case_id, d);
                }
                // Numbered in batch order inside the batch's transaction: a batch that rolls
                // back gives its numbers back.
                let bureau = bureaus.get(&a.case_id).copied().unwrap_or(0);
                let documents = issue_documents!(tx, a.case_id, bureau, a.documents, recorded_at);
                answers.push(Ok(AppendOutcome {
                    case_id: CaseId(a.case_id),
                    head_seq: u64::try_from(a.last_seq).unwrap_or(0),
                    head_hash: a.last_hash.clone(),
                    recorded_at,
                    documents,
                }));
            }
        }
    }
    if !events.is_empty() {
        insert_events!(tx, events, recorded_at);
        let cases: Vec<(i64, (&str, i64, &str))> = heads_after.into_iter().collect();
        for chunk in cases.chunks(IDS_PER_STATEMENT) {
            // One statement for the whole batch; SQLite names VALUES columns column1…
            let mut qb = sqlx::QueryBuilder::new(
                "UPDATE cases SET state = v.column2, head_seq = v.column3, head_hash = v.column4 FROM (",
            );
            qb.push_values(chunk, |mut b, (id, (state, seq, hash))| {
                b.push_bind(*id).push_bind(state.to_string()).push_bind(*seq).push_bind(hash.to_string());
            });
            qb.push(") AS v WHERE cases.id = v.column1");
            qb.build().execute(&mut *tx).await?;
        }
        let replaced: Vec<i64> = deadlines.keys().copied().collect();
        for chunk in replaced.chunks(IDS_PER_STATEMENT) {
            let mut qb = sqlx::QueryBuilder::new("DELETE FROM case_deadlines WHERE case_id IN (");
            let mut list = qb.separated(", ");
            for id in chunk {
                list.push_bind(*id);
            }
            qb.push(")");
            qb.build().execute(&mut *tx).await?;
        }
        let rows: Vec<_> = deadlines.iter().flat_map(|(id, d)| deadline_triples(*id, d)).collect();
        insert_deadlines!(tx, rows);
    }
    tx.commit().await.map_err(|e| BatchError::Commit(e.into()))?;
    Ok(answers)
}
