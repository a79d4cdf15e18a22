//! The five seed lists, embedded so the binary runs anywhere.

use quanze_import::{ImportOptions, import_bytes};
use quanze_model::Catalog;
use quanze_store::Store;

use crate::error::ServerError;

/// (file name, bytes) of each seed list in `data/seeds`.
pub(crate) const SEEDS: [(&str, &[u8]); 5] = [
    ("000_2a6f93350bdff5ae.txt", include_bytes!("../../../data/seeds/000_2a6f93350bdff5ae.txt")),
    ("001_a8ecac8bae7c0f63.txt", include_bytes!("../../../data/seeds/001_a8ecac8bae7c0f63.txt")),
    ("002_986fb97279c273a7.txt", include_bytes!("../../../data/seeds/002_986fb97279c273a7.txt")),
    ("003_53652f109c077542.txt", include_bytes!("../../../data/seeds/003_53652f109c077542.txt")),
    ("004_e6509d409e33aba2.txt", include_bytes!("../../../data/seeds/004_e6509d409e33aba2.txt")),
];

/// The embedded seed the demo's scenario names (`list` in `data/demo/cases.toml`).
fn demo_scenario() -> Result<quanze_casework::scenario::Scenario, ServerError> {
    quanze_casework::scenario::parse_scenario(
        quanze_casework::demo::DEMO_CASES,
        std::path::Path::new("data/demo"),
    )
    .map_err(|e| ServerError::Seed { file: "data/demo".into(), source: e.into() })
}

/// Import and publish every seed when the store has no bureau, then (when `demo`) the demo
/// (`quanze_casework::demo`: demo people with logins `demo-…`, the cases of
/// `data/demo/cases.toml` and one case played through the officers' own path with its
/// numbered documents), on the catalog of the seed its scenario names, as imported here: each
/// seed is read once. `annotate` adds the statute registry's findings (the caller passes the
/// law capability's, so this module needs no capability). A seed the importer cannot read is
/// reported on standard error and skipped, so the server still starts.
pub(crate) async fn load_if_empty(
    store: &Store,
    demo: bool,
    annotate: impl Fn(&mut Catalog),
) -> Result<(), ServerError> {
    if !crate::storage::is_empty(store).await? {
        return Ok(());
    }
    let scenario = if demo { Some(demo_scenario()?) } else { None };
    let demo_list = scenario
        .as_ref()
        .and_then(|s| s.list.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut demo_catalog = None;
    for (name, bytes) in SEEDS {
        let catalog = match import_bytes(name, bytes, &ImportOptions::default()) {
            Ok(mut c) => {
                annotate(&mut c);
                c
            }
            Err(e) => {
                eprintln!("quanze: seed {name} not loaded: {e}");
                continue;
            }
        };
        if name == demo_list {
            demo_catalog = Some(catalog.clone());
        }
        crate::storage::store_catalog(store, catalog, None, true)
            .await
            .map_err(|e| ServerError::Seed { file: name.into(), source: e.into() })?;
    }
    if scenario.is_none() {
        return Ok(());
    }
    let Some(catalog) = demo_catalog else {
        eprintln!("quanze: demo not loaded: no embedded seed {demo_list}");
        return Ok(());
    };
    match quanze_casework::demo::load_demo(store, &catalog).await {
        Ok(report) => {
            println!(
                "quanze: demo data loaded ({} cases, {} documents); demo logins (演示账号, use --no-demo on a real deployment):",
                report.cases, report.documents
            );
            for (login, role, password) in &report.accounts {
                println!("  {login} / {password}  ({role})");
            }
        }
        Err(e) => eprintln!("quanze: demo not loaded: {e}"),
    }
    Ok(())
}
