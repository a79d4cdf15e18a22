use quanze_model::{Catalog, Category};
use quanze_store::{
    BureauId, ItemId, Page, Store, StoreError, StoredVersion, VersionId, VersionStatus,
    normalize_statute_title,
};

use crate::both;
use crate::fixtures::{self, catalog, citation, generated, item, small};
use crate::harness::Db;

both!(
    store_and_read_back,
    versions_one_and_two,
    idempotent_by_sha256,
    bureau_from_publisher,
    items_citing_across_bureaus,
    pagination,
    hostile_strings_round_trip,
    nul_rejected_cleanly,
    bad_sha256_rejected,
    missing_rows,
    concurrent_writers_lose_nothing,
    concurrent_same_file_stores_once,
    reopen_keeps_data,
    failed_store_leaves_nothing,
    large_version_in_chunks,
    import_and_publish_is_one_transaction,
    catalog_epoch_counts_every_change,
);

async fn store(db: &Store, bureau: BureauId, c: &Catalog) -> StoredVersion {
    db.store_version(bureau, c, None).await.expect("store version")
}

async fn store_and_read_back(db: &Db) {
    let bureau = db.ensure_bureau("涞源县医疗保障局", Some("河北省保定市")).await.expect("bureau");
    assert_eq!(bureau.name, "涞源县医疗保障局");
    assert_eq!(bureau.region.as_deref(), Some("河北省保定市"));
    let again = db.ensure_bureau("  涞源县医疗保障局 ", None).await.expect("bureau again");
    assert_eq!(again, bureau, "ensure_bureau trims and finds the existing bureau");

    let c = small("涞源县医疗保障局", "v1");
    let stored = store(db, bureau.id, &c).await;
    assert!(stored.created);
    let v = &stored.version;
    assert_eq!((v.number, v.status, v.bureau), (1, VersionStatus::Draft, bureau.id));
    assert_eq!(v.file_name, "v1.txt");
    assert_eq!(v.sha256, fixtures::sha("v1"));
    assert_eq!((v.item_count, v.diagnostic_count), (3, 2));
    assert_eq!(v.edition.as_deref(), Some("2025年版"));
    assert!(v.imported_at > 1_700_000_000, "imported_at is a current Unix time: {}", v.imported_at);
    assert_eq!((v.imported_by, v.published_at), (None, None));

    assert_eq!(db.catalog(v.id).await.expect("catalog"), Some(c.clone()), "catalog round-trips");
    let json = db.catalog_json(v.id).await.expect("json").expect("some json");
    assert_eq!(serde_json::from_str::<Catalog>(&json).expect("parse"), c);

    let page = db.items(v.id, Page::all()).await.expect("items");
    assert_eq!(page.total, 3);
    let items: Vec<_> = page.rows.iter().map(|r| r.item.clone()).collect();
    assert_eq!(items, c.items, "items come back whole and in catalog order");
    for (i, row) in page.rows.iter().enumerate() {
        assert_eq!(row.summary.position as usize, i);
        assert_eq!(row.summary.seq, c.items[i].seq);
        assert_eq!(row.summary.name, c.items[i].name);
        assert_eq!(row.summary.category, c.items[i].category);
        assert_eq!(row.bureau, bureau.id);
        let one = db.item(row.summary.id).await.expect("item").expect("item exists");
        assert_eq!(&one, row);
    }
    assert_eq!(db.diagnostics(v.id).await.expect("diagnostics"), c.diagnostics);
    assert_eq!(db.current_version(bureau.id).await.expect("current"), Some(v.clone()));
    let (cur, cur_items) =
        db.current_items(bureau.id, Page::first(2)).await.expect("current items").expect("some");
    assert_eq!(cur.id, v.id);
    assert_eq!((cur_items.total, cur_items.rows.len()), (3, 2));
}

