//! Bureaus, catalog versions, items, citations and diagnostics.

use std::collections::BTreeSet;

use quanze_model::{Catalog, Category, Diagnostic, DiagnosticCode, PowerItem, Severity};

use crate::db::{read_pool, write_tx};
use crate::row::RowExt;
use crate::validate::{self, normalize_statute_title};
use crate::{
    Bureau, BureauId, BureauSummary, CitingItem, ItemId, ItemSummary, Page, Paged, Result, Store, StoreError,
    StoredItem, StoredVersion, UserId, VersionId, VersionInfo, VersionStatus, now,
};

/// Rows per multi-row INSERT: at most 8 binds a row, far below SQLite's 32,766 and
/// PostgreSQL's 65,535 bind parameters per statement.
const ROWS_PER_INSERT: usize = 200;

/// Longest bureau name accepted.
const MAX_BUREAU_CHARS: usize = 200;

macro_rules! version_select {
    () => {
        "SELECT v.id, v.bureau_id, v.number, v.status, v.imported_by, u.username AS imported_by_name, \
         v.imported_at, v.published_by, v.published_at, v.file_name, v.sha256, v.title, v.edition, \
         v.item_count, v.diagnostic_count, v.epoch FROM versions v LEFT JOIN users u ON u.id = v.imported_by "
    };
}

macro_rules! item_select {
    () => {
        "SELECT i.id, i.version_id, i.position, i.seq, i.name, i.category, i.subject, i.code, \
         i.item_json, v.bureau_id FROM items i JOIN versions v ON v.id = i.version_id "
    };
}

/// Take the next catalog epoch and stamp version `$version` with it, inside the write
/// transaction `$tx` (the counter's row lock orders concurrent writers on PostgreSQL).
macro_rules! bump_epoch {
    ($tx:ident, $version:expr) => {{
        let n = sqlx::query("UPDATE catalog_epoch SET n = n + 1 WHERE id = 1 RETURNING n")
            .fetch_one(&mut *$tx)
            .await?
            .i64("n")?;
        sqlx::query("UPDATE versions SET epoch = $1 WHERE id = $2")
            .bind(n)
            .bind($version)
            .execute(&mut *$tx)
            .await?;
    }};
}

pub(crate) use bump_epoch;

/// Where [`Store::store_version_in`] puts a version.
#[derive(Clone, Copy)]
enum Target<'a> {
    /// An existing bureau.
    Bureau(BureauId),
    /// The bureau with this (validated) name, created when missing.
    Named(&'a str),
}

pub(crate) const UPDATE_CURRENT: &str = "UPDATE bureaus SET current_version_id = (SELECT id FROM versions \
     WHERE bureau_id = $1 ORDER BY CASE WHEN status = 'published' THEN 1 ELSE 0 END DESC, number DESC LIMIT 1) \
     WHERE id = $1";

fn bureau_from_row(row: &impl RowExt) -> Result<Bureau> {
    Ok(Bureau {
        id: BureauId(row.i64("id")?),
        name: row.string("name")?,
        region: row.opt_string("region")?,
        created_at: row.i64("created_at")?,
    })
}

fn version_from_row(row: &impl RowExt) -> Result<VersionInfo> {
    let status = row.string("status")?;
    Ok(VersionInfo {
        id: VersionId(row.i64("id")?),
        bureau: BureauId(row.i64("bureau_id")?),
        number: row.u32("number")?,
        status: VersionStatus::from_str_opt(&status)
            .ok_or_else(|| StoreError::corrupt(format!("version status {status:?}")))?,
        imported_by: row.opt_i64("imported_by")?.map(UserId),
        imported_by_name: row.opt_string("imported_by_name")?,
        imported_at: row.i64("imported_at")?,
        published_by: row.opt_i64("published_by")?.map(UserId),
        published_at: row.opt_i64("published_at")?,
        file_name: row.string("file_name")?,
        sha256: row.string("sha256")?,
        title: row.opt_string("title")?,
        edition: row.opt_string("edition")?,
        item_count: row.u64("item_count")?,
        diagnostic_count: row.u64("diagnostic_count")?,
    })
}

