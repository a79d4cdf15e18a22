//! 文书: which event issues which document (data), their fields frozen at issue, and their
//! rendering to printable A4 HTML from templates read at run time.
//!
//! The templates and `documents.toml` live in a folder a bureau may edit without a rebuild
//! (default: the shipped `templates/documents/`, embedded in the binary as a fallback). A file
//! present in the bureau's folder replaces the shipped one of the same name.
//!
//! A document is planned when its event is decided ([`DocumentSet::plan`]), numbered and stored
//! by the store in the transaction that appends the event, and rendered on demand from the
//! fields it was issued with ([`DocumentSet::render`], [`DocumentSet::render_dossier`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use quanze_case::{Action, CaseEvent, CaseState, DecisionKind, SealKind, ServiceMethod};
use quanze_model::Date;
use quanze_store::{NewDocument, StoredDocument};
use serde::{Deserialize, Serialize};

/// Why the documents cannot be set up or rendered (Chinese messages: an administrator reads them).
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("文书配置无效：{0}")]
    Config(String),
    #[error("文书模板「{template}」无法使用：{message}")]
    Template { template: String, message: String },
    #[error("文书内容无法读取：{0}")]
    Fields(String),
}

/// The shipped folder, embedded: (file name, text).
const SHIPPED: &[(&str, &str)] = &[
    ("documents.toml", include_str!("../../../templates/documents/documents.toml")),
    ("_layout.html", include_str!("../../../templates/documents/_layout.html")),
    ("_macros.html", include_str!("../../../templates/documents/_macros.html")),
    ("_dossier.html", include_str!("../../../templates/documents/_dossier.html")),
    ("_single.html", include_str!("../../../templates/documents/_single.html")),
    ("register_approval.html", include_str!("../../../templates/documents/register_approval.html")),
    ("inquiry_record.html", include_str!("../../../templates/documents/inquiry_record.html")),
    ("scene_record.html", include_str!("../../../templates/documents/scene_record.html")),
    ("preserve_notice.html", include_str!("../../../templates/documents/preserve_notice.html")),
    ("seal_decision.html", include_str!("../../../templates/documents/seal_decision.html")),
    ("seal_list.html", include_str!("../../../templates/documents/seal_list.html")),
    ("legal_review_opinion.html", include_str!("../../../templates/documents/legal_review_opinion.html")),
    ("prior_notice.html", include_str!("../../../templates/documents/prior_notice.html")),
    ("hearing_rights_notice.html", include_str!("../../../templates/documents/hearing_rights_notice.html")),
    ("hearing_notice.html", include_str!("../../../templates/documents/hearing_notice.html")),
    ("collective_discussion.html", include_str!("../../../templates/documents/collective_discussion.html")),
    ("penalty_decision.html", include_str!("../../../templates/documents/penalty_decision.html")),
    ("no_penalty_decision.html", include_str!("../../../templates/documents/no_penalty_decision.html")),
    ("service_receipt.html", include_str!("../../../templates/documents/service_receipt.html")),
    ("demand_notice.html", include_str!("../../../templates/documents/demand_notice.html")),
    ("close_approval.html", include_str!("../../../templates/documents/close_approval.html")),
    ("acceptance_notice.html", include_str!("../../../templates/documents/acceptance_notice.html")),
    ("materials_notice.html", include_str!("../../../templates/documents/materials_notice.html")),
    ("rejection_notice.html", include_str!("../../../templates/documents/rejection_notice.html")),
    ("approval_decision.html", include_str!("../../../templates/documents/approval_decision.html")),
    ("denial_decision.html", include_str!("../../../templates/documents/denial_decision.html")),
];

/// Largest template or configuration file read from a bureau's folder.
const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// One document type.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentType {
    pub title: String,
    pub template: String,
    /// The type letter of the 文号 (`罚`); `None`: no 文号.
    #[serde(default)]
    pub suffix: Option<String>,
    /// Place in the printed file (一案一卷).
    pub order: u32,
}

