//! People import (人员导入) from a csv or xlsx table with Chinese column names
//! (`data/people_columns.toml`): 姓名, 角色, 岗位, 科室, 执法证号, 有效期至, 登录名.
//!
//! All or nothing: the whole file is checked first, and when any row has an error nothing is
//! written and every row's errors are answered (in Chinese, with the row's line), so an
//! administrator fixes the file and imports it again. A row whose 执法证号 (or, without one,
//! whose 姓名) matches a person of the bureau updates that person; others are added. A 登录名
//! links the person to that account, created with a random initial password when missing.
//!
//! xlsx is read with calamine under the same kind of bounds as the list importer: the file's
//! size, the zip's declared unpacked size, and the number of cells.

use std::collections::{BTreeMap, HashMap};
use std::io::{Cursor, Read};

use quanze_model::Date;
use quanze_store::{BureauId, PersonInput, PersonRole, StoreError};
use serde::Deserialize;

use crate::service::{CaseService, CaseworkError};

/// Largest file accepted (a staff table is a few kilobytes).
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;
/// Largest unpacked size of an xlsx.
const MAX_UNPACKED_BYTES: u64 = 64 * 1024 * 1024;
/// Most cells read.
const MAX_CELLS: usize = 200_000;
/// Most rows imported at once.
pub const MAX_ROWS: usize = 5_000;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ColumnsFile {
    columns: BTreeMap<String, Vec<String>>,
    roles: BTreeMap<String, Vec<String>>,
}

/// The fields of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Field {
    Name,
    Role,
    Posts,
    Office,
    Certificate,
    CertificateUntil,
    Login,
}

impl Field {
    fn from_id(s: &str) -> Option<Field> {
        Some(match s {
            "name" => Field::Name,
            "role" => Field::Role,
            "posts" => Field::Posts,
            "office" => Field::Office,
            "certificate" => Field::Certificate,
            "certificate_until" => Field::CertificateUntil,
            "login" => Field::Login,
            _ => return None,
        })
    }
}

fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '*' && *c != '＊')
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

struct Vocabulary {
    columns: HashMap<String, Field>,
    roles: HashMap<String, PersonRole>,
}

fn vocabulary() -> std::result::Result<Vocabulary, String> {
    let file: ColumnsFile = toml::from_str(include_str!("../data/people_columns.toml"))
        .map_err(|e| format!("people_columns.toml：{e}"))?;
    let mut columns = HashMap::new();
    for (id, names) in &file.columns {
        let f = Field::from_id(id).ok_or_else(|| format!("people_columns.toml：未知字段 {id}"))?;
        for n in names {
            columns.insert(fold(n), f);
        }
    }
    let mut roles = HashMap::new();
    for (id, names) in &file.roles {
        let r = PersonRole::from_str_opt(id).ok_or_else(|| format!("people_columns.toml：未知角色 {id}"))?;
        for n in names {
            roles.insert(fold(n), r);
        }
    }
    Ok(Vocabulary { columns, roles })
}

/// One row read and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRow {
    /// The row's line in the file (1 = the header).
    pub line: usize,
    pub name: String,
    pub role: PersonRole,
    pub posts: Vec<String>,
    pub office: String,
    pub certificate: Option<String>,
    pub certificate_until: Option<Date>,
    pub login: Option<String>,
}

/// An error of one row (or of the file, line 0).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RowError {
    pub line: usize,
    pub message: String,
}

/// A file read: its rows when clean, else every error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeopleSheet {
    pub rows: Vec<PersonRow>,
    pub errors: Vec<RowError>,
    /// Header cells that name no field (skipped), in Chinese for the report.
    pub ignored_columns: Vec<String>,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    pub added: usize,
    pub updated: usize,
    /// Accounts created, with their initial passwords (to hand over; shown once).
    pub new_accounts: Vec<(String, String)>,
    pub ignored_columns: Vec<String>,
}

/// Why an import wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportPeopleError {
    #[error("人员表有 {} 处错误，未导入任何人员", .0.len())]
    Rows(Vec<RowError>),
    #[error(transparent)]
    Service(#[from] CaseworkError),
}

fn file_error(message: String) -> PeopleSheet {
    PeopleSheet { rows: Vec::new(), errors: vec![RowError { line: 0, message }], ignored_columns: Vec::new() }
}

