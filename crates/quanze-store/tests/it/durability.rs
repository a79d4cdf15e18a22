//! An acknowledged write survives the writer being killed (`kill -9`) right after it.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use quanze_store::{Page, Store};

use crate::fixtures::generated;

const CHILD_ENV: &str = "QUANZE_STORE_CRASH_CHILD_DB";
const BUREAU: &str = "断电县医疗保障局";

/// Store versions one after another, printing `ACK n` as soon as version n is stored. As a
/// child of [`acknowledged_writes_survive_kill`] (with `CHILD_ENV` set) it runs until killed;
/// on its own it stores three versions in a temporary file and checks them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crash_child_writer() {
    let (path, rounds, _dir) = match std::env::var(CHILD_ENV) {
        Ok(path) => (path, u32::MAX, None),
        Err(_) => {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("child.db").to_str().expect("utf-8").to_owned();
            (path, 3, Some(dir))
        }
    };
    let store = Store::open(&path).await.expect("open");
    let b = store.ensure_bureau(BUREAU, None).await.expect("bureau");
    for i in 0..rounds {
        let v = store
            .store_version(b.id, &generated(BUREAU, &format!("crash-{i}"), 200), None)
            .await
            .expect("store");
        assert_eq!(v.version.number, i + 1);
        println!("ACK {}", v.version.number);
    }
    assert_eq!(store.versions(b.id).await.expect("versions").len(), 3);
}

#[test]
fn acknowledged_writes_survive_kill() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("crash.db").to_str().expect("utf-8").to_owned();
    let exe = std::env::current_exe().expect("test binary");
    let mut child = Command::new(exe)
        .args(["--exact", "durability::crash_child_writer", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, &path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn the writer");
    let stdout = child.stdout.take().expect("child stdout");
    let mut acked = 0u32;
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("read child output");
        if let Some(n) = line.strip_prefix("ACK ") {
            acked = n.trim().parse().expect("ACK number");
            if acked >= 5 {
                break;
            }
        }
    }
    child.kill().expect("kill -9 the writer");
    child.wait().expect("reap the writer");
    assert!(acked >= 5, "the writer acknowledged {acked} versions before dying");

    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        let store = Store::open(&path).await.expect("reopen after the crash");
        let b = store.bureau_by_name(BUREAU).await.expect("lookup").expect("bureau survived");
        let versions = store.versions(b.id).await.expect("versions");
        assert!(versions.len() as u32 >= acked, "{} versions on disk, {acked} acknowledged", versions.len());
        for v in &versions {
            assert_eq!(v.item_count, 200);
            assert_eq!(
                store.items(v.id, Page::all()).await.expect("items").total,
                200,
                "version {} whole",
                v.number
            );
        }
        let mut numbers: Vec<u32> = versions.iter().map(|v| v.number).collect();
        numbers.sort_unstable();
        assert_eq!(numbers, (1..=numbers.len() as u32).collect::<Vec<_>>());
        store.close().await;
    });
}

const APPEND_CHILD_ENV: &str = "QUANZE_STORE_APPEND_CRASH_CHILD_DB";

/// A stream of appends from 8 tasks onto 4 cases (two tasks per case, so some conflict),
/// each replacing the case's deadlines with one named after the new head. Prints
/// `ACK case seq hash` only once the append is acknowledged. As the child of
/// [`acknowledged_appends_survive_kill`] it runs until killed; alone it does a few rounds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn append_crash_child_writer() {
    use quanze_store::{CaseFilter, DeadlineStatus, StoreError};
    let (path, rounds, _dir) = match std::env::var(APPEND_CHILD_ENV) {
        Ok(path) => (path, u32::MAX, None),
        Err(_) => {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("child.db").to_str().expect("utf-8").to_owned();
            let store = Store::open(&path).await.expect("open");
            seed_cases(&store).await;
            store.close().await;
            (path, 5, Some(dir))
        }
    };
    let store = Store::open(&path).await.expect("open");
    let cases = store.cases(&CaseFilter::default()).await.expect("cases").rows;
    assert_eq!(cases.len(), 4);
    let mut tasks = Vec::new();
    for writer in 0..8u32 {
        let store = store.clone();
        let id = cases[writer as usize % 4].id;
        tasks.push(tokio::spawn(async move {
            let mut applied = 0;
            while applied < rounds {
                let head = store.case(id).await.expect("case").expect("exists");
                let mut req = crate::cases::next(&head, "investigate", &format!("{writer}/{applied}"));
                let seq = head.head_seq + 1;
                req.deadlines = Some(vec![crate::cases::deadline(
                    &format!("after {seq}"),
                    Some("2026-12-01"),
                    DeadlineStatus::Open,
                )]);
                match store.append_events(req).await {
                    Ok(out) => {
                        println!("ACK {} {} {}", id, out.head_seq, out.head_hash);
                        applied += 1;
                    }
                    Err(StoreError::StaleHead { .. }) => {}
                    Err(e) => panic!("{e:?}"),
                }
            }
        }));
    }
    for t in tasks {
        t.await.expect("writer");
    }
    for c in &cases {
        assert_eq!(crate::cases::assert_contiguous(&store, c.id).await, 1 + 2 * 5);
    }
}

