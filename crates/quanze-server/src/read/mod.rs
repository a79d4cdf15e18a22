//! The catalog read model: [`model`] (bureaus, versions, visibility) and the [`snapshot`]
//! that holds them in memory with the search index.

pub(crate) mod model;
pub(crate) mod snapshot;
