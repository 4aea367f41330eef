import Foundation
import ThiDuaCore

enum AdminPages {
    struct UserRow: Sendable { let id: UUID, username: String, displayName: String, active: Bool, roles: [Role] }
    struct GrantRow: Sendable { let id: UUID, role: Role, unitName: String }

    static func roleOptions(_ t: Localizer) -> [(value: String, label: String)] { Role.allCases.map { ($0.rawValue, t($0.labelKey)) } }

    static func index(_ ctx: PageContext, rows: [UserRow]) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: t("users.title")) {
            H.h1 { t("users.title") }
            H.div(.class("actions")) {
                H.a(.class("button"), .href(SiteURL.userNew.path)) { t("users.new") }
                H.a(.class("button secondary"), .href(SiteURL.mailOutbox.path)) { t("mail.nav") }
            }
            H.table {
                H.caption { t("users.title") }
                H.thead { H.tr { H.th(.attr("scope", "col")) { t("login.username") }; H.th(.attr("scope", "col")) { t("users.displayName") }; H.th(.attr("scope", "col")) { t("users.roles") } } }
                H.tbody {
                    for r in rows {
                        H.tr {
                            H.td { H.a(.href(SiteURL.user(r.id).path)) { r.username } }
                            H.td { r.displayName }
                            H.td { Set(r.roles).map { t($0.labelKey) }.sorted().joined(separator: ", ") }
                        }
                    }
                }
            }
        }
    }

    static func newUser(_ ctx: PageContext, form f: UserAdminController.NewUserForm, units: [(value: String, label: String)], errors: [Components.FieldError]) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: t("users.new")) {
            H.h1 { t("users.new") }
            Components.errorSummary(t, errors)
            H.form(.method("post"), .action(SiteURL.users.path), .class("card")) {
                Layout.csrfField(ctx)
                Components.textField(t("login.username"), name: "username", value: f.username, errors: errors, required: true, hint: t("user.usernameRule"), autocomplete: "off", maxlength: 64)
                Components.textField(t("users.displayName"), name: "display_name", value: f.display_name, errors: errors, required: true, maxlength: 128)
                Components.textField(t("users.email"), name: "email", value: f.email, errors: errors, type: "email", hint: t("users.emailHint"), autocomplete: "off", maxlength: 254)
                Components.selectField(t("users.role"), name: "role", options: roleOptions(t), selected: f.role, errors: errors, required: true, includeBlank: true)
                Components.selectField(t("column.unit"), name: "unit_id", options: units, selected: f.unit_id, errors: errors, required: true, includeBlank: true)
                H.div(.class("actions")) { H.button(.type("submit")) { t("form.save") }; H.a(.href(SiteURL.users.path)) { t("form.cancel") } }
            }
        }
    }

    static func passwordIssued(_ ctx: PageContext, userID: UUID, username: String, password: String) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: t("users.passwordIssued")) {
            H.h1 { t("users.passwordIssued") }
            H.div(.class("notice")) {
                H.p { t("users.passwordOnce", username) }
                H.p { H.code(.class("password")) { password } }
            }
            H.a(.class("button"), .href(SiteURL.user(userID).path)) { t("users.back") }
        }
    }

    static func show(_ ctx: PageContext, userID: UUID, username: String, displayName: String, email: String?, grants: [GrantRow], units: [(value: String, label: String)], errors: [Components.FieldError]) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: username) {
            Components.flash(t, ctx.flashKey)
            H.h1 { displayName + " (" + username + ")" }
            Components.errorSummary(t, errors.filter { $0.field == "email" })
            H.form(.method("post"), .action(SiteURL.userEmail(userID).path), .class("card")) {
                Layout.csrfField(ctx)
                Components.textField(t("users.email"), name: "email", value: email, errors: errors, type: "email", hint: t("users.emailHint"), autocomplete: "off", maxlength: 254)
                H.div(.class("actions")) { H.button(.type("submit")) { t("form.save") } }
            }
            H.h2 { t("users.roles") }
            H.table {
                H.thead { H.tr { H.th(.attr("scope", "col")) { t("users.role") }; H.th(.attr("scope", "col")) { t("column.unit") }; H.th(.attr("scope", "col")) { t("form.actions") } } }
                H.tbody {
                    for g in grants {
                        H.tr {
                            H.td { t(g.role.labelKey) }
                            H.td { g.unitName }
                            H.td {
                                H.form(.method("post"), .action(SiteURL.userGrantDelete(userID, g.id).path), .class("inline")) {
                                    Layout.csrfField(ctx)
                                    H.button(.type("submit"), .class("secondary"), .aria("label", t("users.removeRole", t(g.role.labelKey), g.unitName))) { t("form.remove") }
                                }
                            }
                        }
                    }
                }
            }
            H.form(.method("post"), .action(SiteURL.userGrants(userID).path), .class("card")) {
                Layout.csrfField(ctx)
                H.h3 { t("users.addRole") }
                Components.selectField(t("users.role"), name: "role", options: roleOptions(t), selected: nil, errors: errors, required: true)
                Components.selectField(t("column.unit"), name: "unit_id", options: units, selected: nil, errors: errors, required: true)
                H.div(.class("actions")) { H.button(.type("submit")) { t("form.add") } }
            }
            H.form(.method("post"), .action(SiteURL.userResetPassword(userID).path)) {
                Layout.csrfField(ctx)
                H.div(.class("actions")) { H.button(.type("submit"), .class("danger")) { t("users.resetPassword") } }
            }
        }
    }
}

