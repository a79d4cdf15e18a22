//! Every seed list imports completely: as many items as the document declares, every
//! field in its place. A reviewed snapshot of each catalog guards the whole output.

use quanze_model::{Category, DiagnosticCode};

use crate::{SEEDS, codes, import, seed_bytes};

fn seed(n: usize) -> quanze_model::Catalog {
    import(SEEDS[n], &seed_bytes(SEEDS[n]))
}

#[test]
fn laiyuan_cell_per_line_list_has_the_45_items_of_7_types_its_title_declares() {
    let c = seed(0);
    assert_eq!(c.source.layout, "cell-per-line");
    assert_eq!(c.declared.total, Some(45));
    assert_eq!(c.declared.categories, Some(7));
    assert_eq!(c.items.len(), 45);
    let mut types: Vec<Category> = c.items.iter().map(|i| i.category).collect();
    types.dedup();
    assert_eq!(types.len(), 7, "items of one type stand together: {types:?}");
    assert_eq!(c.source.publisher.as_deref(), Some("涞源县医疗保障局"));
    // Rows without a serial number are items all the same, each reported.
    let missing = c.items.iter().filter(|i| i.seq.is_none()).count();
    assert_eq!(missing, codes(&c).iter().filter(|d| **d == DiagnosticCode::MissingSerial).count());
    assert!(missing >= 15, "the list leaves many serials out: {missing}");
    assert!(c.items.iter().all(|i| i.subject.as_deref() == Some("涞源县医疗保障局")));
    assert!(!codes(&c).contains(&DiagnosticCode::DeclaredCountMismatch));
}

#[test]
fn laiyuan_statute_text_printed_in_the_duty_columns_moves_to_the_legal_basis() {
    let c = seed(0);
    let it = c.items.iter().find(|i| i.name.starts_with("对定点医药机构以分解住院")).unwrap();
    assert!(it.legal_basis.text.contains("第三十八条"));
    assert!(it.legal_basis.text.contains("（一）分解住院、挂床住院"));
    assert!(it.legal_basis.text.contains("处造成损失金额1倍以上2倍以下的罚款"));
    assert!(it.responsibilities.text.is_empty());
    assert!(
        c.diagnostics.iter().any(|d| d.code == DiagnosticCode::MisplacedCell && d.line == it.line),
        "the move is reported"
    );
}

#[test]
fn minqin_list_with_a_header_before_every_row_has_9_items_with_codes() {
    let c = seed(1);
    assert_eq!(c.source.layout, "tsv");
    assert_eq!(c.items.len(), 9);
    assert_eq!((1..=9).map(Some).collect::<Vec<_>>(), c.items.iter().map(|i| i.seq).collect::<Vec<_>>());
    let first = &c.items[0];
    assert_eq!(first.code.as_deref(), Some("11620621MB176555834620236001000"));
    assert_eq!(first.office.as_deref(), Some("基金监管股"));
    assert_eq!(first.category, Category::Penalty);
    // Four 其他行政权力 items share one code in the published list.
    assert!(codes(&c).contains(&DiagnosticCode::DuplicateCode));
    // <p> fragments are text, not markup.
    assert!(c.items.iter().all(|i| !i.legal_basis.text.contains("<p>")));
}

#[test]
fn tangyin_list_keeps_its_contact_rows_and_gives_each_item_its_service() {
    let c = seed(2);
    assert_eq!(c.items.len(), 20);
    assert_eq!(c.contacts.len(), 20, "one contact row follows every item");
    assert!(c.contacts.iter().all(|k| k.office.as_deref() == Some("汤阴县医疗保障局")));
    assert!(c.contacts.iter().all(|k| k.phones == ["0372-6218737", "0372-6253336"]));
    assert!(c.items.iter().all(|i| i.service.as_ref().and_then(|s| s.location.as_deref()).is_some()));
    assert_eq!(c.items[0].category_label, "行政处罚类");
    assert_eq!(c.items[0].category, Category::Penalty);
}

