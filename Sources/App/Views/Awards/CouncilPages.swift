import Foundation
import ThiDuaCore

enum CouncilPages {
    static func th(_ s: String) -> HTMLNode { SurveyAdminPages.th(s, num: false) }

    static func session(_ ctx: PageContext, _ l: CouncilController.Loaded, me: CouncilMember?, manager: Bool, catalogue: AwardCatalogue,
                        outcomes: [UUID: VoteOutcome], error: String?) -> HTMLNode {
        let t = ctx.t
        let s = l.session
        let id = s.id!
        let nominees = l.tallies.compactMap { l.nominees[$0.$nominee.id] }.sorted { ($0.awardCode, $0.holderName) < ($1.awardCode, $1.holderName) }
        let tallies = Dictionary(l.tallies.map { ($0.$nominee.id, $0) }, uniquingKeysWith: { a, _ in a })
        let myRecusals = Set(l.recusals.filter { $0.$user.id == me?.$user.id }.map(\.$nominee.id))
        let voted = l.members.filter(\.voted).count
        return Layout.page(ctx, title: s.title) {
            H.p { H.a(.href(NominationURL.movement(l.movement.id!))) { l.movement.name } }
            Components.flash(t, ctx.flashKey)
            if let error { H.div(.class("error-summary"), .role("alert"), .attr("tabindex", "-1")) { H.p { error } } }
            H.h1 { s.title }
            Components.facts([
                (t("council.heldOn"), CivilDate(parsing: s.heldOn)?.vietnamese ?? s.heldOn), (t("council.place"), s.place.isEmpty ? "—" : s.place),
                (t("council.chair"), s.chair), (t("council.secretary"), s.secretary), (t("council.mode"), t("council.mode." + s.mode)),
                (t("council.quorum"), s.quorum), (t("council.stateLabel"), t("council.state." + s.state)),
                (t("council.attendance"), t("council.attendanceValue", String(l.members.filter(\.present).count), String(l.members.count), String(voted))),
            ])
            H.h2 { t("council.members") }
            H.ul {
                for m in l.members {
                    H.li { m.name + " — " + (m.present ? t("council.present") : t("council.absent")) + (m.voted ? " · " + t("council.hasVoted") : "") }
                }
            }
            if !l.recusals.isEmpty {
                H.h2 { t("council.recusals") }
                H.ul {
                    for r in l.recusals {
                        H.li { (l.members.first { $0.$user.id == r.$user.id }?.name ?? "") + " — " + (l.nominees[r.$nominee.id]?.holderName ?? "") + ": " + r.reason }
                    }
                }
            }
            if let me, s.isOpen, !s.isPaper {
                if me.voted {
                    H.div(.class("notice"), .role("status")) { H.p { t("council.youVoted") } }
                } else if !me.present {
                    H.p { t("council.error.absent") }
                } else {
                    H.form(.method("post"), .action(CouncilURL.ballot(id)), .class("card")) {
                        Layout.csrfField(ctx)
                        H.h2 { t("council.ballot") }
                        H.p(.class("hint")) { t("council.ballotHint") }
                        for x in nominees where !myRecusals.contains(x.id!) {
                            H.fieldset {
                                H.legend { x.holderName + " — " + NominationPages.awardName(catalogue, x.awardCode) }
                                for c in BallotChoice.allCases {
                                    H.label(.class("check")) {
                                        H.input(.type("radio"), .name("n-" + x.id!.uuidString), .value(c.rawValue), .flag("required", true))
                                        " " + t(c.labelKey)
                                    }
                                }
                            }
                        }
                        H.div(.class("actions")) { H.button(.type("submit")) { t("council.castBallot") } }
                    }
                    H.form(.method("post"), .action(CouncilURL.recuse(id)), .class("card")) {
                        Layout.csrfField(ctx)
                        H.h2 { t("council.recuse") }
                        Components.selectField(t("council.nominee"), name: "nominee", options: nominees.filter { !myRecusals.contains($0.id!) }.map { ($0.id!.uuidString, $0.holderName) },
                                               selected: nil, required: true)
                        Components.textField(t("award.reason"), name: "reason", value: nil, required: true, hint: t("council.recuseHint"))
                        H.div(.class("actions")) { H.button(.type("submit"), .class("secondary")) { t("council.recuseIt") } }
                    }
                }
            }
            if manager && s.isOpen && s.isPaper {
                H.form(.method("post"), .action(CouncilURL.paper(id)), .class("card")) {
                    Layout.csrfField(ctx)
                    H.h2 { t("council.paperCounts") }
                    H.div(.class("table-wrap")) {
                        H.table {
                            H.caption { t("council.paperCounts") }
                            H.thead { H.tr { th(t("council.nominee")); th(t("ballot.yes")); th(t("ballot.no")); th(t("ballot.abstain")) } }
                            H.tbody {
                                for x in nominees {
                                    let v = tallies[x.id!]?.tally ?? Tally()
                                    H.tr {
                                        H.th(.attr("scope", "row")) { x.holderName }
                                        for (k, value, label) in [("y", v.yes, "ballot.yes"), ("no", v.no, "ballot.no"), ("a", v.abstain, "ballot.abstain")] {
                                            H.td { H.input(.type("number"), .attr("min", "0"), .name(k + "-" + x.id!.uuidString), .value(String(value)),
                                                           .aria("label", t(label) + ": " + x.holderName)) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    H.div(.class("actions")) { H.button(.type("submit")) { t("form.save") } }
                }
            }
            if manager && s.isOpen {
                H.form(.method("post"), .action(CouncilURL.close(id)), .class("card")) {
                    Layout.csrfField(ctx)
                    H.h2 { t("council.closeTitle") }
                    H.p(.class("hint")) { t("council.closeHint") }
                    H.div(.class("actions")) { H.button(.type("submit")) { t("council.close") } }
                }
            }
            if !s.isOpen {
                H.h2 { t("council.results") }
                H.div(.class("table-wrap")) {
                    H.table {
                        H.caption { t("council.results") }
                        H.thead { H.tr { th(t("council.nominee")); th(t("award.type")); th(t("ballot.yes")); th(t("ballot.no")); th(t("ballot.abstain")); th(t("council.needed")); th(t("award.result")) } }
                        H.tbody {
                            for x in nominees {
                                let v = tallies[x.id!]?.tally ?? Tally()
                                let o = outcomes[x.id!]
                                H.tr {
                                    H.th(.attr("scope", "row")) { x.holderName }
                                    H.td { NominationPages.awardName(catalogue, x.awardCode) }
                                    H.td(.class("num")) { String(v.yes) }
                                    H.td(.class("num")) { String(v.no) }
                                    H.td(.class("num")) { String(v.abstain) }
                                    H.td(.class("num")) { o.map { String($0.needed) } ?? "" }
                                    H.td { H.span(.class(o?.passed == true ? "badge ok" : "badge warn")) { t(o?.passed == true ? "nomination.result.passed" : o?.quorum == false ? "council.noQuorum" : "nomination.result.failed") } }
                                }
                            }
                        }
                    }
                }
                H.p { H.a(.class("button"), .href(CouncilURL.minutes(id))) { t("council.minutesDocx") } }
            }
        }
    }
}

enum DecisionPages {
    static func decision(_ ctx: PageContext, _ l: DecisionController.Loaded, records: [AwardRecord], manager: Bool, errors: [Components.FieldError],
                         values: [String: String]) -> HTMLNode {
        let t = ctx.t
        let d = l.decision
        let id = d.id!
        return Layout.page(ctx, title: t("decision.of", d.awardName)) {
            H.p { H.a(.href(NominationURL.movement(l.movement.id!))) { l.movement.name } }
            Components.flash(t, ctx.flashKey)
            H.h1 { t("decision.of", d.awardName) }
            Components.facts([
                (t("decision.stateLabel"), t("decision.state." + d.state)), (t("decision.number"), d.number ?? "—"),
                (t("decision.signedOn"), d.signedOn.flatMap(CivilDate.init(parsing:))?.vietnamese ?? "—"), (t("decision.signer"), d.signer ?? "—"),
                (t("decision.quotaOverride"), d.quotaOverride ?? "—"),
            ])
            H.div(.class("table-wrap")) {
                H.table {
                    H.caption { t("decision.list") }
                    H.thead { H.tr { SurveyAdminPages.th("STT", num: true); SurveyAdminPages.th(t("nomination.holder")); SurveyAdminPages.th(t("column.unit"))
                        SurveyAdminPages.th(t("ballot.yes"), num: true); SurveyAdminPages.th(t("decision.certificate")) } }
                    H.tbody {
                        for (i, x) in l.nominees.enumerated() {
                            let record = records.first { $0.nomineeID == x.id }
                            H.tr {
                                H.td(.class("num")) { String(i + 1) }
                                H.th(.attr("scope", "row")) { x.holderName }
                                H.td { l.units[x.$nomination.id] ?? "" }
                                H.td(.class("num")) { x.yesVotes.map(String.init) ?? "" }
                                H.td { if let r = record, let rid = r.id { H.a(.href(DecisionURL.certificate(rid))) { t("decision.print") } } else { "—" } }
                            }
                        }
                    }
                }
            }
            H.p(.class("hint")) { t("decision.orderHint") }
            H.p { H.a(.class("button"), .href(DecisionURL.docx(id))) { d.state == "draft" ? t("decision.draftDocx") : t("decision.docx") } }
            Components.errorSummary(t, errors)
            if manager && d.state == "draft" {
                H.form(.method("post"), .action(DecisionURL.sign(id)), .class("card")) {
                    Layout.csrfField(ctx)
                    H.h2 { t("decision.sign") }
                    H.p(.class("hint")) { t("decision.signHint") }
                    Components.textField(t("decision.number"), name: "number", value: values["number"], errors: errors, required: true, hint: t("decision.numberHint"))
                    Components.textField(t("decision.signedOn"), name: "signed_on", value: values["signed_on"], errors: errors, required: true, type: "date")
                    Components.textField(t("decision.signer"), name: "signer", value: values["signer"], errors: errors, required: true)
                    H.div(.class("actions")) { H.button(.type("submit")) { t("decision.record") } }
                }
            }
            if manager && (d.state == "signed" || d.state == "published") {
                H.form(.method("post"), .action(DecisionURL.revoke(id)), .class("card")) {
                    Layout.csrfField(ctx)
                    H.h2 { t("decision.revoke") }
                    H.p(.class("hint")) { t("decision.revokeHint") }
                    AwardPages.revocationFields(t)
                    H.div(.class("actions")) { H.button(.type("submit"), .class("secondary")) { t("decision.revokeIt") } }
                }
            }
            if d.state == "revoked", let r = records.first, let on = r.revokedOn {
                H.div(.class("notice"), .role("status")) {
                    H.p { t("decision.revokedNotice", CivilDate(parsing: on)?.vietnamese ?? on, r.revokedByDecision ?? "", r.revokedReason ?? "") }
                }
            }
            if manager && d.state == "signed" {
                H.form(.method("post"), .action(DecisionURL.publish(id)), .class("card")) {
                    Layout.csrfField(ctx)
                    H.h2 { t("decision.publish") }
                    H.p(.class("hint")) { t("decision.publishHint") }
                    H.div(.class("actions")) { H.button(.type("submit")) { t("decision.publishIt") } }
                }
            }
        }
    }

    /// A certificate on A4 landscape: the issuer, the award, the holder, the decision.
    static func certificate(_ ctx: PageContext, _ r: AwardRecord, holder: String, unit: String, province: OfficialDocuments.Province) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: t("decision.certificate") + " — " + holder) {
            H.p(.class("actions")) { H.a(.href(AwardURL.registry)) { t("award.registry") } }
            H.div(.class("certificate")) {
                H.p(.class("cert-issuer")) { province.people }
                H.p(.class("cert-motto")) { "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" }
                H.p(.class("cert-motto2")) { "Độc lập - Tự do - Hạnh phúc" }
                H.h1(.class("cert-award")) { r.awardName.uppercased() }
                H.p(.class("cert-to")) { t("cert.to") }
                H.p(.class("cert-holder")) { holder }
                if !unit.isEmpty { H.p(.class("cert-unit")) { unit } }
                H.p(.class("cert-for")) { t("cert.for", String(r.year)) }
                H.p(.class("cert-decision")) { t("cert.decision", r.decisionNumber, CivilDate(parsing: r.decisionDate)?.vietnamese ?? r.decisionDate) }
                if r.revokedOn != nil { H.p(.class("badge warn")) { t("award.revoked", CivilDate(parsing: r.revokedOn ?? "")?.vietnamese ?? "") } }
            }
        }
    }
}
