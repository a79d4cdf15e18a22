//! Plain-text rendering of a calculator result.

use crate::calc::{CiteStatus, PenaltyResult, format_yuan};

/// The result as readable text: a summary, then the explanation line by line, then the
/// citations with their status.
pub fn render_text(r: &PenaltyResult) -> String {
    let mut out = String::new();
    let para = r.paragraph.map(|p| format!("第{}款", crate::text::cn_number(p))).unwrap_or_default();
    out.push_str(&format!(
        "《{}》{}{}　计算日 {}　当事人：{}\n",
        r.statute,
        crate::text::article_label(r.article),
        para,
        r.date,
        r.party.label()
    ));
    if r.fine_applies {
        out.push_str(&format!("法定罚款幅度：{} 至 {}\n", format_yuan(r.min_fen), format_yuan(r.max_fen)));
    } else {
        out.push_str("法定罚款幅度：不适用（依所给事实不处罚款）\n");
    }
    out.push_str("说明：\n");
    for (i, line) in r.explanation.iter().enumerate() {
        out.push_str(&format!("{:>2}. {line}\n", i + 1));
    }
    out.push_str("引用：\n");
    for c in &r.citations {
        let status = match c.status {
            CiteStatus::Verified => "已核对全文",
            CiteStatus::Local => "地方配置",
            CiteStatus::Unverified => "未核实，可配置",
        };
        out.push_str(&format!("  - {}（{status}）\n", c.label));
    }
    if r.unverified {
        out.push_str("注意：含未核实（UNVERIFIED）数值。\n");
    }
    out
}
