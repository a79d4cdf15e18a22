//! The law pages: `/statutes`, `/statutes/{id}`, `/statutes/{id}/articles/{n}` and
//! `/calculator` (a GET form: it changes nothing, so it carries no CSRF token). Templates in
//! `templates/law/`.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use quanze_law::{
    CiteStatus, Condition, Party, PenaltyQuery, PenaltyResult, StatuteEdition, compute, format_yuan,
    parse_yuan, registry,
};
use quanze_model::Date;

use super::service::{
    MAX_TITLE_CHARS, ParaView, article_label, article_url, calc_url, date_str, find_statute, law_error_zh,
    law_status, paras, parse_article_ref, ratio_words, sanction_articles, sanction_statutes, statute_url,
    suggestion,
};
use crate::http::access::{Access, Action};
use crate::http::error::{ApiError, PageError};
use crate::http::viewer::Viewer;
use crate::http::zh;
use crate::state::AppState;

// ---------- portal: statutes ----------

struct StatuteRow {
    url: String,
    full_title: String,
    id: String,
    level: &'static str,
    dates: String,
    dates_unverified: bool,
    full_text: bool,
    articles: String,
    sanctions: usize,
    in_force: bool,
}

#[derive(Template)]
#[template(path = "law/statutes.html")]
struct StatutesPage {
    rows: Vec<StatuteRow>,
}

fn dates_words(e: &StatuteEdition) -> String {
    let mut parts = Vec::new();
    if let Some(d) = e.promulgated {
        parts.push(format!("{d} 公布"));
    }
    if let Some(d) = e.effective {
        parts.push(format!("{d} 施行"));
    }
    if let Some(d) = e.superseded {
        parts.push(format!("{d} 起被取代"));
    }
    if parts.is_empty() { "日期未登记".into() } else { parts.join("，") }
}

