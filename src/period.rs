//! Periods and windows: financial years, quarters, months, calendar years, rolling windows and
//! arbitrary date ranges, parsed from the spellings users type.
//!
//! Dates are `i32` days since 1970-01-01 (the polars `Date` representation); a period is a pair
//! of inclusive dates with a canonical label. Pure Rust: no pyo3 here.

use crate::error::{CoreError, CoreResult};

/// Day number (days since 1970-01-01) of a civil date; `None` when the date does not exist.
pub fn ymd_to_days(y: i32, m: u32, d: u32) -> Option<i32> {
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m as i32 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// Civil date (year, month, day) of a day number.
pub fn days_to_ymd(z: i32) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i32::from(m <= 2);
    (y, m, d)
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// Number of days in a month.
pub fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// ISO spelling `YYYY-MM-DD` of a day number.
pub fn iso(days: i32) -> String {
    let (y, m, d) = days_to_ymd(days);
    format!("{y:04}-{m:02}-{d:02}")
}

// Infallible helpers for dates built from already-validated parts.
fn month_start(y: i32, m: u32) -> i32 {
    ymd_to_days(y, m, 1).unwrap_or(0)
}
fn month_end(y: i32, m: u32) -> i32 {
    ymd_to_days(y, m, days_in_month(y, m)).unwrap_or(0)
}

/// Add `n` months to a (year, month) pair.
fn add_months_ym(y: i32, m: u32, n: i32) -> (i32, u32) {
    let idx = y * 12 + (m as i32 - 1) + n;
    (idx.div_euclid(12), (idx.rem_euclid(12) + 1) as u32)
}

/// The same day `n` months later, clamped to the end of the month (31 Jan + 1 month = 28/29 Feb).
pub fn add_months(days: i32, n: i32) -> i32 {
    let (y, m, d) = days_to_ymd(days);
    let (y2, m2) = add_months_ym(y, m, n);
    let d2 = d.min(days_in_month(y2, m2));
    ymd_to_days(y2, m2, d2).unwrap_or(days)
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// What kind of period a `Period` is (its label follows from it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Month,
    Quarter,
    FinancialYear,
    CalendarYear,
    Rolling,
    Window,
}

impl Kind {
    /// The Python-facing name of the kind.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Month => "month",
            Kind::Quarter => "quarter",
            Kind::FinancialYear => "financial_year",
            Kind::CalendarYear => "calendar_year",
            Kind::Rolling => "rolling",
            Kind::Window => "window",
        }
    }

    /// The granularities periods can be split into, by name.
    pub fn granularity_from_name(name: &str) -> CoreResult<Kind> {
        match name {
            "month" => Ok(Kind::Month),
            "quarter" => Ok(Kind::Quarter),
            "financial_year" => Ok(Kind::FinancialYear),
            "calendar_year" => Ok(Kind::CalendarYear),
            _ => Err(CoreError::InvalidArgument(format!(
                "granularity '{name}' is not one of 'month', 'quarter', 'financial_year', 'calendar_year'"
            ))),
        }
    }
}

/// An inclusive range of days with a canonical label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub start: i32,
    pub end: i32,
    pub kind: Kind,
    pub label: String,
}

impl Period {
    /// Number of days in the period (inclusive of both ends).
    pub fn days(&self) -> i32 {
        self.end - self.start + 1
    }

    /// The canonical period for a pair of dates: a financial year, quarter, month or calendar
    /// year when the dates are exactly one, a rolling window for whole months, else a window.
    pub fn from_bounds(start: i32, end: i32) -> CoreResult<Period> {
        if end < start {
            return Err(CoreError::Period(format!(
                "the window ends ({}) before it starts ({}): write the earlier date first",
                iso(end),
                iso(start)
            )));
        }
        let (ys, ms, ds) = days_to_ymd(start);
        let (ye, me, de) = days_to_ymd(end);
        let whole_months = ds == 1 && de == days_in_month(ye, me);
        if whole_months {
            let n_months = (ye * 12 + me as i32) - (ys * 12 + ms as i32) + 1;
            if n_months == 1 {
                return Ok(month(ys, ms));
            }
            if n_months == 3 && ms % 3 == 1 {
                return Ok(quarter_of_day(start));
            }
            if n_months == 12 && ms == 4 {
                return Ok(financial_year(ys));
            }
            if n_months == 12 && ms == 1 {
                return Ok(calendar_year(ys));
            }
            if n_months == 12 {
                return Ok(Period {
                    start,
                    end,
                    kind: Kind::Rolling,
                    label: format!("12 months to {}", iso(end)),
                });
            }
        }
        Ok(Period {
            start,
            end,
            kind: Kind::Window,
            label: format!("{}..{}", iso(start), iso(end)),
        })
    }

    /// The same period `n` years earlier (negative) or later: whole months stay whole months
    /// (29 February maps to 28 February).
    pub fn shift_years(&self, n: i32) -> CoreResult<Period> {
        let (ys, ms, ds) = days_to_ymd(self.start);
        let (ye, me, de) = days_to_ymd(self.end);
        // years 1..=9999 only (Python's date range); a huge n overflowed i32 (found by
        // tests/test_hostile.py: shift_years(2_000_000_000))
        let in_range = |y: i32| y.checked_add(n).is_some_and(|y| (1..=9999).contains(&y));
        if !(in_range(ys) && in_range(ye)) {
            return Err(CoreError::Period(format!(
                "cannot shift '{}' by {n} years: dates must stay within years 1 to 9999",
                self.label
            )));
        }
        let start = ymd_to_days(ys + n, ms, ds.min(days_in_month(ys + n, ms)));
        let end = if de == days_in_month(ye, me) {
            Some(month_end(ye + n, me))
        } else {
            ymd_to_days(ye + n, me, de.min(days_in_month(ye + n, me)))
        };
        match (start, end) {
            (Some(s), Some(e)) => Period::from_bounds(s, e),
            _ => Err(CoreError::Period(format!(
                "cannot shift '{}' by {n} years",
                self.label
            ))),
        }
    }
}