fn summary_from_row(row: &impl RowExt) -> Result<ItemSummary> {
    let category = row.string("category")?;
    Ok(ItemSummary {
        id: ItemId(row.i64("id")?),
        version: VersionId(row.i64("version_id")?),
        position: row.u32("position")?,
        seq: row.opt_u32("seq")?,
        name: row.string("name")?,
        category: Category::from_id(&category)
            .ok_or_else(|| StoreError::corrupt(format!("category {category:?}")))?,
        subject: row.opt_string("subject")?,
        code: row.opt_string("code")?,
    })
}

fn item_from_row(row: &impl RowExt) -> Result<StoredItem> {
    let summary = summary_from_row(row)?;
    let json = row.string("item_json")?;
    let item: PowerItem = serde_json::from_str(&json)
        .map_err(|e| StoreError::corrupt(format!("item {} JSON: {e}", summary.id)))?;
    Ok(StoredItem { summary, bureau: BureauId(row.i64("bureau_id")?), item })
}

fn diagnostic_from_row(row: &impl RowExt) -> Result<Diagnostic> {
    let severity = row.string("severity")?;
    let code = row.string("code")?;
    Ok(Diagnostic {
        severity: match severity.as_str() {
            "info" => Severity::Info,
            "warning" => Severity::Warning,
            "error" => Severity::Error,
            other => return Err(StoreError::corrupt(format!("diagnostic severity {other:?}"))),
        },
        code: DiagnosticCode::from_id(&code)
            .ok_or_else(|| StoreError::corrupt(format!("diagnostic code {code:?}")))?,
        item: row.opt_u32("item_seq")?,
        line: row.opt_u32("line")?,
        message: row.string("message")?,
    })
}

/// One item prepared for insertion (serialized before the transaction starts).
struct ItemRow<'a> {
    position: i64,
    item: &'a PowerItem,
    json: String,
    /// (basis, normalized title, article), deduplicated.
    citations: BTreeSet<(&'static str, String, Option<i64>)>,
}

fn prepare_items(catalog: &Catalog) -> Result<Vec<ItemRow<'_>>> {
    catalog
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let json = serde_json::to_string(item)
                .map_err(|e| StoreError::InvalidInput(format!("item {i} cannot be serialized: {e}")))?;
            let mut citations = BTreeSet::new();
            for (basis, list) in [
                ("legal", &item.legal_basis.citations),
                ("accountability", &item.accountability_basis.citations),
            ] {
                for c in list {
                    let title = normalize_statute_title(if c.title.trim().is_empty() {
                        &c.title_raw
                    } else {
                        &c.title
                    });
                    if !title.is_empty() {
                        citations.insert((basis, title, c.article.map(i64::from)));
                    }
                }
            }
            Ok(ItemRow { position: i64::try_from(i).unwrap_or(i64::MAX), item, json, citations })
        })
        .collect()
}

