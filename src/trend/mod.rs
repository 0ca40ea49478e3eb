//! Trend models: log-linear GLMs (Poisson, quasi-Poisson, negative binomial), joinpoint and
//! segmented regression. Pure Rust over plain slices; bindings live in `bindings::trend`.

mod existence;
pub mod glm;
pub mod irls;
pub mod joinpoint;
pub mod jp_compare;
#[cfg(test)]
mod jp_reference_tests;
pub mod jp_search;
pub mod linalg;
pub mod negbin;

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::inconsistent_digit_grouping)]
mod reference_tests;
