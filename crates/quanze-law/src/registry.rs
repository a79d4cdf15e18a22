//! The statute registry: one record per edition of an instrument, with its articles split
//! into paragraphs (款) and items (项). Built from the full texts by `build-registry` and
//! embedded in the crate; [`registry()`] parses it once.

use std::collections::HashMap;
use std::sync::OnceLock;

use quanze_model::LegalLevel;
use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::text::{article_label, normalize_title};

/// One edition of a statute (law, regulation, rule or normative document).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatuteEdition {
    /// Stable id: `社会保险法(2018-12-29)`, or the title alone when no date is known.
    pub id: String,
    /// Normalized title: no 《》, no 中华人民共和国 prefix.
    pub title: String,
    /// Title as the text heads it (中华人民共和国社会保险法).
    pub full_title: String,
    /// Other names the instrument is cited by (normalized like `title`).
    pub aliases: Vec<String>,
    pub level: LegalLevel,
    pub issuer: Option<String>,
    /// 国务院令第735号, 劳动和社会保障部令第3号…
    pub doc_number: Option<String>,
    /// Date this edition was adopted/promulgated (the date of the amendment for an amended edition).
    pub promulgated: Option<Date>,
    /// Date this edition took effect.
    pub effective: Option<Date>,
    /// Date the instrument first took effect (first edition).
    pub first_effective: Option<Date>,
    /// Date from which a later edition or instrument replaced this one.
    pub superseded: Option<Date>,
    /// Id or title of what replaced it.
    pub superseded_by: Option<String>,
    /// The adoption/amendment lines of the text's header, verbatim.
    pub history: Vec<String>,
    /// Whether some dates come from general knowledge (legal-rules.md: UNVERIFIED).
    pub dates_unverified: bool,
    /// Whether `articles` holds the full text. `false`: only what lists quote.
    pub full_text: bool,
    /// Source file of the full text (under `data/sources/`).
    pub source: Option<String>,
    pub notes: Vec<String>,
    pub articles: Vec<Article>,
}

/// One article (条).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    pub number: u32,
    /// 第八十七条.
    pub label: String,
    /// Chapter (and section) heading the article stands under.
    pub chapter: Option<String>,
    pub paragraphs: Vec<Paragraph>,
    /// For instruments without a full text: the words lists quote for this article, with
    /// the seed files they come from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quotes: Vec<Quote>,
}

/// One paragraph (款): its lead text and its items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Paragraph {
    pub text: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<ArticleItem>,
}

/// One item (项): （一）….
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleItem {
    pub number: u32,
    pub text: String,
}

/// Words quoted by a list for an article whose text the registry does not hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    pub text: String,
    pub sources: Vec<String>,
}

impl Article {
    /// The whole article as one text: paragraphs joined by newlines, items on their own lines.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for p in &self.paragraphs {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&p.text);
            for it in &p.items {
                out.push('\n');
                out.push_str(&it.text);
            }
        }
        if let Some(q) = self.quotes.first().filter(|_| out.is_empty()) {
            out.push_str(&q.text);
        }
        out
    }

    /// Text of one paragraph (款), with its items.
    pub fn paragraph_text(&self, paragraph: u32) -> Option<String> {
        let p = self.paragraphs.get((paragraph as usize).checked_sub(1)?)?;
        let mut out = p.text.clone();
        for it in &p.items {
            out.push('\n');
            out.push_str(&it.text);
        }
        Some(out)
    }
}

impl StatuteEdition {
    /// Whether this edition was in force on `date`. Unknown dates count as in force.
    pub fn in_force_on(&self, date: Date) -> bool {
        let started = self.effective.is_none_or(|e| e <= date);
        let not_ended = self.superseded.is_none_or(|s| date < s);
        started && not_ended
    }

    pub fn article(&self, number: u32) -> Option<&Article> {
        self.articles.iter().find(|a| a.number == number)
    }

    /// Number of articles when the full text is held.
    pub fn article_count(&self) -> Option<u32> {
        self.full_text.then(|| self.articles.iter().map(|a| a.number).max().unwrap_or(0))
    }

    /// 《中华人民共和国社会保险法》第八十七条.
    pub fn cite(&self, article: u32) -> String {
        format!("《{}》{}", self.full_title, article_label(article))
    }
}