/// A date as a staff table writes it: 2028-12-31, 2028/12/31, 2028.12.31, 2028年12月31日,
/// or an Excel serial day number.
pub fn parse_table_date(s: &str) -> Option<Date> {
    let t = fold(s);
    if t.is_empty() {
        return None;
    }
    if let Ok(serial) = t.parse::<f64>() {
        // Excel's day 25569 is 1970-01-01 (its 1900 system).
        if (1.0..=2_958_465.0).contains(&serial) {
            return Date::from_days_since_epoch(serial.trunc() as i64 - 25_569);
        }
        return None;
    }
    let parts: Vec<&str> = t.split(['-', '/', '.', '年', '月', '日']).filter(|p| !p.is_empty()).collect();
    match parts.as_slice() {
        [y, m, d] => Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?),
        _ => None,
    }
}

/// Read a table's cells (csv or xlsx by content) into rows of text.
fn read_grid(file_name: &str, bytes: &[u8]) -> std::result::Result<Vec<Vec<String>>, String> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(format!("文件超过 {} MB 的上限", MAX_FILE_BYTES / 1024 / 1024));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return read_xlsx(bytes);
    }
    let lower = file_name.to_lowercase();
    if lower.ends_with(".xls") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err("不支持旧版 .xls 文件，请另存为 .xlsx 或 .csv".into());
    }
    let text = match std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)) {
        Ok(t) => t.to_string(),
        Err(_) => return Err("csv 文件不是 UTF-8 编码，请以 UTF-8 另存".into()),
    };
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut cells = 0usize;
    for rec in reader.records() {
        let rec = rec.map_err(|e| format!("csv 无法读取：{e}"))?;
        cells += rec.len();
        if cells > MAX_CELLS || rows.len() > MAX_ROWS + 1 {
            return Err(format!("人员表过大（最多 {MAX_ROWS} 行）"));
        }
        rows.push(rec.iter().map(str::to_string).collect());
    }
    Ok(rows)
}

fn read_xlsx(bytes: &[u8]) -> std::result::Result<Vec<Vec<String>>, String> {
    use calamine::{Data, Reader};
    let damaged = |e: &dyn std::fmt::Display| format!("xlsx 文件已损坏或无法读取：{e}");
    // Declared sizes first, then the shared strings inflated under the cap: calamine allocates
    // from what the file declares.
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| damaged(&e))?;
    let mut declared = 0u64;
    for i in 0..zip.len() {
        let f = zip.by_index(i).map_err(|e| damaged(&e))?;
        declared = declared.saturating_add(f.size());
    }
    if declared > MAX_UNPACKED_BYTES {
        return Err("xlsx 文件解压后过大".into());
    }
    if let Ok(f) = zip.by_name("xl/sharedStrings.xml") {
        let mut buf = Vec::new();
        f.take(MAX_UNPACKED_BYTES + 1).read_to_end(&mut buf).map_err(|e| damaged(&e))?;
        if buf.len() as u64 > MAX_UNPACKED_BYTES {
            return Err("xlsx 文件解压后过大".into());
        }
        // A declared count beyond the bytes that hold it is a forged file.
        let text = String::from_utf8_lossy(&buf);
        for key in ["count=\"", "uniqueCount=\""] {
            if let Some(p) = text.find(key) {
                let n: usize = text[p + key.len()..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect::<String>()
                    .parse()
                    .unwrap_or(0);
                if n > buf.len() {
                    return Err("xlsx 文件的共享字符串数量不可信".into());
                }
            }
        }
    }
    let read = || -> std::result::Result<Vec<Vec<String>>, String> {
        let mut wb: calamine::Xlsx<_> = calamine::Xlsx::new(Cursor::new(bytes)).map_err(|e| damaged(&e))?;
        let Some(name) = wb.sheet_names().first().cloned() else { return Ok(Vec::new()) };
        let mut reader = wb.worksheet_cells_reader(&name).map_err(|e| damaged(&e))?;
        let mut grid: BTreeMap<u32, BTreeMap<u32, String>> = BTreeMap::new();
        let mut cells = 0usize;
        while let Some(cell) = reader.next_cell().map_err(|e| damaged(&e))? {
            let (r, c) = cell.get_position();
            let data = Data::from(cell.get_value().clone());
            let text = match &data {
                // An Excel date is its serial day number; `parse_table_date` reads it.
                Data::DateTime(dt) => dt.as_f64().to_string(),
                _ => data.to_string(),
            };
            if text.is_empty() {
                continue;
            }
            cells += 1;
            if cells > MAX_CELLS || r as usize > MAX_ROWS + 1 || c > 200 {
                return Err(format!("人员表过大（最多 {MAX_ROWS} 行）"));
            }
            grid.entry(r).or_default().insert(c, text);
        }
        Ok(grid
            .into_values()
            .map(|row| {
                let width = row.keys().last().map_or(0, |c| *c as usize + 1);
                let mut v = vec![String::new(); width];
                for (c, t) in row {
                    v[c as usize] = t;
                }
                v
            })
            .collect())
    };
    // calamine panics on some damaged workbooks; a damaged file is an error, not a crash.
    std::panic::catch_unwind(read).unwrap_or_else(|_| Err("xlsx 文件已损坏，无法读取".into()))
}

