//! Pure parsers for the cells of a 权责清单. No I/O; no parser can fail or panic on any
//! input: each returns what it recognised and keeps the rest as text.
//!
//! - [`text`]: HTML fragments in cells, traditional → simplified, full-width → half-width;
//! - [`numeral`]: Chinese, Arabic and full-width numbers (一百零三, １０３);
//! - [`citation`]: 实施依据 / 追究依据 cells → one [`quanze_model::Citation`] per cited article;
//! - [`stage`]: 责任事项 cells → [`quanze_model::Stage`]s;
//! - [`clause`]: 追责情形 cells → preamble and [`quanze_model::Clause`]s;
//! - [`deadline`]: 法定期限 cells → [`quanze_model::DeadlineLimit`].
//!
//! Every parser strips HTML itself, so it accepts a cell as exported or as cleaned by an
//! importer. The forms each parser knows are listed in its module documentation, each with a
//! test taken from the seed list it was found in.

pub mod citation;
pub mod clause;
pub mod deadline;
mod marker;
pub mod numeral;
pub mod stage;
pub mod text;
