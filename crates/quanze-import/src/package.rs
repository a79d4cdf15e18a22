//! Zip packages (xlsx, docx, ods): what is inside, and reading it within a budget.
//!
//! A zip's declared sizes cannot be trusted (a bomb declares small sizes and inflates to
//! gigabytes), so every read is capped by counting what actually comes out.

use std::io::{Cursor, Read};

use crate::ImportError;

/// More entries than any office file has; a package with more is refused before reading.
const MAX_ENTRIES: usize = 10_000;

pub(crate) type Archive<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// Which office format a zip package holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Xlsx,
    Docx,
    Ods,
}

pub(crate) fn open(bytes: &[u8]) -> Result<Archive<'_>, ImportError> {
    let archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ImportError::Spreadsheet(format!("zip: {e}")))?;
    if archive.len() > MAX_ENTRIES {
        return Err(ImportError::TooComplex(format!(
            "压缩包内有{}个文件，超过上限{MAX_ENTRIES}",
            archive.len()
        )));
    }
    Ok(archive)
}

/// The format, by the parts the package holds.
pub(crate) fn kind(archive: &mut Archive<'_>) -> Result<Kind, ImportError> {
    let has = |a: &Archive<'_>, n: &str| a.index_for_name(n).is_some();
    if has(archive, "word/document.xml") {
        return Ok(Kind::Docx);
    }
    if has(archive, "xl/workbook.xml") || has(archive, "xl/workbook.bin") {
        return Ok(Kind::Xlsx);
    }
    if has(archive, "content.xml") {
        return Ok(Kind::Ods);
    }
    Err(ImportError::Binary("a zip archive that is not an xlsx, docx or ods file".into()))
}

/// One entry's bytes, refused when it inflates beyond `limit`.
pub(crate) fn read_entry(archive: &mut Archive<'_>, name: &str, limit: u64) -> Result<Vec<u8>, ImportError> {
    let entry = archive.by_name(name).map_err(|e| ImportError::Spreadsheet(format!("{name}: {e}")))?;
    let mut out = Vec::new();
    // Read one byte more than allowed to tell "exactly at the limit" from "over it".
    let read = entry.take(limit.saturating_add(1)).read_to_end(&mut out);
    read.map_err(|e| ImportError::Spreadsheet(format!("{name}: {e}")))?;
    if out.len() as u64 > limit {
        return Err(too_big(limit));
    }
    Ok(out)
}

/// Inflate every entry (into nothing) to check that the whole package stays within
/// `limit` bytes: the guard before handing the package to a reader we do not control.
pub(crate) fn check_unpacked(archive: &mut Archive<'_>, limit: u64) -> Result<(), ImportError> {
    let mut left = limit;
    for i in 0..archive.len() {
        let entry = archive.by_index(i).map_err(|e| ImportError::Spreadsheet(format!("zip: {e}")))?;
        if entry.size() > left {
            return Err(too_big(limit));
        }
        let n = std::io::copy(&mut entry.take(left.saturating_add(1)), &mut std::io::sink())
            .map_err(|e| ImportError::Spreadsheet(format!("zip: {e}")))?;
        if n > left {
            return Err(too_big(limit));
        }
        left -= n;
    }
    Ok(())
}

fn too_big(limit: u64) -> ImportError {
    ImportError::TooComplex(format!("解压后超过{limit}字节的上限（可能是压缩炸弹）"))
}
