//! The event log: what happened in a case, in canonical bytes, chained by hash.
//!
//! `hash = hex(sha256(prev_hash || body))` where `prev_hash` is the previous event's hash as
//! its 64 ASCII hex characters (the genesis one is 64 zeros) and `body` the event's canonical
//! bytes: serde_json of [`CaseEvent`], whose fields have a fixed order and hold no floats
//! (money is integer fen). A store keeps `body` as given and verifies the bytes it holds, so
//! any edit of a stored event, even one that leaves its meaning intact, breaks the chain.

use std::borrow::Cow;
use std::fmt;

use quanze_model::{Category, Date, PowerItem};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};

use crate::action::{Action, DecisionKind, PayTo, SealKind, ServiceMethod};
use quanze_law::Party;

/// The prev_hash of a case's first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// When something happened: a date and, when known, the time of day (China time, UTC+8).
/// Written `2026-09-14` or `2026-09-14T09:30`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct At {
    pub date: Date,
    /// Minutes after midnight.
    pub minute: Option<u16>,
}

impl At {
    pub fn day(date: Date) -> At {
        At { date, minute: None }
    }

    /// Parse `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM` (a space instead of `T` is accepted).
    pub fn parse(s: &str) -> Option<At> {
        let s = s.trim();
        let (d, t) = match s.split_once(['T', ' ']) {
            Some((d, t)) => (d, Some(t)),
            None => (s, None),
        };
        let date = Date::parse(d)?;
        let minute = match t {
            None => None,
            Some(t) => {
                let (h, m) = t.split_once(':')?;
                let (h, m) = (h.parse::<u16>().ok()?, m.get(..2).unwrap_or(m).parse::<u16>().ok()?);
                if h > 23 || m > 59 {
                    return None;
                }
                Some(h * 60 + m)
            }
        };
        Some(At { date, minute })
    }

    /// Whether `self` is before `other` as far as both are known (a date without a time is
    /// not before a time of the same day).
    pub fn is_before(&self, other: &At) -> bool {
        match self.date.cmp(&other.date) {
            std::cmp::Ordering::Less => true,
            std::cmp::Ordering::Greater => false,
            std::cmp::Ordering::Equal => matches!((self.minute, other.minute), (Some(a), Some(b)) if a < b),
        }
    }
}

impl fmt::Display for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.minute {
            Some(m) => write!(f, "{}T{:02}:{:02}", self.date, m / 60, m % 60),
            None => write!(f, "{}", self.date),
        }
    }
}

impl Serialize for At {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for At {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        At::parse(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("not a time (YYYY-MM-DD[THH:MM]): {s:?}")))
    }
}

/// Which item of which list version a case runs under. A case keeps the version it was
/// opened under: a later edit of the list never rewrites a running case.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ItemRef {
    /// The catalog version (store id or the source's sha256).
    pub version: String,
    /// 序号 as printed.
    pub seq: Option<u32>,
    /// Line of the item's row in the source.
    pub line: Option<u32>,
    pub name: String,
    pub sub_name: Option<String>,
    pub category: Category,
}

impl ItemRef {
    pub fn of(item: &PowerItem) -> ItemRef {
        ItemRef {
            version: String::new(),
            seq: item.seq,
            line: item.line,
            name: item.name.clone(),
            sub_name: item.sub_name.clone(),
            category: item.category,
        }
    }
}

/// One event of a case. Field order is the canonical order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseEvent {
    /// 1, 2, 3… within the case.
    pub seq: u64,
    pub at: At,
    /// Person ids, the first one the recorder.
    pub by: Vec<String>,
    /// What was done, with its keys.
    pub action: Action,
    /// The procedure id (`penalty`).
    pub procedure: String,
    /// The state the action was taken in (`new` for the first event).
    pub stage: String,
    /// The state after it.
    pub state: String,
    pub item: ItemRef,
    /// The stage of the item's 责任事项 this action executes, as printed (立案, 调查…).
    pub duty_stage: Option<String>,
    /// The post the list names for that stage (立案岗).
    pub post: Option<String>,
    /// The duty's text in the list.
    pub duty: Option<String>,
    /// What the action applied to when the action does not say: the deadline id an
    /// `extend` extended.
    pub target: Option<String>,
}

