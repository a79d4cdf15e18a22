//! The kind of a list: the family of published lists share one row shape (an item, its
//! legal basis, who acts), but a 随机抽查事项清单 is not a 权责清单, and a reader of the
//! catalog must know which it holds.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What kind of list a catalog was imported from. Its JSON form is a stable id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ListKind {
    /// 权责清单 (also 权力清单, 责任清单): powers with their duties and accountability.
    Powers,
    /// 行政执法事项清单 (执法事项目录, 执法主体事项清单).
    Enforcement,
    /// 随机抽查事项清单 ("双随机、一公开").
    RandomInspection,
    /// 涉企行政检查事项 (清单 or 年度检查计划).
    EnterpriseInspection,
    /// 免罚清单 / 减免责清单: 不予处罚, 从轻或减轻处罚.
    PenaltyExemption,
    /// 重大行政执法决定法制审核目录.
    LegalReview,
    /// 政务服务事项清单, 经办政务服务事项清单 (办理材料, 办理时限, 办理环节).
    GovernmentServices,
}

impl ListKind {
    pub const ALL: [ListKind; 7] = [
        ListKind::Powers,
        ListKind::Enforcement,
        ListKind::RandomInspection,
        ListKind::EnterpriseInspection,
        ListKind::PenaltyExemption,
        ListKind::LegalReview,
        ListKind::GovernmentServices,
    ];

    /// The stable id, as serialized ("random-inspection").
    pub fn id(self) -> &'static str {
        match self {
            ListKind::Powers => "powers",
            ListKind::Enforcement => "enforcement",
            ListKind::RandomInspection => "random-inspection",
            ListKind::EnterpriseInspection => "enterprise-inspection",
            ListKind::PenaltyExemption => "penalty-exemption",
            ListKind::LegalReview => "legal-review",
            ListKind::GovernmentServices => "government-services",
        }
    }

    /// The kind of an id, `None` for an unknown one.
    pub fn from_id(id: &str) -> Option<ListKind> {
        ListKind::ALL.into_iter().find(|k| k.id() == id)
    }

    /// The name a reader knows the kind by.
    pub fn label(self) -> &'static str {
        match self {
            ListKind::Powers => "权责清单",
            ListKind::Enforcement => "行政执法事项清单",
            ListKind::RandomInspection => "随机抽查事项清单",
            ListKind::EnterpriseInspection => "涉企行政检查事项清单",
            ListKind::PenaltyExemption => "免罚清单",
            ListKind::LegalReview => "重大行政执法决定法制审核目录",
            ListKind::GovernmentServices => "政务服务事项清单",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ListKind;

    #[test]
    fn every_kind_serializes_as_its_id_and_reads_back() {
        for k in ListKind::ALL {
            let json = serde_json::to_string(&k).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", k.id()));
            assert_eq!(ListKind::from_id(k.id()), Some(k));
            assert_eq!(serde_json::from_str::<ListKind>(&json).ok(), Some(k));
        }
        assert_eq!(ListKind::from_id("power"), None);
    }
}
