//! Reading a State Council holiday notice as published, so that an administrator loads a new
//! year by pasting the notice.
//!
//! The notices have kept one shape since 2004: a title naming the year, then numbered items
//! "一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。". Within an item,
//! a clause (between commas or full stops) that says 放假 or 补休 gives days off, one that says
//! 上班 gives make-up working days; the older notices' explanations ("其中1月1日为法定假日，
//! 将……两个公休日调至……") describe the same days and are skipped. Anything else with a date
//! in it becomes a finding, so nothing is silently dropped.

use quanze_model::Date;
use serde::{Deserialize, Serialize};

use crate::NoticeError;
use crate::notice::{Holiday, NoticeSource, YearNotice, weekday_name};

/// One holiday as read from the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParsedHoliday {
    /// 节日名称 as the notice writes it ("国庆节、中秋节"); "五一" and "十一" become 劳动节 and
    /// 国庆节.
    pub name: String,
    /// Days off, in order.
    pub off: Vec<Date>,
    /// Make-up working days, in order.
    pub work: Vec<Date>,
    /// For a notice that extends a holiday ("延长2020年春节假期至2月2日"): the new last day off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extended_to: Option<Date>,
    /// The item's text (whitespace removed, width folded).
    pub text: String,
}

/// A notice as read: what it arranges and what could not be read (findings, in Chinese).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParsedNotice {
    /// The year arranged.
    pub year: i32,
    /// Title, number and date as found in the text.
    pub source: NoticeSource,
    /// The holidays in the order of the text.
    pub holidays: Vec<ParsedHoliday>,
    /// Anything the parser could not read or that looks wrong.
    pub findings: Vec<String>,
    /// A notice that changes one holiday of a year already arranged ("关于调整2019年劳动节假期
    /// 安排的通知", "关于延长2020年春节假期的通知"): apply it to that year's notice with
    /// [`YearNotice::apply_amendment`] rather than loading it as a whole year.
    #[serde(default)]
    pub amendment: bool,
}

impl ParsedNotice {
    /// The year's notice: listed days off are off, listed make-up days are working days,
    /// every other weekend day is a rest day.
    pub fn into_year_notice(self) -> YearNotice {
        YearNotice {
            year: self.year,
            notice: self.source,
            amendments: Vec::new(),
            verified_against: Vec::new(),
            holidays: self
                .holidays
                .into_iter()
                .map(|h| Holiday { name: h.name, off: h.off, work: h.work })
                .collect(),
        }
    }
}

impl YearNotice {
    /// Applies a notice that changes one holiday of this year: an adjustment replaces the
    /// holiday's days, an extension adds the days up to its new last day (and drops the
    /// make-up working days inside them). The amending notice is recorded in `amendments`.
    /// Returns findings (in Chinese) for what could not be applied.
    pub fn apply_amendment(&mut self, amendment: &ParsedNotice) -> Vec<String> {
        let mut findings = Vec::new();
        if amendment.year != self.year {
            findings.push(format!("调整通知针对{}年，不是{}年", amendment.year, self.year));
            return findings;
        }
        for h in &amendment.holidays {
            let base = self.holidays.iter_mut().find(|b| b.name == h.name);
            match (h.extended_to, base) {
                (Some(to), Some(base)) => {
                    let Some(last) = base.off.iter().max().copied() else {
                        findings.push(format!("{}：原安排没有放假日，无法延长", h.name));
                        continue;
                    };
                    let added: Vec<Date> =
                        (1..=last.days_until(to)).filter_map(|k| last.add_days(k)).collect();
                    base.work.retain(|d| !added.contains(d));
                    base.off.extend(added);
                    base.off.extend(h.off.iter().copied());
                    base.work.extend(h.work.iter().copied());
                }
                (Some(_), None) => findings.push(format!("{}：原安排中没有该节日，无法延长", h.name)),
                (None, Some(base)) => {
                    base.off.clone_from(&h.off);
                    base.work.clone_from(&h.work);
                }
                (None, None) => self.holidays.push(Holiday {
                    name: h.name.clone(),
                    off: h.off.clone(),
                    work: h.work.clone(),
                }),
            }
        }
        for b in &mut self.holidays {
            b.off.sort();
            b.off.dedup();
            b.work.sort();
            b.work.dedup();
        }
        self.amendments.push(amendment.source.clone());
        findings
    }
}

impl From<ParsedNotice> for YearNotice {
    fn from(p: ParsedNotice) -> YearNotice {
        p.into_year_notice()
    }
}

