//! `hearth admin`: what a server's operator needs — invitations, the list of
//! accounts, disabling one — and never anyone's entries.

use hearth_store::ServerStore;
use jiff::{SignedDuration, Timestamp};

use crate::cli::AdminCommand;
use crate::failure::{Failure, Outcome, print_json};

pub async fn run(
    store: &dyn ServerStore,
    cmd: &AdminCommand,
    now: Timestamp,
    json: bool,
) -> Outcome {
    match cmd {
        AdminCommand::Invite { days } => {
            let (code, hash) = hearth_app::secrets::new_invite();
            let expires = now + SignedDuration::from_hours(24 * i64::from(*days));
            store.create_invite(&hash, now, expires).await?;
            if json {
                print_json(&serde_json::json!({"code": code, "expires_at": expires}));
            } else {
                println!("Invitation code: {code}");
                println!(
                    "It works once, until {}. Only a hash of it is stored: copy it now.",
                    expires.strftime("%Y-%m-%d %H:%M UTC")
                );
            }
        }
        AdminCommand::Users => {
            // The local journal's own user has no password and cannot sign in: not an account.
            let list: Vec<_> = store
                .accounts()
                .await?
                .into_iter()
                .filter(|a| a.password_hash.is_some())
                .collect();
            if json {
                print_json(&list);
            } else if list.is_empty() {
                println!("No accounts yet. Make an invitation with `hearth admin invite`.");
            } else {
                println!("{:<6} {:<40} {:<12} status", "id", "username", "created");
                for a in &list {
                    println!(
                        "{:<6} {:<40} {:<12} {}",
                        a.id.0,
                        a.username,
                        a.created_at.strftime("%Y-%m-%d"),
                        if a.disabled { "disabled" } else { "active" }
                    );
                }
            }
        }
        AdminCommand::Disable { username } | AdminCommand::Enable { username } => {
            let disable = matches!(cmd, AdminCommand::Disable { .. });
            if !store.set_disabled(username, disable).await? {
                return Err(Failure::Input(format!(
                    "there is no account called '{username}'; `hearth admin users` lists them"
                )));
            }
            if json {
                print_json(&serde_json::json!({"username": username, "disabled": disable}));
            } else if disable {
                println!(
                    "Disabled {username}: they are signed out at their next request and cannot sign in. Their data stays."
                );
            } else {
                println!("Enabled {username} again.");
            }
        }
    }
    Ok(())
}
