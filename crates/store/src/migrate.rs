//! Embedded migrations, one folder per backend, applied in order and recorded in
//! `kippu_migrations`. A migration file is never edited once released; a change is a new file.

use crate::{Backend, StoreError};
use sqlx::AnyConnection;

pub(crate) struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sqlite: &'static str,
    pub postgres: &'static str,
}

pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "foundation",
        sqlite: include_str!("../../../migrations/sqlite/0001_foundation.sql"),
        postgres: include_str!("../../../migrations/postgres/0001_foundation.sql"),
    },
    Migration {
        version: 2,
        name: "order_access",
        sqlite: include_str!("../../../migrations/sqlite/0002_order_access.sql"),
        postgres: include_str!("../../../migrations/postgres/0002_order_access.sql"),
    },
    Migration {
        version: 3,
        name: "order_keyset",
        sqlite: include_str!("../../../migrations/sqlite/0003_order_keyset.sql"),
        postgres: include_str!("../../../migrations/postgres/0003_order_keyset.sql"),
    },
    Migration {
        version: 4,
        name: "channel_tokens",
        sqlite: include_str!("../../../migrations/sqlite/0004_channel_tokens.sql"),
        postgres: include_str!("../../../migrations/postgres/0004_channel_tokens.sql"),
    },
    Migration {
        version: 5,
        name: "reservation_money",
        sqlite: include_str!("../../../migrations/sqlite/0005_reservation_money.sql"),
        postgres: include_str!("../../../migrations/postgres/0005_reservation_money.sql"),
    },
    Migration {
        version: 6,
        name: "booking_list",
        sqlite: include_str!("../../../migrations/sqlite/0006_booking_list.sql"),
        postgres: include_str!("../../../migrations/postgres/0006_booking_list.sql"),
    },
    Migration {
        version: 7,
        name: "storefront_payment",
        sqlite: include_str!("../../../migrations/sqlite/0007_storefront_payment.sql"),
        postgres: include_str!("../../../migrations/postgres/0007_storefront_payment.sql"),
    },
    Migration {
        version: 8,
        name: "merchant_profile",
        sqlite: include_str!("../../../migrations/sqlite/0008_merchant_profile.sql"),
        postgres: include_str!("../../../migrations/postgres/0008_merchant_profile.sql"),
    },
    Migration {
        version: 9,
        name: "settle_every_sale",
        sqlite: include_str!("../../../migrations/sqlite/0009_settle_every_sale.sql"),
        postgres: include_str!("../../../migrations/postgres/0009_settle_every_sale.sql"),
    },
    Migration {
        version: 10,
        name: "ticket_holders",
        sqlite: include_str!("../../../migrations/sqlite/0010_ticket_holders.sql"),
        postgres: include_str!("../../../migrations/postgres/0010_ticket_holders.sql"),
    },
    Migration {
        version: 11,
        name: "authorization_watch",
        sqlite: include_str!("../../../migrations/sqlite/0011_authorization_watch.sql"),
        postgres: include_str!("../../../migrations/postgres/0011_authorization_watch.sql"),
    },
    Migration {
        version: 12,
        name: "multi_use",
        sqlite: include_str!("../../../migrations/sqlite/0012_multi_use.sql"),
        postgres: include_str!("../../../migrations/postgres/0012_multi_use.sql"),
    },
    Migration {
        version: 13,
        name: "offered_payments",
        sqlite: include_str!("../../../migrations/sqlite/0013_offered_payments.sql"),
        postgres: include_str!("../../../migrations/postgres/0013_offered_payments.sql"),
    },
    Migration {
        version: 14,
        name: "fee_rates_per_kind",
        sqlite: include_str!("../../../migrations/sqlite/0014_fee_rates_per_kind.sql"),
        postgres: include_str!("../../../migrations/postgres/0014_fee_rates_per_kind.sql"),
    },
    Migration {
        version: 15,
        name: "stays",
        sqlite: include_str!("../../../migrations/sqlite/0015_stays.sql"),
        postgres: include_str!("../../../migrations/postgres/0015_stays.sql"),
    },
    Migration {
        version: 16,
        name: "allowed_payments",
        sqlite: include_str!("../../../migrations/sqlite/0016_allowed_payments.sql"),
        postgres: include_str!("../../../migrations/postgres/0016_allowed_payments.sql"),
    },
    Migration {
        version: 17,
        name: "goods",
        sqlite: include_str!("../../../migrations/sqlite/0017_goods.sql"),
        postgres: include_str!("../../../migrations/postgres/0017_goods.sql"),
    },
    Migration {
        version: 18,
        name: "goods_settlement",
        sqlite: include_str!("../../../migrations/sqlite/0018_goods_settlement.sql"),
        postgres: include_str!("../../../migrations/postgres/0018_goods_settlement.sql"),
    },
    Migration {
        version: 19,
        name: "point_ledger",
        sqlite: include_str!("../../../migrations/sqlite/0019_point_ledger.sql"),
        postgres: include_str!("../../../migrations/postgres/0019_point_ledger.sql"),
    },
    Migration {
        version: 20,
        name: "goods_csv_layouts",
        sqlite: include_str!("../../../migrations/sqlite/0020_goods_csv_layouts.sql"),
        postgres: include_str!("../../../migrations/postgres/0020_goods_csv_layouts.sql"),
    },
    Migration {
        version: 21,
        name: "goods_refunds",
        sqlite: include_str!("../../../migrations/sqlite/0021_goods_refunds.sql"),
        postgres: include_str!("../../../migrations/postgres/0021_goods_refunds.sql"),
    },
    Migration {
        version: 22,
        name: "goods_list_indexes",
        sqlite: include_str!("../../../migrations/sqlite/0022_goods_list_indexes.sql"),
        postgres: include_str!("../../../migrations/postgres/0022_goods_list_indexes.sql"),
    },
    Migration {
        version: 23,
        name: "goods_size",
        sqlite: include_str!("../../../migrations/sqlite/0023_goods_size.sql"),
        postgres: include_str!("../../../migrations/postgres/0023_goods_size.sql"),
    },
    Migration {
        version: 24,
        name: "voucher_programs",
        sqlite: include_str!("../../../migrations/sqlite/0024_voucher_programs.sql"),
        postgres: include_str!("../../../migrations/postgres/0024_voucher_programs.sql"),
    },
    Migration {
        version: 25,
        name: "voucher_holders",
        sqlite: include_str!("../../../migrations/sqlite/0025_voucher_holders.sql"),
        postgres: include_str!("../../../migrations/postgres/0025_voucher_holders.sql"),
    },
    Migration {
        version: 26,
        name: "voucher_settlements",
        sqlite: include_str!("../../../migrations/sqlite/0026_voucher_settlements.sql"),
        postgres: include_str!("../../../migrations/postgres/0026_voucher_settlements.sql"),
    },
    Migration {
        version: 27,
        name: "voucher_records_index",
        sqlite: include_str!("../../../migrations/sqlite/0027_voucher_records_index.sql"),
        postgres: include_str!("../../../migrations/postgres/0027_voucher_records_index.sql"),
    },
    Migration {
        version: 28,
        name: "channel_redeem",
        sqlite: include_str!("../../../migrations/sqlite/0028_channel_redeem.sql"),
        postgres: include_str!("../../../migrations/postgres/0028_channel_redeem.sql"),
    },
    Migration {
        version: 29,
        name: "shipment_import_runs",
        sqlite: include_str!("../../../migrations/sqlite/0029_shipment_import_runs.sql"),
        postgres: include_str!("../../../migrations/postgres/0029_shipment_import_runs.sql"),
    },
    Migration {
        version: 30,
        name: "payment_instructions",
        sqlite: include_str!("../../../migrations/sqlite/0030_payment_instructions.sql"),
        postgres: include_str!("../../../migrations/postgres/0030_payment_instructions.sql"),
    },
    Migration {
        version: 31,
        name: "store_pickup",
        sqlite: include_str!("../../../migrations/sqlite/0031_store_pickup.sql"),
        postgres: include_str!("../../../migrations/postgres/0031_store_pickup.sql"),
    },
    Migration {
        version: 33,
        name: "carrier_columns_and_b2_codes",
        sqlite: include_str!("../../../migrations/sqlite/0033_carrier_columns_and_b2_codes.sql"),
        postgres: include_str!("../../../migrations/postgres/0033_carrier_columns_and_b2_codes.sql"),
    },
    Migration {
        version: 34,
        name: "goods_points_used",
        sqlite: include_str!("../../../migrations/sqlite/0034_goods_points_used.sql"),
        postgres: include_str!("../../../migrations/postgres/0034_goods_points_used.sql"),
    },
    Migration {
        version: 35,
        name: "settlement_points_used",
        sqlite: include_str!("../../../migrations/sqlite/0035_settlement_points_used.sql"),
        postgres: include_str!("../../../migrations/postgres/0035_settlement_points_used.sql"),
    },
    Migration {
        version: 36,
        name: "point_ledger_sources",
        sqlite: include_str!("../../../migrations/sqlite/0036_point_ledger_sources.sql"),
        postgres: include_str!("../../../migrations/postgres/0036_point_ledger_sources.sql"),
    },
    Migration {
        version: 38,
        name: "cod_fee_table",
        sqlite: include_str!("../../../migrations/sqlite/0038_cod_fee_table.sql"),
        postgres: include_str!("../../../migrations/postgres/0038_cod_fee_table.sql"),
    },
    Migration {
        version: 40,
        name: "customer_numbers",
        sqlite: include_str!("../../../migrations/sqlite/0040_customer_numbers.sql"),
        postgres: include_str!("../../../migrations/postgres/0040_customer_numbers.sql"),
    },
    Migration {
        version: 41,
        name: "coupons_and_ad_codes",
        sqlite: include_str!("../../../migrations/sqlite/0041_coupons_and_ad_codes.sql"),
        postgres: include_str!("../../../migrations/postgres/0041_coupons_and_ad_codes.sql"),
    },
    Migration {
        version: 45,
        name: "voucher_day_counts",
        sqlite: include_str!("../../../migrations/sqlite/0045_voucher_day_counts.sql"),
        postgres: include_str!("../../../migrations/postgres/0045_voucher_day_counts.sql"),
    },
    Migration {
        version: 46,
        name: "order_promotions",
        sqlite: include_str!("../../../migrations/sqlite/0046_order_promotions.sql"),
        postgres: include_str!("../../../migrations/postgres/0046_order_promotions.sql"),
    },
    Migration {
        version: 47,
        name: "settlement_coupon_discounts",
        sqlite: include_str!("../../../migrations/sqlite/0047_settlement_coupon_discounts.sql"),
        postgres: include_str!("../../../migrations/postgres/0047_settlement_coupon_discounts.sql"),
    },
    Migration {
        version: 50,
        name: "interactions",
        sqlite: include_str!("../../../migrations/sqlite/0050_interactions.sql"),
        postgres: include_str!("../../../migrations/postgres/0050_interactions.sql"),
    },
    Migration {
        version: 55,
        name: "stored_cards",
        sqlite: include_str!("../../../migrations/sqlite/0055_stored_cards.sql"),
        postgres: include_str!("../../../migrations/postgres/0055_stored_cards.sql"),
    },
    Migration {
        version: 56,
        name: "rejected_orders",
        sqlite: include_str!("../../../migrations/sqlite/0056_rejected_orders.sql"),
        postgres: include_str!("../../../migrations/postgres/0056_rejected_orders.sql"),
    },
    Migration {
        version: 60,
        name: "subscriptions",
        sqlite: include_str!("../../../migrations/sqlite/0060_subscriptions.sql"),
        postgres: include_str!("../../../migrations/postgres/0060_subscriptions.sql"),
    },
    Migration {
        version: 65,
        name: "order_entry",
        sqlite: include_str!("../../../migrations/sqlite/0065_order_entry.sql"),
        postgres: include_str!("../../../migrations/postgres/0065_order_entry.sql"),
    },
    Migration {
        version: 80,
        name: "notes_by_api",
        sqlite: include_str!("../../../migrations/sqlite/0080_notes_by_api.sql"),
        postgres: include_str!("../../../migrations/postgres/0080_notes_by_api.sql"),
    },
];

