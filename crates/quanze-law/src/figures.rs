//! The figures in force on a day: every procedural figure and deadline of `data/procedure.toml`
//! with the value that applies on that day and its citation.

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::registry::Registry;
use crate::sanctions::{LawData, Verification};
use crate::text::article_label;

/// One figure as in force on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FigureValue {
    pub key: String,
    pub label: String,
    /// Decimal value ("90", "0.03").
    pub value: String,
    /// yuan, rate, years, months, days, working_days, persons.
    pub unit: String,
    /// Day from which this value applies.
    pub from: Date,
    /// 《中华人民共和国行政处罚法》第六十条.
    pub citation: String,
    /// The statute's words.
    pub words: String,
    /// `verified` or `unverified` (a configurable default).
    pub status: Verification,
}

/// Every figure with a value in force on `date` (figures not yet in force are left out).
pub fn figures_on(reg: &Registry, data: &LawData, date: Date) -> Vec<FigureValue> {
    data.figures
        .iter()
        .filter_map(|f| {
            let v = f.at(date)?;
            let id = format!("{}({})", v.statute, v.edition);
            let full = reg.by_id(&id).map_or(v.statute.clone(), |e| e.full_title.clone());
            Some(FigureValue {
                key: f.key.clone(),
                label: f.label.clone(),
                value: v.value.clone(),
                unit: f.unit.clone(),
                from: v.from,
                citation: format!("《{full}》{}", article_label(v.article)),
                words: v.words.clone(),
                status: v.status,
            })
        })
        .collect()
}