/// Read and check a people table. Nothing is written.
pub fn parse_people(file_name: &str, bytes: &[u8]) -> PeopleSheet {
    let vocab = match vocabulary() {
        Ok(v) => v,
        Err(e) => return file_error(e),
    };
    let grid = match read_grid(file_name, bytes) {
        Ok(g) => g,
        Err(e) => return file_error(e),
    };
    let Some(header_at) =
        grid.iter().position(|r| r.iter().any(|c| vocab.columns.get(&fold(c)) == Some(&Field::Name)))
    else {
        return file_error("找不到表头：应有「姓名」列".into());
    };
    let mut fields: Vec<Option<Field>> = Vec::new();
    let mut ignored = Vec::new();
    let mut seen = BTreeMap::new();
    for cell in &grid[header_at] {
        let f = vocab.columns.get(&fold(cell)).copied();
        if f.is_none() && !cell.trim().is_empty() {
            ignored.push(cell.trim().to_string());
        }
        if let Some(f) = f
            && seen.insert(f, cell.clone()).is_some()
        {
            return file_error(format!("表头有重复的列「{}」", cell.trim()));
        }
        fields.push(f);
    }
    if !fields.contains(&Some(Field::Role)) {
        return file_error("找不到「角色」列".into());
    }
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut certificates: HashMap<String, usize> = HashMap::new();
    let mut logins: HashMap<String, usize> = HashMap::new();
    for (i, row) in grid.iter().enumerate().skip(header_at + 1) {
        let line = i + 1;
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let get = |f: Field| -> String {
            fields
                .iter()
                .position(|x| *x == Some(f))
                .and_then(|p| row.get(p))
                .map(|s| s.trim().to_string())
                .unwrap_or_default()
        };
        let mut errs = Vec::new();
        let name = get(Field::Name);
        if name.is_empty() {
            errs.push("姓名为空".to_string());
        } else if name.chars().count() > 100 {
            errs.push("姓名过长".to_string());
        }
        let role_text = get(Field::Role);
        let role = vocab.roles.get(&fold(&role_text)).copied();
        if role.is_none() {
            errs.push(format!(
                "角色「{role_text}」无法识别；应为执法人员、负责人、法制审核人员、监督人员或窗口人员"
            ));
        }
        let posts: Vec<String> = get(Field::Posts)
            .split(['、', ',', '，', ';', '；', '/'])
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect();
        let certificate = Some(get(Field::Certificate)).filter(|c| !c.is_empty());
        let until_text = get(Field::CertificateUntil);
        let certificate_until = if until_text.is_empty() {
            None
        } else {
            match parse_table_date(&until_text) {
                Some(d) => Some(d),
                None => {
                    errs.push(format!("有效期至「{until_text}」不是日期（如 2028-12-31）"));
                    None
                }
            }
        };
        if role == Some(PersonRole::Officer) && certificate.is_none() {
            errs.push(
                "执法人员应填写执法证号（行政处罚法 第四十二条：执法人员应当具有行政执法资格）".to_string(),
            );
        }
        if certificate.is_none() && certificate_until.is_some() {
            errs.push("填写了有效期但没有执法证号".to_string());
        }
        if let Some(c) = &certificate
            && let Some(first) = certificates.insert(c.clone(), line)
        {
            errs.push(format!("执法证号「{c}」与第 {first} 行重复"));
        }
        let login = Some(get(Field::Login)).filter(|l| !l.is_empty());
        if let Some(l) = &login {
            if l.chars().count() > 64 || l.chars().any(char::is_whitespace) {
                errs.push(format!("登录名「{l}」无效（不超过 64 个字符，不含空格）"));
            } else if let Some(first) = logins.insert(l.clone(), line) {
                errs.push(format!("登录名「{l}」与第 {first} 行重复"));
            }
        }
        if rows.len() >= MAX_ROWS {
            return file_error(format!("人员表过大（最多 {MAX_ROWS} 行）"));
        }
        match (errs.is_empty(), role) {
            (true, Some(role)) => rows.push(PersonRow {
                line,
                name,
                role,
                posts,
                office: get(Field::Office),
                certificate,
                certificate_until,
                login,
            }),
            _ => errors.extend(errs.into_iter().map(|message| RowError { line, message })),
        }
    }
    if rows.is_empty() && errors.is_empty() {
        errors.push(RowError { line: 0, message: "人员表没有数据行".into() });
    }
    PeopleSheet { rows, errors, ignored_columns: ignored }
}

