//! The private calendar feed (RFC 5545): one daily event at each check-in
//! time a person chose, each with an alarm, and words that name nothing.
//! Times float (no zone), so a reminder set for 09:00 rings at 09:00 where
//! the phone is.

use hearth_core::remind::{NOTICE_BODY, NOTICE_TITLE, QuietHours};
use jiff::Timestamp;
use jiff::civil::{Date, Time};

/// The feed's text, CRLF-terminated as the standard asks. A time inside the
/// quiet hours is left out. `today` starts the daily repeats.
pub fn reminders(times: &[Time], quiet: Option<QuietHours>, today: Date, now: Timestamp) -> String {
    let stamp = now.strftime("%Y%m%dT%H%M%SZ").to_string();
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".into(),
        "PRODID:-//Hearth//Reminders//EN".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        format!("X-WR-CALNAME:{NOTICE_TITLE}"),
        "REFRESH-INTERVAL;VALUE=DURATION:PT12H".into(),
        "X-PUBLISHED-TTL:PT12H".into(),
    ];
    for t in times
        .iter()
        .filter(|t| quiet.is_none_or(|q| !q.contains(**t)))
    {
        let start = today.to_datetime(*t).strftime("%Y%m%dT%H%M%S").to_string();
        lines.extend([
            "BEGIN:VEVENT".to_string(),
            format!("UID:checkin-{}@hearth", t.strftime("%H%M")),
            format!("DTSTAMP:{stamp}"),
            format!("DTSTART:{start}"),
            "DURATION:PT5M".into(),
            "RRULE:FREQ=DAILY".into(),
            format!("SUMMARY:{NOTICE_TITLE}"),
            format!("DESCRIPTION:{NOTICE_BODY}"),
            "TRANSP:TRANSPARENT".into(),
            "CLASS:PRIVATE".into(),
            "BEGIN:VALARM".into(),
            "ACTION:DISPLAY".into(),
            format!("DESCRIPTION:{NOTICE_TITLE}: {NOTICE_BODY}"),
            "TRIGGER:PT0S".into(),
            "END:VALARM".into(),
            "END:VEVENT".into(),
        ]);
    }
    lines.push("END:VCALENDAR".into());
    lines.join("\r\n") + "\r\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_time_is_a_daily_event_with_an_alarm_and_quiet_hours_are_left_out() {
        let times = hearth_core::remind::parse_times("07:30,13:00,23:15").unwrap();
        let quiet = hearth_core::remind::parse_quiet("23:00-07:00").unwrap();
        let text = reminders(
            &times,
            quiet,
            "2026-12-02".parse().unwrap(),
            "2026-12-02T10:00:00Z".parse().unwrap(),
        );
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"));
        assert_eq!(
            text.matches("BEGIN:VEVENT").count(),
            2,
            "23:15 is in the quiet hours"
        );
        assert!(
            text.contains("DTSTART:20261202T073000\r\n")
                && text.contains("DTSTART:20261202T130000\r\n")
        );
        assert_eq!(text.matches("BEGIN:VALARM").count(), 2);
        assert!(text.lines().all(|l| l.len() <= 75), "no line needs folding");
        assert!(!text.replace("\r\n", "").contains('\n'), "CRLF only");
        let empty = reminders(
            &[],
            None,
            "2026-12-02".parse().unwrap(),
            "2026-12-02T10:00:00Z".parse().unwrap(),
        );
        assert!(!empty.contains("VEVENT"));
    }
}
