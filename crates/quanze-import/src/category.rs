//! The category an item's name states (its 权力类型 read from the name): used when a row has
//! no type column and to check a declared type. A leaf, below the assembler and the
//! validator, which both read it.

use quanze_model::Category;

/// The category an item's name clearly states, if it states one.
///
/// Only unmistakable words count. Names that begin with 对 describe conduct to act on
/// (对用人单位不办理…登记), so words like 登记 in them say nothing about the type.
pub fn infer_category(name: &str) -> Option<Category> {
    let n = name.trim();
    if n.ends_with("处罚") || n.contains("的处罚") || n.contains("行政处罚") {
        return Some(Category::Penalty);
    }
    if ["封存", "查封", "扣押", "冻结"].iter().any(|k| n.contains(k)) {
        return Some(Category::Coercion);
    }
    if n.contains("奖励") {
        return Some(Category::Reward);
    }
    if ["监督检查", "稽核", "检查"].iter().any(|k| n.contains(k)) {
        return Some(Category::Inspection);
    }
    if n.starts_with('对') {
        return None;
    }
    if n.contains("备案") {
        return Some(Category::Filing);
    }
    if ["登记", "认定", "核定", "确认"].iter().any(|k| n.contains(k)) {
        return Some(Category::Confirmation);
    }
    if ["支付", "给付", "报销", "补贴", "津贴", "结算", "安葬费"].iter().any(|k| n.contains(k))
    {
        return Some(Category::Payment);
    }
    None
}
