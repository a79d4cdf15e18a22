//! The rule kinds: what electronic supervision checks on a case. Each kind's Chinese label,
//! level and articles are data (`data/rules.toml`); its check is a function in [`crate::rules`].

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// A checked rule kind (stable id, snake_case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// 办理期限届满未办结 (a stage's or the case's statutory or promised limit passed).
    LimitPassed,
    /// 临近期限：提示 one working day before, yellow at a share of the limit.
    LimitApproaching,
    /// 线索超过十五个工作日未核查决定是否立案.
    ClueUndecided,
    /// 罚款超出法定幅度.
    FineOutOfRange,
    /// 处罚种类无法定依据 (a fine the item's articles do not provide).
    SanctionNotProvided,
    /// 作出处罚决定前未告知.
    NoticeMissing,
    /// 当事人依法要求听证而未举行听证即作出决定.
    HearingDenied,
    /// 执法人员少于两人.
    OfficersTooFew,
    /// 执法人员未取得或者持有失效的执法证件.
    OfficerUncertified,
    /// 违反罚缴分离，执法人员自行收取罚款.
    FineCollectedByOfficer,
    /// 收缴罚款未出具专用票据.
    ReceiptMissing,
    /// 当场收缴的罚款未在二日内交至行政机关.
    OnSpotNotHandedOver,
    /// 涉案金额达到刑事移送标准而未移送.
    ReferralMissing,
    /// 对申请材料齐全的申请不予受理.
    ApplicationRefused,
    /// 申请材料齐全而逾期未受理.
    ApplicationUnaccepted,
    /// 不予受理、不予批准、不予立案未说明理由.
    RefusalWithoutReason,
    /// 处罚决定书逾期送达.
    ServiceLate,
    /// 封存、先行登记保存超过期限.
    SealOverdue,
    /// 执法决定未在期限内公示.
    PublicationLate,
    /// 未满足结案条件即结案.
    ClosedPrematurely,
    /// 重大执法决定未经法制审核.
    LegalReviewMissing,
    /// 检查后未处置即办结（检查发现的问题未责令整改、未移送处罚）.
    InspectionUndisposed,
    /// 责令整改后未核查整改情况即办结.
    RectificationUnchecked,
}

impl RuleKind {
    pub const ALL: [RuleKind; 23] = [
        RuleKind::LimitPassed,
        RuleKind::LimitApproaching,
        RuleKind::ClueUndecided,
        RuleKind::FineOutOfRange,
        RuleKind::SanctionNotProvided,
        RuleKind::NoticeMissing,
        RuleKind::HearingDenied,
        RuleKind::OfficersTooFew,
        RuleKind::OfficerUncertified,
        RuleKind::FineCollectedByOfficer,
        RuleKind::ReceiptMissing,
        RuleKind::OnSpotNotHandedOver,
        RuleKind::ReferralMissing,
        RuleKind::ApplicationRefused,
        RuleKind::ApplicationUnaccepted,
        RuleKind::RefusalWithoutReason,
        RuleKind::ServiceLate,
        RuleKind::SealOverdue,
        RuleKind::PublicationLate,
        RuleKind::ClosedPrematurely,
        RuleKind::LegalReviewMissing,
        RuleKind::InspectionUndisposed,
        RuleKind::RectificationUnchecked,
    ];

    /// The stable id (`limit_passed`).
    pub fn id(self) -> &'static str {
        match self {
            RuleKind::LimitPassed => "limit_passed",
            RuleKind::LimitApproaching => "limit_approaching",
            RuleKind::ClueUndecided => "clue_undecided",
            RuleKind::FineOutOfRange => "fine_out_of_range",
            RuleKind::SanctionNotProvided => "sanction_not_provided",
            RuleKind::NoticeMissing => "notice_missing",
            RuleKind::HearingDenied => "hearing_denied",
            RuleKind::OfficersTooFew => "officers_too_few",
            RuleKind::OfficerUncertified => "officer_uncertified",
            RuleKind::FineCollectedByOfficer => "fine_collected_by_officer",
            RuleKind::ReceiptMissing => "receipt_missing",
            RuleKind::OnSpotNotHandedOver => "on_spot_not_handed_over",
            RuleKind::ReferralMissing => "referral_missing",
            RuleKind::ApplicationRefused => "application_refused",
            RuleKind::ApplicationUnaccepted => "application_unaccepted",
            RuleKind::RefusalWithoutReason => "refusal_without_reason",
            RuleKind::ServiceLate => "service_late",
            RuleKind::SealOverdue => "seal_overdue",
            RuleKind::PublicationLate => "publication_late",
            RuleKind::ClosedPrematurely => "closed_prematurely",
            RuleKind::LegalReviewMissing => "legal_review_missing",
            RuleKind::InspectionUndisposed => "inspection_undisposed",
            RuleKind::RectificationUnchecked => "rectification_unchecked",
        }
    }

    pub fn from_id(id: &str) -> Option<RuleKind> {
        RuleKind::ALL.into_iter().find(|k| k.id() == id)
    }

    /// The Chinese label (data).
    pub fn label(self) -> &'static str {
        kind_specs().get(&self).map_or("", |s| s.label.as_str())
    }

    /// The articles of law the rule rests on (data).
    pub fn articles(self) -> &'static [String] {
        kind_specs().get(&self).map_or(&[], |s| s.articles.as_slice())
    }

    /// The spec of the kind (data).
    pub fn spec(self) -> Option<&'static KindSpec> {
        kind_specs().get(&self)
    }
}

/// A rule kind as `data/rules.toml` describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindSpec {
    pub kind: RuleKind,
    /// Chinese label.
    pub label: String,
    pub articles: Vec<String>,
    /// What the rule checks, in Chinese.
    pub description: String,
    /// Whether the case engine has a guard that refuses the act (supervision still reads
    /// cases recorded before the guard or imported from elsewhere).
    #[serde(default)]
    pub guards: Vec<String>,
    /// An article or figure of it is UNVERIFIED.
    #[serde(default)]
    pub unverified: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KindFile {
    rule: Vec<KindSpec>,
}

pub(crate) fn parse_kind_file(text: &str) -> Result<Vec<KindSpec>, String> {
    toml::from_str::<KindFile>(text).map(|f| f.rule).map_err(|e| e.to_string())
}

fn kind_specs() -> &'static BTreeMap<RuleKind, KindSpec> {
    static SPECS: OnceLock<BTreeMap<RuleKind, KindSpec>> = OnceLock::new();
    SPECS.get_or_init(|| {
        // A test reads the embedded file and checks that every kind has its spec.
        parse_kind_file(include_str!("../data/rules.toml"))
            .map(|v| v.into_iter().map(|s| (s.kind, s)).collect())
            .unwrap_or_default()
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_spec_once() {
        let specs = parse_kind_file(include_str!("../data/rules.toml")).unwrap();
        for k in RuleKind::ALL {
            assert_eq!(specs.iter().filter(|s| s.kind == k).count(), 1, "{k:?}");
            assert!(!k.label().is_empty(), "{k:?}");
            assert_eq!(RuleKind::from_id(k.id()), Some(k));
            let json = serde_json::to_string(&k).unwrap();
            assert_eq!(json, format!("\"{}\"", k.id()));
        }
        assert_eq!(specs.len(), RuleKind::ALL.len());
    }
}
