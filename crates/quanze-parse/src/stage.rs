//! Stages in 责任事项 cells: "1.立案责任：…", "（二）调查阶段责任:…", "立案责任（立案岗）：…".

use quanze_model::{Stage, StageKind};

/// Split a 责任事项 cell into stages. Text before the first stage marker (a heading such
/// as 直接实施责任:) is not a stage; the caller keeps the whole cell text.
pub fn parse_stages(_cell: &str) -> Vec<Stage> {
    Vec::new()
}

/// The canonical kind of a stage name (立案 → Filing).
pub fn stage_kind(_name: &str) -> StageKind {
    StageKind::Other
}
