enum LoginPage {
    static func render(_ ctx: PageContext, username: String, next: String, error: String?) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: t("login.title")) {
            H.div(.class("card"), .attr("style", nil)) {
                H.h1 { t("login.title") }
                if ctx.query?.contains("bye=1") == true {
                    H.div(.class("flash"), .role("status")) { t("login.bye") }
                }
                if let error {
                    H.div(.class("error-summary"), .role("alert")) { H.p { error } }
                }
                H.form(.method("post"), .action(SiteURL.login.path)) {
                    Layout.csrfField(ctx)
                    H.input(.type("hidden"), .name("next"), .value(next))
                    Components.textField(t("login.username"), name: "username", value: username, required: true, autocomplete: "username", maxlength: 64)
                    Components.textField(t("login.password"), name: "password", value: nil, required: true, type: "password", autocomplete: "current-password", maxlength: 128)
                    H.div(.class("actions")) { H.button(.type("submit")) { t("login.submit") } }
                }
                H.p(.class("hint")) { t("login.help") }
            }
        }
    }
}

enum PasswordPage {
    static func render(_ ctx: PageContext, user: CurrentUser, errors: [Components.FieldError], done: Bool) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: t("password.title")) {
            H.h1 { t("password.title") }
            if done { H.div(.class("flash"), .role("status")) { t("password.done") } }
            if user.mustChangePassword && !done { H.div(.class("notice")) { t("password.mustChange") } }
            Components.errorSummary(t, errors)
            H.form(.method("post"), .action(SiteURL.account.path), .class("card")) {
                Layout.csrfField(ctx)
                Components.textField(t("password.current"), name: "current", value: nil, errors: errors, required: true, type: "password", autocomplete: "current-password")
                Components.textField(t("password.new"), name: "new", value: nil, errors: errors, required: true, type: "password", hint: t("password.rules", String(PasswordRules.minLength)), autocomplete: "new-password")
                Components.textField(t("password.confirm"), name: "confirm", value: nil, errors: errors, required: true, type: "password", autocomplete: "new-password")
                H.div(.class("actions")) { H.button(.type("submit")) { t("password.submit") } }
            }
        }
    }
}
