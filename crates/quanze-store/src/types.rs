//! Plain data returned by and given to the store.

use quanze_model::{Category, PowerItem};

/// Seconds since the Unix epoch, UTC.
pub type Timestamp = i64;

/// The current time as a [`Timestamp`].
pub fn now() -> Timestamp {
    match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(_) => 0,
    }
}

macro_rules! id_type {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// Row id of a bureau.
    BureauId
);
id_type!(
    /// Row id of a catalog version (global, not the per-bureau number).
    VersionId
);
id_type!(
    /// Row id of a stored item (global; a new version gets new item ids).
    ItemId
);
id_type!(
    /// Row id of a user.
    UserId
);
id_type!(
    /// Row id of a case.
    CaseId
);
id_type!(
    /// Row id of a person who works cases (officer, leader, legal reviewer…).
    PersonId
);
id_type!(
    /// Row id of an issued document (文书).
    DocumentId
);
id_type!(
    /// Row id of a publication (行政执法公示).
    PublicationId
);

/// A publishing body (医疗保障局) whose catalog is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bureau {
    pub id: BureauId,
    /// The name as published, e.g. 涞源县医疗保障局. Unique.
    pub name: String,
    /// Free text: province/city/county, when known.
    pub region: Option<String>,
    pub created_at: Timestamp,
}

/// A bureau with its current version, for listings.
#[derive(Debug, Clone, PartialEq)]
pub struct BureauSummary {
    pub bureau: Bureau,
    /// The version the portal shows (published-or-latest), `None` before the first import.
    pub current: Option<VersionInfo>,
    /// Items of the current version (0 when there is none).
    pub item_count: u64,
    /// How many versions the bureau has.
    pub version_count: u64,
}

/// Whether a version is visible as the bureau's official list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VersionStatus {
    /// Imported, not yet published.
    Draft,
    /// Published by an administrator.
    Published,
}

impl VersionStatus {
    /// The stored name: `draft` or `published`.
    pub fn as_str(self) -> &'static str {
        match self {
            VersionStatus::Draft => "draft",
            VersionStatus::Published => "published",
        }
    }

    /// Parse a stored name.
    pub fn from_str_opt(s: &str) -> Option<Self> {
        match s {
            "draft" => Some(VersionStatus::Draft),
            "published" => Some(VersionStatus::Published),
            _ => None,
        }
    }
}

/// One imported edition of a bureau's catalog, without its items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionInfo {
    pub id: VersionId,
    pub bureau: BureauId,
    /// 1 for the bureau's first import, then 2, 3…
    pub number: u32,
    pub status: VersionStatus,
    /// Who imported it; `None` for the system (seed data, command line).
    pub imported_by: Option<UserId>,
    /// The importer's user name, when `imported_by` is set.
    pub imported_by_name: Option<String>,
    pub imported_at: Timestamp,
    pub published_by: Option<UserId>,
    pub published_at: Option<Timestamp>,
    /// `Catalog.source.file_name`.
    pub file_name: String,
    /// `Catalog.source.sha256` (lower-case hex).
    pub sha256: String,
    /// `Catalog.source.title`.
    pub title: Option<String>,
    /// `Catalog.source.edition`.
    pub edition: Option<String>,
    pub item_count: u64,
    pub diagnostic_count: u64,
}

/// What [`crate::Store::store_version`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredVersion {
    pub version: VersionInfo,
    /// `false` when the bureau already had a version with the same sha256 and that one was
    /// returned instead.
    pub created: bool,
}

/// A window of a listing: `offset` rows skipped, at most `limit` returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub offset: u64,
    /// Clamped to 1..=[`Page::MAX_LIMIT`].
    pub limit: u32,
}

impl Page {
    /// The largest page the store returns.
    pub const MAX_LIMIT: u32 = 1000;

    /// The first `limit` rows.
    pub fn first(limit: u32) -> Self {
        Page { offset: 0, limit }
    }

