/// A small typed HTML tree. Text and attribute values are escaped when rendered, so a name such as
/// "<script>" is shown as text, never run. `raw` exists only for markup the app itself wrote (icons, CSS).
///
/// Why not Plot: its per-context typing refuses ARIA and table attributes where WCAG needs them (scope,
/// aria-describedby on inputs, aria-current on links) unless each is spelled as a raw attribute, which is
/// where escaping mistakes creep in. This builder keeps escaping by default and lets any attribute through.
public struct HTMLNode: Sendable {
    indirect enum Kind: Sendable {
        case element(String, [Attr], [HTMLNode])
        case void(String, [Attr])
        case text(String)
        case raw(String)
        case fragment([HTMLNode])
    }
    let kind: Kind

    public static func text(_ s: String) -> HTMLNode { HTMLNode(kind: .text(s)) }
    public static func raw(_ s: String) -> HTMLNode { HTMLNode(kind: .raw(s)) }
    public static func fragment(_ nodes: [HTMLNode]) -> HTMLNode { HTMLNode(kind: .fragment(nodes)) }
    public static let empty = HTMLNode(kind: .fragment([]))

    public func render() -> String {
        String(decoding: renderBytes(), as: UTF8.self)
    }

    /// Renders into a byte buffer: pages are built from many small pieces, and appending UTF-8 bytes is far
    /// cheaper than appending to a String (the public ranking page is rendered on every request).
    public func renderBytes() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(16 * 1024)
        render(into: &out)
        return out
    }

    func render(into out: inout [UInt8]) {
        switch kind {
        case .text(let s): HTMLNode.escape(s, into: &out)
        case .raw(let s): out.append(contentsOf: s.utf8)
        case .fragment(let nodes): for n in nodes { n.render(into: &out) }
        case .void(let name, let attrs):
            out.append(0x3C)
            out.append(contentsOf: name.utf8)
            HTMLNode.renderAttrs(attrs, into: &out)
            out.append(0x3E)
        case .element(let name, let attrs, let children):
            out.append(0x3C)
            out.append(contentsOf: name.utf8)
            HTMLNode.renderAttrs(attrs, into: &out)
            out.append(0x3E)
            for c in children { c.render(into: &out) }
            out.append(contentsOf: [0x3C, 0x2F])
            out.append(contentsOf: name.utf8)
            out.append(0x3E)
        }
    }

    static func renderAttrs(_ attrs: [Attr], into out: inout [UInt8]) {
        for a in attrs {
            guard let value = a.value else { continue }
            out.append(0x20)
            out.append(contentsOf: a.name.utf8)
            if a.isBoolean { continue }
            out.append(contentsOf: [0x3D, 0x22])
            escape(value, into: &out)
            out.append(0x22)
        }
    }

    /// Escapes & < > " ' (text and attribute values alike); copies runs of other bytes in one go.
    static func escape(_ s: String, into out: inout [UInt8]) {
        var s = s
        s.withUTF8 { bytes in
            var start = 0
            for i in 0..<bytes.count {
                let replacement: StaticString
                switch bytes[i] {
                case 0x26: replacement = "&amp;"
                case 0x3C: replacement = "&lt;"
                case 0x3E: replacement = "&gt;"
                case 0x22: replacement = "&quot;"
                case 0x27: replacement = "&#39;"
                default: continue
                }
                if i > start { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i])) }
                replacement.withUTF8Buffer { out.append(contentsOf: $0) }
                start = i + 1
            }
            if start < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count])) }
        }
    }
}

public struct Attr: Sendable {
    let name: String
    /// nil drops the attribute (handy for optional values).
    let value: String?
    var isBoolean = false

    public static func attr(_ name: String, _ value: String?) -> Attr { Attr(name: name, value: value) }
    /// A boolean attribute (checked, required, selected…) present only when `on` is true.
    public static func flag(_ name: String, _ on: Bool = true) -> Attr {
        Attr(name: name, value: on ? "" : nil, isBoolean: true)
    }
    public static func `class`(_ v: String?) -> Attr { attr("class", v) }
    public static func id(_ v: String?) -> Attr { attr("id", v) }
    public static func href(_ v: String?) -> Attr { attr("href", v) }
    public static func name(_ v: String) -> Attr { attr("name", v) }
    public static func value(_ v: String?) -> Attr { attr("value", v) }
    public static func type(_ v: String) -> Attr { attr("type", v) }
    public static func `for`(_ v: String) -> Attr { attr("for", v) }
    public static func action(_ v: String) -> Attr { attr("action", v) }
    public static func method(_ v: String) -> Attr { attr("method", v) }
    public static func lang(_ v: String) -> Attr { attr("lang", v) }
    public static func aria(_ key: String, _ v: String?) -> Attr { attr("aria-" + key, v) }
    public static func role(_ v: String) -> Attr { attr("role", v) }
    public static func title(_ v: String?) -> Attr { attr("title", v) }
    public static func autocomplete(_ v: String) -> Attr { attr("autocomplete", v) }
}

