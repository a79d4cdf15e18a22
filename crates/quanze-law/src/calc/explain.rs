//! The words of a result: an [`Assessment`] rendered into the [`PenaltyResult`] the CLI, the API
//! and the pages show — citation labels, formulas, reasons and the explanation's Chinese lines.
//! Only this module builds text; the figures are the assessment's.

use super::assess::{Assessment, Figures, Outcome, ShareBasis};
use super::procedure::{FigureCheck, LocalCheck};
use super::{
    Band, Cite, CiteStatus, FineLine, LateFee, Limitation, LocalConfig, Measure, PenaltyResult, Procedure,
    ProcedureCheck, Surcharge, Verdict, format_yuan,
};
use crate::registry::Registry;
use crate::sanctions::{Consequence, DatedValue, parse_ratio};
use crate::text::{article_label, cn_number};

/// Citations in the order first used, each once.
struct Citations<'a> {
    reg: &'a Registry,
    list: Vec<Cite>,
}

impl Citations<'_> {
    fn add(&mut self, c: Cite) -> Cite {
        if !self.list.contains(&c) {
            self.list.push(c.clone());
        }
        c
    }

    /// An article (or paragraph) of the current edition of `statute`.
    fn article(&mut self, statute: &str, article: u32, paragraph: Option<u32>, status: CiteStatus) -> Cite {
        let ed = self.reg.current(statute);
        let full = ed.map_or(statute, |e| e.full_title.as_str());
        let mut label = format!("《{full}》{}", article_label(article));
        if let Some(p) = paragraph {
            label.push_str(&format!("第{}款", cn_number(p)));
        }
        self.add(Cite {
            statute: statute.to_string(),
            article,
            paragraph,
            edition: ed.map(|e| e.id.clone()),
            label,
            status,
        })
    }

    fn local(&mut self, config: &LocalConfig) -> Cite {
        self.add(Cite {
            statute: config.name.clone(),
            article: 0,
            paragraph: None,
            edition: None,
            label: config.source.clone(),
            status: CiteStatus::Local,
        })
    }

    /// The article a dated figure comes from, with its edition when not the current one.
    fn figure(&mut self, v: &DatedValue) -> Cite {
        let id = format!("{}({})", v.statute, v.edition);
        let full = self.reg.by_id(&id).map_or(v.statute.as_str(), |e| e.full_title.as_str());
        let current = self.reg.current(&v.statute).is_some_and(|e| e.id == id);
        let label = if current {
            format!("《{full}》{}", article_label(v.article))
        } else {
            format!("《{full}》（{}版）{}", v.edition, article_label(v.article))
        };
        self.add(Cite {
            statute: v.statute.clone(),
            article: v.article,
            paragraph: None,
            edition: Some(id),
            label,
            status: v.status.into(),
        })
    }
}

