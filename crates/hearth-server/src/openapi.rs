//! The OpenAPI 3 document for `/api/v1`, generated from the handlers' own
//! annotations so it cannot drift from the routes.

use axum::Json;
use utoipa::OpenApi;

use crate::input;
use crate::{
    account, entries, error, help, import, insights, medications, shares, surveys, welcome,
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Hearth API",
        description = "A private journal's JSON API. Served on this computer only unless the operator says otherwise. \
Create returns 201 with {\"id\": …}; validation errors are 422 with a body naming each bad field, and nothing is written.",
    ),
    servers((url = "/api/v1")),
    paths(
        entries::api::create_checkin,
        entries::api::create_episode,
        entries::api::list_entries,
        entries::api::get_entry,
        entries::api::patch_entry,
        entries::api::delete_entry,
        surveys::take_survey,
        surveys::surveys_due,
        insights::insights,
        medications::list_medications,
        medications::medication_event,
        help::help,
        welcome::unlock,
        account::register_api,
        account::login_api,
        account::logout_api,
        account::password_api,
        account::me,
        account::export_api,
        import::api::import_api,
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
        welcome::UnlockIn,
        error::ErrorBody,
        error::Created,
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
