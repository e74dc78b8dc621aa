//! The frame of the OpenAPI 3 document for `/api/v1`: its title, its server
//! and how errors read. The paths and their schemas come from the route
//! table itself (`routes::api`, which also serves the document), so the document cannot drift from the API.

use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Hearth API",
        description = "A private journal's JSON API. Served on this computer only unless the operator says otherwise. \
Create returns 201 with {\"id\": …}; validation errors are 422 with a body naming each bad field, and nothing is written.",
    ),
    servers((url = "/api/v1")),
)]
pub struct ApiDoc;
