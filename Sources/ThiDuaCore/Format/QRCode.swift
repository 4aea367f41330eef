/// A QR Code (ISO/IEC 18004) encoder for the survey posters: byte mode, any of the four error-correction levels,
/// versions 1–40, the mask with the lowest penalty. Written here because the provincial network has no internet
/// and the packages mirrored for the product have no QR encoder; it is checked module by module against an
/// independent encoder in the test suite (tests/browser/test_qr.py).
public struct QRCode: Sendable, Equatable {
    public enum Level: Int, Sendable, CaseIterable {
        case low = 0, medium, quartile, high

        /// The two format bits of the level (L = 01, M = 00, Q = 11, H = 10).
        var formatBits: Int {
            switch self {
            case .low: 1
            case .medium: 0
            case .quartile: 3
            case .high: 2
            }
        }
    }

    public enum Failure: Error, Equatable, Sendable {
        case tooLong
    }

    public let version: Int
    public let size: Int
    public let level: Level
    public let mask: Int
    /// Row-major; true is a dark module.
    public let modules: [Bool]

    public func isDark(x: Int, y: Int) -> Bool {
        x >= 0 && y >= 0 && x < size && y < size && modules[y * size + x]
    }

    /// Encodes `text` as UTF-8 bytes in the smallest version that holds it; `mask` nil picks the best one.
    public static func encode(_ text: String, level: Level = .medium, mask: Int? = nil) -> Result<QRCode, Failure> {
        let bytes = Array(text.utf8)
        var chosen: Int?
        for v in 1...40 {
            let countBits = v <= 9 ? 8 : 16
            let needed = 4 + countBits + bytes.count * 8
            if bytes.count < (1 << countBits) && needed <= dataCodewords(v, level) * 8 {
                chosen = v
                break
            }
        }
        guard let version = chosen else { return .failure(.tooLong) }

        var bits = BitBuffer()
        bits.append(0b0100, 4)
        bits.append(bytes.count, version <= 9 ? 8 : 16)
        for b in bytes { bits.append(Int(b), 8) }
        let capacity = dataCodewords(version, level) * 8
        bits.append(0, min(4, capacity - bits.count))
        bits.append(0, (8 - bits.count % 8) % 8)
        var pad = 0xEC
        while bits.count < capacity {
            bits.append(pad, 8)
            pad ^= 0xEC ^ 0x11
        }
        var data = [UInt8](repeating: 0, count: bits.count / 8)
        for (i, bit) in bits.bits.enumerated() where bit { data[i >> 3] |= UInt8(1 << (7 - (i & 7))) }

        var grid = Grid(version: version)
        grid.drawFunctionPatterns(level: level)
        grid.drawCodewords(interleaved(data, version: version, level: level))
        let masks = mask.map { [max(0, min(7, $0))] } ?? Array(0..<8)
        var best: (penalty: Int, grid: Grid, mask: Int)?
        for m in masks {
            var g = grid
            g.applyMask(m)
            g.drawFormatBits(level: level, mask: m)
            let p = g.penalty()
            if best == nil || p < best!.penalty { best = (p, g, m) }
        }
        let b = best!
        return .success(QRCode(version: version, size: b.grid.size, level: level, mask: b.mask, modules: b.grid.modules))
    }

    /// An SVG drawing (one path, a quiet zone of four modules), scalable for print; `title` is its accessible name.
    public func svg(title: String, moduleSize: Int = 8) -> String {
        let quiet = 4
        let side = (size + 2 * quiet) * moduleSize
        var path = ""
        path.reserveCapacity(size * size * 6)
        for y in 0..<size {
            var x = 0
            while x < size {
                guard isDark(x: x, y: y) else {
                    x += 1
                    continue
                }
                var run = 1
                while isDark(x: x + run, y: y) { run += 1 }
                path += "M\(x + quiet) \(y + quiet)h\(run)v1h-\(run)z"
                x += run
            }
        }
        let escaped = title.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        let n = size + 2 * quiet
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"qr-title\" width=\"\(side)\" height=\"\(side)\" "
            + "viewBox=\"0 0 \(n) \(n)\" shape-rendering=\"crispEdges\"><title id=\"qr-title\">\(escaped)</title>"
            + "<rect width=\"\(n)\" height=\"\(n)\" fill=\"#fff\"/><path fill=\"#000\" d=\"\(path)\"/></svg>"
    }

    // MARK: - Tables (ISO/IEC 18004 table 9), indexed [level][version]

