//! Procedures as data (`data/procedures/*.toml`, embedded) and the mapping of a list item onto
//! the procedure of its category.

use std::sync::OnceLock;

use quanze_calendar::Counting;
use quanze_model::{Category, DeadlineLimit, PowerItem, StageKind};
use serde::{Deserialize, Serialize};

use crate::action::ActionKind;
use crate::config::EngineConfig;
use crate::event::ItemRef;
use crate::refusal::guard_specs;
use crate::{Finding, Role};

/// A state of a procedure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateDef {
    /// Stable id (`investigating`).
    pub id: String,
    /// Chinese label (立案调查).
    pub label: String,
    #[serde(default)]
    pub terminal: bool,
}

/// A conditional target of an action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Branch {
    /// A condition named in [`Condition`] (`paid_in_full`, `incomplete`).
    pub when: String,
    pub to: String,
}

/// What an action does in a procedure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionDef {
    /// An [`crate::Action`] id.
    pub id: String,
    /// States it is allowed in: `new` before the case exists, `*` for every non-terminal one.
    pub from: Vec<String>,
    /// The state after it, or `same`.
    pub to: String,
    #[serde(default)]
    pub branch: Vec<Branch>,
    /// Who may act (every person of `by` must hold one of these roles).
    pub roles: Vec<Role>,
    /// Guard codes checked in order (data/guards.toml).
    #[serde(default)]
    pub guards: Vec<String>,
    /// The item's stage kinds this action executes; the first one the item has is its duty.
    #[serde(default)]
    pub stages: Vec<StageKind>,
}

/// Who a deadline binds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Holder {
    /// The bureau (a missed one is a fault of the bureau).
    #[default]
    Bureau,
    /// The party (a missed one has consequences for the party: 加处罚款, 催告).
    Party,
}

/// How a deadline may be extended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtensionDef {
    /// Figure key of the first extension (approved by a leader).
    pub first: String,
    /// Figure key of the cap of further extensions (decided by 集体讨论).
    #[serde(default)]
    pub further: Option<String>,
    /// How many extensions there may be.
    pub max: u32,
}

/// A deadline of a procedure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeadlineDef {
    /// Stable id (`decision`).
    pub id: String,
    /// Chinese name (作出处罚决定).
    pub name: String,
    /// Actions that start it (the first one recorded).
    pub start: Vec<String>,
    /// Actions or conditions (`paid_in_full`) that stop it.
    pub stop: Vec<String>,
    /// Figure key in [`EngineConfig`]; `item_statutory` / `item_promised` are the item's own.
    pub figure: String,
    pub counting: Counting,
    #[serde(default = "yes")]
    pub roll_forward: bool,
    pub articles: Vec<String>,
    #[serde(default)]
    pub unverified: bool,
    /// Whether 不计入期限 pauses stop it.
    #[serde(default)]
    pub pausable: bool,
    #[serde(default)]
    pub holder: Holder,
    /// `seal` / `preserve`: one deadline per seal of that kind.
    #[serde(default)]
    pub instance: Option<String>,
    /// A condition for the deadline to apply (`fine_due`, `promised`).
    #[serde(default)]
    pub when: Option<String>,
    #[serde(default)]
    pub extension: Option<ExtensionDef>,
}

fn yes() -> bool {
    true
}

/// A statutory procedure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Procedure {
    /// `penalty`, `coercion`, `service`, `inspection`, `reward`.
    pub id: String,
    pub name: String,
    pub articles: Vec<String>,
    #[serde(rename = "state")]
    pub states: Vec<StateDef>,
    #[serde(rename = "action")]
    pub actions: Vec<ActionDef>,
    #[serde(rename = "deadline", default)]
    pub deadlines: Vec<DeadlineDef>,
}

/// Conditions that branches and deadlines may name.
pub const CONDITIONS: [&str; 4] = ["paid_in_full", "incomplete", "fine_due", "promised"];

impl Procedure {
    pub fn state(&self, id: &str) -> Option<&StateDef> {
        self.states.iter().find(|s| s.id == id)
    }

    /// The Chinese label of a state (`新建` before the case exists).
    pub fn state_label<'a>(&'a self, id: &'a str) -> &'a str {
        if id == "new" || id.is_empty() {
            return "未立卷";
        }
        self.state(id).map(|s| s.label.as_str()).unwrap_or(id)
    }

    pub fn is_terminal(&self, id: &str) -> bool {
        self.state(id).is_some_and(|s| s.terminal)
    }

    pub fn action(&self, id: &str) -> Option<&ActionDef> {
        self.actions.iter().find(|a| a.id == id)
    }