async fn versions_one_and_two(db: &Db) {
    let b = db.ensure_bureau("民勤县医疗保障局", None).await.expect("bureau");
    let v1 = store(db, b.id, &small("民勤县医疗保障局", "2024")).await.version;
    let mut c2 = small("民勤县医疗保障局", "2025");
    c2.items.push(item(4, "医疗救助", Category::Payment, vec![]));
    let v2 = store(db, b.id, &c2).await.version;
    assert_eq!((v1.number, v2.number), (1, 2));
    assert_ne!(v1.id, v2.id);
    let list = db.versions(b.id).await.expect("versions");
    assert_eq!(list.iter().map(|v| v.number).collect::<Vec<_>>(), vec![2, 1], "newest first");

    // Nothing published: the newest version is current.
    assert_eq!(db.current_version(b.id).await.expect("current").map(|v| v.id), Some(v2.id));
    // A published version beats a newer draft.
    let p1 = db.publish_version(v1.id, None).await.expect("publish v1");
    assert_eq!(p1.status, VersionStatus::Published);
    assert!(p1.published_at.is_some());
    assert_eq!(db.current_version(b.id).await.expect("current").map(|v| v.id), Some(v1.id));
    let summary = db.list_bureaus().await.expect("list");
    let s = summary.iter().find(|s| s.bureau.id == b.id).expect("listed");
    assert_eq!((s.item_count, s.version_count), (3, 2));
    // Publishing v2 makes it current; publishing again changes nothing.
    let p2 = db.publish_version(v2.id, None).await.expect("publish v2");
    assert_eq!(db.current_version(b.id).await.expect("current").map(|v| v.id), Some(v2.id));
    let p2again = db.publish_version(v2.id, None).await.expect("publish v2 again");
    assert_eq!(p2again, p2);
    let s = db.list_bureaus().await.expect("list");
    let s = s.iter().find(|s| s.bureau.id == b.id).expect("listed");
    assert_eq!(s.item_count, 4);
    assert_eq!(s.current.as_ref().map(|v| v.number), Some(2));
    // The old version's items are still there.
    assert_eq!(db.items(v1.id, Page::all()).await.expect("v1 items").total, 3);
    assert_eq!(db.items(v2.id, Page::all()).await.expect("v2 items").total, 4);
}

async fn idempotent_by_sha256(db: &Db) {
    let b = db.ensure_bureau("汤阴县医疗保障局", None).await.expect("bureau");
    let c = small("汤阴县医疗保障局", "same-file");
    let first = store(db, b.id, &c).await;
    let second = store(db, b.id, &c).await;
    assert!(first.created);
    assert!(!second.created, "the same file again is not a new version");
    assert_eq!(first.version, second.version);
    // Same sha256 but a differently parsed catalog (a newer importer): still the same file.
    let mut reparsed = c.clone();
    reparsed.items.truncate(1);
    let third = store(db, b.id, &reparsed).await;
    assert!(!third.created);
    assert_eq!(third.version.id, first.version.id);
    assert_eq!(db.versions(b.id).await.expect("versions").len(), 1);
    assert_eq!(db.items(first.version.id, Page::all()).await.expect("items").total, 3);
    // Another bureau may store the same file.
    let other = db.ensure_bureau("另一个医疗保障局", None).await.expect("bureau");
    let theirs = store(db, other.id, &c).await;
    assert!(theirs.created);
    assert_eq!(theirs.version.number, 1);
}

async fn bureau_from_publisher(db: &Db) {
    let c = small("邢台市襄都区医疗保障局", "xd");
    let (bureau, stored) = db.import_catalog(&c, None).await.expect("import");
    assert_eq!(bureau.name, "邢台市襄都区医疗保障局");
    assert_eq!(stored.version.bureau, bureau.id);
    assert_eq!(db.bureau_by_name("邢台市襄都区医疗保障局").await.expect("find"), Some(bureau.clone()));
    assert_eq!(db.bureau(bureau.id).await.expect("by id"), Some(bureau));
    for publisher in [None, Some("   ")] {
        let c = catalog(publisher, "nopub", vec![]);
        let err = db.import_catalog(&c, None).await.expect_err("no publisher");
        assert!(matches!(err, StoreError::NoPublisher), "{err:?}");
    }
    let err = db.ensure_bureau("  ", None).await.expect_err("empty name");
    assert!(matches!(err, StoreError::InvalidInput(_)), "{err:?}");
}