    /// All rows up to [`Page::MAX_LIMIT`].
    pub fn all() -> Self {
        Page { offset: 0, limit: Self::MAX_LIMIT }
    }

    pub(crate) fn clamped_limit(self) -> i64 {
        i64::from(self.limit.clamp(1, Self::MAX_LIMIT))
    }

    pub(crate) fn offset_i64(self) -> i64 {
        i64::try_from(self.offset).unwrap_or(i64::MAX)
    }
}

impl Default for Page {
    fn default() -> Self {
        Page { offset: 0, limit: 50 }
    }
}

/// A page of rows and the total number of rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Paged<T> {
    pub total: u64,
    pub rows: Vec<T>,
}

/// The listing columns of a stored item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemSummary {
    pub id: ItemId,
    pub version: VersionId,
    /// 0-based index in `Catalog.items`.
    pub position: u32,
    /// 序号 as printed.
    pub seq: Option<u32>,
    pub name: String,
    pub category: Category,
    pub subject: Option<String>,
    /// 地方权力编码.
    pub code: Option<String>,
}

/// A stored item with the whole [`PowerItem`].
#[derive(Debug, Clone, PartialEq)]
pub struct StoredItem {
    pub summary: ItemSummary,
    pub bureau: BureauId,
    pub item: PowerItem,
}

/// An item (of a bureau's current version) that cites a statute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitingItem {
    pub item: ItemSummary,
    pub bureau: BureauId,
    pub bureau_name: String,
    pub version_number: u32,
    /// The cited articles of that statute in the item, ascending; empty when it cites only
    /// the statute as a whole.
    pub articles: Vec<u32>,
}

/// A role a user holds. Only [`Role::Admin`] is used now; the others are for case work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Imports and publishes catalog versions, manages accounts.
    Admin,
    /// 承办人: handles cases.
    Officer,
    /// 负责人: approves decisions.
    Leader,
    /// 法制审核: reviews legality.
    LegalReviewer,
    /// 监督: reads everything, raises alerts.
    Supervisor,
}

impl Role {
    pub const ALL: [Role; 5] =
        [Role::Admin, Role::Officer, Role::Leader, Role::LegalReviewer, Role::Supervisor];

    /// The stored name (`admin`, `officer`, `leader`, `legal_reviewer`, `supervisor`).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Officer => "officer",
            Role::Leader => "leader",
            Role::LegalReviewer => "legal_reviewer",
            Role::Supervisor => "supervisor",
        }
    }

    /// Parse a stored name.
    pub fn from_str_opt(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A role, everywhere (`bureau == None`) or in one bureau.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RoleGrant {
    pub role: Role,
    pub bureau: Option<BureauId>,
}

impl RoleGrant {
    /// The role everywhere.
    pub fn global(role: Role) -> Self {
        RoleGrant { role, bureau: None }
    }
}

/// An account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub roles: Vec<RoleGrant>,
    pub created_at: Timestamp,
    /// A disabled user cannot log in and has no live sessions.
    pub disabled: bool,
}

impl User {
    /// Whether the user holds `role` everywhere.
    pub fn has_global_role(&self, role: Role) -> bool {
        self.roles.iter().any(|g| g.role == role && g.bureau.is_none())
    }

    /// Whether the user is an administrator.
    pub fn is_admin(&self) -> bool {
        self.has_global_role(Role::Admin)
    }
}

/// Minimum length of a password, in characters.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Maximum length of a password, in bytes (argon2 hashes the whole input).
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// A live server-side session with its user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user: User,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    /// Token to require in a form field/header on every state-changing request.
    pub csrf_token: String,
}

/// A session just created: the token is shown to the client once and never stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    /// 64 hex characters (32 random bytes). Put it in an HttpOnly cookie.
    pub token: String,
    pub session: Session,
}

/// One login attempt, for rate limiting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginAttempt {
    /// The user name as typed (it need not exist).
    pub username: String,
    /// Remote address, when known.
    pub remote: Option<String>,
    pub at: Timestamp,
    pub success: bool,
}
