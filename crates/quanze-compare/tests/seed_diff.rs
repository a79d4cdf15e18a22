//! Version diffs on the real seed lists: a list against itself, against a reordered copy
//! and against a simulated next edition.

use std::path::Path;

use quanze_compare::{ItemField, MatchKey, diff_versions};
use quanze_model::Catalog;

const SEEDS: [&str; 5] = [
    "000_2a6f93350bdff5ae.txt",
    "001_a8ecac8bae7c0f63.txt",
    "002_986fb97279c273a7.txt",
    "003_53652f109c077542.txt",
    "004_e6509d409e33aba2.txt",
];

fn seed(file: &str) -> Catalog {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/seeds").join(file);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    quanze_import::import_bytes(file, &bytes, &quanze_import::ImportOptions::default())
        .unwrap_or_else(|e| panic!("{file}: {e}"))
}

#[test]
fn every_seed_equals_itself_and_its_reordering() {
    for file in SEEDS {
        let old = seed(file);
        let d = diff_versions(&old, &old);
        assert!(d.is_empty(), "{file}: {d:?}");
        assert_eq!(d.unchanged.len(), old.items.len(), "{file}");
        // The same items printed in reverse order (renumbered) are the same list.
        let mut reversed = old.clone();
        reversed.items.reverse();
        let d = diff_versions(&old, &reversed);
        assert!(d.is_empty(), "{file}: {d:?}");
    }
}

#[test]
fn a_simulated_next_edition_of_laiyuan() {
    let old = seed(SEEDS[0]);
    let mut new = old.clone();
    // Drop 涞源 #5, reword #21 医疗保险稽核 → 医疗保障稽核, amend #9's legal basis, add one
    // item, and renumber everything.
    let drop = new.items.iter().position(|it| it.seq == Some(5)).unwrap_or_else(|| panic!("#5"));
    let dropped_name = new.items.remove(drop).name;
    let audit = new.items.iter().position(|it| it.name == "医疗保险稽核").unwrap_or_else(|| panic!("稽核"));
    new.items[audit].name = "医疗保障稽核".into();
    let fraud = new.items.iter().position(|it| it.seq == Some(9)).unwrap_or_else(|| panic!("#9"));
    new.items[fraud].legal_basis.text.push_str("\n【行政法规】《医疗保障基金使用监督管理条例》第四十条");
    let mut added = new.items[0].clone();
    added.name = "对医疗保障经办机构不履行法定职责的处理".into();
    new.items.push(added);
    for (k, it) in new.items.iter_mut().enumerate() {
        it.seq = Some(k as u32 + 1);
    }

    let d = diff_versions(&old, &new);
    assert_eq!(d.removed.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), vec![dropped_name.as_str()]);
    assert_eq!(
        d.added.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
        vec!["对医疗保障经办机构不履行法定职责的处理"]
    );
    let changes: Vec<(String, MatchKey, Vec<ItemField>)> = d
        .changed
        .iter()
        .map(|c| (c.new.name.clone(), c.matched_by, c.fields.iter().map(|f| f.field).collect()))
        .collect();
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert!(
        changes.contains(&("医疗保障稽核".into(), MatchKey::Similar, vec![ItemField::Name])),
        "{changes:?}"
    );
    assert!(
        changes.iter().any(|(_, key, fields)| *key == MatchKey::Name && fields == &[ItemField::LegalBasis]),
        "{changes:?}"
    );
    assert_eq!(d.unchanged.len(), old.items.len() - 3);
}
