//! Users and roles, argon2id passwords, server-side sessions, login attempts.
//!
//! A live session is looked up on every request, so the store keeps the sessions it found in
//! memory ([`SessionCache`]) for at most [`SESSION_CACHE_SECS`]. Every change made through
//! this store that can end or alter a session (log out, a password set, a user disabled, a
//! role granted or taken) empties the cache after its commit, so this process refuses an
//! ended session at once; another process sharing the database (a second server on one
//! PostgreSQL, the command line) sees the change within [`SESSION_CACHE_SECS`].

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use sha2::{Digest, Sha256};

use crate::db::{read_pool, write_tx};
use crate::row::RowExt;
use crate::validate;
use crate::{
    BureauId, LoginAttempt, MAX_PASSWORD_BYTES, MIN_PASSWORD_CHARS, NewSession, Result, Role, RoleGrant,
    Session, Store, StoreError, Timestamp, User, UserId, now,
};

/// How long a session found in the database is served from memory (seconds, by the `now`
/// given to [`Store::session`]): the longest another process's logout, password change or
/// disabling of the user goes unseen here.
pub const SESSION_CACHE_SECS: i64 = 2;
/// Sessions kept in memory at most; when full, the stale ones are dropped, then all.
const SESSION_CACHE_MAX: usize = 10_000;

/// Sessions found recently, by the stored key of their token. Only live sessions are kept (an
/// unknown token always reaches the database, so guessing cannot fill memory).
#[derive(Debug, Default)]
pub(crate) struct SessionCache {
    inner: Mutex<CacheInner>,
}

#[derive(Debug, Default)]
struct CacheInner {
    /// Bumped by every change; a lookup that read the database before a bump does not fill
    /// the cache with what it read.
    generation: u64,
    /// Token key → (session, when it was read).
    entries: HashMap<String, (Session, Timestamp)>,
}

impl SessionCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, CacheInner> {
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The cached session of `key` at `now`, or the generation to fill the cache with.
    fn get(&self, key: &str, now: Timestamp) -> std::result::Result<Session, u64> {
        let c = self.lock();
        match c.entries.get(key) {
            Some((s, at)) if fresh(s, *at, now) => Ok(s.clone()),
            _ => Err(c.generation),
        }
    }

    fn put(&self, key: String, session: &Session, now: Timestamp, generation: u64) {
        let mut c = self.lock();
        if c.generation != generation {
            return;
        }
        if c.entries.len() >= SESSION_CACHE_MAX {
            c.entries.retain(|_, (s, at)| fresh(s, *at, now));
            if c.entries.len() >= SESSION_CACHE_MAX {
                c.entries.clear();
            }
        }
        c.entries.insert(key, (session.clone(), now));
    }

    /// Forget every session (after a commit that may end or change one).
    fn changed(&self) {
        let mut c = self.lock();
        c.generation = c.generation.wrapping_add(1);
        c.entries.clear();
    }
}

/// A session read at `at` may be served at `now`: read at most [`SESSION_CACHE_SECS`] ago
/// (and not in the future: a clock set back reads again) and not expired.
fn fresh(s: &Session, at: Timestamp, now: Timestamp) -> bool {
    at <= now && now < at.saturating_add(SESSION_CACHE_SECS) && now < s.expires_at
}

/// Longest user name accepted.
const MAX_USERNAME_CHARS: usize = 64;
/// Longest remote address accepted (IPv6 with zone and port fits).
const MAX_REMOTE_CHARS: usize = 128;

fn random_hex(bytes: usize) -> Result<String> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| StoreError::Random(e.to_string()))?;
    Ok(hex(&buf))
}

/// A random initial password (16 hex digits, 64 bits) for an account created on someone's
/// behalf, to be handed over and changed at first login.
pub fn random_password() -> Result<String> {
    random_hex(8)
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    s
}

/// The stored key of a session token.
fn token_key(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// A remote address as stored and looked up: trimmed, at most [`MAX_REMOTE_CHARS`].
fn remote_key(remote: &str) -> String {
    remote.trim().chars().take(MAX_REMOTE_CHARS).collect()
}

fn check_password(password: &str) -> Result<()> {
    validate::no_nul("password", password)?;
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(StoreError::InvalidInput(format!(
            "password is shorter than {MIN_PASSWORD_CHARS} characters"
        )));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(StoreError::InvalidInput(format!("password is longer than {MAX_PASSWORD_BYTES} bytes")));
    }
    Ok(())
}

