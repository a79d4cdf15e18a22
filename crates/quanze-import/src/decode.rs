//! Bytes → text. Decides what kind of input this is before any table reading happens.

use quanze_model::{Diagnostic, DiagnosticCode};

use crate::ImportError;

/// What the bytes turned out to be.
pub(crate) enum Decoded {
    /// Text, with the name of the encoding it was decoded from.
    Text { text: String, encoding: &'static str, diagnostics: Vec<Diagnostic> },
    /// A zip package: xlsx, docx or ods.
    Zip,
    /// A compound file (legacy Office): an .xls workbook, or a .doc refused later.
    Cfb,
}

const CFB_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

pub(crate) fn decode(bytes: &[u8]) -> Result<Decoded, ImportError> {
    if bytes.is_empty() {
        return Err(ImportError::Empty);
    }
    if bytes.starts_with(ZIP_MAGIC) {
        return Ok(Decoded::Zip);
    }
    if bytes.starts_with(CFB_MAGIC) {
        return Ok(Decoded::Cfb);
    }
    if let Some(kind) = known_binary(bytes) {
        return Err(ImportError::Binary(kind.into()));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(rest);
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let enc = if bytes[0] == 0xFF { encoding_rs::UTF_16LE } else { encoding_rs::UTF_16BE };
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[2..]);
        if had_errors {
            return Err(ImportError::Binary("invalid UTF-16 text".into()));
        }
        let text = text.into_owned();
        check_text(&text)?;
        let d = Diagnostic::info(DiagnosticCode::Transcoded, format!("文件为{}编码，已转换", enc.name()));
        return Ok(Decoded::Text { text, encoding: enc.name(), diagnostics: vec![d] });
    }
    if bytes.contains(&0) {
        return Err(ImportError::Binary("it contains NUL bytes".into()));
    }
    if std::str::from_utf8(bytes).is_ok() {
        return utf8(bytes);
    }
    // A web page says its encoding. Valid UTF-8 wins over a declaration (pages are often
    // re-saved as UTF-8 with their old meta tag), and a declaration the bytes do not
    // decode under falls through to the guesses below.
    if let Some(enc) = crate::html::declared_charset(bytes)
        && enc != encoding_rs::UTF_8
    {
        let (text, had_errors) = enc.decode_without_bom_handling(bytes);
        if !had_errors {
            let text = text.into_owned();
            check_text(&text)?;
            let d = Diagnostic::info(
                DiagnosticCode::Transcoded,
                format!("网页声明为{}编码，已按此解码", enc.name()),
            );
            return Ok(Decoded::Text { text, encoding: enc.name(), diagnostics: vec![d] });
        }
    }
    // Not UTF-8: Chinese government files are GBK or GB18030 when they are not UTF-8.
    // GB18030 is a superset of GBK, so one decoder covers both.
    let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
    if had_errors {
        return Err(ImportError::Binary(
            "it is neither UTF-8 nor GBK/GB18030 text (undecodable byte sequences)".into(),
        ));
    }
    let text = text.into_owned();
    check_text(&text)?;
    let d = Diagnostic::info(
        DiagnosticCode::Transcoded,
        "文件不是 UTF-8 编码，已按 GBK/GB18030 解码".to_string(),
    );
    Ok(Decoded::Text { text, encoding: "gb18030", diagnostics: vec![d] })
}

fn utf8(bytes: &[u8]) -> Result<Decoded, ImportError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| ImportError::Binary(format!("invalid UTF-8 at byte {}", e.valid_up_to())))?
        .to_string();
    check_text(&text)?;
    Ok(Decoded::Text { text, encoding: "utf-8", diagnostics: Vec::new() })
}

/// Refuse decoded text that is mostly control characters: that is a binary file that
/// happened to decode.
fn check_text(text: &str) -> Result<(), ImportError> {
    let mut total = 0usize;
    let mut control = 0usize;
    for c in text.chars().take(64 * 1024) {
        total += 1;
        if c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}') {
            control += 1;
        }
    }
    if total > 0 && control * 100 > total {
        return Err(ImportError::Binary(format!(
            "{control} of the first {total} characters are control characters"
        )));
    }
    Ok(())
}

fn known_binary(bytes: &[u8]) -> Option<&'static str> {
    const MAGICS: &[(&[u8], &str)] = &[
        (b"%PDF", "a PDF document: export its table as .xlsx or text"),
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"\x1F\x8B", "a gzip archive"),
        (b"\x7FELF", "an executable"),
        (b"Rar!", "a RAR archive"),
        (b"7z\xBC\xAF", "a 7z archive"),
    ];
    MAGICS.iter().find(|(m, _)| bytes.starts_with(m)).map(|(_, k)| *k)
}
