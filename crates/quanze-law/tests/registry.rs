//! The registry is the output of `build-registry` on the committed sources, and the sanction
//! and procedure data agree word for word with the statute texts.

#![allow(clippy::unwrap_used)] // test code: a failed read is a failed test

use std::path::{Path, PathBuf};

use quanze_law::text::normalize_for_compare;
use quanze_law::{Date, Lookup, law_data, registry};

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read_dir(dir: &Path, ext: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == ext))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "README.md")
        .map(|n| {
            let t = std::fs::read_to_string(dir.join(&n)).unwrap();
            (n, t)
        })
        .collect();
    out.sort();
    out
}

fn rebuild(texts: &Path) -> Vec<(String, String)> {
    let meta = std::fs::read_to_string(crate_dir().join("data/sources/registry.toml")).unwrap();
    let seeds = read_dir(&crate_dir().join("../../data/seeds"), "txt");
    assert_eq!(seeds.len(), 5, "the five seed lists");
    quanze_law::builder::build(&meta, &read_dir(texts, "md"), &seeds).unwrap()
}

fn assert_matches_committed(built: &[(String, String)]) {
    let out = crate_dir().join("data/statutes");
    let committed_json = read_dir(&out, "json");
    let built_json: Vec<&(String, String)> = built.iter().filter(|(n, _)| n.ends_with(".json")).collect();
    assert_eq!(
        committed_json.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
        built_json.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
        "registry file set differs: run build-registry"
    );
    for (name, content) in built {
        let committed = std::fs::read_to_string(out.join(name)).unwrap_or_default();
        assert!(
            committed == *content,
            "data/statutes/{name} is stale: run `cargo run -p quanze-law --bin build-registry -- \
             crates/quanze-law/data/sources crates/quanze-law/data/statutes`"
        );
    }
}

#[test]
fn committed_registry_is_the_conversion_of_the_committed_sources() {
    assert_matches_committed(&rebuild(&crate_dir().join("data/sources")));
}

#[test]
fn shared_statute_texts_when_present_give_the_same_registry() {
    let shared = crate_dir().join("../../../shared/domain/statutes");
    if !shared.is_dir() {
        eprintln!("no {} (fresh clone): checked against data/sources only", shared.display());
        return;
    }
    let theirs = read_dir(&shared, "md");
    let ours = read_dir(&crate_dir().join("data/sources"), "md");
    assert_eq!(theirs, ours, "data/sources differs from shared/domain/statutes: run build-registry");
    assert_matches_committed(&rebuild(&shared));
}

#[test]
fn embedded_registry_loads_every_file() {
    let reg = registry();
    assert!(reg.load_errors.is_empty(), "{:?}", reg.load_errors);
    let files = read_dir(&crate_dir().join("data/statutes"), "json");
    assert_eq!(reg.editions.len(), files.len());
    assert_eq!(quanze_law::registry::embedded_files().count(), files.len());
}

