//! Order numbers: the platform-wide sequence behind `T` + 14 digits.

use crate::Result;
use sqlx::AnyConnection;

/// Reserves the next value of the platform-wide order-number sequence.
pub async fn next_order_sequence(conn: &mut AnyConnection) -> Result<i64> {
    Ok(
        sqlx::query_scalar("UPDATE sequences SET next_value = next_value + 1 WHERE name = 'order_number' RETURNING next_value - 1")
            .fetch_one(conn)
            .await?,
    )
}
