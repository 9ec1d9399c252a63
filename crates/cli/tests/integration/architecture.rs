//! The layering rules of docs/architecture.md, checked on the source so they stay true: the
//! web layer reaches data only through the app, and the database dialect is decided in one
//! place.

use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

/// Every `.rs` file under `dir`, with its text.
fn rust_files(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&p).unwrap();
                out.push((p, text));
            }
        }
    }
    out
}

#[test]
fn the_web_layer_does_not_depend_on_the_store() {
    let root = workspace();
    let manifest = std::fs::read_to_string(root.join("crates/web/Cargo.toml")).unwrap();
    assert!(!manifest.contains("kippu-store"), "crates/web/Cargo.toml must not name kippu-store");
    for (path, text) in rust_files(&root.join("crates/web/src")) {
        for needle in ["kippu_store", "app.store", "store.conn("] {
            assert!(
                !text.contains(needle),
                "{} uses `{needle}`: go through a kippu-app function",
                path.display()
            );
        }
    }
}

#[test]
fn the_database_dialect_is_decided_only_in_the_store_s_dialect_module() {
    let root = workspace();
    let allowed = ["dialect.rs", "store.rs", "migrate.rs"];
    for (path, text) in rust_files(&root.join("crates")) {
        let in_store = path.starts_with(root.join("crates/store/src"));
        let name = path.file_name().unwrap().to_str().unwrap();
        if in_store && allowed.contains(&name) {
            continue;
        }
        if path.ends_with("architecture.rs") {
            continue;
        }
        for needle in ["Backend::Postgres", "Backend::Sqlite"] {
            assert!(
                !text.contains(needle),
                "{} compares `{needle}`: add a method to crates/store/src/dialect.rs",
                path.display()
            );
        }
    }
}

/// Every code the database stores for a status, kind, method, usage or state, from the domain
/// enums themselves.
fn stored_codes() -> Vec<&'static str> {
    use kippu_domain::account::MerchantStatus;
    use kippu_domain::catalog::{ChannelKind, ProductKind, TicketType};
    use kippu_domain::order::{MessageSender, OrderType, PaymentMethod, Side};
    use kippu_domain::reservation::{DoorState, PayoutStatus, TicketState};
    use kippu_domain::web_ticket::{SendMode, Status, Usage};
    let mut codes: Vec<&'static str> = Vec::new();
    codes.extend(Status::ALL.iter().map(|x| x.as_str()));
    codes.extend([Usage::Used, Usage::Unused].iter().map(|x| x.as_str()));
    codes.extend(PaymentMethod::ALL.iter().map(|x| x.as_str()));
    codes.extend(ProductKind::ALL.iter().map(|x| x.as_str()));
    codes.extend(TicketType::ALL.iter().map(|x| x.as_str()));
    codes.extend(ChannelKind::ALL.iter().map(|x| x.as_str()));
    codes.extend(OrderType::ALL.iter().map(|x| x.as_str()));
    codes.extend(MessageSender::ALL.iter().map(|x| x.as_str()));
    codes.extend(Side::ALL.iter().map(|x| x.as_str()));
    codes.extend(SendMode::ALL.iter().map(|x| x.as_str()));
    codes.extend(TicketState::ALL.iter().map(|x| x.as_str()));
    codes.extend(DoorState::ALL.iter().map(|x| x.as_str()));
    codes.extend(PayoutStatus::ALL.iter().map(|x| x.as_str()));
    codes.extend(MerchantStatus::ALL.iter().map(|x| x.as_str()));
    codes
}

#[test]
fn app_and_web_compare_domain_enums_not_stored_strings() {
    let root = workspace();
    let codes = stored_codes();
    let mut found = Vec::new();
    for dir in ["crates/app/src", "crates/web/src"] {
        for (path, text) in rust_files(&root.join(dir)) {
            for (n, line) in text.lines().enumerate() {
                let code_part = line.split("//").next().unwrap_or("");
                for c in &codes {
                    let q = format!("\"{c}\"");
                    let compared = [
                        format!("== {q}"),
                        format!("!= {q}"),
                        format!("== Some({q})"),
                        format!("!= Some({q})"),
                        format!("{q} =>"),
                        format!("{q} |"),
                        format!("| {q}"),
                    ];
                    if compared.iter().any(|p| code_part.contains(p.as_str())) {
                        found.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                    }
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "compare the domain enum instead of its stored string:\n{}",
        found.join("\n")
    );
}

/// A file is one concern: past ~500 lines it is split by resource and verb.
#[test]
fn no_source_file_passes_500_lines() {
    let root = workspace();
    let long: Vec<String> = rust_files(&root.join("crates"))
        .into_iter()
        .filter(|(_, text)| text.lines().count() > 500)
        .map(|(p, text)| format!("{} ({} lines)", p.display(), text.lines().count()))
        .collect();
    assert!(long.is_empty(), "split these by concern:\n{}", long.join("\n"));
}

/// A write takes one struct, not a dozen positional arguments.
#[test]
fn no_function_opts_out_of_the_argument_limit() {
    let root = workspace();
    let needle = ["too_many", "arguments"].join("_");
    for (path, text) in rust_files(&root.join("crates")) {
        assert!(!text.contains(&needle), "{} allows {needle}: pass one struct", path.display());
    }
}
