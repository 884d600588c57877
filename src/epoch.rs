//! Build timestamps for reproducible output: `SOURCE_DATE_EPOCH` when the
//! environment sets it (reproducible-builds.org), never the clock.
//!
//! Writers that must record a date (DOCX core properties, the PDF creation
//! date) take it from here, so the same inputs give the same bytes.

/// `SOURCE_DATE_EPOCH` as seconds since 1970, if set to a number.
pub fn source_date_epoch() -> Option<i64> {
    std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|v| v.trim().parse().ok())
}

/// A UTC calendar date and time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Civil {
    /// Proleptic Gregorian year.
    pub year: i64,
    /// 1–12.
    pub month: u32,
    /// 1–31.
    pub day: u32,
    /// 0–23.
    pub hour: u32,
    /// 0–59.
    pub minute: u32,
    /// 0–59.
    pub second: u32,
}

/// The UTC date and time `secs` seconds after 1970-01-01 (Howard Hinnant's
/// days-to-civil algorithm: exact integer arithmetic, any era).
pub fn civil(secs: i64) -> Civil {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    Civil { year, month, day, hour: (rem / 3600) as u32, minute: (rem % 3600 / 60) as u32, second: (rem % 60) as u32 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil(0), Civil { year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0 });
        assert_eq!(civil(951_782_400).day, 29, "2000-02-29");
        let c = civil(1_682_208_000 + 3_661);
        assert_eq!((c.year, c.month, c.day, c.hour, c.minute, c.second), (2023, 4, 23, 1, 1, 1));
        assert_eq!(civil(-1).year, 1969);
    }
}