/// Full-width digits, letters and punctuation to their ASCII forms; every dash, tilde and
/// "到" between dates to one range mark; whitespace removed (pasted text breaks lines
/// anywhere, even inside a date).
fn normalize(text: &str) -> Vec<char> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            '\u{2014}' | '\u{2013}' | '\u{2015}' | '\u{2012}' | '\u{2212}' | '\u{301C}' | '~' => '-',
            '\u{201C}' | '\u{201D}' | '"' | '\u{300C}' | '\u{300D}' => '"',
            '\u{3001}' => '、',
            _ => simplified(c),
        };
        if c.is_whitespace() {
            continue;
        }
        // A run of dashes ("———" in 2004) is one range mark.
        if c == '-' && out.last() == Some(&'-') {
            continue;
        }
        out.push(c);
    }
    out
}

/// The traditional characters of the notices' vocabulary (copies circulate in both
/// scripts); a general converter lives in quanze-parse, which this crate does not depend on.
fn simplified(c: char) -> char {
    const PAIRS: &[(char, char)] = &[
        ('關', '关'),
        ('於', '于'),
        ('節', '节'),
        ('調', '调'),
        ('補', '补'),
        ('國', '国'),
        ('務', '务'),
        ('辦', '办'),
        ('廳', '厅'),
        ('勞', '劳'),
        ('動', '动'),
        ('慶', '庆'),
        ('週', '周'),
        ('曆', '历'),
        ('號', '号'),
        ('發', '发'),
        ('電', '电'),
        ('與', '与'),
        ('連', '连'),
        ('會', '会'),
        ('際', '际'),
        ('紀', '纪'),
        ('勝', '胜'),
        ('戰', '战'),
        ('爭', '争'),
        ('別', '别'),
        ('臘', '腊'),
        ('開', '开'),
        ('將', '将'),
        ('現', '现'),
        ('為', '为'),
        ('無', '无'),
        ('後', '后'),
    ];
    PAIRS.iter().find(|(t, _)| *t == c).map_or(c, |(_, s)| *s)
}

const CN_DIGITS: &str = "〇零一二三四五六七八九十";

fn is_item_numeral(c: char) -> bool {
    "一二三四五六七八九十".contains(c)
}

/// Positions of the item markers "一、名称:" with their names.
fn find_items(s: &[char]) -> Vec<(usize, usize, String)> {
    // (marker start, body start, name)
    let mut items = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let start = i;
        let mut j = i;
        while j < s.len() && j - i < 3 && is_item_numeral(s[j]) {
            j += 1;
        }
        let preceded_ok = start == 0 || !is_item_numeral(s[start - 1]);
        if j > i && preceded_ok && s.get(j) == Some(&'、') {
            let name_start = j + 1;
            let mut k = name_start;
            while k < s.len() && k - name_start <= 20 && s[k] != ':' && !s[k].is_ascii_digit() && s[k] != '。'
            {
                k += 1;
            }
            if k > name_start && s.get(k) == Some(&':') {
                let name: String = s[name_start..k].iter().collect();
                items.push((start, k + 1, canonical_name(&name)));
                i = k + 1;
                continue;
            }
        }
        i += 1;
    }
    items
}

/// "关于调整2019年劳动节假期安排", "关于延长2020年春节假期": the year and the holiday an
/// amending notice changes.
fn amendment_subject(s: &[char]) -> Option<(i32, String)> {
    for pat in ["关于调整", "关于延长"] {
        let Some(i) = find_str(s, pat, 0) else { continue };
        let (y, j) = read_number(s, i + 4)?;
        if s.get(j) != Some(&'年') || !(1000..=9999).contains(&y) {
            continue;
        }
        let rest = &s[j + 1..s.len().min(j + 14)];
        let end = find_str(rest, "假期", 0).or_else(|| find_str(rest, "放假", 0))?;
        if end == 0 {
            continue;
        }
        return Some((i32::try_from(y).ok()?, canonical_name(&text_of(&rest[..end]))));
    }
    None
}

/// The unnamed items of an amending notice ("一、2019年5月1日至4日放假调休……"), all about
/// the holiday its title names.
fn find_unnamed_items(s: &[char], name: &str) -> Vec<(usize, usize, String)> {
    let mut items = Vec::new();
    for i in 0..s.len() {
        let starts = i == 0 || matches!(s[i - 1], '。' | ':');
        if !starts || !is_item_numeral(s[i]) {
            continue;
        }
        let mut j = i;
        while j < s.len() && j - i < 3 && is_item_numeral(s[j]) {
            j += 1;
        }
        if s.get(j) == Some(&'、') {
            items.push((i, j + 1, name.to_string()));
        }
    }
    items
}

