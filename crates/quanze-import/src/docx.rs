//! Word documents (.docx): tables with merged cells (`w:gridSpan`, `w:vMerge`), and the
//! paragraphs before, between and after them, in document order.
//!
//! Read with `zip` and `quick-xml` (both already in the tree through calamine) rather than
//! a document-model crate: the importer needs the body's tables and text only, and a
//! streaming reader keeps the budget in our hands (the part is inflated under a cap, and
//! no tree is built, however deep the nesting).

use quick_xml::events::{BytesStart, Event};

use crate::ImportError;
use crate::package::{Archive, read_entry};
use crate::rows::Grid;
use crate::tables::{Builder, Limits};

/// Properties of a cell, known only after its `w:tcPr`; the cell starts at its first content.
struct PendingCell {
    span: usize,
    continues: bool,
}

pub(crate) fn read_docx(
    archive: &mut Archive<'_>,
    unpacked_limit: u64,
    limits: Limits,
) -> Result<Grid, ImportError> {
    let xml = read_entry(archive, "word/document.xml", unpacked_limit)?;
    let mut reader = quick_xml::Reader::from_reader(xml.as_slice());
    reader.config_mut().check_end_names = false;
    let mut b = Builder::new(limits);
    let mut buf = Vec::new();
    // A paragraph or row counter stands in for line numbers.
    let mut line = 1u32;
    let mut pending: Option<PendingCell> = None;
    // Inside deleted text, field instructions and other non-text runs.
    let mut skip = 0usize;
    let mut in_text = false;
    // A damaged part ends the reading: what was read before the damage is kept.
    while let Ok(ev) = reader.read_event_into(&mut buf) {
        match ev {
            Event::Eof => break,
            Event::Start(e) => {
                let name = e.local_name();
                match name.as_ref() {
                    "tbl" => {
                        start_pending(&mut b, &mut pending, line);
                        b.start_table();
                    }
                    "tr" => {
                        line = line.saturating_add(1);
                        b.start_row(line);
                    }
                    "tc" => pending = Some(PendingCell { span: 1, continues: false }),
                    "p" => start_pending(&mut b, &mut pending, line),
                    "t" => in_text = skip == 0,
                    "delText" | "instrText" | "del" | "fldData" => skip += 1,
                    other => props(other, &e, &mut pending, &mut b, line),
                }
            }
            Event::Empty(e) => {
                let name = e.local_name();
                match name.as_ref() {
                    "br" | "cr" if skip == 0 => b.line_break(),
                    "tab" if skip == 0 => b.text(" ", line),
                    "tc" => {
                        b.start_cell(1, 1, false, line);
                        b.end_cell();
                    }
                    other => props(other, &e, &mut pending, &mut b, line),
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "tbl" => b.end_table(),
                "tr" => b.end_row(),
                "tc" => {
                    start_pending(&mut b, &mut pending, line);
                    b.end_cell();
                }
                "p" => {
                    line = line.saturating_add(1);
                    b.line_break();
                }
                "t" => in_text = false,
                "delText" | "instrText" | "del" | "fldData" => skip = skip.saturating_sub(1),
                _ => {}
            },
            Event::Text(t) if in_text => b.text(&t, line),
            Event::GeneralRef(r) if in_text => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    b.text(c.encode_utf8(&mut [0; 4]), line);
                } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(&r) {
                    b.text(s, line);
                }
            }
            _ => {}
        }
        buf.clear();
    }
    Ok(Grid { layout: "docx", blocks: b.finish()? })
}

fn start_pending(b: &mut Builder, pending: &mut Option<PendingCell>, line: u32) {
    if let Some(p) = pending.take() {
        b.start_cell(p.span, 1, p.continues, line);
    }
}

/// Cell and row properties: span, vertical merge, skipped grid columns.
fn props(name: &str, e: &BytesStart<'_>, pending: &mut Option<PendingCell>, b: &mut Builder, line: u32) {
    match name {
        "gridSpan" => {
            if let Some(p) = pending.as_mut() {
                p.span = val(e).and_then(|v| v.parse().ok()).unwrap_or(1);
            }
        }
        "vMerge" => {
            if let Some(p) = pending.as_mut() {
                // No w:val means "continue"; "restart" starts a merged cell.
                p.continues = val(e).is_none_or(|v| v == "continue");
            }
        }
        "gridBefore" => {
            let n: usize = val(e).and_then(|v| v.parse().ok()).unwrap_or(0);
            if n > 0 {
                b.start_cell(n, 1, false, line);
                b.end_cell();
            }
        }
        _ => {}
    }
}

fn val(e: &BytesStart<'_>) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.local_name().as_ref() == "val").map(|a| a.value.into_owned())
}
