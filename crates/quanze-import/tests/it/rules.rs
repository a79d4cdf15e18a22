//! One small list per validation rule, written like the lists that break it.

use quanze_model::{Catalog, DiagnosticCode, Severity};

use crate::import;

const HEADER: &str = "序号\t权力类型\t事项名称\t地方权力编码\t实施主体\t实施依据\t责任事项\t追责情形\n";

fn list(title: &str, rows: &[&str]) -> Catalog {
    let mut text = String::from(title);
    text.push('\n');
    text.push_str(HEADER);
    for r in rows {
        text.push_str(r);
        text.push('\n');
    }
    import("rules.txt", text.as_bytes())
}

fn found(c: &Catalog, code: DiagnosticCode) -> Vec<&quanze_model::Diagnostic> {
    c.diagnostics.iter().filter(|d| d.code == code).collect()
}

const BASIS: &str = "《医疗保障基金使用监督管理条例》第四十条";
const DUTIES: &str = "1.立案责任：审查。2.调查责任：调查取证。3.决定责任：作出决定。";
const CLAUSE: &str =
    "因不履行或不正确履行行政职责，有下列情形的，应承担相应责任：1.没有法律依据实施处罚的；2.其他。";

fn row(seq: &str, cat: &str, name: &str, code: &str, subject: &str) -> String {
    format!("{seq}\t{cat}\t{name}\t{code}\t{subject}\t{BASIS}\t{DUTIES}\t{CLAUSE}")
}

#[test]
fn two_items_with_serial_3_are_a_duplicate_serial_error() {
    let a = row("3", "行政处罚", "对甲的处罚", "", "某县医疗保障局");
    let b = row("3", "行政处罚", "对乙的处罚", "", "某县医疗保障局");
    let c = list("某县医疗保障局权责清单", &[&a, &b]);
    let d = found(&c, DiagnosticCode::DuplicateSerial);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].severity, Severity::Error);
    assert_eq!(d[0].item, Some(3));
    assert_eq!(d[0].line, Some(4));
}

#[test]
fn a_title_that_says_3_items_over_2_rows_is_a_declared_count_mismatch() {
    let a = row("1", "行政处罚", "对甲的处罚", "", "某县医疗保障局");
    let b = row("2", "行政检查", "医疗保险稽核", "", "某县医疗保障局");
    let c = list("某县医疗保障局权责清单（共2类、3项）", &[&a, &b]);
    assert_eq!(c.declared.total, Some(3));
    assert_eq!(c.declared.categories, Some(2));
    let d = found(&c, DiagnosticCode::DeclaredCountMismatch);
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(d[0].message.contains("清单自称共3项，实际列出2项"), "{}", d[0].message);
}

#[test]
fn a_penalty_whose_code_says_type_05_is_a_code_type_mismatch() {
    // Segment 22–23 of the 31-character code is the type: 05 = 行政给付.
    let a = row("1", "行政处罚", "对甲的处罚", "11620621MB176555834620536001000", "某县医疗保障局");
    let c = list("某县医疗保障局权责清单", &[&a]);
    let d = found(&c, DiagnosticCode::CodeTypeMismatch);
    assert_eq!(d.len(), 1);
    assert!(d[0].message.contains("05") && d[0].message.contains("行政给付"), "{}", d[0].message);
    let ok = row("1", "行政处罚", "对甲的处罚", "11620621MB176555834620236001000", "某县医疗保障局");
    assert!(found(&list("清单", &[&ok]), DiagnosticCode::CodeTypeMismatch).is_empty());
}

#[test]
fn one_code_on_two_items_is_a_duplicate_code() {
    let code = "11620621MB176555834621036001000";
    let a = row("1", "其他行政权力", "对甲的备案", code, "某县医疗保障局");
    let b = row("2", "其他行政权力", "对乙的备案", code, "某县医疗保障局");
    assert_eq!(found(&list("清单", &[&a, &b]), DiagnosticCode::DuplicateCode).len(), 1);
}

#[test]
fn a_type_label_outside_the_standard_ten_is_nonstandard() {
    let a = row("1", "行政执行", "集体干部遗体安葬费用支付", "", "某县医疗保障局");
    let c = list("清单", &[&a]);
    assert_eq!(found(&c, DiagnosticCode::NonstandardType).len(), 1);
    assert_eq!(c.items[0].category, quanze_model::Category::Payment, "read from the name");
}

