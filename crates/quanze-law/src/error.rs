use crate::date::Date;

/// Largest amount accepted, in fen (10^13 fen = 1000亿元): larger figures are typing errors.
pub const MAX_FEN: i64 = 10_000_000_000_000;

/// Errors of the calculator and of amount parsing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LawError {
    #[error("{what} must not be negative (got {fen} fen)")]
    NegativeAmount { what: String, fen: i64 },
    #[error("{what} of {fen} fen is above the limit of {limit} fen (1000亿元): check the amount")]
    AmountTooLarge { what: String, fen: i64, limit: i64 },
    #[error("not an amount in 元 with at most 2 decimals: {0:?}")]
    InvalidYuan(String),
    #[error("unknown statute {title:?}{}", suggestion.as_ref().map(|s| format!(" (did you mean 《{s}》?)")).unwrap_or_default())]
    UnknownStatute { title: String, suggestion: Option<String> },
    #[error("《{statute}》 has no article {article}{}", count.map(|c| format!(" (it has {c} articles)")).unwrap_or_default())]
    UnknownArticle { statute: String, article: u32, count: Option<u32> },
    /// `count`: the article's paragraphs when its text is held; `None` when the paragraph is
    /// above [`crate::calc::assess::MAX_PARAGRAPHS`].
    #[error("《{statute}》 article {article} has no paragraph {paragraph}{}", count.map(|c| format!(" (it has {c})")).unwrap_or_default())]
    UnknownParagraph { statute: String, article: u32, paragraph: u32, count: Option<u32> },
    #[error(
        "《{statute}》 article {article} is not a sanction article the calculator knows (sanction articles: {known})"
    )]
    NoSanction { statute: String, article: u32, known: String },
    #[error("《{statute}》 was not yet in force on {date}: it took effect on {effective}")]
    BeforeEffect { statute: String, date: Date, effective: Date },
    #[error("no edition of 《{statute}》 was in force on {date} (superseded on {superseded})")]
    NoLongerInForce { statute: String, date: Date, superseded: Date },
    #[error("no value of {figure} is loaded for {date} (values start on {first})")]
    FigureNotInForce { figure: String, date: Date, first: Date },
    #[error("《{statute}》 article {article} is aimed at {liable}: party {party} does not fit")]
    PartyMismatch { statute: String, article: u32, liable: String, party: String },
    #[error("《{statute}》 article {article} computes its fine from the {base}: give a base amount")]
    MissingBase { statute: String, article: u32, base: String },
    #[error("the embedded law data is broken: {0}")]
    Data(String),
}
