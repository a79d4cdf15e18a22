//! Accountability clauses in 追责情形 cells.
//!
//! Forms found in the published lists:
//! - a lead-in sentence ending in ：or : ("因不履行或不正确履行行政职责，有下列情形的，行政机关
//!   及相关工作人员应承担相应责任：") followed by clauses numbered `1、` `1.` `（一）`;
//! - a lead-in that is longer than one sentence, or ends in 。 ("…查处。（一）伪造…"): all the
//!   text before the first number is the preamble;
//! - an unnumbered sentence after the last clause ("行政机关对符合立案标准的案件不及时立案的，
//!   依照前款规定予以处理。", or "6. …的； 其他违反法律法规规章文件规定的行为。"): a clause of
//!   its own;
//! - a lead-in with 下列 followed by clauses without numbers, one per ； (an `<ol>` whose
//!   `<li>` were lost);
//! - clauses that are citations ("1.【法律】《社会保险法》…第九十三条：…") are clauses too;
//! - a cell without numbering and without such a lead-in is one clause with the whole text.

use quanze_model::Clause;

use crate::marker::{Chars, top_level_markers};
use crate::text::{is_placeholder, strip_html};

/// A parsed 追责情形 cell.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParsedAccountability {
    /// The lead-in sentence ("因不履行或不正确履行行政职责，有下列情形的，…：").
    pub preamble: Option<String>,
    pub clauses: Vec<Clause>,
}

/// Split a 追责情形 cell into its preamble and numbered clauses.
pub fn parse_accountability(cell: &str) -> ParsedAccountability {
    let text = strip_html(cell);
    let mut out = ParsedAccountability::default();
    if is_placeholder(&text) {
        return out;
    }
    let c = Chars::new(&text);
    let markers = top_level_markers(&c, &|_, _| false);
    if markers.is_empty() {
        unnumbered(&c, &mut out);
        return out;
    }
    let pre = c.slice_trimmed(0, markers[0].start);
    if !pre.is_empty() {
        out.preamble = Some(pre);
    }
    out.clauses.reserve(markers.len());
    for (k, m) in markers.iter().enumerate() {
        let end = markers.get(k + 1).map_or(c.len(), |n| n.start);
        let (start, end) = c.trimmed(m.end, end);
        if k + 1 == markers.len() {
            split_sentences(&c, start, end, &mut out);
        } else {
            push(&mut out, c.slice(start, end));
        }
    }
    out
}

fn push(out: &mut ParsedAccountability, text: String) {
    if !text.is_empty() {
        out.clauses.push(Clause { seq: out.clauses.len() as u32 + 1, text });
    }
}

/// Split `start..end` (trimmed) at line breaks and at full-width sentence ends (。 ；) that a
/// space follows, into clauses: the lists set clauses apart that way when they do not number
/// them. A half-width `; ` is only punctuation, as lists typeset in half-width put a space
/// after every mark. The end of the text is the end of the last clause, even where the cell
/// goes on (a space after the last 。 does not split).
fn split_sentences(c: &Chars, start: usize, end: usize, out: &mut ParsedAccountability) {
    let mut from = start;
    for i in start..end {
        let at_end = matches!(c.orig[i], '。' | '；') && i + 1 < end && c.fold[i + 1].is_whitespace();
        if at_end || c.fold[i] == '\n' {
            push(out, c.slice_trimmed(from, i + 1));
            from = i + 1;
        }
    }
    push(out, c.slice_trimmed(from, end));
}

