import Foundation
import ThiDuaCore

enum AssessmentPages {
    static func sheet(
        _ page: PageContext, _ ctx: AssessmentController.Context, metrics: [MetricKey: Points], submitted: [String: String],
        errors: [String: String], notice: String?
    ) -> HTMLNode {
        let t = page.t
        let fw = ctx.fw
        let places = fw.places
        let selfInputs = IndexService.inputs(Array(ctx.scores.values), fw: fw, appraised: false)
        let finalInputs = IndexService.inputs(Array(ctx.scores.values), fw: fw, appraised: true)
        let selfResult = fw.score(selfInputs, metrics: metrics)
        let finalResult = fw.score(finalInputs, metrics: metrics)
        let selfNodes = fw.nodePoints(selfInputs, metrics: metrics)
        let finalNodes = fw.nodePoints(finalInputs, metrics: metrics)
        let id = ctx.assessment.id ?? UUID()
        let mode: Mode = ctx.canSelfAssess ? .selfAssess : ctx.canAppraise ? .appraise : ctx.canExplain ? .explain : .read
        func n(_ p: Points?) -> String { p.map { $0.formatted(places: places, english: t.english) } ?? t("sheet.na") }
        let title = t("sheet.title", ctx.unit.name)
        let table = H.div(.class("table-wrap")) {
            H.table(.class("sheet")) {
                H.caption { fw.spec.name }
                H.thead {
                    H.tr {
                        H.th(.attr("scope", "col")) { t("fwsheet.code") }
                        H.th(.attr("scope", "col")) { t("fwsheet.content") }
                        H.th(.attr("scope", "col"), .class("num")) { t("fwsheet.max") }
                        H.th(.attr("scope", "col")) { t("sheet.selfValue") }
                        H.th(.attr("scope", "col"), .class("num")) { t("sheet.selfPoints") }
                        H.th(.attr("scope", "col")) { t("sheet.appraisal") }
                        H.th(.attr("scope", "col"), .class("num")) { t("sheet.finalPoints") }
                    }
                }
                H.tbody {
                    for (i, node) in fw.nodes.enumerated() {
                        if !node.isLeaf {
                            H.tr(.class("group-row")) {
                                H.td { node.code }
                                H.th(.attr("scope", "row")) { node.title + (node.kind != .normal ? " (" + t("fw.kind." + node.kind.rawValue) + ")" : "") }
                                H.td(.class("num")) { n(node.max) }
                                H.td {}
                                H.td(.class("num")) { n(selfNodes[i] ?? .zero) }
                                H.td {}
                                H.td(.class("num")) { n(finalNodes[i] ?? .zero) }
                            }
                        } else {
                            leafRow(page, ctx, node: node, nodeIndex: i, mode: mode, submitted: submitted, error: errors[node.code],
                                    selfPoints: selfNodes[i], finalPoints: finalNodes[i], metrics: metrics)
                        }
                    }
                }
            }
        }
        return Layout.page(page, title: title) {
            Components.flash(t, page.flashKey)
            H.h1 { title }
            H.p { ctx.cycle.name + " — " + t(ctx.cycle.phase.labelKey) + " — " + t("status." + ctx.assessment.statusRaw) }
            if let notice { H.div(.class("warning"), .role("alert")) { notice } }
            if !errors.isEmpty {
                H.div(.class("error-summary"), .role("alert")) {
                    H.h2 { t("form.errorsTitle") }
                    H.ul { for (code, message) in errors.sorted(by: { $0.key < $1.key }) { H.li { H.a(.href("#c-" + code)) { code + ": " + message } } } }
                }
            }
            H.div(.class("grid"), .role("status"), .aria("live", "polite")) {
                H.div(.class("card")) {
                    H.span(.class("stat")) { n(selfResult.percent) + " %" }
                    t("sheet.selfTotal", n(selfResult.final), n(selfResult.applicableMax))
                }
                H.div(.class("card")) {
                    H.span(.class("stat")) { n(finalResult.percent) + " %" }
                    t("sheet.finalTotal", n(finalResult.final), n(finalResult.applicableMax))
                    if let b = fw.band(for: finalResult.percent) { H.br(); t("cycle.band") + ": " + fw.spec.bands[b].label }
                }
            }
            if let due = ctx.cycle.deadlines.due(for: ctx.cycle.phase) {
                H.p(.class(ctx.phaseOpen ? "hint" : "warning")) { t(ctx.phaseOpen ? "sheet.dueOn" : "sheet.pastDeadlineOn", due.vietnamese) }
            }
            switch mode {
            case .selfAssess:
                H.form(.method("post"), .action(SiteURL.assessmentScores(id).path), .class("sheet-form")) {
                    Layout.csrfField(page)
                    table
                    H.div(.class("actions")) { H.button(.type("submit")) { t("sheet.saveSelf") } }
                }
            case .appraise:
                H.form(.method("post"), .action(SiteURL.assessmentAppraise(id).path), .class("sheet-form")) {
                    Layout.csrfField(page)
                    table
                    H.div(.class("actions")) { H.button(.type("submit")) { t("sheet.saveAppraisal") } }
                }
            case .explain:
                H.form(.method("post"), .action(SiteURL.assessmentExplain(id).path), .class("sheet-form")) {
                    Layout.csrfField(page)
                    table
                    H.div(.class("actions")) { H.button(.type("submit")) { t("sheet.saveExplanations") } }
                }
            case .read:
                table
            }
            if ctx.canSubmit {
                H.form(.method("post"), .action(SiteURL.assessmentSubmit(id).path), .class("card")) {
                    Layout.csrfField(page)
                    H.p { t("sheet.submitIntro") }
                    H.button(.type("submit")) { t("sheet.submit") }
                }
            }
            if ctx.canAddEvidence {
                H.h2(.id("evidence")) { t("evidence.add") }
                H.form(.method("post"), .action(SiteURL.assessmentEvidence(id).path + "?_csrf=" + page.csrf), .attr("enctype", "multipart/form-data"), .class("card")) {
                    Layout.csrfField(page)
                    Components.selectField(t("evidence.criterion"), name: "criterion",
                                           options: fw.leaves.map { (fw.nodes[$0].code, fw.nodes[$0].code + " — " + String(fw.nodes[$0].title.prefix(80))) },
                                           selected: nil, required: true)
                    H.div(.class("field")) {
                        H.label(.for("f-file")) { t("evidence.file") }
                        H.p(.class("hint"), .id("f-file-hint")) { t("evidence.fileHint") }
                        H.input(.type("file"), .id("f-file"), .name("file"), .attr("accept", ".pdf,.docx,.xlsx,.png,.jpg,.jpeg"), .aria("describedby", "f-file-hint"))
                    }
                    H.fieldset {
                        H.legend { t("evidence.orReference") }
                        Components.textField(t("evidence.number"), name: "doc_number", value: nil, hint: t("evidence.numberHint"), maxlength: 100)
                        Components.textField(t("evidence.date"), name: "doc_date", value: nil, hint: t("form.dateHint"))
                        Components.textField(t("evidence.issuer"), name: "doc_issuer", value: nil, maxlength: 255)
                    }
                    H.div(.class("actions")) { H.button(.type("submit")) { t("evidence.submit") } }
                }
            }
        }
    }

