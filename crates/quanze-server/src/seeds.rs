//! The five seed lists, embedded so the binary runs anywhere.

use quanze_import::{ImportOptions, import_bytes};
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

/// The demo (`quanze_casework::demo`): demo people with logins (`demo-…`), the cases of
/// `data/demo/cases.toml` and one case played through the officers' own path with its
/// numbered documents. Its list is the embedded seed the scenario names.
pub(crate) async fn load_demo(store: &Store) -> Result<quanze_casework::demo::DemoReport, ServerError> {
    let fail = |message: String| ServerError::Seed { file: "data/demo".into(), message };
    let scenario = quanze_casework::scenario::parse_scenario(
        quanze_casework::demo::DEMO_CASES,
        std::path::Path::new("data/demo"),
    )
    .map_err(|e| fail(e.to_string()))?;
    let list = scenario.list.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let Some((name, bytes)) = SEEDS.iter().find(|(n, _)| *n == list) else {
        return Err(fail(format!("no embedded seed {list}")));
    };
    let catalog = import_bytes(name, bytes, &ImportOptions::default()).map_err(|e| fail(e.to_string()))?;
    quanze_casework::demo::load_demo(store, &catalog).await.map_err(|e| fail(e.to_string()))
}

/// Import and publish every seed when the store has no bureau, then (when `demo`) the demo.
/// A seed the importer cannot read is reported on standard error and skipped, so the server
/// still starts.
pub(crate) async fn load_if_empty(store: &Store, demo: bool) -> Result<(), ServerError> {
    let empty = crate::storage::is_empty(store).await.map_err(|e| ServerError::Store(e.to_string()))?;
    if !empty {
        return Ok(());
    }
    for (name, bytes) in SEEDS {
        let catalog = match import_bytes(name, bytes, &ImportOptions::default()) {
            Ok(mut c) => {
                crate::law::service::annotate(&mut c);
                c
            }
            Err(e) => {
                eprintln!("quanze: seed {name} not loaded: {e}");
                continue;
            }
        };
        crate::storage::store_catalog(store, catalog, None, true)
            .await
            .map_err(|e| ServerError::Seed { file: name.into(), message: e.to_string() })?;
    }
    if !demo {
        return Ok(());
    }
    match load_demo(store).await {
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
