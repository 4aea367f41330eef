/// How a dossier reached the one-stop office.
public enum DossierChannel: String, Sendable, Codable, CaseIterable {
    case counter, online, postal
}

/// How a dossier ended.
public enum DossierResult: String, Sendable, Codable, CaseIterable {
    case approved, refused, withdrawn
}

/// What the indicators need of one dossier, worked out once when the dossier is stored (so that a re-sent dossier
/// can take its old facts out of the running tallies and put the new ones in).
public struct DossierFacts: Hashable, Sendable, Codable {
    public var online: Bool
    /// Approved or refused, with a resolution time (withdrawn dossiers are not "resolved").
    public var resolved: Bool
    public var withdrawn: Bool
    public var timeliness: Timeliness?
    public var processingHalfDays: Int?
    public var statutoryHalfDays: Int
    public var internalHalfDays: Int?
    /// The procedure charges a fee or charge (the online-payment rate counts only these).
    public var payable: Bool
    public var paidOnline: Bool
    /// Inputs and result both digitised.
    public var digitised: Bool
    public var rated: Bool
    public var unsatisfied: Bool
    public var complaint: Bool

    public init(
        online: Bool, resolved: Bool, withdrawn: Bool = false, timeliness: Timeliness?, processingHalfDays: Int?, statutoryHalfDays: Int,
        internalHalfDays: Int? = nil, payable: Bool = false, paidOnline: Bool = false, digitised: Bool = false, rated: Bool = false,
        unsatisfied: Bool = false, complaint: Bool = false
    ) {
        self.online = online
        self.resolved = resolved
        self.withdrawn = withdrawn
        self.timeliness = timeliness
        self.processingHalfDays = processingHalfDays
        self.statutoryHalfDays = statutoryHalfDays
        self.internalHalfDays = internalHalfDays
        self.payable = payable
        self.paidOnline = paidOnline
        self.digitised = digitised
        self.rated = rated
        self.unsatisfied = unsatisfied
        self.complaint = complaint
    }

    /// The facts as JSON, written directly (stored with every dossier; read back by `init?(json:)` when a dossier
    /// is sent again). The same keys `Codable` uses; nil values left out, as `JSONEncoder` does.
    public var json: String {
        func flag(_ b: Bool) -> String { b ? "true" : "false" }
        var s = "{\"online\":\(flag(online)),\"resolved\":\(flag(resolved)),\"withdrawn\":\(flag(withdrawn))"
        if let timeliness { s += ",\"timeliness\":\"\(timeliness.rawValue)\"" }
        if let processingHalfDays { s += ",\"processingHalfDays\":\(processingHalfDays)" }
        s += ",\"statutoryHalfDays\":\(statutoryHalfDays)"
        if let internalHalfDays { s += ",\"internalHalfDays\":\(internalHalfDays)" }
        s += ",\"payable\":\(flag(payable)),\"paidOnline\":\(flag(paidOnline)),\"digitised\":\(flag(digitised)),\"rated\":\(flag(rated))"
        s += ",\"unsatisfied\":\(flag(unsatisfied)),\"complaint\":\(flag(complaint))}"
        return s
    }

    /// Stored facts read back (a dossier sent again gives back its old contribution): what `JSONDecoder` reads, by
    /// the strict `JSONReader` (a batch of resolutions reads thousands; a `JSONDecoder` each showed in its `rows`
    /// phase, docs/benchmarks.md). Nil where `JSONDecoder` would throw: not an object, a required key missing, a value
    /// of the wrong kind. Unknown keys are ignored, as `Codable` ignores them.
    public init?(json: String) {
        guard case .object(let o)? = JSONReader.parse(Array(json.utf8)) else { return nil }
        func flag(_ key: String) -> Bool? {
            if case .bool(let b)? = o[key] { b } else { nil }
        }
        /// nil: absent or null; .some(nil): present but not a whole number in `Int`'s range (JSONDecoder throws).
        func count(_ key: String) -> Int?? {
            switch o[key] {
            case nil, .null?: return .some(nil)
            case .number(let d)?: return d.rounded() == d && abs(d) < 9e15 ? .some(Int(d)) : nil
            default: return nil
            }
        }
        let timeliness: Timeliness?
        switch o["timeliness"] {
        case nil, .null?: timeliness = nil
        case .string(let s)?:
            guard let t = Timeliness(rawValue: s) else { return nil }
            timeliness = t
        default: return nil
        }
        guard let online = flag("online"), let resolved = flag("resolved"), let withdrawn = flag("withdrawn"),
            let processing = count("processingHalfDays"), let statutory = count("statutoryHalfDays") ?? nil,
            let internalLimit = count("internalHalfDays"), let payable = flag("payable"), let paidOnline = flag("paidOnline"),
            let digitised = flag("digitised"), let rated = flag("rated"), let unsatisfied = flag("unsatisfied"), let complaint = flag("complaint")
        else { return nil }
        self.init(
            online: online, resolved: resolved, withdrawn: withdrawn, timeliness: timeliness, processingHalfDays: processing,
            statutoryHalfDays: statutory, internalHalfDays: internalLimit, payable: payable, paidOnline: paidOnline, digitised: digitised,
            rated: rated, unsatisfied: unsatisfied, complaint: complaint)
    }
}

