//! Import speed: the five seed lists, a synthetic 100,000-item list, and 1,000 of its items
//! as a web page and as a Word file.
//! Targets (issue): the five seeds in under 20 ms together; 100,000 items in under 5 s.

use criterion::{Criterion, criterion_group, criterion_main};
use quanze_import::{ImportOptions, import_bytes, synth};

fn seeds(c: &mut Criterion) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/seeds");
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .expect("seed dir")
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "txt"))
        .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).expect("seed")))
        .collect();
    files.sort();
    assert_eq!(files.len(), 5);
    let opts = ImportOptions::default();
    c.bench_function("import the five seed lists", |b| {
        b.iter(|| {
            for (name, bytes) in &files {
                let cat = import_bytes(name, bytes, &opts).expect("seed imports");
                std::hint::black_box(cat);
            }
        })
    });
}

fn synthetic(c: &mut Criterion) {
    let text = synth::generate(100_000, 7, |_| {});
    let opts = ImportOptions { max_bytes: 1 << 30, ..ImportOptions::default() };
    let mut g = c.benchmark_group("synthetic");
    g.sample_size(10);
    g.bench_function("import a 100,000-item list", |b| {
        b.iter(|| {
            let cat = import_bytes("synth.txt", text.as_bytes(), &opts).expect("synthetic imports");
            assert_eq!(cat.items.len(), 100_000);
            std::hint::black_box(cat);
        })
    });
    g.finish();
}

/// The 1,000-item synthetic list's rows, as a web page and as a Word file would hold them.
fn rows_of_1000() -> Vec<[String; 6]> {
    let text = synth::generate(1_000, 7, |_| {});
    let opts = ImportOptions { max_bytes: 1 << 30, ..ImportOptions::default() };
    let cat = import_bytes("synth.txt", text.as_bytes(), &opts).expect("synthetic imports");
    cat.items
        .iter()
        .map(|it| {
            [
                it.seq.map(|s| s.to_string()).unwrap_or_default(),
                it.category_label.clone(),
                it.name.clone(),
                it.legal_basis.text.clone(),
                it.responsibilities.text.clone(),
                it.accountability.text.clone(),
            ]
        })
        .collect()
}

const HEADER: [&str; 6] = ["序号", "权力类型", "事项名称", "实施依据", "责任事项", "追责情形"];

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn html_page(rows: &[[String; 6]]) -> String {
    let mut p = String::from(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body><h1>某市医疗保障局权责清单</h1><table>",
    );
    p.push_str("<tr>");
    for h in HEADER {
        p.push_str(&format!("<th>{h}</th>"));
    }
    p.push_str("</tr>");
    for r in rows {
        p.push_str("<tr>");
        for c in r {
            p.push_str(&format!("<td>{}</td>", esc(c).replace('\n', "<br>")));
        }
        p.push_str("</tr>\n");
    }
    p.push_str("</table></body></html>");
    p
}

fn docx_file(rows: &[[String; 6]]) -> Vec<u8> {
    use std::io::Write;
    let cell = |t: &str| {
        let paras: String = t
            .split('\n')
            .map(|l| format!("<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>", esc(l)))
            .collect();
        format!("<w:tc><w:tcPr/>{paras}</w:tc>")
    };
    let mut x = String::from(
        "<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>某市医疗保障局权责清单</w:t></w:r></w:p><w:tbl><w:tr>",
    );
    for h in HEADER {
        x.push_str(&cell(h));
    }
    x.push_str("</w:tr>");
    for r in rows {
        x.push_str("<w:tr>");
        for c in r {
            x.push_str(&cell(c));
        }
        x.push_str("</w:tr>");
    }
    x.push_str("</w:tbl></w:body></w:document>");
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    z.start_file("word/document.xml", o).expect("zip");
    z.write_all(x.as_bytes()).expect("zip");
    z.finish().expect("zip").into_inner()
}

fn structured(c: &mut Criterion) {
    let rows = rows_of_1000();
    let page = html_page(&rows);
    let docx = docx_file(&rows);
    let opts = ImportOptions::default();
    let mut g = c.benchmark_group("structured");
    g.sample_size(10);
    g.bench_function("import a 1,000-item web page", |b| {
        b.iter(|| {
            let cat = import_bytes("list.html", page.as_bytes(), &opts).expect("html imports");
            assert_eq!(cat.items.len(), 1_000);
            std::hint::black_box(cat);
        })
    });
    g.bench_function("import a 1,000-item Word file", |b| {
        b.iter(|| {
            let cat = import_bytes("list.docx", &docx, &opts).expect("docx imports");
            assert_eq!(cat.items.len(), 1_000);
            std::hint::black_box(cat);
        })
    });
    g.finish();
}

criterion_group!(benches, seeds, synthetic, structured);
criterion_main!(benches);
