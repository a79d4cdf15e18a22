use quanze_model::{Catalog, Category, Citation, LegalBasis, PowerItem, Source};

use crate::{ItemField, MatchKey, align, diff_versions};

fn catalog(publisher: &str, items: Vec<PowerItem>) -> Catalog {
    Catalog {
        source: Source { publisher: Some(publisher.into()), ..Source::default() },
        declared: Default::default(),
        contacts: vec![],
        items,
        diagnostics: vec![],
    }
}

fn item(seq: Option<u32>, name: &str, category: Category, cites: &[(&str, u32)]) -> PowerItem {
    PowerItem {
        seq,
        name: name.into(),
        category,
        category_label: category.label().into(),
        legal_basis: LegalBasis {
            text: cites.iter().map(|(t, a)| format!("《{t}》第{a}条")).collect::<Vec<_>>().join("；"),
            citations: cites
                .iter()
                .map(|(t, a)| Citation { title: (*t).into(), article: Some(*a), ..Citation::default() })
                .collect(),
        },
        ..PowerItem::default()
    }
}

fn laiyuan() -> Catalog {
    catalog(
        "涞源县医疗保障局",
        vec![
            item(
                Some(1),
                "对用人单位不办理医疗保险和生育保险登记、未按规定变更登记或注销登记以及伪造、变造登记证明的处罚",
                Category::Penalty,
                &[("社会保险法", 84)],
            ),
            item(
                Some(2),
                "对以欺诈、伪造证明材料或者其他手段骗取医疗保险、生育保险待遇的处罚",
                Category::Penalty,
                &[("社会保险法", 88)],
            ),
            item(
                Some(3),
                "对可能转移、隐匿或者灭失的医疗保险基金相关资料进行封存",
                Category::Coercion,
                &[("社会保险法", 79)],
            ),
            item(Some(4), "医疗保险稽核", Category::Inspection, &[("社会保险法", 31)]),
            item(None, "单位参保登记", Category::Confirmation, &[("社会保险法", 57)]),
            item(Some(6), "门诊费用报销", Category::Payment, &[("社会保险法", 28)]),
        ],
    )
}

fn xiangdu() -> Catalog {
    catalog(
        "邢台市襄都区医疗保障局",
        vec![
            item(Some(1), "襄都区单位医疗保险登记", Category::Confirmation, &[("社会保险法", 57)]),
            item(
                Some(2),
                "对被转移、隐匿或者灭失的医疗保障基金收支、管理相关的资料予以封存",
                Category::Coercion,
                &[("社会保险法", 79)],
            ),
            item(
                Some(3),
                "对用人单位不办理医疗保险和生育保险登记、未按规定变更登记或注销登记以及伪造、变造登记证明的处罚",
                Category::Penalty,
                &[("社会保险法", 84)],
            ),
            item(Some(4), "医疗保障稽核", Category::Inspection, &[]),
            item(Some(5), "襄都区参保女职工生育津贴申领", Category::Payment, &[("社会保险法", 56)]),
        ],
    )
}

#[test]
fn align_pairs_reworded_items_and_leaves_the_rest() {
    let a = laiyuan();
    let b = xiangdu();
    let al = align(&a, &b);
    let pairs: Vec<(usize, usize)> = al.pairs.iter().map(|p| (p.a_index, p.b_index)).collect();
    assert_eq!(pairs, vec![(0, 2), (2, 1), (3, 3), (4, 0)], "{al:#?}");
    assert_eq!(al.only_a, vec![1, 5]);
    assert_eq!(al.only_b, vec![4]);
    let audit = &al.pairs[2];
    assert_eq!(audit.why.name_key_a, audit.why.name_key_b);
    assert_eq!(audit.why.citation_overlap, None, "b has no parsed citation");
    assert!(audit.differences.iter().any(|d| d.field == ItemField::Name));
    let sealing = &al.pairs[1];
    assert_eq!(sealing.why.shared_citations, vec!["社会保险法 第79条".to_string()]);
    assert!(sealing.why.same_category);
    // Identical items differ in nothing but bureau-specific fields.
    assert!(al.pairs[0].differences.is_empty(), "{:?}", al.pairs[0].differences);
}

