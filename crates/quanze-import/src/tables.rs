//! The table model shared by the structured readers (web pages, Word, OpenDocument):
//! tables of rows of cells with row and column spans, paragraphs between them, nested
//! tables. Readers feed events; the builder lays cells on a grid and emits [`Block`]s.
//!
//! Everything it keeps is bounded by [`Limits`], so a hostile file (a span of a million
//! rows, a cell repeated across every row, tables nested ten thousand deep) costs at most
//! the budget, never the machine.

use quanze_model::SourceLine;

use crate::ImportError;
use crate::columns::parse_serial;
use crate::rows::{Block, RawRow};

/// Bounds on what a reader may build from one file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Columns of one row; cells beyond are joined into the last one.
    pub max_cols: usize,
    /// Rows a single cell may span.
    pub max_span: usize,
    /// Cells in all (spans copied included).
    pub max_cells: u64,
    /// Bytes of text in all (spans copied included).
    pub max_text: u64,
    /// Tables inside tables; deeper ones are read as text of the enclosing cell.
    pub max_depth: usize,
}

impl Limits {
    pub(crate) fn new(max_cells: u64, max_text: u64) -> Self {
        Limits { max_cols: 256, max_span: 10_000, max_cells, max_text, max_depth: 16 }
    }
}

/// A cell that spans rows below it: its text goes on in those rows.
#[derive(Clone)]
struct Carry {
    text: String,
    rows_left: usize,
    cols: usize,
    /// Set in the row that holds the spanning cell, which does not count as covered.
    fresh: bool,
}

struct Row {
    cells: Vec<String>,
    line: u32,
    /// A nested table ended inside one of the cells: this row is layout, not data.
    layout: bool,
}

struct Cell {
    text: String,
    colspan: usize,
    rowspan: usize,
}

#[derive(Default)]
struct Table {
    /// Spans from rows above, by column.
    carries: Vec<Option<Carry>>,
    row: Option<Row>,
    cell: Option<Cell>,
    /// The previous row's cells by column (Word's vMerge continues the cell above).
    above: Vec<String>,
}

pub(crate) struct Builder {
    limits: Limits,
    blocks: Vec<Block>,
    tables: Vec<Table>,
    /// Tables opened beyond `max_depth`, read as text.
    ignored_depth: usize,
    /// Text outside any table, up to the next paragraph break.
    para: String,
    para_line: u32,
    cells: u64,
    text: u64,
    /// Set when a cap was reached: what follows is refused.
    over: Option<String>,
}

impl Builder {
    pub(crate) fn new(limits: Limits) -> Self {
        Builder {
            limits,
            blocks: Vec::new(),
            tables: Vec::new(),
            ignored_depth: 0,
            para: String::new(),
            para_line: 1,
            cells: 0,
            text: 0,
            over: None,
        }
    }

    fn in_cell(&self) -> bool {
        self.tables.last().is_some_and(|t| t.cell.is_some())
    }

