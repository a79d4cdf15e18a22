//! The citation checks on hand-built citations (independent of the parser).

use quanze_law::{Date, check_citations, check_citations_on, registry};
use quanze_model::{
    Catalog, Category, Citation, Declared, DiagnosticCode, LegalBasis, PowerItem, Severity, Source,
};

fn cite(title: &str, article: Option<u32>, text: Option<&str>) -> Citation {
    Citation {
        title: title.into(),
        title_raw: format!("《{title}》"),
        article,
        text: text.map(String::from),
        ..Citation::default()
    }
}

fn catalog(year: Option<u16>, items: Vec<(&str, Vec<Citation>)>) -> Catalog {
    Catalog {
        source: Source { year, ..Source::default() },
        declared: Declared::default(),
        contacts: Vec::new(),
        items: items
            .into_iter()
            .enumerate()
            .map(|(i, (name, citations))| PowerItem {
                seq: Some(i as u32 + 1),
                name: name.into(),
                category: Category::Penalty,
                legal_basis: LegalBasis { text: String::new(), citations },
                ..PowerItem::default()
            })
            .collect(),
        diagnostics: Vec::new(),
    }
}

fn codes(rep: &quanze_law::CitationReport) -> Vec<DiagnosticCode> {
    rep.diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn a_correct_citation_with_an_exact_quotation_gives_nothing() {
    let c = catalog(
        Some(2025),
        vec![(
            "对骗取社会保险基金支出的处罚",
            vec![cite(
                "社会保险法",
                Some(87),
                Some(
                    "社会保险经办机构以及医疗机构、药品经营单位等社会保险服务机构以欺诈、伪造证明材料或者其他手段骗取社会保险基金支出的，由社会保险行政部门责令退回骗取的社会保险金，处骗取金额二倍以上五倍以下的罚款",
                ),
            )],
        )],
    );
    let rep = check_citations(registry(), &c);
    assert!(rep.diagnostics.is_empty(), "{:?}", rep.diagnostics);
    assert_eq!(
        (rep.total, rep.resolved, rep.resolved_to_text, rep.quotations_checked, rep.topic_checked),
        (1, 1, 1, 1, 1)
    );
}

#[test]
fn unknown_statute_article_paragraph_and_item_are_unresolved_and_say_which() {
    let mut p = cite("医疗保障基金使用监督管理条例", Some(41), None);
    p.paragraph = Some(3);
    let mut it = cite("医疗保障基金使用监督管理条例", Some(38), None);
    it.paragraph = Some(1);
    it.item = Some(8);
    let c = catalog(
        None,
        vec![(
            "对定点医药机构的处罚",
            vec![
                cite("医疗保险基金使用监督管理办法", Some(32), None),
                cite("社会保险法", Some(120), None),
                p,
                it,
            ],
        )],
    );
    let rep = check_citations(registry(), &c);
    assert_eq!(rep.unresolved, 4);
    let msgs: Vec<&str> = rep.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert!(
        msgs[0].contains("法规库中没有《医疗保险基金使用监督管理办法》")
            && msgs[0].contains("是否指《医疗保障基金使用监督管理条例》"),
        "{msgs:?}"
    );
    assert!(msgs[1].contains("只有98条，没有第一百二十条"), "{msgs:?}");
    assert!(msgs[2].contains("只有2款，没有第三款"), "{msgs:?}");
    assert!(msgs[3].contains("该款有7项，没有第（八）项"), "{msgs:?}");
    // An unregistered instrument may just be missing from the registry: a warning. A missing
    // article of a text the registry holds is certainly wrong: an error.
    assert_eq!(rep.diagnostics[0].severity, Severity::Warning);
    assert!(rep.diagnostics[1..].iter().all(|d| d.severity == Severity::Error));
    assert!(rep.diagnostics.iter().all(|d| d.item == Some(1)));
}

#[test]
fn a_misquoted_suspension_period_is_reported_with_the_differing_words() {
    // legal-rules.md §3: lists sometimes misquote art 40 with a wrong suspension period.
    let c = catalog(
        None,
        vec![(
            "对定点医药机构骗取医疗保障基金支出的处罚",
            vec![cite(
                "医疗保障基金使用监督管理条例",
                Some(40),
                Some("责令定点医药机构暂停相关责任部门3个月以上6个月以下涉及医疗保障基金使用的医药服务"),
            )],
        )],
    );
    let rep = check_citations(registry(), &c);
    assert_eq!(codes(&rep), [DiagnosticCode::QuotationMismatch]);
    let m = &rep.diagnostics[0].message;
    assert!(m.contains("“3”→法条“6”") && m.contains("“6个月”→法条“1年”"), "{m}");
}

#[test]
fn width_punctuation_and_ellipses_are_not_differences() {
    let c = catalog(
        None,
        vec![(
            "对缴费单位未按规定办理社会保险登记的处罚",
            vec![cite(
                "社会保险费征缴暂行条例",
                Some(23),
                Some(
                    "缴费单位未按照规定办理社会保险登记……情节严重的,对直接负责的主管人员和其他直接责任人员可以处１０００元以上５０００元以下的罚款",
                ),
            )],
        )],
    );
    let rep = check_citations(registry(), &c);
    assert!(rep.diagnostics.is_empty(), "{:?}", rep.diagnostics);
    assert_eq!(rep.quotations_checked, 1);
}

#[test]
fn a_quotation_of_another_article_names_it() {
    let c = catalog(
        None,
        vec![(
            "对举报人的奖励",
            vec![cite(
                "医疗保障基金使用监督管理条例",
                Some(32),
                Some("对查证属实的举报，按照国家有关规定给予举报人奖励"),
            )],
        )],
    );
    let rep = check_citations(registry(), &c);
    let q = rep.diagnostics.iter().find(|d| d.code == DiagnosticCode::QuotationMismatch).unwrap();
    assert!(q.message.contains("与第三十五条相符"), "{}", q.message);
}

#[test]
fn a_registration_item_citing_a_fraud_article_is_a_citation_mismatch() {
    let c = catalog(
        None,
        vec![
            ("对用人单位不办理社会保险登记的处罚", vec![cite("社会保险法", Some(88), None)]),
            ("对用人单位不办理社会保险登记的处罚", vec![cite("社会保险法", Some(84), None)]),
            // No topic in the item name: nothing to compare, no finding.
            ("其他行政权力", vec![cite("社会保险法", Some(88), None)]),
        ],
    );
    let rep = check_citations(registry(), &c);
    assert_eq!(codes(&rep), [DiagnosticCode::CitationMismatch]);
    assert_eq!(rep.diagnostics[0].item, Some(1));
    assert!(
        rep.diagnostics[0].message.contains("骗取（“骗取”）")
            && rep.diagnostics[0].message.contains("登记（“登记”）")
    );
    assert_eq!((rep.topic_checked, rep.topic_mismatches), (2, 1));
}

#[test]
fn superseded_instruments_and_editions_depend_on_the_list_date() {
    let mut old = cite("行政处罚法", Some(42), None);
    old.edition = Some("2017年9月修正".into());
    let c = catalog(
        Some(2024),
        vec![
            ("对举报人的奖励", vec![cite("欺诈骗取医疗保障基金行为举报奖励暂行办法", Some(10), None)]),
            ("行政处罚", vec![old.clone()]),
        ],
    );
    let rep = check_citations(registry(), &c);
    assert_eq!(rep.list_date, Date::parse("2024-01-01"));
    assert_eq!(rep.superseded, 2, "{:?}", rep.diagnostics);
    assert!(
        rep.diagnostics[0].message.contains("2023-01-01失效，由《违法违规使用医疗保障基金举报奖励办法》取代")
    );
    assert!(rep.diagnostics[1].message.contains("（2017年9月修正）：该版本已于2021-07-15失效"));
    // Before the replacement took effect, the same citations are fine.
    let rep = check_citations_on(registry(), &c, Date::parse("2020-06-01"));
    assert_eq!(rep.superseded, 0, "{:?}", rep.diagnostics);
    // Without a date, editions are not checked.
    let rep = check_citations_on(registry(), &c, None);
    assert_eq!(rep.superseded, 0);
}

#[test]
fn an_instrument_without_text_is_not_topic_checked_by_its_title_alone() {
    // 《河南省职工生育保险办法》 has no full text and no quotation of art 26: its title (生育)
    // says nothing of what art 26 is about, so a fraud item citing it is not flagged.
    let c = catalog(
        None,
        vec![("对骗取医疗保障基金支出的处罚", vec![cite("河南省职工生育保险办法", Some(26), None)])],
    );
    let rep = check_citations(registry(), &c);
    assert!(rep.diagnostics.is_empty(), "{:?}", rep.diagnostics);
    assert_eq!((rep.resolved, rep.title_only, rep.topic_checked), (1, 1, 0));
}