fn canonical_name(raw: &str) -> String {
    let n: String = raw.chars().filter(|c| *c != '"').collect();
    match n.as_str() {
        "五一" | "五一国际劳动节" | "国际劳动节" => "劳动节".to_string(),
        "十一" => "国庆节".to_string(),
        _ => n,
    }
}

fn find_str(s: &[char], pat: &str, from: usize) -> Option<usize> {
    let p: Vec<char> = pat.chars().collect();
    if p.is_empty() || s.len() < p.len() {
        return None;
    }
    (from..=s.len() - p.len()).find(|&i| s[i..i + p.len()] == p[..])
}

fn contains(s: &[char], pat: &str) -> bool {
    find_str(s, pat, 0).is_some()
}

fn read_number(s: &[char], mut i: usize) -> Option<(u32, usize)> {
    let start = i;
    let mut n: u32 = 0;
    while i < s.len() && s[i].is_ascii_digit() && i - start < 5 {
        n = n * 10 + s[i].to_digit(10)?;
        i += 1;
    }
    (i > start).then_some((n, i))
}

/// "2025", "二〇二五" → the number; used for the signature date.
fn read_cn_number(s: &[char], mut i: usize, year_style: bool) -> Option<(u32, usize)> {
    if let Some(r) = read_number(s, i) {
        return Some(r);
    }
    let start = i;
    let mut digits: Vec<u32> = Vec::new();
    while i < s.len() && i - start < 4 {
        let Some(pos) = CN_DIGITS.chars().position(|c| c == s[i]) else { break };
        digits.push(match pos {
            0 | 1 => 0,
            11 => 10,
            p => p as u32 - 1,
        });
        i += 1;
    }
    if digits.is_empty() {
        return None;
    }
    let n = if year_style {
        digits.iter().fold(0, |a, d| a * 10 + d)
    } else {
        // 十, 十二, 二十, 二十四, 三十一
        match digits.as_slice() {
            [10] => 10,
            [10, u] => 10 + u,
            [t, 10] => t * 10,
            [t, 10, u] => t * 10 + u,
            [u] => *u,
            _ => return None,
        }
    };
    Some((n, i))
}

/// A date as written: explicit year or not, month or not, day; where it ends; and the
/// annotation in parentheses right after it.
#[derive(Debug, Clone)]
struct Written {
    year: Option<i32>,
    month: Option<u32>,
    day: u32,
    end: usize,
    annotation: String,
}

fn read_written(s: &[char], i: usize) -> Option<Written> {
    if i > 0 && s[i - 1].is_ascii_digit() {
        return None;
    }
    let (a, j) = read_number(s, i)?;
    let (year, month, day, mut k);
    match s.get(j) {
        Some('年') => {
            year = Some(i32::try_from(a).ok()?);
            let (m, j2) = read_number(s, j + 1)?;
            if s.get(j2) != Some(&'月') {
                return None;
            }
            month = Some(m);
            let (d, j3) = read_number(s, j2 + 1)?;
            if !matches!(s.get(j3), Some('日') | Some('号')) {
                return None;
            }
            day = d;
            k = j3 + 1;
        }
        Some('月') => {
            year = None;
            month = Some(a);
            let (d, j3) = read_number(s, j + 1)?;
            if !matches!(s.get(j3), Some('日') | Some('号')) {
                return None;
            }
            day = d;
            k = j3 + 1;
        }
        Some('日') | Some('号') => {
            year = None;
            month = None;
            day = a;
            k = j + 1;
        }
        _ => return None,
    }
    let mut annotation = String::new();
    if s.get(k) == Some(&'(') {
        let mut depth = 0;
        let mut m = k;
        while m < s.len() {
            match s[m] {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            m += 1;
        }
        if m < s.len() {
            annotation = s[k + 1..m].iter().collect();
            k = m + 1;
        }
    }
    Some(Written { year, month, day, end: k, annotation })
}

/// The weekday an annotation states ("周四", "星期日", "农历腊月二十八、周日"), 1 = Monday.
fn stated_weekday(annotation: &str) -> Option<u32> {
    let a: Vec<char> = annotation.chars().collect();
    for (i, c) in a.iter().enumerate() {
        let marks_weekday = *c == '周' || (*c == '期' && i > 0 && a[i - 1] == '星');
        let after = if marks_weekday { a.get(i + 1) } else { None };
        if let Some(w) = after {
            let n = match w {
                '一' => 1,
                '二' => 2,
                '三' => 3,
                '四' => 4,
                '五' => 5,
                '六' => 6,
                '日' | '天' => 7,
                _ => continue,
            };
            return Some(n);
        }
    }
    None
}

/// What a clause says about its dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ClauseKind {
    Off,
    /// "延长……假期至2月2日".
    Extend,
    Work,
    /// The older notices' explanation of the same days ("其中……为法定假日", "调至", "照常公休").
    Explanation,
    Unknown,
}

