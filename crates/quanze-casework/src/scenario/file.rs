//! Reading a scenario file (the contract of `docs/scenarios.md`): TOML with a title, the list
//! the cases run under, the people, and the steps in order.
//!
//! Every mistake in a file is a [`ScenarioError`] that names its line, in Chinese: a legal-affairs
//! office writes these files by hand, and "unknown key" with no line is no help to them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use quanze_model::Date;
use toml::Spanned;

/// A scenario file that cannot be played: its line (from 1) when known, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", line.map(|l| format!("第 {l} 行：")).unwrap_or_default())]
pub struct ScenarioError {
    pub line: Option<usize>,
    pub message: String,
}

impl ScenarioError {
    pub(crate) fn at(line: Option<usize>, message: impl Into<String>) -> ScenarioError {
        ScenarioError { line, message: message.into() }
    }
}

/// A time of a step: the engine's own `At` (`YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`, China time).
pub use quanze_case::At;

/// Which item of the list a case is opened under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemSelector {
    /// The item's serial (序号).
    Serial(u32),
    /// `line:N`: the item that starts on line N of the list (for items without a serial).
    Line(usize),
    /// The item's exact name.
    Name(String),
}

/// A person of the scenario (`[people."张三"]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonSpec {
    pub name: String,
    pub role: String,
    pub posts: Vec<String>,
    pub office: Option<String>,
    pub certificate: Option<String>,
    pub certificate_until: Option<Date>,
    pub line: usize,
}

/// What the author expects of a step (`expect`, `expect_code`): checked by the runner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expect {
    pub refused: bool,
    pub code: Option<String>,
}

/// One `[[step]]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// Position in the file, from 1.
    pub n: usize,
    /// The line of its `[[step]]` header.
    pub line: usize,
    pub at: At,
    pub by: Vec<String>,
    pub case: String,
    pub action: String,
    /// `open` only.
    pub item: Option<ItemSelector>,
    /// `open` only: `unit` or `individual`.
    pub party: Option<String>,
    pub expect: Option<Expect>,
    /// The action's own keys (`fine_yuan`, `decision`, `method`…), for the engine to read.
    pub keys: toml::Table,
    /// The line of each key of the step, so that the engine's complaint about a key can
    /// name it.
    pub key_lines: BTreeMap<String, usize>,
    /// Alerts the case must have after this step, on its day (`expect_alert`): a rule id,
    /// or `rule:level`.
    pub expect_alerts: Vec<AlertExpect>,
    /// Alerts the case must not have after this step (`expect_no_alert`).
    pub expect_no_alerts: Vec<AlertExpect>,
    /// `legacy = true`: 补录, the act is recorded as it happened outside quanze, without the
    /// engine's guards (`quanze_case::record`); the step's output names the refusals bypassed.
    pub legacy: bool,
    /// `expect_bypassed`: with `legacy`, the codes of the refusals the record must have
    /// bypassed, in the engine's order (`[]`: none).
    pub expect_bypassed: Option<Vec<String>>,
}

/// An expected alert of a step: a rule kind of electronic supervision and, optionally, its
/// level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertExpect {
    pub rule: quanze_supervise::RuleKind,
    pub level: Option<quanze_supervise::Level>,
}

impl AlertExpect {
    fn parse(s: &str) -> Option<AlertExpect> {
        let (rule, level) = match s.split_once(':') {
            Some((r, l)) => (r, Some(l)),
            None => (s, None),
        };
        let rule = quanze_supervise::RuleKind::from_id(rule.trim())?;
        let level = match level.map(str::trim) {
            None => None,
            Some("notice") => Some(quanze_supervise::Level::Notice),
            Some("yellow") => Some(quanze_supervise::Level::Yellow),
            Some("red") => Some(quanze_supervise::Level::Red),
            Some("breach") => Some(quanze_supervise::Level::Breach),
            Some(_) => return None,
        };
        Some(AlertExpect { rule, level })
    }

    /// Whether an alert meets it.
    pub fn matches(&self, a: &quanze_supervise::Alert) -> bool {
        a.rule == self.rule && self.level.is_none_or(|l| l == a.level)
    }
}