    /// Whether `action` may be taken in `state`.
    pub fn allows(&self, state: &str, action: &str) -> Option<&ActionDef> {
        let a = self.action(action)?;
        let ok = a.from.iter().any(|f| {
            f == state || (f == "*" && state != "new" && !state.is_empty() && !self.is_terminal(state))
        });
        ok.then_some(a)
    }

    /// The actions allowed in `state`, in the file's order.
    pub fn allowed_in(&self, state: &str) -> Vec<&str> {
        self.actions.iter().filter(|a| self.allows(state, &a.id).is_some()).map(|a| a.id.as_str()).collect()
    }

    /// Check the procedure against the guard table, the actions and the figures.
    pub fn problems(&self, config: &EngineConfig) -> Vec<String> {
        let mut out = Vec::new();
        let specs = guard_specs();
        let state_ok = |s: &str| s == "new" || s == "*" || s == "same" || self.state(s).is_some();
        for a in &self.actions {
            if ActionKind::from_id(&a.id).is_none() {
                out.push(format!("{}: unknown action {}", self.id, a.id));
            }
            for s in a.from.iter().chain(std::iter::once(&a.to)).chain(a.branch.iter().map(|b| &b.to)) {
                if !state_ok(s) {
                    out.push(format!("{}: action {} names unknown state {s}", self.id, a.id));
                }
            }
            for b in &a.branch {
                if !CONDITIONS.contains(&b.when.as_str()) {
                    out.push(format!("{}: unknown condition {}", self.id, b.when));
                }
            }
            for g in &a.guards {
                if !specs.iter().any(|s| &s.code == g) {
                    out.push(format!("{}: action {} names unknown guard {g}", self.id, a.id));
                }
            }
            if a.roles.is_empty() {
                out.push(format!("{}: action {} allows no role", self.id, a.id));
            }
        }
        for d in &self.deadlines {
            for s in d.start.iter().chain(&d.stop) {
                if ActionKind::from_id(s).is_none() && !CONDITIONS.contains(&s.as_str()) {
                    out.push(format!("{}: deadline {} names unknown action {s}", self.id, d.id));
                }
            }
            let figures = std::iter::once(&d.figure)
                .chain(d.extension.iter().map(|e| &e.first))
                .chain(d.extension.iter().filter_map(|e| e.further.as_ref()));
            for f in figures {
                if !f.starts_with("item_") && config.value(f).is_none() {
                    out.push(format!("{}: deadline {} names unknown figure {f}", self.id, d.id));
                }
            }
        }
        out
    }
}

const PROCEDURE_FILES: [(&str, &str); 5] = [
    ("penalty", include_str!("../data/procedures/penalty.toml")),
    ("coercion", include_str!("../data/procedures/coercion.toml")),
    ("service", include_str!("../data/procedures/service.toml")),
    ("inspection", include_str!("../data/procedures/inspection.toml")),
    ("reward", include_str!("../data/procedures/reward.toml")),
];

/// Parse the embedded procedure files; `Err` names the file and the problem.
pub fn load_procedures() -> Result<Vec<Procedure>, String> {
    PROCEDURE_FILES
        .iter()
        .map(|(name, text)| toml::from_str::<Procedure>(text).map_err(|e| format!("{name}.toml: {e}")))
        .collect()
}

/// The built-in procedures (parsed once; the files are checked by tests, and a file that does
/// not parse is left out rather than guessed).
pub fn procedures() -> &'static [Procedure] {
    static P: OnceLock<Vec<Procedure>> = OnceLock::new();
    P.get_or_init(|| {
        PROCEDURE_FILES.iter().filter_map(|(_, text)| toml::from_str::<Procedure>(text).ok()).collect()
    })
}

/// The built-in procedure with this id.
pub fn procedure(id: &str) -> Option<&'static Procedure> {
    procedures().iter().find(|p| p.id == id)
}

/// The procedure id a category runs on.
pub fn procedure_id_for(category: Category) -> &'static str {
    match category {
        Category::Penalty => "penalty",
        Category::Coercion => "coercion",
        Category::Inspection => "inspection",
        Category::Reward => "reward",
        Category::Licensing
        | Category::Levy
        | Category::Payment
        | Category::Confirmation
        | Category::Adjudication
        | Category::Filing
        | Category::PublicService
        | Category::Other => "service",
    }
}

/// Which duty of the item's text an action executes: one of the item's parsed stages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Duty {
    /// The action id.
    pub action: String,
    /// The stage's position in the item's 责任事项 cell.
    pub stage_seq: u32,
    /// The stage's name as printed (立案, 调查…).
    pub stage_name: String,
    pub kind: StageKind,
    /// The post that carries it (立案岗), when printed.
    pub post: Option<String>,
    /// The duty text.
    pub text: String,
}

