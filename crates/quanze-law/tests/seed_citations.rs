//! The citation checks on the five seed lists, imported by `quanze-import` and parsed by
//! `quanze-parse`. Each assertion is a real finding in a published list, checked by reading
//! the seed and the statute.

#![allow(clippy::unwrap_used)] // test code

use std::sync::OnceLock;

use quanze_import::{ImportOptions, import_bytes};
use quanze_law::{CitationReport, Date, check_citations, check_citations_on, registry};
use quanze_model::{Catalog, DiagnosticCode};

fn seeds() -> &'static Vec<(String, Catalog)> {
    static S: OnceLock<Vec<(String, Catalog)>> = OnceLock::new();
    S.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/seeds");
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".txt"))
            .collect();
        names.sort();
        names
            .into_iter()
            .map(|n| {
                let bytes = std::fs::read(dir.join(&n)).unwrap();
                let cat = import_bytes(&n, &bytes, &ImportOptions::default()).unwrap();
                (n, cat)
            })
            .collect()
    })
}

fn report(prefix: &str) -> CitationReport {
    let (_, cat) = seeds().iter().find(|(n, _)| n.starts_with(prefix)).unwrap();
    check_citations(registry(), cat)
}

/// The messages of one code for one item.
fn found(rep: &CitationReport, code: DiagnosticCode, item: u32) -> Vec<&str> {
    rep.diagnostics
        .iter()
        .filter(|d| d.code == code && d.item == Some(item))
        .map(|d| d.message.as_str())
        .collect()
}

fn has(rep: &CitationReport, code: DiagnosticCode, item: u32, words: &[&str]) -> bool {
    found(rep, code, item).iter().any(|m| words.iter().all(|w| m.contains(w)))
}

#[test]
fn misquoted_social_insurance_law_87_and_88() {
    // 004 quotes 社会保险法 87/88 as "责令退回相应的社会保险费"; the law says
    // "责令退回骗取的社会保险金".
    let rep = report("004");
    for (item, art) in [
        (1, "第八十七条"),
        (2, "第八十七条"),
        (5, "第八十七条"),
        (6, "第八十七条"),
        (3, "第八十八条"),
        (4, "第八十八条"),
        (7, "第八十八条"),
    ] {
        assert!(
            has(&rep, DiagnosticCode::QuotationMismatch, item, &[art, "“相应”→法条“骗取”", "“费”→法条“金”"]),
            "item {item}: {:?}",
            found(&rep, DiagnosticCode::QuotationMismatch, item)
        );
    }
}

#[test]
fn a_quotation_under_the_wrong_article_number() {
    // 004 #16 quotes the 举报奖励 sentence of 条例 第三十五条 under 第三十二条.
    let rep = report("004");
    assert!(has(&rep, DiagnosticCode::QuotationMismatch, 16, &["第三十二条", "与第三十五条相符"]));
    assert!(has(&rep, DiagnosticCode::CitationMismatch, 16, &["第三十二条", "举报奖励"]));
}

#[test]
fn items_citing_the_fraud_article_for_something_else() {
    let rep = report("004");
    // #1 is about registration (登记), #6 about sealing records (封存); both cite 社会保险法 87 (骗取).
    assert!(has(&rep, DiagnosticCode::CitationMismatch, 1, &["第八十七条", "骗取", "登记"]));
    assert!(has(&rep, DiagnosticCode::CitationMismatch, 6, &["第八十七条", "骗取", "封存"]));
    // #2 is about fraud and cites 87: no mismatch.
    assert!(found(&rep, DiagnosticCode::CitationMismatch, 2).is_empty());
}

#[test]
fn quotations_of_words_that_are_not_in_the_law() {
    let rep = report("004");
    for item in [12, 17] {
        assert!(has(
            &rep,
            DiagnosticCode::QuotationMismatch,
            item,
            &["基本医疗卫生与健康促进法》第二十一条", "大部不同"]
        ));
    }
}

#[test]
fn small_misquotations_in_other_lists() {
    // 000 #6 quotes 征缴条例 24 as "依照第十三条" where the text says "依照本条例第十三条".
    assert!(has(&report("000"), DiagnosticCode::QuotationMismatch, 6, &["第二十四条", "缺“本条例”"]));
    // 001 #2 quotes 社会救助暂行办法 30 with 民政部门 (the 2014 text); the 2019 text says 医疗保障部门.
    assert!(has(
        &report("001"),
        DiagnosticCode::QuotationMismatch,
        2,
        &["第三十条", "“民政”→法条“医疗保障”"]
    ));
}

#[test]
fn invented_or_misnamed_instruments_are_unresolved_with_a_suggestion() {
    let rep = report("004");
    assert!(has(
        &rep,
        DiagnosticCode::UnresolvedCitation,
        2,
        &["《基本医疗保险卫生与健康管理条例》", "是否指《基本医疗卫生与健康促进法》"]
    ));
    assert!(has(
        &rep,
        DiagnosticCode::UnresolvedCitation,
        3,
        &["《医疗保险基金使用监督管理办法》第三十二条", "是否指《医疗保障基金使用监督管理条例》"]
    ));
    let rep = report("003");
    assert!(has(
        &rep,
        DiagnosticCode::UnresolvedCitation,
        3,
        &["《河北省社会保险基金监管办法》", "是否指《河北省社会保险基金监督办法》"]
    ));
}

