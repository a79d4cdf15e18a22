//! Columns: what a header label means, and how well a cell's content fits a column.
//!
//! The scores drive the placement of cells in rows whose columns drift or are swapped:
//! a row is placed by position unless placing it by content fits clearly better.

use quanze_model::{Category, DeadlineLimit};
use quanze_parse::{deadline::parse_deadline, text::fold_width};

/// A column of the canonical model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Field {
    Seq,
    Category,
    Name,
    SubName,
    Code,
    SubCode,
    Subject,
    Office,
    Level,
    LegalBasis,
    Responsibilities,
    Accountability,
    AccountabilityBasis,
    Acceptance,
    Deadline,
    ServiceLocation,
    ServicePhone,
    ResponsiblePerson,
    Remarks,
    /// A column the model does not know; kept under its printed header.
    Extra,
}

/// One column of a header: its meaning and its label as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Column {
    pub field: Field,
    pub label: String,
}

/// Normalize a header label for matching: no white space, no parenthesised note
/// (责任事项（岗位职责） → 责任事项), width-folded.
fn header_key(label: &str) -> String {
    let folded = fold_width(label);
    let mut key: String = folded.chars().filter(|c| !c.is_whitespace()).collect();
    for open in ['(', '（'] {
        if let Some(i) = key.find(open)
            && i > 0
        {
            key.truncate(i);
        }
    }
    key
}

/// The column vocabulary: every header name and the field it names (data/columns.txt).
const VOCABULARY: &str = include_str!("../data/columns.txt");

impl Field {
    /// The field of a vocabulary line ("legal_basis").
    fn from_key(key: &str) -> Option<Field> {
        Some(match key {
            "seq" => Field::Seq,
            "category" => Field::Category,
            "name" => Field::Name,
            "sub_name" => Field::SubName,
            "code" => Field::Code,
            "sub_code" => Field::SubCode,
            "subject" => Field::Subject,
            "office" => Field::Office,
            "level" => Field::Level,
            "legal_basis" => Field::LegalBasis,
            "responsibilities" => Field::Responsibilities,
            "accountability" => Field::Accountability,
            "accountability_basis" => Field::AccountabilityBasis,
            "acceptance" => Field::Acceptance,
            "deadline" => Field::Deadline,
            "service_location" => Field::ServiceLocation,
            "service_phone" => Field::ServicePhone,
            "responsible_person" => Field::ResponsiblePerson,
            "remarks" => Field::Remarks,
            _ => return None,
        })
    }
}

/// The vocabulary's lines as (field, names); a line whose field is unknown gives `None`
/// for the field (the tests refuse such a file).
fn vocabulary_lines(text: &str) -> impl Iterator<Item = (&str, Option<Field>, Vec<&str>)> {
    text.lines().filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#')).map(|l| {
        let (key, names) = l.split_once(':').unwrap_or((l, ""));
        let key = key.trim();
        (key, Field::from_key(key), names.split_whitespace().collect())
    })
}

static HEADERS: std::sync::LazyLock<std::collections::HashMap<String, Field>> =
    std::sync::LazyLock::new(|| {
        let mut m = std::collections::HashMap::new();
        for (_, field, names) in vocabulary_lines(VOCABULARY) {
            if let Some(f) = field {
                for n in names {
                    m.entry(header_key(n)).or_insert(f);
                }
            }
        }
        m
    });

/// The field a header label names, or `None` when the label is not a known header.
pub(crate) fn field_of_header(label: &str) -> Option<Field> {
    let field = HEADERS.get(&header_key(label)).copied()?;
    // 事项名称（子项） names the sub-item, 事项名称（主项） the item.
    if field == Field::Name && (label.contains("(子项)") || label.contains("（子项）")) {
        return Some(Field::SubName);
    }
    Some(field)
}

