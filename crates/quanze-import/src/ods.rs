//! OpenDocument spreadsheets (.ods): every sheet, with spanned cells.
//!
//! Read with `zip` and `quick-xml` rather than calamine: calamine expands repeated rows
//! and columns into a dense grid (up to 100 million cells), and does not say which cells
//! are merged. Here a repeated empty cell costs nothing until a cell with text follows it,
//! and spans go through the same table model as web pages and Word tables.

use quick_xml::events::{BytesStart, Event};

use crate::ImportError;
use crate::package::{Archive, read_entry};
use crate::rows::Grid;
use crate::tables::{Builder, Limits};

/// A non-empty row repeated more often than this is laid out this often: identical rows
/// of a list are a mistake worth one finding, not a million items.
const MAX_ROW_REPEAT: usize = 100;

struct CellBuf {
    text: String,
    colspan: usize,
    rowspan: usize,
    repeat: usize,
}

pub(crate) fn read_ods(
    archive: &mut Archive<'_>,
    unpacked_limit: u64,
    limits: Limits,
) -> Result<Grid, ImportError> {
    let xml = read_entry(archive, "content.xml", unpacked_limit)?;
    let mut reader = quick_xml::Reader::from_reader(xml.as_slice());
    reader.config_mut().check_end_names = false;
    let mut b = Builder::new(limits);
    let mut buf = Vec::new();
    let mut line = 0u32;
    let mut row: Vec<CellBuf> = Vec::new();
    let mut row_repeat = 1usize;
    let mut cell: Option<CellBuf> = None;
    let mut in_para = false;
    // A damaged part ends the reading: what was read before the damage is kept.
    while let Ok(ev) = reader.read_event_into(&mut buf) {
        match ev {
            Event::Eof => break,
            Event::Start(e) => match e.local_name().as_ref() {
                "table" => {
                    line = 0;
                    b.start_table();
                }
                "table-row" => {
                    row.clear();
                    row_repeat = num(&e, "number-rows-repeated").unwrap_or(1);
                }
                "table-cell" => cell = Some(new_cell(&e)),
                "p" | "h" => {
                    if let Some(c) = cell.as_mut()
                        && !c.text.is_empty()
                    {
                        c.text.push('\n');
                    }
                    in_para = true;
                }
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                "table-cell" => row.push(new_cell(&e)),
                "s" if in_para => {
                    if let Some(c) = cell.as_mut() {
                        let n = num(&e, "c").unwrap_or(1).min(64);
                        c.text.extend(std::iter::repeat_n(' ', n));
                    }
                }
                "tab" if in_para => push(&mut cell, " "),
                "line-break" if in_para => push(&mut cell, "\n"),
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "table" => b.end_table(),
                "table-cell" => {
                    if let Some(c) = cell.take() {
                        row.push(c);
                    }
                }
                "p" | "h" => in_para = false,
                "table-row" => {
                    let empty = row.iter().all(|c| c.text.trim().is_empty());
                    let times = if empty { 1 } else { row_repeat.clamp(1, MAX_ROW_REPEAT) };
                    for _ in 0..times {
                        line = line.saturating_add(1);
                        emit_row(&mut b, &row, line);
                    }
                    // Repeated empty rows still count as rows of the sheet.
                    line = line
                        .saturating_add(u32::try_from(row_repeat.saturating_sub(times)).unwrap_or(u32::MAX));
                    row.clear();
                }
                _ => {}
            },
            Event::Text(t) if in_para => push(&mut cell, &t),
            Event::GeneralRef(r) if in_para => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    push(&mut cell, c.encode_utf8(&mut [0; 4]));
                } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(&r) {
                    push(&mut cell, s);
                }
            }
            _ => {}
        }
        buf.clear();
    }
    Ok(Grid { layout: "ods", blocks: b.finish()? })
}

fn push(cell: &mut Option<CellBuf>, s: &str) {
    if let Some(c) = cell.as_mut() {
        c.text.push_str(s);
    }
}

fn new_cell(e: &BytesStart<'_>) -> CellBuf {
    CellBuf {
        text: String::new(),
        colspan: num(e, "number-columns-spanned").unwrap_or(1),
        rowspan: num(e, "number-rows-spanned").unwrap_or(1),
        repeat: num(e, "number-columns-repeated").unwrap_or(1),
    }
}

/// One row: runs of empty cells become one empty span (a trailing run is dropped), so
/// "repeated 16384 times" costs nothing.
fn emit_row(b: &mut Builder, row: &[CellBuf], line: u32) {
    b.start_row(line);
    let mut empty_run = 0usize;
    for c in row {
        if c.text.trim().is_empty() && c.rowspan <= 1 {
            empty_run = empty_run.saturating_add(c.repeat.saturating_mul(c.colspan));
            continue;
        }
        if empty_run > 0 {
            b.start_cell(empty_run, 1, false, line);
            b.end_cell();
            empty_run = 0;
        }
        // A cell with text repeated across columns: laid out as often as a row can hold.
        for _ in 0..c.repeat.clamp(1, 256) {
            b.start_cell(c.colspan, c.rowspan, false, line);
            b.text(&c.text, line);
            b.end_cell();
        }
    }
    b.end_row();
}

fn num(e: &BytesStart<'_>, local: &str) -> Option<usize> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| a.value.trim().parse().ok())
}
