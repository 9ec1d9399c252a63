//! Nullable code columns decoded into domain enums at the storage boundary. A non-null code
//! column decodes with `#[sqlx(try_from = "String")]`; a nullable one goes through one of these
//! (`#[sqlx(flatten, try_from = "…Column")]`). An unknown value is a decode error, never a
//! guessed default.

use kippu_domain::catalog::{TicketType, UnknownCode};
use kippu_domain::order::Side;
use kippu_domain::web_ticket::SendMode;
use sqlx::FromRow;

macro_rules! nullable_code {
    ($column:ident, $field:ident, $ty:ty) => {
        #[derive(FromRow)]
        pub struct $column {
            $field: Option<String>,
        }

        impl TryFrom<$column> for Option<$ty> {
            type Error = UnknownCode;
            fn try_from(c: $column) -> Result<Self, Self::Error> {
                c.$field.map(<$ty>::try_from).transpose()
            }
        }
    };
}

nullable_code!(SendModeColumn, send_mode, SendMode);
nullable_code!(TicketTypeColumn, ticket_type, TicketType);
nullable_code!(CancelledByColumn, cancelled_by, Side);
nullable_code!(CardStateColumn, payment_state, kippu_domain::goods::CardState);
nullable_code!(TimeBandColumn, time_band, kippu_domain::goods::TimeBand);
nullable_code!(CarrierColumn, carrier, kippu_domain::goods::Carrier);
nullable_code!(SizeClassColumn, size_class, kippu_domain::goods::SizeClass);
nullable_code!(OrderKindColumn, order_kind, kippu_domain::catalog::OrderKind);
nullable_code!(PointStatusColumn, point_status, kippu_domain::goods::PointStatus);
nullable_code!(TicketStatusColumn, ticket_status, kippu_domain::web_ticket::Status);
