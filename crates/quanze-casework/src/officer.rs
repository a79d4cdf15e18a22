//! Who is acting: [`Officer`] and the id events record for a person. A leaf module, so
//! that the case service ([`crate::service`]) and the access policy ([`crate::officers`])
//! both use it without using each other.

use quanze_store::{Person, PersonId};

/// The id events record for a stored person.
pub fn person_ref(id: PersonId) -> String {
    id.0.to_string()
}

/// The person behind a request: a logged-in account, the person it is linked to (if any).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Officer {
    pub user: Option<quanze_store::UserId>,
    pub person: Option<Person>,
    pub admin: bool,
}

impl Officer {
    /// A person acting without an account (the CLI, tests, the demo loader).
    pub fn person(p: Person) -> Officer {
        Officer { user: p.user, person: Some(p), admin: false }
    }

    /// The id events record for this person.
    pub fn person_ref(&self) -> Option<String> {
        self.person.as_ref().map(|p| person_ref(p.id))
    }
}
