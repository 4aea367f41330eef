import Foundation
import ThiDuaCore

enum InitiativePages {
    static func th(_ s: String, num: Bool = false) -> HTMLNode { SurveyAdminPages.th(s, num: num) }
    static func n(_ t: Localizer, _ v: Int64) -> String { VietnameseFormat.number(Int(v), english: t.lang == .en) }
    static func pts(_ t: Localizer, _ p: Points) -> String { p.formatted(places: 2, english: t.lang == .en) }
    /// A stored ISO date as people read it (16/02/2026); anything unreadable as stored.
    static func day(_ iso: String?) -> String { iso.map { CivilDate(parsing: $0)?.vietnamese ?? $0 } ?? "" }

    /// The initiative's own words: problem, solution, what is new (and replicability), line breaks kept.
    static func prose(_ t: Localizer, _ i: Initiative, replicability: Bool) -> HTMLNode {
        var parts = [("initiative.problem", i.problem), ("initiative.solution", i.solution), ("initiative.novelty", i.novelty)]
        if replicability { parts.append(("initiative.replicability", i.replicability)) }
        return HTMLNode.fragment(parts.flatMap { part -> [HTMLNode] in
            let (key, text) = part
            return [H.h2 { t(key) }, H.p(.class("prewrap")) { text }]
        })
    }

    static func statusBadge(_ t: Localizer, _ s: InitiativeStatus, _ level: RecognitionLevel?) -> HTMLNode {
        let cls = s == .recognised ? "badge ok" : s == .notRecognised || s == .withdrawn ? "badge warn" : "badge"
        return H.span(.class(cls)) { t(s.labelKey) + (level.map { " — " + t($0.labelKey) } ?? "") }
    }

    // MARK: List

    struct Row: Sendable {
        let id: UUID
        let title: String
        /// nil: hidden from a blind reviewer.
        let unit: String?
        let type: InitiativeType
        let status: InitiativeStatus
        let level: RecognitionLevel?
        let scored: Bool
    }

    static func table(_ t: Localizer, caption: String, _ rows: [Row], showScored: Bool = false) -> HTMLNode {
        H.div(.class("table-wrap")) {
            H.table {
                H.caption { caption }
                H.thead {
                    H.tr {
                        th(t("initiative.title")); th(t("column.unit")); th(t("initiative.type")); th(t("column.status"))
                        if showScored { th(t("initiative.myScore")) }
                    }
                }
                H.tbody {
                    for r in rows {
                        H.tr {
                            H.th(.attr("scope", "row")) { H.a(.href(InitiativeURL.show(r.id))) { r.title } }
                            H.td { r.unit ?? t("initiative.hidden") }
                            H.td { t(r.type.labelKey) }
                            H.td { statusBadge(t, r.status, r.level) }
                            if showScored { H.td { r.scored ? t("initiative.scored") : t("initiative.notScored") } }
                        }
                    }
                }
            }
        }
    }

    static func index(_ ctx: PageContext, periods: [InitiativePeriod], period: InitiativePeriod?, rows: [Row], assigned: [Row], canSubmit: Bool, canManage: Bool)
        -> HTMLNode
    {
        let t = ctx.t
        return Layout.page(ctx, title: t("initiative.heading")) {
            Components.flash(t, ctx.flashKey)
            H.h1 { t("initiative.heading") }
            H.div(.class("actions")) {
                if canSubmit && period?.phase == .submission { H.a(.class("button"), .href(InitiativeURL.new)) { t("initiative.new") } }
                if canManage { H.a(.href(InitiativeURL.periods)) { t("initiative.periods") } }
                H.a(.href(InitiativeURL.spread)) { t("initiative.spread.title") }
                H.a(.href(InitiativeURL.library)) { t("initiative.library.title") }
            }
            if periods.count > 1 {
                H.form(.method("get"), .action(InitiativeURL.home), .class("filters")) {
                    Components.selectField(
                        t("initiative.period"), name: "period", options: periods.map { ($0.id?.uuidString ?? "", $0.name) }, selected: period?.id?.uuidString)
                    H.div(.class("actions")) { H.button(.type("submit"), .class("secondary")) { t("initiative.show") } }
                }
            }
            if let period {
                H.p(.class("lead")) { period.name + " · " + t(period.phase.labelKey) + (period.blind ? " · " + t("initiative.blind") : "") }
                if !assigned.isEmpty { table(t, caption: t("initiative.assigned"), assigned, showScored: true) }
                if rows.isEmpty { H.p(.class("notice")) { t("initiative.none") } } else { table(t, caption: t("initiative.list"), rows) }
            } else {
                H.p(.class("notice")) { t("initiative.noPeriod") }
            }
        }
    }

