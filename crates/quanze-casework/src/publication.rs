//! 行政执法公示: decisions the public may see, with a natural person's name and identifiers
//! masked, and their retraction with a reason (行政处罚法 第四十八条).
//!
//! The figures are data (`data/publication.toml`): the publication limit (default 7 working
//! days, UNVERIFIED) and the retraction limit (3 working days, 第四十八条 with 第八十五条).

use quanze_calendar::{Counting, Period};
use quanze_model::Date;
use quanze_store::{CaseRecord, NewPublication, Publication, PublicationId, StoreError, StoredDocument};

use crate::officers::Officer;
use crate::service::{CaseService, CaseworkError, Result, SealedEvent};

// Its public path `publication::PublicationConfig` stays.
pub use crate::publication_config::PublicationConfig;

/// A name as published: the family name kept, every other character masked (张三 → 张*,
/// 欧阳明华 → 欧***). One character is kept even for two-character family names: a
/// compound family name is not told apart from a given name by its characters alone.
pub fn mask_name(name: &str) -> String {
    let name = name.trim();
    let mut chars = name.chars();
    match chars.next() {
        None => String::new(),
        Some(first) => {
            let rest = chars.count();
            format!("{first}{}", "*".repeat(rest.max(1)))
        }
    }
}

/// An identity-card number as published: the region (first 6) and the last 4 kept, the birth
/// date and sequence masked (410523199001011234 → 410523********1234). Anything shorter than
/// 11 characters is masked whole.
pub fn mask_id_number(id: &str) -> String {
    let chars: Vec<char> = id.trim().chars().collect();
    if chars.len() < 11 {
        return "*".repeat(chars.len());
    }
    let (head, tail) = (6, 4);
    let mut s: String = chars[..head].iter().collect();
    s.push_str(&"*".repeat(chars.len() - head - tail));
    s.extend(&chars[chars.len() - tail..]);
    s
}

/// A phone number as published: the first 3 and last 4 digits kept (13812345678 →
/// 138****5678); shorter numbers are masked whole.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.trim().chars().collect();
    if chars.len() < 8 {
        return "*".repeat(chars.len());
    }
    let mut s: String = chars[..3].iter().collect();
    s.push_str(&"*".repeat(chars.len() - 7));
    s.extend(&chars[chars.len() - 4..]);
    s
}

