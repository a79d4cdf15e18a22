//! Workbooks read with calamine: .xlsx and the old binary .xls. Merged cells that span
//! rows have their text copied into the rows they cover, as a reader sees them.
//!
//! calamine allocates from what a file declares (a shared-string count, a sheet's
//! dimensions) and lays every sheet out densely over the bounding box of its cells. So
//! before calamine sees a file, the file is checked against the limits: a zip is inflated
//! under a cap, a declared string count must fit the bytes that hold it, and an .xls
//! workbook's declared dimensions and cell positions must stay within the cell budget.
//! xlsx sheets are then read cell by cell, never as a dense range.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use calamine::{Data, Reader};

use crate::ImportError;
use crate::package::{Archive, check_unpacked, read_entry};
use crate::rows::Grid;
use crate::tables::{Limits, push_row};

/// Rows of one sheet by row index; each row's cells by column.
type Sheet = BTreeMap<u32, Vec<String>>;

fn err(e: impl std::fmt::Display) -> ImportError {
    ImportError::Spreadsheet(e.to_string())
}

fn too_many(limits: &Limits) -> ImportError {
    ImportError::TooComplex(format!("单元格超过{}个的上限", limits.max_cells))
}

pub(crate) fn read_xlsx(
    bytes: &[u8],
    archive: &mut Archive<'_>,
    unpacked_limit: u64,
    limits: Limits,
) -> Result<Grid, ImportError> {
    check_unpacked(archive, unpacked_limit)?;
    check_shared_strings(archive, unpacked_limit)?;
    contained(|| xlsx_sheets(bytes, limits))
}

fn xlsx_sheets(bytes: &[u8], limits: Limits) -> Result<Grid, ImportError> {
    let mut wb: calamine::Xlsx<_> = calamine::Xlsx::new(Cursor::new(bytes)).map_err(err)?;
    let mut blocks = Vec::new();
    let mut cells_seen = 0u64;
    for name in wb.sheet_names() {
        let mut sheet = Sheet::new();
        {
            let mut reader = match wb.worksheet_cells_reader(&name) {
                Ok(r) => r,
                // Chart sheets and the like hold no cells.
                Err(calamine::XlsxError::NotAWorksheet(_)) => continue,
                Err(e) => return Err(err(e)),
            };
            while let Some(cell) = reader.next_cell().map_err(err)? {
                let (r, c) = cell.get_position();
                let text = Data::from(cell.get_value().clone()).to_string();
                if text.is_empty() {
                    continue;
                }
                cells_seen += 1;
                if cells_seen > limits.max_cells {
                    return Err(too_many(&limits));
                }
                put(&mut sheet, r, c, text, &limits);
            }
        }
        let merges = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
        spread_merges(&mut sheet, &merges, &limits)?;
        emit(&mut blocks, sheet);
    }
    Ok(Grid { layout: "xlsx", blocks })
}

pub(crate) fn read_xls(bytes: &[u8], limits: Limits) -> Result<Grid, ImportError> {
    check_biff(bytes, &limits)?;
    contained(|| xls_sheets(bytes, limits))
}

fn xls_sheets(bytes: &[u8], limits: Limits) -> Result<Grid, ImportError> {
    let mut wb: calamine::Xls<_> = calamine::Xls::new(Cursor::new(bytes)).map_err(err)?;
    let mut blocks = Vec::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).map_err(err)?;
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let mut sheet = Sheet::new();
        for (r, c, d) in range.used_cells() {
            let text = d.to_string();
            if !text.is_empty() {
                let (r, c) = (r0.saturating_add(r as u32), c0.saturating_add(c as u32));
                put(&mut sheet, r, c, text, &limits);
            }
        }
        let merges = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
        spread_merges(&mut sheet, &merges, &limits)?;
        emit(&mut blocks, sheet);
    }
    Ok(Grid { layout: "xls", blocks })
}

