//! The index over the five real seed lists (data/seeds), imported by `quanze-import`.

use std::path::Path;

use quanze_model::{Catalog, Category};
use quanze_search::{ItemDoc, Query, SearchIndex, normalize};

/// The seeds with their bureau id (1–5, in file order) and their catalogs.
fn seeds() -> Vec<(i64, Catalog)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/seeds");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 5, "five seed lists");
    files
        .iter()
        .enumerate()
        .map(|(k, path)| {
            let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            let catalog = quanze_import::import_bytes(name, &bytes, &quanze_import::ImportOptions::default())
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            (k as i64 + 1, catalog)
        })
        .collect()
}

/// Item ids are `bureau * 1000 + index in the catalog`.
fn docs(seeds: &[(i64, Catalog)]) -> Vec<ItemDoc> {
    seeds
        .iter()
        .flat_map(|(bureau, catalog)| {
            let publisher = catalog.source.publisher.clone().unwrap_or_default();
            catalog
                .items
                .iter()
                .enumerate()
                .map(move |(k, item)| ItemDoc::from_item(bureau * 1000 + k as i64, *bureau, &publisher, item))
        })
        .collect()
}

fn index(docs: &[ItemDoc]) -> SearchIndex {
    let mut index = SearchIndex::new();
    for d in docs {
        index.add(d.clone());
    }
    index
}

fn item_id(seeds: &[(i64, Catalog)], bureau: i64, seq: u32) -> i64 {
    let (_, catalog) = &seeds[(bureau - 1) as usize];
    let k = catalog
        .items
        .iter()
        .position(|it| it.seq == Some(seq))
        .unwrap_or_else(|| panic!("bureau {bureau} has no item #{seq}"));
    bureau * 1000 + k as i64
}

fn all_ids(index: &SearchIndex, query: Query) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut offset = 0;
    loop {
        let page = index
            .search(&Query { offset, limit: 200, ..query.clone() })
            .unwrap_or_else(|e| panic!("{query:?}: {e}"));
        let n = page.hits.len();
        ids.extend(page.hits.iter().map(|h| h.item_id));
        offset += n;
        if n == 0 || offset >= page.total {
            assert_eq!(ids.len(), page.total);
            break;
        }
    }
    ids.sort_unstable();
    ids
}

/// Every item whose normalized fields contain every term, by brute force.
fn brute_force(docs: &[ItemDoc], q: &str) -> Vec<i64> {
    let terms = quanze_search::normalize::query_terms(q);
    let mut ids: Vec<i64> = docs
        .iter()
        .filter(|d| {
            let mut texts = vec![d.item_name.clone(), d.legal_basis.clone()];
            texts.extend(d.sub_name.iter().cloned());
            texts.extend(d.stages.iter().cloned());
            texts.extend(d.clauses.iter().cloned());
            let texts: Vec<String> = texts.iter().map(|t| normalize(t)).collect();
            terms.iter().all(|t| texts.iter().any(|x| x.contains(t.as_str())))
        })
        .map(|d| d.item_id)
        .collect();
    ids.sort_unstable();
    ids
}

#[test]
fn domain_terms_find_exactly_the_items_containing_them() {
    let seeds = seeds();
    let docs = docs(&seeds);
    let index = index(&docs);
    assert_eq!(index.len(), docs.len());
    for q in [
        "医保",
        "罚款",
        "立案",
        "稽核",
        "慢特病",
        "社会保险法",
        "第八十七条",
        "定点医药机构",
        "医保 罚款",
        "罚",
    ] {
        let found = all_ids(&index, Query::text(q));
        assert_eq!(found, brute_force(&docs, q), "query {q}");
        assert!(!found.is_empty(), "query {q} finds nothing in the seeds");
    }
    // Names rank first: the top hit for 稽核 is one of the 稽核 items.
    let top = index.search(&Query::text("稽核")).map(|r| r.hits[0].item_name.clone()).unwrap_or_default();
    assert!(top.contains("稽核"), "{top}");
}

#[test]
fn two_three_and_long_terms_on_named_items() {
    let seeds = seeds();
    let index = index(&docs(&seeds));
    // 涞源 #9 骗取医保基金支出 and 襄都 #6, its copy.
    let fraud = all_ids(&index, Query::text("医保"));
    assert!(fraud.contains(&item_id(&seeds, 1, 9)) && fraud.contains(&item_id(&seeds, 4, 6)));
    // 立案 is a stage of every penalty of 涞源.
    let filing = all_ids(&index, Query::text("立案"));
    assert!(filing.contains(&item_id(&seeds, 1, 7)), "涞源 #7 has a 立案 stage");
    // Three characters: the 门诊慢特病 recognition of 涞源 (#33) and 襄都 (#13).
    let chronic = all_ids(&index, Query::text("慢特病"));
    assert!(chronic.contains(&item_id(&seeds, 1, 33)) && chronic.contains(&item_id(&seeds, 4, 13)));
    // A long name shared by three lists.
    let long = all_ids(&index, Query::text("对用人单位和个人遵守医疗保险法律"));
    let bureaus: std::collections::BTreeSet<i64> = long.iter().map(|id| id / 1000).collect();
    assert!(bureaus.is_superset(&[1, 3, 4].into()), "{bureaus:?}");
}

#[test]
fn filters_narrow_the_same_query() {
    let seeds = seeds();
    let index = index(&docs(&seeds));
    let all = all_ids(&index, Query::text("医保"));
    let penalties = index
        .search(&Query { category: Some(Category::Penalty), limit: 200, ..Query::text("医保") })
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(penalties.total > 0 && penalties.total < all.len());
    assert!(penalties.hits.iter().all(|h| h.category == Category::Penalty));
    let laiyuan = all_ids(&index, Query { bureau: Some(1), ..Query::text("医保") });
    assert!(!laiyuan.is_empty() && laiyuan.iter().all(|id| id / 1000 == 1));
    assert_eq!(laiyuan, all.iter().copied().filter(|id| id / 1000 == 1).collect::<Vec<_>>());
}

#[test]
fn reverse_index_of_social_insurance_law_article_87() {
    let seeds = seeds();
    let index = index(&docs(&seeds));
    let citing = index.citing("社会保险法", Some(87));
    // By brute force over the parsed citations.
    let mut expected: Vec<i64> = seeds
        .iter()
        .flat_map(|(bureau, catalog)| {
            catalog.items.iter().enumerate().filter_map(move |(k, item)| {
                item.legal_basis
                    .citations
                    .iter()
                    .any(|c| c.title == "社会保险法" && c.article == Some(87))
                    .then_some(bureau * 1000 + k as i64)
            })
        })
        .collect();
    expected.sort_unstable();
    assert_eq!(citing, expected);
    // 涞源 #2 and #9, 汤阴 #2 and #5 cite it.
    for (bureau, seq) in [(1, 2), (1, 9), (3, 2), (3, 5)] {
        assert!(citing.contains(&item_id(&seeds, bureau, seq)), "bureau {bureau} #{seq}");
    }
    // The statute filter of the search agrees with the reverse index.
    let filtered = all_ids(
        &index,
        Query {
            statute: Some("《中华人民共和国社会保险法》".into()), article: Some(87), ..Query::text("")
        },
    );
    assert_eq!(filtered, citing);
}
