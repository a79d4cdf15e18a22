//! Integration tests of quanze-server: API, accounts, portal, browser.

mod agreement;
mod api;
mod auth;
mod browser;
mod calendar;
mod cases;
mod cases_browser;
mod clock;
mod common;
mod imports;
mod injection;
mod kill_http;
mod law;
mod no_leak;
mod ops;
mod people;
mod people_browser;
mod portal;
mod postgres;
mod publication;
mod review;
mod review_browser;
mod seeds;
mod serve;
mod supervision;
mod tidy;
