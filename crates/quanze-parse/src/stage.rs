//! Stages in 责任事项 cells: "1.立案责任：…", "（二）调查阶段责任:…", "立案责任（立案岗）：…".
//!
//! Forms found in the published lists:
//! - numbered items `1.` `1、` `1．` `（一）` `(一)` `一、`, also `4事后管理责任：` with no
//!   punctuation after the number when a stage name follows;
//! - items separated only by spaces, with no numbers at all (an `<ol>` whose `<li>` were lost):
//!   `立案责任：… 调查责任：… 其他法律法规规章文件规定应履行的责任。`;
//! - names ending in 责任, 阶段责任, 职责, 阶段 (`数据收集阶段:`), or none of these
//!   (`安全管理:`), optionally naming the post: `立案责任（立案岗）：`;
//! - the closing "其他法律法规规章文件规定应履行的责任。" (or "…规定的其他责任", "其他责任：…").
//!
//! Numbered items that carry no stage name (`1.执行省市级制定的行政处罚标准规范…`) are kept
//! as stages of kind [`StageKind::Other`] with an empty name and their whole text: the list
//! numbered them as duties, and dropping them would lose what the list says.

use quanze_model::{Stage, StageKind};

use crate::marker::{Chars, top_level_markers};
use crate::text::{is_placeholder, strip_html};

/// Longest stage name accepted, in characters, including a post in parentheses.
const MAX_NAME_CHARS: usize = 24;

/// Split a 责任事项 cell into stages. Text before the first stage marker (a heading such
/// as 直接实施责任:) is not a stage; the caller keeps the whole cell text.
pub fn parse_stages(cell: &str) -> Vec<Stage> {
    let text = strip_html(cell);
    if is_placeholder(&text) {
        return Vec::new();
    }
    let c = Chars::new(&text);
    let markers = top_level_markers(&c, &|c, at| name_at(c, at, c.len()).is_some_and(|n| n.has_suffix));
    if markers.is_empty() {
        return unnumbered(&c);
    }
    let mut stages = Vec::with_capacity(markers.len());
    for (k, m) in markers.iter().enumerate() {
        let end = markers.get(k + 1).map_or(c.len(), |n| n.start);
        let (start, end) = c.trimmed(m.end, end);
        if start == end {
            continue;
        }
        stages.push(item_stage(stages.len() as u32 + 1, &c, start, end));
    }
    stages
}

/// A stage name found at the start of an item.
struct Name {
    /// Where the name as printed (with its suffix and post) ends: at its colon or 。.
    raw_end: usize,
    /// Where the duties start (after the colon).
    text_start: usize,
    /// Whether the name ends in 责任 / 职责 / 阶段, which makes it a name for sure.
    has_suffix: bool,
}

/// The name at `at`, before `end`: a short run without sentence punctuation, closed by a
/// colon (or by 。 when it ends in 责任, as in "调查责任（调查岗）。对不配合…").
fn name_at(c: &Chars, at: usize, end: usize) -> Option<Name> {
    let end = end.min(c.len());
    let mut j = at;
    while j < end && c.fold[j].is_whitespace() {
        j += 1;
    }
    let start = j;
    while j < end && j - start <= MAX_NAME_CHARS {
        let ch = c.fold[j];
        if ch == ':' || ch == '。' {
            let raw = c.slice(start, j);
            let raw = raw.trim();
            if raw.is_empty() {
                return None;
            }
            let (bare, _) = split_post(raw);
            let has_suffix = ["责任", "职责", "阶段"].iter().any(|s| bare.ends_with(s));
            if ch == '。' && !has_suffix {
                return None;
            }
            return Some(Name { raw_end: j, text_start: j + 1, has_suffix });
        }
        if matches!(ch, '，' | ',' | '；' | ';' | '、' | '“' | '”' | '《' | '》' | '.' | '\n') {
            return None;
        }
        j += 1;
    }
    None
}