/// A whole scenario file, read and checked for shape (not yet for law).
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub title: String,
    /// The list file, resolved against the scenario's folder.
    pub list: PathBuf,
    pub now: Option<At>,
    pub notices: Vec<PathBuf>,
    pub people: Vec<PersonSpec>,
    pub steps: Vec<Step>,
    /// Records kept outside the cases' logs that electronic supervision reads, by the
    /// scenario's case name (`[records."A"]`: `published`, `handed_over`).
    pub records: BTreeMap<String, quanze_supervise::OutsideRecords>,
}

pub const ROLES: &[&str] = &["officer", "leader", "legal_reviewer", "supervisor", "clerk"];
const TOP_KEYS: &[&str] = &["title", "list", "now", "notices", "people", "step", "records"];
const RECORD_KEYS: &[&str] = &["published", "handed_over"];
const PERSON_KEYS: &[&str] = &["role", "posts", "office", "certificate", "certificate_until"];
/// Keys every step may carry; the rest belong to the action.
const STEP_KEYS: &[&str] = &[
    "at",
    "by",
    "case",
    "action",
    "item",
    "party",
    "expect",
    "expect_code",
    "expect_alert",
    "expect_no_alert",
    "legacy",
    "expect_bypassed",
];

type SpannedTable = BTreeMap<Spanned<String>, Spanned<toml::Value>>;

struct Lines<'a> {
    starts: Vec<usize>,
    _text: &'a str,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Lines<'a> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { starts, _text: text }
    }
    fn line(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }
}

fn type_name(v: &toml::Value) -> &'static str {
    match v {
        toml::Value::String(_) => "字符串",
        toml::Value::Integer(_) => "整数",
        toml::Value::Float(_) => "小数",
        toml::Value::Boolean(_) => "布尔值",
        toml::Value::Datetime(_) => "日期",
        toml::Value::Array(_) => "数组",
        toml::Value::Table(_) => "表",
    }
}

fn value_text(v: &toml::Value) -> Option<String> {
    match v {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Datetime(d) => Some(d.to_string()),
        _ => None,
    }
}

fn string_list(v: &toml::Value) -> Option<Vec<String>> {
    match v {
        toml::Value::String(s) => Some(vec![s.clone()]),
        toml::Value::Array(a) => a.iter().map(|x| x.as_str().map(str::to_owned)).collect(),
        _ => None,
    }
}

