//! Statute titles: the one rule by which a title printed in a list, quoted in a notice or
//! registered with a full text is recognised as the same instrument.
//!
//! **Stripped** (they say how or where a title is printed, not which instrument it is):
//! book-title marks 《》〈〉<>, white space, full width (（试行） is (试行)), an edition or
//! issuing note in trailing parentheses ((2018年修正), （2021年修订）, (国务院令第259号),
//! (〔2019〕52号)), the 中华人民共和国 prefix of national laws, and the notice around an
//! instrument it issues (关于印发〈X〉的通知 is X).
//!
//! **Kept**: every other word, including trailing parentheses that are part of the name:
//! (暂行), (试行), (实行), (单位). An instrument published as 实施办法（暂行） is a different
//! document from a later 实施办法, and the registry files 暂行 instruments under their own
//! names (社会保险费征缴暂行条例, 医疗机构医疗保障定点管理暂行办法).
//!
//! Two forms follow from the rule: [`statute_title`], the title as a catalog stores it
//! (outer 《》, prefix and edition removed, otherwise as printed), and [`statute_key`], the
//! form every index and registry looks titles up by. The key of a stored title is the key of
//! the printed one.

/// The title as a catalog's citation keeps it: width folded; the outer 《》, everything
/// after the matching 》, the 中华人民共和国 prefix and trailing edition notes removed.
/// Inner marks and spaces stay as printed (实施〈中华人民共和国社会保险法〉若干规定).
pub fn statute_title(raw: &str) -> String {
    fixpoint(raw, title_once)
}

/// The lookup key of a title: [`statute_title`], then white space and every book-title mark
/// removed, an issued instrument taken out of its notice, edition notes and the
/// 中华人民共和国 prefix removed. Two printings of one instrument have one key.
pub fn statute_key(raw: &str) -> String {
    // From the finished title, not from `raw`: text after a closing 》 is not part of the
    // title, and starting from `raw` kept it ("《《》(" gave the key "(" but its title ""), so
    // the key of the stored form differed from the key of the printed form.
    fixpoint(&statute_title(raw), |s| key_once(&title_once(s)))
}

/// Whether words in parentheses after a title are an edition or issuing note (a date, a
/// number, an order, 修正/修订/施行…) rather than part of the name (暂行, 试行, 单位).
pub fn is_edition_note(inner: &str) -> bool {
    inner.chars().any(|c| c.is_ascii_digit() || c == '〔' || c == '[')
        || ["令", "号", "修改", "修正", "修订", "施行", "通过", "公布", "发布", "年"]
            .iter()
            .any(|k| inner.contains(k))
}

/// Apply `step` until nothing changes. Every step only removes characters, so a step that
/// changes its input shortens it and the loop ends.
fn fixpoint(raw: &str, step: impl Fn(&str) -> String) -> String {
    let mut s = step(raw);
    loop {
        let next = step(&s);
        if next == s || next.len() >= s.len() {
            return s;
        }
        s = next;
    }
}

const STATE_PREFIX: &str = "中华人民共和国";

fn title_once(raw: &str) -> String {
    let folded = crate::width::fold_width(raw.trim());
    let mut t: &str = folded.trim();
    if let Some(inner) = t.strip_prefix('《') {
        t = match matching_close(inner) {
            Some(i) => &inner[..i],
            None => inner.trim_end_matches('》'),
        };
    }
    let t = strip_edition_notes(t.trim());
    let t = t.strip_prefix(STATE_PREFIX).unwrap_or(t);
    t.trim().to_string()
}

