//! Dates as authors write them: a year (`2019`), a month (`2019-03`) or a
//! day (`2019-03-20`), validated with jiff. A date knows its precision:
//! it is shown at it ("2019", "March 2019", "20 March 2019"), sorted by its
//! first possible day with the less precise first, and turned into its first
//! day where a format needs a full date (Atom, the sitemap).

use std::fmt;

use jiff::civil;

/// How much of a date is known. Less precise sorts first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Precision {
    Year,
    Month,
    Day,
}

impl Precision {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Precision::Year => "year",
            Precision::Month => "month",
            Precision::Day => "day",
        }
    }
}

/// A valid date at some precision. Ordered by its first day, then by
/// precision (`2022` < `2022-01` < `2022-01-01` < `2022-01-02`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Date {
    first: civil::Date,
    precision: Precision,
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

const FORMS: &str = "write dates as YYYY-MM-DD, YYYY-MM or YYYY, e.g. 2022-01-05, 2022-01 or 2022";

impl Date {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. The error says in words
    /// what is wrong and, where the text looks like a date written another
    /// way, how to write it.
    pub(crate) fn parse(s: &str) -> Result<Date, String> {
        let digits = |r: std::ops::Range<usize>| {
            s.get(r)
                .filter(|t| t.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|t| t.parse::<i16>().ok())
        };
        let b = s.as_bytes();
        let (y, m, d) = match b.len() {
            4 => (digits(0..4), None, None),
            7 if b[4] == b'-' => (digits(0..4), Some(digits(5..7)), None),
            10 if b[4] == b'-' && b[7] == b'-' => {
                (digits(0..4), Some(digits(5..7)), Some(digits(8..10)))
            }
            _ => return Err(other_form(s)),
        };
        let (Some(y), Some(m), Some(d)) = (y, m.unwrap_or(Some(1)), d.unwrap_or(Some(1))) else {
            return Err(other_form(s));
        };
        if y == 0 {
            return Err(format!("`{s}` has year 0, which does not exist"));
        }
        if !(1..=12).contains(&m) {
            return Err(format!("`{s}` has month {m}, which does not exist"));
        }
        let precision = match (b.len(), m) {
            (4, _) => Precision::Year,
            (7, _) => Precision::Month,
            _ => Precision::Day,
        };
        civil::Date::new(y, m as i8, d as i8)
            .map(|first| Date { first, precision })
            .map_err(|_| {
                format!(
                    "`{s}` is not a date: {} {y} has no day {d}",
                    MONTHS[(m - 1) as usize]
                )
            })
    }

    /// The hint for a date that did not parse, given the error
    /// [`Date::parse`] returned; None where the error already says how to
    /// write it.
    pub(crate) fn hint_for(why: &str) -> Option<&'static str> {
        (!why.contains("write")).then_some(
            "a date is YYYY-MM-DD, or YYYY-MM or YYYY when only the month or year is known",
        )
    }

    /// A full day, from a [`civil::Date`].
    fn day_of(first: civil::Date) -> Date {
        Date {
            first,
            precision: Precision::Day,
        }
    }

    pub(crate) fn precision(self) -> Precision {
        self.precision
    }

    pub(crate) fn is_day(self) -> bool {
        self.precision == Precision::Day
    }

    pub(crate) fn year(self) -> i16 {
        self.first.year()
    }

    /// The month (1–12), if known.
    pub(crate) fn month(self) -> Option<i8> {
        (self.precision >= Precision::Month).then(|| self.first.month())
    }

    /// The day of the month, if known.
    pub(crate) fn day(self) -> Option<i8> {
        (self.precision == Precision::Day).then(|| self.first.day())
    }

    /// The first day it may be.
    pub(crate) fn first_day(self) -> Date {
        Date::day_of(self.first)
    }

    /// The last day it may be.
    pub(crate) fn last_day(self) -> Date {
        let last = match self.precision {
            Precision::Day => self.first,
            Precision::Month => self.first.last_of_month(),
            Precision::Year => self.first.last_of_year(),
        };
        Date::day_of(last)
    }

    /// Whether the whole of `self` lies before the whole of `other`.
    pub(crate) fn ends_before(self, other: Date) -> bool {
        self.last_day().first < other.first
    }

    /// `2019`, `March 2019`, `5 January 2022`.
    pub(crate) fn display(self) -> String {
        match self.precision {
            Precision::Year => self.year().to_string(),
            Precision::Month => format!("{} {}", self.month_name(), self.year()),
            Precision::Day => format!("{} {} {}", self.first.day(), self.month_name(), self.year()),
        }
    }

    /// The name of its month (of its first day, for a year).
    pub(crate) fn month_name(self) -> &'static str {
        MONTHS[(self.first.month() - 1) as usize]
    }

    /// Days from the last day of `self` to `later` (negative if `later` is
    /// earlier).
    pub(crate) fn days_until(self, later: Date) -> i64 {
        self.last_day()
            .first
            .until(later.first)
            .map_or(0, |span| i64::from(span.get_days()))
    }

    /// Today in UTC (for `dossier new` and the age of facts).
    pub(crate) fn today() -> Date {
        Date::day_of(
            jiff::tz::TimeZone::UTC
                .to_datetime(jiff::Timestamp::now())
                .date(),
        )
    }
}