/// The worded result of an assessment: what [`compute`](super::compute) returns.
pub fn explain(reg: &Registry, a: &Assessment<'_>) -> PenaltyResult {
    let q = a.query;
    let date = a.date;
    let edition = a.edition;
    let first = a.sanction();
    let title = &edition.title;
    let mut cites = Citations { reg, list: Vec::new() };
    let mut expl: Vec<String> = Vec::with_capacity(16);
    if a.older_text {
        expl.push(format!(
            "注意：{date} 适用的是《{}》此前的版本，其文本未收录；按{}起施行的版本计算（未核实）。",
            edition.full_title,
            edition.effective.map(|d| d.to_string()).unwrap_or_default()
        ));
    }
    if a.inferred.loss_caused {
        expl.push("损失金额大于零，视为“造成基金损失”。".into());
    }
    if a.inferred.bid_won {
        expl.push("给出了中标项目金额，视为“中标”。".into());
    }
    let head = cites.article(title, q.article, q.paragraph, CiteStatus::Verified);
    expl.push(format!(
        "依据{}：{}（{}）。计算日 {date}，适用版本 {}。",
        head.label, first.behaviour, first.liable, edition.id
    ));
    if let (Some(b), Some(kind)) = (a.base, first.base.as_deref()) {
        expl.push(format!("{kind}：{}。", format_yuan(b)));
    }

    let mut fines = Vec::new();
    let mut measures = Vec::new();
    let mut late_fee = None;
    for o in &a.outcomes {
        let cite = cites.article(
            title,
            o.sanction.article,
            o.component.paragraph.or(o.sanction.paragraph),
            CiteStatus::Verified,
        );
        if o.is_fine() {
            fines.push(fine_line(o, cite));
        } else {
            if let Some(l) = a.late_fee.filter(|l| std::ptr::eq(l.component, o.component)) {
                late_fee = Some(LateFee {
                    base_fen: l.base_fen,
                    days: l.days,
                    rate: l.rate.to_string(),
                    amount_fen: l.amount_fen,
                    citation: cite.clone(),
                });
            }
            measures.push(measure(o, cite));
        }
    }
    for f in &fines {
        let who = f.target.label();
        if f.applies {
            expl.push(format!(
                "罚款（{who}）：{} → {}至{}（{}）。",
                f.formula,
                format_yuan(f.min_fen),
                format_yuan(f.max_fen),
                f.citation.label
            ));
        } else {
            expl.push(format!(
                "罚款（{who}）不适用：须{}（{}）。",
                f.condition.as_deref().unwrap_or("满足法定条件"),
                f.citation.label
            ));
        }
    }
    for m in &measures {
        let mut line = String::new();
        line.push_str(if m.applies { "措施：" } else { "措施不适用（条件未满足）：" });
        line.push_str(&m.text);
        if let Some(amount) = m.amount_fen {
            line.push_str(&format!("（{}）", format_yuan(amount)));
        }
        if let Some(c) = m.condition.as_ref().filter(|_| !m.applies) {
            line.push_str(&format!("；须{c}"));
        }
        line.push_str(&format!("（{}）。", m.citation.label));
        expl.push(line);
    }
    if let Some(l) = &late_fee {
        expl.push(format!(
            "滞纳金：{} × {} × {}日 = {}（向下取整到分，法律未规定上限；{}）。",
            format_yuan(l.base_fen),
            ratio_words(&l.rate),
            l.days,
            format_yuan(l.amount_fen),
            l.citation.label
        ));
    }

    let (fine_applies, min_fen, max_fen) = match a.fine {
        Some((lo, hi)) => (true, lo, hi),
        None => (false, 0, 0),
    };
    let config = a.config;
    let mut bands = Vec::new();
    if let Some((c1, c2)) = a.band_cuts {
        for (name, lo, hi) in [("从轻", min_fen, c1), ("一般", c1, c2), ("从重", c2, max_fen)] {
            bands.push(Band { name: name.into(), min_fen: lo, max_fen: hi });
        }
        let whose = if config.band_cuts == LocalConfig::default().band_cuts {
            "默认三等分，可按省配置".to_string()
        } else {
            format!("配置：{}", config.name)
        };
        expl.push(format!(
            "裁量档次（{whose}，按幅度 {}/{}、{}/{} 切分，向下取整到分）：{}。",
            config.band_cuts[0][0],
            config.band_cuts[0][1],
            config.band_cuts[1][0],
            config.band_cuts[1][1],
            bands
                .iter()
                .map(|b| format!("{} {}至{}", b.name, format_yuan(b.min_fen), format_yuan(b.max_fen)))
                .collect::<Vec<_>>()
                .join("；")
        ));
    }

    let procedure = procedure(a, &mut cites, &mut expl);
    if a.unverified {
        expl.push("本结果使用了未核实（UNVERIFIED）或地方配置的数值，见各引用的 status。".into());
    }
    PenaltyResult {
        statute: title.clone(),
        edition: Some(edition.id.clone()),
        article: q.article,
        paragraph: q.paragraph,
        date,
        party: q.party,
        liable: first.liable.clone(),
        behaviour: first.behaviour.clone(),
        base_kind: first.base.clone(),
        base_amount_fen: a.base,
        fine_applies,
        min_fen,
        max_fen,
        bands,
        fines,
        measures,
        late_fee,
        procedure,
        citations: cites.list,
        explanation: expl,
        unverified: a.unverified,
        config: config.clone(),
    }
}

fn fine_line(o: &Outcome<'_>, citation: Cite) -> FineLine {
    let c = o.component;
    let (min_fen, max_fen) = o.range();
    let pair = || match &c.consequence {
        Consequence::FineRatio { min, max } | Consequence::FineShare { min, max } => {
            ratio_pair_words(&min.text, &max.text)
        }
        _ => String::new(),
    };
    let formula = match o.figures {
        Figures::FineRatio { base, .. } => {
            let kind = o.sanction.base.as_deref().unwrap_or("基数");
            match base {
                Some(b) => format!("{kind} {} × {}", format_yuan(b), pair()),
                None => format!("{kind} × {}", pair()),
            }
        }
        Figures::FineFixed { .. } => "法定幅度".into(),
        Figures::FineShare { basis, .. } => {
            let basis = match basis {
                ShareBasis::Decided(f) => format!("对单位罚款 {}", format_yuan(f)),
                ShareBasis::Range(lo, hi) => {
                    format!("对单位罚款（{}至{}）", format_yuan(lo), format_yuan(hi))
                }
                ShareBasis::None => "对单位罚款".into(),
            };
            format!("{basis} × {}", pair())
        }
        Figures::Measure { .. } => String::new(),
    };
    FineLine {
        target: c.target,
        min_fen,
        max_fen,
        formula,
        applies: o.applies,
        condition: c.condition_text(),
        citation,
    }
}

