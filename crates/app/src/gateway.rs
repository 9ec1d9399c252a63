//! Card payments go through [`PaymentGateway`]. kippu ships [`SandboxGateway`], an honest
//! simulator with documented test tokens; a real processor implements the same trait.
//! Card numbers never reach kippu: the customer's browser gets a token from the processor.
//! Stored cards (登録クレジットカード) are registered at the processor too: kippu keeps the
//! processor's card id for a customer and charges it later ([`PaymentGateway::authorize_card`]).

use kippu_domain::clock::Clock;
use kippu_domain::label::Said;
use kippu_store::Store;
use kippu_store::sandbox_gateway as cards;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GatewayError {
    /// The processor's decline reason.
    Declined(String),
    Unavailable(String),
}

impl GatewayError {
    pub fn said(&self) -> Said {
        match self {
            GatewayError::Declined(why) => Said::new(
                format!("カードが承認されませんでした（{why}）"),
                format!("The card was declined ({why})"),
            ),
            GatewayError::Unavailable(why) => Said::new(
                format!("決済代行会社と通信できませんでした: {why}"),
                format!("The payment processor could not be reached: {why}"),
            ),
        }
    }
}

kippu_domain::display_said!(GatewayError);

/// A card registered at the processor, as it describes it: never the number.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoredCard {
    /// The processor's id of the card.
    pub card_id: String,
    pub brand: String,
    pub last4: String,
    pub exp_month: i64,
    pub exp_year: i64,
}

pub type GatewayFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, GatewayError>> + Send + 'a>>;

/// A payment processor. Every call is made outside database transactions; its reference is
/// stored with the payment.
pub trait PaymentGateway: Send + Sync + 'static {
    fn name(&self) -> &'static str;
    /// Reserves `amount` yen on the card behind `token`; returns the authorization reference.
    fn authorize<'a>(&'a self, token: &'a str, amount: i64) -> GatewayFuture<'a, String>;
    fn capture<'a>(&'a self, reference: &'a str, amount: i64) -> GatewayFuture<'a, ()>;
    fn void<'a>(&'a self, reference: &'a str) -> GatewayFuture<'a, ()>;
    fn refund<'a>(&'a self, reference: &'a str, amount: i64) -> GatewayFuture<'a, ()>;
    /// Replaces the authorization `reference` (not yet captured) by one of `amount` yen on the
    /// same card (受注編集 changed the total); returns the new reference, the old one released.
    fn reauthorize<'a>(&'a self, reference: &'a str, amount: i64) -> GatewayFuture<'a, String>;
    /// Registers the card behind `token` for the customer kippu calls `customer_ref` (the
    /// processor's registration page or tablet does this in production).
    fn register_card<'a>(&'a self, customer_ref: &'a str, token: &'a str) -> GatewayFuture<'a, StoredCard>;
    /// The customer's registered cards (「情報取得」).
    fn cards<'a>(&'a self, customer_ref: &'a str) -> GatewayFuture<'a, Vec<StoredCard>>;
    /// Removes the customer's card; another customer's card is `Declined("card_not_found")`.
    fn delete_card<'a>(&'a self, customer_ref: &'a str, card_id: &'a str) -> GatewayFuture<'a, ()>;
    /// Reserves `amount` yen on the customer's stored card; returns the authorization reference
    /// (captured, voided and refunded like any other). Another customer's card is
    /// `Declined("card_not_found")`.
    fn authorize_card<'a>(&'a self, customer_ref: &'a str, card_id: &'a str, amount: i64) -> GatewayFuture<'a, String>;
}

/// The sandbox's credit line: a reauthorization above it is declined for lack of funds, so a
/// test (or a merchant trying the sandbox) sees an edit refused by the card company.
pub const SANDBOX_CREDIT_LIMIT: i64 = 500_000;

/// The sandbox: `tok_visa`, `tok_master`, `tok_jcb` (and any other `tok_…`) are approved;
/// `tok_declined` is declined, `tok_insufficient_funds` is declined for lack of funds,
/// `tok_unavailable` simulates the processor being down. References are `sbx_` + random.
///
/// Stored cards: [`PaymentGateway::register_card`] takes these tokens (any other is declined as
/// `invalid_token`; `tok_declined` as `card_declined`; `tok_unavailable` is the processor down):
///
/// | token | brand | last 4 | expiry | charging it later |
/// |---|---|---|---|---|
/// | `tok_visa` | VISA | 4242 | 12/2030 | approved |
/// | `tok_master` | Mastercard | 4444 | 06/2029 | approved |
/// | `tok_jcb` | JCB | 0000 | 03/2031 | approved |
/// | `tok_declined_on_charge` | VISA | 0002 | 12/2030 | declined (`card_declined`) |
///
/// A charge above [`SANDBOX_CREDIT_LIMIT`] is declined (`insufficient_funds`). Card ids are
/// `card_` + random. The cards live in the simulator's own table `sandbox_gateway_cards` (the
/// payment company's database, not kippu's) in the same database as kippu, so every kippu
/// process and a restart see the same cards (docs/decisions.md).
pub struct SandboxGateway {
    store: Store,
    clock: Arc<dyn Clock>,
}

