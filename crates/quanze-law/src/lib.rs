//! Law as code for quanze.
//!
//! * [`registry()`]: the statute registry (one record per edition, articles split into
//!   paragraphs and items), built from the full texts by the `build-registry` tool and
//!   embedded in the crate. No I/O at run time.
//! * [`check_citations`]: resolution of a catalog's citations against the registry, and the
//!   `unresolved-citation`, `citation-mismatch`, `quotation-mismatch` and
//!   `superseded-citation` diagnostics.
//! * [`compute`]: the penalty calculator over the sanctions kept as data
//!   (`data/sanctions.toml`), with dated procedural figures (`data/procedure.toml`). It is
//!   [`assess`] (the figures, no text: what a supervision sweep needs) then [`explain`] (the
//!   citation labels, reasons and explanation lines); [`render_text`] prints a result;
//!   [`parse_yuan`] reads amounts typed in 元. The procedural checks are functions of their own
//!   ([`hearing`], [`legal_review`], `calc::procedure::*`) for the case engine's guards.
//!
//! Money is integer fen (`i64`). Every figure carries its citation.

pub mod builder;
pub mod calc;
pub mod check;
/// Re-exported from `quanze-model`, the one home of civil dates.
pub use quanze_model::date;
pub mod error;
pub mod figures;
pub mod item;
pub mod registry;
pub mod render;
pub mod sanctions;
pub mod schema;
pub mod text;

pub use calc::{
    Assessment, Band, Cite, CiteStatus, FineLine, LocalConfig, Measure, Party, PenaltyQuery, PenaltyResult,
    Procedure, ProcedureCheck, ProcedureInput, Verdict, assess, compute, compute_with, explain, format_yuan,
    hearing, legal_review, parse_yuan,
};
pub use check::{CitationReport, annotate, check_citations, check_citations_on};
pub use date::Date;
pub use error::{LawError, MAX_FEN};
pub use figures::{FigureValue, figures_on};
pub use item::{ItemOutcome, ItemPenalties, ItemPenalty, ItemQuery, Skipped, compute_for_item};
pub use registry::{Article, Lookup, Registry, StatuteEdition, StatuteSummary, registry};
pub use render::render_text;
pub use sanctions::{Condition, Verification, law_data};
