//! Comparison of 权责清单 (power lists). Pure: catalogs in, serializable results out.
//!
//! - [`diff_versions`]: what changed between two versions of one bureau's list (items
//!   added, removed, changed field by field). How items are matched: [`diff`].
//! - [`align`]: which items of two bureaus' lists are the same power, worded differently
//!   from county to county, with the reasons of each match. How items are scored:
//!   [`align`](mod@align).

pub mod align;
pub mod diff;
pub mod field;
pub mod text;

pub use align::{
    AlignOptions, Alignment, FieldDifference, MatchedPair, ScoreParts, ScoreWeights, align, align_with,
    score_items,
};
pub use diff::{FieldChange, ItemChange, ItemMatch, ItemSummary, MatchKey, VersionDiff, diff_versions};
pub use field::ItemField;

#[cfg(test)]
mod tests;
