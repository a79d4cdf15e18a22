use quanze_model::Category;

use crate::query::QueryError;
use crate::{Field, ItemDoc, Query, SearchIndex};

/// Boilerplate stages of a penalty item, as the Hebei lists print them.
fn penalty_stages(what: &str) -> Vec<String> {
    vec![
        format!("立案：发现{what}的违法行为，予以审查，决定是否立案。"),
        "调查：医疗保障部门对立案的案件，指定专人负责，及时组织调查取证。".to_string(),
        "告知：作出行政处罚决定前，应制作《行政处罚告知书》送达当事人。".to_string(),
        "决定：制作行政处罚决定书，载明行政处罚种类、依据、履行方式和期限。".to_string(),
    ]
}

fn penalty_clauses() -> Vec<String> {
    vec![
        "没有法律和事实依据实施行政处罚的；".to_string(),
        "行政处罚显失公正的；".to_string(),
        "执法人员玩忽职守，对应当予以制止和处罚的违法行为不予制止、处罚的；".to_string(),
    ]
}

fn fraud_penalty(item_id: i64, bureau_id: i64, bureau: &str) -> ItemDoc {
    ItemDoc {
        item_id,
        bureau_id,
        bureau_name: bureau.to_string(),
        item_name: "对以违反医药价格管理政策等为手段，骗取医保基金支出行为的处罚".to_string(),
        sub_name: None,
        category: Category::Penalty,
        citations: vec![("社会保险法".to_string(), Some(87))],
        legal_basis: "【法律】《中华人民共和国社会保险法》第八十七条：社会保险经办机构以及医疗机构、药品经营单位等社会保险服务机构以欺诈、伪造证明材料或者其他手段骗取社会保险基金支出的，由社会保险行政部门责令退回骗取的社会保险基金，处骗取金额二倍以上五倍以下的罚款。".to_string(),
        stages: penalty_stages("骗取医保基金支出"),
        clauses: penalty_clauses(),
    }
}

fn registration_penalty(item_id: i64, bureau_id: i64, bureau: &str) -> ItemDoc {
    ItemDoc {
        item_id,
        bureau_id,
        bureau_name: bureau.to_string(),
        item_name: "对用人单位不办理医疗保险和生育保险登记、未按规定变更登记或注销登记以及伪造、变造登记证明的处罚".to_string(),
        sub_name: None,
        category: Category::Penalty,
        citations: vec![("社会保险法".to_string(), Some(84)), ("社会保险费征缴暂行条例".to_string(), Some(23))],
        legal_basis: "【法律】《社会保险法》（2018年12月修改）第八十四条：用人单位不办理社会保险登记的，由社会保险行政部门责令限期改正；逾期不改正的，对用人单位处应缴社会保险费数额一倍以上三倍以下的罚款，对其直接负责的主管人员和其他直接责任人员处五百元以上三千元以下的罚款。２．【行政法规】《社会保险费征缴暂行条例》第二十三条：可以处１０００元以上５０００元以下的罚款".to_string(),
        stages: penalty_stages("用人单位不办理登记"),
        clauses: penalty_clauses(),
    }
}

fn outpatient_payment(item_id: i64, bureau_id: i64, bureau: &str) -> ItemDoc {
    ItemDoc {
        item_id,
        bureau_id,
        bureau_name: bureau.to_string(),
        item_name: "门诊费用报销".to_string(),
        sub_name: None,
        category: Category::Payment,
        citations: vec![("社会保险法".to_string(), Some(28))],
        legal_basis: "《中华人民共和国社会保险法》第二十八条“符合基本医疗保险药品目录、诊疗项目、医疗服务设施标准以及急诊、抢救的医疗费用，按照国家规定从基本医疗保险基金中支付。”".to_string(),
        stages: vec![
            "受理：公示法定应当提交的资料；一次性告知补正材料；依法受理或不予受理。".to_string(),
            "审查：对申请材料进行审核。".to_string(),
            "支付：按规定拨付医保待遇。".to_string(),
        ],
        clauses: vec!["对符合受理条件而不予受理的；".to_string()],
    }
}

fn audit_inspection(item_id: i64, bureau_id: i64, bureau: &str) -> ItemDoc {
    ItemDoc {
        item_id,
        bureau_id,
        bureau_name: bureau.to_string(),
        item_name: "醫療保險稽核".to_string(),
        sub_name: None,
        category: Category::Inspection,
        citations: vec![("社会保险法".to_string(), Some(31))],
        legal_basis: "《社会保险法》第三十一条：社会保险经办机构根据管理服务的需要，可以与医疗机构、药品经营单位签订服务协议，规范医疗服务行为。".to_string(),
        stages: vec!["检查：应有两名以上执法人员共同进行，出示执行证件表明身份。".to_string()],
        clauses: vec![],
    }
}