fn classify(clause: &[char]) -> ClauseKind {
    // Annotations ("（法定节假日）", "（即农历大年初一至初七）") do not decide.
    let mut depth = 0i32;
    let clause: Vec<char> = clause
        .iter()
        .copied()
        .filter(|c| {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth = (depth - 1).max(0);
                    return false;
                }
                _ => {}
            }
            depth == 0
        })
        .collect();
    let clause = clause.as_slice();
    if contains(clause, "延长") {
        ClauseKind::Extend
    } else if contains(clause, "正常上班") || contains(clause, "照常上班") {
        // "2月3日（星期一）起正常上班": the end of a break, not a make-up day.
        ClauseKind::Explanation
    } else if contains(clause, "上班") {
        ClauseKind::Work
    } else if contains(clause, "调至") || contains(clause, "法定") || contains(clause, "公休") {
        ClauseKind::Explanation
    } else if contains(clause, "放假") || contains(clause, "补休") || contains(clause, "休假") {
        ClauseKind::Off
    } else {
        ClauseKind::Unknown
    }
}

/// Splits at commas, semicolons and full stops outside parentheses.
fn clauses(s: &[char]) -> Vec<&[char]> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in s.iter().enumerate() {
        match c {
            '(' => depth += 1,
            ')' => depth = (depth - 1).max(0),
            ',' | ';' | '。' | '.' if depth == 0 => {
                if i > start {
                    out.push(&s[start..i]);
                }
                start = i + 1;
            }
            _ => {}
        }
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

fn text_of(s: &[char]) -> String {
    s.iter().collect()
}

struct ItemReader<'a> {
    year: i32,
    /// The last date read in this item: "17日、25日上班" takes its month from it.
    last: Option<Date>,
    is_new_year: bool,
    findings: &'a mut Vec<String>,
    name: &'a str,
}

impl ItemReader<'_> {
    /// The dates of one clause: single days, lists (、) and ranges (至, -), with month and
    /// year carried from the mention before.
    fn dates(&mut self, clause: &[char]) -> Vec<Date> {
        let mut out: Vec<Date> = Vec::new();
        let mut i = 0;
        let mut prev: Option<Date> = self.last;
        let mut range_from: Option<Date> = None;
        while i < clause.len() {
            let at = i;
            let Some(w) = read_written(clause, i) else {
                // "调至" moves a rest day; it is not a range.
                let range_mark = matches!(clause[i], '至' | '-' | '到') && !(i > 0 && clause[i - 1] == '调');
                if range_mark {
                    if prev.is_some() {
                        range_from = prev;
                    }
                } else if clause[i] != '、' && clause[i] != '和' && clause[i] != '及' {
                    range_from = None;
                }
                i += 1;
                continue;
            };
            i = w.end;
            let Some(d) = self.resolve(&w, prev, range_from) else {
                self.findings.push(format!(
                    "{}：无法识别的日期“{}”",
                    self.name,
                    text_of(&clause[at..w.end.min(clause.len())])
                ));
                range_from = None;
                continue;
            };
            if let Some(stated) = stated_weekday(&w.annotation)
                && stated != d.weekday()
            {
                self.findings.push(format!(
                    "{}：{}月{}日标注为周{}，实为周{}",
                    self.name,
                    d.month(),
                    d.day(),
                    weekday_name(stated),
                    weekday_name(d.weekday())
                ));
            }
            match range_from.take() {
                Some(from) => {
                    let span = from.days_until(d);
                    if (1..=40).contains(&span) {
                        out.extend((1..=span).filter_map(|k| from.add_days(k)));
                    } else {
                        self.findings.push(format!("{}：日期范围{from}至{d}不合常理，未读取", self.name));
                    }
                }
                None => out.push(d),
            }
            prev = Some(d);
        }
        self.last = prev;
        out
    }

    /// The full date of a written one: "31日" takes month and year from the date before it,
    /// the end of "12月30日至1月1日" runs into the next year, and a December date of 元旦
    /// belongs to the year before the notice's.
    fn resolve(&self, w: &Written, prev: Option<Date>, range_from: Option<Date>) -> Option<Date> {
        let (month, year) = match (w.year, w.month, prev) {
            (Some(y), Some(m), _) => (m, y),
            (_, None, Some(p)) => (p.month(), p.year()),
            (_, None, None) => return None,
            (None, Some(m), _) => {
                let y = match range_from {
                    Some(from) if m < from.month() => from.year() + 1,
                    Some(from) => from.year(),
                    None if self.is_new_year && m == 12 => self.year - 1,
                    None => self.year,
                };
                (m, y)
            }
        };
        Date::new(year, month, w.day)
    }
}

