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
    match std::str::from_utf8(bytes) {
        Ok(_) => return utf8(bytes),
        // A list cut inside its last character (a download or a copy that stopped short):
        // UTF-8 up to the cut, nothing after it. Reading it as GBK would fail or garble it.
        Err(e) if e.error_len().is_none() => return truncated_utf8(bytes, e.valid_up_to()),
        Err(_) => {}
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
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            let text = text.to_string();
            check_text(&text)?;
            Ok(Decoded::Text { text, encoding: "utf-8", diagnostics: Vec::new() })
        }
        Err(e) if e.error_len().is_none() => truncated_utf8(bytes, e.valid_up_to()),
        Err(e) => Err(ImportError::Binary(format!("invalid UTF-8 at byte {}", e.valid_up_to()))),
    }
}

/// UTF-8 text whose last character was cut: the partial character is dropped and the
/// cut is reported where it is, so the row it ends is checked as a truncated row.
fn truncated_utf8(bytes: &[u8], valid: usize) -> Result<Decoded, ImportError> {
    let (head, tail) = bytes.split_at(valid);
    let text = String::from_utf8_lossy(head).into_owned();
    check_text(&text)?;
    let line = text.bytes().filter(|b| *b == b'\n').count() + 1;
    let column = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    let d = Diagnostic::error(
        DiagnosticCode::Truncated,
        format!(
            "文件在一个汉字（多字节字符）中间截断：已丢弃末尾不完整的{}个字节（第{line}行第{column}字处），文件可能不完整",
            tail.len()
        ),
    )
    .at_line(u32::try_from(line).ok());
    Ok(Decoded::Text { text, encoding: "utf-8", diagnostics: vec![d] })
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
