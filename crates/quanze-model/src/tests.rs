use super::*;

#[test]
fn every_code_round_trips_through_its_id_and_json() {
    for code in DiagnosticCode::ALL {
        assert_eq!(DiagnosticCode::from_id(code.as_str()), Some(code));
        let json = serde_json::to_string(&code).unwrap();
        assert_eq!(json, format!("\"{}\"", code.as_str()));
    }
}

#[test]
fn category_labels_with_suffix_and_variants() {
    use category::LabelMatch;
    assert_eq!(Category::from_label("行政处罚"), Some(LabelMatch::Standard(Category::Penalty)));
    assert_eq!(Category::from_label("行政处罚类"), Some(LabelMatch::Standard(Category::Penalty)));
    assert_eq!(Category::from_label("其他类"), Some(LabelMatch::Standard(Category::Other)));
    assert_eq!(Category::from_label("其他行政权力"), Some(LabelMatch::Standard(Category::Other)));
    assert_eq!(Category::from_label("其他职权类"), Some(LabelMatch::Variant(Category::Other)));
    assert_eq!(Category::from_label("其他行政职权"), Some(LabelMatch::Variant(Category::Other)));
    assert_eq!(Category::from_label("行政执行"), None);
    for c in Category::ALL {
        assert_eq!(Category::from_id(c.id()), Some(c));
        assert_eq!(serde_json::to_string(&c).unwrap(), format!("\"{}\"", c.id()));
    }
}

#[test]
fn diagnostic_json_has_exactly_the_contract_keys() {
    let d = Diagnostic::warning(DiagnosticCode::MissingSerial, "m").at_line(Some(3));
    let v = serde_json::to_value(&d).unwrap();
    let mut keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    assert_eq!(keys, ["code", "item", "line", "message", "severity"]);
    assert_eq!(v["item"], serde_json::Value::Null);
    assert_eq!(v["code"], "missing-serial");
}

#[test]
fn deadline_limit_json_is_tagged() {
    let d = DeadlineLimit::Days { days: 15, counting: DayCounting::Working };
    assert_eq!(serde_json::to_string(&d).unwrap(), r#"{"kind":"days","days":15,"counting":"working"}"#);
}
