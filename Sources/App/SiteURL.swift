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
    case userEmail(UUID)
    case mailOutbox
    case mailTest

    case audit
    case history(String, String)

    case indexHome
    case frameworks
    case frameworkStarters
    case framework(UUID)
    case frameworkExport(UUID, String)
    case frameworkCopy(UUID)
    case cycles
    case cycleNew
    case cycle(UUID)
    case cycleAssign(UUID)
    case cyclePhase(UUID)
    case cycleApprove(UUID)
    case cyclePublish(UUID)
    case cycleRanking(UUID, String)
    case cycleCalibration(UUID)
    case assessment(UUID)
    case assessmentScores(UUID)
    case assessmentEvidence(UUID)
    case assessmentSubmit(UUID)
    case assessmentAppraise(UUID)
    case assessmentExplain(UUID)
    case evidence(UUID)
    case publicIndex
    case publicCycle(UUID)
    case publicUnit(UUID, UUID)

    case plans
    case planNew
    case plan(UUID)
    case planEdit(UUID)
    case planStatus(UUID)
    case planTaskNew(UUID)
    case planTasks(UUID)
    case planImport(UUID)
    case planImportBatch(UUID, UUID)
    case task(UUID)
    case taskEdit(UUID)
    case taskReports(UUID)
    case taskEvidence(UUID)
    case followUp
    case overdue
    case planReport
    case planReportExport(String)
    case followUpRules

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
        case .userEmail(let id): "/admin/users/\(id)/email"
        case .mailOutbox: "/admin/mail"
        case .mailTest: "/admin/mail/test"
        case .audit: "/audit"
        case .history(let type, let id): "/audit/\(type)/\(id)"
        case .indexHome: "/index"
        case .frameworks: "/index/frameworks"
        case .frameworkStarters: "/index/frameworks/starters"
        case .framework(let id): "/index/frameworks/\(id)"
        case .frameworkExport(let id, let format): "/index/frameworks/\(id)/export/\(format)"
        case .frameworkCopy(let id): "/index/frameworks/\(id)/copy"
        case .cycles: "/index/cycles"
        case .cycleNew: "/index/cycles/new"
        case .cycle(let id): "/index/cycles/\(id)"
        case .cycleAssign(let id): "/index/cycles/\(id)/assign"
        case .cyclePhase(let id): "/index/cycles/\(id)/phase"
        case .cycleApprove(let id): "/index/cycles/\(id)/approve"
        case .cyclePublish(let id): "/index/cycles/\(id)/publish"
        case .cycleRanking(let id, let format): "/index/cycles/\(id)/ranking/\(format)"
        case .cycleCalibration(let id): "/index/cycles/\(id)/calibration"
        case .assessment(let id): "/index/assessments/\(id)"
        case .assessmentScores(let id): "/index/assessments/\(id)/scores"
        case .assessmentEvidence(let id): "/index/assessments/\(id)/evidence"
        case .assessmentSubmit(let id): "/index/assessments/\(id)/submit"
        case .assessmentAppraise(let id): "/index/assessments/\(id)/appraise"
        case .assessmentExplain(let id): "/index/assessments/\(id)/explain"
        case .evidence(let id): "/index/evidence/\(id)"
        case .publicIndex: "/public/index"
        case .publicCycle(let id): "/public/index/\(id)"
        case .publicUnit(let c, let u): "/public/index/\(c)/units/\(u)"
        case .plans: "/plans"
        case .planNew: "/plans/new"
        case .plan(let id): "/plans/\(id)"
        case .planEdit(let id): "/plans/\(id)/edit"
        case .planStatus(let id): "/plans/\(id)/status"
        case .planTaskNew(let id): "/plans/\(id)/tasks/new"
        case .planTasks(let id): "/plans/\(id)/tasks"
        case .planImport(let id): "/plans/\(id)/import"
        case .planImportBatch(let id, let b): "/plans/\(id)/import/\(b)"
        case .task(let id): "/tasks/\(id)"
        case .taskEdit(let id): "/tasks/\(id)/edit"
        case .taskReports(let id): "/tasks/\(id)/reports"
        case .taskEvidence(let id): "/tasks/evidence/\(id)"
        case .followUp: "/followup"
        case .overdue: "/followup/overdue"
        case .planReport: "/followup/report"
        case .planReportExport(let format): "/followup/report/\(format)"
        case .followUpRules: "/followup/rules"
        }
    }
}
