//! Demo data of electronic vouchers: the programme 「かしわざキッズ スターチケット」 (twice-a-month
//! cycle) with DEMO2 enrolled (its two stores and their terminals), holders with balances and
//! about three payments a day over the last three months, some cancelled within the hour; the
//! periods already due are settled as the job would.

use crate::vouchers::holders;
use crate::vouchers::programs::{self, ProgramInput};
use crate::{Actor, App, Result};
use kippu_store::merchants;
use kippu_store::vouchers::payments::{self as repo, Cancellation, NewPayment};
use kippu_store::vouchers::{self as store_programs, holders as holders_repo};

pub const PROGRAM: &str = "KASHIWA";

const HOLDERS: &[&str] = &["柏崎 花子", "柏崎 一郎", "米山 さくら", "鯨波 大地", "荒浜 みなと", "番神 ひかり"];

/// A holder's link printed by `kippu demo`, or `None` when the programme was already there.
pub async fn load(app: &App) -> Result<Option<String>> {
    let system = Actor::system();
    {
        let mut conn = app.store.conn().await?;
        if store_programs::program_by_code(&mut conn, PROGRAM).await?.is_some() {
            return Ok(None);
        }
    }
    let input = ProgramInput {
        code: PROGRAM.into(),
        name: "かしわざキッズ スターチケット".into(),
        types: vec!["EGIFT:e街ギフト".into()],
        // Valid since before the first demo payment, so its periods are settled.
        valid_from: (app.clock.today() - time::Duration::days(100)).to_string(),
        ..ProgramInput::default()
    };
    let program = programs::create(app, &system, &input).await?;
    programs::enrol(app, &system, PROGRAM, "DEMO2").await?;
    let mut tokens = Vec::new();
    for name in HOLDERS {
        let g = holders::GrantInput {
            program: PROGRAM.into(),
            holder_name: (*name).into(),
            amount: "200000".into(),
            ..holders::GrantInput::default()
        };
        let granted = holders::grant(app, &system, &g).await?;
        tokens.push((granted.holder_id, granted.token.unwrap_or_default()));
    }
    let mut tx = app.store.begin().await?;
    let m = merchants::find_by_code(&mut tx, "DEMO2").await?.ok_or(crate::AppError::NotFound)?;
    let mut terminals = Vec::new();
    for s in merchants::list_stores(&mut tx, m.id).await? {
        for t in merchants::list_terminals(&mut tx, m.id, s.id).await? {
            terminals.extend(repo::terminal_by_qr(&mut tx, &t.qr_token).await?);
        }
    }
    let now = app.now_ms();
    let day = 24 * 60 * 60 * 1000;
    let mut n = 0usize;
    for back in (0..90i64).rev() {
        for slot in 0..3i64 {
            n += 1;
            // Spread over the day, never in the future.
            let at = now - back * day - ((n * 7919) % 5) as i64 * 3_600_000 - slot * 1_234_567;
            if at > now {
                continue;
            }
            let (holder_id, _) = tokens[n % tokens.len()];
            let holder = holders_repo::holder_by_id(&mut tx, program.id, holder_id)
                .await?
                .ok_or(crate::AppError::NotFound)?;
            let account = holders_repo::account_for(&mut tx, &holder, program.types[0].id, now).await?;
            let amount = 300 + ((n * 137) % 28) as i64 * 100;
            let Some(after) = repo::debit(&mut tx, account, amount).await? else {
                continue;
            };
            let number = crate::vouchers::pay::new_payment_number();
            let terminal = &terminals[n % terminals.len()];
            let p = NewPayment {
                terminal,
                program: program.id,
                holder: holder.id,
                account,
                voucher_type: program.types[0].id,
                payment_number: number.as_str(),
                client_request_id: &format!("demo:{n}"),
                amount,
                balance_after: after,
            };
            let id = repo::insert(&mut tx, &p, at).await?;
            if n.is_multiple_of(17) {
                let c = Cancellation {
                    payment: id,
                    by_user: None,
                    by_label: "demo2-admin",
                    memo: "金額の打ち間違い",
                };
                repo::cancel(&mut tx, &c, at + 600_000).await?;
                repo::credit(&mut tx, account, amount).await?;
            }
        }
    }
    tx.commit().await?;
    crate::vouchers::settlement::settle_due(app).await?;
    Ok(tokens.first().map(|(_, t)| holders::link(app, t)))
}
