//! Grid → catalog: headers, summary tables, contact rows, declared totals, and the
//! placement of each row's cells into the fields of a [`PowerItem`].

use std::collections::BTreeMap;

use quanze_model::{
    Accountability, Category, Contact, Deadline, Declared, DeclaredCount, Diagnostic, DiagnosticCode,
    LegalBasis, PowerItem, Responsibilities, Service, SourceLine, SummaryEntry,
};
use quanze_parse::{
    citation::parse_citations, clause::parse_accountability, deadline::parse_deadline, numeral::parse_number,
    stage::parse_stages, text::strip_html,
};

use crate::columns::{
    Column, Field, fit, header_columns, is_subheader_row, parse_serial, reads_like_statute_items,
    reads_like_statute_text,
};
use crate::rows::{Block, Grid};

/// What the assembler found besides the items.
pub(crate) struct Assembled {
    pub items: Vec<PowerItem>,
    pub declared: Declared,
    pub contacts: Vec<Contact>,
    pub unassigned: Vec<SourceLine>,
    pub titles: Vec<SourceLine>,
    /// Distinct header rows as printed.
    pub headers: Vec<SourceLine>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(PartialEq)]
enum TableKind {
    Summary,
    Detail,
}

struct State {
    header: Option<Vec<Column>>,
    kind: TableKind,
    summary_category: Option<Category>,
    /// Unknown columns already reported: lists repeat their header before every row.
    unknown_reported: std::collections::HashSet<String>,
    /// The previous data row's cells, for rows under a cell merged down (rowspan).
    prev_cells: Option<Vec<String>>,
    out: Assembled,
}

/// Clean one cell: HTML fragments become text, white space at the ends goes, blank-line
/// runs collapse. Interior text is kept as printed.
pub(crate) fn clean_cell(raw: &str) -> String {
    let text = strip_html(raw);
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    for line in text.split('\n') {
        let line = line.trim_end_matches(['\r', ' ', '\t', '\u{3000}']);
        if line.trim().is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
            if blank_run > 0 {
                out.push('\n');
            }
        }
        blank_run = 0;
        out.push_str(line);
    }
    out.trim().to_string()
}

pub(crate) fn assemble(grid: Grid, progress: Option<&(dyn Fn(u64, u64) + Send + Sync)>) -> Assembled {
    let total_blocks = grid.blocks.len() as u64;
    let mut done = 0u64;
    let mut st = State {
        header: None,
        kind: TableKind::Detail,
        summary_category: None,
        unknown_reported: std::collections::HashSet::new(),
        prev_cells: None,
        out: Assembled {
            items: Vec::new(),
            declared: Declared::default(),
            contacts: Vec::new(),
            unassigned: Vec::new(),
            titles: Vec::new(),
            headers: Vec::new(),
            diagnostics: Vec::new(),
        },
    };
    let mut blocks = grid.blocks;
    let mut pending_contact: Vec<SourceLine> = Vec::new();
    let mut at = 0usize;
    // Where the last header of a detail table is, found once when a summary-like header
    // asks (a list with a header before every row must not rescan the rest each time).
    let mut last_detail_header: Option<Option<usize>> = None;
    while at < blocks.len() {
        let block =
            std::mem::replace(&mut blocks[at], Block::Loose(SourceLine { line: 0, text: String::new() }));
        at += 1;
        done += 1;
        if let Some(report) = progress
            && (done.is_multiple_of(4096) || done == total_blocks)
        {
            report(done, total_blocks);
        }
        match block {
            Block::Loose(sl) => {
                let text = clean_cell(&sl.text);
                if text.is_empty() {
                    continue;
                }
                if is_contact_text(&text) || (!pending_contact.is_empty() && is_phone_only(&text)) {
                    pending_contact.push(SourceLine { line: sl.line, text });
                    continue;
                }
                flush_contact(&mut st, &mut pending_contact);
                loose_line(&mut st, SourceLine { line: sl.line, text });
            }
            Block::Row(row) => {
                flush_contact(&mut st, &mut pending_contact);
                let cells: Vec<String> = row.cells.iter().map(|c| clean_cell(c)).collect();
                if let Some(mut cols) = header_columns(&cells) {
                    let mut consumed_sub = None;
                    if let Some(Block::Row(next)) = blocks.get(at) {
                        let next_cells: Vec<String> = next.cells.iter().map(|c| clean_cell(c)).collect();
                        if is_subheader_row(&next_cells) {
                            merge_subheader(&mut cols, &next_cells);
                            consumed_sub = Some(next.cells.clone());
                            at += 1;
                        } else if let Some(g) = group_subheader(&cols, &next_cells) {
                            expand_group(&mut cols, g, &next_cells);
                            consumed_sub = Some(next.cells.clone());
                            at += 1;
                        }
                    }
                    let printed = header_text(&row.cells, consumed_sub.as_deref());
                    if !st.out.headers.iter().any(|h| h.text == printed) {
                        st.out.headers.push(SourceLine { line: row.line, text: printed });
                    }
                    let last_detail =
                        *last_detail_header.get_or_insert_with(|| last_detail_header_at(&blocks));
                    let detail_follows = last_detail.is_some_and(|d| d >= at);
                    start_table(&mut st, cols, row.line, detail_follows);
                    continue;
                }
                data_row(&mut st, cells, row.line, &mut pending_contact);
            }
        }
    }
    flush_contact(&mut st, &mut pending_contact);
    st.out
}

