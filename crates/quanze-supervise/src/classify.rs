//! Accountability clauses (追责情形) classified into the rule kinds that case records can check,
//! or `manual` with the reason they cannot be.
//!
//! The classification is data (`data/clause-rules.toml`): patterns over the normalized clause
//! text, each naming the rule kinds it is checked by, the articles of law it rests on and a
//! Chinese label; or a manual pattern with its reason. A clause no pattern recognizes is manual
//! too, with `unmatched` set, so that a coverage report shows where a pattern is missing.

use std::sync::OnceLock;

use quanze_model::{Catalog, Clause, PowerItem};
use serde::{Deserialize, Serialize};

use crate::kinds::RuleKind;

/// One pattern of the clause table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClausePattern {
    /// Stable id of the pattern (`late_registration`).
    pub id: String,
    /// Chinese label of the situation (不及时立案).
    pub label: String,
    /// Rule kinds that check it; empty for a manual pattern.
    #[serde(default)]
    pub kinds: Vec<RuleKind>,
    /// Articles of law the accountability rests on.
    #[serde(default)]
    pub articles: Vec<String>,
    /// Why a manual pattern cannot be checked from case records.
    #[serde(default)]
    pub manual: Option<String>,
    /// Every group must have one alternative contained in the normalized text.
    pub all: Vec<Vec<String>>,
    /// None of these may occur.
    #[serde(default)]
    pub none: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PatternFile {
    /// Reason given to a clause no pattern recognizes.
    unmatched_reason: String,
    pattern: Vec<ClausePattern>,
}

/// The clause table: patterns and the reason for unrecognized clauses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClauseRules {
    pub patterns: Vec<ClausePattern>,
    pub unmatched_reason: String,
}

/// Why the embedded or a given clause table cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClauseRulesError {
    #[error("追责情形分类表无法读取：{0}")]
    Parse(String),
    #[error("追责情形分类表第 {0} 条（{1}）既无规则类型也无人工核查理由")]
    Empty(usize, String),
}

impl ClauseRules {
    /// Read a clause table (the format of `data/clause-rules.toml`).
    pub fn from_toml(text: &str) -> Result<ClauseRules, ClauseRulesError> {
        let f: PatternFile = toml::from_str(text).map_err(|e| ClauseRulesError::Parse(e.to_string()))?;
        for (i, p) in f.pattern.iter().enumerate() {
            if p.kinds.is_empty() == p.manual.is_none() || p.all.is_empty() {
                return Err(ClauseRulesError::Empty(i + 1, p.id.clone()));
            }
        }
        let patterns = f
            .pattern
            .into_iter()
            .map(|mut p| {
                for g in &mut p.all {
                    for alt in g.iter_mut() {
                        *alt = normalize(alt);
                    }
                }
                for n in &mut p.none {
                    *n = normalize(n);
                }
                p
            })
            .collect();
        Ok(ClauseRules { patterns, unmatched_reason: f.unmatched_reason })
    }

    /// The embedded table.
    pub fn builtin() -> &'static ClauseRules {
        static RULES: OnceLock<ClauseRules> = OnceLock::new();
        RULES.get_or_init(|| {
            // A test reads the embedded file; a broken one would leave every clause manual.
            ClauseRules::from_toml(include_str!("../data/clause-rules.toml")).unwrap_or(ClauseRules {
                patterns: Vec::new(),
                unmatched_reason: "追责情形分类表无法读取".into(),
            })
        })
    }

    /// Classify one clause text.
    pub fn classify(&self, text: &str) -> Classification {
        let norm = normalize(text);
        let mut kinds: Vec<RuleKind> = Vec::new();
        let mut articles: Vec<String> = Vec::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut labels: Vec<String> = Vec::new();
        let mut manual: Option<(String, String)> = None;
        for p in &self.patterns {
            let hit = p.all.iter().all(|g| g.iter().any(|alt| norm.contains(alt.as_str())))
                && !p.none.iter().any(|n| norm.contains(n.as_str()));
            if !hit {
                continue;
            }
            if let Some(reason) = &p.manual {
                if manual.is_none() {
                    manual = Some((p.id.clone(), reason.clone()));
                }
                continue;
            }
            patterns.push(p.id.clone());
            labels.push(p.label.clone());
            for k in &p.kinds {
                if !kinds.contains(k) {
                    kinds.push(*k);
                }
            }
            for a in &p.articles {
                if !articles.contains(a) {
                    articles.push(a.clone());
                }
            }
        }
        if !kinds.is_empty() {
            return Classification { kinds, articles, patterns, labels, manual: None, unmatched: false };
        }
        match manual {
            Some((id, reason)) => Classification {
                kinds,
                articles,
                patterns: vec![id],
                labels,
                manual: Some(reason),
                unmatched: false,
            },
            None => Classification {
                kinds,
                articles,
                patterns,
                labels,
                manual: Some(self.unmatched_reason.clone()),
                unmatched: true,
            },
        }
    }
}