    static func noOpenPeriod(_ ctx: PageContext) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: t("initiative.new")) {
            H.h1 { t("initiative.new") }
            H.p(.class("notice")) { t("initiative.noOpenPeriod") }
            H.p { H.a(.href(InitiativeURL.home)) { t("initiative.back") } }
        }
    }

    // MARK: Form

    static func form(_ ctx: PageContext, period: InitiativePeriod, draft d: InitiativeController.Draft, units: [Unit], id: UUID?, errors: [Components.FieldError])
        -> HTMLNode
    {
        let t = ctx.t
        let rowsShown = max(4, d.authorNames.count + 1)
        return Layout.page(ctx, title: id == nil ? t("initiative.new") : t("initiative.edit")) {
            H.p { H.a(.href(id.map(InitiativeURL.show) ?? InitiativeURL.home)) { t("initiative.back") } }
            H.h1 { id == nil ? t("initiative.new") : t("initiative.edit") }
            H.p(.class("lead")) { period.name }
            Components.errorSummary(t, errors)
            H.form(.method("post"), .action(id.map(InitiativeURL.show) ?? InitiativeURL.home), .class("card")) {
                Layout.csrfField(ctx)
                Components.textField(t("initiative.title"), name: "title", value: d.title, errors: errors, required: true, maxlength: 500)
                Components.selectField(
                    t("initiative.type"), name: "type", options: InitiativeType.allCases.map { ($0.rawValue, t($0.labelKey)) }, selected: d.type, errors: errors,
                    required: true, includeBlank: true)
                Components.selectField(
                    t("initiative.area"), name: "area", options: ContentArea.allCases.map { (String($0.rawValue), t($0.labelKey)) }, selected: d.area,
                    errors: errors, required: true, includeBlank: true)
                Components.selectField(
                    t("column.unit"), name: "unit_id", options: units.map { ($0.id?.uuidString ?? "", $0.name) }, selected: d.unitID, errors: errors,
                    required: true, includeBlank: units.count != 1)
                H.fieldset(.id("f-authors")) {
                    H.legend { t("initiative.authors") }
                    H.p(.class("hint")) { t("initiative.authorsHint") }
                    if let e = errors.first(where: { $0.field == "authors" }) { H.p(.class("field-error")) { e.message } }
                    H.table {
                        H.caption(.class("visually-hidden")) { t("initiative.authors") }
                        H.thead { H.tr { th(t("initiative.personCode")); th(t("column.full_name")); th(t("initiative.share"), num: true) } }
                        H.tbody {
                            for k in 0..<rowsShown {
                                H.tr {
                                    H.td {
                                        H.input(.type("text"), .name("author_code[]"), .value(k < d.authorCodes.count ? d.authorCodes[k] : ""), .attr("size", "10"),
                                                .aria("label", t("initiative.personCode") + " \(k + 1)"))
                                    }
                                    H.td {
                                        H.input(.type("text"), .name("author_name[]"), .value(k < d.authorNames.count ? d.authorNames[k] : ""),
                                                .aria("label", t("column.full_name") + " \(k + 1)"))
                                    }
                                    H.td(.class("num")) {
                                        H.input(.type("text"), .name("author_share[]"), .value(k < d.authorShares.count ? d.authorShares[k] : ""), .attr("size", "6"),
                                                .attr("inputmode", "decimal"), .aria("label", t("initiative.share") + " \(k + 1)"))
                                    }
                                }
                            }
                        }
                    }
                }
                Components.textArea("problem", t("initiative.problem"), value: d.problem, errors: errors)
                Components.textArea("solution", t("initiative.solution"), value: d.solution, errors: errors, rows: 6)
                Components.textArea("novelty", t("initiative.novelty"), value: d.novelty, errors: errors)
                Components.textArea("applied_where", t("initiative.appliedWhere"), value: d.appliedWhere, errors: errors, rows: 2)
                Components.textField(t("initiative.appliedSince"), name: "applied_since", value: d.appliedSince, errors: errors, hint: t("initiative.dateHint"))
                H.fieldset {
                    H.legend { t("initiative.benefits") }
                    Components.textField(t("initiative.hoursSaved"), name: "hours_saved", value: d.hours, errors: errors)
                    Components.textField(t("initiative.costSaved"), name: "cost_saved", value: d.cost, errors: errors)
                    Components.textField(t("initiative.dossiers"), name: "dossiers", value: d.dossiers, errors: errors)
                }
                Components.textArea("replicability", t("initiative.replicability"), value: d.replicability, errors: errors)
                H.div(.class("actions")) { H.button(.type("submit")) { t("initiative.saveDraft") } }
            }
        }
    }

    // MARK: Detail

    struct Detail {
        let initiative: Initiative
        let period: InitiativePeriod
        let unitName: String?
        let authors: [InitiativeAuthor]
        let evidence: [InitiativeEvidence]
        let reviewers: [User]
        let scores: [InitiativeScore]
        let seeAll: Bool
        let adoptions: [InitiativeAdoption]
        let blind: Bool
        let canEdit: Bool
        let canWithdraw: Bool
        let canReview: Bool
        let canDecide: Bool
        let candidates: [(User, ReviewConflict?)]
        let adoptUnits: [Unit]
        let error: String?
        let errors: [Components.FieldError]
    }

    static func detail(_ ctx: PageContext, _ v: Detail) -> HTMLNode {
        let t = ctx.t
        let i = v.initiative
        let id = i.id ?? UUID()
        let rubric = v.period.rubric
        return Layout.page(ctx, title: i.title) {
            Components.flash(t, ctx.flashKey)
            H.p { H.a(.href(InitiativeURL.home)) { t("initiative.back") } }
            H.h1 { i.title }
            H.p { statusBadge(t, i.status, i.level) }
            if let e = v.error { H.div(.class("error-summary"), .role("alert")) { H.p { e } } }
            Components.errorSummary(t, v.errors)
            if v.blind { H.p(.class("notice")) { t("initiative.blindNotice") } }
            Components.facts([
                (t("initiative.period"), v.period.name + " · " + t(v.period.phase.labelKey)), (t("column.unit"), v.unitName ?? t("initiative.hidden")),
                (t("initiative.type"), t(i.type.labelKey)), (t("initiative.area"), t(i.area.labelKey)),
                (t("initiative.appliedWhere"), i.appliedWhere), (t("initiative.appliedSince"), day(i.appliedSince)),
                (t("initiative.hoursSaved"), n(t, i.hoursSaved)), (t("initiative.costSaved"), n(t, i.costSaved)), (t("initiative.dossiers"), n(t, i.dossiers)),
            ])
            if !v.blind {
                H.h2 { t("initiative.authors") }
                H.ul {
                    for a in v.authors {
                        H.li { a.name + " — " + pts(t, Points(e4: a.shareE4)) + " %" + (a.personID == nil ? " (" + t("initiative.external") + ")" : "") }
                    }
                }
            }
            prose(t, i, replicability: true)
            H.h2 { t("initiative.evidence") }
            if v.evidence.isEmpty { H.p(.class("muted")) { t("initiative.noEvidence") } } else {
                H.ul {
                    for e in v.evidence {
                        H.li {
                            if e.sha256 != nil, let eid = e.id { H.a(.href(InitiativeURL.evidenceFile(eid))) { e.fileName ?? t("initiative.file") } }
                            if let number = e.docNumber { " " + number + (e.docDate.map { " (" + day($0) + ")" } ?? "") + (e.docIssuer.map { " — " + $0 } ?? "") }
                        }
                    }
                }
            }
            if v.canEdit {
                H.div(.class("actions")) {
                    H.a(.class("button secondary"), .href(InitiativeURL.edit(id))) { t("initiative.edit") }
                    H.form(.method("post"), .action(InitiativeURL.submit(id)), .class("inline")) {
                        Layout.csrfField(ctx)
                        H.button(.type("submit")) { t("initiative.submit") }
                    }
                }
                Components.evidenceForm(ctx, action: InitiativeURL.evidence(id), title: t("initiative.addEvidence"))
            }
            if v.canWithdraw {
                H.form(.method("post"), .action(InitiativeURL.withdraw(id)), .class("inline")) {
                    Layout.csrfField(ctx)
                    H.button(.type("submit"), .class("secondary")) { t("initiative.withdraw") }
                }
            }
            // Review
            H.h2 { t("initiative.review") }
            if v.reviewers.isEmpty { H.p(.class("muted")) { t("initiative.noReviewers") } } else if !v.blind {
                H.p { t("initiative.reviewers") + ": " + v.reviewers.map(\.displayName).joined(separator: ", ") }
            }
            if v.canReview { H.p { H.a(.class("button"), .href(InitiativeURL.review(id))) { t("initiative.scoreIt") } } }
            if !v.candidates.isEmpty {
                H.form(.method("post"), .action(InitiativeURL.reviewers(id)), .class("card")) {
                    Layout.csrfField(ctx)
                    Components.selectField(
                        t("initiative.assignReviewer"), name: "user_id",
                        options: v.candidates.map { c in
                            (c.0.id?.uuidString ?? "", c.0.displayName + (c.1.map { " — " + t("initiative.conflictShort." + $0.rawValue) } ?? ""))
                        }, selected: nil, includeBlank: true)
                    H.div(.class("actions")) { H.button(.type("submit"), .class("secondary")) { t("initiative.assign") } }
                }
            }
            if !v.scores.isEmpty {
                let stats = v.seeAll ? PanelStatistics(v.scores.map(\.total), disagreementPoints: rubric.disagreementPoints) : nil
                H.div(.class("table-wrap")) {
                    H.table {
                        H.caption { v.seeAll ? t("initiative.panel") : t("initiative.myScores") }
                        H.thead {
                            H.tr {
                                th(t("initiative.reviewer"))
                                for c in rubric.criteria { th(c.name + " (" + pts(t, c.maxPoints) + ")", num: true) }
                                th(t("initiative.total"), num: true)
                                th(t("initiative.comment"))
                            }
                        }
                        H.tbody {
                            for (k, s) in v.scores.enumerated() {
                                let values = s.scores
                                H.tr {
                                    H.th(.attr("scope", "row")) { v.period.blind && !v.seeAll ? t("initiative.reviewerN", String(k + 1)) : s.user.displayName }
                                    for c in rubric.criteria { H.td(.class("num")) { values[c.code].map { pts(t, $0) } ?? "—" } }
                                    H.td(.class("num")) { pts(t, s.total) }
                                    H.td { s.comment }
                                }
                            }
                        }
                    }
                }
                if let stats {
                    Components.facts([
                        (t("initiative.stats.mean"), pts(t, stats.mean)), (t("initiative.stats.median"), pts(t, stats.median)),
                        (t("initiative.stats.sd"), pts(t, stats.standardDeviation)), (t("initiative.stats.range"), pts(t, stats.range)),
                    ])
                    if stats.disagreement {
                        H.p(.class("badge warn")) { t("initiative.stats.disagreement", pts(t, rubric.disagreementPoints)) }
                    }
                }
            }
            // Decision
            if i.status.isDecided {
                H.h2 { t("initiative.decision") }
                Components.facts([
                    (t("initiative.outcome"), t(i.status.labelKey)), (t("initiative.level"), i.level.map { t($0.labelKey) } ?? ""),
                    (t("initiative.decisionNumber"), i.decisionNumber ?? ""), (t("initiative.decisionDate"), day(i.decisionDate)),
                    (t("initiative.decisionSigner"), i.decisionSigner ?? ""), (t("initiative.decisionNote"), i.decisionNote ?? ""),
                ])
            }
            if v.canDecide {
                H.form(.method("post"), .action(InitiativeURL.decision(id)), .class("card")) {
                    Layout.csrfField(ctx)
                    H.h2 { t("initiative.decide") }
                    Components.selectField(
                        t("initiative.outcome"), name: "outcome", options: [("recognised", t("initiative.status.recognised")), ("not_recognised", t("initiative.status.not_recognised"))],
                        selected: nil, errors: v.errors, required: true, includeBlank: true)
                    Components.selectField(
                        t("initiative.level"), name: "level", options: RecognitionLevel.allCases.map { ($0.rawValue, t($0.labelKey)) }, selected: nil, errors: v.errors,
                        includeBlank: true)
                    Components.textField(t("initiative.decisionNumber"), name: "decision_number", value: nil, errors: v.errors, required: true, hint: t("initiative.decisionNumberHint"))
                    Components.textField(t("initiative.decisionDate"), name: "decision_date", value: nil, errors: v.errors, required: true, hint: t("initiative.dateHint"))
                    Components.textField(t("initiative.decisionSigner"), name: "decision_signer", value: nil, errors: v.errors, required: true)
                    Components.textArea("decision_note", t("initiative.decisionNote"), value: "", errors: v.errors, required: false, rows: 2)
                    H.div(.class("actions")) { H.button(.type("submit")) { t("initiative.decide") } }
                }
            }
            // Replication
            if i.status == .recognised {
                H.h2 { t("initiative.adoptions") }
                if v.adoptions.isEmpty { H.p(.class("muted")) { t("initiative.noAdoptions") } } else {
                    let combined = v.adoptions.map(\.benefits).reduce(i.benefits, +)
                    H.p {
                        H.strong { t("initiative.combined") + ": " }
                        t("initiative.combinedValue", n(t, combined.hoursSaved), n(t, combined.costSaved), n(t, combined.dossiers))
                    }
                    H.div(.class("table-wrap")) {
                        H.table {
                            H.caption { t("initiative.adoptions") }
                            H.thead {
                                H.tr {
                                    th(t("column.unit")); th(t("initiative.adoptedOn")); th(t("initiative.effect")); th(t("initiative.hoursSaved"), num: true)
                                    th(t("initiative.costSaved"), num: true); th(t("initiative.dossiers"), num: true)
                                }
                            }
                            H.tbody {
                                for a in v.adoptions {
                                    H.tr {
                                        H.th(.attr("scope", "row")) { a.unit.name }
                                        H.td { day(a.adoptedOn) }
                                        H.td { a.effect }
                                        H.td(.class("num")) { n(t, a.hoursSaved) }
                                        H.td(.class("num")) { n(t, a.costSaved) }
                                        H.td(.class("num")) { n(t, a.dossiers) }
                                    }
                                }
                            }
                        }
                    }
                }
                if !v.adoptUnits.isEmpty {
                    H.form(.method("post"), .action(InitiativeURL.adoptions(id)), .class("card")) {
                        Layout.csrfField(ctx)
                        H.h3 { t("initiative.recordAdoption") }
                        Components.selectField(
                            t("column.unit"), name: "unit_id", options: v.adoptUnits.map { ($0.id?.uuidString ?? "", $0.name) }, selected: nil, errors: v.errors,
                            required: true, includeBlank: v.adoptUnits.count != 1)
                        Components.textField(t("initiative.adoptedOn"), name: "adopted_on", value: nil, errors: v.errors, required: true, hint: t("initiative.dateHint"))
                        Components.textArea("effect", t("initiative.effect"), value: "", errors: v.errors, rows: 3)
                        Components.textField(t("initiative.hoursSaved"), name: "hours_saved", value: nil, errors: v.errors)
                        Components.textField(t("initiative.costSaved"), name: "cost_saved", value: nil, errors: v.errors)
                        Components.textField(t("initiative.dossiers"), name: "dossiers", value: nil, errors: v.errors)
                        H.div(.class("actions")) { H.button(.type("submit")) { t("initiative.recordAdoption") } }
                    }
                }
            }
        }
    }

    // MARK: Review form

    static func review(_ ctx: PageContext, initiative i: Initiative, period: InitiativePeriod, blind: Bool, values: [String: String], comment: String,
                       errors: [Components.FieldError]) -> HTMLNode {
        let t = ctx.t
        let id = i.id ?? UUID()
        let rubric = period.rubric
        return Layout.page(ctx, title: t("initiative.scoreIt")) {
            H.p { H.a(.href(InitiativeURL.show(id))) { "← " + i.title } }
            H.h1 { t("initiative.scoreIt") }
            H.p(.class("lead")) { i.title }
            if blind { H.p(.class("notice")) { t("initiative.blindNotice") } }
            Components.errorSummary(t, errors)
            H.form(.method("post"), .action(InitiativeURL.review(id)), .class("card")) {
                Layout.csrfField(ctx)
                for c in rubric.criteria {
                    Components.textField(
                        c.name + " (0–" + pts(t, c.maxPoints) + ")", name: "score_" + c.code, value: values[c.code], errors: errors, required: true,
                        hint: t("initiative.scoreHint", pts(t, c.maxPoints)))
                }
                Components.textArea("comment", t("initiative.comment"), value: comment, errors: errors, required: false)
                H.div(.class("actions")) { H.button(.type("submit")) { t("initiative.saveScore") } }
            }
        }
    }

    // MARK: Spread

    struct SpreadRow: Sendable {
        let id: UUID
        let title: String
        let unit: String
        let level: RecognitionLevel?
        let decidedOn: String
        let spread: Spread
    }

    static func spread(_ ctx: PageContext, _ rows: [SpreadRow]) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: t("initiative.spread.title")) {
            H.p { H.a(.href(InitiativeURL.home)) { t("initiative.back") } }
            H.h1 { t("initiative.spread.title") }
            H.p(.class("hint")) { t("initiative.spread.hint") }
            if rows.isEmpty { H.p(.class("notice")) { t("initiative.none") } } else {
                H.div(.class("table-wrap")) {
                    H.table {
                        H.caption { t("initiative.spread.title") }
                        H.thead {
                            H.tr {
                                th(t("initiative.title")); th(t("column.unit")); th(t("initiative.level")); th(t("initiative.decisionDate"))
                                th(t("initiative.adopters"), num: true); th(t("initiative.hoursSaved"), num: true); th(t("initiative.costSaved"), num: true)
                                th(t("initiative.dossiers"), num: true); th(t("column.status"))
                            }
                        }
                        H.tbody {
                            for r in rows {
                                H.tr {
                                    H.th(.attr("scope", "row")) { H.a(.href(InitiativeURL.show(r.id))) { r.title } }
                                    H.td { r.unit }
                                    H.td { r.level.map { t($0.labelKey) } ?? "" }
                                    H.td { day(r.decidedOn) }
                                    H.td(.class("num")) { String(r.spread.adopters) }
                                    H.td(.class("num")) { n(t, r.spread.combined.hoursSaved) }
                                    H.td(.class("num")) { n(t, r.spread.combined.costSaved) }
                                    H.td(.class("num")) { n(t, r.spread.combined.dossiers) }
                                    H.td {
                                        if r.spread.stalled { H.span(.class("badge warn")) { t("initiative.spread.stalled") } } else if r.spread.adopters > 0 {
                                            H.span(.class("badge ok")) { t("initiative.spread.spreading") }
                                        } else { "—" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    // MARK: Periods

    static func periods(_ ctx: PageContext, _ list: [InitiativePeriod], form: InitiativeController.PeriodForm, errors: [Components.FieldError]) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: t("initiative.periods")) {
            Components.flash(t, ctx.flashKey)
            H.p { H.a(.href(InitiativeURL.home)) { t("initiative.back") } }
            H.h1 { t("initiative.periods") }
            if !list.isEmpty {
                H.div(.class("table-wrap")) {
                    H.table {
                        H.caption { t("initiative.periods") }
                        H.thead { H.tr { th(t("column.name")); th(t("perf.year")); th(t("initiative.phase")); th(t("initiative.blind")); th(t("initiative.nextPhase")) } }
                        H.tbody {
                            for p in list {
                                H.tr {
                                    H.th(.attr("scope", "row")) { p.name }
                                    H.td { String(p.year) }
                                    H.td { t(p.phase.labelKey) }
                                    H.td { p.blind ? t("form.yes") : t("form.no") }
                                    H.td {
                                        if let next = p.phase.next, let pid = p.id {
                                            H.form(.method("post"), .action(InitiativeURL.phase(pid)), .class("inline")) {
                                                Layout.csrfField(ctx)
                                                H.input(.type("hidden"), .name("from"), .value(p.phaseRaw))
                                                H.button(.type("submit"), .class("secondary"), .aria("label", t("initiative.moveTo", t(next.labelKey)) + " — " + p.name)) {
                                                    t("initiative.moveTo", t(next.labelKey))
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            Components.errorSummary(t, errors)
            H.form(.method("post"), .action(InitiativeURL.periods), .class("card")) {
                Layout.csrfField(ctx)
                H.h2 { t("initiative.newPeriod") }
                Components.textField(t("column.name"), name: "name", value: form.name, errors: errors, required: true)
                Components.textField(t("perf.year"), name: "year", value: form.year, errors: errors, required: true)
                H.div(.class("field")) {
                    H.label(.class("check")) {
                        H.input(.type("checkbox"), .name("blind"), .value("1"), .flag("checked", form.blind))
                        " " + t("initiative.blindLabel")
                    }
                }
                Components.textArea("rubric", t("initiative.rubric"), value: form.rubric, errors: errors, rows: 6, hint: t("initiative.rubricHint"))
                Components.textField(t("initiative.disagreement"), name: "disagreement", value: form.disagreement, errors: errors, required: true,
                                     hint: t("initiative.disagreementHint"))
                H.div(.class("actions")) { H.button(.type("submit")) { t("form.save") } }
            }
        }
    }

    // MARK: Library (public)

    struct LibraryRow {
        let initiative: Initiative
        let adopters: [String]
    }

    static func library(_ ctx: PageContext, rows: [LibraryRow], q: String, area: ContentArea?, type: InitiativeType?, unit: UUID?, year: Int?, units: [Unit],
                        years: [Int]) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: t("initiative.library.title")) {
            H.h1 { t("initiative.library.title") }
            H.p { t("initiative.library.intro") }
            H.form(.method("get"), .action(InitiativeURL.library), .class("filters"), .role("search")) {
                Components.textField(t("initiative.library.search"), name: "q", value: q)
                Components.selectField(
                    t("initiative.area"), name: "area", options: ContentArea.allCases.map { (String($0.rawValue), t($0.labelKey)) }, selected: area.map { String($0.rawValue) },
                    includeBlank: true, blankLabel: t("initiative.library.all"))
                Components.selectField(
                    t("initiative.type"), name: "type", options: InitiativeType.allCases.map { ($0.rawValue, t($0.labelKey)) }, selected: type?.rawValue,
                    includeBlank: true, blankLabel: t("initiative.library.all"))
                Components.selectField(
                    t("column.unit"), name: "unit", options: units.map { ($0.id?.uuidString ?? "", $0.name) }, selected: unit?.uuidString, includeBlank: true,
                    blankLabel: t("initiative.library.all"))
                Components.selectField(
                    t("perf.year"), name: "year", options: years.map { (String($0), String($0)) }, selected: year.map(String.init), includeBlank: true,
                    blankLabel: t("initiative.library.all"))
                H.div(.class("actions")) { H.button(.type("submit")) { t("initiative.library.find") } }
            }
            H.p(.role("status")) { t("initiative.library.count", String(rows.count)) }
            for r in rows {
                let i = r.initiative
                H.section(.class("card")) {
                    H.h2 { H.a(.href(InitiativeURL.libraryItem(i.id ?? UUID()))) { i.title } }
                    H.p(.class("muted")) {
                        i.unit.name + " · " + t(i.type.labelKey) + " · " + t(i.area.labelKey) + " · " + (i.level.map { t($0.labelKey) } ?? "") + " · "
                            + day(i.decisionDate)
                    }
                    H.p { String(i.solution.prefix(300)) + (i.solution.count > 300 ? "…" : "") }
                    H.p {
                        H.strong { t("initiative.adopters") + ": " }
                        r.adopters.isEmpty ? t("initiative.noAdoptions") : r.adopters.joined(separator: ", ")
                    }
                }
            }
        }
    }

    static func libraryItem(_ ctx: PageContext, _ i: Initiative, unit: String, authors: [InitiativeAuthor], adoptions: [InitiativeAdoption]) -> HTMLNode {
        let t = ctx.t
        let combined = adoptions.map(\.benefits).reduce(i.benefits, +)
        return Layout.page(ctx, title: i.title) {
            H.p { H.a(.href(InitiativeURL.library)) { t("initiative.library.back") } }
            H.h1 { i.title }
            Components.facts([
                (t("column.unit"), unit), (t("initiative.type"), t(i.type.labelKey)), (t("initiative.area"), t(i.area.labelKey)),
                (t("initiative.level"), i.level.map { t($0.labelKey) } ?? ""),
                (t("initiative.decisionNumber"), (i.decisionNumber ?? "") + " · " + day(i.decisionDate)),
                (t("initiative.authors"), authors.sorted { $0.position < $1.position }.map(\.name).joined(separator: ", ")),
                (t("initiative.combined"), t("initiative.combinedValue", n(t, combined.hoursSaved), n(t, combined.costSaved), n(t, combined.dossiers))),
            ])
            prose(t, i, replicability: false)
            H.h2 { t("initiative.adoptions") }
            if adoptions.isEmpty { H.p(.class("muted")) { t("initiative.noAdoptions") } } else {
                H.ul { for a in adoptions { H.li { a.unit.name + " (" + day(a.adoptedOn) + "): " + a.effect } } }
            }
        }
    }
}