/// A header printed with no separator between its labels ("序号事项名称责任科室是否涉企
/// 执法类型实施依据"): the labels by longest known name at each place; a stretch between
/// known names is one unknown label. `None` unless known names cover most of the text.
pub(crate) fn segment_run_together_header(text: &str) -> Option<Vec<String>> {
    const LONGEST: usize = 10;
    let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    if chars.len() < 6 || chars.len() > 200 {
        return None;
    }
    let mut labels: Vec<String> = Vec::new();
    let mut unknown = String::new();
    let mut known_chars = 0usize;
    let mut i = 0;
    while i < chars.len() {
        let found = (2..=LONGEST.min(chars.len() - i)).rev().find(|&n| {
            let w: String = chars[i..i + n].iter().collect();
            HEADERS.contains_key(&header_key(&w))
        });
        match found {
            Some(n) => {
                if !unknown.is_empty() {
                    labels.push(std::mem::take(&mut unknown));
                }
                labels.push(chars[i..i + n].iter().collect());
                known_chars += n;
                i += n;
            }
            None => {
                unknown.push(chars[i]);
                i += 1;
            }
        }
    }
    if !unknown.is_empty() {
        labels.push(unknown);
    }
    (known_chars * 4 >= chars.len() * 3 && header_columns(&labels).is_some()).then_some(labels)
}

/// Whether a row of cells is a header row, and its columns if so.
///
/// A header has at least three known labels, among them the name or the type, and no
/// long cells (a data row quoting a header word has long cells).
pub(crate) fn header_columns<S: AsRef<str>>(cells: &[S]) -> Option<Vec<Column>> {
    let mut known = 0;
    let mut has_core = false;
    for c in cells {
        let t = c.as_ref().trim();
        if t.chars().count() > 16 {
            return None;
        }
        if let Some(f) = field_of_header(t) {
            known += 1;
            has_core |= matches!(f, Field::Name | Field::Category | Field::Responsibilities);
        }
    }
    if known < 3 || !has_core {
        return None;
    }
    Some(
        cells
            .iter()
            .map(|c| {
                let label = c.as_ref().trim().to_string();
                Column { field: field_of_header(&label).unwrap_or(Field::Extra), label }
            })
            .collect(),
    )
}

/// Labels that make up the second row of a two-row header (项目 / 子项 under 事项名称).
pub(crate) fn is_subheader_row(cells: &[String]) -> bool {
    let mut any = false;
    for c in cells {
        let t = c.trim();
        if t.is_empty() {
            continue;
        }
        match field_of_header(t) {
            Some(_) => any = true,
            None => return false,
        }
    }
    any
}

/// A serial number cell: 1–6 digits (full-width allowed), optionally followed by 、 or .
pub(crate) fn parse_serial(cell: &str) -> Option<u32> {
    let folded = fold_width(cell.trim());
    let t = folded.trim_end_matches(['、', '.', '．']);
    if t.is_empty() || t.len() > 6 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

/// A cell that is nothing but a type label (行政处罚, 其他类, 行政處罰 after conversion).
pub(crate) fn is_category_label(cell: &str) -> bool {
    let t: String = cell.chars().filter(|c| !c.is_whitespace()).collect();
    t.chars().count() <= 10 && Category::from_label(&t).is_some()
}

/// A cell that reads like a category label even if it is not a known one (行政执行).
fn looks_like_category(t: &str) -> bool {
    let n = t.chars().count();
    (2..=8).contains(&n) && (t.starts_with("行政") || t.ends_with('类') || t.starts_with("其他"))
}

fn has_article_ref(t: &str) -> bool {
    // 第…条 with a numeral between.
    let mut rest = t;
    while let Some(i) = rest.find('第') {
        let after = &rest[i + '第'.len_utf8()..];
        let num: String = after.chars().take_while(|c| is_numeral_char(*c)).collect();
        if !num.is_empty() && after[num.len()..].starts_with('条') {
            return true;
        }
        rest = after;
    }
    false
}

fn is_numeral_char(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c) || "零〇一二两三四五六七八九十百千".contains(c)
}

/// How many stage markers ("…责任：", "…责任:") a cell holds.
pub(crate) fn stage_marker_count(t: &str) -> usize {
    t.matches("责任：").count() + t.matches("责任:").count() + t.matches("责任（").count()
}

