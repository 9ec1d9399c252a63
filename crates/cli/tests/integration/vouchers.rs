//! Electronic voucher programmes from the platform operator's shell (`kippu voucher`): the
//! settlement cycle, validity and voucher types checked, merchants enrolled once.

use crate::cli::kippu;

#[tokio::test]
async fn a_programme_is_created_with_its_cycle_and_merchants_are_enrolled_once() {
    let dir = tempfile::tempdir().unwrap();
    let url = crate::harness::fresh_database_url(dir.path()).await;
    let db = [("KIPPU_DATABASE_URL", url.as_str())];
    assert_eq!(kippu(&["demo"], &db).0, 0);

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
    let dir = tempfile::tempdir().unwrap();
    let url = crate::harness::fresh_database_url(dir.path()).await;
    let db = [("KIPPU_DATABASE_URL", url.as_str())];
    assert_eq!(kippu(&["demo"], &db).0, 0);
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
