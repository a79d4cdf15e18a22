//! The comparable fields of an item, by name, and their text.

use quanze_model::{DeadlineLimit, PowerItem};
use serde::Serialize;

/// A field of [`PowerItem`] that a comparison can report as different. JSON: snake_case
/// names equal to the model's field names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemField {
    Name,
    SubName,
    Category,
    Subject,
    Office,
    Level,
    Code,
    SubCode,
    LegalBasis,
    Responsibilities,
    Accountability,
    AccountabilityPreamble,
    AccountabilityBasis,
    Acceptance,
    Deadline,
    Service,
    ResponsiblePerson,
    Remarks,
    /// Columns the model does not know, rendered as `header: value` lines.
    Extra,
}

impl ItemField {
    /// Every field a version diff compares, in the order changes are listed. `seq` and
    /// `line` are not among them: renumbering a list is not a change of its items.
    pub const ALL: [ItemField; 19] = [
        ItemField::Name,
        ItemField::SubName,
        ItemField::Category,
        ItemField::Subject,
        ItemField::Office,
        ItemField::Level,
        ItemField::Code,
        ItemField::SubCode,
        ItemField::LegalBasis,
        ItemField::Responsibilities,
        ItemField::Accountability,
        ItemField::AccountabilityPreamble,
        ItemField::AccountabilityBasis,
        ItemField::Acceptance,
        ItemField::Deadline,
        ItemField::Service,
        ItemField::ResponsiblePerson,
        ItemField::Remarks,
        ItemField::Extra,
    ];

    /// The field name as in the model and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemField::Name => "name",
            ItemField::SubName => "sub_name",
            ItemField::Category => "category",
            ItemField::Subject => "subject",
            ItemField::Office => "office",
            ItemField::Level => "level",
            ItemField::Code => "code",
            ItemField::SubCode => "sub_code",
            ItemField::LegalBasis => "legal_basis",
            ItemField::Responsibilities => "responsibilities",
            ItemField::Accountability => "accountability",
            ItemField::AccountabilityPreamble => "accountability_preamble",
            ItemField::AccountabilityBasis => "accountability_basis",
            ItemField::Acceptance => "acceptance",
            ItemField::Deadline => "deadline",
            ItemField::Service => "service",
            ItemField::ResponsiblePerson => "responsible_person",
            ItemField::Remarks => "remarks",
            ItemField::Extra => "extra",
        }
    }

    /// The field's content as text, as printed (the category as its standard label).
    pub fn text_of(self, item: &PowerItem) -> String {
        let opt = |o: &Option<String>| o.clone().unwrap_or_default();
        match self {
            ItemField::Name => item.name.clone(),
            ItemField::SubName => opt(&item.sub_name),
            ItemField::Category => item.category.label().to_string(),
            ItemField::Subject => opt(&item.subject),
            ItemField::Office => opt(&item.office),
            ItemField::Level => opt(&item.level),
            ItemField::Code => opt(&item.code),
            ItemField::SubCode => opt(&item.sub_code),
            ItemField::LegalBasis => item.legal_basis.text.clone(),
            ItemField::Responsibilities => item.responsibilities.text.clone(),
            ItemField::Accountability => item.accountability.text.clone(),
            ItemField::AccountabilityPreamble => opt(&item.accountability_preamble),
            ItemField::AccountabilityBasis => item.accountability_basis.text.clone(),
            ItemField::Acceptance => opt(&item.acceptance),
            ItemField::Deadline => match &item.deadline {
                Some(d) if !d.text.is_empty() => d.text.clone(),
                Some(d) => match d.limit {
                    DeadlineLimit::None => "无".to_string(),
                    DeadlineLimit::Immediate => "即时办结".to_string(),
                    DeadlineLimit::Days { days, .. } => format!("{days}日"),
                    DeadlineLimit::Unparsed => String::new(),
                },
                None => String::new(),
            },
            ItemField::Service => match &item.service {
                Some(s) => [s.location.as_deref(), s.phone.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" / "),
                None => String::new(),
            },
            ItemField::ResponsiblePerson => opt(&item.responsible_person),
            ItemField::Remarks => opt(&item.remarks),
            ItemField::Extra => {
                item.extra.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join("\n")
            }
        }
    }
}

impl std::fmt::Display for ItemField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