@resultBuilder
public enum HTMLBuilder {
    public static func buildBlock(_ parts: [HTMLNode]...) -> [HTMLNode] { parts.flatMap { $0 } }
    public static func buildExpression(_ node: HTMLNode) -> [HTMLNode] { [node] }
    public static func buildExpression(_ nodes: [HTMLNode]) -> [HTMLNode] { nodes }
    public static func buildExpression(_ text: String) -> [HTMLNode] { [.text(text)] }
    public static func buildOptional(_ part: [HTMLNode]?) -> [HTMLNode] { part ?? [] }
    public static func buildEither(first: [HTMLNode]) -> [HTMLNode] { first }
    public static func buildEither(second: [HTMLNode]) -> [HTMLNode] { second }
    public static func buildArray(_ parts: [[HTMLNode]]) -> [HTMLNode] { parts.flatMap { $0 } }
    public static func buildLimitedAvailability(_ part: [HTMLNode]) -> [HTMLNode] { part }
}

/// Element constructors. `H.div(.class("card")) { … }`.
public enum H {
    public static func el(_ name: String, _ attrs: [Attr], @HTMLBuilder _ content: () -> [HTMLNode]) -> HTMLNode {
        HTMLNode(kind: .element(name, attrs, content()))
    }
    public static func void(_ name: String, _ attrs: [Attr]) -> HTMLNode { HTMLNode(kind: .void(name, attrs)) }

