//! Importers: a 权责清单 as published (bytes) in, a [`Catalog`] out.
//!
//! The layout is chosen by content, never by per-file settings. Importing never fails on a
//! messy list: what cannot be placed is kept as text and reported as a diagnostic. It fails
//! only when there is no list to read (empty, binary, over the size limit, no table).

mod assemble;
mod category;
mod columns;
mod decode;
mod docx;
pub mod export;
mod form;
mod grid;
mod html;
mod kind;
mod ods;
mod package;
mod rows;
mod runtogether;
mod sheet;
pub mod synth;
mod tables;
pub mod validate;

pub use validate::validate;

use quanze_model::{Catalog, Diagnostic, DiagnosticCode, PowerItem, Source, SourceLine};

/// Called with (rows done, rows in all) while a large list is assembled.
pub type ProgressFn = std::sync::Arc<dyn Fn(u64, u64) + Send + Sync>;

/// Limits and knobs of an import.
#[derive(Clone)]
pub struct ImportOptions {
    /// Inputs larger than this are refused before decoding. Default 64 MiB: the largest
    /// published list we know is well under 1 MiB, and a 100,000-item synthetic list is
    /// about 160 MiB, so benches raise it explicitly.
    pub max_bytes: u64,
    /// Progress reports for a terminal's progress bar; `None` for none.
    pub progress: Option<ProgressFn>,
    /// What a zip package (xlsx, docx, ods) may inflate to, and the text a structured file
    /// may hold once merged cells are copied out. Default 256 MiB.
    pub max_unpacked_bytes: u64,
    /// Cells a structured file (workbook, web page, Word or OpenDocument file) may hold,
    /// declared dimensions and merged copies included. Default 2,000,000: a list of
    /// 100,000 items in 20 columns.
    pub max_cells: u64,
}

impl std::fmt::Debug for ImportOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImportOptions")
            .field("max_bytes", &self.max_bytes)
            .field("progress", &self.progress.is_some())
            .field("max_unpacked_bytes", &self.max_unpacked_bytes)
            .field("max_cells", &self.max_cells)
            .finish()
    }
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            max_bytes: DEFAULT_MAX_BYTES,
            progress: None,
            max_unpacked_bytes: DEFAULT_MAX_UNPACKED_BYTES,
            max_cells: DEFAULT_MAX_CELLS,
        }
    }
}

/// Default for [`ImportOptions::max_bytes`].
pub const DEFAULT_MAX_BYTES: u64 = 64 * 1024 * 1024;
/// Default for [`ImportOptions::max_unpacked_bytes`].
pub const DEFAULT_MAX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;
/// Default for [`ImportOptions::max_cells`].
pub const DEFAULT_MAX_CELLS: u64 = 2_000_000;

/// Why an input could not be imported at all.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is {size} bytes, over the import limit of {limit} bytes (raise it with --max-bytes)")]
    TooLarge { size: u64, limit: u64 },
    #[error("the file is binary, not a text, csv or xlsx list ({0})")]
    Binary(String),
    #[error("the spreadsheet cannot be read: {0}")]
    Spreadsheet(String),
    #[error("the file is refused, it exceeds what a list may hold: {0}")]
    TooComplex(String),
    #[error("no power list found: {0}")]
    NoTable(String),
}

