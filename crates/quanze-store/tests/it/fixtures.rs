//! Hand-built catalogs.

use quanze_model::{
    Catalog, Category, Citation, Declared, Diagnostic, DiagnosticCode, LegalBasis, PowerItem, Source,
};

/// Lower-case hex of a made-up sha256 that differs per `seed`.
pub(crate) fn sha(seed: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(seed.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn citation(title: &str, article: Option<u32>) -> Citation {
    Citation {
        title: title.to_owned(),
        title_raw: format!("《中华人民共和国{title}》"),
        article,
        ..Citation::default()
    }
}

pub(crate) fn item(seq: u32, name: &str, category: Category, cites: Vec<Citation>) -> PowerItem {
    PowerItem {
        seq: Some(seq),
        line: Some(seq * 10),
        name: name.to_owned(),
        category,
        category_label: category.label().to_owned(),
        subject: Some("县医疗保障局".to_owned()),
        code: Some(format!("CODE-{seq:03}")),
        legal_basis: LegalBasis {
            text: cites.iter().map(|c| c.title_raw.clone()).collect::<Vec<_>>().join("；"),
            citations: cites,
        },
        ..PowerItem::default()
    }
}

/// A catalog of `publisher` whose source sha256 derives from `seed`, with `items`.
pub(crate) fn catalog(publisher: Option<&str>, seed: &str, items: Vec<PowerItem>) -> Catalog {
    Catalog {
        source: Source {
            file_name: format!("{seed}.txt"),
            sha256: sha(seed),
            publisher: publisher.map(str::to_owned),
            title: Some(format!("{}权责清单", publisher.unwrap_or(""))),
            edition: Some("2025年版".to_owned()),
            year: Some(2025),
            layout: "tsv".to_owned(),
            encoding: "utf-8".to_owned(),
            ..Source::default()
        },
        declared: Declared { total: Some(u32::try_from(items.len()).unwrap_or(0)), ..Declared::default() },
        contacts: Vec::new(),
        diagnostics: vec![
            Diagnostic::warning(DiagnosticCode::MissingSerial, "第3行没有序号").at_item(Some(1)),
            Diagnostic::error(DiagnosticCode::DeclaredCountMismatch, "标题称共45项，实有44项"),
        ],
        items,
    }
}

/// The standard three-item catalog.
pub(crate) fn small(publisher: &str, seed: &str) -> Catalog {
    catalog(
        Some(publisher),
        seed,
        vec![
            item(
                1,
                "对定点医药机构骗取医疗保障基金支出的行政处罚",
                Category::Penalty,
                vec![citation("社会保险法", Some(87)), citation("医疗保障基金使用监督管理条例", Some(40))],
            ),
            item(
                2,
                "医疗保障基金使用的监督检查",
                Category::Inspection,
                vec![citation("社会保险法", Some(79))],
            ),
            item(3, "定点医药机构协议管理", Category::Other, vec![]),
        ],
    )
}

/// A catalog with `n` generated items.
pub(crate) fn generated(publisher: &str, seed: &str, n: u32) -> Catalog {
    let items = (1..=n)
        .map(|i| {
            item(
                i,
                &format!("第{i}项 对违反医疗保障管理规定行为的行政处罚"),
                Category::Penalty,
                vec![citation("医疗保障基金使用监督管理条例", Some(i % 50 + 1))],
            )
        })
        .collect();
    catalog(Some(publisher), seed, items)
}
