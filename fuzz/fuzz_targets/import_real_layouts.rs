//! `import_bytes` on the real-world lists of tests/fixtures/real with a fuzzed splice: the
//! layouts bureaus publish (run-together cells, cell-per-line pipes, mirror text, prose
//! forms) reach their readers from the first input, and each mutation breaks one of them
//! somewhere. Input: byte 0 picks the list, bytes 1-2 where the splice starts, byte 3 how
//! many of the list's bytes it replaces; the rest is spliced in.
#![no_main]

use libfuzzer_sys::fuzz_target;
use quanze_import::{ImportOptions, import_bytes};

const LISTS: &[&[u8]] = &[
    include_bytes!("../../crates/quanze-import/tests/fixtures/real/beijing-health-rowspan-shifted.txt"),
    include_bytes!(
        "../../crates/quanze-import/tests/fixtures/real/beijing-random-inspection-sample-run-together.txt"
    ),
    include_bytes!("../../crates/quanze-import/tests/fixtures/real/bingtuan-health-random-inspection.txt"),
    include_bytes!("../../crates/quanze-import/tests/fixtures/real/chenxi-mirror-enterprise-inspection.txt"),
    include_bytes!("../../crates/quanze-import/tests/fixtures/real/chuzhou-mirror-random-inspection.txt"),
    include_bytes!(
        "../../crates/quanze-import/tests/fixtures/real/fenyang-random-inspection-shared-rows.txt"
    ),
    include_bytes!("../../crates/quanze-import/tests/fixtures/real/guangzhou-mirror-traditional-pinyin.txt"),
    include_bytes!("../../crates/quanze-import/tests/fixtures/real/jianping-run-together-main-sub.txt"),
    include_bytes!("../../crates/quanze-import/tests/fixtures/real/jilin-social-insurance-line-per-cell.txt"),
    include_bytes!("../../crates/quanze-import/tests/fixtures/real/jiyuan-run-together-inspection.txt"),
    include_bytes!("../../crates/quanze-import/tests/fixtures/real/land-resources-key-value-form.txt"),
    include_bytes!("../../crates/quanze-import/tests/fixtures/real/lushan-line-per-cell.txt"),
    include_bytes!("../../crates/quanze-import/tests/fixtures/real/nanchuan-exemption-line-per-cell.txt"),
    include_bytes!("../../crates/quanze-import/tests/fixtures/real/ningqiang-mirror-enforcement-subject.txt"),
    include_bytes!("../../crates/quanze-import/tests/fixtures/real/ordos-pipe-wrapped-header.txt"),
    include_bytes!("../../crates/quanze-import/tests/fixtures/real/qingtongxia-hrss-run-together.txt"),
    include_bytes!("../../crates/quanze-import/tests/fixtures/real/wuxi-space-separated.txt"),
    include_bytes!("../../crates/quanze-import/tests/fixtures/real/xianning-legal-review-catalogue.txt"),
    include_bytes!("../../crates/quanze-import/tests/fixtures/real/xiji-hrss-pipe-main-sub.txt"),
    include_bytes!("../../crates/quanze-import/tests/fixtures/real/xinjiang-mirror-random-inspection.txt"),
];

fuzz_target!(|data: &[u8]| {
    let [pick, lo, hi, cut, splice @ ..] = data else { return };
    let list = LISTS[usize::from(*pick) % LISTS.len()];
    let at = usize::from(u16::from_le_bytes([*lo, *hi])) % (list.len() + 1);
    let end = (at + usize::from(*cut)).min(list.len());
    let mut bytes = Vec::with_capacity(list.len() + splice.len());
    bytes.extend_from_slice(&list[..at]);
    bytes.extend_from_slice(splice);
    bytes.extend_from_slice(&list[end..]);
    let _ = import_bytes("real.txt", &bytes, &ImportOptions::default());
});