impl SandboxGateway {
    pub fn new(store: Store, clock: Arc<dyn Clock>) -> SandboxGateway {
        SandboxGateway { store, clock }
    }

    fn now_ms(&self) -> i64 {
        kippu_domain::clock::to_millis(self.clock.now())
    }
}

/// What a sandbox registration token stands for: brand, last 4, expiry, declined when charged.
fn sandbox_card(token: &str) -> Result<(&'static str, &'static str, i64, i64, bool), GatewayError> {
    match token {
        "tok_visa" => Ok(("VISA", "4242", 12, 2030, false)),
        "tok_master" => Ok(("Mastercard", "4444", 6, 2029, false)),
        "tok_jcb" => Ok(("JCB", "0000", 3, 2031, false)),
        "tok_declined_on_charge" => Ok(("VISA", "0002", 12, 2030, true)),
        "tok_declined" => Err(GatewayError::Declined("card_declined".into())),
        "tok_unavailable" => Err(GatewayError::Unavailable("sandbox: processor unavailable".into())),
        _ => Err(GatewayError::Declined("invalid_token".into())),
    }
}

fn down(e: kippu_store::StoreError) -> GatewayError {
    GatewayError::Unavailable(format!("sandbox storage: {e}"))
}

fn not_found() -> GatewayError {
    GatewayError::Declined("card_not_found".into())
}

fn described(c: cards::SandboxCardRow) -> StoredCard {
    StoredCard {
        card_id: c.card_id,
        brand: c.brand,
        last4: c.last4,
        exp_month: c.exp_month,
        exp_year: c.exp_year,
    }
}

impl PaymentGateway for SandboxGateway {
    fn name(&self) -> &'static str {
        "sandbox"
    }

    fn authorize<'a>(&'a self, token: &'a str, amount: i64) -> GatewayFuture<'a, String> {
        Box::pin(async move {
            if amount <= 0 {
                return Err(GatewayError::Declined("金額が不正です".into()));
            }
            match token {
                "tok_declined" => Err(GatewayError::Declined("card_declined".into())),
                "tok_insufficient_funds" => Err(GatewayError::Declined("insufficient_funds".into())),
                "tok_unavailable" => Err(GatewayError::Unavailable("sandbox: processor unavailable".into())),
                t if t.starts_with("tok_") && t.len() <= 64 => Ok(format!("sbx_{}", crate::secrets::random_token(12))),
                _ => Err(GatewayError::Declined("invalid_token".into())),
            }
        })
    }

    fn capture<'a>(&'a self, reference: &'a str, _amount: i64) -> GatewayFuture<'a, ()> {
        Box::pin(async move { check_ref(reference) })
    }

    fn void<'a>(&'a self, reference: &'a str) -> GatewayFuture<'a, ()> {
        Box::pin(async move { check_ref(reference) })
    }

    fn refund<'a>(&'a self, reference: &'a str, _amount: i64) -> GatewayFuture<'a, ()> {
        Box::pin(async move { check_ref(reference) })
    }

    fn reauthorize<'a>(&'a self, reference: &'a str, amount: i64) -> GatewayFuture<'a, String> {
        Box::pin(async move {
            check_ref(reference)?;
            if amount <= 0 {
                return Err(GatewayError::Declined("金額が不正です".into()));
            }
            if amount > SANDBOX_CREDIT_LIMIT {
                return Err(GatewayError::Declined("insufficient_funds".into()));
            }
            Ok(format!("sbx_{}", crate::secrets::random_token(12)))
        })
    }

    fn register_card<'a>(&'a self, customer_ref: &'a str, token: &'a str) -> GatewayFuture<'a, StoredCard> {
        Box::pin(async move {
            let (brand, last4, exp_month, exp_year, decline_on_charge) = sandbox_card(token)?;
            let mut conn = self.store.conn().await.map_err(down)?;
            if cards::count(&mut conn, customer_ref).await.map_err(down)? >= cards::MAX_CARDS_PER_CUSTOMER {
                return Err(GatewayError::Declined("too_many_cards".into()));
            }
            let card_id = format!("card_{}", crate::secrets::random_token(16));
            let new = cards::NewSandboxCard {
                card_id: &card_id,
                customer_ref,
                token,
                brand,
                last4,
                exp_month,
                exp_year,
                decline_on_charge,
            };
            cards::insert(&mut conn, &new, self.now_ms()).await.map_err(down)?;
            Ok(StoredCard {
                card_id,
                brand: brand.into(),
                last4: last4.into(),
                exp_month,
                exp_year,
            })
        })
    }

    fn cards<'a>(&'a self, customer_ref: &'a str) -> GatewayFuture<'a, Vec<StoredCard>> {
        Box::pin(async move {
            let mut conn = self.store.conn().await.map_err(down)?;
            let rows = cards::list(&mut conn, customer_ref).await.map_err(down)?;
            Ok(rows.into_iter().map(described).collect())
        })
    }

    fn delete_card<'a>(&'a self, customer_ref: &'a str, card_id: &'a str) -> GatewayFuture<'a, ()> {
        Box::pin(async move {
            let mut conn = self.store.conn().await.map_err(down)?;
            if cards::delete(&mut conn, customer_ref, card_id, self.now_ms()).await.map_err(down)? {
                Ok(())
            } else {
                Err(not_found())
            }
        })
    }

    fn authorize_card<'a>(&'a self, customer_ref: &'a str, card_id: &'a str, amount: i64) -> GatewayFuture<'a, String> {
        Box::pin(async move {
            if amount <= 0 {
                return Err(GatewayError::Declined("金額が不正です".into()));
            }
            let mut conn = self.store.conn().await.map_err(down)?;
            let card = cards::get(&mut conn, customer_ref, card_id)
                .await
                .map_err(down)?
                .ok_or_else(not_found)?;
            if card.decline_on_charge == 1 {
                return Err(GatewayError::Declined("card_declined".into()));
            }
            if amount > SANDBOX_CREDIT_LIMIT {
                return Err(GatewayError::Declined("insufficient_funds".into()));
            }
            Ok(format!("sbx_{}", crate::secrets::random_token(12)))
        })
    }
}

