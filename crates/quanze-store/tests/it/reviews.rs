//! The review and publication record (`version_reviews`, migration 0005): each step is
//! checked against where the draft stands and written with its effect in one transaction.

use quanze_store::{
    ReviewAction, ReviewInput, ReviewOverride, ReviewState, Role, RoleGrant, StoreError, UserId, VersionId,
    VersionStatus,
};

use crate::both;
use crate::fixtures::small;
use crate::harness::Db;

both!(
    review_then_publish_is_recorded,
    wrong_steps_are_refused_and_write_nothing,
    delete_removes_only_the_newest_draft,
    the_record_is_append_only
);

fn step(version: VersionId, action: ReviewAction, by: UserId, at: i64, note: &str) -> ReviewInput {
    ReviewInput {
        version,
        action,
        by,
        at,
        note: note.into(),
        approval_no: None,
        overrides: Vec::new(),
        added: 0,
        removed: 0,
        changed: 0,
    }
}

fn override_all(reason: &str) -> Vec<ReviewOverride> {
    vec![ReviewOverride {
        code: "declared-count-mismatch".into(),
        item: None,
        line: None,
        message: "标题称共45项，实有44项".into(),
        reason: reason.into(),
    }]
}

async fn users(db: &Db) -> (UserId, UserId) {
    let reviewer = db
        .create_user("fazhi", "reviewer password 1", &[RoleGrant::global(Role::LegalReviewer)])
        .await
        .expect("reviewer");
    let admin =
        db.create_user("admin", "admin password 1", &[RoleGrant::global(Role::Admin)]).await.expect("admin");
    (reviewer.id, admin.id)
}

async fn review_then_publish_is_recorded(db: &Db) {
    let (reviewer, admin) = users(db).await;
    let b = db.ensure_bureau("涞源县医疗保障局", None).await.expect("bureau");
    let v = db.store_version(b.id, &small("涞源县医疗保障局", "r1"), None).await.expect("store").version;
    let approved = db
        .record_review(&step(v.id, ReviewAction::Approve, reviewer, 1_800_000_000, "依据核对无误"))
        .await
        .expect("approve");
    assert_eq!(
        (approved.action, approved.by_name.as_str(), approved.version_number),
        (ReviewAction::Approve, "fazhi", 1)
    );
    assert_eq!(db.version(v.id).await.expect("read").expect("some").status, VersionStatus::Draft);

    let mut publish = step(v.id, ReviewAction::Publish, admin, 1_800_000_100, "首次发布");
    publish.approval_no = Some("涞医保发〔2025〕3号".into());
    publish.overrides = override_all("标题所称项数为笔误，以明细为准");
    publish.added = 3;
    let done = db.record_review(&publish).await.expect("publish");
    assert_eq!(done.overrides, publish.overrides, "the overrides and their reasons are kept");
    assert_eq!(
        (done.approval_no.as_deref(), done.added, done.at),
        (Some("涞医保发〔2025〕3号"), 3, 1_800_000_100)
    );
    let after = db.version(v.id).await.expect("read").expect("some");
    assert_eq!(
        (after.status, after.published_by, after.published_at),
        (VersionStatus::Published, Some(admin), Some(1_800_000_100))
    );
    assert_eq!(db.current_version(b.id).await.expect("current").map(|c| c.id), Some(v.id));

    let entries = db.review_entries(v.id).await.expect("entries");
    assert_eq!(
        entries.iter().map(|e| e.action).collect::<Vec<_>>(),
        [ReviewAction::Approve, ReviewAction::Publish]
    );
    assert_eq!(entries[1], done);
    let log = db.review_log(Some(b.id), 10).await.expect("log");
    assert_eq!(log.first().map(|e| e.action), Some(ReviewAction::Publish), "newest first");
    assert_eq!(log.first().map(|e| e.bureau_name.as_str()), Some("涞源县医疗保障局"));
    assert_eq!(db.last_review_actions().await.expect("last"), vec![(v.id, ReviewAction::Publish)]);
}

