//! `kippu voucher`: the platform operator's voucher programmes from a shell (seed 004). With
//! `--json`, each command prints one JSON object for scripts.

use clap::Subcommand;
use kippu_app::merchants::stores::{self, NewStore};
use kippu_app::vouchers::holders::{self, GrantInput};
use kippu_app::vouchers::programs::{self, ProgramInput};
use kippu_app::{Actor, App, AppError};

#[derive(Subcommand)]
pub enum VoucherCommand {
    /// Voucher programmes
    Program {
        #[command(subcommand)]
        command: ProgramCommand,
    },
    /// Enrol a merchant in a programme (again: nothing changes)
    Enrol {
        #[arg(long)]
        program: String,
        #[arg(long)]
        merchant: String,
        #[arg(long)]
        json: bool,
    },
    /// A merchant's stores (店舗)
    Store {
        #[command(subcommand)]
        command: StoreCommand,
    },
    /// A store's terminals (端末) with their QR mount and passcode
    Terminal {
        #[command(subcommand)]
        command: TerminalCommand,
    },
    /// Give a holder a balance: a new holder by name, more for --holder ID, or a CSV of
    /// `氏名,金額[,商品]` lines (all or nothing)
    Grant {
        #[arg(long)]
        program: String,
        #[arg(long, default_value = "")]
        holder_name: String,
        /// An existing holder's id (more for the same resident)
        #[arg(long)]
        holder: Option<i64>,
        #[arg(long, default_value = "")]
        amount: String,
        /// The voucher type's code or name (default: the programme's first)
        #[arg(long, default_value = "")]
        product: String,
        #[arg(long)]
        csv: Option<std::path::PathBuf>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum StoreCommand {
    /// Add a store to a merchant
    Add {
        #[arg(long)]
        merchant: String,
        /// 店舗コード, e.g. AKT10001_00001
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        address: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum TerminalCommand {
    /// Add a terminal to a store (prints its QR payload and 6-digit passcode)
    Add {
        #[arg(long)]
        merchant: String,
        /// The store's code
        #[arg(long)]
        store: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Give a terminal a new passcode
    Reissue {
        #[arg(long)]
        merchant: String,
        /// The terminal's code (e.g. AKT10001_00001-T01)
        #[arg(long)]
        terminal: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum ProgramCommand {
    /// Create a programme
    Create {
        /// 事業コード: 2-20 of A-Z 0-9 - _
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
        /// 精算サイクル: `start:months_after:day` per period, day a number or `end`
        /// (default `1:0:end,15:1:15`: 1–14 paid at the month's end, 15–end on the 15th of the next)
        #[arg(long, default_value = "")]
        cycle: String,
        /// First and last day of validity, `YYYY-MM-DD`
        #[arg(long, default_value = "")]
        valid_from: String,
        #[arg(long, default_value = "")]
        valid_to: String,
        /// A voucher type (商品), `CODE:名前`; repeat for several
        #[arg(long = "type")]
        types: Vec<String>,
        #[arg(long)]
        json: bool,
    },
}

fn program_json(p: &kippu_store::vouchers::ProgramRow, merchants: &[String]) -> serde_json::Value {
    serde_json::json!({
        "code": p.code,
        "name": p.name,
        "cycle": p.cycle.to_stored(),
        "cycle_text": p.cycle.describe_ja(),
        "valid_from": p.valid_from,
        "valid_to": p.valid_to,
        "types": p.types.iter().map(|t| serde_json::json!({"code": t.code, "name": t.name})).collect::<Vec<_>>(),
        "merchants": merchants,
    })
}

/// Runs one voucher command as the platform ("system" in the audit log).
pub async fn run(app: &App, command: VoucherCommand) -> Result<(), AppError> {
    let platform = Actor::system();
    match command {
        VoucherCommand::Program {
            command:
                ProgramCommand::Create {
                    code,
                    name,
                    cycle,
                    valid_from,
                    valid_to,
                    types,
                    json,
                },
        } => {
            let input = ProgramInput {
                code,
                name,
                cycle,
                valid_from,
                valid_to,
                types,
            };
            let p = programs::create(app, &platform, &input).await?;
            if json {
                println!("{}", program_json(&p, &[]));
            } else {
                println!("programme {} ({}) created: {}", p.code, p.name, p.cycle.describe_ja());
            }
        }
        VoucherCommand::Enrol { program, merchant, json } => {
            let added = programs::enrol(app, &platform, &program, &merchant).await?;
            let (p, merchants) = programs::get(app, &platform, &program).await?;
            if json {
                let mut out = program_json(&p, &merchants);
                out["enrolled"] = serde_json::json!(added);
                println!("{out}");
            } else if added {
                println!("{merchant} enrolled in {}", p.code);
            } else {
                println!("{merchant} was already enrolled in {}", p.code);
            }
        }
        VoucherCommand::Store {
            command:
                StoreCommand::Add {
                    merchant,
                    code,
                    name,
                    address,
                    json,
                },
        } => {
            let admin = stores::acting_for(app, &platform, &merchant).await?;
            let code = stores::add_store(
                app,
                &admin,
                &NewStore {
                    code,
                    name,
                    address,
                    hours: String::new(),
                },
            )
            .await?;
            print(json, serde_json::json!({"merchant": merchant, "store_code": code}), || {
                format!("store {code} added")
            });
        }
        VoucherCommand::Terminal {
            command:
                TerminalCommand::Add {
                    merchant,
                    store,
                    name,
                    json,
                },
        } => {
            let admin = stores::acting_for(app, &platform, &merchant).await?;
            let t = stores::add_terminal(app, &admin, &store, &name).await?;
            let out = serde_json::json!({"store_code": store, "terminal": t.code, "passcode": t.passcode, "qr_payload": t.qr_payload});
            print(json, out, || format!("terminal {} added: passcode {}", t.code, t.passcode));
        }
        VoucherCommand::Terminal {
            command: TerminalCommand::Reissue { merchant, terminal, json },
        } => {
            let admin = stores::acting_for(app, &platform, &merchant).await?;
            let passcode = stores::reissue_passcode(app, &admin, &terminal).await?;
            print(json, serde_json::json!({"terminal": terminal, "passcode": passcode}), || {
                format!("terminal {terminal}: new passcode {passcode}")
            });
        }
        VoucherCommand::Grant {
            program,
            holder_name,
            holder,
            amount,
            product,
            csv: Some(path),
            json,
        } => {
            if holder.is_some() || !holder_name.is_empty() || !amount.is_empty() || !product.is_empty() {
                return Err(AppError::Invalid(
                    kippu_domain::validate::FieldError::new(
                        "csv",
                        "--csv には --holder-name / --holder / --amount / --product を併用できません",
                    )
                    .into(),
                ));
            }
            let bytes = std::fs::read(&path).map_err(|e| AppError::Internal(format!("{}: {e}", path.display())))?;
            let report = holders::grant_csv(app, &platform, &program, &bytes).await?;
            if !report.errors.is_empty() {
                for e in &report.errors {
                    eprintln!("{} line {}: {}: {}", path.display(), e.line, e.field, e.message);
                }
                if json {
                    println!("{}", serde_json::json!({"granted": 0, "errors": report.errors}));
                }
                return Err(AppError::Conflict(kippu_domain::label::Said::new(
                    format!("{}行に誤りがあるため、何も付与していません", report.errors.len()),
                    format!("{} bad lines: nothing was granted", report.errors.len()),
                )));
            }
            let total: i64 = report.granted.iter().map(|g| g.amount).sum();
            let out = serde_json::json!({"granted": report.granted.len(), "total": total, "holders": report.granted});
            print(json, out, || format!("{} holders granted {total} yen", report.granted.len()));
        }
        VoucherCommand::Grant {
            program,
            holder_name,
            holder,
            amount,
            product,
            csv: None,
            json,
        } => {
            let input = GrantInput {
                program,
                holder_name,
                holder_id: holder,
                amount,
                product,
                memo: String::new(),
            };
            let g = holders::grant(app, &platform, &input).await?;
            let text = format!("holder {} ({}): +{} → {}", g.holder_id, g.holder_name, g.amount, g.balance);
            let out = serde_json::to_value(&g).map_err(|e| AppError::Internal(e.to_string()))?;
            print(json, out, || match &g.link {
                Some(link) => format!("{text}\n{link}"),
                None => text.clone(),
            });
        }
    }
    Ok(())
}

fn print(json: bool, out: serde_json::Value, text: impl FnOnce() -> String) {
    if json {
        println!("{out}");
    } else {
        println!("{}", text());
    }
}