    public static func html(_ a: Attr..., @HTMLBuilder content c: () -> [HTMLNode]) -> HTMLNode { el("html", a, c) }
    public static func head(@HTMLBuilder content c: () -> [HTMLNode]) -> HTMLNode { el("head", [], c) }
    public static func body(_ a: Attr..., @HTMLBuilder content c: () -> [HTMLNode]) -> HTMLNode { el("body", a, c) }
    public static func title(_ text: String) -> HTMLNode { el("title", []) { text } }
    public static func meta(_ a: Attr...) -> HTMLNode { void("meta", a) }
    public static func link(_ a: Attr...) -> HTMLNode { void("link", a) }
    public static func div(_ a: Attr..., @HTMLBuilder content c: () -> [HTMLNode] = { [] }) -> HTMLNode { el("div", a, c) }
    public static func span(_ a: Attr..., @HTMLBuilder content c: () -> [HTMLNode] = { [] }) -> HTMLNode { el("span", a, c) }
    public static func p(_ a: Attr..., @HTMLBuilder content c: () -> [HTMLNode] = { [] }) -> HTMLNode { el("p", a, c) }
    public static func a(_ a: Attr..., @HTMLBuilder content c: () -> [HTMLNode] = { [] }) -> HTMLNode { el("a", a, c) }
    public static func strong(_ a: Attr..., @HTMLBuilder content c: () -> [HTMLNode] = { [] }) -> HTMLNode { el("strong", a, c) }
    public static func small(_ a: Attr..., @HTMLBuilder content c: () -> [HTMLNode] = { [] }) -> HTMLNode { el("small", a, c) }
    public static func code(_ a: Attr..., @HTMLBuilder content c: () -> [HTMLNode] = { [] }) -> HTMLNode { el("code", a, c) }
    public static func pre(_ a: Attr..., @HTMLBuilder content c: () -> [HTMLNode] = { [] }) -> HTMLNode { el("pre", a, c) }
    public static func h1(_ a: Attr..., @HTMLBuilder content c: () -> [HTMLNode] = { [] }) -> HTMLNode { el("h1", a, c) }
    public static func h2(_ a: Attr..., @HTMLBuilder content c: () -> [HTMLNode] = { [] }) -> HTMLNode { el("h2", a, c) }
    public static func h3(_ a: Attr..., @HTMLBuilder content c: () -> [HTMLNode] = { [] }) -> HTMLNode { el("h3", a, c) }
    public static func header(_ a: Attr..., @HTMLBuilder content c: () -> [HTMLNode] = { [] }) -> HTMLNode { el("header", a, c) }
    public static func footer(_ a: Attr..., @HTMLBuilder content c: () -> [HTMLNode] = { [] }) -> HTMLNode { el("footer", a, c) }
    public static func main(_ a: Attr..., @HTMLBuilder content c: () -> [HTMLNode] = { [] }) -> HTMLNode { el("main", a, c) }
    public static func nav(_ a: Attr..., @HTMLBuilder content c: () -> [HTMLNode] = { [] }) -> HTMLNode { el("nav", a, c) }
    public static func section(_ a: Attr..., @HTMLBuilder content c: () -> [HTMLNode] = { [] }) -> HTMLNode { el("section", a, c) }
    public static func ul(_ a: Attr..., @HTMLBuilder content c: () -> [HTMLNode] = { [] }) -> HTMLNode { el("ul", a, c) }
    public static func ol(_ a: Attr..., @HTMLBuilder content c: () -> [HTMLNode] = { [] }) -> HTMLNode { el("ol", a, c) }
    public static func li(_ a: Attr..., @HTMLBuilder content c: () -> [HTMLNode] = { [] }) -> HTMLNode { el("li", a, c) }
    public static func dl(_ a: Attr..., @HTMLBuilder content c: () -> [HTMLNode] = { [] }) -> HTMLNode { el("dl", a, c) }
    public static func dt(_ a: Attr..., @HTMLBuilder content c: () -> [HTMLNode] = { [] }) -> HTMLNode { el("dt", a, c) }
    public static func dd(_ a: Attr..., @HTMLBuilder content c: () -> [HTMLNode] = { [] }) -> HTMLNode { el("dd", a, c) }
    public static func table(_ a: Attr..., @HTMLBuilder content c: () -> [HTMLNode] = { [] }) -> HTMLNode { el("table", a, c) }
    public static func caption(_ a: Attr..., @HTMLBuilder content c: () -> [HTMLNode] = { [] }) -> HTMLNode { el("caption", a, c) }
    public static func thead(_ a: Attr..., @HTMLBuilder content c: () -> [HTMLNode] = { [] }) -> HTMLNode { el("thead", a, c) }
    public static func tbody(_ a: Attr..., @HTMLBuilder content c: () -> [HTMLNode] = { [] }) -> HTMLNode { el("tbody", a, c) }
    public static func tfoot(_ a: Attr..., @HTMLBuilder content c: () -> [HTMLNode] = { [] }) -> HTMLNode { el("tfoot", a, c) }
    public static func tr(_ a: Attr..., @HTMLBuilder content c: () -> [HTMLNode] = { [] }) -> HTMLNode { el("tr", a, c) }
    public static func th(_ a: Attr..., @HTMLBuilder content c: () -> [HTMLNode] = { [] }) -> HTMLNode { el("th", a, c) }
    public static func td(_ a: Attr..., @HTMLBuilder content c: () -> [HTMLNode] = { [] }) -> HTMLNode { el("td", a, c) }
    public static func form(_ a: Attr..., @HTMLBuilder content c: () -> [HTMLNode] = { [] }) -> HTMLNode { el("form", a, c) }
    public static func fieldset(_ a: Attr..., @HTMLBuilder content c: () -> [HTMLNode] = { [] }) -> HTMLNode { el("fieldset", a, c) }
    public static func legend(_ a: Attr..., @HTMLBuilder content c: () -> [HTMLNode] = { [] }) -> HTMLNode { el("legend", a, c) }
    public static func label(_ a: Attr..., @HTMLBuilder content c: () -> [HTMLNode] = { [] }) -> HTMLNode { el("label", a, c) }
    public static func input(_ a: Attr...) -> HTMLNode { void("input", a) }
    public static func textarea(_ a: Attr..., @HTMLBuilder content c: () -> [HTMLNode] = { [] }) -> HTMLNode { el("textarea", a, c) }
    public static func select(_ a: Attr..., @HTMLBuilder content c: () -> [HTMLNode] = { [] }) -> HTMLNode { el("select", a, c) }
    public static func option(_ a: Attr..., @HTMLBuilder content c: () -> [HTMLNode] = { [] }) -> HTMLNode { el("option", a, c) }
    public static func button(_ a: Attr..., @HTMLBuilder content c: () -> [HTMLNode] = { [] }) -> HTMLNode { el("button", a, c) }
    public static func details(_ a: Attr..., @HTMLBuilder content c: () -> [HTMLNode] = { [] }) -> HTMLNode { el("details", a, c) }
    public static func summary(_ a: Attr..., @HTMLBuilder content c: () -> [HTMLNode] = { [] }) -> HTMLNode { el("summary", a, c) }
    public static func br() -> HTMLNode { void("br", []) }
}