/// Import one list from its bytes.
///
/// `file_name` is recorded in the catalog's source (directories are dropped).
pub fn import_bytes(file_name: &str, bytes: &[u8], opts: &ImportOptions) -> Result<Catalog, ImportError> {
    let size = bytes.len() as u64;
    if size > opts.max_bytes {
        return Err(ImportError::TooLarge { size, limit: opts.max_bytes });
    }
    let sha256 = hex_sha256(bytes);
    let limits = tables::Limits::new(opts.max_cells, opts.max_unpacked_bytes);
    let unpacked = opts.max_unpacked_bytes;
    let (mut grid, encoding, mut diagnostics) = match decode::decode(bytes)? {
        decode::Decoded::Zip => {
            let mut archive = package::open(bytes)?;
            match package::kind(&mut archive)? {
                package::Kind::Xlsx => {
                    (sheet::read_xlsx(bytes, &mut archive, unpacked, limits)?, "xlsx", Vec::new())
                }
                package::Kind::Docx => (docx::read_docx(&mut archive, unpacked, limits)?, "docx", Vec::new()),
                package::Kind::Ods => (ods::read_ods(&mut archive, unpacked, limits)?, "ods", Vec::new()),
            }
        }
        decode::Decoded::Cfb => (sheet::read_xls(bytes, limits)?, "xls", Vec::new()),
        decode::Decoded::Text { text, encoding, diagnostics } => {
            let grid = if html::looks_like_html(&text) {
                html::read_html(&text, limits)?
            } else {
                grid::read_text(&text).ok_or_else(|| {
                    ImportError::NoTable("no rows separated by tabs, commas or | were found".into())
                })?
            };
            (grid, encoding, diagnostics)
        }
    };
    if let Some(d) = strip_pinyin(&mut grid) {
        diagnostics.push(d);
    }
    if let Some(d) = simplify(&mut grid) {
        diagnostics.push(d);
    }
    let layout = grid.layout;
    if layout == "run-together" {
        let header = grid.blocks.iter().find_map(|b| match b {
            grid::Block::Row(r) => Some((r.cells.join("、"), r.line)),
            grid::Block::Loose(_) => None,
        });
        if let Some((labels, line)) = header {
            diagnostics.push(
                Diagnostic::warning(
                    DiagnosticCode::MisplacedCell,
                    format!(
                        "表格各单元格之间没有分隔符：表头按列名切分为「{labels}」，各行按内容（序号、权力类型、编码、【】与《》、“1.…责任”）切分，未能分开的内容留在前一列，请核对"
                    ),
                )
                .at_line(Some(line)),
            );
        }
    }
    let inferred = if has_header(&grid) { None } else { infer_header(&mut grid) };
    let mut a = assemble::assemble(grid, opts.progress.as_deref());
    if let Some((label_row, finding)) = inferred {
        // The inferred header was never printed: it is not a header of the source.
        a.headers.retain(|h| h.text != label_row);
        if !a.items.is_empty() {
            diagnostics.push(finding);
        }
    }
    if a.items.is_empty() {
        return Err(ImportError::NoTable(
            "a table was found but no header with known columns (序号, 事项名称, 权力类型, 实施依据…) and no items under it"
                .into(),
        ));
    }
    diagnostics.extend(a.diagnostics);
    let title = pick_title(&a.titles);
    let (edition, year) = title.as_deref().map(edition_of).unwrap_or_default();
    let publisher = publisher_of(&a.unassigned, title.as_deref(), &a.items);
    let file_name = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name).to_string();
    let mut catalog = Catalog {
        source: Source {
            file_name,
            sha256,
            publisher,
            title,
            edition,
            year,
            layout: layout.to_string(),
            encoding: encoding.to_string(),
            headers: a.headers,
            unassigned: a.unassigned,
            kind: None,
        },
        declared: a.declared,
        contacts: a.contacts,
        items: a.items,
        diagnostics: Vec::new(),
    };
    catalog.source.kind = list_kind(&catalog.source);
    if let Some(d) = type_from_kind(&mut catalog) {
        diagnostics.push(d);
    }
    diagnostics.extend(validate::validate(&catalog));
    // Group findings by where they are; import-wide ones (no line) first.
    diagnostics.sort_by_key(|d| d.line.unwrap_or(0));
    catalog.diagnostics = diagnostics;
    Ok(catalog)
}

fn hex_sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest {
        s.push(char::from_digit(u32::from(b >> 4), 16).unwrap_or('0'));
        s.push(char::from_digit(u32::from(b & 0xf), 16).unwrap_or('0'));
    }
    s
}