/// Running counts over a set of dossiers (a unit's procedure in a month, say). Tallies add and subtract, so a
/// period, a unit or the province is the sum of its parts and a dossier sent again replaces its old contribution
/// without recounting anything. Every indicator is computed from these integers (docs/procedures.md).
public struct DossierTally: Hashable, Sendable, Codable {
    public var received = 0
    public var resolved = 0
    public var early = 0
    public var onTime = 0
    public var late = 0
    public var withdrawn = 0
    public var online = 0
    public var payable = 0
    public var paidOnline = 0
    public var digitised = 0
    public var rated = 0
    public var unsatisfied = 0
    public var complaints = 0
    /// Sums over resolved dossiers, in working half-days.
    public var processingHalfDays = 0
    public var statutoryHalfDays = 0
    /// Sums over resolved dossiers whose procedure has an internal limit.
    public var internalResolved = 0
    public var internalHalfDays = 0
    public var processingWithinInternal = 0
    /// Resolved dossiers by processing time in half-days (for the 90th percentile).
    public var histogram: [Int: Int] = [:]

    public init() {}

    /// Which counts of a dossier a tally takes: what happened at receipt belongs to the month of receipt, the
    /// resolution (timeliness, processing time) to the month of resolution.
    public struct Parts: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let receipt = Parts(rawValue: 1)
        public static let resolution = Parts(rawValue: 2)
        public static let all: Parts = [.receipt, .resolution]
    }

    public mutating func add(_ f: DossierFacts, times sign: Int = 1, parts: Parts = .all) {
        if parts.contains(.receipt) { addReceipt(f, sign) }
        if parts.contains(.resolution) { addResolution(f, sign) }
    }

    private mutating func addReceipt(_ f: DossierFacts, _ sign: Int) {
        received += sign
        if f.online { online += sign }
        if f.payable { payable += sign }
        if f.payable && f.paidOnline { paidOnline += sign }
        if f.digitised { digitised += sign }
        if f.rated { rated += sign }
        if f.unsatisfied { unsatisfied += sign }
        if f.complaint { complaints += sign }
        if f.withdrawn { withdrawn += sign }
    }

    private mutating func addResolution(_ f: DossierFacts, _ sign: Int) {
        guard f.resolved, let t = f.timeliness, let p = f.processingHalfDays else { return }
        resolved += sign
        switch t {
        case .early: early += sign
        case .onTime: onTime += sign
        case .late: late += sign
        }
        processingHalfDays += sign * p
        statutoryHalfDays += sign * f.statutoryHalfDays
        if let i = f.internalHalfDays {
            internalResolved += sign
            internalHalfDays += sign * i
            if p <= i { processingWithinInternal += sign }
        }
        let n = (histogram[p] ?? 0) + sign
        histogram[p] = n == 0 ? nil : n
    }

    public mutating func remove(_ f: DossierFacts, parts: Parts = .all) { add(f, times: -1, parts: parts) }

    public static func + (a: DossierTally, b: DossierTally) -> DossierTally {
        var r = a
        r += b
        return r
    }

    /// In place: the histogram is merged into the one already held, not copied for each addition.
    public static func += (a: inout DossierTally, b: DossierTally) {
        a.addCounts(b)
        for (k, v) in b.histogram {
            let n = (a.histogram[k] ?? 0) + v
            a.histogram[k] = n == 0 ? nil : n
        }
    }

    /// Adds `b`'s counts but not its histogram (for sums that keep no histogram, like the per-unit rollup).
    public mutating func addCounts(_ b: DossierTally) {
        received += b.received
        resolved += b.resolved
        early += b.early
        onTime += b.onTime
        late += b.late
        withdrawn += b.withdrawn
        online += b.online
        payable += b.payable
        paidOnline += b.paidOnline
        digitised += b.digitised
        rated += b.rated
        unsatisfied += b.unsatisfied
        complaints += b.complaints
        processingHalfDays += b.processingHalfDays
        statutoryHalfDays += b.statutoryHalfDays
        internalResolved += b.internalResolved
        internalHalfDays += b.internalHalfDays
        processingWithinInternal += b.processingWithinInternal
    }
}