/// Financial year starting 1 April of `y` (`2017/18`).
pub fn financial_year(y: i32) -> Period {
    Period {
        start: month_start(y, 4),
        end: month_end(y + 1, 3),
        kind: Kind::FinancialYear,
        label: format!("{}/{:02}", y, (y + 1).rem_euclid(100)),
    }
}

/// Quarter `q` (1 = April-June ... 4 = January-March) of the financial year starting in `y`.
pub fn fy_quarter(y: i32, q: u32) -> Period {
    let (sy, sm) = add_months_ym(y, 4, 3 * (q as i32 - 1));
    let (ey, em) = add_months_ym(sy, sm, 2);
    Period {
        start: month_start(sy, sm),
        end: month_end(ey, em),
        kind: Kind::Quarter,
        label: format!("{}/{:02} Q{}", y, (y + 1).rem_euclid(100), q),
    }
}

/// One calendar month.
pub fn month(y: i32, m: u32) -> Period {
    Period {
        start: month_start(y, m),
        end: month_end(y, m),
        kind: Kind::Month,
        label: format!("{} {}", MONTHS[(m as usize).saturating_sub(1) % 12], y),
    }
}

/// One calendar year.
pub fn calendar_year(y: i32) -> Period {
    Period {
        start: month_start(y, 1),
        end: month_end(y, 12),
        kind: Kind::CalendarYear,
        label: format!("{y}"),
    }
}

fn fy_start_year(day: i32) -> i32 {
    let (y, m, _) = days_to_ymd(day);
    if m >= 4 {
        y
    } else {
        y - 1
    }
}

fn quarter_of_day(day: i32) -> Period {
    let (_, m, _) = days_to_ymd(day);
    let q = ((m as i32 - 4).rem_euclid(12) / 3 + 1) as u32;
    fy_quarter(fy_start_year(day), q)
}

/// The period of kind `kind` (month, quarter, financial or calendar year) holding `day`.
pub fn granule_of(day: i32, kind: Kind) -> CoreResult<Period> {
    let (y, m, _) = days_to_ymd(day);
    match kind {
        Kind::Month => Ok(month(y, m)),
        Kind::Quarter => Ok(quarter_of_day(day)),
        Kind::FinancialYear => Ok(financial_year(fy_start_year(day))),
        Kind::CalendarYear => Ok(calendar_year(y)),
        Kind::Rolling | Kind::Window => Err(CoreError::InvalidArgument(format!(
            "'{}' is not a granularity",
            kind.name()
        ))),
    }
}

/// Inclusive bounds of the month / quarter / financial or calendar year holding `day`, without
/// building its label (for per-row loops); `None` for a kind that is not a granularity.
pub fn granule_bounds(day: i32, kind: Kind) -> Option<(i32, i32)> {
    let (y, m, _) = days_to_ymd(day);
    let (sy, sm, n) = match kind {
        Kind::Month => (y, m, 1),
        Kind::Quarter => {
            let (qy, qm) = add_months_ym(y, m, -((m as i32 - 4).rem_euclid(3)));
            (qy, qm, 3)
        }
        Kind::FinancialYear => (fy_start_year(day), 4, 12),
        Kind::CalendarYear => (y, 1, 12),
        Kind::Rolling | Kind::Window => return None,
    };
    let (ey, em) = add_months_ym(sy, sm, n - 1);
    Some((month_start(sy, sm), month_end(ey, em)))
}

/// The periods of kind `kind` that tile `[start, end]`. The window must begin and end on their
/// boundaries: a window that cuts through one is refused, never pro-rated.
pub fn granules(start: i32, end: i32, kind: Kind) -> CoreResult<Vec<Period>> {
    let window = Period::from_bounds(start, end)?;
    let mut out = Vec::new();
    let mut day = start;
    while day <= end {
        let g = granule_of(day, kind)?;
        if g.start != day || g.end > end {
            let which = if g.start != day { "starts" } else { "ends" };
            return Err(CoreError::Period(format!(
                "window '{}' {which} part-way through {} {} ({}..{}): choose a window made of \
                 whole {}s or another granularity",
                window.label,
                kind_noun(kind),
                g.label,
                iso(g.start),
                iso(g.end),
                kind_noun(kind)
            )));
        }
        day = g.end + 1;
        out.push(g);
    }
    Ok(out)
}

/// Periods of kind `kind` that overlap `[start, end]` (the first and last may stick out).
pub fn granules_overlapping(start: i32, end: i32, kind: Kind) -> CoreResult<Vec<Period>> {
    let mut out = Vec::new();
    let mut day = start;
    while day <= end {
        let g = granule_of(day, kind)?;
        day = g.end + 1;
        out.push(g);
    }
    Ok(out)
}

fn kind_noun(kind: Kind) -> &'static str {
    match kind {
        Kind::Month => "month",
        Kind::Quarter => "quarter",
        Kind::FinancialYear => "financial year",
        Kind::CalendarYear => "calendar year",
        Kind::Rolling => "rolling window",
        Kind::Window => "window",
    }
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

const EXPECTED: &str = "expected a financial year ('2017/18', 'FY2017/18'), a quarter \
('2017/18 Q1'), a month ('2017-04', 'April 2017'), a calendar year ('2017', 'CY2017'), a \
rolling window ('12 months to 2018-09-30', 'year to March 2018') or a window \
('2017-04-01..2017-12-31', 'April to December 2017', 'first six months from 2017-04-03')";

fn err(text: &str, why: &str) -> CoreError {
    CoreError::Period(format!("period '{text}': {why}"))
}

fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.');
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| {
            let m = m.to_ascii_lowercase();
            m == w || (w.len() >= 3 && m.starts_with(w) && (w.len() == 3 || w == "sept"))
        })
        .map(|i| i as u32 + 1)
}

