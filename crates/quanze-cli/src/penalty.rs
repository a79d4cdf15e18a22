//! `quanze penalty`: the calculator on the command line.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use quanze_law::{Date, Party, PenaltyQuery, compute, compute_for_item, parse_yuan, registry, render_text};

use crate::Limits;

#[derive(clap::Args)]
pub struct PenaltyArgs {
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

pub fn run(args: &PenaltyArgs) -> Result<ExitCode> {
    let mut q = PenaltyQuery {
        party: match args.party {
            PartyArg::Unit => Party::Unit,
            PartyArg::Individual => Party::Individual,
        },
        paragraph: args.paragraph,
        ..PenaltyQuery::default()
    };
    if let Some(b) = &args.base_amount {
        q.base_amount_fen = Some(parse_yuan(b).with_context(|| format!("--base-amount {b}"))?);
    }
    q.date = Some(match &args.date {
        Some(d) => Date::parse(d).with_context(|| format!("--date {d}: expected YYYY-MM-DD"))?,
        None => today()?,
    });
    let reg = registry();
    if let Some(list) = &args.list {
        let catalog = crate::load(list, &args.limits)?;
        let seq = args.item.unwrap_or_default();
        let Some(item) = catalog.items.iter().find(|i| i.seq == Some(seq)) else {
            bail!("{} has no item {seq}", list.display());
        };
        let res = compute_for_item(reg, item, &q);
        match args.format {
            Output::Json => println!("{}", serde_json::to_string_pretty(&res)?),
            Output::Text => {
                println!("{}", item.label());
                for r in &res.results {
                    println!("{}", render_text(r));
                }
                for s in &res.skipped {
                    println!("skipped: {}", serde_json::to_string(s)?);
                }
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let (Some(statute), Some(article)) = (&args.statute, args.article) else {
        bail!("give --statute and --article, or --list and --item");
    };
    q.statute = statute.clone();
    q.article = article;
    let res = compute(reg, &q).with_context(|| format!("《{statute}》第{article}条"))?;
    match args.format {
        Output::Json => println!("{}", serde_json::to_string_pretty(&res)?),
        Output::Text => print!("{}", render_text(&res)),
    }
    Ok(ExitCode::SUCCESS)
}

/// Today's date (UTC) from the system clock.
fn today() -> Result<Date> {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .context("the system clock is before 1970")?
        .as_secs();
    let days = i64::try_from(secs / 86_400).context("the system clock is out of range")?;
    Date::from_days_since_epoch(days).context("the system clock gives an invalid date")
}