/// Convert a list printed in traditional characters to simplified ones. A handful of
/// converted characters in a simplified text are left alone: they are more likely rare
/// characters the table maps than a traditional list.
fn simplify(grid: &mut grid::Grid) -> Option<Diagnostic> {
    const MIN_CHANGED: usize = 5;
    // A list is printed in one script: looking at its first rows is enough to tell.
    const SAMPLE_BYTES: usize = 256 * 1024;
    let mut changed = 0usize;
    let mut seen = 0usize;
    let count = |s: &str| -> usize {
        match quanze_parse::text::to_simplified(s) {
            std::borrow::Cow::Owned(o) => s.chars().zip(o.chars()).filter(|(a, b)| a != b).count(),
            std::borrow::Cow::Borrowed(_) => 0,
        }
    };
    for b in &grid.blocks {
        match b {
            grid::Block::Row(r) => {
                for c in &r.cells {
                    seen += c.len();
                    changed += count(c);
                }
            }
            grid::Block::Loose(l) => {
                seen += l.text.len();
                changed += count(&l.text);
            }
        }
        if seen > SAMPLE_BYTES || changed >= MIN_CHANGED {
            break;
        }
    }
    if changed < MIN_CHANGED {
        return None;
    }
    let conv = |s: &mut String| {
        if let std::borrow::Cow::Owned(o) = quanze_parse::text::to_simplified(s) {
            *s = o;
        }
    };
    for b in &mut grid.blocks {
        match b {
            grid::Block::Row(r) => r.cells.iter_mut().for_each(conv),
            grid::Block::Loose(l) => conv(&mut l.text),
        }
    }
    Some(Diagnostic::info(DiagnosticCode::Transcoded, format!("清单为繁体字，已将{changed}个字转换为简体")))
}

/// Whether any row of the grid is a header, by its cells as printed (the first header ends
/// the search, so a list with a header pays for one row or a few).
fn has_header(grid: &grid::Grid) -> bool {
    grid.blocks.iter().any(|b| match b {
        grid::Block::Row(r) => {
            let cells: Vec<&str> = r.cells.iter().map(|c| c.trim()).collect();
            columns::header_columns(&cells).is_some()
        }
        grid::Block::Loose(_) => false,
    })
}

/// A list without a header row: each column's field is the one its cells fit best, each
/// field at most once, and a header row naming them is put before the first row. `None`
/// when the content does not show a list (no names, or fewer than three columns known).
/// Returns the inferred header as the assembler records it, and the finding that says
/// what was inferred.
fn infer_header(grid: &mut grid::Grid) -> Option<(String, Diagnostic)> {
    use columns::Field;
    const CANDIDATES: [(Field, &str); 10] = [
        (Field::Seq, "序号"),
        (Field::Category, "权力类型"),
        (Field::Name, "事项名称"),
        (Field::Subject, "实施主体"),
        (Field::Office, "承办机构"),
        (Field::Level, "行使层级"),
        (Field::LegalBasis, "实施依据"),
        (Field::Responsibilities, "责任事项"),
        (Field::Accountability, "追责情形"),
        (Field::Deadline, "办理时限"),
    ];
    const SAMPLE_ROWS: usize = 200;
    let rows: Vec<&grid::RawRow> = grid
        .blocks
        .iter()
        .filter_map(|b| match b {
            grid::Block::Row(r) if r.cells.iter().filter(|c| !c.trim().is_empty()).count() >= 3 => Some(r),
            _ => None,
        })
        .take(SAMPLE_ROWS)
        .collect();
    if rows.is_empty() {
        return None;
    }
    let width = rows.iter().map(|r| r.cells.len()).max().unwrap_or(0).min(64);
    // Mean fit of each candidate field in each column.
    let mut scores: Vec<(i64, usize, usize)> = Vec::new();
    for col in 0..width {
        for (k, (field, _)) in CANDIDATES.iter().enumerate() {
            let cells: Vec<&str> = rows
                .iter()
                .filter_map(|r| r.cells.get(col))
                .map(|c| c.trim())
                .filter(|c| !c.is_empty())
                .collect();
            if cells.is_empty() {
                continue;
            }
            let total: i64 = cells.iter().map(|c| i64::from(columns::fit(*field, c))).sum();
            let mean = total * 10 / cells.len() as i64;
            if mean > 10 {
                scores.push((mean, col, k));
            }
        }
    }
    scores.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut labels: Vec<&str> = vec![""; width];
    let mut used = [false; CANDIDATES.len()];
    for (_, col, k) in scores {
        if labels[col].is_empty() && !used[k] {
            labels[col] = CANDIDATES[k].1;
            used[k] = true;
        }
    }
    let known = labels.iter().filter(|l| !l.is_empty()).count();
    if !used[2] || known < 3 {
        return None;
    }
    let first_row = grid.blocks.iter().position(|b| matches!(b, grid::Block::Row(_)))?;
    let line = match &grid.blocks[first_row] {
        grid::Block::Row(r) => r.line,
        grid::Block::Loose(l) => l.line,
    };
    let cells: Vec<String> = labels.iter().map(|l| (*l).to_string()).collect();
    let label_row = cells.join("\t");
    let said: Vec<String> = labels
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.is_empty())
        .map(|(i, l)| format!("第{}列→{l}", i + 1))
        .collect();
    grid.blocks.insert(first_row, grid::Block::Row(grid::RawRow { cells, line }));
    let finding = Diagnostic::warning(
        DiagnosticCode::NoHeader,
        format!("未找到表头，按单元格内容推断各列：{}", said.join("，")),
    )
    .at_line(Some(line));
    Some((label_row, finding))
}

