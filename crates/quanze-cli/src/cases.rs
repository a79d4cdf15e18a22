//! `quanze scenario`, `quanze cases verify`, `quanze calendar load`: case work from the command
//! line, over the same service the server uses (`quanze-casework`).
//!
//! Exit codes: `scenario` 0 when the scenario ran (refusals are results), 1 when the file
//! states expectations (`expect`) and one was not met, 2 when the file is invalid;
//! `cases verify` 0 when every chain verifies, 1 naming the case and seq of the first event
//! that does not, 2 when the store cannot be read; `calendar load` 0 when the year was saved,
//! 2 when the notice cannot be read.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use quanze_casework::scenario::{RunError, read_scenario};

#[derive(clap::Args)]
pub(crate) struct ScenarioArgs {
    /// The scenario file (TOML; see docs/scenarios.md).
    file: PathBuf,
    /// Play against this store and keep it (SQLite file or postgres:// URL); default: a fresh
    /// in-memory store.
    #[arg(long)]
    db: Option<String>,
}

#[derive(clap::Subcommand)]
pub(crate) enum CasesCommand {
    /// Re-evaluate every open deadline due on or before a day and store the ones that
    /// changed (what the server's poller does at start).
    Sweep {
        #[arg(long, default_value = "quanze.db")]
        db: String,
        /// The day to evaluate (YYYY-MM-DD); default: today in China (UTC+8).
        #[arg(long)]
        today: Option<String>,
    },
    /// Verify every case's hash chain; name the first event that no longer verifies.
    Verify {
        #[arg(long, default_value = "quanze.db")]
        db: String,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(clap::Subcommand)]
pub(crate) enum CalendarCommand {
    /// Load a year's State Council holiday notice (its text as published) into the store.
    Load {
        /// The notice's text (UTF-8).
        file: PathBuf,
        #[arg(long, default_value = "quanze.db")]
        db: String,
        /// Show the parsed days without saving them.
        #[arg(long)]
        dry_run: bool,
    },
}

pub(crate) fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().context("无法启动运行时")
}

/// A store URL that names an existing database: `verify` must not create an empty file and
/// then call it verified.
pub(crate) fn existing_store(db: &str) -> Result<(), String> {
    let plain = !db.contains("://") && !db.starts_with("sqlite:");
    if plain && !Path::new(db).exists() {
        return Err(format!("数据库文件 {db} 不存在"));
    }
    Ok(())
}

