use axum::body::Body;
use axum::http::{Request, StatusCode};

use crate::common::{ADMIN_PASSWORD, Env, Resp, env, env_with};

async fn api_login(e: &Env, user: &str, pw: &str) -> Resp {
    let body = serde_json::json!({ "username": user, "password": pw }).to_string();
    e.send(
        Request::post("/api/session")
            .header("content-type", "application/json")
            .body(Body::from(body))
            .expect("request"),
    )
    .await
}

#[tokio::test]
async fn api_login_sets_a_strict_http_only_cookie() {
    let e = env().await;
    let r = api_login(&e, "admin", ADMIN_PASSWORD).await;
    assert_eq!(r.status, StatusCode::OK);
    let set = r.headers.get("set-cookie").and_then(|v| v.to_str().ok()).expect("set-cookie").to_string();
    assert!(set.starts_with("quanze_session="));
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Strict") && set.contains("Path=/"), "{set}");
    assert!(!set.contains("Secure"), "plain HTTP on loopback: no Secure flag");
    let v = r.json();
    assert_eq!(v["username"], "admin");
    assert!(v["roles"].as_array().is_some_and(|r| r.iter().any(|x| x == "admin")));
    assert_eq!(v["csrf_token"].as_str().map(str::len), Some(64));

    // whoami with the cookie; without it 401.
    let login = e.login().await;
    let me = e
        .send(
            Request::get("/api/session")
                .header("cookie", &login.cookie)
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(me.json()["username"], "admin");
    assert_eq!(e.get("/api/session").await.status, StatusCode::UNAUTHORIZED);

    // Logout needs the CSRF header, then ends the session.
    let out = e
        .send(
            Request::delete("/api/session")
                .header("cookie", &login.cookie)
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(out.status, StatusCode::FORBIDDEN);
    assert!(out.is_problem());
    let out = e
        .send(
            Request::delete("/api/session")
                .header("cookie", &login.cookie)
                .header("x-csrf-token", &login.csrf)
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    let me = e
        .send(
            Request::get("/api/session")
                .header("cookie", &login.cookie)
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED, "session is gone server-side");
}

#[tokio::test]
async fn secure_cookies_behind_tls() {
    let e = env_with(|c| c.secure_cookies = true).await;
    let r = api_login(&e, "admin", ADMIN_PASSWORD).await;
    let set = r.headers.get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    assert!(set.contains("; Secure"), "{set}");
    assert!(r.headers.get("strict-transport-security").is_some());
    // A TLS-terminating proxy's X-Forwarded-Proto also gives Secure cookies.
    let e = env().await;
    let body = serde_json::json!({ "username": "admin", "password": ADMIN_PASSWORD }).to_string();
    let r = e
        .send(
            Request::post("/api/session")
                .header("content-type", "application/json")
                .header("x-forwarded-proto", "https")
                .body(Body::from(body))
                .expect("request"),
        )
        .await;
    let set = r.headers.get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    assert!(set.contains("; Secure"), "{set}");
}

#[tokio::test]
async fn bad_login_requests() {
    let e = env().await;
    for body in ["{not json", "", "[]", "{\"username\":\"admin\"}", "{\"username\":1,\"password\":2}"] {
        let r = e
            .send(
                Request::post("/api/session")
                    .header("content-type", "application/json")
                    .body(Body::from(body))
                    .expect("request"),
            )
            .await;
        assert!(
            r.status == StatusCode::BAD_REQUEST || r.status == StatusCode::UNPROCESSABLE_ENTITY,
            "{body:?}: {}",
            r.status
        );
        assert!(r.is_problem(), "{body:?}: {}", r.text());
    }
    let r = e
        .send(
            Request::post("/api/session")
                .header("content-type", "text/plain")
                .body(Body::from("x"))
                .expect("request"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(r.is_problem());
    let big = format!("{{\"username\":\"admin\",\"password\":\"{}\"}}", "x".repeat(100_000));
    let r = e
        .send(
            Request::post("/api/session")
                .header("content-type", "application/json")
                .body(Body::from(big))
                .expect("request"),
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.is_problem());
}

#[tokio::test]
async fn wrong_passwords_are_rate_limited() {
    let e = env().await;
    for i in 0..5 {
        let r = api_login(&e, "admin", &format!("wrong-password-{i}")).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(r.is_problem());
    }
    let r = api_login(&e, "admin", "wrong-again").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.is_problem());
    assert!(r.headers.get("retry-after").is_some());
    // Even the right password is refused while limited.
    let r = api_login(&e, "admin", ADMIN_PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    // Another user name is not limited by admin's failures (no remote address here).
    let r = api_login(&e, "someone", "whatever-pw").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

fn form(uri: &str, cookie: Option<&str>, body: String) -> Request<Body> {
    let mut r = Request::post(uri).header("content-type", "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        r = r.header("cookie", c);
    }
    r.body(Body::from(body)).expect("request")
}

fn csrf_field(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("csrf field") + "name=\"csrf\" value=\"".len();
    html[at..at + 64].to_string()
}

#[tokio::test]
async fn login_form_checks_csrf() {
    let e = env().await;
    let page = e.get("/login").await;
    assert_eq!(page.status, StatusCode::OK);
    let cookie = page.cookie("quanze_csrf").expect("csrf cookie");
    let field = csrf_field(&page.text());
    assert_eq!(cookie, field);
    let creds = format!("username=admin&password={ADMIN_PASSWORD}");

    // No cookie, wrong field, no field.
    let r = e.send(form("/login", None, format!("{creds}&csrf={field}"))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.cookie("quanze_session").is_none());
    let r = e
        .send(form(
            "/login",
            Some(&format!("quanze_csrf={cookie}")),
            format!("{creds}&csrf={}", "b".repeat(64)),
        ))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = e.send(form("/login", Some(&format!("quanze_csrf={cookie}")), creds.clone())).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // Cross-site origin.
    let mut req = form("/login", Some(&format!("quanze_csrf={cookie}")), format!("{creds}&csrf={field}"));
    req.headers_mut().insert("host", "127.0.0.1:8080".parse().expect("hv"));
    req.headers_mut().insert("origin", "https://evil.example".parse().expect("hv"));
    let r = e.send(req).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Wrong password: 401 page.
    let r = e
        .send(form(
            "/login",
            Some(&format!("quanze_csrf={cookie}")),
            format!("username=admin&password=nope-nope&csrf={field}"),
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.text().contains("用户名或密码错误"));
    // Right: redirect to /admin with a session cookie.
    let r =
        e.send(form("/login", Some(&format!("quanze_csrf={cookie}")), format!("{creds}&csrf={field}"))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers.get("location").and_then(|v| v.to_str().ok()), Some("/admin"));
    let session = r.cookie("quanze_session").expect("session");
    let admin = e
        .send(
            Request::get("/admin")
                .header("cookie", format!("quanze_session={session}"))
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(admin.status, StatusCode::OK);
    assert!(admin.text().contains("清单管理"));
}

#[tokio::test]
async fn admin_forms_check_csrf() {
    let e = env().await;
    // Not logged in: the admin page sends you to the login page.
    let r = e.get("/admin").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers.get("location").and_then(|v| v.to_str().ok()), Some("/login"));

    let login = e.login().await;
    // Import a draft through the API, then publish it through the form.
    let up = e.upload(Some(&login), Some(&login.csrf), "t.txt", &crate::api::edited_seed_002(), false).await;
    let vid = up.json()["version"]["id"].as_i64().expect("version id");
    let r = e
        .send(form("/admin/publish", Some(&login.cookie), format!("version={vid}&csrf={}", "c".repeat(64))))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = e.send(form("/admin/publish", Some(&login.cookie), format!("version={vid}"))).await;
    assert!(r.status.is_client_error());
    let r = e.send(form("/admin/publish", None, format!("version={vid}&csrf={}", login.csrf))).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let bid = up.json()["bureau_id"].as_i64().expect("bureau");
    assert_eq!(e.get(&format!("/api/bureaus/{bid}")).await.json()["current_version"]["number"], 1);
    let r = e
        .send(form("/admin/publish", Some(&login.cookie), format!("version={vid}&csrf={}", login.csrf)))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(e.get(&format!("/api/bureaus/{bid}")).await.json()["current_version"]["number"], 2);
    let r = e
        .send(form("/admin/publish", Some(&login.cookie), format!("version=999999&csrf={}", login.csrf)))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // Logout form needs the token too.
    let r = e.send(form("/logout", Some(&login.cookie), "csrf=x".into())).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = e.send(form("/logout", Some(&login.cookie), format!("csrf={}", login.csrf))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        e.send(Request::get("/admin").header("cookie", &login.cookie).body(Body::empty()).expect("request"))
            .await
            .status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn api_post_from_another_origin_is_refused() {
    let e = env().await;
    let login = e.login().await;
    let id = e.bureau_id("汤阴县");
    let r = e
        .send(
            Request::post(format!("/api/bureaus/{id}/versions/1/publish"))
                .header("host", "127.0.0.1:8080")
                .header("origin", "http://attacker.example")
                .header("cookie", &login.cookie)
                .header("x-csrf-token", &login.csrf)
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.is_problem());
    let r = e
        .send(
            Request::post(format!("/api/bureaus/{id}/versions/1/publish"))
                .header("host", "127.0.0.1:8080")
                .header("origin", "http://127.0.0.1:8080")
                .header("cookie", &login.cookie)
                .header("x-csrf-token", &login.csrf)
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
}

#[tokio::test]
async fn security_headers_everywhere() {
    let e = env().await;
    for uri in
        ["/", "/api/bureaus", "/api/nope", "/search?q=%E5%8C%BB%E4%BF%9D", "/static/quanze.css", "/login"]
    {
        let r = e.get(uri).await;
        let h = |n: &str| r.headers.get(n).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        let csp = h("content-security-policy");
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'none'"), "{uri}: {csp}");
        assert!(!csp.contains("script-src") && !csp.contains("unsafe-inline"), "{uri}: no scripts allowed");
        assert_eq!(h("x-content-type-options"), "nosniff", "{uri}");
        assert_eq!(h("x-frame-options"), "DENY", "{uri}");
        assert_eq!(h("referrer-policy"), "same-origin", "{uri}");
    }
}

#[tokio::test]
async fn slow_requests_time_out_as_problems() {
    // Hashing a password takes far longer than a millisecond.
    let e = env_with(|c| c.request_timeout = std::time::Duration::from_millis(1)).await;
    let r = api_login(&e, "admin", ADMIN_PASSWORD).await;
    assert_eq!(r.status, StatusCode::REQUEST_TIMEOUT);
    assert!(r.is_problem(), "{}", r.text());
}

#[tokio::test]
async fn hostile_login_bodies() {
    let e = env().await;
    for user in ["' OR '1'='1", "admin'--", "admin\u{0}", "<script>alert(1)</script>", &"x".repeat(5000)] {
        let r = api_login(&e, user, "' OR '1'='1").await;
        assert!(
            r.status == StatusCode::UNAUTHORIZED || r.status == StatusCode::TOO_MANY_REQUESTS,
            "{user:?}: {}",
            r.status
        );
        assert!(r.is_problem());
    }
    let r = api_login(&e, "admin", &"p".repeat(2000)).await;
    assert!(r.status == StatusCode::UNAUTHORIZED || r.status == StatusCode::TOO_MANY_REQUESTS);
}
