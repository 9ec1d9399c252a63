use super::*;
use proptest::prelude::*;
use time::macros::datetime;

const NOW: OffsetDateTime = datetime!(2026-11-24 01:00 UTC);

fn facts(method: PaymentMethod, status: Status) -> Facts {
    Facts {
        method,
        status,
        authorized_at: Some(NOW),
        captured_at: Some(NOW),
        now: NOW,
    }
}

#[test]
fn every_method_starts_where_the_manual_says() {
    assert_eq!(initial_status(PaymentMethod::BankPlatform), Ok(Status::Unpaid));
    assert_eq!(initial_status(PaymentMethod::BankStore), Ok(Status::Unpaid));
    assert_eq!(initial_status(PaymentMethod::PayAtVenue), Ok(Status::Unreceived));
    assert_eq!(initial_status(PaymentMethod::CardAuth), Ok(Status::Authorized));
    assert_eq!(initial_status(PaymentMethod::CardCapture), Ok(Status::AwaitingSend));
}

#[test]
fn only_the_platform_confirms_platform_deposits() {
    let f = facts(PaymentMethod::BankPlatform, Status::Unpaid);
    assert_eq!(transition(&f, Action::ConfirmDeposit, Party::Merchant), Err(Refusal::PlatformOnly));
    let t = transition(&f, Action::ConfirmDeposit, Party::Platform).unwrap();
    assert_eq!(t.to, Status::AwaitingSend);
    assert!(t.effects.contains(&Effect::MailMerchantDeposit));
    // The merchant cannot mark a platform-account transfer paid itself.
    assert!(matches!(
        transition(&f, Action::MarkPaid, Party::Merchant),
        Err(Refusal::WrongMethod { .. })
    ));
}

#[test]
fn bank_store_payment_can_be_reverted_before_sending_and_reconfirmed() {
    let f = facts(PaymentMethod::BankStore, Status::Unpaid);
    let paid = transition(&f, Action::MarkPaid, Party::Merchant).unwrap();
    assert!(paid.effects.contains(&Effect::MailCustomerPaymentConfirmed));
    let back = transition(&facts(PaymentMethod::BankStore, paid.to), Action::RevertPayment, Party::Merchant).unwrap();
    assert_eq!(back.to, Status::Unpaid);
    let again = transition(&facts(PaymentMethod::BankStore, back.to), Action::MarkPaid, Party::Merchant).unwrap();
    assert!(
        again.effects.contains(&Effect::MailCustomerPaymentConfirmed),
        "re-confirming mails again"
    );
    assert!(
        transition(
            &facts(PaymentMethod::BankStore, Status::Sent),
            Action::RevertPayment,
            Party::Merchant
        )
        .is_err()
    );
}

#[test]
fn receipt_at_the_venue_pays_and_sends_in_one_step() {
    let f = facts(PaymentMethod::PayAtVenue, Status::Unreceived);
    for by in [Party::Merchant, Party::Slip] {
        let t = transition(&f, Action::Receive, by).unwrap();
        assert_eq!(t.to, Status::Sent);
        assert!(t.effects.contains(&Effect::MailCustomerThanks));
    }
    assert!(transition(&f, Action::Cancel, Party::Slip).is_err(), "the slip can only receive");
}

#[test]
fn authorizations_expire_after_25_days() {
    let mut f = facts(PaymentMethod::CardAuth, Status::Authorized);
    assert_eq!(f.auth_days_left(), Some(25));
    f.now = NOW + Duration::days(24) + Duration::hours(23);
    assert_eq!(f.auth_days_left(), Some(1), "the last day still counts");
    assert!(transition(&f, Action::Capture, Party::Merchant).is_ok());
    f.now = NOW + Duration::days(25);
    assert_eq!(f.auth_days_left(), None);
    assert_eq!(transition(&f, Action::Capture, Party::Merchant), Err(Refusal::AuthorizationExpired));
    f.now = NOW + Duration::hours(1);
    assert_eq!(f.auth_days_left(), Some(25));
    f.now = NOW + Duration::days(1);
    assert_eq!(f.auth_days_left(), Some(24));
    // An expired authorization can still be cancelled (voided).
    f.now = NOW + Duration::days(30);
    assert!(
        transition(&f, Action::Cancel, Party::Merchant)
            .unwrap()
            .effects
            .contains(&Effect::VoidAuthorization)
    );
}

