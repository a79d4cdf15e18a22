//! `import_bytes` on a tab/newline-heavy text under a header line with known columns
//! (序号, 权力类型, 事项名称, 实施依据, 责任事项, 追责情形), so that most inputs get past
//! decoding and header detection and reach the table readers, the row assembler and the
//! cell parsers.
//!
//! Mapping: tab, newline and carriage return stay themselves; every other control byte
//! (0x00-0x1F) is an escape whose next byte picks a piece of table text (a separator run,
//! a serial, a type label, a header word, a citation, a stage, an HTML fragment...), so a
//! one-byte mutation inserts a whole token; all other bytes are decoded as UTF-8 (lossily).
//! A seed list from data/seeds therefore goes through unchanged, under the extra header.
#![no_main]

use libfuzzer_sys::fuzz_target;
use quanze_import::{ImportOptions, import_bytes};

const HEADER: &str = "序号\t权力类型\t事项名称\t实施依据\t责任事项\t追责情形\n";

/// Pieces of text that the table code looks at.
const PIECES: &[&str] = &[
    "\t",
    "\t\t",
    "\t\t\t",
    "\n",
    "\n\n",
    "\r\n",
    "\n\t",
    "\t\n",
    " ",
    "\u{3000}",
    "1",
    "2",
    "10",
    "999999999999999999999",
    "(一)",
    "（二）",
    "1.",
    "2、",
    "一、",
    "-",
    "—",
    "行政处罚",
    "行政许可",
    "行政检查",
    "行政强制",
    "行政确认",
    "行政奖励",
    "行政裁决",
    "行政给付",
    "其他行政权力",
    "公共服务",
    "序号",
    "权力类型",
    "事项名称",
    "权力事项",
    "子项",
    "实施依据",
    "责任事项",
    "追责情形",
    "备注",
    "项目",
    "子项名称",
    "行政主体",
    "实施主体",
    "承办机构",
    "行使层级",
    "地方权力编码",
    "受理条件",
    "法定期限",
    "服务电话",
    "服务地点",
    "服务机构",
    "责任人员",
    "《社会保险法》",
    "《中华人民共和国社会保险法》",
    "《医疗保障基金使用监督管理条例》",
    "第八十四条",
    "第一款",
    "第（二）项",
    "第一百零一条",
    "【法律】",
    "【行政法规】",
    "【部门规章】",
    "1.受理责任：",
    "2.审查责任（岗）：",
    "3.决定责任：",
    "岗",
    "：",
    ":",
    "；",
    "，",
    ",",
    "|",
    "\"",
    "、",
    "。",
    "<p>",
    "</p>",
    "<ol><li>",
    "</li></ol>",
    "&nbsp;",
    "<br/>",
    "&amp;",
    "<",
    ">",
    "&",
    "医疗保障局",
    "邢台市襄都区医疗保障局权责清单（2025年版）",
    "单位：",
    "（共7类、45项）",
    "年版",
    "2025",
    "對",
    "醫療保障局",
    "處罰",
    "檢查",
    "權力類型",
    "責任事項",
    "０",
    "１",
    "２",
    "（",
    "）",
    "(",
    ")",
    "【",
    "】",
    "\u{feff}",
    "\u{200b}",
];

fuzz_target!(|data: &[u8]| {
    let mut bytes = Vec::with_capacity(HEADER.len() + data.len() * 2);
    bytes.extend_from_slice(HEADER.as_bytes());
    let mut i = 0;
    while i < data.len() {
        let b = data[i];
        i += 1;
        match b {
            b'\t' | b'\n' | b'\r' => bytes.push(b),
            0x00..=0x1F => {
                let next = data.get(i).copied().unwrap_or(0);
                i += 1;
                let k = (usize::from(b) << 8 | usize::from(next)) % PIECES.len();
                bytes.extend_from_slice(PIECES[k].as_bytes());
            }
            _ => bytes.push(b),
        }
    }
    let text = String::from_utf8_lossy(&bytes);
    let _ = import_bytes("table.txt", text.as_bytes(), &ImportOptions::default());
});
