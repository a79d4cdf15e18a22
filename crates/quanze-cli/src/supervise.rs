//! `quanze supervise coverage LIST…`: which accountability clauses (追责情形) of a list
//! electronic supervision checks from case records, and which a person must (quanze-supervise).
//! `quanze supervise sweep DB`: the sweep the server runs at start, over a store.
//!
//! Exit codes: `coverage` 0 when every list was read (the report is a result, whatever its
//! figures), 2 when a list cannot be read; `sweep` 0 when the sweep ran (alerts are results),
//! 2 when the store cannot be opened or read or the day is not a date.

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
    /// The supervision sweep over a store, as the server runs it at start: deadlines brought
    /// up to date, every case's alerts evaluated and stored (raised, changed, cleared,
    /// 催办/督办); prints what it wrote and the alerts standing.
    Sweep {
        /// SQLite file, `sqlite://…` or `postgres://…`.
        db: String,
        /// The day to evaluate (YYYY-MM-DD); default: today in China (UTC+8).
        #[arg(long)]
        at: Option<String>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
}

pub(crate) fn run(cmd: &SuperviseCommand) -> Result<ExitCode> {
    match cmd {
        SuperviseCommand::Coverage { files, json, limits } => coverage_cmd(files, *json, limits),
        SuperviseCommand::Sweep { db, at, json } => sweep_cmd(db, at.as_deref(), *json),
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

/// One standing (unresolved) alert as `supervise sweep` prints it.
struct StandingAlert {
    id: i64,
    case: i64,
    case_label: String,
    bureau: String,
    item: String,
    rule: String,
    level: quanze_store::AlertLevel,
    status: quanze_store::AlertState,
    escalation: quanze_store::AlertEscalation,
    message: String,
    arose_on: String,
}

struct SweepOutput {
    day: String,
    /// Deadlines brought up to date first (the deadline sweep).
    deadlines_updated: usize,
    deadlines_missed: usize,
    supervision: quanze_casework::supervision::SupervisionReport,
    /// Every unresolved alert of the store after the sweep.
    standing: Vec<StandingAlert>,
}

fn sweep_cmd(db: &str, at: Option<&str>, json: bool) -> Result<ExitCode> {
    use quanze_casework::supervision::{
        Supervision, escalation_label, level_label, rule_label, status_label,
    };
    let day = match at {
        Some(t) => match quanze_model::Date::parse(t) {
            Some(d) => d,
            None => {
                eprintln!("quanze: --at 应为日期 YYYY-MM-DD，而不是 {t}");
                return Ok(ExitCode::from(2));
            }
        },
        None => quanze_casework::china_today().context("系统时钟超出范围")?,
    };
    if let Err(e) = crate::cases::existing_store(db) {
        eprintln!("quanze: {e}");
        return Ok(ExitCode::from(2));
    }
    let rt = crate::cases::runtime()?;
    let result = rt.block_on(async {
        let store = quanze_store::Store::open(db).await.with_context(|| format!("无法打开数据库 {db}"))?;
        let service = quanze_casework::CaseService::new(store.clone()).await?;
        // As `serve` does at start: deadlines first, then supervision on the same day.
        let deadlines = service.sweep(day).await?;
        let supervision = Supervision::ensure(&service).sweep(&service, day).await?;
        let filter = quanze_store::AlertFilter { unresolved: true, ..Default::default() };
        let rows = store.all_alerts(&filter).await?;
        store.close().await;
        let standing = rows
            .into_iter()
            .map(|r| StandingAlert {
                id: r.id.0,
                case: r.case.0,
                case_label: r.case_label,
                bureau: r.bureau_name,
                item: r.item_name,
                level: r.level,
                status: r.status,
                escalation: r.escalation,
                rule: r.rule,
                message: r.message,
                arose_on: r.arose_on.to_string(),
            })
            .collect();
        Ok::<_, anyhow::Error>(SweepOutput {
            day: day.to_string(),
            deadlines_updated: deadlines.updated,
            deadlines_missed: deadlines.missed,
            supervision,
            standing,
        })
    });
    let out = match result {
        Ok(o) => o,
        Err(e) => {
            eprintln!("quanze: 电子监察巡查失败：{e:#}");
            return Ok(ExitCode::from(2));
        }
    };
    let mut w = std::io::stdout().lock();
    if json {
        let standing: Vec<serde_json::Value> = out
            .standing
            .iter()
            .map(|a| {
                serde_json::json!({
                    "id": a.id,
                    "case": a.case,
                    "case_label": a.case_label,
                    "bureau": a.bureau,
                    "item": a.item,
                    "rule": a.rule,
                    "level": a.level.as_str(),
                    "status": a.status.as_str(),
                    "escalation": a.escalation.as_str(),
                    "message": a.message,
                    "arose_on": a.arose_on,
                })
            })
            .collect();
        let v = serde_json::json!({
            "day": out.day,
            "deadlines": { "updated": out.deadlines_updated, "missed": out.deadlines_missed },
            "supervision": out.supervision,
            "standing": standing,
        });
        serde_json::to_writer_pretty(&mut w, &v)?;
        w.write_all(b"\n")?;
        return Ok(ExitCode::SUCCESS);
    }
    let r = &out.supervision;
    writeln!(
        w,
        "{}：巡查 {} 件案件，现有预警 {} 项；新发 {} 项，等级变化或重新打开 {} 项，自动解除 {} 项，催办/督办 {} 项。",
        out.day, r.cases, r.current, r.raised, r.changed, r.cleared, r.escalated
    )?;
    if r.moved > 0 {
        writeln!(w, "巡查期间有新办理的案件 {} 件，由办理后的检查处理。", r.moved)?;
    }
    writeln!(w, "期限：更新 {} 件案件，其中超期 {} 项。", out.deadlines_updated, out.deadlines_missed)?;
    if out.standing.is_empty() {
        writeln!(w, "未办结的预警：无。")?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(w, "未办结的预警 {} 项：", out.standing.len())?;
    for a in &out.standing {
        let escalation = match escalation_label(a.escalation) {
            "" => String::new(),
            e => format!("，{e}"),
        };
        writeln!(
            w,
            "  预警 {} [{}] {}（{}{}）案件 {}，{}：{}（{}起）",
            a.id,
            level_label(a.level),
            rule_label(&a.rule),
            status_label(a.status),
            escalation,
            a.case_label,
            a.item,
            a.message,
            a.arose_on
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
