//! Electronic voucher programmes from the platform operator's shell (`kippu voucher`): the
//! settlement cycle, validity and voucher types checked, merchants enrolled once.

use crate::cli::kippu;

/// A database of its own with `kippu demo` loaded: its folder (kept while the test runs) and URL.
async fn demo_database() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let url = crate::harness::fresh_database_url(dir.path()).await;
    assert_eq!(kippu(&["demo"], &[("KIPPU_DATABASE_URL", url.as_str())]).0, 0);
    (dir, url)
}

#[tokio::test]
async fn a_programme_is_created_with_its_cycle_and_merchants_are_enrolled_once() {
    let (_dir, url) = demo_database().await;
    let db = [("KIPPU_DATABASE_URL", url.as_str())];

    let (code, out, err) = kippu(
        &[
            "voucher",
            "program",
            "create",
            "--code",
            "KSW2026",
            "--name",
            "子育て応援券",
            "--valid-from",
            "2026-04-01",
            "--valid-to",
            "2027-03-31",
            "--type",
            "EGIFT:e街ギフト",
            "--json",
        ],
        &db,
    );
    assert_eq!(code, 0, "{err}");
    let p: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(p["cycle"], "1:0:end,15:1:15", "twice a month unless told");
    assert_eq!(p["cycle_text"], "毎月1日〜14日分：当月末日払い／15日〜末日分：翌月15日払い");
    assert_eq!(p["types"][0]["name"], "e街ギフト");
    assert_eq!(
        (p["valid_from"].as_str(), p["valid_to"].as_str()),
        (Some("2026-04-01"), Some("2027-03-31"))
    );

    let (code, out, err) = kippu(&["voucher", "enrol", "--program", "KSW2026", "--merchant", "DEMO2", "--json"], &db);
    assert_eq!(code, 0, "{err}");
    let e: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!((e["enrolled"].as_bool(), e["merchants"][0].as_str()), (Some(true), Some("DEMO2")));
    let (_, out, _) = kippu(&["voucher", "enrol", "--program", "KSW2026", "--merchant", "DEMO2", "--json"], &db);
    let again: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(again["enrolled"], false, "enrolling twice changes nothing");
    assert_eq!(again["merchants"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_bad_programme_names_every_field_and_saves_nothing() {
    let (_dir, url) = demo_database().await;
    let db = [("KIPPU_DATABASE_URL", url.as_str())];
    let (code, _, err) = kippu(
        &[
            "voucher",
            "program",
            "create",
            "--code",
            "x",
            "--name",
            "",
            "--cycle",
            "1:0:20",
            "--valid-from",
            "2026-05-01",
            "--valid-to",
            "2026-04-01",
            "--type",
            "nocolon",
        ],
        &db,
    );
    assert_eq!(code, 1);
    for field in ["code:", "name:", "cycle:", "valid_to:", "types:"] {
        assert!(err.contains(field), "{field} in {err}");
    }
    assert!(err.contains("支払予定日が期間の終わりより前"), "{err}");
    assert_eq!(
        kippu(&["voucher", "program", "create", "--code", "KSW", "--name", "応援券"], &db).0,
        0
    );
    let (code, _, err) = kippu(&["voucher", "program", "create", "--code", "KSW", "--name", "二つ目"], &db);
    assert_eq!(code, 1);
    assert!(err.contains("事業コード KSW はすでに使われています"), "{err}");
    let (code, _, err) = kippu(&["voucher", "enrol", "--program", "NOPE", "--merchant", "DEMO1"], &db);
    assert_eq!(code, 1);
    assert!(err.contains("事業コード NOPE の事業はありません"), "{err}");
    let (code, _, err) = kippu(&["voucher", "enrol", "--program", "KSW", "--merchant", "NOPE"], &db);
    assert_eq!(code, 1);
    assert!(err.contains("加盟店コード NOPE は存在しません"), "{err}");
}

fn json_of(out: &str) -> serde_json::Value {
    serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("{e}: {out}"))
}

#[tokio::test]
async fn the_operator_adds_stores_terminals_and_holders_from_the_shell() {
    let (_dir, url) = demo_database().await;
    let db = [("KIPPU_DATABASE_URL", url.as_str())];
    assert_eq!(
        kippu(&["voucher", "program", "create", "--code", "KSW", "--name", "子育て応援券"], &db).0,
        0
    );
    let (code, out, err) = kippu(
        &[
            "voucher",
            "store",
            "add",
            "--merchant",
            "DEMO2",
            "--code",
            "AKT10001_00001",
            "--name",
            "駅前店",
            "--json",
        ],
        &db,
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(json_of(&out)["store_code"], "AKT10001_00001");
    let (code, out, err) = kippu(
        &[
            "voucher",
            "terminal",
            "add",
            "--merchant",
            "DEMO2",
            "--store",
            "AKT10001_00001",
            "--name",
            "レジ1",
            "--json",
        ],
        &db,
    );
    assert_eq!(code, 0, "{err}");
    let t = json_of(&out);
    let passcode = t["passcode"].as_str().unwrap().to_string();
    assert_eq!(passcode.len(), 6);
    assert!(t["qr_payload"].as_str().unwrap().starts_with("KIPPU-T:"));
    let (code, out, _) = kippu(
        &[
            "voucher",
            "terminal",
            "reissue",
            "--merchant",
            "DEMO2",
            "--terminal",
            t["terminal"].as_str().unwrap(),
            "--json",
        ],
        &db,
    );
    assert_eq!(code, 0);
    assert_ne!(json_of(&out)["passcode"].as_str().unwrap(), passcode, "a new passcode");

    let (code, out, err) = kippu(
        &[
            "voucher",
            "grant",
            "--program",
            "KSW",
            "--holder-name",
            "山田 花子",
            "--amount",
            "5000",
            "--json",
        ],
        &db,
    );
    assert_eq!(code, 0, "{err}");
    let g = json_of(&out);
    assert_eq!((g["amount"].as_i64(), g["balance"].as_i64()), (Some(5000), Some(5000)));
    assert!(g["link"].as_str().unwrap().ends_with(g["token"].as_str().unwrap()));
    let id = g["holder_id"].to_string();
    let (_, out, _) = kippu(
        &[
            "voucher",
            "grant",
            "--program",
            "KSW",
            "--holder",
            &id,
            "--amount",
            "1000",
            "--json",
        ],
        &db,
    );
    let more = json_of(&out);
    assert_eq!(more["balance"], 6000, "more for the same holder");
    assert!(more.get("token").is_none(), "a token is shown once, when the holder is made");
}

#[tokio::test]
async fn a_holders_csv_with_a_bad_amount_grants_nothing_and_names_the_line() {
    let (dir, url) = demo_database().await;
    let db = [("KIPPU_DATABASE_URL", url.as_str())];
    assert_eq!(
        kippu(&["voucher", "program", "create", "--code", "KSW", "--name", "子育て応援券"], &db).0,
        0
    );
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "氏名,金額\n山田 花子,5000\n佐藤 一郎,5千\n,3000\n").unwrap();
    let (code, _, err) = kippu(&["voucher", "grant", "--program", "KSW", "--csv", bad.to_str().unwrap()], &db);
    assert_eq!(code, 1);
    assert!(err.contains("line 3: amount"), "{err}");
    assert!(err.contains("line 4: holder_name"), "{err}");
    let good = dir.path().join("good.csv");
    let cp932 = encoding_rs::SHIFT_JIS
        .encode("氏名,金額\n山田 花子,5000\n佐藤 一郎,3000\n")
        .0
        .into_owned();
    std::fs::write(&good, cp932).unwrap();
    let (code, out, err) = kippu(
        &["voucher", "grant", "--program", "KSW", "--csv", good.to_str().unwrap(), "--json"],
        &db,
    );
    assert_eq!(code, 0, "{err}");
    let r = json_of(&out);
    assert_eq!(
        (r["granted"].as_i64(), r["total"].as_i64()),
        (Some(2), Some(8000)),
        "the bad file granted nothing before"
    );
    assert_eq!(r["holders"][1]["holder_name"], "佐藤 一郎");
}
