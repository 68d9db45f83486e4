//! Checking cited works against scholarly registries (doi.org content
//! negotiation, Crossref, OpenAlex, Open Library). The pure part (these
//! modules but `client` and `verify`) does no I/O. Nothing here prints, keeps global state or panics on any input.
//!
//! - [`identifiers`]: ISBN, ISSN and DOI syntax and check digits, and finding
//!   them in free text.
//! - [`csl`]: the registries' answers read into one [`csl::RegistryWork`].
//! - [`compare`]: an entry's facts against a registry's work.
//! - [`search_match`]: picking a bibliographic search's candidate, or none.

pub mod compare;
pub mod csl;
pub mod identifiers;
pub mod search_match;
mod text;

pub mod client;
pub mod entry;
#[cfg(test)]
mod no_panic;
pub mod pace;
pub mod verify;
