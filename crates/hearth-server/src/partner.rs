//! Partner mode's API and page. The page's script (`/static/partner.js`, the
//! same protocol as the `hearth-partner` crate) does the cryptography in the
//! browser; these handlers only keep invitations, pairs and the mailbox.
//! Every byte string travels as lowercase hex.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hearth_core::ValidationError;
use hearth_store::{Pair, ServerStore};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use crate::error::{ApiError, ApiResult};
use crate::extract::clock;
use crate::state::{Acting, AppState};

const ONLY_ACCOUNTS: &str =
    "partner mode needs a Hearth server with accounts: both of you sign in to the same server";

fn partners_of<'a>(s: &AppState, a: &'a Acting) -> ApiResult<&'a std::sync::Arc<dyn ServerStore>> {
    match (&a.server, s.accounts()) {
        (Some(store), Some(_)) => Ok(store),
        _ => Err(ApiError::status(StatusCode::NOT_FOUND, ONLY_ACCOUNTS)),
    }
}

fn unhex(field: &str, text: &str) -> Result<Vec<u8>, ValidationError> {
    hex::decode(text.trim()).map_err(|_| ValidationError::invalid(field, "must be hex digits"))
}

fn pair_json(p: &Pair, user: hearth_store::UserId) -> Value {
    json!({
        "id": p.id,
        "role": if p.inviter == user { "inviter" } else { "joiner" },
        "invitation": p.invitation,
        "inviter_share": hex::encode(&p.inviter_share),
        "joiner_share": hex::encode(&p.joiner_share),
        "joiner_tag": hex::encode(&p.joiner_tag),
        "inviter_tag": p.inviter_tag.as_ref().map(hex::encode),
        "confirmed": p.inviter_tag.is_some(),
        "zone": p.zone,
        "created_at": p.created_at,
    })
}

#[utoipa::path(get, path = "/partner",
    responses((status = 200, description = "`{\"pair\", \"invite\", \"today\"}`: the person's pairing (its public values only), their live invitation, and the pair's calendar day"),
              (status = 404, description = "Not a server with accounts")))]
pub(crate) async fn status_api(State(s): State<AppState>, a: Acting) -> ApiResult<Json<Value>> {
    let store = partners_of(&s, &a)?;
    let st = hearth_app::partner::status(&**store, a.user, &clock(&a).await?).await?;
    Ok(Json(json!({
        "pair": st.pair.as_ref().map(|p| pair_json(p, a.user)),
        "invite": st.invite.as_ref().map(|i| json!({ "code": i.code, "expires_at": i.expires_at })),
        "today": st.today.map(|d| d.to_string()),
    })))
}

#[utoipa::path(delete, path = "/partner",
    responses((status = 204, description = "Unpaired: the pair and every message are gone, for both"),
              (status = 404, description = "Not paired")))]
pub(crate) async fn unpair_api(State(s): State<AppState>, a: Acting) -> ApiResult<StatusCode> {
    let store = partners_of(&s, &a)?;
    if hearth_app::partner::unpair(&**store, a.user).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::status(
            StatusCode::NOT_FOUND,
            "you are not paired with anyone",
        ))
    }
}

#[derive(Deserialize, ToSchema)]
pub(crate) struct ShareIn {
    /// The device's pairing share (32 bytes, hex).
    share: String,
}

#[utoipa::path(post, path = "/partner/invitations", request_body = ShareIn,
    responses((status = 201, description = "`{\"code\", \"expires_at\"}`: the invitation's id, the first four characters of the code to read out"),
              (status = 409, description = "Already paired")))]
pub(crate) async fn invite_api(
    State(s): State<AppState>,
    a: Acting,
    body: Result<Json<ShareIn>, JsonRejection>,
) -> ApiResult<Response> {
    let store = partners_of(&s, &a)?;
    let Json(b) = body?;
    let share = unhex("share", &b.share)?;
    let inv = hearth_app::partner::invite(&**store, a.user, &share, &clock(&a).await?).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "code": inv.code, "expires_at": inv.expires_at })),
    )
        .into_response())
}

#[utoipa::path(get, path = "/partner/invitations/{code}", params(("code" = String, Path)),
    responses((status = 200, description = "`{\"share\"}`: the inviter's share, for the joiner's device"),
              (status = 404, description = "No such live invitation")))]
pub(crate) async fn invitation_api(
    State(s): State<AppState>,
    a: Acting,
    Path(code): Path<String>,
) -> ApiResult<Json<Value>> {
    let store = partners_of(&s, &a)?;
    let share = hearth_app::partner::invitation(&**store, a.user, &code, &clock(&a).await?).await?;
    Ok(Json(json!({ "share": hex::encode(share) })))
}