/// Mirror sites insert the pinyin of some characters after them ("醫(yī)療"). A reading in
/// parentheses right after a Chinese character, made of Latin letters with at least one
/// tone mark, is such an insertion; it is removed everywhere once the text has a few.
fn strip_pinyin(grid: &mut grid::Grid) -> Option<Diagnostic> {
    const MIN_FOUND: usize = 3;
    // A mirror inserts readings all through its pages: the first rows tell.
    const SAMPLE_BYTES: usize = 256 * 1024;
    let mut found = 0usize;
    let mut seen = 0usize;
    for b in &grid.blocks {
        match b {
            grid::Block::Row(r) => {
                seen += r.cells.iter().map(String::len).sum::<usize>();
                found += r.cells.iter().map(|c| pinyin_spans(c).len()).sum::<usize>();
            }
            grid::Block::Loose(l) => {
                seen += l.text.len();
                found += pinyin_spans(&l.text).len();
            }
        }
        if found >= MIN_FOUND || seen > SAMPLE_BYTES {
            break;
        }
    }
    if found < MIN_FOUND {
        return None;
    }
    let mut removed = 0usize;
    let mut strip = |s: &mut String| {
        let spans = pinyin_spans(s);
        if spans.is_empty() {
            return;
        }
        removed += spans.len();
        let mut out = String::with_capacity(s.len());
        let mut at = 0;
        for (a, b) in spans {
            out.push_str(&s[at..a]);
            at = b;
        }
        out.push_str(&s[at..]);
        *s = out;
    };
    for b in &mut grid.blocks {
        match b {
            grid::Block::Row(r) => r.cells.iter_mut().for_each(&mut strip),
            grid::Block::Loose(l) => strip(&mut l.text),
        }
    }
    Some(Diagnostic::info(
        DiagnosticCode::Transcoded,
        format!("文本来自转载网站，已删除插在汉字后的拼音注音{removed}处（如「醫(yī)療」）"),
    ))
}

/// Byte ranges of pinyin readings inserted after Chinese characters.
fn pinyin_spans(s: &str) -> Vec<(usize, usize)> {
    const TONED: &str = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ";
    let mut spans = Vec::new();
    let mut prev_cjk = false;
    let mut iter = s.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if prev_cjk && (c == '(' || c == '（') {
            let rest = &s[i + c.len_utf8()..];
            let body: String = rest
                .chars()
                .take_while(|ch| ch.is_ascii_lowercase() || TONED.contains(*ch) || *ch == 'ü')
                .take(8)
                .collect();
            let after = &rest[body.len()..];
            let n = body.chars().count();
            if (1..=7).contains(&n)
                && body.chars().any(|ch| TONED.contains(ch))
                && let Some(close) = after.chars().next().filter(|ch| *ch == ')' || *ch == '）')
            {
                let end = i + c.len_utf8() + body.len() + close.len_utf8();
                spans.push((i, end));
                while iter.peek().is_some_and(|(j, _)| *j < end) {
                    iter.next();
                }
                // The character before the reading is still the last one seen.
                continue;
            }
        }
        prev_cjk = quanze_parse::text::is_cjk(c);
    }
    spans
}

