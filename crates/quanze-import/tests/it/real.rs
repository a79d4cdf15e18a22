//! Lists as bureaus and their mirrors really publish them (tests/fixtures/real, sources in
//! SOURCES.md there), each with expectations checked by hand against the text.

use quanze_model::{Catalog, Category, DiagnosticCode};

use crate::structured::fixture;
use crate::{codes, import};

fn real(name: &str) -> Catalog {
    import(name, &fixture(&format!("real/{name}")))
}

fn names(c: &Catalog) -> Vec<&str> {
    c.items.iter().map(|i| i.name.as_str()).collect()
}

#[test]
fn wuxi_space_separated_columns_with_a_catalogue_serial_and_a_shared_subject() {
    let c = real("wuxi-space-separated.txt");
    assert_eq!(c.source.layout, "spaced");
    assert_eq!(c.items.len(), 1);
    let it = &c.items[0];
    assert_eq!(it.seq, Some(1177), "the municipal catalogue serial is kept");
    assert_eq!(it.category, Category::Penalty);
    assert_eq!(it.name, "对具有《重庆市骗取社会保险基金处理办法》第十五条所列行为的处罚");
    assert_eq!(it.subject.as_deref(), Some("县人力社保局/县医保局"));
    assert!(it.legal_basis.text.starts_with("《重庆市骗取社会保险基金处理办法》(渝府令第231号)第十五条"));
    assert_eq!(it.level.as_deref(), Some("市级、区县级"));
    // The clauses on the following lines belong to the last cell read (追责情形).
    assert!(it.accountability.text.contains("7. 违反法定的行政处罚程序的"), "{:?}", it.accountability.text);
    assert_eq!(c.source.title.as_deref(), Some("巫溪县医疗保障局行政权力事项清单"));
}

#[test]
fn ordos_pipe_table_with_a_header_wrapped_cell_by_cell_and_rows_under_a_merged_serial() {
    let c = real("ordos-pipe-wrapped-header.txt");
    assert_eq!(c.source.layout, "pipe");
    assert_eq!(
        names(&c),
        vec![
            "对签订服务协议的医疗机构、零售药店的监督管理",
            "对以欺诈、伪造证明材料或者其他手段骗取医疗保险、生育保险待遇的管理",
            "定点医疗机构检查",
        ]
    );
    assert_eq!(c.items[0].seq, Some(3));
    // The header's wrapped labels are read as words.
    let header = &c.source.headers[0].text;
    assert!(header.contains("抽查类别") && header.contains("责任科室"), "{header}");
}

#[test]
fn guangzhou_mirror_in_traditional_characters_with_inserted_pinyin_and_a_two_row_header() {
    let c = real("guangzhou-mirror-traditional-pinyin.txt");
    assert_eq!(
        names(&c),
        vec![
            "定点医疗机构医疗保障基金使用内部管理制度的检查",
            "定点医疗机构医疗保障基金规范使用的检查",
            "定点零售药店医疗保障基金使用内部管理制度的检查",
            "定点零售药店医疗保障基金规范使用的检查",
        ]
    );
    assert_eq!(c.items.iter().map(|i| i.seq).collect::<Vec<_>>(), vec![Some(1), Some(2), Some(3), Some(4)]);
    assert!(c.items.iter().all(|i| i.category == Category::Inspection));
    assert_eq!(c.items[1].legal_basis.text, "《医疗保障基金使用监督管理条例》第十五条、第三十八条。");
    assert_eq!(c.items[1].subject.as_deref(), Some("广州市医疗保障局,广州市医疗保险服务中心"));
    // No pinyin is left anywhere; both conversions are reported.
    assert!(c.items.iter().all(|i| !i.legal_basis.text.contains("(yī)")));
    assert_eq!(codes(&c).iter().filter(|d| **d == DiagnosticCode::Transcoded).count(), 2);
    // Rows 2 and 4 lost the 抽查类别 cell merged down from the row above: inherited and said.
    let inherited: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == DiagnosticCode::MisplacedCell && d.message.contains("沿用上一行"))
        .collect();
    assert_eq!(inherited.len(), 2, "{inherited:?}");
    assert_eq!(
        c.items[1].extra.get("抽查项目/抽查 类别").map(String::as_str),
        Some("定点医疗机构医疗保障基金使用监督管理"),
        "{:?}",
        c.items[1].extra
    );
}

