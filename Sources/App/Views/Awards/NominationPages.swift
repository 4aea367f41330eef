import Foundation
import ThiDuaCore

enum NominationPages {
    static func th(_ s: String) -> HTMLNode { SurveyAdminPages.th(s, num: false) }

    static func stateBadge(_ t: Localizer, _ s: NominationState) -> HTMLNode {
        H.span(.class(s == .returned ? "badge warn" : [.decided, .published].contains(s) ? "badge ok" : "badge")) { t(s.labelKey) }
    }

    static func awardName(_ c: AwardCatalogue, _ code: String) -> String { c.types.first { $0.code == code }?.name ?? code }

    // MARK: Movements

    static func movements(_ ctx: PageContext, _ list: [AwardMovement], canManage: Bool, errors: [Components.FieldError], values: [String: String], year: Int)
        -> HTMLNode
    {
        let t = ctx.t
        return Layout.page(ctx, title: t("movement.title")) {
            H.p { H.a(.href(AwardURL.home)) { t("award.back") } }
            Components.flash(t, ctx.flashKey)
            H.h1 { t("movement.title") }
            H.p { t("movement.intro") }
            if list.isEmpty {
                H.p { t("movement.none") }
            } else {
                H.div(.class("table-wrap")) {
                    H.table {
                        H.caption { t("movement.title") }
                        H.thead { H.tr { th(t("column.name")); th(t("movement.kind")); th(t("award.year")); th(t("movement.decision")); th(t("movement.quotas")) } }
                        H.tbody {
                            for m in list {
                                H.tr {
                                    H.th(.attr("scope", "row")) { H.a(.href(NominationURL.movement(m.id!))) { m.name } }
                                    H.td { t("movement.kind." + m.kind) }
                                    H.td { String(m.year) }
                                    H.td { m.decisionNumber + " — " + (CivilDate(parsing: m.decisionDate)?.vietnamese ?? m.decisionDate) }
                                    H.td { m.quotas.isEmpty ? "—" : m.quotas }
                                }
                            }
                        }
                    }
                }
            }
            if canManage {
                Components.errorSummary(t, errors)
                H.form(.method("post"), .action(NominationURL.movements), .class("card")) {
                    Layout.csrfField(ctx)
                    H.h2 { t("movement.new") }
                    Components.textField(t("column.name"), name: "name", value: values["name"], errors: errors, required: true, hint: t("movement.nameHint"))
                    Components.selectField(t("movement.kind"), name: "kind", options: MovementKind.allCases.map { ($0.rawValue, t($0.labelKey)) },
                                           selected: values["kind"] ?? "regular", errors: errors, required: true)
                    Components.textField(t("award.year"), name: "year", value: values["year"] ?? String(year), errors: errors, required: true)
                    Components.textField(t("movement.decisionNumber"), name: "decision_number", value: values["decision_number"], errors: errors, required: true,
                                         hint: t("movement.decisionNumberHint"))
                    Components.textField(t("movement.decisionDate"), name: "decision_date", value: values["decision_date"], errors: errors, required: true,
                                         type: "date")
                    Components.textField(t("movement.starts"), name: "starts", value: values["starts"], errors: errors, required: true, type: "date")
                    Components.textField(t("movement.ends"), name: "ends", value: values["ends"], errors: errors, required: true, type: "date")
                    Components.textArea("objectives", t("movement.objectives"), value: values["objectives"] ?? "", errors: errors, required: false)
                    Components.textField(t("movement.quotas"), name: "quotas", value: values["quotas"], errors: errors, hint: t("movement.quotasHint"))
                    Components.textField(t("movement.commentDays"), name: "comment_days", value: values["comment_days"] ?? "10", errors: errors, required: true,
                                         hint: t("movement.commentDaysHint"))
                    H.div(.class("actions")) { H.button(.type("submit")) { t("form.save") } }
                }
            }
        }
    }

