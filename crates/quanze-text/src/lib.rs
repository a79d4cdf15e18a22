//! Chinese text primitives, one copy for every crate: numerals (一百零三 ↔ 103), width
//! folding (full-width ASCII and the ideographic space), statute titles and their lookup
//! key, article and citation labels (《T》第X条第Y款第（Z）项) and previews.
//!
//! Pure and dependency-free: it knows no quanze type, so every crate (the domain core
//! included) may use it. Parsers that know a catalog's cells stay in `quanze-parse`.
//!
//! The one rule for statute titles is in [`title`]: a title's [`title::statute_key`] is
//! what the registry, the store's index, search and comparison look titles up by.

pub mod label;
pub mod numeral;
pub mod preview;
pub mod title;
pub mod width;

pub use label::{article_label, citation_label, item_label, paragraph_label, provision_label};
pub use numeral::{parse_number, to_chinese};
pub use preview::{preview, truncate_chars};
pub use title::{statute_key, statute_title};
pub use width::{fold_char, fold_width};