/// An edition without its articles: the rows of `GET /api/statutes`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatuteSummary {
    pub id: String,
    pub title: String,
    pub full_title: String,
    pub aliases: Vec<String>,
    pub level: LegalLevel,
    pub issuer: Option<String>,
    pub doc_number: Option<String>,
    pub promulgated: Option<Date>,
    pub effective: Option<Date>,
    pub superseded: Option<Date>,
    pub superseded_by: Option<String>,
    pub dates_unverified: bool,
    pub full_text: bool,
    /// Articles held: all of them with a full text, else those lists quote.
    pub articles: usize,
}

impl StatuteEdition {
    pub fn summary(&self) -> StatuteSummary {
        StatuteSummary {
            id: self.id.clone(),
            title: self.title.clone(),
            full_title: self.full_title.clone(),
            aliases: self.aliases.clone(),
            level: self.level,
            issuer: self.issuer.clone(),
            doc_number: self.doc_number.clone(),
            promulgated: self.promulgated,
            effective: self.effective,
            superseded: self.superseded,
            superseded_by: self.superseded_by.clone(),
            dates_unverified: self.dates_unverified,
            full_text: self.full_text,
            articles: self.articles.len(),
        }
    }
}

/// All editions of all registered instruments.
///
/// Look-ups by title go through an index built on the first look-up, so `editions` must not
/// change after that (build a registry with [`Registry::from_json_files`] or by
/// deserializing it).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Registry {
    pub editions: Vec<StatuteEdition>,
    /// Files of the embedded data that failed to parse (empty unless the build is broken;
    /// a test keeps it empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub load_errors: Vec<String>,
    #[serde(skip)]
    index: TitleIndex,
}

/// Editions by title, alias and id, built once: a look-up by title was a normalization and a
/// scan of every edition, and the calculator makes a dozen per computation.
#[derive(Debug, Clone, Default)]
struct TitleIndex(OnceLock<Titles>);

#[derive(Debug, Clone, Default)]
struct Titles {
    /// Normalized title or alias → editions (registry order, each once).
    by_name: HashMap<String, Vec<usize>>,
    /// The same keys, but only those that [`normalize_title`] leaves unchanged: a query equal
    /// to one of them needs no normalization.
    exact: HashMap<String, Vec<usize>>,
    /// Title or alias without any 中华人民共和国 → editions.
    stripped: HashMap<String, Vec<usize>>,
    by_id: HashMap<String, usize>,
}