#[test]
fn cancel_only_before_payment_and_request_only_after_capture() {
    assert!(
        transition(
            &facts(PaymentMethod::BankStore, Status::AwaitingSend),
            Action::Cancel,
            Party::Merchant
        )
        .is_err()
    );
    assert!(
        transition(
            &facts(PaymentMethod::CardCapture, Status::AwaitingSend),
            Action::Cancel,
            Party::Merchant
        )
        .is_err()
    );
    let req = transition(
        &facts(PaymentMethod::CardCapture, Status::Sent),
        Action::RequestCancel,
        Party::Merchant,
    )
    .unwrap();
    assert_eq!(req.to, Status::CancelRequested);
    assert!(req.effects.contains(&Effect::ChargeCancelRequestFee));
    assert!(
        transition(
            &facts(PaymentMethod::BankStore, Status::Sent),
            Action::RequestCancel,
            Party::Merchant
        )
        .is_err()
    );
    let mut late = facts(PaymentMethod::CardAuth, Status::Sent);
    late.now = NOW + Duration::days(CANCEL_REQUEST_DAYS);
    assert_eq!(
        transition(&late, Action::RequestCancel, Party::Merchant),
        Err(Refusal::CancelRequestPeriodOver)
    );
    let done = transition(
        &facts(PaymentMethod::CardCapture, Status::CancelRequested),
        Action::CompleteCancelRequest,
        Party::Platform,
    )
    .unwrap();
    assert_eq!(done.to, Status::Cancelled);
    assert!(done.effects.contains(&Effect::RefundCard));
}

#[test]
fn usage_needs_a_paid_order() {
    assert_eq!(change_usage(Status::Sent, Usage::Unused, true), Ok(Usage::Used));
    assert_eq!(change_usage(Status::AwaitingSend, Usage::Used, false), Ok(Usage::Unused));
    assert_eq!(change_usage(Status::Unpaid, Usage::Unused, true), Err(UsageRefusal::NotPaid));
    assert_eq!(change_usage(Status::Cancelled, Usage::Unused, true), Err(UsageRefusal::NotPaid));
    assert_eq!(change_usage(Status::Sent, Usage::Used, true), Err(UsageRefusal::AlreadyUsed));
}

fn method() -> impl Strategy<Value = PaymentMethod> {
    prop::sample::select(vec![
        PaymentMethod::BankPlatform,
        PaymentMethod::BankStore,
        PaymentMethod::PayAtVenue,
        PaymentMethod::CardAuth,
        PaymentMethod::CardCapture,
    ])
}

fn step() -> impl Strategy<Value = (Action, Party, i64)> {
    (
        prop::sample::select(Action::ALL.to_vec()),
        prop::sample::select(vec![Party::Platform, Party::Merchant, Party::Slip]),
        0i64..10,
    )
}

/// Money and stock as the effects move them: what the property tests check adds up.
#[derive(Debug, Default)]
struct Ledger {
    captured: bool,
    authorized: bool,
    refunded: bool,
    paid: bool,
    stock_taken: bool,
    fees: i64,
}

proptest! {
    #[test]
    fn random_action_sequences_stay_inside_the_table(m in method(), steps in prop::collection::vec(step(), 0..30)) {
        let mut status = initial_status(m).unwrap();
        let mut now = NOW;
        let mut ledger = Ledger {
            stock_taken: true,
            authorized: m == PaymentMethod::CardAuth,
            captured: m == PaymentMethod::CardCapture,
            paid: m == PaymentMethod::CardCapture,
            ..Ledger::default()
        };
        let mut captured_at = (m == PaymentMethod::CardCapture).then_some(NOW);
        for (action, party, days) in steps {
            now += Duration::days(days);
            let f = Facts { method: m, status, authorized_at: Some(NOW), captured_at, now };
            if let Ok(t) = transition(&f, action, party) {
                    prop_assert_eq!(t.from, status);
                    prop_assert_ne!(status, Status::Cancelled, "cancelled is final");
                    for e in &t.effects {
                        match e {
                            Effect::CaptureCard => { prop_assert!(ledger.authorized && !ledger.captured); ledger.captured = true; ledger.paid = true; captured_at = Some(now); }
                            Effect::VoidAuthorization => { prop_assert!(ledger.authorized && !ledger.captured); ledger.authorized = false; }
                            Effect::RefundCard => { prop_assert!(ledger.captured && !ledger.refunded); ledger.refunded = true; ledger.paid = false; }
                            Effect::RecordPaid => ledger.paid = true,
                            Effect::ClearPaid => ledger.paid = false,
                            Effect::RestoreStock => { prop_assert!(ledger.stock_taken); ledger.stock_taken = false; }
                            Effect::ChargeCancelRequestFee => ledger.fees += 1,
                            _ => {}
                        }
                    }
                    status = t.to;
            }
            // Invariants after every step.
            prop_assert_eq!(status.is_paid(), ledger.paid && ledger.stock_taken && status != Status::CancelRequested);
            if status == Status::Cancelled {
                prop_assert!(!ledger.stock_taken, "a cancelled order gives its stock back");
                prop_assert!(!ledger.captured || ledger.refunded, "no money kept on a cancelled order");
            } else {
                prop_assert!(ledger.stock_taken);
            }
            prop_assert!(ledger.fees <= 1, "at most one cancel request per order");
        }
    }

    #[test]
    fn cancelled_is_terminal(m in method(), a in prop::sample::select(Action::ALL.to_vec())) {
        let f = Facts { method: m, status: Status::Cancelled, authorized_at: Some(NOW), captured_at: Some(NOW), now: NOW };
        for p in [Party::Platform, Party::Merchant, Party::Slip] {
            prop_assert!(transition(&f, a, p).is_err());
        }
    }
}
