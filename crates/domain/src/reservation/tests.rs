use super::*;
use proptest::prelude::*;
use time::macros::{date, datetime};

fn policy() -> CancellationPolicy {
    CancellationPolicy::new(vec![
        Tier {
            days_before: 3,
            percent_kept: 50,
        },
        Tier {
            days_before: 0,
            percent_kept: 100,
        },
    ])
    .unwrap()
}

#[test]
fn tiers_apply_at_their_boundaries() {
    let p = policy();
    let visit = date!(2026 - 12 - 10);
    assert_eq!(
        customer_cancel(&p, 4400, visit, date!(2026 - 12 - 06)).unwrap(),
        CancelSplit {
            fee_kept: 0,
            refunded: 4400,
            percent_kept: 0
        }
    );
    assert_eq!(
        customer_cancel(&p, 4400, visit, date!(2026 - 12 - 07)).unwrap(),
        CancelSplit {
            fee_kept: 2200,
            refunded: 2200,
            percent_kept: 50
        }
    );
    assert_eq!(customer_cancel(&p, 4400, visit, date!(2026 - 12 - 09)).unwrap().percent_kept, 50);
    assert!(matches!(
        customer_cancel(&p, 4400, visit, visit),
        Err(CancelRefusal::FullFee { days: 0, .. })
    ));
    assert!(matches!(
        customer_cancel(&p, 4400, visit, date!(2026 - 12 - 11)),
        Err(CancelRefusal::VisitPassed(_))
    ));
    assert_eq!(p.describe_ja(), "当日: 100%、3日前から: 50%、それ以前: 無料");
}

#[test]
fn bad_policies_are_refused_with_the_reason() {
    assert_eq!(
        CancellationPolicy::new(vec![
            Tier {
                days_before: 3,
                percent_kept: 50
            },
            Tier {
                days_before: 3,
                percent_kept: 80
            }
        ]),
        Err(PolicyError::Overlap(3))
    );
    assert!(matches!(
        CancellationPolicy::new(vec![Tier {
            days_before: 1,
            percent_kept: 120
        }]),
        Err(PolicyError::Percent { .. })
    ));
    assert!(matches!(
        CancellationPolicy::new(vec![
            Tier {
                days_before: 0,
                percent_kept: 30
            },
            Tier {
                days_before: 7,
                percent_kept: 50
            }
        ]),
        Err(PolicyError::NotMonotonic { .. })
    ));
}

#[test]
fn the_visit_day_runs_from_midnight_to_midnight_in_japan() {
    let visit = date!(2026 - 12 - 10);
    assert!(check_visit_day(visit, datetime!(2026-12-09 23:59:59 +09:00)).is_err());
    assert!(check_visit_day(visit, datetime!(2026-12-10 00:00 +09:00)).is_ok());
    assert!(check_visit_day(visit, datetime!(2026-12-10 23:59:59 +09:00)).is_ok());
    assert_eq!(
        check_visit_day(visit, datetime!(2026-12-11 00:00 +09:00)),
        Err(RedeemRefusal::WrongDay(visit))
    );
    // 2026-12-09 15:00 UTC is already the visit day in Japan.
    assert!(check_visit_day(visit, datetime!(2026-12-09 15:00 UTC)).is_ok());
}

#[test]
fn no_show_only_after_the_visit_day() {
    let visit = date!(2026 - 12 - 10);
    assert!(!is_no_show(visit, false, visit));
    assert!(is_no_show(visit, false, date!(2026 - 12 - 11)));
    assert!(!is_no_show(visit, true, date!(2026 - 12 - 11)));
}

#[test]
fn eticket_ids_are_six_digits() {
    assert_eq!(parse_eticket_id(" 012345 "), Some("012345"));
    assert_eq!(parse_eticket_id("12345"), None);
    assert_eq!(parse_eticket_id("12345a"), None);
    assert_eq!(parse_eticket_id("１２３４５６"), None);
}

#[test]
fn a_payout_is_paid_once() {
    assert_eq!(PayoutStatus::Scheduled.mark_paid(), Ok(PayoutStatus::Paid));
    assert_eq!(PayoutStatus::Paid.mark_paid(), Err(PayoutRefusal::AlreadyPaid));
    assert!(PayoutStatus::parse("lost").is_none());
}

#[test]
fn merchant_reasons() {
    assert_eq!(MerchantReason::parse("weather", "").unwrap().label_ja(), "天候");
    assert_eq!(MerchantReason::parse("other", "").unwrap_err().field, "reason_text");
    assert_eq!(MerchantReason::parse("other", "停電").unwrap().label_ja(), "その他（停電）");
    assert!(MerchantReason::parse("rain", "").is_err());
}

fn facts(status: crate::web_ticket::Status, method: crate::order::PaymentMethod, today: Date) -> CancelFacts {
    CancelFacts {
        method,
        status,
        redeemed: false,
        no_show: false,
        amount: 8800,
        visit: date!(2026 - 12 - 10),
        today,
    }
}

