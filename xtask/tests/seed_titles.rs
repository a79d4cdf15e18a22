//! Every statute title printed in the five seed lists has one key, whichever crate computes
//! it: the parser's stored title, the registry's lookup, the store's index and the
//! comparison's citation keys all agree with `quanze_text::statute_key` (issue 14, item 3).

use std::collections::BTreeSet;
use std::path::Path;

/// Every title as printed (`title_raw`) and as stored (`title`) in the seeds' citations,
/// and every 《…》 of the raw seed texts.
fn seed_titles() -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/seeds");
    let mut titles = BTreeSet::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let mut seeds = 0;
    for path in files.into_iter().filter(|p| p.extension().is_some_and(|e| e == "txt")) {
        seeds += 1;
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let catalog = quanze_import::import_bytes(&name, &bytes, &Default::default()).unwrap();
        for item in &catalog.items {
            for c in item.legal_basis.citations.iter().chain(&item.accountability_basis.citations) {
                titles.insert(c.title_raw.clone());
                titles.insert(c.title.clone());
            }
        }
        let text = String::from_utf8_lossy(&bytes);
        let mut rest = text.as_ref();
        while let Some(open) = rest.find('《') {
            let after = &rest[open..];
            let Some(close) = after.find('》') else { break };
            titles.insert(after[..close + '》'.len_utf8()].to_string());
            rest = &after['《'.len_utf8()..];
        }
    }
    assert_eq!(seeds, 5, "the five seed lists");
    titles.retain(|t| !t.trim().is_empty());
    titles
}

#[test]
fn every_seed_title_has_one_key_in_every_crate() {
    let titles = seed_titles();
    assert!(titles.len() > 60, "only {} titles found", titles.len());
    let mut disagreements = Vec::new();
    for raw in &titles {
        let key = quanze_text::statute_key(raw);
        let stored = quanze_parse::citation::normalize_title(raw);
        let paths = [
            ("parse (stored title, keyed)", quanze_text::statute_key(&stored)),
            ("law", quanze_law::text::normalize_title(raw)),
            ("law (stored title)", quanze_law::text::normalize_title(&stored)),
            ("store", quanze_store::normalize_statute_title(raw)),
            ("store (stored title)", quanze_store::normalize_statute_title(&stored)),
            ("compare (stored title)", quanze_compare::text::statute_key(&stored)),
        ];
        for (path, got) in paths {
            if got != key {
                disagreements.push(format!("{raw:?}: {path} gives {got:?}, the key is {key:?}"));
            }
        }
        // The registry finds an instrument by its printed title exactly when it finds it by
        // its stored one.
        let registry = quanze_law::registry();
        assert_eq!(registry.canonical_title(raw), registry.canonical_title(&stored), "{raw}");
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

#[test]
fn interim_titles_keep_their_interim_mark_everywhere() {
    // Seed 001 cites 《甘肃省欺诈骗取医疗保险基金行为举报奖励实施办法（暂行）》; law used to
    // strip the (暂行) that parse, store and search kept.
    let printed = "《甘肃省欺诈骗取医疗保险基金行为举报奖励实施办法（暂行）》";
    assert!(seed_titles().contains(printed));
    let key = "甘肃省欺诈骗取医疗保险基金行为举报奖励实施办法(暂行)";
    assert_eq!(quanze_law::text::normalize_title(printed), key);
    assert_eq!(quanze_store::normalize_statute_title(printed), key);
    assert_eq!(quanze_compare::text::statute_key(&quanze_parse::citation::normalize_title(printed)), key);
}