fn number_word(word: &str) -> Option<i32> {
    const WORDS: [&str; 24] = [
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
        "twenty-one",
        "twenty-two",
        "twenty-three",
        "twenty-four",
    ];
    if let Some(i) = WORDS.iter().position(|w| *w == word) {
        return Some(i as i32 + 1);
    }
    if word.chars().all(|c| c.is_ascii_digit()) && !word.is_empty() && word.len() <= 3 {
        return word.parse().ok();
    }
    None
}

fn parse_year(s: &str) -> Option<i32> {
    if s.len() == 4 && s.chars().all(|c| c.is_ascii_digit()) {
        let y: i32 = s.parse().ok()?;
        if (1900..=2199).contains(&y) {
            return Some(y);
        }
    }
    None
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit())
}

/// A financial-year spelling: `2017/18`, `2017-18`, `2017_18`, `2017/2018`, `FY2017/18`,
/// `FY 2017-18`. `Ok(None)` when the text is not shaped like one.
fn parse_fy(text: &str, s: &str) -> CoreResult<Option<i32>> {
    let body = s.strip_prefix("fy").map(str::trim).unwrap_or(s);
    let sep = match body.find(['/', '-', '_']) {
        Some(i) => i,
        None => return Ok(None),
    };
    let (a, b) = (&body[..sep], body[sep + 1..].trim());
    let a = a.trim();
    // "17/18", "FY17-18": two-digit years are 1950-2049
    if a.len() == 2 && b.len() == 2 && all_digits(a) && all_digits(b) {
        let yy: i32 = a.parse().unwrap_or(0);
        let y = if yy >= 50 { 1900 + yy } else { 2000 + yy };
        let full = format!("{y}{}{b}", &body[sep..=sep]);
        return parse_fy(text, &full);
    }
    if !(all_digits(a) && all_digits(b)) || a.len() != 4 || !(b.len() == 2 || b.len() == 4) {
        return Ok(None);
    }
    let Some(y) = parse_year(a) else {
        return Ok(None);
    };
    let second: i32 = b.parse().unwrap_or(-1);
    let next = y + 1;
    let ok = if b.len() == 2 {
        second == next.rem_euclid(100)
    } else {
        second == next
    };
    let dash = body.as_bytes().get(sep) == Some(&b'-');
    if dash && b.len() == 2 && !s.starts_with("fy") && (1..=12).contains(&second) {
        if ok {
            return Err(err(
                text,
                &format!(
                    "ambiguous: write '{y}/{:02}' for the financial year or '{}' for the month",
                    second,
                    month(y, second as u32).label
                ),
            ));
        }
        return Ok(None); // a month such as 2017-04
    }
    if !ok {
        return Err(err(
            text,
            &format!(
                "a financial year runs from April of one year to March of the next, so the \
                 second year must follow the first: expected '{y}/{:02}'",
                next.rem_euclid(100)
            ),
        ));
    }
    Ok(Some(y))
}

/// A quarter: `2017/18 Q1`, `Q1 2017/18`, `FY2017/18 Q3`, `quarter 2 2017-18`.
fn parse_quarter(text: &str, s: &str) -> CoreResult<Option<Period>> {
    let tokens: Vec<&str> = s.split(' ').collect();
    let qpos = tokens
        .iter()
        .position(|t| t.starts_with('q') && t.len() >= 2 && all_digits(&t[1..]));
    let (qnum, rest): (Option<&str>, Vec<&str>) = if let Some(i) = qpos {
        let q = &tokens[i][1..];
        let rest: Vec<&str> = tokens
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, t)| *t)
            .collect();
        (Some(q), rest)
    } else if let Some(i) = tokens.iter().position(|t| *t == "quarter") {
        match tokens.get(i + 1) {
            Some(q) if all_digits(q) => {
                let rest: Vec<&str> = tokens
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i && *j != i + 1)
                    .map(|(_, t)| *t)
                    .collect();
                (Some(*q), rest)
            }
            _ => (None, Vec::new()),
        }
    } else {
        (None, Vec::new())
    };
    if qnum.is_none() {
        // "2017/18 Q1-Q3", "Q2-4 2017/18"
        if let Some(i) = tokens
            .iter()
            .position(|t| t.starts_with('q') && t.contains('-') && t.len() <= 6)
        {
            let (q1, q2) = tokens[i][1..].split_once('-').unwrap_or(("", ""));
            let q2 = q2.trim_start_matches('q');
            let rest: Vec<&str> = tokens
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, t)| *t)
                .collect();
            if all_digits(q1) && all_digits(q2) {
                let (a, b) = (
                    parse_quarter(text, &format!("q{q1} {}", rest.join(" ")))?,
                    parse_quarter(text, &format!("q{q2} {}", rest.join(" ")))?,
                );
                if let (Some(a), Some(b)) = (a, b) {
                    return Period::from_bounds(a.start, b.end)
                        .map(Some)
                        .map_err(|e| err(text, &e.to_string()));
                }
            }
        }
    }
    let Some(q) = qnum else { return Ok(None) };
    let rest = rest.join(" ");
    let q: u32 = q.parse().unwrap_or(0);
    if !(1..=4).contains(&q) {
        return Err(err(
            text,
            &format!(
                "quarter {q} does not exist: quarters are 1 (April-June) to 4 (January-March)"
            ),
        ));
    }
    if let Some(y) = parse_fy(text, rest.trim())? {
        return Ok(Some(fy_quarter(y, q)));
    }
    if let Some(y) = parse_year(rest.trim().trim_start_matches("cy").trim()) {
        let fy = if q == 1 { y - 1 } else { y };
        return Err(err(
            text,
            &format!(
                "ambiguous: calendar or financial quarter? Financial quarters are written with \
                 the financial year ('Q{q} {}' is {}); for calendar months write a window such as \
                 '{}-{:02}..{}-{:02}'",
                financial_year(fy).label,
                {
                    let p = fy_quarter(fy, q);
                    format!("{}..{}", iso(p.start), iso(p.end))
                },
                y,
                3 * q - 2,
                y,
                3 * q
            ),
        ));
    }
    Err(err(text, EXPECTED))
}