/// The index of the last header of a detail table (one with more than a summary's
/// columns) in the grid.
fn last_detail_header_at(blocks: &[Block]) -> Option<usize> {
    blocks.iter().rposition(|b| match b {
        Block::Row(r) => {
            let cells: Vec<String> = r.cells.iter().map(|c| clean_cell(c)).collect();
            header_columns(&cells).is_some_and(|cols| !is_summary_header(&cols))
        }
        Block::Loose(_) => false,
    })
}

/// A header row (and its second row) as printed: cells joined by tabs.
fn header_text(cells: &[String], sub: Option<&[String]>) -> String {
    let mut t = cells.iter().map(|c| c.trim()).collect::<Vec<_>>().join("\t");
    if let Some(sub) = sub {
        t.push('\n');
        t.push_str(&sub.iter().map(|c| c.trim()).collect::<Vec<_>>().join("\t"));
    }
    t
}

/// A header of a summary table (统计表): a few columns, no basis, duties or subject.
fn is_summary_header(cols: &[Column]) -> bool {
    let has = |f: Field| cols.iter().any(|c| c.field == f);
    !has(Field::LegalBasis)
        && !has(Field::Responsibilities)
        && !has(Field::Accountability)
        && !has(Field::Subject)
        && cols.iter().filter(|c| !c.label.is_empty()).count() <= 4
}

/// Start a table under a header; `detail_follows` says whether a detail table comes later.
fn start_table(st: &mut State, cols: Vec<Column>, line: u32, detail_follows: bool) {
    // A short table is a summary only when a detail table follows it; otherwise it is the
    // list itself (a 随机抽查事项清单 of 序号, 职权名称, 行使层级).
    let summary = is_summary_header(&cols) && detail_follows;
    st.kind = if summary { TableKind::Summary } else { TableKind::Detail };
    if st.kind == TableKind::Detail {
        for c in &cols {
            if c.field == Field::Extra && !c.label.is_empty() && st.unknown_reported.insert(c.label.clone()) {
                st.out.diagnostics.push(
                    Diagnostic::info(
                        DiagnosticCode::UnknownColumn,
                        format!("「{}」列不属于规范模型，其内容保存在 extra 中", c.label),
                    )
                    .at_line(Some(line)),
                );
            }
        }
    }
    st.header = Some(cols);
}

