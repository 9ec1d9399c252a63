//! Card payments go through [`PaymentGateway`]. kippu ships [`SandboxGateway`], an honest
//! simulator with documented test tokens; a real processor implements the same trait.
//! Card numbers never reach kippu: the customer's browser gets a token from the processor.

use kippu_domain::label::Said;
use std::future::Future;
use std::pin::Pin;

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
}

/// The sandbox's credit line: a reauthorization above it is declined for lack of funds, so a
/// test (or a merchant trying the sandbox) sees an edit refused by the card company.
pub const SANDBOX_CREDIT_LIMIT: i64 = 500_000;

/// The sandbox: `tok_visa`, `tok_master`, `tok_jcb` (and any other `tok_…`) are approved;
/// `tok_declined` is declined, `tok_insufficient_funds` is declined for lack of funds,
/// `tok_unavailable` simulates the processor being down. References are `sbx_` + random.
pub struct SandboxGateway;

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

    #[tokio::test]
    async fn sandbox_tokens_behave_as_documented() {
        let g = SandboxGateway;
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
        let g = SandboxGateway;
        let r = g.authorize("tok_visa", 1000).await.unwrap();
        let again = g.reauthorize(&r, SANDBOX_CREDIT_LIMIT).await.unwrap();
        assert!(again.starts_with("sbx_") && again != r);
        assert_eq!(
            g.reauthorize(&r, SANDBOX_CREDIT_LIMIT + 1).await,
            Err(GatewayError::Declined("insufficient_funds".into()))
        );
        assert!(g.reauthorize("other", 1000).await.is_err());
    }
}