async fn seed_cases(store: &Store) {
    let first = crate::cases::open_case(store, BUREAU, "K0").await;
    for i in 1..4 {
        store
            .create_case(&quanze_store::NewCase {
                label: format!("K{i}"),
                events: vec![crate::cases::event(1, "", "open", &format!("{i}"))],
                ..new_case_like(&first)
            })
            .await
            .expect("case");
    }
}

fn new_case_like(c: &quanze_store::CaseRecord) -> quanze_store::NewCase {
    quanze_store::NewCase {
        bureau: c.bureau,
        version: c.version,
        item: c.item,
        item_seq: c.item_seq,
        procedure: c.procedure.clone(),
        label: String::new(),
        opened_at: c.opened_at.clone(),
        state: "clue".to_owned(),
        events: Vec::new(),
        deadlines: Vec::new(),
    }
}

#[test]
fn acknowledged_appends_survive_kill() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("append-crash.db").to_str().expect("utf-8").to_owned();
    let rt =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    rt.block_on(async {
        let store = Store::open(&path).await.expect("open");
        seed_cases(&store).await;
        store.close().await;
    });
    let exe = std::env::current_exe().expect("test binary");
    let mut child = Command::new(exe)
        .args(["--exact", "durability::append_crash_child_writer", "--nocapture", "--test-threads=1"])
        .env(APPEND_CHILD_ENV, &path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn the writer");
    let stdout = child.stdout.take().expect("child stdout");
    let mut acked: Vec<(i64, u64, String)> = Vec::new();
    let mut lines = BufReader::new(stdout).lines();
    for line in lines.by_ref() {
        let line = line.expect("read child output");
        if let Some(rest) = line.strip_prefix("ACK ") {
            let parts: Vec<&str> = rest.split(' ').collect();
            assert_eq!(parts.len(), 3, "{line}");
            acked.push((
                parts[0].parse().expect("case"),
                parts[1].parse().expect("seq"),
                parts[2].to_owned(),
            ));
            if acked.len() >= 300 {
                break;
            }
        }
    }
    child.kill().expect("kill -9 the writer");
    child.wait().expect("reap the writer");
    // Acknowledgements printed between the last read and the kill count too.
    for line in lines {
        let Ok(line) = line else { break };
        if let Some(rest) = line.strip_prefix("ACK ") {
            let parts: Vec<&str> = rest.split(' ').collect();
            if let [c, s, h] = parts[..]
                && let (Ok(c), Ok(s)) = (c.parse(), s.parse())
            {
                acked.push((c, s, h.to_owned()));
            }
        }
    }
    assert!(acked.len() >= 300, "the writer acknowledged {} appends before dying", acked.len());

    rt.block_on(async {
        let store = Store::open(&path).await.expect("reopen after the crash");
        for (case, seq, hash) in &acked {
            let events = store.case_events(quanze_store::CaseId(*case)).await.expect("events");
            let stored = events.iter().find(|e| e.seq == *seq);
            assert_eq!(
                stored.map(|e| e.hash.as_str()),
                Some(hash.as_str()),
                "acknowledged {case}/{seq} is on disk"
            );
        }
        let cases = store.cases(&quanze_store::CaseFilter::default()).await.expect("cases").rows;
        assert_eq!(cases.len(), 4);
        for c in &cases {
            // Contiguous, linked, the head row and the deadlines those of the last event:
            // no append is visible in part.
            let head = crate::cases::assert_contiguous(&store, c.id).await;
            let deadlines = store.deadlines(c.id).await.expect("deadlines");
            let names: Vec<&str> = deadlines.iter().map(|d| d.name.as_str()).collect();
            if head == 1 {
                assert_eq!(names, ["立案核查"]);
            } else {
                assert_eq!(names, [format!("after {head}")], "case {}", c.id);
            }
        }
        store.close().await;
    });
}