/// calamine indexes past the end of some damaged records and panics (a flipped byte in
/// an .xls did it, found by the property tests). A damaged workbook is an error of the
/// input, not of the program: the panic is contained here and reported as such.
fn contained(read: impl FnOnce() -> Result<Grid, ImportError>) -> Result<Grid, ImportError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read))
        .unwrap_or_else(|_| Err(ImportError::Spreadsheet("工作簿已损坏，读取中断".into())))
}

/// Put a cell in its row; columns past the limit join the row's last cell.
fn put(sheet: &mut Sheet, r: u32, c: u32, text: String, limits: &Limits) {
    let row = sheet.entry(r).or_default();
    let c = c as usize;
    if c < limits.max_cols {
        if row.len() <= c {
            row.resize(c + 1, String::new());
        }
        row[c] = text;
    } else if let Some(last) = row.last_mut() {
        last.push('\n');
        last.push_str(&text);
    } else {
        row.push(text);
    }
}

/// A cell merged down over the rows below it: its text goes into each covered row that
/// exists, in its first column (the other columns of a wide merge stay empty).
fn spread_merges(
    sheet: &mut Sheet,
    merges: &[calamine::Dimensions],
    limits: &Limits,
) -> Result<(), ImportError> {
    let mut copies = 0u64;
    let mut bytes = 0u64;
    for m in merges {
        let ((r0, c0), (r1, _)) = (m.start, m.end);
        let c = c0 as usize;
        if r1 <= r0 || c >= limits.max_cols {
            continue;
        }
        let Some(text) = sheet.get(&r0).and_then(|row| row.get(c)).filter(|t| !t.is_empty()).cloned() else {
            continue;
        };
        for (_, row) in sheet.range_mut(r0 + 1..=r1) {
            copies += 1;
            bytes = bytes.saturating_add(text.len() as u64);
            if copies > limits.max_cells || bytes > limits.max_text {
                return Err(too_many(limits));
            }
            if row.len() <= c {
                row.resize(c + 1, String::new());
            }
            if row[c].is_empty() {
                row[c].clone_from(&text);
            }
        }
    }
    Ok(())
}

fn emit(blocks: &mut Vec<crate::rows::Block>, sheet: Sheet) {
    for (r, cells) in sheet {
        push_row(blocks, cells, r.saturating_add(1));
    }
}

/// calamine reserves the declared number of shared strings up front: the number must fit
/// the bytes of the part that holds them (an empty `<si/>` is five bytes).
fn check_shared_strings(archive: &mut Archive<'_>, unpacked_limit: u64) -> Result<(), ImportError> {
    let names: Vec<String> = archive
        .file_names()
        .flatten()
        .filter(|n| n.to_ascii_lowercase().ends_with("sharedstrings.xml"))
        .map(|n| n.into_owned())
        .collect();
    for name in names {
        let xml = read_entry(archive, &name, unpacked_limit)?;
        let head = &xml[..xml.len().min(4096)];
        for attr in [&b"uniqueCount=\""[..], &b"count=\""[..]] {
            let Some(i) = head.windows(attr.len()).position(|w| w == attr) else { continue };
            let digits: Vec<u8> =
                head[i + attr.len()..].iter().take_while(|b| b.is_ascii_digit()).take(20).copied().collect();
            let n: u128 = std::str::from_utf8(&digits).ok().and_then(|d| d.parse().ok()).unwrap_or(0);
            if n > (xml.len() as u128) / 5 + 1 {
                return Err(ImportError::TooComplex(format!(
                    "共享字符串表声明{n}项，而其内容只有{}字节",
                    xml.len()
                )));
            }
        }
    }
    Ok(())
}