    /// Text in the current cell, or in the current paragraph outside tables.
    pub(crate) fn text(&mut self, s: &str, line: u32) {
        if s.is_empty() {
            return;
        }
        self.text = self.text.saturating_add(s.len() as u64);
        if self.text > self.limits.max_text {
            self.over.get_or_insert_with(|| "文字总量超过上限".into());
            return;
        }
        if let Some(cell) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
            cell.text.push_str(s);
        } else {
            if self.para.trim().is_empty() {
                self.para_line = line;
            }
            self.para.push_str(s);
        }
    }

    /// A line break: inside a cell it stays in the cell; outside it ends the paragraph.
    pub(crate) fn line_break(&mut self) {
        if let Some(cell) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
            if !cell.text.is_empty() && !cell.text.ends_with('\n') {
                cell.text.push('\n');
            }
        } else {
            self.flush_para();
        }
    }

    fn flush_para(&mut self) {
        let p = std::mem::take(&mut self.para);
        for l in p.split('\n') {
            let l = l.trim();
            if !l.is_empty() {
                self.blocks.push(Block::Loose(SourceLine { line: self.para_line, text: l.to_string() }));
            }
        }
    }

    pub(crate) fn start_table(&mut self) {
        if self.tables.len() >= self.limits.max_depth || self.ignored_depth > 0 {
            self.ignored_depth += 1;
            self.line_break();
            return;
        }
        if !self.in_cell() {
            self.flush_para();
        }
        self.tables.push(Table::default());
    }

    pub(crate) fn end_table(&mut self) {
        if self.ignored_depth > 0 {
            self.ignored_depth -= 1;
            self.line_break();
            return;
        }
        self.end_row();
        if self.tables.pop().is_some()
            && let Some(outer) = self.tables.last_mut()
            && let Some(row) = outer.row.as_mut()
        {
            row.layout = true;
        }
    }

    pub(crate) fn start_row(&mut self, line: u32) {
        if self.ignored_depth > 0 {
            self.line_break();
            return;
        }
        self.end_row();
        if let Some(t) = self.tables.last_mut() {
            t.row = Some(Row { cells: Vec::new(), line, layout: false });
        }
    }

    pub(crate) fn end_row(&mut self) {
        if self.ignored_depth > 0 {
            return;
        }
        self.end_cell();
        let Some(t) = self.tables.last_mut() else { return };
        let Some(mut row) = t.row.take() else { return };
        // Spans from above that reach past this row's last cell.
        place_carries(&t.carries, &mut row.cells);
        for c in t.carries.iter_mut() {
            if let Some(k) = c {
                if k.fresh {
                    k.fresh = false;
                    continue;
                }
                k.rows_left -= 1;
                if k.rows_left == 0 {
                    *c = None;
                }
            }
        }
        t.above.clone_from(&row.cells);
        let line = row.line;
        if row.layout {
            for c in row.cells {
                for l in c.split('\n') {
                    let l = l.trim();
                    if !l.is_empty() {
                        self.blocks.push(Block::Loose(SourceLine { line, text: l.to_string() }));
                    }
                }
            }
        } else {
            push_row(&mut self.blocks, row.cells, line);
        }
    }

    /// A cell starts. Word's vertical merge continues the cell above (`continues_above`).
    pub(crate) fn start_cell(&mut self, colspan: usize, rowspan: usize, continues_above: bool, line: u32) {
        if self.ignored_depth > 0 {
            self.line_break();
            return;
        }
        self.end_cell();
        let Some(t) = self.tables.last_mut() else {
            return;
        };
        if t.row.is_none() {
            t.row = Some(Row { cells: Vec::new(), line, layout: false });
        }
        let colspan = colspan.clamp(1, self.limits.max_cols);
        let rowspan = rowspan.clamp(1, self.limits.max_span);
        let mut text = String::new();
        if continues_above
            && let Some(row) = t.row.as_ref()
            && let Some(above) = t.above.get(row.cells.len())
        {
            text.clone_from(above);
        }
        t.cell = Some(Cell { text, colspan, rowspan });
    }

    pub(crate) fn end_cell(&mut self) {
        if self.ignored_depth > 0 {
            return;
        }
        let limits = self.limits;
        let Some(t) = self.tables.last_mut() else { return };
        let Some(cell) = t.cell.take() else { return };
        let Some(row) = t.row.as_mut() else { return };
        place_carries(&t.carries, &mut row.cells);
        let col = row.cells.len();
        // Copies of a spanning cell are paid for like any text.
        let copies = (cell.rowspan - 1) as u64;
        let cost = (cell.text.len() as u64).saturating_mul(copies);
        self.cells = self.cells.saturating_add(cell.colspan as u64 * cell.rowspan as u64);
        self.text = self.text.saturating_add(cost);
        if self.cells > limits.max_cells || self.text > limits.max_text {
            self.over.get_or_insert_with(|| "单元格数量或文字总量超过上限".into());
            return;
        }
        if col >= limits.max_cols {
            // Join what does not fit into the last column rather than growing the row.
            if let Some(last) = row.cells.last_mut() {
                last.push('\n');
                last.push_str(&cell.text);
            }
            return;
        }
        if cell.rowspan > 1 {
            if t.carries.len() < col + 1 {
                t.carries.resize(col + 1, None);
            }
            t.carries[col] = Some(Carry {
                text: cell.text.clone(),
                rows_left: cell.rowspan - 1,
                cols: cell.colspan,
                fresh: true,
            });
        }
        row.cells.push(cell.text);
        for _ in 1..cell.colspan {
            if row.cells.len() >= limits.max_cols {
                break;
            }
            row.cells.push(String::new());
        }
    }

    /// The blocks read, or why the file was refused.
    pub(crate) fn finish(mut self) -> Result<Vec<Block>, ImportError> {
        while !self.tables.is_empty() || self.ignored_depth > 0 {
            self.end_table();
        }
        self.flush_para();
        if let Some(why) = self.over {
            return Err(ImportError::TooComplex(why));
        }
        Ok(self.blocks)
    }
}

