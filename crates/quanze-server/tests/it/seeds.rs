use crate::common::env;

/// `serve` on an empty store loads the five embedded seed lists, each complete.
#[tokio::test]
async fn empty_store_gets_the_five_seeds() {
    let e = env().await;
    let snap = e.state.snapshot();
    let mut got: Vec<(String, usize)> = snap
        .bureaus
        .iter()
        .map(|b| (b.name.clone(), b.current().map_or(0, |v| v.catalog.items.len())))
        .collect();
    got.sort();
    let mut want = vec![
        ("涞源县医疗保障局".to_string(), 45),
        ("民勤县医疗保障局".to_string(), 9),
        ("汤阴县医疗保障局".to_string(), 20),
        ("邢台市襄都区医疗保障局".to_string(), 17),
        ("基本医疗保险经办机构".to_string(), 17),
    ];
    want.sort();
    assert_eq!(got, want);
    assert!(snap.bureaus.iter().all(|b| b.versions.len() == 1 && b.versions[0].published));
}