/// Check an .xls workbook's records before calamine reads it: every sheet's declared
/// dimensions and the bounding box of its cells must fit the cell budget.
fn check_biff(bytes: &[u8], limits: &Limits) -> Result<(), ImportError> {
    let mut cfb = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(err)?;
    let path = ["/Workbook", "/Book"].into_iter().find(|p| cfb.is_stream(p));
    let Some(path) = path else {
        let what = if cfb.is_stream("/WordDocument") {
            "a legacy Word .doc file: save it as .docx"
        } else {
            "a legacy Office file that is not an .xls workbook"
        };
        return Err(ImportError::Binary(what.into()));
    };
    let mut stream = Vec::new();
    let s = cfb.open_stream(path).map_err(err)?;
    s.take(bytes.len() as u64 + 1).read_to_end(&mut stream).map_err(err)?;
    let mut starts = vec![0usize];
    for (typ, data) in records(&stream, 0) {
        if typ == 0x0085 && data.len() >= 4 {
            starts.push(u32::from_le_bytes([data[0], data[1], data[2], data[3]]) as usize);
        }
    }
    starts.sort_unstable();
    starts.dedup();
    for start in starts {
        let mut bbox: Option<(u32, u32, u32, u32)> = None;
        let mut cells = 0u64;
        for (typ, data) in records(&stream, start) {
            let pos = match typ {
                // Dimensions: rows first/last (u32 in BIFF8, u16 before), columns first/last.
                0x0200 => {
                    let (rows, cols) = match data.len() {
                        10 => (span(u16le(data, 0), u16le(data, 2)), span(u16le(data, 4), u16le(data, 6))),
                        14 | 16 => {
                            (span(u32le(data, 0), u32le(data, 4)), span(u16le(data, 8), u16le(data, 10)))
                        }
                        _ => (0, 0),
                    };
                    if rows.saturating_mul(cols) > limits.max_cells {
                        return Err(ImportError::TooComplex(format!(
                            "工作表声明{rows}行×{cols}列，超过{}个单元格的上限",
                            limits.max_cells
                        )));
                    }
                    None
                }
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 | 0x0201 if data.len() >= 4 => {
                    Some((u16le(data, 0), u16le(data, 2), u16le(data, 2)))
                }
                // MulRk / MulBlank: row, first column, …, last column.
                0x00BD | 0x00BE if data.len() >= 6 => {
                    Some((u16le(data, 0), u16le(data, 2), u16le(data, data.len() - 2)))
                }
                _ => None,
            };
            if let Some((r, c0, c1)) = pos {
                cells += 1;
                let b = bbox.get_or_insert((r, r, c0, c1));
                *b = (b.0.min(r), b.1.max(r), b.2.min(c0).min(c1), b.3.max(c0).max(c1));
            }
        }
        if let Some((r0, r1, c0, c1)) = bbox {
            let area = span(r0, r1).saturating_mul(span(c0, c1));
            if area > limits.max_cells || cells > limits.max_cells {
                return Err(ImportError::TooComplex(format!(
                    "工作表的单元格分布在{}行×{}列的范围内，超过{}个单元格的上限",
                    span(r0, r1),
                    span(c0, c1),
                    limits.max_cells
                )));
            }
        }
    }
    Ok(())
}

fn u16le(d: &[u8], i: usize) -> u32 {
    u32::from(u16::from_le_bytes([d[i], d[i + 1]]))
}

fn u32le(d: &[u8], i: usize) -> u32 {
    u32::from_le_bytes([d[i], d[i + 1], d[i + 2], d[i + 3]])
}

fn span(first: u32, last: u32) -> u64 {
    u64::from(last.saturating_sub(first)) + 1
}

/// BIFF records from `start` to the end of that substream (its EOF record, nested
/// substreams included) or of the stream.
fn records(stream: &[u8], start: usize) -> impl Iterator<Item = (u16, &[u8])> {
    let mut pos = start;
    let mut depth = 0usize;
    let mut done = false;
    std::iter::from_fn(move || {
        if done || pos + 4 > stream.len() {
            return None;
        }
        let typ = u16::from_le_bytes([stream[pos], stream[pos + 1]]);
        let len = usize::from(u16::from_le_bytes([stream[pos + 2], stream[pos + 3]]));
        let end = (pos + 4 + len).min(stream.len());
        let data = &stream[pos + 4..end];
        pos = end;
        match typ {
            0x0809 => depth += 1,
            0x000A => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    done = true;
                }
            }
            _ => {}
        }
        Some((typ, data))
    })
}