pub(crate) fn scenario(args: &ScenarioArgs) -> Result<ExitCode> {
    let s = match read_scenario(&args.file) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("quanze: {}：{e}", args.file.display());
            return Ok(ExitCode::from(2));
        }
    };
    let rt = runtime()?;
    let report = rt.block_on(async {
        let url = args.db.clone().unwrap_or_else(|| "sqlite::memory:".into());
        let store = quanze_store::Store::open(&url)
            .await
            .map_err(|e| anyhow::anyhow!("无法打开数据库 {url}：{e}"))?;
        let result = quanze_casework::scenario::run(&s, store.clone()).await;
        store.close().await;
        Ok::<_, anyhow::Error>(result)
    })?;
    let report = match report {
        Ok(r) => r,
        Err(RunError::Invalid(e)) => {
            eprintln!("quanze: {}：{e}", args.file.display());
            return Ok(ExitCode::from(2));
        }
        Err(e) => return Err(e).context("场景未能运行完"),
    };
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &report)?;
    out.write_all(b"\n")?;
    if !report.expectations_met() {
        eprintln!(
            "quanze: {}：{} 项预期中有 {} 项未满足",
            args.file.display(),
            report.expectations.stated,
            report.expectations.stated - report.expectations.met
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn sweep(db: &str, today: Option<&str>) -> Result<ExitCode> {
    let day = match today {
        Some(t) => match quanze_model::Date::parse(t) {
            Some(d) => d,
            None => {
                eprintln!("quanze: --today 应为日期 YYYY-MM-DD，而不是 {t}");
                return Ok(ExitCode::from(2));
            }
        },
        None => quanze_casework::china_today().context("系统时钟超出范围")?,
    };
    if let Err(e) = existing_store(db) {
        eprintln!("quanze: {e}");
        return Ok(ExitCode::from(2));
    }
    let rt = runtime()?;
    let report = rt.block_on(async {
        let store = quanze_store::Store::open(db).await?;
        let service = quanze_casework::CaseService::new(store.clone()).await?;
        let r = service.sweep(day).await?;
        store.close().await;
        Ok::<_, anyhow::Error>(r)
    })?;
    println!(
        "{day}：{} 件案件有到期的期限，{} 件更新，其中超期 {} 项。",
        report.cases, report.updated, report.missed
    );
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn cases(cmd: &CasesCommand) -> Result<ExitCode> {
    let (db, json) = match cmd {
        CasesCommand::Sweep { db, today } => return sweep(db, today.as_deref()),
        CasesCommand::Verify { db, json } => (db, json),
    };
    if let Err(e) = existing_store(db) {
        eprintln!("quanze: {e}");
        return Ok(ExitCode::from(2));
    }
    let rt = runtime()?;
    let report = rt.block_on(async {
        let store = quanze_store::Store::open(db).await?;
        let r = quanze_casework::verify_store(&store).await;
        store.close().await;
        Ok::<_, anyhow::Error>(r)
    });
    let report = match report {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => {
            eprintln!("quanze: 无法读取案件记录：{e}");
            return Ok(ExitCode::from(2));
        }
        Err(e) => {
            eprintln!("quanze: 无法打开数据库 {db}：{e}");
            return Ok(ExitCode::from(2));
        }
    };
    let mut out = std::io::stdout().lock();
    if *json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        out.write_all(b"\n")?;
    } else if report.broken.is_empty() {
        writeln!(out, "全部 {} 件案件、{} 条记录的哈希链校验通过。", report.cases, report.events)?;
    } else {
        for b in &report.broken {
            writeln!(out, "案件 {}（编号 {}）第 {} 条记录校验失败：{}", b.label, b.case, b.seq, b.reason)?;
        }
        writeln!(
            out,
            "共 {} 件案件、{} 条记录；{} 件案件的记录链校验失败。",
            report.cases,
            report.events,
            report.broken.len()
        )?;
    }
    Ok(if report.broken.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

pub(crate) fn calendar(cmd: &CalendarCommand) -> Result<ExitCode> {
    let CalendarCommand::Load { file, db, dry_run } = cmd;
    let bytes = match std::fs::read(file) {
        Ok(b) if b.len() <= 1024 * 1024 => b,
        Ok(_) => {
            eprintln!("quanze: {} 超过 1 MiB，不像是一份节假日通知", file.display());
            return Ok(ExitCode::from(2));
        }
        Err(e) => {
            eprintln!("quanze: 无法读取 {}：{e}", file.display());
            return Ok(ExitCode::from(2));
        }
    };
    let Ok(text) = String::from_utf8(bytes) else {
        eprintln!("quanze: {} 不是 UTF-8 文本", file.display());
        return Ok(ExitCode::from(2));
    };
    let parsed = match quanze_calendar::parse_notice(&text) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("quanze: {}：{e}", file.display());
            return Ok(ExitCode::from(2));
        }
    };
    let mut out = std::io::stdout().lock();
    for f in &parsed.findings {
        writeln!(out, "注意：{f}")?;
    }
    let notice = parsed.into_year_notice();
    writeln!(out, "{} 年节假日安排：", notice.year)?;
    for h in &notice.holidays {
        let off: Vec<String> = h.off.iter().map(ToString::to_string).collect();
        let work: Vec<String> = h.work.iter().map(ToString::to_string).collect();
        writeln!(
            out,
            "  {}：放假 {}{}",
            h.name,
            off.join("、"),
            if work.is_empty() { String::new() } else { format!("；调休上班 {}", work.join("、")) }
        )?;
    }
    if *dry_run {
        writeln!(out, "（试运行：未保存）")?;
        return Ok(ExitCode::SUCCESS);
    }
    let rt = runtime()?;
    let year = notice.year;
    rt.block_on(async {
        let store = quanze_store::Store::open(db).await.with_context(|| format!("无法打开数据库 {db}"))?;
        let service = quanze_casework::CaseService::new(store.clone()).await?;
        service.load_year(notice, Some("quanze calendar load")).await?;
        store.close().await;
        Ok::<_, anyhow::Error>(())
    })?;
    writeln!(out, "已保存 {year} 年节假日安排到 {db}。")?;
    Ok(ExitCode::SUCCESS)
}
