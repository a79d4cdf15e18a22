//! Scenarios: a legal example written as a TOML file (`docs/scenarios.md`) and played
//! against a real store through [`crate::CaseService`].

pub mod file;
pub mod run;

pub use file::{AlertExpect, At, ItemSelector, PersonSpec, Scenario, ScenarioError, Step, parse_scenario};
pub use run::{RunError, ScenarioReport, find_item, load_list, run, run_with_catalog};

/// Read a scenario file from disk; `list` and `notices` are resolved against its folder.
pub fn read_scenario(path: &std::path::Path) -> Result<Scenario, ScenarioError> {
    const MAX: u64 = 16 * 1024 * 1024;
    let meta = std::fs::metadata(path)
        .map_err(|e| ScenarioError::at(None, format!("无法读取场景文件 {}：{e}", path.display())))?;
    if meta.len() > MAX {
        return Err(ScenarioError::at(None, format!("场景文件 {} 超过 {MAX} 字节", path.display())));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| ScenarioError::at(None, format!("无法读取场景文件 {}：{e}", path.display())))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| ScenarioError::at(None, format!("场景文件 {} 不是 UTF-8 文本", path.display())))?;
    let dir = path.parent().unwrap_or(std::path::Path::new("."));
    parse_scenario(&text, dir)
}