/// The index is derived from the editions: registries equal in data are equal.
impl PartialEq for TitleIndex {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Titles {
    fn build(editions: &[StatuteEdition]) -> Titles {
        let mut t = Titles::default();
        for (i, e) in editions.iter().enumerate() {
            let names = std::iter::once(&e.title).chain(&e.aliases);
            for name in names.clone() {
                let v = t.by_name.entry(name.clone()).or_default();
                if v.last() != Some(&i) {
                    v.push(i);
                }
            }
            for name in names {
                let key = name.replace("中华人民共和国", "");
                let v = t.stripped.entry(key).or_default();
                if v.last() != Some(&i) {
                    v.push(i);
                }
            }
            t.by_id.entry(e.id.clone()).or_insert(i);
        }
        t.exact = t
            .by_name
            .iter()
            .filter(|(k, _)| normalize_title(k) == **k)
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        t
    }
}

/// A statute found by title and date.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Lookup<'a> {
    /// The edition in force on the date.
    InForce(&'a StatuteEdition),
    /// Registered, but no edition was in force on the date: the date is before the first
    /// edition took effect (`first` is the earliest edition).
    NotYet(&'a StatuteEdition),
    /// Registered, but every edition was superseded before the date (`last` is the latest).
    Superseded(&'a StatuteEdition),
    /// No instrument of that title.
    Unknown,
}

impl Registry {
    /// Parse registry records (one JSON document per edition).
    pub fn from_json_files<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Registry {
        let mut reg = Registry::default();
        for (name, json) in files {
            match serde_json::from_str::<StatuteEdition>(json) {
                Ok(e) => reg.editions.push(e),
                Err(e) => reg.load_errors.push(format!("{name}: {e}")),
            }
        }
        reg.editions.sort_by(|a, b| (&a.title, a.effective).cmp(&(&b.title, b.effective)));
        reg
    }

    fn titles(&self) -> &Titles {
        self.index.0.get_or_init(|| Titles::build(&self.editions))
    }

    /// Indices of the editions of `title`, oldest first.
    fn indices(&self, title: &str) -> &[usize] {
        let ix = self.titles();
        if let Some(v) = ix.exact.get(title) {
            return v;
        }
        let t = normalize_title(title);
        if let Some(v) = ix.by_name.get(&t) {
            return v;
        }
        // Quoted titles sometimes keep a 中华人民共和国 inside (实施《中华人民共和国社会保险法》若干规定).
        ix.stripped.get(&t.replace("中华人民共和国", "")).map_or(&[], Vec::as_slice)
    }

    /// Every edition of the instrument `title` (any form: 《中华人民共和国社会保险法》,
    /// 社会保险法, an alias), oldest first.
    pub fn editions_of(&self, title: &str) -> Vec<&StatuteEdition> {
        self.indices(title).iter().filter_map(|i| self.editions.get(*i)).collect()
    }

    /// The canonical title for any registered form, or `None`.
    pub fn canonical_title(&self, title: &str) -> Option<&str> {
        self.indices(title).first().and_then(|i| self.editions.get(*i)).map(|e| e.title.as_str())
    }

    /// The latest edition of an instrument.
    pub fn current(&self, title: &str) -> Option<&StatuteEdition> {
        self.indices(title).last().and_then(|i| self.editions.get(*i))
    }

    /// The edition in force on `date`.
    pub fn lookup(&self, title: &str, date: Date) -> Lookup<'_> {
        let eds = self.indices(title);
        let ed = |i: &usize| self.editions.get(*i);
        let (Some(first), Some(last)) = (eds.first().and_then(ed), eds.last().and_then(ed)) else {
            return Lookup::Unknown;
        };
        if let Some(e) = eds.iter().rev().filter_map(ed).find(|e| e.in_force_on(date)) {
            return Lookup::InForce(e);
        }
        if first.effective.is_some_and(|f| date < f) {
            Lookup::NotYet(first)
        } else {
            Lookup::Superseded(last)
        }
    }

    /// An article of the current edition.
    pub fn article(&self, title: &str, number: u32) -> Option<(&StatuteEdition, &Article)> {
        let e = self.current(title)?;
        e.article(number).map(|a| (e, a))
    }

    /// Every edition without its articles.
    pub fn summaries(&self) -> Vec<StatuteSummary> {
        self.editions.iter().map(StatuteEdition::summary).collect()
    }

    /// A statute by id (`社会保险法(2018-12-29)`).
    pub fn by_id(&self, id: &str) -> Option<&StatuteEdition> {
        self.titles().by_id.get(id).and_then(|i| self.editions.get(*i))
    }

    /// Registered titles that look most like `title` (shared characters), for "did you mean".
    pub fn suggest(&self, title: &str) -> Option<&str> {
        let t: Vec<char> = normalize_title(title).chars().collect();
        if t.is_empty() {
            return None;
        }
        let mut best: Option<(f64, &str)> = None;
        let mut seen: Vec<&str> = Vec::new();
        for e in &self.editions {
            if seen.contains(&e.title.as_str()) {
                continue;
            }
            seen.push(&e.title);
            let c: Vec<char> = e.title.chars().collect();
            let common = lcs_len(&t, &c) as f64;
            let score = 2.0 * common / (t.len() + c.len()) as f64;
            if score >= 0.6 && best.is_none_or(|(b, _)| score > b) {
                best = Some((score, &e.title));
            }
        }
        best.map(|(_, t)| t)
    }
}

fn lcs_len(a: &[char], b: &[char]) -> usize {
    let mut prev = vec![0usize; b.len() + 1];
    let mut cur = vec![0usize; b.len() + 1];
    for ca in a {
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = if ca == cb { prev[j] + 1 } else { prev[j + 1].max(cur[j]) };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

include!("../data/statutes/embedded.rs");

/// The embedded registry, parsed on first use.
pub fn registry() -> &'static Registry {
    static REG: OnceLock<Registry> = OnceLock::new();
    REG.get_or_init(|| Registry::from_json_files(EMBEDDED.iter().copied()))
}

/// Names of the embedded registry files.
pub fn embedded_files() -> impl Iterator<Item = &'static str> {
    EMBEDDED.iter().map(|(n, _)| *n)
}
