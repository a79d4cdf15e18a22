//! Precision and recall of `align` on hand-labelled pairs of the seed lists
//! (`labelled_pairs.toml`, see its header for how labels are read).
//!
//! Run with `--nocapture` to see the per-pair report and every wrong or missed match.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use quanze_compare::text::plain;
use quanze_compare::{AlignOptions, align_with, score_items};
use quanze_model::Catalog;
use serde::Deserialize;

/// Both measures must stay at or above this on the labelled pairs.
const FLOOR: f64 = 0.85;
/// The labels must keep at least this many true pairs to measure anything.
const MIN_TRUE_PAIRS: usize = 25;

#[derive(Debug, Deserialize)]
struct Labels {
    seed_pair: Vec<SeedPair>,
}

#[derive(Debug, Deserialize)]
struct SeedPair {
    a: String,
    b: String,
    #[serde(default)]
    pairs: Vec<LabelledPair>,
    #[serde(default)]
    ignore_a: Vec<ItemRef>,
    #[serde(default)]
    ignore_b: Vec<ItemRef>,
}

#[derive(Debug, Deserialize)]
struct LabelledPair {
    a: ItemRef,
    b: ItemRef,
}

/// An item by 序号 and/or a prefix of its name.
#[derive(Debug, Deserialize)]
struct ItemRef {
    seq: Option<u32>,
    name: Option<String>,
}

impl std::fmt::Display for ItemRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.seq, &self.name) {
            (Some(s), Some(n)) => write!(f, "#{s} {n}"),
            (Some(s), None) => write!(f, "#{s}"),
            (None, Some(n)) => write!(f, "{n}"),
            (None, None) => write!(f, "(empty reference)"),
        }
    }
}

fn seeds_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/seeds")
}

fn labels() -> Labels {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/labelled_pairs.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The index of the one item `r` refers to; panics naming the reference otherwise, since a
/// label that resolves to nothing (or to two items) would silently change the measure.
fn resolve(catalog: &Catalog, r: &ItemRef) -> usize {
    let name = r.name.as_deref().map(plain);
    let name_fits = |i: usize| name.as_deref().is_none_or(|n| plain(&catalog.items[i].name).starts_with(n));
    let found: Vec<usize> = (0..catalog.items.len())
        .filter(|&i| r.seq.is_none_or(|s| catalog.items[i].seq == Some(s)))
        .filter(|&i| name_fits(i))
        .collect();
    match found.as_slice() {
        [i] => *i,
        [] => panic!("{}: no item matches {r}", catalog.source.file_name),
        many => panic!("{}: {} items match {r}: {many:?}", catalog.source.file_name, many.len()),
    }
}

#[derive(Debug, Default)]
struct Tally {
    true_positives: usize,
    false_positives: usize,
    false_negatives: usize,
}

impl Tally {
    fn precision(&self) -> f64 {
        ratio(self.true_positives, self.true_positives + self.false_positives)
    }
    fn recall(&self) -> f64 {
        ratio(self.true_positives, self.true_positives + self.false_negatives)
    }
}

fn ratio(n: usize, d: usize) -> f64 {
    if d == 0 { 1.0 } else { n as f64 / d as f64 }
}

/// Score `align` on every labelled seed pair, printing a report; `load` reads a seed.
fn evaluate(load: &dyn Fn(&str) -> Catalog, options: &AlignOptions, verbose: bool) -> Tally {
    let mut total = Tally::default();
    for sp in labels().seed_pair {
        let (a, b) = (load(&sp.a), load(&sp.b));
        let truth: BTreeSet<(usize, usize)> =
            sp.pairs.iter().map(|p| (resolve(&a, &p.a), resolve(&b, &p.b))).collect();
        let ignore_a: BTreeSet<usize> = sp.ignore_a.iter().map(|r| resolve(&a, r)).collect();
        let ignore_b: BTreeSet<usize> = sp.ignore_b.iter().map(|r| resolve(&b, r)).collect();
        let alignment = align_with(&a, &b, options);
        let mut tally = Tally::default();
        let mut report = Vec::new();
        for p in &alignment.pairs {
            let key = (p.a_index, p.b_index);
            if truth.contains(&key) {
                tally.true_positives += 1;
            } else if !ignore_a.contains(&p.a_index) && !ignore_b.contains(&p.b_index) {
                tally.false_positives += 1;
                report.push(format!(
                    "  wrong  {:.2} {} <-> {}  [{:?}]",
                    p.score,
                    a.items[p.a_index].label(),
                    b.items[p.b_index].label(),
                    p.why
                ));
            }
        }
        let predicted: BTreeSet<(usize, usize)> =
            alignment.pairs.iter().map(|p| (p.a_index, p.b_index)).collect();
        for &(i, j) in truth.difference(&predicted) {
            tally.false_negatives += 1;
            let partner = |i: usize| alignment.pairs.iter().find(|p| p.a_index == i).map(|p| p.b_index);
            let why = score_items(&a, i, &b, j, options);
            report.push(format!(
                "  missed {} <-> {}  (a matched to {:?}) [{why:?}]",
                a.items[i].label(),
                b.items[j].label(),
                partner(i).map(|j| b.items[j].label())
            ));
        }
        if !verbose {
            total.true_positives += tally.true_positives;
            total.false_positives += tally.false_positives;
            total.false_negatives += tally.false_negatives;
            continue;
        }
        println!(
            "{} vs {}: {} labelled pairs, {} predicted; precision {:.3}, recall {:.3}",
            sp.a,
            sp.b,
            truth.len(),
            alignment.pairs.len(),
            tally.precision(),
            tally.recall()
        );
        for line in report {
            println!("{line}");
        }
        total.true_positives += tally.true_positives;
        total.false_positives += tally.false_positives;
        total.false_negatives += tally.false_negatives;
    }
    total
}

fn import_seed(file: &str) -> Catalog {
    let path = seeds_dir().join(file);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    quanze_import::import_bytes(file, &bytes, &quanze_import::ImportOptions::default())
        .unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn cached_seed(file: &str) -> Catalog {
    static CACHE: std::sync::Mutex<Vec<(String, Catalog)>> = std::sync::Mutex::new(Vec::new());
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, c)) = cache.iter().find(|(f, _)| f == file) {
        return c.clone();
    }
    let c = import_seed(file);
    cache.push((file.to_string(), c.clone()));
    c
}

