//! Run the server without the CLI crate: `cargo run -p quanze-server --example serve -- [--db URL] [--addr HOST:PORT]`.
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
            _ => {
                eprintln!("usage: serve [--db URL] [--addr HOST:PORT]");
                std::process::exit(2);
            }
        }
    }
    if let Err(e) = serve(config).await {
        eprintln!("quanze: {e}");
        std::process::exit(1);
    }
}
