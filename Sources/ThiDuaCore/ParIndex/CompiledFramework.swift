import Foundation

public enum FrameworkProblem: Equatable, Sendable {
    case empty
    case duplicateCode(String)
    case missingParent(code: String, parent: String)
    case cycle(String)
    case missingMax(String)
    case negativeMax(String)
    case childrenSum(parent: String, expected: Points, actual: Points)
    case total(expected: Points, actual: Points)
    case leafWithoutMethod(String)
    case methodOnGroup(String)
    case badTiers(String)
    case badTarget(String)
    case badWeights(String)
    case bucketNotTopLevel(String)
    /// In a bonus or penalty bucket a deduction would award its max when nothing happened.
    case deductionInBucket(String)
    case badBands
    case badPlaces

    /// Catalog key and argument for the message shown to people.
    public var key: String {
        switch self {
        case .empty: "fw.empty"
        case .duplicateCode: "fw.duplicateCode"
        case .missingParent: "fw.missingParent"
        case .cycle: "fw.cycle"
        case .missingMax: "fw.missingMax"
        case .negativeMax: "fw.negativeMax"
        case .childrenSum: "fw.childrenSum"
        case .total: "fw.total"
        case .leafWithoutMethod: "fw.leafWithoutMethod"
        case .methodOnGroup: "fw.methodOnGroup"
        case .badTiers: "fw.badTiers"
        case .badTarget: "fw.badTarget"
        case .badWeights: "fw.badWeights"
        case .bucketNotTopLevel: "fw.bucketNotTopLevel"
        case .deductionInBucket: "fw.deductionInBucket"
        case .badBands: "fw.badBands"
        case .badPlaces: "fw.badPlaces"
        }
    }

    public var arguments: [String] {
        switch self {
        case .empty, .badBands, .badPlaces: []
        case .duplicateCode(let c), .cycle(let c), .missingMax(let c), .negativeMax(let c), .leafWithoutMethod(let c),
            .methodOnGroup(let c), .badTiers(let c), .badTarget(let c), .badWeights(let c), .bucketNotTopLevel(let c), .deductionInBucket(let c):
            [c]
        case .missingParent(let c, let p): [c, p]
        case .childrenSum(let p, let e, let a): [p, e.plain(places: 4), a.plain(places: 4)]
        case .total(let e, let a): [e.plain(places: 4), a.plain(places: 4)]
        }
    }
}

/// Why a framework cannot be used: every problem found, not just the first.
public struct FrameworkInvalid: Error, Equatable, Sendable {
    public let problems: [FrameworkProblem]
}

/// A validated framework laid out for fast scoring: nodes in pre-order, leaves as flat arrays.
public struct CompiledFramework: Sendable {
    public struct Node: Sendable {
        public let code: String
        public let title: String
        public let max: Points
        public let kind: CriterionKind
        public let parent: Int?
        public let depth: Int
        public let isLeaf: Bool
        public let method: ScoringMethod?
        public let guidance: String
        public let evidence: String
        /// Index in `areas` of the top-level node this one belongs to.
        public let area: Int
    }

    public let spec: FrameworkSpec
    public let nodes: [Node]
    /// Node indices of the top-level nodes (areas, then the bonus and penalty buckets).
    public let areas: [Int]
    /// Node indices of the leaves, in order.
    public let leaves: [Int]
    public let leafIndex: [String: Int]
    public var places: Int { spec.places }
    // Leaf attributes as flat arrays: scoring reads these in its inner loop without copying node structs.
    let leafMax: [Points]
    let leafKind: [CriterionKind]
    let leafArea: [Int]
    let leafMethod: [ScoringMethod?]
    let areaKind: [CriterionKind]

    init(spec: FrameworkSpec, nodes: [Node], areas: [Int], leaves: [Int], leafIndex: [String: Int]) {
        self.spec = spec
        self.nodes = nodes
        self.areas = areas
        self.leaves = leaves
        self.leafIndex = leafIndex
        leafMax = leaves.map { nodes[$0].max }
        leafKind = leaves.map { nodes[$0].kind }
        leafArea = leaves.map { nodes[$0].area }
        leafMethod = leaves.map { nodes[$0].method }
        areaKind = areas.map { nodes[$0].kind }
    }