/// Split "立案责任（立案岗）" into ("立案责任", Some("立案岗")).
fn split_post(raw: &str) -> (&str, Option<&str>) {
    let trimmed = raw.trim_end();
    let Some(inner_end) = trimmed.strip_suffix(['）', ')']) else {
        return (trimmed, None);
    };
    let Some(open) = inner_end.rfind(['（', '(']) else {
        return (trimmed, None);
    };
    let inner = &inner_end[open..];
    let inner = inner.trim_start_matches(['（', '(']).trim();
    if inner.ends_with('岗') || inner.ends_with("岗位") {
        (inner_end[..open].trim_end(), Some(inner))
    } else {
        (trimmed, None)
    }
}

/// The name without its 责任 / 阶段责任 / 职责 / 阶段 suffix.
fn strip_suffix(name: &str) -> &str {
    let mut n = name.trim();
    for suffix in ["阶段责任", "阶段职责", "责任事项", "责任", "职责", "阶段"] {
        if let Some(s) = n.strip_suffix(suffix) {
            n = s.trim_end();
            break;
        }
    }
    n
}

/// Whether an item is the closing "other duties" line (其他法律法规规章文件规定应履行的责任).
fn is_other_duties(item: &str) -> bool {
    let t = item.trim().trim_end_matches(['。', '.', '；', ';', ' ']);
    t.contains("其他") && (t.ends_with("责任") || t.ends_with("职责") || t.ends_with("责任事项"))
}

/// One stage from the text of one item (without its number): `start..end` of the cell,
/// trimmed.
fn item_stage(seq: u32, c: &Chars, start: usize, end: usize) -> Stage {
    // Built only when needed: most items start with a name closed by a colon.
    let item = || c.slice(start, end);
    let name = name_at(c, start, end);
    // "其他…应履行的责任。" reads as a name closed by 。 but is the whole duty.
    let name = name.filter(|n| !(c.fold.get(n.raw_end) == Some(&'。') && is_other_duties(&item())));
    if let Some(name) = name {
        let raw = c.slice(start, name.raw_end);
        let (bare, post) = split_post(raw.trim());
        let name_str = strip_suffix(bare).to_string();
        let text = c.slice_trimmed(name.text_start, end);
        let kind = stage_kind(&name_str);
        let name_str = if kind == StageKind::Other && name_str.starts_with("其他") {
            "其他".into()
        } else {
            name_str
        };
        return Stage { seq, name: name_str, kind, post: post.map(str::to_string), text };
    }
    let item = item();
    if is_other_duties(&item) {
        return Stage { seq, name: "其他".into(), kind: StageKind::Other, post: None, text: item };
    }
    Stage { seq, name: String::new(), kind: StageKind::Other, post: None, text: item }
}

/// Stages of a cell without numbers: each starts with "名称责任：" after a space or a
/// sentence end; a closing "其他…责任。" sentence is a stage of its own.
fn unnumbered(c: &Chars) -> Vec<Stage> {
    let mut heads = Vec::new();
    let mut i = 0;
    while i < c.len() {
        let at_boundary =
            i == 0 || c.fold[i - 1].is_whitespace() || matches!(c.fold[i - 1], '。' | '；' | ';');
        if at_boundary
            && !c.fold[i].is_whitespace()
            && let Some(name) = name_at(c, i, c.len())
            && name.has_suffix
            && c.fold.get(name.raw_end) == Some(&':')
        {
            heads.push(i);
            i = name.text_start;
            continue;
        }
        i += 1;
    }
    let mut stages = Vec::new();
    for (k, &h) in heads.iter().enumerate() {
        let end = heads.get(k + 1).copied().unwrap_or(c.len());
        let item = c.slice(h, end);
        let is_last = k + 1 == heads.len();
        let (item, other) = if is_last { split_trailing_other(&item) } else { (item, None) };
        let item = Chars::new(item.trim());
        stages.push(item_stage(stages.len() as u32 + 1, &item, 0, item.len()));
        if let Some(o) = other {
            stages.push(Stage {
                seq: stages.len() as u32 + 1,
                name: "其他".into(),
                kind: StageKind::Other,
                post: None,
                text: o,
            });
        }
    }
    stages
}

