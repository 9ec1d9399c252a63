//! 物販の設定: the merchant's shipping fee rule (送料: base, free from an amount, per-prefecture
//! rows; 代引手数料 by the amount collected, a table of rows), point policy (rate, when points become usable) and what the carriers' label
//! files need beyond the profile (ご依頼主郵便番号; B2クラウド's ご請求先顧客コード, 分類コード and
//! 運賃管理番号). The merchant admin's.

use crate::{Actor, App, AppError, Result, audit};
use kippu_domain::goods::cod_fee::{CodFeeTable, FIELDS as COD_FIELDS};
use kippu_domain::goods::fee::{PREFECTURES, ShippingRule};
use kippu_domain::goods::flow::PointsActivation;
use kippu_domain::validate::{Collect, FieldError};
use kippu_store::goods as repo;

/// The settings form as typed (and as shown).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct GoodsSettingsForm {
    #[serde(default)]
    pub base_fee: String,
    /// Empty: never free.
    #[serde(default)]
    pub free_from: String,
    /// One row per line: `北海道,1500`.
    #[serde(default)]
    pub prefecture_fees: String,
    /// Points earned, percent of the goods total (`1` = 1 %).
    #[serde(default)]
    pub points_percent: String,
    #[serde(default)]
    pub points_activation: String,
    /// ご依頼主郵便番号 on the label files.
    #[serde(default)]
    pub sender_postal_code: String,
    /// B2クラウド: ご請求先顧客コード (10 digits and a 2-digit branch), 分類コード, 運賃管理番号.
    #[serde(default)]
    pub b2_billing_customer_code: String,
    #[serde(default)]
    pub b2_billing_class_code: String,
    #[serde(default)]
    pub b2_freight_number: String,
    /// The 代引手数料 rows as typed: `cod_up_to_N` (up to this amount, fee included) and
    /// `cod_fee_N` (the fee), N = 1…8, in whatever else the form sent. A form without any
    /// `cod_up_to_N` leaves the stored table as it is.
    #[serde(flatten)]
    pub typed: std::collections::BTreeMap<String, String>,
}

/// One row of the 代引手数料 table as the form shows it.
pub struct CodRowField {
    pub n: usize,
    pub up_to_field: &'static str,
    pub fee_field: &'static str,
    pub up_to: String,
    pub fee: String,
}

impl GoodsSettingsForm {
    fn cell(&self, field: &str) -> String {
        self.typed.get(field).cloned().unwrap_or_default()
    }

    /// Every row of the table's form (8), filled as typed or as stored.
    pub fn cod_rows(&self) -> Vec<CodRowField> {
        COD_FIELDS
            .iter()
            .enumerate()
            .map(|(i, (u, f))| CodRowField {
                n: i + 1,
                up_to_field: u,
                fee_field: f,
                up_to: self.cell(u),
                fee: self.cell(f),
            })
            .collect()
    }

    /// The typed rows, or `None` when the form sent none (the table is kept).
    fn cod_typed(&self) -> Option<Vec<(String, String)>> {
        COD_FIELDS
            .iter()
            .any(|(u, _)| self.typed.contains_key(*u))
            .then(|| COD_FIELDS.iter().map(|(u, f)| (self.cell(u), self.cell(f))).collect())
    }
}

/// The merchant's settings, as the form shows them.
pub async fn settings(app: &App, actor: &Actor) -> Result<GoodsSettingsForm> {
    // 管理者専用: what the settings pages show is the administrators' (issue 25 item 8).
    actor.require_settings_rights()?;
    let m = actor.merchant()?;
    let mut conn = app.store.conn().await?;
    let rule = repo::shipping_rule(&mut conn, m).await?;
    let points = repo::points_policy(&mut conn, m).await?;
    let labels = repo::label_settings(&mut conn, m).await?;
    let typed = rule
        .cod_fees
        .rows()
        .iter()
        .zip(COD_FIELDS)
        .flat_map(|(r, (u, f))| [(u.to_string(), r.up_to.to_string()), (f.to_string(), r.fee.to_string())])
        .collect();
    Ok(GoodsSettingsForm {
        typed,
        base_fee: rule.base.to_string(),
        free_from: rule.free_from.map(|f| f.to_string()).unwrap_or_default(),
        prefecture_fees: rule
            .by_prefecture
            .iter()
            .map(|(p, f)| format!("{p},{f}"))
            .collect::<Vec<_>>()
            .join("\n"),
        points_percent: kippu_domain::money::percent_of_bp(points.rate_bp),
        points_activation: points.activation.as_str().to_string(),
        sender_postal_code: labels.sender_postal_code,
        b2_billing_customer_code: labels.b2_billing_customer_code,
        b2_billing_class_code: labels.b2_billing_class_code,
        b2_freight_number: labels.b2_freight_number,
    })
}

/// `n` digits (full-width and hyphens forgiven) or empty.
fn digits(field: &'static str, s: &str, lengths: &[usize], what: &str) -> std::result::Result<String, FieldError> {
    let typed: String = kippu_domain::normalize::text(s)
        .chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .collect();
    if typed.is_empty() || typed.chars().all(|c| c.is_ascii_digit()) && lengths.contains(&typed.len()) {
        Ok(typed)
    } else {
        Err(FieldError::new(field, what.to_string()))
    }
}

