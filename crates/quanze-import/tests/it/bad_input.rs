//! Bad input gets a clear error or a catalog with findings, never a panic.

use proptest::prelude::*;
use quanze_import::{ImportError, ImportOptions, import_bytes};
use quanze_model::DiagnosticCode;

use crate::{SEEDS, codes, import, seed_bytes};

fn err(bytes: &[u8]) -> ImportError {
    import_bytes("x.txt", bytes, &ImportOptions::default()).unwrap_err()
}

#[test]
fn an_empty_file_is_refused_as_empty() {
    assert!(matches!(err(b""), ImportError::Empty));
    assert_eq!(err(b"").to_string(), "the file is empty");
}

#[test]
fn a_binary_file_is_refused_and_says_what_it_looks_like() {
    let e = err(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    assert!(matches!(e, ImportError::Binary(_)));
    assert!(e.to_string().contains("PNG"), "{e}");
    let e = err(&[0u8, 1, 2, 3, 0, 0, 7, 8]);
    assert!(matches!(e, ImportError::Binary(_)), "{e}");
    let e = err(b"%PDF-1.7\n...");
    assert!(e.to_string().contains("PDF"), "{e}");
}

#[test]
fn a_200_mb_file_is_refused_above_the_limit_before_it_is_read() {
    let big = vec![b'a'; 200 * 1024 * 1024];
    let e = err(&big);
    assert!(
        matches!(e, ImportError::TooLarge { size, limit } if size == 200 * 1024 * 1024 && limit == quanze_import::DEFAULT_MAX_BYTES)
    );
    assert!(e.to_string().contains("--max-bytes"), "{e}");
    // The limit is configurable.
    let small = ImportOptions { max_bytes: 10, ..ImportOptions::default() };
    assert!(matches!(import_bytes("x", &seed_bytes(SEEDS[1]), &small), Err(ImportError::TooLarge { .. })));
}

#[test]
fn text_without_a_table_is_refused_with_a_reason() {
    let e = err("这是一段没有表格的文字。\n第二行。\n".as_bytes());
    assert!(matches!(e, ImportError::NoTable(_)), "{e}");
}

#[test]
fn a_gbk_encoded_small_list_imports() {
    let text = "序号\t权力类型\t事项名称\t实施依据\t责任事项\t追责情形\n1\t行政给付\t医疗救助对象手工（零星）报销\t《社会救助暂行办法》第三十条\t1.受理责任：依法受理。\t对符合条件不予受理的。\n";
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable);
    let c = import("gbk.txt", &gbk);
    assert_eq!(c.items[0].name, "医疗救助对象手工（零星）报销");
    assert!(codes(&c).contains(&DiagnosticCode::Transcoded));
}

#[test]
fn a_gb18030_file_imports_the_same_items_and_says_it_was_transcoded() {
    let utf8 = seed_bytes(SEEDS[2]);
    let text = String::from_utf8(utf8.clone()).unwrap();
    // GB18030 encodes every character; GBK (its subset) is what most such files are.
    let (gbk, _, unmappable) = encoding_rs::GB18030.encode(&text);
    assert!(!unmappable);
    let a = import(SEEDS[2], &utf8);
    let b = import(SEEDS[2], &gbk);
    assert_eq!(b.source.encoding, "gb18030");
    assert!(codes(&b).contains(&DiagnosticCode::Transcoded));
    assert_eq!(a.items, b.items);
    assert_ne!(a.source.sha256, b.source.sha256, "the hash is of the bytes as read");
}

#[test]
fn a_file_that_ends_mid_row_keeps_what_it_has_and_reports_truncation() {
    let text = String::from_utf8(seed_bytes(SEEDS[1])).unwrap();
    // Cut item 9 inside its legal basis.
    let cut = text.rfind("9\t为领取失业金人员").unwrap() + 400;
    let cut = (cut..text.len()).find(|i| text.is_char_boundary(*i)).unwrap();
    let c = import("cut.txt", &text.as_bytes()[..cut]);
    assert_eq!(c.items.len(), 9);
    let d =
        c.diagnostics.iter().find(|d| d.code == DiagnosticCode::Truncated).expect("truncated is reported");
    assert_eq!(d.item, Some(9));
    assert!(c.has_errors());
}