/// Which event issues which documents.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct IssueRule {
    pub action: String,
    #[serde(default)]
    pub procedure: Option<String>,
    #[serde(default)]
    pub decision: Option<String>,
    #[serde(default)]
    pub seal: Option<String>,
    #[serde(default)]
    pub evidence_any: Vec<String>,
    pub documents: Vec<String>,
}

/// A bureau's settings for its documents.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BureauDocuments {
    /// The 文号 prefix (`汤医保`).
    pub short: String,
    /// 本级人民政府: where 行政复议 is applied for (行政复议法 第二十四条).
    #[serde(default)]
    pub government: String,
    /// Where 行政诉讼 is brought.
    #[serde(default)]
    pub court: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub phone: String,
    /// 指定的银行 for fines (行政处罚法 第六十七条).
    #[serde(default)]
    pub bank: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(rename = "type")]
    types: BTreeMap<String, DocumentType>,
    issue: Vec<IssueRule>,
    #[serde(default)]
    bureau: BTreeMap<String, BureauDocuments>,
}

/// The document types, the issue rules and the templates, ready to plan and render.
#[derive(Debug)]
pub struct DocumentSet {
    types: BTreeMap<String, DocumentType>,
    rules: Vec<IssueRule>,
    bureaus: BTreeMap<String, BureauDocuments>,
    env: minijinja::Environment<'static>,
    /// Where the templates came from (for messages).
    pub source: String,
}

/// What [`DocumentSet::plan`] needs to know about the case besides the event.
#[derive(Debug, Clone)]
pub struct CaseFacts<'a> {
    pub bureau_name: &'a str,
    pub label: &'a str,
    pub item_name: &'a str,
    /// The item's 实施依据, as printed in the list.
    pub legal_basis: &'a str,
    pub procedure: &'a str,
    pub state_label: &'a str,
    pub opened_on: Option<Date>,
    /// The case's particulars (a JSON object: `party`, facts…), if recorded.
    pub particulars: Option<&'a serde_json::Value>,
    /// (name, certificate) of each actor, in the event's order.
    pub actors: Vec<(String, Option<String>)>,
}

/// The 实施依据 as a clause the templates can put inside "依据……的规定": lists print it as a
/// sentence, often ending in 。 or already in 的规定, and the document must not read
/// "第二十六条。的规定" or "……的规定的规定".
fn basis_clause(text: &str) -> &str {
    const TRAILING: &[char] =
        &['。', '；', ';', '，', ',', '、', '.', '：', ':', ' ', '\u{3000}', '\n', '\r', '\t'];
    let mut t = text.trim_end_matches(TRAILING);
    for suffix in ["的规定", "之规定", "规定"] {
        if let Some(rest) = t.strip_suffix(suffix) {
            t = rest.trim_end_matches(TRAILING);
            break;
        }
    }
    t.trim_start()
}

fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let fen = fen.unsigned_abs();
    let (y, f) = (fen / 100, fen % 100);
    let digits = y.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{f:02}元")
}

/// A date as printed on documents: 2026年11月20日.
pub fn chinese_date(d: Date) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

fn method_label(m: ServiceMethod) -> &'static str {
    match m {
        ServiceMethod::Direct => "直接送达",
        ServiceMethod::Post => "邮寄送达",
        ServiceMethod::Electronic => "电子送达",
        ServiceMethod::Notice => "公告送达",
    }
}