/// Three bureaus with a few items each; item ids encode bureau and position.
fn sample_docs() -> Vec<ItemDoc> {
    let mut docs = Vec::new();
    for (bureau_id, bureau) in
        [(1, "涞源县医疗保障局"), (2, "邢台市襄都区医疗保障局"), (3, "汤阴县医疗保障局")]
    {
        let base = bureau_id * 100;
        docs.push(fraud_penalty(base + 1, bureau_id, bureau));
        docs.push(registration_penalty(base + 2, bureau_id, bureau));
        docs.push(outpatient_payment(base + 3, bureau_id, bureau));
    }
    docs.push(audit_inspection(304, 3, "汤阴县医疗保障局"));
    docs
}

fn sample_index() -> SearchIndex {
    let mut index = SearchIndex::new();
    for doc in sample_docs() {
        index.add(doc);
    }
    index
}

fn ids(index: &SearchIndex, query: &Query) -> Vec<i64> {
    match index.search(query) {
        Ok(result) => result.hits.iter().map(|h| h.item_id).collect(),
        Err(e) => panic!("query {query:?} refused: {e}"),
    }
}

fn search(index: &SearchIndex, query: &Query) -> crate::SearchResult {
    match index.search(query) {
        Ok(r) => r,
        Err(e) => panic!("query {query:?} refused: {e}"),
    }
}

#[test]
fn two_character_terms_are_found() {
    let index = sample_index();
    // 医保 occurs in the fraud item's name and in the payment items' stages.
    let r = search(&index, &Query::text("医保"));
    assert_eq!(r.total, 6);
    // Name matches rank first.
    assert!(r.hits[..3].iter().all(|h| h.item_name.contains("医保")), "{:?}", r.hits);
    // 罚款: only in the two penalties' legal basis (a quoted statute).
    assert_eq!(search(&index, &Query::text("罚款")).total, 6);
    let r = search(&index, &Query::text("罚款"));
    assert!(r.hits.iter().all(|h| h.category == Category::Penalty));
    assert_eq!(r.hits[0].snippet.as_ref().map(|s| s.field), Some(Field::LegalBasis));
    // 立案: the stage name of every penalty.
    assert_eq!(search(&index, &Query::text("立案")).total, 6);
}

#[test]
fn one_character_and_long_terms() {
    let index = sample_index();
    assert_eq!(search(&index, &Query::text("罚")).total, 6);
    assert_eq!(ids(&index, &Query::text("门诊费用报销")), vec![103, 203, 303]);
    // A three-character term whose bigrams occur separately but not together finds nothing.
    assert_eq!(search(&index, &Query::text("医保用")).total, 0);
    assert_eq!(search(&index, &Query::text("骗取医保基金支出行为")).total, 3);
    let long = "社会保险经办机构以及医疗机构、药品经营单位等社会保险服务机构以欺诈、伪造证明材料";
    assert_eq!(ids(&index, &Query::text(long)), vec![101, 201, 301]);
}

#[test]
fn all_terms_must_occur() {
    let index = sample_index();
    assert_eq!(ids(&index, &Query::text("医保 罚款")), vec![101, 201, 301]);
    assert_eq!(search(&index, &Query::text("医保 稽核")).total, 0);
}

#[test]
fn text_is_normalized_the_same_way_on_both_sides() {
    let index = sample_index();
    // Case and white space.
    assert_eq!(search(&index, &Query::text("  门诊费用  ")).total, 3);
    // A full-width query finds the same as a half-width one, whatever form the text has.
    let half = search(&index, &Query::text("1000元")).total;
    let full = search(&index, &Query::text("１０００元")).total;
    assert_eq!(half, full);
}

#[test]
fn snippet_highlights_every_term_in_the_excerpt() {
    let index = sample_index();
    let r = search(&index, &Query::text("行政处罚 决定"));
    let hit = &r.hits[0];
    let snippet = hit.snippet.as_ref().expect("a text query has snippets");
    let chars: Vec<char> = snippet.text.chars().collect();
    assert!(!snippet.highlights.is_empty());
    for span in &snippet.highlights {
        let s: String = chars[span.start as usize..span.end as usize].iter().collect();
        assert!(s.contains("行政处罚") || s.contains("决定"), "highlight {s:?} in {:?}", snippet.text);
    }
    assert!(snippet.highlights.windows(2).all(|w| w[0].end < w[1].start));
}

