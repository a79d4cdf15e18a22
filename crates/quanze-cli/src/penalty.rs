//! `quanze penalty`: the calculator on the command line.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use quanze_law::{
    Date, ItemOutcome, ItemPenalties, ItemQuery, Party, PenaltyQuery, compute, compute_for_item, parse_yuan,
    registry, render_text,
};
use quanze_model::{Clock, FixedClock};

use crate::Limits;

#[derive(clap::Args)]
pub(crate) struct PenaltyArgs {
    /// Statute title in any registered form (社会保险法, 医疗保障基金使用监督管理条例).
    #[arg(long, required_unless_present = "list")]
    statute: Option<String>,
    /// Article number (条).
    #[arg(long, required_unless_present = "list")]
    article: Option<u32>,
    /// Paragraph (款).
    #[arg(long)]
    paragraph: Option<u32>,
    /// A list file: compute for one of its items (with --item).
    #[arg(long, requires = "item", conflicts_with_all = ["statute", "article"])]
    list: Option<PathBuf>,
    /// The item's serial number in --list.
    #[arg(long)]
    item: Option<u32>,
    /// The base amount in 元 (骗取金额, 损失金额, 应缴数额…), e.g. 10000 or 1234.56.
    #[arg(long)]
    base_amount: Option<String>,
    /// Who is sanctioned.
    #[arg(long, value_enum, default_value_t = PartyArg::Unit)]
    party: PartyArg,
    /// Day of the decision (YYYY-MM-DD); figures in force that day are used. Default: today.
    #[arg(long)]
    date: Option<String>,
    #[arg(long, value_enum, default_value_t = Output::Text)]
    format: Output,
    #[command(flatten)]
    limits: Limits,
}

#[derive(Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
enum PartyArg {
    Unit,
    Individual,
}

#[derive(Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
enum Output {
    Text,
    Json,
}

pub(crate) fn run(args: &PenaltyArgs) -> Result<ExitCode> {
    // China's day, not UTC's: between 00:00 and 08:00 in Beijing UTC is still on yesterday.
    // (Once `quanze_casework::SystemClock` lands, pass it here directly.)
    let today = quanze_casework::china_today().context("the system clock is out of range")?;
    print!("{}", output(args, &FixedClock::on(today))?);
    Ok(ExitCode::SUCCESS)
}

/// What the command prints; "today" is the clock's day in China.
fn output(args: &PenaltyArgs, clock: &dyn Clock) -> Result<String> {
    let party = match args.party {
        PartyArg::Unit => Party::Unit,
        PartyArg::Individual => Party::Individual,
    };
    let base_amount_fen = match &args.base_amount {
        Some(b) => Some(parse_yuan(b).with_context(|| format!("--base-amount {b}"))?),
        None => None,
    };
    let date = match &args.date {
        Some(d) => Date::parse(d).with_context(|| format!("--date {d}: expected YYYY-MM-DD"))?,
        None => clock.today(),
    };
    let reg = registry();
    if let Some(list) = &args.list {
        let catalog = crate::load(list, &args.limits)?;
        let seq = args.item.unwrap_or_default();
        let Some(item) = catalog.items.iter().find(|i| i.seq == Some(seq)) else {
            bail!("{} has no item {seq}", list.display());
        };
        let res = compute_for_item(reg, item, &ItemQuery { party, base_amount_fen, ..ItemQuery::on(date) });
        return Ok(match args.format {
            Output::Json => format!("{}\n", serde_json::to_string_pretty(&res)?),
            Output::Text => item_text(&item.label(), &res),
        });
    }
    let (Some(statute), Some(article)) = (&args.statute, args.article) else {
        bail!("give --statute and --article, or --list and --item");
    };
    let q = PenaltyQuery {
        paragraph: args.paragraph,
        base_amount_fen,
        party,
        ..PenaltyQuery::new(statute.clone(), article, date)
    };
    let res = compute(reg, &q).with_context(|| format!("《{statute}》第{article}条"))?;
    Ok(match args.format {
        Output::Json => format!("{}\n", serde_json::to_string_pretty(&res)?),
        Output::Text => render_text(&res),
    })
}

