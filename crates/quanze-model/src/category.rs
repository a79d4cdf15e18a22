use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The type of a power (权力类型 / 职权类别 / 事项类别).
///
/// The ten categories of the 2015 power-list guideline, plus 行政备案 and 公共服务 which real
/// 医保 lists use. Labels with a 类 suffix, in traditional characters, or worded as
/// 其他行政权力 / 其他职权 map to the same values: see [`Category::from_label`].
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 行政许可.
    Licensing,
    /// 行政处罚.
    Penalty,
    /// 行政强制.
    Coercion,
    /// 行政征收.
    Levy,
    /// 行政给付.
    Payment,
    /// 行政检查.
    Inspection,
    /// 行政确认.
    Confirmation,
    /// 行政奖励.
    Reward,
    /// 行政裁决.
    Adjudication,
    /// 行政备案.
    Filing,
    /// 公共服务.
    PublicService,
    /// 其他 (其他类, 其他行政权力, 其他职权…).
    #[default]
    Other,
}

/// How a printed label matched a category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelMatch {
    /// One of the standard names, possibly with a 类 suffix or in traditional characters.
    Standard(Category),
    /// A known non-standard wording of a category (其他职权, 其他行政职权…).
    Variant(Category),
}

impl LabelMatch {
    pub fn category(self) -> Category {
        match self {
            LabelMatch::Standard(c) | LabelMatch::Variant(c) => c,
        }
    }
}

impl Category {
    pub const ALL: [Category; 12] = [
        Category::Licensing,
        Category::Penalty,
        Category::Coercion,
        Category::Levy,
        Category::Payment,
        Category::Inspection,
        Category::Confirmation,
        Category::Reward,
        Category::Adjudication,
        Category::Filing,
        Category::PublicService,
        Category::Other,
    ];

    /// The standard Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            Category::Licensing => "行政许可",
            Category::Penalty => "行政处罚",
            Category::Coercion => "行政强制",
            Category::Levy => "行政征收",
            Category::Payment => "行政给付",
            Category::Inspection => "行政检查",
            Category::Confirmation => "行政确认",
            Category::Reward => "行政奖励",
            Category::Adjudication => "行政裁决",
            Category::Filing => "行政备案",
            Category::PublicService => "公共服务",
            Category::Other => "其他",
        }
    }

    /// The snake_case identifier used in JSON and URLs.
    pub fn id(self) -> &'static str {
        match self {
            Category::Licensing => "licensing",
            Category::Penalty => "penalty",
            Category::Coercion => "coercion",
            Category::Levy => "levy",
            Category::Payment => "payment",
            Category::Inspection => "inspection",
            Category::Confirmation => "confirmation",
            Category::Reward => "reward",
            Category::Adjudication => "adjudication",
            Category::Filing => "filing",
            Category::PublicService => "public_service",
            Category::Other => "other",
        }
    }

    /// Parse the snake_case identifier.
    pub fn from_id(id: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.id() == id)
    }

    /// Two-digit type segment of a 31-character local power code (legal-rules.md §8.2).
    /// Only 02, 05, 08 and 10 are verified against real data; the others follow the
    /// catalogue order and are marked UNVERIFIED there.
    pub fn code_segment(self) -> &'static str {
        match self {
            Category::Licensing => "01",
            Category::Penalty => "02",
            Category::Coercion => "03",
            Category::Levy => "04",
            Category::Payment => "05",
            Category::Inspection => "06",
            Category::Confirmation => "07",
            Category::Reward => "08",
            Category::Adjudication => "09",
            Category::Other => "10",
            Category::PublicService => "20",
            // No code segment is known for 行政备案; lists file it under 其他行政权力.
            Category::Filing => "10",
        }
    }

    /// Match a printed type label. The label must already be in simplified characters
    /// (importers convert traditional text first) with white space removed.
    pub fn from_label(label: &str) -> Option<LabelMatch> {
        let l = label.trim();
        let l = l.strip_suffix('类').unwrap_or(l);
        let l = l.strip_suffix("事项").unwrap_or(l);
        if let Some(c) = Category::ALL.into_iter().find(|c| c.label() == l) {
            return Some(LabelMatch::Standard(c));
        }
        let standard = match l {
            "其他行政权力" | "其它" | "其它行政权力" => Some(Category::Other),
            "行政审批" => Some(Category::Licensing),
            _ => None,
        };
        if let Some(c) = standard {
            return Some(LabelMatch::Standard(c));
        }
        let variant = match l {
            "其他职权" | "其他行政职权" | "其它职权" | "其他权力" | "其他行政行为" => {
                Some(Category::Other)
            }
            "行政监督" | "行政监督检查" | "监督检查" => Some(Category::Inspection),
            "行政征缴" => Some(Category::Levy),
            _ => None,
        };
        variant.map(LabelMatch::Variant)
    }
}

impl std::fmt::Display for Category {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}
