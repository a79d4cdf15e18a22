//! Text keys used to decide whether two texts or two names say the same thing.

use std::collections::BTreeSet;

use quanze_model::{Catalog, Citation};
use quanze_parse::text::to_simplified;
use quanze_text::fold_width;

/// Width-folded, simplified text with white space and punctuation removed: two cells
/// differing only in line breaks, full-width digits or 、 vs ， compare equal.
pub fn plain(text: &str) -> String {
    let folded = fold_width(text);
    let simplified = to_simplified(&folded);
    simplified.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Body names that end a bureau's name; what precedes them is the place.
const BODY_SUFFIXES: &[&str] = &[
    "医疗保障事务中心",
    "医疗保障服务中心",
    "医疗保险经办机构",
    "医疗保障经办机构",
    "医疗保险事业管理局",
    "医疗保险管理中心",
    "医疗保障局",
    "医疗保险局",
    "医保中心",
    "医保局",
];

/// Words by which a list names its own place without naming it.
const SELF_REFERENCES: &[&str] = &["我省", "我市", "我县", "我区", "本省", "本市", "本县", "本区"];

/// Place suffixes: a place name is a few characters ending in one of these.
const PLACE_SUFFIXES: &[char] = &['省', '市', '县', '区', '旗', '州', '盟'];

/// Place names of the bureau that published a list (涞源县 and 涞源; 邢台市, 襄都区 and
/// 襄都), from its publisher and the subjects of its items, in plain form, longest first.
/// They are stripped from item names before comparing lists of different places.
pub fn place_names(catalog: &Catalog) -> Vec<String> {
    let mut bodies: BTreeSet<String> = BTreeSet::new();
    if let Some(p) = &catalog.source.publisher {
        bodies.insert(plain(p));
    }
    for item in &catalog.items {
        if let Some(s) = &item.subject {
            bodies.insert(plain(s));
        }
    }
    let mut places: BTreeSet<String> = BTreeSet::new();
    for body in bodies {
        let Some(place) = BODY_SUFFIXES.iter().find_map(|suffix| body.strip_suffix(suffix)) else {
            continue;
        };
        // 邢台市襄都区 → 邢台市, 襄都区; each also without its suffix when two or more
        // characters remain, since names say 襄都 as often as 襄都区.
        let mut current = String::new();
        for c in place.chars() {
            current.push(c);
            if PLACE_SUFFIXES.contains(&c) && current.chars().count() >= 2 {
                let stem: String = current.chars().take(current.chars().count() - 1).collect();
                if stem.chars().count() >= 2 {
                    places.insert(stem);
                }
                places.insert(std::mem::take(&mut current));
            }
        }
        // What is left does not end in a place suffix: not a place (基本医疗保险经办机构
        // leaves 基本), so it is not stripped from names.
    }
    let mut out: Vec<String> = places.into_iter().collect();
    out.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then_with(|| a.cmp(b)));
    out
}

/// Synonyms folded to one form. 医疗保险 (insurance), 医疗保障 (security) and 医保 name the
/// same thing in these lists, whose wording changed with the 2018 reorganisation.
const SYNONYMS: &[(&str, &str)] = &[
    ("医疗保障", "医保"),
    ("医疗保险", "医保"),
    ("劳动保障", "医保"),
    // 生育保险 was merged into 医疗保险 in 2019; older names list both.
    ("医保和生育保险", "医保"),
    ("医保生育保险", "医保"),
    ("或者", "或"),
    ("丢失", "灭失"),
    ("监督管理", "监管"),
    ("监督检查", "监管"),
];

/// Endings that only restate the type of power (…的处罚, …进行监督检查); the type is
/// compared separately, and keeping them makes every two penalties look alike.
const TYPE_SUFFIXES: &[&str] =
    &["行为的处罚", "的处罚", "的处理", "进行监管", "的监管", "行为的监管", "予以封存", "进行封存"];

/// Function words that carry no meaning for matching.
const FILLERS: &[&str] = &["进行", "予以", "的", "等"];