impl CaseEvent {
    /// The canonical bytes the hash is computed over.
    pub fn canonical(&self) -> Vec<u8> {
        // Serializing these types cannot fail (string keys, no floats, no custom errors).
        serde_json::to_vec(self).unwrap_or_default()
    }
}

/// An event as stored: its bytes and its place in the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    pub seq: u64,
    pub prev_hash: String,
    pub hash: String,
    /// The canonical bytes as written.
    pub body: Vec<u8>,
}

/// The first event of a chain that does not verify, and why (in Chinese).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("第{seq}条记录校验失败：{reason}")]
pub struct ChainBreak {
    pub seq: u64,
    pub reason: String,
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

/// `hex(sha256(prev_hash || body))`.
pub fn chain_hash(prev_hash: &str, body: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(body);
    hex(&h.finalize())
}

impl StoredEvent {
    /// Chain `event` after an event whose hash is `prev_hash` ([`GENESIS`] for the first).
    pub fn seal(prev_hash: &str, event: &CaseEvent) -> StoredEvent {
        let body = event.canonical();
        StoredEvent {
            seq: event.seq,
            prev_hash: prev_hash.to_string(),
            hash: chain_hash(prev_hash, &body),
            body,
        }
    }

    /// Chain a whole log from the genesis.
    pub fn seal_all(events: &[CaseEvent]) -> Vec<StoredEvent> {
        let mut prev = GENESIS.to_string();
        events
            .iter()
            .map(|e| {
                let s = StoredEvent::seal(&prev, e);
                prev.clone_from(&s.hash);
                s
            })
            .collect()
    }

    /// The event its body holds.
    pub fn event(&self) -> Result<CaseEvent, ChainBreak> {
        serde_json::from_slice(&self.body)
            .map_err(|e| ChainBreak { seq: self.seq, reason: format!("记录内容无法读取：{e}") })
    }
}

/// Verify a case's chain, in order from its first event: sequence numbers 1, 2, 3…, each
/// prev_hash the previous hash, each hash over the bytes held, each body an event with its
/// own seq. The first event that fails is named.
pub fn verify_chain(events: &[StoredEvent]) -> Result<(), ChainBreak> {
    let mut prev = GENESIS;
    for (i, e) in events.iter().enumerate() {
        let want = i as u64 + 1;
        if e.seq != want {
            return Err(ChainBreak {
                seq: e.seq, reason: format!("序号应为{want}，记录缺失或重复")
            });
        }
        if e.prev_hash != prev {
            return Err(ChainBreak { seq: e.seq, reason: "前一哈希与上一条记录不符".into() });
        }
        if chain_hash(prev, &e.body) != e.hash {
            return Err(ChainBreak {
                seq: e.seq, reason: "哈希与记录内容不符，记录已被修改".into()
            });
        }
        let ev = e.event()?;
        if ev.seq != e.seq {
            return Err(ChainBreak { seq: e.seq, reason: format!("记录内容中的序号为{}", ev.seq) });
        }
        prev = &e.hash;
    }
    Ok(())
}

/// An event's bytes read for folding only: strings are borrowed, and the parts of the payload
/// the fold does not read are skipped (see [`crate::CaseState::apply_body`]).
#[derive(Deserialize)]
pub(crate) struct BodyView<'a> {
    pub seq: u64,
    #[serde(borrow)]
    pub at: Cow<'a, str>,
    #[serde(borrow)]
    pub by: Vec<Cow<'a, str>>,
    #[serde(borrow)]
    pub action: ActionView<'a>,
    #[serde(borrow)]
    pub procedure: Cow<'a, str>,
    #[serde(borrow)]
    pub state: Cow<'a, str>,
    #[serde(borrow)]
    pub item: ItemView<'a>,
    #[serde(borrow, default)]
    pub target: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
pub(crate) struct ItemView<'a> {
    #[serde(borrow)]
    version: Cow<'a, str>,
    seq: Option<u32>,
    line: Option<u32>,
    #[serde(borrow)]
    name: Cow<'a, str>,
    #[serde(borrow)]
    sub_name: Option<Cow<'a, str>>,
    category: Category,
}