extension AdminPages {
    static func mail(_ ctx: PageContext, settings: MailSettings?, counts: [OutboxMail.Status: Int], recent: [OutboxMail], to: String?,
                     errors: [Components.FieldError]) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: t("mail.title")) {
            Components.flash(t, ctx.flashKey)
            H.h1 { t("mail.title") }
            if let s = settings {
                H.p { t("mail.on", s.host + ":" + String(s.port), s.from.value, String(s.digestHour)) }
            } else {
                H.p(.class("notice")) { t("mail.offHelp") }
            }
            H.p { t("mail.counts", String(counts[.pending] ?? 0), String(counts[.sent] ?? 0), String(counts[.failed] ?? 0)) }
            Components.errorSummary(t, errors)
            H.form(.method("post"), .action(SiteURL.mailTest.path), .class("card")) {
                Layout.csrfField(ctx)
                Components.textField(t("mail.test.to"), name: "to", value: to, errors: errors, required: true, type: "email", autocomplete: "off", maxlength: 254)
                H.div(.class("actions")) { H.button(.type("submit")) { t("mail.test.send") } }
            }
            if recent.isEmpty {
                H.p(.class("hint")) { t("mail.none") }
            } else {
                H.table {
                    H.caption { t("mail.recent") }
                    H.thead {
                        H.tr {
                            H.th(.attr("scope", "col")) { t("mail.column.created") }
                            H.th(.attr("scope", "col")) { t("mail.column.to") }
                            H.th(.attr("scope", "col")) { t("mail.column.subject") }
                            H.th(.attr("scope", "col")) { t("column.status") }
                            H.th(.attr("scope", "col"), .class("num")) { t("mail.column.attempts") }
                            H.th(.attr("scope", "col")) { t("mail.column.error") }
                        }
                    }
                    H.tbody {
                        for m in recent {
                            H.tr {
                                H.td { VietnameseFormat.dateTime(Date(timeIntervalSince1970: Double(m.createdMillis) / 1000)) }
                                H.td { m.recipient }
                                H.td { m.subject }
                                H.td { t("mail.status." + m.statusRaw) }
                                H.td(.class("num")) { String(m.attempts) }
                                H.td { m.lastError ?? "" }
                            }
                        }
                    }
                }
            }
        }
    }
}