#[test]
fn filters_by_category_bureau_and_statute() {
    let index = sample_index();
    let q = Query { q: "医保".into(), category: Some(Category::Payment), ..Query::default() };
    assert_eq!(ids(&index, &q), vec![103, 203, 303]);
    let q = Query { q: "医保".into(), bureau: Some(2), ..Query::default() };
    assert_eq!(search(&index, &q).total, 2);
    let q = Query {
        q: "罚款".into(),
        statute: Some("《中华人民共和国社会保险法》".into()),
        article: Some(84),
        ..Query::default()
    };
    assert_eq!(ids(&index, &q), vec![102, 202, 302]);
    let q =
        Query { q: String::new(), bureau: Some(3), category: Some(Category::Inspection), ..Query::default() };
    assert_eq!(ids(&index, &q), vec![304]);
    let q = Query { q: "医保".into(), bureau: Some(99), ..Query::default() };
    assert_eq!(search(&index, &q).total, 0);
}

#[test]
fn reverse_index_finds_items_citing_an_article() {
    let index = sample_index();
    assert_eq!(index.citing("社会保险法", Some(87)), vec![101, 201, 301]);
    assert_eq!(index.citing("《中华人民共和国社会保险法》", Some(87)), vec![101, 201, 301]);
    assert_eq!(index.citing("社会保险法", None).len(), 10);
    assert!(index.citing("社会保险法", Some(1)).is_empty());
    assert!(index.citing("未知条例", None).is_empty());
}

#[test]
fn empty_query_lists_filtered_items_by_id() {
    let index = sample_index();
    let r = search(&index, &Query::text(""));
    assert_eq!(r.total, 10);
    assert!(r.hits.iter().all(|h| h.score == 0.0 && h.snippet.is_none()));
    assert_eq!(r.hits.first().map(|h| h.item_id), Some(101));
    let q = Query { category: Some(Category::Penalty), ..Query::text("   ") };
    assert_eq!(search(&index, &q).total, 6);
}

#[test]
fn paging_is_stable_and_total_counts_everything() {
    let index = sample_index();
    let all = ids(&index, &Query { limit: 100, ..Query::text("医保") });
    let mut paged = Vec::new();
    for offset in (0..all.len()).step_by(2) {
        paged.extend(ids(&index, &Query { offset, limit: 2, ..Query::text("医保") }));
    }
    assert_eq!(all, paged);
    let beyond = search(&index, &Query { offset: 50, ..Query::text("医保") });
    assert_eq!(beyond.total, 6);
    assert!(beyond.hits.is_empty());
}

#[test]
fn removed_items_disappear_and_bureaus_can_be_replaced() {
    let mut index = sample_index();
    assert!(index.remove(101));
    assert!(!index.remove(101));
    assert_eq!(search(&index, &Query::text("骗取医保基金支出行为")).total, 2);
    assert_eq!(index.citing("社会保险法", Some(87)), vec![201, 301]);
    index.replace_bureau(2, vec![outpatient_payment(250, 2, "邢台市襄都区医疗保障局")]);
    assert_eq!(ids(&index, &Query { bureau: Some(2), ..Query::text("") }), vec![250]);
    assert_eq!(index.citing("社会保险法", Some(87)), vec![301]);
    // Re-adding an id replaces the item.
    index.add(fraud_penalty(250, 2, "邢台市襄都区医疗保障局"));
    assert_eq!(index.citing("社会保险法", Some(87)), vec![250, 301]);
    assert_eq!(index.len(), 7);
    let before: Vec<i64> = ids(&index, &Query { limit: 100, ..Query::text("医保") });
    index.compact();
    assert_eq!(ids(&index, &Query { limit: 100, ..Query::text("医保") }), before);
    assert_eq!(index.stats().dead_items, 0);
    assert_eq!(index.citing("社会保险法", Some(87)), vec![250, 301]);
}

#[test]
fn scan_and_postings_paths_agree() {
    // A bureau filter takes the scan path; the same query without it goes through the
    // postings. Restricted to the bureau, both must give the same items and scores.
    let index = sample_index();
    for q in ["医保", "罚款", "立案", "行政处罚 决定", "罚", "医保用", "医疗保险稽核"] {
        let scanned = search(&index, &Query { q: q.into(), bureau: Some(3), limit: 100, ..Query::default() });
        let all = search(&index, &Query { q: q.into(), limit: 100, ..Query::default() });
        let through: Vec<(i64, f32)> =
            all.hits.iter().filter(|h| h.bureau_id == 3).map(|h| (h.item_id, h.score)).collect();
        let scanned: Vec<(i64, f32)> = scanned.hits.iter().map(|h| (h.item_id, h.score)).collect();
        assert_eq!(scanned, through, "query {q}");
    }
}