/// The event's own fields for templates: `on` (the date printed), and per action the fine,
/// the decision, the opinion…
fn event_fields(e: &CaseEvent) -> serde_json::Value {
    let mut m = serde_json::Map::new();
    m.insert("action".into(), e.action.id().into());
    m.insert("label".into(), e.action.kind().label().into());
    m.insert("on".into(), chinese_date(e.at.date).into());
    m.insert("at".into(), e.at.to_string().into());
    let mut put = |k: &str, v: serde_json::Value| {
        m.insert(k.to_string(), v);
    };
    match &e.action {
        Action::Notify { fine_fen, base_fen } | Action::Decide { fine_fen, base_fen, .. } => {
            if let Some(f) = fine_fen {
                put("fine", yuan(*f).into());
                put("fine_fen", (*f).into());
            }
            if let Some(b) = base_fen {
                put("base", yuan(*b).into());
            }
            if let Action::Decide { decision, .. } = &e.action {
                put(
                    "decision",
                    match decision {
                        DecisionKind::Penalty => "penalty",
                        DecisionKind::NoPenalty => "no_penalty",
                        DecisionKind::NotEstablished => "not_established",
                        DecisionKind::Transfer => "transfer",
                    }
                    .into(),
                );
                put("decision_label", decision.label().into());
            }
        }
        Action::SimpleDecide { fine_fen } => put("fine", yuan(*fine_fen).into()),
        Action::LegalReview { opinion } => put("opinion", opinion.clone().into()),
        Action::Discuss { conclusion } => put("conclusion", conclusion.clone().into()),
        Action::Serve { method, consent } => {
            let id = serde_json::to_value(method).unwrap_or_default();
            put("method", id);
            put("method_label", method_label(*method).into());
            put("consent", (*consent).into());
        }
        Action::Investigate { evidence } => put("evidence", evidence.clone().into()),
        Action::Seal { kind, scene_record } => {
            put("seal", if *kind == SealKind::Preserve { "preserve" } else { "seal" }.into());
            put("scene_record", scene_record.clone().into());
        }
        Action::RequestMaterials { missing } => put("missing", missing.clone().into()),
        Action::Open { missing, .. } => put("missing", missing.clone().into()),
        Action::Reject { reason } | Action::Deny { reason } | Action::Decline { reason } => {
            put("reason", reason.clone().into())
        }
        Action::Approve { amount_fen: Some(a) } => put("amount", yuan(*a).into()),
        Action::HoldHearing { presider } => put("presider", presider.clone().into()),
        Action::ExtendSeal { days } => put("days", (*days).into()),
        Action::Extend { days, reason } => {
            put("days", (*days).into());
            put("reason", reason.clone().into());
        }
        _ => {}
    }
    serde_json::Value::Object(m)
}

fn read_folder_file(dir: &Path, name: &str) -> Result<Option<String>, DocumentError> {
    let path = dir.join(name);
    match std::fs::metadata(&path) {
        Err(_) => Ok(None),
        Ok(meta) if meta.len() > MAX_FILE_BYTES => {
            Err(DocumentError::Config(format!("{} 超过 {} 字节的上限", path.display(), MAX_FILE_BYTES)))
        }
        Ok(_) => std::fs::read_to_string(&path)
            .map(Some)
            .map_err(|e| DocumentError::Config(format!("无法读取 {}：{e}", path.display()))),
    }
}

impl DocumentSet {
    /// The shipped templates and configuration.
    pub fn shipped() -> Result<DocumentSet, DocumentError> {
        Self::build(SHIPPED.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect(), "内置模板".into())
    }

