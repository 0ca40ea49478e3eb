//! See the module's issue; nothing here yet.
