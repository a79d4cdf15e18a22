//! Tables whose cells ran together with no separator at all (a web page's table copied
//! where every cell lost its border): the header is a run of column names, and each row
//! is cut into cells by what its text holds — the serial, a type label, a local power code,
//! the first level tag 【法律】 or 《title》 for the legal basis, "1.…责任" for the duties.
//! What cannot be told apart stays together in the earlier cell; the importer says so.

use quanze_model::Category;

use crate::columns::{Field, header_columns, segment_run_together_header};
use crate::rows::{Block, Grid, RawRow};

/// Read the text as a run-together table, `None` when no run-together header is found.
pub(crate) fn read_run_together(ls: &[&str]) -> Option<Grid> {
    // The header may wrap over a few lines ("序号项目\n类型\n项目名称…"): join lines until
    // the first row.
    const HEADER_LINES: usize = 6;
    let (start, end, labels) = (0..ls.len()).find_map(|i| {
        let mut joined = String::new();
        for (k, l) in ls.iter().enumerate().skip(i).take(HEADER_LINES) {
            if k > i && row_serial(l).is_some() {
                break;
            }
            joined.push_str(l.trim());
            if let Some(labels) = segment_run_together_header(&joined)
                && crate::columns::field_of_header(&labels[0]).is_some()
                && ls
                    .get(k + 1)
                    .is_none_or(|next| row_serial(next).is_some() || !continues_header(&joined, next))
            {
                return Some((i, k + 1, labels));
            }
        }
        None
    })?;
    let cols = header_columns(&labels)?;
    let fields: Vec<Field> = cols.iter().map(|c| c.field).collect();
    let mut blocks: Vec<Block> = ls[..start]
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| loose(i, l))
        .collect();
    blocks.push(Block::Row(RawRow { cells: labels, line: line_no(start) }));
    // Rows: a line starting with the next serial (or "*", a masked one) and what follows.
    let mut rows: Vec<(usize, String)> = Vec::new();
    let mut last: Option<u32> = None;
    for (i, l) in ls.iter().enumerate().skip(end) {
        let t = l.trim();
        if t.is_empty() {
            continue;
        }
        match row_serial(t) {
            Some(s) if s.is_none_or(|n| last.is_none_or(|p| n == p + 1)) => {
                if let Some(n) = s {
                    last = Some(n);
                }
                rows.push((i, t.to_string()));
            }
            _ => match rows.last_mut() {
                Some((_, text)) => {
                    text.push('\n');
                    text.push_str(t);
                }
                None => blocks.push(loose(i, t)),
            },
        }
    }
    if rows.is_empty() {
        return None;
    }
    let offices = common_office(&rows, &fields);
    for (i, text) in rows {
        blocks.push(Block::Row(RawRow {
            cells: cut_row(&text, &fields, offices.as_deref()),
            line: line_no(i),
        }));
    }
    Some(Grid { layout: "run-together", blocks })
}

fn loose(i: usize, t: &str) -> Block {
    Block::Loose(quanze_model::SourceLine { line: line_no(i), text: t.trim().to_string() })
}

fn line_no(i: usize) -> u32 {
    u32::try_from(i + 1).unwrap_or(u32::MAX)
}

/// A header line followed by a line that is still labels ("编码", "主项子项", or the rest of
/// the column names).
fn continues_header(joined: &str, next: &str) -> bool {
    const LONGEST_HEADER_LINE: usize = 80;
    let t = next.trim();
    !t.is_empty()
        && t.chars().count() <= LONGEST_HEADER_LINE
        && segment_run_together_header(&format!("{joined}{t}")).is_some_and(|l| {
            segment_run_together_header(joined).is_some_and(|before| l.len() >= before.len())
        })
}

/// The serial a row starts with: digits right before a non-digit that is not a list mark
/// ("1行政处罚…"), or a masked "*". `Some(None)` for the mask.
fn row_serial(line: &str) -> Option<Option<u32>> {
    let t = line.trim_start();
    if let Some(rest) = t.strip_prefix('*') {
        return rest.chars().next().is_some_and(|c| !c.is_whitespace() && c != '*').then_some(None);
    }
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || digits.len() > 5 {
        return None;
    }
    let next = t[digits.len()..].chars().next()?;
    if next.is_ascii_digit()
        || matches!(next, '.' | '、' | '．' | ',' | '，' | ')' | '）' | '%' | '/' | '-' | ' ')
    {
        return None;
    }
    quanze_parse::text::is_cjk(next).then(|| digits.parse().ok())
}

/// The office every row ends its name with ("…进行监督基金监管科"): the longest common
/// ending of the rows' text before their type label, cut to a body's name.
fn common_office(rows: &[(usize, String)], fields: &[Field]) -> Option<String> {
    if !fields.contains(&Field::Office) || rows.len() < 2 {
        return None;
    }
    let heads: Vec<Vec<char>> =
        rows.iter().filter_map(|(_, t)| category_at(t).map(|(a, _)| t[..a].chars().collect())).collect();
    if heads.len() < 2 {
        return None;
    }
    let mut n = 0;
    while heads.iter().all(|h| h.len() > n)
        && heads.iter().all(|h| h[h.len() - 1 - n] == heads[0][heads[0].len() - 1 - n])
    {
        n += 1;
    }
    let suffix: String = heads[0][heads[0].len() - n..].iter().collect();
    let office: String = suffix.trim_start_matches(|c: char| !quanze_parse::text::is_cjk(c)).to_string();
    let ends_as_office =
        ["科", "股", "室", "处", "局", "中心", "队", "所"].iter().any(|e| office.ends_with(e));
    (office.chars().count() >= 2 && ends_as_office).then_some(office)
}

