//! What the index is given for one item.

use quanze_model::{Category, PowerItem};
use serde::{Deserialize, Serialize};

/// The searchable fields of an item, in decreasing weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// 事项名称 (and 子项名称).
    Name,
    /// One stage of 责任事项, as `立案：…` so that the stage name is searchable.
    Stage,
    /// One 追责情形 clause.
    Clause,
    /// The 实施依据 text.
    LegalBasis,
}

impl Field {
    pub const ALL: [Field; 4] = [Field::Name, Field::Stage, Field::Clause, Field::LegalBasis];

    /// Ranking weight: a term in the name says far more about what the item is than the
    /// same term in boilerplate stages, clauses or quoted statutes.
    pub fn weight(self) -> f32 {
        match self {
            Field::Name => 8.0,
            Field::Stage => 2.0,
            Field::Clause => 1.5,
            Field::LegalBasis => 1.0,
        }
    }

    pub(crate) fn from_slot(slot: usize) -> Field {
        match slot {
            0 => Field::Name,
            1 => Field::Stage,
            2 => Field::Clause,
            _ => Field::LegalBasis,
        }
    }

    pub(crate) fn slot(self) -> usize {
        match self {
            Field::Name => 0,
            Field::Stage => 1,
            Field::Clause => 2,
            Field::LegalBasis => 3,
        }
    }
}

/// One item as the index sees it. Built by the store from a stored item
/// ([`ItemDoc::from_item`]) or by hand in tests and benches.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ItemDoc {
    /// The store's id of the item; unique across bureaus.
    pub item_id: i64,
    /// The store's id of the bureau whose list holds the item.
    pub bureau_id: i64,
    pub bureau_name: String,
    /// 事项名称 as printed.
    pub item_name: String,
    /// 子项名称, when the item is a sub-item.
    pub sub_name: Option<String>,
    pub category: Category,
    /// Cited instruments of the legal basis: normalized title (社会保险法) and article, for
    /// the statute filter and [`crate::SearchIndex::citing`].
    pub citations: Vec<(String, Option<u32>)>,
    /// 实施依据 text.
    pub legal_basis: String,
    /// One text per stage of 责任事项.
    pub stages: Vec<String>,
    /// One text per 追责情形 clause.
    pub clauses: Vec<String>,
}

impl ItemDoc {
    /// The searchable parts of a catalog item. Stages and clauses come from the parsed
    /// cells; when a cell yielded none (a layout the parser does not split), its whole
    /// text is indexed as one stage or clause, so nothing printed is unsearchable.
    pub fn from_item(item_id: i64, bureau_id: i64, bureau_name: &str, item: &PowerItem) -> ItemDoc {
        let stages = if item.responsibilities.stages.is_empty() {
            non_empty(&item.responsibilities.text)
        } else {
            item.responsibilities
                .stages
                .iter()
                .map(|s| if s.name.is_empty() { s.text.clone() } else { format!("{}：{}", s.name, s.text) })
                .collect()
        };
        let clauses = if item.accountability.clauses.is_empty() {
            non_empty(&item.accountability.text)
        } else {
            item.accountability.clauses.iter().map(|c| c.text.clone()).collect()
        };
        ItemDoc {
            item_id,
            bureau_id,
            bureau_name: bureau_name.to_string(),
            item_name: item.name.clone(),
            sub_name: item.sub_name.clone().filter(|s| !s.trim().is_empty()),
            category: item.category,
            citations: item.legal_basis.citations.iter().map(|c| (c.title.clone(), c.article)).collect(),
            legal_basis: item.legal_basis.text.clone(),
            stages,
            clauses,
        }
    }
}

fn non_empty(text: &str) -> Vec<String> {
    if text.trim().is_empty() { Vec::new() } else { vec![text.to_string()] }
}
