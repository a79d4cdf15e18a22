//! Who may read a case and who may act on it (案件权限): a pure policy, decided before the
//! engine's own guards.
//!
//! The engine (`decide`) checks what the law says about an action: the role the procedure
//! allows, the stage's post (岗位), certificates, order, amounts. This policy checks who is
//! asking, against the case as the bureau organises its work:
//!
//! * **Read.** Case data is personal information (个人信息保护法): the people on the case
//!   (assigned), the leaders of its bureau, supervisors (of that bureau or of all) read it; a
//!   legal reviewer of the bureau also reads a case waiting for 法制审核. Nobody else, not
//!   an administrator either (accounts are not case work).
//! * **Act.** An officer or clerk acts only on cases assigned to them; every officer named
//!   beside them must be on the case too. Leaders act on their bureau's cases.
//! * **Approve.** 立案, extensions, decisions and 结案 need a leader of the bureau among the
//!   people acting (行政处罚法 第五十七条, 第六十条; the approval forms of the bureau).
//! * **Review.** 法制审核 needs a legal reviewer (行政处罚法 第五十八条).
//!
//! Which action needs which is data ([`AccessRules`], `DEFAULT_RULES` below, overridable by
//! a bureau's own file). Every refusal carries a stable code, the articles or rule it rests
//! on, and a Chinese message.

use serde::{Deserialize, Serialize};

use crate::Role;

/// The person asking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer<'a> {
    /// The person's id as events record it; `None` for an account that is not a person (an
    /// administrator only).
    pub person: Option<&'a str>,
    pub role: Option<Role>,
    pub posts: &'a [String],
    /// The bureau the person belongs to; `None`: not tied to one (a supervisor of all).
    pub bureau: Option<i64>,
    /// Retired people keep their past events but may do nothing now.
    pub retired: bool,
    pub admin: bool,
}

/// The case as the policy sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseAccess<'a> {
    pub bureau: i64,
    /// Person ids on the case now (running assignments, any duty).
    pub assigned: &'a [String],
    /// Person ids of the bureau's leaders.
    pub leaders: &'a [String],
    /// Whether the case's state allows 法制审核 now.
    pub awaiting_review: bool,
}

/// What a person may do, when allowed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Permission {
    Read,
    /// Act with this action id.
    Act {
        action: String,
    },
    /// Approve with this action id (a leader acts).
    Approve {
        action: String,
    },
    /// 法制审核.
    Review,
}

/// Why the policy refuses: a stable code, the articles or rule, a Chinese message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct AccessRefusal {
    pub code: String,
    pub articles: Vec<String>,
    pub message: String,
    /// Whether an article rests on a text not in the project's statute folder.
    pub unverified: bool,
}

/// How an action is gated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gate {
    /// A leader of the bureau among those acting.
    Approve,
    /// A legal reviewer acting.
    Review,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleRow {
    actions: Vec<String>,
    gate: Gate,
    articles: Vec<String>,
    #[serde(default)]
    unverified: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    read_articles: Vec<String>,
    assigned_rule: String,
    rule: Vec<RuleRow>,
}

/// Which actions need a leader's approval or a legal reviewer, with their articles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessRules {
    file: RuleFile,
}

/// The shipped rules. 个人信息保护法 is not in the project's statute folder, so its
/// articles are marked unverified wherever they are shown.
pub const DEFAULT_RULES: &str = r#"
# Reading a case: 国家机关处理个人信息不得超出履行法定职责所必需的范围 (第三十四条);
# 合理确定操作权限 (第五十一条).
read_articles = ["个人信息保护法 第三十四条", "个人信息保护法 第五十一条"]
# An officer acts on the cases assigned to them: the bureau's 承办人 rule (no article).
assigned_rule = "案件承办制度：执法人员只办理分配给本人的案件"

[[rule]]
actions = ["register", "decline"]
gate = "approve"
# 立案/不予立案 are approved by the bureau's leader on the 立案审批表.
articles = ["行政处罚法 第五十四条"]

[[rule]]
actions = ["decide", "approve", "deny"]
gate = "approve"
articles = ["行政处罚法 第五十七条"]

[[rule]]
actions = ["extend", "extend_seal"]
gate = "approve"
articles = ["行政处罚法 第六十条", "行政强制法 第二十五条"]

[[rule]]
actions = ["close"]
gate = "approve"
# 结案审批表: approval of closing by the leader (local rules; no national article).
articles = ["医疗保障行政处罚程序暂行规定"]
unverified = true

[[rule]]
actions = ["legal_review"]
gate = "review"
articles = ["行政处罚法 第五十八条"]
"#;

impl Default for AccessRules {
    fn default() -> Self {
        // The shipped text is tested to parse (`default_rules_parse`).
        AccessRules::from_toml(DEFAULT_RULES).unwrap_or(AccessRules {
            file: RuleFile { read_articles: Vec::new(), assigned_rule: String::new(), rule: Vec::new() },
        })
    }
}