fn u64_to_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl Store {
    /// Find the bureau called `name` (trimmed), creating it when missing. `region` is set
    /// only when the bureau is created.
    pub async fn ensure_bureau(&self, name: &str, region: Option<&str>) -> Result<Bureau> {
        let name = validate::name("bureau name", name, MAX_BUREAU_CHARS)?;
        if let Some(r) = region {
            validate::no_nul("region", r)?;
        }
        let created_at = now();
        let bureau = write_tx!(self, |tx, _pg| {
            sqlx::query("INSERT INTO bureaus (name, region, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING")
                .bind(name)
                .bind(region)
                .bind(created_at)
                .execute(&mut *tx)
                .await?;
            let row = sqlx::query("SELECT id, name, region, created_at FROM bureaus WHERE name = $1")
                .bind(name)
                .fetch_one(&mut *tx)
                .await?;
            bureau_from_row(&row)?
        });
        Ok(bureau)
    }

    /// The bureau with this id.
    pub async fn bureau(&self, id: BureauId) -> Result<Option<Bureau>> {
        read_pool!(self, |pool| {
            let row = sqlx::query("SELECT id, name, region, created_at FROM bureaus WHERE id = $1")
                .bind(id.0)
                .fetch_optional(pool)
                .await?;
            row.as_ref().map(bureau_from_row).transpose()
        })
    }

    /// The bureau called exactly `name` (after trimming).
    pub async fn bureau_by_name(&self, name: &str) -> Result<Option<Bureau>> {
        validate::no_nul("bureau name", name)?;
        read_pool!(self, |pool| {
            let row = sqlx::query("SELECT id, name, region, created_at FROM bureaus WHERE name = $1")
                .bind(name.trim())
                .fetch_optional(pool)
                .await?;
            row.as_ref().map(bureau_from_row).transpose()
        })
    }

    /// All bureaus by name (code-point order), each with its current version, that version's item count and
    /// how many versions it has.
    pub async fn list_bureaus(&self) -> Result<Vec<BureauSummary>> {
        let (mut bureaus, counts, mut currents) = read_pool!(self, |pool| {
            let rows = sqlx::query(
                "SELECT id, name, region, created_at, current_version_id FROM bureaus ORDER BY id",
            )
            .fetch_all(pool)
            .await?;
            let mut bureaus = Vec::with_capacity(rows.len());
            for row in &rows {
                bureaus.push((bureau_from_row(row)?, row.opt_i64("current_version_id")?));
            }
            let rows = sqlx::query("SELECT bureau_id, COUNT(*) AS n FROM versions GROUP BY bureau_id")
                .fetch_all(pool)
                .await?;
            let mut counts = std::collections::HashMap::new();
            for row in &rows {
                counts.insert(row.i64("bureau_id")?, row.u64("n")?);
            }
            let rows = sqlx::query(concat!(
                version_select!(),
                "WHERE v.id IN (SELECT current_version_id FROM bureaus WHERE current_version_id IS NOT NULL)"
            ))
            .fetch_all(pool)
            .await?;
            let mut currents = std::collections::HashMap::new();
            for row in &rows {
                let v = version_from_row(row)?;
                currents.insert(v.id.0, v);
            }
            (bureaus, counts, currents)
        });
        // By name in code-point order, on both backends whatever the database collation.
        bureaus.sort_by(|a, b| a.0.name.cmp(&b.0.name));
        Ok(bureaus
            .into_iter()
            .map(|(bureau, current)| {
                let current = current.and_then(|id| currents.remove(&id));
                BureauSummary {
                    item_count: current.as_ref().map_or(0, |v| v.item_count),
                    version_count: counts.get(&bureau.id.0).copied().unwrap_or(0),
                    current,
                    bureau,
                }
            })
            .collect())
    }

    /// Store `catalog` as the next version of `bureau`, as a draft, with its items,
    /// citations and diagnostics, in one transaction. When the bureau already has a version
    /// with the same `source.sha256`, that version is returned and nothing is written.
    /// `imported_by` is `None` for the system (seed data, command line).
    pub async fn store_version(
        &self,
        bureau: BureauId,
        catalog: &Catalog,
        imported_by: Option<UserId>,
    ) -> Result<StoredVersion> {
        let (_, stored) = self.store_version_in(Target::Bureau(bureau), catalog, imported_by, false).await?;
        Ok(stored)
    }

    /// The one transaction of an import: find or create the bureau, store the version (or
    /// find the same file stored before), publish it when `publish`, and take the next
    /// catalog epoch (see [`Store::catalog_epoch`]). A failure anywhere leaves nothing: no
    /// bureau without its list, no draft left behind a failed publish (issue 12).
    async fn store_version_in(
        &self,
        target: Target<'_>,
        catalog: &Catalog,
        imported_by: Option<UserId>,
        publish: bool,
    ) -> Result<(Bureau, StoredVersion)> {
        let catalog_json = validate::catalog_json(catalog)?;
        let items = prepare_items(catalog)?;
        let src = &catalog.source;
        let imported_at = now();
        let status = if publish { VersionStatus::Published } else { VersionStatus::Draft };
        let (bureau, id, created) = write_tx!(self, |tx, pg| {
            let (by_id, by_name) = if pg {
                (
                    "SELECT id, name, region, created_at FROM bureaus WHERE id = $1 FOR UPDATE",
                    "SELECT id, name, region, created_at FROM bureaus WHERE name = $1 FOR UPDATE",
                )
            } else {
                (
                    "SELECT id, name, region, created_at FROM bureaus WHERE id = $1",
                    "SELECT id, name, region, created_at FROM bureaus WHERE name = $1",
                )
            };
            let row = match target {
                Target::Bureau(b) => sqlx::query(by_id)
                    .bind(b.0)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or_else(|| StoreError::NotFound(format!("bureau {b}")))?,
                Target::Named(name) => {
                    sqlx::query(
                        "INSERT INTO bureaus (name, region, created_at) VALUES ($1, NULL, $2) ON CONFLICT (name) DO NOTHING",
                    )
                    .bind(name)
                    .bind(imported_at)
                    .execute(&mut *tx)
                    .await?;
                    sqlx::query(by_name).bind(name).fetch_one(&mut *tx).await?
                }
            };
            let bureau = bureau_from_row(&row)?;
            let bureau_id = bureau.id.0;
            let existing =
                sqlx::query("SELECT id, status FROM versions WHERE bureau_id = $1 AND sha256 = $2")
                    .bind(bureau_id)
                    .bind(&src.sha256)
                    .fetch_optional(&mut *tx)
                    .await?;
            if let Some(row) = existing {
                let version_id = row.i64("id")?;
                if publish && row.string("status")? != VersionStatus::Published.as_str() {
                    sqlx::query(
                        "UPDATE versions SET status = 'published', published_by = $2, published_at = $3 WHERE id = $1",
                    )
                    .bind(version_id)
                    .bind(imported_by.map(|u| u.0))
                    .bind(imported_at)
                    .execute(&mut *tx)
                    .await?;
                    sqlx::query(UPDATE_CURRENT).bind(bureau_id).execute(&mut *tx).await?;
                    bump_epoch!(tx, version_id);
                }
                (bureau, version_id, false)
            } else {
                let number = sqlx::query(
                    "SELECT COALESCE(MAX(number), 0) + 1 AS n FROM versions WHERE bureau_id = $1",
                )
                .bind(bureau_id)
                .fetch_one(&mut *tx)
                .await?
                .i64("n")?;
                let version_id = sqlx::query(
                    "INSERT INTO versions (bureau_id, number, imported_by, imported_at, file_name, sha256, \
                     title, edition, item_count, diagnostic_count, catalog_json, status) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
                )
                .bind(bureau_id)
                .bind(number)
                .bind(imported_by.map(|u| u.0))
                .bind(imported_at)
                .bind(&src.file_name)
                .bind(&src.sha256)
                .bind(&src.title)
                .bind(&src.edition)
                .bind(u64_to_i64(catalog.items.len()))
                .bind(u64_to_i64(catalog.diagnostics.len()))
                .bind(&catalog_json)
                .bind(status.as_str())
                .fetch_one(&mut *tx)
                .await?
                .i64("id")?;
                // Multi-row inserts: a 1,000-item version is a few dozen statements, not
                // thousands of round trips (PostgreSQL over a network cares).
                for chunk in items.chunks(ROWS_PER_INSERT) {
                    let mut qb = sqlx::QueryBuilder::new(
                        "INSERT INTO items (version_id, position, seq, name, category, subject, code, item_json) ",
                    );
                    qb.push_values(chunk, |mut b, row| {
                        b.push_bind(version_id)
                            .push_bind(row.position)
                            .push_bind(row.item.seq.map(i64::from))
                            .push_bind(row.item.name.clone())
                            .push_bind(row.item.category.id())
                            .push_bind(row.item.subject.clone())
                            .push_bind(row.item.code.clone())
                            .push_bind(row.json.clone());
                    });
                    qb.build().execute(&mut *tx).await?;
                }
                let mut item_ids = vec![0i64; items.len()];
                for r in sqlx::query("SELECT id, position FROM items WHERE version_id = $1")
                    .bind(version_id)
                    .fetch_all(&mut *tx)
                    .await?
                {
                    let slot = usize::try_from(r.i64("position")?)
                        .ok()
                        .and_then(|p| item_ids.get_mut(p))
                        .ok_or_else(|| StoreError::corrupt("item position out of range"))?;
                    *slot = r.i64("id")?;
                }
                let citations: Vec<(i64, &'static str, &str, Option<i64>)> = items
                    .iter()
                    .zip(&item_ids)
                    .flat_map(|(row, &id)| {
                        row.citations.iter().map(move |(b, t, a)| (id, *b, t.as_str(), *a))
                    })
                    .collect();
                for chunk in citations.chunks(ROWS_PER_INSERT) {
                    let mut qb = sqlx::QueryBuilder::new(
                        "INSERT INTO citations (item_id, version_id, basis, title, article) ",
                    );
                    qb.push_values(chunk, |mut b, (item_id, basis, title, article)| {
                        b.push_bind(*item_id)
                            .push_bind(version_id)
                            .push_bind(*basis)
                            .push_bind(title.to_string())
                            .push_bind(*article);
                    });
                    qb.build().execute(&mut *tx).await?;
                }
                let diagnostics: Vec<_> = catalog.diagnostics.iter().enumerate().collect();
                for chunk in diagnostics.chunks(ROWS_PER_INSERT) {
                    let mut qb = sqlx::QueryBuilder::new(
                        "INSERT INTO diagnostics (version_id, position, severity, code, item_seq, line, message) ",
                    );
                    qb.push_values(chunk, |mut b, (i, d)| {
                        b.push_bind(version_id)
                            .push_bind(u64_to_i64(*i))
                            .push_bind(d.severity.as_str())
                            .push_bind(d.code.as_str())
                            .push_bind(d.item.map(i64::from))
                            .push_bind(d.line.map(i64::from))
                            .push_bind(d.message.clone());
                    });
                    qb.build().execute(&mut *tx).await?;
                }
                if publish {
                    sqlx::query("UPDATE versions SET published_by = $2, published_at = $3 WHERE id = $1")
                        .bind(version_id)
                        .bind(imported_by.map(|u| u.0))
                        .bind(imported_at)
                        .execute(&mut *tx)
                        .await?;
                }
                sqlx::query(UPDATE_CURRENT).bind(bureau_id).execute(&mut *tx).await?;
                bump_epoch!(tx, version_id);
                (bureau, version_id, true)
            }
        });
        let version = self
            .version(VersionId(id))
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("version {id} just stored")))?;
        Ok((bureau, StoredVersion { version, created }))
    }

    /// The bureau a catalog belongs to: its `source.publisher`, created when missing.
    /// [`StoreError::NoPublisher`] when the catalog names none.
    pub async fn bureau_of_catalog(&self, catalog: &Catalog) -> Result<Bureau> {
        match catalog.source.publisher.as_deref().map(str::trim) {
            Some(p) if !p.is_empty() => self.ensure_bureau(p, None).await,
            _ => Err(StoreError::NoPublisher),
        }
    }

    /// [`Store::bureau_of_catalog`] then [`Store::store_version`], in one transaction.
    pub async fn import_catalog(
        &self,
        catalog: &Catalog,
        imported_by: Option<UserId>,
    ) -> Result<(Bureau, StoredVersion)> {
        self.import_catalog_with(catalog, imported_by, false).await
    }

    /// [`Store::import_catalog`], published at once when `publish`: the bureau, the version
    /// and its publication are one transaction, so a failure leaves no draft behind.
    pub async fn import_catalog_with(
        &self,
        catalog: &Catalog,
        imported_by: Option<UserId>,
        publish: bool,
    ) -> Result<(Bureau, StoredVersion)> {
        let name = match catalog.source.publisher.as_deref().map(str::trim) {
            Some(p) if !p.is_empty() => validate::name("bureau name", p, MAX_BUREAU_CHARS)?,
            _ => return Err(StoreError::NoPublisher),
        };
        self.store_version_in(Target::Named(name), catalog, imported_by, publish).await
    }

    /// The catalog epoch: a counter every write that adds or changes a version advances in
    /// its transaction (migration 0006). One row, read cheaply by a server's poll; when it
    /// moved, [`Store::versions_since`] names what changed.
    pub async fn catalog_epoch(&self) -> Result<i64> {
        read_pool!(self, |pool| {
            let row = sqlx::query("SELECT n FROM catalog_epoch WHERE id = 1").fetch_optional(pool).await?;
            row.as_ref().map(|r| r.i64("n")).transpose().map(|n| n.unwrap_or(0))
        })
    }

    /// The versions added or changed after epoch `since`, each with its epoch, oldest change
    /// first.
    pub async fn versions_since(&self, since: i64) -> Result<Vec<(VersionInfo, i64)>> {
        read_pool!(self, |pool| {
            let rows = sqlx::query(concat!(version_select!(), "WHERE v.epoch > $1 ORDER BY v.epoch"))
                .bind(since)
                .fetch_all(pool)
                .await?;
            rows.iter().map(|r| Ok((version_from_row(r)?, r.i64("epoch")?))).collect()
        })
    }

    /// One version's metadata.
    pub async fn version(&self, id: VersionId) -> Result<Option<VersionInfo>> {
        read_pool!(self, |pool| {
            let row = sqlx::query(concat!(version_select!(), "WHERE v.id = $1"))
                .bind(id.0)
                .fetch_optional(pool)
                .await?;
            row.as_ref().map(version_from_row).transpose()
        })
    }

    /// A bureau's versions, newest (highest number) first.
    pub async fn versions(&self, bureau: BureauId) -> Result<Vec<VersionInfo>> {
        read_pool!(self, |pool| {
            let rows =
                sqlx::query(concat!(version_select!(), "WHERE v.bureau_id = $1 ORDER BY v.number DESC"))
                    .bind(bureau.0)
                    .fetch_all(pool)
                    .await?;
            rows.iter().map(version_from_row).collect()
        })
    }

    /// The version of a bureau the portal shows: its newest published version, or its newest
    /// version when none is published yet ("published-or-latest"). `None` before any import.
    pub async fn current_version(&self, bureau: BureauId) -> Result<Option<VersionInfo>> {
        read_pool!(self, |pool| {
            let row = sqlx::query(concat!(
                version_select!(),
                "JOIN bureaus b ON b.current_version_id = v.id WHERE b.id = $1"
            ))
            .bind(bureau.0)
            .fetch_optional(pool)
            .await?;
            row.as_ref().map(version_from_row).transpose()
        })
    }

    /// The whole catalog of a version, exactly as stored.
    pub async fn catalog(&self, id: VersionId) -> Result<Option<Catalog>> {
        match self.catalog_json(id).await? {
            None => Ok(None),
            Some(json) => serde_json::from_str(&json)
                .map(Some)
                .map_err(|e| StoreError::corrupt(format!("catalog of version {id}: {e}"))),
        }
    }

    /// The catalog JSON of a version, byte for byte as stored (for re-export).
    pub async fn catalog_json(&self, id: VersionId) -> Result<Option<String>> {
        read_pool!(self, |pool| {
            let row = sqlx::query("SELECT catalog_json FROM versions WHERE id = $1")
                .bind(id.0)
                .fetch_optional(pool)
                .await?;
            row.as_ref().map(|r| r.string("catalog_json")).transpose()
        })
    }

    /// Mark a version published (by `by`, `None` for the system) and make it the bureau's
    /// current version when it is its newest published one. Publishing a published version
    /// changes nothing.
    pub async fn publish_version(&self, id: VersionId, by: Option<UserId>) -> Result<VersionInfo> {
        let at = now();
        write_tx!(self, |tx, _pg| {
            let row = sqlx::query("SELECT bureau_id, status FROM versions WHERE id = $1")
                .bind(id.0)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| StoreError::NotFound(format!("version {id}")))?;
            let bureau = row.i64("bureau_id")?;
            if row.string("status")? != VersionStatus::Published.as_str() {
                sqlx::query(
                    "UPDATE versions SET status = 'published', published_by = $2, published_at = $3 WHERE id = $1",
                )
                .bind(id.0)
                .bind(by.map(|u| u.0))
                .bind(at)
                .execute(&mut *tx)
                .await?;
                sqlx::query(UPDATE_CURRENT).bind(bureau).execute(&mut *tx).await?;
                bump_epoch!(tx, id.0);
            }
        });
        self.version(id).await?.ok_or_else(|| StoreError::NotFound(format!("version {id}")))
    }

    /// The findings of a version's import, in the order the importer gave them.
    pub async fn diagnostics(&self, id: VersionId) -> Result<Vec<Diagnostic>> {
        read_pool!(self, |pool| {
            let rows = sqlx::query(
                "SELECT severity, code, item_seq, line, message FROM diagnostics WHERE version_id = $1 ORDER BY position",
            )
            .bind(id.0)
            .fetch_all(pool)
            .await?;
            rows.iter().map(diagnostic_from_row).collect()
        })
    }

    /// Items of a version in catalog order, whole.
    pub async fn items(&self, version: VersionId, page: Page) -> Result<Paged<StoredItem>> {
        let total = self.count_items(version).await?;
        let rows = read_pool!(self, |pool| {
            let rows = sqlx::query(concat!(
                item_select!(),
                "WHERE i.version_id = $1 ORDER BY i.position LIMIT $2 OFFSET $3"
            ))
            .bind(version.0)
            .bind(page.clamped_limit())
            .bind(page.offset_i64())
            .fetch_all(pool)
            .await?;
            rows.iter().map(item_from_row).collect::<Result<Vec<_>>>()?
        });
        Ok(Paged { total, rows })
    }

    /// Items of a version in catalog order, listing columns only (no JSON decoding).
    pub async fn item_summaries(&self, version: VersionId, page: Page) -> Result<Paged<ItemSummary>> {
        let total = self.count_items(version).await?;
        let rows = read_pool!(self, |pool| {
            let rows = sqlx::query(
                "SELECT id, version_id, position, seq, name, category, subject, code FROM items \
                 WHERE version_id = $1 ORDER BY position LIMIT $2 OFFSET $3",
            )
            .bind(version.0)
            .bind(page.clamped_limit())
            .bind(page.offset_i64())
            .fetch_all(pool)
            .await?;
            rows.iter().map(summary_from_row).collect::<Result<Vec<_>>>()?
        });
        Ok(Paged { total, rows })
    }

    /// The ids of a version's items in catalog order: `ids[position]`.
    pub async fn item_ids(&self, version: VersionId) -> Result<Vec<ItemId>> {
        read_pool!(self, |pool| {
            let rows = sqlx::query("SELECT id FROM items WHERE version_id = $1 ORDER BY position")
                .bind(version.0)
                .fetch_all(pool)
                .await?;
            rows.iter().map(|r| r.i64("id").map(ItemId)).collect()
        })
    }

    async fn count_items(&self, version: VersionId) -> Result<u64> {
        read_pool!(self, |pool| {
            sqlx::query("SELECT COUNT(*) AS n FROM items WHERE version_id = $1")
                .bind(version.0)
                .fetch_one(pool)
                .await?
                .u64("n")
        })
    }

    /// Items of a bureau's current (published-or-latest, see [`Store::current_version`])
    /// version, with that version. `None` when the bureau has no version.
    pub async fn current_items(
        &self,
        bureau: BureauId,
        page: Page,
    ) -> Result<Option<(VersionInfo, Paged<StoredItem>)>> {
        match self.current_version(bureau).await? {
            None => Ok(None),
            Some(v) => {
                let items = self.items(v.id, page).await?;
                Ok(Some((v, items)))
            }
        }
    }

    /// One item by id, whole.
    pub async fn item(&self, id: ItemId) -> Result<Option<StoredItem>> {
        read_pool!(self, |pool| {
            let row = sqlx::query(concat!(item_select!(), "WHERE i.id = $1"))
                .bind(id.0)
                .fetch_optional(pool)
                .await?;
            row.as_ref().map(item_from_row).transpose()
        })
    }

    /// Items of every bureau's current version that cite `statute` (normalized like
    /// citations: 《》 and 中华人民共和国 do not matter), and article `article` of it when
    /// given. Ordered by bureau name (code points), then catalog order; one row per item.
    pub async fn items_citing(
        &self,
        statute: &str,
        article: Option<u32>,
        page: Page,
    ) -> Result<Paged<CitingItem>> {
        validate::no_nul("statute", statute)?;
        let title = normalize_statute_title(statute);
        let rows = read_pool!(self, |pool| {
            let rows = sqlx::query(
                "SELECT i.id, i.version_id, i.position, i.seq, i.name, i.category, i.subject, i.code, \
                 b.id AS bureau_id, b.name AS bureau_name, v.number, c.article \
                 FROM citations c JOIN items i ON i.id = c.item_id JOIN versions v ON v.id = c.version_id \
                 JOIN bureaus b ON b.current_version_id = v.id \
                 WHERE c.title = $1 AND ($2 IS NULL OR c.article = $2) \
                 ORDER BY b.id, i.position, c.article",
            )
            .bind(&title)
            .bind(article.map(i64::from))
            .fetch_all(pool)
            .await?;
            let mut out: Vec<CitingItem> = Vec::new();
            for row in &rows {
                let summary = summary_from_row(row)?;
                let art = row.opt_u32("article")?;
                match out.last_mut() {
                    Some(last) if last.item.id == summary.id => {
                        if let Some(a) = art
                            && !last.articles.contains(&a)
                        {
                            last.articles.push(a);
                        }
                    }
                    _ => out.push(CitingItem {
                        item: summary,
                        bureau: BureauId(row.i64("bureau_id")?),
                        bureau_name: row.string("bureau_name")?,
                        version_number: row.u32("number")?,
                        articles: art.into_iter().collect(),
                    }),
                }
            }
            out
        });
        // Sorted here, not in SQL, so both backends agree whatever the database collation.
        let mut rows = rows;
        rows.sort_by(|a, b| a.bureau_name.cmp(&b.bureau_name).then(a.item.position.cmp(&b.item.position)));
        let total = rows.len() as u64;
        let start = usize::try_from(page.offset).unwrap_or(usize::MAX).min(rows.len());
        let limit = usize::try_from(page.clamped_limit()).unwrap_or(usize::MAX);
        let rows = rows.into_iter().skip(start).take(limit).collect();
        Ok(Paged { total, rows })
    }
}