/// A second header row printed without the empty cells under the columns it does not
/// split ("抽查类别 | 抽查事项(内容)" under "抽查项目"): the header column it splits is the
/// one whose label starts like the first sub-label.
fn group_subheader(cols: &[Column], sub: &[String]) -> Option<usize> {
    let labels: Vec<&str> = sub.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).collect();
    if labels.len() < 2
        || labels.iter().any(|l| l.chars().count() > 16 || parse_serial(l).is_some())
        || !labels.iter().any(|l| crate::columns::field_of_header(l).is_some())
    {
        return None;
    }
    let key = |s: &str| -> Vec<char> { s.chars().filter(|c| !c.is_whitespace()).collect() };
    let first = key(labels[0]);
    cols.iter()
        .enumerate()
        .filter(|(_, c)| matches!(c.field, Field::Extra | Field::Name))
        .map(|(i, c)| (i, key(&c.label).iter().zip(&first).take_while(|(a, b)| a == b).count()))
        .filter(|(_, n)| *n >= 2)
        .max_by_key(|(_, n)| *n)
        .map(|(i, _)| i)
}

/// Replace the split column by the columns of the second header row.
fn expand_group(cols: &mut Vec<Column>, at: usize, sub: &[String]) {
    let parent = cols[at].label.clone();
    let new: Vec<Column> = sub
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .map(|l| Column {
            field: crate::columns::field_of_header(l).unwrap_or(Field::Extra),
            label: format!("{parent}/{l}"),
        })
        .collect();
    cols.splice(at..=at, new);
}

fn merge_subheader(cols: &mut Vec<Column>, sub: &[String]) {
    for (i, s) in sub.iter().enumerate() {
        let s = s.trim();
        if s.is_empty() {
            continue;
        }
        let f = crate::columns::field_of_header(s).unwrap_or(Field::Extra);
        match cols.get_mut(i) {
            Some(c) if c.label.is_empty() => {
                c.field = f;
                c.label = s.to_string();
            }
            Some(c) => {
                // 事项名称 over 项目 stays the name; a known sub-label refines an unknown parent.
                if c.field == Field::Extra {
                    c.field = f;
                }
                c.label = format!("{}/{}", c.label, s);
            }
            None => cols.push(Column { field: f, label: s.to_string() }),
        }
    }
}

fn is_contact_text(t: &str) -> bool {
    let t = t.trim_start();
    ["服务机构", "服务电话", "服务地点", "咨询电话", "监督电话", "办理地点"].iter().any(|k| t.starts_with(k))
}

fn is_phone_only(t: &str) -> bool {
    let t = t.trim();
    !t.is_empty()
        && t.chars().count() <= 40
        && t.chars().all(|c| c.is_ascii_digit() || " -—、，,;；()（）转".contains(c))
        && t.chars().filter(|c| c.is_ascii_digit()).count() >= 7
}

fn flush_contact(st: &mut State, pending: &mut Vec<SourceLine>) {
    if pending.is_empty() {
        return;
    }
    let line = pending.first().map(|l| l.line);
    let text = pending.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join("\n");
    pending.clear();
    let contact = parse_contact(&text, line, st.out.items.last());
    attach_service(st, &contact);
    st.out.contacts.push(contact);
}

/// Split "服务机构：X 服务电话：A B 服务地点：Y" into its parts.
fn parse_contact(text: &str, line: Option<u32>, after: Option<&PowerItem>) -> Contact {
    const LABELS: [&str; 6] = ["服务机构", "服务电话", "服务地点", "咨询电话", "监督电话", "办理地点"];
    let mut marks: Vec<(usize, &str)> = Vec::new();
    for l in LABELS {
        let mut from = 0;
        while let Some(i) = text[from..].find(l) {
            marks.push((from + i, l));
            from += i + l.len();
        }
    }
    marks.sort();
    let mut office = None;
    let mut location = None;
    let mut phones = Vec::new();
    for (k, (start, label)) in marks.iter().enumerate() {
        let end = marks.get(k + 1).map_or(text.len(), |m| m.0);
        let value = text[start + label.len()..end].trim_start_matches(['：', ':', ' ']).trim();
        match *label {
            "服务机构" => office = Some(value.to_string()).filter(|v| !v.is_empty()),
            "服务地点" | "办理地点" => location = Some(value.to_string()).filter(|v| !v.is_empty()),
            _ => phones.extend(
                value
                    .split(|c: char| c.is_whitespace() || "、，,;；".contains(c))
                    .filter(|p| p.chars().filter(char::is_ascii_digit).count() >= 7)
                    .map(str::to_string),
            ),
        }
    }
    Contact { office, phones, location, text: text.to_string(), item: after.and_then(|it| it.seq), line }
}