/// The kind of list: named by its title or by a short line above the table, else pointed
/// to by its header's labels.
fn list_kind(source: &Source) -> Option<quanze_model::ListKind> {
    const TITLE_CHARS: usize = 80;
    let titles = source.title.iter().map(String::as_str).chain(
        source.unassigned.iter().map(|l| l.text.as_str()).filter(|t| t.chars().count() <= TITLE_CHARS),
    );
    for t in titles {
        if let Some(k) = kind::kind_of_title(t) {
            return Some(k);
        }
    }
    source.headers.iter().find_map(|h| {
        let labels: Vec<&str> = h.text.split(['\t', '\n']).collect();
        kind::kind_of_columns(&labels).map(|(k, _)| k)
    })
}

/// Lists of inspections and of penalties exempted print no type column: their items are
/// 行政检查 and 行政处罚 by what the list is. Items with a printed type keep it.
fn type_from_kind(catalog: &mut Catalog) -> Option<Diagnostic> {
    use quanze_model::{Category, ListKind};
    let (kind, category) = match catalog.source.kind? {
        k @ (ListKind::RandomInspection | ListKind::EnterpriseInspection) => (k, Category::Inspection),
        k @ ListKind::PenaltyExemption => (k, Category::Penalty),
        _ => return None,
    };
    let mut n = 0usize;
    for it in catalog.items.iter_mut().filter(|i| i.category_label.trim().is_empty()) {
        it.category = category;
        n += 1;
    }
    (n > 0).then(|| {
        Diagnostic::info(
            DiagnosticCode::MissingField,
            format!("清单未印权力类型：按清单种类（{}）推定{n}项为{}", kind.label(), category.label()),
        )
    })
}

/// The title of the detail table: the last title line (a summary table's title comes first).
fn pick_title(titles: &[SourceLine]) -> Option<String> {
    titles.last().map(|t| t.text.clone())
}

/// "邢台市襄都区医疗保障局权责清单（2025年版）" → ("2025年版", 2025).
fn edition_of(title: &str) -> (Option<String>, Option<u16>) {
    let folded = quanze_parse::text::fold_width(title);
    let Some(i) = folded.find("年版") else { return (None, None) };
    let digits: String = folded[..i].chars().rev().take_while(char::is_ascii_digit).collect();
    let year: String = digits.chars().rev().collect();
    match year.parse::<u16>() {
        Ok(y) if year.len() == 4 => (Some(format!("{y}年版")), Some(y)),
        _ => (None, None),
    }
}

/// The publishing body: a 单位 line, else the title up to the body's name, else the most
/// common subject.
fn publisher_of(unassigned: &[SourceLine], title: Option<&str>, items: &[PowerItem]) -> Option<String> {
    for l in unassigned {
        let t = l.text.trim();
        if let Some(rest) = t.strip_prefix("单位：").or_else(|| t.strip_prefix("单位:")) {
            let name = rest.split(['（', '(']).next().unwrap_or(rest).trim();
            if !name.is_empty() {
                return Some(name.to_string());
            }
        }
    }
    if let Some(t) = title {
        let t = t.trim_start_matches(['#', ' ']);
        for end in ["医疗保障局", "医疗保险经办机构", "经办机构", "医疗保障服务中心", "局"]
        {
            if let Some(i) = t.find(end) {
                return Some(t[..i + end.len()].to_string());
            }
        }
    }
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for it in items {
        if let Some(s) = it.subject.as_deref() {
            *counts.entry(s).or_default() += 1;
        }
    }
    counts.into_iter().max_by_key(|(_, n)| *n).map(|(s, _)| s.to_string())
}
