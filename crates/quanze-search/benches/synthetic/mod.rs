//! A synthetic national-size store: 2,800 bureaus × 45 items, made from the seed lists.
//!
//! Each bureau takes one seed list as its provincial template and fills up to 45 items
//! with items of the other seeds; the seed's place names are replaced by the bureau's, and
//! a share of names, stages, clauses and legal bases are reworded so that they are unique
//! to the bureau (real lists copy templates but add their own offices and wording). Without
//! that, interning would make the index look smaller and faster than a real one.

#![allow(dead_code)]

use std::path::Path;

use quanze_model::Category;
use quanze_search::{ItemDoc, Query};

pub(crate) const BUREAUS: usize = 2_800;

/// Bureaus in the store: [`BUREAUS`], or `QUANZE_BENCH_BUREAUS` to see how the query cost
/// grows with the store (5 bureaus vs 500 vs 2,800).
pub(crate) fn bureaus() -> usize {
    std::env::var("QUANZE_BENCH_BUREAUS").ok().and_then(|v| v.parse().ok()).unwrap_or(BUREAUS)
}
pub(crate) const ITEMS_PER_BUREAU: usize = 45;

/// Share of stages and clauses made unique to their bureau.
const UNIQUE_STAGE_SHARE: f64 = 0.25;
/// Share of legal bases made unique to their bureau.
const UNIQUE_BASIS_SHARE: f64 = 0.10;

const SEED_PLACES: &[&str] =
    &["邢台市襄都区", "涞源县", "民勤县", "汤阴县", "襄都区", "涞源", "民勤", "汤阴", "襄都"];
const PLACE_CHARS: &[char] = &[
    '安', '平', '昌', '东', '西', '南', '北', '宁', '阳', '山', '河', '清', '新', '永', '丰', '兴', '泰',
    '和', '长', '德', '临', '定', '广', '武', '文', '华', '云', '金', '宝', '石', '龙', '江', '海', '林',
    '城', '台', '元', '乐', '庆', '福', '顺', '保', '靖', '溪', '源', '泉', '峰', '川', '沙', '桥', '城',
    '岗', '湖', '州', '邑', '原', '洛', '汉', '沁', '济',
];
const OFFICES: &[&str] = &["基金监管股", "待遇保障股", "医药管理股", "办公室", "规划财务股", "医疗服务股"];

/// Deterministic generator (SplitMix64): the same store on every run.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

/// The items of the five seed lists, one `Vec` per seed.
pub(crate) fn seed_templates() -> Vec<Vec<ItemDoc>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/seeds");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|path| {
            let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            let catalog = quanze_import::import_bytes(name, &bytes, &quanze_import::ImportOptions::default())
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            catalog.items.iter().map(|it| ItemDoc::from_item(0, 0, "", it)).collect()
        })
        .collect()
}

fn place_name(index: usize) -> String {
    let n = PLACE_CHARS.len();
    let a = PLACE_CHARS[index % n];
    let b = PLACE_CHARS[(index / n + index % 7 + 1) % n];
    let suffix = ["县", "县", "县", "区", "市"][index % 5];
    // Beyond n² names, a numeral keeps them distinct.
    if index < n * n { format!("{a}{b}{suffix}") } else { format!("{a}{b}{}{suffix}", index / (n * n)) }
}

fn localize(text: &str, place: &str) -> String {
    let mut s = text.to_string();
    for seed_place in SEED_PLACES {
        if s.contains(seed_place) {
            s = s.replace(seed_place, place);
        }
    }
    s
}