pub(super) async fn statutes_page(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Response, PageError> {
    Access::check(&viewer, Action::ReadPublic).map_err(ApiError::from)?;
    let now = state.today();
    let rows = registry()
        .editions
        .iter()
        .map(|e| StatuteRow {
            url: statute_url(e),
            full_title: e.full_title.clone(),
            id: e.id.clone(),
            level: e.level.label(),
            dates: dates_words(e),
            dates_unverified: e.dates_unverified,
            full_text: e.full_text,
            articles: match e.article_count() {
                Some(c) => format!("全文 {c} 条"),
                None if e.articles.is_empty() => "仅登记名称".into(),
                None => format!("仅收录清单引用 {} 条", e.articles.len()),
            },
            sanctions: sanction_articles(&e.title).len(),
            in_force: e.in_force_on(now),
        })
        .collect();
    page(&StatutesPage { rows })
}

struct ArticleView {
    number: u32,
    label: String,
    /// The chapter heading, when it differs from the previous article's.
    chapter: String,
    url: String,
    paras: Vec<ParaView>,
    quotes: Vec<(String, String)>,
    calc_url: String,
}

fn article_view(
    e: &StatuteEdition,
    a: &quanze_law::Article,
    prev_chapter: &mut Option<String>,
) -> ArticleView {
    let chapter = if a.chapter != *prev_chapter {
        *prev_chapter = a.chapter.clone();
        a.chapter.clone().unwrap_or_default()
    } else {
        String::new()
    };
    let sanction = sanction_articles(&e.title).contains(&a.number);
    ArticleView {
        number: a.number,
        label: if a.label.is_empty() { article_label(a.number) } else { a.label.clone() },
        chapter,
        url: article_url(e, a.number),
        paras: paras(a, None),
        quotes: a.quotes.iter().map(|q| (q.text.clone(), q.sources.join("、"))).collect(),
        calc_url: if sanction { calc_url(&e.title, a.number, None, None) } else { String::new() },
    }
}

#[derive(Template)]
#[template(path = "law/statute.html")]
struct StatutePage {
    title: String,
    full_title: String,
    statute_url: String,
    id: String,
    facts: Vec<(&'static str, String)>,
    dates_unverified: bool,
    full_text: bool,
    history: Vec<String>,
    notes: Vec<String>,
    other_editions: Vec<(String, String)>,
    /// Set on the page of one article.
    single: bool,
    articles: Vec<ArticleView>,
    prev: String,
    next: String,
}

fn statute_page_data(e: &'static StatuteEdition) -> StatutePage {
    let mut facts: Vec<(&'static str, String)> = vec![("效力级别", e.level.label().to_string())];
    let mut opt = |k: &'static str, v: Option<String>| {
        if let Some(v) = v.filter(|v| !v.trim().is_empty()) {
            facts.push((k, v));
        }
    };
    opt("制定机关", e.issuer.clone());
    opt("文号", e.doc_number.clone());
    opt("公布日期", date_str(e.promulgated));
    opt("施行日期", date_str(e.effective));
    opt("首次施行", date_str(e.first_effective).filter(|_| e.first_effective != e.effective));
    opt("失效/被取代", date_str(e.superseded));
    opt("取代者", e.superseded_by.clone());
    opt("条文", e.article_count().map(|c| format!("{c} 条")));
    let other_editions = registry()
        .editions_of(&e.title)
        .into_iter()
        .filter(|o| o.id != e.id)
        .map(|o| (statute_url(o), o.id.clone()))
        .collect();
    StatutePage {
        title: e.title.clone(),
        full_title: e.full_title.clone(),
        statute_url: statute_url(e),
        id: e.id.clone(),
        facts,
        dates_unverified: e.dates_unverified,
        full_text: e.full_text,
        history: e.history.clone(),
        notes: e.notes.clone(),
        other_editions,
        single: false,
        articles: Vec::new(),
        prev: String::new(),
        next: String::new(),
    }
}

fn page_statute(id: &str) -> Result<&'static StatuteEdition, ApiError> {
    let reg = registry();
    find_statute(reg, id).ok_or_else(|| {
        let hint = suggestion(reg, id).map(|s| format!("是否指《{s}》？")).unwrap_or_default();
        ApiError::not_found(format!("法规库中没有“{id}”。{hint}"))
    })
}

pub(super) async fn statute_page(viewer: Viewer, Path(id): Path<String>) -> Result<Response, PageError> {
    Access::check(&viewer, Action::ReadPublic).map_err(ApiError::from)?;
    let e = page_statute(&id)?;
    let mut p = statute_page_data(e);
    let mut prev = None;
    p.articles = e.articles.iter().map(|a| article_view(e, a, &mut prev)).collect();
    page(&p)
}

pub(super) async fn article_page(
    viewer: Viewer,
    Path((id, n)): Path<(String, String)>,
) -> Result<Response, PageError> {
    Access::check(&viewer, Action::ReadPublic).map_err(ApiError::from)?;
    let e = page_statute(&id)?;
    let num = parse_article_ref(&n)
        .ok_or_else(|| ApiError::bad_request(format!("条号应为数字或“第…条”，而不是“{n}”。")))?;
    let Some(pos) = e.articles.iter().position(|a| a.number == num) else {
        let why = match e.article_count() {
            Some(c) => format!("该法规共 {c} 条。"),
            None => "法规库未收录该法规的全文，也没有清单引用这一条。".into(),
        };
        return Err(ApiError::not_found(format!("《{}》没有{}。{why}", e.title, article_label(num))).into());
    };
    let mut p = statute_page_data(e);
    p.single = true;
    let mut prev = None;
    p.articles = vec![article_view(e, &e.articles[pos], &mut prev)];
    if let Some(a) = pos.checked_sub(1).and_then(|i| e.articles.get(i)) {
        p.prev = article_url(e, a.number);
    }
    if let Some(a) = e.articles.get(pos + 1) {
        p.next = article_url(e, a.number);
    }
    page(&p)
}

fn page(t: &impl Template) -> Result<Response, PageError> {
    let body = t.render().map_err(ApiError::internal)?;
    Ok(Html(body).into_response())
}

// ---------- portal: calculator ----------

struct Opt {
    value: String,
    label: String,
    selected: bool,
}

struct CondOpt {
    id: &'static str,
    label: &'static str,
    checked: bool,
}

struct HintRow {
    title: String,
    links: Vec<(String, String)>,
}

struct LineView {
    who: String,
    formula: String,
    range: String,
    applies: bool,
    condition: String,
    cite: String,
}

struct MeasureView {
    kind: &'static str,
    text: String,
    applies: bool,
    condition: String,
    amount: String,
    cite: String,
}

struct ProcView {
    name: &'static str,
    verdict: String,
    reason: String,
    cite: String,
    local: bool,
    unverified: bool,
}

struct CiteView {
    label: String,
    status: String,
    status_label: &'static str,
    url: String,
}

struct ResultView {
    heading: String,
    edition: String,
    date: String,
    party: &'static str,
    liable: String,
    behaviour: String,
    base: String,
    fine_applies: bool,
    range: String,
    bands: Vec<(String, String)>,
    fines: Vec<LineView>,
    measures: Vec<MeasureView>,
    late_fee: String,
    procedure: Vec<ProcView>,
    payment_days: u32,
    surcharge: String,
    limitation: String,
    limitation_unverified: bool,
    citations: Vec<CiteView>,
    explanation: Vec<String>,
    unverified: bool,
    config_name: String,
    config_source: String,
    text: String,
}

#[derive(Template)]
#[template(path = "law/calculator.html")]
struct CalculatorPage {
    statutes: Vec<Opt>,
    article: String,
    paragraph: String,
    base: String,
    individual: bool,
    date: String,
    fine: String,
    days_overdue: String,
    act_date: String,
    conditions: Vec<CondOpt>,
    /// Whether the "more" part of the form holds values (shown open).
    more_open: bool,
    hints: Vec<HintRow>,
    error: String,
    result: Option<ResultView>,
}

fn status_label(s: CiteStatus) -> &'static str {
    match s {
        CiteStatus::Verified => "已核对全文",
        CiteStatus::Local => "地方配置，可修改",
        CiteStatus::Unverified => "未核实（UNVERIFIED），可配置",
    }
}