    enum Mode { case selfAssess, appraise, explain, read }

    static func leafRow(
        _ page: PageContext, _ ctx: AssessmentController.Context, node: CompiledFramework.Node, nodeIndex: Int, mode: Mode,
        submitted: [String: String], error: String?, selfPoints: Points?, finalPoints: Points?, metrics: [MetricKey: Points]
    ) -> HTMLNode {
        let t = page.t
        let code = node.code
        let score = ctx.scores[code]
        let places = ctx.fw.places
        func n(_ p: Points?) -> String { p.map { $0.formatted(places: places, english: t.english) } ?? t("sheet.na") }
        let evidence = ctx.evidence[code] ?? []
        var metricNote: String?
        if case .metric(let key, _)? = node.method {
            metricNote = metrics[key].map { t("sheet.metricValue", t(key.labelKey), $0.formatted(places: 2, english: t.english)) } ?? t("sheet.metricMissing", t(key.labelKey))
        }
        return H.tr(.id("c-" + code), .class(error == nil ? nil : "has-error")) {
            H.td { code }
            H.td {
                H.strong { node.title }
                H.br()
                H.small(.class("muted")) { MethodText.describe(node.method, places: places, t) }
                if !node.evidence.isEmpty { H.br(); H.small { t("fwsheet.evidence") + ": " + node.evidence } }
                if let metricNote { H.br(); H.small { metricNote } }
                if !evidence.isEmpty {
                    H.ul(.class("evidence")) {
                        for e in evidence {
                            H.li {
                                if e.blobSHA256 != nil, let eid = e.id {
                                    H.a(.href(SiteURL.evidence(eid).path)) { e.fileName ?? t("evidence.file") }
                                } else {
                                    [e.docNumber, e.docDate.flatMap(CivilDate.init(parsing:))?.vietnamese, e.docIssuer].compactMap { $0 }.joined(separator: ", ")
                                }
                            }
                        }
                    }
                }
                if let error { H.p(.class("field-error"), .id("err-" + code)) { error } }
            }
            H.td(.class("num")) { n(node.max) }
            H.td {
                if mode == .selfAssess {
                    H.input(.type("text"), .name("v_" + code), .value(submitted["v_" + code] ?? score?.selfValue), .attr("size", "8"),
                            .aria("label", t("sheet.selfValueFor", code)), .aria("invalid", error == nil ? nil : "true"),
                            .aria("describedby", error == nil ? nil : "err-" + code))
                    H.small(.class("hint")) { " " + MethodText.inputHint(node.method, t) }
                    H.textarea(.name("n_" + code), .attr("rows", "2"), .aria("label", t("sheet.noteFor", code))) { submitted["n_" + code] ?? score?.selfNote ?? "" }
                } else {
                    score?.selfValue ?? ""
                    if let note = score?.selfNote { H.br(); H.small { note } }
                }
            }
            H.td(.class("num")) { n(selfPoints) }
            H.td {
                if mode == .appraise {
                    H.input(.type("hidden"), .name("ver_" + code), .value(String(score?.version ?? 0)))
                    H.input(.type("text"), .name("a_" + code), .value(submitted["a_" + code] ?? score?.appraisedValue), .attr("size", "8"),
                            .aria("label", t("sheet.appraisedFor", code)), .aria("invalid", error == nil ? nil : "true"))
                    H.input(.type("text"), .name("r_" + code), .value(submitted["r_" + code] ?? score?.appraisalReason),
                            .aria("label", t("sheet.reasonFor", code)), .attr("placeholder", t("sheet.reason")))
                    if ctx.canRequestExplanation {
                        H.label {
                            H.input(.type("checkbox"), .name("x_" + code), .value("1"), .flag("checked", score?.explanationRequested ?? false))
                            " " + t("sheet.requestExplanation")
                        }
                        H.input(.type("text"), .name("q_" + code), .value(submitted["q_" + code] ?? score?.explanationRequest),
                                .aria("label", t("sheet.questionFor", code)), .attr("placeholder", t("sheet.question")))
                    }
                } else {
                    if let v = score?.appraisedValue { v; H.br() }
                    if let r = score?.appraisalReason { H.small { t("sheet.reason") + ": " + r }; H.br() }
                    if let by = score?.appraisedBy { H.small(.class("muted")) { by } }
                }
                if score?.explanationRequested == true {
                    H.div(.class("notice")) {
                        H.strong { t("sheet.explanationRequested") }
                        if let q = score?.explanationRequest { " " + q }
                        if mode == .explain {
                            H.textarea(.name("e_" + code), .attr("rows", "3"), .aria("label", t("sheet.explanationFor", code))) { submitted["e_" + code] ?? score?.explanation ?? "" }
                        } else if let e = score?.explanation {
                            H.p { t("sheet.explanation") + ": " + e }
                        }
                    }
                }
            }
            H.td(.class("num")) { n(finalPoints) }
        }
    }
}