/// A contact row that follows an item is that item's service information, unless the
/// item has its own service columns.
fn attach_service(st: &mut State, contact: &Contact) {
    if let Some(item) = st.out.items.last_mut()
        && item.service.is_none()
    {
        item.service = Some(Service {
            location: contact.location.clone(),
            phone: Some(contact.phones.join("、")).filter(|p| !p.is_empty()),
        });
    }
}

/// A line outside the table: a title, a count statement, a unit line, or other text.
fn loose_line(st: &mut State, sl: SourceLine) {
    let t = sl.text.trim_start_matches(['#', ' ']).trim();
    if let Some((cats, total)) = count_statement(t) {
        if st.out.declared.total.is_none() {
            st.out.declared.total = total;
        }
        if st.out.declared.categories.is_none() {
            st.out.declared.categories = cats;
        }
        st.out.declared.statements.push(sl.clone());
        // A title may carry the count: keep treating it as a title too.
        if !is_title(t) {
            st.out.unassigned.push(sl);
            return;
        }
    }
    if is_title(t) && st.out.items.is_empty() {
        st.out.titles.push(SourceLine { line: sl.line, text: t.to_string() });
    }
    st.out.unassigned.push(sl);
}

fn is_title(t: &str) -> bool {
    t.chars().count() <= 80 && ["清单", "目录", "体系", "统计表", "一览表"].iter().any(|k| t.contains(k))
}

/// "（共7类、45项）", "共七类45项", "类(17)项", "共45项" → (types, items).
pub(crate) fn count_statement(t: &str) -> Option<(Option<u32>, Option<u32>)> {
    let folded = quanze_parse::text::fold_width(t);
    let s = folded.as_ref();
    let num_before = |s: &str, end: usize| -> Option<u32> {
        let head = &s[..end];
        let digits: String = head
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_digit() || "零〇一二两三四五六七八九十百千".contains(*c))
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        parse_number(&digits)
    };
    if let Some(i) = s.find("类(") {
        let rest = &s[i + "类(".len()..];
        if let Some(j) = rest.find(")项") {
            return parse_number(&rest[..j]).map(|n| (None, Some(n)));
        }
    }
    let gong = s.find('共')?;
    let rest = &s[gong + '共'.len_utf8()..];
    let cats = rest.find('类').and_then(|i| num_before(rest, i));
    let items = rest.find('项').and_then(|i| num_before(rest, i));
    if cats.is_none() && items.is_none() {
        return None;
    }
    Some((cats, items))
}

/// "二、行政处罚（7项）" → (行政处罚, 7).
fn group_heading(t: &str) -> Option<(String, Category, u32)> {
    let folded = quanze_parse::text::fold_width(t);
    let s = folded.trim();
    let after_num =
        s.trim_start_matches(|c: char| "零〇一二两三四五六七八九十百".contains(c) || c.is_ascii_digit());
    if after_num.len() == s.len() {
        return None;
    }
    let body = after_num.strip_prefix('、').or_else(|| after_num.strip_prefix('.'))?;
    let open = body.find('(')?;
    let label = body[..open].trim();
    let inner = &body[open + 1..];
    let close = inner.find(')')?;
    let count = parse_number(inner[..close].trim().trim_end_matches('项').trim())?;
    let category = Category::from_label(label).map(|m| m.category())?;
    Some((label.to_string(), category, count))
}