fn cite_view(c: &quanze_law::Cite) -> CiteView {
    let reg = registry();
    let url = match (c.status, c.edition.as_deref().and_then(|id| reg.by_id(id))) {
        (CiteStatus::Local, _) | (_, None) => String::new(),
        (_, Some(e)) if c.article > 0 && e.article(c.article).is_some() => article_url(e, c.article),
        (_, Some(e)) => statute_url(e),
    };
    CiteView {
        label: c.label.clone(),
        status: c.status.as_str().into(),
        status_label: status_label(c.status),
        url,
    }
}

fn verdict_words(v: quanze_law::Verdict, t: Option<i64>) -> String {
    use quanze_law::Verdict;
    let t = t.map(format_yuan).unwrap_or_default();
    match v {
        Verdict::Yes => "是".into(),
        Verdict::No => "否".into(),
        Verdict::IfFineAtMost => format!("罚款不超过{t}时是"),
        Verdict::IfFineAtLeast => format!("罚款达到{t}时是"),
        Verdict::NotApplicable => "不适用（无罚款）".into(),
    }
}

fn result_view(r: &PenaltyResult) -> ResultView {
    let para = r.paragraph.map(|p| format!("第{}款", zh::numeral(p))).unwrap_or_default();
    let full = registry().current(&r.statute).map_or_else(|| r.statute.clone(), |e| e.full_title.clone());
    let proc_view = |name: &'static str, p: &quanze_law::ProcedureCheck| ProcView {
        name,
        verdict: verdict_words(p.verdict, p.threshold_fen),
        reason: p.reason.clone(),
        cite: p.citation.label.clone(),
        local: p.local,
        unverified: p.unverified,
    };
    let pr = &r.procedure;
    let lim = &pr.limitation;
    ResultView {
        heading: format!("《{full}》{}{para}", article_label(r.article)),
        edition: r.edition.clone().unwrap_or_default(),
        date: r.date.to_string(),
        party: r.party.label(),
        liable: r.liable.clone(),
        behaviour: r.behaviour.clone(),
        base: match (&r.base_kind, r.base_amount_fen) {
            (Some(k), Some(b)) => format!("{k}：{}", format_yuan(b)),
            (None, Some(b)) => format!("基数：{}", format_yuan(b)),
            _ => String::new(),
        },
        fine_applies: r.fine_applies,
        range: format!("{} 至 {}", format_yuan(r.min_fen), format_yuan(r.max_fen)),
        bands: r
            .bands
            .iter()
            .map(|b| (b.name.clone(), format!("{} 至 {}", format_yuan(b.min_fen), format_yuan(b.max_fen))))
            .collect(),
        fines: r
            .fines
            .iter()
            .map(|f| LineView {
                who: f.target.label().into(),
                formula: f.formula.clone(),
                range: if f.applies {
                    format!("{} 至 {}", format_yuan(f.min_fen), format_yuan(f.max_fen))
                } else {
                    String::new()
                },
                applies: f.applies,
                condition: f.condition.clone().unwrap_or_default(),
                cite: f.citation.label.clone(),
            })
            .collect(),
        measures: r
            .measures
            .iter()
            .map(|m| MeasureView {
                kind: m.kind.label(),
                text: m.text.clone(),
                applies: m.applies,
                condition: m.condition.clone().unwrap_or_default(),
                amount: m.amount_fen.map(format_yuan).unwrap_or_default(),
                cite: m.citation.label.clone(),
            })
            .collect(),
        late_fee: r
            .late_fee
            .as_ref()
            .map(|l| {
                format!(
                    "{} × {} × {}日 = {}",
                    format_yuan(l.base_fen),
                    ratio_words(&l.rate),
                    l.days,
                    format_yuan(l.amount_fen)
                )
            })
            .unwrap_or_default(),
        procedure: vec![
            proc_view("简易程序（当场作出决定）", &pr.simple_procedure),
            proc_view("当场收缴罚款", &pr.on_the_spot_collection),
            proc_view("告知听证权利", &pr.hearing),
            proc_view("法制审核", &pr.legal_review),
        ],
        payment_days: pr.payment_days,
        surcharge: pr
            .surcharge
            .as_ref()
            .map(|s| {
                format!(
                    "罚款 {} 逾期 {} 日，每日按 {} 加处罚款，计 {}{}{}",
                    format_yuan(s.fine_fen),
                    s.days,
                    ratio_words(&s.rate),
                    format_yuan(s.amount_fen),
                    if s.capped { "（以罚款数额为限）" } else { "" },
                    if s.unverified { "（含未核实数值）" } else { "" }
                )
            })
            .unwrap_or_default(),
        limitation: match (lim.act_date, lim.last_day) {
            (Some(a), Some(l)) => format!(
                "{} 年：自 {a} 起算，至 {l}（含）届满{}",
                lim.years,
                match lim.expired {
                    Some(true) => "；已超过时效，不再给予行政处罚",
                    Some(false) => "；在时效内",
                    None => "",
                }
            ),
            _ => format!("{} 年，自违法行为发生之日（连续或继续状态的，自行为终了之日）起计算", lim.years),
        } + &format!("（{}）", lim.citation.label),
        limitation_unverified: lim.unverified,
        citations: r.citations.iter().map(cite_view).collect(),
        explanation: r.explanation.clone(),
        unverified: r.unverified,
        config_name: r.config.name.clone(),
        config_source: r.config.source.clone(),
        text: quanze_law::render_text(r),
    }
}

