//! Readable text for a terminal: the validation report and one item.

use std::fmt::Write;

use quanze_model::{Catalog, Diagnostic, PowerItem, Severity};

pub(crate) fn validation(c: &Catalog, law: &quanze_law::CitationReport) -> String {
    let mut s = String::new();
    let count = |sev| c.diagnostics.iter().filter(|d| d.severity == sev).count();
    let _ = writeln!(
        s,
        "{} — {}{} items; {} errors, {} warnings, {} notes",
        c.source.file_name,
        c.source.publisher.as_deref().map(|p| format!("{p}, ")).unwrap_or_default(),
        c.items.len(),
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    );
    if let Some(total) = c.declared.total {
        let _ = writeln!(s, "  declared: {total} items");
    }
    let _ = writeln!(
        s,
        "  citations: {} checked, {} resolved ({} to an article's text, {} to a title only), {} unresolved; \
         {} quotations compared, {} differ; {} topic mismatches; {} superseded",
        law.total,
        law.resolved,
        law.resolved_to_text,
        law.title_only,
        law.unresolved,
        law.quotations_checked,
        law.quotation_mismatches,
        law.topic_mismatches,
        law.superseded
    );
    for d in &c.diagnostics {
        let _ = writeln!(s, "  {}", diagnostic_line(d));
    }
    s.push('\n');
    s
}

pub(crate) fn diagnostic_line(d: &Diagnostic) -> String {
    let loc = match (d.line, d.item) {
        (Some(l), Some(i)) => format!("line {l:>4}, item {i:>3}"),
        (Some(l), None) => format!("line {l:>4}, item   -"),
        (None, Some(i)) => format!("           item {i:>3}"),
        (None, None) => " ".repeat(20),
    };
    format!("{loc}  {:<7} {:<24} {}", d.severity.as_str(), d.code.as_str(), d.message)
}

pub(crate) fn item_index(c: &Catalog) -> String {
    let seqs: Vec<String> = c
        .items
        .iter()
        .map(|i| match (i.seq, i.line) {
            (Some(s), _) => s.to_string(),
            (None, Some(l)) => format!("line:{l}"),
            (None, None) => "?".into(),
        })
        .collect();
    seqs.join(" ")
}

pub(crate) fn item(it: &PowerItem, diags: &[&Diagnostic]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{}", it.label());
    let _ = writeln!(s, "  类型: {} ({})", it.category.label(), it.category_label);
    let opt = |label: &str, v: &Option<String>, s: &mut String| {
        if let Some(v) = v {
            let _ = writeln!(s, "  {label}: {v}");
        }
    };
    opt("子项", &it.sub_name, &mut s);
    opt("实施主体", &it.subject, &mut s);
    opt("承办机构", &it.office, &mut s);
    opt("行使层级", &it.level, &mut s);
    opt("地方权力编码", &it.code, &mut s);
    opt("子项编码", &it.sub_code, &mut s);
    opt("受理条件", &it.acceptance, &mut s);
    if let Some(d) = &it.deadline {
        let _ = writeln!(s, "  法定期限: {}", d.text);
    }
    let _ = writeln!(s, "\n实施依据 ({} citations)", it.legal_basis.citations.len());
    for c in &it.legal_basis.citations {
        let art = c.article.map_or("全文".to_string(), |a| format!("第{a}条"));
        let level = c.level.map(|l| format!("[{}] ", l.label())).unwrap_or_default();
        let _ = writeln!(s, "  - {level}《{}》{art}", c.title);
        if let Some(t) = &c.text {
            let _ = writeln!(s, "      {}", one_line(t, 100));
        }
    }
    if it.legal_basis.citations.is_empty() && !it.legal_basis.text.is_empty() {
        let _ = writeln!(s, "  {}", one_line(&it.legal_basis.text, 200));
    }
    let _ = writeln!(s, "\n责任事项 ({} stages)", it.responsibilities.stages.len());
    for st in &it.responsibilities.stages {
        let post = st.post.as_deref().map(|p| format!("（{p}）")).unwrap_or_default();
        let _ = writeln!(s, "  {}. {}{post} [{:?}]: {}", st.seq, st.name, st.kind, one_line(&st.text, 90));
    }
    let _ = writeln!(s, "\n追责情形 ({} clauses)", it.accountability.clauses.len());
    if let Some(p) = &it.accountability_preamble {
        let _ = writeln!(s, "  {}", one_line(p, 120));
    }
    for c in &it.accountability.clauses {
        let _ = writeln!(s, "  {}. {}", c.seq, one_line(&c.text, 110));
    }
    if !it.accountability_basis.text.is_empty() {
        let _ = writeln!(s, "\n追究依据: {}", one_line(&it.accountability_basis.text, 200));
    }
    opt("备注", &it.remarks, &mut s);
    for (k, v) in &it.extra {
        let _ = writeln!(s, "  {k}: {}", one_line(v, 100));
    }
    if !diags.is_empty() {
        let _ = writeln!(s, "\nfindings");
        for d in diags {
            let _ = writeln!(s, "  {} {}: {}", d.severity.as_str(), d.code, d.message);
        }
    }
    s
}

fn one_line(t: &str, max: usize) -> String {
    let flat: String = t.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > max {
        let mut p: String = flat.chars().take(max).collect();
        p.push('…');
        p
    } else {
        flat
    }
}