async fn items_citing_across_bureaus(db: &Db) {
    let a = db.ensure_bureau("甲县医疗保障局", None).await.expect("a");
    let b = db.ensure_bureau("乙县医疗保障局", None).await.expect("b");
    store(db, a.id, &small("甲县医疗保障局", "a1")).await;
    let b1 = store(db, b.id, &small("乙县医疗保障局", "b1")).await.version;

    let hits = db.items_citing("《中华人民共和国社会保险法》", Some(87), Page::all()).await.expect("citing");
    assert_eq!(hits.total, 2);
    assert_eq!(
        hits.rows.iter().map(|h| h.bureau_name.as_str()).collect::<Vec<_>>(),
        ["乙县医疗保障局", "甲县医疗保障局"]
    );
    assert!(hits.rows.iter().all(|h| h.articles == [87] && h.item.seq == Some(1)));

    let any = db.items_citing("社会保险法", None, Page::all()).await.expect("citing any");
    assert_eq!(any.total, 4, "items 1 and 2 of both bureaus");
    let first = &any.rows[0];
    assert_eq!((first.item.seq, first.articles.as_slice()), (Some(1), &[87][..]));
    assert_eq!(any.rows[1].articles, [79]);
    let paged = db.items_citing("社会保险法", None, Page { offset: 3, limit: 10 }).await.expect("paged");
    assert_eq!((paged.total, paged.rows.len()), (4, 1));
    assert!(db.items_citing("社会保险法", Some(1), Page::all()).await.expect("none").rows.is_empty());

    // Only current versions count: bureau A's second edition drops the statute.
    let dropped = catalog(Some("甲县医疗保障局"), "a2", vec![item(1, "某处罚", Category::Penalty, vec![])]);
    store(db, a.id, &dropped).await;
    let hits = db.items_citing("社会保险法", Some(87), Page::all()).await.expect("citing");
    assert_eq!(hits.rows.iter().map(|h| h.bureau).collect::<Vec<_>>(), [b.id]);
    assert_eq!(hits.rows[0].item.version, b1.id);
    assert_eq!(hits.rows[0].version_number, 1);
    assert_eq!(normalize_statute_title("《中华人民共和国社会保险法》（2018年修正）"), "社会保险法");
    assert_eq!(normalize_statute_title("《中华人民共和国 社会保险法》"), "社会保险法");
    assert_ne!(
        normalize_statute_title("《某某办法（试行）》"),
        normalize_statute_title("《某某办法》"),
        "试行 is part of a name"
    );
}

async fn pagination(db: &Db) {
    let b = db.ensure_bureau("分页县医疗保障局", None).await.expect("bureau");
    let v = store(db, b.id, &generated("分页县医疗保障局", "p", 25)).await.version;
    let page = db.items(v.id, Page { offset: 10, limit: 10 }).await.expect("page");
    assert_eq!(page.total, 25);
    assert_eq!(
        page.rows.iter().map(|r| r.summary.position).collect::<Vec<_>>(),
        (10..20).collect::<Vec<_>>()
    );
    let tail = db.items(v.id, Page { offset: 20, limit: 10 }).await.expect("tail");
    assert_eq!(tail.rows.len(), 5);
    let past = db.items(v.id, Page { offset: 1000, limit: 10 }).await.expect("past end");
    assert_eq!((past.total, past.rows.len()), (25, 0));
    let clamped = db.items(v.id, Page { offset: 0, limit: 0 }).await.expect("limit 0");
    assert_eq!(clamped.rows.len(), 1, "a zero limit is clamped to one row");
    let huge = db.item_summaries(v.id, Page { offset: u64::MAX, limit: u32::MAX }).await.expect("huge");
    assert_eq!((huge.total, huge.rows.len()), (25, 0));
    let ids = db.item_ids(v.id).await.expect("ids");
    let all = db.item_summaries(v.id, Page::all()).await.expect("all summaries");
    assert_eq!(ids, all.rows.iter().map(|s| s.id).collect::<Vec<_>>(), "ids in catalog order");
    assert!(db.item_ids(VersionId(987_654)).await.expect("no version").is_empty());
    let sums = db.item_summaries(v.id, Page::first(3)).await.expect("summaries");
    assert_eq!(sums.rows.iter().map(|s| s.seq).collect::<Vec<_>>(), [Some(1), Some(2), Some(3)]);
    assert_eq!(sums.rows[0].code.as_deref(), Some("CODE-001"));
}

