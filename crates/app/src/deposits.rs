//! Deposits into the platform's bank account (事務局口座): matching a bank-statement CSV to
//! orders by order number and amount. A file with a malformed line is refused whole, with
//! every bad line named; a well-formed file confirms each matching deposit and reports every
//! line it could not match, with the reason.

use crate::csv_import::{self, LineError};
use crate::orders::{self, OrderError};
use crate::{Actor, App, AppError, Result};
use kippu_domain::order::{OrderNumber, PaymentMethod};
use kippu_domain::web_ticket::{Action, Status};

#[derive(Debug, Clone, serde::Serialize)]
pub struct LineOutcome {
    pub line: usize,
    pub date: String,
    pub amount: i64,
    pub payer: String,
    pub order_number: Option<String>,
    pub matched: bool,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ImportReport {
    pub lines: Vec<LineOutcome>,
    pub matched: usize,
    pub unmatched: usize,
}

struct Parsed {
    line: usize,
    date: String,
    amount: i64,
    payer: String,
    memo: String,
}

/// Expected columns: 日付 (YYYY-MM-DD or YYYY/MM/DD), 金額 (yen, commas allowed), 振込依頼人,
/// 摘要. The first line is a header when its amount column is not a number.
fn parse(bytes: &[u8]) -> std::result::Result<Vec<Parsed>, Vec<LineError>> {
    let amount_of = |s: &str| s.trim().replace([',', '円', '¥', '￥'], "");
    let (lines, mut errors) = csv_import::lines(bytes, 4, "日付,金額,振込依頼人,摘要", |rec| {
        amount_of(rec.get(1).unwrap_or("")).parse::<i64>().is_err()
    });
    let mut out = Vec::new();
    for (line, rec) in lines {
        let date = rec[0].trim().replace('/', "-");
        if time::Date::parse(&date, &time::format_description::well_known::Iso8601::DATE).is_err() || date.len() != 10 {
            errors.push(LineError::new(
                line,
                "日付",
                format!("「{}」は日付（YYYY-MM-DD）ではありません", &rec[0]),
            ));
            continue;
        }
        let amount = match amount_of(&rec[1]).parse::<i64>() {
            Ok(a) if a > kippu_domain::money::MAX_TRANSFER => {
                errors.push(LineError::new(
                    line,
                    "金額",
                    format!(
                        "「{}」は1件の振込の上限（{}）を超えています",
                        &rec[1],
                        kippu_domain::money::Yen(kippu_domain::money::MAX_TRANSFER).display_ja()
                    ),
                ));
                continue;
            }
            Ok(a) if a > 0 => a,
            _ => {
                errors.push(LineError::new(
                    line,
                    "金額",
                    format!("「{}」は正の金額（円）ではありません", &rec[1]),
                ));
                continue;
            }
        };
        out.push(Parsed {
            line,
            date,
            amount,
            payer: rec[2].trim().to_string(),
            memo: rec[3].trim().to_string(),
        });
    }
    errors.sort_by_key(|e| e.line);
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// Finds `T` + 14 digits anywhere in the text (full-width digits and Ｔ are normalised first).
fn find_order_number(text: &str) -> Option<String> {
    let norm: String = text
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            'Ｔ' | 't' => 'T',
            _ => c,
        })
        .collect();
    let chars: Vec<char> = norm.chars().collect();
    (0..chars.len()).find_map(|i| {
        let cand: String = chars[i..].iter().take(15).collect();
        OrderNumber::parse(&cand)
            .ok()
            .filter(|_| chars.get(i + 15).is_none_or(|c| !c.is_ascii_digit()))
            .map(|n| n.to_string())
    })
}

