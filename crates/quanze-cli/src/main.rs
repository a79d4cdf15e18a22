//! `quanze`: the command-line shell around the quanze libraries.
//!
//! Exit codes: `import` 0 when it produced a catalog, 2 when not; `validate` 0 when no
//! error was found, 1 when errors were found, 2 when an input cannot be read at all; the case
//! commands as documented in `cases.rs`.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use quanze_import::{ImportOptions, import_bytes};
use quanze_model::Catalog;

mod cases;
mod penalty;
mod report;
mod supervise;

/// Files above this size get a progress bar on a terminal.
const PROGRESS_FROM_BYTES: u64 = 4 * 1024 * 1024;

#[derive(Parser)]
#[command(name = "quanze", version, about = "权责清单: import, validate, show, compute penalties, serve")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Import lists as published into the canonical catalog.
    ///
    /// JSON is written compact (one line per catalog) unless `--pretty`; both carry the same
    /// JSON value.
    Import {
        /// Lists to import (text exports, csv, xlsx; UTF-8 or GBK).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// Indent the JSON for reading (about a fifth of a large import's time goes to the
        /// indentation, so it is off by default).
        #[arg(long)]
        pretty: bool,
        /// Output file (one input) or directory (several inputs). Default: standard output.
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
        #[command(flatten)]
        limits: Limits,
    },
    /// Validate lists and print a readable report.
    Validate {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        limits: Limits,
    },
    /// Compute the penalty range of an article (or of an item of a list) with its citations.
    Penalty(penalty::PenaltyArgs),
    /// Serve the HTTP API, the public portal and the officer console.
    Serve {
        /// SQLite file, `sqlite://…` or `postgres://…`.
        #[arg(long, default_value = "quanze.db")]
        db: String,
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Do not load the bundled seed lists into an empty store.
        #[arg(long)]
        no_seed: bool,
        /// Do not load the demo people and cases (演示数据) into an empty store.
        #[arg(long)]
        no_demo: bool,
        /// Largest accepted upload of a list (`POST /api/imports`, the import form), in bytes.
        #[arg(long, default_value_t = quanze_server::ServeConfig::default().max_upload_bytes)]
        max_upload_bytes: usize,
    },
    /// Play a scenario file (docs/scenarios.md) against a store and print what happened as JSON.
    Scenario(cases::ScenarioArgs),
    /// Case records: `verify` checks every case's hash chain.
    #[command(subcommand)]
    Cases(cases::CasesCommand),
    /// The working-day calendar: `load` a year's State Council holiday notice.
    #[command(subcommand)]
    Calendar(cases::CalendarCommand),
    /// Electronic supervision (电子监察): `coverage` of the lists' accountability clauses.
    #[command(subcommand)]
    Supervise(supervise::SuperviseCommand),
    /// Show one item of a list, readably.
    Show {
        file: PathBuf,
        /// The item's serial number (序号), or `line:N` for an item without one.
        item: String,
        #[command(flatten)]
        limits: Limits,
    },
}

#[derive(clap::Args)]
pub(crate) struct Limits {
    /// Refuse inputs larger than this many bytes.
    #[arg(long, default_value_t = quanze_import::DEFAULT_MAX_BYTES)]
    pub(crate) max_bytes: u64,
}

impl Limits {
    fn options(&self) -> ImportOptions {
        ImportOptions { max_bytes: self.max_bytes, ..ImportOptions::default() }
    }
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Json,
    Csv,
    Xlsx,
}