/// Text that quotes a sanction of a statute rather than stating officials' accountability.
pub(crate) fn reads_like_statute_text(t: &str) -> bool {
    let sanction = t.contains("罚款") || t.contains("责令");
    let by_authority = t.contains("由") && (t.contains("部门") || t.contains("机关"));
    let about_officials =
        ["工作人员", "追究", "处分", "承担相应责任", "行政机关及", "应当承担"].iter().any(|k| t.contains(k));
    sanction && by_authority && !about_officials
}

/// Text that reads like the numbered items of a statute ("（一）分解住院…") with no duties.
pub(crate) fn reads_like_statute_items(t: &str) -> bool {
    t.trim_start().starts_with("（一）") && !t.contains("责任") && !t.contains('岗')
}

fn is_none_marker(t: &str) -> bool {
    matches!(t, "无" | "无明确规定" | "/" | "—" | "-" | "——" | "暂无" | "无。")
}

/// How well `cell` fits `field`: positive fits, negative does not, 0 is neutral.
/// Empty cells are neutral everywhere.
pub(crate) fn fit(field: Field, cell: &str) -> i32 {
    let t = cell.trim();
    if t.is_empty() {
        return 0;
    }
    if is_none_marker(t) {
        return match field {
            Field::Seq | Field::Category | Field::Name | Field::Code | Field::SubCode => -4,
            Field::Deadline => 2,
            _ => 0,
        };
    }
    let n = t.chars().count();
    // Computed only for the fields that ask: fit runs for every cell of every row.
    let citation = || {
        (t.contains('《') && has_article_ref(t))
            || (t.contains('【')
                && ["【法律】", "【行政法规】", "【部门规章】", "【释义】"].iter().any(|k| t.contains(k)))
    };
    let stages = || stage_marker_count(t);
    match field {
        Field::Seq => {
            if parse_serial(t).is_some() {
                6
            } else {
                -6
            }
        }
        Field::Category => {
            if is_category_label(t) {
                8
            } else if looks_like_category(t) {
                4
            } else {
                -6
            }
        }
        Field::Name => {
            if parse_serial(t).is_some() || is_category_label(t) || stages() >= 2 || n > 200 {
                -4
            } else if t.starts_with('对') || t.ends_with("处罚") || t.ends_with("登记") {
                3
            } else if citation() {
                -2
            } else {
                1
            }
        }
        Field::SubName => {
            if n > 80 || stages() > 0 || citation() || looks_like_level(t) {
                -3
            } else if n <= 2 {
                // A one- or two-character sub-item name is implausible; such a cell is
                // more likely a clipped neighbour.
                -2
            } else {
                0
            }
        }
        Field::Code | Field::SubCode => {
            let code = t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
            if code && (10..=60).contains(&t.len()) { 6 } else { -5 }
        }
        Field::Subject => {
            if looks_like_level(t) {
                -4
            } else if n <= 40
                && ["局", "机构", "中心", "部门", "政府", "委员会", "厅"].iter().any(|s| t.ends_with(s))
            {
                4
            } else if n <= 6 && t.contains("医疗") {
                2
            } else if looks_like_level(t) || citation() || stages() > 0 || n > 60 {
                -4
            } else {
                0
            }
        }
        Field::Office => {
            if n <= 40 && ["科", "股", "室", "中心", "处", "办", "队"].iter().any(|s| t.ends_with(s))
            {
                3
            } else if looks_like_level(t) || citation() || stages() > 0 || n > 60 {
                -4
            } else {
                0
            }
        }
        Field::Level => {
            if looks_like_level(t) {
                5
            } else {
                -4
            }
        }
        Field::LegalBasis | Field::AccountabilityBasis => {
            if citation() {
                4
            } else if t.contains('《') || t.contains("全文") {
                2
            } else if stages() >= 2 {
                -5
            } else {
                -1
            }
        }
        Field::Responsibilities => {
            if stages() >= 2 {
                6
            } else if stages() == 1 {
                3
            } else if citation() || reads_like_statute_items(t) {
                -3
            } else {
                0
            }
        }
        Field::Accountability => {
            if stages() >= 2 {
                -4
            } else if ["情形", "追究", "承担相应责任", "处分", "滥用职权", "玩忽职守"]
                .iter()
                .any(|k| t.contains(k))
            {
                3
            } else if reads_like_statute_text(t) {
                -2
            } else {
                0
            }
        }
        Field::Acceptance => {
            if stages() >= 2 || citation() {
                -3
            } else if t.contains("申请") || t.contains("条件") || t.contains("材料") {
                2
            } else {
                0
            }
        }
        Field::Deadline => match parse_deadline(t) {
            DeadlineLimit::Days { .. } | DeadlineLimit::Immediate if n <= 40 => 4,
            DeadlineLimit::None => 2,
            _ if stages() > 0 || citation() || n > 60 => -4,
            _ => -1,
        },
        Field::ServicePhone => {
            let digits = t.chars().filter(|c| c.is_ascii_digit()).count();
            if digits >= 7 && n <= 60 { 4 } else { -3 }
        }
        Field::ServiceLocation => {
            if n <= 80 && ["路", "街", "号", "楼", "大厅", "窗口"].iter().any(|k| t.contains(k)) {
                2
            } else if stages() > 0 || citation() {
                -3
            } else {
                0
            }
        }
        Field::ResponsiblePerson => {
            if stages() > 0 || citation() || n > 60 {
                -3
            } else {
                0
            }
        }
        Field::Remarks | Field::Extra => {
            if stages() >= 2 || citation() {
                -1
            } else {
                0
            }
        }
    }
}

