//! Readers: text or a workbook → a grid of raw rows and loose lines, in document order.
//!
//! Readers know nothing about what the columns mean beyond recognising header rows (the
//! cell-per-line layout needs them to find where rows begin). Cells keep their text as
//! printed; HTML and white space are cleaned later.

use quanze_model::SourceLine;

use crate::columns::{Column, header_columns, is_category_label, parse_serial};

/// A row of cells with the line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawRow {
    pub cells: Vec<String>,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Block {
    Row(RawRow),
    Loose(SourceLine),
}

#[derive(Debug)]
pub(crate) struct Grid {
    pub layout: &'static str,
    pub blocks: Vec<Block>,
}

fn lines(text: &str) -> Vec<&str> {
    let text = text.strip_suffix('\n').unwrap_or(text);
    text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect()
}

fn loose(line: usize, text: &str) -> Block {
    Block::Loose(SourceLine { line: line_no(line), text: text.to_string() })
}

fn line_no(index: usize) -> u32 {
    u32::try_from(index + 1).unwrap_or(u32::MAX)
}

/// Choose a reader by content and run it. `None` when the text holds no table at all.
pub(crate) fn read_text(text: &str) -> Option<Grid> {
    let ls = lines(text);
    let mut tab_lines = 0usize;
    let mut one_leading_tab = 0usize;
    let mut multi_tab = 0usize;
    let mut pipes = 0usize;
    let mut commas = 0usize;
    for l in &ls {
        let tabs = l.matches('\t').count();
        if tabs > 0 {
            tab_lines += 1;
            if tabs == 1 && l.trim_start_matches([' ', '\u{3000}']).starts_with('\t') {
                one_leading_tab += 1;
            }
            if tabs >= 2 {
                multi_tab += 1;
            }
        }
        if l.matches('|').count() >= 2 {
            pipes += 1;
        }
        if l.matches(',').count() >= 2 {
            commas += 1;
        }
    }
    if tab_lines >= 3 && one_leading_tab * 10 >= tab_lines * 8 {
        return Some(read_cell_per_line(&ls));
    }
    if multi_tab >= 2 {
        return Some(read_tsv(&ls));
    }
    if pipes >= 2 {
        return Some(read_pipe(&ls));
    }
    if commas >= 2 {
        return read_csv(text);
    }
    None
}

/// A cell of the cell-per-line layout with the line it starts on.
struct Tok {
    text: String,
    line: usize,
    /// Continuation lines that came after a blank line: they may be text after the table.
    after_blank: Vec<(usize, String)>,
}

/// The layout where every cell starts on its own line with a tab, and cells continue on
/// the following lines without one (seed 000). Rows are found by their serial number, or
/// by their type label when the serial is missing.
fn read_cell_per_line(ls: &[&str]) -> Grid {
    let mut blocks = Vec::new();
    let mut toks: Vec<Tok> = Vec::new();
    let mut blank_pending = false;
    for (i, l) in ls.iter().enumerate() {
        let lead = l.trim_start_matches([' ', '\u{3000}']);
        if let Some(after_tab) = lead.strip_prefix('\t') {
            let before = &l[..l.len() - lead.len()];
            if let Some(prev) = toks.last_mut()
                && !before.trim().is_empty()
            {
                prev.text.push_str(before);
            }
            for piece in after_tab.split('\t') {
                toks.push(Tok { text: piece.to_string(), line: i, after_blank: Vec::new() });
            }
            blank_pending = false;
        } else if let Some(prev) = toks.last_mut() {
            if l.trim().is_empty() {
                blank_pending = true;
            } else if blank_pending || !prev.after_blank.is_empty() {
                prev.after_blank.push((i, l.to_string()));
            } else {
                prev.text.push('\n');
                prev.text.push_str(l);
            }
        } else if !l.trim().is_empty() {
            blocks.push(loose(i, l));
        }
    }

    let mut header: Option<Vec<Column>> = None;
    let mut row: Vec<Tok> = Vec::new();
    let mut k = 0;
    while k < toks.len() {
        // A run of header labels is a (possibly repeated) header.
        let run_end = header_run_end(&toks, k);
        if run_end > k {
            let cells: Vec<String> = toks[k..run_end].iter().map(|t| t.text.trim().to_string()).collect();
            if let Some(cols) = header_columns(&cells) {
                flush_cpl_row(&mut row, &header, &mut blocks);
                blocks.push(Block::Row(RawRow { cells, line: line_no(toks[k].line) }));
                header = Some(cols);
                k = run_end;
                continue;
            }
        }
        let tok =
            std::mem::replace(&mut toks[k], Tok { text: String::new(), line: 0, after_blank: Vec::new() });
        k += 1;
        let t = tok.text.trim();
        let cat_col = header
            .as_ref()
            .and_then(|h| h.iter().position(|c| c.field == crate::columns::Field::Category))
            .unwrap_or(1);
        let starts_row = !row.is_empty()
            && ((parse_serial(t).is_some() && row.len() >= 2)
                || (is_category_label(t) && row.len() > cat_col));
        if starts_row {
            flush_cpl_row(&mut row, &header, &mut blocks);
        }
        if row.is_empty() && is_category_label(t) && parse_serial(t).is_none() {
            // A row without its serial: keep the cells in their columns.
            for _ in 0..cat_col {
                row.push(Tok { text: String::new(), line: tok.line, after_blank: Vec::new() });
            }
        }
        row.push(tok);
    }
    flush_cpl_row(&mut row, &header, &mut blocks);
    Grid { layout: "cell-per-line", blocks }
}

