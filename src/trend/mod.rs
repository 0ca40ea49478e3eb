//! Trend models: log-linear GLMs (Poisson, quasi-Poisson, negative binomial), joinpoint and
//! segmented regression. Pure Rust over plain slices; bindings live in `bindings::trend`.

pub mod glm;
pub mod joinpoint;
#[cfg(test)]
mod jp_reference_tests;
pub mod jp_search;
pub mod linalg;
pub mod negbin;