pub(super) async fn calculator_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    if let Err(d) = Access::check(&viewer, Action::ReadPublic) {
        return PageError(d.into()).into_response();
    }
    let today = state.today();
    let get = |k: &str| {
        pairs.iter().rev().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_string()).unwrap_or_default()
    };
    let checked: Vec<String> =
        pairs.iter().filter(|(k, _)| k == "c").map(|(_, v)| v.trim().to_string()).collect();
    let statute = get("statute");
    let reg = registry();
    let selected_title = reg.canonical_title(&statute).unwrap_or(&statute).to_string();
    let mut page = CalculatorPage {
        statutes: sanction_statutes()
            .into_iter()
            .map(|t| Opt {
                value: t.to_string(),
                label: reg.current(t).map_or_else(|| t.to_string(), |e| e.full_title.clone()),
                selected: t == selected_title,
            })
            .collect(),
        article: get("article"),
        paragraph: get("paragraph"),
        base: get("base"),
        individual: Party::from_id(&get("party")) == Some(Party::Individual),
        date: {
            let d = get("date");
            if d.is_empty() { today.to_string() } else { d }
        },
        fine: get("fine"),
        days_overdue: get("days_overdue"),
        act_date: get("act_date"),
        conditions: Condition::ALL
            .into_iter()
            .map(|c| CondOpt { id: c.id(), label: c.label(), checked: checked.iter().any(|x| x == c.id()) })
            .collect(),
        hints: sanction_statutes()
            .into_iter()
            .map(|t| HintRow {
                title: t.to_string(),
                links: sanction_articles(t)
                    .into_iter()
                    .map(|a| (calc_url(t, a, None, None), article_label(a)))
                    .collect(),
            })
            .collect(),
        more_open: false,
        error: String::new(),
        result: None,
    };
    page.more_open = !(page.fine.is_empty() && page.days_overdue.is_empty() && page.act_date.is_empty())
        || page.conditions.iter().any(|c| c.checked);
    let mut status = StatusCode::OK;
    if !statute.is_empty() || !page.article.is_empty() {
        match calc_query(&statute, &page, &checked, today) {
            Ok(q) => match compute(reg, &q) {
                Ok(r) => page.result = Some(result_view(&r)),
                Err(e) => {
                    status =
                        StatusCode::from_u16(law_status(&e).0).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                    page.error = law_error_zh(&e);
                }
            },
            Err(msg) => {
                status = StatusCode::BAD_REQUEST;
                page.error = msg;
            }
        }
    }
    match page.render() {
        Ok(body) => (status, Html(body)).into_response(),
        Err(e) => PageError::from(ApiError::internal(e)).into_response(),
    }
}