fn header_run_end(toks: &[Tok], start: usize) -> usize {
    let mut end = start;
    while end < toks.len() {
        let t = toks[end].text.trim();
        if crate::columns::field_of_header(t).is_none() {
            break;
        }
        end += 1;
    }
    if end - start >= 3 { end } else { start }
}

fn flush_cpl_row(row: &mut Vec<Tok>, header: &Option<Vec<Column>>, blocks: &mut Vec<Block>) {
    if row.is_empty() {
        return;
    }
    let ncols = header.as_ref().map_or(usize::MAX, Vec::len);
    let mut trailing = Vec::new();
    let n = row.len();
    for (idx, tok) in row.iter_mut().enumerate() {
        // Text after a blank line continues the cell, unless the row is complete and this
        // is its last cell: then it is text after the row (a footer), kept as loose lines.
        let after = std::mem::take(&mut tok.after_blank);
        if idx + 1 == n && n >= ncols {
            trailing.extend(after);
        } else {
            for (_, l) in after {
                tok.text.push_str("\n\n");
                tok.text.push_str(&l);
            }
        }
    }
    let line = row.iter().find(|t| !t.text.trim().is_empty()).map_or(row[0].line, |t| t.line);
    let cells = row.drain(..).map(|t| t.text).collect();
    blocks.push(Block::Row(RawRow { cells, line: line_no(line) }));
    for (i, l) in trailing {
        blocks.push(loose(i, &l));
    }
}

/// Tab-separated rows, one per line; a row with too few cells continues on the next line
/// unless that line starts a row of its own.
fn read_tsv(ls: &[&str]) -> Grid {
    let mut blocks = Vec::new();
    let mut expected = 0usize;
    let mut pending: Option<RawRow> = None;
    for (i, l) in ls.iter().enumerate() {
        let has_tab = l.contains('\t');
        if let Some(p) = pending.as_mut() {
            let incomplete = expected > 0 && p.cells.len() < expected;
            let cells: Vec<&str> = l.split('\t').collect();
            let new_row = parse_serial(cells[0]).is_some() || header_columns(&cells).is_some();
            if incomplete && !l.trim().is_empty() && !new_row {
                let mut it = cells.into_iter();
                if let (Some(first), Some(last)) = (it.next(), p.cells.last_mut()) {
                    last.push('\n');
                    last.push_str(first);
                }
                p.cells.extend(it.map(str::to_string));
                continue;
            }
        }
        if let Some(p) = pending.take() {
            blocks.push(Block::Row(p));
        }
        if has_tab {
            let cells: Vec<String> = l.split('\t').map(str::to_string).collect();
            if let Some(cols) = header_columns(&cells) {
                expected = cols.iter().rposition(|c| !c.label.is_empty()).map_or(0, |p| p + 1);
            }
            pending = Some(RawRow { cells, line: line_no(i) });
        } else if !l.trim().is_empty() {
            blocks.push(loose(i, l));
        }
    }
    if let Some(p) = pending.take() {
        blocks.push(Block::Row(p));
    }
    Grid { layout: "tsv", blocks }
}

/// `| a | b |` tables (Markdown-like) and bare `a|b|c` rows.
fn read_pipe(ls: &[&str]) -> Grid {
    let mut blocks = Vec::new();
    for (i, l) in ls.iter().enumerate() {
        let t = l.trim();
        if t.matches('|').count() >= 2 {
            if t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '+')) {
                continue;
            }
            let inner = t.strip_prefix('|').unwrap_or(t);
            let inner = inner.strip_suffix('|').unwrap_or(inner);
            let cells = inner.split('|').map(|c| c.trim().to_string()).collect();
            blocks.push(Block::Row(RawRow { cells, line: line_no(i) }));
        } else if !t.is_empty() {
            blocks.push(loose(i, l));
        }
    }
    Grid { layout: "pipe", blocks }
}

fn read_csv(text: &str) -> Option<Grid> {
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut blocks = Vec::new();
    for rec in rdr.records() {
        // A malformed record (unbalanced quotes at the end) still yields what was read.
        let Ok(rec) = rec else { continue };
        let line = rec.position().map_or(0, |p| p.line().saturating_sub(1) as usize);
        let cells: Vec<String> = rec.iter().map(str::to_string).collect();
        let non_empty: Vec<&String> = cells.iter().filter(|c| !c.trim().is_empty()).collect();
        match non_empty.len() {
            0 => {}
            1 if cells.len() == 1 || parse_serial(non_empty[0]).is_none() => {
                blocks.push(loose(line, non_empty[0]));
            }
            _ => blocks.push(Block::Row(RawRow { cells, line: line_no(line) })),
        }
    }
    if blocks.iter().any(|b| matches!(b, Block::Row(_))) {
        Some(Grid { layout: "csv", blocks })
    } else {
        None
    }
}