/// The first type label in a row's text before its legal basis, as a byte range.
fn category_at(text: &str) -> Option<(usize, usize)> {
    let limit = basis_at(text).unwrap_or(text.len());
    let idx: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(a, _)) in idx.iter().enumerate() {
        if a >= limit {
            break;
        }
        for n in (4..=6).rev() {
            let b = match idx.get(k + n) {
                Some(&(b, _)) => b,
                None if k + n == idx.len() => text.len(),
                None => continue,
            };
            // A standard label only: a row's words must not be read as a variant.
            if b <= limit && Category::ALL.iter().any(|c| c.label() == &text[a..b]) {
                return Some((a, b));
            }
        }
    }
    None
}

/// Where the legal basis starts: the first level tag 【…】, else the first 《 after the
/// start of the name.
fn basis_at(text: &str) -> Option<usize> {
    text.find('【').or_else(|| text.find('《'))
}

/// Where the duties start: "1.受理阶段责任", "1.立案责任", "1、…责任".
fn duties_at(text: &str, from: usize) -> Option<usize> {
    let rest = &text[from..];
    let mut off = 0;
    while let Some(i) = rest[off..].find('1') {
        let at = off + i;
        let after = &rest[at + 1..];
        if (after.starts_with('.') || after.starts_with('、') || after.starts_with('．'))
            && after.chars().take(12).collect::<String>().contains("责任")
        {
            return Some(from + at);
        }
        off = at + 1;
    }
    None
}

/// Cut one row's text into the header's cells.
fn cut_row(text: &str, fields: &[Field], office: Option<&str>) -> Vec<String> {
    let mut cells = vec![String::new(); fields.len()];
    let put = |cells: &mut Vec<String>, f: Field, v: &str| {
        if let Some(i) = fields.iter().position(|x| *x == f) {
            cells[i] = v.trim().to_string();
        }
    };
    let serial_len =
        text.chars().take_while(|c| c.is_ascii_digit() || *c == '*').map(char::len_utf8).sum::<usize>();
    put(&mut cells, Field::Seq, &text[..serial_len]);
    let body = &text[serial_len..];
    let basis = basis_at(body).unwrap_or(body.len());
    let duties = duties_at(body, basis).filter(|_| fields.contains(&Field::Responsibilities));
    // The type label: right after the serial, or after the name and office.
    let (head, after_type) = match category_at(body) {
        Some((a, b)) => {
            put(&mut cells, Field::Category, &body[a..b]);
            if a == 0 { (&body[b..basis], b) } else { (&body[..a], b) }
        }
        None => (&body[..basis], basis),
    };
    let _ = after_type;
    // A local power code printed right before the basis.
    let mut head = head.to_string();
    if fields.contains(&Field::Code) {
        let digits: String = head.chars().rev().take_while(char::is_ascii_digit).collect();
        if digits.len() >= 6 {
            let code: String = digits.chars().rev().collect();
            head.truncate(head.len() - code.len());
            put(&mut cells, Field::Code, &code);
        }
    }
    if let Some(o) = office
        && let Some(stripped) = head.strip_suffix(o)
    {
        put(&mut cells, Field::Office, o);
        head = stripped.to_string();
    }
    // 主项 and 子项: a numbered sub-item ("…的处罚1.对…的处罚"), or the last line of a name
    // cell wrapped narrow ("职业培训\n机构审批\n民办职业培训学校…审批").
    let (name, sub) = split_sub_item(&head, fields.contains(&Field::SubName));
    put(&mut cells, Field::Name, &name);
    if let Some(sub) = sub {
        put(&mut cells, Field::SubName, &sub);
    }
    let basis_end = duties.unwrap_or(body.len());
    if basis < basis_end {
        put(&mut cells, Field::LegalBasis, &body[basis..basis_end]);
    }
    if let Some(d) = duties {
        put(&mut cells, Field::Responsibilities, &body[d..]);
    }
    cells
}

fn split_sub_item(head: &str, has_sub: bool) -> (String, Option<String>) {
    if !has_sub {
        return (head.replace('\n', ""), None);
    }
    if let Some(i) = head.find("1.").or_else(|| head.find("1、")).filter(|i| *i > 0) {
        return (head[..i].replace('\n', ""), Some(head[i..].replace('\n', "")));
    }
    match head.trim_end().rfind('\n') {
        Some(i) => (head[..i].replace('\n', ""), Some(head[i + 1..].trim().to_string())),
        None => (head.to_string(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_starts_at_a_serial_glued_to_its_text_or_a_masked_serial() {
        assert_eq!(row_serial("1行政处罚对违反"), Some(Some(1)));
        assert_eq!(row_serial("*对定点医疗机构"), Some(None));
        assert_eq!(row_serial("1.受理责任"), None);
        assert_eq!(row_serial("2016.2.1出租"), None);
        assert_eq!(row_serial("第八十八条"), None);
    }

    #[test]
    fn a_run_together_row_is_cut_by_its_content() {
        let labels = segment_run_together_header("序号事项名称责任科室是否涉企执法类型实施依据").unwrap();
        assert_eq!(labels, vec!["序号", "事项名称", "责任科室", "是否涉企", "执法类型", "实施依据"]);
        let fields: Vec<Field> = header_columns(&labels).unwrap().iter().map(|c| c.field).collect();
        let cells = cut_row(
            "*对定点零售药店进行监督基金监管科行政检查《零售药店医疗保障定点管理暂行办法》第四十三条",
            &fields,
            Some("基金监管科"),
        );
        assert_eq!(cells[0], "*");
        assert_eq!(cells[1], "对定点零售药店进行监督");
        assert_eq!(cells[2], "基金监管科");
        assert_eq!(cells[4], "行政检查");
        assert!(cells[5].starts_with("《零售药店"));
    }
}