/// Why a text that is none of the three forms is not a date, with how to
/// write it where the text is a date written another way.
fn other_form(s: &str) -> String {
    let t = s.trim();
    let parts: Vec<&str> = t
        .split(['/', '.', '-', ' ', ','])
        .filter(|p| !p.is_empty())
        .collect();
    let num = |p: &str| p.parse::<u32>().ok().filter(|_| p.len() <= 4);
    let month_named = |p: &str| {
        MONTHS
            .iter()
            .position(|m| p.len() >= 3 && m.to_lowercase().starts_with(&p.to_lowercase()))
            .map(|i| i as u32 + 1)
    };
    let valid = |y: u32, m: u32, d: u32| {
        i16::try_from(y)
            .ok()
            .and_then(|y| civil::Date::new(y, m as i8, d as i8).ok())
    };
    let iso = |d: civil::Date| {
        format!(
            "{:04}-{:02}-{:02} ({})",
            d.year(),
            d.month(),
            d.day(),
            Date::day_of(d).display()
        )
    };
    match parts.as_slice() {
        // 08/09/2020: day first or month first?
        [a, b, y] if num(y).is_some_and(|y| y > 999) && num(a).is_some() && num(b).is_some() => {
            let (a, b, y) = (
                num(a).unwrap_or(0),
                num(b).unwrap_or(0),
                num(y).unwrap_or(0),
            );
            let readings: Vec<civil::Date> = [valid(y, b, a), valid(y, a, b)]
                .into_iter()
                .flatten()
                .collect();
            match readings.as_slice() {
                [one, two] if one != two => format!(
                    "`{s}` can be read two ways: write {} or {}",
                    iso(*one),
                    iso(*two)
                ),
                [one, ..] => format!(
                    "`{s}` is not in the form dossier reads: write {}",
                    iso(*one)
                ),
                [] => format!("`{s}` is not a date; {FORMS}"),
            }
        }
        // 2022/01/05
        [y, m, d] if num(y).is_some_and(|y| y > 999) => {
            match valid(
                num(y).unwrap_or(0),
                num(m).unwrap_or(0),
                num(d).unwrap_or(0),
            ) {
                Some(date) => format!(
                    "`{s}` is not in the form dossier reads: write {}",
                    iso(date)
                ),
                None => format!("`{s}` is not a date; {FORMS}"),
            }
        }
        // 5 January 2022, January 5, 2022
        [d, m, y] | [m, d, y] if month_named(m).is_some() && num(d).is_some() => {
            match valid(
                num(y).unwrap_or(0),
                month_named(m).unwrap_or(0),
                num(d).unwrap_or(0),
            ) {
                Some(date) => format!(
                    "`{s}` is not in the form dossier reads: write {}",
                    iso(date)
                ),
                None => format!("`{s}` is not a date; {FORMS}"),
            }
        }
        // March 2019
        [m, y] if month_named(m).is_some() && num(y).is_some_and(|y| y > 999) => format!(
            "`{s}` is not in the form dossier reads: write {}-{:02}",
            y,
            month_named(m).unwrap_or(1)
        ),
        _ => format!("`{s}` is not a date; {FORMS}"),
    }
}

impl fmt::Display for Date {
    /// ISO 8601 at its precision: `2019`, `2019-03`, `2022-01-05`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.precision {
            Precision::Year => write!(f, "{:04}", self.year()),
            Precision::Month => write!(f, "{:04}-{:02}", self.year(), self.first.month()),
            Precision::Day => write!(
                f,
                "{:04}-{:02}-{:02}",
                self.year(),
                self.first.month(),
                self.first.day()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects_dates() {
        let d = Date::parse("2022-01-05").unwrap();
        assert_eq!(d.to_string(), "2022-01-05");
        assert_eq!(d.display(), "5 January 2022");
        assert!(Date::parse("2022-1-5").is_err());
        assert!(Date::parse("2022-13-01").unwrap_err().contains("month 13"));
        assert!(
            Date::parse("2022-02-30")
                .unwrap_err()
                .contains("February 2022 has no day 30")
        );
        assert!(Date::parse("2024-02-29").is_ok());
        assert!(Date::parse("yesterday").is_err());
        assert!(Date::parse("２０２２-01-05").is_err());
        assert!(Date::parse("2022-00").is_err());
        assert!(Date::parse("0000").is_err());
    }

    #[test]
    fn partial_dates_show_and_sort_at_their_precision() {
        let y = Date::parse("2022").unwrap();
        let m = Date::parse("2022-01").unwrap();
        let d = Date::parse("2022-01-01").unwrap();
        let d2 = Date::parse("2022-01-02").unwrap();
        assert_eq!(
            (y.display(), m.display()),
            ("2022".into(), "January 2022".into())
        );
        assert_eq!(
            (y.to_string(), m.to_string()),
            ("2022".into(), "2022-01".into())
        );
        assert!(y < m && m < d && d < d2);
        assert!(Date::parse("2021-12-31").unwrap() < y);
        assert_eq!(m.last_day().to_string(), "2022-01-31");
        assert_eq!(y.last_day().to_string(), "2022-12-31");
        assert_eq!(y.first_day().to_string(), "2022-01-01");
        assert!(!m.ends_before(d) && Date::parse("2021").unwrap().ends_before(m));
        assert_eq!((m.month(), m.day()), (Some(1), None));
    }

    #[test]
    fn dates_written_another_way_get_the_iso_form() {
        let e = Date::parse("08/09/2020").unwrap_err();
        assert!(
            e.contains("2020-09-08 (8 September 2020)") && e.contains("2020-08-09 (9 August 2020)"),
            "{e}"
        );
        let e = Date::parse("13/09/2020").unwrap_err();
        assert!(e.contains("write 2020-09-13"), "{e}");
        assert!(
            Date::parse("2022/01/05")
                .unwrap_err()
                .contains("write 2022-01-05")
        );
        assert!(
            Date::parse("5 January 2022")
                .unwrap_err()
                .contains("write 2022-01-05")
        );
        assert!(
            Date::parse("March 2019")
                .unwrap_err()
                .contains("write 2019-03")
        );
    }
}
