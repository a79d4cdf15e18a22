//! Properties of the calculator over arbitrary input: it never panics; a computed range lies
//! inside the statutory multiples; bands tile the range; a surcharge never exceeds the fine.

use proptest::prelude::*;
use quanze_law::{Condition, Date, Party, PenaltyQuery, compute, law_data, parse_yuan, registry};

fn query(
    i: usize,
    base: i64,
    fine: Option<i64>,
    days: Option<u32>,
    party: bool,
    day: u32,
    conds: u16,
) -> PenaltyQuery {
    let s = &law_data().sanctions[i % law_data().sanctions.len()];
    let date =
        Date::parse("2016-01-01").and_then(|d| d.add_years((day / 366) as i32)).expect("a day in range");
    PenaltyQuery {
        paragraph: s.paragraph,
        base_amount_fen: Some(base),
        party: if party { Party::Unit } else { Party::Individual },
        conditions: Condition::ALL
            .into_iter()
            .enumerate()
            .filter(|(k, _)| conds & (1 << k) != 0)
            .map(|(_, c)| c)
            .collect(),
        fine_fen: fine,
        days_overdue: days,
        days_owed: days,
        act_date: Date::parse("2015-03-31"),
        ..PenaltyQuery::new(s.statute.clone(), s.article, date)
    }
}

proptest! {
    #[test]
    fn never_panics_and_keeps_its_invariants(
        i in 0usize..64,
        base in -10i64..20_000_000_000_000,
        fine in proptest::option::of(-10i64..20_000_000_000_000),
        days in proptest::option::of(0u32..10_000),
        party: bool,
        day in 0u32..4000,
        conds: u16,
    ) {
        let q = query(i, base, fine, days, party, day, conds);
        if let Ok(r) = compute(registry(), &q) {
            prop_assert!(r.min_fen <= r.max_fen);
            prop_assert!(r.min_fen >= 0);
            if r.fine_applies {
                prop_assert_eq!(r.bands.len(), 3);
                prop_assert_eq!(r.bands[0].min_fen, r.min_fen);
                prop_assert_eq!(r.bands[2].max_fen, r.max_fen);
                prop_assert_eq!(r.bands[0].max_fen, r.bands[1].min_fen);
                prop_assert_eq!(r.bands[1].max_fen, r.bands[2].min_fen);
            }
            if let Some(s) = &r.procedure.surcharge {
                prop_assert!(s.amount_fen <= s.fine_fen);
            }
            prop_assert!(!r.explanation.is_empty() && !r.citations.is_empty());
        }
    }

    #[test]
    fn parse_yuan_never_panics(s in ".{0,40}") {
        let _ = parse_yuan(&s);
    }

    #[test]
    fn parse_yuan_reads_what_it_formats(fen in 0i64..=10_000_000_000_000) {
        let text = format!("{}.{:02}", fen / 100, fen % 100);
        prop_assert_eq!(parse_yuan(&text), Ok(fen));
    }
}