#[test]
fn cancelling_moves_only_the_money_that_was_collected() {
    use crate::order::PaymentMethod as M;
    use crate::web_ticket::Status as S;
    let p = policy();
    let three_before = date!(2026 - 12 - 07);
    let paid = plan_cancel(&facts(S::Sent, M::CardCapture, three_before), &Canceller::Customer, &p).unwrap();
    assert_eq!((paid.fee_kept, paid.refunded), (4400, 4400));
    assert!(paid.effects.contains(&CancelEffect::RefundCard(4400)));
    assert!(paid.effects.contains(&CancelEffect::ChargeCancelRequestFee));
    let auth = plan_cancel(&facts(S::Authorized, M::CardAuth, three_before), &Canceller::Customer, &p).unwrap();
    assert!(auth.effects.contains(&CancelEffect::CaptureCard(4400)));
    let free = plan_cancel(&facts(S::Authorized, M::CardAuth, date!(2026 - 12 - 01)), &Canceller::Customer, &p).unwrap();
    assert!(free.effects.contains(&CancelEffect::VoidAuthorization));
    let unpaid = plan_cancel(&facts(S::Unpaid, M::BankPlatform, three_before), &Canceller::Customer, &p).unwrap();
    assert_eq!((unpaid.fee_kept, unpaid.refunded), (0, 0));
    let bank = plan_cancel(&facts(S::AwaitingSend, M::BankPlatform, three_before), &Canceller::Customer, &p).unwrap();
    assert!(bank.effects.contains(&CancelEffect::RefundByTransfer(4400)));
    // Force majeure on the day: everything back, even inside the 100 % tier.
    let fm = plan_cancel(
        &facts(S::Sent, M::CardCapture, date!(2026 - 12 - 10)),
        &Canceller::Merchant(MerchantReason::Weather),
        &p,
    )
    .unwrap();
    assert_eq!((fm.fee_kept, fm.refunded), (0, 8800));
    assert_eq!(
        plan_cancel(&facts(S::Sent, M::CardCapture, date!(2026 - 12 - 10)), &Canceller::Customer, &p)
            .unwrap_err()
            .code(),
        "outside_cancellation_window"
    );
    let mut redeemed = facts(S::Sent, M::CardCapture, three_before);
    redeemed.redeemed = true;
    assert_eq!(
        plan_cancel(&redeemed, &Canceller::Customer, &p),
        Err(CancelReservationRefusal::Redeemed)
    );
    let mut ns = facts(S::Sent, M::CardCapture, date!(2026 - 12 - 11));
    ns.no_show = true;
    assert_eq!(
        plan_cancel(&ns, &Canceller::Merchant(MerchantReason::Weather), &p),
        Err(CancelReservationRefusal::NoShow)
    );
    assert_eq!(
        plan_cancel(&facts(S::Cancelled, M::CardCapture, three_before), &Canceller::Customer, &p),
        Err(CancelReservationRefusal::AlreadyCancelled)
    );
}

fn tiers() -> impl Strategy<Value = Vec<Tier>> {
    prop::collection::btree_map(0u32..60, 0u32..=100, 0..5).prop_map(|m| {
        // Make it monotonic: sort by day, then keep a non-increasing percentage outwards.
        let mut out: Vec<Tier> = Vec::new();
        let mut cap = 100;
        for (d, p) in m {
            let p = p.min(cap);
            cap = p;
            out.push(Tier {
                days_before: d,
                percent_kept: p,
            });
        }
        out
    })
}

