//! The notice parser on the real 2024–2026 notices, an invented 2027 one, the older styles,
//! damaged pastes and arbitrary input.
#![allow(clippy::unwrap_used)] // test code: a bad literal is a failed test

use proptest::prelude::*;
use quanze_calendar::{Calendar, NoticeError, ParsedNotice, parse_notice};
use quanze_model::Date;

const N2024: &str = include_str!("fixtures/notices/2024.txt");
const N2025: &str = include_str!("fixtures/notices/2025.txt");
const N2026: &str = include_str!("fixtures/notices/2026.txt");
const N2027: &str = include_str!("fixtures/notices/2027-invented.txt");

/// Notices typed from copies of the documents (see fixtures/notices/README.md).
const MORE: &[(i32, &str)] = &[
    (2006, include_str!("fixtures/notices/2006.txt")),
    (2007, include_str!("fixtures/notices/2007.txt")),
    (2014, include_str!("fixtures/notices/2014.txt")),
    (2016, include_str!("fixtures/notices/2016.txt")),
    (2017, include_str!("fixtures/notices/2017.txt")),
    (2018, include_str!("fixtures/notices/2018.txt")),
    (2021, include_str!("fixtures/notices/2021.txt")),
    (2022, include_str!("fixtures/notices/2022.txt")),
    (2023, include_str!("fixtures/notices/2023.txt")),
];

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn days(v: &[Date]) -> Vec<String> {
    v.iter().map(ToString::to_string).collect()
}

/// Every day of the year (and the December before) works or rests exactly as in the data
/// files, and the listed make-up days are exactly the data file's.
fn assert_same_as_data(parsed: &ParsedNotice) {
    let year = parsed.year;
    let builtin = Calendar::builtin();
    // The year's notice replaced by the parsed one; the next year's (whose 元旦 may reach
    // into this December) stays.
    let mut loaded = Calendar::builtin();
    loaded.insert(parsed.clone().into_year_notice());
    let first = Date::new(year - 1, 12, 1).unwrap();
    for i in 0..first.days_until(Date::new(year, 12, 31).unwrap()) + 1 {
        let day = first.add_days(i).unwrap();
        assert_eq!(loaded.is_working_day(day), builtin.is_working_day(day), "{day}");
    }
    let data = builtin.notice(year).unwrap();
    assert_eq!(parsed.source.number, data.notice.number);
    assert_eq!(parsed.source.date, data.notice.date);
    assert_eq!(parsed.source.title, data.notice.title);
    let parsed_work: Vec<Date> = {
        let mut v: Vec<Date> = parsed.holidays.iter().flat_map(|h| h.work.clone()).collect();
        v.sort();
        v
    };
    assert_eq!(days(&parsed_work), days(&data.work_days()), "{year} make-up days");
    // Days off on weekdays are exactly the data file's.
    let weekday_off = |v: Vec<Date>| days(&v.into_iter().filter(|d| d.weekday() <= 5).collect::<Vec<_>>());
    let parsed_off: Vec<Date> = {
        let mut v: Vec<Date> = parsed.holidays.iter().flat_map(|h| h.off.clone()).collect();
        v.sort();
        v
    };
    assert_eq!(weekday_off(parsed_off), weekday_off(data.off_days()), "{year} days off");
}

/// The primary documents are a third source for the data files: every year whose notice was
/// typed in (and that no later notice amended) reads as its file, day for day.
#[test]
fn older_notices_read_as_the_data_files() {
    for (year, text) in MORE {
        let p = parse_notice(text).unwrap();
        assert_eq!(p.year, *year);
        assert!(p.findings.is_empty(), "{year}: {:?}", p.findings);
        assert_same_as_data(&p);
    }
}

