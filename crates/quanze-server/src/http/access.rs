//! The access policy: one table from [`Action`] to who may do it, asked by every handler.
//!
//! Two halves, checked in this order:
//! 1. **By role** ([`Access::check`], [`Access::check_write`]): what a role may do everywhere
//!    (an administrator imports, publishes, loads calendars; anybody reads what is public).
//! 2. **By resource** ([`Access::check_resource`]): what depends on the thing itself. Nothing
//!    uses it yet. Cases (issue 8) will: "only the people on a case, their leaders and
//!    supervisors may read it, and every read is logged". The case capability implements
//!    [`ResourcePolicy`] for its case (participants from the case, leaders and supervisors
//!    from role grants, per bureau when `RoleGrant::bureau` is set) and logs the read in its
//!    service once the check has passed; the role half stays as it is.
//!
//! State-changing requests also need the same origin and the session's CSRF token; that is
//! part of [`Access::check_write`] so no handler can forget it.

use quanze_store::{Role, Session};

use super::error::ApiError;
use super::viewer::{Viewer, Who};

/// Something a request wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    /// Read what is published: lists, items, statutes, the calculator, the calendar.
    ReadPublic,
    /// Read unpublished versions (drafts) of a list.
    ReadDrafts,
    /// Import a list as a new version.
    Import,
    /// Publish a version.
    Publish,
    /// Load a year of the working-day calendar.
    ManageCalendar,
    /// See who did something (account names on the calendar's years).
    ReadAccountNames,
    /// Reach the administrators' pages.
    Administer,
    /// Manage accounts (no pages yet; `serve` sets the administrator's password).
    #[allow(dead_code)]
    ManageUsers,
    /// End one's own session.
    EndSession,
    /// Manage the people who work cases (人员管理: add, change, retire, import, link logins).
    ManagePeople,
    /// Case work (open, act, read cases): a login here; the case service then applies the
    /// case's own policy (`quanze_case::access`) and records every read.
    WorkCases,
    /// See the drafts awaiting review and their summaries (issue 11): officers, legal
    /// reviewers and administrators.
    SeeReviews,
    /// Import a list as a draft for review (never published at once): officers and
    /// administrators.
    ImportDraft,
    /// Approve a draft or return it: legal reviewers.
    ReviewDraft,
    /// Withdraw, resubmit or delete a draft: officers and administrators.
    ManageDraft,
}

/// What the action needs of the viewer.
enum Need {
    Nobody,
    Login,
    Role(Role),
    /// Any one of these roles.
    AnyRole(&'static [Role]),
}

impl Action {
    fn need(self) -> Need {
        match self {
            Action::ReadPublic => Need::Nobody,
            Action::EndSession | Action::WorkCases => Need::Login,
            Action::ReadDrafts
            | Action::Import
            | Action::Publish
            | Action::ManageCalendar
            | Action::ReadAccountNames
            | Action::Administer
            | Action::ManageUsers
            | Action::ManagePeople => Need::Role(Role::Admin),
            Action::SeeReviews => Need::AnyRole(&[Role::Admin, Role::Officer, Role::LegalReviewer]),
            Action::ImportDraft | Action::ManageDraft => Need::AnyRole(&[Role::Admin, Role::Officer]),
            Action::ReviewDraft => Need::Role(Role::LegalReviewer),
        }
    }
}

/// Why an action was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum Denied {
    #[error("跨站请求被拒绝。")]
    CrossSite,
    #[error("请先登录。")]
    LoginRequired,
    #[error("缺少 CSRF 令牌（X-CSRF-Token 请求头或 csrf 表单字段）。")]
    CsrfMissing,
    #[error("CSRF 令牌与会话不符，表单可能已过期。")]
    CsrfMismatch,
    #[error("需要{}权限。", role_label(*.0))]
    Role(Role),
    #[error("需要以下权限之一：{}。", .0.iter().map(|r| role_label(*r)).collect::<Vec<_>>().join("、"))]
    AnyRole(&'static [Role]),
    #[error("不是此资源的相关人员。")]
    NotOnResource,
    /// The viewer could not be established (the store failed): a server fault.
    #[error("暂时无法核验登录状态。")]
    Unavailable,
}

fn role_label(r: Role) -> &'static str {
    match r {
        Role::Admin => "管理员",
        Role::Officer => "承办人",
        Role::Leader => "负责人",
        Role::LegalReviewer => "法制审核",
        Role::Supervisor => "监督",
    }
}