/// Read a scenario from its text. `dir` is the folder the file is in: `list` and `notices`
/// are relative to it.
pub fn parse_scenario(text: &str, dir: &Path) -> Result<Scenario, ScenarioError> {
    let lines = Lines::new(text);
    let top: SpannedTable = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| lines.line(s.start));
        ScenarioError::at(line, format!("不是有效的 TOML：{}", e.message()))
    })?;
    let line_of = |s: &Spanned<toml::Value>| Some(lines.line(s.span().start));
    for (k, v) in &top {
        if !TOP_KEYS.contains(&k.get_ref().as_str()) {
            return Err(ScenarioError::at(
                Some(lines.line(k.span().start)).or(line_of(v)),
                format!("未知的键“{}”（可用：{}）", k.get_ref(), TOP_KEYS.join("、")),
            ));
        }
    }
    let get = |key: &str| top.iter().find(|(k, _)| k.get_ref() == key).map(|(_, v)| v);

    let title = match get("title") {
        Some(v) => v
            .get_ref()
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| ScenarioError::at(line_of(v), "title 应为字符串"))?,
        None => return Err(ScenarioError::at(None, "缺少 title（场景标题）")),
    };
    let list = match get("list") {
        Some(v) => dir.join(
            v.get_ref().as_str().ok_or_else(|| ScenarioError::at(line_of(v), "list 应为清单文件的路径"))?,
        ),
        None => return Err(ScenarioError::at(None, "缺少 list（案件所依据的权责清单文件）")),
    };
    let now =
        match get("now") {
            Some(v) => Some(value_text(v.get_ref()).and_then(|s| At::parse(&s)).ok_or_else(|| {
                ScenarioError::at(line_of(v), "now 应为日期 YYYY-MM-DD 或 YYYY-MM-DDTHH:MM")
            })?),
            None => None,
        };
    let notices = match get("notices") {
        Some(v) => string_list(v.get_ref())
            .ok_or_else(|| ScenarioError::at(line_of(v), "notices 应为节假日通知文件路径的数组"))?
            .into_iter()
            .map(|p| dir.join(p))
            .collect(),
        None => Vec::new(),
    };

    let mut people = Vec::new();
    if let Some(v) = get("people") {
        let table = v
            .get_ref()
            .as_table()
            .ok_or_else(|| ScenarioError::at(line_of(v), "people 应为表：[people.\"姓名\"]"))?;
        // Spans of the people come from a second, spanned read of the same table.
        let spanned: BTreeMap<String, Spanned<SpannedTable>> = toml::from_str::<PeopleOnly>(text)
            .map(|p| p.people.into_iter().map(|(k, v)| (k.into_inner(), v)).collect())
            .unwrap_or_default();
        for (name, body) in table {
            let sp = spanned.get(name);
            let pline = sp.map(|s| lines.line(s.span().start));
            let key_line = |key: &str| -> Option<usize> {
                sp.and_then(|s| s.get_ref().iter().find(|(k, _)| k.get_ref() == key))
                    .map(|(k, _)| lines.line(k.span().start))
                    .or(pline)
            };
            let body = body.as_table().ok_or_else(|| {
                ScenarioError::at(pline, format!("people.\"{name}\" 应为表（role、posts、certificate…）"))
            })?;
            if name.trim().is_empty() {
                return Err(ScenarioError::at(pline, "人员姓名不能为空"));
            }
            for k in body.keys() {
                if !PERSON_KEYS.contains(&k.as_str()) {
                    return Err(ScenarioError::at(
                        key_line(k),
                        format!("人员“{name}”有未知的键“{k}”（可用：{}）", PERSON_KEYS.join("、")),
                    ));
                }
            }
            let role = match body.get("role") {
                Some(toml::Value::String(r)) if ROLES.contains(&r.as_str()) => r.clone(),
                Some(other) => {
                    return Err(ScenarioError::at(
                        key_line("role"),
                        format!("人员“{name}”的 role 无效：{other}（可用：{}）", ROLES.join(" | ")),
                    ));
                }
                None => return Err(ScenarioError::at(pline, format!("人员“{name}”缺少 role"))),
            };
            let posts = match body.get("posts") {
                Some(v) => string_list(v)
                    .ok_or_else(|| ScenarioError::at(key_line("posts"), "posts 应为岗位名称的数组"))?,
                None => Vec::new(),
            };
            let text_key = |key: &str| -> Result<Option<String>, ScenarioError> {
                match body.get(key) {
                    None => Ok(None),
                    Some(toml::Value::String(s)) => Ok(Some(s.clone())),
                    Some(v) => Err(ScenarioError::at(
                        key_line(key),
                        format!("{key} 应为字符串，而不是{}", type_name(v)),
                    )),
                }
            };
            let certificate = text_key("certificate")?.filter(|c| !c.trim().is_empty());
            let office = text_key("office")?;
            let certificate_until = match body.get("certificate_until") {
                None => None,
                Some(v) => Some(value_text(v).and_then(|s| Date::parse(&s)).ok_or_else(|| {
                    ScenarioError::at(key_line("certificate_until"), "certificate_until 应为日期 YYYY-MM-DD")
                })?),
            };
            people.push(PersonSpec {
                name: name.clone(),
                role,
                posts,
                office,
                certificate,
                certificate_until,
                line: pline.unwrap_or(0),
            });
        }
    }

    let mut steps = Vec::new();
    if let Some(v) = get("step") {
        let toml::Value::Array(_) = v.get_ref() else {
            return Err(ScenarioError::at(line_of(v), "step 应写作 [[step]] 表数组"));
        };
        let spanned: Vec<Spanned<SpannedTable>> =
            toml::from_str::<StepsOnly>(text).map(|s| s.step).map_err(|e| {
                ScenarioError::at(
                    e.span().map(|s| lines.line(s.start)),
                    format!("[[step]] 应为表：{}", e.message()),
                )
            })?;
        for (i, st) in spanned.into_iter().enumerate() {
            steps.push(read_step(i + 1, &st, &lines, &people)?);
        }
    }
    if steps.is_empty() {
        return Err(ScenarioError::at(None, "场景没有任何步骤（[[step]]）"));
    }
    let mut records = BTreeMap::new();
    if let Some(v) = get("records") {
        let bad = || {
            ScenarioError::at(
                line_of(v),
                "records 应为表：[records.\"案件\"] published = [日期…]、handed_over = [日期…]",
            )
        };
        let table = v.get_ref().as_table().ok_or_else(bad)?;
        for (case, body) in table {
            let body = body.as_table().ok_or_else(bad)?;
            let mut r = quanze_supervise::OutsideRecords::default();
            for (k, days) in body {
                if !RECORD_KEYS.contains(&k.as_str()) {
                    return Err(ScenarioError::at(
                        line_of(v),
                        format!("records.\"{case}\" 有未知的键“{k}”（可用：{}）", RECORD_KEYS.join("、")),
                    ));
                }
                let list = match days {
                    toml::Value::Array(a) => a
                        .iter()
                        .map(|d| value_text(d).and_then(|s| Date::parse(&s)))
                        .collect::<Option<Vec<Date>>>(),
                    _ => None,
                }
                .ok_or_else(|| {
                    ScenarioError::at(line_of(v), format!("records.\"{case}\".{k} 应为日期数组"))
                })?;
                if k == "published" {
                    r.publication = Some(list);
                } else {
                    r.handover = Some(list);
                }
            }
            records.insert(case.clone(), r);
        }
    }
    Ok(Scenario { title, list, now, notices, people, steps, records })
}