/// Byte index of the 》 closing a 《 that precedes `inner`.
fn matching_close(inner: &str) -> Option<usize> {
    let mut depth = 1u32;
    for (i, ch) in inner.char_indices() {
        match ch {
            '《' => depth += 1,
            '》' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// `t` without trailing parenthesized edition notes (on width-folded text). A title that is
/// nothing but parentheses keeps them.
fn strip_edition_notes(mut t: &str) -> &str {
    while let Some(before_close) = t.strip_suffix(')') {
        let mut depth = 1u32;
        let mut open = None;
        for (i, ch) in before_close.char_indices().rev() {
            match ch {
                ')' => depth += 1,
                '(' => {
                    depth -= 1;
                    if depth == 0 {
                        open = Some(i);
                        break;
                    }
                }
                _ => {}
            }
        }
        let Some(o) = open else { break };
        if o == 0 || !is_edition_note(&before_close[o + 1..]) {
            break;
        }
        t = before_close[..o].trim_end();
    }
    t
}

fn key_once(title: &str) -> String {
    let s: String = title.chars().filter(|c| !c.is_whitespace() && !matches!(c, '《' | '》')).collect();
    let s = issued_instrument(&s).unwrap_or(&s);
    let s: String = s.chars().filter(|c| !matches!(c, '〈' | '〉' | '<' | '>')).collect();
    let s = strip_edition_notes(&s);
    s.strip_prefix(STATE_PREFIX).unwrap_or(s).to_string()
}

/// X of a notice 关于印发〈X〉的通知 (also with <X>, (X) or 《X》): citing the notice cites
/// the instrument it issued.
fn issued_instrument(s: &str) -> Option<&str> {
    let start = s.find("印发")?;
    let rest = &s[start + "印发".len()..];
    let open = rest.chars().next().filter(|c| matches!(c, '〈' | '<' | '(' | '（' | '《'))?;
    let inner = &rest[open.len_utf8()..];
    let end = inner.find(['〉', '>', ')', '）', '》'])?;
    Some(&inner[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_prefix_width_and_editions_go() {
        assert_eq!(statute_title("《中华人民共和国社会保险法》"), "社会保险法");
        assert_eq!(statute_key("《中华人民共和国社会保险法》"), "社会保险法");
        assert_eq!(statute_title("《社会保险法》（2018年修正）"), "社会保险法");
        assert_eq!(statute_key("社会保险法（2018年修正）"), "社会保险法");
        assert_eq!(statute_key("医疗保障基金使用监督管理条例（2021年修订）"), "医疗保障基金使用监督管理条例");
        assert_eq!(statute_key("社会保险费征缴暂行条例（国务院令第259号）"), "社会保险费征缴暂行条例");
        assert_eq!(statute_key("某办法（医保发〔2019〕52号）"), "某办法");
        assert_eq!(statute_key(" 中华人民共和国 社会保险法 "), "社会保险法");
    }

    #[test]
    fn interim_and_trial_are_part_of_the_name() {
        // Seed 001 prints this title with full-width parentheses.
        let printed = "《甘肃省欺诈骗取医疗保险基金行为举报奖励实施办法（暂行）》";
        assert_eq!(statute_title(printed), "甘肃省欺诈骗取医疗保险基金行为举报奖励实施办法(暂行)");
        assert_eq!(statute_key(printed), "甘肃省欺诈骗取医疗保险基金行为举报奖励实施办法(暂行)");
        assert_eq!(statute_key("某实施细则（试行）"), "某实施细则(试行)");
        assert_eq!(statute_key("某实施细则（实行）"), "某实施细则(实行)");
        assert_eq!(statute_key("某办法（试行）（2020年修订）"), "某办法(试行)");
    }

    #[test]
    fn a_notice_issuing_an_instrument_is_keyed_by_the_instrument() {
        let printed =
            "《国家医保局办公室 财政部办公厅关于印发〈欺诈骗取医疗保障基金行为举报奖励暂行办法〉的通知》";
        assert_eq!(statute_key(printed), "欺诈骗取医疗保障基金行为举报奖励暂行办法");
        // The catalog keeps the notice as printed.
        assert_eq!(
            statute_title(printed),
            "国家医保局办公室 财政部办公厅关于印发〈欺诈骗取医疗保障基金行为举报奖励暂行办法〉的通知"
        );
        // Without marks around the issued title, the notice is its own instrument.
        let plan = "国务院关于印发社会信用体系建设规划纲要（2014-2020年）的通知";
        assert_eq!(statute_key(plan), "国务院关于印发社会信用体系建设规划纲要(2014-2020年)的通知");
    }

    #[test]
    fn inner_marks_are_kept_in_the_title_and_dropped_from_the_key() {
        let printed = "《实施〈中华人民共和国社会保险法〉若干规定》";
        assert_eq!(statute_title(printed), "实施〈中华人民共和国社会保险法〉若干规定");
        assert_eq!(statute_key(printed), "实施中华人民共和国社会保险法若干规定");
        assert_eq!(statute_key("实施《中华人民共和国社会保险法》若干规定"), statute_key(printed));
    }

    #[test]
    fn odd_titles_stay_whole() {
        assert_eq!(statute_key("(试行)"), "(试行)");
        assert_eq!(statute_key("（2018年修正）"), "(2018年修正)");
        assert_eq!(statute_key(""), "");
        assert_eq!(statute_title("《《社会保险法》》"), "社会保险法");
        assert_eq!(statute_key("《未闭合的标题"), "未闭合的标题");
    }
}