fn unnumbered(c: &Chars, out: &mut ParsedAccountability) {
    let (start, end) = c.trimmed(0, c.len());
    if start == end {
        return;
    }
    let colon = c.fold.iter().position(|&ch| ch == ':');
    if let Some(k) = colon {
        let lead = c.slice_trimmed(0, k + 1);
        let (rest_start, rest_end) = c.trimmed(k + 1, c.len());
        if lead.contains("下列") || lead.contains("以下") || rest_start == rest_end {
            out.preamble = Some(lead);
            split_sentences(c, rest_start, rest_end, out);
            return;
        }
    }
    out.clauses.push(Clause { seq: 1, text: c.slice(start, end) });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(p: &ParsedAccountability) -> Vec<&str> {
        p.clauses.iter().map(|c| c.text.as_str()).collect()
    }

    const LEAD: &str = "因不履行或不正确履行行政职责，有下列情形的，行政机关及相关工作人员应承担相应责任：";

    #[test]
    fn lead_in_and_clauses_numbered_with_ideographic_comma() {
        // Seed 000, item 7.
        let p = parse_accountability(&format!(
            "{LEAD}\n1、没有法律和事实依据实施行政处罚的；\n2、行政处罚显失公正的；\n10、其他违反法律法规规章文件规定的行为。"
        ));
        assert_eq!(p.preamble.as_deref(), Some(LEAD));
        // 10 does not follow 2: it stays in clause 2.
        assert_eq!(p.clauses.len(), 3);
        assert_eq!(p.clauses[0].text, "没有法律和事实依据实施行政处罚的；");
        assert_eq!(p.clauses.iter().map(|c| c.seq).collect::<Vec<_>>(), vec![1, 2, 3]);
    }

    #[test]
    fn clauses_on_one_line_numbered_with_dots() {
        // Seed 000, item 19.
        let p = parse_accountability(&format!(
            "{LEAD}1.对符合法定条件的报销申请不予受理的；2.擅自增设、变更报销程序或条件的；3.其他违反法律法规规章文件规定的行为。"
        ));
        assert_eq!(p.preamble.as_deref(), Some(LEAD));
        assert_eq!(
            texts(&p),
            vec![
                "对符合法定条件的报销申请不予受理的；",
                "擅自增设、变更报销程序或条件的；",
                "其他违反法律法规规章文件规定的行为。"
            ]
        );
    }

    #[test]
    fn chinese_numbered_clauses_and_a_trailing_sentence() {
        // Seed 002, item 1.
        let p = parse_accountability(
            "<p>行政机关实施行政处罚，有下列情形之一的，由上级行政机关或者有关机关责令改正，对直接负责的主管人员和其他直接责任人员依法给予处分：</p> <p>（一）没有法定的行政处罚依据的；</p> <p>（二）擅自改变行政处罚种类、幅度的；</p> <p>（三）执法人员未取得执法证件的。</p> <p>行政机关对符合立案标准的案件不及时立案的，依照前款规定予以处理。</p>",
        );
        assert!(
            p.preamble.as_deref().is_some_and(|t| t.starts_with("行政机关实施行政处罚") && t.ends_with('：'))
        );
        assert_eq!(
            texts(&p),
            vec![
                "没有法定的行政处罚依据的；",
                "擅自改变行政处罚种类、幅度的；",
                "执法人员未取得执法证件的。",
                "行政机关对符合立案标准的案件不及时立案的，依照前款规定予以处理。"
            ]
        );
    }

    #[test]
    fn trailing_unnumbered_clause_after_a_space() {
        // Seed 002, item 10.
        let p = parse_accountability(&format!(
            "{LEAD} 1. 对不符合条件的实施行政强制措施的； 2. 在行使行政强制权过程中发生腐败行为的； 其他违反法律法规规章文件规定的行为。"
        ));
        assert_eq!(
            texts(&p),
            vec![
                "对不符合条件的实施行政强制措施的；",
                "在行使行政强制权过程中发生腐败行为的；",
                "其他违反法律法规规章文件规定的行为。"
            ]
        );
    }

    #[test]
    fn citations_are_clauses_too() {
        // Seed 000, item 1.
        let p = parse_accountability(
            "1.【法律】《社会保险法》（2018年12月修改）第九十三条：　国家工作人员在社会保险管理、监督工作中滥用职权、玩忽职守、徇私舞弊的，依法给予处分。\n2.【法律】《监察法》（2018年3月通过）规定的追责情形",
        );
        assert_eq!(p.preamble, None);
        assert_eq!(p.clauses.len(), 2);
        assert!(p.clauses[0].text.starts_with("【法律】《社会保险法》"));
        assert_eq!(p.clauses[1].text, "【法律】《监察法》（2018年3月通过）规定的追责情形");
    }

    #[test]
    fn long_lead_in_ending_in_a_full_stop() {
        // Seed 000, item 36.
        let p = parse_accountability(
            "在举报奖励工作中有滥用职权的，给予批评教育；有下列情形的，视情节轻重给予行政处分；涉嫌犯罪的依法移送监察机关查处。（一）伪造举报材料，冒领举报奖金的；（二）贪污、挪用奖励资金的 ；（三）其他应当依法承担法律责任的行为。",
        );
        assert!(p.preamble.as_deref().is_some_and(|t| t.ends_with("移送监察机关查处。")));
        assert_eq!(p.clauses.len(), 3);
    }

    #[test]
    fn unnumbered_items_after_a_lead_in() {
        // Seed 003, item 1.
        let p = parse_accountability(&format!(
            r#"{LEAD} <ol style="list-style-type: none"> 没有法律和事实依据实施行政处罚的； 行政处罚显失公正的； 其他违反法律法规规章文件规定的行为。 "#
        ));
        assert_eq!(p.preamble.as_deref(), Some(LEAD));
        assert_eq!(
            texts(&p),
            vec![
                "没有法律和事实依据实施行政处罚的；",
                "行政处罚显失公正的；",
                "其他违反法律法规规章文件规定的行为。"
            ]
        );
    }

    #[test]
    fn cell_without_numbering_is_one_clause() {
        // Seed 002, item 11.
        let t = "医疗保障等行政部门工作人员在医疗保障基金使用监督管理工作中滥用职权、玩忽职守、徇私舞弊的。";
        let p = parse_accountability(t);
        assert_eq!(p.preamble, None);
        assert_eq!(texts(&p), vec![t]);
    }

    #[test]
    fn half_width_semicolons_do_not_split_a_clause() {
        // Seed 001, item 7.
        let p = parse_accountability(
            "<p>因不履行或不正确履行行政职责, 有下列情形之一的, 行政机关及相关工作人员应承担相应责任: 医疗保障经办机构擅自更改医疗保险缴费基数、费率, 导致少收或者多收医疗保险费的, 由医疗保障行政部门责令其追缴; 对直接负责的主管人员依法给予处分。</p>",
        );
        assert!(p.preamble.as_deref().is_some_and(|t| t.ends_with("应承担相应责任:")));
        assert_eq!(p.clauses.len(), 1);
        assert!(p.clauses[0].text.ends_with("依法给予处分。"));
    }

    #[test]
    fn cell_that_is_only_a_lead_in() {
        let p = parse_accountability(LEAD);
        assert_eq!(p.preamble.as_deref(), Some(LEAD));
        assert!(p.clauses.is_empty());
        assert_eq!(parse_accountability(""), ParsedAccountability::default());
        // Seed 004 prints 无 in empty columns.
        assert_eq!(parse_accountability("无"), ParsedAccountability::default());
    }

    proptest::proptest! {
        #[test]
        fn parse_accountability_never_panics(s in "\\PC*") {
            let _ = parse_accountability(&s);
        }

        #[test]
        fn numbered_clauses_round_trip(
            texts in proptest::collection::vec("[\\u4e00-\\u9fa5]{1,30}", 1..15),
            chinese in proptest::bool::ANY,
            sep in proptest::sample::select(vec!["", " ", "\n"]),
        ) {
            let items: Vec<String> = texts
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let n = i as u32 + 1;
                    if chinese { format!("（{}）{t}的；", crate::numeral::to_chinese(n)) } else { format!("{n}、{t}的；") }
                })
                .collect();
            let p = parse_accountability(&format!("{LEAD}{sep}{}", items.join(sep)));
            proptest::prop_assert_eq!(p.preamble.as_deref(), Some(LEAD));
            proptest::prop_assert_eq!(p.clauses.len(), texts.len());
            for (c, t) in p.clauses.iter().zip(&texts) {
                proptest::prop_assert_eq!(&c.text, &format!("{t}的；"));
            }
        }

        #[test]
        fn clause_texts_come_from_the_cell(s in "[1-3.、（）()一二：:；;。 甲乙下列\n]{0,40}") {
            let p = parse_accountability(&s);
            for c in &p.clauses {
                proptest::prop_assert!(!c.text.is_empty());
            }
        }
    }
}