/// Fill the columns covered by spans from rows above, from the row's current end on, as
/// long as a span covers the next column.
fn place_carries(carries: &[Option<Carry>], cells: &mut Vec<String>) {
    loop {
        let Some(Some(k)) = carries.get(cells.len()) else { return };
        if k.fresh {
            return;
        }
        // The top-left cell's text goes on; the rest of a wide span stays empty.
        cells.push(k.text.clone());
        for _ in 1..k.cols {
            cells.push(String::new());
        }
    }
}

/// A row of a structured file as the text readers give it: a row with a single non-empty
/// cell that is not a serial is a loose line (a title or sub-title spanning the table).
pub(crate) fn push_row(blocks: &mut Vec<Block>, cells: Vec<String>, line: u32) {
    let non_empty: Vec<&String> = cells.iter().filter(|c| !c.trim().is_empty()).collect();
    match non_empty.len() {
        0 => {}
        1 if parse_serial(non_empty[0]).is_none() => {
            let text = non_empty[0].trim().to_string();
            blocks.push(Block::Loose(SourceLine { line, text }));
        }
        _ => blocks.push(Block::Row(RawRow { cells, line })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(blocks: &[Block]) -> Vec<Vec<String>> {
        blocks
            .iter()
            .filter_map(|b| match b {
                Block::Row(r) => Some(r.cells.clone()),
                Block::Loose(_) => None,
            })
            .collect()
    }

    fn lim() -> Limits {
        Limits::new(1_000_000, 10_000_000)
    }

    fn cell(b: &mut Builder, text: &str, colspan: usize, rowspan: usize) {
        b.start_cell(colspan, rowspan, false, 1);
        b.text(text, 1);
    }

    #[test]
    fn a_rowspan_copies_the_cell_into_the_rows_it_covers() {
        let mut b = Builder::new(lim());
        b.start_table();
        b.start_row(1);
        cell(&mut b, "1", 1, 2);
        cell(&mut b, "行政处罚", 1, 1);
        cell(&mut b, "甲", 1, 1);
        b.start_row(2);
        cell(&mut b, "行政检查", 1, 1);
        cell(&mut b, "乙", 1, 1);
        b.end_table();
        let r = rows(&b.finish().unwrap());
        assert_eq!(r[1], vec!["1", "行政检查", "乙"]);
    }

    #[test]
    fn a_colspan_leaves_the_covered_columns_empty() {
        let mut b = Builder::new(lim());
        b.start_table();
        b.start_row(1);
        cell(&mut b, "a", 2, 1);
        cell(&mut b, "b", 1, 1);
        b.end_table();
        assert_eq!(rows(&b.finish().unwrap())[0], vec!["a", "", "b"]);
    }

    #[test]
    fn a_span_over_a_million_rows_costs_only_the_rows_that_exist() {
        let mut b = Builder::new(Limits::new(1000, 1_000_000));
        b.start_table();
        b.start_row(1);
        cell(&mut b, "x", 1, usize::MAX);
        cell(&mut b, "y", usize::MAX, 1);
        assert!(b.finish().is_err());
    }

    #[test]
    fn tables_nested_beyond_the_limit_are_read_as_text() {
        let mut b = Builder::new(lim());
        for _ in 0..10_000 {
            b.start_table();
            b.start_row(1);
            b.start_cell(1, 1, false, 1);
        }
        b.text("深处", 1);
        assert!(b.finish().is_ok());
    }
}