#[test]
fn the_2026_notice_reads_as_the_data_file() {
    let p = parse_notice(N2026).unwrap();
    assert_eq!(p.year, 2026);
    assert_eq!(p.source.title, "国务院办公厅关于2026年部分节假日安排的通知");
    assert_eq!(p.source.number, "国办发明电〔2025〕7号");
    assert_eq!(p.source.date, Some(d("2025-11-04")));
    assert!(p.findings.is_empty(), "{:?}", p.findings);
    let names: Vec<&str> = p.holidays.iter().map(|h| h.name.as_str()).collect();
    assert_eq!(names, ["元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"]);
    assert_eq!(p.holidays[1].off.len(), 9);
    assert_eq!(days(&p.holidays[1].work), ["2026-02-14", "2026-02-28"]);
    assert_same_as_data(&p);
}

#[test]
fn the_2025_notice_reads_as_the_data_file() {
    let p = parse_notice(N2025).unwrap();
    assert_eq!((p.year, p.source.number.as_str()), (2025, "国办发明电〔2024〕12号"));
    assert_eq!(p.source.date, Some(d("2024-11-12")));
    assert!(p.findings.is_empty(), "{:?}", p.findings);
    assert_eq!(days(&p.holidays[0].off), ["2025-01-01"]);
    assert_eq!(p.holidays[5].name, "国庆节、中秋节");
    assert_eq!(days(&p.holidays[4].off), ["2025-05-31", "2025-06-01", "2025-06-02"], "across months");
    assert_same_as_data(&p);
}

#[test]
fn the_2024_notice_reads_as_the_data_file() {
    let p = parse_notice(N2024).unwrap();
    assert_eq!((p.year, p.source.number.as_str()), (2024, "国办发明电〔2023〕7号"));
    assert_eq!(p.source.date, Some(d("2023-10-25")));
    // "安排职工在除夕（2月9日）休息" is an encouragement, not a day off: read out, not used.
    assert_eq!(p.findings.len(), 1, "{:?}", p.findings);
    assert!(p.findings[0].contains("除夕"), "{:?}", p.findings);
    assert_eq!(days(&p.holidays[0].off), ["2024-01-01"], "与周末连休 adds no day");
    assert_same_as_data(&p);
}

#[test]
fn an_invented_2027_notice_loads_a_new_year() {
    let p = parse_notice(N2027).unwrap();
    assert_eq!(p.year, 2027);
    assert!(p.findings.is_empty(), "{:?}", p.findings);
    let labour = &p.holidays[3];
    assert_eq!(days(&labour.off), ["2027-04-30", "2027-05-01", "2027-05-02", "2027-05-03", "2027-05-04"]);
    assert_eq!(days(&labour.work), ["2027-04-25", "2027-05-08"]);
    let national = &p.holidays[6];
    assert_eq!(national.off.first().unwrap().to_string(), "2027-09-29");
    assert_eq!(national.off.len(), 8);
    let mut cal = Calendar::builtin();
    cal.insert(p.into_year_notice());
    assert_eq!(cal.is_working_day(d("2027-02-08")), Ok(false));
    assert_eq!(cal.is_working_day(d("2027-02-20")), Ok(true));
    assert_eq!(cal.is_working_day(d("2027-02-13")), Ok(false), "a plain weekend");
    assert_eq!(cal.is_working_day(d("2027-03-01")), Ok(true));
}

#[test]
fn half_width_and_one_line_pastes_read_the_same() {
    let full = parse_notice(N2026).unwrap();
    let half: String = N2026
        .chars()
        .map(|c| match c {
            '：' => ':',
            '，' => ',',
            '（' => '(',
            '）' => ')',
            _ => c,
        })
        .collect();
    assert_eq!(parse_notice(&half).unwrap().holidays, full.holidays);
    let one_line = N2026.replace('\n', " ");
    assert_eq!(parse_notice(&one_line).unwrap().holidays, full.holidays);
    let wide_digits: String = N2026
        .chars()
        .map(|c| if c.is_ascii_digit() { char::from_u32(c as u32 + 0xFEE0).unwrap() } else { c })
        .collect();
    assert_eq!(parse_notice(&wide_digits).unwrap().holidays, full.holidays);
}

