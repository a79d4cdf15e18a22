//! People who work cases, and the holiday notices loaded into the store.

use quanze_model::Date;

use crate::db::{read_pool, write_tx};
use crate::row::RowExt;
use crate::validate;
use crate::{
    BureauId, CalendarYear, Person, PersonId, PersonInput, PersonRole, Result, Store, StoreError, now,
};

/// Longest person name accepted.
const MAX_PERSON_CHARS: usize = 100;

pub(crate) const PERSON_COLUMNS: &str = "id, bureau_id, name, role, posts, office, certificate, certificate_until, retired_at, created_at, user_id";

/// A person's columns, checked and encoded before anything is written.
struct PersonRow {
    name: String,
    posts: String,
    certificate_until: Option<String>,
}

fn person_row(p: &PersonInput) -> Result<PersonRow> {
    let name = validate::name("姓名", &p.name, MAX_PERSON_CHARS)?.to_owned();
    for post in &p.posts {
        validate::no_nul("岗位", post)?;
    }
    validate::no_nul("科室", &p.office)?;
    if let Some(c) = &p.certificate {
        validate::no_nul("执法证号", c)?;
    }
    let posts = serde_json::to_string(&p.posts)
        .map_err(|e| StoreError::InvalidInput(format!("岗位无法编码：{e}")))?;
    Ok(PersonRow { name, posts, certificate_until: p.certificate_until.map(|d| d.to_string()) })
}

pub(crate) fn json_strings(col: &str, text: &str) -> Result<Vec<String>> {
    serde_json::from_str(text)
        .map_err(|e| StoreError::corrupt(format!("column {col} is not a JSON string array: {e}")))
}

pub(crate) fn opt_date(col: &str, text: Option<String>) -> Result<Option<Date>> {
    match text {
        None => Ok(None),
        Some(t) => Date::parse(&t)
            .map(Some)
            .ok_or_else(|| StoreError::corrupt(format!("column {col} = {t:?} is not a date"))),
    }
}

pub(crate) fn person_from_row(row: &impl RowExt) -> Result<Person> {
    let role = row.string("role")?;
    Ok(Person {
        id: PersonId(row.i64("id")?),
        bureau: row.opt_i64("bureau_id")?.map(BureauId),
        name: row.string("name")?,
        role: PersonRole::from_str_opt(&role)
            .ok_or_else(|| StoreError::corrupt(format!("person role {role:?}")))?,
        posts: json_strings("posts", &row.string("posts")?)?,
        office: row.string("office")?,
        certificate: row.opt_string("certificate")?,
        certificate_until: opt_date("certificate_until", row.opt_string("certificate_until")?)?,
        retired_at: row.opt_i64("retired_at")?,
        created_at: row.i64("created_at")?,
        user: row.opt_i64("user_id")?.map(crate::UserId),
    })
}

fn calendar_from_row(row: &impl RowExt) -> Result<CalendarYear> {
    let year = row.i64("year")?;
    Ok(CalendarYear {
        year: i32::try_from(year).map_err(|_| StoreError::corrupt(format!("calendar year {year}")))?,
        notice: row.string("notice")?,
        loaded_by: row.opt_string("loaded_by")?,
        loaded_at: row.i64("loaded_at")?,
    })
}

