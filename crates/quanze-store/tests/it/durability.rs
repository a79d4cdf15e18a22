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
