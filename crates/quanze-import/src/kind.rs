//! The kind of a list (权责清单, 随机抽查事项清单, 免罚清单…), from its title or, when no
//! title names one, from its columns. The words are data (`data/list_kinds.txt`).

use quanze_model::ListKind;

const VOCABULARY: &str = include_str!("../data/list_kinds.txt");

/// Where a kind's word is looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Place {
    Title,
    Column,
}

/// The vocabulary's lines as (kind id, place, words); unknown ids and places give `None`
/// (the tests refuse such a file).
fn vocabulary_lines(text: &str) -> impl Iterator<Item = (&str, Option<ListKind>, Option<Place>, Vec<&str>)> {
    text.lines().filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#')).map(|l| {
        let (key, words) = l.split_once(':').unwrap_or((l, ""));
        let mut parts = key.split_whitespace();
        let id = parts.next().unwrap_or("");
        let place = match parts.next() {
            Some("title") => Some(Place::Title),
            Some("column") => Some(Place::Column),
            _ => None,
        };
        (id, ListKind::from_id(id), place, words.split_whitespace().collect())
    })
}

struct Words {
    title: Vec<(String, ListKind)>,
    column: Vec<(String, ListKind)>,
}

static WORDS: std::sync::LazyLock<Words> = std::sync::LazyLock::new(|| {
    let mut w = Words { title: Vec::new(), column: Vec::new() };
    for (_, kind, place, words) in vocabulary_lines(VOCABULARY) {
        let (Some(kind), Some(place)) = (kind, place) else { continue };
        for word in words {
            let entry = (key(word), kind);
            match place {
                Place::Title => w.title.push(entry),
                Place::Column => w.column.push(entry),
            }
        }
    }
    w
});

/// A text as matched: no white space, full-width folded, simplified.
fn key(text: &str) -> String {
    let folded = quanze_parse::text::fold_width(text);
    let simple = quanze_parse::text::to_simplified(&folded);
    simple.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The kind a title names: of the words it contains, the longest decides.
pub(crate) fn kind_of_title(title: &str) -> Option<ListKind> {
    let t = key(title);
    WORDS
        .title
        .iter()
        .filter(|(w, _)| t.contains(w.as_str()))
        .max_by_key(|(w, _)| w.chars().count())
        .map(|(_, k)| *k)
}

/// The kind a header's labels point to: the kind with most labels among its column words,
/// at least two; ties go to the kind listed first.
pub(crate) fn kind_of_columns<S: AsRef<str>>(labels: &[S]) -> Option<(ListKind, Vec<String>)> {
    // A label's note is not part of its name: 责任事项（岗位职责） is 责任事项.
    let keys: Vec<String> = labels
        .iter()
        .map(|l| {
            let k = key(l.as_ref());
            match k.find(['(', '（']) {
                Some(i) if i > 0 => k[..i].to_string(),
                _ => k,
            }
        })
        .filter(|k| !k.is_empty())
        .collect();
    let mut best: Option<(ListKind, Vec<String>)> = None;
    for kind in ListKind::ALL {
        let hits: Vec<String> = keys
            .iter()
            .filter(|k| WORDS.column.iter().any(|(w, wk)| *wk == kind && w == *k))
            .cloned()
            .collect();
        if hits.len() >= 2 && best.as_ref().is_none_or(|(_, b)| hits.len() > b.len()) {
            best = Some((kind, hits));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vocabulary_names_known_kinds_and_places_and_each_word_once() {
        let mut seen = std::collections::HashSet::new();
        let mut kinds = std::collections::HashSet::new();
        for (id, kind, place, words) in vocabulary_lines(VOCABULARY) {
            let kind = kind.unwrap_or_else(|| panic!("unknown kind {id}"));
            let place = place.unwrap_or_else(|| panic!("line of {id} says neither title nor column"));
            assert!(!words.is_empty(), "{id} has no words");
            kinds.insert(kind);
            for w in words {
                assert!(seen.insert((key(w), place)), "{w} appears twice among the {place:?} words");
            }
        }
        assert_eq!(kinds.len(), ListKind::ALL.len(), "every kind has words");
    }

    #[test]
    fn titles_name_their_kind_and_the_longest_word_wins() {
        let cases = [
            ("涞源县医疗保障局权责清单事项分表", ListKind::Powers),
            ("青铜峡市人力资源和社会保障局权力清单及责任清单", ListKind::Powers),
            ("2025年醫療保障局隨機抽查事項清單", ListKind::RandomInspection),
            ("執法主體事項清單", ListKind::Enforcement),
            ("辰溪县医疗保障局2025年度涉企行政检查计划", ListKind::EnterpriseInspection),
            ("庐山市医疗保障局行政执法减免责清单", ListKind::PenaltyExemption),
            ("一、应当不予行政处罚事项清单", ListKind::PenaltyExemption),
            ("咸宁市医疗保障局重大行政执法决定法制审核目录清单", ListKind::LegalReview),
            ("全国医疗保障经办政务服务事项清单", ListKind::GovernmentServices),
        ];
        for (title, kind) in cases {
            assert_eq!(kind_of_title(title), Some(kind), "{title}");
        }
        assert_eq!(kind_of_title("关于印发有关文件的通知"), None);
    }

    #[test]
    fn columns_name_a_kind_only_with_two_of_its_words() {
        let labels = ["序号", "抽查事项", "检查对象", "抽查 比例", "检查主体"];
        assert_eq!(kind_of_columns(&labels).map(|(k, _)| k), Some(ListKind::RandomInspection));
        let labels = ["序号", "审核事项", "审核依据", "审核部门"];
        assert_eq!(kind_of_columns(&labels).map(|(k, _)| k), Some(ListKind::LegalReview));
        let labels = ["序号", "事项名称", "办理材料", "办理时限"];
        assert_eq!(kind_of_columns(&labels).map(|(k, _)| k), Some(ListKind::GovernmentServices));
        assert_eq!(kind_of_columns(&["序号", "事项名称", "责任事项"]), None, "one word is not enough");
        let labels = ["序号", "职权名称", "责任事项（岗位职责）", "违法责任"];
        assert_eq!(
            kind_of_columns(&labels).map(|(k, _)| k),
            Some(ListKind::Powers),
            "a note is not the name"
        );
    }
}
