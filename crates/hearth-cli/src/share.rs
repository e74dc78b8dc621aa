//! `hearth share`: read-only links to the report, for a clinician.

use hearth_core::EntryId;
use hearth_core::when::parse_date;

use crate::cli::ShareCommand;
use crate::render;
use hearth_app::Clock;
use hearth_store::{LOCAL_USER, SqliteStore};

use crate::failure::{Failure, Outcome, print_json};

pub async fn run(store: &SqliteStore, clock: &Clock, cmd: ShareCommand, json: bool) -> Outcome {
    use hearth_store::Shares;
    match cmd {
        ShareCommand::Create {
            from,
            to,
            days,
            base_url,
            leave_out,
        } => {
            let base = base_url.trim_end_matches('/');
            if !base.starts_with("http://") && !base.starts_with("https://") {
                return Err(Failure::Input(
                    "--base-url must start with http:// or https://".into(),
                ));
            }
            let req = hearth_app::shares::Request {
                from: from.map(|d| parse_date("from", &d)).transpose()?,
                to: to.map(|d| parse_date("to", &d)).transpose()?,
                days: Some(days),
                leave_out: hearth_app::report::leave_out(&leave_out)?,
            };
            let made = hearth_app::shares::create(store, LOCAL_USER, clock, &req).await?;
            let (link, secret) = (made.link, made.secret);
            let (from, to, expires) = (link.from, link.to, link.expires_at);
            let url = format!("{base}/s/{secret}");
            if json {
                let mut v = serde_json::json!(link);
                v["url"] = url.into();
                print_json(&v);
            } else {
                println!("{url}");
                println!(
                    "The report from {from} to {to}, read-only, until {}. It opens wherever `hearth serve` answers at {base};",
                    render::local(expires, &clock.tz)
                );
                println!(
                    "copy the address now: only a fingerprint of it is kept. Withdraw it with `hearth share revoke {}`.",
                    link.id
                );
            }
        }
        ShareCommand::List => {
            let links = store.shares(LOCAL_USER).await?;
            if json {
                print_json(&links);
            } else if links.is_empty() {
                println!("No share links. Make one with `hearth share create`.");
            } else {
                for l in &links {
                    let state = match (l.revoked_at, l.is_live(clock.now)) {
                        (Some(_), _) => "withdrawn".to_string(),
                        (None, true) => format!("until {}", render::local(l.expires_at, &clock.tz)),
                        (None, false) => "expired".to_string(),
                    };
                    println!(
                        "{}  {} to {}  {state}  opened {} times",
                        l.id, l.from, l.to, l.views
                    );
                }
            }
        }
        ShareCommand::Revoke { id } => {
            let id = EntryId::parse(&id)?;
            if !store.revoke_share(LOCAL_USER, &id, clock.now).await? {
                return Err(Failure::Input(format!(
                    "there is no live share link with id {id}; `hearth share list` shows them"
                )));
            }
            if json {
                print_json(&serde_json::json!({"revoked": id}));
            } else {
                println!("Withdrawn: the link opens nothing from now on.");
            }
        }
    }
    Ok(())
}