/// A month: `2017-04`, `2017-4`, `April 2017`, `apr 2017`.
fn parse_month(s: &str) -> Option<(i32, u32)> {
    if let Some((a, b)) = s.split_once('-') {
        if let (Some(y), true) = (parse_year(a), all_digits(b) && b.len() <= 2) {
            let m: u32 = b.parse().ok()?;
            if (1..=12).contains(&m) {
                return Some((y, m));
            }
        }
    }
    let tokens: Vec<&str> = s.split(' ').collect();
    if tokens.len() == 2 {
        if let (Some(m), Some(y)) = (month_number(tokens[0]), parse_year(tokens[1])) {
            return Some((y, m));
        }
    }
    None
}

fn strip_ordinal(t: &str) -> &str {
    for suf in ["st", "nd", "rd", "th"] {
        if let Some(d) = t.strip_suffix(suf) {
            if all_digits(d) {
                return d;
            }
        }
    }
    t.trim_end_matches(',')
}

/// A day: `2017-04-01`, `1 April 2017`, `1st April 2017`, `April 1, 2017`, `01/04/2017` (UK order).
/// `Ok(None)` when not shaped like a date; an error when shaped like one that does not exist.
fn parse_date(text: &str, s: &str) -> CoreResult<Option<i32>> {
    let mut ymd: Option<(i32, u32, u32)> = None;
    let parts: Vec<&str> = s.split('-').collect();
    if parts.len() == 3 && parts.iter().all(|p| all_digits(p)) && parts[0].len() == 4 {
        ymd = Some((
            parts[0].parse().unwrap_or(0),
            parts[1].parse().unwrap_or(0),
            parts[2].parse().unwrap_or(0),
        ));
    }
    let parts: Vec<&str> = s.split('/').collect();
    if parts.len() == 3 && parts.iter().all(|p| all_digits(p)) && parts[2].len() == 4 {
        ymd = Some((
            parts[2].parse().unwrap_or(0),
            parts[1].parse().unwrap_or(0),
            parts[0].parse().unwrap_or(0),
        ));
    }
    let tokens: Vec<&str> = s.split(' ').map(strip_ordinal).collect();
    if tokens.len() == 3 {
        if let (true, Some(m), Some(y)) = (
            all_digits(tokens[0]),
            month_number(tokens[1]),
            parse_year(tokens[2]),
        ) {
            ymd = Some((y, m, tokens[0].parse().unwrap_or(0)));
        } else if let (Some(m), true, Some(y)) = (
            month_number(tokens[0]),
            all_digits(tokens[1]),
            parse_year(tokens[2]),
        ) {
            ymd = Some((y, m, tokens[1].parse().unwrap_or(0)));
        }
    }
    match ymd {
        None => Ok(None),
        Some((y, m, d)) => match ymd_to_days(y, m, d) {
            Some(day) if (1900..=2199).contains(&y) => Ok(Some(day)),
            _ => Err(err(text, &format!("there is no date {y:04}-{m:02}-{d:02}"))),
        },
    }
}

/// A single period (no range): date, month, quarter, financial or calendar year.
fn parse_simple(text: &str, s: &str) -> CoreResult<Option<Period>> {
    if let Some(p) = parse_quarter(text, s)? {
        return Ok(Some(p));
    }
    if let Some(y) = parse_fy(text, s)? {
        return Ok(Some(financial_year(y)));
    }
    if let Some(day) = parse_date(text, s)? {
        return Period::from_bounds(day, day).map(Some);
    }
    if let Some((y, m)) = parse_month(s) {
        return Ok(Some(month(y, m)));
    }
    let cy = s
        .strip_prefix("calendar year")
        .or_else(|| s.strip_prefix("cy"))
        .unwrap_or(s)
        .trim();
    if let Some(y) = parse_year(cy) {
        return Ok(Some(calendar_year(y)));
    }
    Ok(None)
}

/// A range endpoint that may lack its year ("April" in "April to December 2017").
fn parse_endpoint_without_year(s: &str) -> Option<(u32, Option<u32>)> {
    let tokens: Vec<&str> = s.split(' ').map(strip_ordinal).collect();
    match tokens.as_slice() {
        [m] => month_number(m).map(|m| (m, None)),
        [d, m] if all_digits(d) => month_number(m).map(|m| (m, d.parse().ok())),
        [m, d] if all_digits(d) => month_number(m).map(|m| (m, d.parse().ok())),
        _ => None,
    }
}

fn parse_range(text: &str, a: &str, b: &str) -> CoreResult<Period> {
    let right = parse_simple(text, b)?.ok_or_else(|| err(text, EXPECTED))?;
    let start = match parse_simple(text, a)? {
        Some(p) => p.start,
        None => {
            let (m, d) = parse_endpoint_without_year(a).ok_or_else(|| err(text, EXPECTED))?;
            let (ye, me, _) = days_to_ymd(right.end);
            let y = if m > me { ye - 1 } else { ye };
            let d = d.unwrap_or(1);
            ymd_to_days(y, m, d)
                .ok_or_else(|| err(text, &format!("there is no date {y:04}-{m:02}-{d:02}")))?
        }
    };
    Period::from_bounds(start, right.end).map_err(|e| match e {
        CoreError::Period(msg) => err(text, &msg),
        other => other,
    })
}

