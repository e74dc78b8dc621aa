//! The OpenAPI 3 document for `/api/v1`, generated from the handlers' own
//! annotations so it cannot drift from the routes.

use axum::Json;
use utoipa::OpenApi;

use crate::input;
use crate::{account, api, shares};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Hearth API",
        description = "A private journal's JSON API. Served on this computer only unless the operator says otherwise. \
Create returns 201 with {\"id\": …}; validation errors are 422 with a body naming each bad field, and nothing is written.",
    ),
    servers((url = "/api/v1")),
    paths(
        api::create_checkin,
        api::create_episode,
        api::list_entries,
        api::get_entry,
        api::patch_entry,
        api::delete_entry,
        api::take_survey,
        api::surveys_due,
        api::insights,
        api::list_medications,
        api::medication_event,
        api::help,
        api::unlock,
        account::register_api,
        account::login_api,
        account::logout_api,
        account::password_api,
        account::me,
        account::export_api,
        crate::import::import_api,
        account::delete_api,
        shares::create_api,
        shares::list_api,
        shares::revoke_api,
        shares::views_api,
    ),
    components(schemas(
        input::CheckinIn,
        input::EpisodeIn,
        input::SurveyIn,
        input::MedicationIn,
        api::UnlockIn,
        api::ErrorBody,
        api::Created,
        account::Credentials,
        account::PasswordChange,
        account::DeleteAccount,
        shares::ShareIn,
        hearth_app::import::Summary
    ))
)]
pub struct ApiDoc;

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
