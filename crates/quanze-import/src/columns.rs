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

/// The field a header label names, or `None` when the label is not a known header.
pub(crate) fn field_of_header(label: &str) -> Option<Field> {
    let key = header_key(label);
    let f = match key.as_str() {
        "序号" | "编号" | "序" => Field::Seq,
        "权力类型" | "职权类别" | "事项类别" | "事项类型" | "权力类别" | "类别" | "类型" | "执法类别"
        | "职权类型" | "权责类型" => Field::Category,
        "权力事项" | "事项名称" | "职权名称" | "权力名称" | "项目名称" | "名称" | "主项名称" | "项目"
        | "权责事项" | "事项" | "权力事项名称" | "职权事项" => Field::Name,
        "子项名称" | "子项" | "子项事项名称" => Field::SubName,
        "地方权力编码" | "权力编码" | "事项编码" | "编码" | "主项编码" | "权力事项编码" => {
            Field::Code
        }
        "子项地方权力编码" | "子项编码" | "子项权力编码" => Field::SubCode,
        "行政主体" | "实施主体" | "行使主体" | "执法主体" | "实施部门" | "实施机关" | "实施机构" => {
            Field::Subject
        }
        "承办机构" | "责任科室" | "责任机构" | "承办科室" | "内设机构" | "承办科（股）室" | "责任股室" => {
            Field::Office
        }
        "行使层级" | "层级" | "实施层级" => Field::Level,
        "实施依据"
        | "设定依据"
        | "法律依据"
        | "事项法定依据"
        | "法定依据"
        | "依据"
        | "设定和实施依据"
        | "职权依据"
        | "设定及实施依据" => Field::LegalBasis,
        "责任事项" | "责任事项内容" | "岗位职责" | "责任事项依据" | "职责事项" => {
            Field::Responsibilities
        }
        "追责情形" | "违法责任" | "问责情形" | "追究情形" | "追责事项" => {
            Field::Accountability
        }
        "追究依据" | "追责依据" | "问责依据" => Field::AccountabilityBasis,
        "受理条件" | "申请条件" => Field::Acceptance,
        "法定期限" | "办理时限" | "承诺期限" | "法定办结时限" | "办结时限" | "法定时限" => {
            Field::Deadline
        }
        "受理地点" | "服务地点" | "办理地点" => Field::ServiceLocation,
        "服务电话" | "咨询电话" | "联系电话" | "监督电话" => Field::ServicePhone,
        "责任人员" | "责任人" => Field::ResponsiblePerson,
        "备注" => Field::Remarks,
        _ => return None,
    };
    Some(f)
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