async fn wrong_steps_are_refused_and_write_nothing(db: &Db) {
    let (reviewer, admin) = users(db).await;
    let b = db.ensure_bureau("民勤县医疗保障局", None).await.expect("bureau");
    let v = db.store_version(b.id, &small("民勤县医疗保障局", "w1"), None).await.expect("store").version;
    // Not approved yet: no publication.
    let mut publish = step(v.id, ReviewAction::Publish, admin, 1, "发布");
    publish.overrides = override_all("理由");
    let err = db.record_review(&publish).await.expect_err("not approved");
    assert!(matches!(&err, StoreError::Conflict(m) if m.contains("待审核")), "{err:?}");
    db.record_review(&step(v.id, ReviewAction::Approve, reviewer, 2, "")).await.expect("approve");
    // Approved, but an error finding without its reason: refused, the version stays a draft.
    let bare = step(v.id, ReviewAction::Publish, admin, 3, "发布");
    let err = db.record_review(&bare).await.expect_err("errors not overridden");
    assert!(matches!(&err, StoreError::Conflict(m) if m.contains("1 条错误")), "{err:?}");
    let mut blank = publish.clone();
    blank.overrides[0].reason = "  ".into();
    assert!(matches!(db.record_review(&blank).await, Err(StoreError::InvalidInput(_))));
    let mut nul = publish.clone();
    nul.note = "a\0b".into();
    assert!(matches!(db.record_review(&nul).await, Err(StoreError::InvalidInput(_))));
    assert_eq!(db.version(v.id).await.expect("read").expect("some").status, VersionStatus::Draft);
    assert_eq!(db.review_entries(v.id).await.expect("entries").len(), 1, "refused steps leave no row");
    // Returned: back to the officer; a submit puts it in the queue again.
    db.record_review(&step(v.id, ReviewAction::Return, reviewer, 4, "依据第九百条不存在"))
        .await
        .expect("return");
    assert!(db.record_review(&step(v.id, ReviewAction::Approve, reviewer, 5, "")).await.is_err());
    db.record_review(&step(v.id, ReviewAction::Submit, admin, 6, "已核对")).await.expect("submit");
    db.record_review(&step(v.id, ReviewAction::Approve, reviewer, 7, "")).await.expect("approve again");
    db.record_review(&publish).await.expect("publish");
    let last = db.last_review_actions().await.expect("last");
    assert_eq!(ReviewState::of(true, last.first().map(|l| l.1)), ReviewState::Published);
    for a in ReviewAction::ALL {
        let mut s = step(v.id, a, admin, 9, "");
        if a == ReviewAction::Publish {
            s.overrides = override_all("理由");
        }
        assert!(
            matches!(db.record_review(&s).await, Err(StoreError::Conflict(_))),
            "{a:?} after publication"
        );
    }
    assert!(matches!(
        db.record_review(&step(VersionId(999_999), ReviewAction::Approve, reviewer, 1, "")).await,
        Err(StoreError::NotFound(_))
    ));
}

async fn delete_removes_only_the_newest_draft(db: &Db) {
    let (_, admin) = users(db).await;
    let b = db.ensure_bureau("汕尾市医疗保障局", None).await.expect("bureau");
    let v1 = db.store_version(b.id, &small("汕尾市医疗保障局", "d1"), None).await.expect("v1").version;
    let v2 = db.store_version(b.id, &small("汕尾市医疗保障局", "d2"), None).await.expect("v2").version;
    let err =
        db.record_review(&step(v1.id, ReviewAction::Delete, admin, 1, "错传")).await.expect_err("older");
    assert!(matches!(&err, StoreError::Conflict(m) if m.contains("最新")), "{err:?}");
    db.record_review(&step(v1.id, ReviewAction::Withdraw, admin, 2, "作废"))
        .await
        .expect("withdraw the older");
    let gone = db.record_review(&step(v2.id, ReviewAction::Delete, admin, 3, "错传")).await.expect("delete");
    assert_eq!((gone.version_number, gone.bureau), (2, b.id), "the record keeps what the draft was");
    assert_eq!(db.version(v2.id).await.expect("read"), None);
    assert_eq!(db.item_ids(v2.id).await.expect("ids"), Vec::new(), "its items went with it");
    assert_eq!(db.current_version(b.id).await.expect("current").map(|c| c.id), Some(v1.id));
    assert_eq!(db.review_entries(v2.id).await.expect("entries").len(), 1);
    // The number is free again: versions stay 1, 2, … without gaps.
    let again = db.store_version(b.id, &small("汕尾市医疗保障局", "d2"), None).await.expect("again").version;
    assert_eq!(again.number, 2);
}

async fn the_record_is_append_only(db: &Db) {
    let (reviewer, _) = users(db).await;
    let b = db.ensure_bureau("涞源县医疗保障局", None).await.expect("bureau");
    let v = db.store_version(b.id, &small("涞源县医疗保障局", "a1"), None).await.expect("store").version;
    db.record_review(&step(v.id, ReviewAction::Approve, reviewer, 1, "通过")).await.expect("approve");
    let upd =
        db.raw_try("UPDATE version_reviews SET note = 'x'", "UPDATE version_reviews SET note = 'x'").await;
    assert!(upd.is_err(), "UPDATE refused");
    let del = db.raw_try("DELETE FROM version_reviews", "DELETE FROM version_reviews").await;
    assert!(del.is_err(), "DELETE refused");
    assert_eq!(db.review_entries(v.id).await.expect("entries")[0].note, "通过");
}
