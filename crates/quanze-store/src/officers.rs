//! Officers at work: a person's login, who is assigned to a case, the read log, and a
//! case's particulars.
//!
//! The read log (`case_reads`) is append-only: the store has no statement that changes or
//! removes a row, and triggers refuse one issued behind its back.

use crate::db::{read_pool, write_tx};
use crate::people::{PERSON_COLUMNS, person_from_row};
use crate::row::RowExt;
use crate::validate;
use crate::{
    Assignment, AssignmentDuty, CaseId, NewRead, Paged, Particulars, Person, PersonId, ReadFilter,
    ReadPurpose, ReadRecord, Result, Store, StoreError, Timestamp, UserId,
};

const ASSIGNMENT_COLUMNS: &str = "id, case_id, person_id, duty, assigned_at, assigned_by, ended_at, ended_by";
const READ_COLUMNS: &str = "id, case_id, person_id, user_id, at, purpose, detail, allowed, refusal_code";

fn assignment_from_row(row: &impl RowExt) -> Result<Assignment> {
    let duty = row.string("duty")?;
    Ok(Assignment {
        id: row.i64("id")?,
        case: CaseId(row.i64("case_id")?),
        person: PersonId(row.i64("person_id")?),
        duty: AssignmentDuty::from_str_opt(&duty)
            .ok_or_else(|| StoreError::corrupt(format!("assignment duty {duty:?}")))?,
        assigned_at: row.i64("assigned_at")?,
        assigned_by: row.opt_i64("assigned_by")?.map(PersonId),
        ended_at: row.opt_i64("ended_at")?,
        ended_by: row.opt_i64("ended_by")?.map(PersonId),
    })
}

fn read_from_row(row: &impl RowExt) -> Result<ReadRecord> {
    let purpose = row.string("purpose")?;
    Ok(ReadRecord {
        id: row.i64("id")?,
        case: row.opt_i64("case_id")?.map(CaseId),
        person: row.opt_i64("person_id")?.map(PersonId),
        user: row.opt_i64("user_id")?.map(UserId),
        at: row.i64("at")?,
        purpose: ReadPurpose::from_str_opt(&purpose)
            .ok_or_else(|| StoreError::corrupt(format!("read purpose {purpose:?}")))?,
        detail: row.string("detail")?,
        allowed: row.boolean("allowed")?,
        refusal_code: row.opt_string("refusal_code")?,
    })
}

impl Store {
    /// Give a person a login account (`Some`) or take it away (`None`). One account is one
    /// person: [`StoreError::Conflict`] when the account is another person's.
    pub async fn link_person_user(&self, person: PersonId, user: Option<UserId>) -> Result<Person> {
        let result: Result<u64> = async {
            Ok(write_tx!(self, |tx, _pg| {
                if let Some(u) = user
                    && sqlx::query("SELECT id FROM users WHERE id = $1")
                        .bind(u.0)
                        .fetch_optional(&mut *tx)
                        .await?
                        .is_none()
                {
                    return Err(StoreError::NotFound(format!("账号 {u} 不存在")));
                }
                sqlx::query("UPDATE people SET user_id = $2 WHERE id = $1")
                    .bind(person.0)
                    .bind(user.map(|u| u.0))
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
            }))
        }
        .await;
        let n = match result {
            Err(e) if e.is_unique_violation() => {
                return Err(StoreError::Conflict("该登录账号已关联其他人员".into()));
            }
            other => other?,
        };
        if n == 0 {
            return Err(StoreError::NotFound(format!("人员 {person} 不存在")));
        }
        self.person(person).await?.ok_or_else(|| StoreError::NotFound(format!("人员 {person} 不存在")))
    }

    /// The person who logs in with `user`, if any (retired ones too: the caller decides).
    pub async fn person_for_user(&self, user: UserId) -> Result<Option<Person>> {
        // One statement: this runs on every request of a logged-in officer.
        let sql = format!("SELECT {PERSON_COLUMNS} FROM people WHERE user_id = $1");
        read_pool!(self, |pool| {
            let row = sqlx::query(sqlx::AssertSqlSafe(sql.clone())).bind(user.0).fetch_optional(pool).await?;
            row.as_ref().map(person_from_row).transpose()
        })
    }