/// Hash with argon2id (default parameters) and a fresh 16-byte salt, off the async threads.
async fn hash_password(password: &str) -> Result<String> {
    let password = password.to_owned();
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| StoreError::Random(e.to_string()))?;
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password_with_salt(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| StoreError::Password(e.to_string()))
    })
    .await
    .map_err(|e| StoreError::Password(format!("hashing task failed: {e}")))?
}

/// A hash to verify against when the user does not exist, so that the answer takes as long
/// as for a real user.
fn dummy_hash() -> Option<&'static str> {
    static DUMMY: OnceLock<Option<String>> = OnceLock::new();
    DUMMY
        .get_or_init(|| {
            Argon2::default()
                .hash_password_with_salt(b"quanze-no-such-user", b"quanze-dummy-salt")
                .ok()
                .map(|h| h.to_string())
        })
        .as_deref()
}

/// `Ok(true)` when `password` matches the PHC string `hash`.
async fn verify_hash(password: &str, hash: Option<String>) -> Result<bool> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        let (hash, real) = match &hash {
            Some(h) => (h.as_str(), true),
            None => match dummy_hash() {
                Some(h) => (h, false),
                None => return Ok(false),
            },
        };
        match PasswordVerifier::<str>::verify_password(&Argon2::default(), password.as_bytes(), hash) {
            Ok(()) => Ok(real),
            Err(argon2::password_hash::Error::PasswordInvalid) => Ok(false),
            Err(e) if real => Err(StoreError::Password(e.to_string())),
            Err(_) => Ok(false),
        }
    })
    .await
    .map_err(|e| StoreError::Password(format!("verifying task failed: {e}")))?
}

fn grant_from_row(row: &impl RowExt) -> Result<RoleGrant> {
    let role = row.string("role")?;
    Ok(RoleGrant {
        role: Role::from_str_opt(&role).ok_or_else(|| StoreError::corrupt(format!("role {role:?}")))?,
        bureau: row.opt_i64("bureau_id")?.map(BureauId),
    })
}

impl Store {
    /// Create a user with an argon2id-hashed password and the given roles.
    /// [`StoreError::Conflict`] when the name is taken; [`StoreError::InvalidInput`] for an
    /// empty/over-long name or a password shorter than [`MIN_PASSWORD_CHARS`].
    pub async fn create_user(&self, username: &str, password: &str, roles: &[RoleGrant]) -> Result<User> {
        let username = validate::name("user name", username, MAX_USERNAME_CHARS)?;
        check_password(password)?;
        let hash = hash_password(password).await?;
        let created_at = now();
        let result: Result<i64> = async {
            Ok(write_tx!(self, |tx, _pg| {
                let id = sqlx::query(
                    "INSERT INTO users (username, password_hash, created_at) VALUES ($1, $2, $3) RETURNING id",
                )
                .bind(username)
                .bind(&hash)
                .bind(created_at)
                .fetch_one(&mut *tx)
                .await?
                .i64("id")?;
                for g in roles {
                    sqlx::query(
                        "INSERT INTO user_roles (user_id, role, bureau_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                    )
                    .bind(id)
                    .bind(g.role.as_str())
                    .bind(g.bureau.map(|b| b.0))
                    .execute(&mut *tx)
                    .await?;
                }
                id
            }))
        }
        .await;
        let id = match result {
            Ok(id) => id,
            Err(e) if e.is_unique_violation() => {
                return Err(StoreError::Conflict(format!("user name {username:?} is taken")));
            }
            Err(e) => return Err(e),
        };
        self.user(UserId(id)).await?.ok_or_else(|| StoreError::NotFound(format!("user {id} just created")))
    }

    /// The user with this id, with roles.
    pub async fn user(&self, id: UserId) -> Result<Option<User>> {
        self.load_user(
            "SELECT id, username, created_at, disabled FROM users WHERE id = $1",
            UserKey::Id(id.0),
        )
        .await
    }

    /// The user with exactly this name, with roles.
    pub async fn user_by_name(&self, username: &str) -> Result<Option<User>> {
        validate::no_nul("user name", username)?;
        self.load_user(
            "SELECT id, username, created_at, disabled FROM users WHERE username = $1",
            UserKey::Name(username.trim()),
        )
        .await
    }

    async fn load_user(&self, sql: &'static str, key: UserKey<'_>) -> Result<Option<User>> {
        read_pool!(self, |pool| {
            let q = sqlx::query(sql);
            let q = match key {
                UserKey::Id(id) => q.bind(id),
                UserKey::Name(name) => q.bind(name),
            };
            let Some(row) = q.fetch_optional(pool).await? else {
                return Ok(None);
            };
            let id = row.i64("id")?;
            let roles = sqlx::query("SELECT role, bureau_id FROM user_roles WHERE user_id = $1 ORDER BY id")
                .bind(id)
                .fetch_all(pool)
                .await?;
            Ok(Some(User {
                id: UserId(id),
                username: row.string("username")?,
                roles: roles.iter().map(grant_from_row).collect::<Result<Vec<_>>>()?,
                created_at: row.i64("created_at")?,
                disabled: row.boolean("disabled")?,
            }))
        })
    }

    /// All users, oldest first.
    pub async fn list_users(&self) -> Result<Vec<User>> {
        let ids: Vec<i64> = read_pool!(self, |pool| {
            let rows = sqlx::query("SELECT id FROM users ORDER BY id").fetch_all(pool).await?;
            rows.iter().map(|r| r.i64("id")).collect::<Result<Vec<_>>>()?
        });
        let mut users = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(u) = self.user(UserId(id)).await? {
                users.push(u);
            }
        }
        Ok(users)
    }