/// Where a service item's handling limit comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitSource {
    /// The list's own 法定期限 column.
    Item,
    /// A statute for this kind of service (社会保险经办条例).
    Statute,
    /// No statute found: the configurable default (UNVERIFIED).
    Default,
}

/// A handling limit of a service item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandlingLimit {
    pub days: u32,
    pub counting: Counting,
    pub articles: Vec<String>,
    pub source: LimitSource,
    pub unverified: bool,
    /// Where it comes from, in words.
    pub note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LimitRule {
    any: Vec<String>,
    days: u32,
    counting: Counting,
    articles: Vec<String>,
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LimitFile {
    rule: Vec<LimitRule>,
}

fn limit_rules() -> &'static [LimitRule] {
    static R: OnceLock<Vec<LimitRule>> = OnceLock::new();
    R.get_or_init(|| {
        toml::from_str::<LimitFile>(include_str!("../data/service_limits.toml"))
            .map(|f| f.rule)
            .unwrap_or_default()
    })
}

/// An item of a list with the procedure it runs on and its duties mapped onto the
/// procedure's actions.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemProcedure {
    pub procedure: &'static Procedure,
    pub item: PowerItem,
    /// How events name the item (set the version with [`ItemProcedure::with_version`]).
    pub item_ref: ItemRef,
    /// One per action that executes a duty of the item.
    pub duties: Vec<Duty>,
    /// Service items: the statutory handling limit.
    pub statutory: Option<HandlingLimit>,
}

impl ItemProcedure {
    /// The item's procedure and findings (in Chinese) about what could not be mapped. An
    /// item whose stages cannot be mapped still runs on its category's procedure.
    pub fn for_item(item: &PowerItem) -> (ItemProcedure, Vec<Finding>) {
        let mut findings = Vec::new();
        let pid = procedure_id_for(item.category);
        // The five ids are embedded and tested; `service` is the catch-all if one were absent.
        let procedure = match procedure(pid).or_else(|| procedure("service")).or_else(|| procedures().first())
        {
            Some(p) => p,
            None => {
                static EMPTY: OnceLock<Procedure> = OnceLock::new();
                findings.push(Finding::new("procedure_missing", "程序数据缺失，无法办理".to_string()));
                EMPTY.get_or_init(|| Procedure {
                    id: String::new(),
                    name: String::new(),
                    articles: vec![],
                    states: vec![],
                    actions: vec![],
                    deadlines: vec![],
                })
            }
        };
        let stages = &item.responsibilities.stages;
        let mut duties = Vec::new();
        let mut used = vec![false; stages.len()];
        for a in &procedure.actions {
            let hit = a.stages.iter().find_map(|k| stages.iter().position(|s| s.kind == *k));
            if let Some(i) = hit {
                let s = &stages[i];
                used[i] = true;
                duties.push(Duty {
                    action: a.id.clone(),
                    stage_seq: s.seq,
                    stage_name: s.name.clone(),
                    kind: s.kind,
                    post: s.post.clone(),
                    text: s.text.clone(),
                });
            }
        }
        if stages.is_empty() {
            findings.push(Finding::new(
                "stages_unparsed",
                format!(
                    "本事项的责任事项未能分解为环节，按「{}」的法定程序办理，记录不能对应清单所列职责",
                    procedure.name
                ),
            ));
        } else {
            let unmapped: Vec<String> = stages
                .iter()
                .zip(&used)
                .filter(|(_, u)| !**u)
                .map(|(s, _)| format!("「{}」", s.name))
                .collect();
            if !unmapped.is_empty() {
                findings.push(Finding::new(
                    "stages_unmapped",
                    format!(
                        "清单所列环节{}未能对应到「{}」法定程序的步骤，这些职责不会由办理记录体现",
                        unmapped.join("、"),
                        procedure.name
                    ),
                ));
            }
        }
        let statutory = (procedure.id == "service").then(|| handling_limit(item));
        if let Some(l) = &statutory
            && l.source == LimitSource::Default
        {
            findings.push(Finding::new(
                "limit_default",
                format!(
                    "清单未载明法定期限，也未找到适用的法规期限，暂按{}个工作日计（可配置，未经核实）",
                    l.days
                ),
            ));
        }
        let ip =
            ItemProcedure { procedure, item: item.clone(), item_ref: ItemRef::of(item), duties, statutory };
        (ip, findings)
    }

    /// The same, naming the catalog version (its id or sha256) in every event.
    pub fn with_version(mut self, version: &str) -> ItemProcedure {
        self.item_ref.version = version.to_string();
        self
    }

    /// The duty an action executes, when the item has one for it.
    pub fn duty(&self, action: &str) -> Option<&Duty> {
        self.duties.iter().find(|d| d.action == action)
    }

