//! Validation: structural findings about a catalog, each with a stable rule id.
//!
//! Unparsed citations are reported by the importer, which has the parse at hand.
//! Checks that need the statute registry (unresolved or mismatched citations) live in
//! `quanze-law`; this module needs only the catalog itself.

use std::collections::{BTreeMap, HashMap};

use quanze_model::{Catalog, Category, Diagnostic, DiagnosticCode, PowerItem, category::LabelMatch};

use quanze_parse::text::{bigrams, dice};

use crate::assemble::preview;

// Its public path `validate::infer_category` stays.
pub use crate::category::infer_category;

/// Run every structural check. Diagnostics already in the catalog are not repeated.
pub fn validate(catalog: &Catalog) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    serials(catalog, &mut out);
    declared_counts(catalog, &mut out);
    summary_vs_detail(catalog, &mut out);
    codes(catalog, &mut out);
    types(catalog, &mut out);
    missing_fields(catalog, &mut out);
    subjects(catalog, &mut out);
    truncation(catalog, &mut out);
    clipped_cells(catalog, &mut out);
    out
}

fn item_diag(d: Diagnostic, it: &PowerItem) -> Diagnostic {
    d.at_item(it.seq).at_line(it.line)
}

fn serials(c: &Catalog, out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<u32, &PowerItem> = HashMap::new();
    for it in &c.items {
        match it.seq {
            None => out.push(item_diag(
                Diagnostic::warning(
                    DiagnosticCode::MissingSerial,
                    format!("事项「{}」没有序号", preview(&it.name)),
                ),
                it,
            )),
            Some(s) => {
                if let Some(first) = seen.get(&s) {
                    out.push(item_diag(
                        Diagnostic::error(
                            DiagnosticCode::DuplicateSerial,
                            format!(
                                "序号 {s} 重复：「{}」（第{}行）与「{}」",
                                preview(&first.name),
                                first.line.unwrap_or(0),
                                preview(&it.name)
                            ),
                        ),
                        it,
                    ));
                } else {
                    seen.insert(s, it);
                }
            }
        }
    }
}

fn declared_counts(c: &Catalog, out: &mut Vec<Diagnostic>) {
    let d = &c.declared;
    let line = d.statements.first().map(|s| s.line);
    if let Some(total) = d.total
        && total as usize != c.items.len()
    {
        out.push(
            Diagnostic::error(
                DiagnosticCode::DeclaredCountMismatch,
                format!("清单自称共{total}项，实际列出{}项", c.items.len()),
            )
            .at_line(line),
        );
    }
    if let Some(n) = d.categories {
        let mut present: Vec<Category> = c.items.iter().map(|i| i.category).collect();
        present.sort();
        present.dedup();
        if n as usize != present.len() {
            let names: Vec<&str> = present.iter().map(|c| c.label()).collect();
            out.push(
                Diagnostic::error(
                    DiagnosticCode::DeclaredCountMismatch,
                    format!("清单自称共{n}类，实际事项有{}类：{}", present.len(), names.join("、")),
                )
                .at_line(line),
            );
        }
    }
    for dc in &d.by_category {
        let listed = c.items_of(dc.category).count();
        if listed != dc.count as usize {
            out.push(
                Diagnostic::error(
                    DiagnosticCode::DeclaredCountMismatch,
                    format!("统计表称{1}{0}项，清单实列{listed}项", dc.count, dc.label),
                )
                .at_line(dc.line),
            );
        }
    }
    // The summary's own rows against its headings.
    if !d.summary.is_empty() {
        for dc in &d.by_category {
            let rows = d.summary.iter().filter(|s| s.category == Some(dc.category)).count();
            if rows != dc.count as usize {
                out.push(
                    Diagnostic::error(
                        DiagnosticCode::DeclaredCountMismatch,
                        format!("统计表标题「{}」称{}项，其下实列{rows}行", dc.label, dc.count),
                    )
                    .at_line(dc.line),
                );
            }
        }
    }
}

/// Names compared without white space, punctuation and the bureau's place prefix.
pub(crate) fn name_key(s: &str) -> String {
    s.chars()
        .filter(|c| {
            !c.is_whitespace() && !c.is_ascii_punctuation() && !"，。、；：“”‘’（）《》【】".contains(*c)
        })
        .collect()
}