async fn hostile_strings_round_trip(db: &Db) {
    let names = [
        "'; DROP TABLE items;--",
        "\"; DELETE FROM versions; --",
        "%",
        "_",
        "100%_折扣\\%",
        "Robert'); DROP TABLE bureaus;--",
        "𠀀𪚥🙂 罕见字 \u{200b} zero-width",
        "$1 $2 ?1 :name @x",
        "行\n跨\t行",
    ];
    let bureau_name = "'; DROP TABLE bureaus;-- 医保局";
    let b = db.ensure_bureau(bureau_name, Some("%_'\"")).await.expect("bureau");
    assert_eq!(b.name, bureau_name);
    assert_eq!(b.region.as_deref(), Some("%_'\""));
    let items = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let mut it = item(i as u32 + 1, n, Category::Other, vec![citation(n, Some(1))]);
            it.extra.insert((*n).to_owned(), (*n).to_owned());
            it.subject = Some((*n).to_owned());
            it
        })
        .collect();
    let mut c = catalog(Some(bureau_name), "hostile", items);
    c.source.file_name = "'; DROP TABLE items;--.txt".to_owned();
    c.source.title = Some("%".to_owned());
    let v = store(db, b.id, &c).await.version;
    assert_eq!(v.file_name, c.source.file_name);
    assert_eq!(v.title.as_deref(), Some("%"));
    assert_eq!(db.catalog(v.id).await.expect("catalog"), Some(c.clone()));
    let page = db.items(v.id, Page::all()).await.expect("items");
    for (row, name) in page.rows.iter().zip(names) {
        assert_eq!(row.summary.name, name);
        assert_eq!(row.summary.subject.as_deref(), Some(name));
        assert_eq!(row.item.extra.get(name).map(String::as_str), Some(name));
    }
    // Wildcards are not wildcards.
    assert_eq!(db.bureau_by_name("%").await.expect("lookup"), None);
    assert_eq!(db.bureau_by_name("_").await.expect("lookup"), None);
    assert!(db.items_citing("%", None, Page::all()).await.expect("cite %").rows.len() == 1);
    assert!(
        db.items_citing("'; DROP TABLE items;--", Some(1), Page::all()).await.expect("cite").rows.len() == 1
    );
    // And the tables are all still there.
    assert_eq!(db.list_bureaus().await.expect("bureaus").len(), 1);
    assert_eq!(db.versions(b.id).await.expect("versions").len(), 1);
}

async fn nul_rejected_cleanly(db: &Db) {
    let b = db.ensure_bureau("空字符县医疗保障局", None).await.expect("bureau");
    let mut bad = small("空字符县医疗保障局", "nul");
    bad.items[1].name = "对\0的处罚".to_owned();
    let err = db.store_version(b.id, &bad, None).await.expect_err("NUL in an item name");
    assert!(matches!(&err, StoreError::InvalidInput(m) if m.contains("items[1].name")), "{err:?}");
    let mut bad_key = small("空字符县医疗保障局", "nul-key");
    bad_key.items[0].extra.insert("列\0".to_owned(), "x".to_owned());
    assert!(matches!(db.store_version(b.id, &bad_key, None).await, Err(StoreError::InvalidInput(_))));
    let mut bad_cite = small("空字符县医疗保障局", "nul-cite");
    bad_cite.items[0].legal_basis.citations[0].title = "法\0".to_owned();
    assert!(matches!(db.store_version(b.id, &bad_cite, None).await, Err(StoreError::InvalidInput(_))));
    assert!(db.versions(b.id).await.expect("versions").is_empty(), "nothing was stored");

    assert!(matches!(db.ensure_bureau("医保\0局", None).await, Err(StoreError::InvalidInput(_))));
    assert!(matches!(db.ensure_bureau("医保局", Some("\0")).await, Err(StoreError::InvalidInput(_))));
    assert!(matches!(db.bureau_by_name("\0").await, Err(StoreError::InvalidInput(_))));
    assert!(matches!(db.items_citing("法\0", None, Page::all()).await, Err(StoreError::InvalidInput(_))));
    // The good catalog still goes in afterwards.
    assert!(db.store_version(b.id, &small("空字符县医疗保障局", "ok"), None).await.expect("good").created);
}

