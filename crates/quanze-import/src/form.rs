//! Forms: a list printed as one record after another (a Word 梳理表 with a table per item,
//! copied as text), each column name on a line of its own (职权名称, 职权类型, 法定主体,
//! 责任事项 …) and its value on the lines under it, up to the next name. The names make the
//! header and each record a row; a record starts again where the name that opened the
//! first one comes back. Tried after every table reader: a text they read never gets here.

use crate::columns::{Field, field_of_header, header_columns, parse_serial};
use crate::rows::{Block, Grid, RawRow};

/// The longest label a form prints on its own line.
const LONGEST_LABEL: usize = 16;
/// A form names at least this many known columns, each with its own line.
const MIN_LABELS: usize = 3;

/// Read the text as a form, `None` unless it holds one: at least three known column names
/// on lines of their own, among them the item's name or its type, the name or type with a
/// value under it.
pub(crate) fn read_form(ls: &[&str]) -> Option<Grid> {
    let lines: Vec<(usize, &str)> =
        ls.iter().enumerate().map(|(i, l)| (i, l.trim())).filter(|(_, l)| !l.is_empty()).collect();
    let label_of = |l: &str| -> Option<Field> {
        if l.chars().count() > LONGEST_LABEL {
            return None;
        }
        // A label line holds the name alone, maybe with a colon after it.
        field_of_header(l.trim_end_matches([':', '：']))
    };
    // The record opens at the first name or type label: what is above it is the title.
    let first = lines.iter().position(|(_, l)| label_of(l).is_some_and(is_core))?;
    let opener = label_of(lines[first].1)?;
    let mut blocks: Vec<Block> = lines[..first].iter().map(|&(i, l)| loose(i, l)).collect();
    // Each record: the line it starts on, and its (label, value lines) in order.
    let mut records: Vec<(usize, Vec<Entry<'_>>)> = Vec::new();
    for &(i, l) in &lines[first..] {
        match label_of(l) {
            Some(f) => {
                let label = l.trim_end_matches([':', '：']).to_string();
                if f == opener || records.is_empty() {
                    records.push((i, Vec::new()));
                }
                if let Some((_, fields)) = records.last_mut() {
                    fields.push((label, Vec::new()));
                }
            }
            None => {
                if let Some((_, values)) = records.last_mut().and_then(|(_, r)| r.last_mut()) {
                    values.push(l);
                }
            }
        }
    }
    // The header: every label in the order first seen.
    let mut labels: Vec<String> = Vec::new();
    for (_, fields) in &records {
        for (label, _) in fields {
            if !labels.contains(label) {
                labels.push(label.clone());
            }
        }
    }
    let cols = header_columns(&labels)?;
    let known = cols.iter().filter(|c| c.field != Field::Extra).count();
    let opened = records.iter().any(|(_, r)| r.first().is_some_and(|(_, v)| !v.is_empty()));
    if known < MIN_LABELS || !opened {
        return None;
    }
    let has_seq = cols.iter().any(|c| c.field == Field::Seq);
    let mut header = labels.clone();
    if !has_seq {
        header.insert(0, "序号".to_string());
    }
    blocks.push(Block::Row(RawRow { cells: header, line: line_no(lines[first].0) }));
    for (line, fields) in records {
        let mut cells = vec![String::new(); labels.len()];
        for (label, values) in fields {
            let Some(at) = labels.iter().position(|l| *l == label) else { continue };
            let value = values.join("\n");
            if !cells[at].is_empty() {
                cells[at].push('\n');
            }
            cells[at].push_str(&value);
        }
        if !has_seq {
            // A name printed after its serial ("1、伪造…的处罚") gives the record's serial.
            let name_at = cols.iter().position(|c| c.field == Field::Name);
            let serial = name_at.and_then(|at| split_serial(&cells[at]).map(|(s, rest)| (at, s, rest)));
            let seq = match serial {
                Some((at, seq, rest)) => {
                    cells[at] = rest;
                    seq
                }
                None => String::new(),
            };
            cells.insert(0, seq);
        }
        if cells.iter().any(|c| !c.trim().is_empty()) {
            blocks.push(Block::Row(RawRow { cells, line: line_no(line) }));
        }
    }
    Some(Grid { layout: "form", blocks })
}

/// A label of a form and the lines of its value.
type Entry<'a> = (String, Vec<&'a str>);

fn is_core(f: Field) -> bool {
    matches!(f, Field::Name | Field::Category)
}

/// "1、伪造…" → ("1", "伪造…"): a serial and its mark at the start of a cell.
fn split_serial(cell: &str) -> Option<(String, String)> {
    let digits: String = cell.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return None;
    }
    let rest = &cell[digits.len()..];
    let mark = rest.chars().next().filter(|c| matches!(c, '、' | '.' | '．'))?;
    let rest = rest[mark.len_utf8()..].trim_start();
    (parse_serial(&digits).is_some() && !rest.is_empty()).then(|| (digits, rest.to_string()))
}

fn loose(i: usize, t: &str) -> Block {
    Block::Loose(quanze_model::SourceLine { line: line_no(i), text: t.to_string() })
}

fn line_no(i: usize) -> u32 {
    u32::try_from(i + 1).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(g: &Grid) -> Vec<Vec<String>> {
        g.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Row(r) => Some(r.cells.clone()),
                Block::Loose(_) => None,
            })
            .collect()
    }

    #[test]
    fn a_form_gives_a_header_and_a_row_a_record() {
        let text = "梳理表\n职权名称\n1、对甲的处罚\n职权类型\n行政处罚\n实施主体\n某局\n责任事项\n1.立案责任:\n审查。\n\
            职权名称\n2、对乙的处罚\n职权类型\n行政处罚\n实施主体\n某局\n";
        let ls: Vec<&str> = text.lines().collect();
        let g = read_form(&ls).expect("a form");
        let r = rows(&g);
        assert_eq!(r[0], vec!["序号", "职权名称", "职权类型", "实施主体", "责任事项"]);
        assert_eq!(r[1], vec!["1", "对甲的处罚", "行政处罚", "某局", "1.立案责任:\n审查。"]);
        assert_eq!(r[2], vec!["2", "对乙的处罚", "行政处罚", "某局", ""]);
        assert!(matches!(&g.blocks[0], Block::Loose(l) if l.text == "梳理表"));
    }

    #[test]
    fn labels_without_values_or_without_a_name_are_no_form() {
        let ls = ["职权名称", "职权类型", "法定主体"];
        assert!(read_form(&ls).is_none(), "a header run with no value");
        let ls = ["实施主体", "某局", "责任事项", "审查", "备注", "无"];
        assert!(read_form(&ls).is_none(), "no name or type label");
    }
}
