//! `quanze cases verify`: every case's hash chain, read back from the store.
//!
//! A chain verifies when its events are numbered 1, 2, 3…, each `prev_hash` is the previous
//! event's hash, each hash is the SHA-256 of the previous hash and the bytes held, the columns
//! the store indexes (seq, time, action, actors) say what the bytes say, and the case's head
//! is its last event (so a deleted last event is found too).

use std::collections::{HashMap, HashSet};

use quanze_case::CaseEvent;
use quanze_store::{CaseFilter, CaseId, CaseRecord, EventKey, Page, Store};

use crate::service::Result;

/// The first event of a case that does not verify.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Broken {
    pub case: i64,
    pub label: String,
    pub seq: u64,
    pub reason: String,
}

/// What a verification found.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct VerifyReport {
    pub cases: u64,
    pub events: u64,
    /// One entry per case that fails, at its first failing event, in case order.
    pub broken: Vec<Broken>,
}

const PAGE: u32 = 10_000;

/// Check the chains of one case's rows, in seq order. `None` when they verify.
fn check_case(record: Option<&CaseRecord>, rows: &[quanze_store::StoredEvent]) -> Option<(u64, String)> {
    let chain: Vec<quanze_case::StoredEvent> = rows
        .iter()
        .map(|r| quanze_case::StoredEvent {
            seq: r.seq,
            prev_hash: r.prev_hash.clone(),
            hash: r.hash.clone(),
            body: r.body.as_bytes().to_vec(),
        })
        .collect();
    if let Err(b) = quanze_case::verify_chain(&chain) {
        return Some((b.seq, b.reason));
    }
    for r in rows {
        let e: CaseEvent = match serde_json::from_str(&r.body) {
            Ok(e) => e,
            Err(err) => return Some((r.seq, format!("记录内容无法读取：{err}"))),
        };
        if e.at.to_string() != r.at || e.action.id() != r.action || e.by != r.actors {
            return Some((r.seq, "记录的时间、操作或办理人列与已签名的内容不符，记录已被修改".into()));
        }
    }
    match (record, rows.last()) {
        (Some(c), Some(last)) if c.head_seq != last.seq || c.head_hash != last.hash => Some((
            last.seq,
            format!("案件的最新记录应为第 {} 条，实际只有 {} 条：记录被删除或替换", c.head_seq, last.seq),
        )),
        (Some(c), None) if c.head_seq > 0 => Some((1, "案件没有任何记录：记录被删除".into())),
        (None, Some(first)) => Some((first.seq, "记录所属的案件不存在".into())),
        _ => None,
    }
}

/// Verify every case in the store.
pub async fn verify_store(store: &Store) -> Result<VerifyReport> {
    let mut records: HashMap<CaseId, CaseRecord> = HashMap::new();
    let mut page = Page { offset: 0, limit: 1000 };
    loop {
        let got = store.cases(&CaseFilter { page, ..CaseFilter::default() }).await?;
        let n = got.rows.len();
        for c in got.rows {
            records.insert(c.id, c);
        }
        if n < page.limit as usize {
            break;
        }
        page.offset += u64::from(page.limit);
    }
    let mut report = VerifyReport { cases: records.len() as u64, ..VerifyReport::default() };
    let mut seen: HashSet<CaseId> = HashSet::new();
    let mut current: Vec<quanze_store::StoredEvent> = Vec::new();
    let mut after: Option<EventKey> = None;
    let finish = |rows: &mut Vec<quanze_store::StoredEvent>, report: &mut VerifyReport| {
        if let Some(first) = rows.first() {
            let record = records.get(&first.case);
            if let Some((seq, reason)) = check_case(record, rows) {
                report.broken.push(Broken {
                    case: first.case.0,
                    label: record.map(|r| r.label.clone()).unwrap_or_default(),
                    seq,
                    reason,
                });
            }
        }
        rows.clear();
    };
    loop {
        let batch = store.events_after(after, PAGE).await?;
        let n = batch.len();
        for row in batch {
            after = Some(EventKey { case: row.case, seq: row.seq });
            if current.first().is_some_and(|f| f.case != row.case) {
                finish(&mut current, &mut report);
            }
            if current.is_empty() {
                seen.insert(row.case);
            }
            report.events += 1;
            current.push(row);
        }
        if n < PAGE as usize {
            break;
        }
    }
    finish(&mut current, &mut report);
    // Cases whose every event was deleted.
    let mut empty: Vec<&CaseRecord> =
        records.values().filter(|c| c.head_seq > 0 && !seen.contains(&c.id)).collect();
    empty.sort_by_key(|c| c.id);
    for c in empty {
        report.broken.push(Broken {
            case: c.id.0,
            label: c.label.clone(),
            seq: 1,
            reason: "案件没有任何记录：记录被删除".into(),
        });
    }
    report.broken.sort_by_key(|b| b.case);
    Ok(report)
}