/// "first six months from 2017-04-03", "6 months from April 2017", "first 3 months of 2017/18".
fn parse_months_from(text: &str, s: &str) -> CoreResult<Option<Period>> {
    let body = s.strip_prefix("first ").unwrap_or(s);
    let Some((n, rest)) = body.split_once(' ') else {
        return Ok(None);
    };
    let Some(n) = number_word(n) else {
        return Ok(None);
    };
    let rest = rest
        .strip_prefix("months ")
        .or_else(|| rest.strip_prefix("month "));
    let Some(rest) = rest else { return Ok(None) };
    let anchor = rest
        .strip_prefix("from ")
        .or_else(|| rest.strip_prefix("of "))
        .or_else(|| rest.strip_prefix("starting "));
    let Some(anchor) = anchor else {
        return Ok(None);
    };
    if n < 1 {
        return Err(err(text, "the number of months must be at least 1"));
    }
    let p = parse_simple(text, anchor.trim())?.ok_or_else(|| err(text, EXPECTED))?;
    let end = add_months(p.start, n) - 1;
    if end > p.end && p.kind != Kind::Window {
        return Err(err(text, &format!("{n} months do not fit in {}", p.label)));
    }
    Period::from_bounds(p.start, end).map(Some)
}

/// "12 months to 2018-09-30", "year to March 2018", "year ending September 2018",
/// "twelve months to September 2018": the months up to the end of the named month (or day),
/// the month included. Phrases with a second common reading ("year to April 2019", which
/// NSPCC uses for 2018/19) are refused before they get here, in
/// `groomstats.periods` (`PHRASE_RULES`, docs/periods.md).
fn parse_months_to(text: &str, s: &str) -> CoreResult<Option<Period>> {
    let (n, rest) = if let Some(r) = s.strip_prefix("year ") {
        (12, r)
    } else if let Some(r) = s.strip_prefix("the year ") {
        (12, r)
    } else if let Some((n, r)) = s.split_once(' ') {
        match (number_word(n), r.split_once(' ')) {
            (Some(n), Some(("months", r))) => (n, r),
            _ => return Ok(None),
        }
    } else {
        return Ok(None);
    };
    let anchor = rest
        .strip_prefix("to ")
        .or_else(|| rest.strip_prefix("ending "))
        .or_else(|| rest.strip_prefix("ended "))
        .or_else(|| rest.strip_prefix("up to "));
    let Some(anchor) = anchor else {
        return Ok(None);
    };
    if n < 1 {
        return Err(err(text, "the number of months must be at least 1"));
    }
    let end = parse_simple(text, anchor.trim())?
        .ok_or_else(|| err(text, EXPECTED))?
        .end;
    let start = add_months(end + 1, -n);
    Period::from_bounds(start, end).map(Some)
}