fn refusal(code: &str, articles: &[String], unverified: bool, message: String) -> AccessRefusal {
    AccessRefusal { code: code.to_string(), articles: articles.to_vec(), message, unverified }
}

impl AccessRules {
    /// Read a rules file (the format of [`DEFAULT_RULES`]); the error is Chinese.
    pub fn from_toml(text: &str) -> Result<AccessRules, String> {
        let file: RuleFile = toml::from_str(text).map_err(|e| format!("权限规则文件无效：{e}"))?;
        for r in &file.rule {
            for a in &r.actions {
                if crate::ActionKind::from_id(a).is_none() {
                    return Err(format!("权限规则文件无效：未知的操作「{a}」"));
                }
            }
        }
        Ok(AccessRules { file })
    }

    /// The gate of an action, with its articles, when it has one.
    pub fn gate(&self, action: &str) -> Option<(Gate, &[String], bool)> {
        self.file
            .rule
            .iter()
            .find(|r| r.actions.iter().any(|a| a == action))
            .map(|r| (r.gate, r.articles.as_slice(), r.unverified))
    }

    fn read_refusal(&self, code: &str, message: String) -> AccessRefusal {
        refusal(code, &self.file.read_articles, true, message)
    }

    /// Whether `viewer` may read the case.
    pub fn may_read(&self, viewer: &Viewer, case: &CaseAccess) -> Result<Permission, AccessRefusal> {
        let Some(id) = viewer.person else {
            let who = if viewer.admin { "系统管理员账号" } else { "该账号" };
            return Err(self.read_refusal(
                "access_not_a_person",
                format!("{who}未关联办案人员，不能查看案件；案件信息属于个人信息，仅限本案承办人员、其负责人和监督人员查看"),
            ));
        };
        if viewer.retired {
            return Err(self.read_refusal("access_retired", "该人员已离岗，不能查看案件".into()));
        }
        let same_bureau = viewer.bureau == Some(case.bureau);
        let on_case = case.assigned.iter().any(|a| a == id);
        let allowed = on_case
            || (viewer.role == Some(Role::Leader) && same_bureau)
            || (viewer.role == Some(Role::Supervisor) && (same_bureau || viewer.bureau.is_none()))
            || (viewer.role == Some(Role::LegalReviewer) && same_bureau && case.awaiting_review);
        if allowed {
            Ok(Permission::Read)
        } else if !same_bureau && viewer.bureau.is_some() {
            Err(self.read_refusal("access_other_bureau", "该案件不属于本局，不能查看".into()))
        } else {
            Err(self.read_refusal(
                "access_not_on_case",
                "您不是本案的承办人员，也不是本局负责人或监督人员，不能查看本案；案件信息属于个人信息".into(),
            ))
        }
    }