    /// Give a user a role (no-op when held).
    pub async fn grant_role(&self, user: UserId, grant: RoleGrant) -> Result<()> {
        write_tx!(self, |tx, _pg| {
            if sqlx::query("SELECT id FROM users WHERE id = $1")
                .bind(user.0)
                .fetch_optional(&mut *tx)
                .await?
                .is_none()
            {
                return Err(StoreError::NotFound(format!("user {user}")));
            }
            sqlx::query("INSERT INTO user_roles (user_id, role, bureau_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(user.0)
                .bind(grant.role.as_str())
                .bind(grant.bureau.map(|b| b.0))
                .execute(&mut *tx)
                .await?;
        });
        self.sessions.changed();
        Ok(())
    }

    /// Take a role away; `true` when the user held it.
    pub async fn revoke_role(&self, user: UserId, grant: RoleGrant) -> Result<bool> {
        let n = write_tx!(self, |tx, _pg| {
            sqlx::query(
                "DELETE FROM user_roles WHERE user_id = $1 AND role = $2 AND COALESCE(bureau_id, 0) = COALESCE($3, 0)",
            )
            .bind(user.0)
            .bind(grant.role.as_str())
            .bind(grant.bureau.map(|b| b.0))
            .execute(&mut *tx)
            .await?
            .rows_affected()
        });
        self.sessions.changed();
        Ok(n > 0)
    }

    /// Replace a user's password; ends all of the user's sessions.
    pub async fn set_password(&self, user: UserId, password: &str) -> Result<()> {
        check_password(password)?;
        let hash = hash_password(password).await?;
        write_tx!(self, |tx, _pg| {
            let n = sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
                .bind(user.0)
                .bind(&hash)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound(format!("user {user}")));
            }
            sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user.0).execute(&mut *tx).await?;
        });
        self.sessions.changed();
        Ok(())
    }

    /// Disable or re-enable a user. Disabling ends all of the user's sessions.
    pub async fn set_disabled(&self, user: UserId, disabled: bool) -> Result<()> {
        write_tx!(self, |tx, _pg| {
            let n = sqlx::query("UPDATE users SET disabled = $2 WHERE id = $1")
                .bind(user.0)
                .bind(disabled)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound(format!("user {user}")));
            }
            if disabled {
                sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user.0).execute(&mut *tx).await?;
            }
        });
        self.sessions.changed();
        Ok(())
    }

    /// The user when `password` is theirs and they are not disabled; `None` otherwise (also
    /// for an unknown name, after the same amount of hashing work). Does not record the
    /// attempt: call [`Store::record_login_attempt`].
    pub async fn verify_password(&self, username: &str, password: &str) -> Result<Option<User>> {
        if username.contains('\0') || password.contains('\0') || password.len() > MAX_PASSWORD_BYTES {
            return Ok(None);
        }
        let row: Option<(i64, String, bool)> = read_pool!(self, |pool| {
            let row = sqlx::query("SELECT id, password_hash, disabled FROM users WHERE username = $1")
                .bind(username.trim())
                .fetch_optional(pool)
                .await?;
            match row {
                Some(r) => Some((r.i64("id")?, r.string("password_hash")?, r.boolean("disabled")?)),
                None => None,
            }
        });
        let (id, hash, disabled) = match row {
            Some((id, hash, disabled)) => (Some(id), Some(hash), disabled),
            None => (None, None, true),
        };
        let ok = verify_hash(password, hash).await?;
        match id {
            Some(id) if ok && !disabled => self.user(UserId(id)).await,
            _ => Ok(None),
        }
    }

    /// Start a session for `user` lasting `ttl_secs` from `now`. The returned token is the
    /// only copy: the store keeps its SHA-256.
    pub async fn create_session(&self, user: UserId, now: Timestamp, ttl_secs: i64) -> Result<NewSession> {
        if ttl_secs <= 0 {
            return Err(StoreError::InvalidInput("session lifetime must be positive".into()));
        }
        let token = random_hex(32)?;
        let csrf = random_hex(32)?;
        let expires_at = now.saturating_add(ttl_secs);
        let key = token_key(&token);
        write_tx!(self, |tx, _pg| {
            let row = sqlx::query("SELECT disabled FROM users WHERE id = $1")
                .bind(user.0)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| StoreError::NotFound(format!("user {user}")))?;
            if row.boolean("disabled")? {
                return Err(StoreError::InvalidInput(format!("user {user} is disabled")));
            }
            sqlx::query(
                "INSERT INTO sessions (id, user_id, created_at, expires_at, csrf_token) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&key)
            .bind(user.0)
            .bind(now)
            .bind(expires_at)
            .bind(&csrf)
            .execute(&mut *tx)
            .await?;
        });
        let user = self.user(user).await?.ok_or_else(|| StoreError::NotFound(format!("user {user}")))?;
        Ok(NewSession { token, session: Session { user, created_at: now, expires_at, csrf_token: csrf } })
    }

    /// The live session of `token` at `now`: `None` when unknown, expired, malformed, or its
    /// user is disabled. A session found is served from memory for up to
    /// [`SESSION_CACHE_SECS`] (see the module's notes).
    pub async fn session(&self, token: &str, now: Timestamp) -> Result<Option<Session>> {
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let key = token_key(token);
        let generation = match self.sessions.get(&key, now) {
            Ok(session) => return Ok(Some(session)),
            Err(generation) => generation,
        };
        let found = self.session_from_db(&key, now).await?;
        if let Some(session) = &found {
            self.sessions.put(key, session, now, generation);
        }
        Ok(found)
    }

    /// [`Store::session`] from the database, by the token's stored key.
    async fn session_from_db(&self, key: &str, now: Timestamp) -> Result<Option<Session>> {
        let row: Option<(i64, i64, i64, String)> = read_pool!(self, |pool| {
            let row = sqlx::query(
                "SELECT s.user_id, s.created_at, s.expires_at, s.csrf_token FROM sessions s \
                 JOIN users u ON u.id = s.user_id WHERE s.id = $1 AND s.expires_at > $2 AND u.disabled = $3",
            )
            .bind(key)
            .bind(now)
            .bind(false)
            .fetch_optional(pool)
            .await?;
            match row {
                Some(r) => Some((
                    r.i64("user_id")?,
                    r.i64("created_at")?,
                    r.i64("expires_at")?,
                    r.string("csrf_token")?,
                )),
                None => None,
            }
        });
        let Some((user, created_at, expires_at, csrf_token)) = row else {
            return Ok(None);
        };
        Ok(self.user(UserId(user)).await?.map(|user| Session { user, created_at, expires_at, csrf_token }))
    }

    /// Push the expiry of a live session to `now + ttl_secs` (sliding sessions); `false`
    /// when the token has no live session. Never shortens a session.
    pub async fn extend_session(&self, token: &str, now: Timestamp, ttl_secs: i64) -> Result<bool> {
        if ttl_secs <= 0 {
            return Err(StoreError::InvalidInput("session lifetime must be positive".into()));
        }
        let key = token_key(token);
        let until = now.saturating_add(ttl_secs);
        let n = write_tx!(self, |tx, _pg| {
            sqlx::query(
                "UPDATE sessions SET expires_at = CASE WHEN expires_at > $3 THEN expires_at ELSE $3 END \
                 WHERE id = $1 AND expires_at > $2",
            )
            .bind(&key)
            .bind(now)
            .bind(until)
            .execute(&mut *tx)
            .await?
            .rows_affected()
        });
        Ok(n > 0)
    }

    /// End the session of `token` (log out); `true` when there was one.
    pub async fn delete_session(&self, token: &str) -> Result<bool> {
        let key = token_key(token);
        let n = write_tx!(self, |tx, _pg| {
            sqlx::query("DELETE FROM sessions WHERE id = $1")
                .bind(&key)
                .execute(&mut *tx)
                .await?
                .rows_affected()
        });
        self.sessions.changed();
        Ok(n > 0)
    }

    /// End every session of a user; how many there were.
    pub async fn delete_user_sessions(&self, user: UserId) -> Result<u64> {
        let n = write_tx!(self, |tx, _pg| {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user.0)
                .execute(&mut *tx)
                .await?
                .rows_affected()
        });
        self.sessions.changed();
        Ok(n)
    }

    /// Remove sessions expired at `now`; how many.
    pub async fn delete_expired_sessions(&self, now: Timestamp) -> Result<u64> {
        let n = write_tx!(self, |tx, _pg| {
            sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected()
        });
        if n > 0 {
            self.sessions.changed();
        }
        Ok(n)
    }

    /// Record a login attempt (successful or not).
    pub async fn record_login_attempt(&self, attempt: &LoginAttempt) -> Result<()> {
        validate::no_nul("user name", &attempt.username)?;
        let username: String = attempt.username.trim().chars().take(MAX_USERNAME_CHARS * 2).collect();
        let remote = match &attempt.remote {
            Some(r) => {
                validate::no_nul("remote address", r)?;
                Some(remote_key(r)).filter(|r| !r.is_empty())
            }
            None => None,
        };
        write_tx!(self, |tx, _pg| {
            sqlx::query("INSERT INTO login_attempts (username, remote, at, success) VALUES ($1, $2, $3, $4)")
                .bind(&username)
                .bind(&remote)
                .bind(attempt.at)
                .bind(attempt.success)
                .execute(&mut *tx)
                .await?;
        });
        Ok(())
    }

    /// Failed attempts for this user name at or after `since`.
    pub async fn failed_logins_for_user(&self, username: &str, since: Timestamp) -> Result<u64> {
        validate::no_nul("user name", username)?;
        let username: String = username.trim().chars().take(MAX_USERNAME_CHARS * 2).collect();
        read_pool!(self, |pool| {
            sqlx::query(
                "SELECT COUNT(*) AS n FROM login_attempts WHERE username = $1 AND at >= $2 AND success = $3",
            )
            .bind(&username)
            .bind(since)
            .bind(false)
            .fetch_one(pool)
            .await?
            .u64("n")
        })
    }

    /// Failed attempts from this remote address at or after `since`.
    pub async fn failed_logins_from(&self, remote: &str, since: Timestamp) -> Result<u64> {
        validate::no_nul("remote address", remote)?;
        read_pool!(self, |pool| {
            sqlx::query(
                "SELECT COUNT(*) AS n FROM login_attempts WHERE remote = $1 AND at >= $2 AND success = $3",
            )
            .bind(remote_key(remote))
            .bind(since)
            .bind(false)
            .fetch_one(pool)
            .await?
            .u64("n")
        })
    }

    /// Forget login attempts older than `before`; how many.
    pub async fn prune_login_attempts(&self, before: Timestamp) -> Result<u64> {
        Ok(write_tx!(self, |tx, _pg| {
            sqlx::query("DELETE FROM login_attempts WHERE at < $1")
                .bind(before)
                .execute(&mut *tx)
                .await?
                .rows_affected()
        }))
    }
}

enum UserKey<'a> {
    Id(i64),
    Name(&'a str),
}