impl ItemView<'_> {
    pub(crate) fn to_item_ref(&self) -> ItemRef {
        ItemRef {
            version: self.version.to_string(),
            seq: self.seq,
            line: self.line,
            name: self.name.to_string(),
            sub_name: self.sub_name.as_ref().map(|s| s.to_string()),
            category: self.category,
        }
    }
}

/// Every key any action has, flat: no tag buffering, no payload the fold does not read.
#[derive(Deserialize)]
pub(crate) struct ActionView<'a> {
    #[serde(borrow)]
    pub action: Cow<'a, str>,
    pub party: Option<Party>,
    pub complete: Option<bool>,
    pub missing: Option<Vec<String>>,
    pub kind: Option<SealKind>,
    pub days: Option<u32>,
    pub major: Option<bool>,
    pub opinion: Option<String>,
    pub fine_fen: Option<i64>,
    pub base_fen: Option<i64>,
    pub decision: Option<DecisionKind>,
    pub method: Option<ServiceMethod>,
    pub amount_fen: Option<i64>,
    pub reason: Option<String>,
}

impl ActionView<'_> {
    /// The action with the keys the fold reads (the others left empty).
    pub(crate) fn to_action(&self) -> Result<Action, String> {
        let need = |what: &str| format!("记录中的操作「{}」缺少「{what}」", self.action);
        Ok(match self.action.as_ref() {
            "open" => Action::Open {
                item: None,
                party: self.party.unwrap_or_default(),
                complete: self.complete,
                missing: self.missing.clone().unwrap_or_default(),
            },
            "register" => Action::Register {},
            "decline" => Action::Decline { reason: None },
            "investigate" => Action::Investigate { evidence: Vec::new() },
            "seal" => Action::Seal { kind: self.kind.unwrap_or_default(), scene_record: None },
            "extend_seal" => Action::ExtendSeal { days: self.days },
            "release_seal" => Action::ReleaseSeal {},
            "conclude" => Action::Conclude { major: self.major.unwrap_or(false) },
            "legal_review" => Action::LegalReview { opinion: self.opinion.clone().unwrap_or_default() },
            "notify" => Action::Notify { fine_fen: self.fine_fen, base_fen: self.base_fen },
            "statement" => Action::Statement { text: None },
            "waive" => Action::Waive {},
            "request_hearing" => Action::RequestHearing {},
            "hold_hearing" => Action::HoldHearing { presider: None },
            "discuss" => Action::Discuss { conclusion: None },
            "decide" => Action::Decide {
                decision: self.decision.ok_or_else(|| need("decision"))?,
                fine_fen: self.fine_fen,
                base_fen: self.base_fen,
            },
            "serve" => Action::Serve { method: self.method.ok_or_else(|| need("method"))?, consent: false },
            "pay" => Action::Pay {
                amount_fen: self.amount_fen.ok_or_else(|| need("amount_fen"))?,
                receipt: None,
                to: PayTo::Bank,
            },
            "collect_on_spot" => Action::CollectOnSpot {
                amount_fen: self.amount_fen.ok_or_else(|| need("amount_fen"))?,
                receipt: None,
            },
            "simple_decide" => {
                Action::SimpleDecide { fine_fen: self.fine_fen.ok_or_else(|| need("fine_fen"))? }
            }
            "accept" => Action::Accept {},
            "reject" => Action::Reject { reason: None },
            "request_materials" => {
                Action::RequestMaterials { missing: self.missing.clone().unwrap_or_default() }
            }
            "review" => Action::Review {},
            "approve" => Action::Approve { amount_fen: self.amount_fen },
            "deny" => Action::Deny { reason: None },
            "inspect" => Action::Inspect {},
            "dispose" => Action::Dispose { measure: None },
            "transfer" => Action::Transfer { to: None },
            "award" => Action::Award { amount_fen: self.amount_fen.ok_or_else(|| need("amount_fen"))? },
            "pause" => Action::Pause { reason: self.reason.clone().unwrap_or_default() },
            "resume" => Action::Resume {},
            "extend" => Action::Extend { days: self.days.unwrap_or(0), reason: None },
            "close" => Action::Close {},
            "check" => Action::Check {},
            "publish" => Action::Publish {},
            "recheck" => Action::Recheck {},
            "demand" => Action::Demand {},
            "court_enforce" => Action::CourtEnforce {},
            other => return Err(format!("记录中的操作「{other}」无法识别")),
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // test code: a bad literal is a failed test
mod tests {
    use super::*;

    fn ev(seq: u64) -> CaseEvent {
        CaseEvent {
            seq,
            at: At::parse("2026-09-14T09:30").unwrap(),
            by: vec!["张三".into(), "李四".into()],
            action: Action::Register {},
            procedure: "penalty".into(),
            stage: "clue".into(),
            state: "investigating".into(),
            item: ItemRef { version: "v1".into(), seq: Some(2), name: "事项".into(), ..Default::default() },
            duty_stage: None,
            post: None,
            duty: None,
            target: None,
        }
    }

    #[test]
    fn at_parses_and_prints() {
        assert_eq!(At::parse("2026-09-14T09:30").unwrap().to_string(), "2026-09-14T09:30");
        assert_eq!(At::parse("2026-09-14").unwrap().to_string(), "2026-09-14");
        assert!(At::parse("2026-09-14T24:00").is_none());
        assert!(At::parse("2026-09-14").unwrap().is_before(&At::parse("2026-09-15").unwrap()));
        assert!(!At::parse("2026-09-14").unwrap().is_before(&At::parse("2026-09-14T08:00").unwrap()));
    }

    #[test]
    fn canonical_bytes_are_stable_and_float_free() {
        let e = ev(1);
        let a = e.canonical();
        assert_eq!(a, ev(1).canonical());
        let text = String::from_utf8(a).unwrap();
        assert!(text.starts_with("{\"seq\":1,\"at\":\"2026-09-14T09:30\",\"by\":[\"张三\",\"李四\"],\"action\":{\"action\":\"register\"}"));
        let back: CaseEvent = serde_json::from_str(&text).unwrap();
        assert_eq!(back, e);
    }

    #[test]
    fn chain_verifies_and_names_the_first_edited_event() {
        let events: Vec<CaseEvent> = (1..=4).map(ev).collect();
        let mut stored = StoredEvent::seal_all(&events);
        assert_eq!(stored[0].prev_hash, GENESIS);
        assert_eq!(stored[0].hash, chain_hash(GENESIS, &stored[0].body));
        assert_eq!(verify_chain(&stored), Ok(()));
        // An edit that keeps the JSON valid.
        let text = String::from_utf8(stored[2].body.clone()).unwrap().replace("张三", "王五");
        stored[2].body = text.into_bytes();
        let err = verify_chain(&stored).unwrap_err();
        assert_eq!(err.seq, 3);
        assert!(err.reason.contains("修改"));
        // A removed event.
        let mut gap = StoredEvent::seal_all(&events);
        gap.remove(1);
        assert_eq!(verify_chain(&gap).unwrap_err().seq, 3);
    }
}
