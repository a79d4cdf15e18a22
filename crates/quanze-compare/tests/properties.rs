//! Properties of diff and alignment on arbitrary lists: no panic, one-to-one, every item
//! accounted for, a list equal to itself.

use proptest::prelude::*;
use quanze_compare::{align, diff_versions};
use quanze_model::{Catalog, Category, PowerItem, Source};

fn arb_item() -> impl Strategy<Value = PowerItem> {
    (
        proptest::option::of(0u32..30),
        "[对医保疗险障基金罚款处的监督检查县区、（）]{0,12}",
        proptest::option::of("[0-9A-Z]{0,4}"),
        0usize..Category::ALL.len(),
        "\\PC{0,20}",
    )
        .prop_map(|(seq, name, code, category, basis)| {
            let mut item =
                PowerItem { seq, name, code, category: Category::ALL[category], ..PowerItem::default() };
            item.legal_basis.text = basis;
            item
        })
}

fn arb_catalog() -> impl Strategy<Value = Catalog> {
    (proptest::option::of("\\PC{0,8}(县|区)?医疗保障局"), proptest::collection::vec(arb_item(), 0..12))
        .prop_map(|(publisher, items)| Catalog {
            source: Source { publisher, ..Source::default() },
            declared: Default::default(),
            contacts: vec![],
            items,
            diagnostics: vec![],
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn alignment_accounts_for_every_item_once(a in arb_catalog(), b in arb_catalog()) {
        let al = align(&a, &b);
        let mut seen_a: Vec<usize> = al.pairs.iter().map(|p| p.a_index).chain(al.only_a.iter().copied()).collect();
        let mut seen_b: Vec<usize> = al.pairs.iter().map(|p| p.b_index).chain(al.only_b.iter().copied()).collect();
        seen_a.sort_unstable();
        seen_b.sort_unstable();
        prop_assert_eq!(seen_a, (0..a.items.len()).collect::<Vec<_>>());
        prop_assert_eq!(seen_b, (0..b.items.len()).collect::<Vec<_>>());
        for p in &al.pairs {
            prop_assert!((0.0..=1.0).contains(&p.score));
        }
    }

    #[test]
    fn diff_accounts_for_every_item_once(old in arb_catalog(), new in arb_catalog()) {
        let d = diff_versions(&old, &new);
        let mut olds: Vec<usize> = d.removed.iter().map(|s| s.index)
            .chain(d.changed.iter().map(|c| c.old.index))
            .chain(d.unchanged.iter().map(|m| m.old_index))
            .collect();
        let mut news: Vec<usize> = d.added.iter().map(|s| s.index)
            .chain(d.changed.iter().map(|c| c.new.index))
            .chain(d.unchanged.iter().map(|m| m.new_index))
            .collect();
        olds.sort_unstable();
        news.sort_unstable();
        prop_assert_eq!(olds, (0..old.items.len()).collect::<Vec<_>>());
        prop_assert_eq!(news, (0..new.items.len()).collect::<Vec<_>>());
    }

    #[test]
    fn a_list_does_not_differ_from_itself(c in arb_catalog()) {
        prop_assert!(diff_versions(&c, &c).is_empty());
    }
}
