//! The payment company (spec §10's honest simulator, beside the card gateway): when an order
//! paid after the fact is placed, it answers what the buyer is told — a コンビニ受付番号 (drawn
//! from the CSPRNG, with a check digit) with the chains it is paid at and the 支払期限, or for a
//! bank transfer the 振込先口座 (the store's, or the platform's for 事務局口座) and the 振込期限 —
//! the days from the merchant's 決済設定, the dates in Japan time. The payment itself arrives
//! as the konbini notice (`POST /api/v1/payment-notices/konbini`) or is confirmed by hand.

use crate::{App, AppError, Result, secrets};
use kippu_domain::order::PaymentMethod;
use kippu_domain::payment_due::{Instructions, KONBINI_CHAINS, KonbiniNumber, remind_at};
use kippu_domain::{MerchantId, OrderId};
use kippu_store::AnyConnection;
use kippu_store::merchants::MerchantRow;
use kippu_store::orders::{self, NewInstructions};
use time::OffsetDateTime;

/// What the payment company answered for a new order, before it is written with it.
#[derive(Debug, Clone)]
pub struct Issued {
    pub instructions: Instructions,
    pub remind_at: Option<i64>,
}

fn konbini_number() -> Result<KonbiniNumber> {
    // 24 random bytes nearly always hold 11 evenly mapped digits; a few draws make it certain.
    (0..8)
        .find_map(|_| KonbiniNumber::from_random(secrets::random_bytes(24)))
        .ok_or_else(|| AppError::Internal("the random source gave no konbini number".into()))
}

/// The instructions of an order of `method` placed at `ordered` with `merchant`; none for the
/// methods paid at the order, at the venue, at the store or on delivery.
pub async fn issue(app: &App, merchant: &MerchantRow, method: PaymentMethod, ordered: OffsetDateTime) -> Result<Option<Issued>> {
    let settings = merchant.due_settings();
    let Some(due_at) = settings.due_ms(method, ordered) else {
        return Ok(None);
    };
    let instructions = match method {
        PaymentMethod::Konbini => Instructions::Konbini {
            number: konbini_number()?.as_str().to_string(),
            chains: KONBINI_CHAINS.iter().map(|c| c.to_string()).collect(),
            due_at,
        },
        PaymentMethod::BankPlatform => {
            let mut conn = app.store.conn().await?;
            Instructions::Bank {
                method,
                account: kippu_store::merchants::platform_bank(&mut conn).await?,
                due_at,
            }
        }
        _ => Instructions::Bank {
            method,
            account: merchant.bank(),
            due_at,
        },
    };
    // Only a transfer is reminded: the コンビニ slip is the buyer's reminder.
    let remind = match method {
        PaymentMethod::BankPlatform | PaymentMethod::BankStore => {
            remind_at(ordered, kippu_domain::clock::from_millis(due_at), settings.bank_reminder_days)
        }
        _ => None,
    };
    Ok(Some(Issued {
        instructions,
        remind_at: remind.map(kippu_domain::clock::to_millis),
    }))
}

/// Writes what was issued with the order, in the order's transaction.
pub async fn record(tx: &mut AnyConnection, m: MerchantId, order: OrderId, issued: &Issued, now: i64) -> Result<()> {
    orders::insert_instructions(
        tx,
        &NewInstructions {
            merchant_id: m,
            order_id: order,
            instructions: &issued.instructions,
            remind_at: issued.remind_at,
            now,
        },
    )
    .await?;
    Ok(())
}

/// The instructions of an order, as the pages, the API and the emails show them.
pub async fn instructions_of(conn: &mut AnyConnection, order: OrderId) -> Result<Option<Instructions>> {
    Ok(orders::instructions_of(conn, order).await?)
}

/// The `{{ payment_instructions }}` of an email: the lines, or nothing for methods without.
pub async fn text_of(conn: &mut AnyConnection, order: OrderId) -> Result<String> {
    Ok(instructions_of(conn, order).await?.map(|i| i.text_ja()).unwrap_or_default())
}