/// The name of an item reduced to what identifies the power across places: plain form,
/// the list's own place names and self references removed, synonyms folded, the type
/// ending and filler words dropped. `places` comes from [`place_names`].
pub fn name_key(name: &str, places: &[String]) -> String {
    let mut s = plain(name);
    for place in places {
        s = s.replace(place.as_str(), "");
    }
    for word in SELF_REFERENCES {
        s = s.replace(word, "");
    }
    s = strip_leading_place(&s);
    for (from, to) in SYNONYMS {
        s = s.replace(from, to);
    }
    let mut stripped = true;
    while stripped {
        stripped = false;
        for suffix in TYPE_SUFFIXES {
            if let Some(rest) = s.strip_suffix(suffix)
                && !rest.is_empty()
            {
                s = rest.to_string();
                stripped = true;
            }
        }
    }
    if let Some(rest) = s.strip_prefix('对') {
        s = rest.to_string();
    }
    for word in FILLERS {
        s = s.replace(word, "");
    }
    s
}

/// Drop a place at the start of a name (襄都区参保女职工…) that the list's publisher did
/// not reveal: two or three characters ending in 县, 区 or 旗, followed by more text.
/// 市 is left alone: 市场… starts too many real names.
fn strip_leading_place(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    for len in [3usize, 4] {
        if chars.len() > len + 1 && matches!(chars.get(len - 1), Some('县' | '区' | '旗')) {
            return chars[len..].iter().collect();
        }
    }
    s.to_string()
}

/// An instrument title's lookup key, the one the registry and the store use
/// (`quanze_text::statute_key`): two lists citing one instrument in different printings
/// (《》 or not, an edition note, the notice that issued it) cite the same key.
pub fn statute_key(title: &str) -> String {
    quanze_text::statute_key(title)
}

/// The citations of a legal basis as (title, article) keys, deduplicated and sorted.
pub fn citation_keys(citations: &[Citation]) -> Vec<(String, Option<u32>)> {
    let set: BTreeSet<(String, Option<u32>)> =
        citations.iter().map(|c| (statute_key(&c.title), c.article)).filter(|(t, _)| !t.is_empty()).collect();
    set.into_iter().collect()
}

pub use quanze_parse::text::{bigrams, dice};

#[cfg(test)]
mod tests {
    use super::*;
    use quanze_model::{PowerItem, Source};

    fn catalog_of(publisher: &str) -> Catalog {
        Catalog {
            source: Source { publisher: Some(publisher.into()), ..Source::default() },
            declared: Default::default(),
            contacts: vec![],
            items: vec![PowerItem { subject: Some(publisher.into()), ..PowerItem::default() }],
            diagnostics: vec![],
        }
    }

    #[test]
    fn places_come_from_the_publisher() {
        let places = place_names(&catalog_of("邢台市襄都区医疗保障局"));
        assert_eq!(places, ["襄都区", "邢台市", "襄都", "邢台"]);
        assert_eq!(place_names(&catalog_of("涞源县医疗保障局")), ["涞源县", "涞源"]);
        assert!(place_names(&catalog_of("基本医疗保险经办机构")).is_empty());
    }

    #[test]
    fn name_keys_ignore_place_wording_and_type_endings() {
        let xiangdu = place_names(&catalog_of("邢台市襄都区医疗保障局"));
        assert_eq!(name_key("襄都区单位医疗保险登记", &xiangdu), "单位医保登记");
        assert_eq!(name_key("医疗保险稽核", &[]), name_key("医疗保障稽核", &[]));
        assert_eq!(
            name_key("对纳入基本医疗保险基金支付范围的医疗服务行为和医疗费用的监督检查", &[]),
            name_key("对纳入基本医疗保险基金支付范围的医疗服务行为和医疗费用进行监督管理", &[])
        );
        // A place at the start that the publisher did not reveal.
        assert_eq!(name_key("涞源县参保登记", &[]), "参保登记");
        assert_eq!(name_key("对我县非营利性医疗机构核准", &[]), "非营利性医疗机构核准");
    }

    #[test]
    fn dice_of_bigrams() {
        assert_eq!(dice(&bigrams("医保稽核"), &bigrams("医保稽核")), 1.0);
        assert_eq!(dice(&bigrams("ab"), &bigrams("cd")), 0.0);
        assert!((dice(&bigrams("abc"), &bigrams("abd")) - 0.5).abs() < 1e-9);
        assert_eq!(dice::<u8>(&[], &[]), 0.0);
    }

    #[test]
    fn plain_ignores_layout() {
        assert_eq!(plain("第八十七条：\n 罚款，"), "第八十七条罚款");
    }
}
