//! 利用実績's counts kept, not counted: per Japanese day, store, terminal, voucher type and
//! programme, the payments made that day and how many of them were cancelled since. `payments`
//! writes them in the transaction of each payment and cancellation; `records` reads them for
//! 該当件数 and the day totals over whole days, so three months are a few hundred rows whatever
//! the number of payments. `rebuild` recounts them from the payments (for rows written in bulk
//! outside `payments`, and as the property test's reference).

use crate::Result;
use kippu_domain::MerchantId;
use sqlx::AnyConnection;

/// Japan is UTC+9 all year, so a Japanese day is a fixed slice of milliseconds.
pub const JST_OFFSET_MS: i64 = 9 * 60 * 60 * 1000;
pub const DAY_MS: i64 = 24 * 60 * 60 * 1000;
/// Rows per (day, terminal, type): concurrent payments at one terminal update different rows.
const SHARDS: i64 = 8;

/// The Japanese day (days since 1970-01-01 in Japan time) of an instant in milliseconds.
pub fn day_of(ms: i64) -> i64 {
    (ms + JST_OFFSET_MS).div_euclid(DAY_MS)
}

/// The first millisecond of Japanese day `day`.
pub fn day_start(day: i64) -> i64 {
    day * DAY_MS - JST_OFFSET_MS
}

/// What one payment adds to its day's row.
#[derive(sqlx::FromRow)]
pub struct Counted {
    pub payment_id: i64,
    pub merchant_id: i64,
    pub paid_at: i64,
    pub store_id: i64,
    pub terminal_id: i64,
    pub voucher_type_id: i64,
    pub program_id: i64,
    pub amount: i64,
}

/// Adds `payments` (1 for a payment) and `cancelled` (1 for a cancellation) with the amount to
/// the payment's day row, creating it if it is the day's first.
async fn add(conn: &mut AnyConnection, c: &Counted, paid: i64, cancelled: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO voucher_day_counts (merchant_id, day, store_id, terminal_id, voucher_type_id, program_id, shard, \
           payments, amount, cancelled, cancelled_amount) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
         ON CONFLICT (merchant_id, day, store_id, terminal_id, voucher_type_id, program_id, shard) DO UPDATE SET \
           payments = voucher_day_counts.payments + excluded.payments, \
           amount = voucher_day_counts.amount + excluded.amount, \
           cancelled = voucher_day_counts.cancelled + excluded.cancelled, \
           cancelled_amount = voucher_day_counts.cancelled_amount + excluded.cancelled_amount",
    )
    .bind(c.merchant_id)
    .bind(day_of(c.paid_at))
    .bind(c.store_id)
    .bind(c.terminal_id)
    .bind(c.voucher_type_id)
    .bind(c.program_id)
    .bind(c.payment_id.rem_euclid(SHARDS))
    .bind(paid)
    .bind(paid * c.amount)
    .bind(cancelled)
    .bind(cancelled * c.amount)
    .execute(conn)
    .await?;
    Ok(())
}

/// A payment was made.
pub async fn paid(conn: &mut AnyConnection, c: &Counted) -> Result<()> {
    add(conn, c, 1, 0).await
}

/// A payment was cancelled: it still counts on its day, now also as cancelled.
pub async fn cancelled(conn: &mut AnyConnection, c: &Counted) -> Result<()> {
    add(conn, c, 0, 1).await
}

/// Recounts merchant `m`'s rows from its payments.
pub async fn rebuild(conn: &mut AnyConnection, m: MerchantId) -> Result<()> {
    sqlx::query("DELETE FROM voucher_day_counts WHERE merchant_id = $1")
        .bind(m.0)
        .execute(&mut *conn)
        .await?;
    let sql = format!(
        "INSERT INTO voucher_day_counts (merchant_id, day, store_id, terminal_id, voucher_type_id, program_id, shard, \
           payments, amount, cancelled, cancelled_amount) \
         SELECT merchant_id, (paid_at + {JST_OFFSET_MS}) / {DAY_MS}, store_id, terminal_id, voucher_type_id, COALESCE(program_id, 0), \
           id % {SHARDS}, COUNT(*), SUM(amount), SUM(CASE WHEN cancelled_at IS NULL THEN 0 ELSE 1 END), \
           SUM(CASE WHEN cancelled_at IS NULL THEN 0 ELSE amount END) \
         FROM voucher_payments WHERE merchant_id = $1 \
         GROUP BY merchant_id, (paid_at + {JST_OFFSET_MS}) / {DAY_MS}, store_id, terminal_id, voucher_type_id, COALESCE(program_id, 0), id % {SHARDS}"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(m.0).execute(conn).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_japanese_day_starts_at_midnight_in_tokyo() {
        // 2026-12-07 00:00 JST is 2026-12-06 15:00 UTC.
        let midnight_jst = 1_796_569_200_000;
        assert_eq!(day_start(day_of(midnight_jst)), midnight_jst);
        assert_eq!(day_of(midnight_jst - 1), day_of(midnight_jst) - 1);
        assert_eq!(day_of(midnight_jst + DAY_MS - 1), day_of(midnight_jst));
    }
}