/// What a clause is checked by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Classification {
    /// Rule kinds that check it (empty when manual).
    pub kinds: Vec<RuleKind>,
    pub articles: Vec<String>,
    /// Ids of the patterns that matched.
    pub patterns: Vec<String>,
    /// Chinese labels of the matched patterns.
    pub labels: Vec<String>,
    /// Why it must be checked by a person (人工核查), when it must.
    pub manual: Option<String>,
    /// No pattern recognized it.
    pub unmatched: bool,
}

impl Classification {
    pub fn automated(&self) -> bool {
        !self.kinds.is_empty()
    }
}

/// Normalized clause text for matching: simplified characters, half-width forms, and no
/// whitespace, punctuation, numbering or quotation marks.
pub fn normalize(text: &str) -> String {
    let plain = quanze_parse::text::strip_html(text);
    let simp = quanze_parse::text::to_simplified(&plain);
    let folded = quanze_parse::text::fold_width(&simp);
    folded.chars().filter(|c| !c.is_whitespace() && !is_punct(*c)).flat_map(char::to_lowercase).collect()
}

fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(
            c,
            '、' | '。'
                | '，'
                | '；'
                | '：'
                | '“'
                | '”'
                | '‘'
                | '’'
                | '《'
                | '》'
                | '（'
                | '）'
                | '【'
                | '】'
                | '〔'
                | '〕'
                | '…'
                | '—'
                | '·'
                | '「'
                | '」'
                | '﹝'
                | '﹞'
        )
}

/// One clause of an item with its classification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClassifiedClause {
    pub seq: u32,
    /// As the list prints it.
    pub text: String,
    #[serde(flatten)]
    pub class: Classification,
}

/// The clauses of one item, classified.
pub fn classify_item(rules: &ClauseRules, item: &PowerItem) -> Vec<ClassifiedClause> {
    classify_clauses(rules, &item.accountability.clauses)
}

/// Classify clauses in order.
pub fn classify_clauses(rules: &ClauseRules, clauses: &[Clause]) -> Vec<ClassifiedClause> {
    clauses
        .iter()
        .map(|c| ClassifiedClause { seq: c.seq, text: c.text.clone(), class: rules.classify(&c.text) })
        .collect()
}

/// Per item: the clause that a rule kind's alert cites (the first one of the item that the
/// kind checks).
pub fn clause_for(clauses: &[ClassifiedClause], kind: RuleKind) -> Option<&ClassifiedClause> {
    clauses.iter().find(|c| c.class.kinds.contains(&kind))
}

/// Coverage of one list: clauses automated and manual, per item and in total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// The list's title or file name.
    pub list: String,
    pub items: Vec<ItemCoverage>,
    pub clauses: usize,
    pub automated: usize,
    pub manual: usize,
    /// Manual clauses no pattern recognized.
    pub unmatched: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemCoverage {
    pub seq: Option<u32>,
    pub line: Option<u32>,
    pub name: String,
    pub automated: usize,
    pub manual: usize,
    pub clauses: Vec<ClassifiedClause>,
}

impl Coverage {
    /// Share automated, in per mille (0 when the list has no clause).
    pub fn permille(&self) -> u32 {
        permille(self.automated, self.clauses)
    }
}

pub(crate) fn permille(part: usize, whole: usize) -> u32 {
    if whole == 0 {
        return 0;
    }
    u32::try_from(part.saturating_mul(1000) / whole).unwrap_or(1000)
}