#[test]
fn lookups_by_title_alias_and_article() {
    let reg = registry();
    for t in ["社会保险法", "中华人民共和国社会保险法", "《中华人民共和国社会保险法》", "社保法"]
    {
        assert_eq!(reg.canonical_title(t), Some("社会保险法"), "{t}");
    }
    let (ed, art) = reg.article("社会保险法", 87).unwrap();
    assert_eq!(ed.id, "社会保险法(2018-12-29)");
    assert!(art.text().contains("处骗取金额二倍以上五倍以下的罚款"));
    let (_, a41) = reg.article("医疗保障基金使用监督管理条例", 41).unwrap();
    assert_eq!(a41.paragraphs.len(), 2);
    assert_eq!(a41.paragraphs[0].items.len(), 3);
    assert!(a41.paragraphs[0].items[1].text.contains("重复享受医疗保障待遇"));
    let cf = reg.current("行政处罚法").unwrap();
    assert_eq!(cf.article_count(), Some(86));
    assert_eq!(cf.effective, Date::parse("2021-07-15"));
    assert_eq!(reg.current("基本医疗卫生与健康促进法").unwrap().article_count(), Some(110));
    // Editions in force by date.
    let d = |s| Date::parse(s).unwrap();
    match reg.lookup("行政处罚法", d("2020-06-01")) {
        Lookup::InForce(e) => assert_eq!(e.id, "行政处罚法(2017-09-01)"),
        other => panic!("{other:?}"),
    }
    match reg.lookup("行政处罚法", d("2021-07-15")) {
        Lookup::InForce(e) => assert_eq!(e.id, "行政处罚法(2021-01-22)"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(reg.lookup("医疗保障基金使用监督管理条例", d("2021-04-30")), Lookup::NotYet(_)));
    assert!(matches!(
        reg.lookup("欺诈骗取医疗保障基金行为举报奖励暂行办法", d("2024-01-01")),
        Lookup::Superseded(_)
    ));
    assert!(matches!(reg.lookup("基本医疗保险卫生与健康管理条例", d("2024-01-01")), Lookup::Unknown));
    // Instruments without a full text are registered with what the lists quote.
    let jc = reg.current("社会保险费征缴监督检查办法").unwrap();
    assert!(!jc.full_text);
    assert!(jc.article(14).unwrap().quotes[0].text.contains("应当给予警告"));
    assert!(reg.current("监察法").is_some());
    assert_eq!(reg.suggest("医疗保险基金使用监督管理条例"), Some("医疗保障基金使用监督管理条例"));
}

fn contains_normalized(hay: &str, needle: &str) -> bool {
    let h: String = normalize_for_compare(hay).into_iter().collect();
    let n: String = normalize_for_compare(needle).into_iter().collect();
    h.contains(&n)
}

#[test]
fn every_sanction_component_quotes_its_article() {
    let data = law_data();
    assert!(data.load_errors.is_empty(), "{:?}", data.load_errors);
    let reg = registry();
    let mut checked = 0;
    for s in &data.sanctions {
        let (_, art) = reg
            .article(&s.statute, s.article)
            .unwrap_or_else(|| panic!("{} {} not in the registry", s.statute, s.article));
        for c in &s.component {
            let text = match c.paragraph.or(s.paragraph) {
                Some(p) => {
                    art.paragraph_text(p).unwrap_or_else(|| panic!("{} {} ¶{p}", s.statute, s.article))
                }
                None => art.text(),
            };
            assert!(
                contains_normalized(&text, &c.text),
                "{} 第{}条: {:?} not in {text:?}",
                s.statute,
                s.article,
                c.text
            );
            checked += 1;
        }
    }
    // legal-rules.md §2–4: 条例 36–48, 社会保险法 84/86/87/88/91/93, 征缴条例 23/24,
    // 基本医疗卫生与健康促进法 103, 社会救助暂行办法 68, 社会保险经办条例 55/57.
    let want: &[(&str, &[u32])] = &[
        ("医疗保障基金使用监督管理条例", &[36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48]),
        ("社会保险法", &[84, 86, 87, 88, 91, 93]),
        ("社会保险费征缴暂行条例", &[23, 24]),
        ("基本医疗卫生与健康促进法", &[103]),
        ("社会救助暂行办法", &[68]),
        ("社会保险经办条例", &[55, 57]),
    ];
    for (statute, arts) in want {
        for a in *arts {
            assert!(!data.sanctions_of(statute, *a, None).is_empty(), "no sanction data for {statute} {a}");
        }
    }
    assert_eq!(checked, include_str!("../data/sanctions.toml").matches("[[sanction.component]]").count());
}

#[test]
fn verified_procedure_figures_quote_their_article() {
    let reg = registry();
    for f in &law_data().figures {
        for v in &f.values {
            if !v.is_verified() {
                assert_eq!(v.status, quanze_law::sanctions::Verification::Unverified, "{}", f.key);
                continue;
            }
            let id = format!("{}({})", v.statute, v.edition);
            let ed = reg.by_id(&id).unwrap_or_else(|| panic!("{id} not registered"));
            let art = ed.article(v.article).unwrap_or_else(|| panic!("{id} {}", v.article));
            assert!(
                contains_normalized(&art.text(), &v.words),
                "{} {id} {}: {:?}",
                f.key,
                v.article,
                v.words
            );
        }
    }
}