fn data_row(st: &mut State, cells: Vec<String>, line: u32, pending_contact: &mut Vec<SourceLine>) {
    let non_empty: Vec<&String> = cells.iter().filter(|c| !c.is_empty()).collect();
    if non_empty.is_empty() {
        return;
    }
    let first = non_empty[0].as_str();
    if is_contact_text(first) {
        let text = non_empty.iter().map(|c| c.as_str()).collect::<Vec<_>>().join("\n");
        pending_contact.push(SourceLine { line, text });
        flush_contact(st, pending_contact);
        return;
    }
    if let Some((label, category, count)) = group_heading(first) {
        st.summary_category = Some(category);
        st.out.declared.by_category.push(DeclaredCount { category, label, count, line: Some(line) });
        st.out.declared.statements.push(SourceLine { line, text: first.to_string() });
        return;
    }
    if first == "合计" || first == "总计" {
        if let Some(n) = non_empty.get(1).and_then(|c| parse_number(c.trim_end_matches('项').trim())) {
            st.out.declared.total = Some(n);
        }
        st.out.declared.statements.push(SourceLine {
            line,
            text: non_empty.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(" "),
        });
        return;
    }
    let Some(header) = st.header.clone() else {
        // Rows before any header: keep their text.
        let text = non_empty.iter().map(|c| c.as_str()).collect::<Vec<_>>().join("\t");
        loose_line(st, SourceLine { line, text });
        return;
    };
    if non_empty.len() == 1 && parse_serial(first).is_none() {
        loose_line(st, SourceLine { line, text: first.to_string() });
        return;
    }
    if st.kind == TableKind::Summary {
        summary_row(st, &header, &cells, line);
        return;
    }
    let cells = inherit_merged(&header, cells, st.prev_cells.as_deref(), line, &mut st.out.diagnostics);
    st.prev_cells = Some(cells.clone());
    let item = build_item(&header, cells, line, &mut st.out.diagnostics);
    st.out.items.push(item);
}

/// A row short of one or two cells under a row that had them all: a cell of the row above
/// was merged down (rowspan) and the copy lost it, so this row's cells slid left. The
/// missing cells are taken from the row above where that fits the columns best (a
/// serial is left empty rather than repeated), and the finding says which.
fn inherit_merged(
    header: &[Column],
    cells: Vec<String>,
    prev: Option<&[String]>,
    line: u32,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let width = header.iter().rposition(|c| !c.label.is_empty()).map_or(0, |p| p + 1);
    let n = cells.iter().rposition(|c| !c.is_empty()).map_or(0, |p| p + 1);
    let Some(prev) = prev else { return cells };
    let prev_n = prev.iter().rposition(|c| !c.is_empty()).map_or(0, |p| p + 1);
    if n == 0 || n >= width || prev_n < width || width - n > 2 {
        return cells;
    }
    let missing = width - n;
    let score = |row: &[String]| -> i32 { row.iter().zip(header).map(|(c, col)| fit(col.field, c)).sum() };
    let as_is = score(&cells[..n]);
    let mut best: Option<(i32, usize)> = None;
    // A row that starts with its own serial kept its serial: the merged cell came later.
    let from = usize::from(
        header.first().is_some_and(|c| c.field == Field::Seq) && parse_serial(&cells[0]).is_some(),
    );
    for j in from..=n {
        let mut row: Vec<String> = cells[..j].to_vec();
        row.extend(prev[j..j + missing].iter().cloned());
        row.extend(cells[j..n].iter().cloned());
        let s = score(&row);
        if best.is_none_or(|(b, _)| s > b) {
            best = Some((s, j));
        }
    }
    // Only a clearly better fit: a short row may just have empty trailing cells.
    let Some((_, j)) = best.filter(|(s, _)| *s >= as_is + 4) else { return cells };
    let mut row: Vec<String> = cells[..j].to_vec();
    let mut taken = Vec::new();
    for (k, c) in prev[j..j + missing].iter().enumerate() {
        let col = &header[j + k];
        if col.field == Field::Seq {
            row.push(String::new());
        } else {
            taken.push(format!("{}「{}」", col.label, preview(c)));
            row.push(c.clone());
        }
    }
    row.extend(cells[j..n].iter().cloned());
    let what = if taken.is_empty() { "序号".to_string() } else { taken.join("、") };
    diagnostics.push(
        Diagnostic::info(
            DiagnosticCode::MisplacedCell,
            format!("该行少{missing}格，其后各格右移一列：上一行的单元格跨行合并，沿用上一行的{what}"),
        )
        .at_line(Some(line)),
    );
    row
}