#[test]
fn align_precision_and_recall_on_labelled_seed_pairs() {
    let tally = evaluate(&cached_seed, &AlignOptions::default(), true);
    let labelled = tally.true_positives + tally.false_negatives;
    println!(
        "overall: {labelled} labelled pairs, {} found, {} wrong, {} missed; precision {:.3}, recall {:.3}",
        tally.true_positives,
        tally.false_positives,
        tally.false_negatives,
        tally.precision(),
        tally.recall()
    );
    assert!(labelled >= MIN_TRUE_PAIRS, "only {labelled} labelled pairs");
    assert!(tally.precision() >= FLOOR, "precision {:.3} under {FLOOR}", tally.precision());
    assert!(tally.recall() >= FLOOR, "recall {:.3} under {FLOOR}", tally.recall());
}

#[test]
fn labels_name_existing_seeds_and_never_reuse_an_item() {
    let labels = labels();
    let mut true_pairs = 0;
    for sp in &labels.seed_pair {
        for file in [&sp.a, &sp.b] {
            assert!(seeds_dir().join(file).is_file(), "no seed {file}");
        }
        let refs = |side: &dyn Fn(&LabelledPair) -> &ItemRef| {
            sp.pairs.iter().map(|p| side(p).to_string()).collect::<Vec<_>>()
        };
        for (side, mut names) in [("a", refs(&|p| &p.a)), ("b", refs(&|p| &p.b))] {
            let n = names.len();
            names.sort();
            names.dedup();
            assert_eq!(names.len(), n, "{} vs {}: an item of {side} is in two pairs", sp.a, sp.b);
        }
        for r in sp.pairs.iter().flat_map(|p| [&p.a, &p.b]).chain(&sp.ignore_a).chain(&sp.ignore_b) {
            assert!(r.seq.is_some() || r.name.is_some(), "{} vs {}: empty reference", sp.a, sp.b);
        }
        true_pairs += sp.pairs.len();
    }
    assert!(true_pairs >= MIN_TRUE_PAIRS, "only {true_pairs} labelled pairs");
}