/// Imports a bank statement (platform operator only).
pub async fn import_bank_csv(
    app: &App,
    actor: &Actor,
    file_name: &str,
    bytes: &[u8],
) -> Result<std::result::Result<ImportReport, Vec<LineError>>> {
    actor.require_platform("bank statements are the platform operator's")?;
    let parsed = match parse(bytes) {
        Ok(p) => p,
        Err(errors) => return Ok(Err(errors)),
    };
    if parsed.is_empty() {
        return Ok(Err(vec![LineError::new(1, "ファイル", "入金の行がありません")]));
    }
    let mut outcomes = Vec::with_capacity(parsed.len());
    for p in parsed {
        let number = find_order_number(&format!("{} {}", p.memo, p.payer));
        let reason = match &number {
            None => Some("受注番号（T+14桁）が見つかりません".to_string()),
            Some(n) => match orders::get(app, actor, n).await {
                Err(AppError::NotFound) => Some(format!("受注番号 {n} の受注はありません")),
                Err(e) => return Err(e),
                Ok(v) if v.order.payment_method != PaymentMethod::BankPlatform => Some("事務局口座への銀行振込の受注ではありません".into()),
                Ok(v) if v.order.status != Status::Unpaid => {
                    Some(format!("入金確認済みまたは対象外のステータスです（{}）", v.order.status.label_ja()))
                }
                Ok(v) if v.order.amount != p.amount => {
                    Some(format!("金額が一致しません（受注 {}円 / 入金 {}円）", v.order.amount, p.amount))
                }
                Ok(_) => match orders::act(app, actor, n, Action::ConfirmDeposit, None).await {
                    Ok(_) => None,
                    Err(AppError::Order(OrderError::Changed)) => Some("処理中に受注が変更されました".into()),
                    Err(AppError::Order(e)) => Some(e.to_string()),
                    Err(e) => return Err(e),
                },
            },
        };
        outcomes.push(LineOutcome {
            line: p.line,
            date: p.date,
            amount: p.amount,
            payer: p.payer,
            order_number: number,
            matched: reason.is_none(),
            reason,
        });
    }
    let matched = outcomes.iter().filter(|o| o.matched).count();
    let unmatched = outcomes.len() - matched;
    {
        let mut tx = app.store.begin().await?;
        let id = kippu_store::deposits::insert_import(
            &mut tx,
            file_name,
            actor.user_id.map(|u| u.0),
            outcomes.len() as i64,
            matched as i64,
            app.now_ms(),
        )
        .await?;
        for o in &outcomes {
            let raw = format!("{},{},{}", o.date, o.amount, o.payer);
            let outcome = if o.matched {
                "matched".to_string()
            } else {
                o.reason.clone().unwrap_or_default()
            };
            kippu_store::deposits::insert_line(&mut tx, id, o.line as i64, &raw, o.amount, o.order_number.as_deref(), &outcome).await?;
        }
        crate::audit::record(
            &mut tx,
            actor,
            None,
            crate::audit::Subject::new("import", "bank_statement", id),
            crate::audit::NONE,
            Some(&serde_json::json!({"file": file_name, "matched": matched, "unmatched": unmatched})),
            app.now_ms(),
        )
        .await?;
        tx.commit().await?;
    }
    Ok(Ok(ImportReport {
        lines: outcomes,
        matched,
        unmatched,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_order_numbers_in_memo_text() {
        assert_eq!(find_order_number("ﾌﾘｺﾐ T00000000000012 ﾔﾏﾀﾞ").as_deref(), Some("T00000000000012"));
        let full_width: String = "Ｔ"
            .chars()
            .chain(
                "00000000000012"
                    .chars()
                    .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap()),
            )
            .collect();
        assert_eq!(find_order_number(&full_width).as_deref(), Some("T00000000000012"));
        assert_eq!(find_order_number("T000000000000123"), None, "15 digits is not an order number");
        assert_eq!(find_order_number("山田 花子"), None);
    }

    #[test]
    fn malformed_lines_are_all_named() {
        let text =
            "日付,金額,振込依頼人,摘要\n2026-11-24,4000,ﾔﾏﾀﾞ,T00000000000001\n2026-13-01,4000,x,y\n2026-11-24,-5,x,y\n2026-11-24,1000\n";
        let errs = parse(text.as_bytes()).err().unwrap();
        assert_eq!(
            errs.iter().map(|e| (e.line, e.field)).collect::<Vec<_>>(),
            vec![(3, "日付"), (4, "金額"), (5, "行")]
        );
    }

    #[test]
    fn cp932_files_are_read() {
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode("2026/11/24,\"4,000\",ヤマダ,T00000000000001\n");
        let rows = parse(&bytes).unwrap();
        assert_eq!(rows[0].amount, 4000);
        assert_eq!(rows[0].date, "2026-11-24");
        assert_eq!(rows[0].payer, "ヤマダ");
    }
}
