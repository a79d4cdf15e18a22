//! `quanze supervise coverage LIST…`: which accountability clauses (追责情形) of a list
//! electronic supervision checks from case records, and which a person must (quanze-supervise).
//!
//! Exit codes: 0 when every list was read (the report is a result, whatever its figures);
//! 2 when a list cannot be read.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use quanze_model::Catalog;
use quanze_supervise::{
    ClauseRules, Coverage, coverage, manual_groups, render_coverage, render_manual_groups,
};

#[derive(clap::Subcommand)]
pub(crate) enum SuperviseCommand {
    /// Coverage of the lists' accountability clauses: automated / manual, per item and in
    /// total, each manual clause with its reason.
    Coverage {
        /// Lists (any file `quanze import` reads) or catalog JSON files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        limits: crate::Limits,
    },
}

pub(crate) fn run(cmd: &SuperviseCommand) -> Result<ExitCode> {
    match cmd {
        SuperviseCommand::Coverage { files, json, limits } => coverage_cmd(files, *json, limits),
    }
}

fn read_catalog(path: &std::path::Path, limits: &crate::Limits) -> Result<Catalog> {
    let meta = std::fs::metadata(path).with_context(|| format!("无法读取 {}", path.display()))?;
    if meta.len() > limits.max_bytes {
        bail!("{} 有 {} 字节，超过上限 {} 字节", path.display(), meta.len(), limits.max_bytes);
    }
    let bytes = std::fs::read(path).with_context(|| format!("无法读取 {}", path.display()))?;
    // A catalog JSON (what `quanze import` writes) is read as is.
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
        && let Ok(c) = serde_json::from_slice::<Catalog>(&bytes)
    {
        return Ok(c);
    }
    crate::load(path, limits)
}

fn coverage_cmd(files: &[PathBuf], json: bool, limits: &crate::Limits) -> Result<ExitCode> {
    let rules = ClauseRules::builtin();
    let mut reports: Vec<Coverage> = Vec::new();
    for f in files {
        let catalog = read_catalog(f, limits)?;
        reports.push(coverage(rules, &catalog));
    }
    let (clauses, automated) =
        reports.iter().fold((0usize, 0usize), |(c, a), r| (c + r.clauses, a + r.automated));
    let groups = manual_groups(rules, &reports);
    let mut out = std::io::stdout().lock();
    if json {
        let v = serde_json::json!({
            "lists": reports,
            "total": { "clauses": clauses, "automated": automated, "manual": clauses - automated },
            "manual_groups": groups,
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
    } else {
        for r in &reports {
            writeln!(out, "{}", render_coverage(r))?;
        }
        if reports.len() > 1 {
            let pm = (automated * 1000).checked_div(clauses).unwrap_or(0);
            writeln!(
                out,
                "合计：追责情形 {clauses} 条，可自动监察 {automated} 条，需人工核查 {} 条；自动化率 {}.{}%",
                clauses - automated,
                pm / 10,
                pm % 10
            )?;
        }
        if !groups.is_empty() {
            writeln!(out, "\n{}", render_manual_groups(&groups))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