#[derive(serde::Deserialize)]
struct PeopleOnly {
    #[serde(default)]
    people: BTreeMap<Spanned<String>, Spanned<SpannedTable>>,
}

#[derive(serde::Deserialize)]
struct StepsOnly {
    #[serde(default)]
    step: Vec<Spanned<SpannedTable>>,
}

fn read_step(
    n: usize,
    st: &Spanned<SpannedTable>,
    lines: &Lines<'_>,
    people: &[PersonSpec],
) -> Result<Step, ScenarioError> {
    // The span of a table of an array of tables starts at its first key; the header is the
    // line before it in a conventionally written file, but the first key's line is what a
    // person can find, so that is what is named.
    let line = lines.line(st.span().start);
    let table = st.get_ref();
    let find = |key: &str| table.iter().find(|(k, _)| k.get_ref() == key);
    let kline = |key: &str| find(key).map(|(k, _)| lines.line(k.span().start)).or(Some(line));
    let text_of = |key: &str| -> Result<Option<String>, ScenarioError> {
        match find(key) {
            None => Ok(None),
            Some((_, v)) => match v.get_ref() {
                toml::Value::String(s) => Ok(Some(s.clone())),
                other => Err(ScenarioError::at(
                    kline(key),
                    format!("第 {n} 步的 {key} 应为字符串，而不是{}", type_name(other)),
                )),
            },
        }
    };

    let at = match find("at") {
        Some((_, v)) => value_text(v.get_ref()).and_then(|s| At::parse(&s)).ok_or_else(|| {
            ScenarioError::at(kline("at"), format!("第 {n} 步的 at 应为 YYYY-MM-DD 或 YYYY-MM-DDTHH:MM"))
        })?,
        None => return Err(ScenarioError::at(Some(line), format!("第 {n} 步缺少 at（日期）"))),
    };
    let by = match find("by") {
        Some((_, v)) => string_list(v.get_ref()).filter(|l| !l.is_empty()).ok_or_else(|| {
            ScenarioError::at(kline("by"), format!("第 {n} 步的 by 应为人员姓名或姓名数组"))
        })?,
        None => return Err(ScenarioError::at(Some(line), format!("第 {n} 步缺少 by（由谁办理）"))),
    };
    for name in &by {
        if !people.iter().any(|p| &p.name == name) {
            return Err(ScenarioError::at(kline("by"), format!("第 {n} 步的办理人“{name}”不在 [people] 中")));
        }
    }
    let case = text_of("case")?.filter(|c| !c.trim().is_empty()).ok_or_else(|| {
        ScenarioError::at(kline("case"), format!("第 {n} 步缺少 case（案件在场景中的名称）"))
    })?;
    let action = text_of("action")?
        .ok_or_else(|| ScenarioError::at(Some(line), format!("第 {n} 步缺少 action（办理动作）")))?;
    let item = match find("item") {
        None => None,
        Some((_, v)) => Some(
            match v.get_ref() {
                toml::Value::Integer(i) => {
                    u32::try_from(*i).ok().filter(|i| *i > 0).map(ItemSelector::Serial)
                }
                toml::Value::String(s) => {
                    if let Some(rest) = s.strip_prefix("line:") {
                        rest.trim().parse::<usize>().ok().map(ItemSelector::Line)
                    } else if let Ok(n) = s.trim().parse::<u32>() {
                        Some(ItemSelector::Serial(n))
                    } else {
                        Some(ItemSelector::Name(s.clone()))
                    }
                }
                _ => None,
            }
            .ok_or_else(|| {
                ScenarioError::at(
                    kline("item"),
                    format!("第 {n} 步的 item 应为序号、\"line:N\" 或事项的完整名称"),
                )
            })?,
        ),
    };
    let party = text_of("party")?;
    if let Some(p) = &party
        && p != "unit"
        && p != "individual"
    {
        return Err(ScenarioError::at(
            kline("party"),
            format!("第 {n} 步的 party 应为 unit（单位）或 individual（个人），而不是“{p}”"),
        ));
    }
    if action != "open" {
        for key in ["item", "party"] {
            if find(key).is_some() {
                return Err(ScenarioError::at(
                    kline(key),
                    format!("第 {n} 步：{key} 只用于 open（立案前登记）"),
                ));
            }
        }
    } else if item.is_none() {
        return Err(ScenarioError::at(Some(line), format!("第 {n} 步 open 缺少 item（事项序号或名称）")));
    }
    let expect = match text_of("expect")? {
        None => {
            if find("expect_code").is_some() {
                return Err(ScenarioError::at(
                    kline("expect_code"),
                    "expect_code 需与 expect = \"refused\" 一起使用",
                ));
            }
            None
        }
        Some(e) => {
            let refused = match e.as_str() {
                "refused" => true,
                "applied" => false,
                other => {
                    return Err(ScenarioError::at(
                        kline("expect"),
                        format!("第 {n} 步的 expect 应为 applied 或 refused，而不是“{other}”"),
                    ));
                }
            };
            let code = text_of("expect_code")?;
            if code.is_some() && !refused {
                return Err(ScenarioError::at(
                    kline("expect_code"),
                    "expect_code 只能与 expect = \"refused\" 一起使用",
                ));
            }
            Some(Expect { refused, code })
        }
    };

    let mut keys = toml::Table::new();
    let mut key_lines = BTreeMap::new();
    for (k, v) in table {
        // Every key's line is kept, so that a complaint about `action` itself names it too.
        key_lines.insert(k.get_ref().clone(), lines.line(k.span().start));
        if !STEP_KEYS.contains(&k.get_ref().as_str()) {
            keys.insert(k.get_ref().clone(), v.get_ref().clone());
        }
    }
    let alerts_of = |key: &str| -> Result<Vec<AlertExpect>, ScenarioError> {
        let Some((_, v)) = find(key) else { return Ok(Vec::new()) };
        let bad = || {
            ScenarioError::at(
                kline(key),
                format!(
                    "第 {n} 步的 {key} 应为预警规则（如 \"limit_passed\" 或 \"limit_passed:red\"）或其数组"
                ),
            )
        };
        string_list(v.get_ref())
            .ok_or_else(bad)?
            .iter()
            .map(|s| AlertExpect::parse(s).ok_or_else(bad))
            .collect()
    };
    let expect_alerts = alerts_of("expect_alert")?;
    let expect_no_alerts = alerts_of("expect_no_alert")?;
    let legacy = match find("legacy") {
        None => false,
        Some((_, v)) => v.get_ref().as_bool().ok_or_else(|| {
            ScenarioError::at(kline("legacy"), format!("第 {n} 步的 legacy 应为布尔值（true 表示补录）"))
        })?,
    };
    let expect_bypassed = match find("expect_bypassed") {
        None => None,
        Some((_, v)) => {
            if !legacy {
                return Err(ScenarioError::at(
                    kline("expect_bypassed"),
                    format!("第 {n} 步：expect_bypassed 只能与 legacy = true（补录）一起使用"),
                ));
            }
            let codes = match v.get_ref() {
                toml::Value::Array(a) => a.iter().map(|x| x.as_str().map(str::to_owned)).collect(),
                _ => None,
            };
            Some(codes.ok_or_else(|| {
                ScenarioError::at(
                    kline("expect_bypassed"),
                    format!(
                        "第 {n} 步的 expect_bypassed 应为守卫代码的数组（如 [\"notice_before_decision\"]）"
                    ),
                )
            })?)
        }
    };
    Ok(Step {
        n,
        line,
        at,
        by,
        case,
        action,
        item,
        party,
        expect,
        keys,
        key_lines,
        expect_alerts,
        expect_no_alerts,
        legacy,
        expect_bypassed,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const OK: &str = r#"
title = "立案核查超期"
list = "../data/seeds/002.txt"
now = "2026-10-20"

[people."张三"]
role = "officer"
posts = ["立案岗", "调查岗"]
certificate = "豫A0001"
certificate_until = "2028-12-31"

[people."李四"]
role = "leader"

[[step]]
at = "2026-09-14"
by = "张三"
case = "A"
action = "open"
item = 2
party = "unit"

[[step]]
at = 2026-09-15T09:30:00
by = ["张三", "李四"]
case = "A"
action = "decide"
decision = "penalty"
fine_yuan = 5000
"#;

    #[test]
    fn reads_the_contract_example() {
        let s = parse_scenario(OK, Path::new("/x/scenarios")).unwrap();
        assert_eq!(s.title, "立案核查超期");
        assert_eq!(s.list, Path::new("/x/scenarios/../data/seeds/002.txt"));
        assert_eq!(s.now.unwrap().to_string(), "2026-10-20");
        assert_eq!(s.people.len(), 2);
        let zhang = s.people.iter().find(|p| p.name == "张三").unwrap();
        assert_eq!(zhang.posts, ["立案岗", "调查岗"]);
        assert_eq!(zhang.certificate_until.unwrap().to_string(), "2028-12-31");
        assert_eq!(s.steps.len(), 2);
        assert_eq!(s.steps[0].item, Some(ItemSelector::Serial(2)));
        assert_eq!(s.steps[1].at.to_string(), "2026-09-15T09:30");
        assert_eq!(s.steps[1].by, ["张三", "李四"]);
        assert_eq!(s.steps[1].keys.len(), 2);
        assert_eq!(s.steps[1].key_lines["fine_yuan"], 29);
    }

    fn err(text: &str) -> ScenarioError {
        parse_scenario(text, Path::new(".")).unwrap_err()
    }

    #[test]
    fn unknown_top_level_key_names_its_line() {
        let e = err(&OK.replace("now = ", "nwo = "));
        assert_eq!(e.line, Some(4), "{e}");
        assert!(e.message.contains("nwo"), "{e}");
        assert!(e.to_string().starts_with("第 4 行"), "{e}");
    }

    #[test]
    fn unknown_person_key_and_bad_role() {
        let e = err(&OK.replace("certificate = ", "certficate = "));
        assert_eq!(e.line, Some(9), "{e}");
        let e = err(&OK.replace("role = \"leader\"", "role = \"boss\""));
        assert_eq!(e.line, Some(13), "{e}");
    }

    #[test]
    fn step_mistakes_name_their_lines() {
        let e = err(&OK.replace("by = \"张三\"", "by = \"王五\""));
        assert_eq!(e.line, Some(17), "{e}");
        assert!(e.message.contains("王五"));
        let e = err(&OK.replace("at = \"2026-09-14\"", "at = \"2026-09-31\""));
        assert_eq!(e.line, Some(16), "{e}");
        let e = err(&OK.replace("party = \"unit\"", "party = \"company\""));
        assert_eq!(e.line, Some(21), "{e}");
        let e = err(&OK.replace("item = 2\n", ""));
        assert!(e.message.contains("item"), "{e}");
    }

    #[test]
    fn broken_toml_is_reported_with_its_line() {
        let e = err("title = \"x\"\nlist = \n");
        assert_eq!(e.line, Some(2), "{e}");
        assert!(err("title = \"x\"\nlist = \"a\"\n").message.contains("步骤"));
    }

    #[test]
    fn at_forms() {
        assert_eq!(At::parse("2026-01-02T08:05").unwrap().minute, Some(485));
        assert_eq!(At::parse("2026-01-02 08:05:00").unwrap().to_string(), "2026-01-02T08:05");
        assert!(At::parse("2026-01-02T24:00").is_none());
        assert!(At::parse("2026-01-02T").is_none());
    }
}