async fn bad_sha256_rejected(db: &Db) {
    let b = db.ensure_bureau("哈希县医疗保障局", None).await.expect("bureau");
    for sha in ["", "abc", &"g".repeat(64)] {
        let mut c = small("哈希县医疗保障局", "x");
        c.source.sha256 = sha.to_owned();
        let err = db.store_version(b.id, &c, None).await.expect_err("bad sha256");
        assert!(matches!(err, StoreError::InvalidInput(_)), "{sha:?}: {err:?}");
    }
}

async fn missing_rows(db: &Db) {
    let err = db.store_version(BureauId(987_654), &small("x", "x"), None).await.expect_err("no bureau");
    assert!(matches!(err, StoreError::NotFound(_)), "{err:?}");
    let err = db.publish_version(VersionId(987_654), None).await.expect_err("no version");
    assert!(matches!(err, StoreError::NotFound(_)), "{err:?}");
    assert_eq!(db.item(ItemId(987_654)).await.expect("item"), None);
    assert_eq!(db.catalog(VersionId(987_654)).await.expect("catalog"), None);
    assert_eq!(db.version(VersionId(987_654)).await.expect("version"), None);
    assert_eq!(db.bureau(BureauId(987_654)).await.expect("bureau"), None);
    assert_eq!(db.current_version(BureauId(987_654)).await.expect("current"), None);
    assert_eq!(db.current_items(BureauId(987_654), Page::all()).await.expect("current items"), None);
    assert!(db.diagnostics(VersionId(987_654)).await.expect("diagnostics").is_empty());
    assert!(db.versions(BureauId(987_654)).await.expect("versions").is_empty());
    let b = db.ensure_bureau("新局", None).await.expect("bureau");
    assert_eq!(db.current_version(b.id).await.expect("current"), None);
    let listed = db.list_bureaus().await.expect("list");
    assert_eq!((listed[0].item_count, listed[0].version_count, listed[0].current.clone()), (0, 0, None));
}

async fn concurrent_writers_lose_nothing(db: &Db) {
    const WRITERS: u32 = 8;
    let mut tasks = Vec::new();
    for w in 0..WRITERS {
        let store = db.store.clone();
        tasks.push(tokio::spawn(async move {
            // Every writer also races to create the bureau.
            let b = store.ensure_bureau("并发县医疗保障局", None).await.expect("bureau");
            let c = generated("并发县医疗保障局", &format!("edition-{w}"), 20 + w);
            let v = store.store_version(b.id, &c, None).await.expect("store");
            (b.id, v.version)
        }));
    }
    let mut results = Vec::new();
    for t in tasks {
        results.push(t.await.expect("writer task"));
    }
    let bureau = results[0].0;
    assert!(results.iter().all(|(b, _)| *b == bureau), "one bureau for all writers");
    let mut numbers: Vec<u32> = results.iter().map(|(_, v)| v.number).collect();
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=WRITERS).collect::<Vec<_>>(), "numbers 1..n without gaps or repeats");
    for (_, v) in &results {
        let items = db.items(v.id, Page::all()).await.expect("items");
        assert_eq!(items.total, v.item_count);
        assert_eq!(
            db.catalog(v.id).await.expect("catalog").map(|c| c.items.len() as u64),
            Some(v.item_count)
        );
    }
    let counts: std::collections::BTreeSet<u64> = results.iter().map(|(_, v)| v.item_count).collect();
    assert_eq!(counts, (20..20 + u64::from(WRITERS)).collect(), "every writer's catalog is stored whole");
    assert_eq!(db.versions(bureau).await.expect("versions").len(), WRITERS as usize);
}