fn check_ref(reference: &str) -> Result<(), GatewayError> {
    if reference.starts_with("sbx_") {
        Ok(())
    } else {
        Err(GatewayError::Unavailable(format!("unknown sandbox reference {reference}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sandbox over its own (temporary) database, like `kippu serve`'s.
    async fn sandbox() -> (SandboxGateway, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("gw.db").display());
        let store = Store::open(&url).await.unwrap();
        (SandboxGateway::new(store, Arc::new(crate::clock::SystemClock)), dir)
    }

    #[tokio::test]
    async fn sandbox_tokens_behave_as_documented() {
        let (g, _dir) = sandbox().await;
        let r = g.authorize("tok_visa", 1000).await.unwrap();
        assert!(r.starts_with("sbx_"));
        assert!(g.capture(&r, 1000).await.is_ok());
        assert!(g.refund(&r, 1000).await.is_ok());
        assert_eq!(
            g.authorize("tok_declined", 1000).await,
            Err(GatewayError::Declined("card_declined".into()))
        );
        assert!(matches!(
            g.authorize("tok_unavailable", 1000).await,
            Err(GatewayError::Unavailable(_))
        ));
        assert!(g.authorize("4111111111111111", 1000).await.is_err(), "card numbers are not tokens");
    }

    #[tokio::test]
    async fn a_reauthorization_gets_a_new_reference_within_the_credit_line() {
        let (g, _dir) = sandbox().await;
        let r = g.authorize("tok_visa", 1000).await.unwrap();
        let again = g.reauthorize(&r, SANDBOX_CREDIT_LIMIT).await.unwrap();
        assert!(again.starts_with("sbx_") && again != r);
        assert_eq!(
            g.reauthorize(&r, SANDBOX_CREDIT_LIMIT + 1).await,
            Err(GatewayError::Declined("insufficient_funds".into()))
        );
        assert!(g.reauthorize("other", 1000).await.is_err());
    }

    #[tokio::test]
    async fn a_stored_card_is_the_customers_own_and_charged_as_documented() {
        let (g, _dir) = sandbox().await;
        let visa = g.register_card("m1-c1", "tok_visa").await.unwrap();
        assert_eq!(
            (visa.brand.as_str(), visa.last4.as_str(), visa.exp_month, visa.exp_year),
            ("VISA", "4242", 12, 2030)
        );
        let bad = g.register_card("m1-c1", "tok_declined_on_charge").await.unwrap();
        assert_eq!(g.cards("m1-c1").await.unwrap(), vec![visa.clone(), bad.clone()]);
        assert!(g.authorize_card("m1-c1", &visa.card_id, 1000).await.unwrap().starts_with("sbx_"));
        assert_eq!(
            g.authorize_card("m1-c1", &bad.card_id, 1000).await,
            Err(GatewayError::Declined("card_declined".into()))
        );
        assert_eq!(
            g.authorize_card("m1-c2", &visa.card_id, 1000).await,
            Err(GatewayError::Declined("card_not_found".into())),
            "another customer's card"
        );
        assert_eq!(
            g.delete_card("m1-c2", &visa.card_id).await,
            Err(GatewayError::Declined("card_not_found".into()))
        );
        g.delete_card("m1-c1", &visa.card_id).await.unwrap();
        assert_eq!(g.cards("m1-c1").await.unwrap(), vec![bad]);
        assert_eq!(
            g.register_card("m1-c1", "4242424242424242").await,
            Err(GatewayError::Declined("invalid_token".into()))
        );
    }
}
