/// The problems of one imported row, by column.
struct RowProblems {
    private(set) var items: [(column: String?, problem: FieldProblem)] = []

    var isEmpty: Bool { items.isEmpty }

    mutating func take<T>(_ column: String, _ result: Result<T, FieldProblem>) -> T? {
        switch result {
        case .success(let v): return v
        case .failure(let p):
            items.append((column, p))
            return nil
        }
    }

    mutating func add(_ column: String?, _ problem: FieldProblem) { items.append((column, problem)) }

    func hasProblem(in column: String) -> Bool { items.contains { $0.column == column } }

    func issues(row: Int) -> [RowIssue] { items.map { RowIssue(row: row, column: $0.column, problem: $0.problem) } }
}
