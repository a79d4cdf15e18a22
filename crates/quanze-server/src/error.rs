//! Why the server could not start or run.
//!
//! These errors go to the operator's terminal and the logs, so they are English. Each variant
//! says what the server was doing and keeps the cause as its `source` (typed, never flattened
//! into the message), so a printer that walks the chain ([`ServerError::chain`]) shows every
//! cause once. Errors a user of the portal or API sees are the capabilities' own, in Chinese.

/// Why the server could not start or run.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The store failed (opening it, its migrations, a read or a write).
    #[error("the store failed")]
    Store(#[from] quanze_store::StoreError),
    /// The case service could not be built (its calendar years or its document templates).
    #[error("the case service could not start")]
    Cases(#[from] quanze_casework::CaseworkError),
    /// Building the catalog read model stopped (a panic in the snapshot's build).
    #[error("building the catalog snapshot failed")]
    Snapshot(#[source] tokio::task::JoinError),
    #[error("cannot listen on {addr}")]
    Bind {
        addr: std::net::SocketAddr,
        #[source]
        source: std::io::Error,
    },
    /// The one-time administrator password could not be written to its file.
    /// The account exists then: set `QUANZE_ADMIN_PASSWORD` and start again to choose one.
    #[error(
        "cannot write the administrator's one-time password to {} (set QUANZE_ADMIN_PASSWORD and start again)",
        path.display()
    )]
    AdminPassword {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("server I/O failed")]
    Io(#[from] std::io::Error),
    /// A seed list or the demo could not be stored.
    #[error("seed {file} could not be loaded")]
    Seed {
        file: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl ServerError {
    /// The error and each of its causes, outermost first, joined by `: ` (for a log line or
    /// the terminal). A cause whose text its parent already printed (some libraries' errors
    /// repeat their source in their own message) is not printed again.
    pub fn chain(&self) -> String {
        let mut out = self.to_string();
        let mut cause = std::error::Error::source(self);
        while let Some(c) = cause {
            let text = c.to_string();
            if !out.contains(&text) {
                out.push_str(": ");
                out.push_str(&text);
            }
            cause = c.source();
        }
        out
    }
}
