//! Integration tests of quanze-server: API, accounts, portal, browser.

mod common;
mod seeds;
