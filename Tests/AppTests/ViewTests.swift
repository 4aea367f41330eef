import Testing

@testable import App

@Suite struct ViewTests {
    @Test func textAndAttributesAreEscaped() {
        let node = H.a(.href("/x?a=1&b=\"2\""), .title("<'>")) { "Tên <script>alert('x')</script> & “Sở”" }
        #expect(node.render() == "<a href=\"/x?a=1&amp;b=&quot;2&quot;\" title=\"&lt;&#39;&gt;\">Tên &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; “Sở”</a>")
    }

    @Test func booleanAndMissingAttributes() {
        #expect(H.input(.type("checkbox"), .flag("checked"), .flag("disabled", false), .value(nil)).render() == "<input type=\"checkbox\" checked>")
    }
}