#[test]
fn a_list_without_a_header_is_read_by_content_and_says_what_it_inferred() {
    let text = "某县医疗保障局权责清单\n\
        1\t行政处罚\t对定点医药机构骗取医保基金支出的处罚\t《医疗保障基金使用监督管理条例》第四十条\t1.立案责任：审查。2.调查责任：调查。3.决定责任：决定。\t违法实施处罚的，依法追究责任。\n\
        2\t行政检查\t对医疗救助的监督检查\t《社会救助暂行办法》第五十七条\t1.检查责任：依法检查。2.处置责任：依法处理。\t玩忽职守的，依法追究责任。\n";
    let c = import("noheader.txt", text.as_bytes());
    assert_eq!(names(&c), vec!["对定点医药机构骗取医保基金支出的处罚", "对医疗救助的监督检查"]);
    assert_eq!(c.items[0].category, Category::Penalty);
    assert!(c.items[1].legal_basis.text.contains("第五十七条"));
    assert_eq!(c.items[0].responsibilities.stages.len(), 3);
    assert!(c.items[1].accountability.text.contains("玩忽职守"));
    let d = c.diagnostics.iter().find(|d| d.code == DiagnosticCode::NoHeader).unwrap();
    assert!(d.message.contains("第3列→事项名称") && d.message.contains("第4列→实施依据"), "{}", d.message);
    assert!(c.source.headers.is_empty(), "an inferred header was never printed");
}

#[test]
fn a_lone_legal_basis_paragraph_is_still_no_list() {
    let text = "《医疗保障基金使用监督管理条例》第四十条\t定点医药机构通过下列方式骗取医疗保障基金支出的，由医疗保障行政部门责令退回。\n\
        《社会保险法》第八十七条\t社会保险经办机构以及医疗机构、药品经营单位等社会保险服务机构以欺诈手段骗取社会保险基金支出的。\n";
    let r =
        quanze_import::import_bytes("basis.txt", text.as_bytes(), &quanze_import::ImportOptions::default());
    assert!(matches!(r, Err(quanze_import::ImportError::NoTable(_))), "{r:?}");
}

#[test]
fn lushan_exemption_list_with_every_cell_on_its_own_line() {
    let c = real("lushan-line-per-cell.txt");
    assert_eq!(c.source.layout, "line-per-cell");
    assert_eq!(names(&c), vec!["违规报销医保基金"]);
    let it = &c.items[0];
    assert_eq!(it.seq, Some(1));
    let cond = it.extra.get("不予处罚条件").map(String::as_str).unwrap_or_default();
    assert!(cond.starts_with("()未满十四周岁") && cond.ends_with("依法不予处罚的情形。"), "{:?}", it.extra);
    assert!(cond.contains("前期规定的期限"), "the unnumbered paragraph stays in its cell");
    assert_eq!(it.legal_basis.text, "规范医疗保障基金使用监督管理行政处罚裁量权办法)》");
    assert_eq!(it.extra.get("配套监管措施").map(String::as_str), Some("加强日常检查和大数据智能监管"));
    // The second table's title lines are text, and its header is kept.
    let loose: Vec<&str> = c.source.unassigned.iter().map(|l| l.text.as_str()).collect();
    assert!(loose.contains(&"从轻或减轻处罚清单"), "{loose:?}");
    assert_eq!(c.source.headers.len(), 2);
}

/// One fixture's hand-checked expectations (tests/fixtures/real/expected.txt).
#[derive(Debug, Default)]
struct Expected {
    file: String,
    kind: String,
    items: usize,
    first: String,
    last: String,
    categories: Vec<String>,
    gap: Option<String>,
}

fn expectations() -> Vec<Expected> {
    let text = String::from_utf8(fixture("real/expected.txt")).unwrap();
    let mut out = Vec::new();
    for block in text.split("\n\n") {
        let mut e = Expected::default();
        for line in block.lines().filter(|l| !l.starts_with('#')) {
            let Some((k, v)) = line.split_once(": ") else { continue };
            match k {
                "file" => e.file = v.to_string(),
                "kind" => e.kind = v.to_string(),
                "items" => e.items = v.parse().unwrap(),
                "first" => e.first = v.to_string(),
                "last" => e.last = v.to_string(),
                "categories" => e.categories = v.split('、').map(str::to_string).collect(),
                "gap" => e.gap = Some(v.to_string()),
                other => panic!("unknown key {other} in expected.txt"),
            }
        }
        if !e.file.is_empty() {
            out.push(e);
        }
    }
    out
}

