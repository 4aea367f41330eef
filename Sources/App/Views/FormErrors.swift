import ThiDuaCore

/// Collects field problems of a submitted form in the user's language; handlers re-render the form with them.
struct FormErrors {
    let t: Localizer
    private(set) var list: [Components.FieldError] = []

    init(_ t: Localizer) { self.t = t }

    var isEmpty: Bool { list.isEmpty }

    /// The value when the rule passed; otherwise records the problem against `field` and returns nil.
    mutating func take<T>(_ field: String, _ result: Result<T, FieldProblem>) -> T? {
        switch result {
        case .success(let v): return v
        case .failure(let p):
            add(field, p.key, p.argument)
            return nil
        }
    }

    mutating func add(_ field: String, _ key: String, _ argument: String? = nil) {
        list.append(.init(field: field, message: t.problem(key, argument)))
    }

    /// A message already in words (from a catalogue key with several arguments).
    mutating func add(_ field: String, message: String) {
        list.append(.init(field: field, message: message))
    }
}
