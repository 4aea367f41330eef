import Foundation

/// Every path of the site, used both to register routes (`pathComponents`) and to build links, so that links
/// cannot drift from routes.
enum SiteURL: Sendable {
    case home
    case login
    case logout
    case account
    case language(String, next: String)
    case healthz
    case metrics
    case css

    case units
    case unitNew
    case unit(UUID)
    case unitEdit(UUID)
    case unitMerge(UUID)
    case blocks
    case blockNew
    case block(UUID)
    case blockMembers(UUID)
    case people
    case personNew
    case person(UUID)
    case personEdit(UUID)
    case personRatings(UUID)
    case personPeriods(UUID)
    case personPeriodDelete(UUID, UUID)

    case imports
    case importPreview
    case importBatch(UUID)
    case importCommit(UUID)
    case export(String, String)

    case users
    case userNew
    case user(UUID)
    case userGrants(UUID)
    case userGrantDelete(UUID, UUID)
    case userResetPassword(UUID)

    case audit
    case history(String, String)

    var path: String {
        switch self {
        case .home: "/"
        case .login: "/login"
        case .logout: "/logout"
        case .account: "/account/password"
        case .language(let l, let next): "/lang/\(l)?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/")
        case .healthz: "/healthz"
        case .metrics: "/metrics"
        case .css: Assets.cssPath
        case .units: "/units"
        case .unitNew: "/units/new"
        case .unit(let id): "/units/\(id)"
        case .unitEdit(let id): "/units/\(id)/edit"
        case .unitMerge(let id): "/units/\(id)/merge"
        case .blocks: "/blocks"
        case .blockNew: "/blocks/new"
        case .block(let id): "/blocks/\(id)"
        case .blockMembers(let id): "/blocks/\(id)/members"
        case .people: "/people"
        case .personNew: "/people/new"
        case .person(let id): "/people/\(id)"
        case .personEdit(let id): "/people/\(id)/edit"
        case .personRatings(let id): "/people/\(id)/ratings"
        case .personPeriods(let id): "/people/\(id)/periods"
        case .personPeriodDelete(let id, let p): "/people/\(id)/periods/\(p)/delete"
        case .imports: "/import"
        case .importPreview: "/import/preview"
        case .importBatch(let id): "/import/\(id)"
        case .importCommit(let id): "/import/\(id)/commit"
        case .export(let kind, let format): "/export/\(kind).\(format)"
        case .users: "/admin/users"
        case .userNew: "/admin/users/new"
        case .user(let id): "/admin/users/\(id)"
        case .userGrants(let id): "/admin/users/\(id)/grants"
        case .userGrantDelete(let id, let g): "/admin/users/\(id)/grants/\(g)/delete"
        case .userResetPassword(let id): "/admin/users/\(id)/reset-password"
        case .audit: "/audit"
        case .history(let type, let id): "/audit/\(type)/\(id)"
        }
    }
}