impl From<Denied> for ApiError {
    fn from(d: Denied) -> ApiError {
        match d {
            Denied::LoginRequired => ApiError::unauthorized(d.to_string()),
            Denied::Unavailable => ApiError::internal("the session store did not answer"),
            _ => ApiError::forbidden(d.to_string()),
        }
    }
}

/// The per-resource half of the policy (see the module doc). No resource implements it yet;
/// cases will (issue 8).
#[allow(dead_code)]
pub(crate) trait ResourcePolicy {
    /// Whether `session`'s user may do `action` on this resource, given that the role half
    /// already allowed it.
    fn admits(&self, session: &Session, action: Action) -> bool;
}

/// The policy.
pub(crate) struct Access;

impl Access {
    /// May the viewer do `action`? For reads and pages that change nothing (no CSRF token).
    pub(crate) fn check(viewer: &Viewer, action: Action) -> Result<(), Denied> {
        let session = match &viewer.who {
            Who::User { session, .. } => Some(session.as_ref()),
            Who::Anonymous => None,
            Who::Unknown => {
                return match action.need() {
                    Need::Nobody => Ok(()),
                    _ => Err(Denied::Unavailable),
                };
            }
        };
        match (action.need(), session) {
            (Need::Nobody, _) => Ok(()),
            (_, None) => Err(Denied::LoginRequired),
            (Need::Login, Some(_)) => Ok(()),
            (Need::Role(r), Some(s)) if s.user.has_global_role(r) => Ok(()),
            (Need::Role(r), Some(_)) => Err(Denied::Role(r)),
            (Need::AnyRole(rs), Some(s)) if rs.iter().any(|r| s.user.has_global_role(*r)) => Ok(()),
            (Need::AnyRole(rs), Some(_)) => Err(Denied::AnyRole(rs)),
        }
    }

    /// Whether the viewer may do `action`: [`Access::check`] as a yes or no (what a page
    /// shows, such as drafts). Fails closed.
    pub(crate) fn allows(viewer: &Viewer, action: Action) -> bool {
        Self::check(viewer, action).is_ok()
    }

    /// The same origin, for a state-changing request that needs no login (logging in).
    pub(crate) fn check_origin(viewer: &Viewer) -> Result<(), Denied> {
        if viewer.same_origin { Ok(()) } else { Err(Denied::CrossSite) }
    }

    /// The same origin and a login, before a request's body is read: a refused caller learns
    /// nothing of how its body would have been taken.
    pub(crate) fn check_signed_in(viewer: &Viewer) -> Result<&Session, Denied> {
        Self::check_origin(viewer)?;
        match &viewer.who {
            Who::User { session, .. } => Ok(session),
            Who::Anonymous => Err(Denied::LoginRequired),
            Who::Unknown => Err(Denied::Unavailable),
        }
    }

    /// May the viewer do the state-changing `action`? The same origin, a login, the session's
    /// CSRF token (`form_token`, else the `X-CSRF-Token` header), then the role, in that
    /// order. Returns the session.
    pub(crate) fn check_write<'v>(
        viewer: &'v Viewer,
        action: Action,
        form_token: Option<&str>,
    ) -> Result<&'v Session, Denied> {
        let session = Self::check_signed_in(viewer)?;
        match form_token.or(viewer.csrf_header.as_deref()) {
            Some(t) if super::csrf::constant_time_eq(t, &session.csrf_token) => {}
            Some(_) => return Err(Denied::CsrfMismatch),
            None => return Err(Denied::CsrfMissing),
        }
        Self::check(viewer, action)?;
        Ok(session)
    }

    /// [`Access::check`], then the resource's own policy. Unused until cases (issue 8).
    #[allow(dead_code)]
    pub(crate) fn check_resource(
        viewer: &Viewer,
        action: Action,
        resource: &impl ResourcePolicy,
    ) -> Result<(), Denied> {
        Self::check(viewer, action)?;
        match viewer.session() {
            Some(s) if resource.admits(s, action) => Ok(()),
            Some(_) => Err(Denied::NotOnResource),
            None if matches!(action.need(), Need::Nobody) => Ok(()),
            None => Err(Denied::LoginRequired),
        }
    }
}

#[cfg(test)]
mod tests {
    use quanze_store::{RoleGrant, User, UserId};

    use super::*;

    fn session(roles: &[Role]) -> Session {
        Session {
            user: User {
                id: UserId(1),
                username: "u".into(),
                roles: roles.iter().map(|r| RoleGrant::global(*r)).collect(),
                created_at: 0,
                disabled: false,
            },
            created_at: 0,
            csrf_token: "t".repeat(64),
            expires_at: 0,
        }
    }

