//! The calculator's paragraph (款) bound (issue 12): a paragraph the article does not have is
//! refused, never worded (4294967295 was accepted and printed as 第七千二百九十五款).

use quanze_law::calc::assess::MAX_PARAGRAPHS;
use quanze_law::{Date, LawError, PenaltyQuery, compute, law_data, registry};

fn query(statute: &str, article: u32, paragraph: Option<u32>) -> PenaltyQuery {
    let date = Date::parse("2024-06-01").expect("a date");
    PenaltyQuery {
        paragraph,
        base_amount_fen: Some(100_000),
        ..PenaltyQuery::new(statute.to_string(), article, date)
    }
}

#[test]
fn a_paragraph_the_article_lacks_is_refused_for_every_sanction_article() {
    let reg = registry();
    let mut checked = 0;
    for s in &law_data().sanctions {
        let count = reg
            .article(&s.statute, s.article)
            .filter(|(e, a)| e.full_text && !a.paragraphs.is_empty())
            .map(|(_, a)| u32::try_from(a.paragraphs.len()).expect("few paragraphs"));
        let beyond = count.unwrap_or(MAX_PARAGRAPHS) + 1;
        for p in [u32::MAX, beyond, 0] {
            match compute(reg, &query(&s.statute, s.article, Some(p))) {
                Err(LawError::UnknownParagraph { paragraph, count: c, .. }) => {
                    assert_eq!(paragraph, p);
                    assert_eq!(c, count, "{} article {}", s.statute, s.article);
                }
                other => panic!("《{}》 article {} paragraph {p}: {other:?}", s.statute, s.article),
            }
        }
        // The paragraph the data itself names is always within the bound.
        if let Some(p) = s.paragraph {
            assert!(
                p <= count.unwrap_or(MAX_PARAGRAPHS),
                "{} article {} paragraph {p}",
                s.statute,
                s.article
            );
            if let Err(LawError::UnknownParagraph { .. }) =
                compute(reg, &query(&s.statute, s.article, Some(p)))
            {
                panic!("《{}》 article {} refused its own paragraph {p}", s.statute, s.article);
            }
        }
        checked += 1;
    }
    assert!(checked > 10, "the sanction data has articles");
}