/// The indicators of a tally, as exact percentages and working-day figures rounded once to 2 places (half away from
/// zero); nil where the denominator is zero ("no data", never 0 %).
public struct DossierIndicators: Hashable, Sendable {
    public let tally: DossierTally
    public init(_ tally: DossierTally) { self.tally = tally }

    private func pct(_ part: Int, _ whole: Int) -> Points? {
        whole == 0 ? nil : Points.percent(Points(part), of: Points(whole), places: 2)
    }

    /// (early + on time) / resolved (Decision 766).
    public var onTimeRate: Points? { pct(tally.early + tally.onTime, tally.resolved) }
    /// late / resolved (Decision 766).
    public var overdueRate: Points? { pct(tally.late, tally.resolved) }
    public var earlyRate: Points? { pct(tally.early, tally.resolved) }
    /// online / received.
    public var onlineRate: Points? { pct(tally.online, tally.received) }
    /// paid online / received dossiers of procedures with a fee.
    public var onlinePaymentRate: Points? { pct(tally.paidOnline, tally.payable) }
    /// inputs and result digitised / received (Decision 766).
    public var digitisationRate: Points? { pct(tally.digitised, tally.received) }
    /// (received − rated unsatisfied − complaints) / received (Decision 766, "TTHC satisfaction").
    public var satisfactionRate: Points? { pct(max(0, tally.received - tally.unsatisfied - tally.complaints), tally.received) }

    /// Mean processing time of resolved dossiers, in working days.
    public var averageDays: Points? {
        tally.resolved == 0 ? nil : Points(e4: Points.mulDivRounded(Int64(tally.processingHalfDays), 5_000, Int64(tally.resolved))).rounded(places: 2)
    }

    /// Mean statutory limit of the same dossiers, in working days.
    public var averageStatutoryDays: Points? {
        tally.resolved == 0 ? nil : Points(e4: Points.mulDivRounded(Int64(tally.statutoryHalfDays), 5_000, Int64(tally.resolved))).rounded(places: 2)
    }

    /// The 90th percentile of processing time (nearest rank), in working days.
    public var p90Days: Points? {
        let n = tally.histogram.values.reduce(0, +)
        guard n > 0 else { return nil }
        let rank = (9 * n + 9) / 10  // ⌈0.9 n⌉
        var seen = 0
        for k in tally.histogram.keys.sorted() {
            seen += tally.histogram[k] ?? 0
            if seen >= rank { return Points(e4: Int64(k) * 5_000) }
        }
        return nil
    }

    /// Realised cut of processing time against the statutory limits: 1 − Σ processing / Σ statutory, in %.
    /// Negative when dossiers took longer than the law allows on average. nil when no limit applies (all 0).
    public var timeCut: Points? {
        tally.statutoryHalfDays == 0 ? nil : pct(tally.statutoryHalfDays - tally.processingHalfDays, tally.statutoryHalfDays)
    }

    /// Whether the realised cut reaches the target (the seeds: at least 25 %).
    public func meetsTimeCut(target: Points) -> Bool? { timeCut.map { $0 >= target } }

    /// Resolved within the province's internal limit / resolved dossiers that have one.
    public var withinInternalRate: Points? { pct(tally.processingWithinInternal, tally.internalResolved) }
}