#[test]
fn a_wrong_weekday_annotation_is_a_finding() {
    let text = N2026.replace("1月1日（周四）", "1月1日（周五）");
    let p = parse_notice(&text).unwrap();
    assert_eq!(p.findings.len(), 1, "{:?}", p.findings);
    assert!(p.findings[0].contains("1月1日标注为周五，实为周四"), "{:?}", p.findings);
}

#[test]
fn a_total_that_does_not_match_is_a_finding() {
    let text = N2026.replace("放假调休，共9天", "放假调休，共10天");
    let p = parse_notice(&text).unwrap();
    assert!(p.findings.iter().any(|f| f.contains("写明共10天，读出9天")), "{:?}", p.findings);
}

/// 2006 (国办发明电〔2005〕35号): long explanations, "—" ranges, 元旦 make-up day in December.
#[test]
fn the_older_style_with_explanations() {
    let text = "国务院办公厅关于2006年部分节假日安排的通知\n国办发明电〔2005〕35号\n\
        一、元旦：1月1日—3日放假，共3天。其中1月1日为法定假日，将12月31日（星期六）、1月1日（星期日）两个公休日调至1月2日（星期一）、3日（星期二），12月31日（星期六）上班。\n\
        二、春节：1月29日—2月4日（即农历大年初一至初七）放假，共7天。其中，29日、30日、31日为法定假日，将1月28日（星期六）、29日（星期日）、2月5日（星期日）三个公休日调至2月1日（星期三）、2日（星期四）、3日（星期五），2月4日（星期六）照常公休，1月28日、2月5日上班。\n\
        国务院办公厅\n二〇〇五年十二月十六日";
    let p = parse_notice(text).unwrap();
    assert_eq!(p.year, 2006);
    assert!(p.findings.is_empty(), "{:?}", p.findings);
    assert_eq!(days(&p.holidays[0].off), ["2006-01-01", "2006-01-02", "2006-01-03"]);
    assert_eq!(days(&p.holidays[0].work), ["2005-12-31"]);
    assert_eq!(p.holidays[1].off.len(), 7);
    assert_eq!(days(&p.holidays[1].work), ["2006-01-28", "2006-02-05"]);
    assert_eq!(p.source.date, Some(d("2005-12-16")));
    let builtin = Calendar::builtin();
    let mut loaded = Calendar::empty();
    loaded.insert(p.into_year_notice());
    assert_eq!(loaded.is_working_day(d("2006-01-28")), builtin.is_working_day(d("2006-01-28")));
}

/// 2008 (explicit years across the turn of the year) and 2019 (a range across it).
#[test]
fn new_year_breaks_that_start_in_december() {
    let text = "国务院办公厅关于2008年部分节假日安排的通知\n一、元旦：2007年12月30日—2008年1月1日放假，共3天。其中，1月1日（星期二）为法定节假日，12月30日（星期日）为公休日，12月29日（星期六）公休日调至12月31日（星期一），12月29日（星期六）上班。";
    let p = parse_notice(text).unwrap();
    assert!(p.findings.is_empty(), "{:?}", p.findings);
    assert_eq!(days(&p.holidays[0].off), ["2007-12-30", "2007-12-31", "2008-01-01"]);
    assert_eq!(days(&p.holidays[0].work), ["2007-12-29"]);
    let text = "国务院办公厅关于2019年部分节假日安排的通知\n一、元旦：12月30日至1月1日放假调休，共3天。12月29日（星期六）上班。\n二、劳动节：5月1日放假。";
    let p = parse_notice(text).unwrap();
    assert!(p.findings.is_empty(), "{:?}", p.findings);
    assert_eq!(days(&p.holidays[0].off), ["2018-12-30", "2018-12-31", "2019-01-01"]);
    assert_eq!(days(&p.holidays[0].work), ["2018-12-29"]);
    assert_eq!(days(&p.holidays[1].off), ["2019-05-01"]);
}

