//! Labels of statute provisions as statutes and notices write them: 第八十七条第二款第（三）项,
//! and the citation label 《社会保险法》第八十七条.
//!
//! Items are written in parentheses (第（三）项), the form statutes print and the citation
//! checks quote.

use crate::numeral::to_chinese;

/// 第八十七条 for 87.
pub fn article_label(article: u32) -> String {
    format!("第{}条", to_chinese(article))
}

/// 第二款 for 2.
pub fn paragraph_label(paragraph: u32) -> String {
    format!("第{}款", to_chinese(paragraph))
}

/// 第（三）项 for 3.
pub fn item_label(item: u32) -> String {
    format!("第（{}）项", to_chinese(item))
}

/// 第X条第Y款第（Z）项 with whichever parts are given, in that order; empty when none is.
pub fn provision_label(article: Option<u32>, paragraph: Option<u32>, item: Option<u32>) -> String {
    let mut out = String::new();
    if let Some(a) = article {
        out.push_str(&article_label(a));
    }
    if let Some(p) = paragraph {
        out.push_str(&paragraph_label(p));
    }
    if let Some(i) = item {
        out.push_str(&item_label(i));
    }
    out
}

/// 《T》第X条第Y款第（Z）项: a citation as a finding or an explanation names it. The title is
/// written as given (the caller chooses the short or the full title).
pub fn citation_label(
    title: &str,
    article: Option<u32>,
    paragraph: Option<u32>,
    item: Option<u32>,
) -> String {
    format!("《{title}》{}", provision_label(article, paragraph, item))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_read_as_statutes_write_them() {
        assert_eq!(article_label(87), "第八十七条");
        assert_eq!(article_label(10), "第十条");
        assert_eq!(article_label(110), "第一百一十条");
        assert_eq!(paragraph_label(2), "第二款");
        assert_eq!(item_label(3), "第（三）项");
        assert_eq!(provision_label(Some(29), Some(1), Some(2)), "第二十九条第一款第（二）项");
        assert_eq!(provision_label(None, None, None), "");
        assert_eq!(
            citation_label("医疗保障基金使用监督管理条例", Some(38), Some(1), None),
            "《医疗保障基金使用监督管理条例》第三十八条第一款"
        );
        assert_eq!(citation_label("社会保险法", None, None, None), "《社会保险法》");
    }
}
