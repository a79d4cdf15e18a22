//! Importers: a 权责清单 as published (bytes) in, a [`Catalog`] out.
//!
//! The layout is chosen by content, never by per-file settings. Importing never fails on a
//! messy list: what cannot be placed is kept as text and reported as a diagnostic. It fails
//! only when there is no list to read (empty, binary, over the size limit, no table).

mod assemble;
mod columns;
mod decode;
mod docx;
pub mod export;
mod grid;
mod html;
mod ods;
mod package;
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
    if let Some(d) = simplify(&mut grid) {
        diagnostics.push(d);
    }
    let layout = grid.layout;
    let a = assemble::assemble(grid, opts.progress.as_deref());
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
        },
        declared: a.declared,
        contacts: a.contacts,
        items: a.items,
        diagnostics: Vec::new(),
    };
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
