//! Catalog → flat tables (csv, xlsx) for people who work in spreadsheets.
//!
//! One row per item; parsed parts are flattened into readable text (citations as
//! 《title》第N条, stages as "N.名称（岗）：text"). The JSON form is the faithful one.

use quanze_model::{Catalog, PowerItem};

/// Column headers of the flat export, in Chinese as the lists print them.
pub const COLUMNS: [&str; 22] = [
    "序号",
    "权力类型",
    "事项名称",
    "子项名称",
    "实施主体",
    "承办机构",
    "行使层级",
    "地方权力编码",
    "子项地方权力编码",
    "实施依据",
    "引用条款",
    "责任事项",
    "责任环节",
    "追责情形",
    "追究依据",
    "受理条件",
    "法定期限",
    "受理地点",
    "服务电话",
    "责任人员",
    "备注",
    "规范类型",
];

#[derive(Debug, thiserror::Error)]
#[error("cannot write the spreadsheet: {0}")]
pub struct ExportError(String);

/// The flat cells of one item, in [`COLUMNS`] order.
pub fn item_row(it: &PowerItem) -> Vec<String> {
    let citations = it
        .legal_basis
        .citations
        .iter()
        .map(|c| match c.article {
            Some(a) => format!("《{}》第{}条", c.title, a),
            None => format!("《{}》", c.title),
        })
        .collect::<Vec<_>>()
        .join("；");
    let stages = it
        .responsibilities
        .stages
        .iter()
        .map(|s| match &s.post {
            Some(p) => format!("{}.{}（{}）", s.seq, s.name, p),
            None => format!("{}.{}", s.seq, s.name),
        })
        .collect::<Vec<_>>()
        .join("；");
    let opt = |o: &Option<String>| o.clone().unwrap_or_default();
    vec![
        it.seq.map(|s| s.to_string()).unwrap_or_default(),
        it.category_label.clone(),
        it.name.clone(),
        opt(&it.sub_name),
        opt(&it.subject),
        opt(&it.office),
        opt(&it.level),
        opt(&it.code),
        opt(&it.sub_code),
        it.legal_basis.text.clone(),
        citations,
        it.responsibilities.text.clone(),
        stages,
        it.accountability.text.clone(),
        it.accountability_basis.text.clone(),
        opt(&it.acceptance),
        it.deadline.as_ref().map(|d| d.text.clone()).unwrap_or_default(),
        it.service.as_ref().and_then(|s| s.location.clone()).unwrap_or_default(),
        it.service.as_ref().and_then(|s| s.phone.clone()).unwrap_or_default(),
        opt(&it.responsible_person),
        opt(&it.remarks),
        it.category.label().to_string(),
    ]
}

/// Neutralize cells a spreadsheet would run as a formula (CSV injection): a published list
/// is untrusted input, and its csv is opened in Excel by officers.
fn csv_safe(s: String) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s }
}

/// RFC 4180 csv with a UTF-8 BOM (so that spreadsheet programs read the Chinese text).
pub fn to_csv(catalog: &Catalog) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        // Writing to a Vec cannot fail; errors would only come from the sink.
        let _ = w.write_record(COLUMNS);
        for it in &catalog.items {
            let _ = w.write_record(item_row(it).into_iter().map(csv_safe));
        }
        let _ = w.flush();
    }
    out
}

/// Excel refuses cells over 32,767 characters; longer cells are cut here (the JSON export
/// is the faithful one).
const XLSX_CELL_MAX: usize = 32_000;

/// A name Excel accepts for a sheet, made from `wanted` (a bureau's name), or `None` when
/// nothing usable is left (the sheet then keeps its default name). Excel's rules: at most 31
/// UTF-16 units (a character outside the Basic Multilingual Plane counts two), none of
/// `[]:*?/\`, not starting or ending with an apostrophe, not the reserved "History". A bureau
/// name breaking one of them must not turn the download into an error.
pub fn sheet_name(wanted: &str) -> Option<String> {
    let cleaned: String = wanted.chars().filter(|c| !"[]:*?/\\".contains(*c) && !c.is_control()).collect();
    let mut name = String::new();
    let mut units = 0;
    for c in cleaned.trim_matches(|c: char| c == '\'' || c.is_whitespace()).chars() {
        units += c.len_utf16();
        if units > 31 {
            break;
        }
        name.push(c);
    }
    // Cutting may leave an apostrophe or a space at the end.
    let name = name.trim_end_matches(|c: char| c == '\'' || c.is_whitespace());
    if name.is_empty() || name.eq_ignore_ascii_case("history") { None } else { Some(name.to_string()) }
}

/// An xlsx workbook with one sheet of items, named `sheet` when given (e.g. the bureau).
pub fn to_xlsx(catalog: &Catalog, sheet: Option<&str>) -> Result<Vec<u8>, ExportError> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let err = |e: rust_xlsxwriter::XlsxError| ExportError(e.to_string());
    if let Some(name) = sheet.and_then(sheet_name) {
        ws.set_name(&name).map_err(err)?;
    }
    let bold = rust_xlsxwriter::Format::new().set_bold().set_text_wrap();
    let wrap = rust_xlsxwriter::Format::new().set_text_wrap();
    for (c, h) in COLUMNS.iter().enumerate() {
        let c = u16::try_from(c).map_err(|_| ExportError("too many columns".into()))?;
        ws.write_string_with_format(0, c, *h, &bold).map_err(err)?;
        let wide = matches!(*h, "事项名称" | "实施依据" | "责任事项" | "追责情形");
        ws.set_column_width(c, if wide { 40.0 } else { 14.0 }).map_err(err)?;
    }
    for (r, it) in catalog.items.iter().enumerate() {
        let row = u32::try_from(r + 1).map_err(|_| ExportError("too many items for one sheet".into()))?;
        for (c, v) in item_row(it).iter().enumerate() {
            let c = u16::try_from(c).map_err(|_| ExportError("too many columns".into()))?;
            let v: std::borrow::Cow<'_, str> = if v.chars().count() > XLSX_CELL_MAX {
                v.chars().take(XLSX_CELL_MAX).collect::<String>().into()
            } else {
                v.as_str().into()
            };
            ws.write_string_with_format(row, c, v.as_ref(), &wrap).map_err(err)?;
        }
    }
    ws.set_freeze_panes(1, 0).map_err(err)?;
    wb.save_to_buffer().map_err(err)
}