/// Mask identity-card numbers (18 characters: 17 digits and a digit or X) and mobile numbers
/// (11 digits starting with 1) wherever they appear in free text.
pub fn mask_text(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let is_digit = |c: char| c.is_ascii_digit();
    while i < chars.len() {
        // A run of digits (and a final X) not glued to other digits.
        if is_digit(chars[i]) && (i == 0 || !is_digit(chars[i - 1])) {
            let mut j = i;
            while j < chars.len() && is_digit(chars[j]) {
                j += 1;
            }
            let mut end = j;
            if j - i == 17 && j < chars.len() && (chars[j] == 'X' || chars[j] == 'x') {
                end = j + 1;
            }
            let run: String = chars[i..end].iter().collect();
            let len = end - i;
            if len == 18 {
                out.push_str(&mask_id_number(&run));
            } else if len == 11 && chars[i] == '1' {
                out.push_str(&mask_phone(&run));
            } else {
                out.push_str(&run);
            }
            i = end;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// The published record of a decision: what the public may see, masked.
pub fn public_body(fields: &serde_json::Value, doc_no: Option<&str>, decided_on: Date) -> serde_json::Value {
    let party = fields.get("party");
    let s = |v: Option<&serde_json::Value>, k: &str| {
        v.and_then(|v| v.get(k)).and_then(|x| x.as_str()).unwrap_or("").to_string()
    };
    let individual = s(party, "kind") == "individual";
    let name = s(party, "name");
    let facts = fields.get("facts");
    let event = fields.get("event");
    let case = fields.get("case");
    let bureau = fields.get("bureau");
    let mut violation = mask_text(&s(facts, "violation"));
    if individual && !name.trim().is_empty() {
        // The facts name the person too.
        violation = violation.replace(name.trim(), &mask_name(&name));
    }
    let fine = s(event, "fine");
    let penalty = if fine.is_empty() { s(facts, "penalty") } else { format!("罚款人民币{fine}") };
    serde_json::json!({
        "doc_no": doc_no,
        "party": if individual { mask_name(&name) } else { name },
        "party_kind": if individual { "individual" } else { "unit" },
        "credit_code": if individual { String::new() } else { s(party, "credit_code") },
        "violation": violation,
        "penalty": penalty,
        "basis": s(case, "legal_basis"),
        "item": s(case, "item_name"),
        "bureau": s(bureau, "name"),
        "decided_on": decided_on.to_string(),
    })
}

/// A publication with its status on a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicationStatus {
    pub publication: Publication,
    /// Not yet published and the limit has passed.
    pub overdue: bool,
}

impl CaseService {
    /// The last day of `days` working days after `from` (start day not counted), or `None`
    /// when the calendar has no notice for a year on the way.
    pub(crate) fn working_days_after(&self, from: Date, days: u32) -> Option<Date> {
        let period = Period { days, counting: Counting::Working, roll_forward: true };
        self.calendar().due(from, period, &[]).ok()
    }

    /// Create the publication records of the decisions among `documents` (idempotent: a
    /// document already published is left alone).
    pub(crate) async fn publish_decisions(
        &self,
        record: &CaseRecord,
        events: &[SealedEvent],
        documents: &[StoredDocument],
    ) -> Result<()> {
        for d in documents.iter().filter(|d| self.publication.doc_types.contains(&d.doc_type)) {
            let Some(e) = events.iter().find(|e| e.event.seq == d.event_seq) else { continue };
            let decided_on = e.event.at.date;
            let fields: serde_json::Value = serde_json::from_str(&d.fields)
                .map_err(|err| CaseworkError::Corrupt(format!("文书 {} 的内容：{err}", d.id.0)))?;
            let body = public_body(&fields, d.doc_no.as_deref(), decided_on);
            let published_at = self
                .publication
                .auto_publish
                .then(|| crate::officers::unix_seconds(e.event.at.date, e.event.at.minute));
            let p = NewPublication {
                case: record.id,
                document: Some(d.id),
                decided_on,
                due: self.working_days_after(decided_on, self.publication.limit_working_days),
                published_at,
                body: body.to_string(),
            };
            match self.store().add_publication(&p).await {
                Ok(_) | Err(StoreError::Conflict(_)) => {}
                Err(err) => return Err(err.into()),
            }
        }
        Ok(())
    }

    /// What the public may see: published, not retracted decisions of a bureau (`None`: all).
    pub async fn public_decisions(&self, bureau: Option<quanze_store::BureauId>) -> Result<Vec<Publication>> {
        Ok(self.store().public_publications(bureau).await?)
    }

    /// Publications not yet published whose limit is `on` or earlier (for the console's
    /// reminders and the supervisor).
    pub async fn publications_due(&self, on: Date) -> Result<Vec<Publication>> {
        Ok(self.store().publications_due(on).await?)
    }

    /// Publish a waiting record now (when `auto_publish` is off). Leaders and the case's
    /// officers may; others get [`CaseworkError::Forbidden`].
    pub async fn publish(
        &self,
        viewer: &Officer,
        id: PublicationId,
        at: quanze_model::ChinaTime,
    ) -> Result<Publication> {
        let p = self
            .store()
            .publication(id)
            .await?
            .ok_or_else(|| CaseworkError::NotFound(format!("公示 {} 不存在", id.0)))?;
        self.check_act(viewer, p.case, "公示").await?;
        Ok(self.store().publish(id, crate::officers::unix_seconds(at.date, Some(at.minute))).await?)
    }

    /// Retract a published decision with a reason (行政处罚法 第四十八条: within 3 working days
    /// of the decision being changed, revoked or found unlawful, `changed_on`). A retraction
    /// after that limit is still recorded (the duty remains), and the answer says it is late.
    pub async fn retract(
        &self,
        viewer: &Officer,
        id: PublicationId,
        reason: &str,
        changed_on: Date,
        at: quanze_model::ChinaTime,
    ) -> Result<(Publication, bool)> {
        if reason.trim().is_empty() {
            return Err(CaseworkError::Invalid("撤回公示应当说明理由（行政处罚法 第四十八条）".into()));
        }
        let p = self
            .store()
            .publication(id)
            .await?
            .ok_or_else(|| CaseworkError::NotFound(format!("公示 {} 不存在", id.0)))?;
        self.check_act(viewer, p.case, "公示").await?;
        let late = match self.working_days_after(changed_on, self.publication.retract_working_days) {
            Some(due) => at.date > due,
            None => false,
        };
        let stamp = crate::officers::unix_seconds(at.date, Some(at.minute));
        let person = viewer.person.as_ref().map(|p| p.id);
        match self.store().retract_publication(id, person, reason, stamp).await {
            Ok(p) => Ok((p, late)),
            Err(StoreError::Conflict(_)) => Err(CaseworkError::Invalid("该公示已撤回".into())),
            Err(e) => Err(e.into()),
        }
    }
}

impl CaseService {
    /// The publication settings in force (`data/publication.toml` unless replaced).
    pub fn publication_config(&self) -> &PublicationConfig {
        &self.publication
    }

    /// The last day on which a publication whose decision was changed, revoked or found
    /// unlawful on `changed_on` may be retracted in time (行政处罚法 第四十八条第二款: three
    /// days, working days under 第八十五条; start day not counted). `None` when the calendar
    /// has no notice for a year on the way: the caller must not guess.
    pub fn retract_due(&self, changed_on: Date) -> Option<Date> {
        self.working_days_after(changed_on, self.publication.retract_working_days)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_config_parses() {
        let c = PublicationConfig::from_toml(include_str!("../data/publication.toml")).expect("shipped");
        assert_eq!((c.limit_working_days, c.retract_working_days), (7, 3));
        assert!(c.limit_unverified);
        assert_eq!(c.doc_types, vec!["penalty_decision".to_string()]);
    }

    #[test]
    fn names_keep_the_family_name_only() {
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("欧阳明华"), "欧***");
        assert_eq!(mask_name(" 李 "), "李*");
        assert_eq!(mask_name(""), "");
    }

    #[test]
    fn identity_numbers_hide_the_birth_date() {
        assert_eq!(mask_id_number("410523199001011234"), "410523********1234");
        assert_eq!(mask_id_number("41052319900101123X"), "410523********123X");
        assert_eq!(mask_id_number("12345"), "*****");
    }

    #[test]
    fn phones_keep_three_and_four() {
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("0372-1234567"), "037*****4567");
        assert_eq!(mask_phone("110"), "***");
    }

    #[test]
    fn free_text_masks_identifiers_but_not_amounts() {
        let t = "张三（身份证号410523199001011234，电话13812345678）骗取基金12345678元，案号20260001。";
        let m = mask_text(t);
        assert!(!m.contains("199001011234"), "{m}");
        assert!(!m.contains("12345678）"), "{m}");
        assert!(m.contains("410523********1234"), "{m}");
        assert!(m.contains("138****5678"), "{m}");
        assert!(m.contains("12345678元"), "an amount is not a phone: {m}");
        assert!(m.contains("20260001"), "{m}");
        assert_eq!(mask_text("41052319900101123X号"), "410523********123X号");
        // Digits glued to a longer run are not an identifier.
        assert_eq!(mask_text("1381234567890"), "1381234567890");
    }

    #[test]
    fn public_body_masks_a_natural_person_not_a_unit() {
        let d = Date::parse("2026-11-20").expect("date");
        let person = serde_json::json!({
            "party": {"kind": "individual", "name": "张三", "id_number": "410523199001011234", "phone": "13812345678"},
            "facts": {"violation": "张三（410523199001011234）冒名就医"},
            "event": {"fine": "2,000.00元"},
            "case": {"legal_basis": "医疗保障基金使用监督管理条例 第四十一条", "item_name": "对个人骗保的处罚"},
            "bureau": {"name": "汤阴县医疗保障局"},
        });
        let b = public_body(&person, Some("汤医保罚〔2026〕1号"), d);
        let text = b.to_string();
        assert_eq!(b["party"], "张*");
        assert!(
            !text.contains("张三") && !text.contains("199001011234") && !text.contains("13812345678"),
            "{text}"
        );
        assert_eq!(b["penalty"], "罚款人民币2,000.00元");
        let unit = serde_json::json!({"party": {"kind": "unit", "name": "某某大药房", "credit_code": "91410523MA0000000X"}});
        let b = public_body(&unit, None, d);
        assert_eq!(
            (b["party"].as_str(), b["credit_code"].as_str()),
            (Some("某某大药房"), Some("91410523MA0000000X"))
        );
    }
}