#[test]
fn out_of_bounds_queries_are_refused() {
    let index = sample_index();
    assert!(matches!(index.search(&Query::text(&"医".repeat(300))), Err(QueryError::TooLong { .. })));
    assert!(matches!(
        index.search(&Query { limit: 10_000, ..Query::text("医保") }),
        Err(QueryError::LimitTooLarge { .. })
    ));
    assert_eq!(
        index.search(&Query { article: Some(87), ..Query::text("医保") }),
        Err(QueryError::ArticleWithoutStatute)
    );
    let many = (0..20).map(|i| format!("词{i}")).collect::<Vec<_>>().join(" ");
    assert!(matches!(index.search(&Query::text(&many)), Err(QueryError::TooManyTerms { .. })));
}

#[test]
fn results_serialize_for_the_api() {
    let index = sample_index();
    let r = search(&index, &Query::text("稽核"));
    let json = serde_json::to_value(&r).unwrap_or_default();
    assert_eq!(json["total"], 1);
    assert_eq!(json["hits"][0]["category"], "inspection");
    assert_eq!(json["hits"][0]["snippet"]["field"], "name");
}

mod prop {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn any_query_string_is_answered_without_panic(q in "\\PC{0,40}", offset in 0usize..20, limit in 0usize..30) {
            let index = sample_index();
            let query = Query { q, offset, limit, ..Query::default() };
            if let Ok(r) = index.search(&query) {
                prop_assert!(r.hits.len() <= limit);
                prop_assert!(r.total >= r.hits.len());
            }
        }

        #[test]
        fn hits_are_exactly_the_items_containing_every_term(q in "[医保罚款立案行政处决定基金 ]{1,8}") {
            let index = sample_index();
            let query = Query { q: q.clone(), limit: 100, ..Query::default() };
            let r = index.search(&query).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let terms = crate::normalize::query_terms(&q);
            // Brute force over the same items.
            let mut expected: Vec<i64> = sample_docs()
                .iter()
                .filter(|d| {
                    let mut texts = vec![d.item_name.clone(), d.legal_basis.clone()];
                    texts.extend(d.stages.iter().cloned());
                    texts.extend(d.clauses.iter().cloned());
                    let texts: Vec<String> = texts.iter().map(|t| crate::normalize(t)).collect();
                    terms.iter().all(|t| texts.iter().any(|x| x.contains(t.as_str())))
                })
                .map(|d| d.item_id)
                .collect();
            expected.sort_unstable();
            let mut got: Vec<i64> = r.hits.iter().map(|h| h.item_id).collect();
            got.sort_unstable();
            prop_assert_eq!(got, expected);
            prop_assert_eq!(r.total, r.hits.len());
            for hit in &r.hits {
                prop_assert_eq!(hit.snippet.is_some(), !terms.is_empty());
            }
        }

        #[test]
        fn any_indexed_text_is_searchable(text in "\\PC{1,60}", start in 0usize..60, len in 1usize..6) {
            let mut index = SearchIndex::new();
            index.add(ItemDoc { item_id: 1, bureau_id: 1, item_name: text.clone(), ..ItemDoc::default() });
            let normalized = crate::normalize(&text);
            let chars: Vec<char> = normalized.chars().collect();
            let start = start.min(chars.len());
            let term: String = chars[start..(start + len).min(chars.len())].iter().collect();
            let term = term.split(' ').find(|t| !t.is_empty()).unwrap_or_default().to_string();
            if !term.is_empty() {
                let r = index.search(&Query::text(&term)).map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(r.total, 1, "term {:?} of {:?}", term, normalized);
            }
        }
    }
}

#[test]
fn reused_query_arrays_leave_no_trace() {
    // The postings path keeps its per-item arrays between queries; a query must answer the
    // same after any other query as on a fresh index.
    let queries = ["医保", "罚款 医保", "立案", "医保用", "行政处罚 决定", "罚", "门诊费用报销"];
    let fresh: Vec<Vec<(i64, f32)>> = queries
        .iter()
        .map(|q| {
            let r = search(&sample_index(), &Query { limit: 100, ..Query::text(q) });
            r.hits.iter().map(|h| (h.item_id, h.score)).collect()
        })
        .collect();
    let index = sample_index();
    for round in 0..3 {
        for (q, expected) in queries.iter().zip(&fresh).rev() {
            let filtered = Query { category: Some(Category::Penalty), limit: 100, ..Query::text(q) };
            let _ = search(&index, &filtered);
            let r = search(&index, &Query { limit: 100, ..Query::text(q) });
            let got: Vec<(i64, f32)> = r.hits.iter().map(|h| (h.item_id, h.score)).collect();
            assert_eq!(&got, expected, "round {round}, query {q}");
        }
    }
}