impl Store {
    /// Add a person. The bureau, when given, must exist.
    pub async fn add_person(&self, person: &PersonInput) -> Result<Person> {
        let r = person_row(person)?;
        let created_at = now();
        let id = write_tx!(self, |tx, _pg| {
            if let Some(b) = person.bureau
                && sqlx::query("SELECT id FROM bureaus WHERE id = $1")
                    .bind(b.0)
                    .fetch_optional(&mut *tx)
                    .await?
                    .is_none()
            {
                return Err(StoreError::NotFound(format!("bureau {b}")));
            }
            sqlx::query(
                "INSERT INTO people (bureau_id, name, role, posts, office, certificate, certificate_until, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(person.bureau.map(|b| b.0))
            .bind(&r.name)
            .bind(person.role.as_str())
            .bind(&r.posts)
            .bind(&person.office)
            .bind(&person.certificate)
            .bind(&r.certificate_until)
            .bind(created_at)
            .fetch_one(&mut *tx)
            .await?
            .i64("id")?
        });
        self.person(PersonId(id))
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("person {id} just added")))
    }

    /// Replace a person's fields (not `retired_at`, not `created_at`).
    pub async fn update_person(&self, id: PersonId, person: &PersonInput) -> Result<Person> {
        let r = person_row(person)?;
        let changed = write_tx!(self, |tx, _pg| {
            if let Some(b) = person.bureau
                && sqlx::query("SELECT id FROM bureaus WHERE id = $1")
                    .bind(b.0)
                    .fetch_optional(&mut *tx)
                    .await?
                    .is_none()
            {
                return Err(StoreError::NotFound(format!("bureau {b}")));
            }
            sqlx::query(
                "UPDATE people SET bureau_id = $2, name = $3, role = $4, posts = $5, office = $6, certificate = $7, \
                 certificate_until = $8 WHERE id = $1",
            )
            .bind(id.0)
            .bind(person.bureau.map(|b| b.0))
            .bind(&r.name)
            .bind(person.role.as_str())
            .bind(&r.posts)
            .bind(&person.office)
            .bind(&person.certificate)
            .bind(&r.certificate_until)
            .execute(&mut *tx)
            .await?
            .rows_affected()
        });
        if changed == 0 {
            return Err(StoreError::NotFound(format!("person {id}")));
        }
        self.person(id).await?.ok_or_else(|| StoreError::NotFound(format!("person {id}")))
    }

    /// Mark a person retired now (kept, because events name them). Retiring twice keeps
    /// the first time.
    pub async fn retire_person(&self, id: PersonId) -> Result<Person> {
        let at = now();
        let changed = write_tx!(self, |tx, _pg| {
            sqlx::query("UPDATE people SET retired_at = COALESCE(retired_at, $2) WHERE id = $1")
                .bind(id.0)
                .bind(at)
                .execute(&mut *tx)
                .await?
                .rows_affected()
        });
        if changed == 0 {
            return Err(StoreError::NotFound(format!("person {id}")));
        }
        self.person(id).await?.ok_or_else(|| StoreError::NotFound(format!("person {id}")))
    }

    /// The person with this id.
    pub async fn person(&self, id: PersonId) -> Result<Option<Person>> {
        let sql = format!("SELECT {PERSON_COLUMNS} FROM people WHERE id = $1");
        read_pool!(self, |pool| {
            let row = sqlx::query(sqlx::AssertSqlSafe(sql.clone())).bind(id.0).fetch_optional(pool).await?;
            row.as_ref().map(person_from_row).transpose()
        })
    }

    /// People of `bureau` (`None`: everybody), retired ones included, by id.
    pub async fn people(&self, bureau: Option<BureauId>) -> Result<Vec<Person>> {
        let sql =
            format!("SELECT {PERSON_COLUMNS} FROM people WHERE ($1 IS NULL OR bureau_id = $1) ORDER BY id");
        read_pool!(self, |pool| {
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                .bind(bureau.map(|b| b.0))
                .fetch_all(pool)
                .await?;
            rows.iter().map(person_from_row).collect()
        })
    }

    /// Store (or replace) the parsed holiday notice of `year`. `notice` must be JSON.
    pub async fn put_calendar_year(
        &self,
        year: i32,
        notice: &str,
        loaded_by: Option<&str>,
    ) -> Result<CalendarYear> {
        validate::no_nul("节假日通知", notice)?;
        if let Some(by) = loaded_by {
            validate::no_nul("加载人", by)?;
        }
        serde_json::from_str::<serde_json::Value>(notice)
            .map_err(|e| StoreError::InvalidInput(format!("节假日通知不是有效的 JSON：{e}")))?;
        let loaded_at = now();
        write_tx!(self, |tx, _pg| {
            sqlx::query(
                "INSERT INTO calendar_years (year, notice, loaded_by, loaded_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (year) DO UPDATE SET notice = excluded.notice, loaded_by = excluded.loaded_by, \
                 loaded_at = excluded.loaded_at",
            )
            .bind(i64::from(year))
            .bind(notice)
            .bind(loaded_by)
            .bind(loaded_at)
            .execute(&mut *tx)
            .await?;
        });
        Ok(CalendarYear {
            year,
            notice: notice.to_owned(),
            loaded_by: loaded_by.map(str::to_owned),
            loaded_at,
        })
    }

    /// Every loaded year, oldest first.
    pub async fn calendar_years(&self) -> Result<Vec<CalendarYear>> {
        read_pool!(self, |pool| {
            let rows =
                sqlx::query("SELECT year, notice, loaded_by, loaded_at FROM calendar_years ORDER BY year")
                    .fetch_all(pool)
                    .await?;
            rows.iter().map(calendar_from_row).collect()
        })
    }
}