/// An item's sanction articles as text: each computed result, or the formulas when the base is
/// missing, or why it cannot be computed; then the citations that name no sanction article.
fn item_text(label: &str, res: &ItemPenalties) -> String {
    let mut out = format!("{label}\n");
    for (i, p) in res.penalties.iter().enumerate() {
        match &p.outcome {
            ItemOutcome::Computed(r) => out.push_str(&render_text(r)),
            ItemOutcome::NeedsBase { base } => {
                out.push_str(&format!("{}\n罚款以{base}为基数：给出 --base-amount 即可计算。\n", p.heading));
                for f in &p.formulas {
                    out.push_str(&format!("  - {f}\n"));
                }
            }
            ItemOutcome::Failed(e) => out.push_str(&format!("{}\n无法计算：{e}\n", p.heading)),
        }
        if res.highest == Some(i) {
            out.push_str("罚款数额最高的规定：同一违法行为违反多个规定的，按本条处罚（《中华人民共和国行政处罚法》第二十九条）。\n");
        }
        out.push('\n');
    }
    for s in &res.skipped {
        out.push_str(&format!("未计算：{}（{}）\n", s.citation, s.reason));
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // test code

    use std::path::PathBuf;

    use clap::Parser;
    use quanze_model::ChinaTime;

    use super::*;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: PenaltyArgs,
    }

    fn args(a: &[&str]) -> PenaltyArgs {
        Cli::try_parse_from(std::iter::once("penalty").chain(a.iter().copied())).unwrap().args
    }

    fn seeds() -> Vec<PathBuf> {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/seeds");
        let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        v.sort();
        v
    }

    /// The command's JSON for every item of the five seed lists is the library's
    /// `compute_for_item`, which the API and the item page map: they cannot disagree.
    #[test]
    fn every_seed_item_prints_what_the_library_computes() {
        let clock = FixedClock::on(Date::parse("2025-06-30").unwrap());
        let (mut items, mut computed, mut needs_base) = (0, 0, 0);
        for seed in seeds() {
            let path = seed.to_str().unwrap();
            let catalog = crate::load(&seed, &args(&["--list", path, "--item", "1"]).limits).unwrap();
            for item in &catalog.items {
                let Some(seq) = item.seq else { continue };
                for base in [None, Some("10000")] {
                    let seq = seq.to_string();
                    let mut a = vec!["--list", path, "--item", &seq, "--format", "json"];
                    if let Some(b) = base {
                        a.extend(["--base-amount", b]);
                    }
                    let printed = output(&args(&a), &clock).unwrap();
                    let q = ItemQuery {
                        base_amount_fen: base.map(|b| parse_yuan(b).unwrap()),
                        ..ItemQuery::on(clock.today())
                    };
                    let lib = compute_for_item(registry(), item, &q);
                    assert_eq!(
                        printed,
                        format!("{}\n", serde_json::to_string_pretty(&lib).unwrap()),
                        "{}",
                        item.name
                    );
                    items += 1;
                    computed += lib.penalties.iter().filter(|p| p.result().is_some()).count();
                    needs_base += usize::from(lib.needs_base());
                }
            }
        }
        // The seeds cite sanction articles: some compute, and without a base some need one.
        assert!(items > 100 && computed > 20 && needs_base > 5, "{items} {computed} {needs_base}");
    }

    #[test]
    fn today_is_the_clocks_day_in_china() {
        // 2025-03-02 01:30 in Beijing is still 2025-03-01 in UTC: the figures are the 2nd's.
        let clock = FixedClock(ChinaTime::at(Date::parse("2025-03-02").unwrap(), 1, 30).unwrap());
        let a = args(&[
            "--statute",
            "社会保险法",
            "--article",
            "87",
            "--base-amount",
            "10000",
            "--format",
            "json",
        ]);
        let v: serde_json::Value = serde_json::from_str(&output(&a, &clock).unwrap()).unwrap();
        assert_eq!(v["date"], "2025-03-02");
    }
}
