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

/// RFC 4180 csv with a UTF-8 BOM (so that spreadsheet programs read the Chinese text).
pub fn to_csv(catalog: &Catalog) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        // Writing to a Vec cannot fail; errors would only come from the sink.
        let _ = w.write_record(COLUMNS);
        for it in &catalog.items {
            let _ = w.write_record(item_row(it));
        }
        let _ = w.flush();
    }
    out
}

/// An xlsx workbook with one sheet of items.
pub fn to_xlsx(catalog: &Catalog) -> Result<Vec<u8>, ExportError> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sheet = wb.add_worksheet();
    let err = |e: rust_xlsxwriter::XlsxError| ExportError(e.to_string());
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (c, h) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold).map_err(err)?;
    }
    for (r, it) in catalog.items.iter().enumerate() {
        let row = u32::try_from(r + 1).map_err(|_| ExportError("too many items for one sheet".into()))?;
        for (c, v) in item_row(it).iter().enumerate() {
            sheet.write_string(row, c as u16, v).map_err(err)?;
        }
    }
    wb.save_to_buffer().map_err(err)
}
