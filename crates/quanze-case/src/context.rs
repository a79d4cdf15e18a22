//! What a decision is asked and what it reads besides the case's state: the command and the
//! context. Its own module so the engine, the guards and the deadlines all read it from
//! below instead of from each other.

use quanze_calendar::Calendar;
use quanze_law::Registry;
use serde::{Deserialize, Serialize};

use crate::Person;
use crate::action::Action;
use crate::config::EngineConfig;
use crate::event::At;
use crate::procedure::ItemProcedure;

/// What a decision needs besides the state: the item's procedure, the people, the
/// calendar, the configuration and the statute registry.
#[derive(Clone, Copy)]
pub struct CaseContext<'a> {
    pub procedure: &'a ItemProcedure,
    pub people: &'a [Person],
    pub calendar: &'a Calendar,
    pub config: &'a EngineConfig,
    pub law: &'a Registry,
}

/// A person's request to act on a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Command {
    pub at: At,
    /// Person ids; acts of the party are recorded by the officer named here.
    pub by: Vec<String>,
    pub action: Action,
}