    /// The templates of `dir` (a bureau's folder), each missing file taken from the shipped
    /// set. `.html` files in `dir` that the shipped set does not have are added too (a
    /// bureau's own types, named in its `documents.toml`).
    pub fn load(dir: &Path) -> Result<DocumentSet, DocumentError> {
        let mut files: BTreeMap<String, String> =
            SHIPPED.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
        let entries = std::fs::read_dir(dir)
            .map_err(|e| DocumentError::Config(format!("无法读取文书模板目录 {}：{e}", dir.display())))?;
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if (name.ends_with(".html") || name == "documents.toml")
                && let Some(text) = read_folder_file(dir, &name)?
            {
                files.insert(name, text);
            }
        }
        Self::build(files, dir.display().to_string())
    }

    /// The shipped folder in a source checkout (for tools and tests).
    pub fn shipped_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../templates/documents")
    }

    fn build(files: BTreeMap<String, String>, source: String) -> Result<DocumentSet, DocumentError> {
        let config =
            files.get("documents.toml").ok_or_else(|| DocumentError::Config("缺少 documents.toml".into()))?;
        let config: ConfigFile =
            toml::from_str(config).map_err(|e| DocumentError::Config(format!("documents.toml：{e}")))?;
        let mut env = minijinja::Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Chainable);
        for (name, text) in files {
            if name.ends_with(".html") {
                env.add_template_owned(name.clone(), text).map_err(|e| DocumentError::Template {
                    template: name.clone(),
                    message: e.to_string(),
                })?;
            }
        }
        for (id, t) in &config.types {
            if env.get_template(&t.template).is_err() {
                return Err(DocumentError::Config(format!("文书类型 {id} 的模板 {} 不存在", t.template)));
            }
        }
        for r in &config.issue {
            if quanze_case::ActionKind::from_id(&r.action).is_none() {
                return Err(DocumentError::Config(format!("未知的操作「{}」", r.action)));
            }
            for d in &r.documents {
                if !config.types.contains_key(d) {
                    return Err(DocumentError::Config(format!(
                        "操作「{}」出具的文书类型「{d}」未定义",
                        r.action
                    )));
                }
            }
        }
        Ok(DocumentSet { types: config.types, rules: config.issue, bureaus: config.bureau, env, source })
    }

    pub fn types(&self) -> &BTreeMap<String, DocumentType> {
        &self.types
    }

    pub fn rules(&self) -> &[IssueRule] {
        &self.rules
    }

    /// A bureau's settings; a bureau not configured gets its first character + 医保 as the
    /// 文号 prefix and blanks for the rest (printed as lines to fill in).
    pub fn bureau(&self, name: &str) -> BureauDocuments {
        self.bureaus.get(name).cloned().unwrap_or_else(|| BureauDocuments {
            short: format!("{}医保", name.chars().next().unwrap_or('局')),
            ..BureauDocuments::default()
        })
    }

    /// The document types an event issues, in order (no duplicates).
    pub fn types_for(&self, procedure: &str, event: &CaseEvent) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        let fields = event_fields(event);
        for r in &self.rules {
            if r.action != event.action.id() {
                continue;
            }
            if r.procedure.as_deref().is_some_and(|p| p != procedure) {
                continue;
            }
            if let Some(d) = &r.decision
                && fields.get("decision").and_then(|v| v.as_str()) != Some(d.as_str())
            {
                continue;
            }
            if let Some(s) = &r.seal
                && fields.get("seal").and_then(|v| v.as_str()) != Some(s.as_str())
            {
                continue;
            }
            if !r.evidence_any.is_empty() {
                let Action::Investigate { evidence } = &event.action else { continue };
                if !evidence.iter().any(|e| r.evidence_any.iter().any(|k| e.contains(k.as_str()))) {
                    continue;
                }
            }
            for d in &r.documents {
                if !out.contains(&d.as_str()) {
                    out.push(d);
                }
            }
        }
        out
    }

    /// The documents an applied event issues, with their fields frozen now.
    pub fn plan(&self, facts: &CaseFacts, event: &CaseEvent, state: &CaseState) -> Vec<NewDocument> {
        let bureau = self.bureau(facts.bureau_name);
        let empty = serde_json::Value::Object(serde_json::Map::new());
        let particulars = facts.particulars.unwrap_or(&empty);
        let party = particulars.get("party").cloned().unwrap_or_else(|| empty.clone());
        let mut party = match party {
            serde_json::Value::Object(m) => m,
            _ => serde_json::Map::new(),
        };
        party.entry("kind").or_insert_with(|| {
            serde_json::to_value(state.party).unwrap_or_else(|_| serde_json::Value::String("unit".into()))
        });
        let fields = serde_json::json!({
            "bureau": {
                "name": facts.bureau_name,
                "short": bureau.short,
                "government": bureau.government,
                "court": bureau.court,
                "address": bureau.address,
                "phone": bureau.phone,
                "bank": bureau.bank,
            },
            "case": {
                "label": facts.label,
                "item_name": facts.item_name,
                "legal_basis": basis_clause(facts.legal_basis),
                "procedure": facts.procedure,
                "state_label": facts.state_label,
                "opened_on": facts.opened_on.map(chinese_date).unwrap_or_default(),
            },
            "party": party,
            "facts": particulars.get("facts").cloned().unwrap_or_else(|| empty.clone()),
            "event": event_fields(event),
            "actors": facts.actors.iter().map(|(n, c)| serde_json::json!({"name": n, "certificate": c})).collect::<Vec<_>>(),
        });
        let text = fields.to_string();
        self.types_for(facts.procedure, event)
            .into_iter()
            .filter_map(|id| {
                let t = self.types.get(id)?;
                Some(NewDocument {
                    event_seq: event.seq,
                    doc_type: id.to_string(),
                    year: event.at.date.year(),
                    prefix: t.suffix.as_ref().map(|s| format!("{}{s}", bureau.short)),
                    title: t.title.clone(),
                    fields: text.clone(),
                })
            })
            .collect()
    }

    fn render_fragment(&self, doc: &StoredDocument) -> Result<String, DocumentError> {
        let t = self
            .types
            .get(&doc.doc_type)
            .ok_or_else(|| DocumentError::Config(format!("文书类型「{}」未定义", doc.doc_type)))?;
        let mut fields: serde_json::Value =
            serde_json::from_str(&doc.fields).map_err(|e| DocumentError::Fields(e.to_string()))?;
        if let serde_json::Value::Object(m) = &mut fields {
            m.insert(
                "doc".into(),
                serde_json::json!({"title": doc.title, "doc_no": doc.doc_no, "type": doc.doc_type}),
            );
        }
        let tmpl = self
            .env
            .get_template(&t.template)
            .map_err(|e| DocumentError::Template { template: t.template.clone(), message: e.to_string() })?;
        tmpl.render(fields)
            .map_err(|e| DocumentError::Template { template: t.template.clone(), message: e.to_string() })
    }

    /// One document as a printable A4 page.
    pub fn render(&self, doc: &StoredDocument) -> Result<String, DocumentError> {
        let html = self.render_fragment(doc)?;
        let tmpl = self.env.get_template("_single.html").map_err(|e| DocumentError::Template {
            template: "_single.html".into(),
            message: e.to_string(),
        })?;
        tmpl.render(minijinja::context! { doc => serde_json::json!({"title": doc.title, "doc_no": doc.doc_no}), html => html })
            .map_err(|e| DocumentError::Template { template: "_single.html".into(), message: e.to_string() })
    }

    /// The order of a case's documents in its file: by type order, then as issued.
    pub fn dossier_order<'a>(&self, docs: &'a [StoredDocument]) -> Vec<&'a StoredDocument> {
        let mut v: Vec<&StoredDocument> = docs.iter().collect();
        v.sort_by_key(|d| (self.types.get(&d.doc_type).map_or(u32::MAX, |t| t.order), d.id));
        v
    }

    /// A case's documents as one printable file (一案一卷), in the fixed order.
    pub fn render_dossier(
        &self,
        case_label: &str,
        item_name: &str,
        bureau_name: &str,
        docs: &[StoredDocument],
        printed_on: Date,
    ) -> Result<String, DocumentError> {
        let mut parts = Vec::new();
        for d in self.dossier_order(docs) {
            parts.push(
                serde_json::json!({"title": d.title, "doc_no": d.doc_no, "html": self.render_fragment(d)?}),
            );
        }
        let tmpl = self.env.get_template("_dossier.html").map_err(|e| DocumentError::Template {
            template: "_dossier.html".into(),
            message: e.to_string(),
        })?;
        tmpl.render(minijinja::context! {
            case => serde_json::json!({"label": case_label, "item_name": item_name}),
            bureau => serde_json::json!({"name": bureau_name}),
            documents => parts,
            printed_on => chinese_date(printed_on),
        })
        .map_err(|e| DocumentError::Template { template: "_dossier.html".into(), message: e.to_string() })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_basis_reads_as_a_clause_inside_de_guiding() {
        use super::basis_clause;
        assert_eq!(
            basis_clause("《医疗保障基金使用监督管理条例》第二十六条。"),
            "《医疗保障基金使用监督管理条例》第二十六条"
        );
        assert_eq!(basis_clause("《条例》第三十八条的规定。 "), "《条例》第三十八条");
        assert_eq!(basis_clause("《条例》第三十八条之规定；"), "《条例》第三十八条");
        assert_eq!(
            basis_clause("1.《社会保险法》第八十七条；2.《条例》第四十条"),
            "1.《社会保险法》第八十七条；2.《条例》第四十条"
        );
        assert_eq!(basis_clause("。"), "");
    }

    use super::*;

    fn event(action: &str, keys: &str) -> CaseEvent {
        CaseEvent {
            seq: 7,
            at: quanze_case::At { date: Date::parse("2026-11-02").expect("date"), minute: None },
            by: vec!["1".into()],
            action: Action::from_step(action, &keys.parse::<toml::Table>().expect("keys")).expect("action"),
            procedure: "penalty".into(),
            stage: "x".into(),
            state: "y".into(),
            item: quanze_case::ItemRef::default(),
            duty_stage: None,
            post: None,
            duty: None,
            target: None,
        }
    }

    /// Each rule of the shipped mapping, one action at a time: what it must issue and, where
    /// a condition applies, what it must not.
    #[test]
    fn the_shipped_mapping_issues_the_right_documents() {
        let set = DocumentSet::shipped().expect("shipped");
        let cases: &[(&str, &str, &str, &[&str])] = &[
            ("penalty", "register", "", &["register_approval"]),
            ("penalty", "investigate", "evidence = [\"书证\"]", &[]),
            (
                "penalty",
                "investigate",
                "evidence = [\"询问笔录\", \"现场笔录\"]",
                &["inquiry_record", "scene_record"],
            ),
            ("penalty", "investigate", "evidence = [\"当事人的陈述\"]", &["inquiry_record"]),
            ("penalty", "seal", "kind = \"preserve\"", &["preserve_notice"]),
            ("penalty", "seal", "", &["seal_decision", "seal_list", "scene_record"]),
            ("coercion", "seal", "", &["seal_decision", "seal_list", "scene_record"]),
            ("penalty", "legal_review", "opinion = \"同意\"", &["legal_review_opinion"]),
            ("penalty", "notify", "fine_yuan = 100", &["prior_notice", "hearing_rights_notice"]),
            ("penalty", "request_hearing", "", &["hearing_notice"]),
            ("penalty", "discuss", "", &["collective_discussion"]),
            ("penalty", "decide", "decision = \"penalty\"\nfine_yuan = 100", &["penalty_decision"]),
            ("penalty", "decide", "decision = \"no_penalty\"", &["no_penalty_decision"]),
            ("penalty", "decide", "decision = \"not_established\"", &["no_penalty_decision"]),
            ("penalty", "decide", "decision = \"transfer\"", &[]),
            ("penalty", "serve", "method = \"direct\"", &["service_receipt"]),
            ("penalty", "demand", "", &["demand_notice"]),
            ("penalty", "close", "", &["close_approval"]),
            ("service", "close", "", &[]),
            ("service", "accept", "", &["acceptance_notice"]),
            ("service", "request_materials", "missing = [\"身份证明\"]", &["materials_notice"]),
            ("service", "reject", "reason = \"不属于受理范围\"", &["rejection_notice"]),
            ("service", "approve", "", &["approval_decision"]),
            ("service", "deny", "reason = \"不符合条件\"", &["denial_decision"]),
            ("coercion", "approve", "", &[]),
            ("penalty", "pay", "amount_yuan = 100", &[]),
        ];
        for (procedure, action, keys, want) in cases {
            let got = set.types_for(procedure, &event(action, keys));
            assert_eq!(&got, want, "{procedure} {action} {keys}");
        }
        // Every type is issued by some rule, and every type's template renders.
        for id in set.types().keys() {
            assert!(set.rules().iter().any(|r| r.documents.contains(id)), "{id} is never issued");
        }
    }

    #[test]
    fn every_template_renders_with_blanks_when_nothing_is_known() {
        let set = DocumentSet::shipped().expect("shipped");
        for (id, t) in set.types() {
            let doc = StoredDocument {
                id: quanze_store::DocumentId(1),
                case: quanze_store::CaseId(1),
                bureau: quanze_store::BureauId(1),
                event_seq: 1,
                doc_type: id.clone(),
                year: 2026,
                number: t.suffix.as_ref().map(|_| 3),
                doc_no: t.suffix.as_ref().map(|s| format!("汤医保{s}〔2026〕3号")),
                title: t.title.clone(),
                issued_at: 0,
                fields: "{}".into(),
            };
            let html = set.render(&doc).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert!(html.contains(&t.title), "{id}");
            assert!(html.contains("<!DOCTYPE html>"), "{id}");
            if let Some(no) = &doc.doc_no {
                assert!(html.contains(no.as_str()), "{id}");
            }
        }
    }

    #[test]
    fn a_bureau_folder_overrides_one_template_and_keeps_the_rest() {
        let dir = tempfile::tempdir().expect("dir");
        std::fs::write(
            dir.path().join("service_receipt.html"),
            "{% extends \"_layout.html\" %}{% block body %}本局自定义送达回证{% endblock %}",
        )
        .expect("write");
        let set = DocumentSet::load(dir.path()).expect("load");
        let mut doc = StoredDocument {
            id: quanze_store::DocumentId(1),
            case: quanze_store::CaseId(1),
            bureau: quanze_store::BureauId(1),
            event_seq: 1,
            doc_type: "service_receipt".into(),
            year: 2026,
            number: None,
            doc_no: None,
            title: "送达回证".into(),
            issued_at: 0,
            fields: "{}".into(),
        };
        assert!(set.render(&doc).expect("render").contains("本局自定义送达回证"));
        doc.doc_type = "demand_notice".into();
        assert!(set.render(&doc).expect("render").contains("行政强制法"));
        // A broken template is refused when the folder is loaded, naming the file.
        std::fs::write(dir.path().join("demand_notice.html"), "{% if %}").expect("write");
        let err = DocumentSet::load(dir.path()).expect_err("broken");
        assert!(err.to_string().contains("demand_notice.html"), "{err}");
    }

    #[test]
    fn unconfigured_bureaus_get_a_prefix_from_their_name() {
        let set = DocumentSet::shipped().expect("shipped");
        assert_eq!(set.bureau("汤阴县医疗保障局").short, "汤医保");
        assert_eq!(set.bureau("涞源县医疗保障局").short, "涞医保");
        assert_eq!(set.bureau("汤阴县医疗保障局").government, "汤阴县人民政府");
    }

    #[test]
    fn yuan_groups_thousands() {
        assert_eq!(yuan(6_000_000), "60,000.00元");
        assert_eq!(yuan(5), "0.05元");
        assert_eq!(yuan(123_456_789), "1,234,567.89元");
    }

    #[test]
    fn shipped_folder_matches_the_embedded_list() {
        let mut on_disk: Vec<String> = std::fs::read_dir(DocumentSet::shipped_dir())
            .expect("templates/documents")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".html") || n.ends_with(".toml"))
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = SHIPPED.iter().map(|(n, _)| n.to_string()).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded, "every shipped template is embedded");
    }
}