pub(crate) async fn run(backend: Backend, conn: &mut AnyConnection) -> Result<Vec<i64>, StoreError> {
    use sqlx::Executor;
    conn.execute("CREATE TABLE IF NOT EXISTS kippu_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
        .await?;
    let mut applied = Vec::new();
    for m in MIGRATIONS {
        let done: Option<i64> = sqlx::query_scalar("SELECT version FROM kippu_migrations WHERE version = $1")
            .bind(m.version)
            .fetch_optional(&mut *conn)
            .await?;
        if done.is_some() {
            continue;
        }
        let sql = match backend {
            Backend::Sqlite => m.sqlite,
            Backend::Postgres => m.postgres,
        };
        let fail = |e: sqlx::Error| StoreError::Migration {
            version: m.version,
            name: m.name,
            reason: e.to_string(),
        };
        // DDL is transactional on both databases, so a failed migration leaves nothing behind.
        conn.execute(backend.begin_write()).await.map_err(fail)?;
        let result = async {
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&mut *conn).await?;
            sqlx::query("INSERT INTO kippu_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
                .bind(m.version)
                .bind(m.name)
                .bind(time::OffsetDateTime::now_utc().to_string())
                .execute(&mut *conn)
                .await?;
            Ok::<_, sqlx::Error>(())
        }
        .await;
        match result {
            Ok(()) => {
                conn.execute("COMMIT").await.map_err(fail)?;
                applied.push(m.version);
            }
            Err(e) => {
                let _ = conn.execute("ROLLBACK").await;
                return Err(fail(e));
            }
        }
    }
    Ok(applied)
}

#[cfg(test)]
mod tests {
    use super::MIGRATIONS;

    /// The two schemas must describe the same tables and columns. They differ only in the
    /// primary-key clause and in PostgreSQL's storage settings, which follow a
    /// `-- PostgreSQL only` line at the end of a file; any other difference has to be listed
    /// here, on purpose.
    #[test]
    fn sqlite_and_postgres_schemas_agree() {
        for m in MIGRATIONS {
            let shared = m.postgres.split("-- PostgreSQL only\n").next().unwrap_or_default();
            let expected = shared.replace("BIGSERIAL PRIMARY KEY", "INTEGER PRIMARY KEY AUTOINCREMENT");
            assert_eq!(expected, m.sqlite, "migration {} differs between backends", m.version);
        }
    }
}
