//! Plain data of officers at work: case assignments, the read log, a case's particulars,
//! issued documents with their 文号, and publications.

use crate::{BureauId, CaseId, DocumentId, PersonId, PublicationId, Timestamp, UserId};

/// What a person does on a case they are assigned to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AssignmentDuty {
    /// 承办人: handles the case.
    Handler,
    /// 法制审核人员 of this case.
    LegalReviewer,
    /// 听证主持人.
    Presider,
    /// Any other part (记录人, 协办…).
    Other,
}

impl AssignmentDuty {
    pub const ALL: [AssignmentDuty; 4] = [
        AssignmentDuty::Handler,
        AssignmentDuty::LegalReviewer,
        AssignmentDuty::Presider,
        AssignmentDuty::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AssignmentDuty::Handler => "handler",
            AssignmentDuty::LegalReviewer => "legal_reviewer",
            AssignmentDuty::Presider => "presider",
            AssignmentDuty::Other => "other",
        }
    }

    pub fn from_str_opt(s: &str) -> Option<AssignmentDuty> {
        AssignmentDuty::ALL.into_iter().find(|d| d.as_str() == s)
    }

    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            AssignmentDuty::Handler => "承办人",
            AssignmentDuty::LegalReviewer => "法制审核人员",
            AssignmentDuty::Presider => "听证主持人",
            AssignmentDuty::Other => "其他参与人",
        }
    }
}

/// One person on one case, from `assigned_at` until `ended_at`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub id: i64,
    pub case: CaseId,
    pub person: PersonId,
    pub duty: AssignmentDuty,
    pub assigned_at: Timestamp,
    /// Who assigned them (`None`: the system, e.g. the person who opened the case).
    pub assigned_by: Option<PersonId>,
    pub ended_at: Option<Timestamp>,
    pub ended_by: Option<PersonId>,
}

/// What was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReadPurpose {
    /// The case page (timeline, deadlines, particulars).
    Case,
    /// One document.
    Document,
    /// The whole file printed (一案一卷).
    Dossier,
    /// An export of the case's data.
    Export,
}

impl ReadPurpose {
    pub const ALL: [ReadPurpose; 4] =
        [ReadPurpose::Case, ReadPurpose::Document, ReadPurpose::Dossier, ReadPurpose::Export];

    pub fn as_str(self) -> &'static str {
        match self {
            ReadPurpose::Case => "case",
            ReadPurpose::Document => "document",
            ReadPurpose::Dossier => "dossier",
            ReadPurpose::Export => "export",
        }
    }

    pub fn from_str_opt(s: &str) -> Option<ReadPurpose> {
        ReadPurpose::ALL.into_iter().find(|d| d.as_str() == s)
    }

    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            ReadPurpose::Case => "案件页面",
            ReadPurpose::Document => "文书",
            ReadPurpose::Dossier => "案卷",
            ReadPurpose::Export => "导出",
        }
    }
}

/// A read to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRead {
    /// `None` when the case asked for does not exist (the attempt is still recorded).
    pub case: Option<CaseId>,
    pub person: Option<PersonId>,
    pub user: Option<UserId>,
    pub at: Timestamp,
    pub purpose: ReadPurpose,
    /// Which document, which export… (may be empty).
    pub detail: String,
    pub allowed: bool,
    /// The access policy's code when refused.
    pub refusal_code: Option<String>,
}

/// A recorded read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadRecord {
    pub id: i64,
    pub case: Option<CaseId>,
    pub person: Option<PersonId>,
    pub user: Option<UserId>,
    pub at: Timestamp,
    pub purpose: ReadPurpose,
    pub detail: String,
    pub allowed: bool,
    pub refusal_code: Option<String>,
}

/// Which reads [`crate::Store::reads`] lists (all given conditions hold), newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadFilter {
    pub case: Option<CaseId>,
    pub person: Option<PersonId>,
    /// From this time on (inclusive).
    pub from: Option<Timestamp>,
    /// Before this time (exclusive).
    pub until: Option<Timestamp>,
    /// Only refused attempts.
    pub refused_only: bool,
    pub page: crate::Page,
}

/// A case's particulars (当事人, facts…), as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Particulars {
    pub case: CaseId,
    /// A JSON object.
    pub body: String,
    pub updated_at: Timestamp,
    pub updated_by: Option<PersonId>,
}

/// A document to issue with the events of an append, in the same transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDocument {
    /// The seq of the event (of this append) that issues it.
    pub event_seq: u64,
    /// A stable id (`penalty_decision`…).
    pub doc_type: String,
    /// The year of the 文号 (the issuing event's year, China time).
    pub year: i32,
    /// `Some("汤医保罚")`: numbered per (bureau, `doc_type`, year), printed
    /// `汤医保罚〔2026〕3号`; `None`: a document without a 文号.
    pub prefix: Option<String>,
    pub title: String,
    /// A JSON object: the fields as they are at issue.
    pub fields: String,
}

/// A stored document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDocument {
    pub id: DocumentId,
    pub case: CaseId,
    pub bureau: BureauId,
    pub event_seq: u64,
    pub doc_type: String,
    pub year: i32,
    pub number: Option<u32>,
    /// The 文号, when the document has one.
    pub doc_no: Option<String>,
    pub title: String,
    pub issued_at: Timestamp,
    pub fields: String,
}

/// The 文号 as printed: `汤医保罚〔2026〕3号`.
pub fn format_doc_no(prefix: &str, year: i32, number: u32) -> String {
    format!("{prefix}〔{year}〕{number}号")
}

/// A publication to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPublication {
    pub case: CaseId,
    pub document: Option<DocumentId>,
    pub decided_on: quanze_model::Date,
    pub due: Option<quanze_model::Date>,
    /// `Some`: published at once.
    pub published_at: Option<Timestamp>,
    /// JSON, already masked.
    pub body: String,
}

/// A stored publication.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publication {
    pub id: PublicationId,
    pub case: CaseId,
    pub bureau: BureauId,
    pub document: Option<DocumentId>,
    pub decided_on: quanze_model::Date,
    pub due: Option<quanze_model::Date>,
    pub published_at: Option<Timestamp>,
    pub body: String,
    pub retracted_at: Option<Timestamp>,
    pub retracted_by: Option<PersonId>,
    pub retract_reason: Option<String>,
}
