//! The five seed lists of `data/seeds`, imported for real and stored.

use quanze_import::{ImportOptions, import_bytes};
use quanze_model::Catalog;
use quanze_store::Page;

use crate::both;
use crate::harness::Db;

both!(seed_catalogs_store_and_read_back);

fn seeds() -> Vec<Catalog> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/seeds");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("data/seeds")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 5, "five seed lists in {}", dir.display());
    files
        .iter()
        .map(|p| {
            let bytes = std::fs::read(p).expect("read seed");
            let name = p.file_name().and_then(|n| n.to_str()).expect("file name");
            import_bytes(name, &bytes, &ImportOptions::default()).expect("seed imports")
        })
        .collect()
}

async fn seed_catalogs_store_and_read_back(db: &Db) {
    let catalogs = seeds();
    let mut bureaus = std::collections::BTreeSet::new();
    for c in &catalogs {
        let (bureau, stored) = db.import_catalog(c, None).await.expect("store seed");
        assert!(stored.created);
        bureaus.insert(bureau.id);
        let v = &stored.version;
        assert_eq!(v.number, 1);
        assert_eq!(v.sha256, c.source.sha256);
        assert_eq!(v.item_count, c.items.len() as u64);
        assert!(v.item_count > 0, "{} has items", c.source.file_name);
        assert_eq!(db.catalog(v.id).await.expect("catalog").as_ref(), Some(c), "{}", c.source.file_name);
        let items = db.items(v.id, Page::all()).await.expect("items");
        assert_eq!(
            items.rows.iter().map(|r| &r.item).collect::<Vec<_>>(),
            c.items.iter().collect::<Vec<_>>()
        );
        assert_eq!(db.diagnostics(v.id).await.expect("diagnostics"), c.diagnostics);
        // Importing the same file again is not a new version.
        let (_, again) = db.import_catalog(c, None).await.expect("store again");
        assert!(!again.created);
        assert_eq!(again.version.id, v.id);
    }
    assert_eq!(bureaus.len(), catalogs.len(), "each seed has its own publisher");
    let listed = db.list_bureaus().await.expect("list");
    let stored_items: u64 = listed.iter().map(|s| s.item_count).sum();
    let seed_items: u64 = catalogs.iter().map(|c| c.items.len() as u64).sum();
    assert_eq!(stored_items, seed_items);
    // Every seed cites statutes; the citation index finds the items of each.
    let cited: usize = catalogs.iter().flat_map(|c| &c.items).map(|i| i.legal_basis.citations.len()).sum();
    assert!(cited > 0, "the seeds cite statutes");
    let title = catalogs
        .iter()
        .flat_map(|c| &c.items)
        .flat_map(|i| &i.legal_basis.citations)
        .map(|c| c.title.clone())
        .find(|t| !t.is_empty())
        .expect("a cited title");
    let hits = db.items_citing(&title, None, Page::all()).await.expect("citing");
    assert!(hits.total > 0, "items citing {title}");
}
