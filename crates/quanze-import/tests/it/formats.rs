//! The other layouts: csv, xlsx, pipe tables — each read by content, no settings.

use quanze_import::export::{to_csv, to_xlsx};
use quanze_model::Category;

use crate::{SEEDS, import, seed_bytes};

fn same_items(a: &quanze_model::Catalog, b: &quanze_model::Catalog) {
    assert_eq!(a.items.len(), b.items.len());
    for (x, y) in a.items.iter().zip(&b.items) {
        assert_eq!(x.seq, y.seq);
        assert_eq!(x.name, y.name);
        assert_eq!(x.category, y.category);
        assert_eq!(x.legal_basis.text, y.legal_basis.text);
        assert_eq!(x.responsibilities.text, y.responsibilities.text);
        assert_eq!(x.accountability.text, y.accountability.text);
    }
}

#[test]
fn a_seed_exported_to_csv_imports_back_to_the_same_items() {
    for name in SEEDS {
        let a = import(name, &seed_bytes(name));
        let b = import("export.csv", &to_csv(&a));
        assert_eq!(b.source.layout, "csv");
        same_items(&a, &b);
    }
}

#[test]
fn a_seed_exported_to_xlsx_imports_back_to_the_same_items() {
    for name in SEEDS {
        let a = import(name, &seed_bytes(name));
        let b = import("export.xlsx", &to_xlsx(&a, a.source.publisher.as_deref()).unwrap());
        assert_eq!(b.source.layout, "xlsx");
        assert_eq!(b.source.encoding, "xlsx");
        same_items(&a, &b);
    }
}

/// The sheet name a workbook written for `bureau` carries, read back with calamine.
fn sheet_written_for(bureau: &str) -> String {
    use calamine::Reader;
    let a = import(SEEDS[0], &seed_bytes(SEEDS[0]));
    let bytes = to_xlsx(&a, Some(bureau)).unwrap_or_else(|e| panic!("{bureau:?}: {e}"));
    let book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    book.sheet_names().first().cloned().unwrap()
}

#[test]
fn a_bureau_name_excel_would_refuse_as_a_sheet_name_still_exports() {
    // Issue 12: an apostrophe at either end, or 31 characters outside the Basic Multilingual
    // Plane (62 UTF-16 units), made the xlsx download answer 500.
    assert_eq!(sheet_written_for("'汤阴县医疗保障局'"), "汤阴县医疗保障局");
    let astral = "𠀀".repeat(31);
    assert_eq!(sheet_written_for(&astral), "𠀀".repeat(15), "15 characters of 2 UTF-16 units fit in 31");
    assert_eq!(sheet_written_for("某县[医保]局：稽核/科"), "某县医保局：稽核科");
    // Nothing usable left, or Excel's reserved name: the default sheet name.
    assert_eq!(sheet_written_for("'''"), "Sheet1");
    assert_eq!(sheet_written_for("History"), "Sheet1");
    assert_eq!(sheet_written_for(&"医".repeat(40)).chars().count(), 31);
}

#[test]
fn a_pipe_separated_table_imports() {
    let text = "某县医疗保障局权责清单（共1类、2项）\n\
        | 序号 | 权力类型 | 权力事项 | 实施依据 | 责任事项 | 追责情形 |\n\
        |---|---|---|---|---|---|\n\
        | 1 | 行政检查 | 医疗保险稽核 | 《社会保险法》第七十九条 | 1.检查责任：依法检查。 | 滥用职权的，依法追究责任。 |\n\
        | 2 | 行政检查 | 对医疗救助的监督检查 | 《社会救助暂行办法》第五十七条 | 1.检查责任：依法检查。 | 玩忽职守的，依法追究责任。 |\n";
    let c = import("pipe.md", text.as_bytes());
    assert_eq!(c.source.layout, "pipe");
    assert_eq!(c.declared.total, Some(2));
    assert_eq!(c.items.len(), 2);
    assert!(c.items.iter().all(|i| i.category == Category::Inspection));
    assert_eq!(c.items[1].name, "对医疗救助的监督检查");
}

#[test]
fn a_csv_with_quoted_multiline_cells_and_full_width_serials_imports() {
    let text = "序号,权力类型,事项名称,实施依据,责任事项,追责情形\n\
        １,行政处罚,\"对个人骗取医保基金的处罚\",\"《社会保险法》第八十八条\",\"1.立案责任：审查。\n2.调查责任：调查。\",\"1.违法处罚的；\n2.其他。\"\n";
    let c = import("list.csv", text.as_bytes());
    assert_eq!(c.items.len(), 1);
    assert_eq!(c.items[0].seq, Some(1));
    assert!(c.items[0].responsibilities.text.contains('\n'));
}

#[test]
fn swapped_cells_are_put_back_and_reported() {
    // 实施依据 and 责任事项 swapped in the second row.
    let text = "序号\t权力类型\t事项名称\t实施依据\t责任事项\t追责情形\n\
        1\t行政处罚\t对甲的处罚\t《社会保险法》第八十七条\t1.立案责任：审查。2.调查责任：调查。3.决定责任：决定。\t违法实施处罚的，依法追究责任。\n\
        2\t行政处罚\t对乙的处罚\t1.立案责任：审查。2.调查责任：调查。3.决定责任：决定。\t《社会保险法》第八十八条\t违法实施处罚的，依法追究责任。\n";
    let c = import("swap.txt", text.as_bytes());
    let second = &c.items[1];
    assert!(second.legal_basis.text.contains("第八十八条"), "{:?}", second.legal_basis.text);
    assert!(second.responsibilities.text.contains("立案责任"));
    assert!(
        c.diagnostics
            .iter()
            .any(|d| d.code == quanze_model::DiagnosticCode::MisplacedCell && d.item == Some(2))
    );
    assert!(
        !c.diagnostics
            .iter()
            .any(|d| d.code == quanze_model::DiagnosticCode::MisplacedCell && d.item == Some(1))
    );
}