    /// Whether `viewer`, acting with `by` (person ids, the viewer among them), may take
    /// `action` on the case. Leaders are recognised by `case.leaders`, reviewers and
    /// officers by `roles` (the role of each id in `by`, in order).
    pub fn may_act(
        &self,
        viewer: &Viewer,
        case: &CaseAccess,
        action: &str,
        by: &[(&str, Role)],
    ) -> Result<Permission, AccessRefusal> {
        let Some(id) = viewer.person else {
            return Err(refusal(
                "access_not_a_person",
                &[],
                false,
                "该账号未关联办案人员，不能办理案件".into(),
            ));
        };
        if viewer.retired {
            return Err(refusal("access_retired", &[], false, "该人员已离岗，不能办理案件".into()));
        }
        if viewer.bureau != Some(case.bureau) {
            return Err(refusal("access_other_bureau", &[], false, "该案件不属于本局，不能办理".into()));
        }
        if viewer.role == Some(Role::Supervisor) {
            return Err(refusal(
                "access_supervisor_reads_only",
                &[],
                false,
                "监督人员只能查看案件，不能办理".into(),
            ));
        }
        if !by.iter().any(|(p, _)| *p == id) {
            return Err(refusal(
                "access_not_acting",
                &[],
                false,
                "办理人员中应包括您本人：不能以他人名义办理".into(),
            ));
        }
        let assigned_rule = std::slice::from_ref(&self.file.assigned_rule);
        let is_leader = |p: &str| case.leaders.iter().any(|l| l == p);
        let on_case = |p: &str| case.assigned.iter().any(|a| a == p);
        // Everybody acting who is not a leader of the bureau must be on the case, except a
        // legal reviewer reviewing a case that waits for review.
        for (p, role) in by {
            let reviewing = *role == Role::LegalReviewer && action == "legal_review" && case.awaiting_review;
            if !is_leader(p) && !on_case(p) && !reviewing {
                let message = if *p == id {
                    "本案未分配给您，不能办理；请由负责人分配后办理".to_string()
                } else {
                    format!("共同办理人员（{p}）不是本案承办人员")
                };
                return Err(refusal("access_not_assigned", assigned_rule, false, message));
            }
        }
        match self.gate(action) {
            Some((Gate::Approve, articles, unverified)) => {
                if by.iter().any(|(p, _)| is_leader(p)) {
                    Ok(Permission::Approve { action: action.to_string() })
                } else {
                    let label = crate::ActionKind::from_id(action).map_or(action, |k| k.label());
                    Err(refusal(
                        "access_needs_leader",
                        articles,
                        unverified,
                        format!("「{label}」须经本局负责人批准：办理人员中应有负责人"),
                    ))
                }
            }
            Some((Gate::Review, articles, unverified)) => {
                if by.iter().any(|(_, r)| *r == Role::LegalReviewer) {
                    Ok(Permission::Review)
                } else {
                    Err(refusal(
                        "access_needs_legal_reviewer",
                        articles,
                        unverified,
                        "法制审核应由从事行政处罚决定法制审核的人员办理".into(),
                    ))
                }
            }
            None => Ok(Permission::Act { action: action.to_string() }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posts() -> Vec<String> {
        vec!["调查岗".to_string()]
    }

    fn viewer<'a>(id: &'a str, role: Role, bureau: Option<i64>, posts: &'a [String]) -> Viewer<'a> {
        Viewer { person: Some(id), role: Some(role), posts, bureau, retired: false, admin: false }
    }

    struct Fixture {
        assigned: Vec<String>,
        leaders: Vec<String>,
    }

    impl Fixture {
        fn new() -> Fixture {
            Fixture { assigned: vec!["1".into(), "2".into()], leaders: vec!["9".into()] }
        }
        fn case(&self, awaiting_review: bool) -> CaseAccess<'_> {
            CaseAccess { bureau: 7, assigned: &self.assigned, leaders: &self.leaders, awaiting_review }
        }
    }

    #[test]
    fn default_rules_parse() {
        let rules = AccessRules::from_toml(DEFAULT_RULES).expect("shipped rules");
        assert_eq!(rules.gate("decide").map(|g| g.0), Some(Gate::Approve));
        assert_eq!(rules.gate("legal_review").map(|g| g.0), Some(Gate::Review));
        assert!(rules.gate("investigate").is_none());
        assert!(AccessRules::from_toml("read_articles = []\nassigned_rule = \"\"\n[[rule]]\nactions = [\"fly\"]\ngate = \"approve\"\narticles = []").is_err());
    }

    #[test]
    fn assigned_officer_reads_and_acts() {
        let f = Fixture::new();
        let p = posts();
        let r = AccessRules::default();
        let v = viewer("1", Role::Officer, Some(7), &p);
        assert_eq!(r.may_read(&v, &f.case(false)), Ok(Permission::Read));
        let act = r.may_act(&v, &f.case(false), "investigate", &[("1", Role::Officer), ("2", Role::Officer)]);
        assert_eq!(act, Ok(Permission::Act { action: "investigate".into() }));
    }

    #[test]
    fn officer_of_another_case_neither_reads_nor_acts() {
        let f = Fixture::new();
        let p = posts();
        let r = AccessRules::default();
        let v = viewer("3", Role::Officer, Some(7), &p);
        let e = r.may_read(&v, &f.case(false)).expect_err("not on the case");
        assert_eq!(e.code, "access_not_on_case");
        assert!(e.articles.iter().any(|a| a.contains("个人信息保护法")));
        let e = r.may_act(&v, &f.case(false), "investigate", &[("3", Role::Officer)]).expect_err("refused");
        assert_eq!(e.code, "access_not_assigned");
        assert!(e.message.contains("未分配给您"));
    }

    #[test]
    fn co_actor_must_be_on_the_case() {
        let f = Fixture::new();
        let p = posts();
        let r = AccessRules::default();
        let v = viewer("1", Role::Officer, Some(7), &p);
        let e = r
            .may_act(&v, &f.case(false), "investigate", &[("1", Role::Officer), ("3", Role::Officer)])
            .expect_err("co-actor not assigned");
        assert_eq!(e.code, "access_not_assigned");
    }

    #[test]
    fn nobody_acts_in_anothers_name() {
        let f = Fixture::new();
        let p = posts();
        let r = AccessRules::default();
        let v = viewer("1", Role::Officer, Some(7), &p);
        let e = r.may_act(&v, &f.case(false), "investigate", &[("2", Role::Officer)]).expect_err("refused");
        assert_eq!(e.code, "access_not_acting");
    }

    #[test]
    fn leader_of_the_bureau_reads_and_approves() {
        let f = Fixture::new();
        let r = AccessRules::default();
        let v = viewer("9", Role::Leader, Some(7), &[]);
        assert_eq!(r.may_read(&v, &f.case(false)), Ok(Permission::Read));
        let ok = r.may_act(&v, &f.case(false), "decide", &[("9", Role::Leader)]);
        assert_eq!(ok, Ok(Permission::Approve { action: "decide".into() }));
        // Officers with the leader: the leader's presence is the approval.
        let v1 = viewer("1", Role::Officer, Some(7), &[]);
        let ok = r.may_act(&v1, &f.case(false), "register", &[("1", Role::Officer), ("9", Role::Leader)]);
        assert_eq!(ok, Ok(Permission::Approve { action: "register".into() }));
    }

    #[test]
    fn decisions_extensions_registration_and_closing_need_a_leader() {
        let f = Fixture::new();
        let p = posts();
        let r = AccessRules::default();
        let v = viewer("1", Role::Officer, Some(7), &p);
        for action in ["register", "decide", "extend", "close", "approve"] {
            let e = r
                .may_act(&v, &f.case(false), action, &[("1", Role::Officer), ("2", Role::Officer)])
                .expect_err(action);
            assert_eq!(e.code, "access_needs_leader", "{action}");
            assert!(!e.articles.is_empty(), "{action}");
            assert!(e.message.contains("负责人"), "{action}");
        }
        let e = r.may_act(&v, &f.case(false), "decide", &[("1", Role::Officer)]).expect_err("decide");
        assert_eq!(e.articles, vec!["行政处罚法 第五十七条".to_string()]);
    }

    #[test]
    fn leader_of_another_bureau_neither_reads_nor_acts() {
        let f = Fixture::new();
        let r = AccessRules::default();
        let v = viewer("8", Role::Leader, Some(6), &[]);
        assert_eq!(r.may_read(&v, &f.case(false)).map_err(|e| e.code), Err("access_other_bureau".into()));
        let e = r.may_act(&v, &f.case(false), "decide", &[("8", Role::Leader)]).expect_err("other bureau");
        assert_eq!(e.code, "access_other_bureau");
    }

    #[test]
    fn legal_review_needs_a_legal_reviewer() {
        let f = Fixture::new();
        let p = posts();
        let r = AccessRules::default();
        let rev = viewer("5", Role::LegalReviewer, Some(7), &[]);
        // A reviewer reads and reviews a case waiting for review without being assigned.
        assert_eq!(r.may_read(&rev, &f.case(true)), Ok(Permission::Read));
        assert_eq!(
            r.may_act(&rev, &f.case(true), "legal_review", &[("5", Role::LegalReviewer)]),
            Ok(Permission::Review)
        );
        // Not before the case waits for review.
        assert_eq!(r.may_read(&rev, &f.case(false)).map_err(|e| e.code), Err("access_not_on_case".into()));
        // An officer on the case may not review it.
        let v = viewer("1", Role::Officer, Some(7), &p);
        let e = r.may_act(&v, &f.case(true), "legal_review", &[("1", Role::Officer)]).expect_err("officer");
        assert_eq!(e.code, "access_needs_legal_reviewer");
        assert_eq!(e.articles, vec!["行政处罚法 第五十八条".to_string()]);
    }

    #[test]
    fn supervisors_read_but_never_act() {
        let f = Fixture::new();
        let r = AccessRules::default();
        let of_all = viewer("4", Role::Supervisor, None, &[]);
        let of_bureau = viewer("4", Role::Supervisor, Some(7), &[]);
        let of_other = viewer("4", Role::Supervisor, Some(6), &[]);
        assert_eq!(r.may_read(&of_all, &f.case(false)), Ok(Permission::Read));
        assert_eq!(r.may_read(&of_bureau, &f.case(false)), Ok(Permission::Read));
        assert!(r.may_read(&of_other, &f.case(false)).is_err());
        let e = r
            .may_act(&of_bureau, &f.case(false), "investigate", &[("4", Role::Supervisor)])
            .expect_err("reads only");
        assert_eq!(e.code, "access_supervisor_reads_only");
    }

    #[test]
    fn administrators_and_retired_people_read_nothing() {
        let f = Fixture::new();
        let r = AccessRules::default();
        let admin =
            Viewer { person: None, role: None, posts: &[], bureau: None, retired: false, admin: true };
        let e = r.may_read(&admin, &f.case(false)).expect_err("admin");
        assert_eq!(e.code, "access_not_a_person");
        assert!(e.message.contains("系统管理员"));
        let mut v = viewer("1", Role::Officer, Some(7), &[]);
        v.retired = true;
        assert_eq!(r.may_read(&v, &f.case(false)).map_err(|e| e.code), Err("access_retired".into()));
        assert!(r.may_act(&v, &f.case(false), "investigate", &[("1", Role::Officer)]).is_err());
    }
}
