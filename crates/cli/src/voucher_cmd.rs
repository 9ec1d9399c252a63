//! `kippu voucher`: the platform operator's voucher programmes from a shell (seed 004). With
//! `--json`, each command prints one JSON object for scripts.

use clap::Subcommand;
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
        "types": p.types.iter().map(|(c, n)| serde_json::json!({"code": c, "name": n})).collect::<Vec<_>>(),
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
    }
    Ok(())
}