#[test]
fn a_list_in_traditional_characters_reads_as_simplified_and_says_so() {
    let text = "序號\t權力類型\t權力事項\t實施依據\t責任事項\t追責情形\n\
                1\t行政處罰\t對騙取醫療保障基金支出的處罰\t《醫療保障基金使用監督管理條例》第四十條\t1.立案責任：發現違法行為。2.調查責任：調查取證。\t因不履行職責的，依法追究責任。\n";
    let c = import("trad.txt", text.as_bytes());
    assert_eq!(c.items.len(), 1);
    let it = &c.items[0];
    assert_eq!(it.category_label, "行政处罚");
    assert_eq!(it.name, "对骗取医疗保障基金支出的处罚");
    assert!(codes(&c).contains(&DiagnosticCode::Transcoded));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn no_bytes_make_the_importer_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = import_bytes("fuzz.bin", &bytes, &ImportOptions::default());
    }

    #[test]
    fn no_table_shaped_text_makes_the_importer_panic(
        rows in proptest::collection::vec(
            proptest::collection::vec("[\\PC\t\n<>《》第条一二三0-9]{0,30}", 1..10), 0..12)
    ) {
        let mut text = String::from("序号\t权力类型\t事项名称\t实施依据\t责任事项\t追责情形\n");
        for r in rows {
            text.push_str(&r.join("\t"));
            text.push('\n');
        }
        let _ = import_bytes("fuzz.txt", text.as_bytes(), &ImportOptions::default());
    }

    /// The form reader (one label a line, its value under it; names wrapped with spaces):
    /// any mix of labels, serial-prefixed names and values reads or is refused, never panics.
    #[test]
    fn no_form_makes_the_importer_panic(
        lines in proptest::collection::vec(
            prop_oneof![
                Just("职权名称".to_string()),
                Just("职权类型".to_string()),
                Just("责任事项".to_string()),
                Just("实施依据：".to_string()),
                "[0-9]{1,3}[、.．]?[\\PC ]{0,12}",
                "[\\PC 、]{0,20}",
            ],
            0..40)
    ) {
        let _ = import_bytes("form.txt", lines.join("\n").as_bytes(), &ImportOptions::default());
    }

    #[test]
    fn no_run_together_rows_make_the_importer_panic(
        rows in proptest::collection::vec(
            proptest::collection::vec(
                prop_oneof![
                    Just("行政处罚".to_string()),
                    Just("行政检查".to_string()),
                    Just("【法律】".to_string()),
                    Just("《医疗保障基金使用监督管理条例》第四十条".to_string()),
                    Just("1.受理责任：".to_string()),
                    Just("基金监管科".to_string()),
                    Just("111004001".to_string()),
                    Just("\n".to_string()),
                    Just("*".to_string()),
                    "[\\PC]{0,12}",
                ],
                0..8,
            ),
            0..10,
        )
    ) {
        // A header whose labels ran together, then rows glued the same way.
        let mut text = String::from("某县医疗保障局行政检查事项\n序号事项名称责任科室是否涉企执法类型实施依据\n");
        for (i, r) in rows.iter().enumerate() {
            text.push_str(&(i + 1).to_string());
            text.push_str(&r.concat());
            text.push('\n');
        }
        match import_bytes("glued.txt", text.as_bytes(), &ImportOptions::default()) {
            Ok(_) | Err(ImportError::NoTable(_)) => {}
            Err(e) => prop_assert!(false, "refused: {e}"),
        }
    }

    #[test]
    fn any_prefix_of_a_seed_imports_or_is_refused_cleanly(
        seed in 0..SEEDS.len(), frac in 0.0f64..1.0, into in 0usize..3
    ) {
        let bytes = seed_bytes(SEEDS[seed]);
        let text = std::str::from_utf8(&bytes).unwrap();
        // A character boundary, then up to two bytes into the character that follows it.
        let start = (bytes.len() as f64 * frac) as usize;
        let boundary = (start..=bytes.len()).find(|i| text.is_char_boundary(*i)).unwrap();
        let char_len = text[boundary..].chars().next().map_or(0, char::len_utf8);
        let cut = boundary + into.min(char_len.saturating_sub(1));
        let inside_a_character = !text.is_char_boundary(cut);
        match import_bytes("prefix.txt", &bytes[..cut], &ImportOptions::default()) {
            Ok(c) => {
                if inside_a_character {
                    let d = c.diagnostics.iter().find(|d| d.code == DiagnosticCode::Truncated && d.message.contains("中间截断"));
                    prop_assert!(d.is_some(), "cut at {cut} inside a character: {:?}", codes(&c));
                    prop_assert!(c.has_errors());
                }
            }
            Err(ImportError::NoTable(_)) => {}
            Err(ImportError::Empty) => prop_assert_eq!(cut, 0),
            Err(e) => prop_assert!(false, "prefix of {} bytes refused: {e}", cut),
        }
    }
}

#[test]
fn a_list_cut_inside_a_character_imports_with_a_truncated_finding_that_says_where() {
    let text = String::from_utf8(seed_bytes(SEEDS[1])).unwrap();
    let at = text.rfind("9\t为领取失业金人员").unwrap() + "9\t为".len();
    let line = text[..at].matches('\n').count() as u32 + 1;
    for into in 1..3 {
        let c = import("cut.txt", &text.as_bytes()[..at + into]);
        assert_eq!(c.items.len(), 9, "the row cut inside its name is kept");
        assert_eq!(c.items[8].name, "为", "the partial character is dropped");
        let d = c.diagnostics.iter().find(|d| d.message.contains("中间截断")).expect("the cut is reported");
        assert_eq!(d.code, DiagnosticCode::Truncated);
        assert_eq!(d.line, Some(line));
        assert!(d.message.contains(&format!("{into}个字节")), "{}", d.message);
        assert_eq!(c.source.encoding, "utf-8");
    }
    // The same with a byte-order mark.
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(&text.as_bytes()[..at + 1]);
    assert!(codes(&import("bom.txt", &bom)).contains(&DiagnosticCode::Truncated));
    // A byte that can never be UTF-8 in the middle is still not UTF-8.
    let mut bad = text.as_bytes()[..at].to_vec();
    bad.push(0xFF);
    bad.extend_from_slice("行政".as_bytes());
    assert!(
        !matches!(import_bytes("bad.txt", &bad, &ImportOptions::default()), Ok(ref c) if codes(c).contains(&DiagnosticCode::Truncated) && c.diagnostics.iter().any(|d| d.message.contains("中间截断")))
    );
}