proptest! {
    #[test]
    fn fee_plus_refund_is_the_amount_and_grows_towards_the_visit(t in tiers(), amount in 0i64..1_000_000, a in 0i64..90, b in 0i64..90) {
        let p = CancellationPolicy::new(t).unwrap();
        let visit = date!(2027 - 01 - 31);
        let (near, far) = if a <= b { (a, b) } else { (b, a) };
        let near_split = customer_cancel(&p, amount, visit, visit - time::Duration::days(near));
        let far_split = customer_cancel(&p, amount, visit, visit - time::Duration::days(far));
        if let Ok(s) = near_split { prop_assert_eq!(s.fee_kept + s.refunded, amount); }
        if let Ok(s) = far_split { prop_assert_eq!(s.fee_kept + s.refunded, amount); }
        prop_assert!(p.percent_kept(near) >= p.percent_kept(far));
    }

    #[test]
    fn a_cancellation_never_moves_more_than_was_collected(
        t in tiers(), amount in 0i64..1_000_000, days in 0i64..40, status in 0usize..5, method in 0usize..5, merchant in any::<bool>(),
    ) {
        use crate::order::PaymentMethod as M;
        use crate::web_ticket::Status as S;
        let statuses = [S::Unpaid, S::Unreceived, S::Authorized, S::AwaitingSend, S::Sent];
        let methods = [M::BankPlatform, M::BankStore, M::PayAtVenue, M::CardAuth, M::CardCapture];
        let p = CancellationPolicy::new(t).unwrap();
        let visit = date!(2027 - 01 - 31);
        let f = CancelFacts { method: methods[method], status: statuses[status], redeemed: false, no_show: false, amount, visit, today: visit - time::Duration::days(days) };
        let who = if merchant { Canceller::Merchant(MerchantReason::Weather) } else { Canceller::Customer };
        if let Ok(plan) = plan_cancel(&f, &who, &p) {
            let collected = !matches!(statuses[status], S::Unpaid | S::Unreceived);
            if collected {
                prop_assert_eq!(plan.fee_kept + plan.refunded, amount);
            } else {
                prop_assert_eq!((plan.fee_kept, plan.refunded), (0, 0));
            }
            if merchant { prop_assert_eq!(plan.fee_kept, 0); }
            prop_assert!(plan.effects.contains(&CancelEffect::RestoreStock));
            let card_refund: i64 = plan.effects.iter().map(|e| if let CancelEffect::RefundCard(a) = e { *a } else { 0 }).sum();
            prop_assert!(card_refund <= amount);
        } else {
            // Only the customer is ever refused here, and only inside the 100 % tier.
            prop_assert!(!merchant);
            prop_assert!(p.percent_kept(days) >= 100);
        }
    }

    #[test]
    fn payouts_are_the_sum_of_their_parts(
        lines in prop::collection::vec((0usize..3, 0usize..LineKind::ALL.len(), 0i64..100_000), 0..200),
        fee_bp in 0i64..2000,
        ticket_bp in 0i64..2000,
        goods_bp in 0i64..2000,
    ) {
        let rates = crate::settlement::FeeRates { reservation_bp: fee_bp, ticket_bp, goods_bp };
        let kinds = LineKind::ALL;
        let lines: Vec<PayoutLine> = lines.into_iter().map(|(c, k, a)| PayoutLine { channel: format!("CH{c}"), kind: kinds[k], amount: a }).collect();
        let (per, total) = payout(&lines, rates);
        let sum = |k: LineKind| lines.iter().filter(|l| l.kind == k).map(|l| l.amount).sum::<i64>();
        prop_assert_eq!(total.gross, sum(LineKind::Used) + sum(LineKind::NoShow));
        prop_assert_eq!(total.refunds, sum(LineKind::Refund));
        prop_assert_eq!(total.cancellation_fees_kept, sum(LineKind::CancellationFeeKept));
        prop_assert_eq!(total.cancel_request_fees, sum(LineKind::CancelRequestFee));
        prop_assert_eq!(total.collected_by_merchant, sum(LineKind::CollectedByMerchant));
        prop_assert_eq!(total.points_used, sum(LineKind::PointsUsed));
        prop_assert_eq!(total.coupon_discounts, sum(LineKind::CouponDiscount));
        prop_assert_eq!(total.ticket_sales, sum(LineKind::TicketSale));
        prop_assert_eq!(total.goods_sales, sum(LineKind::GoodsSale));
        prop_assert_eq!(total.promotion_costs, sum(LineKind::PromotionCost));
        prop_assert_eq!(total.net, total.gross + total.ticket_sales + total.goods_sales - total.platform_fee - total.cancel_request_fees - total.refunds + total.cancellation_fees_kept - total.promotion_costs - total.collected_by_merchant - total.points_used - total.coupon_discounts);
        // The signed lines minus the fee are the payout: what the API's lines add up to.
        let signed: i64 = lines.iter().map(|l| l.kind.sign() * l.amount).sum();
        prop_assert_eq!(signed - total.platform_fee, total.net);
        // The summary's rows before 入金額 add up to it.
        let rows = crate::settlement::summary_rows(&total);
        prop_assert_eq!(rows[..rows.len() - 1].iter().map(|(_, v)| v).sum::<i64>(), total.net);
        // The channels add up to the total, to the yen.
        prop_assert_eq!(per.iter().map(|(_, t)| t.net).sum::<i64>(), total.net);
        prop_assert_eq!(per.iter().map(|(_, t)| t.platform_fee).sum::<i64>(), total.platform_fee);
        let fees: i64 = lines
            .iter()
            .filter(|l| l.kind.is_revenue())
            .map(|l| platform_fee(l.amount, match l.kind { LineKind::TicketSale => ticket_bp, LineKind::GoodsSale => goods_bp, _ => fee_bp }))
            .sum();
        prop_assert_eq!(total.platform_fee, fees);
    }
}

#[test]
fn booking_states_read_back_and_cancellation_wins() {
    for b in BookingState::ALL {
        assert_eq!(BookingState::parse(b.as_str()), Some(b));
    }
    use crate::web_ticket::Status as S;
    assert_eq!(BookingState::of(S::AwaitingSend, DoorState::Redeemed), BookingState::Redeemed);
    assert_eq!(BookingState::of(S::Sent, DoorState::NoShow), BookingState::NoShow);
    assert_eq!(BookingState::of(S::Unreceived, DoorState::Open), BookingState::Open);
    assert_eq!(BookingState::of(S::Cancelled, DoorState::Open), BookingState::Cancelled);
    assert_eq!(BookingState::parse("gone"), None);
}