#[test]
fn xiangdu_summary_table_declares_counts_per_type_that_the_detail_table_matches() {
    let c = seed(3);
    assert_eq!(c.source.edition.as_deref(), Some("2025年版"));
    assert_eq!(c.source.year, Some(2025));
    assert_eq!(c.declared.total, Some(17));
    assert_eq!(c.declared.summary.len(), 17);
    assert_eq!(c.declared.by_category.len(), 11);
    assert_eq!(c.items.len(), 17);
    assert!(!codes(&c).contains(&DiagnosticCode::DeclaredCountMismatch));
    // The summary and the detail number items differently and spell one name two ways.
    assert!(codes(&c).contains(&DiagnosticCode::SummaryDetailMismatch));
    // 襄都区医疗保障局 and 邢台市襄都区医疗保障局 are one body.
    assert!(codes(&c).contains(&DiagnosticCode::InconsistentSubject));
    // <ol> fragments without numbers still give stages.
    assert!(c.items[0].responsibilities.text.contains("立案责任"));
    assert!(!c.items[0].responsibilities.text.contains("<ol"));
}

#[test]
fn handling_agency_list_with_a_two_row_header_and_drifting_columns_has_17_items() {
    let c = seed(4);
    assert_eq!(c.declared.total, Some(17));
    assert_eq!(c.items.len(), 17);
    // The two-row header: 事项名称/项目 and 子项.
    let first = &c.items[0];
    assert_eq!(first.subject.as_deref(), Some("医疗保险经办机构"));
    assert_eq!(first.level.as_deref(), Some("县区级、镇级"));
    assert_eq!(first.office.as_deref(), Some("基金监督科"));
    // From row 8 on the 子项 column is missing and cells drift left: placed by content.
    let ninth = c.items.iter().find(|i| i.seq == Some(9)).unwrap();
    assert_eq!(ninth.level.as_deref(), Some("自治区、盟、地、州、县级部门"));
    assert_eq!(ninth.office.as_deref(), Some("普通保障科、基金监督科"));
    assert!(ninth.legal_basis.text.contains("第七十七条"));
    assert_eq!(ninth.deadline.as_ref().map(|d| d.text.as_str()), Some("无明确规定"));
    assert!(c.diagnostics.iter().any(|d| d.code == DiagnosticCode::MisplacedCell && d.item == Some(9)));
    // 行政执行 is not a category: reported, read from the name.
    let eighth = c.items.iter().find(|i| i.seq == Some(8)).unwrap();
    assert_eq!(eighth.category_label, "行政执行");
    assert!(c.diagnostics.iter().any(|d| d.code == DiagnosticCode::NonstandardType && d.item == Some(8)));
    // A 封存 power listed as 行政处罚.
    assert!(c.diagnostics.iter().any(|d| d.code == DiagnosticCode::TypeMismatch && d.item == Some(6)));
    // 负责情形 is not in the model: kept, not dropped.
    assert!(first.extra.contains_key("负责情形"));
}

#[test]
fn no_seed_text_is_dropped() {
    // Every non-blank source line's text appears somewhere in the catalog JSON.
    for name in SEEDS {
        let bytes = seed_bytes(name);
        let c = import(name, &bytes);
        let json = serde_json::to_string(&c).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        for (n, line) in text.lines().enumerate() {
            for piece in line.split('\t') {
                let plain = quanze_parse::text::strip_html(piece);
                for frag in plain.split('\n') {
                    let frag = frag.trim().trim_start_matches('#').trim();
                    if frag.chars().count() < 4 {
                        continue;
                    }
                    let probe: String = frag.chars().take(12).collect();
                    let probe_json = serde_json::to_string(&probe).unwrap();
                    let probe_json = probe_json.trim_matches('"');
                    assert!(json.contains(probe_json), "{name}:{}: 「{probe}」 is not in the catalog", n + 1);
                }
            }
        }
    }
}

#[test]
fn seed_catalog_snapshots() {
    for name in SEEDS {
        let c = import(name, &seed_bytes(name));
        insta::assert_json_snapshot!(name, c);
    }
}