fn summary_row(st: &mut State, header: &[Column], cells: &[String], line: u32) {
    let seq_col = header.iter().position(|c| c.field == Field::Seq);
    let seq = seq_col.and_then(|i| cells.get(i)).and_then(|c| parse_serial(c));
    let remarks_col = header.iter().position(|c| c.field == Field::Remarks);
    let name = cells
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != seq_col && Some(*i) != remarks_col)
        .map(|(_, c)| c.as_str())
        .filter(|c| !c.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let remarks = remarks_col.and_then(|i| cells.get(i)).filter(|c| !c.is_empty()).cloned();
    st.out.declared.summary.push(SummaryEntry {
        seq,
        name,
        category: st.summary_category,
        remarks,
        line: Some(line),
    });
}

/// Which column each non-empty cell goes to.
///
/// Position wins unless content clearly says otherwise. The alignment is monotone and
/// rewards continuity: the first cell in its own column, and each next cell keeping the
/// previous cell's offset. A row whose columns drift then pays for the drift once, where
/// it starts, and its later cells follow without further cost. Afterwards, near
/// neighbours whose contents clearly fit each other's columns are swapped back.
/// Swap back near neighbours whose contents clearly fit each other's columns.
fn unswap(idx: &[usize], fits: &[Vec<i32>], placement: &mut [Option<usize>]) {
    let k = idx.len();
    for a in 0..k {
        for b in a + 1..k.min(a + 4) {
            let (ia, ib) = (idx[a], idx[b]);
            let (Some(ca), Some(cb)) = (placement[ia], placement[ib]) else { continue };
            if ca == cb {
                continue;
            }
            let now = fits[a][ca] + fits[b][cb];
            let swapped = fits[a][cb] + fits[b][ca];
            if swapped >= now + 6 {
                placement[ia] = Some(cb);
                placement[ib] = Some(ca);
            }
        }
    }
}

fn place(header: &[Column], cells: &[String]) -> Vec<Option<usize>> {
    const KEEP_OFFSET: i32 = 3;
    const MERGE_PENALTY: i32 = 4;
    let n = header.len();
    let idx: Vec<usize> = (0..cells.len()).filter(|&i| !cells[i].is_empty()).collect();
    let mut placement: Vec<Option<usize>> = vec![None; cells.len()];
    if idx.is_empty() || n == 0 {
        return placement;
    }
    // Fast path, the common case: every cell fits the column it is printed under.
    if idx.iter().all(|&i| i < n && fit(header[i].field, &cells[i]) >= 0) {
        for &i in &idx {
            placement[i] = Some(i);
        }
        return placement;
    }
    let k = idx.len();
    let fits: Vec<Vec<i32>> =
        idx.iter().map(|&i| (0..n).map(|c| fit(header[c].field, &cells[i])).collect()).collect();
    let neg = i32::MIN / 4;
    let mut dp = vec![vec![neg; n]; k];
    let mut back = vec![vec![usize::MAX; n]; k];
    for c in 0..n {
        dp[0][c] = fits[0][c] + if c == idx[0] { KEEP_OFFSET } else { 0 };
    }
    for j in 1..k {
        let gap = idx[j] - idx[j - 1];
        for c in 0..n {
            let mut best = neg;
            let mut from = usize::MAX;
            for (p, &prev) in dp[j - 1].iter().enumerate().take(c + 1) {
                if prev <= neg {
                    continue;
                }
                let trans = if p == c {
                    -MERGE_PENALTY
                } else if c - p == gap {
                    KEEP_OFFSET
                } else {
                    0
                };
                let v = prev + trans;
                if v > best {
                    best = v;
                    from = p;
                }
            }
            if from != usize::MAX {
                dp[j][c] = best + fits[j][c];
                back[j][c] = from;
            }
        }
    }
    let mut col = (0..n).max_by_key(|&c| (dp[k - 1][c], std::cmp::Reverse(c))).unwrap_or(0);
    for j in (0..k).rev() {
        placement[idx[j]] = Some(col);
        if j > 0 {
            col = back[j][col];
            if col == usize::MAX {
                break;
            }
        }
    }
    // Compare with the positional reading, its swapped neighbours put back: the aligned
    // reading must be clearly better to win.
    let mut positional: Vec<Option<usize>> =
        (0..cells.len()).map(|i| (!cells[i].is_empty()).then_some(i.min(n - 1))).collect();
    unswap(&idx, &fits, &mut positional);
    let total = |p: &[Option<usize>]| -> i32 {
        let mut sum = 0;
        let mut prev = None;
        for (j, &i) in idx.iter().enumerate() {
            if let Some(c) = p[i] {
                sum += fits[j][c];
                if prev == Some(c) {
                    sum -= MERGE_PENALTY;
                }
                prev = Some(c);
            }
        }
        sum
    };
    if total(&placement) < total(&positional) + MERGE_PENALTY {
        placement = positional;
    }
    placement
}