/// Parse the spellings users type for a period or window.
pub fn parse(text: &str) -> CoreResult<Period> {
    let s: String = text
        .trim()
        .to_lowercase()
        .replace(['\u{2013}', '\u{2014}'], "-")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if s.is_empty() {
        return Err(err(text, EXPECTED));
    }
    let s = s.strip_prefix("the ").unwrap_or(&s).to_string();
    let s = if let Some(rest) = s.strip_prefix("financial year ") {
        if rest.starts_with("ending") || rest.starts_with("to ") {
            format!("year {rest}")
        } else {
            format!("fy {rest}")
        }
    } else if let Some(rest) = s.strip_suffix(" financial year") {
        format!("fy {rest}")
    } else {
        s
    };
    if let Some(p) = parse_months_from(text, &s)? {
        return Ok(p);
    }
    if let Some(p) = parse_months_to(text, &s)? {
        return Ok(p);
    }
    let s2 = s
        .strip_prefix("from ")
        .or_else(|| s.strip_prefix("between "))
        .unwrap_or(&s);
    for sep in ["..", " to ", " and ", " - ", " until ", " through "] {
        if let Some((a, b)) = s2.split_once(sep) {
            return parse_range(text, a.trim(), b.trim());
        }
    }
    match parse_simple(text, &s)? {
        Some(p) => Ok(p),
        None => Err(err(text, EXPECTED)),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn bounds(text: &str) -> (String, String, String) {
        let p = parse(text).unwrap();
        (iso(p.start), iso(p.end), p.label)
    }

    #[test]
    fn civil_round_trip() {
        assert_eq!(ymd_to_days(1970, 1, 1), Some(0));
        assert_eq!(ymd_to_days(2017, 4, 1), Some(17_257));
        for z in -1000..30_000 {
            let (y, m, d) = days_to_ymd(z);
            assert_eq!(ymd_to_days(y, m, d), Some(z));
        }
        assert_eq!(ymd_to_days(2017, 2, 29), None);
        assert_eq!(ymd_to_days(2016, 2, 29), Some(16_860));
    }

    #[test]
    fn financial_years() {
        let want = ("2017-04-01".into(), "2018-03-31".into(), "2017/18".into());
        for t in [
            "2017/18",
            "2017-18",
            "FY2017/18",
            "fy 2017-18",
            "2017/2018",
            "2017_18",
            "year to March 2018",
            "year ending March 2018",
        ] {
            assert_eq!(bounds(t), want, "{t}");
        }
        // the named month is included, as with a day ("year to 30 April 2019")
        assert_eq!(bounds("year to April 2019").2, "12 months to 2019-04-30");
        assert_eq!(
            bounds("year to April 2019"),
            bounds("year to 30 April 2019")
        );
        assert_eq!(bounds("17/18").2, "2017/18");
        assert_eq!(bounds("FY17-18").2, "2017/18");
        assert_eq!(bounds("financial year 2017/18").2, "2017/18");
        assert_eq!(bounds("the 2017/18 financial year").2, "2017/18");
        assert_eq!(bounds("financial year ending March 2018").2, "2017/18");
        assert_eq!(
            bounds("2017/18 Q1-Q3"),
            (
                "2017-04-01".into(),
                "2017-12-31".into(),
                "2017-04-01..2017-12-31".into()
            )
        );
        assert_eq!(bounds("Q2-4 2017/18").0, "2017-07-01");
        assert_eq!(bounds("1999/00").1, "2000-03-31");
    }

    #[test]
    fn quarters_months_years() {
        assert_eq!(
            bounds("2017/18 Q1"),
            (
                "2017-04-01".into(),
                "2017-06-30".into(),
                "2017/18 Q1".into()
            )
        );
        assert_eq!(bounds("Q4 2017/18").0, "2018-01-01");
        assert_eq!(bounds("q3 2017-18").1, "2017-12-31");
        assert_eq!(
            bounds("2017-04"),
            (
                "2017-04-01".into(),
                "2017-04-30".into(),
                "April 2017".into()
            )
        );
        assert_eq!(bounds("April 2017").2, "April 2017");
        assert_eq!(bounds("feb 2016").1, "2016-02-29");
        assert_eq!(
            bounds("2017"),
            ("2017-01-01".into(), "2017-12-31".into(), "2017".into())
        );
        assert_eq!(bounds("CY2017").2, "2017");
    }

    #[test]
    fn windows() {
        assert_eq!(
            bounds("2017-04-01..2017-12-31"),
            (
                "2017-04-01".into(),
                "2017-12-31".into(),
                "2017-04-01..2017-12-31".into()
            )
        );
        assert_eq!(bounds("April to December 2017").2, "2017-04-01..2017-12-31");
        assert_eq!(bounds("October to March 2018").0, "2017-10-01");
        assert_eq!(
            bounds("first six months from 2017-04-03"),
            (
                "2017-04-03".into(),
                "2017-10-02".into(),
                "2017-04-03..2017-10-02".into()
            )
        );
        assert_eq!(
            bounds("12 months to 2018-09-30"),
            (
                "2017-10-01".into(),
                "2018-09-30".into(),
                "12 months to 2018-09-30".into()
            )
        );
        assert_eq!(bounds("year ending September 2018").0, "2017-10-01");
        assert_eq!(
            bounds("1 April 2013 to 31 December 2017").2,
            "2013-04-01..2017-12-31"
        );
        assert_eq!(bounds("2017-04-01..2018-03-31").2, "2017/18");
        assert_eq!(bounds("2017/18 Q1..2017/18 Q3").1, "2017-12-31");
    }

    #[test]
    fn nonsense_is_refused_with_the_text() {
        for (t, needle) in [
            ("2017/19", "expected '2017/18'"),
            ("2017/18 Q5", "quarter 5 does not exist"),
            ("2017-12-31..2017-04-01", "before it starts"),
            ("banana", "expected a financial year"),
            ("2017-02-30", "no date 2017-02-30"),
            ("Q1 2018", "ambiguous"),
            ("17/19", "expected '2017/18'"),
            ("2017/18 Q3-Q1", "before it starts"),
            ("2017/18 Q1-Q5", "quarter 5"),
            ("2011-12", "ambiguous"),
            ("", "expected"),
        ] {
            let e = parse(t).unwrap_err().to_string();
            assert!(e.contains(needle), "{t}: {e}");
            assert!(e.contains(&format!("'{t}'")), "{t}: {e}");
        }
    }

    #[test]
    fn granules_tile_or_refuse() {
        let fy = financial_year(2017);
        let q = granules(fy.start, fy.end, Kind::Quarter).unwrap();
        assert_eq!(q.len(), 4);
        assert_eq!(q[3].label, "2017/18 Q4");
        let m = granules(fy.start, fy.end, Kind::Month).unwrap();
        assert_eq!(m.len(), 12);
        let w = parse("2017-04-01..2017-11-30").unwrap();
        let e = granules(w.start, w.end, Kind::Quarter).unwrap_err();
        assert!(e
            .to_string()
            .contains("part-way through quarter 2017/18 Q3"));
    }

    #[test]
    fn shift_years_keeps_whole_months() {
        let p = parse("2017/18").unwrap().shift_years(-1).unwrap();
        assert_eq!(p.label, "2016/17");
        let p = parse("February 2017").unwrap().shift_years(-1).unwrap();
        assert_eq!(iso(p.end), "2016-02-29");
        let p = parse("2017-04-03..2018-03-31")
            .unwrap()
            .shift_years(1)
            .unwrap();
        assert_eq!(p.label, "2018-04-03..2019-03-31");
    }
}

/// Boundary cases pinned against an independent calendar (issue 18): day numbers are Python's
/// `(datetime.date(y, m, d) - datetime.date(1970, 1, 1)).days`.
#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod boundaries {
    use super::*;

    #[rustfmt::skip]
    const PY_DAYS: [((i32, u32, u32), i32); 16] = [
        ((1900, 2, 28), -25_509), ((1900, 3, 1), -25_508), ((2000, 2, 29), 11_016),
        ((2000, 3, 1), 11_017), ((2100, 3, 1), 47_541), ((2017, 3, 31), 17_256),
        ((2017, 4, 1), 17_257), ((2017, 6, 30), 17_347), ((2017, 7, 1), 17_348),
        ((2017, 12, 31), 17_531), ((2018, 1, 1), 17_532), ((2018, 3, 31), 17_621),
        ((2018, 4, 1), 17_622), ((1, 1, 1), -719_162), ((9999, 12, 31), 2_932_896),
        ((1969, 12, 31), -1),
    ];

    fn day(y: i32, m: u32, d: u32) -> i32 {
        PY_DAYS.iter().find(|(k, _)| *k == (y, m, d)).unwrap().1
    }

    #[test]
    fn day_numbers_match_python() {
        for ((y, m, d), z) in PY_DAYS {
            assert_eq!(ymd_to_days(y, m, d), Some(z), "{y}-{m}-{d}");
            assert_eq!(days_to_ymd(z), (y, m, d), "{z}");
        }
        // century rules: 1900 and 2100 are not leap years, 2000 is
        assert_eq!(ymd_to_days(1900, 2, 29), None);
        assert_eq!(ymd_to_days(2100, 2, 29), None);
        assert_eq!(days_in_month(2000, 2), 29);
        assert_eq!(days_in_month(1900, 2), 28);
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(2023, 2), 28);
        let lengths: Vec<u32> = (1..=12).map(|m| days_in_month(2017, m)).collect();
        assert_eq!(lengths, [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
        assert_eq!(days_in_month(2017, 13), 0);
        for (y, m, d) in [(2017, 0, 1), (2017, 13, 1), (2017, 4, 0), (2017, 4, 31)] {
            assert_eq!(ymd_to_days(y, m, d), None, "{y}-{m}-{d}");
        }
        assert_eq!(iso(day(1, 1, 1)), "0001-01-01");
    }

    /// 31 March is the last day of a financial year and of its Q4; 1 April starts the next;
    /// 30 June / 1 July is the Q1/Q2 edge; 31 December / 1 January changes the calendar year
    /// but not the financial year.
    #[test]
    fn granule_edges() {
        let cases = [
            ((2017, 3, 31), "2016/17", "2016/17 Q4", "2017", "March 2017"),
            ((2017, 4, 1), "2017/18", "2017/18 Q1", "2017", "April 2017"),
            ((2017, 6, 30), "2017/18", "2017/18 Q1", "2017", "June 2017"),
            ((2017, 7, 1), "2017/18", "2017/18 Q2", "2017", "July 2017"),
            (
                (2017, 12, 31),
                "2017/18",
                "2017/18 Q3",
                "2017",
                "December 2017",
            ),
            (
                (2018, 1, 1),
                "2017/18",
                "2017/18 Q4",
                "2018",
                "January 2018",
            ),
            ((2018, 3, 31), "2017/18", "2017/18 Q4", "2018", "March 2018"),
            ((2018, 4, 1), "2018/19", "2018/19 Q1", "2018", "April 2018"),
        ];
        for ((y, m, d), fy, q, cy, mo) in cases {
            let z = day(y, m, d);
            assert_eq!(granule_of(z, Kind::FinancialYear).unwrap().label, fy);
            assert_eq!(granule_of(z, Kind::Quarter).unwrap().label, q);
            assert_eq!(granule_of(z, Kind::CalendarYear).unwrap().label, cy);
            assert_eq!(granule_of(z, Kind::Month).unwrap().label, mo);
        }
        let fy = financial_year(2017);
        assert_eq!((fy.start, fy.end), (day(2017, 4, 1), day(2018, 3, 31)));
        assert_eq!(fy.days(), 365);
        assert_eq!(financial_year(1999).label, "1999/00");
        let q4 = fy_quarter(2017, 4);
        assert_eq!((q4.start, q4.end), (day(2018, 1, 1), day(2018, 3, 31)));
        let q1 = fy_quarter(2017, 1);
        assert_eq!((q1.start, q1.end), (day(2017, 4, 1), day(2017, 6, 30)));
        assert_eq!(q1.days(), 91);
        assert_eq!(calendar_year(2000).days(), 366);
        assert!(granule_of(0, Kind::Window).is_err());
        assert!(granule_of(0, Kind::Rolling).is_err());
    }

    /// What a pair of dates is called: only exact whole periods get a period's name.
    #[test]
    fn from_bounds_names_exact_periods_only() {
        let k = |a: (i32, u32, u32), b: (i32, u32, u32)| {
            let p = Period::from_bounds(
                ymd_to_days(a.0, a.1, a.2).unwrap(),
                ymd_to_days(b.0, b.1, b.2).unwrap(),
            )
            .unwrap();
            (p.kind, p.label)
        };
        use Kind::*;
        assert_eq!(k((2017, 4, 1), (2017, 4, 30)), (Month, "April 2017".into()));
        assert_eq!(
            k((2018, 1, 1), (2018, 3, 31)),
            (Quarter, "2017/18 Q4".into())
        );
        assert_eq!(
            k((2017, 7, 1), (2017, 9, 30)),
            (Quarter, "2017/18 Q2".into())
        );
        // three whole months that are not a quarter
        assert_eq!(k((2017, 5, 1), (2017, 7, 31)).0, Window);
        assert_eq!(
            k((2017, 4, 1), (2018, 3, 31)),
            (FinancialYear, "2017/18".into())
        );
        assert_eq!(
            k((2017, 1, 1), (2017, 12, 31)),
            (CalendarYear, "2017".into())
        );
        assert_eq!(
            k((2017, 10, 1), (2018, 9, 30)),
            (Rolling, "12 months to 2018-09-30".into())
        );
        // one day short or long of a period is a window
        assert_eq!(k((2017, 4, 2), (2018, 3, 31)).0, Window);
        assert_eq!(k((2017, 4, 1), (2018, 3, 30)).0, Window);
        assert_eq!(k((2017, 4, 1), (2017, 4, 29)).0, Window);
        assert_eq!(k((2017, 4, 1), (2018, 4, 30)).0, Window); // 13 months
        assert_eq!(k((2017, 4, 1), (2017, 5, 31)).0, Window); // 2 months
        let one_day = k((2017, 4, 1), (2017, 4, 1));
        assert_eq!(one_day, (Window, "2017-04-01..2017-04-01".into()));
        assert!(Period::from_bounds(1, 0).is_err());
        assert_eq!(Period::from_bounds(5, 5).unwrap().days(), 1);
    }

    #[test]
    fn month_arithmetic_clamps() {
        let d = |y, m, dd| ymd_to_days(y, m, dd).unwrap();
        assert_eq!(add_months(d(2017, 1, 31), 1), d(2017, 2, 28));
        assert_eq!(add_months(d(2016, 1, 31), 1), d(2016, 2, 29));
        assert_eq!(add_months(d(2017, 3, 31), -1), d(2017, 2, 28));
        assert_eq!(add_months(d(2017, 11, 15), 2), d(2018, 1, 15));
        assert_eq!(add_months(d(2018, 1, 15), -2), d(2017, 11, 15));
        assert_eq!(add_months(d(2017, 4, 3), 12), d(2018, 4, 3));
        assert_eq!(add_months(d(2017, 4, 3), 0), d(2017, 4, 3));
        // shift_years: 29 February to 28 February, whole months stay whole
        let leap = parse("2016-02-29..2016-02-29")
            .unwrap()
            .shift_years(1)
            .unwrap();
        assert_eq!(leap.label, "2017-02-28..2017-02-28");
        let feb = month(2016, 2).shift_years(-4).unwrap();
        assert_eq!((feb.kind, iso(feb.end)), (Kind::Month, "2012-02-29".into()));
        assert!(calendar_year(9999).shift_years(1).is_err());
        assert!(calendar_year(1).shift_years(-1).is_err());
        assert_eq!(calendar_year(9998).shift_years(1).unwrap().label, "9999");
        // 29 February into 2100 (not a leap year) from either side
        let from_2096 = parse("2096-02-29..2096-03-10")
            .unwrap()
            .shift_years(4)
            .unwrap();
        assert_eq!(from_2096.label, "2100-02-28..2100-03-10");
        let from_2104 = parse("2104-02-29..2104-03-10")
            .unwrap()
            .shift_years(-4)
            .unwrap();
        assert_eq!(from_2104.label, "2100-02-28..2100-03-10");
        let to_end = parse("2099-03-01..2100-02-28")
            .unwrap()
            .shift_years(4)
            .unwrap();
        assert_eq!(to_end.label, "12 months to 2104-02-29");
    }

    /// Spellings at the edges of the parser's rules (cargo mutants survivors).
    #[test]
    fn parser_edges() {
        // month abbreviations: three letters, or "sept"; other partial words are refused
        assert_eq!(parse("Sept 2017").unwrap().label, "September 2017");
        assert_eq!(parse("Aug 2017").unwrap().label, "August 2017");
        assert!(parse("Augu 2017").is_err());
        assert!(parse("Decem 2017").is_err());
        // "quarter N <year>" as well as "QN <year>"
        assert_eq!(parse("quarter 2 2017-18").unwrap().label, "2017/18 Q2");
        assert_eq!(parse("2017/18 quarter 4").unwrap().label, "2017/18 Q4");
        // a one-month rolling window is that month; zero months is refused
        assert_eq!(parse("1 months to 2018-03-31").unwrap().label, "March 2018");
        assert!(parse("0 months to 2018-03-31")
            .unwrap_err()
            .to_string()
            .contains("at least 1"));
    }

    #[test]
    fn granules_and_overlaps_at_edges() {
        let fy = financial_year(2017);
        let months = granules(fy.start, fy.end, Kind::Month).unwrap();
        assert_eq!(months.first().unwrap().label, "April 2017");
        assert_eq!(months.last().unwrap().label, "March 2018");
        assert!(months.windows(2).all(|w| w[0].end + 1 == w[1].start));
        let cy = granules(day(2017, 4, 1), day(2018, 3, 31), Kind::CalendarYear);
        assert!(cy.unwrap_err().to_string().contains("starts part-way"));
        let fys = granules(
            day(2017, 4, 1),
            financial_year(2018).end,
            Kind::FinancialYear,
        )
        .unwrap();
        let labels: Vec<&str> = fys.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["2017/18", "2018/19"]);
        let e = granules(day(2017, 4, 1), day(2017, 12, 31), Kind::FinancialYear).unwrap_err();
        assert!(e.to_string().contains("ends part-way"), "{e}");
        // overlapping granules may stick out at both ends
        let over = granules_overlapping(day(2017, 6, 30), day(2018, 1, 1), Kind::Quarter).unwrap();
        let labels: Vec<&str> = over.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(
            labels,
            ["2017/18 Q1", "2017/18 Q2", "2017/18 Q3", "2017/18 Q4"]
        );
        assert!(
            granules_overlapping(day(2017, 6, 30), day(2017, 6, 30) - 1, Kind::Month)
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            Kind::granularity_from_name("quarter").unwrap(),
            Kind::Quarter
        );
        assert_eq!(Kind::granularity_from_name("month").unwrap(), Kind::Month);
        assert_eq!(
            Kind::granularity_from_name("financial_year").unwrap(),
            Kind::FinancialYear
        );
        assert_eq!(
            Kind::granularity_from_name("calendar_year").unwrap(),
            Kind::CalendarYear
        );
        assert!(Kind::granularity_from_name("rolling").is_err());
        let names: Vec<&str> = [
            Kind::Month,
            Kind::Quarter,
            Kind::FinancialYear,
            Kind::CalendarYear,
            Kind::Rolling,
            Kind::Window,
        ]
        .iter()
        .map(|k| k.name())
        .collect();
        assert_eq!(
            names,
            [
                "month",
                "quarter",
                "financial_year",
                "calendar_year",
                "rolling",
                "window"
            ]
        );
    }
}

/// Tests written for cargo-mutants survivors (mutants/SURVIVORS.md, issue 18).
#[cfg(test)]
mod mutant_tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// "N months from/of" at its edges, worked by hand: 2017/18 starts on 1 April 2017, so its
    /// first month is April 2017 and its first twelve months are the year itself; thirteen do
    /// not fit in it; zero months is refused as "months to" refuses it (survivor
    /// period.rs:742:10, `n < 1` written `n == 1`, refused one month and let zero through).
    #[test]
    fn months_from_edges() {
        assert_eq!(
            parse("first 1 month of 2017/18").unwrap().label,
            "April 2017"
        );
        assert_eq!(
            parse("first one month of 2017/18").unwrap().label,
            "April 2017"
        );
        assert_eq!(
            parse("1 month from April 2017").unwrap().label,
            "April 2017"
        );
        assert_eq!(
            parse("first twelve months of 2017/18").unwrap().label,
            "2017/18"
        );
        let e = parse("first thirteen months of 2017/18")
            .unwrap_err()
            .to_string();
        assert!(e.contains("13 months do not fit in 2017/18"), "{e}");
        let e = parse("0 months from April 2017").unwrap_err().to_string();
        assert!(e.contains("at least 1"), "{e}");
    }
}
