use super::*;

fn t(from: Status, to: Status, effects: Vec<Effect>) -> Transition {
    Transition { from, to, effects }
}

#[test]
fn a_transition_stamps_what_its_effects_say() {
    let paid = t(Status::Unpaid, Status::AwaitingSend, vec![Effect::RecordPaid]).change();
    assert_eq!((paid.paid, paid.sent, paid.cancelled), (Stamp::Now, None, Stamp::Keep));
    let reverted = t(Status::AwaitingSend, Status::Unpaid, vec![Effect::ClearPaid]).change();
    assert_eq!(reverted.paid, Stamp::Clear);
    let silent = t(Status::AwaitingSend, Status::Sent, vec![Effect::RecordSentSilently]).change();
    assert_eq!(silent.sent, Some(SendMode::Silent));
    let cancelled = t(Status::Unpaid, Status::Cancelled, vec![Effect::RestoreStock]).change();
    assert_eq!(cancelled.cancelled, Stamp::Now);
}
