//! Calendar dates as authors write them (`YYYY-MM-DD`), validated with jiff.

use std::fmt;

use jiff::civil;

/// A valid calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Date(civil::Date);

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

impl Date {
    /// Parses exactly `YYYY-MM-DD`; the error says what is wrong in words.
    pub(crate) fn parse(s: &str) -> Result<Date, String> {
        let b = s.as_bytes();
        let shape_ok = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape_ok {
            return Err(format!("`{s}` is not a date in the form YYYY-MM-DD"));
        }
        let num = |r: std::ops::Range<usize>| s[r].parse::<i16>().unwrap_or(0);
        let (y, m, d) = (num(0..4), num(5..7), num(8..10));
        if !(1..=12).contains(&m) {
            return Err(format!("`{s}` has month {m}, which does not exist"));
        }
        civil::Date::new(y, m as i8, d as i8)
            .map(Date)
            .map_err(|_| {
                format!(
                    "`{s}` is not a date: {} {y} has no day {d}",
                    MONTHS[(m - 1) as usize]
                )
            })
    }

    pub(crate) fn year(self) -> i16 {
        self.0.year()
    }

    pub(crate) fn month(self) -> i8 {
        self.0.month()
    }

    pub(crate) fn day(self) -> i8 {
        self.0.day()
    }

    /// `5 January 2022`
    pub(crate) fn display(self) -> String {
        format!("{} {} {}", self.day(), self.month_name(), self.year())
    }

    pub(crate) fn month_name(self) -> &'static str {
        MONTHS[(self.month() - 1) as usize]
    }

    /// Days from `self` to `later` (negative if `later` is earlier).
    pub(crate) fn days_until(self, later: Date) -> i64 {
        self.0
            .until(later.0)
            .map_or(0, |span| i64::from(span.get_days()))
    }

    /// Today in UTC (for `dossier new`).
    pub(crate) fn today() -> Date {
        Date(
            jiff::tz::TimeZone::UTC
                .to_datetime(jiff::Timestamp::now())
                .date(),
        )
    }
}

impl fmt::Display for Date {
    /// ISO 8601: `2022-01-05`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.year(),
            self.month(),
            self.day()
        )
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
    }
}
