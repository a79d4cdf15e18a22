/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The caller's input cannot be stored (NUL characters, empty names, too-long passwords…).
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// The database URL is neither a SQLite path/URL nor a PostgreSQL URL.
    #[error("unsupported database URL {0:?}: use a file path, sqlite://path or postgres://…")]
    UnsupportedUrl(String),
    /// A referenced row does not exist (a bureau, version or user id).
    #[error("not found: {0}")]
    NotFound(String),
    /// A unique value is taken (a user name).
    #[error("already exists: {0}")]
    Conflict(String),
    /// The catalog names no publisher and no bureau was given.
    #[error("the catalog names no publisher; give the bureau explicitly")]
    NoPublisher,
    /// A stored row cannot be decoded (a bug or a hand-edited database).
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// Hashing or verifying a password failed for another reason than a wrong password.
    #[error("password hashing failed: {0}")]
    Password(String),
    /// The operating system's random source failed.
    #[error("no randomness available: {0}")]
    Random(String),
    /// The database failed or refused the statement.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Another append moved the case's head since the caller read it: nothing was written;
    /// read the case again, fold, and retry (or refuse).
    #[error("案件 {case} 已被其他操作更新：预期最后一条事件为第 {expected} 条，实际为第 {head} 条")]
    StaleHead { case: crate::CaseId, expected: u64, head: u64 },
    /// A group commit failed: every append of the batch gets this error, and none of them
    /// was applied.
    #[error("批量提交失败，本批操作均未生效：{0}")]
    BatchFailed(std::sync::Arc<StoreError>),
    /// The store's writer has stopped (the store was closed, or its runtime shut down).
    #[error("存储写入任务已停止")]
    WriterStopped,
    /// The lock file beside a SQLite database could not be locked.
    #[error("无法锁定数据库锁文件 {0}")]
    Lock(String),
    /// Running the embedded migrations failed.
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl StoreError {
    pub(crate) fn corrupt(what: impl std::fmt::Display) -> Self {
        StoreError::Corrupt(what.to_string())
    }

    /// Whether the error is a unique-constraint violation reported by the database.
    pub(crate) fn is_unique_violation(&self) -> bool {
        matches!(self, StoreError::Database(sqlx::Error::Database(e)) if e.is_unique_violation())
    }
}