/// The label files' fields as typed: each optional, each checked.
fn label_settings(f: &GoodsSettingsForm, errs: &mut Collect) -> Option<repo::LabelSettings> {
    let postal = errs.take(
        digits(
            "sender_postal_code",
            &f.sender_postal_code,
            &[7],
            "郵便番号は7桁の数字です（例 100-0005）",
        )
        .map(|p| if p.is_empty() { p } else { format!("{}-{}", &p[..3], &p[3..]) }),
    );
    let customer = errs.take(digits(
        "b2_billing_customer_code",
        &f.b2_billing_customer_code,
        &[10, 12],
        "ご請求先顧客コードは10桁（枝番を含めて12桁）の数字です",
    ));
    let class = errs.take(digits(
        "b2_billing_class_code",
        &f.b2_billing_class_code,
        &[1, 2, 3],
        "分類コードは3桁までの数字です",
    ));
    let freight = errs.take(digits(
        "b2_freight_number",
        &f.b2_freight_number,
        &[2],
        "運賃管理番号は2桁の数字です（例 01）",
    ));
    Some(repo::LabelSettings {
        sender_postal_code: postal?,
        b2_billing_customer_code: customer?,
        b2_billing_class_code: class?,
        b2_freight_number: freight?,
    })
}

fn yen(field: &'static str, s: &str) -> std::result::Result<i64, FieldError> {
    kippu_domain::normalize::integer(s)
        .filter(|n| (0..=1_000_000).contains(n))
        .ok_or_else(|| FieldError::new(field, "0〜1,000,000の金額（円）を入力してください"))
}

/// `北海道,1500` per line; every line's problem named by its line number.
fn prefecture_rows(s: &str) -> std::result::Result<Vec<(String, i64)>, FieldError> {
    let mut rows: Vec<(String, i64)> = Vec::new();
    for (i, line) in s.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let typed = kippu_domain::normalize::text(line);
        let bad = |why: &str| FieldError::new("prefecture_fees", format!("{}行目: {why}", i + 1));
        let (pref, fee) = typed
            .split_once([',', '、', '\t'])
            .ok_or_else(|| bad("「都道府県,金額」の形で入力してください"))?;
        let pref = pref.trim();
        if !PREFECTURES.contains(&pref) {
            return Err(bad(&format!("「{pref}」は都道府県名ではありません（例 北海道、沖縄県）")));
        }
        if rows.iter().any(|(p, _)| p == pref) {
            return Err(bad(&format!("{pref}が2回あります")));
        }
        let fee = yen("prefecture_fees", fee.trim()).map_err(|_| bad("金額は0〜1,000,000円です"))?;
        rows.push((pref.to_string(), fee));
    }
    Ok(rows)
}

/// Saves the settings; every field is checked before answering.
pub async fn save(app: &App, actor: &Actor, f: &GoodsSettingsForm) -> Result<()> {
    actor.require_settings_rights()?;
    let m = actor.merchant()?;
    let mut errs = Collect::default();
    let base = errs.take(yen("base_fee", &f.base_fee));
    let free_from = match f.free_from.trim() {
        "" => Some(None),
        s => errs.take(yen("free_from", s)).map(Some),
    };
    let cod_fees = match f.cod_typed() {
        Some(rows) => errs.take_all(CodFeeTable::parse_rows(&rows)),
        None => {
            let mut conn = app.store.conn().await?;
            Some(repo::cod_fees(&mut conn, m).await?)
        }
    };
    let by_prefecture = errs.take(prefecture_rows(&f.prefecture_fees));
    let rate_bp = errs.take(
        crate::settlements::parse_percent("points_percent", &f.points_percent)
            .map_err(|_| FieldError::new("points_percent", "ポイント率は0〜100の数（小数点以下2桁まで）で入力してください")),
    );
    let activation = errs.take(
        PointsActivation::parse(f.points_activation.trim()).ok_or_else(|| FieldError::new("points_activation", "選択肢から選んでください")),
    );
    let labels = label_settings(f, &mut errs);
    errs.finish()?;
    let (Some(base), Some(free_from), Some(cod_fees), Some(by_prefecture), Some(rate_bp), Some(activation), Some(labels)) =
        (base, free_from, cod_fees, by_prefecture, rate_bp, activation, labels)
    else {
        return Err(AppError::Internal("a goods setting without a value but without an error".into()));
    };
    let rule = ShippingRule {
        base,
        free_from,
        by_prefecture,
        cod_fees,
    };
    let mut tx = app.store.begin().await?;
    repo::set_shipping_rule(&mut tx, m, &rule).await?;
    repo::set_points_policy(&mut tx, m, rate_bp, activation).await?;
    repo::set_label_settings(&mut tx, m, &labels).await?;
    let after = serde_json::json!({"base_fee": rule.base, "free_from": rule.free_from, "cod_fees": rule.cod_fees.rows().iter().map(|r| [r.up_to, r.fee]).collect::<Vec<_>>(),
        "prefectures": rule.by_prefecture.len(), "points_bp": rate_bp, "points_activation": activation.as_str(),
        "sender_postal_code": labels.sender_postal_code, "b2_billing_customer_code": labels.b2_billing_customer_code,
        "b2_billing_class_code": labels.b2_billing_class_code, "b2_freight_number": labels.b2_freight_number});
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("update", "goods_settings", "merchant"),
        audit::NONE,
        Some(&after),
        app.now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
