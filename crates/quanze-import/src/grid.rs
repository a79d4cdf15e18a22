//! Readers: text or a workbook → a grid of raw rows and loose lines, in document order.
//!
//! Readers know nothing about what the columns mean beyond recognising header rows (the
//! cell-per-line layout needs them to find where rows begin). Cells keep their text as
//! printed; HTML and white space are cleaned later.

use quanze_model::SourceLine;

use crate::columns::{Column, Field, header_columns, is_category_label, parse_serial};
// The crate root reads the grid it gets back through this module.
pub(crate) use crate::rows::{Block, Grid, RawRow};

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
    // Lines holding one cell closed by a pipe ("抽查类别 |"): a table drawn a cell a line.
    let mut closed_cells = 0usize;
    let mut filled = 0usize;
    for l in &ls {
        let t = l.trim();
        if !t.is_empty() {
            filled += 1;
            if t.len() > 1 && t.ends_with('|') && t.matches('|').count() == 1 {
                closed_cells += 1;
            }
        }
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
    // A table written a cell a line, each closed by a pipe, is a pipe table too.
    let piped = pipes >= 2 || (closed_cells >= 3 && closed_cells * 2 >= filled);
    if tab_lines == 0 && !piped {
        if let Some(grid) = read_spaced(&ls) {
            return Some(grid);
        }
        if let Some(grid) = read_line_per_cell(&ls) {
            return Some(grid);
        }
        if let Some(grid) = crate::runtogether::read_run_together(&ls) {
            return Some(grid);
        }
        if let Some(grid) = crate::form::read_form(&ls) {
            return Some(grid);
        }
    }
    if tab_lines >= 3 && one_leading_tab * 10 >= tab_lines * 8 {
        return Some(read_cell_per_line(&ls));
    }
    if multi_tab >= 2 {
        return Some(read_tsv(&ls));
    }
    if piped {
        if let Some(grid) = read_boxed(&ls) {
            return Some(grid);
        }
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

/// Columns separated by single spaces, as a web page's table reads when copied as plain
/// text: a header whose words are nearly all column names, then rows that start with a
/// serial and hold about as many words as the header; lines between continue the last
/// cell (the numbered clauses of 追责情形 wrap onto their own lines).
fn read_spaced(ls: &[&str]) -> Option<Grid> {
    let words = |l: &str| -> Vec<String> { l.split_whitespace().map(str::to_string).collect() };
    let header_at = ls.iter().position(|l| {
        let w = words(l);
        let known = w.iter().filter(|c| crate::columns::field_of_header(c).is_some()).count();
        w.len() >= 4 && known * 2 >= w.len() && header_columns(&w).is_some()
    })?;
    let width = words(ls[header_at]).len();
    let mut blocks: Vec<Block> = ls[..header_at]
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| loose(i, l))
        .collect();
    blocks.push(Block::Row(RawRow { cells: words(ls[header_at]), line: line_no(header_at) }));
    let mut pending: Option<RawRow> = None;
    for (i, l) in ls.iter().enumerate().skip(header_at + 1) {
        let w = words(l);
        let starts_row = w.first().is_some_and(|c| parse_serial(c).is_some()) && w.len() * 2 >= width;
        if starts_row {
            if let Some(p) = pending.take() {
                blocks.push(Block::Row(p));
            }
            pending = Some(RawRow { cells: join_quoted_statute(w), line: line_no(i) });
        } else if let Some(p) = pending.as_mut()
            && let Some(last) = p.cells.last_mut()
            && !l.trim().is_empty()
        {
            last.push('\n');
            last.push_str(l.trim());
        } else if !l.trim().is_empty() {
            blocks.push(loose(i, l));
        }
    }
    if let Some(p) = pending.take() {
        blocks.push(Block::Row(p));
    }
    Some(Grid { layout: "spaced", blocks })
}

/// The header labels that start at non-blank line `at`, one a line, when they form a
/// header: the number of lines they take.
fn label_run(lines: &[(usize, &str)], at: usize) -> Option<usize> {
    // A header starts with a column name, not with a title above it.
    crate::columns::field_of_header(lines[at].1)?;
    let n = lines[at..]
        .iter()
        .take(40)
        .take_while(|(_, l)| l.chars().count() <= 16 && parse_serial(l).is_none())
        .count();
    // The longest run of labels that is a header, at least three.
    let is_header = |k: usize| {
        let cells: Vec<&str> = lines[at..at + k].iter().map(|(_, l)| *l).collect();
        cells.iter().filter(|c| crate::columns::field_of_header(c).is_some()).count() * 2 >= k
            && header_columns(&cells).is_some()
    };
    // The header whose serial column lines up with the first row's serial (实施主体 before
    // 分序号 means the row's serial is its second line), else the longest.
    let serial_lines_up = |k: usize| {
        let seq_at = lines[at..at + k]
            .iter()
            .position(|(_, l)| crate::columns::field_of_header(l) == Some(Field::Seq))
            .unwrap_or(0);
        lines.get(at + k + seq_at).is_some_and(|(_, l)| parse_serial(l).is_some())
    };
    (3..=n)
        .rev()
        .find(|&k| serial_lines_up(k) && is_header(k))
        .or_else(|| (3..=n).rev().find(|&k| is_header(k)))
}

/// Every cell on its own line (a web page's table copied as text, each cell a paragraph):
/// a header is a run of column names, one a line; a row starts at a line holding only a
/// serial. A row with more lines than columns has one long cell: the split that fits the
/// columns best decides which (the rest take one line each). Title lines right before a
/// header ("从轻或减轻处罚清单", "单位:…") are text, not the last cell of the row above.
fn read_line_per_cell(ls: &[&str]) -> Option<Grid> {
    let lines: Vec<(usize, &str)> =
        ls.iter().enumerate().map(|(i, l)| (i, l.trim())).filter(|(_, l)| !l.is_empty()).collect();
    let first = (0..lines.len()).find(|&k| label_run(&lines, k).is_some())?;
    let mut blocks: Vec<Block> = lines[..first].iter().map(|(i, l)| loose(*i, l)).collect();
    let mut k = first;
    let mut width = 0usize;
    let mut fields: Vec<crate::columns::Field> = Vec::new();
    while k < lines.len() {
        if let Some(n) = label_run(&lines, k) {
            let cells: Vec<String> = lines[k..k + n].iter().map(|(_, l)| (*l).to_string()).collect();
            let cols = header_columns(&cells).unwrap_or_default();
            width = cols.len();
            fields = cols.iter().map(|c| c.field).collect();
            blocks.push(Block::Row(RawRow { cells, line: line_no(lines[k].0) }));
            k += n;
            continue;
        }
        if parse_serial(lines[k].1).is_none() || width < 2 {
            blocks.push(loose(lines[k].0, lines[k].1));
            k += 1;
            continue;
        }
        // Cells printed before the serial (实施主体 | 分序号 | …) are the row's first cells.
        let seq_at = fields.iter().position(|f| *f == Field::Seq).unwrap_or(0);
        let mut lead: Vec<String> = Vec::new();
        while lead.len() < seq_at
            && let Some(Block::Loose(l)) = blocks.last()
        {
            lead.insert(0, l.text.clone());
            blocks.pop();
        }
        // The row's lines: up to the next serial line or the next header.
        let mut end = k + 1;
        while end < lines.len() && parse_serial(lines[end].1).is_none() && label_run(&lines, end).is_none() {
            end += 1;
        }
        // Title lines just before a header belong to the next table.
        let mut body_end = end;
        if end < lines.len() && label_run(&lines, end).is_some() {
            while body_end > k + 1 && is_table_title(lines[body_end - 1].1) {
                body_end -= 1;
            }
        }
        // The next row's cells before its serial are not this row's.
        if seq_at > 0 && end < lines.len() && parse_serial(lines[end].1).is_some() {
            body_end = body_end.min(end.saturating_sub(seq_at).max(k + 1));
        }
        let body: Vec<&str> = lines[k + 1..body_end].iter().map(|(_, l)| *l).collect();
        let mut cells = lead;
        cells.push(lines[k].1.to_string());
        let after_seq = (cells.len()).min(fields.len());
        cells.extend(split_cells(&body, &fields[after_seq..]));
        blocks.push(Block::Row(RawRow { cells, line: line_no(lines[k].0) }));
        for (i, l) in &lines[body_end..end] {
            blocks.push(loose(*i, l));
        }
        k = end;
    }
    Some(Grid { layout: "line-per-cell", blocks })
}

fn is_table_title(l: &str) -> bool {
    let n = l.chars().count();
    n <= 60 && (l.contains("清单") || l.contains("目录") || l.starts_with("单位"))
}

/// Lines into as many cells as there are columns: one cell may take several lines, the
/// one whose split fits the columns best.
fn split_cells(body: &[&str], fields: &[crate::columns::Field]) -> Vec<String> {
    let w = fields.len();
    if body.len() <= w || w == 0 {
        return body.iter().map(|l| (*l).to_string()).collect();
    }
    let extra = body.len() - w;
    let cells_for = |long: usize| -> Vec<String> {
        let mut out: Vec<String> = body[..long].iter().map(|l| (*l).to_string()).collect();
        out.push(body[long..=long + extra].join("\n"));
        out.extend(body[long + extra + 1..].iter().map(|l| (*l).to_string()));
        out
    };
    let best = (0..w)
        .max_by_key(|&long| {
            let cells = cells_for(long);
            let score: i32 = cells
                .iter()
                .zip(fields)
                .map(|(c, f)| {
                    // Names, types and bodies are one line; long text is conditions or duties.
                    let short_field = matches!(
                        f,
                        Field::Seq
                            | Field::Category
                            | Field::Name
                            | Field::Code
                            | Field::Subject
                            | Field::Office
                            | Field::Level
                    );
                    crate::columns::fit(*f, c) - if short_field && c.contains('\n') { 4 } else { 0 }
                })
                .sum();
            // Ties go to the earliest long cell.
            (score, std::cmp::Reverse(long))
        })
        .unwrap_or(0);
    cells_for(best)
}

/// A statute's words printed after its citation in the same cell ("《…》第十五条 有下列行为
/// 之一的，由…部门责令…罚款") are one cell, not two: the space is not a column break.
fn join_quoted_statute(words: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    for w in words {
        if let Some(prev) = out.last_mut()
            && prev.contains('》')
            && crate::columns::reads_like_statute_text(&w)
        {
            prev.push(' ');
            prev.push_str(&w);
            continue;
        }
        out.push(w);
    }
    out
}

/// `| a | b |` tables (Markdown-like) and bare `a|b|c` rows.
///
/// Text copied from a web page wraps long cells, header cells too ("抽查\n类别 |"): a line
/// without a pipe continues the cell before it, and a header whose cells were each put on
/// their own line is joined until the first data row (a line starting with a serial).
fn read_pipe(ls: &[&str]) -> Grid {
    /// A row being read, possibly over several lines.
    struct Pending {
        row: RawRow,
        /// The last line ended with a pipe: a line that follows starts a new cell.
        closed: bool,
        /// Every line so far held one or two cells: a header written cell by cell.
        narrow: bool,
    }
    let mut blocks = Vec::new();
    let mut pending: Option<Pending> = None;
    // Columns of the last header, to know when a wrapped row is complete.
    let mut width = 0usize;
    for (i, l) in ls.iter().enumerate() {
        let t = l.trim();
        let pipes = t.matches('|').count();
        if pipes >= 1 && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '+')) {
            continue;
        }
        let cells = pipe_cells(t);
        let starts_data = pipes >= 1 && cells.first().is_some_and(|c| parse_serial(c).is_some());
        if let Some(p) = pending.as_mut()
            && !t.is_empty()
        {
            let labels = p.row.cells.iter().all(|c| c.trim().chars().count() <= 16);
            let wrapped_header = width == 0 && p.narrow && labels && !starts_data && pipes <= 2;
            // A row written cell by cell ("1 |", then a cell a line) goes on until it has
            // as many cells as the header; a row printed on one line is complete.
            let short_row = width > 0
                && !starts_data
                && (p.row.cells.len() * 2 < width || (p.narrow && pipes <= 2 && p.row.cells.len() < width));
            // A cell that wrapped before its pipe: the next line opens the row's next cell.
            let next_cell =
                width > 0 && !starts_data && !p.closed && t.starts_with('|') && p.row.cells.len() < width;
            if pipes == 0 || wrapped_header || short_row || next_cell {
                join_pipe_cells(&mut p.row.cells, cells, p.closed || t.starts_with('|'));
                p.closed = t.ends_with('|');
                p.narrow &= pipes <= 2;
                continue;
            }
        }
        if let Some(mut p) = pending.take() {
            if let Some(cols) = header_columns(&p.row.cells) {
                width = cols.len();
                if p.narrow {
                    // A label wrapped in its cell ("抽查\n类别") is one word.
                    p.row.cells.iter_mut().for_each(|c| c.retain(|ch| ch != '\n'));
                }
            }
            blocks.push(Block::Row(p.row));
        }
        if pipes >= 2 || (pipes == 1 && t.ends_with('|')) {
            let row = RawRow { cells, line: line_no(i) };
            pending = Some(Pending { row, closed: t.ends_with('|'), narrow: pipes <= 2 });
        } else if !t.is_empty() {
            blocks.push(loose(i, l));
        }
    }
    if let Some(p) = pending.take() {
        blocks.push(Block::Row(p.row));
    }
    Grid { layout: "pipe", blocks }
}

