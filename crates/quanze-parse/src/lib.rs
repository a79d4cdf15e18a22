//! Pure parsers for the cells of a 权责清单. No I/O; no parser can fail or panic on any
//! input: each returns what it recognised and keeps the rest as text.

pub mod citation;
pub mod clause;
pub mod deadline;
mod marker;
pub mod numeral;
pub mod stage;
pub mod text;
