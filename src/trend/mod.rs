//! Trend models: log-linear GLMs, joinpoint and segmented regression.
