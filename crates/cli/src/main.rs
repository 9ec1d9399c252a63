//! The `kippu` command: serve the back office, migrate, load demo data, manage accounts and
//! tokens, run jobs. Thin by design: every action is a call into `kippu-app`.

mod bench;
mod jobs_cmd;
mod merchant_cmd;
mod voucher_cmd;

use anyhow::{Context, Result, anyhow};
use clap::{Args, Parser, Subcommand};
use kippu_app::accounts::{self, NewAccount};
use kippu_app::clock::{ShiftedClock, SystemClock};
use kippu_app::notify::mailer;
use kippu_app::{Actor, App, AppConfig, AppError, demo};
use kippu_domain::account::Role;
use kippu_domain::clock::Clock;
use kippu_store::Store;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Parser)]
#[command(name = "kippu", version, about = "kippu: order-management back office for Japanese merchants")]
struct Cli {
    #[command(flatten)]
    db: DbArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct DbArgs {
    /// Database URL: sqlite://FILE (created on first start) or postgres://USER@HOST:PORT/DB
    #[arg(long, global = true, env = "KIPPU_DATABASE_URL", default_value = "sqlite://kippu.db")]
    database_url: String,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web UI and the API (migrates the database first)
    Serve {
        /// Address to listen on
        #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
        listen: SocketAddr,
        /// Load the demo data (idempotent) before serving and print the demo logins
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations
    Migrate,
    /// Load the demo data (idempotent) and print the logins
    Demo,
    /// Manage accounts
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Onboard, suspend and resume merchants (the platform operator's work)
    Merchant {
        #[command(subcommand)]
        command: merchant_cmd::MerchantCommand,
    },
    /// Electronic voucher programmes and the merchants enrolled in them
    Voucher {
        #[command(subcommand)]
        command: voucher_cmd::VoucherCommand,
    },
    /// Manage API tokens
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Manage sales channels (the own site and the OTAs)
    Channel {
        #[command(subcommand)]
        command: ChannelCommand,
    },
    /// Background jobs
    Jobs {
        #[command(subcommand)]
        command: jobs_cmd::JobsCommand,
    },
    /// Print the OpenAPI document of /api/v1
    Openapi,
    /// Measure intake, list/search, bulk and CSV export (see docs/benchmarks.md)
    Bench {
        /// `sqlite`, or a PostgreSQL server URL; a fresh database is created and dropped
        #[arg(long, default_value = "sqlite")]
        target: String,
        /// Orders generated for the list, search and export figures
        #[arg(long, default_value_t = 1_000_000)]
        orders: i64,
        /// Order requests per intake run (stock is three quarters of it)
        #[arg(long, default_value_t = 2000)]
        intake_requests: usize,
        /// Orders in the bulk action
        #[arg(long, default_value_t = 10_000)]
        bulk_orders: i64,
        /// `all`, `orders` (intake, search, bulk, export), `reservations` (door, no-show sweep), `shipments` (the carrier import), `goods` (the goods list; not in `all`) or `vouchers` (payments, 利用実績; not in `all`) or `callcenter` (顧客検索, the console; not in `all`) or `subscriptions` (the 定期 job; not in `all`)
        #[arg(long, default_value = "all")]
        suite: String,
        /// Past reservations for the no-show sweep
        #[arg(long, default_value_t = 1_000_000)]
        reservations: i64,
        /// Lines of the carrier file (and goods orders) of the import run
        #[arg(long, default_value_t = 100_000)]
        shipments: i64,
        /// Goods orders generated for the goods list's figures
        #[arg(long, default_value_t = 1_000_000)]
        goods_orders: i64,
        /// Redemptions per door-scanner run
        #[arg(long, default_value_t = 2000)]
        redemptions: usize,
        /// Voucher payments generated for 利用実績's figures
        #[arg(long, default_value_t = 1_000_000)]
        voucher_payments: i64,
        /// Voucher payments per concurrency level (1, 8, 64 phones) over HTTP
        #[arg(long, default_value_t = 2000)]
        pay_requests: usize,
        /// Customers generated for the call centre's figures
        #[arg(long, default_value_t = 1_000_000)]
        customers: i64,
        /// 定期 masters due today for the child-order job's figures
        #[arg(long, default_value_t = 100_000)]
        subscriptions: i64,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account; prints its initial password, which must be changed at first login
    Create {
        /// platform_operator, merchant_admin, merchant_staff, call_centre or customer
        #[arg(long)]
        role: String,
        /// Merchant code (every role but platform_operator)
        #[arg(long)]
        merchant: Option<String>,
        /// Login ID (3-64 of A-Z a-z 0-9 . _ @ -)
        #[arg(long)]
        login: String,
        /// Display name (defaults to the login ID)
        #[arg(long, default_value = "")]
        name: String,
        /// Email address, used for password-reset links
        #[arg(long, default_value = "")]
        email: String,
        /// Call-centre operators only: may see "admin-only settings" (管理者専用設定)
        #[arg(long)]
        admin_settings: bool,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create an API token; prints it once (only its hash is stored)
    Create {
        /// Token for this merchant's data
        #[arg(long, conflicts_with = "platform", required_unless_present = "platform")]
        merchant: Option<String>,
        /// Token of the platform operator
        #[arg(long)]
        platform: bool,
        /// Bind the merchant's token to one sales channel (an OTA's connection), e.g. OTA1
        #[arg(long, requires = "merchant")]
        channel: Option<String>,
        /// A name to recognise the token by
        #[arg(long)]
        name: String,
    },
}

#[derive(Subcommand)]
enum ChannelCommand {
    /// Add an OTA sales channel to a merchant; every existing product starts stopped on it
    Create {
        /// The merchant's code, e.g. DEMO1
        #[arg(long)]
        merchant: String,
        /// The channel's code, e.g. OTA2
        #[arg(long)]
        code: String,
        /// The channel's name as merchants and statements show it
        #[arg(long)]
        name: String,
    },
}

fn env_opt(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn clock() -> Result<Arc<dyn Clock>> {
    match env_opt("KIPPU_FAKE_NOW") {
        Some(v) => {
            let c = ShiftedClock::parse(&v).map_err(|e| anyhow!(e))?;
            tracing::warn!("KIPPU_FAKE_NOW is set: kippu runs on a FAKE CLOCK starting at {v}. Never use this in production.");
            eprintln!("WARNING: KIPPU_FAKE_NOW={v}: running on a fake clock (for tests only)");
            Ok(Arc::new(c))
        }
        None => Ok(Arc::new(SystemClock)),
    }
}

fn config(listen: Option<SocketAddr>) -> AppConfig {
    let mut c = AppConfig::default();
    if let Some(addr) = listen {
        c.public_url = format!("http://{addr}");
    }
    if let Some(v) = env_opt("KIPPU_PUBLIC_URL") {
        c.public_url = v.trim_end_matches('/').to_string();
    }
    c.smtp_url = env_opt("KIPPU_SMTP_URL");
    if let Some(v) = env_opt("KIPPU_OUTBOX_DIR") {
        c.outbox_dir = PathBuf::from(v);
    }
    if let Some(v) = env_opt("KIPPU_MAIL_FROM") {
        c.mail_from = v;
    }
    if let Some(ms) = env_opt("KIPPU_MAIL_POLL_MS").and_then(|v| v.parse().ok()) {
        c.mail_poll = std::time::Duration::from_millis(ms);
    }
    if let Some(days) = env_opt("KIPPU_AUTH_RELEASE_DAYS")
        .and_then(|v| v.parse::<i64>().ok())
        .filter(|d| (0..=365).contains(d))
    {
        c.auth_release_days = days;
    }
    c
}

async fn open(db: &DbArgs, listen: Option<SocketAddr>) -> Result<App> {
    let store = Store::open(&db.database_url).await?;
    Ok(App::new(store, clock()?, config(listen)))
}

/// The demo voucher holder's phone page, printed once when the programme is made.
fn print_holder(link: Option<String>) {
    if let Some(link) = link {
        println!("Demo voucher holder (電子チケット, open on a phone): {link}");
    }
}

fn print_logins(logins: &[demo::DemoLogin]) {
    println!("Demo logins (login ID / password):");
    for l in logins {
        let m = l.merchant.unwrap_or("platform");
        println!("  {:<12} {:<8} {:<18} {}", l.login_id, m, l.role.as_str(), l.password);
    }
}

fn app_error(e: AppError) -> anyhow::Error {
    match e {
        AppError::Invalid(f) => anyhow!(
            "{}",
            f.all()
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("\n")
        ),
        other => anyhow!(other.to_string()),
    }
}

async fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Serve { listen, demo: with_demo } => {
            let app = open(&cli.db, Some(listen)).await?;
            if with_demo {
                print_logins(demo::load(&app).await.map_err(app_error)?);
                demo::load_orders(&app).await.map_err(app_error)?;
                demo::callcenter::load(&app).await.map_err(app_error)?;
                print_holder(demo::vouchers::load(&app).await.map_err(app_error)?);
            }
            let transport = mailer::Transport::from_config(&app).map_err(|e| anyhow!(e))?;
            match &app.config.smtp_url {
                Some(_) => println!("Email: delivered over SMTP (KIPPU_SMTP_URL)"),
                None => println!(
                    "Email: no KIPPU_SMTP_URL, written as .eml files to {}",
                    app.config.outbox_dir.display()
                ),
            }
            let listener = tokio::net::TcpListener::bind(listen)
                .await
                .with_context(|| format!("cannot listen on {listen}"))?;
            let addr = listener.local_addr()?;
            tokio::spawn(mailer::run(app.clone(), transport));
            tokio::spawn(kippu_app::jobs::run_forever(app.clone()));
            println!(
                "kippu is running on {} ({}) at http://{addr}/",
                app.store.backend().name(),
                redact(&cli.db.database_url)
            );
            tracing::info!(%addr, "listening");
            kippu_web::serve(listener, app, async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
            Ok(())
        }
        Command::Migrate => {
            let store = Store::connect(&cli.db.database_url).await?;
            let applied = store.migrate().await?;
            if applied.is_empty() {
                println!("database is up to date ({})", store.backend().name());
            } else {
                println!("applied migrations {applied:?} ({})", store.backend().name());
            }
            Ok(())
        }
        Command::Demo => {
            let app = open(&cli.db, None).await?;
            print_logins(demo::load(&app).await.map_err(app_error)?);
            let made = demo::load_orders(&app).await.map_err(app_error)?;
            if made > 0 {
                println!("demo orders: {made} (every status of every payment flow)");
            }
            if demo::callcenter::load(&app).await.map_err(app_error)? > 0 {
                println!("demo call centre: coupons, AD codes, a 頒布会, stored cards, 定期, 対応履歴, メモ, a rejected order (DEMO1)");
            }
            print_holder(demo::vouchers::load(&app).await.map_err(app_error)?);
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Create {
                    role,
                    merchant,
                    login,
                    name,
                    email,
                    admin_settings,
                },
        } => {
            let role = Role::parse(&role).ok_or_else(|| {
                anyhow!(
                    "--role {role:?} is not a role; use one of: platform_operator, merchant_admin, merchant_staff, call_centre, customer"
                )
            })?;
            let app = open(&cli.db, None).await?;
            let account = NewAccount {
                role,
                merchant_code: merchant.as_deref(),
                login_id: &login,
                display_name: &name,
                email: &email,
                admin_settings,
            };
            let (_, password) = accounts::create_user(&app, &Actor::system(), &account).await.map_err(app_error)?;
            println!("created {login} ({})", role.as_str());
            println!("initial password: {password}");
            println!("(it must be changed at first login)");
            Ok(())
        }
        Command::Token {
            command:
                TokenCommand::Create {
                    merchant,
                    platform: _,
                    channel,
                    name,
                },
        } => {
            let app = open(&cli.db, None).await?;
            let token = accounts::create_token(&app, &Actor::system(), merchant.as_deref(), channel.as_deref(), &name)
                .await
                .map_err(app_error)?;
            println!("{token}");
            Ok(())
        }
        Command::Merchant { command } => {
            let app = open(&cli.db, None).await?;
            merchant_cmd::run(&app, command).await.map_err(app_error)
        }
        Command::Voucher { command } => {
            let app = open(&cli.db, None).await?;
            voucher_cmd::run(&app, command).await.map_err(app_error)
        }
        Command::Channel {
            command: ChannelCommand::Create { merchant, code, name },
        } => {
            let app = open(&cli.db, None).await?;
            let code = kippu_app::channels::create_ota_for_merchant(&app, &merchant, &code, &name)
                .await
                .map_err(app_error)?;
            println!("created channel {code} for {merchant} (every product stopped there until resumed)");
            Ok(())
        }
        Command::Jobs { command } => {
            let app = open(&cli.db, None).await?;
            jobs_cmd::run(&app, command).await
        }
        Command::Bench {
            target,
            orders,
            intake_requests,
            bulk_orders,
            suite,
            reservations,
            redemptions,
            shipments,
            goods_orders,
            voucher_payments,
            pay_requests,
            customers,
            subscriptions,
        } => {
            if !matches!(
                suite.as_str(),
                "all" | "orders" | "reservations" | "shipments" | "goods" | "vouchers" | "callcenter" | "subscriptions"
            ) {
                return Err(anyhow::anyhow!(
                    "--suite: all, orders, reservations, shipments, goods, vouchers, callcenter or subscriptions"
                ));
            }
            bench::run(bench::BenchArgs {
                target,
                orders,
                intake_requests,
                bulk_orders,
                suite,
                reservations,
                redemptions,
                shipments,
                goods_orders,
                voucher_payments,
                pay_requests,
                customers,
                subscriptions,
            })
            .await
        }
        Command::Openapi => {
            println!("{}", kippu_web::api::openapi_json());
            Ok(())
        }
    }
}

fn redact(url: &str) -> String {
    kippu_store::redact_url(url)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("KIPPU_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,kippu=info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