fn read_item(
    year: i32,
    name: &str,
    body: &[char],
    findings: &mut Vec<String>,
    amendment: bool,
) -> ParsedHoliday {
    let mut reader = ItemReader { year, last: None, is_new_year: name.contains("元旦"), findings, name };
    let mut off: Vec<Date> = Vec::new();
    let mut work: Vec<Date> = Vec::new();
    let mut extended_to = None;
    for clause in clauses(body) {
        let kind = classify(clause);
        if kind == ClauseKind::Explanation {
            continue;
        }
        let dates = reader.dates(clause);
        match kind {
            ClauseKind::Off => off.extend(dates),
            ClauseKind::Work => work.extend(dates),
            ClauseKind::Extend => extended_to = dates.last().copied().or(extended_to),
            ClauseKind::Explanation => {}
            ClauseKind::Unknown if !dates.is_empty() => reader.findings.push(format!(
                "{}：以下文字含日期但不是放假或上班安排，未读取：“{}”",
                name,
                text_of(clause)
            )),
            ClauseKind::Unknown => {}
        }
    }
    off.sort();
    off.dedup();
    work.sort();
    work.dedup();
    // An amending notice's other items ("各地大专院校……推迟开学") carry no dates.
    if off.is_empty() && extended_to.is_none() && !amendment {
        findings.push(format!("{name}：未读出放假日期"));
    }
    // "共N天" / "放假N天" is a check on the days read.
    if let Some(n) = stated_total(body)
        && usize::try_from(n).ok() != Some(off.len())
    {
        findings.push(format!("{name}：通知写明共{n}天，读出{}天放假", off.len()));
    }
    ParsedHoliday { name: name.to_string(), off, work, extended_to, text: text_of(body) }
}

fn stated_total(body: &[char]) -> Option<u32> {
    for pat in ["共", "放假"] {
        let mut from = 0;
        while let Some(i) = find_str(body, pat, from) {
            let j = i + pat.chars().count();
            if let Some((n, k)) = read_number(body, j)
                && body.get(k) == Some(&'天')
            {
                return Some(n);
            }
            from = i + 1;
        }
    }
    None
}

/// The year of the title ("关于2026年部分节假日安排") or of the opening ("现将2026年元旦").
fn find_year(s: &[char]) -> Option<i32> {
    for (pat, after) in [("关于", "年部分节假日"), ("现将", "年元旦"), ("关于", "年")] {
        let mut from = 0;
        while let Some(i) = find_str(s, pat, from) {
            let j = i + pat.chars().count();
            if let Some((n, k)) = read_number(s, j)
                && (1000..=9999).contains(&n)
                && find_str(s, after, k) == Some(k)
            {
                return i32::try_from(n).ok();
            }
            from = i + 1;
        }
    }
    None
}

fn find_title(s: &[char], year: i32, amendment: bool) -> String {
    let title = format!("国务院办公厅关于{year}年部分节假日安排的通知");
    if !amendment {
        return if contains(s, &title) { title } else { String::new() };
    }
    // "国务院办公厅关于调整2019年劳动节假期安排的通知": up to the first 通知.
    let Some(i) = find_str(s, "国务院办公厅关于", 0) else { return String::new() };
    match find_str(s, "通知", i) {
        Some(j) if j - i < 40 => text_of(&s[i..j + 2]),
        _ => String::new(),
    }
}

