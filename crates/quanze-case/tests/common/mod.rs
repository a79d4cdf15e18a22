//! A small driver for tests: one case, its people, the built-in calendar and registry.
#![allow(dead_code)]

use quanze_calendar::Calendar;
use quanze_case::{
    Action, At, CaseContext, CaseEvent, CaseState, Command, DeadlineStatus, EngineConfig, ItemProcedure,
    Outcome, Person, Refusal, Role, StoredEvent, deadlines, decide, rebuild_all,
};
use quanze_model::{Category, Citation, Date, PowerItem, Responsibilities, Stage, StageKind};

pub(crate) fn person(id: &str, role: Role, cert: Option<&str>) -> Person {
    Person {
        id: id.into(),
        name: id.into(),
        role,
        posts: vec![],
        certificate: cert.map(Into::into),
        certificate_until: None,
    }
}

/// 张三, 李四 (officers with certificates), 无证 (officer without one), 王局长, 赵副局长
/// (leaders), 钱审核 (legal reviewer), 孙窗口 (clerk), 周监督 (supervisor).
pub(crate) fn people() -> Vec<Person> {
    vec![
        person("张三", Role::Officer, Some("豫A0001")),
        person("李四", Role::Officer, Some("豫A0002")),
        person("刘五", Role::Officer, Some("豫A0003")),
        person("无证", Role::Officer, None),
        person("王局长", Role::Leader, None),
        person("赵副局长", Role::Leader, None),
        person("钱审核", Role::LegalReviewer, None),
        person("孙窗口", Role::Clerk, None),
        person("周监督", Role::Supervisor, None),
    ]
}

pub(crate) struct Case {
    pub procedure: ItemProcedure,
    pub people: Vec<Person>,
    pub calendar: Calendar,
    pub config: EngineConfig,
    pub events: Vec<CaseEvent>,
    pub state: CaseState,
}

impl Case {
    pub(crate) fn new(item: &PowerItem) -> Case {
        let (procedure, _) = ItemProcedure::for_item(item);
        Case {
            procedure: procedure.with_version("test"),
            people: people(),
            calendar: Calendar::builtin(),
            config: EngineConfig::default(),
            events: vec![],
            state: CaseState::new(),
        }
    }

    pub(crate) fn ctx(&self) -> CaseContext<'_> {
        CaseContext {
            procedure: &self.procedure,
            people: &self.people,
            calendar: &self.calendar,
            config: &self.config,
            law: quanze_law::registry(),
        }
    }

    /// Run a step written as in a scenario: `at`, `by` (comma-separated), action, TOML keys.
    pub(crate) fn step(&mut self, at: &str, by: &str, action: &str, keys: &str) -> Outcome {
        let table: toml::Table = keys.parse().expect("keys");
        let action = Action::from_step(action, &table).expect("action");
        let cmd = Command {
            at: At::parse(at).expect("at"),
            by: by.split(',').map(|s| s.trim().to_string()).collect(),
            action,
        };
        let out = decide(&self.ctx(), &self.state, &cmd);
        for e in out.events() {
            self.state.apply(e);
            self.events.push(e.clone());
        }
        out
    }

    /// Like `step`, and it must apply.
    pub(crate) fn ok(&mut self, at: &str, by: &str, action: &str, keys: &str) {
        let out = self.step(at, by, action, keys);
        if let Some(r) = out.refusal() {
            panic!("{action} at {at} refused: {} {:?} {}", r.code, r.articles, r.message);
        }
    }

    /// Like `step`, and it must be refused with `code`; returns the refusal.
    pub(crate) fn refused(&mut self, at: &str, by: &str, action: &str, keys: &str, code: &str) -> Refusal {
        let out = self.step(at, by, action, keys);
        match out.refusal() {
            Some(r) => {
                assert_eq!(r.code, code, "{action}: {}", r.message);
                r.clone()
            }
            None => panic!("{action} at {at} applied, expected refusal {code}"),
        }
    }

    pub(crate) fn deadlines(&self, now: &str) -> Vec<DeadlineStatus> {
        deadlines(&self.ctx(), &self.state, Date::parse(now).expect("date"))
    }

    pub(crate) fn stored(&self) -> Vec<StoredEvent> {
        StoredEvent::seal_all(&self.events)
    }
}