fn summary_vs_detail(c: &Catalog, out: &mut Vec<Diagnostic>) {
    let summary = &c.declared.summary;
    if summary.is_empty() {
        return;
    }
    let detail_keys: Vec<String> = c.items.iter().map(|i| name_key(&i.name)).collect();
    let mut matched_detail = vec![false; c.items.len()];
    let mut renumbered = Vec::new();
    for s in summary {
        let sk = name_key(&s.name);
        let sk_grams = bigrams(&sk);
        let exact = detail_keys.iter().position(|k| *k == sk);
        let best = exact.or_else(|| {
            detail_keys
                .iter()
                .enumerate()
                .filter(|(i, _)| !matched_detail[*i])
                .map(|(i, k)| (i, dice(&bigrams(k), &sk_grams)))
                .filter(|(_, score)| *score >= 0.8)
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(i, _)| i)
        });
        let Some(i) = best else {
            out.push(
                Diagnostic::error(
                    DiagnosticCode::SummaryDetailMismatch,
                    format!(
                        "统计表第{}项「{}」不在明细表中",
                        s.seq.map_or("-".into(), |n| n.to_string()),
                        s.name
                    ),
                )
                .at_item(s.seq)
                .at_line(s.line),
            );
            continue;
        };
        matched_detail[i] = true;
        let it = &c.items[i];
        if exact.is_none() {
            out.push(item_diag(
                Diagnostic::warning(
                    DiagnosticCode::SummaryDetailMismatch,
                    format!("统计表写作「{}」，明细表写作「{}」", s.name, it.name),
                ),
                it,
            ));
        }
        if let Some(sc) = s.category
            && sc != it.category
        {
            out.push(item_diag(
                Diagnostic::error(
                    DiagnosticCode::SummaryDetailMismatch,
                    format!(
                        "「{}」统计表列为{}，明细表列为{}",
                        preview(&it.name),
                        sc.label(),
                        it.category_label
                    ),
                ),
                it,
            ));
        }
        if s.seq.is_some() && it.seq.is_some() && s.seq != it.seq {
            renumbered.push(format!("{}→{}", s.seq.unwrap_or(0), it.seq.unwrap_or(0)));
        }
    }
    for (i, it) in c.items.iter().enumerate() {
        if !matched_detail[i] {
            out.push(item_diag(
                Diagnostic::error(
                    DiagnosticCode::SummaryDetailMismatch,
                    format!("明细表事项「{}」不在统计表中", preview(&it.name)),
                ),
                it,
            ));
        }
    }
    if !renumbered.is_empty() {
        out.push(
            Diagnostic::warning(
                DiagnosticCode::SummaryDetailMismatch,
                format!(
                    "统计表与明细表有{}项序号不一致（统计表→明细表：{}）",
                    renumbered.len(),
                    renumbered.join("，")
                ),
            )
            .at_line(summary.first().and_then(|s| s.line)),
        );
    }
}

/// The type segment of a 31-character local power code (legal-rules.md §8.1).
pub fn code_type_segment(code: &str) -> Option<&str> {
    let code = code.trim();
    (code.len() == 31 && code.is_ascii()).then(|| &code[21..23])
}

fn codes(c: &Catalog, out: &mut Vec<Diagnostic>) {
    let mut by_code: BTreeMap<&str, Vec<&PowerItem>> = BTreeMap::new();
    for it in &c.items {
        for code in [it.code.as_deref(), it.sub_code.as_deref()].into_iter().flatten() {
            by_code.entry(code.trim()).or_default().push(it);
        }
        if let (Some(code), Some(seg)) = (it.code.as_deref(), it.code.as_deref().and_then(code_type_segment))
        {
            let expected = it.category.code_segment();
            // 行政备案 has no segment of its own; only check the categories whose segment is known.
            if it.category != Category::Filing && seg != expected {
                let named = Category::ALL.iter().find(|c| c.code_segment() == seg && **c != Category::Filing);
                out.push(item_diag(
                    Diagnostic::error(
                        DiagnosticCode::CodeTypeMismatch,
                        format!(
                            "编码 {code} 的类型段为 {seg}{}，而事项类型为{}（{expected}）",
                            named.map_or(String::new(), |c| format!(" ({})", c.label())),
                            it.category_label
                        ),
                    ),
                    it,
                ));
            }
        }
    }
    for (code, items) in by_code {
        if items.len() > 1 {
            let names: Vec<String> = items
                .iter()
                .map(|i| format!("{}「{}」", i.seq.map_or("-".into(), |s| s.to_string()), preview(&i.name)))
                .collect();
            out.push(item_diag(
                Diagnostic::warning(
                    DiagnosticCode::DuplicateCode,
                    format!("编码 {code} 被{}个事项共用：{}", items.len(), names.join("，")),
                ),
                items[1],
            ));
        }
    }
}