#[test]
fn a_sealing_power_listed_as_a_penalty_is_a_type_mismatch() {
    let a = row("1", "行政处罚", "对可能被转移的基金资料予以封存", "", "某县医疗保障局");
    assert_eq!(found(&list("清单", &[&a]), DiagnosticCode::TypeMismatch).len(), 1);
}

#[test]
fn one_bureau_written_two_ways_is_an_inconsistent_subject() {
    let a = row("1", "行政处罚", "对甲的处罚", "", "襄都区医疗保障局");
    let b = row("2", "行政处罚", "对乙的处罚", "", "邢台市襄都区医疗保障局");
    let d = list("清单", &[&a, &b]);
    let d = found(&d, DiagnosticCode::InconsistentSubject);
    assert_eq!(d.len(), 1);
    assert!(d[0].message.contains("襄都区医疗保障局") && d[0].message.contains("邢台市襄都区医疗保障局"));
}

#[test]
fn an_item_without_legal_basis_is_a_missing_field_error() {
    let a = format!("1\t行政处罚\t对甲的处罚\t\t某县医疗保障局\t\t{DUTIES}\t{CLAUSE}");
    let c = list("清单", &[&a]);
    let d = found(&c, DiagnosticCode::MissingField);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].severity, Severity::Error);
    assert!(d[0].message.contains("实施依据"));
}

#[test]
fn a_row_without_serial_is_still_an_item_and_reported() {
    let a = row("", "行政处罚", "对甲的处罚", "", "某县医疗保障局");
    let c = list("清单", &[&a]);
    assert_eq!(c.items.len(), 1);
    assert_eq!(found(&c, DiagnosticCode::MissingSerial).len(), 1);
}

#[test]
fn a_row_with_more_cells_than_columns_keeps_them_and_says_so() {
    let a = format!("{}\t多出来的一格", row("1", "行政处罚", "对甲的处罚", "", "某县医疗保障局"));
    let c = list("清单", &[&a]);
    assert_eq!(found(&c, DiagnosticCode::ExtraCells).len(), 1);
    assert!(serde_json::to_string(&c).unwrap().contains("多出来的一格"));
}

#[test]
fn cells_clipped_to_their_first_line_are_flagged_and_left_as_printed() {
    // A table extracted from PDF: every long cell kept its first line only.
    let text = "序号\t权力类型\t事项名称\t实施依据\t责任事项\t追责情形\n\
        1\t行政处罚\t对定点医药机构骗取医保基金的处罚\t《医疗保障基金使用监督管理条例》第四十条 处骗取金额 2\t1.立案责任：发现涉嫌违法 行为\t因不履行或不正确履行 职责\n\
        2\t行政处罚\t对个人骗取医保基金的处罚\t《医疗保障基金使用监督管理条例》第四十一条 暂停 3\t1.立案责任：对个人 违法\t未按规定 1\n\
        3\t行政检查\t对定点医药机构的监督检查\t《医疗保障基金使用监督管理条例》第二十七条 不超过 1\t1.检查责任：依法 检查\t玩忽职守 的\n";
    let c = import("clipped.txt", text.as_bytes());
    assert_eq!(c.items.len(), 3);
    let clipped: Vec<&quanze_model::Diagnostic> =
        c.diagnostics.iter().filter(|d| d.message.contains("只保留了第一行")).collect();
    assert!(clipped.len() >= 6, "{clipped:#?}");
    assert!(clipped.iter().all(|d| d.code == DiagnosticCode::Truncated && d.item.is_some()));
    assert!(clipped.iter().any(|d| d.message.contains("不超过 1")), "the cell is quoted as printed");
    // Nothing is guessed: the cells stay as printed.
    assert!(c.items[2].legal_basis.text.ends_with("不超过 1"));
    // A complete list is not flagged.
    let seed = import(crate::SEEDS[1], &crate::seed_bytes(crate::SEEDS[1]));
    assert!(!seed.diagnostics.iter().any(|d| d.message.contains("只保留了第一行")));
}