pub(crate) fn cite(title: &str, article: u32) -> Citation {
    Citation {
        title: title.into(),
        title_raw: format!("《{title}》"),
        article: Some(article),
        ..Default::default()
    }
}

/// A penalty item citing 条例 第三十八条 (罚款 1–2倍 of the loss) with posts on its stages.
pub(crate) fn penalty_item() -> PowerItem {
    let mut item = PowerItem {
        seq: Some(1),
        name: "对定点医药机构违规使用医疗保障基金的行政处罚".into(),
        category: Category::Penalty,
        ..Default::default()
    };
    item.legal_basis.citations.push(cite("医疗保障基金使用监督管理条例", 38));
    item.responsibilities = Responsibilities {
        text: String::new(),
        stages: vec![
            stage(1, "立案", StageKind::Filing, None),
            stage(2, "调查", StageKind::Investigation, None),
            stage(3, "审查", StageKind::Review, None),
            stage(4, "告知", StageKind::Notification, None),
            stage(5, "决定", StageKind::Decision, None),
            stage(6, "送达", StageKind::Service, None),
            stage(7, "执行", StageKind::Enforcement, None),
        ],
    };
    item
}

pub(crate) fn stage(seq: u32, name: &str, kind: StageKind, post: Option<&str>) -> Stage {
    Stage {
        seq,
        name: name.into(),
        kind,
        post: post.map(Into::into),
        text: format!("{name}阶段责任：依法{name}。"),
    }
}

pub(crate) fn item_of(category: Category, name: &str) -> PowerItem {
    PowerItem { seq: Some(1), name: name.into(), category, ..Default::default() }
}

/// The state every way a store can rebuild it must equal the state the engine kept while
/// deciding: folding the events, the full serde parse of their bytes, the fast reader of the
/// bytes, the serde view of the bytes, and `rebuild_all` on one and on two threads.
pub(crate) fn assert_same_fold(events: &[CaseEvent], state: &CaseState) {
    assert_eq!(&CaseState::fold(events), state, "fold of the events");
    let bodies: Vec<Vec<u8>> = events.iter().map(CaseEvent::canonical).collect();
    let parsed: Vec<CaseEvent> = bodies.iter().map(|b| serde_json::from_slice(b).expect("a body")).collect();
    assert_eq!(&CaseState::fold(&parsed), state, "fold of the fully parsed bodies");
    assert_eq!(&CaseState::fold_bodies(&bodies).expect("bodies fold"), state, "fast fold of the bodies");
    // An unknown key with an escape is ignored by serde but not taken by the fast reader:
    // these bodies mean the same and go through the serde view.
    let odd: Vec<Vec<u8>> = bodies
        .iter()
        .map(|b| {
            let mut o = br#"{"\u0078":0,"#.to_vec();
            o.extend_from_slice(b.get(1..).expect("a body"));
            o
        })
        .collect();
    assert_eq!(&CaseState::fold_bodies(&odd).expect("bodies fold"), state, "serde view of the bodies");
    let cases = [("a", bodies.as_slice()), ("b", odd.as_slice())];
    for threads in [1, 2] {
        for (k, s) in rebuild_all(&cases, threads) {
            assert_eq!(s.as_ref(), Ok(state), "rebuild_all of {k} on {threads} threads");
        }
    }
}

impl Drop for Case {
    /// Every case a test drives, refused steps and all, checks that its log folds back to
    /// the state the test saw (not while a test is already failing: that would abort).
    fn drop(&mut self) {
        if !std::thread::panicking() {
            assert_same_fold(&self.events, &self.state);
        }
    }
}