    /// The login account of a person, if any.
    pub async fn user_of_person(&self, person: PersonId) -> Result<Option<UserId>> {
        let id: Option<Option<i64>> = read_pool!(self, |pool| {
            sqlx::query_scalar("SELECT user_id FROM people WHERE id = $1")
                .bind(person.0)
                .fetch_optional(pool)
                .await?
        });
        Ok(id.flatten().map(UserId))
    }

    /// Put a person on a case. Assigning someone already on the case with the same duty
    /// returns the running assignment. Person and case must be of the same bureau (or the
    /// person of none).
    pub async fn assign(
        &self,
        case: CaseId,
        person: PersonId,
        duty: AssignmentDuty,
        by: Option<PersonId>,
        at: Timestamp,
    ) -> Result<Assignment> {
        let id = write_tx!(self, |tx, _pg| {
            let case_bureau: i64 = sqlx::query("SELECT bureau_id FROM cases WHERE id = $1")
                .bind(case.0)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| StoreError::NotFound(format!("案件 {} 不存在", case.0)))?
                .i64("bureau_id")?;
            let person_bureau = sqlx::query("SELECT bureau_id FROM people WHERE id = $1")
                .bind(person.0)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| StoreError::NotFound(format!("人员 {person} 不存在")))?
                .opt_i64("bureau_id")?;
            if person_bureau.is_some_and(|b| b != case_bureau) {
                return Err(StoreError::InvalidInput(format!("人员 {person} 不属于本案所在的局")));
            }
            let running: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM case_assignments WHERE case_id = $1 AND person_id = $2 AND duty = $3 \
                 AND ended_at IS NULL",
            )
            .bind(case.0)
            .bind(person.0)
            .bind(duty.as_str())
            .fetch_optional(&mut *tx)
            .await?;
            match running {
                Some(id) => id,
                None => sqlx::query(
                    "INSERT INTO case_assignments (case_id, person_id, duty, assigned_at, assigned_by) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(case.0)
                .bind(person.0)
                .bind(duty.as_str())
                .bind(at)
                .bind(by.map(|p| p.0))
                .fetch_one(&mut *tx)
                .await?
                .i64("id")?,
            }
        });
        let sql = format!("SELECT {ASSIGNMENT_COLUMNS} FROM case_assignments WHERE id = $1");
        read_pool!(self, |pool| {
            let row = sqlx::query(sqlx::AssertSqlSafe(sql.clone())).bind(id).fetch_one(pool).await?;
            assignment_from_row(&row)
        })
    }

    /// Take a person off a case (every running assignment of theirs on it); the rows stay.
    /// Answers how many assignments ended.
    pub async fn unassign(
        &self,
        case: CaseId,
        person: PersonId,
        by: Option<PersonId>,
        at: Timestamp,
    ) -> Result<u64> {
        Ok(write_tx!(self, |tx, _pg| {
            sqlx::query(
                "UPDATE case_assignments SET ended_at = $3, ended_by = $4 \
                 WHERE case_id = $1 AND person_id = $2 AND ended_at IS NULL",
            )
            .bind(case.0)
            .bind(person.0)
            .bind(at)
            .bind(by.map(|p| p.0))
            .execute(&mut *tx)
            .await?
            .rows_affected()
        }))
    }

    /// A case's assignments, running and ended, oldest first.
    pub async fn assignments(&self, case: CaseId) -> Result<Vec<Assignment>> {
        let sql = format!("SELECT {ASSIGNMENT_COLUMNS} FROM case_assignments WHERE case_id = $1 ORDER BY id");
        read_pool!(self, |pool| {
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql.clone())).bind(case.0).fetch_all(pool).await?;
            rows.iter().map(assignment_from_row).collect()
        })
    }

    /// The cases a person is on now (running assignments), by case id.
    pub async fn cases_of_person(&self, person: PersonId) -> Result<Vec<CaseId>> {
        let ids: Vec<i64> = read_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT DISTINCT case_id FROM case_assignments WHERE person_id = $1 AND ended_at IS NULL \
                 ORDER BY case_id",
            )
            .bind(person.0)
            .fetch_all(pool)
            .await?
        });
        Ok(ids.into_iter().map(CaseId).collect())
    }

    /// Record one read of a case (or an attempt). Append-only.
    pub async fn record_read(&self, r: &NewRead) -> Result<ReadRecord> {
        validate::no_nul("读取内容", &r.detail)?;
        if let Some(c) = &r.refusal_code {
            validate::no_nul("拒绝代码", c)?;
        }
        let id = write_tx!(self, |tx, _pg| {
            sqlx::query(
                "INSERT INTO case_reads (case_id, person_id, user_id, at, purpose, detail, allowed, refusal_code) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(r.case.map(|c| c.0))
            .bind(r.person.map(|p| p.0))
            .bind(r.user.map(|u| u.0))
            .bind(r.at)
            .bind(r.purpose.as_str())
            .bind(&r.detail)
            .bind(r.allowed)
            .bind(&r.refusal_code)
            .fetch_one(&mut *tx)
            .await?
            .i64("id")?
        });
        Ok(ReadRecord {
            id,
            case: r.case,
            person: r.person,
            user: r.user,
            at: r.at,
            purpose: r.purpose,
            detail: r.detail.clone(),
            allowed: r.allowed,
            refusal_code: r.refusal_code.clone(),
        })
    }

    /// Reads for supervisors: by case, person and time span, newest first, one page.
    pub async fn reads(&self, f: &ReadFilter) -> Result<Paged<ReadRecord>> {
        let cond = "($1 IS NULL OR case_id = $1) AND ($2 IS NULL OR person_id = $2) AND ($3 IS NULL OR at >= $3) \
                    AND ($4 IS NULL OR at < $4) AND ($5 = 0 OR allowed = $6)";
        let sql = format!(
            "SELECT {READ_COLUMNS} FROM case_reads WHERE {cond} ORDER BY at DESC, id DESC LIMIT $7 OFFSET $8"
        );
        let count = format!("SELECT COUNT(*) AS n FROM case_reads WHERE {cond}");
        let refused_only = i64::from(f.refused_only);
        read_pool!(self, |pool| {
            let total = sqlx::query(sqlx::AssertSqlSafe(count.clone()))
                .bind(f.case.map(|c| c.0))
                .bind(f.person.map(|p| p.0))
                .bind(f.from)
                .bind(f.until)
                .bind(refused_only)
                .bind(false)
                .fetch_one(pool)
                .await?
                .u64("n")?;
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                .bind(f.case.map(|c| c.0))
                .bind(f.person.map(|p| p.0))
                .bind(f.from)
                .bind(f.until)
                .bind(refused_only)
                .bind(false)
                .bind(f.page.clamped_limit())
                .bind(f.page.offset_i64())
                .fetch_all(pool)
                .await?;
            Ok(Paged { total, rows: rows.iter().map(read_from_row).collect::<Result<Vec<_>>>()? })
        })
    }

    /// Replace a case's particulars (a JSON object).
    pub async fn set_particulars(
        &self,
        case: CaseId,
        body: &str,
        by: Option<PersonId>,
        at: Timestamp,
    ) -> Result<Particulars> {
        validate::no_nul("案件信息", body)?;
        match serde_json::from_str::<serde_json::Value>(body) {
            Ok(serde_json::Value::Object(_)) => {}
            _ => return Err(StoreError::InvalidInput("案件信息应为 JSON 对象".into())),
        }
        write_tx!(self, |tx, _pg| {
            sqlx::query(
                "INSERT INTO case_particulars (case_id, body, updated_at, updated_by) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (case_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at, \
                 updated_by = excluded.updated_by",
            )
            .bind(case.0)
            .bind(body)
            .bind(at)
            .bind(by.map(|p| p.0))
            .execute(&mut *tx)
            .await?;
        });
        Ok(Particulars { case, body: body.to_owned(), updated_at: at, updated_by: by })
    }

    /// A case's particulars, if any were recorded.
    pub async fn particulars(&self, case: CaseId) -> Result<Option<Particulars>> {
        read_pool!(self, |pool| {
            let row = sqlx::query(
                "SELECT case_id, body, updated_at, updated_by FROM case_particulars WHERE case_id = $1",
            )
            .bind(case.0)
            .fetch_optional(pool)
            .await?;
            row.map(|r| {
                Ok(Particulars {
                    case: CaseId(r.i64("case_id")?),
                    body: r.string("body")?,
                    updated_at: r.i64("updated_at")?,
                    updated_by: r.opt_i64("updated_by")?.map(PersonId),
                })
            })
            .transpose()
        })
    }
}