fn types(c: &Catalog, out: &mut Vec<Diagnostic>) {
    for it in &c.items {
        let label: String = it.category_label.chars().filter(|c| !c.is_whitespace()).collect();
        match Category::from_label(&label) {
            Some(LabelMatch::Standard(_)) => {}
            Some(LabelMatch::Variant(cat)) => out.push(item_diag(
                Diagnostic::warning(
                    DiagnosticCode::NonstandardType,
                    format!("权力类型「{label}」不是规范名称，按{}处理", cat.label()),
                ),
                it,
            )),
            None if label.is_empty() => {}
            None => out.push(item_diag(
                Diagnostic::warning(
                    DiagnosticCode::NonstandardType,
                    format!("权力类型「{label}」不是规范类别，按事项名称识别为{}", it.category.label()),
                ),
                it,
            )),
        }
        if it.category == Category::Other {
            continue;
        }
        if let Some(inferred) = infer_category(&it.name)
            && inferred != it.category
        {
            out.push(item_diag(
                Diagnostic::warning(
                    DiagnosticCode::TypeMismatch,
                    format!(
                        "「{}」列为{}，但名称所述为{}",
                        preview(&it.name),
                        it.category_label,
                        inferred.label()
                    ),
                ),
                it,
            ));
        }
    }
}

fn missing_fields(c: &Catalog, out: &mut Vec<Diagnostic>) {
    for it in &c.items {
        let mut missing_err = Vec::new();
        let mut missing_warn = Vec::new();
        if it.name.trim().is_empty() {
            missing_err.push("事项名称");
        }
        if it.category_label.trim().is_empty() {
            missing_err.push("权力类型");
        }
        if it.legal_basis.text.trim().is_empty() {
            missing_err.push("实施依据");
        }
        if it.responsibilities.text.trim().is_empty() {
            missing_warn.push("责任事项");
        }
        if it.accountability.text.trim().is_empty() {
            missing_warn.push("追责情形");
        }
        if !missing_err.is_empty() {
            out.push(item_diag(
                Diagnostic::error(
                    DiagnosticCode::MissingField,
                    format!("「{}」缺少{}", preview(&it.name), missing_err.join("、")),
                ),
                it,
            ));
        }
        if !missing_warn.is_empty() {
            out.push(item_diag(
                Diagnostic::warning(
                    DiagnosticCode::MissingField,
                    format!("「{}」缺少{}", preview(&it.name), missing_warn.join("、")),
                ),
                it,
            ));
        }
    }
}

fn subjects(c: &Catalog, out: &mut Vec<Diagnostic>) {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for it in &c.items {
        if let Some(s) = it.subject.as_deref() {
            *counts.entry(s.trim()).or_default() += 1;
        }
    }
    let names: Vec<&str> = counts.keys().copied().collect();
    let mut reported = vec![false; names.len()];
    for i in 0..names.len() {
        if reported[i] {
            continue;
        }
        let mut group = vec![i];
        for j in i + 1..names.len() {
            if !reported[j] && (names[i].contains(names[j]) || names[j].contains(names[i])) {
                group.push(j);
            }
        }
        if group.len() > 1 {
            for &g in &group {
                reported[g] = true;
            }
            let variants: Vec<String> =
                group.iter().map(|&g| format!("「{}」×{}", names[g], counts[names[g]])).collect();
            let first_item =
                c.items.iter().find(|it| it.subject.as_deref().map(str::trim) == Some(names[group[1]]));
            let d = Diagnostic::warning(
                DiagnosticCode::InconsistentSubject,
                format!("同一主体有{}种写法：{}", group.len(), variants.join("，")),
            );
            out.push(match first_item {
                Some(it) => item_diag(d, it),
                None => d,
            });
        }
    }
}

