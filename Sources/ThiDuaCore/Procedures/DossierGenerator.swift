/// Realistic synthetic dossiers for the demo province and the benchmarks (never presented as real data):
/// a skewed procedure mix (a few procedures carry most dossiers), seasonal load (quiet around Tết, busier in spring
/// and at year end), counter dossiers in office hours on working days and online ones at any time, an online share
/// that follows each procedure's online level, most dossiers early or on time and a share late, some withdrawn or
/// refused, recent ones still open, and ratings, complaints, online payment and digitisation at plausible rates.
public struct DossierGenerator: Sendable {
    public struct ProcedureSpec: Sendable {
        public let code: String
        public let statutory: TimeLimit
        public let payable: Bool
        public let online: OnlineLevel

        public init(code: String, statutory: TimeLimit, payable: Bool, online: OnlineLevel) {
            self.code = code
            self.statutory = statutory
            self.payable = payable
            self.online = online
        }
    }

    public let procedures: [ProcedureSpec]
    public let units: [String]
    public let clock: DossierClock
    /// Relative load per month, January first (Tết usually falls in late January or February).
    public var monthWeights: [Int] = [9, 6, 11, 11, 11, 9, 8, 9, 10, 11, 11, 12]
    /// Per cent of resolved dossiers resolved after their due time.
    public var latePercent = 6
    /// Dossiers received after this instant are often still open.
    public var openAfter: Int64?

    private let cumulativeProcedures: [Int]
    private let cumulativeUnits: [Int]

    public init(procedures: [ProcedureSpec], units: [String], clock: DossierClock) {
        precondition(!procedures.isEmpty && !units.isEmpty, "the generator needs procedures and units")
        self.procedures = procedures
        self.units = units
        self.clock = clock
        // Zipf-like: the i-th procedure weighs 1000 / (i + 1); units weigh from 3 to 1 (bigger communes first).
        var c = 0
        cumulativeProcedures = procedures.indices.map { i in
            c += 1_000 / (i + 1) + 1
            return c
        }
        var u = 0
        cumulativeUnits = units.indices.map { i in
            u += 3 - (2 * i) / max(1, units.count)
            return u
        }
    }