impl Format {
    fn ext(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Import { files, format, pretty, output, limits } => {
            import(&files, Output { format, pretty }, output.as_deref(), &limits)
        }
        Command::Validate { files, limits } => validate(&files, &limits),
        Command::Show { file, item, limits } => show(&file, &item, &limits),
        Command::Penalty(args) => penalty::run(&args),
        Command::Serve { db, addr, no_seed, no_demo, max_upload_bytes } => {
            serve(db, addr, !no_seed, !no_demo, max_upload_bytes)
        }
        Command::Scenario(args) => cases::scenario(&args),
        Command::Cases(cmd) => cases::cases(&cmd),
        Command::Calendar(cmd) => cases::calendar(&cmd),
        Command::Supervise(cmd) => supervise::run(&cmd),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("quanze: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Read and import one file; errors say which file and why.
pub(crate) fn load(path: &Path, limits: &Limits) -> Result<Catalog> {
    load_with_report(path, limits).map(|(c, _)| c)
}

/// [`load`] that also returns the citation report (how many citations resolved).
fn load_with_report(path: &Path, limits: &Limits) -> Result<(Catalog, quanze_law::CitationReport)> {
    let opts = limits.options();
    // Check the size before reading, so a huge file is refused without loading it.
    let meta = std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
    if meta.len() > opts.max_bytes {
        bail!(
            "{}: the file is {} bytes, over the import limit of {} bytes (raise it with --max-bytes)",
            path.display(),
            meta.len(),
            opts.max_bytes
        );
    }
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let name =
        path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let mut opts = opts;
    // Large lists take seconds: show a bar, but only to a person at a terminal.
    let bar = (meta.len() > PROGRESS_FROM_BYTES && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} rows ({eta})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar.set_message(name.clone());
        bar
    });
    if let Some(bar) = bar.clone() {
        opts.progress = Some(std::sync::Arc::new(move |done, total| {
            bar.set_length(total);
            bar.set_position(done);
        }));
    }
    let result =
        import_bytes(&name, &bytes, &opts).with_context(|| format!("cannot import {}", path.display()));
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let mut catalog = result?;
    let report = quanze_law::annotate(quanze_law::registry(), &mut catalog);
    Ok((catalog, report))
}

fn serve(
    db: String,
    addr: std::net::SocketAddr,
    seed: bool,
    demo: bool,
    max_upload_bytes: usize,
) -> Result<ExitCode> {
    let config = quanze_server::ServeConfig {
        db,
        addr,
        seed,
        demo,
        max_upload_bytes,
        ..quanze_server::ServeConfig::default()
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the runtime")?;
    rt.block_on(quanze_server::serve(config)).context("the server stopped")?;
    Ok(ExitCode::SUCCESS)
}

/// How `import` writes its catalogs.
#[derive(Clone, Copy)]
struct Output {
    format: Format,
    /// Indented JSON.
    pretty: bool,
}

/// Write catalogs as JSON to a (buffered) writer, compact or indented; never through a
/// `String`. Several inputs make one array.
fn write_json(out: &mut dyn Write, catalogs: &[Catalog], pretty: bool) -> Result<()> {
    match (catalogs, pretty) {
        ([one], false) => serde_json::to_writer(&mut *out, one)?,
        ([one], true) => serde_json::to_writer_pretty(&mut *out, one)?,
        (many, false) => serde_json::to_writer(&mut *out, many)?,
        (many, true) => serde_json::to_writer_pretty(&mut *out, many)?,
    }
    out.write_all(b"\n")?;
    Ok(())
}

/// Write a catalog as `how` says. JSON is streamed, so a large list is never held twice.
fn render(catalog: &Catalog, how: Output, out: &mut dyn Write) -> Result<()> {
    match how.format {
        Format::Json => write_json(out, std::slice::from_ref(catalog), how.pretty)?,
        Format::Csv => out.write_all(&quanze_import::export::to_csv(catalog))?,
        Format::Xlsx => {
            out.write_all(&quanze_import::export::to_xlsx(catalog, catalog.source.publisher.as_deref())?)?
        }
    }
    Ok(())
}

/// Write to `path` through a temporary file in the same directory, renamed into place at
/// the end: a failure never leaves a half-written output where a good one was.
fn write_file(path: &Path, fill: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let file = std::fs::File::create(&tmp).with_context(|| format!("cannot write {}", tmp.display()))?;
        let mut w = std::io::BufWriter::new(file);
        fill(&mut w)?;
        let file = w.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn import(files: &[PathBuf], how: Output, output: Option<&Path>, limits: &Limits) -> Result<ExitCode> {
    let format = how.format;
    let catalogs = files.iter().map(|f| load(f, limits)).collect::<Result<Vec<_>>>()?;
    match (output, catalogs.as_slice()) {
        (Some(out), [one]) if !out.is_dir() => write_file(out, |w| render(one, how, w))?,
        (Some(dir), many) => {
            std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
            for (c, f) in many.iter().zip(files) {
                let stem =
                    f.file_stem().map_or_else(|| "catalog".into(), |s| s.to_string_lossy().into_owned());
                let path = dir.join(format!("{stem}.{}", format.ext()));
                write_file(&path, |w| render(c, how, w))?;
            }
        }
        (None, many) => {
            let stdout = std::io::stdout();
            if format == Format::Xlsx && stdout.is_terminal() {
                bail!("xlsx is binary: write it to a file with -o FILE");
            }
            let mut out = std::io::BufWriter::new(stdout.lock());
            if format == Format::Json && many.len() > 1 {
                write_json(&mut out, many, how.pretty)?;
            } else {
                for c in many {
                    render(c, how, &mut out)?;
                }
            }
            out.flush()?;
        }
    }
    // The process ends next: freeing millions of strings one by one (about a tenth of a
    // large import's time) is work the OS does at once when it takes the address space back.
    std::mem::forget(catalogs);
    Ok(ExitCode::SUCCESS)
}

fn validate(files: &[PathBuf], limits: &Limits) -> Result<ExitCode> {
    let mut any_error = false;
    let mut unreadable = false;
    let mut out = std::io::stdout().lock();
    for f in files {
        match load_with_report(f, limits) {
            Ok((c, law)) => {
                any_error |= c.has_errors();
                out.write_all(report::validation(&c, &law).as_bytes())?;
            }
            Err(e) => {
                unreadable = true;
                eprintln!("quanze: {e:#}");
            }
        }
    }
    Ok(if unreadable {
        ExitCode::from(2)
    } else if any_error {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn show(file: &Path, which: &str, limits: &Limits) -> Result<ExitCode> {
    let catalog = load(file, limits)?;
    let item = if let Some(line) = which.strip_prefix("line:") {
        let line: u32 = line.trim().parse().with_context(|| format!("not a line number: {line}"))?;
        catalog.items.iter().find(|i| i.line == Some(line))
    } else {
        let seq: u32 = which.trim().parse().with_context(|| format!("not a serial number: {which}"))?;
        catalog.items.iter().find(|i| i.seq == Some(seq))
    };
    let Some(item) = item else {
        bail!("{} has no item {which} (items: {})", file.display(), report::item_index(&catalog));
    };
    let diags: Vec<_> =
        catalog.diagnostics.iter().filter(|d| d.line.is_some() && d.line == item.line).collect();
    print!("{}", report::item(item, &diags));
    Ok(ExitCode::SUCCESS)
}