/// Split "…决定是否立案。 其他法律法规规章文件规定应履行的责任。" into the item and the
/// closing other-duties sentence, when the item ends with one after a space or sentence end.
fn split_trailing_other(item: &str) -> (String, Option<String>) {
    let c = Chars::new(item.trim_end());
    let mut k = c.len();
    while k > 0 {
        k -= 1;
        let ch = c.fold[k];
        if ch.is_whitespace() || "。；;".contains(ch) {
            let tail = c.slice(k + 1, c.len());
            let tail = tail.trim();
            if tail.starts_with("其他") && is_other_duties(tail) {
                return (c.slice(0, k + 1), Some(tail.to_string()));
            }
            if !tail.is_empty() && !tail.starts_with("其他") && tail.chars().count() > 60 {
                break;
            }
        }
    }
    (item.to_string(), None)
}

/// Keywords of stage names, by kind. Compound names (受理认定, 报批决定) take the kind of
/// the keyword that comes first in the name.
const KEYWORDS: &[(&str, StageKind)] = &[
    ("其他", StageKind::Other),
    ("事后监管", StageKind::Supervision),
    ("事后管理", StageKind::Supervision),
    ("事后监督", StageKind::Supervision),
    ("监管", StageKind::Supervision),
    ("监督", StageKind::Supervision),
    ("受理", StageKind::Acceptance),
    ("立案", StageKind::Filing),
    ("调查", StageKind::Investigation),
    ("核查", StageKind::Investigation),
    ("取证", StageKind::Investigation),
    ("检查", StageKind::Inspection),
    ("稽核", StageKind::Inspection),
    ("审查", StageKind::Review),
    ("审核", StageKind::Review),
    ("审理", StageKind::Review),
    ("审批", StageKind::Review),
    ("审定", StageKind::Review),
    ("初审", StageKind::Review),
    ("复核", StageKind::Review),
    ("复审", StageKind::Review),
    ("核定", StageKind::Review),
    ("核准", StageKind::Review),
    ("认定", StageKind::Review),
    ("告知", StageKind::Notification),
    ("听证", StageKind::Hearing),
    ("催告", StageKind::Demand),
    ("决定", StageKind::Decision),
    ("处理", StageKind::Decision),
    ("处置", StageKind::Decision),
    ("确定", StageKind::Decision),
    ("处罚", StageKind::Decision),
    ("送达", StageKind::Service),
    ("执行", StageKind::Enforcement),
    ("实施", StageKind::Enforcement),
    ("支付", StageKind::Payment),
    ("给付", StageKind::Payment),
    ("拨付", StageKind::Payment),
    ("结算", StageKind::Payment),
    ("发放", StageKind::Payment),
    ("公示", StageKind::Publication),
    ("公开", StageKind::Publication),
    ("公告", StageKind::Publication),
    ("移送", StageKind::Transfer),
    ("移交", StageKind::Transfer),
];