    fn as_user(roles: &[Role]) -> Viewer {
        Viewer::user("s".repeat(64), session(roles))
    }

    #[test]
    fn the_public_reads_published_lists_and_nothing_else() {
        let v = Viewer::anonymous();
        assert_eq!(Access::check(&v, Action::ReadPublic), Ok(()));
        assert_eq!(Access::check(&v, Action::ReadDrafts), Err(Denied::LoginRequired));
        assert_eq!(Access::check_write(&v, Action::Import, None).err(), Some(Denied::LoginRequired));
    }

    #[test]
    fn only_administrators_read_drafts_and_import() {
        let officer = as_user(&[Role::Officer]);
        assert_eq!(Access::check(&officer, Action::ReadDrafts), Err(Denied::Role(Role::Admin)));
        assert_eq!(Access::check(&officer, Action::EndSession), Ok(()));
        let admin = as_user(&[Role::Admin]);
        assert!(Access::allows(&admin, Action::ReadDrafts));
    }

    #[test]
    fn writes_need_the_same_origin_then_the_csrf_token_then_the_role() {
        let mut officer = as_user(&[Role::Officer]);
        let good = "t".repeat(64);
        assert_eq!(Access::check_write(&officer, Action::Import, None).err(), Some(Denied::CsrfMissing));
        assert_eq!(
            Access::check_write(&officer, Action::Import, Some("x")).err(),
            Some(Denied::CsrfMismatch)
        );
        assert_eq!(
            Access::check_write(&officer, Action::Import, Some(&good)).err(),
            Some(Denied::Role(Role::Admin))
        );
        officer.csrf_header = Some(good.clone());
        assert!(Access::check_write(&officer, Action::EndSession, None).is_ok());
        officer.same_origin = false;
        assert_eq!(
            Access::check_write(&officer, Action::EndSession, Some(&good)).err(),
            Some(Denied::CrossSite)
        );
    }

    #[test]
    fn a_failed_session_lookup_shows_the_public_view_and_refuses_nothing_silently() {
        let v = Viewer { who: Who::Unknown, same_origin: true, csrf_header: None };
        assert!(Access::allows(&v, Action::ReadPublic));
        assert!(!Access::allows(&v, Action::ReadDrafts));
        assert_eq!(Access::check(&v, Action::Publish), Err(Denied::Unavailable));
    }

    #[test]
    fn an_officer_imports_drafts_a_legal_reviewer_approves_an_administrator_publishes() {
        let officer = as_user(&[Role::Officer]);
        let reviewer = as_user(&[Role::LegalReviewer]);
        let admin = as_user(&[Role::Admin]);
        assert!(Access::allows(&officer, Action::ImportDraft));
        assert!(Access::allows(&officer, Action::ManageDraft));
        assert_eq!(Access::check(&officer, Action::ReviewDraft), Err(Denied::Role(Role::LegalReviewer)));
        assert!(!Access::allows(&officer, Action::Publish));
        assert!(Access::allows(&reviewer, Action::ReviewDraft));
        assert!(Access::allows(&reviewer, Action::SeeReviews));
        assert!(!Access::allows(&reviewer, Action::ImportDraft));
        assert!(!Access::allows(&reviewer, Action::Publish));
        assert!(!Access::allows(&reviewer, Action::ReadDrafts), "the summary, not the public pages");
        assert!(Access::allows(&admin, Action::Publish));
        assert!(!Access::allows(&admin, Action::ReviewDraft), "approving is the legal reviewer's");
        let leader = as_user(&[Role::Leader]);
        let denied = Access::check(&leader, Action::SeeReviews).expect_err("a leader");
        assert_eq!(denied.to_string(), "需要以下权限之一：管理员、承办人、法制审核。");
        assert_eq!(Access::check(&Viewer::anonymous(), Action::SeeReviews), Err(Denied::LoginRequired));
    }

    struct OnlyUser(&'static str);
    impl ResourcePolicy for OnlyUser {
        fn admits(&self, s: &Session, _: Action) -> bool {
            s.user.username == self.0
        }
    }

    #[test]
    fn a_resource_can_narrow_what_the_role_allows() {
        let v = as_user(&[Role::Admin]);
        assert_eq!(Access::check_resource(&v, Action::ReadDrafts, &OnlyUser("u")), Ok(()));
        assert_eq!(
            Access::check_resource(&v, Action::ReadDrafts, &OnlyUser("x")),
            Err(Denied::NotOnResource)
        );
    }
}