fn measure(o: &Outcome<'_>, citation: Cite) -> Measure {
    let c = o.component;
    let amount_fen = match o.figures {
        Figures::Measure { amount_fen } => amount_fen,
        _ => None,
    };
    let (mut min_months, mut max_months, mut years, mut min_years, mut max_years) =
        (None, None, None, None, None);
    match &c.consequence {
        Consequence::Suspension { min_months: lo, max_months: hi, .. } => {
            (min_months, max_months) = (Some(*lo), Some(*hi))
        }
        Consequence::Ban { years: n, .. } => years = Some(*n),
        Consequence::BidDisqualification { min_years: lo, max_years: hi } => {
            (min_years, max_years) = (Some(*lo), Some(*hi))
        }
        _ => {}
    }
    Measure {
        kind: c.kind(),
        target: c.target,
        text: c.text.clone(),
        applies: o.applies,
        condition: c.condition_text(),
        amount_fen,
        min_months,
        max_months,
        years,
        min_years,
        max_years,
        citation,
    }
}

/// The words of a verdict: 是, 否, 罚款不超过…时是.
pub fn verdict_words(v: Verdict, t: Option<i64>) -> String {
    let t = t.map(format_yuan).unwrap_or_default();
    match v {
        Verdict::Yes => "是".into(),
        Verdict::No => "否".into(),
        Verdict::IfFineAtMost => format!("罚款不超过{t}时是"),
        Verdict::IfFineAtLeast => format!("罚款达到{t}时是"),
        Verdict::NotApplicable => "不适用（无罚款）".into(),
    }
}

fn check(c: &FigureCheck<'_>, reason: String, citation: Cite) -> ProcedureCheck {
    ProcedureCheck {
        verdict: c.verdict,
        threshold_fen: Some(c.threshold_fen),
        reason,
        citation,
        local: false,
        unverified: !c.figure.is_verified(),
    }
}

fn local_check(c: &LocalCheck, reason: String, citation: Cite, rules_2021: bool) -> ProcedureCheck {
    ProcedureCheck {
        verdict: c.verdict,
        threshold_fen: Some(c.threshold_fen),
        reason,
        citation,
        local: true,
        unverified: !rules_2021,
    }
}

