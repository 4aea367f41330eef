import ThiDuaCore

/// Form and table pieces shared by every page, so labels, errors and ARIA wiring are done once.
enum Components {
    struct FieldError: Sendable {
        let field: String
        let message: String
    }

    static func errorSummary(_ t: Localizer, _ errors: [FieldError]) -> HTMLNode {
        guard !errors.isEmpty else { return .empty }
        return H.div(.class("error-summary"), .role("alert"), .attr("tabindex", "-1")) {
            H.h2 { t("form.errorsTitle") }
            H.ul {
                for e in errors { H.li { H.a(.href("#f-" + e.field)) { e.message } } }
            }
        }
    }

    /// What every field shares: the wrapper (marked when in error), the label, the hint and the error message;
    /// `control` gets the id and the `aria-describedby` value.
    private static func field(
        _ label: String, name: String, errors: [FieldError], required: Bool, hint: String?, control: (_ id: String, _ describedBy: String?) -> HTMLNode
    ) -> HTMLNode {
        let id = "f-" + name
        let error = errors.first { $0.field == name }
        let describedBy = [hint != nil ? id + "-hint" : nil, error != nil ? id + "-error" : nil].compactMap { $0 }
        return H.div(.class(error == nil ? "field" : "field has-error")) {
            H.label(.for(id)) {
                label
                if required { H.span(.class("req"), .aria("hidden", "true")) { " *" } }
            }
            if let hint { H.p(.class("hint"), .id(id + "-hint")) { hint } }
            if let error { H.p(.class("field-error"), .id(id + "-error")) { error.message } }
            control(id, describedBy.isEmpty ? nil : describedBy.joined(separator: " "))
        }
    }

    static func textField(
        _ label: String, name: String, value: String?, errors: [FieldError] = [], required: Bool = false,
        type: String = "text", hint: String? = nil, autocomplete: String? = nil, maxlength: Int? = nil
    ) -> HTMLNode {
        let invalid = errors.contains { $0.field == name }
        return field(label, name: name, errors: errors, required: required, hint: hint) { id, describedBy in
            H.input(
                .type(type), .id(id), .name(name), .value(value), .flag("required", required),
                .aria("invalid", invalid ? "true" : nil), .aria("describedby", describedBy),
                .attr("autocomplete", autocomplete), .attr("maxlength", maxlength.map(String.init)))
        }
    }

    /// A text area with its label, hint and error, as `textField` does for one line.
    static func textArea(_ name: String, _ label: String, value: String, errors: [FieldError], required: Bool = true, rows: Int = 4, hint: String? = nil)
        -> HTMLNode
    {
        let invalid = errors.contains { $0.field == name }
        return field(label, name: name, errors: errors, required: required, hint: hint) { id, describedBy in
            H.textarea(
                .id(id), .name(name), .attr("rows", String(rows)), .flag("required", required), .aria("invalid", invalid ? "true" : nil),
                .aria("describedby", describedBy)
            ) { value }
        }
    }

    static func selectField(
        _ label: String, name: String, options: [(value: String, label: String)], selected: String?,
        errors: [FieldError] = [], required: Bool = false, includeBlank: Bool = false, blankLabel: String = "—"
    ) -> HTMLNode {
        let id = "f-" + name
        let error = errors.first { $0.field == name }
        return H.div(.class(error == nil ? "field" : "field has-error")) {
            H.label(.for(id)) {
                label
                if required { H.span(.class("req"), .aria("hidden", "true")) { " *" } }
            }
            if let error { H.p(.class("field-error"), .id(id + "-error")) { error.message } }
            H.select(
                .id(id), .name(name), .flag("required", required), .aria("invalid", error == nil ? nil : "true"),
                .aria("describedby", error == nil ? nil : id + "-error")
            ) {
                if includeBlank { H.option(.value("")) { blankLabel } }
                for o in options {
                    H.option(.value(o.value), .flag("selected", o.value == selected)) { o.label }
                }
            }
        }
    }

    /// The evidence form (`EvidenceFiles.read` reads it): a file and/or an official document's reference.
    static func evidenceForm(_ ctx: PageContext, action: String, title: String) -> HTMLNode {
        let t = ctx.t
        return H.form(.method("post"), .action(action), .attr("enctype", "multipart/form-data"), .class("card")) {
            Layout.csrfField(ctx)
            H.h3 { title }
            H.div(.class("field")) {
                H.label(.for("f-file")) { t("initiative.file") }
                H.input(.type("file"), .id("f-file"), .name("file"))
            }
            textField(t("evidence.number"), name: "doc_number", value: nil)
            textField(t("evidence.date"), name: "doc_date", value: nil)
            textField(t("evidence.issuer"), name: "doc_issuer", value: nil)
            H.div(.class("actions")) { H.button(.type("submit"), .class("secondary")) { title } }
        }
    }

    static func flash(_ t: Localizer, _ key: String?) -> HTMLNode {
        guard let key, let message = Catalog.vi["flash." + key] != nil ? t("flash." + key) : nil else { return .empty }
        return H.div(.class("flash"), .role("status")) { message }
    }

    static func pagination(_ t: Localizer, page: Int, pageCount: Int, link: (Int) -> String) -> HTMLNode {
        guard pageCount > 1 else { return .empty }
        return H.nav(.class("pagination"), .aria("label", t("pager.label"))) {
            if page > 1 { H.a(.href(link(page - 1)), .attr("rel", "prev")) { t("pager.prev") } }
            H.span { t("pager.status", String(page), String(pageCount)) }
            if page < pageCount { H.a(.href(link(page + 1)), .attr("rel", "next")) { t("pager.next") } }
        }
    }

    /// A definition list of label → value rows for detail pages.
    static func facts(_ rows: [(String, String)]) -> HTMLNode {
        H.dl(.class("facts")) {
            for (k, v) in rows {
                H.div {
                    H.dt { k }
                    H.dd { v.isEmpty ? "—" : v }
                }
            }
        }
    }
}