    private static func pick(_ cumulative: [Int], _ rng: inout SplitMix64) -> Int {
        let r = rng.below(cumulative.last!)
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > r { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// A day of `year` by the month weights (any day; what happens on days off is decided by the channel).
    private func day(in year: Int, _ rng: inout SplitMix64) -> CivilDate {
        var cumulative: [Int] = []
        var c = 0
        for w in monthWeights {
            c += w
            cumulative.append(c)
        }
        let month = Self.pick(cumulative, &rng) + 1
        return CivilDate(year: year, month: month, day: 1 + rng.below(CivilDate.daysIn(month: month, year: year)))!
    }

    /// The `index`-th dossier of a year (deterministic for a seed: the same call gives the same dossier).
    public func dossier(_ index: Int, year: Int, seed: UInt64) -> DossierInput {
        var rng = SplitMix64(seed: seed &+ UInt64(index) &* 0x9E37_79B9)
        let p = procedures[Self.pick(cumulativeProcedures, &rng)]
        let unit = units[Self.pick(cumulativeUnits, &rng)]
        let onlineShare = p.online == .full ? 70 : p.online == .partial ? 35 : 0
        let online = rng.below(100) < onlineShare
        var d = day(in: year, &rng)
        var second: Int64
        if online {
            second = Int64(rng.below(86_400))
        } else {
            // Counters are open on working days, 07:30–11:30 and 13:30–17:00.
            d = clock.calendar.workingDay(onOrAfter: d)
            let morning = rng.below(100) < 60
            second = morning ? 27_000 + Int64(rng.below(14_400)) : 48_600 + Int64(rng.below(12_600))
        }
        let received = DossierClock.startOfDay(d) + second
        let channel: DossierChannel = online ? .online : (rng.below(100) < 3 ? .postal : .counter)
        let serial = String(index)
        let code = "\(unit)-\(year % 100)" + String(repeating: "0", count: max(0, 7 - serial.count)) + serial
        var resolved: Int64?
        var result: DossierResult?
        let still = openAfter.map { received > $0 && rng.below(100) < 60 } ?? false
        if !still {
            let r = rng.below(100)
            if r < 2 {
                result = .withdrawn
            } else {
                result = r < 5 ? .refused : .approved
                let limit = max(1, p.statutory.halfDays)
                // Half-days taken: most well inside the limit, some on the last day, `latePercent` beyond it.
                let q = rng.below(100)
                let halfDays: Int
                if q < latePercent {
                    halfDays = limit + 1 + rng.below(limit / 2 + 4)
                } else if q < latePercent + 25 {
                    halfDays = limit
                } else {
                    halfDays = rng.below(limit)
                }
                resolved = resolution(received: received, halfDays: halfDays, &rng)
            }
        }
        let rated = result == .approved && rng.below(100) < 30
        return DossierInput(
            code: code, procedureCode: p.code, unitCode: unit, channel: channel, received: received, resolved: resolved,
            returned: resolved.map { $0 + Int64(rng.below(3)) * 86_400 }, result: result,
            paidOnline: p.payable && online && rng.below(100) < 80, digitised: rng.below(100) < 78,
            rating: rated ? (rng.below(100) < 6 ? .unsatisfied : rng.below(100) < 55 ? .verySatisfied : .satisfied) : nil,
            complaint: rng.below(1_000) < 4)
    }

    /// The instant that makes `halfDays` of processing time: the morning or afternoon of the right working day.
    private func resolution(received: Int64, halfDays: Int, _ rng: inout SplitMix64) -> Int64 {
        let start = clock.receiptDay(received)
        if halfDays == 0 {
            let sameDay = DossierClock.localDay(received) == start ? received : DossierClock.startOfDay(start) + 28_800
            return max(received, sameDay) + Int64(rng.below(3_600))
        }
        let last = clock.calendar.nthWorkingDay((halfDays + 1) / 2, after: start)
        let morning = halfDays % 2 == 1
        return DossierClock.startOfDay(last) + (morning ? 28_800 + Int64(rng.below(10_000)) : 50_400 + Int64(rng.below(10_000)))
    }

    /// The dossier as a row of `DossierInput.fields` (file and API field names), times in Vietnam time with offset.
    public static func row(_ d: DossierInput) -> [String] {
        [
            d.code, d.procedureCode, d.unitCode, d.channel.rawValue, InstantText.iso(d.received), d.due.map(InstantText.iso) ?? "",
            d.resolved.map(InstantText.iso) ?? "", d.returned.map(InstantText.iso) ?? "", d.result?.rawValue ?? "", d.paidOnline ? "1" : "0",
            d.digitised ? "1" : "0", d.rating?.rawValue ?? "", d.complaint ? "1" : "0",
        ]
    }
}

/// A starter catalogue for the fictional demo province: common procedures with their usual statutory limits. Codes
/// follow the national pattern but are demo values; a province imports its own published catalogue.
public enum DemoProcedures {
    public static let catalogue: [ProcedureDraft] = [
        ("2.000986.000.00.00.H99", "Đăng ký khai sinh", "Hộ tịch", ProcedureLevel.commune, "0,5", nil as String?, OnlineLevel.full, 0 as Int64),
        ("2.000528.000.00.00.H99", "Chứng thực bản sao từ bản chính", "Chứng thực", .commune, "0,5", nil, .partial, 2_000),
        ("1.001193.000.00.00.H99", "Đăng ký kết hôn", "Hộ tịch", .commune, "0,5", nil, .partial, 0),
        ("2.000908.000.00.00.H99", "Cấp bản sao trích lục hộ tịch", "Hộ tịch", .commune, "0,5", nil, .full, 8_000),
        ("1.004227.000.00.00.H99", "Đăng ký biến động quyền sử dụng đất", "Đất đai", .province, "10", "7", .partial, 0),
        ("1.003003.000.00.00.H99", "Cấp giấy chứng nhận quyền sử dụng đất lần đầu", "Đất đai", .province, "20", "15", .partial, 100_000),
        ("1.009994.000.00.00.H99", "Cấp giấy phép xây dựng nhà ở riêng lẻ", "Xây dựng", .commune, "15", "10", .partial, 75_000),
        ("2.001612.000.00.00.H99", "Đăng ký thành lập hộ kinh doanh", "Đăng ký kinh doanh", .commune, "3", "2", .full, 100_000),
        ("2.002034.000.00.00.H99", "Đăng ký thành lập doanh nghiệp", "Đăng ký kinh doanh", .province, "3", "2", .full, 50_000),
        ("1.001776.000.00.00.H99", "Trợ cấp xã hội hằng tháng", "Bảo trợ xã hội", .commune, "20", "15", .partial, 0),
        ("1.002481.000.00.00.H99", "Cấp giấy phép lái xe (đổi)", "Đường bộ", .province, "5", "3", .full, 135_000),
        ("1.000775.000.00.00.H99", "Cấp phép hoạt động khám chữa bệnh", "Y tế", .province, "30", "20", .none, 4_300_000),
        ("1.005097.000.00.00.H99", "Xét tuyển học sinh vào lớp 6", "Giáo dục", .commune, "5", nil, .full, 0),
        ("1.009401.000.00.00.H99", "Phê duyệt dự án đầu tư", "Đầu tư", .province, "35", "25", .partial, 0),
        ("2.000633.000.00.00.H99", "Giải quyết khiếu nại lần đầu", "Khiếu nại, tố cáo", .commune, "30", nil, .none, 0),
    ].enumerated().map { i, p in
        ProcedureDraft(
            row: i + 2, code: p.0, name: p.1, field: p.2, level: p.3, statutory: TimeLimit(parsing: p.4)!, internalLimit: p.5.flatMap(TimeLimit.init(parsing:)),
            online: p.6, fee: p.7, updatesExisting: false)
    }
}