#[test]
fn align_is_one_to_one_and_deterministic() {
    let a = laiyuan();
    let mut b = laiyuan();
    b.items.push(b.items[0].clone());
    let first = align(&a, &b);
    assert_eq!(first, align(&a, &b));
    assert_eq!(first.pairs.len(), a.items.len());
    assert_eq!(first.only_b, vec![6]);
    let mut seen_b: Vec<usize> = first.pairs.iter().map(|p| p.b_index).collect();
    seen_b.sort_unstable();
    seen_b.dedup();
    assert_eq!(seen_b.len(), first.pairs.len());
}

#[test]
fn empty_lists_align_to_nothing() {
    let empty = catalog("涞源县医疗保障局", vec![]);
    let al = align(&empty, &laiyuan());
    assert!(al.pairs.is_empty());
    assert!(al.only_a.is_empty());
    assert_eq!(al.only_b.len(), 6);
}

#[test]
fn version_diff_reports_added_removed_and_changed_fields() {
    let old = laiyuan();
    let mut new = laiyuan();
    // Renumbered and reworded: same item.
    new.items.remove(1);
    for (k, it) in new.items.iter_mut().enumerate() {
        it.seq = Some(k as u32 + 1);
    }
    new.items[2].name = "医疗保障稽核".into();
    new.items[3].legal_basis.text = "《社会保险法》第五十八条".into();
    new.items[3].subject = Some("涞源县医疗保障局".into());
    new.items.push(item(Some(6), "对医疗救助的监督检查", Category::Inspection, &[]));
    // Re-wrapped text is not a change.
    new.items[0].legal_basis.text = format!("\n{} ", new.items[0].legal_basis.text);

    let d = diff_versions(&old, &new);
    assert_eq!(d.removed.iter().map(|s| s.index).collect::<Vec<_>>(), vec![1]);
    assert_eq!(d.added.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), vec!["对医疗救助的监督检查"]);
    let changed: Vec<(usize, usize, MatchKey, Vec<ItemField>)> = d
        .changed
        .iter()
        .map(|c| (c.old.index, c.new.index, c.matched_by, c.fields.iter().map(|f| f.field).collect()))
        .collect();
    assert_eq!(
        changed,
        vec![
            (3, 2, MatchKey::Similar, vec![ItemField::Name]),
            (4, 3, MatchKey::Name, vec![ItemField::Subject, ItemField::LegalBasis]),
        ]
    );
    assert_eq!(d.changed[0].fields[0].before, "医疗保险稽核");
    assert_eq!(d.changed[0].fields[0].after, "医疗保障稽核");
    assert_eq!(d.unchanged.len(), 3);
    assert!(!d.is_empty());
    assert!(diff_versions(&old, &old).is_empty());
}

#[test]
fn codes_match_first_but_only_when_unique() {
    let mut old = laiyuan();
    let mut new = laiyuan();
    // Same code, renamed beyond recognition: still the same item.
    old.items[5].code = Some("11620621MB1765558346205".into());
    new.items[5].code = Some("11620621MB1765558346205".into());
    new.items[5].name = "基本医疗保险门诊待遇给付".into();
    // A code shared by two items identifies neither.
    for k in [0, 1] {
        old.items[k].code = Some("DUP".into());
        new.items[k].code = Some("DUP".into());
    }
    new.items.swap(0, 1);
    let d = diff_versions(&old, &new);
    assert_eq!(d.changed.len(), 1);
    assert_eq!(d.changed[0].matched_by, MatchKey::Code);
    // The duplicated-code items moved together with their 序号, so serial and name match.
    let by_serial: Vec<(usize, usize)> = d
        .unchanged
        .iter()
        .filter(|m| m.matched_by == MatchKey::SeqAndName)
        .map(|m| (m.old_index, m.new_index))
        .collect();
    assert_eq!(by_serial, vec![(1, 0), (0, 1), (2, 2), (3, 3)]);
}

#[test]
fn results_serialize() {
    let al = align(&laiyuan(), &xiangdu());
    let json = serde_json::to_value(&al).unwrap_or_default();
    assert!(json["pairs"][0]["why"]["name_similarity"].is_number());
    let d = diff_versions(&laiyuan(), &xiangdu());
    let json = serde_json::to_value(&d).unwrap_or_default();
    assert!(json["added"].is_array());
}
