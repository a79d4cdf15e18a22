//! Downloads of a version: the catalog JSON, a CSV and an XLSX workbook of its items.

use quanze_model::{Catalog, Citation, PowerItem};
use rust_xlsxwriter::{Format, Workbook};

const HEADERS: [&str; 14] = [
    "序号",
    "权力类型",
    "事项名称",
    "子项名称",
    "实施主体",
    "承办机构",
    "权力编码",
    "实施依据",
    "引用条款",
    "责任事项",
    "追责情形",
    "追责依据",
    "法定期限",
    "备注",
];

fn cite(c: &Citation) -> String {
    let mut s = format!("《{}》", c.title);
    if let Some(a) = c.article {
        s.push_str(&format!("第{a}条"));
    }
    if let Some(p) = c.paragraph {
        s.push_str(&format!("第{p}款"));
    }
    if let Some(i) = c.item {
        s.push_str(&format!("第{i}项"));
    }
    s
}

fn row(it: &PowerItem) -> [String; 14] {
    let o = |x: &Option<String>| x.clone().unwrap_or_default();
    [
        it.seq.map(|s| s.to_string()).unwrap_or_default(),
        it.category.label().to_string(),
        it.name.clone(),
        o(&it.sub_name),
        o(&it.subject),
        o(&it.office),
        o(&it.code),
        it.legal_basis.text.clone(),
        it.legal_basis.citations.iter().map(cite).collect::<Vec<_>>().join("；"),
        it.responsibilities.text.clone(),
        it.accountability.text.clone(),
        it.accountability_basis.text.clone(),
        it.deadline.as_ref().map(|d| d.text.clone()).unwrap_or_default(),
        o(&it.remarks),
    ]
}

/// Neutralize cells a spreadsheet would run as a formula (CSV injection).
fn csv_safe(s: String) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s }
}

pub fn to_csv(cat: &Catalog) -> Result<Vec<u8>, String> {
    // A BOM so that spreadsheet programs read the file as UTF-8.
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record(HEADERS).map_err(|e| e.to_string())?;
        for it in &cat.items {
            w.write_record(row(it).map(csv_safe)).map_err(|e| e.to_string())?;
        }
        w.flush().map_err(|e| e.to_string())?;
    }
    Ok(out)
}

pub fn to_xlsx(cat: &Catalog, sheet: &str) -> Result<Vec<u8>, String> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let name: String = sheet.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
    if !name.is_empty() {
        ws.set_name(&name).map_err(|e| e.to_string())?;
    }
    let bold = Format::new().set_bold().set_text_wrap();
    let wrap = Format::new().set_text_wrap();
    for (c, h) in HEADERS.iter().enumerate() {
        let c = u16::try_from(c).map_err(|e| e.to_string())?;
        ws.write_string_with_format(0, c, *h, &bold).map_err(|e| e.to_string())?;
        let width = match c {
            2 | 7 | 9 | 10 => 40.0,
            _ => 14.0,
        };
        ws.set_column_width(c, width).map_err(|e| e.to_string())?;
    }
    for (r, it) in cat.items.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(|e| e.to_string())?;
        for (c, v) in row(it).iter().enumerate() {
            let c = u16::try_from(c).map_err(|e| e.to_string())?;
            // Excel cells hold at most 32,767 characters.
            let v: String = v.chars().take(32_000).collect();
            ws.write_string_with_format(r, c, &v, &wrap).map_err(|e| e.to_string())?;
        }
    }
    ws.set_freeze_panes(1, 0).map_err(|e| e.to_string())?;
    wb.save_to_buffer().map_err(|e| e.to_string())
}
