//! The five seed lists, embedded so the binary runs anywhere.

use quanze_import::{ImportOptions, import_bytes};
use quanze_store::Store;

use crate::ServerError;

/// (file name, bytes) of each seed list in `data/seeds`.
pub const SEEDS: [(&str, &[u8]); 5] = [
    ("000_2a6f93350bdff5ae.txt", include_bytes!("../../../data/seeds/000_2a6f93350bdff5ae.txt")),
    ("001_a8ecac8bae7c0f63.txt", include_bytes!("../../../data/seeds/001_a8ecac8bae7c0f63.txt")),
    ("002_986fb97279c273a7.txt", include_bytes!("../../../data/seeds/002_986fb97279c273a7.txt")),
    ("003_53652f109c077542.txt", include_bytes!("../../../data/seeds/003_53652f109c077542.txt")),
    ("004_e6509d409e33aba2.txt", include_bytes!("../../../data/seeds/004_e6509d409e33aba2.txt")),
];

/// Import and publish every seed when the store has no bureau. A seed the importer cannot
/// read is reported on standard error and skipped, so the server still starts.
pub async fn load_if_empty(store: &Store) -> Result<(), ServerError> {
    let empty = crate::storage::is_empty(store).await.map_err(|e| ServerError::Store(e.to_string()))?;
    if !empty {
        return Ok(());
    }
    for (name, bytes) in SEEDS {
        let catalog = match import_bytes(name, bytes, &ImportOptions::default()) {
            Ok(mut c) => {
                crate::law::annotate(&mut c);
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
    Ok(())
}