#[test]
fn day_off_in_lieu_and_quoted_names() {
    let text = "国务院办公厅关于2016年部分节假日安排的通知\n四、“五一”：5月1日放假，5月2日（星期一）补休。\n七、“十一”：10月1日至7日放假调休，共7天。10月8日（星期六）、10月9日（星期日）上班。";
    let p = parse_notice(text).unwrap();
    assert!(p.findings.is_empty(), "{:?}", p.findings);
    assert_eq!(p.holidays[0].name, "劳动节");
    assert_eq!(days(&p.holidays[0].off), ["2016-05-01", "2016-05-02"]);
    assert_eq!(p.holidays[1].name, "国庆节");
    assert_eq!(days(&p.holidays[1].work), ["2016-10-08", "2016-10-09"]);
}

#[test]
fn refusals_are_chinese_and_only_when_nothing_can_be_read() {
    let e = parse_notice("").unwrap_err();
    assert_eq!(e, NoticeError::NoHoliday);
    assert!(e.to_string().contains("未能"), "{e}");
    assert_eq!(parse_notice("一、元旦：放假安排另行通知。").unwrap_err(), NoticeError::NoHoliday);
    let e = parse_notice("一、元旦：1月1日放假。").unwrap_err();
    assert_eq!(e, NoticeError::NoYear);
    assert!(e.to_string().contains("年份"), "{e}");
    // One readable holiday is enough; the unreadable one is a finding.
    let p =
        parse_notice("关于2027年部分节假日安排的通知 一、元旦：1月1日放假。二、春节：另行通知。").unwrap();
    assert_eq!(p.holidays.len(), 1);
    assert!(p.findings.iter().any(|f| f.contains("春节")), "{:?}", p.findings);
    // An impossible date is a finding, not a panic.
    let p =
        parse_notice("关于2027年部分节假日安排的通知 一、元旦：1月1日放假。二、春节：2月30日至31日放假。")
            .unwrap();
    assert!(p.findings.iter().any(|f| f.contains("无法识别的日期")), "{:?}", p.findings);
}

proptest! {
    #[test]
    fn arbitrary_input_never_panics(s in "\\PC{0,400}") {
        let _ = parse_notice(&s);
    }

    #[test]
    fn notice_like_input_never_panics(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("一、"), Just("二、"), Just("元旦"), Just("："), Just(":"), Just("2026"), Just("年"),
                Just("月"), Just("日"), Just("至"), Just("—"), Just("、"), Just("，"), Just("。"),
                Just("（"), Just("）"), Just("周日"), Just("放假"), Just("上班"), Just("共"), Just("天"),
                Just("关于2027年部分节假日安排"), Just("国办发明电〔"), Just("〕"), Just("号"),
                Just("1"), Just("12"), Just("31"), Just("0"), Just("99999"), Just("十二"), Just("二〇"),
            ],
            0..80,
        )
    ) {
        let text: String = parts.concat();
        if let Ok(p) = parse_notice(&text) {
            let _ = p.into_year_notice().check();
        }
    }
}

#[test]
fn annotations_do_not_decide_what_a_clause_says() {
    let text = "关于2027年部分节假日安排的通知 一、元旦：1月1日（法定节假日、周五）至3日放假，共3天。";
    let p = parse_notice(text).unwrap();
    assert!(p.findings.is_empty(), "{:?}", p.findings);
    assert_eq!(days(&p.holidays[0].off), ["2027-01-01", "2027-01-02", "2027-01-03"]);
}

#[test]
fn traditional_script_copies_read_the_same() {
    let full = parse_notice(N2026).unwrap();
    let traditional = N2026
        .replace("国务院办公厅关于", "國務院辦公廳關於")
        .replace("节", "節")
        .replace("调休", "調休")
        .replace("劳动", "勞動")
        .replace("国庆", "國慶")
        .replace("农历腊月", "農曆臘月");
    let p = parse_notice(&traditional).unwrap();
    assert_eq!(p.year, 2026);
    let days_of =
        |p: &ParsedNotice| p.holidays.iter().map(|h| (h.off.clone(), h.work.clone())).collect::<Vec<_>>();
    assert_eq!(days_of(&p), days_of(&full));
    assert_eq!(p.holidays[3].name, "劳动节");
}

