//! Plumbing every capability shares, knowing none of them: errors and their two renderings
//! ([`error`]), who is asking ([`viewer`]) and what they may do ([`access`]), cookies and
//! CSRF ([`csrf`]), security headers ([`headers`]), parameters ([`params`]), Chinese
//! formatting ([`zh`]), the OpenAPI merge ([`openapi`]), and for the operator the accept loop
//! with its timeouts and connection limit ([`listen`]), `/healthz` and the access log
//! ([`ops`]), and who a heavy request counts against ([`heavy`]).

pub(crate) mod access;
pub(crate) mod csrf;
pub(crate) mod error;
pub(crate) mod headers;
pub(crate) mod heavy;
pub(crate) mod listen;
pub(crate) mod openapi;
pub(crate) mod ops;
pub(crate) mod params;
pub(crate) mod upload;
pub(crate) mod viewer;
pub(crate) mod zh;