/// The synthetic store, bureau by bureau, handed to `sink` one item at a time so that the
/// store is never held in memory next to the index (the memory figures are the index's).
pub(crate) fn national_store(templates: &[Vec<ItemDoc>], mut sink: impl FnMut(ItemDoc)) {
    let mut rng = Rng::new(0x5EED);
    let pool: Vec<&ItemDoc> = templates.iter().flatten().collect();
    for bureau in 0..bureaus() {
        let place = place_name(bureau);
        let bureau_name = format!("{place}医疗保障局");
        let template = &templates[bureau % templates.len()];
        let mut chosen: Vec<&ItemDoc> = template.iter().take(ITEMS_PER_BUREAU).collect();
        while chosen.len() < ITEMS_PER_BUREAU {
            let candidate = pool[rng.below(pool.len())];
            if !chosen.iter().any(|c| c.item_name == candidate.item_name) || chosen.len() >= pool.len() {
                chosen.push(candidate);
            }
        }
        for (k, t) in chosen.into_iter().enumerate() {
            let mut doc = t.clone();
            doc.item_id = (bureau * ITEMS_PER_BUREAU + k) as i64 + 1;
            doc.bureau_id = bureau as i64 + 1;
            doc.bureau_name = bureau_name.clone();
            doc.item_name = localize(&doc.item_name, &place);
            if rng.chance(0.15) {
                doc.item_name = doc.item_name.replace("医疗保险", "医疗保障");
            }
            if rng.chance(0.05) {
                doc.item_name = format!("{place}{}", doc.item_name);
            }
            let office = OFFICES[rng.below(OFFICES.len())];
            for text in doc.stages.iter_mut().chain(doc.clauses.iter_mut()) {
                *text = localize(text, &place);
                if rng.chance(UNIQUE_STAGE_SHARE) {
                    text.push_str(&format!("（由{bureau_name}{office}具体承办）"));
                }
            }
            doc.legal_basis = localize(&doc.legal_basis, &place);
            if rng.chance(UNIQUE_BASIS_SHARE) {
                doc.legal_basis.push_str(&format!("（{place}实施细则另行规定）"));
            }
            sink(doc);
        }
    }
}

/// A query mix like the portal's: two-, three- and longer terms, several terms, filters,
/// and substrings of random indexed text.
pub(crate) fn query_mix(templates: &[Vec<ItemDoc>], count: usize) -> Vec<Query> {
    let docs: Vec<&ItemDoc> = templates.iter().flatten().collect();
    const TWO: &[&str] = &[
        "医保", "罚款", "立案", "稽核", "基金", "处罚", "登记", "报销", "备案", "检查", "药品", "救助",
        "告知", "送达", "封存",
    ];
    const THREE: &[&str] =
        &["医保局", "定点医", "参保人", "监督检", "医疗费", "慢特病", "执法人", "生育险", "骗取医"];
    const LONG: &[&str] = &[
        "社会保险法",
        "定点医药机构",
        "骗取医保基金",
        "医疗保障基金使用监督管理条例",
        "门诊费用报销",
        "第八十七条",
        "异地就医备案",
        "责令退回",
    ];
    const MULTI: &[&str] = &["医保 罚款", "定点 处罚", "立案 调查", "基金 监督检查", "药品 价格 监测"];
    let mut rng = Rng::new(0x0E7);
    let mut out = Vec::with_capacity(count);
    for k in 0..count {
        let q = match k % 6 {
            0 => TWO[rng.below(TWO.len())].to_string(),
            1 => THREE[rng.below(THREE.len())].to_string(),
            2 => LONG[rng.below(LONG.len())].to_string(),
            3 => MULTI[rng.below(MULTI.len())].to_string(),
            _ => {
                let doc = &docs[rng.below(docs.len())];
                let text: Vec<char> = match rng.below(3) {
                    0 => doc.item_name.chars().collect(),
                    1 => doc.stages.first().map(|s| s.chars().collect()).unwrap_or_default(),
                    _ => doc.legal_basis.chars().collect(),
                };
                let len = 2 + rng.below(5);
                let start = rng.below(text.len().saturating_sub(len).max(1));
                text.iter().skip(start).take(len).collect()
            }
        };
        let mut query = Query::text(&q);
        match rng.below(5) {
            0 => query.category = Some(Category::Penalty),
            1 => query.bureau = Some(rng.below(bureaus()) as i64 + 1),
            2 if k % 3 == 0 => {
                query.statute = Some("社会保险法".into());
                query.article = Some(87);
            }
            _ => {}
        }
        out.push(query);
    }
    out
}

/// Resident set size of this process in bytes (Linux), for the memory report.
pub(crate) fn rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
