//! Typed column access on rows of either backend, with decode failures as [`StoreError`].

use sqlx::Row;

use crate::{Result, StoreError};

/// Column getters shared by SQLite and PostgreSQL rows.
pub(crate) trait RowExt {
    fn i64(&self, col: &str) -> Result<i64>;
    fn opt_i64(&self, col: &str) -> Result<Option<i64>>;
    fn string(&self, col: &str) -> Result<String>;
    fn opt_string(&self, col: &str) -> Result<Option<String>>;
    fn boolean(&self, col: &str) -> Result<bool>;

    fn u32(&self, col: &str) -> Result<u32> {
        let v = self.i64(col)?;
        u32::try_from(v).map_err(|_| StoreError::corrupt(format!("column {col} = {v} is out of range")))
    }

    fn opt_u32(&self, col: &str) -> Result<Option<u32>> {
        match self.opt_i64(col)? {
            None => Ok(None),
            Some(v) => u32::try_from(v)
                .map(Some)
                .map_err(|_| StoreError::corrupt(format!("column {col} = {v} is out of range"))),
        }
    }

    fn u64(&self, col: &str) -> Result<u64> {
        let v = self.i64(col)?;
        u64::try_from(v).map_err(|_| StoreError::corrupt(format!("column {col} = {v} is negative")))
    }
}

macro_rules! impl_row_ext {
    ($row:ty) => {
        impl RowExt for $row {
            fn i64(&self, col: &str) -> Result<i64> {
                Ok(self.try_get::<i64, _>(col)?)
            }
            fn opt_i64(&self, col: &str) -> Result<Option<i64>> {
                Ok(self.try_get::<Option<i64>, _>(col)?)
            }
            fn string(&self, col: &str) -> Result<String> {
                Ok(self.try_get::<String, _>(col)?)
            }
            fn opt_string(&self, col: &str) -> Result<Option<String>> {
                Ok(self.try_get::<Option<String>, _>(col)?)
            }
            fn boolean(&self, col: &str) -> Result<bool> {
                Ok(self.try_get::<bool, _>(col)?)
            }
        }
    };
}

impl_row_ext!(sqlx::sqlite::SqliteRow);
impl_row_ext!(sqlx::postgres::PgRow);
