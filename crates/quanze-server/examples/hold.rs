//! Fill a database with many items, for the load benchmarks of issue 12 (`scripts/load.sh`
//! with `HOLD=N`): one synthetic list of `--per-list` items is read once and stored under
//! `N / per-list` bureaus (each its own publisher and file hash), published.
//!
//! `cargo run --release -p quanze-server --example hold -- --db FILE --items 300000 [--per-list 10000]`

use quanze_store::Store;

#[tokio::main]
async fn main() {
    let mut db = None;
    let mut items = 300_000usize;
    let mut per_list = 10_000usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let v = args.next();
        match (a.as_str(), v.as_deref().map(str::parse::<usize>)) {
            ("--db", _) => db = v,
            ("--items", Some(Ok(n))) => items = n,
            ("--per-list", Some(Ok(n))) if n > 0 => per_list = n,
            _ => {
                eprintln!("usage: hold --db URL [--items N] [--per-list N]");
                std::process::exit(2);
            }
        }
    }
    let Some(db) = db else {
        eprintln!("hold: --db is required");
        std::process::exit(2);
    };
    let text = quanze_import::synth::generate(per_list, 7, |_| {});
    let opts = quanze_import::ImportOptions { max_bytes: u64::MAX, ..Default::default() };
    let catalog = match quanze_import::import_bytes("synth.txt", text.as_bytes(), &opts) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("hold: the synthetic list does not import: {e}");
            std::process::exit(1);
        }
    };
    let store = match Store::open(&db).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("hold: {e}");
            std::process::exit(1);
        }
    };
    let lists = items.div_ceil(per_list);
    let start = std::time::Instant::now();
    for n in 0..lists {
        let mut c = catalog.clone();
        c.source.publisher = Some(format!("负载测试第{n}县医疗保障局"));
        c.source.sha256 = format!("{:064x}", 0xfeed_0000_u64 + n as u64);
        if let Err(e) = store.import_catalog_with(&c, None, true).await {
            eprintln!("hold: list {n}: {e}");
            std::process::exit(1);
        }
    }
    println!(
        "hold: {} items in {lists} lists stored in {:.1} s",
        lists * per_list,
        start.elapsed().as_secs_f64()
    );
}