impl CaseService {
    /// Import a people table into `bureau`: all or nothing (see the module). The caller
    /// (an administrator's page) checks that the user may manage people.
    pub async fn import_people(
        &self,
        bureau: BureauId,
        file_name: &str,
        bytes: &[u8],
    ) -> std::result::Result<ImportReport, ImportPeopleError> {
        let sheet = parse_people(file_name, bytes);
        if !sheet.errors.is_empty() {
            return Err(ImportPeopleError::Rows(sheet.errors));
        }
        let store = self.store();
        let existing = store.people(Some(bureau)).await.map_err(CaseworkError::from)?;
        // Accounts first checked, so that a login taken by another person stops the import
        // before any row is written.
        let mut errors = Vec::new();
        for r in &sheet.rows {
            if let Some(l) = &r.login
                && let Some(u) = store.user_by_name(l).await.map_err(CaseworkError::from)?
                && let Some(p) = store.person_for_user(u.id).await.map_err(CaseworkError::from)?
                && !(p.bureau == Some(bureau) && (p.name == r.name || p.certificate == r.certificate))
            {
                errors.push(RowError {
                    line: r.line,
                    message: format!("登录名「{l}」已关联其他人员（{}）", p.name),
                });
            }
        }
        if !errors.is_empty() {
            return Err(ImportPeopleError::Rows(errors));
        }
        let mut report = ImportReport {
            added: 0,
            updated: 0,
            new_accounts: Vec::new(),
            ignored_columns: sheet.ignored_columns,
        };
        for r in &sheet.rows {
            let input = PersonInput {
                bureau: Some(bureau),
                name: r.name.clone(),
                role: r.role,
                posts: r.posts.clone(),
                office: r.office.clone(),
                certificate: r.certificate.clone(),
                certificate_until: r.certificate_until,
            };
            let found = existing.iter().find(|p| {
                p.retired_at.is_none()
                    && match &r.certificate {
                        Some(c) => p.certificate.as_ref() == Some(c),
                        None => p.certificate.is_none() && p.name == r.name,
                    }
            });
            let person = match found {
                Some(p) => {
                    report.updated += 1;
                    store.update_person(p.id, &input).await.map_err(CaseworkError::from)?
                }
                None => {
                    report.added += 1;
                    store.add_person(&input).await.map_err(CaseworkError::from)?
                }
            };
            if let Some(l) = &r.login {
                let user = match store.user_by_name(l).await.map_err(CaseworkError::from)? {
                    Some(u) => u,
                    None => {
                        let password = quanze_store::random_password().map_err(CaseworkError::from)?;
                        let u = store.create_user(l, &password, &[]).await.map_err(CaseworkError::from)?;
                        report.new_accounts.push((l.clone(), password));
                        u
                    }
                };
                match store.link_person_user(person.id, Some(user.id)).await {
                    Ok(_) => {}
                    Err(StoreError::Conflict(m)) => return Err(CaseworkError::Invalid(m).into()),
                    Err(e) => return Err(CaseworkError::from(e).into()),
                }
            }
        }
        self.people_changed(Some(bureau));
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "姓名,角色,岗位,科室,执法证号,有效期至,登录名,备注\n\
张明,执法人员,立案岗、调查岗,基金监管股,豫医保0001,2028-12-31,zhangming,\n\
王局长,负责人,,,,,wangjz,分管\n\
周律,法制审核人员,,法规股,,,,\n";

    #[test]
    fn a_clean_csv_reads_every_field() {
        let s = parse_people("people.csv", CSV.as_bytes());
        assert_eq!(s.errors, vec![]);
        assert_eq!(s.ignored_columns, vec!["备注".to_string()]);
        assert_eq!(s.rows.len(), 3);
        let z = &s.rows[0];
        assert_eq!(
            (z.line, z.name.as_str(), z.role, z.posts.clone(), z.office.as_str()),
            (2, "张明", PersonRole::Officer, vec!["立案岗".to_string(), "调查岗".to_string()], "基金监管股")
        );
        assert_eq!(
            (z.certificate.as_deref(), z.certificate_until),
            (Some("豫医保0001"), Date::parse("2028-12-31"))
        );
        assert_eq!(z.login.as_deref(), Some("zhangming"));
        assert_eq!(s.rows[1].role, PersonRole::Leader);
        assert_eq!(s.rows[2].role, PersonRole::LegalReviewer);
    }

    #[test]
    fn errors_name_each_row_in_chinese() {
        let csv = "姓名,角色,执法证号,有效期至,登录名\n\
,执法人员,A1,2028-12-31,\n\
李华,厨师,A2,明年,\n\
赵六,执法人员,,,\n\
钱七,执法人员,A1,2028/1/1,x y\n";
        let s = parse_people("p.csv", csv.as_bytes());
        let msgs: Vec<(usize, &str)> = s.errors.iter().map(|e| (e.line, e.message.as_str())).collect();
        assert!(msgs.iter().any(|(l, m)| *l == 2 && m.contains("姓名为空")), "{msgs:?}");
        assert!(msgs.iter().any(|(l, m)| *l == 3 && m.contains("角色「厨师」")), "{msgs:?}");
        assert!(msgs.iter().any(|(l, m)| *l == 3 && m.contains("有效期至「明年」")), "{msgs:?}");
        assert!(msgs.iter().any(|(l, m)| *l == 4 && m.contains("执法证号")), "{msgs:?}");
        assert!(msgs.iter().any(|(l, m)| *l == 5 && m.contains("与第 2 行重复")), "{msgs:?}");
        assert!(msgs.iter().any(|(l, m)| *l == 5 && m.contains("登录名")), "{msgs:?}");
    }

    #[test]
    fn a_file_without_the_needed_columns_is_one_error() {
        let s = parse_people("p.csv", "名称,类型\n甲,乙\n".as_bytes());
        assert_eq!(s.errors.len(), 1);
        assert!(s.errors[0].message.contains("姓名"));
        let s = parse_people("p.csv", "姓名,科室\n甲,乙\n".as_bytes());
        assert!(s.errors[0].message.contains("角色"));
        let s = parse_people("p.xls", &[0xD0, 0xCF, 0x11, 0xE0, 0, 0]);
        assert!(s.errors[0].message.contains(".xlsx"));
        let s = parse_people("p.csv", &[0xB0, 0xA1, 0xFF]);
        assert!(s.errors[0].message.contains("UTF-8"));
    }

    #[test]
    fn dates_as_tables_write_them() {
        let d = Date::parse("2028-12-31");
        for t in ["2028-12-31", "2028/12/31", "2028.12.31", "2028年12月31日", "２０２８－１２－３１", "47118"]
        {
            assert_eq!(parse_table_date(t), d, "{t}");
        }
        assert_eq!(parse_table_date("2028-02-30"), None);
        assert_eq!(parse_table_date("明年"), None);
    }

    #[test]
    fn xlsx_is_read_like_csv() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for (r, row) in CSV.lines().enumerate() {
            for (c, cell) in row.split(',').enumerate() {
                ws.write_string(r as u32, c as u16, cell).expect("write");
            }
        }
        let bytes = wb.save_to_buffer().expect("xlsx");
        let from_xlsx = parse_people("people.xlsx", &bytes);
        let from_csv = parse_people("people.csv", CSV.as_bytes());
        assert_eq!(from_xlsx, from_csv);
    }

    #[test]
    fn damaged_xlsx_is_an_error_not_a_panic() {
        let s = parse_people("p.xlsx", b"PK\x03\x04garbage");
        assert_eq!(s.rows, vec![]);
        assert!(s.errors[0].message.contains("xlsx"), "{:?}", s.errors);
    }
}