/// The coverage report of a catalog.
pub fn coverage(rules: &ClauseRules, catalog: &Catalog) -> Coverage {
    let list = catalog.source.title.clone().unwrap_or_else(|| catalog.source.file_name.clone());
    let mut out = Coverage { list, items: Vec::new(), clauses: 0, automated: 0, manual: 0, unmatched: 0 };
    for item in &catalog.items {
        let clauses = classify_item(rules, item);
        let automated = clauses.iter().filter(|c| c.class.automated()).count();
        let manual = clauses.len() - automated;
        out.clauses += clauses.len();
        out.automated += automated;
        out.manual += manual;
        out.unmatched += clauses.iter().filter(|c| c.class.unmatched).count();
        out.items.push(ItemCoverage {
            seq: item.seq,
            line: item.line,
            name: match &item.sub_name {
                Some(s) => format!("{}（{}）", item.name.trim(), s.trim()),
                None => item.name.trim().to_string(),
            },
            automated,
            manual,
            clauses,
        });
    }
    out
}

/// Manual clauses of one or more reports grouped by why a person must check them (the manual
/// pattern, or `unmatched`), most clauses first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ManualGroup {
    /// The manual pattern's id, or `unmatched`.
    pub pattern: String,
    /// Its Chinese label.
    pub label: String,
    /// Why a person must check it.
    pub reason: String,
    /// Manual clauses in the group.
    pub clauses: usize,
    /// Distinct clause texts (trimmed), in order of first appearance.
    pub texts: Vec<String>,
}

/// Group the manual clauses of reports by their reason.
pub fn manual_groups(rules: &ClauseRules, reports: &[Coverage]) -> Vec<ManualGroup> {
    let mut groups: Vec<ManualGroup> = Vec::new();
    for cl in reports.iter().flat_map(|r| &r.items).flat_map(|i| &i.clauses) {
        if cl.class.automated() {
            continue;
        }
        let pattern = if cl.class.unmatched {
            "unmatched".to_string()
        } else {
            cl.class.patterns.first().cloned().unwrap_or_else(|| "unmatched".into())
        };
        let idx = match groups.iter().position(|g| g.pattern == pattern) {
            Some(i) => i,
            None => {
                let label = rules
                    .patterns
                    .iter()
                    .find(|p| p.id == pattern)
                    .map_or_else(|| "未识别".to_string(), |p| p.label.clone());
                groups.push(ManualGroup {
                    pattern,
                    label,
                    reason: cl.class.manual.clone().unwrap_or_default(),
                    clauses: 0,
                    texts: Vec::new(),
                });
                groups.len() - 1
            }
        };
        if let Some(g) = groups.get_mut(idx) {
            g.clauses += 1;
            let text = cl.text.trim().to_string();
            if !g.texts.contains(&text) {
                g.texts.push(text);
            }
        }
    }
    groups.sort_by(|a, b| b.clauses.cmp(&a.clauses).then_with(|| a.pattern.cmp(&b.pattern)));
    groups
}

/// The manual groups in Chinese: one line a group, with its count and reason.
pub fn render_manual_groups(groups: &[ManualGroup]) -> String {
    use std::fmt::Write;
    let mut s = String::from("需人工核查的追责情形，按原因：\n");
    for g in groups {
        let _ = writeln!(
            s,
            "  {}（{}）：{} 条，{} 种表述 — {}",
            g.label,
            g.pattern,
            g.clauses,
            g.texts.len(),
            g.reason
        );
    }
    s
}

/// The coverage report in Chinese, for a person.
pub fn render_coverage(c: &Coverage) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let pm = c.permille();
    let _ = writeln!(
        s,
        "清单：{}\n追责情形 {} 条：可自动监察 {} 条，需人工核查 {} 条（其中未识别 {} 条）；自动化率 {}.{}%",
        c.list,
        c.clauses,
        c.automated,
        c.manual,
        c.unmatched,
        pm / 10,
        pm % 10
    );
    for it in &c.items {
        let seq = it.seq.map(|n| n.to_string()).unwrap_or_else(|| format!("第{}行", it.line.unwrap_or(0)));
        let _ = writeln!(s, "\n[{seq}] {}：自动 {} 条，人工 {} 条", it.name, it.automated, it.manual);
        for cl in &it.clauses {
            let text = cl.text.trim();
            if cl.class.automated() {
                let kinds: Vec<&str> = cl.class.kinds.iter().map(|k| k.label()).collect();
                let _ = writeln!(s, "  （{}）{} → 自动：{}", cl.seq, text, kinds.join("、"));
            } else {
                let reason = cl.class.manual.as_deref().unwrap_or("");
                let _ = writeln!(s, "  （{}）{} → 人工：{}", cl.seq, text, reason);
            }
        }
    }
    s
}