#[derive(Deserialize, ToSchema)]
pub(crate) struct JoinIn {
    share: String,
    /// The joiner's key-confirmation tag (32 bytes, hex).
    tag: String,
}

#[utoipa::path(post, path = "/partner/invitations/{code}/join", params(("code" = String, Path)), request_body = JoinIn,
    responses((status = 201, description = "The pairing, waiting for the inviter's device to confirm"),
              (status = 404, description = "No such live invitation"),
              (status = 409, description = "Already paired, or the invitation is one's own")))]
pub(crate) async fn join_api(
    State(s): State<AppState>,
    a: Acting,
    Path(code): Path<String>,
    body: Result<Json<JoinIn>, JsonRejection>,
) -> ApiResult<Response> {
    let store = partners_of(&s, &a)?;
    let Json(b) = body?;
    let mut p = Vec::new();
    let share = crate::input::parsed(unhex("share", &b.share), &mut p);
    let tag = crate::input::parsed(unhex("tag", &b.tag), &mut p);
    let (Some(share), Some(tag)) = (share, tag) else {
        return Err(ApiError::invalid(p));
    };
    let c = clock(&a).await?;
    let pair = hearth_app::partner::join(&**store, a.user, &code, &share, &tag, &c).await?;
    Ok((StatusCode::CREATED, Json(pair_json(&pair, a.user))).into_response())
}

#[derive(Deserialize, ToSchema)]
pub(crate) struct TagIn {
    tag: String,
}

#[utoipa::path(post, path = "/partner/confirm", request_body = TagIn,
    responses((status = 204, description = "Confirmed: check-ins can begin"),
              (status = 409, description = "Nothing of yours waits for confirmation")))]
pub(crate) async fn confirm_api(
    State(s): State<AppState>,
    a: Acting,
    body: Result<Json<TagIn>, JsonRejection>,
) -> ApiResult<StatusCode> {
    let store = partners_of(&s, &a)?;
    let Json(b) = body?;
    hearth_app::partner::confirm(&**store, a.user, &unhex("tag", &b.tag)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/partner/mailboxes/{mailbox}", params(("mailbox" = String, Path)),
    responses((status = 200, description = "`{\"messages\": [{\"seq\", \"mine\", \"blob\"}]}`, in order; every blob sealed and of one size")))]
pub(crate) async fn mailbox_api(
    State(s): State<AppState>,
    a: Acting,
    Path(mailbox): Path<String>,
) -> ApiResult<Json<Value>> {
    let store = partners_of(&s, &a)?;
    let got = hearth_app::partner::mailbox(&**store, a.user, &mailbox, &clock(&a).await?).await?;
    let messages: Vec<Value> = got
        .iter()
        .map(|m| json!({ "seq": m.seq, "mine": m.sender == a.user, "blob": hex::encode(&m.blob) }))
        .collect();
    Ok(Json(json!({ "messages": messages })))
}

#[derive(Deserialize, ToSchema)]
pub(crate) struct BlobIn {
    blob: String,
}

#[utoipa::path(put, path = "/partner/mailboxes/{mailbox}/{seq}", params(("mailbox" = String, Path), ("seq" = u32, Path)), request_body = BlobIn,
    responses((status = 201, description = "Posted"),
              (status = 409, description = "Out of turn or taken: read the mailbox again"),
              (status = 422, description = "Not a sealed message of the one size")))]
pub(crate) async fn post_api(
    State(s): State<AppState>,
    a: Acting,
    Path((mailbox, seq)): Path<(String, u32)>,
    body: Result<Json<BlobIn>, JsonRejection>,
) -> ApiResult<StatusCode> {
    let store = partners_of(&s, &a)?;
    let Json(b) = body?;
    let blob = unhex("blob", &b.blob)?;
    hearth_app::partner::post(&**store, a.user, &mailbox, seq, &blob, &clock(&a).await?).await?;
    Ok(StatusCode::CREATED)
}

// ------------------------------------------------------------------ page

/// The words a person reads for each item, in the protocol's order.
pub(crate) const ITEM_WORDS: [&str; 6] = [
    "Talking together",
    "Being in each other’s company",
    "Cuddling or hugging",
    "Massage",
    "Sensual touch, with no goal",
    "Sex",
];

pub(crate) async fn page(
    State(s): State<AppState>,
    ctx: crate::extract::Ctx,
) -> crate::error::PageResult {
    let offered = s.accounts().is_some() && ctx.a.server.is_some();
    Ok(crate::render::page(&crate::views::PartnerPage {
        c: ctx.chrome("partner"),
        offered,
        key: ctx.a.user.0.to_string(),
        items: hearth_partner::checkin::ITEMS
            .into_iter()
            .zip(ITEM_WORDS)
            .collect(),
    }))
}
