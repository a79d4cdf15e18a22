//! `import_bytes` on raw bytes: every input, text or binary or a broken xlsx, must give
//! `Ok` or `Err`, never a panic. The bytes go in unchanged (so the seed lists in the
//! corpus are read as published); the file name is chosen from the input so that odd
//! names (paths, backslashes, empty, non-ASCII, trailing separators) are exercised too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use quanze_import::{ImportOptions, import_bytes};

const NAMES: &[&str] = &[
    "list.txt",
    "权责清单.xlsx",
    "",
    "/",
    "\\",
    "dir/sub/权责清单.csv",
    "C:\\lists\\清单.txt",
    "a/b\\c/",
    "..",
    "名称\u{3000}with spaces and \u{0} nul.txt",
];

fuzz_target!(|data: &[u8]| {
    // The last byte picks the name; the name never consumes input bytes.
    let pick = data.last().copied().unwrap_or(0) as usize;
    let name = NAMES[pick % NAMES.len()];
    let _ = import_bytes(name, data, &ImportOptions::default());
});
