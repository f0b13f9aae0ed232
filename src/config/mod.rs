//! The keepalived.conf front end: source map, reader (includes and the
//! pre-processor), lexer, keyword-driven parser, typed model and validation.
//!
//! Knows nothing of sockets or time; facts about the host (interfaces, users,
//! files for script checks) come in through traits.

pub mod diag;
pub mod fs;
pub mod lexer;
pub mod parser;
pub mod preprocess;
pub mod reader;
pub mod source;
pub mod values;