    static func movement(
        _ ctx: PageContext, _ m: AwardMovement, nominations: [AwardNomination], nomineeCounts: [UUID: Int], writable: [Unit], manager: Bool,
        sessions: [CouncilSession], registrations: [AwardRegistration], pledges: [AwardPledge], blocks: [EmulationBlock], decisions: [AwardDecision], councillors: [User], ballotReady: Int, passedWithoutDecision: Int,
        catalogue: AwardCatalogue, today: CivilDate, error: String?
    ) -> HTMLNode {
        let t = ctx.t
        let id = m.id!
        return Layout.page(ctx, title: m.name) {
            H.p { H.a(.href(NominationURL.movements)) { t("movement.back") } }
            Components.flash(t, ctx.flashKey)
            if let error { H.div(.class("error-summary"), .role("alert"), .attr("tabindex", "-1")) { H.p { error } } }
            H.h1 { m.name }
            Components.facts([
                (t("movement.kind"), t("movement.kind." + m.kind)), (t("award.year"), String(m.year)),
                (t("movement.decision"), m.decisionNumber + " — " + (CivilDate(parsing: m.decisionDate)?.vietnamese ?? "")),
                (t("movement.period"), (CivilDate(parsing: m.starts)?.vietnamese ?? "") + " – " + (CivilDate(parsing: m.ends)?.vietnamese ?? "")),
                (t("movement.quotas"), m.quotaTable.isEmpty ? t("movement.noQuota")
                    : m.quotaTable.keys.sorted().map { awardName(catalogue, $0) + ": " + String(m.quotaTable[$0]!) }.joined(separator: "; ")),
                (t("movement.comment"), m.commentFrom.flatMap(CivilDate.init(parsing:)).map { f in
                    f.vietnamese + " – " + (m.commentUntil.flatMap(CivilDate.init(parsing:))?.vietnamese ?? "") } ?? t("movement.commentNotYet")),
            ])
            if !m.objectives.isEmpty { H.p { m.objectives } }
            H.p(.class("actions")) {
                H.a(.class("button"), .href(EmulationURL.scores(id))) { t("emulation.title") }
                H.a(.href(EmulationURL.review(id) + "?kind=midterm")) { t("review.midterm") }
                H.a(.href(EmulationURL.review(id) + "?kind=final")) { t("review.final") }
            }

            H.h2 { t("registration.title") }
            if registrations.isEmpty { H.p { t("registration.none") } } else {
                H.div(.class("table-wrap")) {
                    H.table {
                        H.caption { t("registration.title") }
                        H.thead { H.tr { th(t("column.unit")); th(t("nomination.holder")); th(t("award.type")); th(t("registration.targets")) } }
                        H.tbody {
                            for r in registrations {
                                H.tr {
                                    H.td { r.unit.name }
                                    H.th(.attr("scope", "row")) { r.holderName }
                                    H.td { awardName(catalogue, r.awardCode) }
                                    H.td { r.targets }
                                }
                            }
                        }
                    }
                }
            }
            if !writable.isEmpty {
                H.form(.method("post"), .action(EmulationURL.registrations(id)), .class("card")) {
                    Layout.csrfField(ctx)
                    H.h3 { t("registration.new") }
                    Components.selectField(t("column.unit"), name: "reg_unit", options: writable.map { ($0.id!.uuidString, $0.name) }, selected: nil, required: true)
                    Components.selectField(t("award.type"), name: "reg_award",
                                           options: catalogue.types.map { ($0.code, $0.name + " — " + t("award.subject." + $0.subject.rawValue)) }, selected: nil, required: true)
                    Components.textField(t("nomination.holder"), name: "reg_holder", value: nil, hint: t("registration.holderHint"))
                    Components.textArea("reg_targets", t("registration.targets"), value: "", errors: [], rows: 3, hint: t("registration.targetsHint"))
                    H.div(.class("actions")) { H.button(.type("submit")) { t("registration.register") } }
                }
            }

            H.h2 { t("pledge.title") }
            if pledges.isEmpty { H.p { t("pledge.none") } }
            for p in pledges {
                H.section(.class("card")) {
                    H.h3 { p.block.name + " — " + (CivilDate(parsing: p.signedOn)?.vietnamese ?? p.signedOn) }
                    H.p { p.content }
                    H.p(.class("hint")) { t("pledge.signedBy", p.signatories.split(whereSeparator: \.isNewline).joined(separator: ", ")) }
                }
            }
            if manager && !blocks.isEmpty {
                H.form(.method("post"), .action(EmulationURL.pledges(id)), .class("card")) {
                    Layout.csrfField(ctx)
                    H.h3 { t("pledge.new") }
                    Components.selectField(t("emulation.block"), name: "block", options: blocks.map { ($0.id!.uuidString, $0.name) }, selected: nil, required: true)
                    Components.textField(t("pledge.signedOn"), name: "signed_on", value: today.iso, required: true, type: "date")
                    Components.textArea("content", t("pledge.content"), value: "", errors: [], rows: 4)
                    H.div(.class("actions")) { H.button(.type("submit")) { t("form.save") } }
                }
            }

            H.h2 { t("nomination.title") }
            if nominations.isEmpty { H.p { t("nomination.none") } } else {
                H.div(.class("table-wrap")) {
                    H.table {
                        H.caption { t("nomination.title") }
                        H.thead { H.tr { th(t("column.unit")); th(t("nomination.state")); th(t("nomination.nominees")) } }
                        H.tbody {
                            for n in nominations {
                                H.tr {
                                    H.th(.attr("scope", "row")) { H.a(.href(NominationURL.nomination(n.id!))) { n.unit.name } }
                                    H.td { stateBadge(t, n.state) }
                                    H.td(.class("num")) { String(nomineeCounts[n.id!] ?? 0) }
                                }
                            }
                        }
                    }
                }
            }
            if !writable.isEmpty {
                H.form(.method("post"), .action(NominationURL.nominations(id)), .class("card")) {
                    Layout.csrfField(ctx)
                    H.h3 { t("nomination.new") }
                    Components.selectField(t("column.unit"), name: "unit", options: writable.map { ($0.id!.uuidString, $0.name) }, selected: nil, required: true)
                    H.div(.class("actions")) { H.button(.type("submit")) { t("nomination.open") } }
                }
            }
            if manager {
                H.section(.class("card")) {
                    H.h2 { t("movement.comment") }
                    H.p(.class("hint")) { t("movement.commentHint", String(m.commentDays)) }
                    H.form(.method("post"), .action(NominationURL.comment(id))) {
                        Layout.csrfField(ctx)
                        Components.textField(t("movement.commentFrom"), name: "comment_from", value: today.iso, required: true, type: "date",
                                             hint: t("movement.commentFromHint"))
                        H.div(.class("actions")) { H.button(.type("submit")) { t("movement.openComment") } }
                    }
                }
            }

            H.h2 { t("council.sessions") }
            if sessions.isEmpty { H.p { t("council.none") } } else {
                H.ul {
                    for s in sessions {
                        H.li { H.a(.href(CouncilURL.session(s.id!))) { s.title + " — " + (CivilDate(parsing: s.heldOn)?.vietnamese ?? "") }; " · " + t("council.state." + s.state) }
                    }
                }
            }
            if manager {
                H.form(.method("post"), .action(NominationURL.sessions(id)), .class("card")) {
                    Layout.csrfField(ctx)
                    H.h3 { t("council.new") }
                    H.p(.class("hint")) { t("council.newHint", String(ballotReady)) }
                    Components.textField(t("council.titleField"), name: "title", value: t("council.defaultTitle", String(m.year)), required: true)
                    Components.textField(t("council.heldOn"), name: "held_on", value: today.iso, required: true, type: "date")
                    Components.textField(t("council.place"), name: "place", value: nil)
                    Components.textField(t("council.chair"), name: "chair", value: nil, required: true)
                    Components.textField(t("council.secretary"), name: "secretary", value: nil, required: true)
                    Components.selectField(t("council.mode"), name: "mode", options: [("online", t("council.mode.online")), ("paper", t("council.mode.paper"))],
                                           selected: "online", required: true)
                    Components.textField(t("council.quorum"), name: "quorum", value: "2/3", required: true, hint: t("council.quorumHint"))
                    H.fieldset {
                        H.legend { t("council.members") }
                        if councillors.isEmpty { H.p { t("council.noCouncillors") } }
                        H.div(.class("table-wrap")) {
                            H.table {
                                H.caption { t("council.members") }
                                H.thead { H.tr { th(t("council.member")); th(t("council.inSession")); th(t("council.present")) } }
                                H.tbody {
                                    for u in councillors {
                                        H.tr {
                                            H.th(.attr("scope", "row")) { u.displayName }
                                            H.td { H.input(.type("checkbox"), .name("members[]"), .value(u.id!.uuidString), .attr("checked", "checked"),
                                                           .aria("label", t("council.inSession") + ": " + u.displayName)) }
                                            H.td { H.input(.type("checkbox"), .name("present[]"), .value(u.id!.uuidString), .attr("checked", "checked"),
                                                           .aria("label", t("council.present") + ": " + u.displayName)) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    H.div(.class("actions")) { H.button(.type("submit")) { t("council.open") } }
                }
            }

            H.h2 { t("decision.title") }
            if decisions.isEmpty { H.p { t("decision.none") } } else {
                H.ul {
                    for d in decisions {
                        H.li {
                            H.a(.href(DecisionURL.decision(d.id!))) { d.awardName }
                            " · " + t("decision.state." + d.state) + (d.number.map { " · " + t("decision.numbered", $0) } ?? "")
                        }
                    }
                }
            }
            if manager && passedWithoutDecision > 0 {
                H.form(.method("post"), .action(NominationURL.decisions(id)), .class("card")) {
                    Layout.csrfField(ctx)
                    H.h3 { t("decision.draft") }
                    H.p(.class("hint")) { t("decision.draftHint", String(passedWithoutDecision)) }
                    Components.textField(t("decision.quotaOverride"), name: "quota_override", value: nil, hint: t("decision.quotaOverrideHint"))
                    H.div(.class("actions")) { H.button(.type("submit")) { t("decision.draftIt") } }
                }
            }
        }
    }

    // MARK: A dossier

    static func nomination(
        _ ctx: PageContext, _ n: AwardNomination, movement m: AwardMovement, unitName: String, nominees: [AwardNominee], registrations: [AwardRegistration],
        evidence: [AwardEvidence],
        catalogue: AwardCatalogue,
        canEdit: Bool, canSubmit: Bool, manager: Bool, errors: [Components.FieldError], values: [String: String]
    ) -> HTMLNode {
        let t = ctx.t
        let id = n.id!
        return Layout.page(ctx, title: t("nomination.of", unitName)) {
            H.p { H.a(.href(NominationURL.movement(m.id!))) { m.name } }
            Components.flash(t, ctx.flashKey)
            H.h1 { t("nomination.of", unitName) }
            H.p { t("nomination.state") + ": "; stateBadge(t, n.state) }
            if let reason = n.returnReason, n.state == .returned { H.div(.class("notice"), .role("status")) { H.p { t("nomination.returnedBecause", reason) } } }
            Components.errorSummary(t, errors)
            Components.facts([
                (t("nomination.letter"), (n.letterNumber ?? "—") + (n.letterDate.flatMap(CivilDate.init(parsing:)).map { " — " + $0.vietnamese } ?? "")),
                (t("nomination.quotaOverride"), n.quotaOverride ?? "—"),
            ])
            H.h2 { t("nomination.nominees") }
            if nominees.isEmpty { H.p { t("nomination.noNominees") } }
            for x in nominees {
                H.section(.class("card")) {
                    H.h3 { x.holderName + " — " + awardName(catalogue, x.awardCode) }
                    H.p {
                        t("award.overall") + ": "
                        AwardPages.badge(t, RuleStatus(rawValue: x.overall) ?? .needsConfirmation)
                        if let r = x.result { " · " + t("nomination.result." + r) + (x.yesVotes.map { " (" + t("nomination.yes", String($0)) + ")" } ?? "") }
                    }
                    H.p { x.achievements }
                    // The registration at the start of the year, shown at review time.
                    if let r = registrations.first(where: { r in
                        r.awardCode == x.awardCode && ((x.personID != nil && r.personID == x.personID) || (x.unitID != nil && r.holderUnitID == x.unitID))
                    }) {
                        H.p { H.span(.class("badge ok")) { t("registration.registered", r.targets) } }
                    } else if x.personID != nil || x.unitID != nil {
                        H.p { H.span(.class("badge")) { t("registration.notRegistered") } }
                    }
                    if let o = x.overrideReason { H.p { H.strong { t("nomination.override") + ": " }; o } }
                    H.p(.class("hint")) { t("nomination.rulesVersion", x.rulesVersion) }
                    H.div(.class("table-wrap")) {
                        H.table {
                            H.caption { t("award.rules") + " — " + x.holderName }
                            H.thead { H.tr { th(t("award.rule")); th(t("award.result")); th(t("award.data")) } }
                            H.tbody {
                                for c in x.checked {
                                    H.tr {
                                        H.th(.attr("scope", "row")) { AwardPages.describe(t, c.rule) }
                                        H.td { AwardPages.badge(t, c.result.status) }
                                        H.td { t(c.result.key, arguments: AwardPages.readable(t, c.result)) }
                                    }
                                }
                            }
                        }
                    }
                    if canEdit {
                        H.form(.method("post"), .action(NominationURL.removeNominee(x.id!))) {
                            Layout.csrfField(ctx)
                            H.button(.type("submit"), .class("secondary")) { t("nomination.remove") }
                        }
                    }
                }
            }
            if canEdit {
                H.form(.method("post"), .action(NominationURL.nominees(id)), .class("card")) {
                    Layout.csrfField(ctx)
                    H.h2 { t("nomination.addNominee") }
                    Components.selectField(t("award.type"), name: "award",
                                           options: catalogue.types.filter(\.decidedByProvince).map { ($0.code, $0.name + " — " + t("award.subject." + $0.subject.rawValue)) },
                                           selected: values["award"], errors: errors, required: true)
                    Components.textField(t("nomination.holder"), name: "holder", value: values["holder"], errors: errors, required: true, hint: t("nomination.holderHint"))
                    Components.textArea("achievements", t("nomination.achievements"), value: values["achievements"] ?? "", errors: errors)
                    H.div(.class("field")) {
                        H.label(.class("check")) { H.input(.type("checkbox"), .name("women"), .value("on"), .flag("checked", values["women"] == "on")); " " + t("nomination.women") }
                        H.label(.class("check")) {
                            H.input(.type("checkbox"), .name("grassroots"), .value("on"), .flag("checked", values["grassroots"] == "on")); " " + t("nomination.grassroots")
                        }
                    }
                    Components.textField(t("nomination.override"), name: "override_reason", value: values["override_reason"], errors: errors,
                                         hint: t("nomination.overrideHint"))
                    H.div(.class("actions")) { H.button(.type("submit")) { t("nomination.addIt") } }
                }
                H.form(.method("post"), .action(NominationURL.nomination(id)), .class("card")) {
                    Layout.csrfField(ctx)
                    H.h2 { t("nomination.dossier") }
                    Components.textField(t("nomination.letterNumber"), name: "letter_number", value: values["letter_number"] ?? n.letterNumber, errors: errors,
                                         hint: t("nomination.letterHint"))
                    Components.textField(t("nomination.letterDate"), name: "letter_date", value: values["letter_date"] ?? n.letterDate, errors: errors, type: "date")
                    Components.textArea("report", t("nomination.report"), value: values["report"] ?? n.report, errors: errors, required: false, rows: 8,
                                        hint: t("nomination.reportHint"))
                    Components.textArea("council_minutes", t("nomination.minutes"), value: values["council_minutes"] ?? n.councilMinutes, errors: errors,
                                        required: false, hint: t("nomination.minutesHint"))
                    H.div(.class("actions")) { H.button(.type("submit")) { t("form.save") } }
                }
            } else {
                H.section(.class("card")) {
                    H.h2 { t("nomination.dossier") }
                    H.h3 { t("nomination.report") }
                    H.p { n.report.isEmpty ? "—" : n.report }
                    H.h3 { t("nomination.minutes") }
                    H.p { n.councilMinutes.isEmpty ? "—" : n.councilMinutes }
                }
            }
            H.h2 { t("nomination.evidence") }
            if evidence.isEmpty { H.p { t("nomination.noEvidence") } } else {
                H.ul {
                    for e in evidence {
                        H.li {
                            if e.sha256 != nil { H.a(.href(NominationURL.evidenceFile(e.id!))) { e.fileName ?? t("initiative.file") } }
                            if let number = e.docNumber {
                                " " + number + (e.docDate.flatMap(CivilDate.init(parsing:)).map { " — " + $0.vietnamese } ?? "") + (e.docIssuer.map { " — " + $0 } ?? "")
                            }
                        }
                    }
                }
            }
            if canEdit { Components.evidenceForm(ctx, action: NominationURL.evidence(id), title: t("nomination.addEvidence")) }
            if canSubmit {
                H.form(.method("post"), .action(NominationURL.step(id, .submit)), .class("card")) {
                    Layout.csrfField(ctx)
                    H.h2 { t("nomination.send") }
                    Components.textField(t("nomination.quotaOverride"), name: "quota_override", value: values["quota_override"], hint: t("nomination.quotaHint"))
                    H.div(.class("actions")) { H.button(.type("submit")) { t("nomination.submit") } }
                }
            }
            if manager {
                H.section(.class("card")) {
                    H.h2 { t("nomination.handle") }
                    H.div(.class("actions")) {
                        for step in [NominationStep.receive, .review] where NominationFlow.next(step, from: n.state) != nil {
                            H.form(.method("post"), .action(NominationURL.step(id, step))) {
                                Layout.csrfField(ctx)
                                H.button(.type("submit")) { t("nomination.step." + step.rawValue) }
                            }
                        }
                    }
                    if NominationFlow.next(.returnForCompletion, from: n.state) != nil {
                        H.form(.method("post"), .action(NominationURL.step(id, .returnForCompletion))) {
                            Layout.csrfField(ctx)
                            Components.textArea("reason", t("nomination.returnReason"), value: "", errors: [], rows: 3)
                            H.div(.class("actions")) { H.button(.type("submit"), .class("secondary")) { t("nomination.step.return") } }
                        }
                    }
                }
            }
        }
    }

    // MARK: Public

    static func honours(_ ctx: PageContext, candidates: [(AwardMovement, [(AwardNominee, String)])], decisions: [(AwardDecision, [AwardNominee])],
                        catalogue: AwardCatalogue) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: t("honours.title")) {
            H.h1 { t("honours.title") }
            H.p { t("honours.intro") }
            H.h2 { t("honours.candidates") }
            if candidates.allSatisfy({ $0.1.isEmpty }) { H.p { t("honours.noCandidates") } }
            for (m, list) in candidates where !list.isEmpty {
                H.section(.class("card")) {
                    H.h3 { m.name }
                    H.p(.class("hint")) {
                        t("honours.until", CivilDate(parsing: m.commentUntil ?? "")?.vietnamese ?? "")
                    }
                    H.div(.class("table-wrap")) {
                        H.table {
                            H.caption { t("honours.candidates") + " — " + m.name }
                            H.thead { H.tr { th(t("nomination.holder")); th(t("column.unit")); th(t("award.type")); th(t("nomination.achievements")) } }
                            H.tbody {
                                for (x, unit) in list {
                                    H.tr {
                                        H.th(.attr("scope", "row")) { x.holderName }
                                        H.td { unit }
                                        H.td { awardName(catalogue, x.awardCode) }
                                        H.td { String(x.achievements.prefix(400)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            H.h2 { t("honours.decisions") }
            if decisions.isEmpty { H.p { t("honours.noDecisions") } }
            for (d, list) in decisions {
                H.section(.class("card")) {
                    H.h3 { t("honours.decision", d.number ?? "", CivilDate(parsing: d.signedOn ?? "")?.vietnamese ?? "", d.awardName) }
                    if d.state == "revoked" { H.p { H.span(.class("badge warn")) { t("decision.state.revoked") } } }
                    H.ul { for x in list { H.li { x.holderName } } }
                }
            }
        }
    }
}