async fn concurrent_same_file_stores_once(db: &Db) {
    let b = db.ensure_bureau("重复县医疗保障局", None).await.expect("bureau");
    let c = small("重复县医疗保障局", "dup");
    let mut tasks = Vec::new();
    for _ in 0..6 {
        let store = db.store.clone();
        let c = c.clone();
        tasks.push(tokio::spawn(async move { store.store_version(b.id, &c, None).await.expect("store") }));
    }
    let mut created = 0;
    let mut ids = std::collections::BTreeSet::new();
    for t in tasks {
        let s = t.await.expect("task");
        created += usize::from(s.created);
        ids.insert(s.version.id);
    }
    assert_eq!((created, ids.len()), (1, 1), "exactly one writer created the version");
}

async fn reopen_keeps_data(db: &Db) {
    let b = db.ensure_bureau("重开县医疗保障局", None).await.expect("bureau");
    let v = store(db, b.id, &small("重开县医疗保障局", "keep")).await.version;
    let second = Store::open(&db.url).await.expect("open again (migrations are a no-op)");
    assert_eq!(second.version(v.id).await.expect("version"), Some(v.clone()));
    assert_eq!(second.items(v.id, Page::all()).await.expect("items").total, 3);
    second.close().await;
}

async fn failed_store_leaves_nothing(db: &Db) {
    // A trigger makes the database refuse the third item: the version, its first two items,
    // their citations and the diagnostics must all be rolled back.
    db.raw_exec(
        "CREATE TRIGGER boom BEFORE INSERT ON items WHEN NEW.name = 'boom' BEGIN SELECT RAISE(ABORT, 'boom'); END;",
        "CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
           IF NEW.name = 'boom' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$; \
         CREATE TRIGGER boom BEFORE INSERT ON items FOR EACH ROW EXECUTE FUNCTION boom();",
    )
    .await;
    let b = db.ensure_bureau("回滚县医疗保障局", None).await.expect("bureau");
    let first = store(db, b.id, &small("回滚县医疗保障局", "good")).await.version;
    let mut bad = small("回滚县医疗保障局", "bad");
    bad.items[2].name = "boom".to_owned();
    let err = db.store_version(b.id, &bad, None).await.expect_err("the trigger refuses item 3");
    assert!(matches!(err, StoreError::Database(_)), "{err:?}");
    assert_eq!(db.versions(b.id).await.expect("versions"), vec![first.clone()]);
    assert_eq!(db.current_version(b.id).await.expect("current"), Some(first.clone()));
    for table in ["items", "citations", "diagnostics"] {
        let sql = format!("SELECT CAST(COUNT(*) AS TEXT) FROM {table} WHERE version_id <> {}", first.id);
        assert_eq!(db.raw_text(&sql).await.as_deref(), Some("0"), "{table} rolled back");
    }
    // The next good import gets number 2: no gap left by the failed one.
    let next = store(db, b.id, &small("回滚县医疗保障局", "next")).await.version;
    assert_eq!(next.number, 2);
}

async fn large_version_in_chunks(db: &Db) {
    // More rows than one multi-row INSERT takes, for items, citations and diagnostics.
    let b = db.ensure_bureau("大县医疗保障局", None).await.expect("bureau");
    let mut c = generated("大县医疗保障局", "large", 450);
    c.diagnostics = (0..250)
        .map(|i| {
            quanze_model::Diagnostic::info(quanze_model::DiagnosticCode::UnknownColumn, format!("第{i}条"))
                .at_item(Some(i))
        })
        .collect();
    let v = store(db, b.id, &c).await.version;
    assert_eq!((v.item_count, v.diagnostic_count), (450, 250));
    let mut all = Vec::new();
    for offset in (0..450).step_by(100) {
        all.extend(db.items(v.id, Page { offset, limit: 100 }).await.expect("page").rows);
    }
    assert_eq!(all.iter().map(|r| r.item.clone()).collect::<Vec<_>>(), c.items);
    let last = all.last().expect("last item");
    assert_eq!(db.item(last.summary.id).await.expect("item").as_ref(), Some(last));
    assert_eq!(db.diagnostics(v.id).await.expect("diagnostics"), c.diagnostics);
    // Items 50, 100, …, 450 cite article 1.
    let hits = db.items_citing("医疗保障基金使用监督管理条例", Some(1), Page::all()).await.expect("citing");
    assert_eq!(
        hits.rows.iter().filter_map(|h| h.item.seq).collect::<Vec<_>>(),
        (1..=9).map(|k| k * 50).collect::<Vec<_>>()
    );
    let any = db.items_citing("医疗保障基金使用监督管理条例", None, Page::all()).await.expect("citing");
    assert_eq!(any.total, 450);
}

