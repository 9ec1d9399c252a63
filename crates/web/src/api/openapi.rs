//! The OpenAPI document, generated from the handlers' annotations so it cannot drift from them.

use super::ad_codes::{AdCodeBody, AdCodeOut, AdCodePage};
use super::bookings::{ReservationList, ReservationOut};
use super::cards::{CardList, CardOut, RegisterCardBody};
use super::coupons::{CouponBody, CouponOut, CouponPage};
use super::customers::{AddressDto, CustomerDetail, CustomerDto, CustomerPage, CustomerPatch, NewCustomerBody};
use super::error::{ErrorBody, ErrorDetail, FieldMessage};
use super::fraud::{FraudRulesBody, FraudRulesOut};
use super::goods::{
    __path_import, __path_import_lines, __path_import_run, __path_konbini_notice, __path_patch_order, __path_put_ad_code,
    __path_put_destination, DestinationEditDoc, DestinationOut, EditLineDoc, GoodsActionBody, GoodsEditDoc, GoodsLineOut, GoodsOrderOut,
    ImportLineOut, ImportLinesOut, ImportOut, KonbiniNoticeBody, OrderAdCodeBody, TrackingBody,
};
use super::handlers::*;
use super::interactions::{
    ImportRefusedDetail, ImportRefusedOut, ImportedOut, InteractionBody, InteractionOut, InteractionPage, InteractionPatch, LineErrorOut,
};
use super::merchants::{
    __path_create_merchant, __path_resume, __path_set_payment_methods, __path_suspend, MerchantStatusOut, NewMerchantBody, OnboardedOut,
    PaymentMethodsBody, PaymentMethodsOut,
};
use super::notes::{NoteBody, NoteOut, NotePage};
use super::orders::*;
use super::products::{NewProductBody, StockRangeIn, TierIn};
use super::redemptions::*;
use super::rejected::{RejectedLineOut, RejectedOut, RejectedPage};
use super::reports::{PromotionRowOut, PromotionsReportOut};
use super::settlements::{SettlementLineOut, SettlementOut, SettlementTotalsOut};
use super::work_queue::{__path_work_queue, WorkCountOut};
use axum::http::header;
use axum::response::IntoResponse;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

#[derive(OpenApi)]
#[openapi(
    info(title = "kippu API", version = "1", description = "Order management for Japanese merchants. Money is integer yen; times are RFC 3339 in +09:00."),
    paths(me, stores, products, super::products::create, super::customers::list, super::customers::get, super::customers::create, super::customers::patch, super::cards::list, super::cards::register, super::cards::refresh, super::cards::delete, super::rejected::list, super::rejected::get, super::fraud::get, super::fraud::put, super::notes::list, super::notes::create, super::notes::get, super::coupons::list, super::coupons::create, super::coupons::update, super::ad_codes::list, super::ad_codes::create, super::ad_codes::update, super::reports::promotions, outbox, merchants, create_merchant, suspend, resume, set_payment_methods, create, get, list, action, put_destination, patch_order, put_ad_code, konbini_notice, import, ticket_use, ticket_unuse, ticket_transfer, bulk, export_csv, statement, redeem, super::bookings::list, super::settlements::list, super::settlements::csv, super::settlements::pdf, work_queue, super::vouchers::pay, super::vouchers::list, super::vouchers::cancel, super::vouchers::holder, import_run, import_lines, super::interactions::list, super::interactions::create, super::interactions::patch, super::interactions::import, super::interactions::export_csv),
    components(schemas(ErrorBody, ErrorDetail, FieldMessage, Me, StoreDto, TerminalDto, ProductDto, NewProductBody, StockRangeIn, TierIn, CustomerDto, CustomerPage, CustomerPatch, CustomerDetail, AddressDto, NewCustomerBody, CardOut, CardList, RegisterCardBody, RejectedOut, RejectedLineOut, RejectedPage, FraudRulesOut, FraudRulesBody, NoteOut, NotePage, NoteBody, CouponOut, CouponPage, CouponBody, AdCodeOut, AdCodePage, AdCodeBody, PromotionsReportOut, PromotionRowOut, OutboxDto, MerchantDto, NewMerchantBody, OnboardedOut, MerchantStatusOut, PaymentMethodsBody, PaymentMethodsOut, OrderOut, TicketOut, HistoryOut, AuthorizationOut, CustomerOut, OrderList, ListedOrder, OrderRequestDoc, CustomerDoc, SubscriptionDoc, ActionBody, NoOptions, TransferBody, BulkBody, BulkOut, BulkRowOut, RedeemBody, RedeemOut, ReservationList, ReservationOut, WorkCountOut, SettlementOut, SettlementLineOut, SettlementTotalsOut, PaymentInstructionsOut, AccountOut, GoodsOrderOut, DestinationOut, GoodsLineOut, GoodsActionBody, GoodsEditDoc, DestinationEditDoc, EditLineDoc, OrderAdCodeBody, TrackingBody, KonbiniNoticeBody, ImportOut, ImportLineOut, ImportLinesOut, InteractionOut, InteractionPage, InteractionBody, InteractionPatch, ImportedOut, ImportRefusedOut, ImportRefusedDetail, LineErrorOut)),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

pub fn json() -> String {
    let mut doc = ApiDoc::openapi();
    doc.merge(super::subscriptions::Doc::openapi());
    doc.to_pretty_json().unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

pub async fn document() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], json())
}
