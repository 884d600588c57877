//! Build timestamps for reproducible output: `SOURCE_DATE_EPOCH` when the
//! environment sets it (reproducible-builds.org), else the document's own
//! 成文日期 (its `date:`), never the clock.
//!
//! Writers that must record a date (DOCX core properties, the PDF creation
//! date) take it from here, so the same inputs give the same bytes.

/// `SOURCE_DATE_EPOCH` as seconds since 1970, if set to a number.
pub fn source_date_epoch() -> Option<i64> {
    std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|v| v.trim().parse().ok())
}

/// When a document was made, for its metadata: `SOURCE_DATE_EPOCH` if set,
/// else midnight UTC of its 成文日期, else None (the writer's fixed value).
pub fn document_time(date: Option<&crate::doc::Date>) -> Option<i64> {
    source_date_epoch().or_else(|| date.map(|d| days_from_civil(i64::from(d.year), d.month, d.day) * 86_400))
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
/// days-from-civil, the inverse of `civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
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

    #[test]
    fn days_from_civil_inverts_civil() {
        for secs in [0, 951_782_400, 1_682_208_000, -86_400, 4_102_444_800] {
            let c = civil(secs);
            assert_eq!(days_from_civil(c.year, c.month, c.day) * 86_400, secs - secs.rem_euclid(86_400));
        }
        let d = crate::doc::Date { year: 2023, month: 12, day: 31 };
        if source_date_epoch().is_none() {
            assert_eq!(
                document_time(Some(&d)).map(civil).map(|c| (c.year, c.month, c.day, c.hour)),
                Some((2023, 12, 31, 0))
            );
            assert_eq!(document_time(None), None);
        }
    }
}