/// 2023: a 元旦 break written with both years.
#[test]
fn explicit_years_on_both_ends_of_a_range() {
    let text = "国务院办公厅关于2023年部分节假日安排的通知\n一、元旦：2022年12月31日至2023年1月2日放假调休，共3天。\n三、清明节：4月5日放假，共1天。";
    let p = parse_notice(text).unwrap();
    assert!(p.findings.is_empty(), "{:?}", p.findings);
    assert_eq!(days(&p.holidays[0].off), ["2022-12-31", "2023-01-01", "2023-01-02"]);
    assert_eq!(days(&p.holidays[1].off), ["2023-04-05"]);
}

/// 2019 and 2020: a yearly notice and a later one that changed it; together they read as the
/// data file.
#[test]
fn amending_notices_apply_to_their_year() {
    let cases = [
        (
            include_str!("fixtures/notices/2019.txt"),
            include_str!("fixtures/notices/2019-amendment.txt"),
            "劳动节",
            "国务院办公厅关于调整2019年劳动节假期安排的通知",
        ),
        (
            include_str!("fixtures/notices/2020.txt"),
            include_str!("fixtures/notices/2020-amendment.txt"),
            "春节",
            "国务院办公厅关于延长2020年春节假期的通知",
        ),
    ];
    for (yearly, amending, name, title) in cases {
        let yearly = parse_notice(yearly).unwrap();
        assert!(yearly.findings.is_empty(), "{:?}", yearly.findings);
        assert!(!yearly.amendment);
        let amendment = parse_notice(amending).unwrap();
        assert!(amendment.amendment);
        assert_eq!(amendment.year, yearly.year);
        assert_eq!(amendment.holidays.len(), 1, "{:?}", amendment.holidays);
        assert_eq!(amendment.holidays[0].name, name);
        assert_eq!(amendment.source.title, title);
        // The one finding says it is an amendment, not a whole year.
        assert_eq!(amendment.findings.len(), 1, "{:?}", amendment.findings);
        assert!(amendment.findings[0].contains("调整通知"), "{:?}", amendment.findings);

        let mut notice = yearly.clone().into_year_notice();
        assert!(notice.apply_amendment(&amendment).is_empty());
        assert_eq!(notice.amendments.len(), 1);
        let data = Calendar::builtin();
        let mut loaded = Calendar::builtin();
        loaded.insert(notice);
        let first = Date::new(yearly.year - 1, 12, 1).unwrap();
        for i in 0..=first.days_until(Date::new(yearly.year, 12, 31).unwrap()) {
            let day = first.add_days(i).unwrap();
            assert_eq!(loaded.is_working_day(day), data.is_working_day(day), "{day}");
        }
    }
    // The extension: 春节 2020 now ends on 2 February, and Saturday 1 February is no longer
    // a make-up working day.
    let ext = parse_notice(include_str!("fixtures/notices/2020-amendment.txt")).unwrap();
    assert_eq!(ext.holidays[0].extended_to, Some(d("2020-02-02")));
    assert_eq!(ext.source.number, "国办发明电〔2020〕1号");
    assert_eq!(ext.source.date, Some(d("2020-01-26")));
}

#[test]
fn an_amendment_for_another_year_is_refused_with_a_finding() {
    let ext = parse_notice(include_str!("fixtures/notices/2020-amendment.txt")).unwrap();
    let mut n2026 = parse_notice(N2026).unwrap().into_year_notice();
    let before = n2026.clone();
    let f = n2026.apply_amendment(&ext);
    assert_eq!(f.len(), 1);
    assert!(f[0].contains("2020"), "{f:?}");
    assert_eq!(n2026, before);
}
