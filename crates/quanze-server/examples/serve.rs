//! Run the server without the CLI crate: `cargo run -p quanze-server --example serve -- [--db URL] [--addr HOST:PORT]
//! [--max-upload-bytes N] [--max-connections N]`.
//! Used by scripts/load.sh.

use quanze_server::{ServeConfig, serve};

#[tokio::main]
async fn main() {
    let mut config = ServeConfig::default();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match (a.as_str(), args.next()) {
            ("--db", Some(v)) => config.db = v,
            ("--addr", Some(v)) => match v.parse() {
                Ok(addr) => config.addr = addr,
                Err(e) => {
                    eprintln!("bad --addr {v}: {e}");
                    std::process::exit(2);
                }
            },
            ("--max-upload-bytes", Some(v)) => match v.parse() {
                Ok(n) => config.max_upload_bytes = n,
                Err(e) => {
                    eprintln!("bad --max-upload-bytes {v}: {e}");
                    std::process::exit(2);
                }
            },
            ("--max-connections", Some(v)) => match v.parse() {
                Ok(n) => config.max_connections = n,
                Err(e) => {
                    eprintln!("bad --max-connections {v}: {e}");
                    std::process::exit(2);
                }
            },
            _ => {
                eprintln!(
                    "usage: serve [--db URL] [--addr HOST:PORT] [--max-upload-bytes N] [--max-connections N]"
                );
                std::process::exit(2);
            }
        }
    }
    if let Err(e) = serve(config).await {
        eprintln!("quanze: {}", e.chain());
        std::process::exit(1);
    }
}