    static let eccPerBlock: [[Int]] = [
        [-1, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [-1, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
        [-1, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [-1, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
    ]
    static let blockCount: [[Int]] = [
        [-1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
        [-1, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
        [-1, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
        [-1, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81],
    ]

    /// Modules left for data and error correction once the function patterns are drawn.
    static func rawDataModules(_ v: Int) -> Int {
        var result = (16 * v + 128) * v + 64
        if v >= 2 {
            let align = v / 7 + 2
            result -= (25 * align - 10) * align - 55
            if v >= 7 { result -= 36 }
        }
        return result
    }

    static func dataCodewords(_ v: Int, _ level: Level) -> Int {
        rawDataModules(v) / 8 - eccPerBlock[level.rawValue][v] * blockCount[level.rawValue][v]
    }

    /// Splits the data into blocks, appends each block's Reed–Solomon codewords and interleaves them.
    static func interleaved(_ data: [UInt8], version: Int, level: Level) -> [UInt8] {
        let blocks = blockCount[level.rawValue][version]
        let eccLen = eccPerBlock[level.rawValue][version]
        let raw = rawDataModules(version) / 8
        let shortBlocks = blocks - raw % blocks
        let shortLen = raw / blocks
        let divisor = ReedSolomon.divisor(degree: eccLen)
        var out: [[UInt8]] = []
        var k = 0
        for i in 0..<blocks {
            let len = shortLen - eccLen + (i < shortBlocks ? 0 : 1)
            var dat = Array(data[k..<(k + len)])
            k += len
            let ecc = ReedSolomon.remainder(dat, divisor)
            if i < shortBlocks { dat.append(0) }
            out.append(dat + ecc)
        }
        var result: [UInt8] = []
        result.reserveCapacity(raw)
        for i in 0..<out[0].count {
            for j in 0..<out.count where i != shortLen - eccLen || j >= shortBlocks {
                result.append(out[j][i])
            }
        }
        return result
    }

    static func alignmentPositions(_ v: Int) -> [Int] {
        guard v > 1 else { return [] }
        let count = v / 7 + 2
        let size = v * 4 + 17
        let step = v == 32 ? 26 : (v * 4 + count * 2 + 1) / (count * 2 - 2) * 2
        var result = [6]
        var pos = size - 7
        for _ in 0..<(count - 1) {
            result.insert(pos, at: 1)
            pos -= step
        }
        return result
    }
}

struct BitBuffer {
    var bits: [Bool] = []
    var count: Int { bits.count }

    mutating func append(_ value: Int, _ length: Int) {
        guard length > 0 else { return }
        for i in stride(from: length - 1, through: 0, by: -1) { bits.append((value >> i) & 1 == 1) }
    }
}

enum ReedSolomon {
    /// Multiplication in GF(2⁸) modulo x⁸ + x⁴ + x³ + x² + 1.
    static func multiply(_ x: UInt8, _ y: UInt8) -> UInt8 {
        var z = 0
        for i in stride(from: 7, through: 0, by: -1) {
            z = (z << 1) ^ ((z >> 7) * 0x11D)
            z ^= Int((y >> UInt8(i)) & 1) * Int(x)
        }
        return UInt8(z & 0xFF)
    }

    static func divisor(degree: Int) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: degree)
        result[degree - 1] = 1
        var root: UInt8 = 1
        for _ in 0..<degree {
            for j in 0..<degree {
                result[j] = multiply(result[j], root)
                if j + 1 < degree { result[j] ^= result[j + 1] }
            }
            root = multiply(root, 0x02)
        }
        return result
    }

    static func remainder(_ data: [UInt8], _ divisor: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: divisor.count)
        for b in data {
            let factor = b ^ result.removeFirst()
            result.append(0)
            for i in 0..<result.count { result[i] ^= multiply(divisor[i], factor) }
        }
        return result
    }
}

/// The module grid while it is being drawn.
struct Grid {
    let version: Int
    let size: Int
    var modules: [Bool]
    var isFunction: [Bool]

    init(version: Int) {
        self.version = version
        size = version * 4 + 17
        modules = [Bool](repeating: false, count: size * size)
        isFunction = modules
    }

    mutating func setFunction(_ x: Int, _ y: Int, _ dark: Bool) {
        modules[y * size + x] = dark
        isFunction[y * size + x] = true
    }

    mutating func drawFunctionPatterns(level: QRCode.Level) {
        for i in 0..<size {
            setFunction(6, i, i % 2 == 0)
            setFunction(i, 6, i % 2 == 0)
        }
        for (cx, cy) in [(3, 3), (size - 4, 3), (3, size - 4)] {
            for dy in -4...4 {
                for dx in -4...4 {
                    let x = cx + dx, y = cy + dy
                    guard x >= 0, x < size, y >= 0, y < size else { continue }
                    let dist = max(abs(dx), abs(dy))
                    setFunction(x, y, dist != 2 && dist != 4)
                }
            }
        }
        let positions = QRCode.alignmentPositions(version)
        let n = positions.count
        for i in 0..<n {
            for j in 0..<n {
                if (i == 0 && j == 0) || (i == 0 && j == n - 1) || (i == n - 1 && j == 0) { continue }
                for dy in -2...2 {
                    for dx in -2...2 { setFunction(positions[i] + dx, positions[j] + dy, max(abs(dx), abs(dy)) != 1) }
                }
            }
        }
        drawFormatBits(level: level, mask: 0)  // reserves the area; redrawn with the chosen mask
        if version >= 7 {
            var rem = version
            for _ in 0..<12 { rem = (rem << 1) ^ ((rem >> 11) * 0x1F25) }
            let bits = version << 12 | rem
            for i in 0..<18 {
                let dark = (bits >> i) & 1 == 1
                let a = size - 11 + i % 3, b = i / 3
                setFunction(a, b, dark)
                setFunction(b, a, dark)
            }
        }
    }

    mutating func drawFormatBits(level: QRCode.Level, mask: Int) {
        let data = level.formatBits << 3 | mask
        var rem = data
        for _ in 0..<10 { rem = (rem << 1) ^ ((rem >> 9) * 0x537) }
        let bits = (data << 10 | rem) ^ 0x5412
        func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }
        for i in 0...5 { setFunction(8, i, bit(i)) }
        setFunction(8, 7, bit(6))
        setFunction(8, 8, bit(7))
        setFunction(7, 8, bit(8))
        for i in 9..<15 { setFunction(14 - i, 8, bit(i)) }
        for i in 0..<8 { setFunction(size - 1 - i, 8, bit(i)) }
        for i in 8..<15 { setFunction(8, size - 15 + i, bit(i)) }
        setFunction(8, size - 8, true)
    }

    mutating func drawCodewords(_ data: [UInt8]) {
        var i = 0
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            for vert in 0..<size {
                for j in 0..<2 {
                    let x = right - j
                    let upward = (right + 1) & 2 == 0
                    let y = upward ? size - 1 - vert : vert
                    if !isFunction[y * size + x] && i < data.count * 8 {
                        modules[y * size + x] = (data[i >> 3] >> UInt8(7 - (i & 7))) & 1 == 1
                        i += 1
                    }
                }
            }
            right -= 2
        }
    }

    mutating func applyMask(_ mask: Int) {
        for y in 0..<size {
            for x in 0..<size where !isFunction[y * size + x] {
                let invert: Bool
                switch mask {
                case 0: invert = (x + y) % 2 == 0
                case 1: invert = y % 2 == 0
                case 2: invert = x % 3 == 0
                case 3: invert = (x + y) % 3 == 0
                case 4: invert = (x / 3 + y / 2) % 2 == 0
                case 5: invert = x * y % 2 + x * y % 3 == 0
                case 6: invert = (x * y % 2 + x * y % 3) % 2 == 0
                default: invert = ((x + y) % 2 + x * y % 3) % 2 == 0
                }
                if invert { modules[y * size + x].toggle() }
            }
        }
    }

    func dark(_ x: Int, _ y: Int) -> Bool { modules[y * size + x] }

    /// The four penalty rules of ISO/IEC 18004 §7.8.3: runs of five or more, 2×2 blocks, finder-like patterns
    /// (1:1:3:1:1 with four light modules on one side) and the balance of dark modules.
    func penalty() -> Int {
        var total = 0
        let pattern: [Bool] = [true, false, true, true, true, false, true]
        for horizontal in [true, false] {
            for a in 0..<size {
                var line = [Bool](repeating: false, count: size)
                for b in 0..<size { line[b] = horizontal ? dark(b, a) : dark(a, b) }
                var run = 1
                for b in 1...size {
                    if b < size && line[b] == line[b - 1] {
                        run += 1
                    } else {
                        if run >= 5 { total += 3 + (run - 5) }
                        run = 1
                    }
                }
                if size >= 11 {
                    for b in 0...(size - 7) where Array(line[b..<(b + 7)]) == pattern {
                        let lightBefore = (max(0, b - 4)..<b).allSatisfy { !line[$0] } && b >= 0
                        let lightAfter = ((b + 7)..<min(size, b + 11)).allSatisfy { !line[$0] }
                        if lightBefore || lightAfter { total += 40 }
                    }
                }
            }
        }
        for y in 0..<(size - 1) {
            for x in 0..<(size - 1) {
                let c = dark(x, y)
                if c == dark(x + 1, y) && c == dark(x, y + 1) && c == dark(x + 1, y + 1) { total += 3 }
            }
        }
        let darkCount = modules.reduce(0) { $0 + ($1 ? 1 : 0) }
        let cells = size * size
        let k = (abs(darkCount * 20 - cells * 10) + cells - 1) / cells - 1
        total += max(0, k) * 10
        return total
    }
}
