//! A voucher programme as the tests meet it: KSW with DEMO2 enrolled (a store and a terminal),
//! DEMO1 with a terminal but not enrolled, and a holder with a balance.

use crate::harness::TestApp;
use kippu_app::merchants::stores::{self, AddedTerminal, NewStore};
use kippu_app::vouchers::holders::{self, GrantInput, Granted};
use kippu_app::vouchers::programs::{self, ProgramInput};
use kippu_app::{Actor, App};

pub const PROGRAM: &str = "KSW";

pub struct VoucherWorld {
    /// DEMO2's terminal at 「あおば書店 駅前店」 (AKT10001_00001).
    pub terminal: AddedTerminal,
    /// DEMO1's terminal: DEMO1 is not in the programme.
    pub outsider: AddedTerminal,
    pub holder: Granted,
}

pub async fn add_terminal(app: &App, merchant: &str, store: &str, store_name: &str, name: &str) -> AddedTerminal {
    let admin = stores::acting_for(app, &Actor::system(), merchant).await.unwrap();
    let s = NewStore {
        code: store.into(),
        name: store_name.into(),
        address: String::new(),
        hours: String::new(),
    };
    stores::add_store(app, &admin, &s).await.unwrap();
    stores::add_terminal(app, &admin, store, name).await.unwrap()
}

pub async fn grant(app: &App, name: &str, amount: i64) -> Granted {
    let g = GrantInput {
        program: PROGRAM.into(),
        holder_name: name.into(),
        amount: amount.to_string(),
        ..GrantInput::default()
    };
    holders::grant(app, &Actor::system(), &g).await.unwrap()
}

impl VoucherWorld {
    pub async fn new(t: &TestApp) -> VoucherWorld {
        let p = ProgramInput {
            code: PROGRAM.into(),
            name: "子育て応援券".into(),
            types: vec!["EGIFT:e街ギフト".into()],
            ..ProgramInput::default()
        };
        programs::create(&t.app, &Actor::system(), &p).await.unwrap();
        programs::enrol(&t.app, &Actor::system(), PROGRAM, "DEMO2").await.unwrap();
        let terminal = add_terminal(&t.app, "DEMO2", "AKT10001_00001", "あおば書店 駅前店", "レジ1").await;
        let outsider = add_terminal(&t.app, "DEMO1", "OUT00001", "よその店", "レジ").await;
        let holder = grant(&t.app, "山田 花子", 10_000).await;
        VoucherWorld {
            terminal,
            outsider,
            holder,
        }
    }

    /// The holder pays `amount` (a JSON value, as a phone sends it) at DEMO2's terminal by its QR
    /// code, with `key` as the Idempotency-Key: the API's status and body.
    pub async fn pay_qr(&self, t: &TestApp, key: &str, amount: serde_json::Value) -> (u16, serde_json::Value) {
        let body = serde_json::json!({"terminal": self.terminal.qr_payload, "amount": amount});
        self.phone(t).post_with_key("/api/v1/voucher-payments", key, body).await
    }

    /// The holder's phone: the API with the holder's token.
    pub fn phone(&self, t: &TestApp) -> crate::harness::Api {
        t.api(self.holder.token.as_deref().expect("a new holder's token"))
    }
}