/// The canonical kind of a stage name (立案 → Filing).
pub fn stage_kind(name: &str) -> StageKind {
    let name = strip_suffix(name);
    // The earliest keyword wins, the longest at one position. Names are short, so testing
    // each position beats building a substring searcher per keyword (a hot path on large lists).
    for (pos, _) in name.char_indices() {
        let rest = &name[pos..];
        let mut best: Option<(usize, StageKind)> = None;
        for (kw, kind) in KEYWORDS {
            if rest.starts_with(kw) && best.is_none_or(|(len, _)| kw.len() > len) {
                best = Some((kw.len(), *kind));
            }
        }
        if let Some((_, kind)) = best {
            return kind;
        }
    }
    StageKind::Other
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(stages: &[Stage]) -> Vec<&str> {
        stages.iter().map(|s| s.name.as_str()).collect()
    }

    #[test]
    fn numbered_stages_with_ideographic_comma() {
        // Seed 000, item 7.
        let cell = "1、立案责任：发现参保人将本人的基本医疗保险凭证出借给他人就医的违法行为，予以审查，决定是否立案。\n\
                    2、调查责任：医疗保障部门对立案的案件，指定专人负责，及时组织调查取证。\n\
                    3、审查责任：审理案件调查报告，提出处理意见（主要证据不足时，以适当的方式补充调查）。\n\
                    8、其他法律法规规章文件规定应履行的责任。";
        let s = parse_stages(cell);
        assert_eq!(names(&s), vec!["立案", "调查", "审查"]);
        // 8 does not follow 3, so it stays in the text of 审查.
        assert!(s[2].text.ends_with("8、其他法律法规规章文件规定应履行的责任。"));
        assert_eq!(s[0].kind, StageKind::Filing);
        assert_eq!(
            s[0].text,
            "发现参保人将本人的基本医疗保险凭证出借给他人就医的违法行为，予以审查，决定是否立案。"
        );
    }

    #[test]
    fn closing_other_duties_line_is_a_stage_of_kind_other() {
        let cell = "1.受理责任：依法受理或不予受理。2.复核责任：对申报材料进行复核通过、办结。3.其他法律法规规章规定应履行的责任。";
        let s = parse_stages(cell);
        assert_eq!(names(&s), vec!["受理", "复核", "其他"]);
        assert_eq!(s[1].kind, StageKind::Review);
        assert_eq!(s[2].kind, StageKind::Other);
        assert_eq!(s[2].text, "其他法律法规规章规定应履行的责任。");
        assert_eq!(s.iter().map(|s| s.seq).collect::<Vec<_>>(), vec![1, 2, 3]);
    }

    #[test]
    fn stage_phase_suffix_is_stripped() {
        // Seed 001, item 1: items separated by spaces, 阶段责任 and ASCII colons.
        let cell = "1.立案阶段责任:发现医保经办机构骗取医疗保险基金支出的予以调查立案。 2.调查阶段责任:主管部门对立案的案件,指定专人负责。 8.其他法律法规规章规定应履行的责任。";
        let s = parse_stages(cell);
        assert_eq!(names(&s), vec!["立案", "调查"]);
        let cell = "1.数据收集阶段:一次性告知需提交数据及提交期限。 2.审核汇总阶段:对提交数据进行审核汇总。";
        let s = parse_stages(cell);
        assert_eq!(names(&s), vec!["数据收集", "审核汇总"]);
        assert_eq!(s[1].kind, StageKind::Review);
    }

    #[test]
    fn post_in_parentheses_is_kept_apart() {
        // Seed 002, item 1.
        let cell = "<p>1. 立案责任（立案岗）：对检查中发现的此类违法案件予以审查；</p> <p>2. 调查责任（调查岗）：进行调查取证；</p> <p>8. 法律、法规、规章规定的其他应履行的责任事项。</p>";
        let s = parse_stages(cell);
        assert_eq!(names(&s), vec!["立案", "调查"]);
        assert_eq!(s[0].post.as_deref(), Some("立案岗"));
        assert_eq!(s[0].text, "对检查中发现的此类违法案件予以审查；");
    }

    #[test]
    fn name_closed_by_a_full_stop() {
        // Seed 002, item 17.
        let cell = "<p>1. 调查责任（调查岗）。对不配合调查的原因进行调查核实；</p> <p>2. 处置责任（处置岗）：依法需要给予暂停医保基金结算的，应下达处理通知；</p>";
        let s = parse_stages(cell);
        assert_eq!(names(&s), vec!["调查", "处置"]);
        assert_eq!(s[0].text, "对不配合调查的原因进行调查核实；");
        assert_eq!(s[1].kind, StageKind::Decision);
    }

    #[test]
    fn unnumbered_ol_runs_split_on_names() {
        // Seed 003, item 1: an <ol> whose items lost their <li>.
        let cell = r#"<ol style="list-style-type: none"> 立案责任：对违法行为，予以审查，决定是否立案。 调查责任：对立案的案件，指定专人负责。 审查责任：案件调查报告，提出处理意见。 其他法律法规规章文件规定应履行的责任。 "#;
        let s = parse_stages(cell);
        assert_eq!(names(&s), vec!["立案", "调查", "审查", "其他"]);
        assert_eq!(s[2].text, "案件调查报告，提出处理意见。");
        assert_eq!(s[3].kind, StageKind::Other);
    }

    #[test]
    fn heading_before_first_item_is_not_a_stage_and_nameless_items_are_kept() {
        // Seed 000, item 1.
        let cell = "直接实施责任:\n1.执行省市级制定的行政处罚标准规范，也可结合本地实际，细化、量化行政处罚裁量基准的具体标准。\n2.依法依规实施本级行政处罚事项，做出的行政处罚决定应当予以公开。";
        let s = parse_stages(cell);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].name, "");
        assert_eq!(s[0].kind, StageKind::Other);
        assert!(s[0].text.starts_with("执行省市级制定的行政处罚标准规范"));
    }

    #[test]
    fn number_without_punctuation_before_a_stage_name() {
        // Seed 000, item 20: "4事后管理责任".
        let cell = "1.检查责任：查看被检查单位有关材料。2.处置责任：作出处理。3.移送责任：移交司法机关；4事后管理责任：及时归档留存。\n\n5.其他责任：法律法规规章等规定应履行的责任。";
        let s = parse_stages(cell);
        assert_eq!(names(&s), vec!["检查", "处置", "移送", "事后管理", "其他"]);
        assert_eq!(s[3].kind, StageKind::Supervision);
        assert_eq!(s[2].kind, StageKind::Transfer);
        assert_eq!(s[4].text, "法律法规规章等规定应履行的责任。");
    }

    #[test]
    fn compound_names_map_to_the_first_keyword() {
        assert_eq!(stage_kind("受理认定"), StageKind::Acceptance);
        assert_eq!(stage_kind("事后监管"), StageKind::Supervision);
        assert_eq!(stage_kind("纳入共享平台"), StageKind::Other);
        assert_eq!(stage_kind("报批决定"), StageKind::Decision);
        assert_eq!(stage_kind("调查取证"), StageKind::Investigation);
        assert_eq!(stage_kind("催告"), StageKind::Demand);
        assert_eq!(stage_kind("核定"), StageKind::Review);
        assert_eq!(stage_kind("信息公开"), StageKind::Publication);
        assert_eq!(stage_kind("立案责任"), StageKind::Filing);
    }

    #[test]
    fn chinese_numbered_and_named_without_suffix() {
        let cell = "（一）受理认定责任：确认举报人身份信息是否真实。（二）安全管理:不得泄露举报人相关信息。";
        let s = parse_stages(cell);
        assert_eq!(names(&s), vec!["受理认定", "安全管理"]);
        assert_eq!(s[0].kind, StageKind::Acceptance);
        let cell = "一、纳入共享平台责任:将失信信息记录纳入全国信用信息共享平台。 二、事后监管责任:开展后续监督管理。";
        let s = parse_stages(cell);
        assert_eq!(names(&s), vec!["纳入共享平台", "事后监管"]);
    }

    #[test]
    fn cell_without_stages_gives_none() {
        assert!(parse_stages("组织协调有关单位或者专家进行。").is_empty());
        assert!(parse_stages("").is_empty());
        assert!(parse_stages("无").is_empty());
    }

    proptest::proptest! {
        #[test]
        fn parse_stages_never_panics(s in "\\PC*") {
            let _ = parse_stages(&s);
        }

        #[test]
        fn numbered_stages_round_trip(
            picks in proptest::collection::vec((0usize..9, "[\\u4e00-\\u9fa5]{1,30}"), 1..12),
            style in 0usize..4,
            sep in proptest::sample::select(vec!["", " ", "\n", "\n\n"]),
        ) {
            const NAMES: [&str; 9] = ["立案", "调查", "审查", "告知", "决定", "送达", "执行", "受理", "事后监管"];
            let cell: Vec<String> = picks
                .iter()
                .enumerate()
                .map(|(i, (k, text))| {
                    let n = i as u32 + 1;
                    let number = match style {
                        0 => format!("{n}."),
                        1 => format!("{n}、"),
                        2 => format!("（{}）", crate::numeral::to_chinese(n)),
                        _ => format!("{}、", crate::numeral::to_chinese(n)),
                    };
                    format!("{number}{}责任：{text}。", NAMES[*k])
                })
                .collect();
            let stages = parse_stages(&cell.join(sep));
            proptest::prop_assert_eq!(stages.len(), picks.len());
            for (s, (k, text)) in stages.iter().zip(&picks) {
                proptest::prop_assert_eq!(&s.name, NAMES[*k]);
                proptest::prop_assert_eq!(&s.text, &format!("{text}。"));
            }
        }

        #[test]
        fn parse_stages_never_panics_on_stage_soup(s in "[1-3.、：:（）()一二责任阶段岗其他。；<>p/ 立案]{0,40}") {
            let _ = parse_stages(&s);
        }
    }
}