#[derive(Default)]
struct Slots {
    by_field: BTreeMap<FieldKey, String>,
    extra: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct FieldKey(u8);

fn key(f: Field) -> FieldKey {
    FieldKey(f as u8)
}

impl Slots {
    fn put(&mut self, f: Field, text: &str) {
        let slot = self.by_field.entry(key(f)).or_default();
        if !slot.is_empty() {
            slot.push('\n');
        }
        slot.push_str(text);
    }
    fn take(&mut self, f: Field) -> Option<String> {
        self.by_field.remove(&key(f)).filter(|s| !s.is_empty())
    }
}

fn build_item(header: &[Column], cells: Vec<String>, line: u32, diags: &mut Vec<Diagnostic>) -> PowerItem {
    let placement = place(header, &cells);
    let mut slots = Slots::default();
    let mut moves = Vec::new();
    let mut overflow = Vec::new();
    for (i, cell) in cells.iter().enumerate() {
        let Some(col) = placement[i] else { continue };
        if col != i {
            let under = header.get(i).map_or_else(|| format!("第{}列", i + 1), |c| col_name(c, i));
            moves.push(format!("「{}」→{}（印在{}下）", preview(cell), col_name(&header[col], col), under));
        }
        if i >= header.len() && col == header.len() - 1 {
            overflow.push(preview(cell));
        }
        let column = &header[col];
        match column.field {
            Field::Extra => {
                let label = col_name(column, col);
                let slot = slots.extra.entry(label).or_default();
                if !slot.is_empty() {
                    slot.push('\n');
                }
                slot.push_str(cell);
            }
            f => slots.put(f, cell),
        }
    }
    let seq_text = slots.take(Field::Seq);
    let seq = seq_text.as_deref().and_then(parse_serial);
    if let (Some(t), None) = (&seq_text, seq) {
        slots.extra.insert("序号".into(), t.clone());
    }
    if !moves.is_empty() {
        diags.push(
            Diagnostic::warning(
                DiagnosticCode::MisplacedCell,
                format!("以下单元格按内容而非位置归列：{}", moves.join("；")),
            )
            .at_item(seq)
            .at_line(Some(line)),
        );
    }
    if !overflow.is_empty() {
        diags.push(
            Diagnostic::warning(
                DiagnosticCode::ExtraCells,
                format!(
                    "该行有{}格，表头只有{}列；多出的内容已保留：{}",
                    cells.len(),
                    header.len(),
                    overflow.join("；")
                ),
            )
            .at_item(seq)
            .at_line(Some(line)),
        );
    }

    // Statute text printed in the duty columns (the article's items and sanction split
    // across cells) belongs to the legal basis.
    let mut basis_text = slots.take(Field::LegalBasis).unwrap_or_default();
    let mut relocated = Vec::new();
    if let Some(r) = slots.by_field.get(&key(Field::Responsibilities)).cloned()
        && reads_like_statute_items(&r)
    {
        slots.take(Field::Responsibilities);
        append_para(&mut basis_text, &r);
        relocated.push(format!("责任事项「{}」", preview(&r)));
    }
    if let Some(a) = slots.by_field.get(&key(Field::Accountability)).cloned()
        && reads_like_statute_text(&a)
        && !relocated.is_empty()
    {
        slots.take(Field::Accountability);
        append_para(&mut basis_text, &a);
        relocated.push(format!("追责情形「{}」", preview(&a)));
    }
    if !relocated.is_empty() {
        diags.push(
            Diagnostic::warning(
                DiagnosticCode::MisplacedCell,
                format!("印在责任栏中的法条原文已移入实施依据：{}", relocated.join("；")),
            )
            .at_item(seq)
            .at_line(Some(line)),
        );
    }

    let category_label = slots.take(Field::Category).unwrap_or_default();
    let category_key: String = category_label.chars().filter(|c| !c.is_whitespace()).collect();
    let name = slots.take(Field::Name).unwrap_or_default();
    let name = match join_wrapped_words(&name) {
        Some(joined) => {
            diags.push(
                Diagnostic::info(
                    DiagnosticCode::MisplacedCell,
                    format!("事项名称「{}」中汉字之间的空白是单元格折行留下的，已去除", preview(&name)),
                )
                .at_item(seq)
                .at_line(Some(line)),
            );
            joined
        }
        None => name,
    };
    let category = Category::from_label(&category_key)
        .map(|m| m.category())
        .unwrap_or_else(|| crate::category::infer_category(&name).unwrap_or(Category::Other));

    let mut unparsed = Vec::new();
    let legal_basis = basis(basis_text, "实施依据", &mut unparsed);
    let accountability_basis =
        basis(slots.take(Field::AccountabilityBasis).unwrap_or_default(), "追究依据", &mut unparsed);
    for message in unparsed {
        diags.push(
            Diagnostic::warning(DiagnosticCode::UnparsedCitation, message).at_item(seq).at_line(Some(line)),
        );
    }
    let responsibilities = {
        let text = slots.take(Field::Responsibilities).unwrap_or_default();
        Responsibilities { stages: parse_stages(&text), text }
    };
    let (accountability, accountability_preamble) = {
        let text = slots.take(Field::Accountability).unwrap_or_default();
        let parsed = parse_accountability(&text);
        (Accountability { clauses: parsed.clauses, text }, parsed.preamble)
    };
    let deadline = slots.take(Field::Deadline).map(|text| Deadline { limit: parse_deadline(&text), text });
    let location = slots.take(Field::ServiceLocation);
    let phone = slots.take(Field::ServicePhone);
    let service = (location.is_some() || phone.is_some()).then_some(Service { location, phone });

    PowerItem {
        seq,
        line: Some(line),
        name,
        sub_name: slots.take(Field::SubName),
        category,
        category_label,
        subject: slots.take(Field::Subject),
        office: slots.take(Field::Office),
        level: slots.take(Field::Level),
        code: slots.take(Field::Code),
        sub_code: slots.take(Field::SubCode),
        legal_basis,
        responsibilities,
        accountability,
        accountability_preamble,
        accountability_basis,
        acceptance: slots.take(Field::Acceptance),
        deadline,
        service,
        responsible_person: slots.take(Field::ResponsiblePerson),
        remarks: slots.take(Field::Remarks),
        extra: slots.extra,
    }
}

/// A name wrapped in a narrow cell keeps the breaks as white space between two characters
/// ("学校卫生的 检查", "定点医药机构 医疗保障基金"): Chinese puts no space between
/// characters, so the white space goes. `None` when there is none to remove.
fn join_wrapped_words(name: &str) -> Option<String> {
    use quanze_parse::text::is_cjk;
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len());
    let mut changed = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() && i > 0 && is_cjk(chars[i - 1]) {
            let end = (i..chars.len()).find(|&k| !chars[k].is_whitespace()).unwrap_or(chars.len());
            if end < chars.len() && is_cjk(chars[end]) {
                changed = true;
                i = end;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    changed.then_some(out)
}

fn basis(text: String, field: &str, unparsed: &mut Vec<String>) -> LegalBasis {
    let parsed = parse_citations(&text);
    unparsed.extend(parsed.unparsed.into_iter().map(|f| format!("{field}：无法识别引用「{}」", preview(&f))));
    LegalBasis { citations: parsed.citations, text }
}

fn append_para(dst: &mut String, s: &str) {
    if !dst.is_empty() {
        dst.push('\n');
    }
    dst.push_str(s);
}

fn col_name(c: &Column, i: usize) -> String {
    if c.label.is_empty() { format!("第{}列", i + 1) } else { c.label.clone() }
}

/// The first few characters of a cell, for messages.
pub(crate) fn preview(s: &str) -> String {
    let one_line: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut p: String = one_line.chars().take(16).collect();
    if one_line.chars().count() > 16 {
        p.push('…');
    }
    p
}
