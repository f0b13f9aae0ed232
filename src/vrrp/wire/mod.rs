//! Packet formats: checked views over bytes plus validated representations
//! (smoltcp's layout: `Packet<T>` with field accessors, a `Repr` with
//! `parse`, `buffer_len` and `emit`). Parsing never panics on any input.