    /// The promised limit (承诺时限) configured for this item, in working days, when it is
    /// not longer than the statutory one.
    pub fn promised(&self, config: &EngineConfig) -> Option<u32> {
        let key = self.item_key();
        let days = *config
            .promised_working_days
            .get(&key)
            .or_else(|| config.promised_working_days.get(&self.item.name))?;
        match &self.statutory {
            Some(l) if l.counting == Counting::Working && days > l.days => None,
            _ => Some(days),
        }
    }

    /// Findings about the configuration of this item (a promised limit longer than the law's).
    pub fn config_findings(&self, config: &EngineConfig) -> Vec<Finding> {
        let key = self.item_key();
        let Some(days) = config
            .promised_working_days
            .get(&key)
            .or_else(|| config.promised_working_days.get(&self.item.name))
        else {
            return vec![];
        };
        match &self.statutory {
            Some(l) if l.counting == Counting::Working && *days > l.days => vec![Finding::new(
                "promise_longer_than_law",
                format!("承诺时限{days}个工作日长于法定期限{}个工作日，按法定期限计", l.days),
            )],
            _ => vec![],
        }
    }

    fn item_key(&self) -> String {
        match &self.item.sub_name {
            Some(s) => format!("{} {s}", self.item.name),
            None => self.item.name.clone(),
        }
    }
}

/// The statutory handling limit of a service item: its own 法定期限 when stated, else a
/// statute's limit for that kind of service, else the configurable default.
pub fn handling_limit(item: &PowerItem) -> HandlingLimit {
    if let Some(d) = &item.deadline {
        match d.limit {
            DeadlineLimit::Days { days, counting } => {
                return HandlingLimit {
                    days,
                    counting: counting.into(),
                    articles: vec![],
                    source: LimitSource::Item,
                    unverified: false,
                    note: format!("清单所列法定期限：{}", d.text),
                };
            }
            DeadlineLimit::Immediate => {
                return HandlingLimit {
                    days: 0,
                    counting: Counting::Working,
                    articles: vec![],
                    source: LimitSource::Item,
                    unverified: false,
                    note: format!("清单所列法定期限：{}", d.text),
                };
            }
            DeadlineLimit::None | DeadlineLimit::Unparsed => {}
        }
    }
    let name = match &item.sub_name {
        Some(s) => format!("{}{s}", item.name),
        None => item.name.clone(),
    };
    for r in limit_rules() {
        if r.any.iter().any(|k| name.contains(k.as_str())) {
            return HandlingLimit {
                days: r.days,
                counting: r.counting,
                articles: r.articles.clone(),
                source: LimitSource::Statute,
                unverified: false,
                note: r.note.clone(),
            };
        }
    }
    let cfg = EngineConfig::default();
    HandlingLimit {
        days: cfg.days("service_default_days"),
        counting: Counting::Working,
        articles: vec![],
        source: LimitSource::Default,
        unverified: true,
        note: cfg.figure("service_default_days").map(|f| f.note.clone()).unwrap_or_default(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // test code: a bad literal is a failed test
mod tests {
    use super::*;

    #[test]
    fn embedded_procedures_are_consistent() {
        let ps = load_procedures().unwrap();
        assert_eq!(ps.len(), 5);
        let cfg = EngineConfig::default();
        for p in &ps {
            assert_eq!(p.problems(&cfg), Vec::<String>::new(), "{}", p.id);
            assert!(p.action("open").is_some(), "{}", p.id);
            assert!(p.states.iter().any(|s| s.terminal), "{}", p.id);
        }
        assert_eq!(procedures().len(), 5);
        let rules: LimitFile = toml::from_str(include_str!("../data/service_limits.toml")).unwrap();
        assert!(!rules.rule.is_empty());
    }

    #[test]
    fn every_category_has_a_procedure() {
        for c in Category::ALL {
            assert!(procedure(procedure_id_for(c)).is_some(), "{c:?}");
        }
    }

    #[test]
    fn service_limits_come_from_the_item_then_the_statute_then_the_default() {
        let mut item =
            PowerItem {
                name: "生育津贴支付".into(), category: Category::Payment, ..Default::default()
            };
        let l = handling_limit(&item);
        assert_eq!((l.days, l.source), (10, LimitSource::Statute));
        assert_eq!(l.articles, vec!["社会保险经办条例 第二十条".to_string()]);
        item.deadline = Some(quanze_model::Deadline {
            text: "5个工作日".into(),
            limit: DeadlineLimit::Days { days: 5, counting: quanze_model::DayCounting::Working },
        });
        assert_eq!(handling_limit(&item).source, LimitSource::Item);
        let other = PowerItem { name: "定点医药机构协议管理".into(), ..Default::default() };
        let l = handling_limit(&other);
        assert_eq!(l.source, LimitSource::Default);
        assert!(l.unverified);
    }
}