/// A table copied from a page that draws every cell as a box: each cell's text on its own
/// line(s) closed by " |" (a lone "|" closes a cell whose text ran over lines), each row
/// closed by a line of pipes only ("||||"). A row with one filled cell is a title inside the
/// table ("执法主体1：某某县医疗保障局"). `None` unless the text is drawn this way.
fn read_boxed(ls: &[&str]) -> Option<Grid> {
    let lone = ls.iter().filter(|l| l.trim() == "|").count();
    let closing = ls.iter().filter(|l| l.trim().len() >= 2 && l.trim().chars().all(|c| c == '|')).count();
    let wide =
        ls.iter().filter(|l| l.matches('|').count() >= 3 && !l.trim().chars().all(|c| c == '|')).count();
    if lone < 2 || closing < 2 || wide * 4 > closing {
        return None;
    }
    let mut blocks = Vec::new();
    let mut cells: Vec<String> = Vec::new();
    let mut open: Option<String> = None;
    let mut row_line = 0usize;
    let flush = |cells: &mut Vec<String>,
                 open: &mut Option<String>,
                 row_line: usize,
                 blocks: &mut Vec<Block>| {
        if let Some(t) = open.take() {
            cells.push(t);
        }
        let filled: Vec<&String> = cells.iter().filter(|c| !c.trim().is_empty()).collect();
        match filled.len() {
            0 => {}
            1 if parse_serial(filled[0]).is_none() => blocks.push(loose(row_line, filled[0])),
            _ => blocks.push(Block::Row(RawRow { cells: std::mem::take(cells), line: line_no(row_line) })),
        }
        cells.clear();
    };
    for (i, l) in ls.iter().enumerate() {
        let t = l.trim();
        if t.is_empty() {
            continue;
        }
        if cells.is_empty() && open.is_none() {
            row_line = i;
        }
        if t.chars().all(|c| c == '|') {
            if t.len() == 1 {
                cells.push(open.take().unwrap_or_default());
            } else {
                flush(&mut cells, &mut open, row_line, &mut blocks);
            }
            continue;
        }
        let (text, closed) = match t.strip_suffix('|') {
            Some(rest) => (rest.trim(), true),
            None => (t, false),
        };
        let cell = open.get_or_insert_with(String::new);
        if !cell.is_empty() {
            cell.push('\n');
        }
        cell.push_str(text);
        if closed {
            cells.push(open.take().unwrap_or_default());
        }
    }
    flush(&mut cells, &mut open, row_line, &mut blocks);
    blocks.iter().any(|b| matches!(b, Block::Row(_))).then_some(Grid { layout: "pipe", blocks })
}

/// The cells of one pipe line: the outer pipes are borders, not empty cells.
fn pipe_cells(t: &str) -> Vec<String> {
    let inner = t.strip_prefix('|').unwrap_or(t);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    inner.split('|').map(|c| c.trim().to_string()).collect()
}

/// Join the next line's cells to a row: unless the row's last cell was closed by a pipe,
/// the line's first piece continues that cell ("抽查" + "类别 |").
fn join_pipe_cells(row: &mut Vec<String>, next: Vec<String>, new_cell: bool) {
    let mut it = next.into_iter();
    if new_cell {
        row.extend(it);
        return;
    }
    if let (Some(first), Some(last)) = (it.next(), row.last_mut()) {
        if last.is_empty() {
            *last = first;
        } else if !first.is_empty() {
            last.push('\n');
            last.push_str(&first);
        }
    }
    row.extend(it);
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