#[test]
fn superseded_instruments_on_a_later_list_date() {
    // 001 cites the 2018 举报奖励暂行办法 (through the notice that issued it), replaced by the
    // 2022 办法 on 2023-01-01.
    let d = Date::parse("2025-07-01");
    let (_, c001) = seeds().iter().find(|(n, _)| n.starts_with("001")).unwrap();
    let rep = check_citations_on(registry(), c001, d);
    assert!(rep.diagnostics.iter().any(|x| x.code == DiagnosticCode::SupersededCitation
        && x.message.contains("欺诈骗取医疗保障基金行为举报奖励暂行办法")
        && x.message.contains("违法违规使用医疗保障基金举报奖励办法")));
    // On the list's own dates nothing of this kind is flagged.
    let rep = check_citations_on(registry(), c001, Date::parse("2022-01-01"));
    assert_eq!(rep.superseded, 0, "{:?}", rep.diagnostics);
}

#[test]
fn figures_over_the_seeds() {
    let mut total = CitationReport::default();
    for (name, cat) in seeds() {
        let r = check_citations(registry(), cat);
        assert_eq!(r.resolved + r.unresolved, r.total, "{name}");
        assert!(r.resolved_to_text + r.title_only <= r.resolved, "{name}");
        eprintln!(
            "{name}: {} citations, {} resolved ({} to an article text, {} title only), {} unresolved; \
             quotations {} checked / {} differ; topics {} checked / {} mismatched; {} superseded",
            r.total,
            r.resolved,
            r.resolved_to_text,
            r.title_only,
            r.unresolved,
            r.quotations_checked,
            r.quotation_mismatches,
            r.topic_checked,
            r.topic_mismatches,
            r.superseded
        );
        total.total += r.total;
        total.resolved += r.resolved;
        total.resolved_to_text += r.resolved_to_text;
        total.quotations_checked += r.quotations_checked;
    }
    eprintln!(
        "all seeds: {} citations, {} resolved, {} to an article text, {} quotations checked",
        total.total, total.resolved, total.resolved_to_text, total.quotations_checked
    );
    // Most citations of the seeds name instruments the registry holds.
    assert!(total.resolved * 10 >= total.total * 7, "{} of {}", total.resolved, total.total);
}

#[test]
fn penalties_for_an_item_of_a_list() {
    use quanze_law::{Condition, ItemQuery, Party, compute_for_item};
    // 000 #1 (不办理登记) cites 社会保险法 84, 征缴条例 23 and 征缴监督检查办法 14.
    let (_, cat) = seeds().iter().find(|(n, _)| n.starts_with("000")).unwrap();
    let item = cat.items.iter().find(|i| i.seq == Some(1)).unwrap();
    let q = ItemQuery {
        base_amount_fen: Some(2_000_000),
        party: Party::Unit,
        conditions: vec![Condition::RefusesCorrection, Condition::Serious],
        ..ItemQuery::on(Date::parse("2025-01-01").unwrap())
    };
    let p = compute_for_item(registry(), item, &q);
    let results: Vec<&quanze_law::PenaltyResult> = p.penalties.iter().filter_map(|x| x.result()).collect();
    assert_eq!(results.len(), p.penalties.len());
    let arts: Vec<(String, u32)> = results.iter().map(|r| (r.statute.clone(), r.article)).collect();
    assert_eq!(arts, [("社会保险法".to_string(), 84), ("社会保险费征缴暂行条例".to_string(), 23)]);
    assert_eq!(p.skipped.len(), 1, "{:?}", p.skipped);
    assert!(p.skipped[0].citation.contains("社会保险费征缴监督检查办法"));
    // 行政处罚法 29: the rule with the higher fine is 84 (unit 2–6万元; 23 fines only persons).
    assert_eq!(p.highest, Some(0));
    assert_eq!((results[0].min_fen, results[0].max_fen), (2_000_000, 6_000_000));
    assert!(results[1].fines.iter().any(|f| f.applies && f.min_fen == 100_000 && f.max_fen == 500_000));
}

/// Every item of the five seeds through `compute_for_item`, as the CLI and the item page call
/// it: without a base, a multiple-of-base fine gives its formulas (not an error); with one,
/// it computes; an article aimed at individuals is computed for an individual.
#[test]
fn penalties_for_every_seed_item() {
    use quanze_law::{ItemOutcome, ItemQuery, Party, compute_for_item};
    let (mut needs_base, mut individual, mut computed) = (0, 0, 0);
    for (name, cat) in seeds() {
        for item in &cat.items {
            for base in [None, Some(1_000_000)] {
                let q =
                    ItemQuery { base_amount_fen: base, ..ItemQuery::on(Date::parse("2025-06-30").unwrap()) };
                let p = compute_for_item(registry(), item, &q);
                for pen in &p.penalties {
                    match &pen.outcome {
                        ItemOutcome::NeedsBase { base: kind } => {
                            assert!(base.is_none(), "{name} {}: needs {kind} though one is given", item.name);
                            assert!(!pen.formulas.is_empty(), "{name} {}: {}", item.name, pen.heading);
                            assert!(
                                pen.formulas.iter().all(|f| f.starts_with("罚款（")),
                                "{:?}",
                                pen.formulas
                            );
                            needs_base += 1;
                        }
                        ItemOutcome::Computed(r) => {
                            assert_eq!(r.party, pen.party);
                            individual += usize::from(pen.party == Party::Individual);
                            computed += 1;
                        }
                        ItemOutcome::Failed(e) => panic!("{name} {}: {}: {e}", item.name, pen.heading),
                    }
                }
                if let Some(h) = p.highest {
                    let top = p.penalties[h].fine().unwrap().1;
                    assert!(
                        p.penalties
                            .iter()
                            .enumerate()
                            .all(|(i, x)| i == h || x.fine().is_none_or(|f| f.1 < top))
                    );
                }
            }
        }
    }
    assert!(needs_base > 0 && individual > 0 && computed > 0, "{needs_base} {individual} {computed}");
}