fn looks_like_level(t: &str) -> bool {
    let n = t.chars().count();
    n <= 40
        && t.contains('级')
        && ["县", "市", "省", "镇", "乡", "区", "国家", "自治区", "盟", "州"].iter().any(|k| t.contains(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vocabulary_line_names_a_field_and_no_name_is_listed_twice() {
        let mut seen = std::collections::HashMap::new();
        let mut fields = std::collections::HashSet::new();
        for (key, field, names) in vocabulary_lines(VOCABULARY) {
            let f = field.unwrap_or_else(|| panic!("unknown field in data/columns.txt: {key}"));
            assert!(fields.insert(key), "field listed on two lines: {key}");
            assert!(!names.is_empty(), "{key} has no names");
            for n in names {
                assert_eq!(header_key(n), n, "{n}: list names in their matching form");
                assert!(seen.insert(n, f).is_none(), "{n} is listed twice");
            }
        }
        assert_eq!(fields.len(), 19, "every field of the model has a line");
    }

    #[test]
    fn the_names_of_the_issue_map_to_their_fields() {
        for (label, field) in [
            ("职权名称", Field::Name),
            ("执法事项名称", Field::Name),
            ("事项名称", Field::Name),
            ("项目名称", Field::Name),
            ("抽查事项", Field::Name),
            ("职权类别", Field::Category),
            ("权力类型", Field::Category),
            ("执法类别", Field::Category),
            ("事项类型", Field::Category),
            ("实施依据", Field::LegalBasis),
            ("设定依据", Field::LegalBasis),
            ("法律依据", Field::LegalBasis),
            ("执法依据", Field::LegalBasis),
            ("责任事项", Field::Responsibilities),
            ("岗位职责", Field::Responsibilities),
            ("追责情形", Field::Accountability),
            ("违法责任", Field::Accountability),
            ("责任科室", Field::Office),
            ("承办机构", Field::Office),
            ("责任机构", Field::Office),
            ("责任人", Field::ResponsiblePerson),
        ] {
            assert_eq!(field_of_header(label), Some(field), "{label}");
        }
    }

    #[test]
    fn header_names_match_through_spaces_notes_line_breaks_and_width() {
        assert_eq!(field_of_header("责任事项（岗位职责）"), Some(Field::Responsibilities));
        assert_eq!(field_of_header("序 号"), Some(Field::Seq));
        assert_eq!(field_of_header("抽查\n类别"), None, "抽查类别 is not a power type");
        assert_eq!(field_of_header("执法\n类别"), Some(Field::Category));
        assert_eq!(field_of_header("实施依据(法律法规)"), Some(Field::LegalBasis));
        assert_eq!(field_of_header("对骗取医保基金的处罚"), None);
    }
}
