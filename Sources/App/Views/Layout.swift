import Vapor
import ThiDuaCore

/// The one page frame: skip link, header with navigation and language switch, main, footer.
enum Layout {
    /// `bare`: a page for a counter tablet or a printed poster (no navigation, no sign-in link).
    static func page(_ ctx: PageContext, title: String, bare: Bool = false, @HTMLBuilder content: () -> [HTMLNode]) -> HTMLNode {
        let t = ctx.t
        return .fragment([
            .raw("<!DOCTYPE html>"),
            H.html(.lang(t.lang.rawValue)) {
                H.head {
                    H.meta(.attr("charset", "utf-8"))
                    H.meta(.name("viewport"), .attr("content", "width=device-width, initial-scale=1"))
                    H.title(title + " · ThiDua")
                    H.link(.attr("rel", "stylesheet"), .href(Assets.cssPath))
                }
                H.body {
                    H.a(.class("skip-link"), .href("#main")) { t("layout.skip") }
                    if bare {
                        H.header(.class("site-header bare")) { H.div(.class("brand")) { H.strong { "ThiDua" } } }
                    } else {
                        header(ctx)
                    }
                    if let d = ctx.fixedToday {
                        H.div(.class("clock-banner"), .role("note")) { t("layout.fixedToday", d.vietnamese) }
                    }
                    H.main(.id("main"), .attr("tabindex", "-1")) { content() }
                    H.footer(.class("site-footer")) {
                        H.p { t("layout.footer") }
                    }
                }
            },
        ])
    }

    static func header(_ ctx: PageContext) -> HTMLNode {
        let t = ctx.t
        var items: [(String, String)] = []
        if let u = ctx.user {
            items.append((SiteURL.home.path, t("nav.home")))
            if u.can(.viewUnits) { items.append((SiteURL.units.path, t("nav.units"))) }
            if u.can(.viewBlocks) { items.append((SiteURL.blocks.path, t("nav.blocks"))) }
            if u.can(.viewPeople) { items.append((SiteURL.people.path, t("nav.people"))) }
            if u.can(.viewPlans) { items.append((SiteURL.plans.path, t("nav.plans"))) }
            if u.can(.viewIndex) { items.append((SiteURL.indexHome.path, t("nav.index"))) }
            if u.can(.viewSurveys) { items.append((SurveyURL.home, t("nav.surveys"))) }
            if u.can(.viewPerformance) { items.append((PerformanceURL.home, t("nav.performance"))) }
            if u.can(.viewInitiatives) { items.append((InitiativeURL.home, t("nav.initiatives"))) }
            if u.can(.viewAwards) { items.append((AwardURL.home, t("nav.awards"))) }
            if u.can(.importData) { items.append((SiteURL.imports.path, t("nav.import"))) }
            if u.can(.manageUsers) { items.append((SiteURL.users.path, t("nav.users"))) }
            if u.can(.viewAudit) { items.append((SiteURL.audit.path, t("nav.audit"))) }
        }
        let otherLang: Lang = t.lang == .vi ? .en : .vi
        let back = ctx.path + (ctx.query.map { "?" + $0 } ?? "")
        return H.header(.class("site-header")) {
            H.div(.class("brand")) {
                H.a(.href(SiteURL.home.path), .class("brand-link")) {
                    H.strong { "ThiDua" }
                    H.span(.class("brand-sub")) { t("layout.tagline") }
                }
            }
            if !items.isEmpty {
                H.nav(.aria("label", t("nav.label")), .class("main-nav")) {
                    H.ul {
                        for (href, label) in items {
                            let current = href == "/" ? ctx.path == "/" : ctx.path.hasPrefix(href)
                            H.li { H.a(.href(href), .aria("current", current ? "page" : nil)) { label } }
                        }
                    }
                }
            }
            H.div(.class("header-tools")) {
                H.a(
                    .href(SiteURL.language(otherLang.rawValue, next: back).path), .lang(otherLang.rawValue),
                    .class("lang-switch")
                ) { otherLang == .en ? "English" : "Tiếng Việt" }
                if let u = ctx.user {
                    H.a(.href(SiteURL.account.path), .class("user-name")) { u.displayName }
                    H.form(.method("post"), .action(SiteURL.logout.path), .class("inline")) {
                        csrfField(ctx)
                        H.button(.type("submit"), .class("link-button")) { t("nav.logout") }
                    }
                } else {
                    H.a(.href(SiteURL.publicIndex.path)) { t("nav.public") }
                    H.a(.href(InitiativeURL.library)) { t("nav.library") }
                    H.a(.href(SiteURL.login.path)) { t("nav.login") }
                }
            }
        }
    }

    static func csrfField(_ ctx: PageContext) -> HTMLNode {
        H.input(.type("hidden"), .name(CSRFMiddleware.fieldName), .value(ctx.csrf))
    }
}

extension HTMLNode {
    func response(status: HTTPResponseStatus = .ok) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .html
        return Response(status: status, headers: headers, body: .init(buffer: ByteBuffer(bytes: renderBytes())))
    }
}
