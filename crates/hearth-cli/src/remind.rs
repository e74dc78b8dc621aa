//! `hearth remind`: whether anything is waiting, in words that name nothing,
//! for a person at a terminal, a desktop notification from a local timer,
//! or a timer to set up. Nothing goes through any outside service.

use std::path::{Path, PathBuf};
use std::process::Command;

use hearth_app::Clock;
use hearth_core::remind::{NOTICE_BODY, NOTICE_TITLE};
use hearth_store::{LOCAL_USER, Store, sqlite};
use jiff::{SignedDuration, Timestamp};
use serde_json::json;

use crate::failure::{Failure, Outcome, print_json};
use crate::open;

/// When the last notification run was, so each thing is shown once.
const STAMP_FILE: &str = "remind.last";
/// How far back a first run looks: one timer interval and a little more.
const FIRST_LOOK_BACK: SignedDuration = SignedDuration::from_mins(20);
const UNIT: &str = "hearth-remind";

pub async fn run(dir: &Path, notify: bool, install: bool, now: Timestamp, json: bool) -> Outcome {
    if install {
        return install_timer(dir, json);
    }
    // A reminder never creates a journal, and a timer never asks for a passphrase.
    if !sqlite::exists(dir)
        || (notify
            && open::is_passphrase_journal(dir)
            && std::env::var_os(open::PASSPHRASE_ENV).is_none())
    {
        return Ok(());
    }
    let store = open::open(dir).await?;
    let done = async {
        let clock = Clock::of(&store, LOCAL_USER, now).await?;
        if notify {
            notify_once(&store, dir, &clock).await
        } else {
            tell(&store, &clock, json).await
        }
    }
    .await;
    store.close().await;
    done
}

async fn tell(store: &dyn Store, clock: &Clock, json: bool) -> Outcome {
    let (reg, _) = crate::instruments::registry();
    let r = hearth_app::prompts::reminder(store, LOCAL_USER, clock, &reg, None).await?;
    if json {
        print_json(&r);
        return Ok(());
    }
    if r.checkin {
        println!("A moment to check in: `hearth checkin`.");
    }
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            one.to_string()
        } else {
            format!("{n} {many}")
        }
    };
    if r.questions > 0 {
        println!(
            "{} waiting: `hearth due`.",
            plural(r.questions, "A question is", "questions are")
        );
    }
    if r.surveys > 0 {
        println!(
            "{} due: `hearth due`.",
            plural(r.surveys, "A questionnaire is", "questionnaires are")
        );
    }
    Ok(())
}

async fn notify_once(store: &dyn Store, dir: &Path, clock: &Clock) -> Outcome {
    let settings = store.settings(LOCAL_USER).await?;
    let local = clock.now.to_zoned(clock.tz.clone()).time();
    // In quiet hours nothing is shown and the stamp stays, so what came due
    // is shown once when they end.
    if settings.quiet_hours.is_some_and(|q| q.contains(local)) {
        return Ok(());
    }
    let stamp = dir.join(STAMP_FILE);
    let since = std::fs::read_to_string(&stamp)
        .ok()
        .and_then(|t| t.trim().parse::<Timestamp>().ok())
        .filter(|t| *t <= clock.now)
        .unwrap_or(clock.now - FIRST_LOOK_BACK);
    let (reg, _) = crate::instruments::registry();
    let r = hearth_app::prompts::reminder(store, LOCAL_USER, clock, &reg, Some(since)).await?;
    if !r.is_empty() {
        let shown = Command::new("notify-send")
            .args(["--app-name=Hearth", NOTICE_TITLE, NOTICE_BODY])
            .status()
            .is_ok_and(|s| s.success());
        if !shown {
            // cron mails what a job prints: the same neutral words.
            println!("{NOTICE_TITLE}: {NOTICE_BODY}");
        }
    }
    write_stamp(&stamp, clock.now)
}

fn write_stamp(path: &Path, now: Timestamp) -> Outcome {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .and_then(|mut f| f.write_all(now.to_string().as_bytes()))
        .map_err(|e| Failure::Other(format!("could not write {}: {e}", path.display())))
}

fn unit_dir() -> Result<PathBuf, Failure> {
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
        .ok_or_else(|| Failure::Input("could not find your config directory; set HOME".into()))?;
    Ok(config.join("systemd").join("user"))
}

/// Writes a systemd user timer and its service, and says how to start them
/// (or gives a crontab line where systemd is not running).
fn install_timer(dir: &Path, json: bool) -> Outcome {
    if open::is_passphrase_journal(dir) {
        return Err(Failure::Input(
            "this journal is protected by a passphrase, and a timer cannot open it while you are away \
             without keeping the passphrase somewhere; Hearth will not do that. Reminders from the \
             calendar feed in server mode need no passphrase on this computer."
                .into(),
        ));
    }
    let exe = std::env::current_exe()
        .map_err(|e| Failure::Other(format!("could not find the hearth program: {e}")))?;
    let dir = std::path::absolute(dir)
        .map_err(|e| Failure::Other(format!("could not resolve {}: {e}", dir.display())))?;
    let quoted = |p: &Path| format!("\"{}\"", p.display().to_string().replace('"', "\\\""));
    let command = format!(
        "{} --data-dir {} remind --notify",
        quoted(&exe),
        quoted(&dir)
    );
    let units = unit_dir()?;
    std::fs::create_dir_all(&units)
        .map_err(|e| Failure::Other(format!("could not create {}: {e}", units.display())))?;
    let service = units.join(format!("{UNIT}.service"));
    let timer = units.join(format!("{UNIT}.timer"));
    let write = |path: &Path, text: String| {
        std::fs::write(path, text)
            .map_err(|e| Failure::Other(format!("could not write {}: {e}", path.display())))
    };
    write(
        &service,
        format!(
            "[Unit]\nDescription=Hearth reminders (neutral words; nothing leaves this computer)\n\n\
             [Service]\nType=oneshot\nExecStart={command}\n"
        ),
    )?;
    write(
        &timer,
        "[Unit]\nDescription=Hearth reminders every 15 minutes\n\n[Timer]\nOnCalendar=*:0/15\n\n\
         [Install]\nWantedBy=timers.target\n"
            .to_string(),
    )?;
    let crontab = format!("*/15 * * * * {command}");
    let systemd = Path::new("/run/systemd/system").exists();
    if json {
        print_json(&json!({
            "service": service, "timer": timer, "systemd": systemd, "crontab": crontab,
        }));
        return Ok(());
    }
    println!("Wrote {} and {}.", service.display(), timer.display());
    if systemd {
        println!(
            "Start it with: systemctl --user daemon-reload && systemctl --user enable --now {UNIT}.timer"
        );
    } else {
        println!(
            "This computer does not seem to run systemd. Add this line with `crontab -e` instead \
             (notifications need your desktop session's DISPLAY and DBUS_SESSION_BUS_ADDRESS):\n{crontab}"
        );
    }
    println!(
        "Reminders say only \"{NOTICE_TITLE}: {NOTICE_BODY}\". Choose check-in times with \
         `hearth settings set remind_at 09:00,20:30` and quiet hours with `hearth settings set quiet_hours 22:00-07:00`."
    );
    Ok(())
}
