import Testing
@testable import App
import Vapor

/// The middlewares' own readers of the Cookie and Content-Type headers agree with what browsers send.
@Suite struct RequestHeadersTests {
    private func request(_ headers: [(String, String)]) -> HTTPHeaders { HTTPHeaders(headers) }

    @Test(arguments: [
        ("thidua_csrf=abc; thidua_lang=en", "thidua_csrf", "abc"),
        ("thidua_lang=en;thidua_csrf=abc", "thidua_csrf", "abc"),
        ("  thidua_csrf = x; thidua_csrf=abc ", "thidua_csrf", "abc"),
        ("a=1; thidua_csrf=\"q-v\"", "thidua_csrf", "q-v"),
        ("xthidua_csrf=no; thidua_csrfx=no", "thidua_csrf", nil),
        ("thidua_csrf=", "thidua_csrf", ""),
        ("", "thidua_csrf", nil),
        ("thidua_lang=vi; thidua_session=tok=en=", "thidua_session", "tok=en="),
    ] as [(String, String, String?)])
    func cookie(header: String, name: String, expected: String?) {
        #expect(request([("Cookie", header)]).cookie(named: name) == expected)
    }

    @Test func cookieAcrossSeveralHeaders() {
        #expect(request([("Cookie", "a=1"), ("Cookie", "thidua_lang=en")]).cookie(named: "thidua_lang") == "en")
        #expect(request([]).cookie(named: "thidua_lang") == nil)
    }

    @Test(arguments: [
        ("application/x-www-form-urlencoded", true),
        ("application/x-www-form-urlencoded; charset=UTF-8", true),
        ("Application/X-WWW-Form-Urlencoded", true),
        (" application/x-www-form-urlencoded ;charset=utf-8", true),
        ("multipart/form-data; boundary=x", false),
        ("application/x-www-form-urlencodedx", false),
        ("application/json", false),
        ("", false),
    ])
    func urlEncodedForm(header: String, expected: Bool) {
        #expect(request([("Content-Type", header)]).isURLEncodedForm == expected)
        #expect(request([("Content-Type", header)]).contentType == .urlEncodedForm || !expected)
    }
}