fn procedure(a: &Assessment<'_>, cites: &mut Citations<'_>, expl: &mut Vec<String>) -> Procedure {
    let p = &a.procedure;
    let q = a.query;
    let config = a.config;
    let party = q.party.label();
    let heavy = a.heavy;
    let amount_words = match (a.fine_decided, a.fine) {
        (Some(f), _) => format!("拟罚款 {}", format_yuan(f)),
        (None, Some((lo, hi))) => format!("罚款幅度 {}至{}", format_yuan(lo), format_yuan(hi)),
        (None, None) => "无罚款".into(),
    };

    let s = &p.simple_procedure;
    let cite = cites.figure(s.figure);
    let mut reason = format!(
        "对{party}罚款在{}以下可以当场作出决定（违法事实确凿并有法定依据）；{amount_words}",
        format_yuan(s.threshold_fen)
    );
    if heavy {
        reason.push_str("；另有暂停、解除服务协议、吊销、禁业或取消投标资格等较重措施，不适用简易程序");
    }
    let simple = check(s, reason, cite);
    push_check(expl, "简易程序", &simple, "");

    let s = &p.on_the_spot_collection;
    let cite = cites.figure(s.figure);
    let reason = format!(
        "{}以下罚款可以当场收缴（另：不当场收缴事后难以执行的）；{amount_words}",
        format_yuan(s.threshold_fen)
    );
    let spot = check(s, reason, cite);
    push_check(expl, "当场收缴", &spot, "");

    let rule_status = if p.rules_2021 { CiteStatus::Verified } else { CiteStatus::Unverified };
    if !p.rules_2021 {
        expl.push("注意：计算日早于2021年修订的《行政处罚法》施行日（2021-07-15），听证、法制审核按现行条文说明，未核实。".into());
    }
    let cite = cites.article("行政处罚法", 63, None, rule_status);
    cites.local(config);
    let reason = format!(
        "较大数额罚款（{}：对{party}{}以上）或暂停、解除服务协议等措施应告知听证权利；{amount_words}{}",
        config.name,
        format_yuan(p.hearing.threshold_fen),
        if heavy { "；有较重措施" } else { "" }
    );
    let hearing = local_check(&p.hearing, reason, cite, p.rules_2021);
    push_check(expl, "听证权利", &hearing, &format!("；数额标准为地方配置：{}", config.source));

    let cite = cites.article("行政处罚法", 58, None, rule_status);
    let reason = format!(
        "重大执法决定须法制审核（{}：对{party}{}以上，或责令解除服务协议等；经过听证程序的亦须审核）；{amount_words}",
        config.name,
        format_yuan(p.legal_review.threshold_fen)
    );
    let review = local_check(&p.legal_review, reason, cite, p.rules_2021);
    push_check(expl, "法制审核", &review, "；数额标准为地方配置");

    let cite = cites.figure(p.payment_figure);
    expl.push(format!("缴纳期限：自收到决定书之日起{}日内（{}）。", p.payment_days, cite.label));

    let surcharge = p.surcharge.map(|s| {
        let c1 = cites.figure(s.rate);
        let c2 = cites.figure(s.cap);
        expl.push(format!(
            "加处罚款：{} × {} × {}日 = {}{}，计 {}（向下取整到分；{}）。",
            format_yuan(s.fine_fen),
            ratio_words(&s.rate.value),
            s.days,
            format_yuan(s.raw_fen),
            if s.capped {
                format!("，超过罚款数额，以罚款数额 {} 为限", format_yuan(s.cap_fen))
            } else {
                String::new()
            },
            format_yuan(s.amount_fen),
            if c1.label == c2.label { c1.label.clone() } else { format!("{}；{}", c1.label, c2.label) },
        ));
        Surcharge {
            fine_fen: s.fine_fen,
            days: s.days,
            rate: s.rate.value.clone(),
            amount_fen: s.amount_fen,
            capped: s.capped,
            citations: vec![c1, c2],
            unverified: !s.rate.is_verified() || !s.cap.is_verified(),
        }
    });

    let l = &p.limitation;
    let cite = cites.figure(l.figure);
    match (l.act_date, l.last_day) {
        (Some(act), Some(last)) => expl.push(format!(
            "追责时效：{}年，自{act}起算，至{last}（含）届满；节假日不顺延（按日历年计算）；发现日 {}：{}（{}）。",
            l.years,
            l.discovered_on,
            if l.expired == Some(true) { "已超过时效，不再给予行政处罚" } else { "在时效内" },
            cite.label
        )),
        _ => expl.push(format!(
            "追责时效：{}年，自违法行为发生之日（连续或继续状态的，自行为终了之日）起计算（{}）。",
            l.years, cite.label
        )),
    }
    let limitation = Limitation {
        years: l.years,
        act_date: l.act_date,
        last_day: l.last_day,
        discovered_on: Some(l.discovered_on),
        expired: l.expired,
        citation: cite,
        unverified: !l.figure.is_verified(),
    };
    Procedure {
        simple_procedure: simple,
        on_the_spot_collection: spot,
        hearing,
        legal_review: review,
        payment_days: p.payment_days,
        surcharge,
        limitation,
    }
}

fn push_check(expl: &mut Vec<String>, name: &str, c: &ProcedureCheck, note: &str) {
    expl.push(format!(
        "{name}：{}——{}（{}{note}）。",
        verdict_words(c.verdict, c.threshold_fen),
        c.reason,
        c.citation.label
    ));
}

/// A pair of multiples in the statute's manner, both in the same unit: 2倍至5倍,
/// 千分之五至千分之十, 百分之五至百分之十.
pub(crate) fn ratio_pair_words(min: &str, max: &str) -> String {
    let (Some(a), Some(b)) = (parse_ratio(min), parse_ratio(max)) else {
        return format!("{min}至{max}");
    };
    let in_unit = |r: (i128, i128), unit: i128| -> Option<u32> {
        let n = r.0 * unit;
        (n % r.1 == 0).then(|| u32::try_from(n / r.1).ok()).flatten()
    };
    for (unit, name) in [(1, ""), (100, "百分之"), (1000, "千分之"), (10000, "万分之")] {
        if let (Some(x), Some(y)) = (in_unit(a, unit), in_unit(b, unit)) {
            return if unit == 1 {
                format!("{x}倍至{y}倍")
            } else {
                format!("{name}{}至{name}{}", cn_number(x), cn_number(y))
            };
        }
    }
    format!("{min}至{max}")
}

/// One rate in the statute's manner: 百分之三, 万分之五.
pub fn ratio_words(s: &str) -> String {
    let Some(r) = parse_ratio(s) else { return s.to_string() };
    for (unit, name) in [(1, ""), (100, "百分之"), (1000, "千分之"), (10000, "万分之")] {
        let n = r.0 * unit;
        if let Some(x) = (n % r.1 == 0).then(|| u32::try_from(n / r.1).ok()).flatten() {
            return if unit == 1 { format!("{x}倍") } else { format!("{name}{}", cn_number(x)) };
        }
    }
    s.to_string()
}
