//! `POST /api/v1/products`: a merchant admin's connected system (or a test) creates a product of
//! any kind that exists, with its first stock, without the UI.

use super::error::{ApiError, ApiJson, ErrorBody};
use super::handlers::{ApiActor, ProductDto};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use kippu_app::App;
use kippu_app::catalog::{self, FirstStock, ProductInput};
use kippu_app::stock::RangeInput;
use serde::Deserialize;
use utoipa::ToSchema;

/// One tier of a cancellation policy: from `days_before` the visit, `percent_kept` is kept.
#[derive(Deserialize, ToSchema)]
pub struct TierIn {
    pub days_before: u32,
    pub percent_kept: u32,
}

/// The dated stock of a reservation, rental or stay: `stock` for every date `from`..=`to` and
/// each time slot (none: the whole day).
#[derive(Deserialize, ToSchema)]
pub struct StockRangeIn {
    pub from: String,
    pub to: String,
    #[serde(default)]
    pub slots: Vec<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct NewProductBody {
    pub code: String,
    pub name: String,
    /// `web_ticket`, `reservation` or `goods` (shipped; undated `stock`).
    pub kind: String,
    /// Web tickets: `basic`, `multi_use`, `rental` or `accommodation`.
    #[serde(default)]
    pub ticket_type: String,
    /// Price including tax, in yen.
    pub price: i64,
    /// 10 or 8 (percent); 10 when absent.
    #[serde(default)]
    pub tax_rate: Option<i64>,
    #[serde(default)]
    pub jan: String,
    #[serde(default)]
    pub description: String,
    /// Reservations: the largest party one booking may bring.
    #[serde(default)]
    pub party_size_max: Option<i64>,
    #[serde(default)]
    pub cancellation_policy: Vec<TierIn>,
    /// 回数券 (`multi_use`): the uses each ticket carries, 2 to 100.
    #[serde(default)]
    pub uses: Option<i64>,
    /// Goods: the parcel's サイズ (`60`, `80`, … `200`) and weight in grams, both optional.
    #[serde(default)]
    pub size_class: Option<String>,
    #[serde(default)]
    pub weight_g: Option<i64>,
    /// The first stock: of an undated product, or per date of `stock_range`.
    #[serde(default)]
    pub stock: Option<i64>,
    #[serde(default)]
    pub stock_range: Option<StockRangeIn>,
}

/// Creates a product with its first stock (merchant admin tokens); every bad field is named.
#[utoipa::path(post, path = "/api/v1/products", tag = "merchant", request_body = NewProductBody,
    responses((status = 201, body = ProductDto), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(app): State<App>,
    ApiActor(a): ApiActor,
    ApiJson(b): ApiJson<NewProductBody>,
) -> Result<(StatusCode, Json<ProductDto>), ApiError> {
    // The form's words: the same checks, the same messages, whoever creates the product.
    let input = ProductInput {
        code: b.code.clone(),
        jan: b.jan,
        name: b.name,
        kind: b.kind,
        ticket_type: b.ticket_type,
        price: b.price.to_string(),
        tax_rate: b.tax_rate.map(|t| t.to_string()).unwrap_or_default(),
        description: b.description,
        party_size_max: b.party_size_max.map(|n| n.to_string()).unwrap_or_default(),
        policy: b
            .cancellation_policy
            .iter()
            .map(|t| format!("{}:{}", t.days_before, t.percent_kept))
            .collect::<Vec<_>>()
            .join("\n"),
        uses: b.uses.map(|n| n.to_string()).unwrap_or_default(),
        size_class: b.size_class.unwrap_or_default(),
        weight_g: b.weight_g.map(|n| n.to_string()).unwrap_or_default(),
    };
    let stock = b.stock.map(|n| n.to_string()).unwrap_or_default();
    let first = FirstStock {
        range: b.stock_range.map(|r| RangeInput {
            from: r.from,
            to: r.to,
            slots: r.slots.join(","),
            capacity: stock.clone(),
        }),
        stock,
    };
    catalog::create_with_stock(&app, &a, &input, &first).await?;
    let code = b.code.trim().to_uppercase();
    let (p, stock) = catalog::with_stock(&app, &a)
        .await?
        .into_iter()
        .find(|(p, _)| p.code == code)
        .ok_or(kippu_app::AppError::NotFound)?;
    Ok((
        StatusCode::CREATED,
        Json(ProductDto {
            code: p.code,
            name: p.name,
            kind: p.kind.as_str().into(),
            ticket_type: p.ticket_type.map(|t| t.as_str().into()),
            price: p.price,
            tax_rate: p.tax_rate,
            stock,
            archived: p.archived == 1,
        }),
    ))
}