    /// Checks the framework: unique codes, known parents, no cycles, a max everywhere, children adding up to
    /// their parent, normal areas adding up to the total, a method on every leaf and only there, sane tiers,
    /// targets, weights, bands and places.
    public static func compile(_ spec: FrameworkSpec) -> Result<CompiledFramework, FrameworkInvalid> {
        var problems: [FrameworkProblem] = []
        if spec.criteria.isEmpty { return .failure(FrameworkInvalid(problems: [.empty])) }
        if !(0...4).contains(spec.places) { problems.append(.badPlaces) }
        let bandMins = spec.bands.map(\.min)
        if spec.bands.isEmpty || zip(bandMins, bandMins.dropFirst()).contains(where: { $0 <= $1 }) || (bandMins.last ?? .zero) < .zero
            || spec.bands.contains(where: { $0.label.trimmingCharacters(in: .whitespaces).isEmpty })
        {
            problems.append(.badBands)
        }
        var byCode: [String: CriterionSpec] = [:]
        var order: [String] = []
        for c in spec.criteria {
            if byCode[c.code] != nil {
                problems.append(.duplicateCode(c.code))
                continue
            }
            byCode[c.code] = c
            order.append(c.code)
        }
        var children: [String?: [String]] = [:]
        for code in order {
            let c = byCode[code]!
            if let p = c.parent, byCode[p] == nil {
                problems.append(.missingParent(code: code, parent: p))
                continue
            }
            children[c.parent, default: []].append(code)
        }
        // Cycles: every node must reach a root within the number of nodes.
        for code in order {
            var seen: Set<String> = [code]
            var cursor = byCode[code]?.parent
            while let p = cursor, byCode[p] != nil {
                if seen.contains(p) {
                    problems.append(.cycle(code))
                    break
                }
                seen.insert(p)
                cursor = byCode[p]?.parent
            }
        }
        guard problems.allSatisfy({ if case .cycle = $0 { false } else { true } }) else { return .failure(FrameworkInvalid(problems: problems)) }

        var nodes: [Node] = []
        var areas: [Int] = []
        var leaves: [Int] = []
        func visit(_ code: String, parent: Int?, depth: Int, area: Int, inheritedKind: CriterionKind?) {
            let c = byCode[code]!
            let kind = inheritedKind ?? c.kind
            if inheritedKind != nil && c.kind != .normal && c.kind != inheritedKind { problems.append(.bucketNotTopLevel(code)) }
            if depth > 0 && inheritedKind == nil && c.kind != .normal { problems.append(.bucketNotTopLevel(code)) }
            let kids = children[code] ?? []
            let max = c.max ?? .zero
            if c.max == nil { problems.append(.missingMax(code)) }
            if max < .zero { problems.append(.negativeMax(code)) }
            if kids.isEmpty, kind != .normal, case .deduction? = c.method { problems.append(.deductionInBucket(code)) }
            if kids.isEmpty {
                if let m = c.method { checkMethod(m, code: code, max: max, problems: &problems) } else { problems.append(.leafWithoutMethod(code)) }
            } else if c.method != nil {
                problems.append(.methodOnGroup(code))
            }
            let index = nodes.count
            nodes.append(Node(
                code: code, title: c.title, max: max, kind: kind, parent: parent, depth: depth, isLeaf: kids.isEmpty,
                method: kids.isEmpty ? c.method : nil, guidance: c.guidance, evidence: c.evidence, area: area))
            if kids.isEmpty { leaves.append(index) }
            if !kids.isEmpty && kind == .normal {
                let sum = kids.reduce(Points.zero) { $0 + (byCode[$1]?.max ?? .zero) }
                if c.max != nil && sum != max { problems.append(.childrenSum(parent: code, expected: max, actual: sum)) }
            }
            for k in kids { visit(k, parent: index, depth: depth + 1, area: area, inheritedKind: kind == .normal ? nil : kind) }
        }
        for (i, top) in (children[nil] ?? []).enumerated() {
            areas.append(nodes.count)
            visit(top, parent: nil, depth: 0, area: i, inheritedKind: nil)
        }
        let normalTotal = areas.map { nodes[$0] }.filter { $0.kind == .normal }.reduce(Points.zero) { $0 + $1.max }
        if normalTotal != spec.total { problems.append(.total(expected: spec.total, actual: normalTotal)) }
        guard problems.isEmpty else { return .failure(FrameworkInvalid(problems: problems)) }
        var leafIndex: [String: Int] = [:]
        for (i, n) in leaves.enumerated() { leafIndex[nodes[n].code] = i }
        return .success(CompiledFramework(spec: spec, nodes: nodes, areas: areas, leaves: leaves, leafIndex: leafIndex))
    }

    private static func checkMethod(_ m: ScoringMethod, code: String, max: Points, problems: inout [FrameworkProblem]) {
        func tiersOK(_ tiers: [Tier]) -> Bool {
            !tiers.isEmpty && zip(tiers, tiers.dropFirst()).allSatisfy { $0.min > $1.min }
                && tiers.allSatisfy { $0.points >= .zero && $0.points <= max && $0.min >= .zero }
        }
        switch m {
        case .manual, .binary: break
        case .tiers(let t), .metric(_, .tiers(let t)):
            if !tiersOK(t) { problems.append(.badTiers(code)) }
        case .proportional(let target), .metric(_, .proportional(let target)):
            if target <= .zero { problems.append(.badTarget(code)) }
        case .deduction(let per, let floor):
            if per <= .zero || floor < .zero || floor > max { problems.append(.badTarget(code)) }
        case .survey(let w):
            if w.count < 2 || w.contains(where: { $0 < .zero || $0 > Points(100) }) { problems.append(.badWeights(code)) }
        }
    }
}