/// "国办发明电〔2025〕7号" with any bracket style, normalized to 〔〕.
fn find_number(s: &[char]) -> String {
    let Some(i) = find_str(s, "国办发明电", 0) else { return String::new() };
    let mut j = i + 5;
    if matches!(s.get(j), Some('〔') | Some('[') | Some('(') | Some('【')) {
        j += 1;
    }
    let Some((y, k)) = read_number(s, j) else { return String::new() };
    let mut k = k;
    if matches!(s.get(k), Some('〕') | Some(']') | Some(')') | Some('】')) {
        k += 1;
    }
    match read_number(s, k) {
        Some((n, e)) if s.get(e) == Some(&'号') => format!("国办发明电〔{y}〕{n}号"),
        _ => String::new(),
    }
}

/// The date under the signature: the last full date after "国务院办公厅" in the closing text.
fn find_signed(s: &[char]) -> Option<Date> {
    let mut found = None;
    let mut i = 0;
    while i < s.len() {
        if let Some((y, j)) = read_cn_number(s, i, true)
            && (1000..=9999).contains(&y)
            && s.get(j) == Some(&'年')
            && let Some((m, k)) = read_cn_number(s, j + 1, false)
            && s.get(k) == Some(&'月')
            && let Some((d, e)) = read_cn_number(s, k + 1, false)
            && s.get(e) == Some(&'日')
        {
            found = i32::try_from(y).ok().and_then(|y| Date::new(y, m, d));
            i = e;
        }
        i += 1;
    }
    found
}

/// Read a notice's text. Refuses only when no holiday can be read at all (or the year is
/// nowhere); everything else it could not read is a finding.
pub fn parse_notice(text: &str) -> Result<ParsedNotice, NoticeError> {
    let s = normalize(text);
    let subject = amendment_subject(&s[..s.len().min(80)]);
    let mut items = find_items(&s);
    if items.is_empty()
        && let Some((_, name)) = &subject
    {
        items = find_unnamed_items(&s, name);
    }
    let amendment = subject.is_some();
    if items.is_empty() {
        return Err(NoticeError::NoHoliday);
    }
    let header = &s[..items[0].0];
    let Some(year) =
        subject.as_ref().map(|(y, _)| *y).or_else(|| find_year(header)).or_else(|| find_year(&s))
    else {
        let any_date = (items[0].1..s.len()).any(|i| read_written(&s, i).is_some());
        return Err(if any_date { NoticeError::NoYear } else { NoticeError::NoHoliday });
    };
    let mut findings = Vec::new();
    let mut holidays = Vec::new();
    let mut tail_start = s.len();
    for (n, (_, body_start, name)) in items.iter().enumerate() {
        let next = items.get(n + 1).map_or(s.len(), |it| it.0);
        let mut body = &s[*body_start..next];
        if n + 1 == items.len() {
            // The last item ends at the first sentence without a date: what follows is the
            // closing ("节假日期间，各地区……", the signature).
            let mut end = 0;
            for sentence in body.split_inclusive(|c| *c == '。') {
                let has_date = (0..sentence.len()).any(|i| read_written(sentence, i).is_some());
                if !has_date || (end > 0 && contains(sentence, "国务院办公厅")) {
                    break;
                }
                end += sentence.len();
            }
            tail_start = body_start + end;
            body = &body[..end];
        }
        let h = read_item(year, name, body, &mut findings, amendment);
        if !h.off.is_empty() || !h.work.is_empty() || h.extended_to.is_some() {
            holidays.push(h);
        }
    }
    if holidays.is_empty() {
        return Err(NoticeError::NoHoliday);
    }
    for h in &holidays {
        for d in &h.work {
            if d.weekday() <= 5 {
                findings.push(format!(
                    "{}：上班日{d}本来就是工作日（周{}）",
                    h.name,
                    weekday_name(d.weekday())
                ));
            }
        }
        for d in h.off.iter().chain(&h.work) {
            let near = d.year() == year || (d.year() == year - 1 && d.month() == 12);
            if !near {
                findings.push(format!("{}：日期{d}不在{year}年内", h.name));
            }
        }
    }
    if amendment {
        findings.push(format!(
            "这是对{year}年节假日安排的调整通知：应并入该年通知（YearNotice::apply_amendment），不能单独作为全年安排导入"
        ));
    }
    let source = NoticeSource {
        title: find_title(&s, year, subject.is_some()),
        number: find_number(header),
        date: find_signed(&s[tail_start..]),
        url: String::new(),
    };
    Ok(ParsedNotice { year, source, holidays, findings, amendment })
}