async fn import_and_publish_is_one_transaction(db: &Db) {
    // The database refuses any published version. Before issue 12 the import committed a
    // draft and then the publish failed, leaving the draft (and a new bureau) behind.
    db.raw_exec(
        "CREATE TRIGGER no_publish_insert BEFORE INSERT ON versions WHEN NEW.status = 'published' \
           BEGIN SELECT RAISE(ABORT, 'no publish'); END; \
         CREATE TRIGGER no_publish_update BEFORE UPDATE ON versions WHEN NEW.status = 'published' \
           BEGIN SELECT RAISE(ABORT, 'no publish'); END;",
        "CREATE FUNCTION no_publish() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
           IF NEW.status = 'published' THEN RAISE EXCEPTION 'no publish'; END IF; RETURN NEW; END $$; \
         CREATE TRIGGER no_publish BEFORE INSERT OR UPDATE ON versions FOR EACH ROW EXECUTE FUNCTION no_publish();",
    )
    .await;
    let before = db.catalog_epoch().await.expect("epoch");
    let c = small("一次提交县医疗保障局", "v1");
    let err = db.import_catalog_with(&c, None, true).await.expect_err("publishing is refused");
    assert!(matches!(err, StoreError::Database(_)), "{err:?}");
    assert_eq!(db.bureau_by_name("一次提交县医疗保障局").await.expect("bureau"), None, "no bureau left");
    assert_eq!(db.raw_text("SELECT CAST(COUNT(*) AS TEXT) FROM versions").await.as_deref(), Some("0"));
    assert_eq!(db.catalog_epoch().await.expect("epoch"), before, "the epoch rolled back too");
    // A draft import still works, and publishing it fails alone, leaving the draft a draft.
    let (b, stored) = db.import_catalog_with(&c, None, false).await.expect("draft import");
    assert_eq!(stored.version.status, VersionStatus::Draft);
    assert!(db.import_catalog_with(&c, None, true).await.is_err(), "publishing the same file is refused");
    let versions = db.versions(b.id).await.expect("versions");
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0].status, VersionStatus::Draft);
}

async fn catalog_epoch_counts_every_change(db: &Db) {
    assert_eq!(db.catalog_epoch().await.expect("epoch"), 0, "a new database");
    let (b, v1) = db.import_catalog_with(&small("纪元县医疗保障局", "v1"), None, false).await.expect("v1");
    assert_eq!(db.catalog_epoch().await.expect("epoch"), 1);
    let changed = db.versions_since(0).await.expect("since 0");
    assert_eq!(changed.iter().map(|(v, n)| (v.id, *n)).collect::<Vec<_>>(), vec![(v1.version.id, 1)]);
    // The same file again changes nothing; publishing it does, once.
    let (_, again) =
        db.import_catalog_with(&small("纪元县医疗保障局", "v1"), None, false).await.expect("again");
    assert!(!again.created);
    assert_eq!(db.catalog_epoch().await.expect("epoch"), 1);
    db.publish_version(v1.version.id, None).await.expect("publish");
    db.publish_version(v1.version.id, None).await.expect("publish twice");
    assert_eq!(db.catalog_epoch().await.expect("epoch"), 2);
    let changed = db.versions_since(1).await.expect("since 1");
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].0.status, VersionStatus::Published);
    // Import and publish at once: one step.
    let (_, v2) = db.import_catalog_with(&small("纪元县医疗保障局", "v2"), None, true).await.expect("v2");
    assert_eq!(v2.version.status, VersionStatus::Published);
    assert_eq!(v2.version.bureau, b.id);
    assert_eq!(db.catalog_epoch().await.expect("epoch"), 3);
    assert_eq!(db.current_version(b.id).await.expect("current").map(|v| v.id), Some(v2.version.id));
    assert!(db.versions_since(3).await.expect("since 3").is_empty());
}
