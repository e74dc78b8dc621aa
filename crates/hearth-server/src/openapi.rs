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

use utoipa::openapi::path::Operation;
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};

/// The refusals every route can give, added where a handler does not name
/// them itself, so the document lists every status the API answers with.
pub fn add_common_refusals(doc: &mut utoipa::openapi::OpenApi) {
    for item in doc.paths.paths.values_mut() {
        let reads = [&mut item.get, &mut item.head];
        let changes = [
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ];
        for op in reads.into_iter().flatten() {
            refusals(op, false);
        }
        for op in changes.into_iter().flatten() {
            refusals(op, true);
        }
    }
}

fn refusals(op: &mut Operation, changes: bool) {
    let mut codes = vec![
        (
            "400",
            "The request (its address, query or body) could not be read",
        ),
        (
            "401",
            "Not signed in, locked, or (local mode) without the launch key",
        ),
        ("404", "No such thing, or not this person's"),
        (
            "422",
            "A field is not valid; the body names each one, and nothing was written",
        ),
    ];
    if changes {
        codes.push((
            "403",
            "Sent from another site: refused, and nothing was written",
        ));
    }
    if op.request_body.is_some() {
        codes.extend([
            ("413", "The body is larger than this route takes"),
            (
                "415",
                "The body is not of the content type this route takes",
            ),
        ]);
    }
    for (code, why) in codes {
        op.responses
            .responses
            .entry(code.to_string())
            .or_insert_with(|| {
                RefOr::T(
                    ResponseBuilder::new()
                        .description(why)
                        .content(
                            "application/json",
                            ContentBuilder::new()
                                .schema(Some(Ref::from_schema_name("ErrorBody")))
                                .build(),
                        )
                        .build(),
                )
            });
    }
}