/// The last item stops early: it lacks the duty columns most items have, or its last
/// text ends inside an open quotation or bracket.
fn truncation(c: &Catalog, out: &mut Vec<Diagnostic>) {
    let Some(last) = c.items.last() else { return };
    let with_duties = c.items.iter().filter(|i| !i.responsibilities.text.is_empty()).count();
    // A row that reaches its remarks or extra columns did not stop early.
    let lacks_duties = last.responsibilities.text.is_empty()
        && last.accountability.text.is_empty()
        && last.remarks.is_none()
        && last.extra.is_empty()
        && c.items.len() >= 3
        && with_duties * 4 >= (c.items.len() - 1) * 3;
    let last_text = [
        last.remarks.as_deref(),
        Some(last.accountability.text.as_str()),
        Some(last.responsibilities.text.as_str()),
        Some(last.legal_basis.text.as_str()),
    ]
    .into_iter()
    .flatten()
    .find(|t| !t.is_empty())
    .unwrap_or("");
    let open = |o: char, cl: char| last_text.matches(o).count() > last_text.matches(cl).count();
    let unbalanced = open('“', '”') || open('《', '》') || open('（', '）');
    if lacks_duties || unbalanced {
        let why = if lacks_duties {
            "其他事项都有责任事项和追责情形，最后一项却没有"
        } else {
            "最后一格停在未闭合的引号或括号中"
        };
        out.push(item_diag(
            Diagnostic::error(DiagnosticCode::Truncated, format!("清单似乎在最后一行中途截断：{why}")),
            last,
        ));
    }
}

/// Tables extracted from PDF often keep only each cell's first line ("不超过 1", "处骗取金额
/// 2倍以上5"): the text stops with no closing mark where the column holds sentences. Such
/// cells are flagged, never completed: only the original says what followed. A list is
/// suspect when most of its sentence cells stop this way; one such cell alone is a style.
fn clipped_cells(c: &Catalog, out: &mut Vec<Diagnostic>) {
    const MIN_CELLS: usize = 3;
    let sentence_cells = |it: &PowerItem| -> Vec<(&'static str, String)> {
        [
            ("实施依据", it.legal_basis.text.clone()),
            ("责任事项", it.responsibilities.text.clone()),
            ("追责情形", it.accountability.text.clone()),
            ("办理时限", it.deadline.as_ref().map(|d| d.text.clone()).unwrap_or_default()),
        ]
        .into_iter()
        .filter(|(_, t)| !t.trim().is_empty())
        .collect()
    };
    let mut total = 0usize;
    let mut cut: Vec<(&PowerItem, &'static str, String)> = Vec::new();
    for it in &c.items {
        for (col, text) in sentence_cells(it) {
            total += 1;
            if looks_clipped(&text) {
                cut.push((it, col, text));
            }
        }
    }
    if cut.len() < MIN_CELLS || cut.len() * 2 < total {
        return;
    }
    for (it, col, text) in cut {
        out.push(item_diag(
            Diagnostic::warning(
                DiagnosticCode::Truncated,
                format!(
                    "「{col}」单元格停在半句中（「{}」），像是从PDF提取表格时只保留了第一行：内容可能不全，未作补全，请对照原件",
                    ending(&text)
                ),
            ),
            it,
        ));
    }
}

/// The end of a cell, where a cut shows: its last characters, "…" before them when cut.
fn ending(text: &str) -> String {
    const SHOWN: usize = 16;
    let t = text.trim();
    let n = t.chars().count();
    if n <= SHOWN {
        return t.to_string();
    }
    let tail: String = t.chars().skip(n - SHOWN).collect();
    format!("…{tail}")
}

/// One line of text that stops mid-sentence: no closing punctuation, and it ends in a
/// number or a word broken by a space ("不超过 1", "由医疗保障行政部门责令").
fn looks_clipped(text: &str) -> bool {
    const FIRST_LINE_CHARS: usize = 40;
    let t = text.trim();
    if t.contains('\n') || t.chars().count() > FIRST_LINE_CHARS {
        return false;
    }
    // A bare number ("15" in a 办理时限 column) is a value, not a cut sentence.
    if t.chars().filter(|c| quanze_parse::text::is_cjk(*c)).count() < 2 {
        return false;
    }
    let Some(last) = t.chars().last() else { return false };
    let closed = "。；;.！!？?）)」』》”\"、条款项的".contains(last);
    !closed
        && (last.is_ascii_digit() || t.rsplit_once(' ').is_some_and(|(_, tail)| tail.chars().count() <= 3))
}