/// The calculator's query from the form, or what is wrong with it (in Chinese).
fn calc_query(
    statute: &str,
    p: &CalculatorPage,
    checked: &[String],
    today: Date,
) -> Result<PenaltyQuery, String> {
    if statute.is_empty() {
        return Err("请选择法规。".into());
    }
    if statute.chars().count() > MAX_TITLE_CHARS {
        return Err("法规名称过长。".into());
    }
    let article = parse_article_ref(&p.article)
        .ok_or_else(|| format!("条号应为数字或“第…条”，而不是“{}”。", p.article))?;
    let paragraph = match p.paragraph.as_str() {
        "" => None,
        s => Some(
            s.parse::<u32>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("款号应为正整数，而不是“{s}”。"))?,
        ),
    };
    let yuan = |what: &str, s: &str| -> Result<Option<i64>, String> {
        if s.is_empty() {
            return Ok(None);
        }
        parse_yuan(s).map(Some).map_err(|e| format!("{what}：{}", law_error_zh(&e)))
    };
    let date = |what: &str, s: &str| -> Result<Option<Date>, String> {
        if s.is_empty() {
            return Ok(None);
        }
        Date::parse(s).map(Some).ok_or_else(|| format!("{what}应为 YYYY-MM-DD 格式的日期，而不是“{s}”。"))
    };
    let mut conditions = Vec::new();
    for c in checked {
        let cond = Condition::from_id(c).ok_or_else(|| format!("未知的情节：“{c}”。"))?;
        if !conditions.contains(&cond) {
            conditions.push(cond);
        }
    }
    let title = registry().by_id(statute).map_or_else(|| statute.to_string(), |e| e.title.clone());
    Ok(PenaltyQuery {
        statute: title,
        article,
        paragraph,
        base_amount_fen: yuan("基数金额", &p.base)?,
        party: if p.individual { Party::Individual } else { Party::Unit },
        date: date("计算日", &p.date)?.unwrap_or(today),
        conditions,
        fine_fen: yuan("拟罚款金额", &p.fine)?,
        days_overdue: match p.days_overdue.as_str() {
            "" => None,
            d => Some(
                d.parse::<u32>()
                    .ok()
                    .filter(|n| *n <= 36_500)
                    .ok_or_else(|| format!("逾期天数应为 0 至 36500 的整数，而不是“{d}”。"))?,
            ),
        },
        act_date: date("违法行为发生日", &p.act_date)?,
        days_owed: None,
        discovered_on: None,
        config: None,
    })
}