/// How the importer reads a fixture, in the terms of its expectations; `Err` for a refusal.
fn reading(e: &Expected) -> Result<(String, usize, String, String, Vec<String>), String> {
    let bytes = fixture(&format!("real/{}", e.file));
    let c = quanze_import::import_bytes(&e.file, &bytes, &quanze_import::ImportOptions::default())
        .map_err(|err| err.to_string())?;
    let mut cats: Vec<String> = c.items.iter().map(|i| i.category.label().to_string()).collect();
    cats.dedup();
    let name = |i: Option<&quanze_model::PowerItem>| i.map(|i| i.name.clone()).unwrap_or_default();
    Ok((
        c.source.kind.map(|k| k.id().to_string()).unwrap_or_default(),
        c.items.len(),
        name(c.items.first()),
        name(c.items.last()),
        cats,
    ))
}

#[test]
fn every_real_fixture_reads_as_a_person_reads_it_or_is_a_known_gap() {
    let all = expectations();
    assert!(all.len() >= 20, "the corpus holds {} fixtures", all.len());
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real");
    let on_disk = std::fs::read_dir(&dir).unwrap().filter(|e| {
        e.as_ref().unwrap().file_name().to_string_lossy().ends_with(".txt")
            && e.as_ref().unwrap().file_name() != "expected.txt"
    });
    assert_eq!(on_disk.count(), all.len(), "every fixture has expectations");
    let mut wrong = Vec::new();
    for e in &all {
        let want = (e.kind.clone(), e.items, e.first.clone(), e.last.clone(), e.categories.clone());
        let got = reading(e);
        let matches = got.as_ref().is_ok_and(|g| *g == want);
        match (&e.gap, matches) {
            (None, false) => wrong.push(format!("{}: expected {want:?}, read {got:?}", e.file)),
            (Some(gap), true) => {
                wrong.push(format!("{}: reads right now, remove its gap line ({gap})", e.file))
            }
            _ => {}
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    let gaps = all.iter().filter(|e| e.gap.is_some()).count();
    assert!(gaps * 2 <= all.len(), "{gaps} of {} fixtures are known gaps", all.len());
}

#[test]
fn cells_printed_before_the_serial_belong_to_their_own_row() {
    let text = "实施主体\n\n分序号\n\n事项名称\n\n事项类别\n\n设定依据\n\n\
        甲县医疗保障局\n\n1\n\n对定点医药机构的监督检查\n\n行政检查\n\n《医疗保障基金使用监督管理条例》第二十七条\n\n\
        乙县医疗保障局\n\n2\n\n对骗取医疗保障基金支出的处罚\n\n行政处罚\n\n《医疗保障基金使用监督管理条例》第四十条\n";
    let c = import("lead.txt", text.as_bytes());
    assert_eq!(c.source.layout, "line-per-cell");
    assert_eq!(names(&c), vec!["对定点医药机构的监督检查", "对骗取医疗保障基金支出的处罚"]);
    let subjects: Vec<Option<&str>> = c.items.iter().map(|i| i.subject.as_deref()).collect();
    assert_eq!(subjects, vec![Some("甲县医疗保障局"), Some("乙县医疗保障局")]);
    assert!(c.items[1].legal_basis.text.contains("第四十条"));
}

#[test]
fn a_form_with_one_label_a_line_is_read_as_a_table() {
    let c = real("land-resources-key-value-form.txt");
    assert_eq!(c.source.layout, "form");
    assert_eq!(names(&c), vec!["伪造、变造、转让地质勘查资质证书的处罚"]);
    let it = &c.items[0];
    assert_eq!(it.seq, Some(1), "the serial printed before the name");
    assert_eq!(it.category, Category::Penalty);
    assert!(it.responsibilities.text.starts_with("一般程序:\n1.立案责任:"), "{:?}", it.responsibilities.text);
    assert!(it.responsibilities.stages.len() >= 5, "{:?}", it.responsibilities.stages);
}
